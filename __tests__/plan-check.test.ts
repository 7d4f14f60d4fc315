/**
 * The plan check (tools/plan-check/) as tables over small plan documents
 * (test-support/plan-json.ts) and one plan terraform made against moto:
 * what it refuses, what it only reports, the acceptance token, and the
 * standalone `npm run plan-check` command's output and exit codes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPlans, checkStackPlan } from '../tools/plan-check/check-plan';
import { acceptToken, decide, describeFinding, PlanFinding } from '../tools/plan-check/findings';
import { PlanResourceChange } from '../tools/plan-check/plan-json';
import { runPlanCheck } from '../tools/plan-check/plan-check-command';
import { aliasValues, change, keyValues, planJson, realPlan, registryPolicy, replicationValues, repositoryValues } from '../test-support/plan-json';

const STACK = 'ecr-destination-build-us-west-2';
const findingsOf = (changes: readonly PlanResourceChange[], retired: readonly string[] = []) =>
  checkStackPlan({ stack: STACK, plan: planJson(changes) }, { retiredRepositories: new Set(retired) }).map(({ kind, subject, what, refused }) => ({
    kind,
    subject,
    what,
    refused,
  }));

const repository = 'aws_ecr_repository.repositories["web"]';
const policy = (before: string, after: string) =>
  change({
    type: 'aws_ecr_registry_policy',
    address: 'aws_ecr_registry_policy.registry_policy',
    actions: ['update'],
    before: { policy: before },
    after: { policy: after },
  });
const replication = (
  before: Parameters<typeof replicationValues>[0],
  after: Parameters<typeof replicationValues>[0],
  actions: PlanResourceChange['change']['actions'] = ['update'],
) =>
  change({
    type: 'aws_ecr_replication_configuration',
    address: 'aws_ecr_replication_configuration.replication',
    actions,
    before: replicationValues(before),
    after: replicationValues(after),
  });
const PROD = '222222222222/eu-west-1';
const WEST = '111111111111/us-west-2';

describe('GIVEN a plan that loses something', () => {
  test.each<[string, PlanResourceChange, { kind: string; subject: string; what: string }]>([
    [
      'a repository leaves the for_each',
      change({ type: 'aws_ecr_repository', address: repository, actions: ['delete'], before: repositoryValues('web'), reason: 'delete_because_each_key' }),
      { kind: 'repository-deleted', subject: 'repository web', what: 'deleted' },
    ],
    [
      'a repository is replaced',
      change({
        type: 'aws_ecr_repository',
        address: repository,
        actions: ['delete', 'create'],
        before: repositoryValues('web'),
        replacePaths: [['encryption_configuration']],
      }),
      { kind: 'repository-replaced', subject: 'repository web', what: 'replaced (encryption_configuration changed)' },
    ],
    [
      'the key is deleted',
      change({ type: 'aws_kms_key', address: 'aws_kms_key.kms_key', actions: ['delete'], before: keyValues() }),
      { kind: 'key-deleted', subject: 'key arn:aws:kms:us-west-2:111111111111:key/k1', what: 'scheduled for deletion' },
    ],
    [
      'the key is replaced',
      change({ type: 'aws_kms_key', address: 'aws_kms_key.kms_key', actions: ['create', 'delete'], before: keyValues(), replacePaths: [['multi_region']] }),
      { kind: 'key-replaced', subject: 'key arn:aws:kms:us-west-2:111111111111:key/k1', what: 'replaced (multi_region changed)' },
    ],
    [
      'the alias is deleted',
      change({ type: 'aws_kms_alias', address: 'aws_kms_alias.kms_key_alias', actions: ['delete'], before: aliasValues() }),
      { kind: 'alias-deleted', subject: 'alias alias/ecr-kms-replication', what: 'deleted' },
    ],
    [
      'the alias is replaced',
      change({ type: 'aws_kms_alias', address: 'aws_kms_alias.kms_key_alias', actions: ['delete', 'create'], before: aliasValues(), replacePaths: [['name']] }),
      { kind: 'alias-replaced', subject: 'alias alias/ecr-kms-replication', what: 'replaced (name changed)' },
    ],
    [
      'the registry policy is deleted',
      change({
        type: 'aws_ecr_registry_policy',
        address: 'aws_ecr_registry_policy.registry_policy',
        actions: ['delete'],
        before: { registry_id: '111111111111', policy: registryPolicy(['333333333333'], ['web']) },
      }),
      { kind: 'registry-policy-deleted', subject: 'registry policy', what: 'deleted' },
    ],
    [
      'a statement of the registry policy is removed',
      policy(registryPolicy(['333333333333', '444444444444'], ['web']), registryPolicy(['333333333333'], ['web'])),
      {
        kind: 'registry-policy-narrowed',
        subject: 'registry policy',
        what: 'stops granting: statement ReplicateFrom444444444444: AWS:arn:aws:iam::444444444444:root loses ecr:CreateRepository, ecr:ReplicateImage on arn:aws:ecr:us-west-2:111111111111:repository/web*',
      },
    ],
    [
      'a resource of a registry-policy statement is removed',
      policy(registryPolicy(['333333333333'], ['api', 'web']), registryPolicy(['333333333333'], ['api'])),
      {
        kind: 'registry-policy-narrowed',
        subject: 'registry policy',
        what: 'stops granting: statement ReplicateFrom333333333333: AWS:arn:aws:iam::333333333333:root loses ecr:CreateRepository, ecr:ReplicateImage on arn:aws:ecr:us-west-2:111111111111:repository/web*',
      },
    ],
    [
      'an action of a registry-policy statement is removed',
      policy(registryPolicy(['333333333333'], ['web']), registryPolicy(['333333333333'], ['web']).replace('"ecr:CreateRepository",', '')),
      {
        kind: 'registry-policy-narrowed',
        subject: 'registry policy',
        what: 'stops granting: statement ReplicateFrom333333333333: AWS:arn:aws:iam::333333333333:root loses ecr:CreateRepository on arn:aws:ecr:us-west-2:111111111111:repository/web*',
      },
    ],
    [
      'the replication configuration is deleted',
      replication([{ destinations: [PROD], filters: ['web'] }], [], ['delete']),
      { kind: 'replication-deleted', subject: 'replication configuration', what: `stops replicating web to ${PROD}` },
    ],
    [
      'a destination is dropped',
      replication([{ destinations: [PROD, WEST], filters: ['api', 'web'] }], [{ destinations: [WEST], filters: ['api', 'web'] }]),
      { kind: 'replication-narrowed', subject: 'replication configuration', what: `stops replicating api, web to ${PROD}` },
    ],
    [
      'a filter is dropped',
      replication([{ destinations: [PROD], filters: ['api', 'web'] }], [{ destinations: [PROD], filters: ['api'] }]),
      { kind: 'replication-narrowed', subject: 'replication configuration', what: `stops replicating web to ${PROD}` },
    ],
    [
      'a rule is dropped',
      replication(
        [
          { destinations: [PROD], filters: ['api'] },
          { destinations: [WEST], filters: ['web'] },
        ],
        [{ destinations: [PROD], filters: ['api'] }],
      ),
      { kind: 'replication-narrowed', subject: 'replication configuration', what: `stops replicating web to ${WEST}` },
    ],
    [
      'the scanning configuration is replaced',
      change({
        type: 'aws_ecr_registry_scanning_configuration',
        address: 'aws_ecr_registry_scanning_configuration.registry_scanning',
        actions: ['delete', 'create'],
        before: { registry_id: '111111111111' },
        replacePaths: [['registry_id']],
      }),
      { kind: 'scanning-replaced', subject: 'registry scanning configuration', what: 'replaced (registry_id changed)' },
    ],
    [
      'the scanning configuration is deleted',
      change({
        type: 'aws_ecr_registry_scanning_configuration',
        address: 'aws_ecr_registry_scanning_configuration.registry_scanning',
        actions: ['delete'],
        before: { registry_id: '111111111111' },
      }),
      { kind: 'scanning-deleted', subject: 'registry scanning configuration', what: 'deleted' },
    ],
  ])('WHEN %s THEN the check refuses it', (_what, planned, expected) => {
    expect(findingsOf([planned])).toEqual([{ ...expected, refused: true }]);
  });
});

describe('GIVEN a plan that loses nothing unasked', () => {
  test.each<[string, PlanResourceChange, readonly string[], { kind: string; subject: string; what: string }[]]>([
    [
      'a repository retired with removal: destroy (moved out of the for_each, then deleted)',
      change({
        type: 'aws_ecr_repository',
        address: 'aws_ecr_repository.retired_web',
        previous: repository,
        actions: ['delete'],
        before: repositoryValues('web'),
        reason: 'delete_because_no_move_target',
      }),
      [],
      [{ kind: 'repository-destroyed', subject: 'repository web', what: 'destroyed' }],
    ],
    [
      'a retired repository whose move an earlier run applied',
      change({
        type: 'aws_ecr_repository',
        address: 'aws_ecr_repository.retired_web',
        actions: ['delete'],
        before: repositoryValues('web'),
        reason: 'delete_because_no_resource_config',
      }),
      ['111111111111/us-west-2\tweb'],
      [{ kind: 'repository-destroyed', subject: 'repository web', what: 'destroyed' }],
    ],
    [
      'a repository retired with removal: retain (forgotten)',
      change({
        type: 'aws_ecr_repository',
        address: 'aws_ecr_repository.retired_web',
        previous: repository,
        actions: ['forget'],
        before: repositoryValues('web'),
      }),
      [],
      [{ kind: 'repository-retained', subject: 'repository web', what: 'kept in AWS, forgotten by Terraform' }],
    ],
    [
      'a key forgotten',
      change({ type: 'aws_kms_key', address: 'aws_kms_key.kms_key', actions: ['forget'], before: keyValues() }),
      [],
      [{ kind: 'key-forgotten', subject: 'key arn:aws:kms:us-west-2:111111111111:key/k1', what: 'kept in AWS, forgotten by Terraform' }],
    ],
    [
      'replication stopping for a repository retired in the same registry',
      replication([{ destinations: [PROD], filters: ['api', 'web'] }], [{ destinations: [PROD], filters: ['api'] }]),
      ['111111111111/us-west-2\tweb'],
      [],
    ],
    [
      'the registry policy no longer granting a repository retired in this registry',
      policy(registryPolicy(['333333333333'], ['api', 'web']), registryPolicy(['333333333333'], ['api'])),
      ['111111111111/us-west-2\tweb'],
      [],
    ],
    [
      'replication rules split differently, replicating the same',
      replication(
        [{ destinations: [PROD, WEST], filters: ['api', 'web'] }],
        [
          { destinations: [PROD], filters: ['api', 'web'] },
          { destinations: [WEST], filters: ['api', 'web'] },
        ],
      ),
      [],
      [],
    ],
    [
      'a filter replaced by a prefix that covers it',
      replication([{ destinations: [PROD], filters: ['web-app'] }], [{ destinations: [PROD], filters: ['web'] }]),
      [],
      [],
    ],
    [
      'a registry policy granting one more source',
      policy(registryPolicy(['333333333333'], ['web']), registryPolicy(['333333333333', '444444444444'], ['web'])),
      [],
      [],
    ],
    [
      'a registry policy with the same grants in another order',
      policy(registryPolicy(['333333333333', '444444444444'], ['web']), registryPolicy(['444444444444', '333333333333'], ['web'])),
      [],
      [],
    ],
    ['a repository created', change({ type: 'aws_ecr_repository', address: repository, actions: ['create'], after: { name: 'web' } }), [], []],
    [
      'the scanning configuration updated in place',
      change({
        type: 'aws_ecr_registry_scanning_configuration',
        address: 'aws_ecr_registry_scanning_configuration.registry_scanning',
        actions: ['update'],
        before: { registry_id: '111111111111' },
      }),
      [],
      [],
    ],
  ])('WHEN %s THEN nothing is refused', (_what, planned, retired, expected) => {
    expect(findingsOf([planned], retired)).toEqual(expected.map((finding) => ({ ...finding, refused: false })));
  });

  test('WHEN the stack was never applied THEN its plan gives no finding, whatever it says', () => {
    const plan = planJson([change({ type: 'aws_ecr_repository', address: repository, actions: ['delete'], before: repositoryValues('web') })], {
      applied: false,
    });
    expect(checkStackPlan({ stack: STACK, plan })).toEqual([]);
  });
});

describe('GIVEN findings and the registry they are in', () => {
  test('WHEN a finding is described THEN it names the repository, the registry, the stack, the address and why', () => {
    const [finding] = checkStackPlan({
      stack: STACK,
      plan: planJson([change({ type: 'aws_ecr_repository', address: repository, actions: ['delete'], before: repositoryValues('web') })]),
    });
    expect(describeFinding(finding)).toBe(
      'repository web deleted in registry 111111111111/us-west-2 (stack ecr-destination-build-us-west-2, aws_ecr_repository.repositories["web"]): its images are deleted with it; to keep it and its images but stop managing it, put it back in the config with removal: retain; to delete it, with removal: destroy',
    );
  });

  test('WHEN a resource has no ARN THEN its registry comes from its registry id and the provider block', () => {
    const [finding] = checkStackPlan({
      stack: STACK,
      plan: planJson([replication([{ destinations: [PROD], filters: ['web'] }], [], ['delete'])], { account: '555555555555', region: 'eu-central-1' }),
    });
    expect(finding.registry).toBe('111111111111/eu-central-1');
  });

  test('WHEN plans are checked together THEN a repository retired in one stack explains the replication another stack drops', () => {
    const retiring = planJson(
      [
        change({
          type: 'aws_ecr_repository',
          address: 'aws_ecr_repository.retired_web',
          previous: repository,
          actions: ['forget'],
          before: repositoryValues('web', '111111111111', 'us-east-1'),
        }),
      ],
      { region: 'us-east-1' },
    );
    const dropping = planJson([replication([{ destinations: [PROD], filters: ['api', 'web'] }], [{ destinations: [PROD], filters: ['api'] }])], {
      region: 'us-east-1',
    });
    const findings = checkPlans([
      { stack: 'ecr-destination-build-us-east-1', plan: retiring },
      { stack: 'ecr-source-build-us-east-1', plan: dropping },
    ]);
    expect(findings.map((finding) => [finding.kind, finding.refused])).toEqual([['repository-retained', false]]);
  });
});

describe('GIVEN the plan terraform made for a destination that retires one repository, destroys another and adds a third', () => {
  test('WHEN it is checked THEN the destroy and the retain are reported, naming the registry, and nothing is refused', () => {
    const findings = checkStackPlan({ stack: 'ecr-destination-a-us-west-2', plan: realPlan('destination-retirements') });
    expect(findings).toEqual([
      {
        kind: 'repository-retained',
        stack: 'ecr-destination-a-us-west-2',
        registry: '300000000001/us-west-2',
        address: 'aws_ecr_repository.retired_team-a_api',
        subject: 'repository team-a/api',
        what: 'kept in AWS, forgotten by Terraform',
        refused: false,
      },
      {
        kind: 'repository-destroyed',
        stack: 'ecr-destination-a-us-west-2',
        registry: '300000000001/us-west-2',
        address: 'aws_ecr_repository.retired_web',
        subject: 'repository web',
        what: 'destroyed',
        refused: false,
      },
    ]);
  });
});

describe('GIVEN the acceptance token', () => {
  const deleted = (stack: string, name: string): PlanFinding => ({
    kind: 'repository-deleted',
    stack,
    registry: '111111111111/us-west-2',
    address: `aws_ecr_repository.repositories["${name}"]`,
    subject: `repository ${name}`,
    what: 'deleted',
    refused: true,
  });

  test('WHEN the same set of findings comes in another order THEN the token is the same', () => {
    expect(acceptToken([deleted('a', 'web'), deleted('b', 'web')])).toBe(acceptToken([deleted('b', 'web'), deleted('a', 'web')]));
  });

  test.each([
    ['another repository', [deleted('a', 'api')]],
    ['the same repository in another stack', [deleted('b', 'web')]],
    ['one more finding', [deleted('a', 'web'), deleted('a', 'api')]],
  ])('WHEN the set differs by %s THEN the token differs', (_what, other) => {
    expect(acceptToken(other)).not.toBe(acceptToken([deleted('a', 'web')]));
  });

  test('WHEN the token of the set is given THEN it is accepted, and refused with any other', () => {
    const findings = [deleted('a', 'web')];
    const token = acceptToken(findings)!;
    expect([decide(findings, [token]).refused, decide(findings, ['0123456789ab']).refused, decide(findings, []).refused]).toEqual([false, true, true]);
  });

  test('WHEN only reported findings are there THEN there is no token and nothing is refused', () => {
    expect(decide([{ ...deleted('a', 'web'), kind: 'repository-destroyed', refused: false }], [])).toEqual({ refusing: [], token: undefined, refused: false });
  });
});

describe('GIVEN `npm run plan-check` on plan files', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'plan-check-'));
    writeFileSync(
      path.join(folder, `${STACK}.json`),
      JSON.stringify(planJson([change({ type: 'aws_ecr_repository', address: repository, actions: ['delete'], before: repositoryValues('web') })])),
    );
    writeFileSync(path.join(folder, 'clean.json'), JSON.stringify(planJson([])));
    writeFileSync(path.join(folder, 'not-a-plan.json'), '{"hello": 1}');
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const check = (args: readonly string[], environment: NodeJS.ProcessEnv = {}) => {
    let stdout = '';
    let stderr = '';
    const status = runPlanCheck(args, environment, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) }, folder);
    return { status, stdout, stderr };
  };

  test('WHEN nothing is lost THEN it says so and exits 0', () => {
    expect(check(['clean.json'])).toEqual({ status: 0, stdout: 'plan-check: 1 plan: nothing lost\n', stderr: '' });
  });

  test('fails WHEN a repository is deleted: exit 1, the finding named after its file, and the token', () => {
    const token = acceptToken(
      checkStackPlan({
        stack: STACK,
        plan: planJson([change({ type: 'aws_ecr_repository', address: repository, actions: ['delete'], before: repositoryValues('web') })]),
      }),
    );
    const run = check([`${STACK}.json`, 'clean.json']);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      expect.stringMatching(/^REFUSED: repository web deleted in registry 111111111111\/us-west-2 \(stack ecr-destination-build-us-west-2, /),
      `refused: accept exactly these changes with --accept ${token} (or ECR_REPLICATION_ACCEPT=${token})`,
      '',
    ]);
  });

  test('WHEN the token is given (option or environment) THEN it exits 0 and marks the finding accepted', () => {
    const token = check([`${STACK}.json`, '--json']).stdout.match(/"token": "([0-9a-f]+)"/)![1];
    const byOption = check([`${STACK}.json`, '--accept', token]);
    const byEnvironment = check([`${STACK}.json`], { ECR_REPLICATION_ACCEPT: token });
    expect([byOption.status, byEnvironment.status]).toEqual([0, 0]);
    expect(byOption.stdout).toMatch(/^accepted: repository web deleted/);
  });

  test('WHEN --json is given THEN it prints the verdict, the token and each finding with its message', () => {
    const parsed = JSON.parse(check([`${STACK}.json`, '--json']).stdout) as {
      refused: boolean;
      token: string;
      findings: { kind: string; stack: string; message: string }[];
    };
    expect({ refused: parsed.refused, token: parsed.token.length, findings: parsed.findings.map((finding) => [finding.kind, finding.stack]) }).toEqual({
      refused: true,
      token: 12,
      findings: [['repository-deleted', STACK]],
    });
  });

  test.each([
    [['missing.json'], /^plan-check: missing\.json \(received a file that cannot be read as a plan\): ENOENT/],
    [['not-a-plan.json'], /^plan-check: not-a-plan\.json \(received a file that cannot be read as a plan\): not the JSON of terraform show -json <planfile>/],
    [[], /error: missing required argument 'plan\.json'/],
  ])('fails WHEN the input is %j: exit 2 with why', (args, message) => {
    const run = check(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
