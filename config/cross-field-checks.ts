/**
 * Rules that span several fields of the config: references, duplicates,
 * partitions and AWS limits. They read the raw document defensively, so they
 * run even when some fields are malformed and all problems are reported at once.
 * Every loop is linear in the size of the config (maps and sets, no pairwise
 * comparisons), so a config of thousands of repositories validates in milliseconds.
 */
import { ConfigPath, ConfigProblem } from './problems';
import { isAwsRegion, Partition, partitionOf, partitionOfArn } from '../ecr/regions';
import { DEFAULT_REPOSITORIES_PER_KEY } from '../ecr/limits';
import { duplicateRepositoryNameRule } from '../ecr/repository-name';
import { replicationFiltersFor, replicationRuleLimitProblem, SELF_REPLICATION_RULE } from '../ecr/replication-rules';
import { DEFAULT_WORKSPACE_PREFIX } from './schema';
import { didYouMean } from './suggest';
import { destinationStackName, registryKey, sourceStackName } from './deployment-plan';

/** HCP Terraform's limit on workspace names. */
export const MAX_WORKSPACE_NAME_LENGTH = 90;

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const validRegion = (value: unknown): string | undefined => {
  const region = asString(value);
  return region !== undefined && isAwsRegion(region) ? region : undefined;
};

/** Cross-field problems of a config document (which may be partly malformed). */
export function crossFieldProblems(document: unknown): ConfigProblem[] {
  if (!isObject(document)) return [];
  const problems: ConfigProblem[] = [];
  const report = (path: ConfigPath, received: unknown, message: string) => problems.push({ path, received, message });

  // Accounts: unique ids, deploy role in the account itself.
  const accounts = isObject(document.accounts) ? document.accounts : {};
  const accountNames = Object.keys(accounts);
  const accountIds = new Map<string, string>();
  for (const [name, account] of Object.entries(accounts)) {
    if (!isObject(account)) continue;
    const id = asString(account.id);
    if (id !== undefined) {
      const other = accountIds.get(id);
      if (other !== undefined)
        report(
          ['accounts', name, 'id'],
          id,
          `account id is also used by account "${other}": each account must have its own id, and each AWS account is described once`,
        );
      else accountIds.set(id, name);
    }
    const roleArn = asString(account.deployRoleArn);
    const roleAccount = roleArn?.split(':')[4];
    if (roleArn !== undefined && id !== undefined && /^\d{12}$/.test(id) && roleAccount !== undefined && /^\d{12}$/.test(roleAccount) && roleAccount !== id) {
      report(
        ['accounts', name, 'deployRoleArn'],
        roleArn,
        `must be a role in this account (${id}), not in ${roleAccount}: the deployment assumes it to manage this account's registries; use arn:<partition>:iam::${id}:role/<name>`,
      );
    }
  }

  // Repositories: unique names.
  const repositories = asArray(document.repositories);
  const repositoryIndex = new Map<string, number>();
  repositories.forEach((repository, index) => {
    const name = isObject(repository) ? asString(repository.name) : undefined;
    if (name === undefined) return;
    const first = repositoryIndex.get(name);
    if (first !== undefined) report(['repositories', index, 'name'], name, duplicateRepositoryNameRule(first));
    else repositoryIndex.set(name, index);
  });
  const repositoryNames = [...repositoryIndex.keys()];

  // Without any account defined, the accounts field itself is reported; references would only repeat it.
  const checkAccountReference = (path: ConfigPath, value: unknown) => {
    const name = asString(value);
    if (name !== undefined && accountNames.length > 0 && !Object.prototype.hasOwnProperty.call(accounts, name)) {
      report(path, name, `unknown account${didYouMean(name, accountNames)}: define it under accounts or use one of ${accountNames.join(', ')}`);
    }
  };

  // Registries: each source once; its partition decides the partition of the whole config.
  const sources = asArray(document.sources);
  const registryOf = (entry: Raw): string | undefined => {
    const account = asString(entry.account);
    const region = asString(entry.region);
    return account !== undefined && region !== undefined ? registryKey(account, region) : undefined;
  };
  const sourceRegistries = new Map<string, number>();
  sources.forEach((source, index) => {
    if (!isObject(source)) return;
    const key = registryOf(source);
    if (key === undefined) return;
    const first = sourceRegistries.get(key);
    if (first !== undefined) {
      report(
        ['sources', index],
        { account: source.account, region: source.region },
        `registry ${key} is already sources[${first}]: list each source registry once and merge their destinations`,
      );
    } else sourceRegistries.set(key, index);
  });

  let configPartition: { partition: Partition; index: number } | undefined;
  sources.forEach((source, index) => {
    const region = isObject(source) ? validRegion(source.region) : undefined;
    if (region === undefined) return;
    if (configPartition === undefined) configPartition = { partition: partitionOf(region), index };
    else if (partitionOf(region) !== configPartition.partition) {
      report(
        ['sources', index, 'region'],
        region,
        `is in partition ${partitionOf(region)}, but sources[${configPartition.index}] is in ${configPartition.partition}: the registries of one config share a partition (accounts, ARNs and replication do not cross partitions); use a separate config file per partition`,
      );
    }
  });

  // Repositories per key: each registry has one key that encrypts all its repositories.
  const keys = isObject(document.keys) ? document.keys : {};
  const repositoriesPerKey = typeof keys.repositoriesPerKey === 'number' ? keys.repositoriesPerKey : DEFAULT_REPOSITORIES_PER_KEY;
  const repositoriesPerRegistry = new Map<string, { path: ConfigPath; names: Set<string> }>();
  const countRepositories = (registry: string | undefined, path: ConfigPath, names: readonly string[]) => {
    if (registry === undefined) return;
    const entry = repositoriesPerRegistry.get(registry) ?? { path, names: new Set<string>() };
    names.forEach((name) => entry.names.add(name));
    repositoriesPerRegistry.set(registry, entry);
  };
  const stackNames = new Set<string>();

  sources.forEach((source, sourceIndex) => {
    if (!isObject(source)) return;
    const sourcePath: ConfigPath = ['sources', sourceIndex];
    checkAccountReference([...sourcePath, 'account'], source.account);
    const sourceAccount = asString(source.account);
    const sourceRegion = asString(source.region);
    const sourceKey = registryOf(source);
    if (sourceAccount !== undefined && validRegion(sourceRegion) !== undefined) stackNames.add(sourceStackName(sourceAccount, sourceRegion!));

    const listed = new Set<string>();
    asArray(source.repositories).forEach((name, index) => {
      if (typeof name !== 'string') return;
      if (!repositoryIndex.has(name)) {
        report(
          [...sourcePath, 'repositories', index],
          name,
          `unknown repository${didYouMean(name, repositoryNames)}: add it under repositories or remove it from this list`,
        );
      }
      if (listed.has(name)) report([...sourcePath, 'repositories', index], name, 'repository listed twice in this source: remove the duplicate');
      listed.add(name);
    });
    const names = source.repositories === undefined ? repositoryNames : [...listed].filter((name) => repositoryIndex.has(name));
    countRepositories(sourceKey, sourcePath, names);

    const destinations = asArray(source.destinations);
    const seen = new Map<string, number>();
    destinations.forEach((destination, destinationIndex) => {
      if (!isObject(destination)) return;
      const path: ConfigPath = [...sourcePath, 'destinations', destinationIndex];
      checkAccountReference([...path, 'account'], destination.account);
      const account = asString(destination.account);
      const region = asString(destination.region);
      const key = registryOf(destination);
      if (key === undefined) return;
      if (validRegion(region) !== undefined) stackNames.add(destinationStackName(account!, region!));
      if (key === sourceKey) {
        report(path, { account, region }, SELF_REPLICATION_RULE);
      }
      const first = seen.get(key);
      if (first !== undefined) report(path, { account, region }, `destination listed twice in this source (also destinations[${first}]): remove the duplicate`);
      else seen.set(key, destinationIndex);
      const sourceOfKey = sourceRegistries.get(key);
      if (sourceOfKey !== undefined && key !== sourceKey) {
        report(
          path,
          { account, region },
          `registry ${key} is also a source (sources[${sourceOfKey}]): a registry is either a source or a destination, never both (replication does not chain); replicate from sources[${sourceOfKey}] to the other registries directly`,
        );
      }
      const destinationRegion = validRegion(region);
      const originRegion = validRegion(sourceRegion);
      if (destinationRegion !== undefined && originRegion !== undefined && partitionOf(destinationRegion) !== partitionOf(originRegion)) {
        report(
          [...path, 'region'],
          region,
          `replication cannot cross partitions: the source is in ${partitionOf(originRegion)}, this region in ${partitionOf(destinationRegion)}; choose a region of ${partitionOf(originRegion)}`,
        );
      }
      countRepositories(key, path, names);
    });

    // Replication rules: split by 25 destinations x 100 filters; ECR allows 10 rules.
    const filters = replicationFiltersFor(names);
    const ruleLimit = replicationRuleLimitProblem(destinations.length, filters.length);
    if (ruleLimit !== undefined) report(sourcePath, { destinations: destinations.length, filters: filters.length }, ruleLimit);
  });

  for (const [registry, { path, names }] of repositoriesPerRegistry) {
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

  // Backend: HCP Terraform workspace names; state role in the partition of the state bucket.
  const backend = isObject(document.backend) ? document.backend : {};
  if (backend.type === 'cloud') {
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
  }
  const backendRegion = backend.type === 's3' ? validRegion(backend.region) : undefined;
  if (backendRegion !== undefined) checkArnPartition(report, ['backend', 'roleArn'], backend.roleArn, partitionOf(backendRegion), 'the state bucket is');

  // ARNs in the config belong to the partition of the registries.
  if (configPartition !== undefined) {
    const partition = configPartition.partition;
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
  }
  return problems;
}

function checkArnPartition(
  report: (path: ConfigPath, received: unknown, message: string) => void,
  path: ConfigPath,
  value: unknown,
  expected: Partition,
  subject: string,
): void {
  const arn = asString(value);
  const partition = arn === undefined ? undefined : partitionOfArn(arn);
  if (partition !== undefined && partition !== expected) {
    report(path, arn, `ARN is in partition ${partition} but ${subject} in ${expected}: use arn:${expected}:${arn!.slice(`arn:${partition}:`.length)}`);
  }
}
