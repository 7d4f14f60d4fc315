/** ECR-NO-PUBLIC-POLICY: no repository or registry policy opens images to everyone. */
import { ComplianceRule, compliant, nonCompliant, notApplicable, policyStatements, wildcardPrincipalStatements } from '../rule';

const POLICY_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_ecr_repository_policy: 'policy',
  aws_ecr_registry_policy: 'policy',
  aws_ecr_repository_creation_template: 'repository_policy',
};

/** The rule ECR-NO-PUBLIC-POLICY: no repository, registry or template repository policy allows `Principal: "*"`. */
export const ecrNoPublicPolicy: ComplianceRule = {
  id: 'ECR-NO-PUBLIC-POLICY',
  title: 'ECR repository and registry policies allow no wildcard principal',
  description: 'A policy statement that allows Principal "*" makes the images pullable (or pushable) by any AWS account: a private registry becomes public.',
  remediation: 'Name the accounts or roles (pullPrincipals / pushPrincipals in the config) instead of "*" in every Allow statement.',
  severity: 'error',
  references: [
    { source: 'checkov', id: 'CKV_AWS_32' },
    { source: 'trivy', id: 'AWS-0032' },
  ],
  check(resourceType, attributes) {
    const attribute = POLICY_ATTRIBUTE[resourceType];
    if (attribute === undefined) return notApplicable('not an ECR repository policy, registry policy or creation template');
    if (attributes[attribute] === undefined) return compliant('no policy is set');
    const statements = policyStatements(attributes[attribute]);
    if (!statements) return notApplicable('the policy is not literal JSON (a Terraform expression): check it after plan');
    const wildcards = wildcardPrincipalStatements(statements);
    return wildcards.length === 0
      ? compliant('every statement names its principals')
      : nonCompliant(`policy statement ${wildcards.join(', ')} allows Principal "*"`);
  },
};
