/**
 * `check --live`: before a deploy, ask IAM whether every principal the config
 * names exists. On AWS, KMS refuses a key policy and ECR a repository policy
 * that names a principal that does not exist, but only at apply time, part
 * way through a deployment. Each account is asked through its own deployment
 * role (IAM answers for the caller's account only), at the config's endpoint.
 */
import { GetRoleCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { ConfigPath, ConfigProblem } from '../../config/problems';
import { Config } from '../../config/schema';
import { registryClients, RegistryTarget } from '../../tools/recovery/aws-session';

export interface PrincipalReference {
  readonly path: ConfigPath;
  readonly arn: string;
}

/** Every principal ARN of the config, with where it is named. */
export function principalReferences(config: Config): PrincipalReference[] {
  const references: PrincipalReference[] = [];
  for (const [name, account] of Object.entries(config.accounts)) {
    if (account.deployRoleArn) references.push({ path: ['accounts', name, 'deployRoleArn'], arn: account.deployRoleArn });
    account.keyAdministrators.forEach((arn, index) => references.push({ path: ['accounts', name, 'keyAdministrators', index], arn }));
    account.keyUsers.forEach((arn, index) => references.push({ path: ['accounts', name, 'keyUsers', index], arn }));
  }
  config.repositories.forEach((repository, index) => {
    repository.pullPrincipals.forEach((arn, arnIndex) => references.push({ path: ['repositories', index, 'pullPrincipals', arnIndex], arn }));
    repository.pushPrincipals.forEach((arn, arnIndex) => references.push({ path: ['repositories', index, 'pushPrincipals', arnIndex], arn }));
  });
  return references;
}

/** What IAM is asked for a principal ARN: a role, a user, or nothing (an account root). */
export function iamEntityOf(arn: string): { kind: 'role' | 'user'; name: string } | undefined {
  const resource = arn.split(':').slice(5).join(':');
  if (resource.startsWith('role/')) return { kind: 'role', name: resource.split('/').pop()! };
  if (resource.startsWith('user/')) return { kind: 'user', name: resource.split('/').pop()! };
  if (resource.startsWith('assumed-role/')) return { kind: 'role', name: resource.split('/')[1] };
  return undefined;
}

export interface LiveCheckResult {
  readonly errors: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];
}

export type IamClientFactory = (target: RegistryTarget) => Promise<IAMClient>;

const defaultFactory: IamClientFactory = async (target) => (await registryClients(target)).iam;
const errorName = (error: unknown): string => (error as { name?: string } | undefined)?.name ?? String(error);

/** Asks IAM about each distinct principal once, through the deployment role of the principal's account. */
export async function livePrincipalProblems(config: Config, iamFor: IamClientFactory = defaultFactory): Promise<LiveCheckResult> {
  const errors: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  // IAM is global within a partition: any region of the config reaches it.
  const region = config.sources[0].region;
  const accountsById = new Map(Object.values(config.accounts).map((account) => [account.id, account]));
  const clients = new Map<string, Promise<IAMClient>>();
  const answers = new Map<string, Promise<'exists' | 'missing' | string>>();

  const ask = (accountId: string, entity: { kind: 'role' | 'user'; name: string }): Promise<'exists' | 'missing' | string> => {
    const account = accountsById.get(accountId)!;
    if (!clients.has(accountId)) {
      clients.set(accountId, iamFor({ accountId, region, deployRoleArn: account.deployRoleArn, endpoint: config.endpoint?.url }));
    }
    return clients.get(accountId)!.then(
      async (iam) => {
        try {
          if (entity.kind === 'role') await iam.send(new GetRoleCommand({ RoleName: entity.name }));
          else await iam.send(new GetUserCommand({ UserName: entity.name }));
          return 'exists';
        } catch (error) {
          return errorName(error) === 'NoSuchEntityException' ? 'missing' : `IAM said ${errorName(error)}`;
        }
      },
      (error: unknown) => `no credentials for account ${accountId}: ${error instanceof Error ? error.message : String(error)}`,
    );
  };

  for (const { path, arn } of principalReferences(config)) {
    const entity = iamEntityOf(arn);
    if (!entity) continue; // an account root: nothing to ask IAM
    const accountId = arn.split(':')[4];
    if (!accountsById.has(accountId)) {
      warnings.push({
        path,
        received: arn,
        message: `not checked: account ${accountId} is not in the config, so there is no role to ask IAM with; make sure the ${entity.kind} exists before deploying`,
      });
      continue;
    }
    if (!answers.has(arn)) answers.set(arn, ask(accountId, entity));
    const answer = await answers.get(arn)!;
    if (answer === 'missing') {
      errors.push({
        path,
        received: arn,
        message: `no ${entity.kind} "${entity.name}" exists in account ${accountId}: KMS refuses a key policy, and ECR a repository policy, that names a missing principal, part way through a deploy; create the ${entity.kind} first or fix the ARN`,
      });
    } else if (answer !== 'exists') {
      warnings.push({ path, received: arn, message: `not checked (${answer}): make sure the ${entity.kind} exists before deploying` });
    }
  }
  return { errors, warnings };
}
