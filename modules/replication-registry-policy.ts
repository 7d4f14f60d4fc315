/**
 * The destination registry's policy for cross-account replication. A registry
 * has exactly one policy: applying this one replaces whatever was there, so it
 * merges every source account that replicates into the registry.
 */
import { Construct } from 'constructs';
import { TerraformProvider } from 'cdktf';
import { EcrRegistryPolicy } from '@cdktf/provider-aws/lib/ecr-registry-policy';
import { renderPolicy } from '../policies/policy-document';
import { ReplicatingAccount, replicationRegistryPolicy } from '../policies/registry-policy';
import { RegistryLocation } from './registry';

export interface ReplicationRegistryPolicyProps {
  readonly provider: TerraformProvider;
  /** The destination registry. */
  readonly location: RegistryLocation;
  /** Accounts that replicate into the registry, each with the filters it replicates. At least one. */
  readonly sources: readonly ReplicatingAccount[];
}

export class ReplicationRegistryPolicy extends Construct {
  readonly policy: EcrRegistryPolicy;

  constructor(scope: Construct, id: string, props: ReplicationRegistryPolicyProps) {
    super(scope, id);
    if (props.sources.length === 0) throw new Error(`ReplicationRegistryPolicy ${id}: sources must name at least one replicating account`);
    for (const source of props.sources) {
      if (source.accountId === props.location.accountId) {
        throw new Error(
          `ReplicationRegistryPolicy ${id}: source account ${source.accountId} is the registry's own account; same-account replication needs no registry policy`,
        );
      }
      if (source.replicationFilters.length === 0) {
        throw new Error(
          `ReplicationRegistryPolicy ${id}: source account ${source.accountId} has no replication filters; list the repository prefixes it replicates`,
        );
      }
    }
    this.policy = new EcrRegistryPolicy(this, 'Resource', {
      provider: props.provider,
      policy: renderPolicy(
        replicationRegistryPolicy({
          partition: props.location.partition,
          region: props.location.region,
          accountId: props.location.accountId,
          sources: props.sources,
        }),
      ),
    });
  }
}
