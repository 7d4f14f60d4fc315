/**
 * Every bad config gets a clear, specific message: `path (received X): rule and fix`.
 * Cases derive from one valid base config by small mutations; each lists the
 * exact lines formatProblem prints.
 */
import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { JSON_SCHEMA_FILE, renderConfigJsonSchema } from '../config/json-schema';
import { loadConfigFile, parseConfigText, validateConfig } from '../config/load';
import { ConfigError, ConfigProblem, formatProblem, formatWarning } from '../config/problems';
import { replicationFiltersFor } from '../modules/ecr/replication-rules';
import { jsonSchemaErrors } from '../test-support/json-schema-validator';

const PROJECT = path.resolve(__dirname, '..');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

/** A small valid config; every call returns a fresh copy. */
function base(): Doc {
  return {
    accounts: {
      build: {
        id: '111111111111',
        deployRoleArn: 'arn:aws:iam::111111111111:role/deployer',
        keyAdministrators: ['arn:aws:iam::111111111111:role/key-admin'],
        keyUsers: ['arn:aws:iam::111111111111:role/ci'],
      },
      prod: { id: '222222222222' },
    },
    repositories: [
      {
        name: 'team-a/api',
        lifecyclePolicy: {
          rules: [
            {
              rulePriority: 1,
              selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 50 },
              action: { type: 'expire' },
            },
            {
              rulePriority: 2,
              selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
              action: { type: 'expire' },
            },
          ],
        },
        pullPrincipals: ['arn:aws:iam::222222222222:role/eks-node'],
      },
      { name: 'web' },
    ],
    sources: [
      {
        account: 'build',
        region: 'us-east-1',
        destinations: [
          { account: 'build', region: 'us-west-2' },
          { account: 'prod', region: 'eu-west-1' },
        ],
      },
    ],
    tags: { Project: 'ecr-kms-replication' },
    backend: { type: 'local', directory: 'terraform-state' },
  };
}

function mutated(mutate: (config: Doc) => void): Doc {
  const config = base();
  mutate(config);
  return config;
}

/** The problems of a document, as printed; [] when it is valid. */
function problemLines(document: unknown): string[] {
  try {
    validateConfig(document, 'test.yaml');
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map(formatProblem);
  }
}

function fileProblems(load: () => unknown): readonly ConfigProblem[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const apiRules = 'repositories[0].lifecyclePolicy.rules';
const PRINCIPAL_RULE =
  'must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. arn:aws:iam::111111111111:role/platform-admin)';
const REGION_RULE = 'must be an AWS region where ECR and KMS are offered, e.g. us-east-1, eu-west-1 or us-gov-west-1';
const BACKEND_TYPES = 'local, s3 or cloud (local: state files in a project folder; s3: an S3 bucket; cloud: HCP Terraform)';

describe('GIVEN the base config', () => {
  test('WHEN it is validated THEN it passes without warnings', () => {
    const loaded = validateConfig(base(), 'test.yaml');
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config.keys).toEqual({ deletionWindowInDays: 30, alias: 'alias/ecr-kms-replication', repositoriesPerKey: 500, preventDestroy: true });
  });
});

/** Mistakes of the table below that ecr-replication.schema.json cannot see, with the reason. */
const JSON_SCHEMA_CANNOT_EXPRESS: Record<string, string> = {
  'a duplicate repository name': 'one field unique among list items (uniqueItems compares whole items)',
  'two accounts with one id': 'one field unique among the values of a mapping',
  'a destination naming an unknown account': 'a reference to a key of accounts (no $data in JSON Schema)',
  'a source naming an unknown account': 'a reference to a key of accounts',
  'a deploy role in another account': "the account in the role ARN must equal the account's id: two values compared",
  'a destination equal to its source': 'a destination compared with its source',
  'a source registry listed twice': 'account and region unique among sources whose destinations differ',
  'a source replicating an unknown repository': 'a reference to a name under repositories',
  'more than 10 replication rules (26 destinations x 600 filters = 2 x 6 rules)': 'a count derived from destinations and replication filters',
  'more repositories than keys.repositoriesPerKey': 'a count of repositories per registry compared with another field',
  'two rules with one priority': 'one field unique among list items',
  'a tagStatus any rule that is not evaluated last': 'priorities compared across rules',
  'a lifecycle policy above 30,720 characters': 'the length of the policy written as JSON',
  'a workspace prefix that makes workspace names longer than 90 characters': 'the length of the prefix plus each derived stack name',
};

describe('GIVEN the base config, checked by the JSON Schema', () => {
  test('WHEN it is validated THEN it passes', () => {
    expect(jsonSchemaErrors(base())).toEqual([]);
  });
});

describe('GIVEN a config with one mistake', () => {
  const cases: [string, (config: Doc) => void, string[]][] = [
    // Repositories
    [
      'a repository name of 1 character',
      (c) => (c.repositories[1].name = 'a'),
      ['repositories[1].name (received "a"): must be 2 to 256 characters long (ECR repository name limit): use a longer name'],
    ],
    [
      'a repository name of 257 characters',
      (c) => (c.repositories[1].name = 'a'.repeat(257)),
      [`repositories[1].name (received "${'a'.repeat(76)}...): must be 2 to 256 characters long (ECR repository name limit): use a shorter name`],
    ],
    [
      'a repository name with upper case',
      (c) => (c.repositories[1].name = 'Team-A/web'),
      [
        'repositories[1].name (received "Team-A/web"): must match the ECR repository name pattern: lowercase letters and digits in segments separated by ".", "_" or "-", namespaces separated by "/" (e.g. team-a/api)',
      ],
    ],
    [
      'a duplicate repository name',
      (c) => (c.repositories[1].name = 'team-a/api'),
      ['repositories[1].name (received "team-a/api"): repository names must be unique (repositories[0] has this name too): remove or rename the duplicate'],
    ],
    [
      'a repository without name',
      (c) => delete c.repositories[1].name,
      ['repositories[1].name (received nothing): is required: add a repository name, e.g. team-a/api'],
    ],
    [
      'a repository that is not a mapping',
      (c) => (c.repositories[1] = 'web'),
      [
        'repositories[1] (received "web"): must be a repository: a mapping with name and optional imageTagMutability, scanOnPush, lifecyclePolicy, pullPrincipals and pushPrincipals',
      ],
    ],
    [
      'a lower-case tag mutability',
      (c) => (c.repositories[1].imageTagMutability = 'immutable'),
      ['repositories[1].imageTagMutability (received "immutable"): must be IMMUTABLE or MUTABLE (upper case)'],
    ],
    [
      'scanOnPush as a string',
      (c) => (c.repositories[1].scanOnPush = 'yes'),
      ['repositories[1].scanOnPush (received "yes"): must be true or false (scan images for vulnerabilities when pushed)'],
    ],
    ['no repositories', (c) => (c.repositories = []), ['repositories (received []): must list at least one repository, e.g. - name: team-a/api']],
    // Accounts
    [
      'an 11-digit account id',
      (c) => (c.accounts.build.id = '11111111111'),
      ['accounts.build.id (received "11111111111"): must be a 12-digit AWS account id in quotes, e.g. "111111111111"'],
    ],
    [
      'an account id written as a number',
      (c) => (c.accounts.prod.id = 222222222222),
      ['accounts.prod.id (received 222222222222): must be the 12-digit AWS account id in quotes, e.g. id: "111111111111"'],
    ],
    [
      'an account without id',
      (c) => delete c.accounts.prod.id,
      ['accounts.prod.id (received nothing): is required: add the 12-digit AWS account id in quotes, e.g. id: "111111111111"'],
    ],
    [
      'two accounts with one id',
      (c) => (c.accounts.prod.id = '111111111111'),
      [
        'accounts.prod.id (received "111111111111"): account id is also used by account "build": each account must have its own id, and each AWS account is described once',
      ],
    ],
    [
      'an account name with upper case',
      (c) => (c.accounts.Staging = { id: '333333333333' }),
      [
        'accounts.Staging (received "Staging"): account names must start with a lowercase letter and hold only lowercase letters, digits and "-", at most 20 characters (they become part of stack names): rename it, e.g. build',
      ],
    ],
    [
      'a destination naming an unknown account',
      (c) => (c.sources[0].destinations[1].account = 'prd'),
      ['sources[0].destinations[1].account (received "prd"): unknown account (did you mean "prod"?): define it under accounts or use one of build, prod'],
    ],
    [
      'a source naming an unknown account',
      (c) => (c.sources[0].account = 'ci'),
      ['sources[0].account (received "ci"): unknown account: define it under accounts or use one of build, prod'],
    ],
    ['no accounts', (c) => (c.accounts = {}), ['accounts (received {}): must define at least one account, e.g. build: { id: "111111111111" }']],
    [
      'accounts as a list',
      (c) => (c.accounts = [c.accounts.build]),
      [
        'accounts (received [{"id":"111111111111","deployRoleArn":"arn:aws:iam::111111111111:role/deploye...): must be a mapping from account name to account, e.g. accounts: { build: { id: "111111111111" } }',
      ],
    ],
    [
      'a deploy role in another account',
      (c) => (c.accounts.build.deployRoleArn = 'arn:aws:iam::222222222222:role/deployer'),
      [
        'accounts.build.deployRoleArn (received "arn:aws:iam::222222222222:role/deployer"): must be a role in this account (111111111111), not in 222222222222: the deployment assumes it to manage this account\'s registries; use arn:<partition>:iam::111111111111:role/<name>',
      ],
    ],
    [
      'a deploy role that is a user',
      (c) => (c.accounts.build.deployRoleArn = 'arn:aws:iam::111111111111:user/bob'),
      [
        'accounts.build.deployRoleArn (received "arn:aws:iam::111111111111:user/bob"): must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<name> (e.g. arn:aws:iam::111111111111:role/ecr-replication-deployer)',
      ],
    ],
    [
      'a key user with a short account id',
      (c) => (c.accounts.build.keyUsers = ['arn:aws:iam::1234:root']),
      [`accounts.build.keyUsers[0] (received "arn:aws:iam::1234:root"): ${PRINCIPAL_RULE}`],
    ],
    [
      'key users as a single string',
      (c) => (c.accounts.build.keyUsers = 'arn:aws:iam::111111111111:root'),
      [
        'accounts.build.keyUsers (received "arn:aws:iam::111111111111:root"): must be a list of IAM principal ARNs that use the keys through ECR, e.g. [arn:aws:iam::111111111111:role/platform-admin] (or [] for none)',
      ],
    ],
    [
      'a malformed pull principal',
      (c) => (c.repositories[0].pullPrincipals = ['eks-node']),
      [`repositories[0].pullPrincipals[0] (received "eks-node"): ${PRINCIPAL_RULE}`],
    ],
    // Regions and partitions
    [
      'an unknown source region',
      (c) => (c.sources[0].region = 'us-east-9'),
      [`sources[0].region (received "us-east-9"): ${REGION_RULE} (did you mean "us-east-1"?)`],
    ],
    [
      'a destination without region',
      (c) => delete c.sources[0].destinations[1].region,
      ["sources[0].destinations[1].region (received nothing): is required: add the destination registry's AWS region, e.g. region: eu-west-1"],
    ],
    [
      'a destination in another partition',
      (c) => (c.sources[0].destinations[0].region = 'cn-north-1'),
      [
        'sources[0].destinations[0].region (received "cn-north-1"): replication cannot cross partitions: the source is in aws, this region in aws-cn; choose a region of aws',
      ],
    ],
    [
      'a second source in another partition',
      (c) => c.sources.push({ account: 'prod', region: 'us-gov-west-1', destinations: [{ account: 'prod', region: 'us-gov-east-1' }] }),
      [
        'sources[1].region (received "us-gov-west-1"): is in partition aws-us-gov, but sources[0] is in aws: the registries of one config share a partition (accounts, ARNs and replication do not cross partitions); use a separate config file per partition',
      ],
    ],
    [
      'a key administrator ARN of another partition',
      (c) => (c.accounts.build.keyAdministrators = ['arn:aws-us-gov:iam::111111111111:role/key-admin']),
      [
        'accounts.build.keyAdministrators[0] (received "arn:aws-us-gov:iam::111111111111:role/key-admin"): ARN is in partition aws-us-gov but the registries are in aws: use arn:aws:iam::111111111111:role/key-admin',
      ],
    ],
    [
      'commercial ARNs with GovCloud registries',
      (c) => {
        c.sources[0].region = 'us-gov-west-1';
        c.sources[0].destinations = [{ account: 'prod', region: 'us-gov-east-1' }];
        c.accounts.build.deployRoleArn = 'arn:aws-us-gov:iam::111111111111:role/deployer';
        c.accounts.build.keyAdministrators = ['arn:aws-us-gov:iam::111111111111:role/key-admin'];
      },
      [
        'accounts.build.keyUsers[0] (received "arn:aws:iam::111111111111:role/ci"): ARN is in partition aws but the registries are in aws-us-gov: use arn:aws-us-gov:iam::111111111111:role/ci',
        'repositories[0].pullPrincipals[0] (received "arn:aws:iam::222222222222:role/eks-node"): ARN is in partition aws but the registries are in aws-us-gov: use arn:aws-us-gov:iam::222222222222:role/eks-node',
      ],
    ],
    // Topology
    [
      'a destination equal to its source',
      (c) => (c.sources[0].destinations[0].region = 'us-east-1'),
      [
        'sources[0].destinations[0] (received {"account":"build","region":"us-east-1"}): a destination cannot be its own source registry: change the account or the region',
      ],
    ],
    [
      'a destination listed twice',
      (c) => c.sources[0].destinations.push({ account: 'prod', region: 'eu-west-1' }),
      [
        'sources[0].destinations[2] (received {"account":"prod","region":"eu-west-1"}): destination listed twice in this source (also destinations[1]): remove the duplicate',
      ],
    ],
    [
      'a source registry listed twice',
      (c) => c.sources.push({ account: 'build', region: 'us-east-1', destinations: [{ account: 'prod', region: 'eu-central-1' }] }),
      [
        'sources[1] (received {"account":"build","region":"us-east-1"}): registry build/us-east-1 is already sources[0]: list each source registry once and merge their destinations',
      ],
    ],
    [
      'a source replicating an unknown repository',
      (c) => (c.sources[0].repositories = ['team-a/apj']),
      [
        'sources[0].repositories[0] (received "team-a/apj"): unknown repository (did you mean "team-a/api"?): add it under repositories or remove it from this list',
      ],
    ],
    [
      'a source listing a repository twice',
      (c) => (c.sources[0].repositories = ['web', 'web']),
      ['sources[0].repositories[1] (received "web"): repository listed twice in this source: remove the duplicate'],
    ],
    [
      'a source with an empty repository list',
      (c) => (c.sources[0].repositories = []),
      ['sources[0].repositories (received []): must list at least one repository name, or be left out to replicate every repository of the file'],
    ],
    [
      'a source without destinations',
      (c) => (c.sources[0].destinations = []),
      ['sources[0].destinations (received []): must list at least one destination registry: add e.g. { account: prod, region: eu-west-1 }'],
    ],
    [
      'sources as a mapping',
      (c) => (c.sources = { build: c.sources[0] }),
      [
        'sources (received {"build":{"account":"build","region":"us-east-1","destinations":[{"account":"...): must be a list of source registries, e.g. sources: [{ account: build, region: us-east-1, destinations: [...] }]',
      ],
    ],
    // Limits
    [
      'more than 10 replication rules (26 destinations x 600 filters = 2 x 6 rules)',
      (c) => {
        c.keys = { repositoriesPerKey: 1000 };
        c.repositories = Array.from({ length: 600 }, (_, index) => ({ name: `r${String(index).padStart(3, '0')}` }));
        const regions = [
          'us-east-2',
          'us-west-1',
          'us-west-2',
          'ca-central-1',
          'ca-west-1',
          'eu-west-1',
          'eu-west-2',
          'eu-west-3',
          'eu-central-1',
          'eu-central-2',
          'eu-north-1',
          'eu-south-1',
          'eu-south-2',
        ];
        c.sources[0].destinations = [...regions.map((region) => ({ account: 'build', region })), ...regions.map((region) => ({ account: 'prod', region }))];
      },
      [
        'sources[0] (received {"destinations":26,"filters":600}): 26 destinations and 600 filters need 12 replication rules (at most 25 destinations and 100 filters each), above the ECR limit of 10; 26 destinations leave room for 500 filters and no grouping of the repositories into namespaces fits: replicate fewer repositories or destinations, or split them across source registries',
      ],
    ],
    [
      'more repositories than keys.repositoriesPerKey',
      (c) => (c.keys = { repositoriesPerKey: 1 }),
      ['sources[0]', 'sources[0].destinations[0]', 'sources[0].destinations[1]'].map(
        (where, index) =>
          `${where} (received 2): registry ${['build/us-east-1', 'build/us-west-2', 'prod/eu-west-1'][index]} would encrypt 2 repositories with its one KMS key, above keys.repositoriesPerKey (1): ` +
          "split the repositories across source registries, or raise keys.repositoriesPerKey after checking your KMS grant quota (repositories are not spread over several keys: a repository's key cannot change after creation)",
      ),
    ],
    [
      'keys.repositoriesPerKey above the KMS grant ceiling',
      (c) => (c.keys = { repositoriesPerKey: 50001 }),
      ['keys.repositoriesPerKey (received 50001): must be a whole number from 1 to 50000 (KMS grants per key)'],
    ],
    [
      'a deletion window of 5 days',
      (c) => (c.keys = { deletionWindowInDays: 5 }),
      ['keys.deletionWindowInDays (received 5): must be a whole number of days from 7 to 30 (KMS deletion window)'],
    ],
    [
      'a rotation period of 30 days',
      (c) => (c.keys = { rotationPeriodInDays: 30 }),
      [
        "keys.rotationPeriodInDays (received 30): must be a whole number of days from 90 to 2560 (KMS automatic rotation period): leave it unset for KMS's default of 365 days",
      ],
    ],
    [
      'a key alias under alias/aws/',
      (c) => (c.keys = { alias: 'alias/aws/ecr' }),
      [
        'keys.alias (received "alias/aws/ecr"): must be alias/<name> with letters, digits, "/", "_" or "-" (at most 250 after alias/), not under alias/aws/ (reserved by AWS)',
      ],
    ],
    // Lifecycle policies
    [
      'a tagged rule without tag list',
      (c) => delete c.repositories[0].lifecyclePolicy.rules[0].selection.tagPrefixList,
      [
        `${apiRules}[0].selection.tagStatus (received "tagged"): a rule with tagStatus tagged needs tagPrefixList or tagPatternList: add one, or use tagStatus any`,
      ],
    ],
    [
      'a rule with both tag lists',
      (c) => (c.repositories[0].lifecyclePolicy.rules[0].selection.tagPatternList = ['v*']),
      [`${apiRules}[0].selection.tagPatternList (received ["v*"]): tagPrefixList and tagPatternList cannot both be set in one rule: keep one of them`],
    ],
    [
      'a tag list on an untagged rule',
      (c) => (c.repositories[0].lifecyclePolicy.rules[1].selection.tagPrefixList = ['v']),
      [
        `${apiRules}[1].selection.tagStatus (received "untagged"): tagPrefixList and tagPatternList are allowed only with tagStatus tagged: set tagStatus to tagged or remove the list`,
      ],
    ],
    [
      'sinceImagePushed without countUnit',
      (c) => delete c.repositories[0].lifecyclePolicy.rules[1].selection.countUnit,
      [`${apiRules}[1].selection.countUnit (received nothing): is required with countType sinceImagePushed: add countUnit: days`],
    ],
    [
      'countUnit with imageCountMoreThan',
      (c) => (c.repositories[0].lifecyclePolicy.rules[0].selection.countUnit = 'days'),
      [`${apiRules}[0].selection.countUnit (received "days"): countUnit is allowed only with countType sinceImagePushed: remove it`],
    ],
    [
      'two rules with one priority',
      (c) => (c.repositories[0].lifecyclePolicy.rules[1].rulePriority = 1),
      [`${apiRules}[1].rulePriority (received 1): rule priorities must be unique within a lifecycle policy (rules[0] has it too): choose another number`],
    ],
    [
      'a tagStatus any rule that is not evaluated last',
      (c) => (c.repositories[0].lifecyclePolicy.rules[0].selection = { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }),
      [`${apiRules}[0].rulePriority (received 1): the rule with tagStatus any must have the highest rulePriority (evaluated last): give it a number above 2`],
    ],
    [
      'a tag pattern with five wildcards',
      (c) =>
        (c.repositories[0].lifecyclePolicy.rules[0].selection = {
          tagStatus: 'tagged',
          tagPatternList: ['*a*b*c*d*'],
          countType: 'imageCountMoreThan',
          countNumber: 5,
        }),
      [
        `${apiRules}[0].selection.tagPatternList[0] (received "*a*b*c*d*"): tag patterns may hold at most 4 "*" wildcards (ECR lifecycle policy rule): use fewer`,
      ],
    ],
    [
      'an action other than expire',
      (c) => (c.repositories[0].lifecyclePolicy.rules[0].action.type = 'delete'),
      [`${apiRules}[0].action.type (received "delete"): must be expire (the only lifecycle action)`],
    ],
    [
      'a countNumber of 0',
      (c) => (c.repositories[0].lifecyclePolicy.rules[0].selection.countNumber = 0),
      [`${apiRules}[0].selection.countNumber (received 0): must be a whole number, 1 or more`],
    ],
    [
      'a rule without action',
      (c) => delete c.repositories[0].lifecyclePolicy.rules[0].action,
      [`${apiRules}[0].action (received nothing): is required: add a mapping with type expire, e.g. action: { type: expire }`],
    ],
    [
      'an empty lifecycle policy',
      (c) => (c.repositories[0].lifecyclePolicy = { rules: [] }),
      [`${apiRules} (received []): must hold at least one rule: add one or remove lifecyclePolicy`],
    ],
    [
      'a lifecycle policy above 30,720 characters',
      (c) => (c.repositories[0].lifecyclePolicy.rules[0].selection.tagPrefixList = Array.from({ length: 3000 }, (_, index) => `release-${index}`)),
      [
        "repositories[0].lifecyclePolicy (received 44200): the policy is 44200 characters as JSON, above ECR's limit of 30720: use fewer rules or shorter descriptions and tag lists",
      ],
    ],
    // Tags
    [
      'a tag key starting with aws:',
      (c) => (c.tags['aws:owner'] = 'me'),
      ['tags["aws:owner"] (received "aws:owner"): tag keys must not start with "aws:" (reserved by AWS): rename the key'],
    ],
    [
      'a tag key of 129 characters',
      (c) => (c.tags['k'.repeat(129)] = 'v'),
      [`tags.${'k'.repeat(129)} (received "${'k'.repeat(76)}...): tag keys must be 1 to 128 characters long: shorten the key`],
    ],
    [
      'a tag value of 257 characters',
      (c) => (c.tags.Owner = 'v'.repeat(257)),
      [`tags.Owner (received "${'v'.repeat(76)}...): tag values must be at most 256 characters long: shorten the value`],
    ],
    [
      'a tag key with a "#"',
      (c) => (c.tags['cost#center'] = '42'),
      ['tags["cost#center"] (received "cost#center"): tag keys may hold only letters, digits, spaces and _ . : / = + - @: rename the key'],
    ],
    [
      'a tag value that is a number',
      (c) => (c.tags.CostCenter = 42),
      ['tags.CostCenter (received 42): must be a tag value: a string of at most 256 characters (quote numbers and booleans, e.g. "42")'],
    ],
    [
      '50 tags (the project adds its own)',
      (c) => (c.tags = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`Tag${index}`, 'x']))),
      ['tags (received 50): at most 49 tags may be set (AWS allows 50 per resource; the project adds ecr-kms-replication:stack): remove 1'],
    ],
    [
      "the project's own stack tag",
      (c) => (c.tags['ecr-kms-replication:stack'] = 'mine'),
      [
        'tags["ecr-kms-replication:stack"] (received "ecr-kms-replication:stack"): ecr-kms-replication:stack is the project\'s own tag (the stack that created each resource, read by deploy to adopt or refuse what it finds): rename the key',
      ],
    ],
    // Backends
    [
      'an s3 backend without bucket and region',
      (c) => (c.backend = { type: 's3' }),
      [
        'backend.bucket (received nothing): is required for the s3 backend: add the name of the S3 bucket that holds the state files, e.g. bucket: my-terraform-state',
        'backend.region (received nothing): is required for the s3 backend: add the AWS region of the state bucket, e.g. region: us-east-1',
      ],
    ],
    [
      'an s3 backend without region',
      (c) => (c.backend = { type: 's3', bucket: 'my-terraform-state' }),
      ['backend.region (received nothing): is required for the s3 backend: add the AWS region of the state bucket, e.g. region: us-east-1'],
    ],
    [
      'a cloud backend without organization',
      (c) => {
        c.backend = { type: 'cloud' };
        c.accounts.prod.deployRoleArn = 'arn:aws:iam::222222222222:role/ecr-replication-deployer';
      },
      ['backend.organization (received nothing): is required for the cloud backend: add the HCP Terraform organization name, e.g. organization: my-org'],
    ],
    ['an unknown backend type', (c) => (c.backend = { type: 'gcs', bucket: 'x' }), [`backend.type (received "gcs"): must be ${BACKEND_TYPES}`]],
    ['a backend without type', (c) => (c.backend = { directory: 'state' }), [`backend.type (received nothing): is required: add type: ${BACKEND_TYPES}`]],
    [
      'a backend given as a string',
      (c) => (c.backend = 's3'),
      ['backend (received "s3"): must be a mapping with a type (local, s3 or cloud), e.g. backend: { type: local }'],
    ],
    [
      'a local state directory outside the project',
      (c) => (c.backend.directory = '../state'),
      ['backend.directory (received "../state"): must be a relative path inside the project (no leading "/", no ".."), e.g. terraform-state'],
    ],
    [
      'an invalid bucket name',
      (c) => (c.backend = { type: 's3', bucket: 'My_Bucket', region: 'us-east-1' }),
      [
        'backend.bucket (received "My_Bucket"): must be an S3 bucket name: 3 to 63 lowercase letters, digits, "." and "-", starting and ending with a letter or digit',
      ],
    ],
    [
      'a state role of another partition',
      (c) => (c.backend = { type: 's3', bucket: 'state', region: 'us-gov-west-1', roleArn: 'arn:aws:iam::111111111111:role/state' }),
      [
        'backend.roleArn (received "arn:aws:iam::111111111111:role/state"): ARN is in partition aws but the state bucket is in aws-us-gov: use arn:aws-us-gov:iam::111111111111:role/state',
      ],
    ],
    [
      'a workspace prefix that makes workspace names longer than 90 characters',
      (c) => {
        c.backend = { type: 'cloud', organization: 'my-org', workspacePrefix: 'x'.repeat(60) };
        c.accounts.prod.deployRoleArn = 'arn:aws:iam::222222222222:role/ecr-replication-deployer';
      },
      [
        `backend.workspacePrefix (received "${'x'.repeat(60)}"): workspace names are <workspacePrefix><stack name>, and "${'x'.repeat(60)}ecr-destination-build-us-west-2" has 91 characters, above HCP Terraform's limit of 90: shorten workspacePrefix to at most 59 characters`,
      ],
    ],
    [
      'an endpoint URL with a path',
      (c) => (c.endpoint = { url: 'http://localhost:4566/api' }),
      ['endpoint.url (received "http://localhost:4566/api"): must be an http(s) URL with host and optional port, e.g. http://localhost:4566'],
    ],
    [
      'a missing sources field',
      (c) => delete c.sources,
      ['sources (received nothing): is required: add a list of source registries, e.g. sources: [{ account: build, region: us-east-1, destinations: [...] }]'],
    ],
  ];
  test.each(cases)('WHEN it has %s THEN the report says exactly so', (_name, mutate, expected) => {
    expect(problemLines(mutated(mutate))).toEqual(expected);
  });

  test.each(cases.filter(([name]) => !(name in JSON_SCHEMA_CANNOT_EXPRESS)))('WHEN it has %s THEN the JSON Schema rejects it too', (_name, mutate) => {
    expect(jsonSchemaErrors(mutated(mutate))).not.toEqual([]);
  });

  test.each(Object.keys(JSON_SCHEMA_CANNOT_EXPRESS))('WHEN it has %s THEN the JSON Schema accepts it (an exception: only the loader checks it)', (name) => {
    const found = cases.find(([caseName]) => caseName === name);
    expect(found).toBeDefined();
    expect(jsonSchemaErrors(mutated(found![1]))).toEqual([]);
  });
});

describe('GIVEN a config with an unknown field', () => {
  test.each<[string, (config: Doc) => void, string]>([
    [
      'a misspelt top-level field',
      (c) => (c.repositorys = []),
      'repositorys (received []): unknown field (did you mean "repositories"?): remove it or fix its spelling; allowed here: accounts, repositories, sources, namespaces, keys, tags, backend, endpoint, scanning, defaultLifecyclePolicy',
    ],
    [
      'a misspelt account field',
      (c) => (c.accounts.prod.keyUser = []),
      'accounts.prod.keyUser (received []): unknown field (did you mean "keyUsers"?): remove it or fix its spelling; allowed here: id, deployRoleArn, keyAdministrators, keyUsers',
    ],
    [
      'a misspelt destination field',
      (c) => (c.sources[0].destinations[0].regoin = 'us-west-2'),
      'sources[0].destinations[0].regoin (received "us-west-2"): unknown field (did you mean "region"?): remove it or fix its spelling; allowed here: account, region, repositoryCreationTemplates',
    ],
    [
      'a misspelt s3 backend field',
      (c) => (c.backend = { type: 's3', bucket: 'state', region: 'us-east-1', keyprefix: 'x' }),
      'backend.keyprefix (received "x"): unknown field (did you mean "keyPrefix"?): remove it or fix its spelling; allowed here: type, bucket, region, keyPrefix, useLockfile, dynamodbTable, roleArn',
    ],
    [
      'a misspelt lifecycle selection field',
      (c) => (c.repositories[0].lifecyclePolicy.rules[1].selection.countunit = 'days'),
      `${apiRules}[1].selection.countunit (received "days"): unknown field (did you mean "countUnit"?): remove it or fix its spelling; allowed here: tagStatus, tagPrefixList, tagPatternList, countType, countUnit, countNumber`,
    ],
    [
      'a field with no close match',
      (c) => (c.repositories[1].owner = 'team-a'),
      'repositories[1].owner (received "team-a"): unknown field: remove it or fix its spelling; allowed here: name, imageTagMutability, scanOnPush, lifecyclePolicy, pullPrincipals, pushPrincipals, removal',
    ],
    [
      'an encryption field (AES256 is not offered)',
      (c) => (c.repositories[1].encryptionType = 'AES256'),
      'repositories[1].encryptionType (received "AES256"): unknown field: remove it or fix its spelling; allowed here: name, imageTagMutability, scanOnPush, lifecyclePolicy, pullPrincipals, pushPrincipals, removal',
    ],
  ])('WHEN it has %s THEN it is rejected with the allowed names', (_name, mutate, expected) => {
    expect(problemLines(mutated(mutate))).toEqual([expected]);
  });
});

describe('GIVEN a config with mistakes in several places', () => {
  test('WHEN it is validated THEN every mistake is reported in one run, sorted by path', () => {
    const config = mutated((c) => {
      delete c.accounts.prod.id;
      c.repositories[1].name = 'Web';
      c.sources[0].destinations[1].region = 'eu-west-9';
      c.sources[0].destinations[0].account = 'biuld';
      c.tags['aws:team'] = 'platform';
      c.backend = { type: 's3' };
      c.keys = { deletionWindowInDays: 31, alais: 'alias/x' };
    });
    expect(problemLines(config)).toEqual([
      'accounts.prod.id (received nothing): is required: add the 12-digit AWS account id in quotes, e.g. id: "111111111111"',
      'backend.bucket (received nothing): is required for the s3 backend: add the name of the S3 bucket that holds the state files, e.g. bucket: my-terraform-state',
      'backend.region (received nothing): is required for the s3 backend: add the AWS region of the state bucket, e.g. region: us-east-1',
      'keys.alais (received "alias/x"): unknown field (did you mean "alias"?): remove it or fix its spelling; allowed here: deletionWindowInDays, rotationPeriodInDays, alias, repositoriesPerKey, preventDestroy',
      'keys.deletionWindowInDays (received 31): must be a whole number of days from 7 to 30 (KMS deletion window)',
      'repositories[1].name (received "Web"): must match the ECR repository name pattern: lowercase letters and digits in segments separated by ".", "_" or "-", namespaces separated by "/" (e.g. team-a/api)',
      'sources[0].destinations[0].account (received "biuld"): unknown account (did you mean "build"?): define it under accounts or use one of build, prod',
      `sources[0].destinations[1].region (received "eu-west-9"): ${REGION_RULE} (did you mean "eu-west-1"?)`,
      'tags["aws:team"] (received "aws:team"): tag keys must not start with "aws:" (reserved by AWS): rename the key',
    ]);
  });

  test('WHEN the error is printed THEN it names the file and counts the problems', () => {
    const config = mutated((c) => {
      c.repositories[1].name = 'Web';
      c.sources[0].region = 'us-east-9';
    });
    let message = '';
    try {
      validateConfig(config, 'bad.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'bad.yaml: 2 problems found:',
      '  - repositories[1].name (received "Web"): must match the ECR repository name pattern: lowercase letters and digits in segments separated by ".", "_" or "-", namespaces separated by "/" (e.g. team-a/api)',
      `  - sources[0].region (received "us-east-9"): ${REGION_RULE} (did you mean "us-east-1"?)`,
    ]);
  });
});

describe('GIVEN any field replaced by a value of the wrong kind or removed', () => {
  /** Every path of the base config, objects and arrays included. */
  function allPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => allPaths(item, [...prefix, index]))];
    if (value !== null && typeof value === 'object') return [prefix, ...Object.entries(value).flatMap(([key, item]) => allPaths(item, [...prefix, key]))];
    return [prefix];
  }
  const paths = allPaths(base()).filter((p) => p.length > 0);
  const replacements: [string, unknown][] = [
    ['a number', 7],
    ['a string', 'x'],
    ['null', null],
    ['a list', [1]],
    ['a mapping', { z: 1 }],
    ['nothing', undefined],
  ];
  const generic = /invalid input|expected \w+, received|too small|too big|invalid option|invalid key|unrecognized key/i;

  test.each(replacements)('WHEN a field is replaced by %s THEN every message is specific and formatted', (_kind, replacement) => {
    for (const target of paths) {
      const config = base();
      let parent: Doc = config;
      for (const part of target.slice(0, -1)) parent = parent[part];
      const last = target[target.length - 1];
      if (replacement === undefined) {
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else delete parent[last];
      } else parent[last] = replacement;
      for (const line of problemLines(config)) {
        expect({ target: target.join('.'), line, generic: generic.test(line) }).toEqual({ target: target.join('.'), line, generic: false });
        expect(line).toMatch(/^\S.* \(received .+\): \S/);
      }
    }
  });
});

describe('GIVEN a risky but legal config', () => {
  test.each<[string, (config: Doc) => void, string]>([
    [
      'mutable tags',
      (c) => (c.repositories[1].imageTagMutability = 'MUTABLE'),
      'repositories[1].imageTagMutability (received "MUTABLE"): mutable tags let a pushed tag be overwritten, and a replica may then differ from its source: prefer IMMUTABLE',
    ],
    [
      'scan on push off',
      (c) => (c.repositories[1].scanOnPush = false),
      'repositories[1].scanOnPush (received false): images are not scanned for vulnerabilities when pushed: prefer true',
    ],
    [
      'creation templates off',
      (c) => (c.sources[0].destinations[1].repositoryCreationTemplates = false),
      'sources[0].destinations[1].repositoryCreationTemplates (received false): repositories that replication creates here without a pre-created twin (a PREFIX_MATCH filter "api" also matches "api-dev") will use AES256, not the customer-managed key, and fail the "ECR Repository Encrypted" check: prefer true',
    ],
    [
      'a registry in both roles that forwards what it receives',
      (c) => c.sources.push({ account: 'prod', region: 'eu-west-1', repositories: ['web'], destinations: [{ account: 'prod', region: 'eu-central-1' }] }),
      'sources[1].destinations[0] (received {"account":"prod","region":"eu-central-1"}): registry prod/eu-west-1 receives web from build/us-east-1 (sources[0]) and replicates it to prod/eu-central-1, but replication does not chain: images pushed in build/us-east-1 never reach prod/eu-central-1 this way; add { account: prod, region: eu-central-1 } to the destinations of sources[0] (build/us-east-1)',
    ],
    [
      'a deletion window under 30 days',
      (c) => (c.keys = { deletionWindowInDays: 7 }),
      'keys.deletionWindowInDays (received 7): a deleted key makes every image it encrypts unreadable; a shorter window leaves less time to cancel a mistaken deletion: prefer 30',
    ],
  ])('WHEN it has %s THEN it validates with exactly one warning', (_name, mutate, expected) => {
    const loaded = validateConfig(mutated(mutate), 'risky.yaml');
    expect(loaded.warnings.map(formatProblem)).toEqual([expected]);
    expect(formatWarning(loaded.file, loaded.warnings[0])).toBe(`warning: risky.yaml: ${expected}`);
  });
});

describe('GIVEN a config file', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'config-errors-'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(directory, { recursive: true, force: true });
  });
  const write = (name: string, text: string): string => {
    const file = path.join(directory, name);
    writeFileSync(file, text);
    return file;
  };
  const linesOf = (file: string) => fileProblems(() => loadConfigFile(file)).map(formatProblem);

  test.each<[string, string, string[]]>([
    ['empty', '', ['(file): the file is empty: describe accounts, repositories and sources (see the bundled ecr-replication.yaml)']],
    ['only comments', '# nothing yet\n', ['(file): the file is empty: describe accounts, repositories and sources (see the bundled ecr-replication.yaml)']],
    [
      'a list',
      '- accounts\n- sources\n',
      [
        '(file) (received ["accounts","sources"]): the top level must be a mapping with accounts, repositories and sources (see the bundled ecr-replication.yaml)',
      ],
    ],
    [
      'a scalar',
      'hello\n',
      ['(file) (received "hello"): the top level must be a mapping with accounts, repositories and sources (see the bundled ecr-replication.yaml)'],
    ],
    [
      'a YAML syntax error',
      'accounts:\n  build:\n    id: "111111111111\n',
      ['(file): YAML syntax error at line 4, column 1: Missing closing "quote: fix the YAML there'],
    ],
    [
      'a bad indentation',
      'accounts:\n  build: 1\n   prod: 2\n',
      [
        '(file): YAML syntax error at line 2, column 10: Nested mappings are not allowed in compact mappings: fix the YAML there',
        '(file): YAML syntax error at line 2, column 10: Implicit keys need to be on a single line: fix the YAML there',
      ],
    ],
    [
      'a duplicate account',
      'accounts:\n  build:\n    id: "111111111111"\n  build:\n    id: "222222222222"\n',
      ['(file): duplicate key "build" at line 4, column 3: a key may appear only once in a mapping: remove the duplicate or merge the two entries'],
    ],
    [
      'two YAML documents',
      'accounts: {}\n---\naccounts: {}\n',
      ['(file): several YAML documents ("---") at line 2, column 1: a config file holds one document; keep one'],
    ],
  ])('WHEN it is %s THEN the report says so with its position', (_name, text, expected) => {
    expect(linesOf(write('config.yaml', text))).toEqual(expected);
  });

  test('WHEN JSON has a duplicate key THEN line and column are given', () => {
    expect(linesOf(write('config.json', '{\n  "accounts": {},\n  "accounts": {}\n}\n'))).toEqual([
      '(file): duplicate key "accounts" at line 3, column 3: a key may appear only once in a mapping: remove the duplicate or merge the two entries',
    ]);
  });

  test('WHEN it is valid JSON THEN it loads like YAML', () => {
    const loaded = loadConfigFile(write('config.json', JSON.stringify(base(), null, 2)));
    expect(loaded.config.sources[0].destinations).toHaveLength(2);
  });

  test('WHEN it does not exist THEN the report says where to point', () => {
    const file = path.join(directory, 'missing.yaml');
    const problems = fileProblems(() => loadConfigFile(file));
    expect(problems.map(formatProblem)).toEqual([
      '(file): file not found: create it (see the bundled ecr-replication.yaml) or point ECR_REPLICATION_CONFIG at an existing file',
    ]);
    expect(new ConfigError(file, problems).message.split('\n')[0]).toBe(`${file}: 1 problem found:`);
  });

  test('WHEN it is a directory THEN the report says so', () => {
    const folder = path.join(directory, 'folder.yaml');
    mkdirSync(folder);
    expect(linesOf(folder)).toEqual(['(file): is a directory, not a file: name a YAML or JSON file (e.g. ecr-replication.yaml)']);
  });

  test('WHEN it cannot be read THEN the report names the cause', () => {
    const file = write('secret.yaml', 'accounts: {}\n');
    jest.spyOn(fs, 'readFileSync').mockImplementation(() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    expect(linesOf(file)).toEqual(['(file): cannot be read (EACCES: permission denied): give the user running this read access to the file']);
  });

  test('WHEN aliases expand without bound THEN it is refused', () => {
    const text = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 10 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    expect(fileProblems(() => parseConfigText(text, 'bomb.yaml')).map(formatProblem)).toEqual([
      '(file): YAML aliases expand to too many nodes (more than 100 alias uses): write the values out instead',
    ]);
  });
});

describe('GIVEN replication filters', () => {
  test('WHEN they are derived THEN each is one of the repository names, so the 2 to 256 character filter limit follows from the name rule', () => {
    const names = ['api', 'api-dev', 'api/v2', 'web', 'we', 'team-a/api', 'team-a/api-x'];
    const filters = replicationFiltersFor(names);
    expect(filters).toEqual(['api', 'team-a/api', 'we']);
    expect(filters.every((filter) => names.includes(filter))).toBe(true);
  });
});

describe('GIVEN a config with 1,000 repositories (its speed is measured by npm run bench)', () => {
  test('WHEN it is validated THEN every repository is kept', () => {
    const config = mutated((c) => {
      c.keys = { repositoriesPerKey: 2000 };
      c.repositories = Array.from({ length: 1000 }, (_, index) => ({
        name: `team-${index % 10}/service-${index}`,
        pullPrincipals: ['arn:aws:iam::222222222222:role/eks-node'],
      }));
    });
    const loaded = validateConfig(config, 'large.yaml');
    expect(loaded.config.repositories).toHaveLength(1000);
    expect(loaded.config.repositories[999]).toMatchObject({ name: 'team-9/service-999', pullPrincipals: ['arn:aws:iam::222222222222:role/eks-node'] });
  });
});

describe('GIVEN the committed files', () => {
  test('WHEN the JSON Schema is generated THEN it equals the committed ecr-replication.schema.json (run npm run schema)', () => {
    expect(readFileSync(path.join(PROJECT, JSON_SCHEMA_FILE), 'utf8')).toBe(renderConfigJsonSchema());
  });

  test('WHEN the bundled example is loaded THEN it is valid without warnings', () => {
    const loaded = loadConfigFile('ecr-replication.yaml', PROJECT);
    expect(loaded.warnings.map(formatProblem)).toEqual([]);
  });
});
