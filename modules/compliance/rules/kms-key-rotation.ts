/** KMS-ROTATION: customer-managed keys rotate their key material. */
import { ComplianceRule, compliant, nonCompliant, notApplicable } from '../rule';

/** The rule KMS-ROTATION: customer-managed keys rotate their key material yearly. */
export const kmsKeyRotationEnabled: ComplianceRule = {
  id: 'KMS-ROTATION',
  title: 'Customer-managed KMS keys have automatic rotation on',
  description: 'Customer-managed keys must rotate their key material yearly: a leaked or broken key version then protects less data.',
  remediation: 'Set enable_key_rotation = true on the aws_kms_key (aws kms enable-key-rotation --key-id <key> for a live key).',
  severity: 'error',
  references: [
    { source: 'checkov', id: 'CKV_AWS_7' },
    { source: 'trivy', id: 'AWS-0065' },
  ],
  check(resourceType, attributes) {
    if (resourceType !== 'aws_kms_key') return notApplicable('not a KMS key');
    return attributes.enable_key_rotation === true ? compliant('rotation is on') : nonCompliant('enable_key_rotation is not true');
  },
};
