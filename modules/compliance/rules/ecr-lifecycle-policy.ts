/** ECR-LIFECYCLE-POLICY: every repository (and every template) carries a lifecycle policy. */
import { ComplianceRule, compliant, nonCompliant, notApplicable, ResourceInstance } from '../rule';

const REFERENCE = /^\$\{(aws_ecr_repository\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?)\.(?:name|id)\}$/;

/** The repository name a lifecycle policy's `repository` names: literally, or through `${aws_ecr_repository.<name>.name}`. */
function namedRepository(resources: readonly ResourceInstance[], repository: unknown): unknown {
  const reference = typeof repository === 'string' ? REFERENCE.exec(repository) : null;
  if (reference === null) return repository;
  return resources.find((resource) => resource.address === reference[1])?.attributes.name;
}

/** Whether an aws_ecr_lifecycle_policy of the stack names this repository. */
export function hasLifecyclePolicy(resources: readonly ResourceInstance[], repositoryName: string): boolean {
  return resources
    .filter((resource) => resource.type === 'aws_ecr_lifecycle_policy' && resource.attributes.policy !== undefined)
    .some((resource) => namedRepository(resources, resource.attributes.repository) === repositoryName);
}

/** The rule ECR-LIFECYCLE-POLICY: every repository has a lifecycle policy, every creation template sets one. */
export const ecrLifecyclePolicy: ComplianceRule = {
  id: 'ECR-LIFECYCLE-POLICY',
  title: 'Every ECR repository and creation template has a lifecycle policy',
  description:
    'Without a lifecycle policy old and untagged images accumulate: they keep costing storage and keep old vulnerabilities pullable (Security Hub ECR.3, seed 004).',
  remediation:
    'Give the repository an aws_ecr_lifecycle_policy (lifecyclePolicy: in the config, or defaultLifecyclePolicy: for every repository without one), and set lifecycle_policy on every creation template.',
  severity: 'warning',
  references: [{ source: 'security-hub', id: 'ECR.3' }],
  check(resourceType, attributes, context) {
    if (resourceType === 'aws_ecr_repository_creation_template') {
      return typeof attributes.lifecycle_policy === 'string' && attributes.lifecycle_policy !== ''
        ? compliant('the template sets a lifecycle policy')
        : nonCompliant('lifecycle_policy is not set: repositories the template creates get none');
    }
    if (resourceType !== 'aws_ecr_repository') return notApplicable('not an ECR repository or creation template');
    const name = typeof attributes.name === 'string' ? attributes.name : '';
    return hasLifecyclePolicy(context?.resources ?? [], name)
      ? compliant('a lifecycle policy is attached')
      : nonCompliant(`no aws_ecr_lifecycle_policy is attached to repository "${name}"`);
  },
};
