/**
 * The compliance rules (one per file under rules/, like cdk-nag) and their
 * application to a synthesized stack. The synth-time ComplianceAspect, the
 * static audit and the live audit apply the same list.
 */
import { ComplianceRule, ResourceInstance, RuleContext, RuleResult } from './rule';
import { ComplianceSuppression, recordedSuppressions, suppressionOf } from './suppression';
import { resourceInstances, TerraformResources } from './terraform-instances';
import { ecrEncryptedWithCustomerManagedKey } from './rules/ecr-encrypted-with-customer-managed-key';
import { ecrLifecyclePolicy } from './rules/ecr-lifecycle-policy';
import { ecrNoPublicPolicy } from './rules/ecr-no-public-policy';
import { ecrRegistryPolicyScoped } from './rules/ecr-registry-policy-scoped';
import { ecrRegistryScanning } from './rules/ecr-registry-scanning';
import { ecrScanOnPushEnabled } from './rules/ecr-scan-on-push';
import { ecrTagImmutability } from './rules/ecr-tag-immutability';
import { kmsKeyRotationEnabled } from './rules/kms-key-rotation';
import { kmsNoWildcardPrincipal } from './rules/kms-no-wildcard-principal';

export * from './rule';
export { expandInstances, instanceAddress, resourceInstances } from './terraform-instances';
export { ecrEncryptedWithCustomerManagedKey, isCustomerManagedKeyReference } from './rules/ecr-encrypted-with-customer-managed-key';
export { ecrLifecyclePolicy } from './rules/ecr-lifecycle-policy';
export { ecrNoPublicPolicy } from './rules/ecr-no-public-policy';
export { ecrRegistryPolicyScoped } from './rules/ecr-registry-policy-scoped';
export { ecrRegistryScanning, scanningFilterCoversPrefix, scanningFilterMatches } from './rules/ecr-registry-scanning';
export { ecrScanOnPushEnabled } from './rules/ecr-scan-on-push';
export { ecrTagImmutability } from './rules/ecr-tag-immutability';
export { kmsKeyRotationEnabled } from './rules/kms-key-rotation';
export { kmsNoWildcardPrincipal } from './rules/kms-no-wildcard-principal';

/** Every compliance rule the synth-time aspect and the audits apply, in report order. */
export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  ecrEncryptedWithCustomerManagedKey,
  kmsKeyRotationEnabled,
  kmsNoWildcardPrincipal,
  ecrScanOnPushEnabled,
  ecrRegistryScanning,
  ecrTagImmutability,
  ecrLifecyclePolicy,
  ecrNoPublicPolicy,
  ecrRegistryPolicyScoped,
];

/** A rule a resource instance breaks. */
export interface Finding {
  /** The rule broken. */
  readonly rule: ComplianceRule;
  /** The instance's Terraform address, with its `for_each` key. */
  readonly address: string;
  /** Why the instance breaks the rule. */
  readonly result: RuleResult;
  /** The suppression the resource records for this rule and instance (see `ComplianceSuppressions`), if any. */
  readonly suppression?: ComplianceSuppression;
}

/**
 * Every non-compliant finding among resource instances that share a context
 * (a stack, a registry), each with the suppression its resource records, if any.
 */
export function checkInstances(instances: readonly ResourceInstance[], context: RuleContext, rules: readonly ComplianceRule[] = COMPLIANCE_RULES): Finding[] {
  const findings: Finding[] = [];
  for (const instance of instances) {
    const suppressions = recordedSuppressions(instance.attributes);
    for (const rule of rules) {
      const result = rule.check(instance.type, instance.attributes, context);
      if (result.status !== 'non-compliant') continue;
      const suppression = suppressionOf(suppressions, rule.id, instance.key);
      findings.push(suppression === undefined ? { rule, address: instance.address, result } : { rule, address: instance.address, result, suppression });
    }
  }
  return findings;
}

/** Every non-compliant finding in a synthesized stack (`cdk.tf.json` parsed), suppressed ones marked. */
export function auditSynthesizedStack(stack: { resource?: TerraformResources }, rules: readonly ComplianceRule[] = COMPLIANCE_RULES): Finding[] {
  const instances = resourceInstances(stack.resource);
  return checkInstances(instances, { origin: 'terraform', resources: instances }, rules);
}
