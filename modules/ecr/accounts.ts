/** AWS account ids, with the one message that explains the rule (RE2-compatible pattern, see policies/principals.ts). */

/** A 12-digit AWS account id. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

export const ACCOUNT_ID_RULE = 'must be a 12-digit AWS account id in quotes, e.g. "111111111111"';

/** The rule an account id breaks, or undefined. */
export function accountIdProblem(accountId: string): string | undefined {
  return ACCOUNT_ID_PATTERN.test(accountId) ? undefined : ACCOUNT_ID_RULE;
}
