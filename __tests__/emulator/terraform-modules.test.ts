/**
 * The Terraform modules applied against the emulator, as a Terraform team
 * would run them (no Node.js in the loop, only `terraform` and a variable
 * file), in accounts of this file's own:
 *
 * - each module's `tests/emulator/*.tftest.hcl` (one apply per module, real
 *   attributes asserted from what the provider reads back, destroyed after;
 *   repository-creation-templates plans only: moto has no templates);
 * - `examples/complete` across two accounts and two regions from variables
 *   alone: applied and asserted, planned again (no change), destroyed, and the
 *   accounts then read through the AWS SDK: no repository left, every key
 *   pending deletion;
 * - the kms-key module's protection from destroy with the Terraform CLI: the
 *   switch flipped on an applied key adds the marker and keeps the key,
 *   `terraform destroy` fails with Terraform's prevent_destroy error and the
 *   key stays, the flip off is refused too until the marker is forgotten, and
 *   the teardown then schedules the key's deletion.
 *
 * Independent runs go in parallel (terraform mostly waits on the emulator and
 * on starting the provider).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeKeyCommand, KMSClient, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { accountClientOptions, emulatorEndpoint, emulatorEnvironment, scenarioAccounts } from '../../test-support/emulator';
import { mapLimit } from '../../tools/map-limit';
import { parseTestReport, prepareDirectory, terraformAsync, TerraformResult, TerraformTestReport, testFileReport } from '../../test-support/terraform';

const EXPORT_DIRECTORY = path.resolve(__dirname, '..', '..', 'terraform');
/** The provider the modules are tested with (the offline mirror's hashicorp/aws). */
const PROVIDERS = { aws: { source: 'hashicorp/aws', version: '5.100.0' } };
const MODULES = [
  'kms-key',
  'encrypted-repositories',
  'replication-registry-policy',
  'replication-configuration',
  'repository-creation-templates',
  'registry-scanning',
];
const MARKER = 'module.key.terraform_data.key_protection[0]';

interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly change: { readonly actions: readonly string[]; readonly before?: Record<string, unknown>; readonly after?: Record<string, unknown> };
  }[];
}

let temporary: string;
let endpoint: string;
let env: Record<string, string>;
const moduleReports = new Map<string, TerraformTestReport>();
let completeRun: TerraformResult;
let complete: TerraformTestReport;
let replan: PlanJson | undefined;
const [completeBuild, completeProd] = scenarioAccounts('terraform-complete-example', 2);
const [protectionAccount] = scenarioAccounts('terraform-key-protection', 1);

function varFile(name: string, text: string): string {
  const file = path.join(temporary, `${name}.tfvars`);
  writeFileSync(file, text);
  return file;
}

/** The plan a `command = plan` run printed (`terraform test -json -verbose`). */
function runPlan(stdout: string, run: string): PlanJson | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{') || !line.includes('"test_plan"')) continue;
    const message = JSON.parse(line) as { '@testrun'?: string; test_plan?: PlanJson };
    if (message['@testrun'] === run) return message.test_plan;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// The protection flow, step by step.

interface ProtectionStep {
  readonly step: string;
  readonly code: number;
  readonly output: string;
  /** The key's state in KMS after the step (Enabled, PendingDeletion). */
  readonly keyState?: string;
  readonly keyId?: string;
}

const protection: ProtectionStep[] = [];

async function protectionKey(): Promise<{ keyId?: string; state?: string }> {
  const kms = new KMSClient(await accountClientOptions(protectionAccount, 'eu-west-1', endpoint));
  const aliases = await kms.send(new ListAliasesCommand({}));
  const keyId = aliases.Aliases?.find((alias) => alias.AliasName === 'alias/protection-test')?.TargetKeyId ?? protection.find((step) => step.keyId)?.keyId;
  if (!keyId) return {};
  const described = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  return { keyId, state: described.KeyMetadata?.KeyState };
}

async function protectionFlow(root: string): Promise<void> {
  const vars = (preventDestroy: boolean): string[] => ['-no-color', '-input=false', `-var=prevent_destroy=${preventDestroy}`];
  const step = async (name: string, args: string[]): Promise<void> => {
    const result = await terraformAsync(args, root, { env });
    const key = await protectionKey();
    // Terraform wraps its diagnostics at 78 columns: one space for any run of white space.
    const output = `${result.stdout}${result.stderr}`.replace(/\s+/g, ' ');
    protection.push({ step: name, code: result.code, output, keyState: key.state, keyId: key.keyId });
  };
  await step('apply without protection', ['apply', '-auto-approve', ...vars(false)]);
  await step('switch on', ['apply', '-auto-approve', ...vars(true)]);
  await step('replace while protected', ['plan', ...vars(true), '-var=multi_region=true']);
  await step('destroy while protected', ['destroy', '-auto-approve', ...vars(true)]);
  await step('switch off', ['plan', ...vars(false)]);
  await step('forget the marker', ['state', 'rm', '-no-color', MARKER]);
  await step('destroy after the teardown switch', ['destroy', '-auto-approve', ...vars(false)]);
}

const protectionRoot = (): string =>
  [
    'variable "endpoint" {',
    '  type = string',
    '}',
    'variable "account_id" {',
    '  type = string',
    '}',
    'variable "prevent_destroy" {',
    '  type = bool',
    '}',
    'variable "multi_region" {',
    '  type    = bool',
    '  default = false',
    '}',
    '',
    'provider "aws" {',
    '  region                      = "eu-west-1"',
    '  skip_requesting_account_id  = false',
    '  skip_credentials_validation = true',
    '  skip_metadata_api_check     = true',
    '  skip_region_validation      = true',
    '  assume_role {',
    '    role_arn = "arn:aws:iam::${var.account_id}:role/emulator-test"',
    '  }',
    '  endpoints {',
    '    kms = var.endpoint',
    '    sts = var.endpoint',
    '    iam = var.endpoint',
    '  }',
    '}',
    '',
    'module "key" {',
    '  source          = "../modules/kms-key"',
    '  alias           = "alias/protection-test"',
    '  prevent_destroy = var.prevent_destroy',
    '  multi_region    = var.multi_region',
    '}',
    '',
  ].join('\n');

beforeAll(async () => {
  endpoint = emulatorEndpoint();
  env = Object.fromEntries(Object.entries(emulatorEnvironment({})).filter((entry): entry is [string, string] => entry[1] !== undefined));
  temporary = mkdtempSync(path.join(os.tmpdir(), 'ecr-terraform-emulator-'));
  const root = path.join(temporary, 'terraform');
  cpSync(EXPORT_DIRECTORY, root, { recursive: true, filter: (source) => !['.terraform', '.terraform.lock.hcl'].includes(path.basename(source)) });
  const example = path.join(root, 'examples', 'complete');
  const protectionDirectory = path.join(root, 'protection');
  mkdirSync(protectionDirectory);
  writeFileSync(path.join(protectionDirectory, 'main.tf'), protectionRoot());
  writeFileSync(path.join(protectionDirectory, 'terraform.tfvars'), `endpoint = "${endpoint}"\naccount_id = "${protectionAccount}"\n`);
  const folders = [...MODULES.map((name) => path.join(root, 'modules', name)), example, protectionDirectory];
  // The shared provider install and lock file (prepareDirectory): no terraform init. The two roots that call modules
  // record their module folders with terraform get (no download, no provider); the modules themselves call none.
  for (const folder of folders) prepareDirectory(folder, PROVIDERS);
  const gets = await Promise.all([example, protectionDirectory].map((folder) => terraformAsync(['get', '-no-color'], folder, { env })));
  const failed = gets.find((get) => get.code !== 0);
  if (failed) throw new Error(`terraform get failed:\n${failed.stderr}${failed.stdout}`);

  const completeVars = varFile(
    'complete',
    [
      'accounts = {',
      `  build = { id = "${completeBuild}", deploy_role_arn = "arn:aws:iam::${completeBuild}:role/emulator-test" }`,
      `  prod  = { id = "${completeProd}", deploy_role_arn = "arn:aws:iam::${completeProd}:role/emulator-test" }`,
      '}',
      'source_registry = { account = "build", region = "us-east-1" }',
      '# moto has no repository creation templates.',
      'destinations = [',
      '  { account = "build", region = "us-west-2", repository_creation_templates = false },',
      '  { account = "prod", region = "eu-west-1", repository_creation_templates = false },',
      ']',
      'repositories = { "team-a/api" = {}, web = {} }',
      `endpoint = "${endpoint}"`,
      '',
    ].join('\n'),
  );
  // The slowest first: the example (four providers) and the protection flow (seven terraform runs), three at a time.
  const tasks: (() => Promise<void>)[] = [
    async () => {
      completeRun = await terraformAsync(['test', '-json', '-verbose', '-no-color', '-test-directory=tests/emulator', `-var-file=${completeVars}`], example, {
        env,
      });
      complete = parseTestReport(completeRun.stdout);
      replan = runPlan(completeRun.stdout, 'replans_clean');
    },
    () => protectionFlow(protectionDirectory),
    ...MODULES.map((name) => async () => {
      const vars = varFile(name, `endpoint = "${endpoint}"\naccount_id = "${scenarioAccounts(`terraform-module-${name}`, 1)[0]}"\n`);
      const result = await terraformAsync(
        ['test', '-json', '-no-color', '-test-directory=tests/emulator', `-var-file=${vars}`],
        path.join(root, 'modules', name),
        {
          env,
        },
      );
      moduleReports.set(name, parseTestReport(result.stdout));
    }),
  ];
  await mapLimit(tasks, 3, (task) => task());
});

afterAll(() => {
  if (temporary) rmSync(temporary, { recursive: true, force: true });
});

describe('each module applied on the emulator (tests/emulator)', () => {
  test.each(MODULES)('GIVEN module %s WHEN its emulator test runs THEN every run passes and the file tears down cleanly', (name) => {
    const report = moduleReports.get(name)!;
    const file = readdirSync(path.join(EXPORT_DIRECTORY, 'modules', name, 'tests', 'emulator'))[0];
    const result = testFileReport(report, `tests/emulator/${file}`);
    expect({
      status: result.status,
      runs: result.runs.map((run) => run.status),
      errors: result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'),
    }).toEqual({
      status: 'pass',
      runs: ['pass'],
      errors: [],
    });
  });
});

describe('examples/complete across two accounts and two regions, from variables alone', () => {
  test('GIVEN the variables WHEN the example is applied THEN every assertion on the applied registries passes', () => {
    expect(complete.runs.map((run) => [run.run, run.status])).toEqual([
      ['applies', 'pass'],
      ['replans_clean', 'pass'],
    ]);
    expect(complete.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  });

  // (The refresh reports drift, tags read back as {} where the apply recorded null: the state catches up, the plan has no change.)
  test('GIVEN the applied example WHEN it is planned again THEN nothing changes', () => {
    const changes = replan?.resource_changes ?? [];
    expect(changes.length).toBeGreaterThan(20);
    // Each change with the attributes it would change, before and after.
    const changed = changes
      .filter((change) => change.change.actions.join() !== 'no-op')
      .map((change) => ({
        address: change.address,
        attributes: Object.keys({ ...change.change.before, ...change.change.after })
          .filter((key) => JSON.stringify(change.change.before?.[key]) !== JSON.stringify(change.change.after?.[key]))
          .map((key) => `${key}: ${JSON.stringify(change.change.before?.[key])} -> ${JSON.stringify(change.change.after?.[key])}`),
      }));
    expect(changed).toEqual([]);
  });

  test.each([
    ['build', 'us-east-1'],
    ['build', 'us-west-2'],
    ['prod', 'eu-west-1'],
  ])('GIVEN the test destroyed what it applied THEN registry %s/%s holds no repository and its key is pending deletion', async (account, region) => {
    expect(complete.files.map((file) => file.status)).toEqual(['pass']);
    const options = await accountClientOptions(account === 'build' ? completeBuild : completeProd, region, endpoint);
    const repositories = await new ECRClient(options).send(new DescribeRepositoriesCommand({}));
    expect(repositories.repositories ?? []).toEqual([]);
    const kms = new KMSClient(options);
    const keys = (await kms.send(new ListKeysCommand({}))).Keys ?? [];
    const states = await Promise.all(keys.map(async (key) => (await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.KeyState));
    // Keys of earlier runs against the same emulator stay pending deletion too.
    expect(states.length).toBeGreaterThan(0);
    expect(states.filter((state) => state !== 'PendingDeletion')).toEqual([]);
  });
});

describe("the kms-key module's protection from destroy", () => {
  const at = (name: string): ProtectionStep => {
    const found = protection.find((step) => step.step === name);
    if (!found)
      throw new Error(`the protection flow stopped before "${name}": ${protection.map((step) => `${step.step}: ${step.output.slice(-2000)}`).join('\n')}`);
    return found;
  };

  test('GIVEN an applied key without protection WHEN the switch is turned on THEN only the marker is added: the key is neither replaced nor deleted', () => {
    const before = at('apply without protection');
    const after = at('switch on');
    expect({ code: before.code, state: before.keyState }).toEqual({ code: 0, state: 'Enabled' });
    expect(after.output).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
    expect({ code: after.code, keyId: after.keyId, state: after.keyState }).toEqual({ code: 0, keyId: before.keyId, state: 'Enabled' });
  });

  test("GIVEN the default protection WHEN terraform destroy runs THEN it fails with Terraform's prevent_destroy error and the key stays", () => {
    const step = at('destroy while protected');
    expect(step.code).not.toBe(0);
    expect(step.output).toContain('Error: Instance cannot be destroyed');
    expect(step.output).toContain(`Resource ${MARKER} has lifecycle.prevent_destroy set`);
    expect({ keyId: step.keyId, state: step.keyState }).toEqual({ keyId: at('apply without protection').keyId, state: 'Enabled' });
  });

  test('GIVEN a protected key WHEN a change would replace it (multi_region) THEN the plan is refused the same way', () => {
    const step = at('replace while protected');
    expect(step.code).not.toBe(0);
    expect(step.output).toContain(`Error: Instance cannot be destroyed`);
    expect(step.output).toContain(`Resource ${MARKER} has lifecycle.prevent_destroy set`);
    expect(step.keyState).toBe('Enabled');
  });

  test('GIVEN a protected key WHEN the switch is turned off THEN the plan is refused until the marker is forgotten, and nothing is deleted', () => {
    const step = at('switch off');
    expect(step.code).not.toBe(0);
    expect(step.output).toContain('Error: Instance cannot be destroyed');
    expect(step.keyState).toBe('Enabled');
    expect(at('forget the marker').output).toContain(`Removed ${MARKER}`);
  });

  test('GIVEN the teardown switch and the marker forgotten WHEN terraform destroy runs THEN KMS schedules the deletion of the key', () => {
    const step = at('destroy after the teardown switch');
    expect(step.output).toContain('Destroy complete! Resources: 2 destroyed.');
    expect({ code: step.code, keyId: step.keyId, state: step.keyState }).toEqual({
      code: 0,
      keyId: at('apply without protection').keyId,
      state: 'PendingDeletion',
    });
  });
});
