/**
 * Reads a synthesized output folder (cdktf.out): the manifest's stacks and
 * each stack's cdk.tf.json, reduced to what a change can delete or replace:
 * resources by address (for_each instances by key), the registry a stack is
 * bound to, its backend, its replication rules, and the repositories it takes
 * out of management (`moved` + `removed` blocks).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** A resource block of cdk.tf.json, as far as the report reads it. */
export interface ResourceBlock {
  readonly for_each?: unknown;
  readonly lifecycle?: { readonly prevent_destroy?: boolean };
  readonly [attribute: string]: unknown;
}

/** A backend block: `{ local: { path } }`, `{ s3: { bucket, key, ... } }`, `{ remote | cloud: ... }`. */
export type BackendBlock = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** One destination of a replication rule: `<account id>/<region>`. */
export type RegistryId = string;

export interface StackSummary {
  readonly name: string;
  /** `source` when the stack holds a replication configuration. */
  readonly role: 'source' | 'destination';
  /** From the provider's `allowed_account_ids` and `region`. */
  readonly accountId?: string;
  readonly region?: string;
  readonly backend?: BackendBlock;
  /** Every resource, by `<type>.<name>`. */
  readonly resources: ReadonlyMap<string, ResourceBlock>;
  /** Instance keys of each for_each resource (empty for a resource without for_each). */
  readonly instanceKeys: ReadonlyMap<string, readonly string[]>;
  /** Repository names this stack manages (keys of its aws_ecr_repository for_each resources, or their `name`). */
  readonly repositories: readonly string[];
  /** For each for_each instance moved out to a `removed` block: whether Terraform destroys it. */
  readonly removals: ReadonlyMap<string, 'retain' | 'destroy'>;
  /** Replication destinations and filters, rule by rule (sources only). */
  readonly replicationRules: readonly { readonly destinations: readonly RegistryId[]; readonly filters: readonly string[] }[];
  /** Whether every KMS key of the stack has `prevent_destroy`. */
  readonly keysPreventDestroy: boolean;
}

export interface SynthesizedOutput {
  /** The folder read. */
  readonly directory: string;
  readonly stacks: ReadonlyMap<string, StackSummary>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Terraform JSON, walked defensively
type Json = any;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `aws_ecr_repository.repositories["team-a/api"]` for a for_each instance, `aws_kms_key.kms_key` for a resource. */
export function instanceAddress(resource: string, key?: string): string {
  return key === undefined ? resource : `${resource}[${JSON.stringify(key)}]`;
}

/** Splits `type.name["key"]` into the resource address and the key. */
export function parseInstanceAddress(address: string): { resource: string; key?: string } {
  const match = /^([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)(?:\[("(?:[^"\\]|\\.)*")\])?$/.exec(address);
  if (!match) return { resource: address };
  return { resource: match[1], key: match[2] === undefined ? undefined : (JSON.parse(match[2]) as string) };
}

/** Instance keys of a `for_each` value: a map literal, a list, or cdktf's `${toset([...])}` of a list iterator. */
export function forEachKeys(forEach: unknown): string[] {
  if (isObject(forEach)) return Object.keys(forEach).sort();
  let list: unknown = forEach;
  const toset = typeof forEach === 'string' ? /^\$\{toset\((\[.*\])\)\}$/s.exec(forEach) : null;
  if (toset) {
    try {
      list = JSON.parse(toset[1]);
    } catch {
      return [];
    }
  }
  return Array.isArray(list) ? list.filter((key): key is string => typeof key === 'string').sort() : [];
}

/** The stack's backend block; HCP Terraform's `cloud` block sits beside `backend` in cdk.tf.json, and reads as `{ cloud }`. */
export function backendOf(json: Json): BackendBlock | undefined {
  if (isObject(json?.terraform?.backend)) return json.terraform.backend as BackendBlock;
  return isObject(json?.terraform?.cloud) ? { cloud: json.terraform.cloud as Record<string, unknown> } : undefined;
}

/** Summarizes one stack's parsed cdk.tf.json. */
export function summarizeStack(name: string, json: Json): StackSummary {
  const resources = new Map<string, ResourceBlock>();
  const instanceKeys = new Map<string, readonly string[]>();
  for (const [type, byName] of Object.entries(isObject(json?.resource) ? json.resource : {})) {
    if (!isObject(byName)) continue;
    for (const [resourceName, block] of Object.entries(byName)) {
      if (!isObject(block)) continue;
      const address = `${type}.${resourceName}`;
      resources.set(address, block as ResourceBlock);
      instanceKeys.set(address, forEachKeys((block as ResourceBlock).for_each));
    }
  }
  const repositories = [...resources.entries()]
    .filter(([address]) => address.startsWith('aws_ecr_repository.'))
    .flatMap(([address, block]) => (block.for_each !== undefined ? instanceKeys.get(address)! : typeof block.name === 'string' ? [block.name] : []))
    .sort();

  const removedDestroy = new Map<string, boolean>();
  for (const removed of Array.isArray(json?.removed) ? json.removed : []) {
    if (isObject(removed) && typeof removed.from === 'string') removedDestroy.set(removed.from, (removed.lifecycle as Json)?.destroy !== false);
  }
  const removals = new Map<string, 'retain' | 'destroy'>();
  for (const moved of Array.isArray(json?.moved) ? json.moved : []) {
    if (!isObject(moved) || typeof moved.from !== 'string' || typeof moved.to !== 'string') continue;
    const destroy = removedDestroy.get(moved.to);
    if (destroy !== undefined) removals.set(moved.from, destroy ? 'destroy' : 'retain');
  }

  const provider = Array.isArray(json?.provider?.aws) ? json.provider.aws[0] : undefined;
  const allowed = Array.isArray(provider?.allowed_account_ids) ? provider.allowed_account_ids : [];
  const replication = [...resources.entries()].find(([address]) => address.startsWith('aws_ecr_replication_configuration.'))?.[1];
  const rules: Json[] = replication ? ((replication.replication_configuration as Json)?.rule ?? []) : [];
  const keys = [...resources.entries()].filter(([address]) => address.startsWith('aws_kms_key.')).map(([, block]) => block);
  return {
    name,
    role: replication ? 'source' : 'destination',
    accountId: typeof allowed[0] === 'string' ? allowed[0] : undefined,
    region: typeof provider?.region === 'string' ? provider.region : undefined,
    backend: backendOf(json),
    resources,
    instanceKeys,
    repositories,
    removals,
    replicationRules: (Array.isArray(rules) ? rules : []).map((rule: Json) => ({
      destinations: (rule?.destination ?? []).map((destination: Json) => `${destination.registry_id}/${destination.region}`),
      filters: (rule?.repository_filter ?? []).map((filter: Json) => String(filter.filter)),
    })),
    keysPreventDestroy: keys.length > 0 && keys.every((block) => block.lifecycle?.prevent_destroy === true),
  };
}

/** Reads `<directory>/manifest.json` and every stack it names. Throws when the manifest is missing or unreadable. */
export function readSynthesizedOutput(directory: string): SynthesizedOutput {
  const manifest = JSON.parse(readFileSync(path.join(directory, 'manifest.json'), 'utf8')) as Json;
  const stacks = new Map<string, StackSummary>();
  for (const [name, stack] of Object.entries(isObject(manifest?.stacks) ? manifest.stacks : {})) {
    const file = path.join(directory, String((stack as Json)?.synthesizedStackPath ?? path.join('stacks', name, 'cdk.tf.json')));
    stacks.set(name, summarizeStack(name, JSON.parse(readFileSync(file, 'utf8'))));
  }
  return { directory, stacks };
}

/** The previous output, or undefined when there is none (first synthesis) or it has no manifest (an interrupted one). */
export function readPreviousOutput(directory: string | undefined): SynthesizedOutput | undefined {
  if (directory === undefined || !existsSync(path.join(directory, 'manifest.json'))) return undefined;
  return readSynthesizedOutput(directory);
}
