/**
 * Terraform's own checks on the estate example (examples/estate.yaml):
 * namespaces, registries in both roles, keys per namespace. One batch of
 * `terraform test` runs (each also validates its stack), offline, with the
 * generated files of test-support/tftest.ts:
 *
 * - destination stacks: a registry in both roles (its own team-a/
 *   repositories under the team-a key, team-b/ and base/ received through
 *   templates) and the production registry; each namespace key encrypts its
 *   namespace's repositories and templates only and names only its users;
 * - the two build registries that replicate to each other: each one's guard
 *   passes when its destinations are ready and stops the plan when one lacks
 *   a namespace's template, has an AES256 or foreign-key template, or has no state.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { DeploymentPlan, planDeployment } from '../config/deployment-plan';
import { ProviderServer, startProviderServer } from '../test-support/provider-server';
import { cleanupSynth, SynthesizedApp, synthesizeConfig } from '../test-support/synth';
import { parseTestReport, prepareDirectory, requiredProviders, terraformAsync, TerraformTestReport, testFileReport } from '../test-support/terraform';
import {
  DESTINATION_FAULTS,
  destinationTestFile,
  guardTestFile,
  runCount,
  TEST_DIRECTORY,
  writeDestinationStates,
  writeTestFiles,
} from '../test-support/tftest';

const ESTATE_FILE = path.resolve(__dirname, '..', 'examples', 'estate.yaml');
const BOTH_ROLES_DESTINATION = 'ecr-destination-build-us-east-1';
const PURE_DESTINATION = 'ecr-destination-prod-eu-west-1';
const ACTIVE_ACTIVE_SOURCES = ['ecr-source-build-us-east-1', 'ecr-source-build-eu-west-1'];
/** The destination stack of the other registry of the pair. */
const PARTNER: Record<string, string> = {
  'ecr-source-build-us-east-1': 'ecr-destination-build-eu-west-1',
  'ecr-source-build-eu-west-1': 'ecr-destination-build-us-east-1',
};
/** A copy of the registry in both roles whose team-a key also names team B's CI, and whose team-a/web uses the registry key. */
const LEAKY_DESTINATION = 'leaky-destination';

interface Outcome {
  /** `pass`, `fail`, `error`, `skip`, or `missing` when the file never completed. */
  readonly status: string;
  readonly report: Pick<TerraformTestReport, 'runs' | 'diagnostics'> & { readonly summary: Record<string, unknown> };
  readonly expectedRuns: number;
  readonly stderr: string;
}

let synthesized: SynthesizedApp | undefined;
let plan: DeploymentPlan;
let server: ProviderServer | undefined;
const outcomes = new Map<string, Outcome>();

beforeAll(async () => {
  // terraform test destroys what each file applied: the stacks are synthesized with the key teardown switch.
  const estate = parse(readFileSync(ESTATE_FILE, 'utf8'));
  synthesized = synthesizeConfig({ ...estate, keys: { ...estate.keys, preventDestroy: false } });
  plan = planDeployment(synthesized.config);
  const app = synthesized;
  const stacksDirectory = path.join(app.outdir, 'stacks');
  const providers = requiredProviders(app.stack(ACTIVE_ACTIVE_SOURCES[0]).directory);
  const starting = startProviderServer(prepareDirectory(app.stack(ACTIVE_ACTIVE_SOURCES[0]).directory, providers));
  starting.catch(() => undefined); // awaited below; no unhandled rejection meanwhile

  // One `terraform test` run in the folder of the first source, against one shared provider instance: each
  // file's runs name the folder of the stack they check in a `module` block (each terraform process loads the
  // provider schema, seconds of CPU, so one process checks all five). The guard reads the destinations' local
  // state through paths relative to the folder terraform runs in, the same for both sources.
  const destinationText = (stack: string, module: string): string =>
    destinationTestFile(
      plan.destinations.find((destination) => destination.stackName === stack)!,
      { module: `../${module}` },
    );
  // Faults in the partner registry only: the other destinations' guard terms are the same expressions.
  const guardText = (stack: string, module?: string): string =>
    guardTestFile(
      plan.sources.find((source) => source.stackName === stack)!,
      {
        faultDestinations: [PARTNER[stack]],
        ...(module === undefined ? {} : { module: `../${module}` }),
      },
    );
  const fileOf = (stack: string): string => `${stack}.tftest.hcl`;
  const [east, west] = ACTIVE_ACTIVE_SOURCES;
  const directory = app.stack(east).directory;
  const files: Record<string, string> = {
    [fileOf(east)]: guardText(east),
    [fileOf(west)]: guardText(west, west),
    [fileOf(BOTH_ROLES_DESTINATION)]: destinationText(BOTH_ROLES_DESTINATION, BOTH_ROLES_DESTINATION),
    [fileOf(PURE_DESTINATION)]: destinationText(PURE_DESTINATION, PURE_DESTINATION),
    // The same checks as the registry in both roles, on its leaky copy.
    [fileOf(LEAKY_DESTINATION)]: destinationText(BOTH_ROLES_DESTINATION, LEAKY_DESTINATION),
  };
  const leaky = path.join(stacksDirectory, LEAKY_DESTINATION);
  cpSync(app.stack(BOTH_ROLES_DESTINATION).directory, leaky, { recursive: true, verbatimSymlinks: true });
  const broken = JSON.parse(readFileSync(path.join(leaky, 'cdk.tf.json'), 'utf8'));
  const keyPolicy = JSON.parse(broken.resource.aws_kms_key['kms_key_team-a'].policy);
  for (const entry of keyPolicy.Statement) if (entry.Sid === 'AllowKeyUseThroughEcr') entry.Principal.AWS.push('arn:aws:iam::111111111111:role/team-b-ci');
  broken.resource.aws_kms_key['kms_key_team-a'].policy = JSON.stringify(keyPolicy);
  broken.resource.aws_ecr_repository.repositories.for_each['team-a/web'].kms_key = '${aws_kms_key.kms_key.arn}';
  writeFileSync(path.join(leaky, 'cdk.tf.json'), JSON.stringify(broken, null, 2));
  writeDestinationStates(app.root, 'terraform-state', plan.destinations);
  prepareDirectory(directory, providers);
  writeTestFiles(directory, files);
  // Records the module folders the runs name (no download, no provider).
  const get = await terraformAsync(['get', '-no-color'], directory);
  if (get.code !== 0) throw new Error(`terraform get failed in ${directory}:\n${get.stderr}${get.stdout}`);
  server = await starting;
  const result = await terraformAsync(['test', '-json', '-no-color'], directory, { env: server.environment });
  const report = parseTestReport(result.stdout);
  for (const [file, text] of Object.entries(files)) {
    const stack = file.slice(0, -'.tftest.hcl'.length);
    const own = testFileReport(report, `${TEST_DIRECTORY}/${file}`);
    outcomes.set(stack, {
      status: own.status,
      report: { summary: { status: own.status, ...own.summary }, runs: own.runs, diagnostics: own.diagnostics },
      expectedRuns: runCount(text),
      stderr: result.stderr,
    });
  }
}, 300_000);

afterAll(async () => {
  await server?.stop();
  cleanupSynth(synthesized);
});

function expectAllPassed(stack: string): void {
  const outcome = outcomes.get(stack)!;
  expect({
    stack,
    summary: outcome.report.summary,
    failures: outcome.report.runs.filter((run) => run.status !== 'pass'),
    diagnostics: outcome.status === 'pass' ? [] : outcome.report.diagnostics,
  }).toEqual({
    stack,
    summary: { status: 'pass', passed: outcome.expectedRuns, failed: 0, errored: 0, skipped: 0 },
    failures: [],
    diagnostics: [],
  });
}

describe('terraform test: estate destinations (namespaces, both roles, keys per namespace)', () => {
  it.each([BOTH_ROLES_DESTINATION, PURE_DESTINATION])('GIVEN %s WHEN applied with a mock provider THEN every check passes', (stack) => {
    expectAllPassed(stack);
  });

  it("GIVEN the registry in both roles THEN its test checks each namespace key's users and the templates' keys", () => {
    const text = destinationTestFile(plan.destinations.find((destination) => destination.stackName === BOTH_ROLES_DESTINATION)!);
    expect(text).toContain('the key of namespace team-a/ must name exactly its users: arn:aws:iam::111111111111:role/team-a-ci');
    expect(text).toContain('the registry key must not name the users of namespace team-b/');
    expect(text).toContain("every creation template must use its namespace's key, or the registry key outside keyed namespaces");
  });
});

describe('terraform test: the namespace-key checks bite', () => {
  it("GIVEN a team-a key that also names team B's CI and a team-a repository on the registry key THEN the destination test fails on both", () => {
    const outcome = outcomes.get(LEAKY_DESTINATION)!;
    expect(outcome.status).toBe('fail');
    const failed = outcome.report.diagnostics.filter((diagnostic) => diagnostic.summary === 'Test assertion failed').map((diagnostic) => diagnostic.detail);
    expect(failed).toEqual(
      expect.arrayContaining([
        'the key of namespace team-a/ must name exactly its users: arn:aws:iam::111111111111:role/team-a-ci',
        "every repository must be encrypted with its namespace's key, or the registry key outside keyed namespaces",
      ]),
    );
  });
});

describe('terraform test: the guard of two registries that replicate to each other', () => {
  it.each(ACTIVE_ACTIVE_SOURCES)('GIVEN %s WHEN its destinations are ready THEN the guard passes, and it fails for every fault of its partner', (stack) => {
    expectAllPassed(stack);
    const failing = outcomes.get(stack)!.report.runs.filter((run) => run.run.startsWith('guard_fails_when_'));
    expect(failing.map((run) => run.run)).toEqual(DESTINATION_FAULTS.map((fault) => `guard_fails_when_${PARTNER[stack]}_${fault}`));
  });

  it('GIVEN the pair THEN each guards the other (A checks B and B checks A)', () => {
    const [east, west] = ACTIVE_ACTIVE_SOURCES.map((stack) => outcomes.get(stack)!.report.runs.map((run) => run.run));
    expect(east).toContain('guard_fails_when_ecr-destination-build-eu-west-1_aes256');
    expect(west).toContain('guard_fails_when_ecr-destination-build-us-east-1_aes256');
  });
});
