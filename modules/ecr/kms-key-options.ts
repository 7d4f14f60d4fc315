/**
 * The settings of a customer-managed key that KMS constrains: its alias, its
 * automatic rotation period and whether it is a multi-Region key, each rule
 * with the one message that explains it. The config, the constructs and the
 * Terraform modules (kms-key) check them with these patterns and messages;
 * the patterns are RE2-compatible (Terraform's `regex()`), and the one rule
 * RE2 cannot say as a pattern (the reserved `alias/aws/` prefix) is a
 * separate check beside it.
 */

/** `alias/<name>`: letters, digits, "/", "_" and "-", at most 250 after `alias/` (RE2 and JavaScript). */
export const KMS_ALIAS_NAME_PATTERN = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
/** Aliases AWS reserves for its own keys (`alias/aws/ecr`). */
export const RESERVED_KMS_ALIAS_PREFIX = 'alias/aws/';
/** Both rules as one pattern, for the JSON Schema (JavaScript and JSON Schema read the lookahead; RE2 does not). */
export const KMS_ALIAS_PATTERN = /^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/;

export const KMS_ALIAS_RULE = `must be alias/<name> with letters, digits, "/", "_" or "-" (at most 250 after alias/), not under ${RESERVED_KMS_ALIAS_PREFIX} (reserved by AWS)`;

/** The rule an alias breaks, or undefined. */
export function kmsAliasProblem(alias: string): string | undefined {
  return KMS_ALIAS_NAME_PATTERN.test(alias) && !alias.startsWith(RESERVED_KMS_ALIAS_PREFIX) ? undefined : KMS_ALIAS_RULE;
}

/** The automatic rotation period KMS accepts (`RotationPeriodInDays`); KMS rotates yearly (365) when none is given. */
export const KEY_ROTATION_PERIOD = { min: 90, max: 2560, kmsDefault: 365 } as const;

export const ROTATION_PERIOD_RULE = `must be a whole number of days from ${KEY_ROTATION_PERIOD.min} to ${KEY_ROTATION_PERIOD.max} (KMS automatic rotation period): leave it unset for KMS's default of ${KEY_ROTATION_PERIOD.kmsDefault} days`;

/** The rule a rotation period breaks, or undefined. */
export function rotationPeriodProblem(days: number): string | undefined {
  return Number.isInteger(days) && days >= KEY_ROTATION_PERIOD.min && days <= KEY_ROTATION_PERIOD.max ? undefined : ROTATION_PERIOD_RULE;
}

/**
 * A multi-Region key (`mrk-` id) can be replicated into other regions with
 * the same key material; ECR uses it like any key of its region, so every
 * registry still gets a key of its own. The setting is fixed when the key is
 * created: KMS cannot convert a key, so a change creates a new key, and the
 * repositories encrypted with the old one cannot be re-keyed.
 */
export const MULTI_REGION_RULE =
  'is fixed when the key is created: changing it creates a new key, and repositories encrypted with the old one cannot be re-keyed (encryption cannot change after creation): keep the value the key was created with';
