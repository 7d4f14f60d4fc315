/**
 * The app's names and descriptions for what the library constructs create.
 * The constructs take these as props; the app chooses them here, once.
 */

/** The project's name in session names and descriptions. */
export const PROJECT_NAME = 'ecr-kms-replication';

/**
 * Provider default tag naming the stack that created a resource. The key (tags
 * given at CreateKey), the repositories and the template role carry it from
 * their creation call, so after an interrupted apply the next deploy can tell
 * what this stack created (adopt it) from what another stack's state owns
 * (refuse: an account renamed without moving its state) by asking AWS, not
 * files of the machine that runs it (tools/recovery/).
 */
export const STACK_TAG = `${PROJECT_NAME}:stack`;

/** Session name of the provider's assumed deployment role (shows in CloudTrail). */
export const DEPLOY_SESSION_NAME = PROJECT_NAME;

/** The HCP Terraform workspace of a stack: `<workspacePrefix><stack name>`. */
export function cloudWorkspaceName(workspacePrefix: string, stackName: string): string {
  return `${workspacePrefix}${stackName}`;
}

/** Session name of the S3 backend's assumed state role. */
export const STATE_SESSION_NAME = `${PROJECT_NAME}-state`;

export function keyDescription(accountId: string, region: string): string {
  return `ECR repositories of account ${accountId} in ${region} (${PROJECT_NAME})`;
}

export function namespaceKeyDescription(accountId: string, region: string, namespace: string): string {
  return `ECR repositories of namespace ${namespace} in account ${accountId} in ${region} (${PROJECT_NAME})`;
}

/** The name of the role ECR assumes for a region's templates (IAM names are per account, so per region). */
export function creationTemplateRoleName(region: string): string {
  return `ecr-replication-templates-${region}`;
}

export function creationTemplateRoleDescription(region: string): string {
  return `Assumed by ECR to create replicated repositories encrypted with the registry key in ${region}`;
}

export const CREATION_TEMPLATE_DESCRIPTION = `Replicated repositories: encrypted with the registry key, immutable tags (${PROJECT_NAME})`;
