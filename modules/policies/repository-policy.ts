/** A repository policy that lets named principals pull and/or push. */
import { policyDocument, PolicyDocument, PolicyStatement, sortedUnique } from './policy-document';

/** What a principal needs to pull images (aws-cdk's `grantPull`, without the account-level `ecr:GetAuthorizationToken`). */
export const PULL_ACTIONS: readonly string[] = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
/** What a principal needs to push images (aws-cdk's `grantPush`). */
export const PUSH_ACTIONS: readonly string[] = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:CompleteLayerUpload',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

/** Who may pull and who may push. */
export interface RepositoryAccess {
  /** IAM principal ARNs that may pull. */
  readonly pullPrincipals: readonly string[];
  /** IAM principal ARNs that may push. */
  readonly pushPrincipals: readonly string[];
}

/** undefined when nobody is named: the repository then has no policy. */
export function repositoryAccessPolicy(access: RepositoryAccess): PolicyDocument | undefined {
  const statements: PolicyStatement[] = [];
  const pull = sortedUnique(access.pullPrincipals);
  const push = sortedUnique(access.pushPrincipals);
  if (pull.length > 0) statements.push({ Sid: 'AllowPull', Effect: 'Allow', Principal: { AWS: pull }, Action: PULL_ACTIONS });
  if (push.length > 0) statements.push({ Sid: 'AllowPush', Effect: 'Allow', Principal: { AWS: push }, Action: PUSH_ACTIONS });
  return statements.length > 0 ? policyDocument(statements) : undefined;
}
