/** ECR-REGISTRY-POLICY-SCOPED: a registry policy grants replication on the replicated repositories only. */
import { asList, ComplianceRule, compliant, nonCompliant, notApplicable, policyStatements } from '../rule';

/** The rule ECR-REGISTRY-POLICY-SCOPED: the registry policy grants on `repository/<filter>*`, never on every repository. */
export const ecrRegistryPolicyScoped: ComplianceRule = {
  id: 'ECR-REGISTRY-POLICY-SCOPED',
  title: "Registry policies grant on the replicated repositories' prefixes, not on every repository",
  description:
    'A registry policy statement on repository/* (or "*") lets the source account create and overwrite any repository of the destination registry, not only the ones it replicates (least privilege).',
  remediation: 'Grant ecr:CreateRepository and ecr:ReplicateImage on arn:...:repository/<filter>* for each replication filter of the source account.',
  severity: 'error',
  references: [],
  check(resourceType, attributes) {
    if (resourceType !== 'aws_ecr_registry_policy') return notApplicable('not an ECR registry policy');
    const statements = policyStatements(attributes.policy);
    if (!statements) return notApplicable('the policy is not literal JSON (a Terraform expression): check it after plan');
    const broad = statements
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) => asList(statement.Resource))
      .filter((resource) => resource === '*' || /:repository\/\*$/.test(resource));
    return broad.length === 0
      ? compliant('every statement names repository prefixes')
      : nonCompliant(`the registry policy grants ${[...new Set(broad)].join(', ')}`);
  },
};
