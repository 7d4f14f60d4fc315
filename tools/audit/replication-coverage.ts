/**
 * The guard's rule, against an account instead of the Terraform state: each
 * repository a source replicates exists in the destination, encrypted with
 * KMS under the destination's own key. The live audit reports it; the
 * backfill refuses a destination that breaks it.
 */
import { Repository } from '@aws-sdk/client-ecr';

export interface CoverageProblem {
  readonly repository: string;
  readonly problem: string;
}

/** Names (sorted) of the repositories matched by PREFIX_MATCH filters. */
export function matchingRepositories(names: Iterable<string>, filters: readonly string[]): string[] {
  return [...new Set([...names].filter((name) => filters.some((filter) => name.startsWith(filter))))].sort();
}

/** Problems of one destination for `names`; `keyArn` is the destination's key (undefined: its alias does not exist). */
export function coverageProblems(
  names: readonly string[],
  destinationRepositories: readonly Repository[],
  keyArn: string | undefined,
  keyAlias: string,
): CoverageProblem[] {
  const byName = new Map(destinationRepositories.map((repository) => [repository.repositoryName, repository]));
  return [...names].sort().flatMap((name): CoverageProblem[] => {
    const repository = byName.get(name);
    if (!repository) return [{ repository: name, problem: 'does not exist in the destination' }];
    const encryption = repository.encryptionConfiguration;
    if (!encryption?.encryptionType?.startsWith('KMS')) {
      return [{ repository: name, problem: `is encrypted with ${encryption?.encryptionType ?? 'AES256'}, not with the destination's KMS key` }];
    }
    if (!keyArn) return [{ repository: name, problem: `cannot be checked: the destination has no key ${keyAlias}` }];
    if (encryption.kmsKey !== keyArn)
      return [{ repository: name, problem: `is encrypted with key ${encryption.kmsKey ?? 'aws/ecr'}, not the destination's key ${keyArn}` }];
    return [];
  });
}
