import * as path from 'node:path';
import { loadConfigFile } from '../config/load';
import { planDeployment } from '../config/deployment-plan';
import { chunk, replicationFiltersFor, replicationRulesFor } from '../modules/ecr/replication-rules';

const example = loadConfigFile('ecr-replication.yaml', path.resolve(__dirname, '..')).config;

describe('GIVEN replicationFiltersFor', () => {
  test.each([
    [
      ['web', 'team-a/api'],
      ['team-a/api', 'web'],
    ],
    [['api', 'api-dev', 'api/v2', 'apis'], ['api']],
    [['web', 'web'], ['web']],
    [
      ['team-a/api', 'team-a/api-gw', 'team-b/api'],
      ['team-a/api', 'team-b/api'],
    ],
  ])('WHEN the repositories are %p THEN the filters are %p', (names, filters) => {
    expect(replicationFiltersFor(names)).toEqual(filters);
  });

  test('WHEN names share prefixes THEN every name is covered by exactly one kept filter', () => {
    const names = ['a1', 'a1b', 'a1b/c', 'a2', 'b', 'ba', 'c/d', 'c/de'];
    const filters = replicationFiltersFor(names);
    for (const name of names) expect(filters.filter((filter) => name.startsWith(filter))).toHaveLength(1);
  });
});

describe('GIVEN replicationRulesFor', () => {
  test('WHEN there are 26 destinations and 101 filters THEN rules cross destination chunks of 25 with filter chunks of 100', () => {
    const destinations = Array.from({ length: 26 }, (_, index) => index);
    const filters = Array.from({ length: 101 }, (_, index) => `f${index}`);
    const rules = replicationRulesFor(destinations, filters);
    expect(rules.map((rule) => [rule.destinations.length, rule.filters.length])).toEqual([
      [25, 100],
      [25, 1],
      [1, 100],
      [1, 1],
    ]);
  });

  test('WHEN a list is chunked THEN order and remainder are kept', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('GIVEN planDeployment', () => {
  test('WHEN it plans the example THEN there are two destinations, one source, and one cross-account source for prod', () => {
    const plan = planDeployment(example);
    expect(plan.destinations.map((destination) => destination.stackName)).toEqual(['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1']);
    const [build, prod] = plan.destinations;
    expect(build.crossAccountSources).toEqual([]);
    expect(prod.crossAccountSources.map((source) => [source.accountName, source.account.id, source.replicationFilters])).toEqual([
      ['build', '111111111111', ['team-a/api', 'web']],
    ]);
    expect(prod.repositories.map((repository) => repository.name)).toEqual(['team-a/api', 'web']);
    expect(plan.sources[0].replicationRules).toHaveLength(1);
    expect(plan.sources[0].destinations.map((destination) => destination.stackName)).toEqual([
      'ecr-destination-build-us-west-2',
      'ecr-destination-prod-eu-west-1',
    ]);
  });

  test('WHEN two sources feed one destination THEN it receives the union of their repositories, and templates off wins', () => {
    const plan = planDeployment({
      ...example,
      repositories: [...example.repositories, { name: 'tools/cli', imageTagMutability: 'IMMUTABLE', scanOnPush: true, pullPrincipals: [], pushPrincipals: [] }],
      accounts: { ...example.accounts, tools: { id: '333333333333', keyAdministrators: [], keyUsers: [] } },
      sources: [
        {
          account: 'build',
          region: 'us-east-1',
          repositories: ['web'],
          destinations: [{ account: 'prod', region: 'eu-west-1', repositoryCreationTemplates: true }],
        },
        {
          account: 'tools',
          region: 'us-east-2',
          repositories: ['tools/cli'],
          destinations: [{ account: 'prod', region: 'eu-west-1', repositoryCreationTemplates: false }],
        },
      ],
    });
    expect(plan.destinations).toHaveLength(1);
    const [prod] = plan.destinations;
    expect(prod.repositories.map((repository) => repository.name)).toEqual(['tools/cli', 'web']);
    expect(prod.replicationFilters).toEqual(['tools/cli', 'web']);
    expect(prod.crossAccountSources.map((source) => [source.accountName, source.replicationFilters])).toEqual([
      ['build', ['web']],
      ['tools', ['tools/cli']],
    ]);
    // one source entry switched templates off: off wins, since that destination cannot serve them
    expect(prod.repositoryCreationTemplates).toBe(false);
  });
});
