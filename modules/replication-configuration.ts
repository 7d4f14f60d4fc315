/**
 * A source registry's replication configuration: exactly one per registry,
 * with `PREFIX_MATCH` rules. The rules come split within ECR's limits (25
 * destinations and 100 filters per rule, 10 rules): the deployment plan
 * computes them once, or `ReplicationConfiguration.rulesFor` does for a
 * caller without a plan.
 */
import { Construct } from 'constructs';
import { Precondition } from 'cdktf';
import { EcrReplicationConfiguration } from '@cdktf/provider-aws/lib/ecr-replication-configuration';
import { REPLICATION_LIMITS } from './ecr/limits';
import {
  ReplicationRule,
  replicationFilterProblem,
  replicationFiltersFor,
  replicationRuleLimitProblem,
  replicationRulesFor,
  SELF_REPLICATION_RULE,
} from './ecr/replication-rules';
import { describeRegistry, EcrRegistry, sameRegistry } from './registry';

/** A registry images are replicated to. */
export interface ReplicationDestination {
  readonly accountId: string;
  readonly region: string;
}

export interface ReplicationConfigurationProps {
  /** The source registry. */
  readonly registry: EcrRegistry;
  /** The rules, in order: each replicates its filters to its destinations. At least one. */
  readonly rules: readonly ReplicationRule<ReplicationDestination>[];
  /** Checks Terraform makes before planning the configuration. @default [] */
  readonly preconditions?: readonly Precondition[];
}

export class ReplicationConfiguration extends Construct {
  /**
   * Rules that send every repository to every destination: names reduced to
   * the fewest `PREFIX_MATCH` filters, split by ECR's per-rule limits.
   */
  static rulesFor(destinations: readonly ReplicationDestination[], repositoryNames: readonly string[]): ReplicationRule<ReplicationDestination>[] {
    return replicationRulesFor(destinations, replicationFiltersFor(repositoryNames));
  }

  readonly configuration: EcrReplicationConfiguration;
  /** Every filter of the rules, sorted and without duplicates. */
  readonly filters: readonly string[];

  constructor(scope: Construct, id: string, props: ReplicationConfigurationProps) {
    super(scope, id);
    const { registry, rules } = props;
    if (rules.length === 0) throw new Error(`ReplicationConfiguration ${id}: rules must hold at least one rule`);
    rules.forEach((rule, index) => {
      if (rule.destinations.length === 0 || rule.filters.length === 0) {
        throw new Error(`ReplicationConfiguration ${id}: rules[${index}] must name at least one destination and one filter`);
      }
      if (rule.destinations.length > REPLICATION_LIMITS.destinationsPerRule || rule.filters.length > REPLICATION_LIMITS.filtersPerRule) {
        throw new Error(
          `ReplicationConfiguration ${id}: rules[${index}] has ${rule.destinations.length} destinations and ${rule.filters.length} filters, ` +
            `above ECR's ${REPLICATION_LIMITS.destinationsPerRule} destinations and ${REPLICATION_LIMITS.filtersPerRule} filters per rule: split it (ReplicationConfiguration.rulesFor)`,
        );
      }
      rule.filters.forEach((filter, filterIndex) => {
        const problem = replicationFilterProblem(filter);
        if (problem !== undefined) throw new Error(`ReplicationConfiguration ${id}: rules[${index}].filters[${filterIndex}] (received "${filter}") ${problem}`);
      });
      const self = rule.destinations.find((destination) => sameRegistry(destination, registry));
      if (self !== undefined) {
        throw new Error(`ReplicationConfiguration ${id}: rules[${index}] names ${describeRegistry(registry)}: ${SELF_REPLICATION_RULE}`);
      }
    });
    if (rules.length > REPLICATION_LIMITS.rulesPerConfiguration) {
      const destinations = new Set(rules.flatMap((rule) => rule.destinations.map((destination) => `${destination.accountId}/${destination.region}`)));
      const filters = new Set(rules.flatMap((rule) => rule.filters));
      throw new Error(
        `ReplicationConfiguration ${id}: ${replicationRuleLimitProblem(destinations.size, filters.size) ?? `${rules.length} rules are above ECR's limit`}`,
      );
    }
    this.filters = [...new Set(rules.flatMap((rule) => rule.filters))].sort();
    this.configuration = new EcrReplicationConfiguration(this, 'Resource', {
      provider: registry.provider,
      replicationConfiguration: {
        rule: rules.map((rule) => ({
          destination: rule.destinations.map((destination) => ({ region: destination.region, registryId: destination.accountId })),
          repositoryFilter: rule.filters.map((filter) => ({ filter, filterType: 'PREFIX_MATCH' })),
        })),
      },
      lifecycle: props.preconditions && props.preconditions.length > 0 ? { precondition: [...props.preconditions] } : undefined,
    });
  }
}
