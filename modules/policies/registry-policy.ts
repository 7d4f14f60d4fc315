/**
 * The destination registry's permission statement for cross-account
 * replication (seed 000): each source account may create and replicate into
 * the repositories its filters cover, and nothing else.
 */
import { accountRootArn, ecrRepositoryArn, Partition } from '../ecr/regions';
import { policyDocument, PolicyDocument, PolicyStatement, sortedUnique, withAddedStatements } from './policy-document';

/** What a replicating source account may do in the destination registry (seed 000). */
export const REPLICATION_ACTIONS: readonly string[] = ['ecr:CreateRepository', 'ecr:ReplicateImage'];

/** A source account that replicates into the registry. */
export interface ReplicatingAccount {
  /** Name used in the statement id. */
  readonly name: string;
  /** The source's 12-digit account id. */
  readonly accountId: string;
  /** `PREFIX_MATCH` filters the account replicates with. */
  readonly replicationFilters: readonly string[];
}

/** What `replicationRegistryPolicy` needs. */
export interface RegistryPolicyProps {
  /** The destination registry's partition. */
  readonly partition: Partition;
  /** The destination registry's region. */
  readonly region: string;
  /** The destination registry's account. */
  readonly accountId: string;
  /** Every account that replicates into the registry, with its filters. */
  readonly sources: readonly ReplicatingAccount[];
  /** Statements kept beside the replication statements (a registry has one policy). @default [] */
  readonly additionalStatements?: readonly PolicyStatement[];
}

/** Repository ARNs a set of `PREFIX_MATCH` filters can reach: `repository/<filter>*`. */
export function repositoryArnsForFilters(partition: Partition, region: string, accountId: string, filters: readonly string[]): string[] {
  return sortedUnique(filters.map((filter) => `${ecrRepositoryArn(partition, region, accountId, filter)}*`));
}

/** The destination registry's one policy: a statement per source account, on its own filters only, then the caller's statements. */
export function replicationRegistryPolicy(props: RegistryPolicyProps): PolicyDocument {
  const statements = [...props.sources]
    .sort((left, right) => (left.accountId < right.accountId ? -1 : left.accountId > right.accountId ? 1 : 0))
    .map((source) => ({
      Sid: `AllowReplicationFrom${pascalCase(source.name)}${source.accountId}`,
      Effect: 'Allow' as const,
      Principal: { AWS: accountRootArn(props.partition, source.accountId) },
      Action: REPLICATION_ACTIONS,
      Resource: repositoryArnsForFilters(props.partition, props.region, props.accountId, source.replicationFilters),
    }));
  return policyDocument(withAddedStatements('registry policy', statements, props.additionalStatements));
}

function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
