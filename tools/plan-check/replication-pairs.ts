/**
 * A replication configuration as what it replicates where: pairs of a
 * destination registry (`account/region`) and a repository filter. Rules are
 * split and merged by the project as limits require, so two configurations
 * are compared by these pairs, never rule by rule: a pair of the old
 * configuration that no rule of the new one covers is replication dropped.
 */

export interface ReplicationPair {
  /** `<registry id>/<region>` */
  readonly destination: string;
  /** A `PREFIX_MATCH` filter; `""` for a rule without filters (every repository). */
  readonly filter: string;
}

interface Rule {
  readonly destinations: readonly string[];
  /** Empty: every repository. */
  readonly filters: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider values, walked defensively
type Json = any;

/** The rules of an `aws_ecr_replication_configuration`'s values (`replication_configuration[0].rule`). */
export function replicationRules(values: Json): Rule[] {
  const configuration = Array.isArray(values?.replication_configuration) ? values.replication_configuration[0] : undefined;
  const rules: Json[] = Array.isArray(configuration?.rule) ? configuration.rule : [];
  return rules.map((rule) => ({
    destinations: (Array.isArray(rule?.destination) ? rule.destination : []).map((destination: Json) => `${destination?.registry_id}/${destination?.region}`),
    filters: (Array.isArray(rule?.repository_filter) ? rule.repository_filter : []).map((filter: Json) => String(filter?.filter)),
  }));
}

export function replicationPairs(rules: readonly Rule[]): ReplicationPair[] {
  return rules.flatMap((rule) =>
    rule.destinations.flatMap((destination) => (rule.filters.length === 0 ? [''] : rule.filters).map((filter) => ({ destination, filter }))),
  );
}

/** Whether a rule replicates what the pair replicated: same destination, and no filter or a prefix of the pair's filter. */
function covers(rule: Rule, pair: ReplicationPair): boolean {
  if (!rule.destinations.includes(pair.destination)) return false;
  if (rule.filters.length === 0) return true;
  return pair.filter !== '' && rule.filters.some((filter) => pair.filter.startsWith(filter));
}

/** Pairs of `before` that no rule of `after` covers. */
export function droppedPairs(before: readonly Rule[], after: readonly Rule[]): ReplicationPair[] {
  return replicationPairs(before).filter((pair) => !after.some((rule) => covers(rule, pair)));
}
