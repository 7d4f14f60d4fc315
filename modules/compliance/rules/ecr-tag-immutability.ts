/** ECR-TAG-IMMUTABLE: an image tag always names the same image. */
import { ComplianceRule, compliant, nonCompliant, notApplicable } from '../rule';

/** The rule ECR-TAG-IMMUTABLE: repositories and creation templates have immutable tags. */
export const ecrTagImmutability: ComplianceRule = {
  id: 'ECR-TAG-IMMUTABLE',
  title: 'ECR repositories and creation templates have immutable image tags',
  description:
    'With mutable tags a push can silently replace the image behind a tag that deployments and scan results refer to; immutable tags keep a tag bound to one digest (seed 004).',
  remediation: 'Set image_tag_mutability = "IMMUTABLE" (imageTagMutability: IMMUTABLE in the config, the default).',
  severity: 'warning',
  references: [
    { source: 'checkov', id: 'CKV_AWS_51' },
    { source: 'trivy', id: 'AWS-0031' },
    { source: 'security-hub', id: 'ECR.2' },
  ],
  check(resourceType, attributes) {
    if (resourceType !== 'aws_ecr_repository' && resourceType !== 'aws_ecr_repository_creation_template') {
      return notApplicable('not an ECR repository or creation template');
    }
    const mutability = attributes.image_tag_mutability;
    return typeof mutability === 'string' && mutability.startsWith('IMMUTABLE')
      ? compliant(`image_tag_mutability is ${mutability}`)
      : nonCompliant(`image_tag_mutability is ${mutability === undefined ? 'MUTABLE (default)' : String(mutability)}, not IMMUTABLE`);
  },
};
