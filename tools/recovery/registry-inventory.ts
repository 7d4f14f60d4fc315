/**
 * What a stack's account and region hold of what the stack creates, read
 * through the stack's own provider settings (role, region, endpoint), with
 * the provenance of each item: the `STACK_TAG` the provider's default tags
 * put on the key, the repositories and the role at their creation call.
 * Creation templates carry no tags; a template's provenance is its key's.
 *
 * Only what the question needs is read: keys (ListKeys, DescribeKey,
 * ListResourceTags) only when a key is asked about, templates only for the
 * prefixes asked about (emulators without templates are never asked).
 */
import {
  DescribeRepositoriesCommand,
  DescribeRepositoryCreationTemplatesCommand,
  ListImagesCommand,
  ListTagsForResourceCommand,
  Repository,
} from '@aws-sdk/client-ecr';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KeyMetadata, ListAliasesCommand, ListKeysCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { STACK_TAG } from '../../stacks/resource-names';
import { RegistryClients } from './aws-session';

/** Who created a resource, by its tag: this stack, another stack of the project, or nobody that says so. */
export type Provenance = { readonly kind: 'this-stack' } | { readonly kind: 'other-stack'; readonly stack: string } | { readonly kind: 'untagged' };

export function provenanceOf(stackTag: string | undefined, stackName: string): Provenance {
  if (stackTag === undefined) return { kind: 'untagged' };
  return stackTag === stackName ? { kind: 'this-stack' } : { kind: 'other-stack', stack: stackTag };
}

export interface FoundKey {
  readonly keyId: string;
  readonly arn: string;
  readonly description: string;
  readonly creationDate?: Date;
  /** The value of STACK_TAG; undefined when the key has none. */
  readonly stackTag?: string;
}

export interface FoundRepository {
  readonly name: string;
  readonly arn: string;
  /** The key ARN (KMS encryption), undefined for AES256. */
  readonly kmsKey?: string;
}

export interface FoundTagged {
  readonly stackTag?: string;
}

export interface FoundTemplate {
  readonly prefix: string;
  readonly kmsKey?: string;
  /** STACK_TAG of the template's key (templates have no tags of their own). */
  readonly stackTag?: string;
}

export interface RegistryInventory {
  /** Customer-managed keys with one of the asked descriptions, not pending deletion. */
  readonly keys: readonly FoundKey[];
  /** Every alias of the account and region with a target: name -> target key id. */
  readonly aliases: ReadonlyMap<string, string>;
  /** The keys behind the asked aliases that are not among `keys` (another description), by key id. */
  readonly aliasTargets: ReadonlyMap<string, FoundKey>;
  /** Every repository of the registry (a key is in use while one is encrypted with it). */
  readonly repositories: ReadonlyMap<string, FoundRepository>;
  /** STACK_TAG of the asked repositories that exist, by name. */
  readonly repositoryTags: ReadonlyMap<string, FoundTagged>;
  /** The asked roles that exist, by name. */
  readonly roles: ReadonlyMap<string, FoundTagged>;
  /** The asked templates that exist, by prefix. */
  readonly templates: ReadonlyMap<string, FoundTemplate>;
}

/** What to look for. */
export interface InventoryQuery {
  readonly accountId: string;
  readonly keyDescriptions: readonly string[];
  readonly aliasNames: readonly string[];
  readonly repositoryNames: readonly string[];
  readonly roleNames: readonly string[];
  readonly templatePrefixes: readonly string[];
}

const errorName = (error: unknown): string | undefined => (error as { name?: string } | undefined)?.name;

/** Pending deletion (or a replica's): on its way out, never adopted, never counted as a duplicate. */
const leaving = (metadata: KeyMetadata): boolean => metadata.KeyState === 'PendingDeletion' || metadata.KeyState === 'PendingReplicaDeletion';

async function keyTag(clients: RegistryClients, keyId: string): Promise<string | undefined> {
  let marker: string | undefined;
  do {
    const page = await clients.kms.send(new ListResourceTagsCommand({ KeyId: keyId, Marker: marker }));
    const tag = page.Tags?.find((entry) => entry.TagKey === STACK_TAG);
    if (tag) return tag.TagValue;
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return undefined;
}

async function describedKey(clients: RegistryClients, keyId: string): Promise<FoundKey | undefined> {
  let metadata: KeyMetadata | undefined;
  try {
    metadata = (await clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
  } catch (error) {
    if (errorName(error) === 'NotFoundException') return undefined;
    throw error;
  }
  if (!metadata?.KeyId || !metadata.Arn) return undefined;
  return {
    keyId: metadata.KeyId,
    arn: metadata.Arn,
    description: metadata.Description ?? '',
    creationDate: metadata.CreationDate,
    stackTag: await keyTag(clients, metadata.KeyId),
  };
}

async function findKeys(clients: RegistryClients, descriptions: ReadonlySet<string>): Promise<FoundKey[]> {
  const keys: FoundKey[] = [];
  if (descriptions.size === 0) return keys;
  let marker: string | undefined;
  do {
    const page = await clients.kms.send(new ListKeysCommand({ Marker: marker }));
    for (const entry of page.Keys ?? []) {
      if (!entry.KeyId) continue;
      const metadata = (await clients.kms.send(new DescribeKeyCommand({ KeyId: entry.KeyId }))).KeyMetadata;
      if (!metadata?.KeyId || !metadata.Arn || metadata.KeyManager !== 'CUSTOMER' || leaving(metadata)) continue;
      if (!descriptions.has(metadata.Description ?? '')) continue;
      keys.push({
        keyId: metadata.KeyId,
        arn: metadata.Arn,
        description: metadata.Description ?? '',
        creationDate: metadata.CreationDate,
        stackTag: await keyTag(clients, metadata.KeyId),
      });
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return keys.sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0));
}

async function listAliases(clients: RegistryClients): Promise<Map<string, string>> {
  const aliases = new Map<string, string>();
  let marker: string | undefined;
  do {
    const page = await clients.kms.send(new ListAliasesCommand({ Marker: marker }));
    for (const alias of page.Aliases ?? []) if (alias.AliasName && alias.TargetKeyId) aliases.set(alias.AliasName, alias.TargetKeyId);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  return aliases;
}

/** Every repository of the registry, with its key. */
export async function listRepositories(clients: RegistryClients, accountId: string): Promise<Map<string, FoundRepository>> {
  const repositories = new Map<string, FoundRepository>();
  let nextToken: string | undefined;
  do {
    const page = await clients.ecr.send(new DescribeRepositoriesCommand({ registryId: accountId, nextToken }));
    for (const repository of page.repositories ?? ([] as Repository[])) {
      if (!repository.repositoryName || !repository.repositoryArn) continue;
      const encryption = repository.encryptionConfiguration;
      repositories.set(repository.repositoryName, {
        name: repository.repositoryName,
        arn: repository.repositoryArn,
        ...(encryption?.encryptionType?.startsWith('KMS') && encryption.kmsKey ? { kmsKey: encryption.kmsKey } : {}),
      });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return repositories;
}

async function repositoryTag(clients: RegistryClients, arn: string): Promise<string | undefined> {
  const tags = (await clients.ecr.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? [];
  return tags.find((tag) => tag.Key === STACK_TAG)?.Value;
}

async function findRole(clients: RegistryClients, name: string): Promise<FoundTagged | undefined> {
  try {
    const role = (await clients.iam.send(new GetRoleCommand({ RoleName: name }))).Role;
    if (!role) return undefined;
    const tag = role.Tags?.find((entry) => entry.Key === STACK_TAG)?.Value;
    return tag === undefined ? {} : { stackTag: tag };
  } catch (error) {
    if (errorName(error) === 'NoSuchEntityException') return undefined;
    throw error;
  }
}

/** Reads what the query asks for. */
export async function readInventory(query: InventoryQuery, clients: RegistryClients): Promise<RegistryInventory> {
  const keys = await findKeys(clients, new Set(query.keyDescriptions));
  const needAliases = query.aliasNames.length > 0 || query.keyDescriptions.length > 0;
  const aliases = needAliases ? await listAliases(clients) : new Map<string, string>();
  const aliasTargets = new Map<string, FoundKey>();
  const known = new Map(keys.map((key) => [key.keyId, key]));
  for (const name of query.aliasNames) {
    const target = aliases.get(name);
    if (target === undefined || known.has(target) || aliasTargets.has(target)) continue;
    const key = await describedKey(clients, target);
    if (key) aliasTargets.set(target, key);
  }
  const needRepositories = query.repositoryNames.length > 0 || query.keyDescriptions.length > 0;
  const repositories = needRepositories ? await listRepositories(clients, query.accountId) : new Map<string, FoundRepository>();
  const repositoryTags = new Map<string, FoundTagged>();
  for (const name of query.repositoryNames) {
    const repository = repositories.get(name);
    if (!repository) continue;
    const tag = await repositoryTag(clients, repository.arn);
    repositoryTags.set(name, tag === undefined ? {} : { stackTag: tag });
  }
  const roles = new Map<string, FoundTagged>();
  for (const name of query.roleNames) {
    const role = await findRole(clients, name);
    if (role) roles.set(name, role);
  }
  const templates = new Map<string, FoundTemplate>();
  if (query.templatePrefixes.length > 0) {
    const found = await clients.ecr.send(new DescribeRepositoryCreationTemplatesCommand({ prefixes: [...query.templatePrefixes] }));
    for (const template of found.repositoryCreationTemplates ?? []) {
      if (!template.prefix) continue;
      const kmsKey = template.encryptionConfiguration?.kmsKey;
      const key = kmsKey
        ? (keys.find((candidate) => candidate.arn === kmsKey || candidate.keyId === kmsKey) ?? (await describedKey(clients, kmsKey)))
        : undefined;
      templates.set(template.prefix, {
        prefix: template.prefix,
        ...(kmsKey ? { kmsKey } : {}),
        ...(key?.stackTag !== undefined ? { stackTag: key.stackTag } : {}),
      });
    }
  }
  return { keys, aliases, aliasTargets, repositories, repositoryTags, roles, templates };
}

/** Whether a repository holds at least one image (ECR refuses to delete it then). */
export async function holdsImages(clients: RegistryClients, accountId: string, repositoryName: string): Promise<boolean> {
  const page = await clients.ecr.send(new ListImagesCommand({ registryId: accountId, repositoryName, maxResults: 1 }));
  return (page.imageIds ?? []).length > 0;
}
