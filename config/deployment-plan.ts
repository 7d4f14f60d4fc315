/**
 * The deployment plan derived from a validated config: which registries exist,
 * which stack manages each, what each replicates and to whom. Pure data, no
 * constructs: stacks and the audit read the same plan.
 */
import { AccountConfig, Config, RepositoryConfig } from './schema';
import { ReplicationRule, replicationFiltersFor, replicationRulesFor } from '../ecr/replication-rules';
import { Partition, partitionOf } from '../ecr/regions';

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
export function sourceRepositoryNames(config: Pick<Config, 'repositories'>, source: { readonly repositories?: readonly string[] }): string[] {
  return source.repositories ? [...source.repositories] : config.repositories.map((repository) => repository.name);
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
  }
  const drafts = new Map<string, DestinationDraft>();

  const sourceDrafts = config.sources.map((source) => {
    // Retired repositories stay placed (their registries carry the removal) but are no longer replicated.
    const placed = sourceRepositoryNames(config, source);
    const names = placed.filter((name) => !repositoriesByName.get(name)!.removal);
    const filters = replicationFiltersFor(names);
    const destinationKeys = source.destinations.map((destination) => {
      const key = registryKey(destination.account, destination.region);
      let draft = drafts.get(key);
      if (!draft) {
        draft = {
          registry: registryOf(destination.account, destination.region),
          repositoryNames: new Set(),
          filtersByAccount: new Map(),
          templates: true,
        };
        drafts.set(key, draft);
      }
      placed.forEach((name) => draft!.repositoryNames.add(name));
      const accountFilters = draft.filtersByAccount.get(source.account) ?? new Set<string>();
      filters.forEach((filter) => accountFilters.add(filter));
      draft.filtersByAccount.set(source.account, accountFilters);
      draft.templates = draft.templates && destination.repositoryCreationTemplates;
      return key;
    });
    return { source, placed, filters, destinationKeys };
  });

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
    });
  }

  const sources = sourceDrafts.map(({ source, placed, filters, destinationKeys }) => {
    const destinations = destinationKeys.map((key) => destinationPlans.get(key)!).sort(byAccountIdAndRegion);
    const repositories = placed.map((name) => repositoriesByName.get(name)!);
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
    };
  });

  const destinations = [...destinationPlans.values()].sort((left, right) => (left.stackName < right.stackName ? -1 : left.stackName > right.stackName ? 1 : 0));
  return { destinations, sources };
}
