import {
  DescribeReplicationBackfillResultsCommand,
  ListReplicationBackfillsCommand,
  ReplicationBackfillStatus,
  StartReplicationBackfillCommand,
} from '@aws-sdk/client-ecr';
import { validateConfig } from '../config/load';
import { Config } from '../config/schema';
import { EXIT, sdkClientFactory } from '../tools/audit/aws-access';
import { runBackfills } from '../tools/audit/backfill';
import { runBackfillCommand } from '../tools/audit/backfill-command';
import { exampleConfig } from '../test-support/example-config';
import { awsError, compliantRegistry, FakeRegistry, fakeClientFactory, MockedRegistry, mockRegistry } from '../test-support/fake-aws';

const BUILD = '111111111111';
const PROD = '222222222222';
const NAMES = ['team-a/api', 'web'];
const SOURCE = `${BUILD}/us-east-1`;
const example: Config = validateConfig(exampleConfig(), 'ecr-replication.yaml').config;

function registries(prod: (fake: FakeRegistry) => FakeRegistry = (fake) => fake): Map<string, MockedRegistry> {
  return new Map([
    [SOURCE, mockRegistry(compliantRegistry(BUILD, 'us-east-1', NAMES))],
    [`${BUILD}/us-west-2`, mockRegistry(compliantRegistry(BUILD, 'us-west-2', NAMES))],
    [`${PROD}/eu-west-1`, mockRegistry(prod(compliantRegistry(PROD, 'eu-west-1', NAMES)))],
  ]);
}

const progress = (completed: number, failed = 0) => ({
  totalReplicationCount: 4,
  completedReplicationCount: completed,
  failedReplicationCount: failed,
  failureCodes: failed > 0 ? ['IMAGE_NOT_FOUND'] : [],
});

/** The source registry's backfill API: none running; each started one goes IN_PROGRESS once, then `end`. */
function serveBackfills(mocked: Map<string, MockedRegistry>, end: ReplicationBackfillStatus = 'COMPLETE'): void {
  const ecr = mocked.get(SOURCE)!.ecr;
  ecr.on(ListReplicationBackfillsCommand).resolves({ backfills: [] });
  ecr.on(StartReplicationBackfillCommand).callsFake(async (input: { destination: { region: string } }) => ({
    replicationBackfillId: `backfill-${input.destination.region}`,
    status: 'PREPARING',
  }));
  const polls = new Map<string, number>();
  ecr.on(DescribeReplicationBackfillResultsCommand).callsFake(async (input: { replicationBackfillId: string }) => {
    const count = (polls.get(input.replicationBackfillId) ?? 0) + 1;
    polls.set(input.replicationBackfillId, count);
    if (count === 1) return { replicationBackfillId: input.replicationBackfillId, status: 'IN_PROGRESS', progress: progress(1) };
    return { replicationBackfillId: input.replicationBackfillId, status: end, progress: end === 'COMPLETE' ? progress(4) : progress(3, 1) };
  });
}

async function backfill(mocked: Map<string, MockedRegistry>, sources?: string[]) {
  const lines: string[] = [];
  let sleeps = 0;
  const outcomes = await runBackfills(example, {
    clients: fakeClientFactory(mocked),
    sources,
    sleep: async () => {
      sleeps += 1;
    },
    progress: (line) => lines.push(line),
  });
  return { outcomes, lines, sleeps };
}

const started = (mocked: Map<string, MockedRegistry>) =>
  mocked
    .get(SOURCE)!
    .ecr.commandCalls(StartReplicationBackfillCommand)
    .map((call) => call.args[0].input.destination);

describe('npm run backfill', () => {
  test('GIVEN ready destinations THEN it starts one backfill per destination and follows each to COMPLETE', async () => {
    const mocked = registries();
    serveBackfills(mocked);
    const { outcomes, lines, sleeps } = await backfill(mocked);
    expect(started(mocked)).toEqual([
      { region: 'us-west-2', registryId: BUILD },
      { region: 'eu-west-1', registryId: PROD },
    ]);
    expect(outcomes.map((outcome) => `${outcome.destination} ${outcome.status}`)).toEqual([
      'build 111111111111/us-east-1 -> build 111111111111/us-west-2 COMPLETE',
      'build 111111111111/us-east-1 -> prod 222222222222/eu-west-1 COMPLETE',
    ]);
    expect(lines.slice(0, 3)).toEqual([
      'build 111111111111/us-east-1 -> build 111111111111/us-west-2: started backfill backfill-us-west-2',
      'build 111111111111/us-east-1 -> build 111111111111/us-west-2: IN_PROGRESS: 1/4 replicated, 0 failed',
      'build 111111111111/us-east-1 -> build 111111111111/us-west-2: COMPLETE: 4/4 replicated, 0 failed',
    ]);
    expect(sleeps).toBe(2);
  });

  test('GIVEN a destination missing a replicated repository THEN it refuses that destination and backfills the others', async () => {
    const mocked = registries((fake) => ({ ...fake, repositoryPages: [fake.repositoryPages[0].filter((repository) => repository.repositoryName !== 'web')] }));
    serveBackfills(mocked);
    const { outcomes, lines } = await backfill(mocked);
    expect(started(mocked)).toEqual([{ region: 'us-west-2', registryId: BUILD }]);
    expect(outcomes[1]).toEqual({
      kind: 'not-ready',
      destination: 'build 111111111111/us-east-1 -> prod 222222222222/eu-west-1',
      status: 'NOT_READY',
      problems: [{ repository: 'web', problem: 'does not exist in the destination' }],
    });
    expect(lines).toContain(
      'build 111111111111/us-east-1 -> prod 222222222222/eu-west-1: not ready, no backfill started (apply ecr-destination-prod-eu-west-1 first):',
    );
  });

  test('GIVEN a destination repository encrypted with AES256 THEN it refuses that destination', async () => {
    const mocked = registries((fake) => ({
      ...fake,
      repositoryPages: [fake.repositoryPages[0].map((repository) => ({ ...repository, encryptionConfiguration: { encryptionType: 'AES256' } }))],
    }));
    serveBackfills(mocked);
    const { outcomes } = await backfill(mocked);
    expect(outcomes[1]).toEqual(
      expect.objectContaining({
        status: 'NOT_READY',
        problems: [
          { repository: 'team-a/api', problem: "is encrypted with AES256, not with the destination's KMS key" },
          { repository: 'web', problem: "is encrypted with AES256, not with the destination's KMS key" },
        ],
      }),
    );
  });

  test('GIVEN a backfill already in progress for a destination THEN it follows that one and starts none there', async () => {
    const mocked = registries();
    serveBackfills(mocked);
    mocked
      .get(SOURCE)!
      .ecr.on(ListReplicationBackfillsCommand)
      .resolves({
        backfills: [
          { replicationBackfillId: 'old', status: 'COMPLETE', destination: { region: 'eu-west-1', registryId: PROD }, startedAt: new Date(0) },
          { replicationBackfillId: 'running', status: 'IN_PROGRESS', destination: { region: 'eu-west-1', registryId: PROD }, startedAt: new Date(0) },
        ],
      });
    const { outcomes, lines } = await backfill(mocked);
    expect(started(mocked)).toEqual([{ region: 'us-west-2', registryId: BUILD }]);
    expect(outcomes[1]).toEqual(expect.objectContaining({ backfillId: 'running', followed: true, status: 'COMPLETE' }));
    expect(lines).toContain(
      'build 111111111111/us-east-1 -> prod 222222222222/eu-west-1: backfill running is already IN_PROGRESS; following it instead of starting another',
    );
  });

  test('GIVEN another run starting a backfill first THEN ECR refuses ours and it follows the other one', async () => {
    const mocked = registries();
    serveBackfills(mocked);
    const ecr = mocked.get(SOURCE)!.ecr;
    ecr.on(StartReplicationBackfillCommand).rejects(awsError('ReplicationBackfillInProgressException'));
    ecr
      .on(ListReplicationBackfillsCommand)
      .resolvesOnce({ backfills: [] })
      .resolves({
        backfills: [{ replicationBackfillId: 'theirs', status: 'PREPARING', destination: { region: 'us-west-2', registryId: BUILD }, startedAt: new Date(0) }],
      });
    const { outcomes } = await backfill(mocked, ['build/us-east-1']);
    expect(outcomes[0]).toEqual(expect.objectContaining({ backfillId: 'theirs', followed: true }));
  });

  test('GIVEN a backfill that fails THEN it reports FAILED with every failed image, across result pages', async () => {
    const mocked = registries();
    serveBackfills(mocked, 'FAILED');
    const ecr = mocked.get(SOURCE)!.ecr;
    ecr
      .on(DescribeReplicationBackfillResultsCommand, { replicationBackfillId: 'backfill-eu-west-1' })
      .resolvesOnce({
        status: 'FAILED',
        failureCode: 'PARTIAL',
        progress: progress(2, 2),
        nextToken: 'more',
        results: [{ repositoryName: 'web', imageId: { imageTag: 'v1' }, status: 'FAILED', failureCode: 'KMS_ACCESS_DENIED' }],
      })
      .resolvesOnce({
        status: 'FAILED',
        results: [
          {
            repositoryName: 'web',
            imageId: { imageDigest: 'sha256:abc' },
            status: 'FAILED',
            failureCode: 'IMAGE_NOT_FOUND',
            subImageFailureCodes: ['LAYER_MISSING'],
          },
        ],
      });
    const { outcomes, lines } = await backfill(mocked);
    expect(outcomes[1]).toEqual(expect.objectContaining({ status: 'FAILED', failureCode: 'PARTIAL', completed: 2, total: 4 }));
    expect(lines.slice(-2)).toEqual(['  - web:v1: KMS_ACCESS_DENIED', '  - web@sha256:abc: IMAGE_NOT_FOUND (LAYER_MISSING)']);
  });
});

describe('the backfill command', () => {
  const run = async (args: string[], mocked: Map<string, MockedRegistry>) => {
    let stdout = '';
    let stderr = '';
    const status = await runBackfillCommand(args, {
      environment: {},
      streams: { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
      clients: () => fakeClientFactory(mocked),
      sleep: async () => undefined,
    });
    return { status, stdout, stderr };
  };

  test('GIVEN every backfill COMPLETE THEN it exits 0 with one line per destination', async () => {
    const mocked = registries();
    serveBackfills(mocked);
    const { status, stdout } = await run([], mocked);
    expect({ status, stdout }).toEqual({
      status: EXIT.ok,
      stdout:
        'build 111111111111/us-east-1 -> build 111111111111/us-west-2: COMPLETE, 4/4 replicated\n' +
        'build 111111111111/us-east-1 -> prod 222222222222/eu-west-1: COMPLETE, 4/4 replicated\n',
    });
  });

  test('GIVEN a destination that is not ready THEN it exits 1', async () => {
    const mocked = registries((fake) => ({ ...fake, registryKeyArn: undefined }));
    serveBackfills(mocked);
    const { status, stdout } = await run(['ecr-source-build-us-east-1'], mocked);
    expect(status).toBe(EXIT.findings);
    expect(stdout).toContain('prod 222222222222/eu-west-1: NOT READY (2 replicated repositories missing or not encrypted with the destination key)');
  });

  test('fails an unknown source as a usage error that lists the sources', async () => {
    const { status, stderr } = await run(['build/eu-north-1'], registries());
    expect(status).toBe(EXIT.usage);
    expect(stderr).toBe(
      'config: ecr-replication.yaml (the default file; --config <file> selects another)\n' +
        'error: unknown source registry "build/eu-north-1": name one of build/us-east-1 (or its stack name)\n',
    );
  });

  test('fails a poll interval that is not a number of seconds as a usage error', async () => {
    const { status, stderr } = await run(['--interval', '0'], registries());
    expect(status).toBe(EXIT.usage);
    expect(stderr).toContain('must be a whole number of seconds from 1 to 3600');
  });
});

describe('SDK clients', () => {
  test("GIVEN the config's endpoint THEN every client calls it, with adaptive retries", async () => {
    const clients = await sdkClientFactory({ endpoint: 'http://localhost:4566/' })({ accountName: 'build', accountId: BUILD, region: 'us-east-1' });
    const endpoint = await clients.ecr.config.endpoint?.();
    expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe('http://localhost:4566');
    expect(await clients.kms.config.maxAttempts()).toBe(8);
    expect((await clients.kms.config.retryStrategy()).constructor.name).toBe('AdaptiveRetryStrategy');
  });
});
