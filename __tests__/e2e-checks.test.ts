/**
 * The pure parts of the end-to-end run (scripts/e2e-checks.ts): settings,
 * the deployed config, stack ordering, and the verification of what the AWS
 * APIs describe against the plan's expectations.
 */
import { validateConfig } from '../config/load';
import { planDeployment } from '../config/deployment-plan';
import {
  applyOrder,
  checkKey,
  checkKeyArn,
  checkRegistryPolicy,
  checkReplication,
  checkRepositories,
  checkSecondPlan,
  destroyOrder,
  e2eConfig,
  E2eSettings,
  expectationsFromPlan,
  RegistryExpectation,
  settingsFromEnvironment,
  skipMessage,
  stackNodes,
} from '../scripts/e2e-checks';
import { exampleConfig } from '../test-support/example-config';

const SETTINGS: E2eSettings = { endpoint: 'http://localhost:4566', creationTemplates: true, keepTemp: false };
const plan = planDeployment(validateConfig(exampleConfig(), 'example').config);
const expectations = expectationsFromPlan(plan);
const expectation = (stackName: string): RegistryExpectation => expectations.find((candidate) => candidate.stackName === stackName)!;

const PROD = 'ecr-destination-prod-eu-west-1';
const BUILD_WEST = 'ecr-destination-build-us-west-2';
const SOURCE = 'ecr-source-build-us-east-1';
const PROD_KEY = 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('GIVEN the end-to-end settings from the environment', () => {
  test.each([
    [{}, 'ECR_E2E_ENDPOINT is not set'],
    [{ ECR_E2E_ENDPOINT: '  ' }, 'ECR_E2E_ENDPOINT is not set'],
  ])('WHEN the environment is %p THEN the run is skipped', (environment, reason) => {
    expect(settingsFromEnvironment(environment)).toEqual({ run: false, reason });
  });

  test.each(['ECR_E2E_ENDPOINT=http://localhost:4566 npm run test:e2e', 'localstack', 'ECR_E2E_CREATION_TEMPLATES=false'])(
    'WHEN the run is skipped THEN the message says how to run it: %s',
    (hint) => {
      expect(skipMessage('ECR_E2E_ENDPOINT is not set')).toContain(hint);
    },
  );

  test.each<[NodeJS.ProcessEnv, E2eSettings]>([
    [{ ECR_E2E_ENDPOINT: 'http://localhost:4566/' }, { endpoint: 'http://localhost:4566', creationTemplates: true, keepTemp: false }],
    [
      { ECR_E2E_ENDPOINT: 'http://moto:5000', ECR_E2E_CREATION_TEMPLATES: 'false', ECR_E2E_KEEP_TEMP: '1' },
      { endpoint: 'http://moto:5000', creationTemplates: false, keepTemp: true },
    ],
  ])('WHEN the environment is %p THEN the settings are %p', (environment, settings) => {
    expect(settingsFromEnvironment(environment)).toEqual({ run: true, settings });
  });

  test.each([
    [{ ECR_E2E_ENDPOINT: 'localhost:4566' }, /http\(s\) URL/],
    [{ ECR_E2E_ENDPOINT: 'http://x', ECR_E2E_CREATION_TEMPLATES: 'maybe' }, /true or false/],
  ])('WHEN the environment is %p THEN it fails with a message matching %p', (environment, message) => {
    expect(() => settingsFromEnvironment(environment)).toThrow(message);
  });
});

describe('GIVEN e2eConfig', () => {
  it('WHEN it derives the deployed config THEN it sets the endpoint and a local backend, and turns creation templates off on request', () => {
    const withS3 = { ...exampleConfig(), backend: { type: 's3' as const, bucket: 'state-bucket', region: 'us-east-1' } };
    const deployed = e2eConfig(withS3, { ...SETTINGS, creationTemplates: false });
    expect(deployed.endpoint).toEqual({ url: 'http://localhost:4566' });
    expect(deployed.backend).toEqual({ type: 'local', directory: 'terraform-state' });
    expect(deployed.sources.flatMap((source) => source.destinations.map((destination) => destination.repositoryCreationTemplates))).toEqual([false, false]);
    expect(deployed.keys?.preventDestroy).toBe(false); // the run destroys its keys at the end
    expect(withS3.endpoint).toBeUndefined(); // the input is not modified
    const validated = validateConfig(deployed, 'e2e').config;
    expect(planDeployment(validated).destinations.every((destination) => !destination.repositoryCreationTemplates)).toBe(true);
    expect(e2eConfig(exampleConfig(), SETTINGS).sources[0].destinations).toEqual(exampleConfig().sources[0].destinations);
  });
});

describe('GIVEN the stacks to deploy', () => {
  it('WHEN the example is ordered THEN destinations are applied before the sources that read them and destroyed after', () => {
    const nodes = stackNodes(plan);
    expect(applyOrder(nodes)).toEqual([BUILD_WEST, PROD, SOURCE]);
    expect(destroyOrder(nodes)).toEqual([SOURCE, PROD, BUILD_WEST]);
  });

  it('WHEN stacks are listed out of order, in a cycle or with an unknown dependency THEN they are ordered by dependencies or rejected', () => {
    const nodes = [
      { name: 'source', dependencies: ['dest-b', 'dest-a'] },
      { name: 'dest-b', dependencies: ['dest-a'] },
      { name: 'dest-a', dependencies: [] },
    ];
    expect(applyOrder(nodes)).toEqual(['dest-a', 'dest-b', 'source']);
    expect(() =>
      applyOrder([
        { name: 'a', dependencies: ['b'] },
        { name: 'b', dependencies: ['a'] },
      ]),
    ).toThrow(/cycle among a, b/);
    expect(() => applyOrder([{ name: 'a', dependencies: ['ghost'] }])).toThrow(/unknown stack ghost/);
  });
});

describe('GIVEN the expectations of the example plan', () => {
  it('WHEN they are derived THEN each registry has its repositories, cross-account sources and replication', () => {
    expect(expectation(PROD)).toMatchObject({
      role: 'destination',
      accountId: '222222222222',
      region: 'eu-west-1',
      repositories: ['team-a/api', 'web'],
      crossAccountSources: [{ accountId: '111111111111', filters: ['team-a/api', 'web'] }],
      replication: [],
    });
    expect(expectation(BUILD_WEST).crossAccountSources).toEqual([]);
    expect(expectation(SOURCE).replication).toEqual([
      { registryId: '111111111111', region: 'us-west-2', filter: 'team-a/api' },
      { registryId: '111111111111', region: 'us-west-2', filter: 'web' },
      { registryId: '222222222222', region: 'eu-west-1', filter: 'team-a/api' },
      { registryId: '222222222222', region: 'eu-west-1', filter: 'web' },
    ]);
  });
});

describe('GIVEN what the AWS APIs describe', () => {
  const kms = (name: string, kmsKey = PROD_KEY) => ({
    repositoryName: name,
    registryId: '222222222222',
    encryptionConfiguration: { encryptionType: 'KMS', kmsKey },
  });

  it('WHEN the key ARN is checked THEN one of the registry is accepted and others are rejected', () => {
    expect(checkKeyArn(expectation(PROD), PROD_KEY)).toEqual([]);
    expect(checkKeyArn(expectation(PROD), undefined)).toEqual([expect.stringContaining('not a KMS key ARN')]);
    expect(checkKeyArn(expectation(PROD), 'arn:aws:kms:us-east-1:222222222222:key/abc')).toEqual([
      expect.stringContaining('is not in account 222222222222, region eu-west-1'),
    ]);
  });

  it('WHEN repositories are checked THEN each must be KMS-encrypted with the registry key', () => {
    expect(checkRepositories(expectation(PROD), PROD_KEY, [kms('team-a/api'), kms('web')])).toEqual([]);
    expect(
      checkRepositories(expectation(PROD), PROD_KEY, [
        { repositoryName: 'team-a/api', registryId: '222222222222', encryptionConfiguration: { encryptionType: 'AES256' } },
        kms('web', 'arn:aws:kms:eu-west-1:222222222222:key/other'),
      ]),
    ).toEqual([
      `${PROD}: repository team-a/api is encrypted with AES256, not KMS`,
      `${PROD}: repository web is encrypted with key arn:aws:kms:eu-west-1:222222222222:key/other, not the registry key ${PROD_KEY}`,
    ]);
    expect(checkRepositories(expectation(PROD), PROD_KEY, [kms('web')])).toEqual([expect.stringContaining('repository team-a/api does not exist')]);
  });

  it('WHEN the key is checked THEN it must be customer-managed, enabled and rotated', () => {
    const key = { Arn: PROD_KEY, KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT' };
    expect(checkKey(expectation(PROD), PROD_KEY, key, true)).toEqual([]);
    expect(checkKey(expectation(PROD), PROD_KEY, { ...key, KeyManager: 'AWS' }, false)).toEqual([
      expect.stringContaining('managed by AWS, not CUSTOMER'),
      expect.stringContaining('does not have automatic rotation enabled'),
    ]);
    expect(checkKey(expectation(PROD), PROD_KEY, undefined, true)).toEqual([expect.stringContaining('no metadata')]);
  });

  it('WHEN the registry policy of a cross-account destination is checked THEN each mistake is reported', () => {
    const statement = {
      Sid: 'AllowReplicationFromBuild111111111111',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
      Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
      Resource: ['arn:aws:ecr:eu-west-1:222222222222:repository/team-a/api*', 'arn:aws:ecr:eu-west-1:222222222222:repository/web*'],
    };
    const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
    expect(checkRegistryPolicy(expectation(PROD), policy([statement]))).toEqual([]);
    expect(checkRegistryPolicy(expectation(BUILD_WEST), undefined)).toEqual([]); // same account: no policy needed
    expect(checkRegistryPolicy(expectation(PROD), undefined)).toEqual([expect.stringContaining('has no registry policy')]);
    expect(checkRegistryPolicy(expectation(PROD), policy([{ ...statement, Principal: { AWS: 'arn:aws:iam::333333333333:root' } }]))).toEqual([
      expect.stringContaining('no statement for arn:aws:iam::111111111111:root'),
    ]);
    const wildcard = checkRegistryPolicy(expectation(PROD), policy([{ ...statement, Resource: 'arn:aws:ecr:eu-west-1:222222222222:repository/*' }]));
    expect(wildcard).toEqual(
      expect.arrayContaining([
        expect.stringContaining('grants arn:aws:ecr:eu-west-1:222222222222:repository/*'),
        expect.stringContaining('does not grant arn:aws:ecr:eu-west-1:222222222222:repository/web*'),
      ]),
    );
    expect(checkRegistryPolicy(expectation(PROD), policy([{ ...statement, Action: 'ecr:ReplicateImage' }]))).toEqual([
      expect.stringContaining('does not allow ecr:CreateRepository'),
    ]);
  });

  it("WHEN the source's replication rules are checked THEN every destination and filter must be covered, nothing more", () => {
    const rule = (destinations: [string, string][], filters: string[]) => ({
      destinations: destinations.map(([registryId, region]) => ({ registryId, region })),
      repositoryFilters: filters.map((filter) => ({ filter, filterType: 'PREFIX_MATCH' })),
    });
    const both: [string, string][] = [
      ['111111111111', 'us-west-2'],
      ['222222222222', 'eu-west-1'],
    ];
    expect(checkReplication(expectation(SOURCE), { rules: [rule(both, ['team-a/api', 'web'])] })).toEqual([]);
    expect(checkReplication(expectation(SOURCE), { rules: [rule(both, ['team-a/api']), rule([both[1]], ['web']), rule([both[0]], ['web'])] })).toEqual([]);
    expect(checkReplication(expectation(SOURCE), { rules: [rule([both[0]], ['team-a/api', 'web'])] })).toEqual([
      `${SOURCE}: replication is missing 222222222222/eu-west-1/team-a/api (registry/region/filter)`,
      `${SOURCE}: replication is missing 222222222222/eu-west-1/web (registry/region/filter)`,
    ]);
    expect(checkReplication(expectation(SOURCE), { rules: [] })).toEqual([`${SOURCE}: the registry has no replication rules`]);
    expect(checkReplication(expectation(SOURCE), { rules: [rule(both, ['team-a/api', 'web', 'extra'])] })).toEqual([
      expect.stringContaining('unexpected 111111111111/us-west-2/extra'),
      expect.stringContaining('unexpected 222222222222/eu-west-1/extra'),
    ]);
    expect(checkReplication(expectation(PROD), undefined)).toEqual([]); // destinations replicate nothing
  });

  it('WHEN the second plan ends THEN its exit code says whether the deployment is idempotent', () => {
    expect(checkSecondPlan(SOURCE, 0, 'No changes.')).toEqual([]);
    expect(checkSecondPlan(SOURCE, 2, '~ update in-place')).toEqual([expect.stringContaining('not idempotent')]);
    expect(checkSecondPlan(SOURCE, 1, 'Error: boom')).toEqual([expect.stringContaining('failed with exit code 1')]);
  });
});
