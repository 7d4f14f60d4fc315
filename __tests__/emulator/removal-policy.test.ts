/**
 * The removal policy of EncryptedRepositories, applied with the real
 * hashicorp/aws provider against moto: repositories app-a, app-b and app-c are created;
 * dropping app-c from the list without naming it fails the plan (prevent_destroy
 * under RETAIN); naming app-b as RETAIN and app-c as DESTROY leaves app-b in
 * ECR but not in the state, and deletes app-c.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DeleteRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { App } from 'cdktf';
import { registryProvider } from '../../modules/aws-provider';
import { EcrEncryptionKey } from '../../modules/encryption-key';
import { EncryptedRepositories, RemovedRepository } from '../../modules/encrypted-repositories';
import { ecrRegistry } from '../../modules/registry';
import { RemovalPolicy } from '../../modules/removal-policy';
import { ReadableAddressStack } from '../../stacks/readable-address-stack';
import { accountClientOptions, emulatorEndpoint, emulatorEnvironment, scenarioAccounts } from '../../test-support/emulator';
import { prepareDirectory, requiredProviders, terraformAsync, TerraformResult } from '../../test-support/terraform';

const REGION = 'eu-west-1';
const [ACCOUNT] = scenarioAccounts('removal-policy', 1);
const STACK = 'removal';

interface Version {
  readonly repositories: readonly string[];
  readonly removed?: readonly RemovedRepository[];
  readonly removalPolicy?: RemovalPolicy;
}

let root: string;
let work: string;

/** Synthesizes one version of the stack and puts its cdk.tf.json into the working folder, where the state stays. */
function deploy(version: Version): void {
  const outdir = mkdtempSync(path.join(root, 'out-'));
  const app = new App({ outdir });
  const stack = new ReadableAddressStack(app, STACK);
  const provider = registryProvider(stack, {
    name: 'scenario',
    accountId: ACCOUNT,
    region: REGION,
    deployRoleArn: `arn:aws:iam::${ACCOUNT}:role/emulator-test`,
    sessionName: 'removal-policy',
    endpoint: { url: emulatorEndpoint() },
  });
  const registry = ecrRegistry({ provider, accountId: ACCOUNT, region: REGION });
  const key = new EcrEncryptionKey(stack, 'kms_key', { registry, alias: 'alias/removal-policy', description: 'removal policy scenario' });
  new EncryptedRepositories(stack, 'repositories', {
    registry,
    key,
    repositories: version.repositories.map((name) => ({ name })),
    removedRepositories: version.removed,
    removalPolicy: version.removalPolicy,
  });
  app.synth();
  // Without cdktf's default local backend block the folder needs no `terraform init`: state is terraform.tfstate here.
  const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', STACK, 'cdk.tf.json'), 'utf8')) as { terraform: { backend?: unknown } };
  delete json.terraform.backend;
  writeFileSync(path.join(work, 'cdk.tf.json'), JSON.stringify(json, null, 2));
}

const terraform = (...args: string[]): Promise<TerraformResult> =>
  terraformAsync([...args, '-no-color'], work, { env: emulatorEnvironment({}) as Record<string, string> });

async function repositoriesInEcr(): Promise<string[]> {
  const ecr = new ECRClient(await accountClientOptions(ACCOUNT, REGION));
  const described = await ecr.send(new DescribeRepositoriesCommand({}));
  return (described.repositories ?? []).map((repository) => repository.repositoryName!).sort();
}

async function state(): Promise<string[]> {
  return (await terraform('state', 'list')).stdout.split('\n').filter((line) => line.startsWith('aws_ecr_repository.'));
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'ecr-removal-policy-'));
  work = path.join(root, 'work');
  mkdirSync(work);
  deploy({ repositories: ['app-a', 'app-b', 'app-c'] });
  prepareDirectory(work, requiredProviders(work));
  const applied = await terraform('apply', '-auto-approve', '-input=false');
  expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
}, 600_000);

afterAll(async () => {
  // Tear down: the construct under DESTROY, then destroy; the retained repository goes through the API.
  deploy({ repositories: ['app-a'], removalPolicy: RemovalPolicy.DESTROY });
  await terraform('destroy', '-auto-approve', '-input=false', '-refresh=false');
  const ecr = new ECRClient(await accountClientOptions(ACCOUNT, REGION));
  for (const name of await repositoriesInEcr()) await ecr.send(new DeleteRepositoryCommand({ repositoryName: name, force: true }));
  rmSync(root, { recursive: true, force: true });
}, 600_000);

test('GIVEN three repositories applied under RETAIN THEN ECR holds them and the state manages them', async () => {
  expect(await repositoriesInEcr()).toEqual(['app-a', 'app-b', 'app-c']);
  expect(await state()).toEqual([
    'aws_ecr_repository.repositories["app-a"]',
    'aws_ecr_repository.repositories["app-b"]',
    'aws_ecr_repository.repositories["app-c"]',
  ]);
});

test('WHEN app-c is dropped from the list without being named THEN the plan fails on prevent_destroy and nothing is deleted', async () => {
  deploy({ repositories: ['app-a', 'app-b'] });
  const plan = await terraform('plan', '-input=false', '-refresh=false');
  expect(plan.code).toBe(1);
  const error = plan.stderr.replace(/\s+/g, ' ');
  expect(error).toContain('Error: Instance cannot be destroyed');
  expect(error).toContain('Resource aws_ecr_repository.repositories["app-c"] has lifecycle.prevent_destroy set');
  expect(await repositoriesInEcr()).toEqual(['app-a', 'app-b', 'app-c']);
});

test('WHEN app-b is named RETAIN and app-c DESTROY THEN the apply keeps app-b in ECR out of the state, and deletes app-c', async () => {
  deploy({ repositories: ['app-a'], removed: [{ name: 'app-b' }, { name: 'app-c', removalPolicy: RemovalPolicy.DESTROY }] });
  const applied = await terraform('apply', '-auto-approve', '-input=false', '-refresh=false');
  expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
  expect(applied.stdout).toContain('aws_ecr_repository.retired_app-b will no longer be managed by Terraform');
  expect(applied.stdout).toContain('aws_ecr_repository.retired_app-c will be destroyed');
  expect({ ecr: await repositoriesInEcr(), state: await state() }).toEqual({ ecr: ['app-a', 'app-b'], state: ['aws_ecr_repository.repositories["app-a"]'] });
});
