/**
 * The estate part of the deployment plan: which namespaces a source
 * replicates and a destination receives, and which namespace keys each
 * registry holds. Pure and deterministic (sorted output); deployment-plan.ts
 * calls these functions.
 */
import { LifecyclePolicy } from '../modules/ecr/lifecycle-policy';
import { creationTemplatePrefixOfNamespace, namespaceMembership, namespaceOf, namespaceSlug } from '../modules/ecr/namespaces';
import { Config, NamespaceConfig } from './schema';

/** A namespace replicated into a destination: one creation template (prefix without the final "/"). */
export interface NamespacePlan {
  /** `team-a/` */
  readonly prefix: string;
  /** `team-a`: the creation template's prefix. */
  readonly templatePrefix: string;
  readonly imageTagMutability: 'IMMUTABLE' | 'MUTABLE';
  readonly lifecyclePolicy?: LifecyclePolicy;
}

/** A namespace's own customer-managed key in one registry. */
export interface NamespaceKeyPlan {
  /** `team-a/` */
  readonly namespace: string;
  /** Construct-id fragment: the key is `kms_key_<slug>`. */
  readonly slug: string;
  readonly alias: string;
  /** The namespace key's administrators in this registry's account. Sorted. */
  readonly administrators: readonly string[];
  /** The namespace key's users in this registry's account. Sorted. */
  readonly users: readonly string[];
}

function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The 12-digit account of an IAM principal ARN, or undefined. */
export function principalAccount(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/** The namespace plan of a configured namespace. */
export function namespacePlan(namespace: NamespaceConfig): NamespacePlan {
  return {
    prefix: namespace.prefix,
    templatePrefix: creationTemplatePrefixOfNamespace(namespace.prefix),
    imageTagMutability: namespace.imageTagMutability,
    ...(namespace.lifecyclePolicy ? { lifecyclePolicy: namespace.lifecyclePolicy as LifecyclePolicy } : {}),
  };
}

/** Namespaces a source replicates, sorted. */
export function sourceNamespaces(source: { readonly namespaces?: readonly string[] }): string[] {
  return [...new Set(source.namespaces ?? [])].sort(compareText);
}

/**
 * Repository names a source holds and replicates: its own list; without one,
 * with namespaces the file's repositories inside them, else every repository
 * of the file.
 */
export function sourceRepositoryNamesWithNamespaces(
  config: Pick<Config, 'repositories'>,
  source: { readonly repositories?: readonly string[]; readonly namespaces?: readonly string[] },
): string[] {
  if (source.repositories) return [...source.repositories];
  const names = config.repositories.map((repository) => repository.name);
  const namespaces = source.namespaces ?? [];
  return namespaces.length === 0 ? names : names.filter(namespaceMembership(namespaces));
}

/** The key alias of a namespace when it names none: `<keys.alias>/<namespace without "/">`. */
export function defaultNamespaceKeyAlias(keysAlias: string, namespace: string): string {
  return `${keysAlias}/${creationTemplatePrefixOfNamespace(namespace)}`;
}

/**
 * The namespace keys one registry holds: a keyed namespace is here when a
 * repository of the registry lies in it or the registry replicates or
 * receives it. Each key names only the principals of the registry's account.
 */
export function namespaceKeysFor(
  config: Pick<Config, 'namespaces' | 'keys'>,
  accountId: string,
  repositoryNames: Iterable<string>,
  namespaces: Iterable<string>,
): NamespaceKeyPlan[] {
  const keyed = config.namespaces.filter((namespace) => namespace.key !== undefined);
  if (keyed.length === 0) return [];
  const prefixes = keyed.map((namespace) => namespace.prefix);
  const present = new Set<string>();
  for (const name of repositoryNames) {
    const namespace = namespaceOf(name, prefixes);
    if (namespace !== undefined) present.add(namespace);
  }
  for (const replicated of namespaces) {
    const namespace = namespaceOf(replicated, prefixes);
    if (namespace !== undefined) present.add(namespace);
  }
  const ofAccount = (arns: readonly string[]) => [...new Set(arns.filter((arn) => principalAccount(arn) === accountId))].sort(compareText);
  return keyed
    .filter((namespace) => present.has(namespace.prefix))
    .sort((left, right) => compareText(left.prefix, right.prefix))
    .map((namespace) => ({
      namespace: namespace.prefix,
      slug: namespaceSlug(namespace.prefix),
      alias: namespace.key!.alias ?? defaultNamespaceKeyAlias(config.keys.alias, namespace.prefix),
      administrators: ofAccount(namespace.key!.administrators),
      users: ofAccount(namespace.key!.users),
    }));
}

/** The namespace key that encrypts a repository name (or a namespace) in a registry, or undefined for the registry key. */
export function namespaceKeyOf(name: string, keys: readonly NamespaceKeyPlan[]): NamespaceKeyPlan | undefined {
  const namespace = namespaceOf(
    name,
    keys.map((key) => key.namespace),
  );
  return namespace === undefined ? undefined : keys.find((key) => key.namespace === namespace);
}

/** The namespace key of a creation template prefix (`team-a` holds `team-a/...`; `ROOT` none). */
export function namespaceKeyOfTemplate(templatePrefix: string, keys: readonly NamespaceKeyPlan[]): NamespaceKeyPlan | undefined {
  return templatePrefix === 'ROOT' ? undefined : namespaceKeyOf(`${templatePrefix}/`, keys);
}
