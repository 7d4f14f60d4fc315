/**
 * The constructs refuse what the config refuses, with the same rule text: a
 * construct names itself, its path and the prop (`EncryptedRepositories
 * test/repositories: repositories[0].pullPrincipals[0] (received "*"): ...`)
 * where the config names a field path. Each row builds one mistake through
 * the library and asserts the exact message; a row with a config mutation
 * also validates the config with the same mistake and asserts that its
 * problem at that path carries the very same rule text (one rule, one message).
 */
import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { validateConfig } from '../config/load';
import { ConfigError, formatPath } from '../config/problems';
import { EcrEncryptionKey } from '../modules/encryption-key';
import { EncryptedRepositories, RepositorySpec } from '../modules/encrypted-repositories';
import { LifecyclePolicy } from '../modules/ecr/lifecycle-policy';
import { ecrRegistry, EcrRegistry } from '../modules/registry';
import { registryProvider } from '../modules/aws-provider';
import { RegistryScanningConfiguration } from '../modules/registry-scanning-configuration';
import { ReplicationConfiguration, ReplicationDestination } from '../modules/replication-configuration';
import { ReplicationRegistryPolicy } from '../modules/replication-registry-policy';
import { CreationTemplateRole, RepositoryCreationTemplates } from '../modules/repository-creation-templates';
import { RemovalPolicy } from '../modules/removal-policy';
import { ComplianceSuppressions } from '../modules/compliance/compliance-suppressions';
import { exampleConfig } from '../test-support/example-config';
import { BUILD_ACCOUNT, PROD_ACCOUNT, stackWithProvider, TestStack } from '../test-support/fixtures';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const REGION_RULE = 'must be an AWS region where ECR and KMS are offered, e.g. us-east-1, eu-west-1 or us-gov-west-1';
const ACCOUNT_RULE = 'must be a 12-digit AWS account id in quotes, e.g. "111111111111"';
const PRINCIPAL_RULE =
  'must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. arn:aws:iam::111111111111:role/platform-admin)';
const WILDCARD_RULE =
  'must not be the wildcard principal "*" (anyone, in any AWS account): name the IAM roles or users instead, e.g. arn:aws:iam::111111111111:role/platform-admin';
const ALIAS_RULE = 'must be alias/<name> with letters, digits, "/", "_" or "-" (at most 250 after alias/), not under alias/aws/ (reserved by AWS)';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

/** The same mistake in the bundled example config, and the field path the config reports it at. */
interface ConfigMistake {
  readonly mutate: (config: Doc) => void;
  readonly path: string;
}

interface Case {
  /** Builds the mistake in a stack of one registry (account 111111111111 in us-east-1). */
  readonly build: (test: TestStack) => void;
  /** `<construct> <path>: <prop> (received <value>)` */
  readonly where: string;
  /** The rule and its fix: the part the config shares. */
  readonly rule: string;
  readonly config?: ConfigMistake;
}

const key = () => EcrEncryptionKey.fromKeyArn(KEY_ARN);
const repositories = (test: TestStack, specs: RepositorySpec[], extra: Partial<ConstructorParameters<typeof EncryptedRepositories>[2]> = {}) =>
  new EncryptedRepositories(test.stack, 'repositories', { registry: test.registry, key: key(), repositories: specs, ...extra });
const ownKey = (test: TestStack, props: Partial<ConstructorParameters<typeof EcrEncryptionKey>[2]>) =>
  new EcrEncryptionKey(test.stack, 'kms_key', { registry: test.registry, alias: 'alias/images', description: 'images', ...props });
const replication = (test: TestStack, destinations: ReplicationDestination[], names: string[] = ['web']) =>
  new ReplicationConfiguration(test.stack, 'replication', { registry: test.registry, rules: ReplicationConfiguration.rulesFor(destinations, names) });
const awsProvider = (test: TestStack, props: ConstructorParameters<typeof AwsProvider>[2]) => new AwsProvider(test.stack, 'other', props);
const lifecycle = (rules: LifecyclePolicy['rules']): LifecyclePolicy => ({ rules });
const untagged = (priority: number) => ({
  rulePriority: priority,
  selection: { tagStatus: 'untagged' as const, countType: 'sinceImagePushed' as const, countUnit: 'days' as const, countNumber: 14 },
  action: { type: 'expire' as const },
});
const regions = ['us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2'];
const regions13 = [...regions, 'eu-north-1', 'eu-south-1', 'eu-south-2'];
const names600 = Array.from({ length: 600 }, (_, index) => `r${String(index).padStart(3, '0')}`);

const CASES: [string, Case][] = [
  [
    'a deploy role that is not a role ARN',
    {
      build: (test) =>
        registryProvider(test.stack, { name: 'other', accountId: BUILD_ACCOUNT, region: 'us-east-1', deployRoleArn: 'ecr-replication-deployer' }),
      where: 'registryProvider: deployRoleArn (received "ecr-replication-deployer")',
      rule: 'must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<name> (e.g. arn:aws:iam::111111111111:role/ecr-replication-deployer)',
      config: { mutate: (config) => (config.accounts.build.deployRoleArn = 'ecr-replication-deployer'), path: 'accounts.build.deployRoleArn' },
    },
  ],
  [
    'an 11-digit account id',
    {
      build: (test) => ecrRegistry({ provider: test.provider, accountId: '11111111111', region: 'us-east-1' }),
      where: 'ecrRegistry: accountId (received "11111111111")',
      rule: ACCOUNT_RULE,
      config: { mutate: (config) => (config.accounts.build.id = '11111111111'), path: 'accounts.build.id' },
    },
  ],
  [
    'a non-numeric account id',
    {
      build: (test) => ecrRegistry({ provider: test.provider, accountId: 'build-account', region: 'us-east-1' }),
      where: 'ecrRegistry: accountId (received "build-account")',
      rule: ACCOUNT_RULE,
      config: { mutate: (config) => (config.accounts.build.id = 'build-account'), path: 'accounts.build.id' },
    },
  ],
  [
    'region eu-west-9',
    {
      build: (test) => ecrRegistry({ provider: awsProvider(test, { alias: 'other' }), accountId: BUILD_ACCOUNT, region: 'eu-west-9' }),
      where: 'ecrRegistry: region (received "eu-west-9")',
      rule: `${REGION_RULE} (did you mean "eu-west-1"?)`,
      config: { mutate: (config) => (config.sources[0].destinations[1].region = 'eu-west-9'), path: 'sources[0].destinations[1].region' },
    },
  ],
  [
    'region us-east-9',
    {
      build: (test) => ecrRegistry({ provider: awsProvider(test, { alias: 'other' }), accountId: BUILD_ACCOUNT, region: 'us-east-9' }),
      where: 'ecrRegistry: region (received "us-east-9")',
      rule: `${REGION_RULE} (did you mean "us-east-1"?)`,
      config: { mutate: (config) => (config.sources[0].region = 'us-east-9'), path: 'sources[0].region' },
    },
  ],
  [
    "a registry in another region than its provider's",
    {
      build: (test) => ecrRegistry({ provider: test.provider, accountId: BUILD_ACCOUNT, region: 'eu-west-1' }),
      where: 'ecrRegistry: region (received "eu-west-1")',
      rule: "is not the region of its provider test/aws_build_us_east_1 (us-east-1), which would create every resource of the registry in us-east-1: give the registry the provider's region, or a provider of eu-west-1",
    },
  ],
  [
    'a registry in an account its provider refuses',
    {
      build: (test) => ecrRegistry({ provider: test.provider, accountId: PROD_ACCOUNT, region: 'us-east-1' }),
      where: 'ecrRegistry: accountId (received "222222222222")',
      rule: 'is not among the accounts its provider test/aws_build_us_east_1 allows (111111111111), which refuses to run against any other: give the registry one of them, or a provider of account 222222222222',
    },
  ],
  [
    'a registry written as an object literal with a short account id',
    {
      build: (test) =>
        new EncryptedRepositories(test.stack, 'repositories', {
          registry: { ...test.registry, accountId: '1234' },
          key: { keyArn: 'arn:aws:kms:us-east-1:1234:key/x' },
          repositories: [{ name: 'web' }],
        }),
      where: 'EncryptedRepositories test/repositories: registry.accountId (received "1234")',
      rule: ACCOUNT_RULE,
    },
  ],
  [
    'a key alias under alias/aws/',
    {
      build: (test) => ownKey(test, { alias: 'alias/aws/ecr' }),
      where: 'EcrEncryptionKey test/kms_key: alias (received "alias/aws/ecr")',
      rule: ALIAS_RULE,
      config: { mutate: (config) => (config.keys = { alias: 'alias/aws/ecr' }), path: 'keys.alias' },
    },
  ],
  [
    'a key alias without alias/',
    {
      build: (test) => ownKey(test, { alias: 'ecr-images' }),
      where: 'EcrEncryptionKey test/kms_key: alias (received "ecr-images")',
      rule: ALIAS_RULE,
      config: { mutate: (config) => (config.keys = { alias: 'ecr-images' }), path: 'keys.alias' },
    },
  ],
  [
    'a wildcard key administrator',
    {
      build: (test) => ownKey(test, { administrators: ['*'] }),
      where: 'EcrEncryptionKey test/kms_key: administrators[0] (received "*")',
      rule: WILDCARD_RULE,
      config: { mutate: (config) => (config.accounts.build.keyAdministrators = ['*']), path: 'accounts.build.keyAdministrators[0]' },
    },
  ],
  [
    'a key user with a short account id',
    {
      build: (test) => ownKey(test, { users: ['arn:aws:iam::1234:root'] }),
      where: 'EcrEncryptionKey test/kms_key: users[0] (received "arn:aws:iam::1234:root")',
      rule: PRINCIPAL_RULE,
      config: { mutate: (config) => (config.accounts.build.keyUsers = ['arn:aws:iam::1234:root']), path: 'accounts.build.keyUsers[0]' },
    },
  ],
  [
    'a key user of another partition',
    {
      build: (test) => ownKey(test, { users: ['arn:aws-us-gov:iam::111111111111:role/ci'] }),
      where: 'EcrEncryptionKey test/kms_key: users[0] (received "arn:aws-us-gov:iam::111111111111:role/ci")',
      rule: 'ARN is in partition aws-us-gov but the key is in aws: use arn:aws:iam::111111111111:role/ci',
    },
  ],
  [
    'pullPrincipals: ["*"]',
    {
      build: (test) => repositories(test, [{ name: 'web', pullPrincipals: ['*'] }]),
      where: 'EncryptedRepositories test/repositories: repositories[0].pullPrincipals[0] (received "*")',
      rule: WILDCARD_RULE,
      config: { mutate: (config) => (config.repositories[0].pullPrincipals = ['*']), path: 'repositories[0].pullPrincipals[0]' },
    },
  ],
  [
    'a push principal with a wildcard role name',
    {
      build: (test) => repositories(test, [{ name: 'web' }, { name: 'api', pushPrincipals: ['arn:aws:iam::111111111111:role/ci-*'] }]),
      where: 'EncryptedRepositories test/repositories: repositories[1].pushPrincipals[0] (received "arn:aws:iam::111111111111:role/ci-*")',
      rule: PRINCIPAL_RULE,
      config: {
        mutate: (config) => (config.repositories[1].pushPrincipals = ['arn:aws:iam::111111111111:role/ci-*']),
        path: 'repositories[1].pushPrincipals[0]',
      },
    },
  ],
  [
    'a wildcard granted through a handle',
    {
      build: (test) =>
        repositories(test, [{ name: 'web' }])
          .repository('web')
          .grantPull('*'),
      where: 'EncryptedRepositories test/repositories: grantPull(principalArn) (received "*")',
      rule: WILDCARD_RULE,
    },
  ],
  [
    'a lifecycle policy with duplicate priorities',
    {
      build: (test) =>
        repositories(test, [
          { name: 'web', lifecyclePolicy: lifecycle([untagged(1), { ...untagged(1), selection: { ...untagged(1).selection, countNumber: 30 } }]) },
        ]),
      where: 'EncryptedRepositories test/repositories: repositories[0].lifecyclePolicy.rules[1].rulePriority (received 1)',
      rule: 'rule priorities must be unique within a lifecycle policy (rules[0] has it too): choose another number',
      config: {
        mutate: (config) => (config.repositories[0].lifecyclePolicy.rules[1].rulePriority = 1),
        path: 'repositories[0].lifecyclePolicy.rules[1].rulePriority',
      },
    },
  ],
  [
    'a lifecycle rule keeping 0 images',
    {
      build: (test) =>
        repositories(test, [{ name: 'web', lifecyclePolicy: lifecycle([{ ...untagged(1), selection: { ...untagged(1).selection, countNumber: 0 } }]) }]),
      where: 'EncryptedRepositories test/repositories: repositories[0].lifecyclePolicy.rules[0].selection.countNumber (received 0)',
      rule: 'must be a whole number, 1 or more',
      config: {
        mutate: (config) => (config.repositories[0].lifecyclePolicy.rules[1].selection.countNumber = 0),
        path: 'repositories[0].lifecyclePolicy.rules[1].selection.countNumber',
      },
    },
  ],
  [
    'a tagged lifecycle rule without a tag list',
    {
      build: (test) =>
        repositories(test, [
          {
            name: 'web',
            lifecyclePolicy: lifecycle([
              { rulePriority: 1, selection: { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } },
            ]),
          },
        ]),
      where: 'EncryptedRepositories test/repositories: repositories[0].lifecyclePolicy.rules[0].selection.tagStatus (received "tagged")',
      rule: 'a rule with tagStatus tagged needs tagPrefixList or tagPatternList: add one, or use tagStatus any',
      config: {
        mutate: (config) => delete config.repositories[0].lifecyclePolicy.rules[0].selection.tagPrefixList,
        path: 'repositories[0].lifecyclePolicy.rules[0].selection.tagStatus',
      },
    },
  ],
  [
    "a creation template's lifecycle policy whose any rule is not last",
    {
      build: (test) =>
        new RepositoryCreationTemplates(test.stack, 'templates', {
          registry: test.registry,
          key: key(),
          role: new CreationTemplateRole(test.stack, 'role', { registry: test.registry, roleName: 'templates', description: 'templates' }),
          replicationFilters: ['team-a/'],
          description: 'replicated',
          lifecyclePolicy: lifecycle([
            { rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }, action: { type: 'expire' } },
            untagged(2),
          ]),
        }),
      where: 'RepositoryCreationTemplates test/templates: lifecyclePolicy.rules[0].rulePriority (received 1)',
      rule: 'the rule with tagStatus any must have the highest rulePriority (evaluated last): give it a number above 2',
      config: {
        mutate: (config) =>
          (config.repositories[0].lifecyclePolicy.rules[0].selection = { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }),
        path: 'repositories[0].lifecyclePolicy.rules[0].rulePriority',
      },
    },
  ],
  [
    'a replication destination in region eu-west-9',
    {
      build: (test) => replication(test, [{ accountId: PROD_ACCOUNT, region: 'eu-west-9' }]),
      where: 'ReplicationConfiguration test/replication: rules[0].destinations[0].region (received "eu-west-9")',
      rule: `${REGION_RULE} (did you mean "eu-west-1"?)`,
      config: { mutate: (config) => (config.sources[0].destinations[1].region = 'eu-west-9'), path: 'sources[0].destinations[1].region' },
    },
  ],
  [
    'a replication destination with an 11-digit account id',
    {
      build: (test) => replication(test, [{ accountId: '22222222222', region: 'eu-west-1' }]),
      where: 'ReplicationConfiguration test/replication: rules[0].destinations[0].accountId (received "22222222222")',
      rule: ACCOUNT_RULE,
      config: { mutate: (config) => (config.accounts.prod.id = '22222222222'), path: 'accounts.prod.id' },
    },
  ],
  [
    'a replication destination in another partition',
    {
      build: (test) => replication(test, [{ accountId: PROD_ACCOUNT, region: 'cn-north-1' }]),
      where: 'ReplicationConfiguration test/replication: rules[0].destinations[0].region (received "cn-north-1")',
      rule: 'replication cannot cross partitions: the source is in aws, this region in aws-cn; choose a region of aws',
      config: { mutate: (config) => (config.sources[0].destinations[0].region = 'cn-north-1'), path: 'sources[0].destinations[0].region' },
    },
  ],
  [
    '26 destinations x 600 repositories (12 rules)',
    {
      build: (test) =>
        replication(
          test,
          [...regions13.map((region) => ({ accountId: BUILD_ACCOUNT, region })), ...regions13.map((region) => ({ accountId: PROD_ACCOUNT, region }))],
          names600,
        ),
      where: 'ReplicationConfiguration test/replication: rules (received {"rules":12,"destinations":26,"filters":600})',
      rule: '26 destinations and 600 filters need 12 replication rules (at most 25 destinations and 100 filters each), above the ECR limit of 10; 26 destinations leave room for 500 filters and no grouping of the repositories into namespaces fits: replicate fewer repositories or destinations, or split them across source registries',
      config: {
        mutate: (config) => {
          config.repositories = names600.map((name) => ({ name }));
          config.sources[0].destinations = [
            ...regions13.map((region) => ({ account: 'build', region })),
            ...regions13.map((region) => ({ account: 'prod', region })),
          ];
        },
        path: 'sources[0]',
      },
    },
  ],
  [
    '1,010 repositories of ten namespaces (11 rules)',
    {
      build: (test) =>
        replication(
          test,
          [{ accountId: PROD_ACCOUNT, region: 'eu-west-1' }],
          Array.from({ length: 1010 }, (_, index) => `team-${index % 10}/app-${String(index).padStart(4, '0')}`),
        ),
      where: 'ReplicationConfiguration test/replication: rules (received {"rules":11,"destinations":1,"filters":1010})',
      rule: '1 destinations and 1010 filters need 11 replication rules (at most 25 destinations and 100 filters each), above the ECR limit of 10; 1 destinations leave room for 1000 filters: replicate the namespaces team-0/ instead of the repositories inside them (list each as one filter: ReplicationConfiguration.rulesFor(destinations, namespaces)), which gives 910 filters',
    },
  ],
  [
    'eleven hand-written rules that fit in one',
    {
      build: (test) =>
        new ReplicationConfiguration(test.stack, 'replication', {
          registry: test.registry,
          rules: Array.from({ length: 11 }, (_, index) => ({ destinations: [{ accountId: PROD_ACCOUNT, region: 'eu-west-1' }], filters: [`app-${index}x`] })),
        }),
      where: 'ReplicationConfiguration test/replication: rules (received {"rules":11,"destinations":1,"filters":11})',
      rule: '11 replication rules are above the ECR limit of 10, but their 1 destinations and 11 filters fit in 1 when every destination receives every filter (at most 25 destinations and 100 filters each): merge them (ReplicationConfiguration.rulesFor builds the fewest rules), or split the destinations across source registries',
    },
  ],
  [
    'continuous scanning with BASIC',
    {
      build: (test) =>
        new RegistryScanningConfiguration(test.stack, 'scanning', { registry: test.registry, rules: [{ frequency: 'CONTINUOUS_SCAN', filters: ['*'] }] }),
      where: 'RegistryScanningConfiguration test/scanning: rules[0].frequency (received "CONTINUOUS_SCAN")',
      rule: 'CONTINUOUS_SCAN needs scanType ENHANCED (basic scanning scans on push only): set scanType: ENHANCED or use SCAN_ON_PUSH',
      config: { mutate: (config) => (config.scanning = { rules: [{ frequency: 'CONTINUOUS_SCAN', filters: ['*'] }] }), path: 'scanning.rules[0].frequency' },
    },
  ],
  [
    'a scanning filter with upper case',
    {
      build: (test) =>
        new RegistryScanningConfiguration(test.stack, 'scanning', { registry: test.registry, rules: [{ frequency: 'SCAN_ON_PUSH', filters: ['Team-A/*'] }] }),
      where: 'RegistryScanningConfiguration test/scanning: rules[0].filters[0] (received "Team-A/*")',
      rule: 'must be lowercase letters, digits, ".", "_", "-", "/" and "*" wildcards, e.g. "*" or "team-a/*"',
      config: {
        mutate: (config) => (config.scanning = { rules: [{ frequency: 'SCAN_ON_PUSH', filters: ['Team-A/*'] }] }),
        path: 'scanning.rules[0].filters[0]',
      },
    },
  ],
  [
    'a registry policy source with a malformed filter',
    {
      build: (test) =>
        new ReplicationRegistryPolicy(test.stack, 'registry_policy', {
          registry: test.registry,
          sources: [{ name: 'prod', accountId: PROD_ACCOUNT, replicationFilters: ['Web'] }],
        }),
      where: 'ReplicationRegistryPolicy test/registry_policy: sources[0].replicationFilters[0] (received "Web")',
      rule: 'must be an ECR replication filter: 2 to 256 characters, a repository-name prefix (lowercase segments separated by "/")',
    },
  ],
  [
    'a removed repository that is still listed',
    {
      build: (test) => repositories(test, [{ name: 'web' }], { removedRepositories: [{ name: 'web' }] }),
      where: 'EncryptedRepositories test/repositories: removedRepositories[0].name (received "web")',
      rule: 'is still listed in repositories: a repository is either managed or removed; take it out of repositories, or out of removedRepositories to keep managing it',
    },
  ],
  [
    'a removed repository listed twice',
    {
      build: (test) => repositories(test, [{ name: 'web' }], { removedRepositories: [{ name: 'old' }, { name: 'old', removalPolicy: RemovalPolicy.DESTROY }] }),
      where: 'EncryptedRepositories test/repositories: removedRepositories[1].name (received "old")',
      rule: 'is listed twice (removedRepositories[0] has this name too): remove the duplicate',
    },
  ],
  [
    'a handle of a repository the construct does not manage',
    {
      build: (test) => repositories(test, [{ name: 'team-a/api' }, { name: 'web' }]).repository('team-a/apj'),
      where: 'EncryptedRepositories test/repositories: repository(name) (received "team-a/apj")',
      rule: 'is not a repository of this construct (did you mean "team-a/api"?): use one of team-a/api, web',
    },
  ],
  [
    'an imported repository name ECR refuses',
    {
      build: (test) => EncryptedRepositories.fromRepositoryName(test.stack, 'existing', { registry: test.registry, repositoryName: 'Legacy' }),
      where: 'EncryptedRepositories.fromRepositoryName test/existing: repositoryName (received "Legacy")',
      rule: 'must match the ECR repository name pattern: lowercase letters and digits in segments separated by ".", "_" or "-", namespaces separated by "/" (e.g. team-a/api)',
    },
  ],
  [
    'a suppression of an unknown rule',
    {
      build: (test) => ComplianceSuppressions.add(repositories(test, [{ name: 'web' }]), [{ id: 'ECR-TAG-IMUTABLE', reason: 'CI re-tags latest' }]),
      where: 'ComplianceSuppressions.add test/repositories: suppressions[0].id (received "ECR-TAG-IMUTABLE")',
      rule:
        'is not a compliance rule (did you mean "ECR-TAG-IMMUTABLE"?): use one of ECR-ENCRYPTED-CMK, KMS-ROTATION, KMS-NO-WILDCARD-PRINCIPAL, ECR-SCAN-ON-PUSH, ' +
        'ECR-REGISTRY-SCANNING, ECR-TAG-IMMUTABLE, ECR-LIFECYCLE-POLICY, ECR-NO-PUBLIC-POLICY, ECR-REGISTRY-POLICY-SCOPED',
    },
  ],
  [
    'a suppression with a blank reason',
    {
      build: (test) => ComplianceSuppressions.add(repositories(test, [{ name: 'web' }]), [{ id: 'ECR-TAG-IMMUTABLE', reason: '  ' }]),
      where: 'ComplianceSuppressions.add test/repositories: suppressions[0].reason (received "  ")',
      rule: 'must say why the ECR-TAG-IMMUTABLE finding is accepted here (the audit shows it beside the finding), e.g. "mutable tags: CI re-tags latest on every build"',
    },
  ],
  [
    'a suppression without a reason',
    {
      build: (test) =>
        ComplianceSuppressions.add(repositories(test, [{ name: 'web' }]), [{ id: 'ECR-LIFECYCLE-POLICY' } as unknown as { id: string; reason: string }]),
      where: 'ComplianceSuppressions.add test/repositories: suppressions[0].reason (received nothing)',
      rule: 'must say why the ECR-LIFECYCLE-POLICY finding is accepted here (the audit shows it beside the finding), e.g. "mutable tags: CI re-tags latest on every build"',
    },
  ],
];

/** The config's problems for the example with one mistake, by printed path. */
function configProblems(mutate: (config: Doc) => void): Map<string, string[]> {
  const config: Doc = exampleConfig();
  mutate(config);
  try {
    validateConfig(config, 'example.yaml');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const byPath = new Map<string, string[]>();
    for (const problem of error.problems) byPath.set(formatPath(problem.path), [...(byPath.get(formatPath(problem.path)) ?? []), problem.message]);
    return byPath;
  }
  throw new Error('the config accepted the mistake');
}

describe('GIVEN a construct built with a mistake the config refuses', () => {
  test.each(CASES)('WHEN it has %s THEN it fails with the exact message', (_name, { build, where, rule }) => {
    expect(() => build(stackWithProvider())).toThrow(new Error(`${where}: ${rule}`));
  });

  test.each(CASES.filter(([, { config }]) => config !== undefined))(
    'WHEN the config has %s THEN it reports the same rule text at its field path',
    (_name, { rule, config }) => {
      expect(configProblems(config!.mutate).get(config!.path)).toContain(rule);
    },
  );
});

describe('GIVEN one app with two stacks of the same registry', () => {
  /** Two stacks, each with its own provider for account 111111111111 in us-east-1. */
  function twoStacks(): { app: App; registries: [EcrRegistry, EcrRegistry]; stacks: [TerraformStack, TerraformStack] } {
    const app = Testing.app();
    const stacks = ['platform', 'team'].map((id) => new TerraformStack(app, id)) as [TerraformStack, TerraformStack];
    const registries = stacks.map((stack) =>
      ecrRegistry({ provider: new AwsProvider(stack, 'aws', { region: 'us-east-1' }), accountId: BUILD_ACCOUNT, region: 'us-east-1' }),
    ) as [EcrRegistry, EcrRegistry];
    return { app, registries, stacks };
  }
  const prod = [{ accountId: PROD_ACCOUNT, region: 'eu-west-1' }];

  test.each([
    [
      'ReplicationConfiguration',
      (stack: TerraformStack, registry: EcrRegistry) =>
        new ReplicationConfiguration(stack, 'replication', { registry, rules: ReplicationConfiguration.rulesFor(prod, ['web']) }),
      'ReplicationConfiguration team/replication: registry (received {"accountId":"111111111111","region":"us-east-1"}): account 111111111111 in us-east-1 already has a replication configuration in this app, ReplicationConfiguration platform/replication: ' +
        'ECR keeps exactly one replication configuration per registry, so applying this one would replace that one; merge their rules into one ReplicationConfiguration',
    ],
    [
      'ReplicationRegistryPolicy',
      (stack: TerraformStack, registry: EcrRegistry) =>
        new ReplicationRegistryPolicy(stack, 'registry_policy', {
          registry,
          sources: [{ name: 'prod', accountId: PROD_ACCOUNT, replicationFilters: ['web'] }],
        }),
      'ReplicationRegistryPolicy team/registry_policy: registry (received {"accountId":"111111111111","region":"us-east-1"}): account 111111111111 in us-east-1 already has a registry policy in this app, ReplicationRegistryPolicy platform/registry_policy: ' +
        "ECR keeps exactly one registry policy per registry, so applying this one would replace that one; merge their sources into one ReplicationRegistryPolicy (additionalStatements keeps the registry policy's other statements)",
    ],
    [
      'RegistryScanningConfiguration',
      (stack: TerraformStack, registry: EcrRegistry) => new RegistryScanningConfiguration(stack, 'scanning', { registry }),
      'RegistryScanningConfiguration team/scanning: registry (received {"accountId":"111111111111","region":"us-east-1"}): account 111111111111 in us-east-1 already has a scanning configuration in this app, RegistryScanningConfiguration platform/scanning: ' +
        'ECR keeps exactly one scanning configuration per registry, so applying this one would replace that one; merge their rules into one RegistryScanningConfiguration',
    ],
  ])('WHEN a second %s is declared for it THEN it fails naming both construct paths', (_kind, declare, message) => {
    const { registries, stacks } = twoStacks();
    declare(stacks[0], registries[0]);
    expect(() => declare(stacks[1], registries[1])).toThrow(new Error(message));
  });

  test('WHEN each is declared once per registry and per app THEN nothing fails', () => {
    const { registries, stacks } = twoStacks();
    new ReplicationConfiguration(stacks[0], 'replication', { registry: registries[0], rules: ReplicationConfiguration.rulesFor(prod, ['web']) });
    new RegistryScanningConfiguration(stacks[1], 'scanning', { registry: registries[1] });
    // Another app is another deployment: its own registry settings.
    const other = stackWithProvider();
    expect(
      () => new ReplicationConfiguration(other.stack, 'replication', { registry: other.registry, rules: ReplicationConfiguration.rulesFor(prod, ['web']) }),
    ).not.toThrow();
  });
});
