/**
 * Terraform working folders that check the whole export in few Terraform
 * runs (each costs seconds, mostly starting the AWS provider plugin):
 *
 * - a copy of terraform/ (the root composition and its modules) plus a
 *   `checks.tf` that calls every module example and the HCL of CDKTF stacks
 *   as child modules, so one `terraform validate` validates all of them;
 * - a copy with `tests/`: each module's own test file, its runs pointed at
 *   the module (`module { source = "./modules/<name>" }`), so one
 *   `terraform test` runs them all, and a test that applies the root
 *   composition with one mock provider per registry (run with `-verbose`,
 *   which prints the composition's state).
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Config } from '../config/schema';
import { SynthesizedStack } from './synth';
import { planDeployment, Registry } from '../config/deployment-plan';
import { iamRoleArn } from '../modules/ecr/regions';
import { providerAlias } from '../modules/aws-provider';
import { creationTemplateRoleName } from '../stacks/resource-names';
import { attribute, block, expr, renderFile } from '../tools/hcl/hcl-writer';
import { TERRAFORM_MODULES } from '../tools/terraform-export/export';
import { COMPLETE_EXAMPLE_FOLDER, COMPLETE_EXAMPLE_VALUES } from '../tools/terraform-export/complete-example';

export const CHECKS_FILE = 'checks.tf';
export const COMPOSITION_TEST_FILE = 'composition.tftest.hcl';
export const COMPOSITION_RUN = 'composition_applies';

/** The key ARN the mock provider of a registry gives its key (a key id in the form KMS uses). */
export function mockKeyArn(registry: Registry): string {
  return `arn:${registry.partition}:kms:${registry.region}:${registry.account.id}:key/00000000-0000-4000-8000-${registry.account.id}`;
}

/** Copies the export, leaving out Terraform's working files. */
export function copyExport(exportDirectory: string, root: string): void {
  cpSync(exportDirectory, root, {
    recursive: true,
    filter: (source) => !['.terraform', '.terraform.lock.hcl', 'terraform-state'].includes(path.basename(source)),
  });
}

/**
 * `checks.tf`: every module's usage example (the body of examples/<name>/main.tf)
 * and every stack folder under `stacks/` as module calls. The examples reuse
 * one of the root's providers: each provider configuration costs a provider
 * plugin start, the largest part of a validate.
 */
export function writeChecks(root: string, stackNames: readonly string[], providerAliasForExamples: string): void {
  const examples = TERRAFORM_MODULES.map((definition) =>
    renderFile([
      ...(definition.examplePrelude ?? []),
      block(
        'module',
        [`example_${definition.name.replace(/-/g, '_')}`],
        [attribute('source', `./modules/${definition.name}`), attribute('providers', { aws: expr(`aws.${providerAliasForExamples}`) }), ...definition.example],
      ),
    ]),
  );
  const stacks = stackNames.map((name) => `module "stack_${name.replace(/-/g, '_')}" {\n  source = "./stacks/${name}"\n}\n`);
  // The complete example with the values of its terraform.tfvars.example (it configures its own providers).
  const complete = renderFile([block('module', ['example_complete'], [attribute('source', `./${COMPLETE_EXAMPLE_FOLDER}`), ...COMPLETE_EXAMPLE_VALUES])]);
  writeFileSync(path.join(root, CHECKS_FILE), [...examples, complete, ...stacks].join('\n'));
}

/** Each module's test file with its runs pointed at the module, into `<root>/tests/`. */
export function writeModuleTests(root: string): string[] {
  mkdirSync(path.join(root, 'tests'), { recursive: true });
  const written: string[] = [];
  for (const name of readdirSync(path.join(root, 'modules')).sort()) {
    const folder = path.join(root, 'modules', name, 'tests');
    for (const file of readdirSync(folder).filter((candidate) => candidate.endsWith('.tftest.hcl'))) {
      const text = readFileSync(path.join(folder, file), 'utf8').replace(/^(run "[^"]+" \{)$/gm, `$1\n  module {\n    source = "./modules/${name}"\n  }\n`);
      writeFileSync(path.join(root, 'tests', file), text);
      written.push(`tests/${file}`);
    }
  }
  return written;
}

function mockProvider(registry: Registry): string {
  const alias = providerAlias(registry.accountName, registry.region);
  const account = registry.account.id;
  const resources: Record<string, Record<string, string>> = {
    aws_kms_key: { arn: mockKeyArn(registry), key_id: mockKeyArn(registry).split('/')[1] },
    aws_iam_role: { arn: iamRoleArn(registry.partition, account, creationTemplateRoleName(registry.region)) },
    aws_ecr_repository: { registry_id: account },
    aws_ecr_registry_policy: { registry_id: account },
    aws_ecr_replication_configuration: { registry_id: account },
    aws_ecr_registry_scanning_configuration: { registry_id: account },
  };
  const data: Record<string, Record<string, string>> = {
    aws_caller_identity: { account_id: account },
    aws_region: { name: registry.region },
    aws_partition: { partition: registry.partition, dns_suffix: registry.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com' },
  };
  const blocks = (kind: string, entries: Record<string, Record<string, string>>): string[] =>
    Object.entries(entries).map(
      ([type, defaults]) =>
        `  ${kind} ${JSON.stringify(type)} {\n    defaults = {\n${Object.entries(defaults)
          .map(([key, value]) => `      ${key} = ${JSON.stringify(value)}`)
          .join('\n')}\n    }\n  }`,
    );
  return [`mock_provider "aws" {`, `  alias = ${JSON.stringify(alias)}`, ...blocks('mock_data', data), ...blocks('mock_resource', resources), '}'].join('\n');
}

/** Override file of the composition test: the keys' protection off, so that `terraform test` can destroy what it applied. */
export const COMPOSITION_OVERRIDE_FILE = 'composition_override.tf';

/**
 * A test that applies the root composition with one mock provider per
 * registry. The keys are protected by default (prevent_destroy), which would
 * fail the test's own teardown: an override file (Terraform merges
 * `*_override.tf` into the module calls) switches the protection off, as a
 * team's teardown does.
 */
export function writeCompositionTest(root: string, config: Config): void {
  const keyCalls = [...readFileSync(path.join(root, 'main.tf'), 'utf8').matchAll(/^module "([a-z0-9_]+_key)" \{$/gm)].map((match) => match[1]);
  writeFileSync(path.join(root, COMPOSITION_OVERRIDE_FILE), renderFile(keyCalls.map((name) => block('module', [name], [attribute('prevent_destroy', false)]))));
  const plan = planDeployment(config);
  const registries = new Map<string, Registry>();
  for (const entry of [...plan.destinations, ...plan.sources]) registries.set(providerAlias(entry.registry.accountName, entry.registry.region), entry.registry);
  const text = [...[...registries.values()].map(mockProvider), `run "${COMPOSITION_RUN}" {\n  command = apply\n}`, ''].join('\n\n');
  mkdirSync(path.join(root, 'tests'), { recursive: true });
  writeFileSync(path.join(root, 'tests', COMPOSITION_TEST_FILE), text);
}

/** A resource instance of `terraform show -json` state (as `terraform test -verbose` prints it). */
export interface StateResource {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider attribute values
  readonly values: Record<string, any>;
}

interface StateModule {
  readonly address?: string;
  readonly resources?: readonly StateResource[];
  readonly child_modules?: readonly StateModule[];
}

/** The state `terraform test -verbose` prints (`terraform show -json` wraps the same in `values`). */
export interface TestState {
  readonly root_module?: StateModule;
  readonly values?: { readonly root_module?: StateModule };
}

/** Every managed resource instance of a state, with its module address. */
export function stateResources(state: TestState): (StateResource & { module: string })[] {
  const walk = (module: StateModule | undefined): (StateResource & { module: string })[] =>
    module
      ? [
          ...(module.resources ?? []).filter((resource) => resource.mode === 'managed').map((resource) => ({ ...resource, module: module.address ?? '' })),
          ...(module.child_modules ?? []).flatMap(walk),
        ]
      : [];
  return walk(state.root_module ?? state.values?.root_module);
}

/** The `test_state` that `terraform test -json -verbose` printed for a run. */
export function runState(stdout: string, run: string): TestState | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line) as Record<string, unknown>;
    if (message['@testrun'] === run && message.test_state) return message.test_state as TestState;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Comparing the composition's state with a synthesized CDKTF stack.

/** How many instances a synthesized `for_each` makes: an object's keys, a list, or cdktf's `${toset([...])}` of a list iterator. */
function instanceCount(forEach: unknown): number {
  if (forEach === undefined) return 1;
  if (Array.isArray(forEach)) return forEach.length;
  if (forEach !== null && typeof forEach === 'object') return Object.keys(forEach).length;
  const list = /^\$\{toset\((\[.*\])\)\}$/s.exec(String(forEach));
  if (list) return (JSON.parse(list[1]) as unknown[]).length;
  throw new Error(`cannot count the instances of for_each ${String(forEach)}`);
}

/** Resource instances by type in a synthesized stack. */
export function cdktfCounts(stack: SynthesizedStack): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [type, resources] of Object.entries(stack.json.resource as Record<string, Record<string, { for_each?: unknown }>>)) {
    for (const resource of Object.values(resources)) counts[type] = (counts[type] ?? 0) + instanceCount(resource.for_each);
  }
  return counts;
}

export function stateCounts(resources: readonly StateResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of resources) counts[resource.type] = (counts[resource.type] ?? 0) + 1;
  return counts;
}

/** Replaces `${type.name.attribute}` in synthesized text with the value of the registry's one resource of that type in the state. */
export function resolved(text: string, resources: readonly StateResource[]): string {
  return text.replace(/\$\{([a-z0-9_]+)\.([a-z0-9_]+)\.([a-z0-9_]+)\}/g, (_reference, type: string, _name: string, attribute: string) => {
    const matches = resources.filter((resource) => resource.type === type);
    if (matches.length !== 1) throw new Error(`${type}: ${matches.length} instances in the composition, expected 1`);
    return String(matches[0].values[attribute]);
  });
}

/** JSON documents compared: IAM-style policies, and the lifecycle policy of the creation templates (`defaultLifecyclePolicy`). */
const POLICY_ATTRIBUTES = ['policy', 'assume_role_policy', 'lifecycle_policy'];

/** Policy-like attributes (JSON text) by resource type, keyed by for_each key or the resource type. */
export function cdktfPolicies(stack: SynthesizedStack, resources: readonly StateResource[]): Record<string, unknown> {
  const policies: Record<string, unknown> = {};
  for (const [type, instances] of Object.entries(stack.json.resource as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const resource of Object.values(instances)) {
      for (const attribute of POLICY_ATTRIBUTES) {
        const value = resource[attribute];
        if (typeof value !== 'string') continue;
        if (value === '${each.value}' && resource.for_each && typeof resource.for_each === 'object') {
          for (const [key, policy] of Object.entries(resource.for_each as Record<string, string>))
            policies[`${type}[${key}].${attribute}`] = JSON.parse(resolved(policy, resources));
        } else policies[`${type}.${attribute}`] = JSON.parse(resolved(value, resources));
      }
    }
  }
  return policies;
}

export function statePolicies(resources: readonly StateResource[]): Record<string, unknown> {
  const policies: Record<string, unknown> = {};
  for (const resource of resources) {
    for (const attribute of POLICY_ATTRIBUTES) {
      const value = resource.values[attribute];
      if (typeof value !== 'string' || value === '') continue;
      const key =
        resource.index === undefined || resource.type === 'aws_ecr_repository_creation_template'
          ? `${resource.type}.${attribute}`
          : `${resource.type}[${resource.index}].${attribute}`;
      policies[key] = JSON.parse(value);
    }
  }
  return policies;
}
