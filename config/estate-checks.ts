/**
 * Cross-field rules of namespaces, registries in both roles and keys per
 * namespace. Like cross-field-checks.ts they read the raw document
 * defensively and report every problem at its field path; the rules and
 * their numbers come from the library (ecr/).
 */
import { ConfigPath, ConfigProblem } from './problems';
import { namespaceMembership, namespacesWithoutTemplatesRule, namespaceSlug } from '../modules/ecr/namespaces';
import { replicationFiltersFor } from '../modules/ecr/replication-rules';
import { didYouMean } from './suggest';
import { registryKey } from './deployment-plan';
import { principalAccount } from './namespace-plan';
import { Config } from './schema';

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const strings = (value: unknown): string[] => asArray(value).filter((item): item is string => typeof item === 'string');

/** The namespaces a raw source replicates (strings only). */
export function rawSourceNamespaces(source: Raw): string[] {
  return strings(source.namespaces);
}

/** The repository names a raw source replicates: its list, or the file's (inside its namespaces when it has some). */
export function rawSourceRepositoryNames(source: Raw, fileRepositoryNames: readonly string[]): string[] {
  if (source.repositories !== undefined) {
    const known = new Set(fileRepositoryNames);
    return strings(source.repositories).filter((name) => known.has(name));
  }
  const namespaces = rawSourceNamespaces(source);
  return namespaces.length === 0 ? [...fileRepositoryNames] : fileRepositoryNames.filter(namespaceMembership(namespaces));
}

/** The problems of namespaces, both roles and namespace keys in a (possibly malformed) config document. */
export function estateProblems(document: unknown): ConfigProblem[] {
  if (!isObject(document)) return [];
  const problems: ConfigProblem[] = [];
  const report = (path: ConfigPath, received: unknown, message: string) => problems.push({ path, received, message });

  // Namespaces: each once; keyed ones need distinct Terraform ids.
  const namespaceIndex = new Map<string, number>();
  const slugs = new Map<string, string>();
  const namespaces = asArray(document.namespaces);
  namespaces.forEach((namespace, index) => {
    const prefix = isObject(namespace) ? asString(namespace.prefix) : undefined;
    if (prefix === undefined) return;
    const first = namespaceIndex.get(prefix);
    if (first !== undefined) {
      report(['namespaces', index, 'prefix'], prefix, `namespace defined twice (namespaces[${first}] has it too): merge the two entries`);
      return;
    }
    namespaceIndex.set(prefix, index);
    if (isObject(namespace) && namespace.key !== undefined) {
      const slug = namespaceSlug(prefix);
      const other = slugs.get(slug);
      if (other !== undefined) {
        report(
          ['namespaces', index, 'prefix'],
          prefix,
          `its key would share the Terraform address kms_key_${slug} with the key of namespace ${other}: rename one namespace, or give only one of them a key`,
        );
      } else slugs.set(slug, prefix);
    }
  });
  const namespaceNames = [...namespaceIndex.keys()];

  // Keys per namespace: principals of the config's accounts, users isolated from the registry keys and other namespaces.
  const accounts = isObject(document.accounts) ? document.accounts : {};
  const accountIds = new Map<string, string>();
  const registryKeyUsers = new Set<string>();
  for (const [name, account] of Object.entries(accounts)) {
    if (!isObject(account)) continue;
    const id = asString(account.id);
    if (id !== undefined) accountIds.set(id, name);
    strings(account.keyUsers).forEach((arn) => registryKeyUsers.add(arn));
  }
  const namespaceKeyUsers = new Map<string, string>();
  namespaces.forEach((namespace, index) => {
    if (!isObject(namespace) || !isObject(namespace.key)) return;
    const prefix = asString(namespace.prefix) ?? `namespaces[${index}]`;
    for (const field of ['administrators', 'users'] as const) {
      asArray(namespace.key[field]).forEach((arn, arnIndex) => {
        if (typeof arn !== 'string') return;
        const path: ConfigPath = ['namespaces', index, 'key', field, arnIndex];
        const account = principalAccount(arn);
        if (account !== undefined && accountIds.size > 0 && !accountIds.has(account)) {
          report(
            path,
            arn,
            `names account ${account}, which no account of this config has: each registry's namespace key names the principals of its own account, so this one would be in no key; use a principal of ${[...accountIds.values()].join(', ')}`,
          );
        }
        if (field !== 'users') return;
        if (registryKeyUsers.has(arn)) {
          report(
            path,
            arn,
            `is also a keyUsers principal of its account, so it could decrypt every repository of the registry key: a namespace key isolates its users; remove it from one of the two lists`,
          );
        }
        const other = namespaceKeyUsers.get(arn);
        if (other !== undefined && other !== prefix) {
          report(path, arn, `also uses the key of namespace ${other}: a namespace key isolates its users; give each tenant its own principal`);
        } else namespaceKeyUsers.set(arn, prefix);
      });
    }
  });

  // Sources: known namespaces, once each; namespaces need creation templates in every destination.
  const repositories = asArray(document.repositories);
  const fileRepositoryNames = repositories
    .map((repository) => (isObject(repository) ? asString(repository.name) : undefined))
    .filter((name): name is string => !!name);
  const sources = asArray(document.sources);
  const received = new Map<string, Map<string, Set<number>>>();
  const sourceFilters = new Map<string, { index: number; filters: string[] }>();
  sources.forEach((source, sourceIndex) => {
    if (!isObject(source)) return;
    const sourcePath: ConfigPath = ['sources', sourceIndex];
    const listed = new Set<string>();
    asArray(source.namespaces).forEach((namespace, index) => {
      if (typeof namespace !== 'string') return;
      if (!namespaceIndex.has(namespace)) {
        report(
          [...sourcePath, 'namespaces', index],
          namespace,
          `unknown namespace${didYouMean(namespace, namespaceNames)}: define it under namespaces (e.g. - prefix: ${namespace}) or remove it from this list`,
        );
      }
      if (listed.has(namespace)) report([...sourcePath, 'namespaces', index], namespace, 'namespace listed twice in this source: remove the duplicate');
      listed.add(namespace);
    });
    const ownNamespaces = [...listed];
    const filters = replicationFiltersFor([...ownNamespaces, ...rawSourceRepositoryNames(source, fileRepositoryNames)]);
    const account = asString(source.account);
    const region = asString(source.region);
    if (account !== undefined && region !== undefined) sourceFilters.set(registryKey(account, region), { index: sourceIndex, filters });
    asArray(source.destinations).forEach((destination, destinationIndex) => {
      if (!isObject(destination)) return;
      if (ownNamespaces.length > 0 && destination.repositoryCreationTemplates === false) {
        report([...sourcePath, 'destinations', destinationIndex, 'repositoryCreationTemplates'], false, namespacesWithoutTemplatesRule(ownNamespaces));
      }
      const destinationAccount = asString(destination.account);
      const destinationRegion = asString(destination.region);
      if (destinationAccount === undefined || destinationRegion === undefined) return;
      const key = registryKey(destinationAccount, destinationRegion);
      if (account !== undefined && region !== undefined && key === registryKey(account, region)) return; // reported as self-replication
      const entry = received.get(key) ?? new Map<string, Set<number>>();
      filters.forEach((filter) => entry.set(filter, (entry.get(filter) ?? new Set<number>()).add(sourceIndex)));
      received.set(key, entry);
    });
  });

  // A registry in both roles: what it replicates must not overlap what it receives (ECR does not replicate replicas further).
  for (const [key, { index, filters }] of sourceFilters) {
    const incoming = received.get(key);
    if (!incoming) continue;
    const senders = new Set<number>();
    const overlapping = filters.filter((filter) => {
      const from = [...incoming].filter(([other]) => filter.startsWith(other) || other.startsWith(filter));
      from.forEach(([, sources]) => sources.forEach((source) => senders.add(source)));
      return from.length > 0;
    });
    if (overlapping.length > 0) {
      report(
        ['sources', index],
        overlapping,
        `registry ${key} also receives these prefixes from sources[${[...senders].sort((a, b) => a - b).join('], sources[')}]: images replicated into a registry are not replicated further (replication does not chain); replicate them from their source to every registry directly, and let this registry replicate only its own repositories`,
      );
    }
  }
  return problems;
}

/** Risky but legal estate choices: a namespace whose template-created repositories have mutable tags. */
export function estateWarnings(config: Pick<Config, 'namespaces'>): ConfigProblem[] {
  return config.namespaces.flatMap((namespace, index) =>
    namespace.imageTagMutability === 'MUTABLE'
      ? [
          {
            path: ['namespaces', index, 'imageTagMutability'],
            received: 'MUTABLE',
            message:
              'repositories the creation templates create in this namespace get mutable tags, and a replica may then differ from its source: prefer IMMUTABLE',
          },
        ]
      : [],
  );
}
