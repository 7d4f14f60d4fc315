/** ECR-ENCRYPTED-CMK: repositories (and the templates that create them) encrypted with a customer-managed KMS key (seed 003). */
import { KMS_KEY_ARN_PATTERN } from '../../ecr/regions';
import { ComplianceRule, compliant, firstBlock, nonCompliant, notApplicable } from '../rule';

/** A key reference is customer-managed when it points at an aws_kms_key of the configuration or at a key ARN that is not an alias. */
export function isCustomerManagedKeyReference(kmsKey: unknown): boolean {
  if (typeof kmsKey !== 'string' || kmsKey === '') return false;
  if (kmsKey.includes('alias/aws/')) return false;
  return /\$\{aws_kms_key\.[A-Za-z0-9_-]+(\[[^\]]+\])?\.arn\}/.test(kmsKey) || KMS_KEY_ARN_PATTERN.test(kmsKey);
}

/** The rule ECR-ENCRYPTED-CMK: repositories and creation templates use KMS with a customer-managed key, never AES256 or `aws/ecr`. */
export const ecrEncryptedWithCustomerManagedKey: ComplianceRule = {
  id: 'ECR-ENCRYPTED-CMK',
  title: 'ECR repositories and creation templates are encrypted with a customer-managed KMS key',
  description:
    'ECR repositories must be encrypted with a customer-managed KMS key: AES256 (SSE-S3) and the AWS-managed aws/ecr key give no control over the key policy, and encryption cannot be changed after creation.',
  remediation:
    'Set encryption_configuration { encryption_type = "KMS", kms_key = <customer-managed key ARN in the same region> }. An existing repository cannot be re-encrypted: create a KMS-encrypted repository, copy the images, switch consumers, delete the old one.',
  severity: 'error',
  references: [
    { source: 'checkov', id: 'CKV_AWS_136' },
    { source: 'trivy', id: 'AWS-0033' },
    { source: 'cloudsploit', id: 'ECR Repository Encrypted (awscmk)' },
    { source: 'security-hub', id: 'ECR.5' },
  ],
  check(resourceType, attributes, context) {
    if (resourceType !== 'aws_ecr_repository' && resourceType !== 'aws_ecr_repository_creation_template') {
      return notApplicable('not an ECR repository or creation template');
    }
    const encryption = firstBlock(attributes.encryption_configuration);
    if (!encryption || encryption.encryption_type !== 'KMS') {
      return nonCompliant(`encryption_type is ${String(encryption?.encryption_type ?? 'AES256 (default)')}, not KMS`);
    }
    if (!isCustomerManagedKeyReference(encryption.kms_key)) {
      return nonCompliant(
        `kms_key ${encryption.kms_key === undefined ? 'is not set (the AWS-managed aws/ecr key)' : `"${String(encryption.kms_key)}" is not a customer-managed key`}`,
      );
    }
    const manager = context?.keyManagers?.get(String(encryption.kms_key));
    if (manager !== undefined && manager !== 'CUSTOMER') {
      return nonCompliant(`kms_key "${String(encryption.kms_key)}" is managed by ${manager} (the AWS-managed aws/ecr key), not by the customer`);
    }
    return compliant('encrypted with a customer-managed KMS key');
  },
};
