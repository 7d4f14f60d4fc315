/**
 * A suppression as data: what it says, how a synthesized resource records it
 * in its `"//"` comment, and whether it covers a finding. Shared by the
 * `ComplianceAspect` (synth) and the static audit (synthesized output).
 */

/** One accepted finding: which rule, why, and optionally which `for_each` instances. */
export interface ComplianceSuppression {
  /** The rule's id, e.g. `ECR-TAG-IMMUTABLE` (README, "Compliance"). */
  readonly id: string;
  /** Why the finding is accepted; shown by the synth and the audit. Required, not blank. */
  readonly reason: string;
  /** Only these `for_each` keys (repository names, template prefixes). @default - every instance of the resources */
  readonly instances?: readonly string[];
}

/** The key of the resource comment (`"//"`) that holds a resource's suppressions in Terraform JSON. */
export const SUPPRESSIONS_COMMENT_KEY = 'compliance_suppressions';

/** The suppression of a finding of `ruleId` on the instance `key` (undefined: no for_each), or undefined. */
export function suppressionOf(suppressions: readonly ComplianceSuppression[], ruleId: string, key: string | undefined): ComplianceSuppression | undefined {
  return suppressions.find(
    (suppression) => suppression.id === ruleId && (suppression.instances === undefined || (key !== undefined && suppression.instances.includes(key))),
  );
}

/** The suppressions a synthesized resource records in its `"//"` comment (malformed entries are ignored). */
export function recordedSuppressions(attributes: Readonly<Record<string, unknown>>): ComplianceSuppression[] {
  const comment = attributes['//'];
  if (typeof comment !== 'object' || comment === null) return [];
  const list = (comment as Record<string, unknown>)[SUPPRESSIONS_COMMENT_KEY];
  if (!Array.isArray(list)) return [];
  return list.filter(
    (entry): entry is ComplianceSuppression =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as ComplianceSuppression).id === 'string' &&
      typeof (entry as ComplianceSuppression).reason === 'string' &&
      ((entry as ComplianceSuppression).instances === undefined || Array.isArray((entry as ComplianceSuppression).instances)),
  );
}
