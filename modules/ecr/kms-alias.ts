/**
 * KMS alias names: the rule the config, `EcrEncryptionKey` and the kms-key
 * Terraform module share. The name pattern is RE2-compatible (Terraform's
 * `regex()`); the one rule RE2 cannot say as a pattern (the reserved
 * `alias/aws/` prefix) is a separate check beside it, and `KMS_ALIAS_PATTERN`
 * says both for JavaScript and the JSON Schema.
 */

/** `alias/<name>`: letters, digits, "/", "_" and "-", at most 250 after `alias/` (RE2 and JavaScript). */
export const KMS_ALIAS_NAME_PATTERN = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
/** Aliases AWS reserves for its own keys (`alias/aws/ecr`). */
export const RESERVED_KMS_ALIAS_PREFIX = 'alias/aws/';
/** Both rules as one pattern, for the JSON Schema (JavaScript and JSON Schema read the lookahead; RE2 does not). */
export const KMS_ALIAS_PATTERN = /^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/;

/** The alias rule as one message. */
export const KMS_ALIAS_RULE = `must be alias/<name> with letters, digits, "/", "_" or "-" (at most 250 after alias/), not under ${RESERVED_KMS_ALIAS_PREFIX} (reserved by AWS)`;

/** The alias rule, or undefined for an alias a customer-managed key may have. */
export function kmsAliasProblem(alias: string): string | undefined {
  return KMS_ALIAS_NAME_PATTERN.test(alias) && !alias.startsWith(RESERVED_KMS_ALIAS_PREFIX) ? undefined : KMS_ALIAS_RULE;
}
