/**
 * Apply-level behaviour of safe changes, with Terraform itself (offline):
 * - a protected key: `terraform test` applies a destination stack with a mock
 *   provider, and its teardown is refused on the key (prevent_destroy; the
 *   repositories carry it too, under the same switch);
 * - a retained and a destroyed repository: the moved + removed blocks of a
 *   synthesized stack pass `terraform validate` (Terraform refuses `removed`
 *   on a for_each instance, so the instance is moved out first).
 */
import { planDeployment } from '../config/deployment-plan';
import { exampleConfig, exampleConfigWith } from '../test-support/example-config';
import { cleanupSynth, SynthesizedApp, synthesizeConfig } from '../test-support/synth';
import { ProviderServer, startProviderServer } from '../test-support/provider-server';
import { parseTestReport, prepareDirectory, requiredProviders, terraformAsync, TerraformResult } from '../test-support/terraform';
import { mockProvider, TEST_DIRECTORY, writeTestFiles } from '../test-support/tftest';

const KEY_TEST_FILE = 'key_teardown.tftest.hcl';

const DESTINATION = 'ecr-destination-build-us-west-2';
const SOURCE = 'ecr-source-build-us-east-1';

let protectedApp: SynthesizedApp;
let retiringApp: SynthesizedApp;
let teardown: TerraformResult;
let validate: TerraformResult;
let server: ProviderServer | undefined;

beforeAll(async () => {
  protectedApp = synthesizeConfig(exampleConfig());
  const retiring = exampleConfig();
  retiring.repositories.push({ name: 'team-b/old', removal: 'retain' }, { name: 'scratch', removal: 'destroy' });
  retiringApp = synthesizeConfig(retiring);
  const destination = planDeployment(protectedApp.config).destinations.find((plan) => plan.stackName === DESTINATION)!;
  const testDirectory = protectedApp.stack(DESTINATION).directory;
  const validateDirectory = retiringApp.stack(SOURCE).directory;
  const providers = requiredProviders(testDirectory);
  // One provider instance for both terraform runs (test-support/provider-server.ts).
  const starting = startProviderServer(prepareDirectory(testDirectory, providers));
  starting.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
  prepareDirectory(validateDirectory, requiredProviders(validateDirectory));
  // Only the key (and what its policy names) is applied: the teardown is what is tested.
  const keyTest = [
    mockProvider(destination.registry),
    'run "apply_the_key" {\n  command = apply\n  plan_options {\n    target = [aws_kms_key.kms_key]\n  }\n}',
    '',
  ].join('\n\n');
  writeTestFiles(testDirectory, { [KEY_TEST_FILE]: keyTest });
  server = await starting;
  const env = server.environment;
  // Side by side: 2 cores.
  [teardown, validate] = await Promise.all([
    terraformAsync(['test', '-json', '-no-color', `-filter=${TEST_DIRECTORY}/${KEY_TEST_FILE}`], testDirectory, { env }),
    terraformAsync(['validate', '-no-color'], validateDirectory, { env }),
  ]);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  [protectedApp, retiringApp].forEach(cleanupSynth);
});

describe('GIVEN keys protected by default', () => {
  test('WHEN synthesized THEN every key and the repositories of every stack have prevent_destroy', () => {
    expect(
      protectedApp.stacks.map((stack) => [
        stack.name,
        stack.json.resource.aws_kms_key.kms_key.lifecycle,
        stack.json.resource.aws_ecr_repository.repositories.lifecycle,
      ]),
    ).toEqual([
      ['ecr-destination-build-us-west-2', { prevent_destroy: true }, { prevent_destroy: true }],
      ['ecr-destination-prod-eu-west-1', { prevent_destroy: true }, { prevent_destroy: true }],
      ['ecr-source-build-us-east-1', { prevent_destroy: true }, { prevent_destroy: true }],
    ]);
  });

  test('WHEN terraform test applies the key of a destination and tears it down THEN the destroy is refused on the key', () => {
    const report = parseTestReport(teardown.stdout);
    const errors = report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    expect({
      code: teardown.code,
      runs: report.runs.map((run) => run.status),
      errors: errors.map((error) => error.summary),
      detail: errors[0]?.detail,
    }).toEqual({
      code: 1,
      runs: ['pass'],
      errors: ['Instance cannot be destroyed'],
      detail: expect.stringContaining('Resource aws_kms_key.kms_key has lifecycle.prevent_destroy set'),
    });
  });

  test('WHEN the teardown switch keys.preventDestroy is false THEN neither the keys nor the repositories carry a lifecycle block', () => {
    const app = synthesizeConfig(exampleConfigWith({ keys: { preventDestroy: false } }));
    try {
      expect(
        app.stacks.flatMap((stack) => [stack.json.resource.aws_kms_key.kms_key.lifecycle, stack.json.resource.aws_ecr_repository.repositories.lifecycle]),
      ).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    } finally {
      cleanupSynth(app);
    }
  });
});

describe('GIVEN repositories taken out with removal', () => {
  test('WHEN synthesized THEN each retired instance is moved out of the for_each and removed, retained ones without destroying', () => {
    const json = retiringApp.stack(SOURCE).json;
    expect({ moved: json.moved, removed: json.removed, managed: Object.keys(json.resource.aws_ecr_repository.repositories.for_each) }).toEqual({
      moved: [
        { from: 'aws_ecr_repository.repositories["scratch"]', to: 'aws_ecr_repository.retired_scratch' },
        { from: 'aws_ecr_repository.repositories["team-b/old"]', to: 'aws_ecr_repository.retired_team-b_old' },
        { from: 'aws_ecr_lifecycle_policy.repositories_lifecycle_policy["team-b/old"]', to: 'aws_ecr_lifecycle_policy.retired_team-b_old' },
        { from: 'aws_ecr_repository_policy.repositories_policy["team-b/old"]', to: 'aws_ecr_repository_policy.retired_team-b_old' },
      ],
      removed: [
        { from: 'aws_ecr_repository.retired_scratch', lifecycle: { destroy: true } },
        { from: 'aws_ecr_repository.retired_team-b_old', lifecycle: { destroy: false } },
        { from: 'aws_ecr_lifecycle_policy.retired_team-b_old', lifecycle: { destroy: false } },
        { from: 'aws_ecr_repository_policy.retired_team-b_old', lifecycle: { destroy: false } },
      ],
      managed: ['team-a/api', 'web'],
    });
  });

  test('WHEN terraform validate reads the stack THEN Terraform accepts the moved and removed blocks', () => {
    expect({ code: validate.code, stderr: validate.stderr }).toEqual({ code: 0, stderr: '' });
  });
});
