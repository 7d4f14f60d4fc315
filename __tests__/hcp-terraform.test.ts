/**
 * `npm run hcp -- plan|apply` against a local fake of the documented HCP
 * Terraform API (test-support/fake-hcp-terraform.ts), offline: the requests
 * it sends (payloads recorded and asserted), idempotency (a second apply
 * writes nothing), drift repaired setting by setting, a retired stack reported
 * and never deleted, pagination, 429 with the server's wait (a clock of the
 * test's own), 401/404/422 and the token never printed. Also the token
 * lookup (TF_TOKEN_<host>, the CLI config file, credentials.tfrc.json) and the
 * desired workspaces of an active-active pair and a mesh.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../cli/cli';
import { HcpAction, HcpCommandContext, runHcp } from '../cli/commands/hcp';
import { validateConfig } from '../config/load';
import { ConfigInput } from '../config/schema';
import { HcpTerraformClient, retryWaitMilliseconds } from '../tools/hcp/api-client';
import { hcpToken, tokenVariableName } from '../tools/hcp/credentials';
import { desiredEstate, TESTED_TERRAFORM_VERSION } from '../tools/hcp/desired-workspaces';
import { exampleConfigWith } from '../test-support/example-config';
import { FakeHcpTerraform } from '../test-support/fake-hcp-terraform';
import { activeActivePair, threeRegistryMesh } from '../test-support/topologies';

const TOKEN = 'fake-user-token.atlasv1.do-not-print-me';
const PREFIX = 'ecr-kms-replication-';
const CLOUD = { type: 'cloud', organization: 'acme', project: 'platform' } as const;
const DESTINATION = `${PREFIX}ecr-destination-prod-eu-west-1`;
const SAME_ACCOUNT_DESTINATION = `${PREFIX}ecr-destination-build-us-west-2`;
const SOURCE = `${PREFIX}ecr-source-build-us-east-1`;

let root: string;
let fake: FakeHcpTerraform;
let waits: number[];
let out: string[];
let err: string[];

beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'hcp-'));
  mkdirSync(path.join(root, 'home'));
  fake = new FakeHcpTerraform(TOKEN, 'acme', ['platform']);
  await fake.start();
  waits = [];
  out = [];
  err = [];
});
afterEach(async () => {
  await fake.stop();
  rmSync(root, { recursive: true, force: true });
});

function configFile(config: ConfigInput = exampleConfigWith({ backend: CLOUD })): string {
  writeFileSync(path.join(root, 'cloud.yaml'), stringify(config));
  return 'cloud.yaml';
}

function context(overrides: Partial<HcpCommandContext> = {}): HcpCommandContext {
  return {
    configFile: 'cloud.yaml',
    cwd: root,
    environment: { TF_TOKEN_app_terraform_io: TOKEN, ECR_REPLICATION_HCP_ADDRESS: fake.address },
    homeDirectory: path.join(root, 'home'),
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    sleep: async (milliseconds) => {
      waits.push(milliseconds);
    },
    ...overrides,
  };
}

const lines = (texts: readonly string[]): string[] => texts.join('').split('\n').filter(Boolean);
const printed = () => [...out, ...err].join('');

async function hcp(action: HcpAction, overrides: Partial<HcpCommandContext> = {}): Promise<number> {
  out.length = 0;
  err.length = 0;
  return runHcp(action, context(overrides));
}

/** The plan of the bundled example with backend cloud, against an empty project. */
const FRESH_PLAN = [
  'HCP Terraform app.terraform.io, organization acme, project platform: 3 workspaces of this config (prefix ecr-kms-replication-)',
  `+ ${SAME_ACCOUNT_DESTINATION}: create (stack ecr-destination-build-us-west-2)`,
  '    execution-mode: remote',
  `    terraform-version: ${TESTED_TERRAFORM_VERSION}`,
  '    working-directory: ""',
  '    global-remote-state: false',
  '    description: ecr-kms-replication: destination registry build/us-west-2 (managed by npm run hcp)',
  '    + tag ecr-replication-account=build',
  '    + tag ecr-replication-region=us-west-2',
  '    + tag ecr-replication-role=destination',
  '    + env TFC_AWS_PROVIDER_AUTH_build_us_west_2 = true',
  '    + env TFC_AWS_RUN_ROLE_ARN_build_us_west_2 = arn:aws:iam::111111111111:role/ecr-replication-deployer',
  `    + remote state shared with ${SOURCE}`,
  `+ ${DESTINATION}: create (stack ecr-destination-prod-eu-west-1)`,
  '    execution-mode: remote',
  `    terraform-version: ${TESTED_TERRAFORM_VERSION}`,
  '    working-directory: ""',
  '    global-remote-state: false',
  '    description: ecr-kms-replication: destination registry prod/eu-west-1 (managed by npm run hcp)',
  '    + tag ecr-replication-account=prod',
  '    + tag ecr-replication-region=eu-west-1',
  '    + tag ecr-replication-role=destination',
  '    + env TFC_AWS_PROVIDER_AUTH_prod_eu_west_1 = true',
  '    + env TFC_AWS_RUN_ROLE_ARN_prod_eu_west_1 = arn:aws:iam::222222222222:role/ecr-replication-deployer',
  `    + remote state shared with ${SOURCE}`,
  `+ ${SOURCE}: create (stack ecr-source-build-us-east-1)`,
  '    execution-mode: remote',
  `    terraform-version: ${TESTED_TERRAFORM_VERSION}`,
  '    working-directory: ""',
  '    global-remote-state: false',
  '    description: ecr-kms-replication: source registry build/us-east-1 (managed by npm run hcp)',
  '    + tag ecr-replication-account=build',
  '    + tag ecr-replication-region=us-east-1',
  '    + tag ecr-replication-role=source',
  '    + env TFC_AWS_PROVIDER_AUTH_build_us_east_1 = true',
  '    + env TFC_AWS_RUN_ROLE_ARN_build_us_east_1 = arn:aws:iam::111111111111:role/ecr-replication-deployer',
  `    + run trigger from ${SAME_ACCOUNT_DESTINATION} (a run here after each apply there)`,
  `    + run trigger from ${DESTINATION} (a run here after each apply there)`,
  'Plan: 3 to create, 0 to update, 0 unchanged.',
];

describe('GIVEN the bundled example with backend cloud and an empty project', () => {
  beforeEach(() => configFile());

  test('WHEN planned THEN every workspace is listed with its settings, tags, credential variables, state consumers and run triggers, and nothing is written', async () => {
    expect(await hcp('plan')).toBe(0);
    expect(lines(out)).toEqual(FRESH_PLAN);
    expect(fake.writes).toEqual([]);
  });

  test('WHEN applied THEN the workspaces are created with exactly these payloads', async () => {
    expect(await hcp('apply')).toBe(0);
    const created = fake.writes.filter((request) => request.path === '/api/v2/organizations/acme/workspaces');
    expect(created.map((request) => request.body.data.attributes.name)).toEqual([SAME_ACCOUNT_DESTINATION, DESTINATION, SOURCE]);
    expect(created[1].body).toEqual({
      data: {
        type: 'workspaces',
        attributes: {
          name: DESTINATION,
          'execution-mode': 'remote',
          'terraform-version': TESTED_TERRAFORM_VERSION,
          'working-directory': '',
          'global-remote-state': false,
          description: 'ecr-kms-replication: destination registry prod/eu-west-1 (managed by npm run hcp)',
          'setting-overwrites': { 'execution-mode': true },
        },
        relationships: {
          project: { data: { type: 'projects', id: fake.projectId('acme', 'platform') } },
          'tag-bindings': {
            data: [
              { type: 'tag-bindings', attributes: { key: 'ecr-replication-account', value: 'prod' } },
              { type: 'tag-bindings', attributes: { key: 'ecr-replication-region', value: 'eu-west-1' } },
              { type: 'tag-bindings', attributes: { key: 'ecr-replication-role', value: 'destination' } },
            ],
          },
        },
      },
    });
    const destination = fake.workspaceNamed(DESTINATION)!;
    const source = fake.workspaceNamed(SOURCE)!;
    const sameAccount = fake.workspaceNamed(SAME_ACCOUNT_DESTINATION)!;
    expect(fake.writes.filter((request) => request.path === `/api/v2/workspaces/${destination.id}/vars`).map((request) => request.body)).toEqual([
      {
        data: {
          type: 'vars',
          attributes: {
            key: 'TFC_AWS_PROVIDER_AUTH_prod_eu_west_1',
            value: 'true',
            description: 'Dynamic credentials for provider aws.prod_eu_west_1 (set by npm run hcp)',
            category: 'env',
            hcl: false,
            sensitive: false,
          },
        },
      },
      {
        data: {
          type: 'vars',
          attributes: {
            key: 'TFC_AWS_RUN_ROLE_ARN_prod_eu_west_1',
            value: 'arn:aws:iam::222222222222:role/ecr-replication-deployer',
            description: 'Role HCP Terraform runs assume for provider aws.prod_eu_west_1 (dynamic credentials, set by npm run hcp)',
            category: 'env',
            hcl: false,
            sensitive: false,
          },
        },
      },
    ]);
    expect(fake.writes.find((request) => request.path === `/api/v2/workspaces/${destination.id}/relationships/remote-state-consumers`)?.body).toEqual({
      data: [{ type: 'workspaces', id: source.id }],
    });
    expect(fake.writes.filter((request) => request.path === `/api/v2/workspaces/${source.id}/run-triggers`).map((request) => request.body)).toEqual(
      [sameAccount, destination].map((from) => ({ data: { relationships: { sourceable: { data: { type: 'workspaces', id: from.id } } } } })),
    );
    // What HCP Terraform now holds.
    expect([...destination.consumers]).toEqual([source.id]);
    expect([...sameAccount.consumers]).toEqual([source.id]);
    expect(source.consumers.size).toBe(0);
    expect(source.triggers.map((trigger) => trigger.sourceId)).toEqual([sameAccount.id, destination.id]);
    expect(lines(out).slice(-2)).toEqual([
      'Applied: 3 created, 0 updated, 0 unchanged (13 writes).',
      "Next: npm run deploy -- '*' (or queue runs in HCP Terraform): destinations first, then sources; run triggers plan each source after its destinations apply.",
    ]);
  });

  test('WHEN applied twice THEN the second apply reads, writes nothing and says so', async () => {
    expect(await hcp('apply')).toBe(0);
    const writes = fake.writes.length;
    expect(await hcp('apply')).toBe(0);
    expect(fake.writes.length).toBe(writes);
    expect(lines(out)).toEqual([
      FRESH_PLAN[0],
      `= ${SAME_ACCOUNT_DESTINATION}: matches the config`,
      `= ${DESTINATION}: matches the config`,
      `= ${SOURCE}: matches the config`,
      'No changes: the 3 workspaces match the config.',
      'Nothing to apply.',
    ]);
  });

  test('WHEN applied THEN the token is in no output, only in the Authorization header of each request', async () => {
    await hcp('apply');
    expect(printed()).not.toContain(TOKEN);
    expect(new Set(fake.requests.map((request) => request.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
  });
});

describe('GIVEN backend cloud with dynamicCredentials.createTrust', () => {
  beforeEach(() => configFile(exampleConfigWith({ backend: { ...CLOUD, dynamicCredentials: { createTrust: true } } })));

  test('WHEN applied THEN each account gets a trust workspace that runs locally, without credential variables, and the bootstrap comes first', async () => {
    expect(await hcp('apply')).toBe(0);
    const trust = ['build', 'prod'].map((account) => fake.workspaceNamed(`${PREFIX}ecr-hcp-trust-${account}`)!);
    expect(trust.map((workspace) => [workspace.attributes['execution-mode'], Object.fromEntries(workspace.tags), workspace.vars])).toEqual([
      ['local', { 'ecr-replication-account': 'build', 'ecr-replication-region': 'us-east-1', 'ecr-replication-role': 'trust' }, []],
      ['local', { 'ecr-replication-account': 'prod', 'ecr-replication-region': 'eu-west-1', 'ecr-replication-role': 'trust' }, []],
    ]);
    expect(lines(out).slice(-3)).toEqual([
      'Applied: 5 created, 0 updated, 0 unchanged (15 writes).',
      "First, once per account and with an administrator's credentials of that account: npm run deploy -- ecr-hcp-trust-build ecr-hcp-trust-prod (these workspaces run locally).",
      "Next: npm run deploy -- '*' (or queue runs in HCP Terraform): destinations first, then sources; run triggers plan each source after its destinations apply.",
    ]);
  });
});

describe('GIVEN workspaces that drifted from the config', () => {
  beforeEach(async () => {
    configFile();
    await hcp('apply');
    const destination = fake.workspaceNamed(DESTINATION)!;
    const source = fake.workspaceNamed(SOURCE)!;
    Object.assign(destination.attributes, {
      'terraform-version': '1.9.0',
      'global-remote-state': false,
      'setting-overwrites': { 'execution-mode': false },
    });
    destination.tags.delete('ecr-replication-region');
    destination.vars.find((variable) => variable.key === 'TFC_AWS_RUN_ROLE_ARN_prod_eu_west_1')!.value = 'arn:aws:iam::222222222222:role/other';
    const stranger = fake.addWorkspace('acme', 'somebody-elses-workspace');
    destination.consumers.add(stranger.id);
    source.triggers.splice(0, 1);
  });

  test('WHEN planned THEN each difference is one line, and matching workspaces one line each', async () => {
    expect(await hcp('plan')).toBe(0);
    expect(lines(out)).toEqual([
      FRESH_PLAN[0],
      `= ${SAME_ACCOUNT_DESTINATION}: matches the config`,
      `~ ${DESTINATION}: update (stack ecr-destination-prod-eu-west-1)`,
      "    ~ execution-mode: remote (the project's default) -> remote",
      `    ~ terraform-version: 1.9.0 -> ${TESTED_TERRAFORM_VERSION}`,
      '    + tag ecr-replication-region=eu-west-1',
      '    ~ env TFC_AWS_RUN_ROLE_ARN_prod_eu_west_1: arn:aws:iam::222222222222:role/other -> arn:aws:iam::222222222222:role/ecr-replication-deployer',
      '    - remote state no longer shared with somebody-elses-workspace (it does not read this stack)',
      `~ ${SOURCE}: update (stack ecr-source-build-us-east-1)`,
      `    + run trigger from ${SAME_ACCOUNT_DESTINATION} (a run here after each apply there)`,
      'Plan: 0 to create, 2 to update, 1 unchanged.',
    ]);
  });

  test('WHEN applied THEN only the differences are written, and the next plan finds none', async () => {
    const before = fake.writes.length;
    expect(await hcp('apply')).toBe(0);
    const destination = fake.workspaceNamed(DESTINATION)!;
    expect(fake.writes.slice(before).map((request) => `${request.method} ${request.path.replace(/ws-\w+/, 'ws').replace(/var-\w+/, 'var')}`)).toEqual([
      'PATCH /api/v2/workspaces/ws',
      'PATCH /api/v2/workspaces/ws/tag-bindings',
      'PATCH /api/v2/workspaces/ws/vars/var',
      'DELETE /api/v2/workspaces/ws/relationships/remote-state-consumers',
      'POST /api/v2/workspaces/ws/run-triggers',
    ]);
    expect(fake.writes[before].body.data.attributes).toEqual({
      'execution-mode': 'remote',
      'terraform-version': TESTED_TERRAFORM_VERSION,
      'setting-overwrites': { 'execution-mode': true },
    });
    expect(destination.attributes['terraform-version']).toBe(TESTED_TERRAFORM_VERSION);
    expect(await hcp('plan')).toBe(0);
    expect(lines(out).slice(-1)).toEqual(['No changes: the 3 workspaces match the config.']);
  });
});

describe('GIVEN a workspace of this estate whose stack left the config', () => {
  beforeEach(async () => {
    configFile();
    await hcp('apply');
    fake.addWorkspace('acme', `${PREFIX}ecr-destination-old-eu-west-2`, {
      tags: { 'ecr-replication-account': 'old', 'ecr-replication-region': 'eu-west-2', 'ecr-replication-role': 'destination' },
    });
    fake.addWorkspace('acme', `${PREFIX}hand-made`);
  });

  test('WHEN planned and applied THEN it is reported with the steps to retire it, and nothing is deleted', async () => {
    const retired = fake.workspaceNamed(`${PREFIX}ecr-destination-old-eu-west-2`)!;
    expect(await hcp('apply')).toBe(0);
    expect(lines(out)).toEqual([
      FRESH_PLAN[0],
      `= ${SAME_ACCOUNT_DESTINATION}: matches the config`,
      `= ${DESTINATION}: matches the config`,
      `= ${SOURCE}: matches the config`,
      `! ${PREFIX}ecr-destination-old-eu-west-2: a destination workspace of this estate whose stack ecr-destination-old-eu-west-2 is no longer in the config; it was not deleted. To retire it:`,
      '    1. destroy its resources first: Settings > Destruction and Deletion > Queue destroy plan, or terraform destroy in cdktf.out/retired/ecr-destination-old-eu-west-2 (see README, "Changing and retiring"); to keep them, keep the workspace',
      '    2. then delete the workspace and its state: Settings > Destruction and Deletion > Delete from HCP Terraform, or',
      `       curl -X POST -H "Authorization: Bearer $TF_TOKEN_app_terraform_io" ${fake.address}/api/v2/workspaces/${retired.id}/actions/safe-delete`,
      '       (safe delete refuses while its state still manages resources)',
      'No changes: the 3 workspaces match the config. 1 workspace(s) to retire by hand (above).',
      'Nothing to apply.',
    ]);
    expect(fake.requests.filter((request) => request.method === 'DELETE' || request.path.includes('delete'))).toEqual([]);
    expect(fake.workspaceNamed(`${PREFIX}hand-made`)).toBeDefined();
  });
});

describe('GIVEN 120 hand-made workspaces that share the prefix', () => {
  test('WHEN planned THEN the list is read in pages of 100, and the untagged workspaces are left alone', async () => {
    configFile();
    for (let index = 0; index < 120; index++) fake.addWorkspace('acme', `${PREFIX}team-${String(index).padStart(3, '0')}`);
    expect(await hcp('plan')).toBe(0);
    expect(lines(out)).toEqual(FRESH_PLAN);
    expect(fake.requests.filter((request) => request.path === '/api/v2/organizations/acme/workspaces').map((request) => request.query)).toEqual([
      { 'search[wildcard-name]': `${PREFIX}*`, 'page[number]': '1', 'page[size]': '100' },
      { 'search[wildcard-name]': `${PREFIX}*`, 'page[number]': '2', 'page[size]': '100' },
    ]);
  });
});

describe('GIVEN HCP Terraform answers that are not a success', () => {
  beforeEach(() => configFile());

  test('WHEN the token is refused (401) THEN it fails naming where the token came from, never the token', async () => {
    expect(await hcp('plan', { environment: { TF_TOKEN_app_terraform_io: `${TOKEN}-revoked`, ECR_REPLICATION_HCP_ADDRESS: fake.address } })).toBe(1);
    const host = new URL(fake.address).host;
    expect(lines(err)).toEqual([
      `hcp plan failed: ${host} refused the API token from TF_TOKEN_app_terraform_io (401 Unauthorized): it is missing, expired or revoked; run terraform login app.terraform.io or set that variable to a valid user or team token`,
    ]);
    expect(printed()).not.toContain(TOKEN);
  });

  test.each([
    [
      'the organization',
      { ...CLOUD, organization: 'acmee' },
      "hcp plan failed: organization acmee not found on HOST, or the token cannot read it (404): check backend.organization in the config, and that the token's user or team belongs to the organization",
    ],
    [
      'the project',
      { ...CLOUD, project: 'platfrom' },
      'hcp plan failed: project platfrom not found in organization acme on HOST, or the token cannot read it: create it (Projects > New project) or fix backend.project in the config',
    ],
  ])('WHEN %s does not exist (404) THEN it fails naming it and the fix', async (_what, backend, message) => {
    configFile(exampleConfigWith({ backend }));
    expect(await hcp('plan')).toBe(1);
    expect(lines(err)).toEqual([message.replace('HOST', new URL(fake.address).host)]);
  });

  test('WHEN a workspace cannot be created (422) THEN it fails naming the workspace, the step and what HCP Terraform said', async () => {
    fake.failNext((request) => request.method === 'POST' && request.path.endsWith('/workspaces'), {
      status: 422,
      body: { errors: [{ status: '422', title: 'invalid attribute', detail: 'Name has already been taken', source: { pointer: '/data/attributes/name' } }] },
    });
    expect(await hcp('apply')).toBe(1);
    expect(lines(err)).toEqual([
      `hcp apply failed: workspace ${SAME_ACCOUNT_DESTINATION}: HCP Terraform refused to create the workspace (POST /organizations/acme/workspaces: 422 Unprocessable Entity: invalid attribute: Name has already been taken (/data/attributes/name))`,
    ]);
  });

  test('WHEN rate limited (429) with Retry-After THEN it waits what the server says and goes on', async () => {
    fake.failNext((request) => request.path.endsWith('/workspaces') && request.method === 'GET', { status: 429, headers: { 'Retry-After': '3' } });
    fake.failNext((request) => request.path.endsWith('/projects'), { status: 429, headers: { 'X-RateLimit-Reset': '0.25' } });
    expect(await hcp('plan')).toBe(0);
    expect(waits.sort()).toEqual([250, 3000]);
    expect(lines(out)).toEqual(FRESH_PLAN);
  });

  test('WHEN still rate limited after 5 retries THEN it fails with the wait to honour', async () => {
    fake.failNext(() => true, { status: 429, headers: { 'Retry-After': '2' } }, 6);
    expect(await hcp('plan')).toBe(1);
    expect(waits).toEqual([2000, 2000, 2000, 2000, 2000]);
    expect(lines(err)).toEqual([
      `hcp plan failed: GET /organizations/acme: still rate limited by ${new URL(fake.address).host} (429 Too Many Requests) after 5 retries: wait 2 s and run the command again`,
    ]);
  });

  test('WHEN no token is set anywhere THEN it fails saying where it looked and how to provide one', async () => {
    const home = path.join(root, 'home');
    expect(await hcp('plan', { environment: { ECR_REPLICATION_HCP_ADDRESS: fake.address } })).toBe(1);
    expect(lines(err)).toEqual([
      `hcp plan failed: no API token for app.terraform.io: set TF_TOKEN_app_terraform_io to a user or team token, or run terraform login app.terraform.io (it writes ${home}/.terraform.d/credentials.tfrc.json); looked in TF_TOKEN_app_terraform_io, ${home}/.terraformrc and ${home}/.terraform.d/credentials.tfrc.json`,
    ]);
    expect(fake.requests).toEqual([]);
  });

  test('WHEN the config has another backend THEN it fails saying cloud is needed', async () => {
    configFile(exampleConfigWith({}));
    expect(await hcp('plan')).toBe(1);
    expect(lines(err)).toEqual([
      'hcp plan: the backend of cloud.yaml is local, not cloud: HCP Terraform workspaces are managed for backend: { type: cloud, organization: <name>, project: <name> } only',
    ]);
  });
});

describe('HcpTerraformClient', () => {
  test('GIVEN 45 workspaces WHEN listed 20 per page THEN three pages are read and every workspace is returned once', async () => {
    for (let index = 0; index < 45; index++) fake.addWorkspace('acme', `ws-${String(index).padStart(2, '0')}`);
    const client = new HcpTerraformClient({ address: fake.address, token: TOKEN, tokenSource: 'test', pageSize: 20 });
    const listed = await client.list('/organizations/acme/workspaces');
    expect(listed.map((workspace) => workspace.attributes?.name)).toEqual(Array.from({ length: 45 }, (_, index) => `ws-${String(index).padStart(2, '0')}`));
    expect(fake.requests.map((request) => request.query)).toEqual([1, 2, 3].map((page) => ({ 'page[number]': String(page), 'page[size]': '20' })));
  });

  test.each([
    ['Retry-After in seconds', { 'retry-after': '7' }, 7000],
    ['Retry-After as an HTTP date', { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, 5000],
    ['X-RateLimit-Reset in fractional seconds', { 'x-ratelimit-reset': '0.041' }, 41],
    ['no header', {}, 1000],
  ])('GIVEN a 429 with %s THEN the wait is %p ms', (_what, headers, expected) => {
    const get = (name: string) => (headers as Record<string, string>)[name] ?? null;
    expect(retryWaitMilliseconds({ get }, Date.parse('Thu, 01 Jan 2026 00:00:00 GMT'))).toBe(expected);
  });

  test('GIVEN an address nobody listens on WHEN a request is sent THEN it fails naming the host and what to check', async () => {
    const address = fake.address;
    await fake.stop();
    const client = new HcpTerraformClient({ address, token: TOKEN, tokenSource: 'test' });
    await expect(client.request('GET', '/organizations/acme')).rejects.toThrow(
      `GET /organizations/acme: cannot reach ${new URL(address).host} (ECONNREFUSED): check the hostname in backend.hostname and the network`,
    );
    await fake.start();
  });
});

describe('hcpToken', () => {
  const home = () => path.join(root, 'home');

  test.each([
    ['TF_TOKEN_app_terraform_io', 'app.terraform.io'],
    ['TF_TOKEN_tfe_my__company_example', 'tfe.my-company.example'],
    ['TF_TOKEN_tfe_my-company_example', 'tfe.my-company.example'],
  ])('GIVEN %s THEN it is the token of %s', async (variable, host) => {
    expect(await hcpToken(host, { environment: { [variable]: 'from-env' }, homeDirectory: home() })).toEqual({ token: 'from-env', source: variable });
    expect(tokenVariableName('tfe.my-company.example')).toBe('TF_TOKEN_tfe_my__company_example');
  });

  test('GIVEN only the file terraform login writes THEN its token for the host is used', async () => {
    mkdirSync(path.join(home(), '.terraform.d'));
    const file = path.join(home(), '.terraform.d', 'credentials.tfrc.json');
    writeFileSync(file, JSON.stringify({ credentials: { 'app.terraform.io': { token: 'from-login' }, 'other.example': { token: 'other' } } }));
    expect(await hcpToken('app.terraform.io', { environment: {}, homeDirectory: home() })).toEqual({ token: 'from-login', source: file });
  });

  test('GIVEN TF_CLI_CONFIG_FILE with a credentials block in HCL THEN its token wins over credentials.tfrc.json', async () => {
    mkdirSync(path.join(home(), '.terraform.d'));
    writeFileSync(path.join(home(), '.terraform.d', 'credentials.tfrc.json'), JSON.stringify({ credentials: { 'app.terraform.io': { token: 'from-login' } } }));
    const file = path.join(root, 'cli.tfrc');
    writeFileSync(file, 'plugin_cache_dir = "/tmp/cache"\n\ncredentials "app.terraform.io" {\n  token = "from-cli-config"\n}\n');
    expect(await hcpToken('app.terraform.io', { environment: { TF_CLI_CONFIG_FILE: file }, homeDirectory: home() })).toEqual({
      token: 'from-cli-config',
      source: file,
    });
  });

  test('GIVEN a TF_TOKEN_ variable and a credentials file THEN the variable wins', async () => {
    mkdirSync(path.join(home(), '.terraform.d'));
    writeFileSync(path.join(home(), '.terraform.d', 'credentials.tfrc.json'), JSON.stringify({ credentials: { 'app.terraform.io': { token: 'from-login' } } }));
    expect((await hcpToken('app.terraform.io', { environment: { TF_TOKEN_app_terraform_io: 'from-env' }, homeDirectory: home() })).source).toBe(
      'TF_TOKEN_app_terraform_io',
    );
  });
});

describe('the hcp command line', () => {
  test('GIVEN npm run hcp -- plan --config file THEN it names the config and plans it', async () => {
    configFile();
    const stdout: string[] = [];
    const stderr: string[] = [];
    const status = await runCli(['hcp', 'plan', '--config', 'cloud.yaml'], {
      projectRoot: root,
      cwd: root,
      environment: { TF_TOKEN_app_terraform_io: TOKEN, ECR_REPLICATION_HCP_ADDRESS: fake.address, HOME: path.join(root, 'home') },
      stdout: (text) => stdout.push(text),
      stderr: (text) => stderr.push(text),
    });
    expect(status).toBe(0);
    expect(lines(stderr)).toEqual(['config: cloud.yaml (--config, recorded in .ecr-replication/config.json)']);
    expect(lines(stdout)).toEqual(FRESH_PLAN);
  });

  test('GIVEN an action other than plan or apply THEN it is a usage error listing both', async () => {
    const stderr: string[] = [];
    const status = await runCli(['hcp', 'deploy'], {
      projectRoot: root,
      cwd: root,
      environment: {},
      stdout: () => undefined,
      stderr: (text) => stderr.push(text),
    });
    expect(status).toBe(2);
    expect(stderr.join('')).toContain("error: command-argument value 'deploy' is invalid for argument 'action'. Allowed choices are plan, apply.");
  });
});

describe('desiredEstate of other topologies', () => {
  const estate = (config: ConfigInput) => desiredEstate(validateConfig({ ...config, backend: CLOUD }, 'topology.yaml').config);
  const summary = (config: ConfigInput) =>
    Object.fromEntries(
      estate(config).workspaces.map((workspace) => [workspace.stackName, { consumers: workspace.remoteStateConsumers, triggers: workspace.runTriggerSources }]),
    );

  test('GIVEN an active-active pair THEN each destination is shared with the other registry, which it also triggers', () => {
    expect(summary(activeActivePair())).toEqual({
      'ecr-destination-a-us-east-1': { consumers: [`${PREFIX}ecr-source-b-eu-west-1`], triggers: [] },
      'ecr-destination-b-eu-west-1': { consumers: [`${PREFIX}ecr-source-a-us-east-1`], triggers: [] },
      'ecr-source-a-us-east-1': { consumers: [], triggers: [`${PREFIX}ecr-destination-b-eu-west-1`] },
      'ecr-source-b-eu-west-1': { consumers: [], triggers: [`${PREFIX}ecr-destination-a-us-east-1`] },
    });
  });

  test('GIVEN a three-registry mesh THEN every destination is shared with exactly the two other sources', () => {
    const workspaces = summary(threeRegistryMesh());
    expect(workspaces['ecr-destination-c-us-west-2']).toEqual({
      consumers: [`${PREFIX}ecr-source-a-us-east-1`, `${PREFIX}ecr-source-b-eu-west-1`],
      triggers: [],
    });
    expect(workspaces['ecr-source-c-us-west-2']).toEqual({
      consumers: [],
      triggers: [`${PREFIX}ecr-destination-a-us-east-1`, `${PREFIX}ecr-destination-b-eu-west-1`],
    });
  });

  test('GIVEN a source with 21 destinations THEN 20 trigger it, and the plan notes the one left out', () => {
    const regions = ['us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'];
    const accounts = { build: { id: '111111111111', deployRoleArn: 'arn:aws:iam::111111111111:role/d' } } as Record<
      string,
      { id: string; deployRoleArn: string }
    >;
    for (const index of [1, 2, 3]) accounts[`prod${index}`] = { id: `22222222222${index}`, deployRoleArn: `arn:aws:iam::22222222222${index}:role/d` };
    const config: ConfigInput = {
      accounts,
      repositories: [{ name: 'web' }],
      sources: [
        {
          account: 'build',
          region: 'us-east-1',
          destinations: [1, 2, 3].flatMap((index) => regions.map((region) => ({ account: `prod${index}`, region }))),
        },
      ],
    };
    const source = estate(config).workspaces.find((workspace) => workspace.role === 'source')!;
    expect(source.runTriggerSources).toHaveLength(20);
    expect(source.runTriggersLeftOut).toEqual([`${PREFIX}ecr-destination-prod3-us-west-2`]);
  });
});
