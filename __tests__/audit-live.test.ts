import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { selectionEnvironment } from '../config/config-selection';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { validateConfig } from '../config/load';
import { Config } from '../config/schema';
import { AwsAccessError, classifyAwsError, emulatorCredentials, EXIT, RegistryTarget } from '../tools/audit/aws-access';
import { liveAudit } from '../tools/audit/live-audit';
import { runAudit } from '../tools/audit/audit-command';
import { AuditReport, sarifLog } from '../tools/audit/report';
import { exampleConfig, exampleConfigWith } from '../test-support/example-config';
import {
  awsError,
  compliantRegistry,
  ecrGrant,
  FakeRegistry,
  fakeClientFactory,
  keyArnOf,
  kmsRepository,
  MockedRegistry,
  mockRegistry,
  replicationRule,
  repositoryArnOf,
} from '../test-support/fake-aws';

const BUILD = '111111111111';
const PROD = '222222222222';
const NAMES = ['team-a/api', 'web'];
const example: Config = validateConfig(exampleConfig(), 'ecr-replication.yaml').config;

/** The example's three registries, compliant unless changed. */
function registries(change: Partial<Record<'source' | 'west' | 'prod', (fake: FakeRegistry) => FakeRegistry>> = {}): Map<string, MockedRegistry> {
  const same = (fake: FakeRegistry) => fake;
  // The example's one rule: both repositories to both destinations.
  const source = { ...compliantRegistry(BUILD, 'us-east-1', NAMES), replicationRules: [replicationRule([`${BUILD}/us-west-2`, `${PROD}/eu-west-1`], NAMES)] };
  return new Map([
    [`${BUILD}/us-east-1`, mockRegistry((change.source ?? same)(source))],
    [`${BUILD}/us-west-2`, mockRegistry((change.west ?? same)(compliantRegistry(BUILD, 'us-west-2', NAMES)))],
    [`${PROD}/eu-west-1`, mockRegistry((change.prod ?? same)(compliantRegistry(PROD, 'eu-west-1', NAMES)))],
  ]);
}

const audit = (mocked: Map<string, MockedRegistry>, config: Config = example): Promise<AuditReport> =>
  liveAudit(config, { clients: fakeClientFactory(mocked) });
const summary = (report: AuditReport) => report.findings.map((finding) => `${finding.ruleId} ${finding.address}: ${finding.message}`);

describe('the live audit', () => {
  test('GIVEN three compliant registries THEN it reports no finding and lists every repository', async () => {
    const report = await audit(registries());
    expect(report.findings).toEqual([]);
    expect(report.scopes).toEqual(['build 111111111111/us-east-1', 'build 111111111111/us-west-2', 'prod 222222222222/eu-west-1']);
    expect(report.inventory?.find((repository) => repository.scope === 'prod 222222222222/eu-west-1' && repository.repository === 'web')).toEqual({
      scope: 'prod 222222222222/eu-west-1',
      repository: 'web',
      arn: repositoryArnOf(PROD, 'eu-west-1', 'web'),
      encryption: 'CUSTOMER-MANAGED',
      kmsKey: keyArnOf(PROD, 'eu-west-1'),
      keyInRegion: true,
      keyRotation: true,
      tagMutability: 'IMMUTABLE',
      scanOnPush: true,
      registryScan: 'BASIC SCAN_ON_PUSH',
      lifecyclePolicy: true,
      declared: true,
    });
  });

  test('GIVEN every call THEN each assumes the deployRoleArn of its own account', async () => {
    const asked: RegistryTarget[] = [];
    await liveAudit(example, { clients: fakeClientFactory(registries(), asked) });
    expect(asked.map((target) => `${target.accountId}/${target.region} ${target.roleArn}`)).toEqual([
      '111111111111/us-east-1 arn:aws:iam::111111111111:role/ecr-replication-deployer',
      '111111111111/us-west-2 arn:aws:iam::111111111111:role/ecr-replication-deployer',
      '222222222222/eu-west-1 arn:aws:iam::222222222222:role/ecr-replication-deployer',
    ]);
  });

  test('GIVEN repositories on two pages THEN it reads both pages and audits the undeclared repository too', async () => {
    const keyArn = keyArnOf(PROD, 'eu-west-1');
    const mocked = registries({
      prod: (fake) => ({
        ...fake,
        repositoryPages: [fake.repositoryPages[0], [{ ...kmsRepository(PROD, 'eu-west-1', 'team-a/api-dev', keyArn), imageTagMutability: 'MUTABLE' }]],
        lifecyclePolicies: { ...fake.lifecyclePolicies, 'team-a/api-dev': '{"rules":[]}' },
      }),
    });
    const report = await audit(mocked);
    const calls = mocked.get(`${PROD}/eu-west-1`)!.ecr.commandCalls(DescribeRepositoriesCommand);
    // The SDK's paginator reuses one input object, so only the last token is visible in the recorded calls.
    expect(calls).toHaveLength(2);
    expect((calls[1].args[0].input as { nextToken?: string }).nextToken).toBe('page-1');
    expect(
      report.inventory?.filter((repository) => repository.scope.startsWith('prod')).map((repository) => `${repository.repository} ${repository.declared}`),
    ).toEqual(['team-a/api true', 'team-a/api-dev false', 'web true']);
    expect(summary(report)).toEqual([
      `ECR-TAG-IMMUTABLE ${repositoryArnOf(PROD, 'eu-west-1', 'team-a/api-dev')}: image_tag_mutability is MUTABLE, not IMMUTABLE`,
    ]);
  });

  test('GIVEN a registry with an AES256 repository THEN it reports it with the migration steps, and its other gaps', async () => {
    const mocked = registries({
      prod: (fake) => ({
        ...fake,
        repositoryPages: [
          [
            ...fake.repositoryPages[0],
            {
              repositoryName: 'legacy',
              repositoryArn: repositoryArnOf(PROD, 'eu-west-1', 'legacy'),
              imageTagMutability: 'MUTABLE',
              imageScanningConfiguration: { scanOnPush: false },
              encryptionConfiguration: { encryptionType: 'AES256' },
            },
          ],
        ],
        scanningRules: [],
      }),
    });
    const report = await audit(mocked);
    const legacy = repositoryArnOf(PROD, 'eu-west-1', 'legacy');
    expect(summary(report)).toEqual([
      `ECR-ENCRYPTED-CMK ${legacy}: encryption_type is AES256, not KMS`,
      'ECR-REGISTRY-SCANNING arn:aws:ecr:eu-west-1:222222222222:registry (scanning configuration): the BASIC scanning configuration has no rule: no repository is scanned automatically',
      `ECR-LIFECYCLE-POLICY ${legacy}: no aws_ecr_lifecycle_policy is attached to repository "legacy"`,
      `ECR-SCAN-ON-PUSH ${legacy}: image_scanning_configuration.scan_on_push is not true`,
      `ECR-TAG-IMMUTABLE ${legacy}: image_tag_mutability is MUTABLE, not IMMUTABLE`,
    ]);
    expect(report.findings[0].fix.split('\n')).toEqual([
      'Encryption cannot be changed after creation: move the images to a new repository.',
      `1. aws ecr create-repository --region eu-west-1 --repository-name legacy-kms --image-tag-mutability IMMUTABLE --image-scanning-configuration scanOnPush=true --encryption-configuration encryptionType=KMS,kmsKey=${keyArnOf(PROD, 'eu-west-1')}`,
      '2. copy every image, e.g. for each tag: crane copy 222222222222.dkr.ecr.eu-west-1.amazonaws.com/legacy:<tag> 222222222222.dkr.ecr.eu-west-1.amazonaws.com/legacy-kms:<tag> (or docker pull, docker tag, docker push)',
      '3. switch consumers (deployments, pipelines, pull-through rules) to 222222222222.dkr.ecr.eu-west-1.amazonaws.com/legacy-kms',
      '4. aws ecr delete-repository --region eu-west-1 --repository-name legacy --force (ECR retires its grants); to keep the name, recreate legacy with KMS as in step 1 and copy back before deleting legacy-kms',
    ]);
  });

  test('GIVEN a repository encrypted with the AWS-managed aws/ecr key THEN it is reported as not customer-managed', async () => {
    const awsKey = keyArnOf(BUILD, 'us-west-2', 'aaaaaaaa-0000-0000-0000-000000000000');
    const mocked = registries({
      west: (fake) => ({
        ...fake,
        repositoryPages: [[kmsRepository(BUILD, 'us-west-2', 'team-a/api', keyArnOf(BUILD, 'us-west-2')), kmsRepository(BUILD, 'us-west-2', 'web', awsKey)]],
        keys: { ...fake.keys, [awsKey]: { manager: 'AWS' } },
      }),
    });
    const report = await audit(mocked);
    const web = repositoryArnOf(BUILD, 'us-west-2', 'web');
    expect(summary(report)).toEqual([
      `ECR-ENCRYPTED-CMK ${web}: kms_key "${awsKey}" is managed by AWS (the AWS-managed aws/ecr key), not by the customer`,
      `REPLICATION-COVERAGE ${web}: repository web of source build 111111111111/us-east-1 is encrypted with key ${awsKey}, not the destination's key ${keyArnOf(BUILD, 'us-west-2')}`,
    ]);
    expect(report.inventory?.find((repository) => repository.arn === web)?.encryption).toBe('AWS-MANAGED');
  });

  test('GIVEN a repository whose key is in another region THEN it reports KMS-KEY-IN-REGION', async () => {
    const elsewhere = keyArnOf(PROD, 'eu-central-1');
    const mocked = registries({
      prod: (fake) => ({
        ...fake,
        repositoryPages: [[fake.repositoryPages[0][0], kmsRepository(PROD, 'eu-west-1', 'web', elsewhere)]],
        keys: { ...fake.keys, [elsewhere]: { manager: 'CUSTOMER', rotation: true } },
      }),
    });
    const web = repositoryArnOf(PROD, 'eu-west-1', 'web');
    expect(summary(await audit(mocked))).toEqual([
      `KMS-KEY-IN-REGION ${web}: key ${elsewhere} is in eu-central-1, not eu-west-1`,
      `REPLICATION-COVERAGE ${web}: repository web of source build 111111111111/us-east-1 is encrypted with key ${elsewhere}, not the destination's key ${keyArnOf(PROD, 'eu-west-1')}`,
    ]);
  });

  test('GIVEN a grant that names a deleted repository THEN it reports the exact retire-grant command', async () => {
    const keyArn = keyArnOf(PROD, 'eu-west-1');
    const mocked = registries({
      prod: (fake) => ({
        ...fake,
        keys: { [keyArn]: { ...fake.keys[keyArn], grants: [...(fake.keys[keyArn].grants ?? []), ecrGrant(PROD, 'eu-west-1', 'deleted', 'orphan-1')] } },
      }),
    });
    const [finding] = (await audit(mocked)).findings;
    expect(finding).toEqual(
      expect.objectContaining({
        ruleId: 'KMS-ORPHANED-GRANT',
        severity: 'warning',
        scope: 'prod 222222222222/eu-west-1',
        message: `grant orphan-1 names ${repositoryArnOf(PROD, 'eu-west-1', 'deleted')}, which no longer exists`,
        fix: `aws kms retire-grant --key-id ${keyArn} --grant-id orphan-1 --region eu-west-1`,
      }),
    );
  });

  test('GIVEN more repositories on a key than keys.repositoriesPerKey THEN it reports the key', async () => {
    const config = validateConfig(exampleConfigWith({ keys: { repositoriesPerKey: 2 } }), 'test.yaml').config;
    const keyArn = keyArnOf(PROD, 'eu-west-1');
    const mocked = registries({
      prod: (fake) => ({
        ...fake,
        repositoryPages: [[...fake.repositoryPages[0], kmsRepository(PROD, 'eu-west-1', 'team-a/api-dev', keyArn)]],
        lifecyclePolicies: { ...fake.lifecyclePolicies, 'team-a/api-dev': '{"rules":[]}' },
        keys: { [keyArn]: { ...fake.keys[keyArn], grants: [...(fake.keys[keyArn].grants ?? []), ecrGrant(PROD, 'eu-west-1', 'team-a/api-dev', 'grant-2')] } },
      }),
    });
    expect(summary(await audit(mocked, config))).toEqual([
      `KMS-GRANTS-PER-KEY ${keyArn}: 3 repositories hold grants on the key (3 grants), above keys.repositoriesPerKey = 2`,
    ]);
  });

  test('GIVEN a source repository missing in a destination THEN replication coverage names it', async () => {
    const keyArn = keyArnOf(PROD, 'eu-west-1');
    const report = await audit(
      registries({
        prod: (fake) => ({
          ...fake,
          repositoryPages: [fake.repositoryPages[0].filter((repository) => repository.repositoryName !== 'web')],
          keys: { [keyArn]: { ...fake.keys[keyArn], grants: [ecrGrant(PROD, 'eu-west-1', 'team-a/api', 'grant-0')] } },
        }),
      }),
    );
    expect(summary(report)).toEqual([
      `REPLICATION-COVERAGE ${repositoryArnOf(PROD, 'eu-west-1', 'web')}: repository web of source build 111111111111/us-east-1 does not exist in the destination`,
    ]);
  });

  const SOURCE_REGISTRY = `arn:aws:ecr:us-east-1:${BUILD}:registry`;
  test.each<[string, Partial<Record<'source' | 'west' | 'prod', (fake: FakeRegistry) => FakeRegistry>>, string[]]>([
    [
      'a source without its key (a teardown)',
      { source: (fake) => ({ ...fake, registryKeyArn: undefined }) },
      [
        `REGISTRY-DEPLOYED ${SOURCE_REGISTRY} (key alias/ecr-kms-replication): the registry has no key alias/ecr-kms-replication: it was never deployed, or torn down`,
      ],
    ],
    [
      'a source without a repository of the config',
      { source: (fake) => ({ ...fake, repositoryPages: [fake.repositoryPages[0].filter((repository) => repository.repositoryName !== 'web')] }) },
      [`REGISTRY-DEPLOYED ${repositoryArnOf(BUILD, 'us-east-1', 'web')}: repository web of the config does not exist in the source registry`],
    ],
    [
      'a source without replication rules',
      { source: (fake) => ({ ...fake, replicationRules: [] }) },
      [
        `REGISTRY-DEPLOYED ${SOURCE_REGISTRY} (replication configuration): the registry has no replication rules: nothing replicates to ${BUILD}/us-west-2, ${PROD}/eu-west-1`,
      ],
    ],
    [
      'a source whose rule lost a destination',
      { source: (fake) => ({ ...fake, replicationRules: [replicationRule([`${BUILD}/us-west-2`], NAMES)] }) },
      [`REGISTRY-DEPLOYED ${SOURCE_REGISTRY} (replication configuration): no replication rule replicates team-a/api, web to prod ${PROD}/eu-west-1`],
    ],
    [
      'a destination without its key',
      { prod: (fake) => ({ ...fake, registryKeyArn: undefined }) },
      [
        `REGISTRY-DEPLOYED arn:aws:ecr:eu-west-1:${PROD}:registry (key alias/ecr-kms-replication): the registry has no key alias/ecr-kms-replication: it was never deployed, or torn down`,
        `REPLICATION-COVERAGE ${repositoryArnOf(PROD, 'eu-west-1', 'team-a/api')}: repository team-a/api of source build 111111111111/us-east-1 cannot be checked: the destination has no key alias/ecr-kms-replication`,
        `REPLICATION-COVERAGE ${repositoryArnOf(PROD, 'eu-west-1', 'web')}: repository web of source build 111111111111/us-east-1 cannot be checked: the destination has no key alias/ecr-kms-replication`,
      ],
    ],
  ])('GIVEN %s THEN REGISTRY-DEPLOYED names the registry and what is missing', async (_what, change, expected) => {
    const report = await audit(registries(change));
    expect(summary(report).filter((line) => !line.startsWith('ECR-') && !line.startsWith('KMS-'))).toEqual(expected);
  });

  test('GIVEN a source without replication rules THEN the finding says which stack to deploy', async () => {
    const report = await audit(registries({ source: (fake) => ({ ...fake, replicationRules: [] }) }));
    expect(report.findings.find((finding) => finding.ruleId === 'REGISTRY-DEPLOYED')?.fix).toBe(
      "npm run deploy -- ecr-source-build-us-east-1 (the registry's stacks: npm run deploy -- '*')",
    );
  });

  test('fails with access denied, naming the account, the region and the role', async () => {
    const mocked = registries();
    mocked
      .get(`${PROD}/eu-west-1`)!
      .ecr.on(DescribeRepositoriesCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform ecr:DescribeRepositories'));
    const failure = await audit(mocked).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AwsAccessError);
    expect((failure as AwsAccessError).exitCode).toBe(EXIT.accessDenied);
    expect((failure as AwsAccessError).message).toMatch(
      /^ecr:DescribeRepositories in account prod \(222222222222\), eu-west-1: access denied \(assuming arn:aws:iam::222222222222:role\/ecr-replication-deployer\)/,
    );
  });
});

describe('whose credentials', () => {
  const withCaller = (account: string) => {
    const mocked = registries();
    const source = mocked.get(`${BUILD}/us-east-1`)!;
    const sts = new STSClient({ region: 'us-east-1' });
    mockClient(sts)
      .on(GetCallerIdentityCommand)
      .resolves({ Account: account, Arn: `arn:aws:iam::${account}:user/someone` });
    mocked.set(`${BUILD}/us-east-1`, { ...source, clients: { ...source.clients, sts } });
    return mocked;
  };

  test("GIVEN credentials of the registry's account THEN the audit goes on", async () => {
    expect((await audit(withCaller(BUILD))).findings).toEqual([]);
  });

  test('fails when the credentials belong to another account, before reading its registry', async () => {
    const failure = (await audit(withCaller('999999999999')).catch((error: unknown) => error)) as AwsAccessError;
    expect(failure.exitCode).toBe(EXIT.accessDenied);
    expect(failure.message).toContain('the credentials belong to account 999999999999 (arn:aws:iam::999999999999:user/someone), not 111111111111');
  });

  test.each([
    ['an endpoint and no credentials in the environment', 'http://localhost:4566', {}, { accessKeyId: 'test', secretAccessKey: 'test' }],
    ['an endpoint and AWS_ACCESS_KEY_ID', 'http://localhost:4566', { AWS_ACCESS_KEY_ID: 'AKIA' }, undefined],
    ['an endpoint and AWS_PROFILE', 'http://localhost:4566', { AWS_PROFILE: 'dev' }, undefined],
    ['no endpoint', undefined, {}, undefined],
  ])('GIVEN %s THEN the base credentials are %j', (_what, endpoint, environment, expected) => {
    expect(emulatorCredentials(endpoint, environment)).toEqual(expected);
  });
});

describe('AWS failures', () => {
  const target: RegistryTarget = { accountName: 'prod', accountId: PROD, region: 'ap-east-1' };
  test.each([
    [
      'missing credentials',
      EXIT.credentials,
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      'no valid AWS credentials',
    ],
    ['access denied', EXIT.accessDenied, awsError('AccessDeniedException'), 'access denied'],
    ['throttling after the retries', EXIT.throttled, awsError('ThrottlingException', 'Rate exceeded'), "still throttled after the SDK's retries with backoff"],
    [
      'a region that is not enabled',
      EXIT.regionNotEnabled,
      awsError('UnrecognizedClientException', 'The security token included in the request is invalid'),
      'the region is probably not enabled',
    ],
    [
      'an unreachable endpoint',
      EXIT.awsError,
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
      'the endpoint cannot be reached',
    ],
  ])('GIVEN %s THEN exit status %i and a message that says what to do', (_what, exitCode, error, text) => {
    const classified = classifyAwsError(error, target, 'ecr:DescribeRepositories');
    expect(classified.exitCode).toBe(exitCode);
    expect(classified.message).toContain('ecr:DescribeRepositories in account prod (222222222222), ap-east-1: ');
    expect(classified.message).toContain(text);
  });
});

describe('npm run audit -- --live in a project with a recorded config', () => {
  let project: string;
  beforeEach(() => {
    project = mkdtempSync(path.join(tmpdir(), 'ecr-audit-'));
    // The example in two other accounts.
    const other = stringify(exampleConfig()).replaceAll(BUILD, '333333333333').replaceAll(PROD, '444444444444');
    writeFileSync(path.join(project, 'other.yaml'), other);
    mkdirSync(path.join(project, '.ecr-replication'));
    writeFileSync(path.join(project, '.ecr-replication', 'config.json'), JSON.stringify({ config: 'other.yaml' }));
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  test.each([
    ['run by the launcher, which passes its selection down', selectionEnvironment({}, { file: 'other.yaml', source: 'recorded' })],
    ['run on its own', {}],
  ])('WHEN it is %s THEN it audits the accounts of the recorded config and says which config', async (_how, environment) => {
    const asked: RegistryTarget[] = [];
    let stderr = '';
    const rules = [replicationRule(['333333333333/us-west-2', '444444444444/eu-west-1'], NAMES)];
    const mocked = new Map([
      ['333333333333/us-east-1', mockRegistry({ ...compliantRegistry('333333333333', 'us-east-1', NAMES), replicationRules: rules })],
      ['333333333333/us-west-2', mockRegistry(compliantRegistry('333333333333', 'us-west-2', NAMES))],
      ['444444444444/eu-west-1', mockRegistry(compliantRegistry('444444444444', 'eu-west-1', NAMES))],
    ]);
    const status = await runAudit(['--live'], {
      environment,
      cwd: project,
      streams: { stdout: () => undefined, stderr: (text) => (stderr += text) },
      clients: () => fakeClientFactory(mocked, asked),
    });
    expect(status).toBe(EXIT.ok);
    expect(stderr.split('\n')[0]).toBe('config: other.yaml (recorded in .ecr-replication/config.json)');
    expect(asked.map((target) => `${target.accountId}/${target.region}`)).toEqual([
      '333333333333/us-east-1',
      '333333333333/us-west-2',
      '444444444444/eu-west-1',
    ]);
  });
});

describe('npm run audit -- --live', () => {
  const run = async (args: string[], mocked: Map<string, MockedRegistry>) => {
    let stdout = '';
    let stderr = '';
    const status = await runAudit(args, {
      environment: {},
      streams: { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
      clients: () => fakeClientFactory(mocked),
    });
    return { status, stdout, stderr };
  };

  test('GIVEN compliant registries THEN it exits 0 with a table of the repositories', async () => {
    const { status, stdout } = await run(['--live'], registries());
    expect(status).toBe(EXIT.ok);
    expect(stdout).toContain('Repositories (6):');
    expect(stdout).toContain('No findings: 3 registries comply with 14 rules.');
  });

  test('GIVEN an AES256 repository THEN it exits 1 and the JSON names the rule and the repository', async () => {
    const { status, stdout } = await run(
      ['--live', '--format', 'json'],
      registries({
        west: (fake) => ({
          ...fake,
          repositoryPages: [[{ ...fake.repositoryPages[0][0], encryptionConfiguration: { encryptionType: 'AES256' } }, fake.repositoryPages[0][1]]],
        }),
      }),
    );
    expect(status).toBe(EXIT.findings);
    const json = JSON.parse(stdout) as { summary: unknown; findings: { ruleId: string; address: string }[] };
    expect(json.findings.map((finding) => `${finding.ruleId} ${finding.address}`)).toEqual([
      `ECR-ENCRYPTED-CMK ${repositoryArnOf(BUILD, 'us-west-2', 'team-a/api')}`,
      `REPLICATION-COVERAGE ${repositoryArnOf(BUILD, 'us-west-2', 'team-a/api')}`,
    ]);
  });

  test('GIVEN access denied THEN it exits 4 with the message on stderr', async () => {
    const mocked = registries();
    mocked.get(`${BUILD}/us-east-1`)!.ecr.on(DescribeRepositoriesCommand).rejects(awsError('AccessDeniedException'));
    const { status, stderr, stdout } = await run(['--live'], mocked);
    expect({ status, stdout }).toEqual({ status: EXIT.accessDenied, stdout: '' });
    expect(stderr).toContain('access denied');
  });

  test('fails --live with an input folder as a usage error', async () => {
    const { status, stderr } = await run(['--live', 'cdktf.out'], registries());
    expect(status).toBe(EXIT.usage);
    expect(stderr).toContain('--live reads the registries of the config; it takes no input folder');
  });

  test('fails an unknown format as a usage error', async () => {
    const { status, stderr } = await run(['--format', 'xml'], registries());
    expect(status).toBe(EXIT.usage);
    expect(stderr).toContain("option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are table, json, sarif.");
  });
});

describe('SARIF', () => {
  test('GIVEN findings THEN the log has version 2.1.0, the rules in tool.driver.rules and one result per finding with ruleId, level and locations', async () => {
    const report = await audit(
      registries({
        prod: (fake) => ({ ...fake, repositoryPages: [[{ ...fake.repositoryPages[0][0], imageTagMutability: 'MUTABLE' }, fake.repositoryPages[0][1]]] }),
      }),
    );
    const log = sarifLog(report) as {
      version: string;
      $schema: string;
      runs: { tool: { driver: { name: string; rules: { id: string; defaultConfiguration: { level: string } }[] } }; results: Record<string, unknown>[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    const [run] = log.runs;
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(expect.arrayContaining(['ECR-ENCRYPTED-CMK', 'ECR-TAG-IMMUTABLE', 'KMS-ORPHANED-GRANT']));
    const ruleIds = run.tool.driver.rules.map((rule) => rule.id);
    expect(run.results).toEqual([
      {
        ruleId: 'ECR-TAG-IMMUTABLE',
        ruleIndex: ruleIds.indexOf('ECR-TAG-IMMUTABLE'),
        level: 'warning',
        message: { text: expect.stringContaining('image_tag_mutability is MUTABLE, not IMMUTABLE') },
        locations: [
          {
            logicalLocations: [
              {
                name: repositoryArnOf(PROD, 'eu-west-1', 'team-a/api'),
                fullyQualifiedName: `prod 222222222222/eu-west-1/${repositoryArnOf(PROD, 'eu-west-1', 'team-a/api')}`,
                kind: 'resource',
              },
            ],
          },
        ],
        partialFingerprints: { 'ecrAudit/v1': `ECR-TAG-IMMUTABLE|prod 222222222222/eu-west-1|${repositoryArnOf(PROD, 'eu-west-1', 'team-a/api')}` },
      },
    ]);
  });
});
