/**
 * The registry a construct is bound to: one account in one region, and the
 * provider that reaches it. Every construct of the library takes one
 * `registry` and derives account, region and partition from it, so they are
 * given once, not repeated and cross-checked per construct.
 *
 * Account id and region are checked where the registry is made
 * (`ecrRegistry`) and again by every construct that receives one (a registry
 * may also be written as an object literal), with the messages the config
 * gives for the same mistakes.
 */
import { IConstruct } from 'constructs';
import { TerraformProvider, Token } from 'cdktf';
import { accountIdProblem } from './ecr/principals';
import { Partition, partitionOf, regionProblem } from './ecr/regions';
import { propError } from './validation';

/** Where a registry is: account, region and the partition of the region. */
export interface RegistryLocation {
  /** The 12-digit account id. */
  readonly accountId: string;
  /** The region, e.g. `eu-west-1`. */
  readonly region: string;
  /** The partition of the region (`aws`, `aws-us-gov`, `aws-cn`): ARNs and service endpoints differ between partitions. */
  readonly partition: Partition;
}

/** A registry and the (aliased) provider that manages it. */
export interface EcrRegistry extends RegistryLocation {
  /** The provider every resource in this registry is created with: its region and account must be the registry's. */
  readonly provider: TerraformProvider;
}

/** What `ecrRegistry` binds together. */
export interface EcrRegistryProps {
  /** The provider that manages the registry, usually an aliased `AwsProvider` of this account and region. */
  readonly provider: TerraformProvider;
  /** The 12-digit account id. */
  readonly accountId: string;
  /** The region, e.g. eu-west-1; the partition follows from it. */
  readonly region: string;
}

/** A broken rule of a registry: the prop, the value received and the message. */
interface RegistryProblem {
  readonly prop: string;
  readonly received: unknown;
  readonly message: string;
}

/** What an `AwsProvider` says about where it runs; other providers say nothing. */
interface ProviderPlacement {
  readonly region?: string;
  readonly allowedAccountIds?: string[];
}

/**
 * The rules a registry breaks: account id and region (the config's rules),
 * and, when its provider is an `AwsProvider` with a literal region or literal
 * allowed account ids, agreement with them (a provider of another region would
 * create every resource there, whatever the registry says).
 */
function registryProblems(registry: EcrRegistryProps & { readonly partition?: Partition }): RegistryProblem[] {
  const problems: RegistryProblem[] = [];
  const { accountId, region, provider } = registry;
  const literalAccount = !Token.isUnresolved(accountId);
  const literalRegion = !Token.isUnresolved(region);
  const accountProblem = literalAccount ? accountIdProblem(accountId) : undefined;
  if (accountProblem !== undefined) problems.push({ prop: 'accountId', received: accountId, message: accountProblem });
  const regionRule = literalRegion ? regionProblem(region) : undefined;
  if (regionRule !== undefined) problems.push({ prop: 'region', received: region, message: regionRule });
  if (literalRegion && regionRule === undefined && registry.partition !== undefined && registry.partition !== partitionOf(region)) {
    problems.push({
      prop: 'partition',
      received: registry.partition,
      message: `must be ${partitionOf(region)}, the partition of region ${region}: make the registry with ecrRegistry, which derives it`,
    });
  }
  const placement = provider as ProviderPlacement;
  const providerRegion = placement.region;
  if (literalRegion && typeof providerRegion === 'string' && !Token.isUnresolved(providerRegion) && providerRegion !== region) {
    problems.push({
      prop: 'region',
      received: region,
      message: `is not the region of its provider ${provider.node.path} (${providerRegion}), which would create every resource of the registry in ${providerRegion}: give the registry the provider's region, or a provider of ${region}`,
    });
  }
  const allowed = placement.allowedAccountIds;
  if (literalAccount && accountProblem === undefined && Array.isArray(allowed) && !Token.isUnresolved(allowed) && !allowed.some(Token.isUnresolved)) {
    if (!allowed.includes(accountId)) {
      problems.push({
        prop: 'accountId',
        received: accountId,
        message: `is not among the accounts its provider ${provider.node.path} allows (${allowed.join(', ')}), which refuses to run against any other: give the registry one of them, or a provider of account ${accountId}`,
      });
    }
  }
  return problems;
}

/**
 * Binds a provider to the account and region it manages. Fails for an account
 * id that is not 12 digits, a region without ECR and KMS (with the closest
 * region when it looks like a typo), and a provider of another region or
 * account.
 */
export function ecrRegistry(props: EcrRegistryProps): EcrRegistry {
  const [problem] = registryProblems(props);
  if (problem !== undefined) throw propError('ecrRegistry', problem.prop, problem.received, problem.message);
  return { provider: props.provider, accountId: props.accountId, region: props.region, partition: partitionOf(props.region) };
}

/**
 * Throws the first rule `registry` breaks, as the construct `label` (e.g.
 * `EncryptedRepositories platform/repositories`) with the prop `registry.<field>`.
 */
export function checkRegistry(label: string, registry: EcrRegistry): void {
  const [problem] = registryProblems(registry);
  if (problem !== undefined) throw propError(label, `registry.${problem.prop}`, problem.received, problem.message);
}

/** `account 111111111111 in us-east-1`: how messages name a registry. */
export function describeRegistry(location: Pick<RegistryLocation, 'accountId' | 'region'>): string {
  return `account ${location.accountId} in ${location.region}`;
}

/** Whether two locations are the same registry (same account and region). */
export function sameRegistry(left: Pick<RegistryLocation, 'accountId' | 'region'>, right: Pick<RegistryLocation, 'accountId' | 'region'>): boolean {
  return left.accountId === right.accountId && left.region === right.region;
}

/** What the constructs that ECR keeps once per registry are: their names in messages. */
const SINGLETON_KINDS = {
  ReplicationConfiguration: { what: 'replication configuration', merge: 'merge their rules into one ReplicationConfiguration' },
  ReplicationRegistryPolicy: {
    what: 'registry policy',
    merge: "merge their sources into one ReplicationRegistryPolicy (additionalStatements keeps the registry policy's other statements)",
  },
  RegistryScanningConfiguration: { what: 'scanning configuration', merge: 'merge their rules into one RegistryScanningConfiguration' },
} as const;

/** The construct kinds ECR keeps exactly one of per registry. */
type SingletonKind = keyof typeof SINGLETON_KINDS;

/** Per app (the construct tree's root): `<kind> <account>/<region>` -> the path of the construct that declared it. */
const singletons = new WeakMap<IConstruct, Map<string, string>>();

/**
 * ECR keeps one replication configuration, one registry policy and one
 * scanning configuration per registry: applying a second replaces the first,
 * so two in one app would overwrite each other on every apply. Records
 * `scope` as the one of its registry, or fails naming both constructs. A
 * registry whose account or region is a token is not checked.
 */
export function claimRegistrySingleton(kind: SingletonKind, scope: IConstruct, registry: RegistryLocation): void {
  if (Token.isUnresolved(registry.accountId) || Token.isUnresolved(registry.region)) return;
  const root = scope.node.root;
  const claimed = singletons.get(root) ?? new Map<string, string>();
  singletons.set(root, claimed);
  const key = `${kind} ${registry.accountId}/${registry.region}`;
  const first = claimed.get(key);
  if (first === undefined) {
    claimed.set(key, scope.node.path);
    return;
  }
  const { what, merge } = SINGLETON_KINDS[kind];
  throw propError(
    `${kind} ${scope.node.path}`,
    'registry',
    { accountId: registry.accountId, region: registry.region },
    `${describeRegistry(registry)} already has a ${what} in this app, ${kind} ${first}: ECR keeps exactly one ${what} per registry, so applying this one would replace that one; ${merge}`,
  );
}
