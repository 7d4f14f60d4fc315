/** Pieces several modules share. */
import { quoteLiteral } from '../../hcl/hcl-writer';

/** A JavaScript regular expression as an HCL string for `regex()` (RE2 reads these patterns the same way). */
export function hclRegex(pattern: RegExp): string {
  return quoteLiteral(pattern.source);
}

/** A KMS key ARN (not an alias): `arn:<partition>:kms:<region>:<account>:key/<id>`. */
export const KMS_KEY_ARN_CONDITION = (reference: string): string =>
  `can(regex("^arn:aws(-us-gov|-cn)?:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", ${reference}))`;

export const KMS_KEY_ARN_MESSAGE =
  'The kms_key_arn must be the ARN of a customer-managed KMS key, arn:<partition>:kms:<region>:<account>:key/<id> (not an alias, not aws/ecr): create one with module kms-key.';

/** A list of strings as an HCL tuple literal, for conditions. */
export function hclStringList(values: readonly string[]): string {
  return `[${values.map(quoteLiteral).join(', ')}]`;
}
