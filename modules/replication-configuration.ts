/**
 * A source registry's replication configuration: exactly one per registry,
 * with `PREFIX_MATCH` rules. The rules come split within ECR's limits (25
 * destinations and 100 filters per rule, 10 rules): the deployment plan
 * computes them once, or `ReplicationConfiguration.rulesFor` does for a
 * caller without a plan.
 */
import { Construct } from 'constructs';
import { Precondition, Token } from 'cdktf';
import { EcrReplicationConfiguration } from '@cdktf/provider-aws/lib/ecr-replication-configuration';
import { REPLICATION_LIMITS } from './ecr/limits';
import { replicationFitProblem } from './ecr/namespaces';
import { accountIdProblem } from './ecr/principals';
import { crossPartitionReplicationProblem, regionProblem } from './ecr/regions';
import {
  ReplicationRule,
  replicationFilterProblem,
  replicationFiltersFor,
  replicationRuleCountProblem,
  replicationRulesFor,
  SELF_REPLICATION_RULE,
} from './ecr/replication-rules';
import { checkRegistry, claimRegistrySingleton, describeRegistry, EcrRegistry, sameRegistry } from './registry';
import { constructLabel, propError } from './validation';

/** How a construct user replicates a namespace: the fix of the rule limit's message. */
const CONSTRUCT_NAMESPACE_FIX = 'list each as one filter: ReplicationConfiguration.rulesFor(destinations, namespaces)';

/** A registry images are replicated to. */
export interface ReplicationDestination {
  /** The destination registry's 12-digit account id. */
  readonly accountId: string;
  /** The destination registry's region, in the source's partition. */
  readonly region: string;
}

/** What `ReplicationConfiguration` creates. */
export interface ReplicationConfigurationProps {
  /** The source registry. */
  readonly registry: EcrRegistry;
  /** The rules, in order: each replicates its filters to its destinations. At least one. */
  readonly rules: readonly ReplicationRule<ReplicationDestination>[];
  /** Checks Terraform makes before planning the configuration. @default [] */
  readonly preconditions?: readonly Precondition[];
}

/**
 * A source registry's one replication configuration (ECR keeps one per
 * registry: a second in the same app fails, naming both).
 */
export class ReplicationConfiguration extends Construct {
  /**
   * Rules that send every repository to every destination: names reduced to
   * the fewest `PREFIX_MATCH` filters, split by ECR's per-rule limits.
   */
  static rulesFor(destinations: readonly ReplicationDestination[], repositoryNames: readonly string[]): ReplicationRule<ReplicationDestination>[] {
    return replicationRulesFor(destinations, replicationFiltersFor(repositoryNames));
  }

  /** The `aws_ecr_replication_configuration` resource. */
  readonly configuration: EcrReplicationConfiguration;
  /** Every filter of the rules, sorted and without duplicates. */
  readonly filters: readonly string[];

  constructor(scope: Construct, id: string, props: ReplicationConfigurationProps) {
    super(scope, id);
    const label = constructLabel('ReplicationConfiguration', this);
    const { registry, rules } = props;
    checkRegistry(label, registry);
    if (rules.length === 0)
      throw propError(label, 'rules', [], 'must hold at least one rule, e.g. ReplicationConfiguration.rulesFor(destinations, repositoryNames)');
    rules.forEach((rule, index) => {
      if (rule.destinations.length === 0 || rule.filters.length === 0) {
        throw propError(label, `rules[${index}]`, summary(rule), 'must name at least one destination and one filter');
      }
      if (rule.destinations.length > REPLICATION_LIMITS.destinationsPerRule || rule.filters.length > REPLICATION_LIMITS.filtersPerRule) {
        throw propError(
          label,
          `rules[${index}]`,
          summary(rule),
          `has ${rule.destinations.length} destinations and ${rule.filters.length} filters, above ECR's ${REPLICATION_LIMITS.destinationsPerRule} destinations and ${REPLICATION_LIMITS.filtersPerRule} filters per rule: split it (ReplicationConfiguration.rulesFor)`,
        );
      }
      rule.filters.forEach((filter, filterIndex) => {
        const problem = replicationFilterProblem(filter);
        if (problem !== undefined) throw propError(label, `rules[${index}].filters[${filterIndex}]`, filter, problem);
      });
      rule.destinations.forEach((destination, destinationIndex) => {
        const where = `rules[${index}].destinations[${destinationIndex}]`;
        const accountProblem = Token.isUnresolved(destination.accountId) ? undefined : accountIdProblem(destination.accountId);
        if (accountProblem !== undefined) throw propError(label, `${where}.accountId`, destination.accountId, accountProblem);
        if (Token.isUnresolved(destination.region)) return;
        const regionRule = regionProblem(destination.region);
        if (regionRule !== undefined) throw propError(label, `${where}.region`, destination.region, regionRule);
        const partitionRule = Token.isUnresolved(registry.region) ? undefined : crossPartitionReplicationProblem(registry.region, destination.region);
        if (partitionRule !== undefined) throw propError(label, `${where}.region`, destination.region, partitionRule);
        if (sameRegistry(destination, registry)) {
          throw propError(
            label,
            where,
            { accountId: destination.accountId, region: destination.region },
            `names ${describeRegistry(registry)}: ${SELF_REPLICATION_RULE}`,
          );
        }
      });
    });
    if (rules.length > REPLICATION_LIMITS.rulesPerConfiguration) {
      const destinations = new Set(rules.flatMap((rule) => rule.destinations.map((destination) => `${destination.accountId}/${destination.region}`)));
      // The fewest filters that cover the rules' filters: what a split into rules would need.
      const filters = replicationFiltersFor(rules.flatMap((rule) => rule.filters));
      const problem =
        replicationFitProblem(destinations.size, filters, () => true, CONSTRUCT_NAMESPACE_FIX) ??
        replicationRuleCountProblem(rules.length, destinations.size, filters.length);
      throw propError(label, 'rules', { rules: rules.length, destinations: destinations.size, filters: filters.length }, problem!);
    }
    claimRegistrySingleton('ReplicationConfiguration', this, registry);
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

/** A rule as its messages quote it: its sizes, not its (possibly long) lists. */
function summary(rule: ReplicationRule<ReplicationDestination>): { destinations: number; filters: number } {
  return { destinations: rule.destinations.length, filters: rule.filters.length };
}
