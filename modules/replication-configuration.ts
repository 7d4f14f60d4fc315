/**
 * A source registry's replication configuration: exactly one per registry,
 * with `PREFIX_MATCH` rules. Rules are split to respect ECR's limits
 * (25 destinations and 100 filters per rule, 10 rules).
 */
import { Construct } from 'constructs';
import { Precondition, TerraformProvider } from 'cdktf';
import { EcrReplicationConfiguration } from '@cdktf/provider-aws/lib/ecr-replication-configuration';
import { REPLICATION_LIMITS } from '../ecr/limits';
import { replicationFiltersFor, replicationRulesFor } from '../ecr/replication-rules';
import { RegistryLocation } from './registry';

export interface ReplicationDestination {
  readonly accountId: string;
  readonly region: string;
}

export interface ReplicationConfigurationProps {
  readonly provider: TerraformProvider;
  /** The source registry. */
  readonly location: RegistryLocation;
  /** Where images go; every destination receives every repository. */
  readonly destinations: readonly ReplicationDestination[];
  /** Names of the replicated repositories; reduced to the fewest `PREFIX_MATCH` filters. */
  readonly repositoryNames: readonly string[];
  /** Checks Terraform makes before planning the configuration. @default [] */
  readonly preconditions?: readonly Precondition[];
}

export class ReplicationConfiguration extends Construct {
  readonly configuration: EcrReplicationConfiguration;
  readonly filters: readonly string[];

  constructor(scope: Construct, id: string, props: ReplicationConfigurationProps) {
    super(scope, id);
    if (props.destinations.length === 0) throw new Error(`ReplicationConfiguration ${id}: destinations must name at least one registry`);
    for (const destination of props.destinations) {
      if (destination.accountId === props.location.accountId && destination.region === props.location.region) {
        throw new Error(
          `ReplicationConfiguration ${id}: a destination cannot be the source registry itself (account ${destination.accountId} in ${destination.region})`,
        );
      }
    }
    this.filters = replicationFiltersFor(props.repositoryNames);
    if (this.filters.length === 0) throw new Error(`ReplicationConfiguration ${id}: repositoryNames must name at least one repository`);
    const rules = replicationRulesFor(props.destinations, this.filters);
    if (rules.length > REPLICATION_LIMITS.rulesPerConfiguration) {
      throw new Error(
        `ReplicationConfiguration ${id}: ${props.destinations.length} destinations and ${this.filters.length} filters need ${rules.length} rules, ` +
          `above ECR's limit of ${REPLICATION_LIMITS.rulesPerConfiguration}: replicate fewer repositories or group them under shared prefixes`,
      );
    }
    this.configuration = new EcrReplicationConfiguration(this, 'Resource', {
      provider: props.provider,
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
