/**
 * Rules that span several fields of the config: references, duplicates,
 * partitions and AWS limits. They read the raw document defensively, so they
 * run even when some fields are malformed and all problems are reported at once.
 * Every loop is linear in the size of the config (maps and sets, no pairwise
 * comparisons), so a config of thousands of repositories validates in milliseconds.
 *
 * Each rule is a small named function over a shared, read-once view of the
 * document (`ConfigFacts`); `CROSS_FIELD_CHECKS` lists them all.
 */
import { asArray, asString, isObject, Raw } from './raw-document';
import { ConfigPath, ConfigProblem } from './problems';
import { crossPartitionReplicationProblem, isAwsRegion, Partition, partitionOf } from '../modules/ecr/regions';
import { ACCOUNT_ID_PATTERN, arnPartitionProblem } from '../modules/ecr/principals';
import { DEFAULT_REPOSITORIES_PER_KEY } from '../modules/ecr/limits';
import { duplicateRepositoryNameRule } from '../modules/ecr/repository-name';
import { replicationFiltersFor, SELF_REPLICATION_RULE } from '../modules/ecr/replication-rules';
import { isInNamespace, namespaceMembership, namespaceOf, replicationFitProblem } from '../modules/ecr/namespaces';
import { estateProblems, rawSourceNamespaces, rawSourceRepositoryNames } from './estate-checks';
import { hcpTerraformProblems } from './hcp-checks';
import { DEFAULT_WORKSPACE_PREFIX } from './schema';
import { didYouMean } from '../modules/suggest';
import { destinationStackName, registryKey, sourceStackName } from './deployment-plan';

/** HCP Terraform's limit on workspace names. */
export const MAX_WORKSPACE_NAME_LENGTH = 90;

type Report = (path: ConfigPath, received: unknown, message: string) => void;

const validRegion = (value: unknown): string | undefined => {
  const region = asString(value);
  return region !== undefined && isAwsRegion(region) ? region : undefined;
};
const isAccountId = (value: string | undefined): value is string => value !== undefined && ACCOUNT_ID_PATTERN.test(value);
/** The account field of an ARN (`arn:aws:iam::111111111111:role/x` -> 111111111111). */
const arnAccount = (arn: string | undefined): string | undefined => arn?.split(':')[4];

/** One source entry as the checks see it. */
interface SourceFacts {
  readonly index: number;
  readonly path: ConfigPath;
  readonly entry: Raw;
  readonly account?: string;
  readonly region?: string;
  /** `account/region`, when both are strings. */
  readonly key?: string;
  /** Known repositories it places in its registry and its destinations (retired ones included). */
  readonly names: readonly string[];
  /** The same without repositories that carry `removal`: what it replicates. */
  readonly replicatedNames: readonly string[];
  /** Namespaces (prefixes) it replicates, repositories created later included. */
  readonly namespaces: readonly string[];
  /** Its names outside those namespaces: the ones destinations pre-create (templates create the others). */
  readonly precreatedNames: readonly string[];
  readonly destinations: readonly unknown[];
}

/** What every check reads, computed once. */
interface ConfigFacts {
  readonly document: Raw;
  readonly accounts: Raw;
  readonly accountNames: readonly string[];
  readonly repositories: readonly unknown[];
  /** First index of each repository name. */
  readonly repositoryIndex: ReadonlyMap<string, number>;
  readonly repositoryNames: readonly string[];
  /** Names of repositories that carry `removal` (retain or destroy). */
  readonly retiredNames: ReadonlySet<string>;
  readonly sources: readonly SourceFacts[];
  /** First source index of each source registry key. */
  readonly sourceRegistries: ReadonlyMap<string, number>;
}

export type CrossFieldCheck = (facts: ConfigFacts, report: Report) => void;

const registryOf = (entry: Raw): string | undefined => {
  const account = asString(entry.account);
  const region = asString(entry.region);
  return account !== undefined && region !== undefined ? registryKey(account, region) : undefined;
};

function factsOf(document: Raw): ConfigFacts {
  const accounts = isObject(document.accounts) ? document.accounts : {};
  const repositories = asArray(document.repositories);
  const repositoryIndex = new Map<string, number>();
  const retiredNames = new Set<string>();
  repositories.forEach((repository, index) => {
    const name = isObject(repository) ? asString(repository.name) : undefined;
    if (name === undefined) return;
    if (!repositoryIndex.has(name)) repositoryIndex.set(name, index);
    if (isObject(repository) && repository.removal !== undefined) retiredNames.add(name);
  });
  const repositoryNames = [...repositoryIndex.keys()];
  const sourceRegistries = new Map<string, number>();
  const sources: SourceFacts[] = [];
  asArray(document.sources).forEach((entry, index) => {
    if (!isObject(entry)) return;
    const key = registryOf(entry);
    if (key !== undefined && !sourceRegistries.has(key)) sourceRegistries.set(key, index);
    const names = [...new Set(rawSourceRepositoryNames(entry, repositoryNames))];
    const namespaces = rawSourceNamespaces(entry);
    const inReplicatedNamespace = namespaceMembership(namespaces);
    sources.push({
      index,
      path: ['sources', index],
      entry,
      account: asString(entry.account),
      region: asString(entry.region),
      key,
      names,
      replicatedNames: names.filter((name) => !retiredNames.has(name)),
      namespaces,
      precreatedNames: names.filter((name) => !inReplicatedNamespace(name)),
      destinations: asArray(entry.destinations),
    });
  });
  return { document, accounts, accountNames: Object.keys(accounts), repositories, repositoryIndex, repositoryNames, retiredNames, sources, sourceRegistries };
}

/** Each destination entry that is a mapping, with its path and registry key. */
function destinationsOf(source: SourceFacts): { index: number; path: ConfigPath; entry: Raw; account?: string; region?: string; key?: string }[] {
  return source.destinations.flatMap((entry, index) =>
    isObject(entry)
      ? [
          {
            index,
            path: [...source.path, 'destinations', index],
            entry,
            account: asString(entry.account),
            region: asString(entry.region),
            key: registryOf(entry),
          },
        ]
      : [],
  );
}

// ---------------------------------------------------------------- accounts

export const accountIdsAreUnique: CrossFieldCheck = ({ accounts }, report) => {
  const accountIds = new Map<string, string>();
  for (const [name, account] of Object.entries(accounts)) {
    const id = isObject(account) ? asString(account.id) : undefined;
    if (id === undefined) continue;
    const other = accountIds.get(id);
    if (other !== undefined)
      report(
        ['accounts', name, 'id'],
        id,
        `account id is also used by account "${other}": each account must have its own id, and each AWS account is described once`,
      );
    else accountIds.set(id, name);
  }
};

export const deployRolesAreInTheirAccount: CrossFieldCheck = ({ accounts }, report) => {
  for (const [name, account] of Object.entries(accounts)) {
    if (!isObject(account)) continue;
    const id = asString(account.id);
    const roleArn = asString(account.deployRoleArn);
    const roleAccount = arnAccount(roleArn);
    if (roleArn !== undefined && isAccountId(id) && isAccountId(roleAccount) && roleAccount !== id) {
      report(
        ['accounts', name, 'deployRoleArn'],
        roleArn,
        `must be a role in this account (${id}), not in ${roleAccount}: the deployment assumes it to manage this account's registries; use arn:<partition>:iam::${id}:role/<name>`,
      );
    }
  }
};

/** Key users act through ECR only, with `kms:CallerAccount` = the key's account: another account's principal could never use the key. */
export const keyUsersAreInTheirAccount: CrossFieldCheck = ({ accounts }, report) => {
  for (const [name, account] of Object.entries(accounts)) {
    if (!isObject(account)) continue;
    const id = asString(account.id);
    if (!isAccountId(id)) continue;
    asArray(account.keyUsers).forEach((arn, index) => {
      const other = arnAccount(asString(arn));
      if (!isAccountId(other) || other === id) return;
      report(
        ['accounts', name, 'keyUsers', index],
        arn,
        `is a principal of account ${other}, but the keys of account "${name}" are in ${id}: the key policy lets key users act only through ECR with kms:CallerAccount = ${id}, so this grant could never work; list the principal under the account it belongs to, or name a principal of ${id}`,
      );
    });
  }
};

// ---------------------------------------------------------------- repositories

export const repositoryNamesAreUnique: CrossFieldCheck = ({ repositories, repositoryIndex }, report) => {
  repositories.forEach((repository, index) => {
    const name = isObject(repository) ? asString(repository.name) : undefined;
    const first = name === undefined ? undefined : repositoryIndex.get(name);
    if (first !== undefined && first !== index) report(['repositories', index, 'name'], name, duplicateRepositoryNameRule(first));
  });
};

// ---------------------------------------------------------------- sources

export const sourceRegistriesAreUnique: CrossFieldCheck = ({ sources, sourceRegistries }, report) => {
  for (const source of sources) {
    const first = source.key === undefined ? undefined : sourceRegistries.get(source.key);
    if (first !== undefined && first !== source.index) {
      report(
        source.path,
        { account: source.entry.account, region: source.entry.region },
        `registry ${source.key} is already sources[${first}]: list each source registry once and merge their destinations`,
      );
    }
  }
};

export const sourcesShareOnePartition: CrossFieldCheck = ({ sources }, report) => {
  const first = configPartition(sources);
  if (first === undefined) return;
  for (const source of sources) {
    const region = validRegion(source.region);
    if (region === undefined || partitionOf(region) === first.partition) continue;
    report(
      [...source.path, 'region'],
      region,
      `is in partition ${partitionOf(region)}, but sources[${first.index}] is in ${first.partition}: the registries of one config share a partition (accounts, ARNs and replication do not cross partitions); use a separate config file per partition`,
    );
  }
};

/** The partition of the first source with a valid region: it decides the partition of the whole config. */
function configPartition(sources: readonly SourceFacts[]): { partition: Partition; index: number } | undefined {
  for (const source of sources) {
    const region = validRegion(source.region);
    if (region !== undefined) return { partition: partitionOf(region), index: source.index };
  }
  return undefined;
}

/** Without any account defined, the accounts field itself is reported; references would only repeat it. */
export const accountReferencesAreDefined: CrossFieldCheck = ({ accounts, accountNames, sources }, report) => {
  const check = (path: ConfigPath, value: unknown) => {
    const name = asString(value);
    if (name !== undefined && accountNames.length > 0 && !Object.prototype.hasOwnProperty.call(accounts, name)) {
      report(path, name, `unknown account${didYouMean(name, accountNames)}: define it under accounts or use one of ${accountNames.join(', ')}`);
    }
  };
  for (const source of sources) {
    check([...source.path, 'account'], source.entry.account);
    for (const destination of destinationsOf(source)) check([...destination.path, 'account'], destination.entry.account);
  }
};

export const sourceRepositoriesAreDefinedOnce: CrossFieldCheck = ({ sources, repositoryIndex, repositoryNames }, report) => {
  for (const source of sources) {
    const listed = new Set<string>();
    asArray(source.entry.repositories).forEach((name, index) => {
      if (typeof name !== 'string') return;
      const path: ConfigPath = [...source.path, 'repositories', index];
      if (!repositoryIndex.has(name))
        report(path, name, `unknown repository${didYouMean(name, repositoryNames)}: add it under repositories or remove it from this list`);
      if (listed.has(name)) report(path, name, 'repository listed twice in this source: remove the duplicate');
      listed.add(name);
    });
  }
};

/** A replication configuration needs at least one repository: a source whose every repository is being removed must go. */
export const sourcesReplicateARepository: CrossFieldCheck = ({ sources, retiredNames }, report) => {
  for (const source of sources) {
    if (source.names.length === 0 || source.replicatedNames.length > 0) continue;
    report(
      source.path,
      { account: source.entry.account, region: source.entry.region },
      `every repository this source replicates has removal set (${source.names.filter((name) => retiredNames.has(name)).join(', ')}), and a replication configuration needs at least one: remove this source instead (README, "Changing and retiring")`,
    );
  }
};

export const destinationsAreDistinctRegistries: CrossFieldCheck = ({ sources }, report) => {
  for (const source of sources) {
    const seen = new Map<string, number>();
    for (const { index, path, account, region, key } of destinationsOf(source)) {
      if (key === undefined) continue;
      if (key === source.key) report(path, { account, region }, SELF_REPLICATION_RULE);
      const first = seen.get(key);
      if (first !== undefined) report(path, { account, region }, `destination listed twice in this source (also destinations[${first}]): remove the duplicate`);
      else seen.set(key, index);
    }
  }
};

export const replicationStaysInItsPartition: CrossFieldCheck = ({ sources }, report) => {
  for (const source of sources) {
    const originRegion = validRegion(source.region);
    if (originRegion === undefined) continue;
    for (const { path, key, region } of destinationsOf(source)) {
      const destinationRegion = validRegion(region);
      const problem = destinationRegion === undefined ? undefined : crossPartitionReplicationProblem(originRegion, destinationRegion);
      if (key !== undefined && problem !== undefined) report([...path, 'region'], region, problem);
    }
  }
};

/**
 * Two sources writing the same repository into one registry is accepted only for registries that replicate it to
 * each other (an active-active group: the repository is pushed in each of them, and each sends it directly to every
 * other); two unrelated sources would both write its images and a tag pushed to both collides.
 */
export const eachRepositoryReachesARegistryFromOneSource: CrossFieldCheck = ({ sources }, report) => {
  const destinationKeys = new Map(sources.map((source) => [source.index, new Set(destinationsOf(source).map((destination) => destination.key))]));
  const replicateToEachOther = (left: SourceFacts, right: SourceFacts): boolean =>
    left.key !== undefined && right.key !== undefined && destinationKeys.get(left.index)!.has(right.key) && destinationKeys.get(right.index)!.has(left.key);
  const writers = new Map<string, Map<string, SourceFacts[]>>();
  for (const source of sources) {
    for (const { path, account, region, key } of destinationsOf(source)) {
      if (key === undefined || key === source.key) continue;
      const byName = writers.get(key) ?? new Map<string, SourceFacts[]>();
      writers.set(key, byName);
      const clashes = new Map<number, string[]>();
      for (const name of source.replicatedNames) {
        const earlier = byName.get(name) ?? [];
        const unrelated = earlier.find((writer) => writer.index !== source.index && !replicateToEachOther(writer, source));
        if (unrelated !== undefined) clashes.set(unrelated.index, [...(clashes.get(unrelated.index) ?? []), name]);
        if (!earlier.includes(source)) byName.set(name, [...earlier, source]);
      }
      for (const [first, names] of clashes) {
        const firstKey = sources.find((candidate) => candidate.index === first)?.key;
        report(
          path,
          { account, region },
          `sources[${first}] (${firstKey}) and sources[${source.index}] (${source.key}) both replicate ${listed(names)} into ${key}: a repository of a registry must have one source (both would write its images, and a tag pushed to both collides), unless the two replicate to each other (active-active); remove ${names.length === 1 ? 'it' : 'them'} from the repositories of one of the two sources, or make each a destination of the other`,
        );
      }
    }
  }
};

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/** Replication rules: split by 25 destinations x 100 filters; ECR allows 10 rules. Advice: namespaces that hold only this source's repositories. */
export const replicationRulesFitEcrLimits: CrossFieldCheck = ({ sources, repositoryNames }, report) => {
  for (const source of sources) {
    const filters = replicationFiltersFor([...source.namespaces, ...source.replicatedNames]);
    const replicated = new Set(source.replicatedNames);
    const ruleLimit = replicationFitProblem(source.destinations.length, filters, (namespace) =>
      repositoryNames.every((name) => !isInNamespace(name, namespace) || replicated.has(name)),
    );
    if (ruleLimit !== undefined) report(source.path, { destinations: source.destinations.length, filters: filters.length }, ruleLimit);
  }
};

/** Each registry has one key that encrypts all its repositories. */
export const repositoriesPerKeyStayWithinTheLimit: CrossFieldCheck = ({ document, sources }, report) => {
  const keys = isObject(document.keys) ? document.keys : {};
  const repositoriesPerKey = typeof keys.repositoriesPerKey === 'number' ? keys.repositoriesPerKey : DEFAULT_REPOSITORIES_PER_KEY;
  const repositoriesPerRegistry = new Map<string, { path: ConfigPath; names: Set<string> }>();
  const count = (registry: string | undefined, path: ConfigPath, names: readonly string[]) => {
    if (registry === undefined) return;
    const entry = repositoriesPerRegistry.get(registry) ?? { path, names: new Set<string>() };
    names.forEach((name) => entry.names.add(name));
    repositoriesPerRegistry.set(registry, entry);
  };
  for (const source of sources) {
    count(source.key, source.path, source.names);
    // Destinations pre-create only the names outside the replicated namespaces; templates create the others.
    for (const destination of destinationsOf(source)) count(destination.key, destination.path, source.precreatedNames);
  }
  // Keys per namespace: a keyed namespace's repositories count against its own key, not the registry key.
  const keyedNamespaces = asArray(document.namespaces)
    .filter((namespace) => isObject(namespace) && namespace.key !== undefined)
    .map((namespace) => asString((namespace as Raw).prefix))
    .filter((prefix): prefix is string => prefix !== undefined);
  for (const [registry, { path, names: all }] of repositoriesPerRegistry) {
    const perKey = new Map<string, number>();
    const names = new Set<string>();
    for (const name of all) {
      const namespace = namespaceOf(name, keyedNamespaces);
      if (namespace === undefined) names.add(name);
      else perKey.set(namespace, (perKey.get(namespace) ?? 0) + 1);
    }
    for (const [namespace, count] of [...perKey].sort(([left], [right]) => (left < right ? -1 : 1))) {
      if (count > repositoriesPerKey) {
        report(
          path,
          count,
          `registry ${registry} would encrypt ${count} repositories of namespace ${namespace} with the namespace's KMS key, above keys.repositoriesPerKey (${repositoriesPerKey}): ` +
            'split the namespace into smaller namespaces with keys of their own, or raise keys.repositoriesPerKey after checking your KMS grant quota',
        );
      }
    }
    if (names.size > repositoriesPerKey) {
      report(
        path,
        names.size,
        `registry ${registry} would encrypt ${names.size} repositories with its one KMS key, above keys.repositoriesPerKey (${repositoriesPerKey}): ` +
          'split the repositories across source registries, or raise keys.repositoriesPerKey after checking your KMS grant quota ' +
          "(repositories are not spread over several keys: a repository's key cannot change after creation)",
      );
    }
  }
};

// ---------------------------------------------------------------- backend and ARNs

/** HCP Terraform workspace names are `<workspacePrefix><stack name>`. */
export const workspaceNamesFitHcpTerraform: CrossFieldCheck = ({ document, sources }, report) => {
  const backend = isObject(document.backend) ? document.backend : {};
  if (backend.type !== 'cloud') return;
  const stackNames = new Set<string>();
  for (const source of sources) {
    if (source.account !== undefined && validRegion(source.region) !== undefined) stackNames.add(sourceStackName(source.account, source.region!));
    for (const { key, account, region } of destinationsOf(source)) {
      if (key !== undefined && validRegion(region) !== undefined) stackNames.add(destinationStackName(account!, region!));
    }
  }
  const prefix = typeof backend.workspacePrefix === 'string' ? backend.workspacePrefix : DEFAULT_WORKSPACE_PREFIX;
  let longest = '';
  for (const name of stackNames) if (name.length > longest.length) longest = name;
  if (longest !== '' && prefix.length + longest.length > MAX_WORKSPACE_NAME_LENGTH) {
    report(
      ['backend', 'workspacePrefix'],
      prefix,
      `workspace names are <workspacePrefix><stack name>, and "${prefix}${longest}" has ${prefix.length + longest.length} characters, above HCP Terraform's limit of ${MAX_WORKSPACE_NAME_LENGTH}: shorten workspacePrefix to at most ${Math.max(0, MAX_WORKSPACE_NAME_LENGTH - longest.length)} characters`,
    );
  }
};

export const stateRoleIsInTheBucketPartition: CrossFieldCheck = ({ document }, report) => {
  const backend = isObject(document.backend) ? document.backend : {};
  const backendRegion = backend.type === 's3' ? validRegion(backend.region) : undefined;
  if (backendRegion !== undefined) checkArnPartition(report, ['backend', 'roleArn'], backend.roleArn, partitionOf(backendRegion), 'the state bucket is');
};

/** ARNs in the config belong to the partition of the registries. */
export const arnsAreInTheRegistriesPartition: CrossFieldCheck = ({ accounts, repositories, sources }, report) => {
  const partition = configPartition(sources)?.partition;
  if (partition === undefined) return;
  const check = (path: ConfigPath, value: unknown) => checkArnPartition(report, path, value, partition, 'the registries are');
  for (const [name, account] of Object.entries(accounts)) {
    if (!isObject(account)) continue;
    check(['accounts', name, 'deployRoleArn'], account.deployRoleArn);
    asArray(account.keyAdministrators).forEach((arn, index) => check(['accounts', name, 'keyAdministrators', index], arn));
    asArray(account.keyUsers).forEach((arn, index) => check(['accounts', name, 'keyUsers', index], arn));
  }
  repositories.forEach((repository, index) => {
    if (!isObject(repository)) return;
    for (const field of ['pullPrincipals', 'pushPrincipals']) {
      asArray(repository[field]).forEach((arn, arnIndex) => check(['repositories', index, field, arnIndex], arn));
    }
  });
};

function checkArnPartition(report: Report, path: ConfigPath, value: unknown, expected: Partition, subject: string): void {
  const arn = asString(value);
  const problem = arn === undefined ? undefined : arnPartitionProblem(arn, expected, subject);
  if (problem !== undefined) report(path, arn, problem);
}

/** Every cross-field rule, in no particular order (problems are sorted before printing). */
export const CROSS_FIELD_CHECKS: readonly CrossFieldCheck[] = [
  accountIdsAreUnique,
  deployRolesAreInTheirAccount,
  keyUsersAreInTheirAccount,
  repositoryNamesAreUnique,
  sourceRegistriesAreUnique,
  sourcesShareOnePartition,
  accountReferencesAreDefined,
  sourceRepositoriesAreDefinedOnce,
  sourcesReplicateARepository,
  destinationsAreDistinctRegistries,
  replicationStaysInItsPartition,
  eachRepositoryReachesARegistryFromOneSource,
  replicationRulesFitEcrLimits,
  repositoriesPerKeyStayWithinTheLimit,
  workspaceNamesFitHcpTerraform,
  stateRoleIsInTheBucketPartition,
  arnsAreInTheRegistriesPartition,
];

/** Cross-field problems of a config document (which may be partly malformed). */
export function crossFieldProblems(document: unknown): ConfigProblem[] {
  if (!isObject(document)) return [];
  const facts = factsOf(document);
  const problems: ConfigProblem[] = [];
  const report: Report = (path, received, message) => problems.push({ path, received, message });
  for (const check of CROSS_FIELD_CHECKS) check(facts, report);
  // Namespaces, registries in both roles and namespace keys (config/estate-checks.ts).
  problems.push(...estateProblems(document));
  // The cloud backend: deploy roles for dynamic credentials, the project of the trust stacks (config/hcp-checks.ts).
  problems.push(...hcpTerraformProblems(document));
  return problems;
}
