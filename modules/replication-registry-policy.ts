/**
 * The destination registry's policy for cross-account replication. A registry
 * has exactly one policy: applying this one replaces whatever was there, so it
 * merges every source account that replicates into the registry, and keeps
 * the caller's other statements (`additionalStatements`).
 */
import { Construct } from 'constructs';
import { EcrRegistryPolicy } from '@cdktf/provider-aws/lib/ecr-registry-policy';
import { PolicyStatement, renderPolicy } from './policies/policy-document';
import { ReplicatingAccount, replicationRegistryPolicy } from './policies/registry-policy';
import { EcrRegistry } from './registry';

export interface ReplicationRegistryPolicyProps {
  /** The destination registry. */
  readonly registry: EcrRegistry;
  /** Accounts that replicate into the registry, each with the filters it replicates. At least one. */
  readonly sources: readonly ReplicatingAccount[];
  /** Other statements the registry's one policy must keep (e.g. pull-through cache or another replication). @default [] */
  readonly additionalStatements?: readonly PolicyStatement[];
}

export class ReplicationRegistryPolicy extends Construct {
  readonly policy: EcrRegistryPolicy;

  constructor(scope: Construct, id: string, props: ReplicationRegistryPolicyProps) {
    super(scope, id);
    const { registry } = props;
    if (props.sources.length === 0) throw new Error(`ReplicationRegistryPolicy ${id}: sources must name at least one replicating account`);
    for (const source of props.sources) {
      if (source.accountId === registry.accountId) {
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
      provider: registry.provider,
      policy: renderPolicy(
        replicationRegistryPolicy({
          partition: registry.partition,
          region: registry.region,
          accountId: registry.accountId,
          sources: props.sources,
          additionalStatements: props.additionalStatements,
        }),
      ),
    });
  }
}
