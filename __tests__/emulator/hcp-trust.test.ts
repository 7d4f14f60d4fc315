/**
 * The HCP Terraform trust stack applied on the emulator (moto serves IAM,
 * `CreateOpenIDConnectProvider` included): the OIDC provider of the host with
 * the AWS audience, the deploy role named by the config's deployRoleArn whose
 * trust policy pins `<host>:aud` (StringEquals) and lists exactly the
 * account's workspaces in `<host>:sub` (StringLike), and its least-privilege
 * policy, read back with the AWS SDK; a second plan changes nothing; destroyed
 * after. Two stand-ins only: the state is local (no HCP Terraform here) and
 * the provider assumes a role in the scenario's account (moto takes the
 * account from the role ARN), as the administrator's credentials would be.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { GetOpenIDConnectProviderCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { accountClientOptions, emulatorEndpoint, emulatorEnvironment, scenarioAccounts } from '../../test-support/emulator';
import { cleanupSynth, SynthesizedApp, synthesizeConfig } from '../../test-support/synth';
import { prepareStack, terraformAsync } from '../../test-support/terraform';

const [ACCOUNT] = scenarioAccounts('hcp-trust', 1);
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/platform/ecr-replication-deployer`;
const HOST = 'app.terraform.io';
const WORKSPACES = ['ecr-destination-build-us-west-2', 'ecr-source-build-us-east-1'].map((stack) => `ecr-${stack}`);

let synthesized: SynthesizedApp | undefined;
let directory: string;
let applied = false;
const env = () => emulatorEnvironment({}) as Record<string, string>;

beforeAll(async () => {
  synthesized = synthesizeConfig({
    accounts: { build: { id: ACCOUNT, deployRoleArn: ROLE_ARN } },
    repositories: [{ name: 'web' }],
    sources: [{ account: 'build', region: 'us-east-1', destinations: [{ account: 'build', region: 'us-west-2', repositoryCreationTemplates: false }] }],
    backend: { type: 'cloud', organization: 'acme', project: 'platform', workspacePrefix: 'ecr-', dynamicCredentials: { createTrust: true } },
    endpoint: { url: emulatorEndpoint() },
  });
  directory = synthesized.stack('ecr-hcp-trust-build').directory;
  const file = path.join(directory, 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  delete json.terraform.cloud;
  json.provider.aws[0].assume_role = [{ role_arn: `arn:aws:iam::${ACCOUNT}:role/emulator-test`, session_name: 'hcp-trust-test' }];
  writeFileSync(file, JSON.stringify(json, null, 2));
  prepareStack(directory);
  const apply = await terraformAsync(['apply', '-auto-approve', '-no-color', '-input=false'], directory, { env: env() });
  if (apply.code !== 0) throw new Error(`terraform apply failed:\n${apply.stderr}${apply.stdout}`);
  applied = true;
}, 600_000);

afterAll(async () => {
  try {
    if (applied) {
      const destroy = await terraformAsync(['destroy', '-auto-approve', '-no-color', '-input=false'], directory, { env: env() });
      if (destroy.code !== 0) throw new Error(`terraform destroy failed:\n${destroy.stderr}${destroy.stdout}`);
    }
  } finally {
    cleanupSynth(synthesized);
  }
}, 600_000);

async function iam(): Promise<IAMClient> {
  return new IAMClient(await accountClientOptions(ACCOUNT, 'us-east-1'));
}

test('GIVEN the applied trust stack THEN the account has the OIDC provider of the host, for the AWS audience only', async () => {
  const client = await iam();
  const providers = (await client.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [];
  const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST}`;
  expect(providers.map((provider) => provider.Arn)).toContain(arn);
  const provider = await client.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  expect(provider.ClientIDList).toEqual(['aws.workload.identity']);
  expect(provider.Url?.replace(/^https:\/\//, '')).toBe(HOST);
});

test('GIVEN the applied trust stack THEN the deploy role is the configured ARN and trusts exactly the workspaces of the account', async () => {
  const client = await iam();
  const { Role } = await client.send(new GetRoleCommand({ RoleName: 'ecr-replication-deployer' }));
  expect(Role?.Arn).toBe(ROLE_ARN);
  expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'HcpTerraformRunsOfTheseWorkspaces',
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${HOST}:aud`]: 'aws.workload.identity' },
          StringLike: { [`${HOST}:sub`]: WORKSPACES.map((workspace) => `organization:acme:project:platform:workspace:${workspace}:run_phase:*`) },
        },
      },
    ],
  });
});

test('GIVEN the applied trust stack THEN the role policy allows what the stacks manage, in the registry regions only', async () => {
  const client = await iam();
  const { PolicyDocument } = await client.send(new GetRolePolicyCommand({ RoleName: 'ecr-replication-deployer', PolicyName: 'ecr-kms-replication-deploy' }));
  const statements = JSON.parse(decodeURIComponent(PolicyDocument!)).Statement as {
    Sid: string;
    Action: string | string[];
    Resource: string | string[];
    Condition?: unknown;
  }[];
  expect(statements.map((statement) => statement.Sid)).toEqual([
    'CreateKeysInTheRegistryRegions',
    'ManageTheKeys',
    'GrantsForEncryptedRepositories',
    'ManageTheKeyAliases',
    'ManageTheRepositories',
    'ManageTheRegistrySettings',
    'CreateTheEcrReplicationServiceLinkedRole',
  ]);
  expect(statements.find((statement) => statement.Sid === 'ManageTheRegistrySettings')?.Condition).toEqual({
    StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2'] },
  });
});

test('GIVEN the applied trust stack WHEN planned again THEN nothing changes', async () => {
  const plan = await terraformAsync(['plan', '-detailed-exitcode', '-no-color', '-input=false'], directory, { env: env() });
  expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: '' });
});
