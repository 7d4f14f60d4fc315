/**
 * What a synthesized stack (its cdk.tf.json) creates that AWS may already
 * hold: its keys (by description), their aliases, repositories, the template
 * role and the creation templates, with the registry and the provider that
 * reach them. The recovery tools read nothing else of the machine that runs
 * them: the rest comes from AWS.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BackendBlock, backendOf, forEachKeys } from '../change-report/synthesized-output';
import { RegistryTarget } from './aws-session';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Terraform JSON, walked defensively
type Json = any;

/** The resource types an interrupted apply can leave behind, and that a second create fails on or duplicates. */
export const ADOPTABLE_TYPES = ['aws_kms_key', 'aws_kms_alias', 'aws_ecr_repository', 'aws_iam_role', 'aws_ecr_repository_creation_template'] as const;
export type AdoptableType = (typeof ADOPTABLE_TYPES)[number];

export interface KeyResource {
  /** `aws_kms_key.kms_key`, `aws_kms_key.kms_key_team-a` */
  readonly address: string;
  /** The registry key and each namespace key have their own (stacks/resource-names.ts): what finds a key in AWS. */
  readonly description: string;
  /** The key's `deletion_window_in_days` (the config's keys.deletionWindowInDays). */
  readonly deletionWindowInDays: number;
}

export interface AliasResource {
  readonly address: string;
  readonly name: string;
  /** The key resource the alias targets (`aws_kms_key.kms_key`), when it is one of the stack's. */
  readonly keyAddress?: string;
}

/** A resource with a name of its own (the template role). */
export interface NamedResource {
  readonly address: string;
  readonly name: string;
}

/** A `for_each` resource: repositories by name, creation templates by prefix. */
export interface ForEachResource {
  /** `aws_ecr_repository.repositories` */
  readonly address: string;
  /** Instance keys: the repository names, the template prefixes. */
  readonly keys: readonly string[];
}

export interface StackResources {
  readonly stackName: string;
  /** `source` when the stack holds the registry's replication configuration. */
  readonly role: 'source' | 'destination';
  readonly target: RegistryTarget;
  /** `aws.<alias>`: the provider the stack's resources name. */
  readonly provider?: string;
  readonly backend?: BackendBlock;
  readonly keys: readonly KeyResource[];
  readonly aliases: readonly AliasResource[];
  readonly repositories: readonly ForEachResource[];
  readonly roles: readonly NamedResource[];
  readonly templates: readonly ForEachResource[];
}

/** `account 111111111111, us-east-1`: the registry, as the recovery messages name it. */
export const registryWhere = (resources: StackResources): string => `account ${resources.target.accountId}, ${resources.target.region}`;

/** ` --endpoint-url <url>` when the stack talks to an emulator, for the AWS CLI commands the messages print. */
export const endpointFlag = (resources: StackResources): string => (resources.target.endpoint ? ` --endpoint-url ${resources.target.endpoint}` : '');

/** The AWS CLI command that schedules the deletion of a key of the stack's registry. */
export const scheduleKeyDeletionCommand = (resources: StackResources, keyArn: string, pendingWindowInDays: number): string =>
  `aws kms schedule-key-deletion --key-id ${keyArn} --pending-window-in-days ${pendingWindowInDays} --region ${resources.target.region}${endpointFlag(resources)}`;

const entriesOf = (json: Json, type: string): [string, Json][] => Object.entries(json?.resource?.[type] ?? {});

/** `${aws_kms_key.kms_key.key_id}` -> `aws_kms_key.kms_key` */
function referencedKey(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\$\{(aws_kms_key\.[A-Za-z0-9_-]+)\.(?:key_id|arn|id)\}$/.exec(value)?.[1] : undefined;
}

/** Reads the stack's resources, registry and provider settings from its parsed cdk.tf.json. */
export function stackResourcesOf(stackName: string, json: Json): StackResources {
  const provider = json?.provider?.aws?.[0] ?? {};
  const endpoint = provider.endpoints?.[0]?.ecr;
  const anyResource = ADOPTABLE_TYPES.flatMap((type) => entriesOf(json, type)).find(([, block]) => typeof block?.provider === 'string');
  return {
    stackName,
    role: entriesOf(json, 'aws_ecr_replication_configuration').length > 0 ? 'source' : 'destination',
    target: {
      accountId: String(provider.allowed_account_ids?.[0] ?? ''),
      region: String(provider.region ?? ''),
      deployRoleArn: provider.assume_role?.[0]?.role_arn,
      endpoint: typeof endpoint === 'string' ? endpoint : undefined,
    },
    provider: anyResource?.[1].provider,
    backend: backendOf(json),
    keys: entriesOf(json, 'aws_kms_key').map(([name, block]) => ({
      address: `aws_kms_key.${name}`,
      description: String(block.description ?? ''),
      deletionWindowInDays: Number(block.deletion_window_in_days ?? 30),
    })),
    aliases: entriesOf(json, 'aws_kms_alias').map(([name, block]) => ({
      address: `aws_kms_alias.${name}`,
      name: String(block.name),
      ...(referencedKey(block.target_key_id) ? { keyAddress: referencedKey(block.target_key_id) } : {}),
    })),
    repositories: entriesOf(json, 'aws_ecr_repository').map(([name, block]) => ({
      address: `aws_ecr_repository.${name}`,
      keys: block.for_each === undefined ? [String(block.name)] : forEachKeys(block.for_each),
    })),
    roles: entriesOf(json, 'aws_iam_role').map(([name, block]) => ({ address: `aws_iam_role.${name}`, name: String(block.name) })),
    templates: entriesOf(json, 'aws_ecr_repository_creation_template').map(([name, block]) => ({
      address: `aws_ecr_repository_creation_template.${name}`,
      keys: block.for_each === undefined ? [String(block.prefix)] : forEachKeys(block.for_each),
    })),
  };
}

/** Reads `<directory>/cdk.tf.json`. */
export function readStackResources(stackName: string, directory: string): StackResources {
  return stackResourcesOf(stackName, JSON.parse(readFileSync(path.join(directory, 'cdk.tf.json'), 'utf8')));
}
