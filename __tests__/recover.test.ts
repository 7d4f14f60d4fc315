/**
 * The recovery command against a mocked AWS SDK (aws-sdk-client-mock): on the
 * cross-account destination of the bundled example, after an apply killed
 * before anything was recorded.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeRepositoriesCommand, DescribeRepositoryCreationTemplatesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KMSClient, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { registryClients } from '../tools/recovery/aws-session';
import { RecoverDependencies, runRecover } from '../cli/commands/recover';
import { exampleConfigWith } from '../test-support/example-config';
import { cleanupSynth, SynthesizedApp, synthesizeConfig } from '../test-support/synth';
import { prepareStack, terraformAsync } from '../test-support/terraform';

const STACK = 'ecr-destination-prod-eu-west-1';
const KEPT = '1111aaaa-0000-4000-8000-000000000001';
const ORPHAN = '2222bbbb-0000-4000-8000-000000000002';
const keyArn = (id: string) => `arn:aws:kms:eu-west-1:222222222222:key/${id}`;
const DESCRIPTION = 'ECR repositories of account 222222222222 in eu-west-1 (ecr-kms-replication)';

const sts = mockClient(STSClient);
const kms = mockClient(KMSClient);
const ecr = mockClient(ECRClient);
const iam = mockClient(IAMClient);

let app: SynthesizedApp;
let work: string;
beforeAll(() => {
  app = synthesizeConfig(exampleConfigWith({ endpoint: { url: 'http://localhost:4566' } }));
  work = mkdtempSync(path.join(tmpdir(), 'ecr-recover-'));
});
afterAll(() => {
  cleanupSynth(app);
  rmSync(work, { recursive: true, force: true });
});

/** Both keys, the alias on neither (killed before the alias), team-a/api created with the first key, the role and one template. */
function killedBeforeRecording(): void {
  for (const mock of [sts, kms, ecr, iam]) mock.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AK', SecretAccessKey: 'SK', SessionToken: 'T', Expiration: new Date(0) } });
  kms.on(ListKeysCommand).resolves({ Keys: [{ KeyId: KEPT }, { KeyId: ORPHAN }, { KeyId: 'other' }], Truncated: false });
  kms.on(DescribeKeyCommand, { KeyId: KEPT }).resolves({
    KeyMetadata: { KeyId: KEPT, Arn: keyArn(KEPT), Description: DESCRIPTION, KeyManager: 'CUSTOMER', KeyState: 'Enabled', CreationDate: new Date(1000) },
  });
  kms.on(DescribeKeyCommand, { KeyId: ORPHAN }).resolves({
    KeyMetadata: { KeyId: ORPHAN, Arn: keyArn(ORPHAN), Description: DESCRIPTION, KeyManager: 'CUSTOMER', KeyState: 'Enabled', CreationDate: new Date(2000) },
  });
  kms.on(DescribeKeyCommand, { KeyId: 'other' }).resolves({
    KeyMetadata: { KeyId: 'other', Arn: keyArn('other'), Description: 'someone else', KeyManager: 'CUSTOMER', KeyState: 'Enabled' },
  });
  kms.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/aws/ecr', TargetKeyId: 'aws' }], Truncated: false });
  ecr.on(DescribeRepositoriesCommand).resolves({
    repositories: [
      { repositoryName: 'team-a/api', encryptionConfiguration: { encryptionType: 'KMS', kmsKey: keyArn(KEPT) } },
      { repositoryName: 'unrelated', encryptionConfiguration: { encryptionType: 'AES256' } },
    ],
  });
  iam.on(GetRoleCommand).resolves({ Role: { RoleName: 'ecr-replication-templates-eu-west-1', Arn: 'x', Path: '/', RoleId: 'r', CreateDate: new Date(0) } });
  ecr.on(DescribeRepositoryCreationTemplatesCommand).resolves({ repositoryCreationTemplates: [{ prefix: 'team-a' }] });
}

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
  beforeEach(killedBeforeRecording);

  test('WHEN recover runs THEN it prints import blocks for the key the repositories use, the repository (for_each address), the role and the template', async () => {
    const { code, stdout } = await recover([]);
    expect(code).toBe(0);
    const blocks = stdout.split('\n').filter((line) => line.startsWith('  to = ') || line.startsWith('  id = '));
    expect(blocks).toEqual([
      '  to = aws_ecr_repository.repositories["team-a/api"]',
      '  id = "team-a/api"',
      '  to = aws_ecr_repository_creation_template.creation_templates["team-a"]',
      '  id = "team-a"',
      '  to = aws_iam_role.creation_template_role',
      '  id = "ecr-replication-templates-eu-west-1"',
      '  to = aws_kms_key.kms_key',
      `  id = "${KEPT}"`,
    ]);
  });

  test('WHEN recover runs THEN the unaliased orphaned key gets the schedule-key-deletion command with region and endpoint', async () => {
    const { stdout } = await recover([]);
    expect(stdout.split('\n').filter((line) => line.startsWith('aws kms'))).toEqual([
      `aws kms schedule-key-deletion --key-id ${keyArn(ORPHAN)} --pending-window-in-days 30 --region eu-west-1 --endpoint-url http://localhost:4566`,
    ]);
  });

  test("WHEN recover runs THEN it acts through the account's deployment role at the config's endpoint", async () => {
    await recover([]);
    const [call] = sts.commandCalls(AssumeRoleCommand);
    const endpoint = await (call.thisValue as STSClient).config.endpoint?.();
    expect({ role: call.args[0].input.RoleArn, endpoint: `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}` }).toEqual({
      role: 'arn:aws:iam::222222222222:role/ecr-replication-deployer',
      endpoint: 'http://localhost:4566',
    });
  });

  test('WHEN the state already records everything THEN there is nothing to recover', async () => {
    const resources = [
      { mode: 'managed', type: 'aws_kms_key', address: 'aws_kms_key.kms_key', values: { key_id: KEPT } },
      { mode: 'managed', type: 'aws_ecr_repository', address: 'aws_ecr_repository.repositories["team-a/api"]', values: {} },
      { mode: 'managed', type: 'aws_iam_role', address: 'aws_iam_role.creation_template_role', values: {} },
      {
        mode: 'managed',
        type: 'aws_ecr_repository_creation_template',
        address: 'aws_ecr_repository_creation_template.creation_templates["team-a"]',
        values: {},
      },
    ];
    kms.on(ListKeysCommand).resolves({ Keys: [{ KeyId: KEPT }], Truncated: false });
    const { code, stdout } = await recover([], { values: { root_module: { resources } } });
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: `${STACK}: nothing in account 222222222222, eu-west-1 is missing from the state; nothing to recover\n`,
    });
  });

  test('WHEN the blocks are written into the stack folder THEN terraform validate accepts them', async () => {
    const { code } = await recover(['--write']);
    expect(code).toBe(0);
    const directory = app.stack(STACK).directory;
    expect(readFileSync(path.join(directory, 'recovered-imports.tf'), 'utf8')).toContain('provider = aws.prod_eu_west_1');
    prepareStack(directory);
    const result = await terraformAsync(['validate', '-no-color'], directory);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  }, 120_000);

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
      stderr: `ecr-destination-nowhere-eu-west-1: no synthesized folder in ${app.outdir}/stacks or ${app.outdir}/retired: run npm run synth first, or name an existing stack\n`,
    });
  });
});

test('fails WHEN the deletion window is out of range', async () => {
  const state = path.join(work, 'state.json');
  writeFileSync(state, '{}');
  let stderr = '';
  const code = await runRecover([STACK, '--state', state, '--deletion-window', '3'], {
    clients: (target) => registryClients(target, {}),
    showState: () => ({}),
    stdout: () => undefined,
    stderr: (text) => (stderr += text),
  });
  expect({ code, stderr }).toEqual({ code: 2, stderr: '--deletion-window (received 3): must be a whole number of days from 7 to 30\n' });
});
