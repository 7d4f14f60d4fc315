/**
 * The principals a key policy or repository policy may name, each rule with
 * the one message that explains it. The config reports these messages at a
 * field path, the constructs throw them, and the Terraform modules validate
 * their inputs with the same patterns (every pattern here is RE2-compatible:
 * no lookaround, no backreference, so Terraform's `regex()` reads it as
 * JavaScript does).
 */

/** The wildcard principal: anyone, in any AWS account. Never accepted. */
export const WILDCARD_PRINCIPAL = '*';

/** IAM principals a policy may name: the account root, users, roles, assumed-role sessions. */
export const PRINCIPAL_ARN_PATTERN =
  /^arn:(aws|aws-us-gov|aws-cn):(iam::\d{12}:(root|user\/[\w+=,.@/-]{1,512}|role\/[\w+=,.@/-]{1,512})|sts::\d{12}:assumed-role\/[\w+=,.@-]{1,64}\/[\w+=,.@-]{1,64})$/;

/** An IAM role: what a provider assumes and what ECR assumes for creation templates. */
export const ROLE_ARN_PATTERN = /^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

const EXAMPLE_PRINCIPAL = 'arn:aws:iam::111111111111:role/platform-admin';
export const EXAMPLE_ROLE_ARN = 'arn:aws:iam::111111111111:role/ecr-replication-deployer';

export const PRINCIPAL_RULES = {
  wildcard: `must not be the wildcard principal "${WILDCARD_PRINCIPAL}" (anyone, in any AWS account): name the IAM roles or users instead, e.g. ${EXAMPLE_PRINCIPAL}`,
  arn: `must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. ${EXAMPLE_PRINCIPAL})`,
} as const;

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
