/**
 * Namespaces: repository-name prefixes ending in "/" (`team-a/`,
 * `org/team-b/`) that ECR replicates as one `PREFIX_MATCH` filter, including
 * repositories created after the deploy, and that one repository creation
 * template (prefix `team-a`) covers in a destination. The planner uses them to
 * stay within ECR's filter limits, and when a set of names does not fit,
 * `namespacesThatFit` names the namespaces that would make it fit.
 */
import { REPOSITORY_NAME_LENGTH } from './repository-name';
import { REPLICATION_LIMITS } from './limits';
import { replicationFilterBudget, replicationFiltersFor, replicationRuleExcess } from './replication-rules';

/** One or more lowercase path segments, each followed by "/": `team-a/`, `org/team-b/`. */
export const NAMESPACE_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)+$/;
/**
 * A namespace is a replication filter (ECR: 2 to 256 characters) and holds
 * repositories of at most 256 characters, so it leaves room for one more
 * character: at most 255.
 */
export const NAMESPACE_LENGTH = {
  /** The shortest namespace. */
  min: 2,
  /** The longest namespace: room for one more character of a repository name. */
  max: REPOSITORY_NAME_LENGTH.max - 1,
} as const;

/** The namespace rules as messages. */
export const NAMESPACE_RULES = {
  /** The shape: lowercase segments each followed by "/". */
  pattern:
    'must be a repository-name prefix of lowercase segments (letters and digits separated by ".", "_" or "-"), each followed by "/", e.g. team-a/ or org/team-b/',
  /** The length. */
  length: `must be ${NAMESPACE_LENGTH.min} to ${NAMESPACE_LENGTH.max} characters long (a replication filter, and room for a repository name of at most ${REPOSITORY_NAME_LENGTH.max})`,
} as const;

/**
 * Repositories of a replicated namespace exist in a destination only once
 * replication creates them there, from the destination's creation template
 * (with its customer-managed key); without templates ECR creates them with
 * AES256. The rule for a destination without templates, with the namespaces.
 */
export function namespacesWithoutTemplatesRule(namespaces: readonly string[]): string {
  return `this source replicates the namespaces ${namespaces.join(', ')}, whose repositories only creation templates create (with the customer-managed key) in the destination: set true, or replicate listed repositories only`;
}

/** The first rule a namespace breaks, or undefined. */
export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.length < NAMESPACE_LENGTH.min || namespace.length > NAMESPACE_LENGTH.max) return NAMESPACE_RULES.length;
  if (!NAMESPACE_PATTERN.test(namespace)) return NAMESPACE_RULES.pattern;
  return undefined;
}

/** Whether a repository name lies inside a namespace. */
export function isInNamespace(name: string, namespace: string): boolean {
  return name.startsWith(namespace);
}

/** The most specific (longest) namespace of `namespaces` that holds `name`, or undefined. */
export function namespaceOf(name: string, namespaces: Iterable<string>): string | undefined {
  let found: string | undefined;
  for (const namespace of namespaces) if (isInNamespace(name, namespace) && (found === undefined || namespace.length > found.length)) found = namespace;
  return found;
}

/**
 * The repository creation template prefix of a namespace: the namespace
 * without its final "/" (ECR appends "/" to a template prefix itself).
 */
export function creationTemplatePrefixOfNamespace(namespace: string): string {
  return namespace.slice(0, -1);
}

/** A construct-id fragment for a namespace: `team-a/` -> `team-a`, `org/team-b/` -> `org_team-b`. */
export function namespaceSlug(namespace: string): string {
  return creationTemplatePrefixOfNamespace(namespace).replace(/[^a-z0-9-]/g, '_');
}

/** Every namespace (directory prefix) a repository name lies in, shortest first: `a/b/c` -> `a/`, `a/b/`. */
export function enclosingNamespaces(name: string): string[] {
  const namespaces: string[] = [];
  for (let slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) namespaces.push(name.slice(0, slash + 1));
  return namespaces;
}

/** Namespaces that would bring a source within ECR's filter limits, and the filters that leaves. */
export interface NamespaceSuggestion {
  /** Namespaces to replicate instead of the repositories inside them, sorted. */
  readonly namespaces: readonly string[];
  /** The number of filters once they replace their repositories. */
  readonly filterCount: number;
}

/**
 * The fewest namespaces whose filters, replacing the filters of the names
 * inside them, bring `names` within `budget` filters; undefined when no
 * grouping fits. `eligible` decides which namespaces may be proposed (e.g.
 * only those that would not replicate repositories the source does not
 * replicate today). Greedy by filters saved, largest first, ties to the
 * shorter then alphabetically first namespace: deterministic, and a parent
 * namespace always comes before its children.
 */
export function namespacesThatFit(
  names: readonly string[],
  budget: number,
  eligible: (namespace: string) => boolean = () => true,
): NamespaceSuggestion | undefined {
  const filters = replicationFiltersFor(names);
  if (filters.length <= budget) return { namespaces: [], filterCount: filters.length };
  const inside = new Map<string, number>();
  for (const filter of filters) for (const namespace of enclosingNamespaces(filter)) inside.set(namespace, (inside.get(namespace) ?? 0) + 1);
  const candidates = [...inside.entries()]
    .filter(([namespace, count]) => count > 1 && eligible(namespace))
    .sort(([left, leftCount], [right, rightCount]) => rightCount - leftCount || left.length - right.length || (left < right ? -1 : left > right ? 1 : 0));
  const chosen: string[] = [];
  let count = filters.length;
  for (const [namespace, filtersInside] of candidates) {
    if (count <= budget) break;
    if (chosen.some((parent) => namespace.startsWith(parent))) continue;
    // A chosen child is absorbed: the parent's saving counts the child's one filter, not its repositories.
    const absorbed = chosen.filter((child) => child.startsWith(namespace));
    const absorbedFilters = absorbed.reduce((sum, child) => sum + (inside.get(child) ?? 0), 0);
    const saving = filtersInside - 1 - absorbedFilters + absorbed.length;
    if (saving <= 0) continue;
    for (const child of absorbed) chosen.splice(chosen.indexOf(child), 1);
    chosen.push(namespace);
    count -= saving;
  }
  return count <= budget ? { namespaces: chosen.sort(), filterCount: count } : undefined;
}

/** How a config replicates namespaces: the fix `replicationFitProblem` gives by default. */
export const CONFIG_NAMESPACE_FIX = "define them under namespaces and list them in this source's namespaces";

/**
 * ECR's rule limit for one source, with the namespaces that would make it
 * fit (or why none can): undefined when `filters` fit `destinationCount`
 * destinations. `eligible` as in `namespacesThatFit`; `howToReplicateNamespaces`
 * says how the caller replicates a namespace (a config field, a construct prop).
 */
export function replicationFitProblem(
  destinationCount: number,
  filters: readonly string[],
  eligible: (namespace: string) => boolean = () => true,
  howToReplicateNamespaces: string = CONFIG_NAMESPACE_FIX,
): string | undefined {
  const excess = replicationRuleExcess(destinationCount, filters.length);
  if (excess === undefined) return undefined;
  const budget = replicationFilterBudget(destinationCount);
  if (budget === 0) {
    return `${excess}: one registry reaches at most ${REPLICATION_LIMITS.rulesPerConfiguration * REPLICATION_LIMITS.destinationsPerRule} destinations (${REPLICATION_LIMITS.rulesPerConfiguration} rules of ${REPLICATION_LIMITS.destinationsPerRule}): replicate to fewer destinations`;
  }
  const room = `${destinationCount} destinations leave room for ${budget} filters`;
  const suggestion = namespacesThatFit(filters, budget, eligible);
  if (suggestion === undefined) {
    return `${excess}; ${room} and no grouping of the repositories into namespaces fits: replicate fewer repositories or destinations, or split them across source registries`;
  }
  return (
    `${excess}; ${room}: replicate the namespaces ${suggestion.namespaces.join(', ')} instead of the repositories inside them ` +
    `(${howToReplicateNamespaces}), which gives ${suggestion.filterCount} filters`
  );
}

/**
 * A membership test for many names against many namespaces: a namespace ends
 * with "/", so a name lies in one exactly when one of its enclosing
 * namespaces is in the set (cost per name: its depth, not the namespace count).
 */
export function namespaceMembership(namespaces: Iterable<string>): (name: string) => boolean {
  const set = new Set(namespaces);
  if (set.size === 0) return () => false;
  return (name) => {
    for (let slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) if (set.has(name.slice(0, slash + 1))) return true;
    return false;
  };
}
