/**
 * ECR replication with `PREFIX_MATCH` filters: the fewest filters that cover
 * a set of repository names, and the split of destinations x filters into
 * rules within ECR's limits (25 destinations and 100 filters per rule, 10
 * rules per registry).
 */
import { REPLICATION_LIMITS } from './limits';

/** A registry does not replicate to itself. */
export const SELF_REPLICATION_RULE = 'a destination cannot be its own source registry: change the account or the region';

export interface ReplicationRule<D> {
  readonly destinations: readonly D[];
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
  const rules = replicationRuleCount(destinationCount, filterCount);
  if (rules <= REPLICATION_LIMITS.rulesPerConfiguration) return undefined;
  return (
    `${destinationCount} destinations and ${filterCount} filters need ${rules} replication rules ` +
    `(at most ${REPLICATION_LIMITS.destinationsPerRule} destinations and ${REPLICATION_LIMITS.filtersPerRule} filters each), ` +
    `above the ECR limit of ${REPLICATION_LIMITS.rulesPerConfiguration}: replicate fewer repositories or destinations, or use shared name prefixes (namespaces)`
  );
}
