/**
 * ECR replication with `PREFIX_MATCH` filters: the fewest filters that cover
 * a set of repository names, and the split of destinations x filters into
 * rules within ECR's limits (25 destinations and 100 filters per rule, 10
 * rules per registry).
 */
import { REPLICATION_LIMITS } from './limits';

/** A registry does not replicate to itself. */
export const SELF_REPLICATION_RULE = 'a destination cannot be its own source registry: change the account or the region';

/** One replication rule: every destination receives every filter. */
export interface ReplicationRule<D> {
  /** At most 25 destinations. */
  readonly destinations: readonly D[];
  /** At most 100 `PREFIX_MATCH` filters. */
  readonly filters: readonly string[];
}

/**
 * The smallest set of `PREFIX_MATCH` filters that replicates the given
 * repositories: a name that starts with another listed name is already
 * covered by it. Sorted, so names sharing a prefix are adjacent.
 */
export function replicationFiltersFor(repositoryNames: readonly string[]): string[] {
  const sorted = [...new Set(repositoryNames)].sort();
  const filters: string[] = [];
  for (const name of sorted) {
    const last = filters[filters.length - 1];
    if (last === undefined || !name.startsWith(last)) filters.push(name);
  }
  return filters;
}

/** `items` cut into lists of at most `size`, in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * Replication rules for one source: every destination receives every filter.
 * A rule holds at most 25 destinations and 100 filters, so the cross product
 * of destination chunks and filter chunks keeps the meaning.
 */
export function replicationRulesFor<D>(destinations: readonly D[], filters: readonly string[]): ReplicationRule<D>[] {
  const rules: ReplicationRule<D>[] = [];
  for (const destinationChunk of chunk(destinations, REPLICATION_LIMITS.destinationsPerRule)) {
    for (const filterChunk of chunk(filters, REPLICATION_LIMITS.filtersPerRule)) {
      rules.push({ destinations: destinationChunk, filters: filterChunk });
    }
  }
  return rules;
}

/** The number of rules `destinationCount` destinations and `filterCount` filters need. */
export function replicationRuleCount(destinationCount: number, filterCount: number): number {
  return Math.ceil(destinationCount / REPLICATION_LIMITS.destinationsPerRule) * Math.ceil(filterCount / REPLICATION_LIMITS.filtersPerRule);
}

/** ECR's rule limit, with the numbers: undefined when the split fits. */
export function replicationRuleLimitProblem(destinationCount: number, filterCount: number): string | undefined {
  const excess = replicationRuleExcess(destinationCount, filterCount);
  return excess === undefined ? undefined : `${excess}: replicate fewer repositories or destinations, or use shared name prefixes (namespaces)`;
}

/**
 * Hand-written rules beyond ECR's limit whose destinations and filters would
 * fit when split evenly: undefined when `ruleCount` is within the limit or
 * the split does not fit either (then `replicationFitProblem` says why).
 */
export function replicationRuleCountProblem(ruleCount: number, destinationCount: number, filterCount: number): string | undefined {
  const needed = replicationRuleCount(destinationCount, filterCount);
  if (ruleCount <= REPLICATION_LIMITS.rulesPerConfiguration || needed > REPLICATION_LIMITS.rulesPerConfiguration) return undefined;
  return (
    `${ruleCount} replication rules are above the ECR limit of ${REPLICATION_LIMITS.rulesPerConfiguration}, but their ${destinationCount} destinations and ${filterCount} filters ` +
    `fit in ${needed} when every destination receives every filter (at most ${REPLICATION_LIMITS.destinationsPerRule} destinations and ${REPLICATION_LIMITS.filtersPerRule} filters each): ` +
    'merge them (ReplicationConfiguration.rulesFor builds the fewest rules), or split the destinations across source registries'
  );
}

/** What exceeds ECR's rule limit, with the numbers (no advice): undefined when the split fits. */
export function replicationRuleExcess(destinationCount: number, filterCount: number): string | undefined {
  const rules = replicationRuleCount(destinationCount, filterCount);
  if (rules <= REPLICATION_LIMITS.rulesPerConfiguration) return undefined;
  return (
    `${destinationCount} destinations and ${filterCount} filters need ${rules} replication rules ` +
    `(at most ${REPLICATION_LIMITS.destinationsPerRule} destinations and ${REPLICATION_LIMITS.filtersPerRule} filters each), ` +
    `above the ECR limit of ${REPLICATION_LIMITS.rulesPerConfiguration}`
  );
}

/**
 * The most filters one source can replicate to `destinationCount`
 * destinations: every destination chunk of 25 repeats the filters, so 10
 * rules leave floor(10 / chunks) x 100 filters (1,000 for up to 25
 * destinations, 0 beyond 250).
 */
export function replicationFilterBudget(destinationCount: number): number {
  const destinationChunks = Math.max(1, Math.ceil(destinationCount / REPLICATION_LIMITS.destinationsPerRule));
  return Math.min(
    REPLICATION_LIMITS.filtersPerConfiguration,
    Math.floor(REPLICATION_LIMITS.rulesPerConfiguration / destinationChunks) * REPLICATION_LIMITS.filtersPerRule,
  );
}

/** ECR's `PREFIX_MATCH` filter: 2 to 256 characters of this pattern (ECR API reference, RepositoryFilter). */
export const REPLICATION_FILTER_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*\/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$/;
/** A replication filter is 2 to 256 characters long. */
export const REPLICATION_FILTER_LENGTH = {
  /** The shortest filter. */
  min: 2,
  /** The longest filter. */
  max: 256,
} as const;

/** The rule a replication filter breaks, or undefined. */
export function replicationFilterProblem(filter: string): string | undefined {
  if (filter.length < REPLICATION_FILTER_LENGTH.min || filter.length > REPLICATION_FILTER_LENGTH.max || !REPLICATION_FILTER_PATTERN.test(filter)) {
    return `must be an ECR replication filter: ${REPLICATION_FILTER_LENGTH.min} to ${REPLICATION_FILTER_LENGTH.max} characters, a repository-name prefix (lowercase segments separated by "/")`;
  }
  return undefined;
}
