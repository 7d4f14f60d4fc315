/**
 * `npm run recover -- <stack>`, the read-only report, against a mocked AWS SDK
 * (aws-sdk-client-mock): on the cross-account destination of the bundled
 * example, after an apply killed before anything was recorded, it says what
 * deploy will adopt, refuse and delete, and changes nothing.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { registryClients } from '../tools/recovery/aws-session';
import { RecoverDependencies, runRecover } from '../cli/commands/recover';
import { exampleConfigWith } from '../test-support/example-config';
import { mockWorld, World } from '../test-support/fake-registry-world';
import { cleanupSynth, SynthesizedApp, synthesizeConfig } from '../test-support/synth';

const STACK = 'ecr-destination-prod-eu-west-1';
const ACCOUNT = '222222222222';
const REGION = 'eu-west-1';
const ENDPOINT = 'http://localhost:4566';
const KEPT = '1111aaaa-0000-4000-8000-000000000001';
const ORPHAN = '2222bbbb-0000-4000-8000-000000000002';
const keyArn = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
const DESCRIPTION = `ECR repositories of account ${ACCOUNT} in ${REGION} (ecr-kms-replication)`;

let app: SynthesizedApp;
let work: string;
beforeAll(() => {
  app = synthesizeConfig(exampleConfigWith({ endpoint: { url: ENDPOINT } }));
  work = mkdtempSync(path.join(tmpdir(), 'ecr-recover-'));
});
afterAll(() => {
  cleanupSynth(app);
  rmSync(work, { recursive: true, force: true });
});

/** Two keys of this stack (the alias on neither: killed before the alias), team-a/api created with the first, the role and one template. */
const KILLED_BEFORE_RECORDING: World = {
  accountId: ACCOUNT,
  region: REGION,
  keys: [
    { id: KEPT, description: DESCRIPTION, stack: STACK, created: 1000 },
    { id: ORPHAN, description: DESCRIPTION, stack: STACK, created: 2000 },
    { id: 'other', description: 'someone else' },
  ],
  aliases: { 'alias/aws/ecr': 'aws' },
  repositories: [
    { name: 'team-a/api', key: KEPT, stack: STACK },
    { name: 'unrelated', stack: 'another-tool' },
  ],
  roles: { 'ecr-replication-templates-eu-west-1': STACK },
  templates: { 'team-a': KEPT },
};

async function recover(args: readonly string[], state: unknown = { format_version: '1.0' }): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const dependencies: RecoverDependencies = {
    clients: (target) => registryClients(target, {}),
    showState: () => state,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  };
  const code = await runRecover([STACK, '--outdir', app.outdir, ...args], dependencies);
  return { code, stdout, stderr };
}

describe('GIVEN an apply killed before the state recorded anything', () => {
  test('WHEN recover runs THEN it reports what deploy adopts and the duplicate key deploy deletes, and changes nothing', async () => {
    const mocked = mockWorld(KILLED_BEFORE_RECORDING);
    const before = readdirSync(app.stack(STACK).directory);
    const { code, stdout } = await recover([]);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      `${STACK}: what account ${ACCOUNT}, ${REGION} holds that the state does not record (read-only: nothing was changed)`,
      '  npm run deploy adopts (import blocks it writes and applies itself):',
      '    aws_ecr_repository.repositories["team-a/api"] = "team-a/api"',
      '    aws_ecr_repository_creation_template.creation_templates["team-a"] = "team-a"',
      '    aws_iam_role.creation_template_role = "ecr-replication-templates-eu-west-1"',
      `    aws_kms_key.kms_key = "${KEPT}"`,
      '  duplicate keys created for this stack, recorded in no state and used by nothing: npm run deploy schedules their deletion:',
      `    ${keyArn(ORPHAN)} (aws_kms_key.kms_key, pending window 30 days)`,
      '',
    ]);
    expect(mocked.scheduled()).toEqual([]);
    expect(readdirSync(app.stack(STACK).directory)).toEqual(before);
  });

  test("WHEN recover runs THEN it acts through the account's deployment role at the config's endpoint", async () => {
    const mocked = mockWorld(KILLED_BEFORE_RECORDING);
    await recover([]);
    const [call] = mocked.sts.commandCalls(AssumeRoleCommand);
    const endpoint = await (call.thisValue as STSClient).config.endpoint?.();
    expect({ role: call.args[0].input.RoleArn, endpoint: `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}` }).toEqual({
      role: 'arn:aws:iam::222222222222:role/ecr-replication-deployer',
      endpoint: 'http://localhost:4566',
    });
  });
});

test('GIVEN a state that records everything WHEN recover runs THEN there is nothing to recover', async () => {
  mockWorld({ ...KILLED_BEFORE_RECORDING, keys: KILLED_BEFORE_RECORDING.keys?.filter((key) => key.id !== ORPHAN) });
  const recorded = [
    { type: 'aws_kms_key', address: 'aws_kms_key.kms_key', values: { key_id: KEPT } },
    { type: 'aws_kms_alias', address: 'aws_kms_alias.kms_key_alias', values: {} },
    { type: 'aws_ecr_repository', address: 'aws_ecr_repository.repositories["team-a/api"]', values: {} },
    { type: 'aws_ecr_repository', address: 'aws_ecr_repository.repositories["web"]', values: {} },
    { type: 'aws_iam_role', address: 'aws_iam_role.creation_template_role', values: {} },
    { type: 'aws_ecr_repository_creation_template', address: 'aws_ecr_repository_creation_template.creation_templates["ROOT"]', values: {} },
    { type: 'aws_ecr_repository_creation_template', address: 'aws_ecr_repository_creation_template.creation_templates["team-a"]', values: {} },
  ].map((resource) => ({ ...resource, mode: 'managed' }));
  const { code, stdout } = await recover([], { values: { root_module: { resources: recorded } } });
  expect({ code, stdout }).toEqual({ code: 0, stdout: `${STACK}: nothing in account ${ACCOUNT}, ${REGION} is missing from the state; nothing to recover\n` });
});

test('GIVEN a state that records one key and a duplicate of this stack that nothing uses WHEN recover runs THEN it prints the command that deletes the duplicate', async () => {
  mockWorld(KILLED_BEFORE_RECORDING);
  const state = path.join(work, 'state.json');
  writeFileSync(
    state,
    JSON.stringify({
      values: { root_module: { resources: [{ mode: 'managed', type: 'aws_kms_key', address: 'aws_kms_key.kms_key', values: { key_id: KEPT } }] } },
    }),
  );
  const { stdout } = await recover(['--state', state]);
  expect(stdout).toContain(
    '  duplicate keys created for this stack, recorded in no state and used by nothing (the state records another): schedule their deletion:\n' +
      `    aws kms schedule-key-deletion --key-id ${keyArn(ORPHAN)} --pending-window-in-days 30 --region ${REGION} --endpoint-url ${ENDPOINT}\n`,
  );
});

test('GIVEN a repository another stack created WHEN recover runs THEN it says deploy refuses, with the state move', async () => {
  mockWorld({ accountId: ACCOUNT, region: REGION, repositories: [{ name: 'web', stack: 'ecr-destination-production-eu-west-1' }] });
  const { code, stdout } = await recover([]);
  expect(code).toBe(0);
  expect(stdout).toContain(
    `  npm run deploy refuses the stack: repository web already exists in account ${ACCOUNT}, ${REGION} with ecr-kms-replication:stack = ecr-destination-production-eu-west-1`,
  );
  expect(stdout).toContain(
    'repositories that already exist: mv terraform-state/ecr-destination-production-eu-west-1.tfstate terraform-state/ecr-destination-prod-eu-west-1.tfstate; then deploy again',
  );
});

test('fails WHEN the stack was never synthesized, naming it', async () => {
  let stderr = '';
  const code = await runRecover(['ecr-destination-nowhere-eu-west-1', '--outdir', app.outdir], {
    clients: (target) => registryClients(target, {}),
    showState: () => ({}),
    stdout: () => undefined,
    stderr: (text) => (stderr += text),
  });
  expect({ code, stderr }).toEqual({
    code: 1,
    stderr: `ecr-destination-nowhere-eu-west-1: no synthesized folder in ${app.outdir}/stacks or ${app.outdir}/retired: name a stack of the config (npm run list)\n`,
  });
});
