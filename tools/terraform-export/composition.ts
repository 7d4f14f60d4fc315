/**
 * The root composition of a config in plain Terraform: one provider alias per
 * account x region, the config's backend, and one call per module and
 * registry. Destinations feed the replication configuration through
 * references (repositories, key) and `depends_on` (registry policy, creation
 * templates), so one `terraform apply` creates them first.
 */
import { Config, RepositoryConfig } from '../../config/schema';
import { LifecyclePolicy } from '../../modules/ecr/lifecycle-policy';
import { DestinationRegistryPlan, planDeployment, Registry, SourceRegistryPlan } from '../../config/deployment-plan';
import { ENDPOINT_SERVICES, providerAlias } from '../../modules/aws-provider';
import { cloudWorkspaceName, s3StateKey } from '../../stacks/state-backend';
import { DEPLOY_SESSION_NAME, keyDescription, STATE_SESSION_NAME } from '../../stacks/resource-names';
import { sortedUnique } from '../../modules/policies/policy-document';
import { DEFAULT_SCANNING } from '../../config/compliance-schema';
import { attribute, attributes, blank, block, expr, HclBodyItem, HclValue, renderFile } from '../hcl/hcl-writer';
import { AWS_PROVIDER_CONSTRAINT, GENERATED_HEADER, REQUIRED_TERRAFORM_VERSION } from './module-definition';

/** State name of the composition: one state for every registry (the CDKTF app keeps one per stack). */
export const COMPOSITION_STATE_NAME = 'composition';

const MODULE_SOURCE = (name: string): string => `./modules/${name}`;

function alias(registry: Registry): string {
  return providerAlias(registry.accountName, registry.region);
}

function providerBlock(registry: Registry, config: Config): HclBodyItem {
  const endpoint = config.endpoint?.url.replace(/\/$/, '');
  const body: HclBodyItem[] = [
    ...attributes({ alias: alias(registry), region: registry.region, allowed_account_ids: [registry.account.id] }),
    ...(endpoint
      ? attributes({ s3_use_path_style: true, skip_credentials_validation: true, skip_metadata_api_check: true, skip_region_validation: true })
      : []),
  ];
  if (registry.account.deployRoleArn) {
    body.push(block('assume_role', [], attributes({ role_arn: registry.account.deployRoleArn, session_name: DEPLOY_SESSION_NAME })));
  }
  if (Object.keys(config.tags).length > 0) body.push(block('default_tags', [], [attribute('tags', { ...config.tags })]));
  if (endpoint) body.push(block('endpoints', [], attributes(Object.fromEntries(ENDPOINT_SERVICES.map((service) => [service, endpoint])))));
  return block('provider', ['aws'], body);
}

function backendBlock(config: Config): HclBodyItem {
  const backend = config.backend;
  switch (backend.type) {
    case 'local':
      return block('backend', ['local'], [attribute('path', `${backend.directory.replace(/\\/g, '/').replace(/\/+$/, '')}/${COMPOSITION_STATE_NAME}.tfstate`)]);
    case 's3': {
      const url = config.endpoint?.url.replace(/\/$/, '');
      return block(
        'backend',
        ['s3'],
        [
          ...attributes({
            bucket: backend.bucket,
            key: s3StateKey(backend.keyPrefix, COMPOSITION_STATE_NAME),
            region: backend.region,
            encrypt: true,
            use_lockfile: backend.useLockfile ? true : undefined,
            dynamodb_table: backend.dynamodbTable,
            assume_role: backend.roleArn ? { role_arn: backend.roleArn, session_name: STATE_SESSION_NAME } : undefined,
          }),
          ...(url
            ? attributes({
                endpoints: { s3: url, sts: url, iam: url, dynamodb: url },
                use_path_style: true,
                skip_credentials_validation: true,
                skip_metadata_api_check: true,
                skip_region_validation: true,
                skip_requesting_account_id: true,
              })
            : []),
        ],
      );
    }
    case 'cloud':
      return block(
        'cloud',
        [],
        [
          ...attributes({ organization: backend.organization, hostname: backend.hostname }),
          block('workspaces', [], attributes({ name: cloudWorkspaceName(backend.workspacePrefix, COMPOSITION_STATE_NAME), project: backend.project })),
        ],
      );
  }
}

/** A lifecycle policy of the config as the modules' `lifecycle_rules` (encrypted-repositories, repository-creation-templates). */
export function lifecycleRulesInput(policy: LifecyclePolicy | undefined): HclValue[] {
  return (policy?.rules ?? []).map((rule) => ({
    rule_priority: rule.rulePriority,
    description: rule.description,
    selection: {
      tag_status: rule.selection.tagStatus,
      tag_prefix_list: rule.selection.tagPrefixList ? [...rule.selection.tagPrefixList] : undefined,
      tag_pattern_list: rule.selection.tagPatternList ? [...rule.selection.tagPatternList] : undefined,
      count_type: rule.selection.countType,
      count_unit: rule.selection.countUnit,
      count_number: rule.selection.countNumber,
    },
  }));
}

/** A repository of the config as the encrypted-repositories module takes it; defaults are left out. */
export function repositoryInput(repository: RepositoryConfig): Record<string, HclValue> {
  const rules = lifecycleRulesInput(repository.lifecyclePolicy);
  const input: Record<string, HclValue> = {};
  if (repository.imageTagMutability !== 'IMMUTABLE') input.image_tag_mutability = repository.imageTagMutability;
  if (!repository.scanOnPush) input.scan_on_push = false;
  if (rules.length > 0) input.lifecycle_rules = rules;
  if (repository.pullPrincipals.length > 0) input.pull_principals = sortedUnique(repository.pullPrincipals);
  if (repository.pushPrincipals.length > 0) input.push_principals = sortedUnique(repository.pushPrincipals);
  return input;
}

function call(name: string, registry: Registry, inputs: readonly HclBodyItem[], moduleName: string, dependsOn: readonly string[] = []): HclBodyItem {
  return block(
    'module',
    [name],
    [
      attribute('source', MODULE_SOURCE(moduleName)),
      attribute('providers', { aws: expr(`aws.${alias(registry)}`) }),
      ...(inputs.length > 0 ? [blank] : []),
      ...inputs,
      ...(dependsOn.length > 0 ? [blank, attribute('depends_on', expr(`[\n  ${dependsOn.join(',\n  ')},\n]`))] : []),
    ],
  );
}

/** Calls of the key and the repositories of one registry (both roles have them). */
function keyAndRepositories(
  prefix: string,
  registry: Registry,
  config: Config,
  repositories: readonly RepositoryConfig[],
  serviceRoles: readonly string[],
): HclBodyItem[] {
  return [
    call(
      `${prefix}_key`,
      registry,
      [
        ...attributes({
          alias: config.keys.alias,
          description: keyDescription(registry.account.id, registry.region),
          deletion_window_in_days: config.keys.deletionWindowInDays,
          // The module protects the key by default (prevent_destroy); only the teardown switch is written.
          prevent_destroy: config.keys.preventDestroy ? undefined : false,
          administrators: sortedUnique(registry.account.keyAdministrators),
          users: sortedUnique(registry.account.keyUsers),
        }),
        ...(serviceRoles.length > 0
          ? [
              attribute(
                'ecr_service_role_arns',
                serviceRoles.map((role) => expr(role)),
              ),
            ]
          : []),
      ],
      'kms-key',
    ),
    call(
      `${prefix}_repositories`,
      registry,
      [
        attribute('kms_key_arn', expr(`module.${prefix}_key.arn`)),
        attribute(
          'repositories',
          Object.fromEntries(
            // As the CDKTF stacks do (RegistryStack.createRepositories): the config's default for repositories without a policy.
            repositories.map((repository) => [
              repository.name,
              repositoryInput({ ...repository, lifecyclePolicy: repository.lifecyclePolicy ?? config.defaultLifecyclePolicy }),
            ]),
          ),
        ),
      ],
      'encrypted-repositories',
    ),
  ];
}

/** The registry's one scanning configuration; defaults of the module are left out. */
function scanningCall(prefix: string, registry: Registry, config: Config): HclBodyItem[] {
  const scanning = config.scanning;
  if (!scanning.enabled) return [];
  const isDefault = (value: unknown, fallback: unknown): boolean => JSON.stringify(value) === JSON.stringify(fallback);
  return [
    call(
      `${prefix}_scanning`,
      registry,
      attributes({
        scan_type: isDefault(scanning.scanType, DEFAULT_SCANNING.scanType) ? undefined : scanning.scanType,
        rules: isDefault(scanning.rules, DEFAULT_SCANNING.rules)
          ? undefined
          : scanning.rules.map((rule) => ({ frequency: rule.frequency, filters: [...rule.filters] })),
      }),
      'registry-scanning',
    ),
  ];
}

const destinationPrefix = (plan: DestinationRegistryPlan): string => `destination_${alias(plan.registry)}`;
const sourcePrefix = (plan: SourceRegistryPlan): string => `source_${alias(plan.registry)}`;

function destinationCalls(plan: DestinationRegistryPlan, config: Config): HclBodyItem[] {
  const prefix = destinationPrefix(plan);
  const items: HclBodyItem[] = [];
  if (plan.repositoryCreationTemplates) {
    items.push(
      call(
        `${prefix}_creation_templates`,
        plan.registry,
        [
          ...attributes({
            kms_key_arn: expr(`module.${prefix}_key.arn`),
            replication_filters: [...plan.replicationFilters],
            resource_tags: Object.keys(config.tags).length > 0 ? { ...config.tags } : undefined,
          }),
          ...(config.defaultLifecyclePolicy ? [attribute('lifecycle_rules', lifecycleRulesInput(config.defaultLifecyclePolicy))] : []),
        ],
        'repository-creation-templates',
      ),
    );
  }
  items.push(
    ...keyAndRepositories(
      prefix,
      plan.registry,
      config,
      plan.repositories,
      plan.repositoryCreationTemplates ? [`module.${prefix}_creation_templates.role_arn`] : [],
    ),
  );
  items.push(...scanningCall(prefix, plan.registry, config));
  if (plan.crossAccountSources.length > 0) {
    items.push(
      call(
        `${prefix}_registry_policy`,
        plan.registry,
        [
          attribute(
            'sources',
            Object.fromEntries(
              plan.crossAccountSources.map((source) => [
                source.accountName,
                { account_id: source.account.id, replication_filters: [...source.replicationFilters] },
              ]),
            ),
          ),
        ],
        'replication-registry-policy',
      ),
    );
  }
  return items;
}

function sourceCalls(plan: SourceRegistryPlan, config: Config): HclBodyItem[] {
  const prefix = sourcePrefix(plan);
  const destinations = plan.destinations.map((destination) => {
    const other = destinationPrefix(destination);
    return {
      region: expr(`module.${other}_repositories.region`),
      registry_id: expr(`module.${other}_repositories.registry_id`),
      kms_key_arn: expr(`module.${other}_key.arn`),
      repositories: expr(`module.${other}_repositories.repositories`),
    };
  });
  const prerequisites = plan.destinations.flatMap((destination) => [
    ...(destination.crossAccountSources.length > 0 ? [`module.${destinationPrefix(destination)}_registry_policy`] : []),
    ...(destination.repositoryCreationTemplates ? [`module.${destinationPrefix(destination)}_creation_templates`] : []),
  ]);
  return [
    ...keyAndRepositories(prefix, plan.registry, config, plan.repositories, []),
    call(
      `${prefix}_replication`,
      plan.registry,
      [
        attribute(
          'repository_names',
          plan.repositories.map((repository) => repository.name),
        ),
        attribute('destinations', destinations),
      ],
      'replication-configuration',
      prerequisites,
    ),
    // A registry has one scanning configuration: a registry in both roles gets it from its destination call (as in the CDKTF app).
    ...(plan.registryStackName === undefined ? scanningCall(prefix, plan.registry, config) : []),
  ];
}

export interface CompositionSummary {
  /** Registry name (the CDKTF stack name) -> module call prefix. */
  readonly registries: readonly { readonly stackName: string; readonly prefix: string; readonly role: 'destination' | 'source' }[];
}

export function compositionSummary(config: Config): CompositionSummary {
  const plan = planDeployment(config);
  return {
    registries: [
      ...plan.destinations.map((destination) => ({ stackName: destination.stackName, prefix: destinationPrefix(destination), role: 'destination' as const })),
      ...plan.sources.map((source) => ({ stackName: source.stackName, prefix: sourcePrefix(source), role: 'source' as const })),
    ],
  };
}

/** The files of the root composition, by name. */
export function compositionFiles(config: Config, configName: string): Record<string, string> {
  const plan = planDeployment(config);
  const registries = new Map<string, Registry>();
  for (const registry of [...plan.destinations, ...plan.sources].map((entry) => entry.registry)) registries.set(alias(registry), registry);
  const providers = [...registries.keys()].sort().map((name) => providerBlock(registries.get(name)!, config));
  const summary = compositionSummary(config);
  const header = `${GENERATED_HEADER.replace('Do not edit by hand.', `Source: ${configName}. Do not edit by hand.`)}`;
  return {
    'versions.tf': renderFile([
      block(
        'terraform',
        [],
        [
          attribute('required_version', REQUIRED_TERRAFORM_VERSION),
          blank,
          block('required_providers', [], [attribute('aws', { source: 'hashicorp/aws', version: AWS_PROVIDER_CONSTRAINT })]),
          blank,
          backendBlock(config),
        ],
      ),
    ]),
    'providers.tf': renderFile([
      { kind: 'comment', text: `${header}\nOne provider per account x region: it assumes the account's deployment role and refuses any other account.` },
      ...providers,
    ]),
    'main.tf': renderFile([
      { kind: 'comment', text: `${header}\nDestination registries first in reading order; Terraform orders the apply from the references.` },
      ...plan.destinations.flatMap((destination) => destinationCalls(destination, config)),
      ...plan.sources.flatMap((source) => sourceCalls(source, config)),
    ]),
    'outputs.tf': renderFile([
      block(
        'output',
        ['registries'],
        [
          attribute('description', 'Each registry: its key and repositories, by the name of the CDKTF stack that manages the same registry.'),
          attribute(
            'value',
            Object.fromEntries(
              summary.registries.map((registry) => [
                registry.stackName,
                { kms_key_arn: expr(`module.${registry.prefix}_key.arn`), repositories: expr(`module.${registry.prefix}_repositories.repositories`) },
              ]),
            ),
          ),
        ],
      ),
    ]),
  };
}
