/**
 * Renders Terraform test files (`.tftest.hcl`) for synthesized stacks and
 * writes them into `<stack>/tests/`. Expectations come from the deployment
 * plan (config/topology.ts), not from the synthesized JSON, so the tests
 * check what the stacks do against what the config asks for.
 *
 * - destination stacks: `command = apply` against a mock provider whose
 *   defaults give real-looking ARNs; key rotation, KMS encryption of every
 *   repository with the stack's own key, the cross-account registry policy,
 *   the creation templates and the outputs the source guard reads.
 * - source stacks: `command = plan` with `override_data` on every
 *   `data.terraform_remote_state` the guard reads; the guard passes when every
 *   destination is ready and fails (`expect_failures`) when one is missing,
 *   lacks a repository, uses AES256 or another key.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { accountRootArn, dnsSuffixOf, ecrRepositoryArn, iamRoleArn } from '../modules/ecr/regions';
import { DestinationRegistryPlan, Registry, SourceRegistryPlan } from '../config/deployment-plan';
import { providerAlias } from '../modules/aws-provider';
import { creationTemplateRoleName } from '../stacks/resource-names';
import { NamespaceKeyPlan, namespaceKeyOf, namespaceKeyOfTemplate } from '../config/namespace-plan';
import { creationTemplatePrefixes } from '../modules/repository-creation-templates';
import { creationTemplatePrefixOfNamespace, isInNamespace } from '../modules/ecr/namespaces';

/** Folder, inside a stack folder, that `terraform test` reads by default. */
export const TEST_DIRECTORY = 'tests';
export const DESTINATION_TEST_FILE = 'destination.tftest.hcl';
export const GUARD_TEST_FILE = 'replication_guard.tftest.hcl';
/** A file whose single run is meant to fail: not part of the passing suite, run it with `-filter`. */
export const GUARD_FAILURE_FILE = 'replication_guard_failure.tftest.hcl';

// ---------------------------------------------------------------------------
// HCL rendering

/** A Terraform expression written verbatim by `hcl()`. */
export class Expression {
  constructor(readonly text: string) {}
}
export const expr = (text: string): Expression => new Expression(text);

/** An HCL string literal: JSON escaping plus escaped template sequences. */
export function hclString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/** Renders a JSON-like value (or an Expression) as an HCL expression. */
export function hcl(value: unknown, indent = ''): string {
  if (value instanceof Expression) return value.text;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')) {
      return `[${value.map((item) => hcl(item)).join(', ')}]`;
    }
    return `[\n${value.map((item) => `${inner}${hcl(item, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${inner}${hclString(key)} = ${hcl(item, inner)}`).join('\n')}\n${indent}}`;
}

function indented(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${indent}${line}`))
    .join('\n');
}

function assertBlock(condition: string, errorMessage: string): string {
  return `assert {\n  condition     = ${condition}\n  error_message = ${hclString(errorMessage)}\n}`;
}

/**
 * Where the runs of a rendered file apply. By default to the configuration
 * `terraform test` runs in; with `module`, every run applies to that folder
 * instead (a `module { source = ... }` block in each run, a path relative to
 * the folder terraform runs in, installed by `terraform get`), so one
 * `terraform test` can check several stack folders.
 */
export interface TestFileOptions {
  /** A local module source, e.g. `../ecr-destination-prod-eu-west-1`. */
  readonly module?: string;
}

function runBlock(name: string, body: readonly string[], options: TestFileOptions = {}): string {
  const parts = options.module === undefined ? body : [`module {\n  source = ${hclString(options.module)}\n}`, ...body];
  return `run ${hclString(name)} {\n${parts.map((part) => indented(part, '  ')).join('\n\n')}\n}`;
}

/** Run names are identifiers: letters, digits, `_` and `-`. */
export function runName(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

// ---------------------------------------------------------------------------
// Fake but well-formed identifiers

/** A deterministic UUID for a seed: KMS key ids look like real ones. */
export function fakeUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function fakeKeyArn(registry: Registry, seed = 'registry-key'): string {
  return `arn:${registry.partition}:kms:${registry.region}:${registry.account.id}:key/${fakeUuid(`${registry.accountName}/${registry.region}/${seed}`)}`;
}

export function repositoryArn(registry: Pick<Registry, 'partition' | 'region'> & { account: { id: string } }, name: string): string {
  return ecrRepositoryArn(registry.partition, registry.region, registry.account.id, name);
}

export function repositoryUrl(registry: Registry, name: string): string {
  return `${registry.account.id}.dkr.ecr.${registry.region}.${dnsSuffixOf(registry.region)}/${name}`;
}

/** The name the source stack gives the remote state of a destination. */
export function remoteStateName(destination: Registry): string {
  return `destination_${providerAlias(destination.accountName, destination.region)}`;
}

// ---------------------------------------------------------------------------
// Shared blocks

/** `mock_provider "aws"` for the stack's aliased provider, with real-looking computed values. */
export function mockProvider(registry: Registry): string {
  const keyArn = fakeKeyArn(registry);
  const keyId = keyArn.slice(keyArn.lastIndexOf('/') + 1);
  const resources: Record<string, Record<string, unknown>> = {
    aws_kms_key: { arn: keyArn, key_id: keyId },
    aws_kms_alias: { arn: `arn:${registry.partition}:kms:${registry.region}:${registry.account.id}:alias/mock`, target_key_arn: keyArn },
    aws_iam_role: {
      arn: iamRoleArn(registry.partition, registry.account.id, creationTemplateRoleName(registry.region)),
      unique_id: 'AROAMOCKMOCKMOCKMOCK1',
    },
    aws_ecr_repository: {
      arn: repositoryArn(registry, 'mock'),
      registry_id: registry.account.id,
      repository_url: repositoryUrl(registry, 'mock'),
    },
    aws_ecr_registry_policy: { registry_id: registry.account.id },
    aws_ecr_replication_configuration: { registry_id: registry.account.id },
    aws_ecr_lifecycle_policy: { registry_id: registry.account.id },
    aws_ecr_repository_policy: { registry_id: registry.account.id },
    aws_ecr_repository_creation_template: { registry_id: registry.account.id },
  };
  const blocks = Object.entries(resources).map(([type, defaults]) => `mock_resource ${hclString(type)} {\n  defaults = ${hcl(defaults, '  ')}\n}`);
  return `mock_provider "aws" {\n  alias = ${hclString(providerAlias(registry.accountName, registry.region))}\n\n${blocks
    .map((block) => indented(block, '  '))
    .join('\n\n')}\n}`;
}

/** Gives each `for_each` repository its own ARN and URL (mock defaults are one value per type). */
function repositoryOverrides(registry: Registry, names: readonly string[]): string[] {
  return names.map(
    (name) =>
      `override_resource {\n  target = aws_ecr_repository.repositories[${hclString(name)}]\n  values = ${hcl(
        { arn: repositoryArn(registry, name), repository_url: repositoryUrl(registry, name), registry_id: registry.account.id },
        '  ',
      )}\n}`,
  );
}

/** Equality of two string lists regardless of order, robust to Terraform's list/tuple types. */
function sameStrings(expression: string, expected: readonly string[]): string {
  return `jsonencode(sort(${expression})) == ${hclString(JSON.stringify([...expected].sort()))}`;
}

/** The mock ARN of a namespace's own key in a registry (distinct from the registry key's). */
export function fakeNamespaceKeyArn(registry: Registry, namespace: string): string {
  return fakeKeyArn(registry, `namespace:${namespace}`);
}

/** The ARN a repository or template prefix's key has in the mocks: its namespace key's, or the registry key's. */
function expectedKeyArn(registry: Registry, key: NamespaceKeyPlan | undefined): string {
  return key === undefined ? fakeKeyArn(registry) : fakeNamespaceKeyArn(registry, key.namespace);
}

/** Gives each namespace key its own ARN (mock defaults are one value per type). */
function namespaceKeyOverrides(registry: Registry, keys: readonly NamespaceKeyPlan[]): string[] {
  return keys.map((key) => {
    const arn = fakeNamespaceKeyArn(registry, key.namespace);
    return `override_resource {\n  target = aws_kms_key.kms_key_${key.slug}\n  values = ${hcl({ arn, key_id: arn.slice(arn.lastIndexOf('/') + 1) }, '  ')}\n}`;
  });
}

/** Key use principals of a key policy (the AllowKeyUseThroughEcr statement), as a Terraform expression. */
function keyUsers(keyAddress: string): string {
  return `flatten([for statement in jsondecode(${keyAddress}.policy).Statement : flatten([statement.Principal.AWS]) if statement.Sid == "AllowKeyUseThroughEcr"])`;
}

/** Apply-level assertions on a destination stack's namespace keys: each encrypts its namespace only, and names only its users. */
function namespaceKeyAsserts(plan: DestinationRegistryPlan, names: readonly string[]): string[] {
  const registry = plan.registry;
  const keys = plan.namespaceKeys;
  const keyOf = (name: string) => namespaceKeyOf(name, keys);
  const asserts = keys.flatMap((key) => [
    assertBlock(`aws_kms_key.kms_key_${key.slug}.enable_key_rotation == true`, `the key of namespace ${key.namespace} must have automatic rotation enabled`),
    assertBlock(
      sameStrings(keyUsers(`aws_kms_key.kms_key_${key.slug}`), key.users),
      `the key of namespace ${key.namespace} must name exactly its users: ${key.users.join(', ') || 'none'}`,
    ),
    assertBlock(
      `length(setintersection(toset(${keyUsers('aws_kms_key.kms_key')}), toset(${hcl([...key.users])}))) == 0`,
      `the registry key must not name the users of namespace ${key.namespace}`,
    ),
  ]);
  const expectedRepositoryKeys = Object.fromEntries(names.map((name) => [name, expectedKeyArn(registry, keyOf(name))]));
  asserts.push(
    assertBlock(
      `alltrue([for name, repository in aws_ecr_repository.repositories : repository.encryption_configuration[0].kms_key == ${hcl(expectedRepositoryKeys, '')}[name]])`,
      "every repository must be encrypted with its namespace's key, or the registry key outside keyed namespaces",
    ),
    assertBlock(
      `jsonencode(output.namespace_kms_key_arns) == ${hclString(JSON.stringify(Object.fromEntries(keys.map((key) => [key.namespace, fakeNamespaceKeyArn(registry, key.namespace)]))))}`,
      'output namespace_kms_key_arns must list every namespace key',
    ),
  );
  if (plan.repositoryCreationTemplates) {
    const expectedTemplateKeys = Object.fromEntries(
      creationTemplatePrefixes(plan.replicationFilters).map((prefix) => [prefix, expectedKeyArn(registry, namespaceKeyOfTemplate(prefix, keys))]),
    );
    asserts.push(
      assertBlock(
        `alltrue([for prefix, template in aws_ecr_repository_creation_template.creation_templates : template.encryption_configuration[0].kms_key == ${hcl(expectedTemplateKeys, '')}[prefix]])`,
        "every creation template must use its namespace's key, or the registry key outside keyed namespaces",
      ),
    );
  }
  return asserts;
}

function header(title: string): string {
  return `# Generated by test-support/tftest.ts: ${title}\n`;
}

// ---------------------------------------------------------------------------
// Destination stacks

/** Apply-level assertions on a destination stack. */
export function destinationTestFile(plan: DestinationRegistryPlan, options: TestFileOptions = {}): string {
  const registry = plan.registry;
  const names = plan.repositories.map((repository) => repository.name);
  const keyArn = fakeKeyArn(registry);
  const asserts: string[] = [
    assertBlock('aws_kms_key.kms_key.enable_key_rotation == true', 'the registry key must have automatic rotation enabled'),
    assertBlock(`aws_kms_key.kms_key.arn == ${hclString(keyArn)}`, 'the mock key ARN must be the real-looking default (mock_resource defaults not applied?)'),
    assertBlock(sameStrings('keys(aws_ecr_repository.repositories)', names), `the stack must create exactly the repositories ${names.join(', ')}`),
    plan.namespaceKeys.length === 0
      ? assertBlock(
          `alltrue([for name, repository in aws_ecr_repository.repositories : repository.encryption_configuration[0].encryption_type == "KMS" && repository.encryption_configuration[0].kms_key == aws_kms_key.kms_key.arn])`,
          "every repository must be encrypted with KMS under the stack's own key",
        )
      : assertBlock(
          `alltrue([for name, repository in aws_ecr_repository.repositories : repository.encryption_configuration[0].encryption_type == "KMS"])`,
          'every repository must be encrypted with KMS',
        ),
    assertBlock(
      `alltrue([for name in ${hcl(names)} : aws_ecr_repository.repositories[name].arn == "${repositoryArn(registry, '')}\${name}"])`,
      'repository ARNs must be the per-repository ARNs of the overrides',
    ),
    assertBlock(`output.kms_key_arn == ${hclString(keyArn)}`, "output kms_key_arn must be the stack's key"),
    assertBlock(sameStrings('keys(output.repositories)', names), 'output repositories must list every repository'),
    assertBlock(
      plan.namespaceKeys.length === 0
        ? `alltrue([for name in ${hcl(names)} : output.repositories[name].encryption_type == "KMS" && output.repositories[name].kms_key == ${hclString(keyArn)}])`
        : `alltrue([for name in ${hcl(names)} : output.repositories[name].encryption_type == "KMS" && output.repositories[name].kms_key == ${hcl(
            Object.fromEntries(names.map((name) => [name, expectedKeyArn(registry, namespaceKeyOf(name, plan.namespaceKeys))])),
            '',
          )}[name]])`,
      'output repositories (read by the source guard) must report KMS encryption with the stack key',
    ),
    assertBlock(sameStrings('output.replication_filters', plan.replicationFilters), 'output replication_filters must list the plan filters'),
  ];

  if (plan.crossAccountSources.length > 0) {
    const statements = 'jsondecode(aws_ecr_registry_policy.registry_policy.policy).Statement';
    asserts.push(
      assertBlock(`length(${statements}) == ${plan.crossAccountSources.length}`, 'the registry policy must hold one statement per cross-account source'),
      assertBlock(
        `!anytrue([for statement in ${statements} : anytrue([for resource in flatten([statement.Resource]) : endswith(resource, ":repository/*") || resource == "*"])])`,
        'the registry policy must not grant repository/* or *',
      ),
    );
    for (const source of plan.crossAccountSources) {
      const principal = accountRootArn(registry.partition, source.account.id);
      const resources = source.replicationFilters.map((filter) => `${repositoryArn(registry, filter)}*`);
      const matching = `[for statement in ${statements} : statement if contains(flatten([statement.Principal.AWS]), ${hclString(principal)})]`;
      asserts.push(
        assertBlock(`length(${matching}) == 1`, `the registry policy must have one statement for ${principal}`),
        assertBlock(
          `alltrue([for statement in ${matching} : ${sameStrings('flatten([statement.Principal.AWS])', [principal])} && ${sameStrings(
            'flatten([statement.Resource])',
            resources,
          )} && ${sameStrings('flatten([statement.Action])', ['ecr:CreateRepository', 'ecr:ReplicateImage'])} && statement.Effect == "Allow"])`,
          `the statement for ${principal} must allow ecr:CreateRepository and ecr:ReplicateImage on ${resources.join(', ')} only`,
        ),
      );
    }
  }

  if (plan.namespaceKeys.length > 0) asserts.push(...namespaceKeyAsserts(plan, names));
  if (plan.repositoryCreationTemplates && plan.namespaces.length > 0) {
    asserts.push(
      assertBlock(
        `alltrue([for namespace in ${hcl(plan.namespaces.map((namespace) => namespace.templatePrefix))} : output.creation_templates[namespace].encryption_type == "KMS"])`,
        'output creation_templates (read by the source guard) must report KMS for every namespace replicated here',
      ),
    );
  }
  if (plan.repositoryCreationTemplates) {
    asserts.push(
      assertBlock(
        `length(aws_ecr_repository_creation_template.creation_templates) > 0 && alltrue([for prefix, template in aws_ecr_repository_creation_template.creation_templates : template.encryption_configuration[0].encryption_type == "KMS" && ${plan.namespaceKeys.length === 0 ? 'template.encryption_configuration[0].kms_key == aws_kms_key.kms_key.arn && ' : ''}template.custom_role_arn == aws_iam_role.creation_template_role.arn && ${sameStrings(
          'template.applied_for',
          ['REPLICATION'],
        )}])`,
        'creation templates must create KMS-encrypted repositories with the stack key, for replication, through the template role',
      ),
    );
  }

  return [
    header(`apply-level checks of destination stack ${plan.stackName}`),
    mockProvider(registry),
    ...repositoryOverrides(registry, names),
    ...namespaceKeyOverrides(registry, plan.namespaceKeys),
    runBlock('destination_apply', ['command = apply', ...asserts], options),
    '',
  ].join('\n\n');
}

/** Counts the `run` blocks of a rendered file. */
export function runCount(file: string): number {
  return (file.match(/^run "/gm) ?? []).length;
}

// ---------------------------------------------------------------------------
// Source stacks: the replication guard

/** The outputs a ready destination stack would have. */
export function readyDestinationOutputs(destination: DestinationRegistryPlan): Record<string, unknown> {
  const keyArn = fakeKeyArn(destination.registry);
  const keys = destination.namespaceKeys;
  const estate: Record<string, unknown> = {};
  if (keys.length > 0) {
    estate.namespace_kms_key_arns = Object.fromEntries(keys.map((key) => [key.namespace, fakeNamespaceKeyArn(destination.registry, key.namespace)]));
  }
  if (destination.namespaces.length > 0) {
    estate.creation_templates = Object.fromEntries(
      creationTemplatePrefixes(destination.replicationFilters).map((prefix) => [
        prefix,
        { encryption_type: 'KMS', kms_key: expectedKeyArn(destination.registry, namespaceKeyOfTemplate(prefix, keys)) },
      ]),
    );
  }
  return {
    ...estate,
    registry_id: destination.registry.account.id,
    region: destination.registry.region,
    kms_key_arn: keyArn,
    kms_key_alias: 'alias/ecr-kms-replication',
    replication_filters: [...destination.replicationFilters],
    repositories: Object.fromEntries(
      destination.repositories.map((repository) => [
        repository.name,
        {
          arn: repositoryArn(destination.registry, repository.name),
          url: repositoryUrl(destination.registry, repository.name),
          registry_id: destination.registry.account.id,
          encryption_type: 'KMS',
          kms_key: keys.length === 0 ? keyArn : expectedKeyArn(destination.registry, namespaceKeyOf(repository.name, keys)),
        },
      ]),
    ),
  };
}

function overrideData(destination: DestinationRegistryPlan, outputs: Record<string, unknown>): string {
  return `override_data {\n  target = data.terraform_remote_state.${remoteStateName(destination.registry)}\n  values = ${hcl({ outputs }, '  ')}\n}`;
}

/**
 * How a destination can fail the guard. `never-applied`: no state file at all
 * (the data source then has no instance); the others are states that exist
 * with wrong outputs (`missing`: no outputs, e.g. after a destroy).
 */
export type DestinationFault = 'never-applied' | 'missing' | 'repository-missing' | 'aes256' | 'other-key';

/** The outputs of a destination that is not ready in the given way. */
export function faultyDestinationOutputs(
  destination: DestinationRegistryPlan,
  fault: DestinationFault,
  repositoryName: string | undefined,
  templatePrefix?: string,
): Record<string, unknown> {
  if (fault === 'missing' || fault === 'never-applied') return {};
  if (repositoryName === undefined && templatePrefix !== undefined) return faultyTemplateOutputs(destination, fault, templatePrefix);
  if (repositoryName === undefined) throw new Error(`${destination.stackName}: nothing to fault`);
  const outputs = readyDestinationOutputs(destination) as { repositories: Record<string, Record<string, unknown>> };
  const repositories = { ...outputs.repositories };
  if (fault === 'repository-missing') delete repositories[repositoryName];
  if (fault === 'aes256') repositories[repositoryName] = { ...repositories[repositoryName], encryption_type: 'AES256', kms_key: null };
  if (fault === 'other-key') repositories[repositoryName] = { ...repositories[repositoryName], kms_key: fakeKeyArn(destination.registry, 'another-key') };
  return { ...outputs, repositories };
}

/** A source that replicates namespaces only: the namespace's creation template is faulted instead of a repository. */
function faultyTemplateOutputs(destination: DestinationRegistryPlan, fault: DestinationFault, prefix: string): Record<string, unknown> {
  const outputs = readyDestinationOutputs(destination) as { creation_templates: Record<string, Record<string, unknown>> };
  const templates = { ...outputs.creation_templates };
  if (fault === 'repository-missing') delete templates[prefix];
  if (fault === 'aes256') templates[prefix] = { encryption_type: 'AES256', kms_key: null };
  if (fault === 'other-key') templates[prefix] = { ...templates[prefix], kms_key: fakeKeyArn(destination.registry, 'another-key') };
  return { ...outputs, creation_templates: templates };
}

/** What the guard of a source checks: pre-created names (outside its namespaces) and its namespaces' template prefixes. */
export function guardedTargets(plan: SourceRegistryPlan): { readonly names: string[]; readonly templatePrefixes: string[] } {
  return {
    names: plan.repositories
      .map((repository) => repository.name)
      .filter((name) => !plan.namespaces.some((namespace) => isInNamespace(name, namespace)))
      .sort(),
    templatePrefixes: plan.namespaces.map(creationTemplatePrefixOfNamespace),
  };
}

/** Faults that one test file can show side by side (a never-applied destination needs its state file absent). */
export const DESTINATION_FAULTS: readonly DestinationFault[] = ['missing', 'repository-missing', 'aes256', 'other-key'];

/** A minimal, empty Terraform state file: enough for `terraform_remote_state` to find the stack. */
export const EMPTY_STATE = `${JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: '00000000-0000-4000-8000-000000000000', outputs: {}, resources: [] })}\n`;

/**
 * Writes an empty state file for each destination where the source stack's
 * local backend reads it (`<root>/<directory>/<stack>.tfstate`), so the
 * guard's data sources exist and `override_data` gives them outputs.
 */
export function writeDestinationStates(root: string, directory: string, destinations: readonly DestinationRegistryPlan[]): void {
  mkdirSync(path.join(root, directory), { recursive: true });
  for (const destination of destinations) writeFileSync(path.join(root, directory, `${destination.stackName}.tfstate`), EMPTY_STATE);
}

/** Plan-level guard tests of a source stack: one passing run, one failing run per destination and fault. */
export function guardTestFile(plan: SourceRegistryPlan, options: TestFileOptions & { readonly faultDestinations?: readonly string[] } = {}): string {
  const registry = plan.registry;
  const names = plan.repositories.map((repository) => repository.name);
  // The guard checks the source's repositories in each destination; fault the last one by name (or, with none, the first namespace's template).
  const targets = guardedTargets(plan);
  const faulted = targets.names[targets.names.length - 1];
  const faultedTemplate = targets.templatePrefixes[0];
  const expectedRules = plan.replicationRules.map((rule) => ({
    destinations: rule.destinations.map((destination) => `${destination.account.id}/${destination.region}`),
    filters: [...rule.filters],
  }));
  const runs: string[] = [
    runBlock(
      'guard_passes_when_every_destination_is_ready',
      [
        'command = plan',
        assertBlock(
          `jsonencode([for rule in aws_ecr_replication_configuration.replication.replication_configuration[0].rule : { destinations = [for destination in rule.destination : "\${destination.registry_id}/\${destination.region}"], filters = [for filter in rule.repository_filter : filter.filter] }]) == ${hclString(
            JSON.stringify(expectedRules),
          )}`,
          'the replication rules must send every filter to every destination of the plan',
        ),
        assertBlock(
          `alltrue([for rule in aws_ecr_replication_configuration.replication.replication_configuration[0].rule : alltrue([for filter in rule.repository_filter : filter.filter_type == "PREFIX_MATCH"])])`,
          'every replication filter must be PREFIX_MATCH',
        ),
        ...(plan.registryStackName === undefined
          ? [
              assertBlock(sameStrings('keys(aws_ecr_repository.repositories)', names), `the source must hold the repositories ${names.join(', ')}`),
              assertBlock(
                `alltrue([for name, repository in aws_ecr_repository.repositories : repository.encryption_configuration[0].encryption_type == "KMS"])`,
                'every source repository must be KMS-encrypted',
              ),
            ]
          : []),
      ],
      options,
    ),
  ];
  // Each failing run is a plan of its own: a caller may fault only some destinations to keep the file fast.
  const faultedDestinations = plan.destinations.filter(
    (destination) => options.faultDestinations === undefined || options.faultDestinations.includes(destination.stackName),
  );
  for (const destination of faultedDestinations) {
    for (const fault of DESTINATION_FAULTS) {
      runs.push(
        runBlock(
          runName(`guard_fails_when_${destination.stackName}_${fault}`),
          [
            'command = plan',
            overrideData(destination, faultyDestinationOutputs(destination, fault, faulted, faultedTemplate)),
            'expect_failures = [\n  aws_ecr_replication_configuration.replication,\n]',
          ],
          options,
        ),
      );
    }
  }
  return [
    header(`plan-level replication guard checks of source stack ${plan.stackName}`),
    mockProvider(registry),
    ...plan.destinations.map((destination) => overrideData(destination, readyDestinationOutputs(destination))),
    ...runs,
    '',
  ].join('\n\n');
}

/**
 * One plan run, without `expect_failures`, in which one destination has the
 * given fault: `terraform test` fails and its diagnostics carry the guard's
 * message.
 */
export function guardFailureFile(plan: SourceRegistryPlan, destinationStackName: string, fault: DestinationFault, options: TestFileOptions = {}): string {
  const faultyDestination = plan.destinations.find((destination) => destination.stackName === destinationStackName);
  if (!faultyDestination) throw new Error(`${plan.stackName} does not replicate into ${destinationStackName}`);
  const { names, templatePrefixes } = guardedTargets(plan);
  return [
    header(`a run the guard of ${plan.stackName} must stop (${destinationStackName}: ${fault})`),
    mockProvider(plan.registry),
    ...plan.destinations
      .filter((destination) => !(destination === faultyDestination && fault === 'never-applied'))
      .map((destination) =>
        overrideData(
          destination,
          destination === faultyDestination
            ? faultyDestinationOutputs(destination, fault, names[names.length - 1], templatePrefixes[0])
            : readyDestinationOutputs(destination),
        ),
      ),
    runBlock(runName(`guard_stops_${destinationStackName}_${fault}`), ['command = plan'], options),
    '',
  ].join('\n\n');
}

/** Writes files into `<stackDirectory>/tests/` and returns their paths relative to the stack folder. */
export function writeTestFiles(stackDirectory: string, files: Readonly<Record<string, string>>): string[] {
  const directory = path.join(stackDirectory, TEST_DIRECTORY);
  mkdirSync(directory, { recursive: true });
  return Object.entries(files).map(([name, text]) => {
    writeFileSync(path.join(directory, name), text);
    return `${TEST_DIRECTORY}/${name}`;
  });
}
