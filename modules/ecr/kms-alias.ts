/** KMS alias names: the rule the config and `EcrEncryptionKey` share. */

/** `alias/<name>`, at most 250 characters after `alias/`, never under `alias/aws/` (AWS-managed keys). */
export const KMS_ALIAS_PATTERN = /^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/;

/** The alias rule as one message. */
export const KMS_ALIAS_RULE = 'must be alias/<name> with letters, digits, "/", "_" or "-" (at most 250 after alias/), not under alias/aws/ (reserved by AWS)';

/** The alias rule, or undefined for an alias a customer-managed key may have. */
export function kmsAliasProblem(alias: string): string | undefined {
  return KMS_ALIAS_PATTERN.test(alias) ? undefined : KMS_ALIAS_RULE;
}
