/**
 * The pure half of the end-to-end run (scripts/e2e.ts): settings from the
 * environment, the config to deploy, the apply and destroy order of the
 * stacks, what each registry must look like, and the comparison of what the
 * AWS APIs describe with those expectations. No I/O, so it is unit-tested.
 */
import { namespaceKeyOf } from '../config/namespace-plan';
import { accountRootArn, parseKmsKeyArn, Partition } from '../modules/ecr/regions';
import { repositoryArnsForFilters } from '../modules/policies/registry-policy';
import { ConfigInput } from '../config/schema';
import { DeploymentPlan } from '../config/deployment-plan';

export const ENDPOINT_VARIABLE = 'ECR_E2E_ENDPOINT';
export const CREATION_TEMPLATES_VARIABLE = 'ECR_E2E_CREATION_TEMPLATES';
export const KEEP_VARIABLE = 'ECR_E2E_KEEP_TEMP';

export interface E2eSettings {
  /** Base URL of the AWS-compatible endpoint. */
  readonly endpoint: string;
  /** Whether destinations get repository creation templates (emulators may not implement them). */
  readonly creationTemplates: boolean;
  /** Keep the temporary folder (state, synthesized stacks) after the run. */
  readonly keepTemp: boolean;
}

export type SettingsResult = { readonly run: true; readonly settings: E2eSettings } | { readonly run: false; readonly reason: string };

function flag(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  const normalized = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalized)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalized)) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}

export function settingsFromEnvironment(environment: NodeJS.ProcessEnv): SettingsResult {
  const endpoint = environment[ENDPOINT_VARIABLE]?.trim();
  if (!endpoint) return { run: false, reason: `${ENDPOINT_VARIABLE} is not set` };
  if (!/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(endpoint)) {
    throw new Error(`${ENDPOINT_VARIABLE} must be an http(s) URL with host and optional port, e.g. http://localhost:4566; got "${endpoint}"`);
  }
  return {
    run: true,
    settings: {
      endpoint: endpoint.replace(/\/$/, ''),
      creationTemplates: flag(environment[CREATION_TEMPLATES_VARIABLE], CREATION_TEMPLATES_VARIABLE, true),
      keepTemp: flag(environment[KEEP_VARIABLE], KEEP_VARIABLE, false),
    },
  };
}

export function skipMessage(reason: string): string {
  return [
    `Skipping the end-to-end test: ${reason}.`,
    '',
    'It deploys the config (ECR_REPLICATION_CONFIG or ecr-replication.yaml) to an AWS-compatible endpoint,',
    'checks the registries with the AWS SDK, checks that a second plan is empty, and destroys everything.',
    'Start an emulator that serves ECR, KMS, IAM and STS, then point the test at it, e.g.:',
    '',
    '  # LocalStack (ECR needs a LocalStack license: LOCALSTACK_AUTH_TOKEN)',
    '  docker run --rm -d --name ecr-e2e -p 4566:4566 -e LOCALSTACK_AUTH_TOKEN localstack/localstack-pro',
    `  ${ENDPOINT_VARIABLE}=http://localhost:4566 npm run test:e2e`,
    '',
    '  # moto server',
    '  docker run --rm -d --name ecr-e2e -p 4566:5000 motoserver/moto',
    `  ${ENDPOINT_VARIABLE}=http://localhost:4566 ${CREATION_TEMPLATES_VARIABLE}=false npm run test:e2e`,
    '',
    `${CREATION_TEMPLATES_VARIABLE}=false turns off repository creation templates for emulators that lack them;`,
    `${KEEP_VARIABLE}=true keeps the temporary folder. Credentials default to test/test unless AWS_ACCESS_KEY_ID is set;`,
    "the emulator must attribute assumed-role sessions to the role's account (the accounts of the config).",
  ].join('\n');
}

/**
 * The config to deploy: the given one with the endpoint set, a local backend
 * (state beside the synthesized stacks, in the temporary folder) and, when
 * asked, no creation templates.
 */
export function e2eConfig(raw: ConfigInput, settings: E2eSettings): ConfigInput {
  const copy = JSON.parse(JSON.stringify(raw)) as ConfigInput;
  return {
    ...copy,
    endpoint: { url: settings.endpoint },
    backend: { type: 'local', directory: 'terraform-state' },
    // The run ends by destroying everything it applied: the deliberate teardown switch.
    keys: { ...copy.keys, preventDestroy: false },
    sources: copy.sources.map((source) => ({
      ...source,
      destinations: source.destinations.map((destination) =>
        settings.creationTemplates ? destination : { ...destination, repositoryCreationTemplates: false },
      ),
    })),
  };
}

export interface StackNode {
  readonly name: string;
  /** Stacks that must be applied before this one. */
  readonly dependencies: readonly string[];
}

/** Dependencies first; ties keep the given order. Throws on unknown stacks and cycles. */
export function applyOrder(stacks: readonly StackNode[]): string[] {
  const names = new Set(stacks.map((stack) => stack.name));
  for (const stack of stacks) {
    for (const dependency of stack.dependencies) {
      if (!names.has(dependency)) throw new Error(`stack ${stack.name} depends on unknown stack ${dependency}`);
    }
  }
  const ordered: string[] = [];
  const done = new Set<string>();
  while (ordered.length < stacks.length) {
    const ready = stacks.find((stack) => !done.has(stack.name) && stack.dependencies.every((dependency) => done.has(dependency)));
    if (!ready) {
      const stuck = stacks.filter((stack) => !done.has(stack.name)).map((stack) => stack.name);
      throw new Error(`stack dependencies form a cycle among ${stuck.join(', ')}`);
    }
    ordered.push(ready.name);
    done.add(ready.name);
  }
  return ordered;
}

/** Dependents first: the reverse of the apply order. */
export function destroyOrder(stacks: readonly StackNode[]): string[] {
  return applyOrder(stacks).reverse();
}

export function stackNodes(plan: DeploymentPlan): StackNode[] {
  return [
    ...plan.destinations.map((destination) => ({ name: destination.stackName, dependencies: [] })),
    ...plan.sources.map((source) => ({
      name: source.stackName,
      // A registry in both roles: its source stack also follows its own destination stack.
      dependencies: [...(source.registryStackName ? [source.registryStackName] : []), ...source.destinations.map((destination) => destination.stackName)],
    })),
  ];
}

/** What one registry must look like after the apply. */
export interface RegistryExpectation {
  readonly stackName: string;
  readonly role: 'destination' | 'source';
  readonly accountName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: Partition;
  readonly deployRoleArn?: string;
  /** Repositories encrypted with the registry key (those of namespaces with a key of their own are checked by terraform test). */
  readonly repositories: readonly string[];
  /** The stack whose output kms_key_arn is the registry key: its destination stack for a registry in both roles. @default stackName */
  readonly keyStackName?: string;
  /** Destinations: the other accounts the registry policy must let replicate in. */
  readonly crossAccountSources: readonly { readonly accountId: string; readonly filters: readonly string[] }[];
  /** Sources: every (destination, filter) pair the replication configuration must hold. */
  readonly replication: readonly { readonly registryId: string; readonly region: string; readonly filter: string }[];
}

export function expectationsFromPlan(plan: DeploymentPlan): RegistryExpectation[] {
  return [
    ...plan.destinations.map((destination) => ({
      stackName: destination.stackName,
      role: 'destination' as const,
      accountName: destination.registry.accountName,
      accountId: destination.registry.account.id,
      region: destination.registry.region,
      partition: destination.registry.partition,
      deployRoleArn: destination.registry.account.deployRoleArn,
      repositories: destination.repositories
        .map((repository) => repository.name)
        .filter((name) => namespaceKeyOf(name, destination.namespaceKeys) === undefined),
      crossAccountSources: destination.crossAccountSources.map((source) => ({ accountId: source.account.id, filters: [...source.replicationFilters] })),
      replication: [],
    })),
    ...plan.sources.map((source) => ({
      stackName: source.stackName,
      role: 'source' as const,
      accountName: source.registry.accountName,
      accountId: source.registry.account.id,
      region: source.registry.region,
      partition: source.registry.partition,
      deployRoleArn: source.registry.account.deployRoleArn,
      // A registry in both roles: its destination stack's expectation checks the repositories.
      repositories: source.registryStackName
        ? []
        : source.repositories.map((repository) => repository.name).filter((name) => namespaceKeyOf(name, source.namespaceKeys) === undefined),
      ...(source.registryStackName ? { keyStackName: source.registryStackName } : {}),
      crossAccountSources: [],
      replication: source.destinations.flatMap((destination) =>
        source.replicationFilters.map((filter) => ({ registryId: destination.registry.account.id, region: destination.registry.region, filter })),
      ),
    })),
  ];
}

// Shapes of the API responses, reduced to what is checked (the SDK types are assignable to them).

export interface DescribedRepository {
  readonly repositoryName?: string;
  readonly repositoryArn?: string;
  readonly registryId?: string;
  readonly encryptionConfiguration?: { readonly encryptionType?: string; readonly kmsKey?: string };
}

export interface DescribedKey {
  readonly Arn?: string;
  readonly KeyManager?: string;
  readonly KeyState?: string;
  readonly Enabled?: boolean;
  readonly KeySpec?: string;
  readonly KeyUsage?: string;
}

export interface DescribedReplicationConfiguration {
  readonly rules?: readonly {
    readonly destinations?: readonly { readonly region?: string; readonly registryId?: string }[];
    readonly repositoryFilters?: readonly { readonly filter?: string; readonly filterType?: string }[];
  }[];
}

/** The key ARN a stack output: a KMS key of the registry's own account and region. */
export function checkKeyArn(expectation: RegistryExpectation, keyArn: string | undefined): string[] {
  const parsed = keyArn ? parseKmsKeyArn(keyArn) : undefined;
  if (!parsed) return [`${expectation.stackName}: output kms_key_arn is not a KMS key ARN: ${JSON.stringify(keyArn)}`];
  const { partition, region, accountId } = parsed;
  const problems: string[] = [];
  if (partition !== expectation.partition || region !== expectation.region || accountId !== expectation.accountId) {
    problems.push(
      `${expectation.stackName}: key ${keyArn} is not in account ${expectation.accountId}, region ${expectation.region} (${expectation.partition})`,
    );
  }
  return problems;
}

/** DescribeRepositories: every expected repository exists, KMS-encrypted with the registry's key. */
export function checkRepositories(expectation: RegistryExpectation, keyArn: string, repositories: readonly DescribedRepository[]): string[] {
  const problems: string[] = [];
  const byName = new Map(repositories.map((repository) => [repository.repositoryName, repository]));
  for (const name of expectation.repositories) {
    const repository = byName.get(name);
    if (!repository) {
      problems.push(`${expectation.stackName}: repository ${name} does not exist in account ${expectation.accountId}, ${expectation.region}`);
      continue;
    }
    const encryption = repository.encryptionConfiguration;
    if (encryption?.encryptionType !== 'KMS') {
      problems.push(`${expectation.stackName}: repository ${name} is encrypted with ${encryption?.encryptionType ?? 'nothing reported'}, not KMS`);
    } else if (encryption.kmsKey !== keyArn) {
      problems.push(`${expectation.stackName}: repository ${name} is encrypted with key ${encryption.kmsKey ?? '(none)'}, not the registry key ${keyArn}`);
    }
    if (repository.registryId !== undefined && repository.registryId !== expectation.accountId) {
      problems.push(`${expectation.stackName}: repository ${name} belongs to registry ${repository.registryId}, not ${expectation.accountId}`);
    }
  }
  return problems;
}

/** DescribeKey + GetKeyRotationStatus: a customer-managed, enabled, rotated symmetric key. */
export function checkKey(expectation: RegistryExpectation, keyArn: string, key: DescribedKey | undefined, rotationEnabled: boolean | undefined): string[] {
  if (!key) return [`${expectation.stackName}: DescribeKey returned no metadata for ${keyArn}`];
  const problems: string[] = [];
  if (key.Arn !== keyArn) problems.push(`${expectation.stackName}: DescribeKey returned ${key.Arn}, not ${keyArn}`);
  if (key.KeyManager !== 'CUSTOMER') problems.push(`${expectation.stackName}: key ${keyArn} is managed by ${key.KeyManager ?? 'unknown'}, not CUSTOMER`);
  if (key.KeyState !== undefined && key.KeyState !== 'Enabled') problems.push(`${expectation.stackName}: key ${keyArn} is ${key.KeyState}, not Enabled`);
  if (key.KeySpec !== undefined && key.KeySpec !== 'SYMMETRIC_DEFAULT')
    problems.push(`${expectation.stackName}: key ${keyArn} is ${key.KeySpec}, not SYMMETRIC_DEFAULT`);
  if (rotationEnabled !== true) problems.push(`${expectation.stackName}: key ${keyArn} does not have automatic rotation enabled`);
  return problems;
}

interface PolicyStatement {
  Effect?: string;
  Principal?: { AWS?: string | string[] } | string;
  Action?: string | string[];
  Resource?: string | string[];
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** GetRegistryPolicy: each cross-account source may replicate into its filters' repositories, and nothing wider. */
export function checkRegistryPolicy(expectation: RegistryExpectation, policyText: string | undefined): string[] {
  if (expectation.crossAccountSources.length === 0) return [];
  if (!policyText) return [`${expectation.stackName}: the registry has no registry policy, so other accounts cannot replicate into it`];
  let statements: PolicyStatement[];
  try {
    const document = JSON.parse(policyText) as { Statement?: PolicyStatement | PolicyStatement[] };
    statements = document.Statement === undefined ? [] : Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  } catch {
    return [`${expectation.stackName}: the registry policy is not JSON: ${policyText}`];
  }
  const problems: string[] = [];
  for (const statement of statements) {
    for (const resource of list(statement.Resource)) {
      if (resource === '*' || resource.endsWith(':repository/*')) problems.push(`${expectation.stackName}: the registry policy grants ${resource}`);
    }
  }
  for (const source of expectation.crossAccountSources) {
    const principal = accountRootArn(expectation.partition, source.accountId);
    const granted = statements.filter(
      (statement) => statement.Effect === 'Allow' && typeof statement.Principal === 'object' && list(statement.Principal.AWS).includes(principal),
    );
    if (granted.length === 0) {
      problems.push(`${expectation.stackName}: the registry policy has no statement for ${principal}`);
      continue;
    }
    const actions = new Set(granted.flatMap((statement) => list(statement.Action)));
    for (const action of ['ecr:CreateRepository', 'ecr:ReplicateImage']) {
      if (!actions.has(action)) problems.push(`${expectation.stackName}: the registry policy does not allow ${action} to ${principal}`);
    }
    const resources = new Set(granted.flatMap((statement) => list(statement.Resource)));
    const expected = repositoryArnsForFilters(expectation.partition, expectation.region, expectation.accountId, source.filters);
    for (const resource of expected) {
      if (!resources.has(resource)) problems.push(`${expectation.stackName}: the registry policy does not grant ${resource} to ${principal}`);
    }
    for (const resource of resources) {
      if (!expected.includes(resource)) problems.push(`${expectation.stackName}: the registry policy grants ${principal} more than its filters: ${resource}`);
    }
  }
  return problems;
}

/** DescribeRegistry: the source's replication rules cover exactly every (destination, filter) pair, all PREFIX_MATCH. */
export function checkReplication(expectation: RegistryExpectation, configuration: DescribedReplicationConfiguration | undefined): string[] {
  if (expectation.role !== 'source') return [];
  const rules = configuration?.rules ?? [];
  if (rules.length === 0) return [`${expectation.stackName}: the registry has no replication rules`];
  const problems: string[] = [];
  const actual = new Set<string>();
  for (const rule of rules) {
    for (const filter of rule.repositoryFilters ?? []) {
      if (filter.filterType !== 'PREFIX_MATCH')
        problems.push(`${expectation.stackName}: replication filter ${filter.filter} is ${filter.filterType}, not PREFIX_MATCH`);
      for (const destination of rule.destinations ?? []) actual.add(`${destination.registryId}/${destination.region}/${filter.filter}`);
    }
  }
  const expected = new Set(expectation.replication.map((pair) => `${pair.registryId}/${pair.region}/${pair.filter}`));
  for (const pair of expected) if (!actual.has(pair)) problems.push(`${expectation.stackName}: replication is missing ${pair} (registry/region/filter)`);
  for (const pair of actual) if (!expected.has(pair)) problems.push(`${expectation.stackName}: replication has an unexpected ${pair} (registry/region/filter)`);
  return problems;
}

/** `terraform plan -detailed-exitcode`: 0 no changes, 2 changes, anything else an error. */
export function checkSecondPlan(stackName: string, exitCode: number, output: string): string[] {
  if (exitCode === 0) return [];
  if (exitCode === 2) return [`${stackName}: a second plan right after the apply still has changes (not idempotent):\n${output}`];
  return [`${stackName}: terraform plan failed with exit code ${exitCode}:\n${output}`];
}
