/** A repository policy that lets named principals pull and/or push. */
import { policyDocument, PolicyDocument, PolicyStatement, sortedUnique } from './policy-document';

export const PULL_ACTIONS: readonly string[] = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
export const PUSH_ACTIONS: readonly string[] = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:CompleteLayerUpload',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

export interface RepositoryAccess {
  readonly pullPrincipals: readonly string[];
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
