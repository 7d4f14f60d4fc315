/**
 * Rules that span several fields of the config: references, duplicates,
 * partitions and AWS limits. They read the raw document defensively, so they
 * run even when some fields are malformed and all problems are reported at once.
 */
import { ConfigPath, ConfigProblem } from './problems';
import { isAwsRegion, partitionOf, partitionOfArn } from './regions';
import { DEFAULT_REPOSITORIES_PER_KEY, REPLICATION_LIMITS } from './schema';
import { replicationFiltersFor, replicationRulesFor } from './topology';

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Cross-field problems of a config document (which may be partly malformed). */
export function crossFieldProblems(document: unknown): ConfigProblem[] {
  if (!isObject(document)) return [];
  const problems: ConfigProblem[] = [];
  const report = (path: ConfigPath, received: unknown, message: string) => problems.push({ path, received, message });

  const accounts = isObject(document.accounts) ? document.accounts : {};
  const accountIds = new Map<string, string>();
  for (const [name, account] of Object.entries(accounts)) {
    if (!isObject(account)) continue;
    const id = asString(account.id);
    if (id !== undefined) {
      const other = accountIds.get(id);
      if (other !== undefined) report(['accounts', name, 'id'], id, `account id is also used by account "${other}": each account must have its own id`);
      else accountIds.set(id, name);
    }
    const roleArn = asString(account.deployRoleArn);
    const roleAccount = roleArn?.split(':')[4];
    if (roleArn !== undefined && id !== undefined && roleAccount !== undefined && /^\d{12}$/.test(roleAccount) && roleAccount !== id) {
      report(['accounts', name, 'deployRoleArn'], roleArn, `must be a role in account ${id} (this account), not in ${roleAccount}`);
    }
  }

  const repositories = asArray(document.repositories);
  const repositoryNames = new Set<string>();
  repositories.forEach((repository, index) => {
    const name = isObject(repository) ? asString(repository.name) : undefined;
    if (name === undefined) return;
    if (repositoryNames.has(name)) report(['repositories', index, 'name'], name, 'repository names must be unique: remove or rename the duplicate');
    repositoryNames.add(name);
  });

  const checkAccountReference = (path: ConfigPath, value: unknown) => {
    const name = asString(value);
    if (name !== undefined && !(name in accounts)) {
      const known = Object.keys(accounts);
      report(path, name, `unknown account: define it under accounts or use one of ${known.length ? known.join(', ') : '(none defined)'}`);
    }
  };

  const sources = asArray(document.sources);
  const sourceRegistries = new Map<string, number>();
  sources.forEach((source, index) => {
    if (!isObject(source)) return;
    const key = `${asString(source.account)}/${asString(source.region)}`;
    if (sourceRegistries.has(key)) {
      report(['sources', index], { account: source.account, region: source.region }, `the same registry is already source ${sourceRegistries.get(key)}: list each source registry once and merge their destinations`);
    } else sourceRegistries.set(key, index);
  });

  const configPartition = (() => {
    for (const source of sources) {
      const region = isObject(source) ? asString(source.region) : undefined;
      if (region !== undefined && isAwsRegion(region)) return partitionOf(region);
    }
    return undefined;
  })();

  const keys = isObject(document.keys) ? document.keys : {};
  const repositoriesPerKey = typeof keys.repositoriesPerKey === 'number' ? keys.repositoriesPerKey : DEFAULT_REPOSITORIES_PER_KEY;
  const repositoriesPerRegistry = new Map<string, { path: ConfigPath; names: Set<string> }>();
  const countRepositories = (registry: string, path: ConfigPath, names: readonly string[]) => {
    const entry = repositoriesPerRegistry.get(registry) ?? { path, names: new Set<string>() };
    names.forEach((name) => entry.names.add(name));
    repositoriesPerRegistry.set(registry, entry);
  };

  sources.forEach((source, sourceIndex) => {
    if (!isObject(source)) return;
    const sourcePath: ConfigPath = ['sources', sourceIndex];
    checkAccountReference([...sourcePath, 'account'], source.account);
    const sourceRegion = asString(source.region);
    const sourceAccount = asString(source.account);

    const names = source.repositories === undefined ? [...repositoryNames] : asArray(source.repositories).flatMap((name) => (typeof name === 'string' ? [name] : []));
    const listed = new Set<string>();
    asArray(source.repositories).forEach((name, index) => {
      if (typeof name !== 'string') return;
      if (!repositoryNames.has(name)) report([...sourcePath, 'repositories', index], name, 'unknown repository: add it under repositories or remove it from this list');
      if (listed.has(name)) report([...sourcePath, 'repositories', index], name, 'repository listed twice: remove the duplicate');
      listed.add(name);
    });
    countRepositories(`${sourceAccount}/${sourceRegion}`, sourcePath, names);

    const destinations = asArray(source.destinations);
    const seen = new Map<string, number>();
    destinations.forEach((destination, destinationIndex) => {
      if (!isObject(destination)) return;
      const path: ConfigPath = [...sourcePath, 'destinations', destinationIndex];
      checkAccountReference([...path, 'account'], destination.account);
      const account = asString(destination.account);
      const region = asString(destination.region);
      const key = `${account}/${region}`;
      if (account === sourceAccount && region === sourceRegion) {
        report(path, { account, region }, 'a destination cannot be its own source registry: change the account or the region');
      }
      if (seen.has(key)) report(path, { account, region }, `destination listed twice in this source (also destinations[${seen.get(key)}]): remove the duplicate`);
      else seen.set(key, destinationIndex);
      if (sourceRegistries.has(key)) {
        report(path, { account, region }, `registry ${key} is also a source (sources[${sourceRegistries.get(key)}]): a registry is either a source or a destination, never both`);
      }
      if (region !== undefined && sourceRegion !== undefined && isAwsRegion(region) && isAwsRegion(sourceRegion) && partitionOf(region) !== partitionOf(sourceRegion)) {
        report([...path, 'region'], region, `replication cannot cross partitions: the source is in ${partitionOf(sourceRegion)}, this region in ${partitionOf(region)}`);
      }
      countRepositories(key, path, names);
    });

    const rules = replicationRulesFor(destinations, replicationFiltersFor(names));
    if (rules.length > REPLICATION_LIMITS.rulesPerConfiguration) {
      report(
        sourcePath,
        { destinations: destinations.length, filters: replicationFiltersFor(names).length },
        `needs ${rules.length} replication rules (at most ${REPLICATION_LIMITS.destinationsPerRule} destinations and ${REPLICATION_LIMITS.filtersPerRule} filters each), above the ECR limit of ${REPLICATION_LIMITS.rulesPerConfiguration}: replicate fewer repositories or use shared name prefixes (namespaces)`,
      );
    }
  });

  for (const [registry, { path, names }] of repositoriesPerRegistry) {
    if (names.size > repositoriesPerKey) {
      report(
        path,
        names.size,
        `registry ${registry} would encrypt ${names.size} repositories with one key, above keys.repositoriesPerKey (${repositoriesPerKey}): split the repositories across sources, or raise keys.repositoriesPerKey after checking your KMS grant quota`,
      );
    }
  }

  if (configPartition !== undefined) {
    const checkArnPartition = (path: ConfigPath, value: unknown) => {
      const arn = asString(value);
      const partition = arn === undefined ? undefined : partitionOfArn(arn);
      if (partition !== undefined && partition !== configPartition) {
        report(path, arn, `ARN is in partition ${partition} but the registries are in ${configPartition}: use arn:${configPartition}:...`);
      }
    };
    for (const [name, account] of Object.entries(accounts)) {
      if (!isObject(account)) continue;
      checkArnPartition(['accounts', name, 'deployRoleArn'], account.deployRoleArn);
      asArray(account.keyAdministrators).forEach((arn, index) => checkArnPartition(['accounts', name, 'keyAdministrators', index], arn));
      asArray(account.keyUsers).forEach((arn, index) => checkArnPartition(['accounts', name, 'keyUsers', index], arn));
    }
    repositories.forEach((repository, index) => {
      if (!isObject(repository)) return;
      for (const field of ['pullPrincipals', 'pushPrincipals']) {
        asArray(repository[field]).forEach((arn, arnIndex) => checkArnPartition(['repositories', index, field, arnIndex], arn));
      }
    });
  }
  return problems;
}
