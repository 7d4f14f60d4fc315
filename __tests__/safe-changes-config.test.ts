/**
 * Config rules added for safe changes: principals outside their key's account,
 * two sources writing one repository, repositories no source lists, the key
 * teardown switch, repositories taken out with `removal`, and the canonical
 * order of destinations.
 */
import { validateConfig } from '../config/load';
import { ConfigError, formatProblem } from '../config/problems';
import { planDeployment } from '../config/deployment-plan';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

function base(): Doc {
  return {
    accounts: {
      build: { id: '111111111111', keyUsers: ['arn:aws:iam::111111111111:role/ci'] },
      prod: { id: '222222222222' },
      dev: { id: '333333333333' },
    },
    repositories: [{ name: 'team-a/api' }, { name: 'web' }],
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
  };
}

function problemLines(doc: Doc): string[] {
  try {
    validateConfig(doc, 'c.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

const warningLines = (doc: Doc): string[] => validateConfig(doc, 'c.yaml').warnings.map(formatProblem);

describe('GIVEN principals of another account', () => {
  test('WHEN a key user belongs to another account THEN it fails, naming both accounts and the kms:CallerAccount condition', () => {
    const doc = base();
    doc.accounts.build.keyUsers = ['arn:aws:iam::222222222222:role/eks-node'];
    expect(problemLines(doc)).toEqual([
      'accounts.build.keyUsers[0] (received "arn:aws:iam::222222222222:role/eks-node"): is a principal of account 222222222222, but the keys of account "build" are in 111111111111: the key policy lets key users act only through ECR with kms:CallerAccount = 111111111111, so this grant could never work; list the principal under the account it belongs to, or name a principal of 111111111111',
    ]);
  });

  test('WHEN a key administrator belongs to another account THEN it validates with a warning saying why', () => {
    const doc = base();
    doc.accounts.prod.keyAdministrators = ['arn:aws:iam::111111111111:role/security'];
    expect(warningLines(doc)).toEqual([
      'accounts.prod.keyAdministrators[0] (received "arn:aws:iam::111111111111:role/security"): is a principal of account 111111111111, not of 222222222222 where the keys of "prod" live: it works only if 111111111111 also allows it in IAM, and it lets that account schedule deletion of the keys that encrypt every image here; prefer a principal of 222222222222',
    ]);
  });
});

describe('GIVEN two sources', () => {
  test('WHEN both replicate the same repository into one registry THEN it fails, naming both sources and the repository', () => {
    const doc = base();
    doc.sources.push({ account: 'dev', region: 'us-east-1', repositories: ['web'], destinations: [{ account: 'prod', region: 'eu-west-1' }] });
    expect(problemLines(doc)).toEqual([
      'sources[1].destinations[0] (received {"account":"prod","region":"eu-west-1"}): sources[0] (build/us-east-1) and sources[1] (dev/us-east-1) both replicate web into prod/eu-west-1: a repository of a registry must have one source (both would write its images, and a tag pushed to both collides), unless the two replicate to each other (active-active); remove it from the repositories of one of the two sources, or make each a destination of the other',
    ]);
  });

  test('WHEN they replicate different repositories into one registry THEN it passes', () => {
    const doc = base();
    doc.sources[0].repositories = ['team-a/api'];
    doc.sources.push({ account: 'dev', region: 'us-east-1', repositories: ['web'], destinations: [{ account: 'prod', region: 'eu-west-1' }] });
    expect(problemLines(doc)).toEqual([]);
  });
});

describe('GIVEN repositories no source lists', () => {
  test('WHEN every source lists its repositories and none lists one THEN it validates with a warning on that repository', () => {
    const doc = base();
    doc.sources[0].repositories = ['team-a/api'];
    expect(warningLines(doc)).toEqual([
      'repositories[1].name (received "web"): no source lists this repository, so it is created in no registry: add it to the repositories of a source, or remove it',
    ]);
  });

  test('WHEN a source replicates every repository THEN there is no warning', () => {
    expect(warningLines(base())).toEqual([]);
  });
});

describe('GIVEN the key teardown switch', () => {
  test('WHEN keys.preventDestroy is left out THEN keys are protected', () => {
    expect(validateConfig(base(), 'c.yaml').config.keys.preventDestroy).toBe(true);
  });

  test('WHEN keys.preventDestroy is false THEN it validates with a warning that images become unreadable', () => {
    const doc = base();
    doc.keys = { preventDestroy: false };
    expect(warningLines(doc)).toEqual([
      'keys.preventDestroy (received false): a plan may now delete the keys and the repositories, and a deleted key makes every image it encrypts unreadable once the deletion window ends: set it back to true as soon as the teardown is done',
    ]);
  });
});

describe('GIVEN a repository with removal', () => {
  test('WHEN it is retained THEN no registry manages or replicates it, and every registry that held it retires it', () => {
    const doc = base();
    doc.repositories[1].removal = 'retain';
    const plan = planDeployment(validateConfig(doc, 'c.yaml').config);
    const [source] = plan.sources;
    expect({
      source: source.repositories.map((repository) => repository.name),
      filters: source.replicationFilters,
      retired: [source, ...plan.destinations].map((registry) => [registry.stackName, registry.retiredRepositories]),
      destinations: plan.destinations.map((destination) => destination.repositories.map((repository) => repository.name)),
    }).toEqual({
      source: ['team-a/api'],
      filters: ['team-a/api'],
      retired: [
        ['ecr-source-build-us-east-1', [{ name: 'web', removal: 'retain' }]],
        ['ecr-destination-build-us-west-2', [{ name: 'web', removal: 'retain' }]],
        ['ecr-destination-prod-eu-west-1', [{ name: 'web', removal: 'retain' }]],
      ],
      destinations: [['team-a/api'], ['team-a/api']],
    });
  });

  test('fails WHEN every repository of a source has removal', () => {
    const doc = base();
    doc.repositories[0].removal = 'destroy';
    doc.repositories[1].removal = 'retain';
    expect(problemLines(doc)).toEqual([
      'sources[0] (received {"account":"build","region":"us-east-1"}): every repository this source replicates has removal set (team-a/api, web), and a replication configuration needs at least one: remove this source instead (README, "Changing and retiring")',
    ]);
  });

  test('fails WHEN removal is neither retain nor destroy', () => {
    const doc = base();
    doc.repositories[1].removal = 'delete';
    expect(problemLines(doc)).toEqual([
      'repositories[1].removal (received "delete"): must be retain or destroy (retain: stop managing it and keep its images; destroy: delete it)',
    ]);
  });
});

describe('GIVEN destinations listed in another order', () => {
  test('WHEN the plan is derived THEN destinations and replication rules are sorted by account id and region', () => {
    const doc = base();
    doc.sources[0].destinations = [
      { account: 'prod', region: 'eu-west-1' },
      { account: 'build', region: 'us-west-2' },
      { account: 'build', region: 'eu-central-1' },
    ];
    const [source] = planDeployment(validateConfig(doc, 'c.yaml').config).sources;
    expect(source.destinations.map((destination) => destination.stackName)).toEqual([
      'ecr-destination-build-eu-central-1',
      'ecr-destination-build-us-west-2',
      'ecr-destination-prod-eu-west-1',
    ]);
    expect(source.replicationRules.map((rule) => rule.destinations.map((registry) => `${registry.account.id}/${registry.region}`))).toEqual([
      ['111111111111/eu-central-1', '111111111111/us-west-2', '222222222222/eu-west-1'],
    ]);
  });
});
