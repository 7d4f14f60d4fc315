/**
 * The deploy engine (cli/deploy/engine.ts) with a scripted Terraform
 * (test-support/fake-terraform.ts): the order of its runs, nothing applied
 * after a refusal or a failed plan, the plan applied being the plan checked,
 * the hooks called at their points, the approval, the summary and the exit
 * codes. No terraform runs here; the emulator layer runs the real one.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADOPTION_IMPORTS_FILE, DeployStack, EngineOptions, runEngine } from '../cli/deploy/engine';
import { checkPlans } from '../tools/plan-check/check-plan';
import { acceptToken } from '../tools/plan-check/findings';
import { DeployHooks, NO_DEPLOY_HOOKS } from '../tools/recovery/deploy-hooks';
import { FakeStackScript, FakeTerraform } from '../test-support/fake-terraform';
import { change, keyValues, planJson, replicationValues, repositoryValues } from '../test-support/plan-json';

const WEST = 'ecr-destination-build-us-west-2';
const PROD = 'ecr-destination-prod-eu-west-1';
const SOURCE = 'ecr-source-build-us-east-1';

let root: string;
let stacks: DeployStack[];
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'deploy-engine-'));
  stacks = [WEST, PROD, SOURCE].map((name) => ({
    name,
    directory: path.join(root, 'stacks', name),
    dependencies: name === SOURCE ? [WEST, PROD] : [],
  }));
  for (const stack of stacks) mkdirSync(stack.directory, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

interface Ran {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: readonly string[];
  readonly terraform: FakeTerraform;
  readonly token?: string;
}

async function run(script: Record<string, FakeStackScript>, options: Partial<EngineOptions> = {}): Promise<Ran> {
  const terraform = new FakeTerraform(script);
  let stdout = '';
  let stderr = '';
  const result = await runEngine({
    command: 'deploy',
    stacks,
    targeted: [WEST, PROD, SOURCE],
    terraform,
    hooks: NO_DEPLOY_HOOKS,
    environment: {},
    autoApprove: true,
    parallelism: 1,
    output: { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    rerunCommand: "npm run deploy -- '*'",
    ...options,
  });
  return { exitCode: result.exitCode, stdout, stderr, calls: terraform.calls, terraform, token: result.token };
}

/** The summary block at the end of stdout. */
const summary = (ran: Ran): string[] =>
  ran.stdout
    .slice(ran.stdout.lastIndexOf('\ndeploy summary:') + 1)
    .trimEnd()
    .split('\n');
const lastLine = (ran: Ran): string => ran.stderr.trimEnd().split('\n').slice(-1)[0];

const createsRepository = (name = 'web') =>
  planJson([change({ type: 'aws_ecr_repository', address: `aws_ecr_repository.repositories["${name}"]`, actions: ['create'], after: { name } })], {
    applied: false,
  });
const GUARD_ERROR = [
  '',
  'Error: Resource precondition failed',
  '',
  '  on cdk.tf.json line 206, in resource.aws_ecr_replication_configuration.replication.lifecycle.precondition[0]:',
  ' 206:               "condition": "${alltrue([])}",',
  '',
  `Destination stack ${WEST} has not been applied, or one of its repositories is`,
  `missing or not encrypted with its customer-managed KMS key. Apply it first (npm run deploy -- ${WEST}), then plan this stack again.`,
  '',
].join('\n');

/** A registry whose repository `web` leaves the config (fresh clone): the destination deletes it, the source too and stops replicating it. */
const dropsWeb = {
  destination: (account: string, region: string) =>
    planJson(
      [
        change({
          type: 'aws_ecr_repository',
          address: 'aws_ecr_repository.repositories["web"]',
          actions: ['delete'],
          before: repositoryValues('web', account, region),
          reason: 'delete_because_each_key',
        }),
      ],
      { account, region },
    ),
  source: planJson(
    [
      change({
        type: 'aws_ecr_repository',
        address: 'aws_ecr_repository.repositories["web"]',
        actions: ['delete'],
        before: repositoryValues('web', '111111111111', 'us-east-1'),
      }),
      change({
        type: 'aws_ecr_replication_configuration',
        address: 'aws_ecr_replication_configuration.replication',
        actions: ['update'],
        before: replicationValues([{ destinations: ['111111111111/us-west-2', '222222222222/eu-west-1'], filters: ['api', 'web'] }]),
        after: replicationValues([{ destinations: ['111111111111/us-west-2', '222222222222/eu-west-1'], filters: ['api'] }]),
      }),
    ],
    { region: 'us-east-1' },
  ),
};
const dropsWebScript = (): Record<string, FakeStackScript> => ({
  [WEST]: { plans: [{ code: 2, json: dropsWeb.destination('111111111111', 'us-west-2') }] },
  [PROD]: { plans: [{ code: 2, json: dropsWeb.destination('222222222222', 'eu-west-1') }] },
  [SOURCE]: { plans: [{ code: 2, json: dropsWeb.source }] },
});

describe('GIVEN a first deploy: destinations create their repositories, the source plan waits for them', () => {
  const script = (): Record<string, FakeStackScript> => ({
    [WEST]: { plans: [{ code: 2, json: createsRepository() }] },
    [PROD]: { plans: [{ code: 2, json: createsRepository() }] },
    [SOURCE]: {
      plans: [
        { code: 1, stderr: GUARD_ERROR },
        { code: 2, json: createsRepository() },
      ],
    },
  });

  test('WHEN it runs THEN every stack is planned and checked first, destinations are applied, and the source is planned, checked and applied after them', async () => {
    const ran = await run(script());
    expect(ran.calls).toEqual([
      `${WEST} init`,
      `${PROD} init`,
      `${SOURCE} init`,
      `${WEST} plan`,
      `${WEST} show`,
      `${PROD} plan`,
      `${PROD} show`,
      `${SOURCE} plan`,
      `${WEST} apply`,
      `${PROD} apply`,
      `${SOURCE} plan`,
      `${SOURCE} show`,
      `${SOURCE} apply`,
    ]);
    expect(ran.exitCode).toBe(0);
    expect(summary(ran)).toEqual([
      'deploy summary:',
      `  ${WEST}  applied (1 added, 0 changed, 0 destroyed)`,
      `  ${PROD}   applied (1 added, 0 changed, 0 destroyed)`,
      `  ${SOURCE}       applied (1 added, 0 changed, 0 destroyed)`,
    ]);
    expect(lastLine(ran)).toBe('deploy complete: 3 stacks deployed');
  });

  test("WHEN the source's first plan fails on the guard THEN its error is not shown, only that it is planned after its destinations", async () => {
    const ran = await run(script());
    expect(ran.stderr).toContain(`[${SOURCE}] planned again after ${WEST}, ${PROD} apply their changes (its guard reads their applied state)\n`);
    expect(ran.stderr).not.toContain('Resource precondition failed');
  });

  test('fails WHEN a destination apply is killed: the source is not run, and the summary says why', async () => {
    const killed = script();
    killed[WEST] = { ...killed[WEST], applies: [{ signal: 'SIGKILL' }] };
    const ran = await run(killed);
    expect(ran.terraform.callsOf('apply')).toEqual([`${WEST} apply`]);
    expect(summary(ran)).toEqual([
      'deploy summary:',
      `  ${WEST}  failed: terraform apply was stopped by SIGKILL`,
      `  ${PROD}   not run: stopped: ${WEST} failed`,
      `  ${SOURCE}       not run: planned after ${WEST}, ${PROD} (its guard reads their applied state)`,
    ]);
    expect([ran.exitCode, lastLine(ran)]).toEqual([1, 'deploy failed: 1 failed, 2 not run']);
  });

  test('WHEN it is diffed THEN nothing is applied and the source waits for its destinations', async () => {
    const ran = await run(script(), { command: 'diff' });
    expect(ran.terraform.callsOf('apply')).toEqual([]);
    expect(ran.stdout).toContain(`  ${SOURCE}       waits for its dependencies: planned after ${WEST}, ${PROD} (its guard reads their applied state)`);
    expect(ran.exitCode).toBe(0);
  });
});

describe('GIVEN a source deployed before its destinations were applied', () => {
  test("fails WHEN its plan fails on the guard: nothing is applied, and the guard's reason and the command to run are printed", async () => {
    const ran = await run({ [SOURCE]: { plans: [{ code: 1, stderr: GUARD_ERROR }] } }, { targeted: [SOURCE] });
    expect(ran.terraform.callsOf('apply')).toEqual([]);
    expect(ran.stderr).toContain(`[${SOURCE}] Error: Resource precondition failed`);
    expect(summary(ran)).toEqual([
      'deploy summary:',
      `  ${SOURCE}  failed: Resource precondition failed: Destination stack ${WEST} has not been applied, or one of its repositories is missing or not encrypted with its customer-managed KMS key. Apply it first (npm run deploy -- ${WEST}), then plan this stack again.`,
      `  not targeted, not run: ${WEST}, ${PROD}`,
    ]);
    expect(ran.exitCode).toBe(1);
  });
});

describe('GIVEN a repository dropped from the config on a fresh clone', () => {
  const token = () =>
    acceptToken(
      checkPlans([
        { stack: WEST, plan: dropsWeb.destination('111111111111', 'us-west-2') },
        { stack: PROD, plan: dropsWeb.destination('222222222222', 'eu-west-1') },
        { stack: SOURCE, plan: dropsWeb.source },
      ]),
    )!;

  test('fails WHEN it is deployed: nothing is applied, every deletion is named with its registry, and the token is printed', async () => {
    const ran = await run(dropsWebScript());
    expect(ran.terraform.callsOf('apply')).toEqual([]);
    expect(ran.stderr).toContain(
      `  - REFUSED: repository web deleted in registry 222222222222/eu-west-1 (stack ${PROD}, aws_ecr_repository.repositories["web"]): its images are deleted with it;`,
    );
    expect(ran.stderr).toContain(
      `  - REFUSED: replication configuration stops replicating web to 111111111111/us-west-2 in registry 111111111111/us-east-1 (stack ${SOURCE}, aws_ecr_replication_configuration.replication)`,
    );
    expect(ran.stderr).toContain(
      `to accept exactly these changes, run again with the token: npm run deploy -- '*' --accept ${token()}  (or ECR_REPLICATION_ACCEPT=${token()})`,
    );
    expect(summary(ran)).toEqual([
      'deploy summary:',
      `  ${WEST}  refused: the plan check refused repository web deleted`,
      `  ${PROD}   refused: the plan check refused repository web deleted`,
      `  ${SOURCE}       refused: the plan check refused repository web deleted; replication configuration stops replicating web to 111111111111/us-west-2; replication configuration stops replicating web to 222222222222/eu-west-1`,
    ]);
    expect([ran.exitCode, lastLine(ran)]).toEqual([1, 'deploy failed: 3 refused']);
  });

  test('WHEN the token is given THEN the source is applied first and the destinations delete after it, from the plans checked', async () => {
    const ran = await run(dropsWebScript(), { acceptedTokens: [token()] });
    expect(ran.terraform.callsOf('plan', 'apply')).toEqual([
      `${WEST} plan`,
      `${PROD} plan`,
      `${SOURCE} plan`,
      `${SOURCE} apply`,
      `${WEST} apply`,
      `${PROD} apply`,
    ]);
    expect(ran.exitCode).toBe(0);
  });

  test('fails WHEN the token of another change set is given', async () => {
    const ran = await run(dropsWebScript(), { acceptedTokens: ['0123456789ab'] });
    expect([ran.exitCode, ran.terraform.callsOf('apply')]).toEqual([1, []]);
  });

  test("fails WHEN a destination's deletion fails: the summary gives terraform's words, and the source was applied before", async () => {
    const script = dropsWebScript();
    script[PROD] = {
      ...script[PROD],
      applies: [
        {
          code: 1,
          stderr:
            '\nError: ECR Repository (web) not empty, consider using force_delete: RepositoryNotEmptyException\n\n  with aws_ecr_repository.repositories["web"],\n',
        },
      ],
    };
    const ran = await run(script, { acceptedTokens: [token()] });
    expect(ran.terraform.callsOf('apply')).toEqual([`${SOURCE} apply`, `${WEST} apply`, `${PROD} apply`]);
    expect(summary(ran)[2]).toBe(
      `  ${PROD}   failed: deletions: ECR Repository (web) not empty, consider using force_delete: RepositoryNotEmptyException (aws_ecr_repository.repositories["web"])`,
    );
    expect(ran.exitCode).toBe(1);
  });
});

describe('GIVEN removal: destroy of one repository and a new one in the same change', () => {
  const destination = planJson([
    change({ type: 'aws_ecr_repository', address: 'aws_ecr_repository.repositories["base"]', actions: ['create'], after: { name: 'base' } }),
    change({
      type: 'aws_ecr_repository',
      address: 'aws_ecr_repository.retired_web',
      previous: 'aws_ecr_repository.repositories["web"]',
      actions: ['delete'],
      before: repositoryValues('web'),
    }),
  ]);
  const additionsOnly = planJson([
    change({ type: 'aws_ecr_repository', address: 'aws_ecr_repository.repositories["base"]', actions: ['create'], after: { name: 'base' } }),
  ]);
  const deletionsOnly = planJson([
    change({
      type: 'aws_ecr_repository',
      address: 'aws_ecr_repository.retired_web',
      actions: ['delete'],
      before: repositoryValues('web'),
      reason: 'delete_because_no_resource_config',
    }),
  ]);
  const movesOnly = { ...planJson([]), resource_changes: [] };

  test('WHEN it is deployed THEN the destination applies its moves, then its additions (one after the other), the source goes next, the deletion last, each plan checked', async () => {
    const ran = await run(
      {
        [WEST]: {
          plans: [
            { code: 2, json: destination },
            { code: 2, json: movesOnly },
            { code: 2, json: additionsOnly },
            { code: 2, json: deletionsOnly },
          ],
        },
        [SOURCE]: {
          plans: [
            { code: 1, stderr: GUARD_ERROR },
            { code: 2, json: createsRepository('base') },
          ],
        },
      },
      { targeted: [WEST, SOURCE], retiredRepositories: new Set(['111111111111/us-west-2\tweb']), parallelism: 2 },
    );
    expect(ran.terraform.callsOf('plan', 'apply')).toEqual([
      `${WEST} plan`,
      `${SOURCE} plan`,
      `${WEST} plan -refresh-only`,
      `${WEST} apply`,
      `${WEST} plan -target=aws_ecr_repository.repositories["base"]`,
      `${WEST} apply`,
      `${SOURCE} plan`,
      `${SOURCE} apply`,
      `${WEST} plan`,
      `${WEST} apply`,
    ]);
    expect(summary(ran)[1]).toBe(
      `  ${WEST}  applied (moves: 0 added, 0 changed, 0 destroyed; additions: 1 added, 0 changed, 0 destroyed; deletions: 0 added, 0 changed, 1 destroyed)`,
    );
    expect(ran.exitCode).toBe(0);
  });
});

describe('GIVEN the approval on a terminal', () => {
  const script = (): Record<string, FakeStackScript> => ({ [WEST]: { plans: [{ code: 2, json: createsRepository() }] } });

  test('WHEN the user does not answer yes THEN nothing is applied and the stack is declined', async () => {
    const questions: string[] = [];
    const ran = await run(script(), {
      targeted: [WEST],
      autoApprove: false,
      confirm: async (question) => {
        questions.push(question);
        return false;
      },
    });
    expect(questions).toEqual(["Apply these plans? Only 'yes' will be accepted: "]);
    expect(ran.stderr).toContain(`deploy will apply:\n  ${WEST}: 1 to add, 0 to change, 0 to destroy\n`);
    expect(ran.terraform.callsOf('apply')).toEqual([]);
    expect([summary(ran)[1], ran.exitCode]).toEqual([`  ${WEST}  declined: not approved; nothing was applied`, 1]);
  });

  test('WHEN the user answers yes THEN the checked plan is applied', async () => {
    const ran = await run(script(), { targeted: [WEST], autoApprove: false, confirm: async () => true });
    expect([ran.terraform.callsOf('apply'), ran.exitCode]).toEqual([[`${WEST} apply`], 0]);
  });

  test('fails WHEN stdin is not a terminal (no way to ask): nothing is applied', async () => {
    const ran = await run(script(), { targeted: [WEST], autoApprove: false, confirm: undefined });
    expect([ran.terraform.callsOf('apply'), ran.exitCode]).toEqual([[], 1]);
  });
});

describe('GIVEN the state-safety hooks', () => {
  const createsKey = planJson([change({ type: 'aws_kms_key', address: 'aws_kms_key.kms_key', actions: ['create'], after: {} })], { applied: false });
  const importsKey = planJson([change({ type: 'aws_kms_key', address: 'aws_kms_key.kms_key', actions: ['no-op'], importing: 'k1', before: keyValues() })], {
    applied: false,
  });

  test('WHEN adoption returns imports THEN they are written into the stack folder as import blocks and the stack is planned again, that plan applied', async () => {
    const seen: string[] = [];
    const hooks: DeployHooks = {
      ...NO_DEPLOY_HOOKS,
      adopt: async (stack, plan) => {
        seen.push(`${stack.stackName} ${plan.resource_changes?.map((item) => item.address).join(',')}`);
        return {
          imports: [{ to: 'aws_kms_key.kms_key', id: 'k1', provider: 'aws.build_us_west_2' }],
          refusals: [],
          notes: ['the key k1 has no state: adopted'],
        };
      },
    };
    const ran = await run(
      {
        [WEST]: {
          plans: [
            { code: 2, json: createsKey },
            { code: 2, json: importsKey },
          ],
        },
      },
      { targeted: [WEST], hooks },
    );
    expect(seen).toEqual([`${WEST} aws_kms_key.kms_key`]);
    expect(JSON.parse(readFileSync(path.join(root, 'stacks', WEST, ADOPTION_IMPORTS_FILE), 'utf8'))).toEqual({
      import: [{ to: 'aws_kms_key.kms_key', id: 'k1', provider: 'aws.build_us_west_2' }],
    });
    expect(ran.calls).toEqual([`${WEST} init`, `${WEST} plan`, `${WEST} show`, `${WEST} plan`, `${WEST} show`, `${WEST} apply`]);
    expect(ran.stderr).toContain(`[${WEST}] note: the key k1 has no state: adopted\n`);
    expect(summary(ran)[1]).toBe(`  ${WEST}  applied (0 added, 0 changed, 0 destroyed, 1 imported)`);
  });

  describe('WHEN an apply stops on a resource that already exists (the provider retried a create that had succeeded)', () => {
    const createsAlias = planJson(
      [
        change({ type: 'aws_kms_key', address: 'aws_kms_key.kms_key', actions: ['create'], after: {} }),
        change({ type: 'aws_kms_alias', address: 'aws_kms_alias.kms_key_alias', actions: ['create'], after: {} }),
      ],
      { applied: false },
    );
    const createsAliasOnly = planJson([change({ type: 'aws_kms_alias', address: 'aws_kms_alias.kms_key_alias', actions: ['create'], after: {} })]);
    const importsAlias = planJson([
      change({ type: 'aws_kms_alias', address: 'aws_kms_alias.kms_key_alias', actions: ['no-op'], importing: 'alias/ecr-kms-replication', before: {} }),
    ]);
    const ALIAS_EXISTS = {
      code: 1,
      stderr: [
        'Error: creating KMS Alias (alias/ecr-kms-replication): operation error KMS: CreateAlias, https response error StatusCode: 400, AlreadyExistsException: An alias with the name arn:aws:kms:us-west-2:111111111111:alias/ecr-kms-replication already exists',
        '',
        '  with aws_kms_alias.kms_key_alias,',
      ].join('\n'),
    };
    /** The plan before the apply, the plan after it (the alias left to create), the plan with the alias imported. */
    const plansAroundAdoption = [
      { code: 2, json: createsAlias },
      { code: 2, json: createsAliasOnly },
      { code: 2, json: importsAlias },
    ];
    /** The adoption hook: nothing in AWS before the first apply, the alias (on this stack's key) after it. */
    const hooks = (seen: string[]): DeployHooks => ({
      ...NO_DEPLOY_HOOKS,
      adopt: async (_stack, plan) => {
        const creates = (plan.resource_changes ?? []).filter((item) => item.change.actions.includes('create')).map((item) => item.address);
        seen.push(creates.join(','));
        return creates.includes('aws_kms_key.kms_key')
          ? { imports: [], refusals: [], notes: [] }
          : { imports: [{ to: 'aws_kms_alias.kms_key_alias', id: 'alias/ecr-kms-replication' }], refusals: [], notes: [] };
      },
    });

    test('THEN the stack is adopted (the alias imported), planned, checked and applied again in the same run', async () => {
      const seen: string[] = [];
      const ran = await run(
        {
          [WEST]: {
            plans: plansAroundAdoption,
            applies: [ALIAS_EXISTS],
          },
        },
        { targeted: [WEST], hooks: hooks(seen) },
      );
      expect(seen).toEqual(['aws_kms_key.kms_key,aws_kms_alias.kms_key_alias', 'aws_kms_alias.kms_key_alias']);
      expect(ran.calls).toEqual([
        `${WEST} init`,
        `${WEST} plan`,
        `${WEST} show`,
        `${WEST} apply`,
        `${WEST} plan`,
        `${WEST} show`,
        `${WEST} plan`,
        `${WEST} show`,
        `${WEST} apply`,
      ]);
      expect(JSON.parse(readFileSync(path.join(root, 'stacks', WEST, ADOPTION_IMPORTS_FILE), 'utf8'))).toEqual({
        import: [{ to: 'aws_kms_alias.kms_key_alias', id: 'alias/ecr-kms-replication' }],
      });
      expect(ran.stderr).toContain(
        `[${WEST}] the apply stopped on a resource that already exists (creating KMS Alias (alias/ecr-kms-replication): operation error KMS: CreateAlias, https response error StatusCode: 400, AlreadyExistsException: An alias with the name arn:aws:kms:us-west-2:111111111111:alias/ecr-kms-replication already exists (aws_kms_alias.kms_key_alias)); asking AWS what this stack created, then planning again\n`,
      );
      expect([summary(ran)[1], ran.exitCode]).toEqual([`  ${WEST}  applied (0 added, 0 changed, 0 destroyed, 1 imported)`, 0]);
    });

    test('fails WHEN the apply after adoption stops on it again: adopted once per stack, the error is the reason', async () => {
      const ran = await run(
        {
          [WEST]: {
            plans: plansAroundAdoption,
            applies: [ALIAS_EXISTS, ALIAS_EXISTS],
          },
        },
        { targeted: [WEST], hooks: hooks([]) },
      );
      expect([ran.terraform.callsOf('apply').length, summary(ran)[1], ran.exitCode]).toEqual([
        2,
        `  ${WEST}  failed: creating KMS Alias (alias/ecr-kms-replication): operation error KMS: CreateAlias, https response error StatusCode: 400, AlreadyExistsException: An alias with the name arn:aws:kms:us-west-2:111111111111:alias/ecr-kms-replication already exists (aws_kms_alias.kms_key_alias)`,
        1,
      ]);
    });

    test.each([
      ['another error', { code: 1, stderr: 'Error: creating KMS Key: AccessDeniedException: not authorized to perform kms:CreateKey' }],
      ['a signal', { signal: 'SIGKILL' as const }],
    ])('fails WHEN the apply stops on %s: no adoption, no second apply', async (_, failure) => {
      const seen: string[] = [];
      const ran = await run({ [WEST]: { plans: [{ code: 2, json: createsAlias }], applies: [failure] } }, { targeted: [WEST], hooks: hooks(seen) });
      expect([seen.length, ran.terraform.callsOf('plan', 'apply'), ran.exitCode]).toEqual([1, [`${WEST} plan`, `${WEST} apply`], 1]);
    });
  });

  test('fails WHEN adoption refuses: nothing is applied, and the refusal is the reason', async () => {
    const hooks: DeployHooks = {
      ...NO_DEPLOY_HOOKS,
      adopt: async () => ({ imports: [], refusals: ['the key belongs to the state of another stack'], notes: [] }),
    };
    const ran = await run({ [WEST]: { plans: [{ code: 2, json: createsKey }] } }, { targeted: [WEST], hooks });
    expect([ran.terraform.callsOf('apply'), summary(ran)[1], ran.exitCode]).toEqual([
      [],
      `  ${WEST}  refused: the key belongs to the state of another stack`,
      1,
    ]);
    expect(existsSync(path.join(root, 'stacks', WEST, ADOPTION_IMPORTS_FILE))).toBe(false);
  });

  test('fails WHEN a hook throws: the summary says so instead of a stack trace', async () => {
    const hooks: DeployHooks = {
      ...NO_DEPLOY_HOOKS,
      adopt: async () => {
        throw new Error('AccessDenied on kms:ListAliases');
      },
    };
    const ran = await run({ [WEST]: { plans: [{ code: 2, json: createsKey }] } }, { targeted: [WEST], hooks });
    expect([summary(ran)[1], ran.exitCode]).toEqual([`  ${WEST}  failed: the adoption check failed: AccessDenied on kms:ListAliases`, 1]);
  });

  test('WHEN a teardown keeps the key THEN it leaves the state after the approval, and the destroy is planned again before it is applied', async () => {
    const destroyAll = planJson([change({ type: 'aws_kms_key', address: 'aws_kms_key.kms_key', actions: ['delete'], before: keyValues() })]);
    const hooks: DeployHooks = {
      ...NO_DEPLOY_HOOKS,
      teardown: async () => ({
        keep: ['aws_kms_key.kms_key'],
        refusals: [],
        notes: ['kept arn:aws:kms:us-west-2:111111111111:key/k1: it encrypts retained repositories'],
      }),
    };
    const ran = await run(
      {
        [WEST]: {
          plans: [
            { code: 2, json: destroyAll },
            { code: 2, json: planJson([]) },
          ],
        },
      },
      { command: 'destroy', targeted: [WEST], hooks },
    );
    expect(ran.calls).toEqual([
      `${WEST} init`,
      `${WEST} plan -destroy`,
      `${WEST} show`,
      `${WEST} state rm aws_kms_key.kms_key`,
      `${WEST} plan -destroy`,
      `${WEST} show`,
      `${WEST} apply`,
    ]);
    expect(ran.stderr).toContain(`[${WEST}] note: kept arn:aws:kms:us-west-2:111111111111:key/k1: it encrypts retained repositories\n`);
  });

  test('WHEN a teardown keeps the key but the destroy is declined THEN the state is left as it was', async () => {
    const destroyAll = planJson([change({ type: 'aws_kms_key', address: 'aws_kms_key.kms_key', actions: ['delete'], before: keyValues() })]);
    const hooks: DeployHooks = { ...NO_DEPLOY_HOOKS, teardown: async () => ({ keep: ['aws_kms_key.kms_key'], refusals: [], notes: [] }) };
    const ran = await run(
      { [WEST]: { plans: [{ code: 2, json: destroyAll }] } },
      { command: 'destroy', targeted: [WEST], hooks, autoApprove: false, confirm: async () => false },
    );
    expect(ran.calls.filter((call) => call.includes('state rm') || call.endsWith('apply'))).toEqual([]);
  });
});

describe('GIVEN a destroy of every stack', () => {
  test('WHEN it runs THEN all are planned first, then sources are destroyed before destinations', async () => {
    const destroys = {
      plans: [
        {
          code: 2,
          json: planJson([
            change({ type: 'aws_ecr_repository', address: 'aws_ecr_repository.repositories["web"]', actions: ['delete'], before: repositoryValues('web') }),
          ]),
        },
      ],
    };
    const ran = await run({ [WEST]: destroys, [PROD]: destroys, [SOURCE]: destroys }, { command: 'destroy' });
    expect(ran.terraform.callsOf('plan', 'apply')).toEqual([
      `${WEST} plan -destroy`,
      `${PROD} plan -destroy`,
      `${SOURCE} plan -destroy`,
      `${SOURCE} apply`,
      `${WEST} apply`,
      `${PROD} apply`,
    ]);
  });

  test('fails WHEN a destroy plan fails (a protected key): nothing is destroyed', async () => {
    const protectedKey = {
      plans: [
        {
          code: 1,
          stderr:
            '\nError: Instance cannot be destroyed\n\nResource aws_kms_key.kms_key has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.\n',
        },
      ],
    };
    const ran = await run({ [WEST]: protectedKey, [SOURCE]: { plans: [{ code: 2, json: planJson([]) }] } }, { command: 'destroy', targeted: [WEST, SOURCE] });
    expect(ran.terraform.callsOf('apply')).toEqual([]);
    expect(ran.stdout).toContain(
      `  ${WEST}  failed: Instance cannot be destroyed (aws_kms_key.kms_key): the key would be deleted, and every image it encrypts becomes unreadable when its deletion window ends: the stacks protect keys (keys.preventDestroy); set keys.preventDestroy: false only to tear down (see "Tearing everything down" in the README)`,
    );
  });
});
