/**
 * The destination registry's policy for cross-account replication. A registry
 * has exactly one policy: applying this one replaces whatever was there, so it
 * merges every source account that replicates into the registry, and keeps
 * the caller's other statements (`additionalStatements`).
 */
import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { EcrRegistryPolicy } from '@cdktf/provider-aws/lib/ecr-registry-policy';
import { accountIdProblem } from './ecr/principals';
import { replicationFilterProblem } from './ecr/replication-rules';
import { PolicyStatement, renderPolicy } from './policies/policy-document';
import { ReplicatingAccount, replicationRegistryPolicy } from './policies/registry-policy';
import { checkRegistry, claimRegistrySingleton, EcrRegistry } from './registry';
import { constructLabel, propError } from './validation';

/** What `ReplicationRegistryPolicy` creates. */
export interface ReplicationRegistryPolicyProps {
  /** The destination registry. */
  readonly registry: EcrRegistry;
  /** Accounts that replicate into the registry, each with the filters it replicates. At least one. */
  readonly sources: readonly ReplicatingAccount[];
  /** Other statements the registry's one policy must keep (e.g. pull-through cache or another replication). @default [] */
  readonly additionalStatements?: readonly PolicyStatement[];
}

/**
 * A destination registry's one registry policy (ECR keeps one per registry: a
 * second in the same app fails, naming both).
 */
export class ReplicationRegistryPolicy extends Construct {
  /** The `aws_ecr_registry_policy` resource. */
  readonly policy: EcrRegistryPolicy;

  constructor(scope: Construct, id: string, props: ReplicationRegistryPolicyProps) {
    super(scope, id);
    const label = constructLabel('ReplicationRegistryPolicy', this);
    const { registry } = props;
    checkRegistry(label, registry);
    if (props.sources.length === 0) throw propError(label, 'sources', [], 'must name at least one replicating account');
    props.sources.forEach((source, index) => {
      const where = `sources[${index}]`;
      const accountProblem = Token.isUnresolved(source.accountId) ? undefined : accountIdProblem(source.accountId);
      if (accountProblem !== undefined) throw propError(label, `${where}.accountId`, source.accountId, accountProblem);
      if (source.accountId === registry.accountId) {
        throw propError(
          label,
          `${where}.accountId`,
          source.accountId,
          "is the registry's own account; same-account replication needs no registry policy: leave this source out",
        );
      }
      if (source.replicationFilters.length === 0) {
        throw propError(label, `${where}.replicationFilters`, [], 'must list the repository prefixes the account replicates');
      }
      source.replicationFilters.forEach((filter, filterIndex) => {
        const problem = replicationFilterProblem(filter);
        if (problem !== undefined) throw propError(label, `${where}.replicationFilters[${filterIndex}]`, filter, problem);
      });
    });
    claimRegistrySingleton('ReplicationRegistryPolicy', this, registry);
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
