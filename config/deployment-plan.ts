/**
 * The deployment plan derived from a validated config: which registries exist,
 * which stack manages each, what each replicates and to whom. Pure data, no
 * constructs: stacks and the audit read the same plan.
 */
import { AccountConfig, Config, NamespaceConfig, RepositoryConfig } from './schema';
import { ReplicationRule, replicationFiltersFor, replicationRulesFor } from '../modules/ecr/replication-rules';
import { Partition, partitionOf } from '../modules/ecr/regions';
import { namespaceMembership } from '../modules/ecr/namespaces';
import { NamespaceKeyPlan, namespaceKeysFor, namespacePlan, NamespacePlan, sourceNamespaces, sourceRepositoryNamesWithNamespaces } from './namespace-plan';

export type { NamespaceKeyPlan, NamespacePlan };

/** One private registry: an account in a region. */
export interface Registry {
  readonly accountName: string;
  readonly account: AccountConfig;
  readonly region: string;
  readonly partition: Partition;
}

/** A repository taken out of the config (`removal`): kept in AWS but no longer managed, or destroyed. */
export interface RetiredRepository {
  readonly name: string;
  readonly removal: 'retain' | 'destroy';
}

/** A registry that receives replicated images. */
export interface DestinationRegistryPlan {
  readonly stackName: string;
  readonly registry: Registry;
  /** The repositories pre-created here, with the same names as in the sources. Sorted by name. */
  readonly repositories: readonly RepositoryConfig[];
  /** Repositories with `removal` that this registry holds. Sorted by name. */
  readonly retiredRepositories: readonly RetiredRepository[];
  /** Every replication filter (repository name prefix) that lands here. Sorted. */
  readonly replicationFilters: readonly string[];
  /** Other accounts that replicate into this registry, with the filters each uses. Sorted by account name. */
  readonly crossAccountSources: readonly CrossAccountSource[];
  /** Whether repository creation templates are created (off when any source entry turns them off). */
  readonly repositoryCreationTemplates: boolean;
  /** Namespaces replicated into this registry: creation templates create their repositories. Sorted by prefix. */
  readonly namespaces: readonly NamespacePlan[];
  /** Keys of the namespaces with a key of their own that this registry holds. Sorted by namespace. */
  readonly namespaceKeys: readonly NamespaceKeyPlan[];
  /** When this registry is also a source: its source stack (replication configuration and guard only). */
  readonly sourceStackName?: string;
}

/** An account whose source registries replicate into a destination of another account. */
export interface CrossAccountSource {
  readonly accountName: string;
  readonly account: AccountConfig;
  readonly replicationFilters: readonly string[];
}

/** A registry whose images are replicated elsewhere. */
export interface SourceRegistryPlan {
  readonly stackName: string;
  readonly registry: Registry;
  readonly repositories: readonly RepositoryConfig[];
  /** Repositories with `removal` that this registry holds. Sorted by name. */
  readonly retiredRepositories: readonly RetiredRepository[];
  /**
   * Destinations sorted by account id, then region: the replication rules follow this order, so reordering the
   * destinations of the config changes no byte of output (ECR keeps rules and destinations in order).
   */
  readonly destinations: readonly DestinationRegistryPlan[];
  readonly replicationFilters: readonly string[];
  readonly replicationRules: readonly ReplicationRulePlan[];
  /** Namespaces this source replicates (every repository under each, created later included). Sorted. */
  readonly namespaces: readonly string[];
  /** Keys of the namespaces with a key of their own among the source's repositories. Sorted by namespace. */
  readonly namespaceKeys: readonly NamespaceKeyPlan[];
  /**
   * When this registry is also a destination: the destination stack that holds the registry's key(s),
   * repositories and policy. The source stack then holds only the replication configuration and the guard.
   */
  readonly registryStackName?: string;
}

export type ReplicationRulePlan<D = Registry> = ReplicationRule<D>;

export interface DeploymentPlan {
  readonly destinations: readonly DestinationRegistryPlan[];
  readonly sources: readonly SourceRegistryPlan[];
}

export function registryKey(accountName: string, region: string): string {
  return `${accountName}/${region}`;
}

/** Stack names are state keys and workspace names: `ecr-destination-<account>-<region>`. */
export function destinationStackName(accountName: string, region: string): string {
  return `ecr-destination-${accountName}-${region}`;
}

/** `ecr-source-<account>-<region>`. */
export function sourceStackName(accountName: string, region: string): string {
  return `ecr-source-${accountName}-${region}`;
}

/** Repository names a source replicates: its own list, or every repository of the file. */
export function sourceRepositoryNames(
  config: Pick<Config, 'repositories'>,
  source: { readonly repositories?: readonly string[]; readonly namespaces?: readonly string[] },
): string[] {
  return sourceRepositoryNamesWithNamespaces(config, source);
}

/**
 * The repository filters a source replicates: its namespaces and the repositories it holds, retired ones left out
 * (they stay placed, their registries carry the removal, but are no longer replicated).
 */
export function sourceReplicationFilters(
  config: Pick<Config, 'repositories'>,
  source: { readonly repositories?: readonly string[]; readonly namespaces?: readonly string[] },
): string[] {
  const retired = new Set(config.repositories.filter((repository) => repository.removal !== undefined).map((repository) => repository.name));
  const names = sourceRepositoryNames(config, source).filter((name) => !retired.has(name));
  return replicationFiltersFor([...sourceNamespaces(source), ...names]);
}

function byName(left: { name: string }, right: { name: string }): number {
  return left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
}

/** Account id, then region: a canonical order that does not depend on the config's order or account names. */
function byAccountIdAndRegion(left: DestinationRegistryPlan, right: DestinationRegistryPlan): number {
  const a = `${left.registry.account.id}/${left.registry.region}`;
  const b = `${right.registry.account.id}/${right.registry.region}`;
  return a < b ? -1 : a > b ? 1 : 0;
}

const retiredOf = (repositories: readonly RepositoryConfig[]): RetiredRepository[] =>
  repositories.flatMap((repository) => (repository.removal ? [{ name: repository.name, removal: repository.removal }] : [])).sort(byName);

/** Derives the plan. The config must have passed validation. */
export function planDeployment(config: Config): DeploymentPlan {
  const repositoriesByName = new Map(config.repositories.map((repository) => [repository.name, repository]));
  const registryOf = (accountName: string, region: string): Registry => ({
    accountName,
    account: config.accounts[accountName],
    region,
    partition: partitionOf(region),
  });

  interface DestinationDraft {
    registry: Registry;
    repositoryNames: Set<string>;
    filtersByAccount: Map<string, Set<string>>;
    templates: boolean;
    namespaces: Set<string>;
  }
  const drafts = new Map<string, DestinationDraft>();

  const sourceDrafts = config.sources.map((source) => {
    const placed = sourceRepositoryNames(config, source);
    const namespaces = sourceNamespaces(source);
    const filters = sourceReplicationFilters(config, source);
    // Namespace-covered names are created in destinations by the namespace's creation template, not pre-created.
    const inNamespace = namespaceMembership(namespaces);
    const precreated = namespaces.length === 0 ? placed : placed.filter((name) => !inNamespace(name));
    const destinationKeys = source.destinations.map((destination) => {
      const key = registryKey(destination.account, destination.region);
      let draft = drafts.get(key);
      if (!draft) {
        draft = {
          registry: registryOf(destination.account, destination.region),
          repositoryNames: new Set(),
          filtersByAccount: new Map(),
          templates: true,
          namespaces: new Set(),
        };
        drafts.set(key, draft);
      }
      precreated.forEach((name) => draft!.repositoryNames.add(name));
      namespaces.forEach((namespace) => draft!.namespaces.add(namespace));
      const accountFilters = draft.filtersByAccount.get(source.account) ?? new Set<string>();
      filters.forEach((filter) => accountFilters.add(filter));
      draft.filtersByAccount.set(source.account, accountFilters);
      draft.templates = draft.templates && destination.repositoryCreationTemplates;
      return key;
    });
    return { source, placed, namespaces, filters, destinationKeys };
  });
  // A registry in both roles: its destination stack also holds the repositories it replicates itself.
  const sourceKeys = new Set(sourceDrafts.map(({ source }) => registryKey(source.account, source.region)));
  for (const { source, placed } of sourceDrafts) {
    const draft = drafts.get(registryKey(source.account, source.region));
    if (draft) placed.forEach((name) => draft.repositoryNames.add(name));
  }
  const namespacesByPrefix = new Map(config.namespaces.map((namespace) => [namespace.prefix, namespace]));

  const destinationPlans = new Map<string, DestinationRegistryPlan>();
  for (const [key, draft] of drafts) {
    const allFilters = replicationFiltersFor([...draft.filtersByAccount.values()].flatMap((filters) => [...filters]));
    const crossAccountSources = [...draft.filtersByAccount.entries()]
      .filter(([accountName]) => accountName !== draft.registry.accountName)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([accountName, filters]) => ({
        accountName,
        account: config.accounts[accountName],
        replicationFilters: replicationFiltersFor([...filters]),
      }));
    const placed = [...draft.repositoryNames].map((name) => repositoriesByName.get(name)!);
    destinationPlans.set(key, {
      stackName: destinationStackName(draft.registry.accountName, draft.registry.region),
      registry: draft.registry,
      repositories: placed.filter((repository) => !repository.removal).sort(byName),
      retiredRepositories: retiredOf(placed),
      replicationFilters: allFilters,
      crossAccountSources,
      repositoryCreationTemplates: draft.templates,
      namespaces: [...draft.namespaces]
        .sort()
        .map((prefix) => namespacePlan(namespacesByPrefix.get(prefix) ?? ({ prefix, imageTagMutability: 'IMMUTABLE' } as NamespaceConfig))),
      namespaceKeys: namespaceKeysFor(config, draft.registry.account.id, draft.repositoryNames, draft.namespaces),
      ...(sourceKeys.has(key) ? { sourceStackName: sourceStackName(draft.registry.accountName, draft.registry.region) } : {}),
    });
  }

  const sources = sourceDrafts.map(({ source, placed, namespaces, filters, destinationKeys }) => {
    const destinations = destinationKeys.map((key) => destinationPlans.get(key)!).sort(byAccountIdAndRegion);
    const repositories = placed.map((name) => repositoriesByName.get(name)!);
    const ownRegistry = destinationPlans.get(registryKey(source.account, source.region));
    return {
      stackName: sourceStackName(source.account, source.region),
      registry: registryOf(source.account, source.region),
      repositories: repositories.filter((repository) => !repository.removal).sort(byName),
      retiredRepositories: retiredOf(repositories),
      destinations,
      replicationFilters: filters,
      replicationRules: replicationRulesFor(
        destinations.map((destination) => destination.registry),
        filters,
      ),
      namespaces,
      namespaceKeys: ownRegistry ? ownRegistry.namespaceKeys : namespaceKeysFor(config, config.accounts[source.account].id, placed, namespaces),
      ...(ownRegistry ? { registryStackName: ownRegistry.stackName } : {}),
    };
  });

  const destinations = [...destinationPlans.values()].sort((left, right) => (left.stackName < right.stackName ? -1 : left.stackName > right.stackName ? 1 : 0));
  return { destinations, sources };
}
