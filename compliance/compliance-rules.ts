/**
 * Cross-cutting rules as small pure functions over a Terraform resource's
 * attributes (as synthesized, one instance at a time). The synth-time Aspect
 * and a future audit of synthesized output or of a live account reuse them.
 */
import { KMS_KEY_ARN_PATTERN } from '../ecr/regions';

export type RuleStatus = 'compliant' | 'non-compliant' | 'not-applicable';

export interface RuleResult {
  readonly status: RuleStatus;
  readonly reason: string;
}

export interface ComplianceRule {
  readonly id: string;
  /** Why the rule exists. */
  readonly description: string;
  /** `error` fails synthesis; `warning` is reported. */
  readonly severity: 'error' | 'warning';
  check(resourceType: string, attributes: Readonly<Record<string, unknown>>): RuleResult;
}

const notApplicable = (reason: string): RuleResult => ({ status: 'not-applicable', reason });
const compliant = (reason: string): RuleResult => ({ status: 'compliant', reason });
const nonCompliant = (reason: string): RuleResult => ({ status: 'non-compliant', reason });

function firstBlock(value: unknown): Record<string, unknown> | undefined {
  const block = Array.isArray(value) ? value[0] : value;
  return typeof block === 'object' && block !== null ? (block as Record<string, unknown>) : undefined;
}

/** A key reference is customer-managed when it points at an aws_kms_key of the configuration or at a key ARN that is not an alias. */
export function isCustomerManagedKeyReference(kmsKey: unknown): boolean {
  if (typeof kmsKey !== 'string' || kmsKey === '') return false;
  if (kmsKey.includes('alias/aws/')) return false;
  return /\$\{aws_kms_key\.[A-Za-z0-9_-]+(\[[^\]]+\])?\.arn\}/.test(kmsKey) || KMS_KEY_ARN_PATTERN.test(kmsKey);
}

/** "ECR Repository Encrypted" at customer-managed-key level (seed 003). */
export const ecrEncryptedWithCustomerManagedKey: ComplianceRule = {
  id: 'ECR-ENCRYPTED-CMK',
  description:
    'ECR repositories must be encrypted with a customer-managed KMS key: AES256 (SSE-S3) and the AWS-managed aws/ecr key give no control over the key policy, and encryption cannot be changed after creation.',
  severity: 'error',
  check(resourceType, attributes) {
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
    return compliant('encrypted with a customer-managed KMS key');
  },
};

export const kmsKeyRotationEnabled: ComplianceRule = {
  id: 'KMS-ROTATION',
  description: 'Customer-managed keys must rotate their key material yearly.',
  severity: 'error',
  check(resourceType, attributes) {
    if (resourceType !== 'aws_kms_key') return notApplicable('not a KMS key');
    return attributes.enable_key_rotation === true ? compliant('rotation is on') : nonCompliant('enable_key_rotation is not true');
  },
};

export const ecrScanOnPushEnabled: ComplianceRule = {
  id: 'ECR-SCAN-ON-PUSH',
  description: 'Images should be scanned for vulnerabilities when pushed (financial-services guidance, seed 004).',
  severity: 'warning',
  check(resourceType, attributes) {
    if (resourceType !== 'aws_ecr_repository') return notApplicable('not an ECR repository');
    const scanning = firstBlock(attributes.image_scanning_configuration);
    return scanning?.scan_on_push === true ? compliant('scan on push is on') : nonCompliant('image_scanning_configuration.scan_on_push is not true');
  },
};

export const COMPLIANCE_RULES: readonly ComplianceRule[] = [ecrEncryptedWithCustomerManagedKey, kmsKeyRotationEnabled, ecrScanOnPushEnabled];

/**
 * The instances of a synthesized resource: one per `for_each` key, with
 * `${each.key}` and `${each.value...}` references replaced by the key's values.
 */
export function expandInstances(attributes: Readonly<Record<string, unknown>>): { key?: string; attributes: Record<string, unknown> }[] {
  const forEach = attributes.for_each;
  const { for_each: _forEach, ...rest } = attributes;
  if (typeof forEach !== 'object' || forEach === null) return [{ attributes: { ...rest } }];
  return Object.entries(forEach as Record<string, unknown>).map(([key, value]) => ({
    key,
    attributes: substituteEach(rest, key, value) as Record<string, unknown>,
  }));
}

function substituteEach(node: unknown, key: string, value: unknown): unknown {
  if (typeof node === 'string') {
    if (node === '${each.key}') return key;
    if (node === '${each.value}') return value;
    const path = /^\$\{each\.value\.([A-Za-z0-9_.]+)\}$/.exec(node);
    if (path) return path[1].split('.').reduce<unknown>((current, part) => (current as Record<string, unknown> | undefined)?.[part], value);
    return node;
  }
  if (Array.isArray(node)) return node.map((item) => substituteEach(item, key, value));
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([name, child]) => [name, substituteEach(child, key, value)]));
  }
  return node;
}

export interface Finding {
  readonly rule: ComplianceRule;
  readonly address: string;
  readonly result: RuleResult;
}

/** Every non-compliant finding in a synthesized stack (`cdk.tf.json` parsed). */
export function auditSynthesizedStack(
  stack: { resource?: Record<string, Record<string, Record<string, unknown>>> },
  rules: readonly ComplianceRule[] = COMPLIANCE_RULES,
): Finding[] {
  const findings: Finding[] = [];
  for (const [type, resources] of Object.entries(stack.resource ?? {})) {
    for (const [name, attributes] of Object.entries(resources)) {
      for (const instance of expandInstances(attributes)) {
        const address = instance.key === undefined ? `${type}.${name}` : `${type}.${name}[${JSON.stringify(instance.key)}]`;
        for (const rule of rules) {
          const result = rule.check(type, instance.attributes);
          if (result.status === 'non-compliant') findings.push({ rule, address, result });
        }
      }
    }
  }
  return findings;
}
