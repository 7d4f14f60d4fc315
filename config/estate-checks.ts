/**
 * Cross-field rules of namespaces, registries in both roles and keys per
 * namespace. Like cross-field-checks.ts they read the raw document
 * defensively and report every problem at its field path; the rules and
 * their numbers come from the library (ecr/).
 */
import { asArray, asString, isObject, Raw } from './raw-document';
import { ConfigPath, ConfigProblem } from './problems';
import { namespaceMembership, namespacesWithoutTemplatesRule, namespaceSlug } from '../modules/ecr/namespaces';
import { didYouMean } from '../modules/suggest';
import { registryKey, sourceReplicationFilters } from './deployment-plan';
import { principalAccount } from './namespace-plan';
import { Config } from './schema';

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
  const sources = asArray(document.sources);
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
    asArray(source.destinations).forEach((destination, destinationIndex) => {
      if (!isObject(destination)) return;
      if (ownNamespaces.length > 0 && destination.repositoryCreationTemplates === false) {
        report([...sourcePath, 'destinations', destinationIndex, 'repositoryCreationTemplates'], false, namespacesWithoutTemplatesRule(ownNamespaces));
      }
    });
  });
  return problems;
}

/** Risky but legal estate choices: mutable tags in a namespace, and replication that would need to chain. */
export function estateWarnings(config: Pick<Config, 'namespaces' | 'sources' | 'repositories'>): ConfigProblem[] {
  const mutable: ConfigProblem[] = config.namespaces.flatMap((namespace, index) =>
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
  return [...mutable, ...forwardingWarnings(config)];
}

/**
 * Of two sets of `PREFIX_MATCH` filters, what both match: for each pair where one filter starts with the other, the
 * longer one. Each filter's own prefixes are looked up in a set and the longer ones found by binary search, so the
 * cost grows with the filters, not with their pairs (estates have hundreds of filters per registry).
 */
export function overlappingPrefixes(mine: readonly string[], theirs: readonly string[]): string[] {
  const theirSet = new Set(theirs);
  const sorted = [...theirSet].sort();
  const found = new Set<string>();
  for (const filter of mine) {
    for (let length = 1; length <= filter.length; length++) if (theirSet.has(filter.slice(0, length))) found.add(filter);
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle] < filter) low = middle + 1;
      else high = middle;
    }
    for (let index = low; index < sorted.length && sorted[index].startsWith(filter); index++) found.add(sorted[index]);
  }
  return [...found].sort();
}

/** A source as the forwarding rule sees it: its registry, the prefixes it replicates, where to. */
interface SentPrefixes {
  readonly index: number;
  readonly key: string;
  readonly filters: readonly string[];
  readonly destinations: readonly { readonly index: number; readonly key: string; readonly account: string; readonly region: string }[];
  readonly destinationKeys: ReadonlySet<string>;
}

/**
 * Replication does not chain: an image replicated into R is not replicated further. A registry may still send
 * prefixes it also receives (an active-active pair, a full mesh), as long as every registry that should hold them
 * gets them directly from where they are pushed. Only real forwarding is reported: R receives P from S and sends P
 * to T (T is not S) while S does not replicate to T, so images pushed in S never reach T. The fix is a rule of S.
 */
export function forwardingWarnings(config: Pick<Config, 'sources' | 'repositories'>): ConfigProblem[] {
  const sources: SentPrefixes[] = config.sources.map((source, index) => {
    const destinations = source.destinations.map((destination, destinationIndex) => ({
      index: destinationIndex,
      key: registryKey(destination.account, destination.region),
      account: destination.account,
      region: destination.region,
    }));
    return {
      index,
      key: registryKey(source.account, source.region),
      filters: sourceReplicationFilters(config, source),
      destinations,
      destinationKeys: new Set(destinations.map((destination) => destination.key)),
    };
  });
  const warnings: ConfigProblem[] = [];
  for (const relay of sources) {
    for (const origin of sources) {
      if (origin === relay || !origin.destinationKeys.has(relay.key)) continue;
      // What the relay would pass on of what it receives from the origin: the narrower of each overlapping pair.
      const passedOn = overlappingPrefixes(relay.filters, origin.filters);
      if (passedOn.length === 0) continue;
      for (const target of relay.destinations) {
        if (target.key === origin.key || origin.destinationKeys.has(target.key)) continue;
        warnings.push({
          path: ['sources', relay.index, 'destinations', target.index],
          received: { account: target.account, region: target.region },
          message: `registry ${relay.key} receives ${passedOn.join(', ')} from ${origin.key} (sources[${origin.index}]) and replicates ${passedOn.length === 1 ? 'it' : 'them'} to ${target.key}, but replication does not chain: images pushed in ${origin.key} never reach ${target.key} this way; add { account: ${target.account}, region: ${target.region} } to the destinations of sources[${origin.index}] (${origin.key})`,
        });
      }
    }
  }
  return warnings;
}
