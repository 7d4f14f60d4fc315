/**
 * AWS account ids and the IAM principals a key policy or a repository policy
 * may name, each rule with the one message that explains it. The config
 * reports them at a field path (`accounts.build.id`), a construct at its prop
 * (`registry.accountId`).
 */
import { Partition, partitionOfArn } from './regions';

/** An AWS account id: exactly 12 digits. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** The account-id rule as one message. */
export const ACCOUNT_ID_RULE = 'must be a 12-digit AWS account id in quotes, e.g. "111111111111"';

/** The account-id rule, or undefined for a valid id. */
export function accountIdProblem(accountId: string): string | undefined {
  return ACCOUNT_ID_PATTERN.test(accountId) ? undefined : ACCOUNT_ID_RULE;
}

/**
 * IAM principals a key or repository policy may name: an account root, a user,
 * a role or an assumed-role session. Never `*` or a wildcard inside the ARN: a
 * policy naming everyone would let any AWS account use the key or the images.
 */
export const PRINCIPAL_ARN_PATTERN =
  /^arn:(aws|aws-us-gov|aws-cn):(iam::\d{12}:(root|user\/[\w+=,.@/-]{1,512}|role\/[\w+=,.@/-]{1,512})|sts::\d{12}:assumed-role\/[\w+=,.@-]{1,64}\/[\w+=,.@-]{1,64})$/;

/** The principal rule as one message. */
export const PRINCIPAL_ARN_RULE =
  'must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. arn:aws:iam::111111111111:role/platform-admin)';

/** The principal rule, or undefined for a principal ARN a policy may name. */
export function principalArnProblem(arn: string): string | undefined {
  return PRINCIPAL_ARN_PATTERN.test(arn) ? undefined : PRINCIPAL_ARN_RULE;
}

/**
 * An ARN names a resource or principal of one partition, and accounts and
 * policies do not cross partitions: undefined when `arn` is in `expected` (or
 * is not an ARN), else the rule with the corrected ARN. `subject` says what
 * is in `expected`, e.g. `the registries are`.
 */
export function arnPartitionProblem(arn: string, expected: Partition, subject: string): string | undefined {
  const partition = partitionOfArn(arn);
  if (partition === undefined || partition === expected) return undefined;
  return `ARN is in partition ${partition} but ${subject} in ${expected}: use arn:${expected}:${arn.slice(`arn:${partition}:`.length)}`;
}
