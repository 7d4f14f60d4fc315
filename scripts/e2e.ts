/**
 * End-to-end run against an AWS-compatible endpoint (LocalStack, moto server):
 *
 *   ECR_E2E_ENDPOINT=http://localhost:4566 npm run test:e2e
 *
 * Synthesizes the config (ECR_REPLICATION_CONFIG or the bundled example) with
 * `endpoint.url` set and a local backend in a temporary folder, then per stack
 * in dependency order (destinations first): terraform init + apply with the
 * project's CLI config. Checks every registry with the AWS SDK (repositories
 * KMS-encrypted with the stack's key, the key customer-managed and rotated,
 * the registry policy of cross-account destinations, the source's replication
 * rules), checks that a second `terraform plan -detailed-exitcode` is empty,
 * and always destroys in reverse order. Without ECR_E2E_ENDPOINT it explains
 * how to run and exits 0. The pure parts live in scripts/e2e-checks.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { DescribeRegistryCommand, DescribeRepositoriesCommand, ECRClient, GetRegistryPolicyCommand, Repository } from '@aws-sdk/client-ecr';
import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { configFileFromEnvironment, loadConfigFile, validateConfig } from '../config/load';
import { formatProblem } from '../config/problems';
import { planDeployment } from '../config/deployment-plan';
import { buildReplicationStacks } from '../stacks/build-stacks';
import {
  applyOrder,
  checkKey,
  checkKeyArn,
  checkRegistryPolicy,
  checkReplication,
  checkRepositories,
  checkSecondPlan,
  destroyOrder,
  e2eConfig,
  E2eSettings,
  expectationsFromPlan,
  RegistryExpectation,
  settingsFromEnvironment,
  skipMessage,
  stackNodes,
} from './e2e-checks';
import { PROJECT_ROOT, terraformEnvironment, tryTerraform } from '../tools/terraform-cli';

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

function log(message: string): void {
  process.stdout.write(`[e2e] ${message}\n`);
}

/** Credentials from the environment, or the emulators' customary test/test. */
function baseCredentials(): Credentials | undefined {
  if (process.env.AWS_ACCESS_KEY_ID) return undefined; // the SDK's default chain reads the environment
  return { accessKeyId: 'test', secretAccessKey: 'test' };
}

function terraformEnv(): NodeJS.ProcessEnv {
  const credentials = baseCredentials();
  return {
    ...terraformEnvironment(),
    ...(credentials ? { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey } : {}),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Runs terraform with the project's CLI config and the e2e credentials; stdout and stderr together. */
function terraform(args: readonly string[], cwd: string): { code: number; output: string } {
  const result = tryTerraform([...args, '-no-color'], cwd, { env: terraformEnv() });
  return { code: result.code, output: `${result.stdout}${result.stderr}` };
}

function terraformOrThrow(args: readonly string[], cwd: string, what: string): string {
  const result = terraform(args, cwd);
  if (result.code !== 0) throw new Error(`${what} failed (terraform ${args[0]}, exit ${result.code}):\n${result.output}`);
  return result.output;
}

/** SDK clients for one registry, with the account's deployment role assumed like the provider does. */
async function clientsFor(expectation: RegistryExpectation, settings: E2eSettings) {
  const common = { region: expectation.region, endpoint: settings.endpoint, maxAttempts: 2 };
  const base = baseCredentials();
  let credentials: Credentials | undefined = base;
  if (expectation.deployRoleArn) {
    const sts = new STSClient({ ...common, ...(base ? { credentials: base } : {}) });
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: expectation.deployRoleArn, RoleSessionName: 'ecr-kms-replication-e2e' }));
    const issued = assumed.Credentials;
    if (!issued?.AccessKeyId || !issued.SecretAccessKey)
      throw new Error(`${expectation.stackName}: AssumeRole ${expectation.deployRoleArn} returned no credentials`);
    credentials = { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.SessionToken };
  }
  const options = { ...common, ...(credentials ? { credentials } : {}) };
  return { ecr: new ECRClient(options), kms: new KMSClient(options), sts: new STSClient(options) };
}

async function verifyRegistry(expectation: RegistryExpectation, keyArn: string | undefined, settings: E2eSettings): Promise<string[]> {
  const arnProblems = checkKeyArn(expectation, keyArn);
  if (arnProblems.length > 0 || !keyArn) return arnProblems;
  const { ecr, kms, sts } = await clientsFor(expectation, settings);
  const problems: string[] = [];

  const identity = await sts.send(new GetCallerIdentityCommand({}));
  if (identity.Account !== expectation.accountId) {
    problems.push(
      `${expectation.stackName}: the SDK acts in account ${identity.Account}, not ${expectation.accountId}: the endpoint does not map the role to its account`,
    );
  }

  const repositories: Repository[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecr.send(new DescribeRepositoriesCommand({ registryId: expectation.accountId, nextToken }));
    repositories.push(...(page.repositories ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  problems.push(...checkRepositories(expectation, keyArn, repositories));

  const key = await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
  const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
  problems.push(...checkKey(expectation, keyArn, key.KeyMetadata, rotation.KeyRotationEnabled));

  if (expectation.crossAccountSources.length > 0) {
    let policyText: string | undefined;
    try {
      policyText = (await ecr.send(new GetRegistryPolicyCommand({}))).policyText;
    } catch (error) {
      if ((error as { name?: string }).name !== 'RegistryPolicyNotFoundException') throw error;
    }
    problems.push(...checkRegistryPolicy(expectation, policyText));
  }
  if (expectation.role === 'source') {
    const registry = await ecr.send(new DescribeRegistryCommand({}));
    problems.push(...checkReplication(expectation, registry.replicationConfiguration));
  }
  return problems;
}

function outputValue(stackDirectory: string, name: string): string | undefined {
  const outputs = JSON.parse(terraformOrThrow(['output', '-json'], stackDirectory, `reading the outputs of ${path.basename(stackDirectory)}`)) as Record<
    string,
    { value: unknown }
  >;
  const value = outputs[name]?.value;
  return typeof value === 'string' ? value : undefined;
}

async function run(settings: E2eSettings): Promise<number> {
  const loaded = loadConfigFile(configFileFromEnvironment());
  for (const warning of loaded.warnings) log(`warning: ${loaded.file}: ${formatProblem(warning)}`);
  const { config } = validateConfig(e2eConfig(loaded.config, settings), `${loaded.file} (e2e)`);
  const plan = planDeployment(config);

  const root = mkdtempSync(path.join(os.tmpdir(), 'ecr-e2e-'));
  const outdir = path.join(root, 'cdktf.out'); // local state lands in <root>/terraform-state
  log(`endpoint ${settings.endpoint}, creation templates ${settings.creationTemplates ? 'on' : 'off'}, working in ${root}`);
  const app = new App({ outdir });
  buildReplicationStacks(app, config);
  app.synth();
  const directoryOf = (stackName: string): string => path.join(outdir, 'stacks', stackName);

  const nodes = stackNodes(plan);
  const order = applyOrder(nodes);
  const touched = new Set<string>();
  const problems: string[] = [];
  try {
    for (const stackName of order) {
      log(`init + apply ${stackName}`);
      touched.add(stackName);
      terraformOrThrow(['init', '-input=false'], directoryOf(stackName), `init of ${stackName}`);
      terraformOrThrow(['apply', '-auto-approve', '-input=false'], directoryOf(stackName), `apply of ${stackName}`);
    }
    for (const expectation of expectationsFromPlan(plan)) {
      log(`verify ${expectation.stackName}`);
      const keyArn = outputValue(directoryOf(expectation.keyStackName ?? expectation.stackName), 'kms_key_arn');
      problems.push(...(await verifyRegistry(expectation, keyArn, settings)));
    }
    for (const stackName of order) {
      log(`plan again ${stackName}`);
      const second = terraform(['plan', '-detailed-exitcode', '-input=false'], directoryOf(stackName));
      problems.push(...checkSecondPlan(stackName, second.code, second.output));
    }
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    for (const stackName of destroyOrder(nodes).filter((name) => touched.has(name))) {
      log(`destroy ${stackName}`);
      const destroyed = terraform(['destroy', '-auto-approve', '-input=false'], directoryOf(stackName));
      if (destroyed.code !== 0) problems.push(`destroy of ${stackName} failed (exit ${destroyed.code}); clean up by hand:\n${destroyed.output}`);
    }
    if (settings.keepTemp) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }

  if (problems.length > 0) {
    process.stderr.write(`\nEnd-to-end test FAILED (${problems.length} problem(s)):\n${problems.map((problem) => `- ${problem}`).join('\n')}\n`);
    return 1;
  }
  log(`passed: ${order.length} stacks applied, verified, planned without changes and destroyed`);
  return 0;
}

export async function main(environment: NodeJS.ProcessEnv = process.env): Promise<number> {
  const settings = settingsFromEnvironment(environment);
  if (!settings.run) {
    process.stdout.write(`${skipMessage(settings.reason)}\n`);
    return 0;
  }
  process.chdir(PROJECT_ROOT);
  return run(settings.settings);
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
