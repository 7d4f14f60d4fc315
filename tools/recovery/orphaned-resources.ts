/**
 * Recovery after an interrupted apply (SIGKILL, a lost CI runner): Terraform
 * had created resources but not yet recorded them in the state. The next
 * apply then creates a second key (the first one, unaliased, is never
 * deleted) or fails with "already exists" on repositories, the alias, the
 * creation-template role or templates.
 *
 * For one synthesized stack this finds what the project creates in the
 * stack's account and region (the key by its description, the alias by its
 * name, repositories, the role and templates by name), subtracts what the
 * state records, and turns the rest into `import` blocks (for_each addresses
 * included) and, for a key nothing points at, the `schedule-key-deletion`
 * command. After the imports are applied, apply converges.
 */
import { DescribeRepositoriesCommand, DescribeRepositoryCreationTemplatesCommand, Repository } from '@aws-sdk/client-ecr';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KeyMetadata, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { forEachKeys } from '../change-report/synthesized-output';
import { RegistryClients, RegistryTarget } from './aws-session';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Terraform JSON, walked defensively
type Json = any;

interface Named {
  /** `<type>.<name>` */
  readonly address: string;
}

/** What a synthesized stack manages that an interrupted apply can leave behind. */
export interface StackResources {
  readonly stackName: string;
  readonly target: RegistryTarget;
  /** `aws.<alias>`: the provider every resource of the stack uses. */
  readonly provider?: string;
  readonly key?: Named & { readonly description: string };
  readonly alias?: Named & { readonly name: string };
  readonly repositories?: Named & { readonly names: readonly string[] };
  readonly role?: Named & { readonly name: string };
  readonly templates?: Named & { readonly prefixes: readonly string[] };
}

const entriesOf = (json: Json, type: string): [string, Json][] => Object.entries(json?.resource?.[type] ?? {});
const only = (json: Json, type: string): [string, Json] | undefined => entriesOf(json, type)[0];

/** Reads the stack's resources, registry and provider settings from its cdk.tf.json. */
export function stackResourcesOf(stackName: string, json: Json): StackResources {
  const provider = json?.provider?.aws?.[0] ?? {};
  const key = only(json, 'aws_kms_key');
  const alias = only(json, 'aws_kms_alias');
  const repositories = only(json, 'aws_ecr_repository');
  const role = only(json, 'aws_iam_role');
  const templates = only(json, 'aws_ecr_repository_creation_template');
  const endpoint = provider.endpoints?.[0]?.ecr;
  return {
    stackName,
    target: {
      accountId: String(provider.allowed_account_ids?.[0] ?? ''),
      region: String(provider.region ?? ''),
      deployRoleArn: provider.assume_role?.[0]?.role_arn,
      endpoint: typeof endpoint === 'string' ? endpoint : undefined,
    },
    provider: typeof key?.[1]?.provider === 'string' ? key[1].provider : undefined,
    key: key && { address: `aws_kms_key.${key[0]}`, description: String(key[1].description) },
    alias: alias && { address: `aws_kms_alias.${alias[0]}`, name: String(alias[1].name) },
    repositories: repositories && { address: `aws_ecr_repository.${repositories[0]}`, names: forEachKeys(repositories[1].for_each).sort() },
    role: role && { address: `aws_iam_role.${role[0]}`, name: String(role[1].name) },
    templates: templates && { address: `aws_ecr_repository_creation_template.${templates[0]}`, prefixes: forEachKeys(templates[1].for_each).sort() },
  };
}

/** What the state records: instance addresses, and the id of the recorded key. */
export interface StateRecord {
  readonly addresses: ReadonlySet<string>;
  readonly keyIds: ReadonlyMap<string, string>;
}

/** From `terraform show -json` (an empty state has no `values`). */
export function stateRecordOf(showJson: Json): StateRecord {
  const resources: Json[] = showJson?.values?.root_module?.resources ?? [];
  const managed = resources.filter((resource) => resource.mode === 'managed');
  return {
    addresses: new Set(managed.map((resource) => String(resource.address))),
    keyIds: new Map(
      managed.filter((resource) => resource.type === 'aws_kms_key').map((resource) => [String(resource.address), String(resource.values?.key_id)]),
    ),
  };
}

export interface FoundKey {
  readonly keyId: string;
  readonly arn: string;
  readonly creationDate?: Date;
}

/** What exists in the account and region, limited to what the stack would create. */
export interface FoundResources {
  /** Customer-managed keys, not pending deletion, with the stack key's description. */
  readonly keys: readonly FoundKey[];
  /** Target key id of the stack's alias, when the alias exists. */
  readonly aliasTarget?: string;
  /** Existing repositories the stack manages, with the key each is encrypted with. */
  readonly repositories: ReadonlyMap<string, string | undefined>;
  readonly roleExists: boolean;
  readonly templatePrefixes: readonly string[];
}

const errorName = (error: unknown): string | undefined => (error as { name?: string } | undefined)?.name;

/** Lists the project's resources in the stack's account and region. */
export async function findResources(resources: StackResources, clients: RegistryClients): Promise<FoundResources> {
  const keys: FoundKey[] = [];
  if (resources.key) {
    let marker: string | undefined;
    do {
      const page = await clients.kms.send(new ListKeysCommand({ Marker: marker }));
      for (const entry of page.Keys ?? []) {
        const metadata: KeyMetadata | undefined = (await clients.kms.send(new DescribeKeyCommand({ KeyId: entry.KeyId }))).KeyMetadata;
        if (!metadata?.KeyId || !metadata.Arn || metadata.KeyManager !== 'CUSTOMER' || metadata.Description !== resources.key.description) continue;
        if (metadata.KeyState === 'PendingDeletion' || metadata.KeyState === 'PendingReplicaDeletion') continue;
        keys.push({ keyId: metadata.KeyId, arn: metadata.Arn, creationDate: metadata.CreationDate });
      }
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
  }
  let aliasTarget: string | undefined;
  if (resources.alias) {
    let marker: string | undefined;
    do {
      const page = await clients.kms.send(new ListAliasesCommand({ Marker: marker }));
      aliasTarget ??= page.Aliases?.find((alias) => alias.AliasName === resources.alias!.name)?.TargetKeyId;
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
  }
  const repositories = new Map<string, string | undefined>();
  if (resources.repositories) {
    const wanted = new Set(resources.repositories.names);
    let nextToken: string | undefined;
    do {
      const page = await clients.ecr.send(new DescribeRepositoriesCommand({ registryId: resources.target.accountId, nextToken }));
      for (const repository of page.repositories ?? ([] as Repository[])) {
        if (repository.repositoryName && wanted.has(repository.repositoryName))
          repositories.set(repository.repositoryName, repository.encryptionConfiguration?.kmsKey);
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  let roleExists = false;
  if (resources.role) {
    try {
      roleExists = (await clients.iam.send(new GetRoleCommand({ RoleName: resources.role.name }))).Role !== undefined;
    } catch (error) {
      if (errorName(error) !== 'NoSuchEntityException') throw error;
    }
  }
  let templatePrefixes: string[] = [];
  if (resources.templates && resources.templates.prefixes.length > 0) {
    const found = await clients.ecr.send(new DescribeRepositoryCreationTemplatesCommand({ prefixes: [...resources.templates.prefixes] }));
    templatePrefixes = (found.repositoryCreationTemplates ?? []).flatMap((template) => (template.prefix ? [template.prefix] : []));
  }
  return { keys, aliasTarget, repositories, roleExists, templatePrefixes };
}

export interface ImportBlock {
  readonly to: string;
  readonly id: string;
  readonly provider?: string;
}

export interface KeyToDelete {
  readonly key: FoundKey;
  readonly reason: string;
}

export interface RecoveryPlan {
  readonly stackName: string;
  readonly target: RegistryTarget;
  readonly imports: readonly ImportBlock[];
  readonly keysToDelete: readonly KeyToDelete[];
  /** Orphans left alone on purpose, with the reason. */
  readonly notes: readonly string[];
}

const arnOrId = (key: FoundKey, reference: string | undefined): boolean => reference === key.keyId || reference === key.arn;

/** What to import and which orphaned keys to schedule for deletion. */
export function planRecovery(resources: StackResources, state: StateRecord, found: FoundResources): RecoveryPlan {
  const imports: ImportBlock[] = [];
  const keysToDelete: KeyToDelete[] = [];
  const notes: string[] = [];
  const add = (to: string, id: string) => {
    if (!state.addresses.has(to)) imports.push({ to, id, ...(resources.provider ? { provider: resources.provider } : {}) });
  };
  const repositoryKeys = [...found.repositories.values()];

  if (resources.key) {
    const recorded = state.keyIds.get(resources.key.address);
    // The key to keep: the recorded one, else the one the repositories use, else the alias target, else the newest.
    const newest = [...found.keys].sort((a, b) => (b.creationDate?.getTime() ?? 0) - (a.creationDate?.getTime() ?? 0))[0];
    const kept =
      recorded ??
      (
        found.keys.find((key) => repositoryKeys.some((reference) => arnOrId(key, reference))) ??
        found.keys.find((key) => key.keyId === found.aliasTarget) ??
        newest
      )?.keyId;
    if (kept !== undefined) add(resources.key.address, kept);
    for (const key of found.keys) {
      if (key.keyId === kept) continue;
      if (repositoryKeys.some((reference) => arnOrId(key, reference))) {
        notes.push(
          `key ${key.arn} is recorded in no state but encrypts repositories of this registry: left alone; compare it with ${kept ?? 'the stack key'} before deleting anything`,
        );
      } else if (key.keyId === found.aliasTarget) {
        notes.push(
          `key ${key.arn} is recorded in no state but ${resources.alias?.name} points at it: left alone; after the next apply the alias points at ${kept}, then run recover again`,
        );
      } else {
        keysToDelete.push({
          key,
          reason: `created for ${resources.stackName} (description "${resources.key.description}"), recorded in no state, no alias points at it and no repository uses it`,
        });
      }
    }
  }
  if (resources.alias && found.aliasTarget !== undefined) add(resources.alias.address, resources.alias.name);
  if (resources.repositories) for (const name of found.repositories.keys()) add(`${resources.repositories.address}[${JSON.stringify(name)}]`, name);
  if (resources.role && found.roleExists) add(resources.role.address, resources.role.name);
  if (resources.templates) for (const prefix of found.templatePrefixes) add(`${resources.templates.address}[${JSON.stringify(prefix)}]`, prefix);
  imports.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  return { stackName: resources.stackName, target: resources.target, imports, keysToDelete, notes };
}

/** The import blocks as a .tf file. */
export function renderImports(plan: RecoveryPlan): string {
  const header = `# Resources ${plan.stackName} created in account ${plan.target.accountId}, ${plan.target.region} that no state records.\n# Apply this stack once with this file in its folder; the imports are then recorded and the file may go.\n`;
  const blocks = plan.imports.map(
    (block) => `import {\n  to = ${block.to}\n  id = ${JSON.stringify(block.id)}${block.provider ? `\n  provider = ${block.provider}` : ''}\n}\n`,
  );
  return [header, ...blocks].join('\n');
}

/** `aws kms schedule-key-deletion ...` for each orphaned key, with the stack's region and endpoint. */
export function keyDeletionCommands(plan: RecoveryPlan, pendingWindowInDays = 30): string[] {
  const endpoint = plan.target.endpoint ? ` --endpoint-url ${plan.target.endpoint}` : '';
  return plan.keysToDelete.map(
    ({ key }) => `aws kms schedule-key-deletion --key-id ${key.arn} --pending-window-in-days ${pendingWindowInDays} --region ${plan.target.region}${endpoint}`,
  );
}
