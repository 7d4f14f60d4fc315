/**
 * AWS account ids and the IAM principals a key policy or a repository policy
 * may name, each rule with the one message that explains it. The config
 * reports them at a field path (`accounts.build.id`), a construct at its prop
 * (`registry.accountId`), and the Terraform modules validate their inputs
 * with the same patterns and messages (every pattern here is RE2-compatible:
 * no lookaround, no backreference, so Terraform's `regex()` reads it as
 * JavaScript does).
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

/** The wildcard principal: anyone, in any AWS account. Never accepted. */
export const WILDCARD_PRINCIPAL = '*';

/**
 * IAM principals a key or repository policy may name: an account root, a user,
 * a role or an assumed-role session. Never `*` or a wildcard inside the ARN: a
 * policy naming everyone would let any AWS account use the key or the images.
 */
export const PRINCIPAL_ARN_PATTERN =
  /^arn:(aws|aws-us-gov|aws-cn):(iam::\d{12}:(root|user\/[\w+=,.@/-]{1,512}|role\/[\w+=,.@/-]{1,512})|sts::\d{12}:assumed-role\/[\w+=,.@-]{1,64}\/[\w+=,.@-]{1,64})$/;

/** An IAM role: what a provider assumes and what ECR assumes for creation templates. */
export const ROLE_ARN_PATTERN = /^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

const EXAMPLE_PRINCIPAL = 'arn:aws:iam::111111111111:role/platform-admin';
/** The role ARN the messages give as an example. */
export const EXAMPLE_ROLE_ARN = 'arn:aws:iam::111111111111:role/ecr-replication-deployer';

/** The principal rules as messages: the wildcard, then the ARN form. */
export const PRINCIPAL_RULES = {
  /** `*` itself. */
  wildcard: `must not be the wildcard principal "${WILDCARD_PRINCIPAL}" (anyone, in any AWS account): name the IAM roles or users instead, e.g. ${EXAMPLE_PRINCIPAL}`,
  /** Anything else that is not a principal ARN. */
  arn: `must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. ${EXAMPLE_PRINCIPAL})`,
} as const;

/** The role-ARN rule as one message. */
export const ROLE_ARN_RULE = `must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<name> (e.g. ${EXAMPLE_ROLE_ARN})`;

/** The rule a principal breaks, or undefined: the wildcard first (it would make the policy public), then the ARN form. */
export function principalArnProblem(principal: string): string | undefined {
  if (principal === WILDCARD_PRINCIPAL) return PRINCIPAL_RULES.wildcard;
  return PRINCIPAL_ARN_PATTERN.test(principal) ? undefined : PRINCIPAL_RULES.arn;
}

/** The rule a role ARN breaks, or undefined. */
export function roleArnProblem(roleArn: string): string | undefined {
  return ROLE_ARN_PATTERN.test(roleArn) ? undefined : ROLE_ARN_RULE;
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
