/**
 * The estate planner: namespaces, registries in both roles, keys per
 * namespace and ECR's replication limits, table-driven. Pure functions and
 * config validation only (no synth).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { validateConfig } from '../config/load';
import { ConfigError, formatProblem } from '../config/problems';
import { DeploymentPlan, planDeployment } from '../config/deployment-plan';
import { namespaceProblem, namespacesThatFit, replicationFitProblem } from '../modules/ecr/namespaces';
import { replicationFilterBudget, replicationFilterProblem } from '../modules/ecr/replication-rules';

const ESTATE_FILE = path.resolve(__dirname, '..', 'examples', 'estate.yaml');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

function estate(): Doc {
  return parse(readFileSync(ESTATE_FILE, 'utf8')) as Doc;
}

function problemLines(document: Doc): string[] {
  try {
    validateConfig(document, 'estate.yaml');
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map(formatProblem);
  }
}

function mutated(mutate: (document: Doc) => void): Doc {
  const document = estate();
  mutate(document);
  return document;
}

const TEN_REGIONS = [
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-southeast-1',
  'ap-northeast-1',
  'us-east-2',
  'ca-central-1',
  'sa-east-1',
  'ap-south-1',
  'eu-north-1',
];

/** 3,000 repositories in 10 teams replicated to 10 destinations: the measured case. */
function threeThousandByTen(withNamespaces: boolean): Doc {
  const teams = Array.from({ length: 10 }, (_, index) => `team-${String(index).padStart(2, '0')}/`);
  return {
    accounts: { build: { id: '111111111111' }, prod: { id: '222222222222' } },
    repositories: Array.from({ length: 3000 }, (_, index) => ({ name: `${teams[index % 10]}service-${String(index).padStart(4, '0')}` })),
    keys: { repositoriesPerKey: 50_000 },
    ...(withNamespaces ? { namespaces: teams.map((prefix) => ({ prefix })) } : {}),
    sources: [
      {
        account: 'build',
        region: 'us-east-1',
        ...(withNamespaces ? { namespaces: teams } : {}),
        destinations: TEN_REGIONS.map((region, index) => ({ account: index % 2 ? 'prod' : 'build', region })),
      },
    ],
  };
}

describe('ECR limits of namespaces and filters', () => {
  test.each([
    ['team-a/', undefined],
    ['org/team-b/', undefined],
    ['a/', undefined],
    [
      'team-a',
      'must be a repository-name prefix of lowercase segments (letters and digits separated by ".", "_" or "-"), each followed by "/", e.g. team-a/ or org/team-b/',
    ],
    [
      'Team-A/',
      'must be a repository-name prefix of lowercase segments (letters and digits separated by ".", "_" or "-"), each followed by "/", e.g. team-a/ or org/team-b/',
    ],
    ['/', 'must be 2 to 255 characters long (a replication filter, and room for a repository name of at most 256)'],
    [`${'a'.repeat(255)}/`, 'must be 2 to 255 characters long (a replication filter, and room for a repository name of at most 256)'],
  ])('GIVEN the namespace %p THEN the rule broken is %p', (namespace, problem) => {
    expect(namespaceProblem(namespace)).toBe(problem);
  });

  test.each([
    ['team-a/', undefined],
    ['web', undefined],
    ['a', 'must be an ECR replication filter: 2 to 256 characters, a repository-name prefix (lowercase segments separated by "/")'],
    ['Web', 'must be an ECR replication filter: 2 to 256 characters, a repository-name prefix (lowercase segments separated by "/")'],
  ])('GIVEN the filter %p THEN the rule broken is %p', (filter, problem) => {
    expect(replicationFilterProblem(filter)).toBe(problem);
  });

  test.each([
    [1, 1000],
    [10, 1000],
    [25, 1000],
    [26, 500],
    [75, 300],
    [250, 100],
    [251, 0],
  ])('GIVEN %p destinations THEN one source has room for %p filters', (destinations, filters) => {
    expect(replicationFilterBudget(destinations)).toBe(filters);
  });
});

describe('namespacesThatFit', () => {
  test.each([
    ['names that already fit', ['a/x', 'a/y', 'b'], 3, { namespaces: [], filterCount: 3 }],
    ['the namespace with most filters first', ['a/1', 'a/2', 'a/3', 'b/1', 'b/2', 'c'], 4, { namespaces: ['a/'], filterCount: 4 }],
    ['a parent before its children', ['o/t/1', 'o/t/2', 'o/u/1', 'o/u/2'], 1, { namespaces: ['o/'], filterCount: 1 }],
    ['several namespaces, sorted', ['b/1', 'b/2', 'a/1', 'a/2', 'c'], 3, { namespaces: ['a/', 'b/'], filterCount: 3 }],
    ['no grouping when names have no namespace', ['r1', 'r2', 'r3'], 2, undefined],
  ])('GIVEN %s THEN it proposes %p', (_what, names, budget, expected) => {
    expect(namespacesThatFit(names, budget)).toEqual(expected);
  });

  test('GIVEN an ineligible namespace THEN it is never proposed', () => {
    expect(namespacesThatFit(['a/1', 'a/2', 'b/1', 'b/2'], 3, (namespace) => namespace !== 'a/')).toEqual({ namespaces: ['b/'], filterCount: 3 });
  });
});

describe('replicationFitProblem', () => {
  test.each([
    ['fitting filters', 10, ['a/', 'b'], undefined],
    [
      '251 destinations',
      251,
      ['a'],
      '251 destinations and 1 filters need 11 replication rules (at most 25 destinations and 100 filters each), above the ECR limit of 10: one registry reaches at most 250 destinations (10 rules of 25): replicate to fewer destinations',
    ],
  ])('GIVEN %s THEN the problem is %p', (_what, destinations, filters, expected) => {
    expect(replicationFitProblem(destinations, filters)).toBe(expected);
  });
});

describe('config validation of estates', () => {
  test('GIVEN 3,000 listed repositories x 10 destinations WHEN validated THEN it fails with the namespaces that would make it fit', () => {
    expect(problemLines(threeThousandByTen(false))).toEqual([
      'sources[0] (received {"destinations":10,"filters":3000}): 10 destinations and 3000 filters need 30 replication rules (at most 25 destinations and 100 filters each), above the ECR limit of 10; 10 destinations leave room for 1000 filters: replicate the namespaces team-00/, team-01/, team-02/, team-03/, team-04/, team-05/, team-06/ instead of the repositories inside them (define them under namespaces and list them in this source\'s namespaces), which gives 907 filters',
    ]);
  });

  test('GIVEN the same repositories grouped under namespaces WHEN validated THEN it is accepted', () => {
    expect(problemLines(threeThousandByTen(true))).toEqual([]);
  });

  test('GIVEN the estate example WHEN validated THEN it is accepted', () => {
    expect(problemLines(estate())).toEqual([]);
  });

  test.each<[string, (document: Doc) => void, string[]]>([
    [
      'fails on an unknown namespace in a source',
      (c) => (c.sources[0].namespaces = ['team-c/']),
      [
        'sources[0].namespaces[0] (received "team-c/"): unknown namespace (did you mean "team-a/"?): define it under namespaces (e.g. - prefix: team-c/) or remove it from this list',
      ],
    ],
    [
      'fails on a namespace listed twice in a source',
      (c) => (c.sources[0].namespaces = ['team-a/', 'team-a/']),
      ['sources[0].namespaces[1] (received "team-a/"): namespace listed twice in this source: remove the duplicate'],
    ],
    [
      'fails on a namespace defined twice',
      (c) => c.namespaces.push({ prefix: 'base/' }),
      ['namespaces[3].prefix (received "base/"): namespace defined twice (namespaces[2] has it too): merge the two entries'],
    ],
    [
      'fails on a namespace without its final slash',
      (c) => (c.namespaces[2].prefix = 'base'),
      [
        'namespaces[2].prefix (received "base"): must be a repository-name prefix of lowercase segments (letters and digits separated by ".", "_" or "-"), each followed by "/", e.g. team-a/ or org/team-b/',
        'sources[2].namespaces[0] (received "base/"): unknown namespace (did you mean "base"?): define it under namespaces (e.g. - prefix: base/) or remove it from this list',
      ],
    ],
    [
      'fails when a destination of a namespace has no creation templates',
      (c) => (c.sources[2].destinations[2].repositoryCreationTemplates = false),
      [
        'sources[2].destinations[2].repositoryCreationTemplates (received false): this source replicates the namespaces base/, whose repositories only creation templates create (with the customer-managed key) in the destination: set true, or replicate listed repositories only',
      ],
    ],
    [
      'fails when a namespace key user also uses the registry keys',
      (c) => c.accounts.prod.keyUsers.push('arn:aws:iam::333333333333:role/team-a-workloads'),
      [
        'namespaces[0].key.users[1] (received "arn:aws:iam::333333333333:role/team-a-workloads"): is also a keyUsers principal of its account, so it could decrypt every repository of the registry key: a namespace key isolates its users; remove it from one of the two lists',
      ],
    ],
    [
      'fails when one principal uses two namespace keys',
      (c) => c.namespaces[1].key.users.push('arn:aws:iam::111111111111:role/team-a-ci'),
      [
        'namespaces[1].key.users[2] (received "arn:aws:iam::111111111111:role/team-a-ci"): also uses the key of namespace team-a/: a namespace key isolates its users; give each tenant its own principal',
      ],
    ],
    [
      'fails when a namespace key names an account outside the config',
      (c) => c.namespaces[0].key.users.push('arn:aws:iam::444444444444:role/team-a-ci'),
      [
        'namespaces[0].key.users[2] (received "arn:aws:iam::444444444444:role/team-a-ci"): names account 444444444444, which no account of this config has: each registry\'s namespace key names the principals of its own account, so this one would be in no key; use a principal of build, platform, prod',
      ],
    ],
  ])('GIVEN the estate WHEN it %s THEN the report says exactly so', (_what, mutate, expected) => {
    expect(problemLines(mutated(mutate))).toEqual(expected);
  });

  test('GIVEN repositoriesPerKey 1 WHEN a namespace key would encrypt 2 repositories THEN it fails for that key', () => {
    expect(problemLines(mutated((c) => (c.keys = { repositoriesPerKey: 1 })))).toContain(
      "sources[0] (received 2): registry build/us-east-1 would encrypt 2 repositories of namespace team-a/ with the namespace's KMS key, above keys.repositoriesPerKey (1): split the namespace into smaller namespaces with keys of their own, or raise keys.repositoriesPerKey after checking your KMS grant quota",
    );
  });
});

describe('estate warnings', () => {
  test('GIVEN a namespace with mutable tags WHEN validated THEN it warns at the field', () => {
    const document = mutated((c) => (c.namespaces[2].imageTagMutability = 'MUTABLE'));
    expect(validateConfig(document, 'estate.yaml').warnings.map(formatProblem)).toEqual([
      'namespaces[2].imageTagMutability (received "MUTABLE"): repositories the creation templates create in this namespace get mutable tags, and a replica may then differ from its source: prefer IMMUTABLE',
    ]);
  });
});

describe('planDeployment of the estate example', () => {
  const plan: DeploymentPlan = planDeployment(validateConfig(estate(), 'estate.yaml').config);
  const destination = (stackName: string) => plan.destinations.find((candidate) => candidate.stackName === stackName)!;

  test('GIVEN registries in both roles THEN each source stack points at its destination stack and back', () => {
    expect(plan.sources.map((source) => [source.stackName, source.registryStackName])).toEqual([
      ['ecr-source-build-us-east-1', 'ecr-destination-build-us-east-1'],
      ['ecr-source-build-eu-west-1', 'ecr-destination-build-eu-west-1'],
      ['ecr-source-platform-us-east-1', 'ecr-destination-platform-us-east-1'],
    ]);
    expect(plan.destinations.map((candidate) => [candidate.stackName, candidate.sourceStackName])).toEqual([
      ['ecr-destination-build-eu-west-1', 'ecr-source-build-eu-west-1'],
      ['ecr-destination-build-us-east-1', 'ecr-source-build-us-east-1'],
      ['ecr-destination-platform-us-east-1', 'ecr-source-platform-us-east-1'],
      ['ecr-destination-prod-eu-west-1', undefined],
    ]);
  });

  test.each([
    ['ecr-destination-build-us-east-1', ['team-a/api', 'team-a/web'], ['base/', 'team-b/']],
    ['ecr-destination-build-eu-west-1', ['team-b/worker'], ['base/', 'team-a/']],
    ['ecr-destination-platform-us-east-1', ['base/node', 'base/python'], ['team-a/', 'team-b/']],
    ['ecr-destination-prod-eu-west-1', [], ['base/', 'team-a/', 'team-b/']],
  ])('GIVEN %s THEN it pre-creates only its own repositories %p and receives the namespaces %p', (stackName, repositories, namespaces) => {
    const registry = destination(stackName);
    expect(registry.repositories.map((repository) => repository.name)).toEqual(repositories);
    expect(registry.namespaces.map((namespace) => namespace.prefix)).toEqual(namespaces);
    expect(registry.replicationFilters).toEqual(namespaces);
  });

  test.each([
    [
      'ecr-destination-build-us-east-1',
      [
        ['team-a/', ['arn:aws:iam::111111111111:role/team-a-ci']],
        ['team-b/', ['arn:aws:iam::111111111111:role/team-b-ci']],
      ],
    ],
    [
      'ecr-destination-platform-us-east-1',
      [
        ['team-a/', []],
        ['team-b/', []],
      ],
    ],
    [
      'ecr-destination-prod-eu-west-1',
      [
        ['team-a/', ['arn:aws:iam::333333333333:role/team-a-workloads']],
        ['team-b/', ['arn:aws:iam::333333333333:role/team-b-workloads']],
      ],
    ],
  ])("GIVEN %s THEN each namespace key names only its own account's users of that namespace", (stackName, keys) => {
    expect(destination(stackName).namespaceKeys.map((key) => [key.namespace, key.users])).toEqual(keys);
  });

  test('GIVEN a namespace key without an alias THEN its alias is the keys alias and the namespace', () => {
    expect(destination('ecr-destination-prod-eu-west-1').namespaceKeys.map((key) => [key.slug, key.alias])).toEqual([
      ['team-a', 'alias/ecr-kms-replication/team-a'],
      ['team-b', 'alias/ecr-kms-replication/team-b'],
    ]);
  });

  test('GIVEN a cross-account destination of namespaces THEN each source account is granted exactly its namespaces', () => {
    expect(destination('ecr-destination-prod-eu-west-1').crossAccountSources.map((source) => [source.accountName, source.replicationFilters])).toEqual([
      ['build', ['team-a/', 'team-b/']],
      ['platform', ['base/']],
    ]);
  });

  test('GIVEN the same config WHEN planned twice THEN the plans are equal', () => {
    expect(JSON.stringify(planDeployment(validateConfig(estate(), 'estate.yaml').config))).toBe(JSON.stringify(plan));
  });
});
