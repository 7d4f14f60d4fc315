/**
 * Terraform on the export, offline, in as few runs as possible
 * (test-support/terraform-export-root.ts): `terraform fmt -check` of
 * terraform/; one `terraform init` + `terraform validate` of the root
 * composition, every module, every module example and the HCL of the CDKTF
 * stacks (the bundled example and a scaled config); one `terraform test` of
 * every module's tests; one that applies the root composition with mock
 * providers, whose state is compared with the synthesized CDKTF stacks: the
 * same resource types and counts, the same encryption, the same policies.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigFile, validateConfig } from '../config/load';
import { ConfigInput } from '../config/schema';
import { stacksAsHcl, writeStacksAsHcl } from '../tools/hcl/stacks-to-hcl';
import { terraformJsonToHcl } from '../tools/hcl/terraform-json-to-hcl';
import { compositionSummary } from '../tools/terraform-export/composition';
import { exampleConfig } from '../test-support/example-config';
import { cleanupSynth, SynthesizedApp, SynthesizedStack, synthesizeConfig } from '../test-support/synth';
import { ProviderServer, startProviderServer } from '../test-support/provider-server';
import {
  parseTestReport,
  prepareDirectory,
  requiredProviders,
  sharedInit,
  terraformAsync,
  TerraformResult,
  TerraformTestReport,
  testFileReport,
} from '../test-support/terraform';
import {
  COMPOSITION_RUN,
  COMPOSITION_TEST_FILE,
  copyExport,
  runState,
  cdktfCounts,
  cdktfPolicies,
  StateResource,
  stateCounts,
  statePolicies,
  stateResources,
  writeChecks,
  writeCompositionTest,
  writeModuleTests,
} from '../test-support/terraform-export-root';

const EXPORT_DIRECTORY = path.resolve(__dirname, '..', 'terraform');
const MODULE_TEST_FILES = [
  'encrypted_repositories.tftest.hcl',
  'kms_key.tftest.hcl',
  'replication_configuration.tftest.hcl',
  'registry_scanning.tftest.hcl',
  'replication_registry_policy.tftest.hcl',
  'repository_creation_templates.tftest.hcl',
];

/** 101 repositories (two filter chunks, so two replication rules) replicated to another account. */
function scaledConfig(): ConfigInput {
  const config = exampleConfig();
  config.repositories = Array.from({ length: 101 }, (_, index) => ({ name: `svc-${String(index).padStart(3, '0')}` }));
  config.sources = [{ account: 'build', region: 'us-east-1', destinations: [{ account: 'prod', region: 'eu-west-1' }] }];
  return config;
}

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const WILDCARD =
  'must not be the wildcard principal "*" (anyone, in any AWS account): name the IAM roles or users instead, e.g. arn:aws:iam::111111111111:role/platform-admin';
const PRINCIPAL =
  'must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. arn:aws:iam::111111111111:role/platform-admin)';
const FILTER = 'must be an ECR replication filter: 2 to 256 characters, a repository-name prefix (lowercase segments separated by "/")';

/** The example's accounts and source registry, for calls of examples/complete (a module with its own providers). */
const EXAMPLE_ACCOUNTS = [
  'accounts = {',
  '    build = { id = "111111111111", key_users = [] }',
  '    prod  = { id = "222222222222" }',
  '  }',
  '  source_registry = { account = "build", region = "us-east-1" }',
  '  repositories    = { web = {} }',
].join('\n');

/**
 * The wildcard and malformed inputs of issue 18 (and the other rules the library checks), one module call each:
 * the module, its arguments, and the messages the plan fails with (the config check's form and words).
 */
const BAD_INPUTS: readonly { readonly name: string; readonly module: string; readonly body: string; readonly messages: readonly string[] }[] = [
  { name: 'key_wildcard_administrator', module: 'kms-key', body: 'administrators = ["*"]', messages: [`administrators[0] (received "*"): ${WILDCARD}`] },
  { name: 'key_malformed_user', module: 'kms-key', body: 'users = ["not-an-arn"]', messages: [`users[0] (received "not-an-arn"): ${PRINCIPAL}`] },
  {
    name: 'key_reserved_alias',
    module: 'kms-key',
    body: 'alias = "alias/aws/ecr"',
    messages: [
      'alias (received "alias/aws/ecr"): must be alias/<name> with letters, digits, "/", "_" or "-" (at most 250 after alias/), not under alias/aws/ (reserved by AWS)',
    ],
  },
  {
    name: 'key_rotation_period',
    module: 'kms-key',
    body: 'rotation_period_in_days = 89',
    messages: [
      "rotation_period_in_days (received 89): must be a whole number of days from 90 to 2560 (KMS automatic rotation period): leave it unset for KMS's default of 365 days",
    ],
  },
  {
    name: 'key_service_role',
    module: 'kms-key',
    body: 'ecr_service_role_arns = ["arn:aws:iam::111111111111:user/ci"]',
    messages: [
      'ecr_service_role_arns[0] (received "arn:aws:iam::111111111111:user/ci"): must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<name> (e.g. arn:aws:iam::111111111111:role/ecr-replication-deployer)',
    ],
  },
  {
    name: 'repositories_public_pull',
    module: 'encrypted-repositories',
    body: `kms_key_arn = "${KEY}"\n  repositories = { web = { pull_principals = ["*"] } }`,
    messages: [`repositories["web"].pull_principals[0] (received "*"): ${WILDCARD}`],
  },
  {
    name: 'repositories_public_push',
    module: 'encrypted-repositories',
    body: `kms_key_arn = "${KEY}"\n  repositories = { web = { push_principals = ["*"] } }`,
    messages: [`repositories["web"].push_principals[0] (received "*"): ${WILDCARD}`],
  },
  {
    name: 'repositories_name',
    module: 'encrypted-repositories',
    body: `kms_key_arn = "${KEY}"\n  repositories = { "Team-A/API" = {} }`,
    messages: [
      'repositories (received "Team-A/API"): must match the ECR repository name pattern: lowercase letters and digits in segments separated by ".", "_" or "-", namespaces separated by "/" (e.g. team-a/api)',
    ],
  },
  {
    name: 'repositories_key_alias',
    module: 'encrypted-repositories',
    body: 'kms_key_arn = "alias/aws/ecr"\n  repositories = { web = {} }',
    messages: [
      'kms_key_arn (received "alias/aws/ecr"): must be the ARN of a customer-managed KMS key, arn:<partition>:kms:<region>:<account>:key/<key id>, in the account and region of the repositories; aliases (alias/aws/ecr included) are not accepted',
    ],
  },
  {
    name: 'repositories_lifecycle_rule',
    module: 'encrypted-repositories',
    body: `kms_key_arn = "${KEY}"\n  repositories = { web = { lifecycle_rules = [{ rule_priority = 1, selection = { tag_status = "tagged", count_type = "imageCountMoreThan", count_number = 5 } }] } }`,
    messages: [
      'repositories["web"].lifecycle_rules[0].selection.tag_status (received "tagged"): a rule with tagStatus tagged needs tagPrefixList or tagPatternList: add one, or use tagStatus any',
    ],
  },
  {
    name: 'repositories_lifecycle_priorities',
    module: 'encrypted-repositories',
    body: `kms_key_arn = "${KEY}"\n  repositories = { web = { lifecycle_rules = [{ rule_priority = 3, selection = { tag_status = "untagged", count_type = "imageCountMoreThan", count_number = 5 } }, { rule_priority = 3, selection = { tag_status = "untagged", count_type = "imageCountMoreThan", count_number = 9 } }] } }`,
    messages: [
      'repositories["web"].lifecycle_rules[1].rule_priority (received 3): rule priorities must be unique within a lifecycle policy (rules[0] has it too): choose another number',
    ],
  },
  {
    name: 'registry_policy_filters',
    module: 'replication-registry-policy',
    body: 'sources = { build = { account_id = "111111111111", replication_filters = ["UPPER/Case", "*"] } }',
    messages: [`sources["build"].replication_filters[0] (received "UPPER/Case"), sources["build"].replication_filters[1] (received "*"): ${FILTER}`],
  },
  {
    name: 'registry_policy_account',
    module: 'replication-registry-policy',
    body: 'sources = { build = { account_id = "11111111111", replication_filters = ["web"] } }',
    messages: ['sources["build"].account_id (received "11111111111"): must be a 12-digit AWS account id in quotes, e.g. "111111111111"'],
  },
  {
    name: 'templates_filter',
    module: 'repository-creation-templates',
    body: `kms_key_arn = "${KEY}"\n  replication_filters = ["Bad Filter!"]`,
    messages: [`replication_filters[0] (received "Bad Filter!"): ${FILTER}`],
  },
  {
    name: 'replication_names',
    module: 'replication-configuration',
    body: 'repository_names = ["*"]\n  destinations = [{ region = "eu-west-9", registry_id = "222222222222" }]',
    messages: [
      'destinations[0].region (received "eu-west-9"): must be an AWS region where ECR and KMS are offered, e.g. us-east-1, eu-west-1 or us-gov-west-1',
      `repository_names[0] (received "*"): ${FILTER}`,
    ],
  },
  {
    name: 'replication_namespace',
    module: 'replication-configuration',
    body: 'namespaces = ["team-a"]\n  destinations = [{ region = "eu-west-1", registry_id = "222222222222" }]',
    messages: [
      'namespaces[0] (received "team-a"): must be a repository-name prefix of lowercase segments (letters and digits separated by ".", "_" or "-"), each followed by "/", e.g. team-a/ or org/team-b/',
    ],
  },
  {
    name: 'example_wildcard_key_user',
    module: 'examples/complete',
    body: `${EXAMPLE_ACCOUNTS.replace('key_users = []', 'key_users = ["*"]')}\n  destinations = [{ account = "prod", region = "eu-west-1" }]`,
    messages: [`accounts["build"].key_users[0] (received "*"): ${WILDCARD}`],
  },
  {
    name: 'scanning_filter',
    module: 'registry-scanning',
    body: 'rules = [{ frequency = "SCAN_ON_PUSH", filters = ["Team-A/*"] }]',
    messages: ['rules[0].filters[0] (received "Team-A/*"): must be lowercase letters, digits, ".", "_", "-", "/" and "*" wildcards, e.g. "*" or "team-a/*"'],
  },
];

/**
 * Inputs of examples/complete that break a rule across its variables (an unknown account, a destination equal to
 * the source, a namespace without templates): `terraform validate` does not evaluate such conditions, a plan does.
 * Each is a test file of its own (a failing run stops its file), planned with mock providers, unexpected errors
 * being the point: their messages are compared.
 */
const EXAMPLE_PLAN_BAD_INPUTS: readonly { readonly name: string; readonly body: string; readonly messages: readonly string[] }[] = [
  {
    name: 'example_unknown_account',
    body: `${EXAMPLE_ACCOUNTS}\n  destinations = [{ account = "prd", region = "eu-west-1" }]`,
    messages: ['destinations[0].account (received "prd"): unknown account: define it under accounts or use one of build, prod'],
  },
  {
    name: 'example_self_replication',
    body: `${EXAMPLE_ACCOUNTS}\n  destinations = [{ account = "build", region = "us-east-1" }]`,
    messages: [
      'destinations[0] (received {"account":"build","region":"us-east-1","repository_creation_templates":true}): a destination cannot be its own source registry: change the account or the region',
    ],
  },
  {
    name: 'example_namespace_without_templates',
    body: `${EXAMPLE_ACCOUNTS}\n  namespaces = ["team-a/"]\n  destinations = [{ account = "prod", region = "eu-west-1", repository_creation_templates = false }]`,
    messages: [
      'destinations[0].repository_creation_templates (received false): this source replicates the namespaces team-a/, whose repositories only creation templates create (with the customer-managed key) in the destination: set true, or replicate listed repositories only',
    ],
  },
];

/** A test file that plans examples/complete with mock providers (one per provider slot) and one set of variables. */
function examplePlanTest(body: string): string {
  const mocks = ['source', 'destination_0', 'destination_1', 'destination_2'].map(
    (alias) =>
      `mock_provider "aws" {\n  alias = "${alias}"\n  mock_data "aws_caller_identity" {\n    defaults = {\n      account_id = "111111111111"\n    }\n  }\n}\n`,
  );
  return [
    ...mocks,
    `run "plans" {\n  command = plan\n  module {\n    source = "./examples/complete"\n  }\n  variables {\n  ${body.replace(/\n {2}/g, '\n    ')}\n  }\n}\n`,
  ].join('\n');
}

let badInputs: TerraformResult;
let temporary: string;
let synthesized: SynthesizedApp | undefined;
let fmt: TerraformResult;
let stacksFmt: TerraformResult;
const stacksHcl = new Map<string, string>();
let inits: TerraformResult[];
let validate: TerraformResult;
let moduleTests: TerraformResult;
let compositionTest: TerraformResult;
let report: TerraformTestReport;
let server: ProviderServer | undefined;
let composition: (StateResource & { module: string })[] = [];
const stackNames: string[] = [];

beforeAll(async () => {
  temporary = mkdtempSync(path.join(os.tmpdir(), 'ecr-terraform-export-'));
  const validateRoot = path.join(temporary, 'validate');
  const testRoot = path.join(temporary, 'test');
  copyExport(EXPORT_DIRECTORY, validateRoot);
  copyExport(EXPORT_DIRECTORY, testRoot);
  synthesized = synthesizeConfig(exampleConfig());
  const stacks = new Map(synthesized.stacks.map((stack) => [stack.name, terraformJsonToHcl(stack.json)]));
  // Only the scaled source stack: its two replication rules are what the example lacks; its destination stack
  // differs from the example's only in repository count (a second validation of the same HCL, ~1.5 s).
  for (const [name, text] of stacksAsHcl(validateConfig(scaledConfig(), '<scaled>').config))
    if (name.startsWith('ecr-source-')) stacks.set(`scaled-${name}`, text);
  writeStacksAsHcl(validateRoot, stacks);
  stackNames.push(...stacks.keys());
  // The estate example's stacks too (namespaces, both roles, keys per namespace): only formatted, not validated.
  const estateHcl = path.join(temporary, 'estate-hcl');
  const estate = stacksAsHcl(loadConfigFile(path.resolve(__dirname, '..', 'examples', 'estate.yaml')).config);
  writeStacksAsHcl(estateHcl, estate);
  for (const [name, text] of [...stacks, ...[...estate].map(([name, text]) => [`estate-${name}`, text] as const)]) stacksHcl.set(name, text);
  writeChecks(validateRoot, stackNames, 'build_us_east_1');
  const badRoot = path.join(temporary, 'bad-inputs');
  cpSync(path.join(EXPORT_DIRECTORY, 'modules'), path.join(badRoot, 'modules'), { recursive: true });
  cpSync(path.join(EXPORT_DIRECTORY, 'examples', 'complete'), path.join(badRoot, 'examples', 'complete'), { recursive: true });
  writeFileSync(
    path.join(badRoot, 'bad_inputs.tf'),
    [
      'provider "aws" {\n  region = "eu-west-1"\n}\n',
      ...BAD_INPUTS.map(
        (input) =>
          `module "${input.name}" {\n  source = "./${input.module.startsWith('examples/') ? input.module : `modules/${input.module}`}"\n  ${input.body}\n}\n`,
      ),
    ].join('\n'),
  );
  writeModuleTests(testRoot);
  for (const input of EXAMPLE_PLAN_BAD_INPUTS) writeFileSync(path.join(testRoot, 'tests', `${input.name}.tftest.hcl`), examplePlanTest(input.body));
  writeCompositionTest(testRoot, synthesized.config);
  // The shared provider install (linked, not copied) and one shared provider process for every run below.
  const providers = requiredProviders(synthesized.stacks[0].directory);
  prepareDirectory(validateRoot, providers);
  prepareDirectory(testRoot, providers);
  prepareDirectory(badRoot, providers);
  const starting = startProviderServer(sharedInit(providers));
  starting.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
  const initArguments = ['init', '-backend=false', '-input=false', '-no-color'];
  [fmt, stacksFmt, ...inits] = await Promise.all([
    terraformAsync(['fmt', '-check', '-recursive', '-no-color'], EXPORT_DIRECTORY),
    terraformAsync(['fmt', '-check', '-recursive', '-no-color', path.join(validateRoot, 'stacks'), path.join(estateHcl, 'stacks')], temporary),
    terraformAsync(initArguments, validateRoot),
    terraformAsync(initArguments, testRoot),
    terraformAsync(initArguments, badRoot),
  ]);
  server = await starting;
  const env = server.environment;
  [validate, moduleTests, compositionTest, badInputs] = await Promise.all([
    terraformAsync(['validate', '-json', '-no-color'], validateRoot, { env }),
    terraformAsync(
      [
        'test',
        '-json',
        '-no-color',
        ...[...MODULE_TEST_FILES, ...EXAMPLE_PLAN_BAD_INPUTS.map((input) => `${input.name}.tftest.hcl`)].map((file) => `-filter=tests/${file}`),
      ],
      testRoot,
      { env },
    ),
    terraformAsync(['test', '-json', '-verbose', '-no-color', `-filter=tests/${COMPOSITION_TEST_FILE}`], testRoot, { env }),
    terraformAsync(['validate', '-json', '-no-color'], badRoot, { env }),
  ]);
  const modules = parseTestReport(moduleTests.stdout);
  const applied = parseTestReport(compositionTest.stdout);
  report = {
    summary: undefined,
    runs: [...modules.runs, ...applied.runs],
    diagnostics: [...modules.diagnostics, ...applied.diagnostics],
    files: [...modules.files, ...applied.files],
  };
  composition = stateResources(runState(compositionTest.stdout, COMPOSITION_RUN) ?? {});
}, 600_000);

afterAll(async () => {
  await server?.stop();
  cleanupSynth(synthesized);
  if (temporary) rmSync(temporary, { recursive: true, force: true });
});

describe('terraform fmt, init and validate', () => {
  test('GIVEN terraform/ THEN terraform fmt -check finds nothing to change', () => {
    expect({ code: fmt.code, files: fmt.stdout }).toEqual({ code: 0, files: '' });
  });

  test('GIVEN the stacks as HCL (npm run synth:hcl) of the example, a scaled config and the estate THEN terraform fmt -check finds nothing to change', () => {
    expect({ code: stacksFmt.code, files: stacksFmt.stdout, stderr: stacksFmt.stderr }).toEqual({ code: 0, files: '', stderr: '' });
    expect(stacksHcl.size).toBeGreaterThan(10);
  });

  test('GIVEN the stacks as HCL THEN each requires the AWS provider by its full source, hashicorp/aws', () => {
    for (const [name, text] of stacksHcl) {
      expect({ name, providers: /required_providers \{\n {4}aws = \{\n {6}source {2}= "([^"]+)"/.exec(text)?.[1] }).toEqual({
        name,
        providers: 'hashicorp/aws',
      });
    }
  });

  test('GIVEN the export THEN terraform init installs its modules and the provider with the project CLI config', () => {
    expect(inits.map((init) => ({ code: init.code, stderr: init.stderr }))).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);
  });

  test('GIVEN the root composition, every module, example and stack (the example and the scaled source) THEN terraform validate reports no error', () => {
    const result = JSON.parse(validate.stdout) as { valid: boolean; diagnostics: { severity: string; summary: string; detail?: string }[] };
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
    expect(stackNames).toEqual([
      'ecr-destination-build-us-west-2',
      'ecr-destination-prod-eu-west-1',
      'ecr-source-build-us-east-1',
      'scaled-ecr-source-build-us-east-1',
    ]);
  });
});

describe("inputs the library refuses, refused by the modules with the library's messages", () => {
  const messages = (name: string): string[] => {
    const result = JSON.parse(badInputs.stdout) as { diagnostics: { severity: string; detail: string; snippet?: { context?: string } }[] };
    return result.diagnostics
      .filter((diagnostic) => diagnostic.severity === 'error' && diagnostic.snippet?.context === `module "${name}"`)
      .map((diagnostic) => diagnostic.detail.split('\n\n')[0])
      .sort();
  };

  test.each(BAD_INPUTS.map((input) => [input.name, input.module, input]))(
    'GIVEN %s WHEN module %s is validated THEN it fails with the library message',
    (name, _module, input) => {
      expect(messages(name)).toEqual([...input.messages].sort());
    },
  );
});

describe('inputs of examples/complete that break a rule across variables, refused when planned', () => {
  test.each(EXAMPLE_PLAN_BAD_INPUTS.map((input) => [input.name, input]))(
    'GIVEN %s WHEN the example is planned THEN it fails with the library message',
    (name, input) => {
      const file = testFileReport(report, `tests/${name}.tftest.hcl`);
      expect(file.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => diagnostic.detail.split('\n\n')[0])).toEqual(
        input.messages,
      );
    },
  );
});

describe('terraform test', () => {
  test.each(MODULE_TEST_FILES)("GIVEN the module's %s THEN every run passes", (file) => {
    const runs = report.runs.filter((run) => run.file === `tests/${file}`);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.filter((run) => run.status !== 'pass')).toEqual([]);
  });

  test('GIVEN mock providers THEN the root composition applies in one run', () => {
    expect(report.runs.filter((run) => run.file === `tests/${COMPOSITION_TEST_FILE}`)).toEqual([
      { file: `tests/${COMPOSITION_TEST_FILE}`, run: COMPOSITION_RUN, status: 'pass' },
    ]);
    const expectedFailures = new Set(EXAMPLE_PLAN_BAD_INPUTS.map((input) => `tests/${input.name}.tftest.hcl`));
    expect(report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error' && !expectedFailures.has(diagnostic.file ?? ''))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// The composition and the CDKTF stacks describe the same registries.

function registries(): { stack: SynthesizedStack; resources: (StateResource & { module: string })[] }[] {
  return compositionSummary(synthesized!.config).registries.map((registry) => ({
    stack: synthesized!.stack(registry.stackName),
    resources: composition.filter((resource) => resource.module.startsWith(`module.${registry.prefix}_`)),
  }));
}

describe('the root composition and the CDKTF stacks of the example', () => {
  test('GIVEN the example THEN the composition holds the registries of every stack', () => {
    expect(registries().map(({ stack, resources }) => [stack.name, resources.length > 0])).toEqual([
      ['ecr-destination-build-us-west-2', true],
      ['ecr-destination-prod-eu-west-1', true],
      ['ecr-source-build-us-east-1', true],
    ]);
  });

  test('GIVEN each registry THEN both have the same resource types and instance counts', () => {
    for (const { stack, resources } of registries())
      expect({ stack: stack.name, counts: stateCounts(resources) }).toEqual({ stack: stack.name, counts: cdktfCounts(stack) });
  });

  test('GIVEN each registry THEN every repository is KMS-encrypted with the registry key in both', () => {
    for (const { stack, resources } of registries()) {
      const key = resources.find((resource) => resource.type === 'aws_kms_key')!;
      expect(key.values.enable_key_rotation).toBe(true);
      const repositories = resources.filter((resource) => resource.type === 'aws_ecr_repository');
      expect(repositories.map((repository) => repository.values.encryption_configuration)).toEqual(
        repositories.map(() => [{ encryption_type: 'KMS', kms_key: key.values.arn }]),
      );
      expect(stack.json.resource.aws_ecr_repository.repositories.encryption_configuration).toEqual([
        { encryption_type: 'KMS', kms_key: '${aws_kms_key.kms_key.arn}' },
      ]);
    }
  });

  test('GIVEN each registry THEN the key, registry, repository, lifecycle and role policies are the same documents', () => {
    for (const { stack, resources } of registries()) {
      expect({ stack: stack.name, policies: statePolicies(resources) }).toEqual({ stack: stack.name, policies: cdktfPolicies(stack, resources) });
    }
  });

  test('GIVEN the source THEN the replication rules are the same', () => {
    const [{ stack, resources }] = registries().filter(({ stack: candidate }) => candidate.role === 'source');
    const rules = (rule: { destination: { region: string; registry_id: string }[]; repository_filter: { filter: string; filter_type: string }[] }) => ({
      destinations: rule.destination.map((destination) => `${destination.registry_id}/${destination.region}`),
      filters: rule.repository_filter.map((filter) => `${filter.filter_type}:${filter.filter}`),
    });
    const configuration = resources.find((resource) => resource.type === 'aws_ecr_replication_configuration')!;
    expect(configuration.values.replication_configuration[0].rule.map(rules)).toEqual(
      stack.json.resource.aws_ecr_replication_configuration.replication.replication_configuration.rule.map(rules),
    );
    expect(configuration.values.replication_configuration[0].rule.map(rules)).toEqual([
      { destinations: ['111111111111/us-west-2', '222222222222/eu-west-1'], filters: ['PREFIX_MATCH:team-a/api', 'PREFIX_MATCH:web'] },
    ]);
  });
});
