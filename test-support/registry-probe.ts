/**
 * What a scenario asserts about a registry of the emulator, read with the SDK
 * in the registry's account (a role assumed there): the project's keys (by
 * description) with their state and stack tag, the repositories and their
 * key, and the key ids a local state file records.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeKeyCommand, KMSClient, ListAliasesCommand, ListKeysCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { keyDescription, STACK_TAG } from '../stacks/resource-names';
import { accountClientOptions } from './emulator';

export interface ProbedKey {
  readonly keyId: string;
  readonly arn: string;
  readonly state: string;
  readonly stackTag?: string;
}

export interface RegistryProbe {
  /** The registry key's of this account and region (its description), every state. */
  keys(): Promise<ProbedKey[]>;
  /** Keys of the registry not pending deletion. */
  liveKeys(): Promise<ProbedKey[]>;
  /** Repository name -> key ARN (undefined: not KMS). */
  repositories(): Promise<Map<string, string | undefined>>;
  /** Alias names of the account and region. */
  aliases(): Promise<string[]>;
  readonly kms: KMSClient;
  readonly ecr: ECRClient;
}

export async function probeRegistry(accountId: string, region: string): Promise<RegistryProbe> {
  const options = await accountClientOptions(accountId, region);
  const kms = new KMSClient(options);
  const ecr = new ECRClient(options);
  const description = keyDescription(accountId, region);
  const keys = async (): Promise<ProbedKey[]> => {
    const found: ProbedKey[] = [];
    for (const entry of (await kms.send(new ListKeysCommand({}))).Keys ?? []) {
      const metadata = (await kms.send(new DescribeKeyCommand({ KeyId: entry.KeyId }))).KeyMetadata;
      if (metadata?.Description !== description) continue;
      const tags = (await kms.send(new ListResourceTagsCommand({ KeyId: entry.KeyId }))).Tags ?? [];
      const stackTag = tags.find((tag) => tag.TagKey === STACK_TAG)?.TagValue;
      found.push({ keyId: metadata.KeyId!, arn: metadata.Arn!, state: metadata.KeyState ?? '', ...(stackTag ? { stackTag } : {}) });
    }
    return found;
  };
  return {
    kms,
    ecr,
    keys,
    liveKeys: async () => (await keys()).filter((key) => key.state !== 'PendingDeletion'),
    repositories: async () =>
      new Map(
        ((await ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? []).map((repository) => [
          repository.repositoryName ?? '',
          repository.encryptionConfiguration?.encryptionType === 'KMS' ? repository.encryptionConfiguration.kmsKey : undefined,
        ]),
      ),
    aliases: async () => ((await kms.send(new ListAliasesCommand({}))).Aliases ?? []).flatMap((alias) => (alias.AliasName ? [alias.AliasName] : [])),
  };
}

/** Key ids a stack's local state file records (`terraform-state/<stack>.tfstate` of the project folder). */
export function stateKeyIds(projectFolder: string, stack: string): string[] {
  let state: { resources?: { type: string; mode: string; instances: { attributes: { key_id?: string } }[] }[] };
  try {
    state = JSON.parse(readFileSync(path.join(projectFolder, 'terraform-state', `${stack}.tfstate`), 'utf8')) as typeof state;
  } catch {
    return [];
  }
  return (state.resources ?? [])
    .filter((resource) => resource.type === 'aws_kms_key' && resource.mode === 'managed')
    .flatMap((resource) => resource.instances.map((instance) => instance.attributes.key_id ?? ''));
}
