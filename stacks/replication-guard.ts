/**
 * The plan-time guard of a source stack: before the replication configuration
 * is planned, every repository it replicates must exist in every destination,
 * encrypted with KMS under that destination's customer-managed key. Otherwise
 * the first push would create AES256-encrypted replicas (seeds 000 and 002).
 */
import { Precondition, TerraformIterator, Token } from 'cdktf';

export interface GuardedDestination {
  readonly stackName: string;
  /** Terraform expression for the destination stack's outputs object (null when it has no state yet). */
  readonly outputs: string;
}

export function destinationNotReadyMessage(stackName: string): string {
  return (
    `Destination stack ${stackName} has not been applied, or one of its repositories is missing or not encrypted with its ` +
    `customer-managed KMS key. Apply it first (npm run deploy -- ${stackName}), then plan this stack again.`
  );
}

/**
 * What a source expects of a destination beyond its registry-key repositories
 * (namespaces, keys per namespace). Empty, the guard is the same expression as
 * before namespaces existed.
 */
export interface GuardExpectations {
  /** Repositories encrypted with a namespace's own key, by namespace (`team-a/`). */
  readonly repositoriesByKeyNamespace?: ReadonlyMap<string, readonly string[]>;
  /** Creation templates (prefix `team-a`) that must create KMS repositories, with the namespace whose key they use (none: the registry key). */
  readonly templates?: readonly { readonly prefix: string; readonly keyNamespace?: string }[];
}

/** `alltrue([for name in <names> : try(<the repository is KMS-encrypted with the destination key>, false)])` */
export function destinationReadyPrecondition(
  destination: GuardedDestination,
  repositoryNames: readonly string[],
  expectations: GuardExpectations = {},
): Precondition {
  const repositories = `${destination.outputs}.repositories`;
  const keyArn = `${destination.outputs}.kms_key_arn`;
  const namespaceKeyArn = (namespace: string) => `${destination.outputs}.namespace_kms_key_arns[${JSON.stringify(namespace)}]`;
  const encryptedWith = (collection: string, names: readonly string[], key: string) =>
    Token.asString(
      TerraformIterator.fromList([...names].sort()).forExpressionForList(
        `try(${collection}[val].encryption_type == "KMS" && ${collection}[val].kms_key == ${key} && startswith(${key}, "arn:"), false)`,
      ),
    );
  const terms = [`alltrue(${encryptedWith(repositories, repositoryNames, keyArn)})`];
  for (const [namespace, names] of [...(expectations.repositoriesByKeyNamespace ?? new Map<string, readonly string[]>())].sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    terms.push(`alltrue(${encryptedWith(repositories, names, namespaceKeyArn(namespace))})`);
  }
  const templates = `${destination.outputs}.creation_templates`;
  const byKey = new Map<string, string[]>();
  for (const template of expectations.templates ?? []) {
    const key = template.keyNamespace ?? '';
    byKey.set(key, [...(byKey.get(key) ?? []), template.prefix]);
  }
  for (const [namespace, prefixes] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
    terms.push(`alltrue(${encryptedWith(templates, prefixes, namespace === '' ? keyArn : namespaceKeyArn(namespace))})`);
  }
  return {
    condition: Token.asString(`\${${terms.join(' && ')}}`),
    errorMessage: destinationNotReadyMessage(destination.stackName),
  };
}
