/**
 * `examples/complete`: a composition a Terraform team copies and configures
 * with variables alone (accounts, regions, repositories, namespaces,
 * destinations, key settings, tags, an emulator endpoint), unlike the root
 * composition, which is generated from one config.
 *
 * Terraform cannot create provider configurations from a variable (no
 * `for_each` on providers), so the example has a bounded set of provider
 * slots: one for the source registry and DESTINATION_SLOTS for destination
 * registries. A slot without a destination is configured like the source and
 * manages nothing. Each registry is one call of `registry/` (key,
 * repositories, creation templates, registry policy, scanning), a small
 * module of the example that composes the library's modules.
 */
import { DEFAULT_LIFECYCLE_POLICY } from '../../config/compliance-schema';
import { DEFAULT_KEY_ALIAS } from '../../config/schema';
import { ENDPOINT_SERVICES } from '../../modules/aws-provider';
import { KEY_DELETION_WINDOW } from '../../modules/ecr/limits';
import { namespacesWithoutTemplatesRule } from '../../modules/ecr/namespaces';
import { SELF_REPLICATION_RULE } from '../../modules/ecr/replication-rules';
import { DEPLOY_SESSION_NAME, keyDescription } from '../../stacks/resource-names';
import { attribute, attributes, blank, block, comment, expr, HclBodyItem, HclValue, renderFile, template } from '../hcl/hcl-writer';
import { lifecycleRulesInput } from './composition';
import { AWS_ACCOUNT_ID, AWS_REGION, ENDPOINT_URL, NAMESPACE, PRINCIPAL_RULE, ROLE_ARN, validations } from './library-rules';
import {
  docsModule,
  GENERATED_HEADER,
  ModuleDefinition,
  ModuleVariable,
  outputsFile,
  TERRAFORM_DOCS_CONFIG_FILE,
  variablesFile,
  versionsFile,
} from './module-definition';
import { REPOSITORY_TYPE } from './modules/encrypted-repositories';
import { LIFECYCLE_RULES_TYPE } from './modules/lifecycle-rules';
import { moduleSource, Release, releaseTag } from './release';
import { TERRAFORM_DOCS_CONFIG, terraformDocsBlock } from './terraform-docs';

/** Destination registries the example can hold: one provider slot each (see the README on growing it). */
export const DESTINATION_SLOTS = 3;
export const COMPLETE_EXAMPLE_FOLDER = 'examples/complete';
/** The emulator test of the example, run by the emulator layer (`terraform test -test-directory=tests/emulator`). */
export const COMPLETE_EMULATOR_TEST = 'tests/emulator/complete.tftest.hcl';

const SCANNING_TYPE =
  'object({\n  enabled   = optional(bool, true)\n  scan_type = optional(string, "BASIC")\n  rules = optional(list(object({\n    frequency = string\n    filters   = list(string)\n  })), [{ frequency = "SCAN_ON_PUSH", filters = ["*"] }])\n})';
const KEYS_TYPE = [
  'object({',
  `  alias                   = optional(string, "${DEFAULT_KEY_ALIAS}")`,
  `  deletion_window_in_days = optional(number, ${KEY_DELETION_WINDOW.max})`,
  '  rotation_period_in_days = optional(number)',
  '  multi_region            = optional(bool, false)',
  '  prevent_destroy         = optional(bool, true)',
  '})',
].join('\n');

const mod = (source: string, body: HclBodyItem[], header: HclBodyItem[] = []): HclBodyItem[] => [
  ...header,
  attribute('source', source),
  ...(body.length > 0 ? [blank, ...body] : []),
];

// ---------------------------------------------------------------------------
// registry/: one registry (account x region), whatever its role.

const REGISTRY_MODULES = '../../../modules';

const registryVariables: ModuleVariable[] = [
  {
    name: 'key',
    description: "Settings of the registry's key (module kms-key).",
    type: expr(KEYS_TYPE),
  },
  { name: 'key_administrators', description: 'ARNs of principals that manage the key.', type: expr('list(string)'), default: [] },
  { name: 'key_users', description: 'ARNs of principals that use the key through ECR.', type: expr('list(string)'), default: [] },
  { name: 'repositories', description: 'Repositories created here (module encrypted-repositories); none: {}.', type: REPOSITORY_TYPE, default: {} },
  {
    name: 'repository_creation_templates',
    description: 'Create repository creation templates for the replicated filters (module repository-creation-templates).',
    type: expr('bool'),
    default: false,
  },
  { name: 'replication_filters', description: 'The PREFIX_MATCH filters replicated into this registry.', type: expr('list(string)'), default: [] },
  { name: 'template_lifecycle_rules', description: 'Lifecycle rules of the repositories the templates create.', type: expr(LIFECYCLE_RULES_TYPE), default: [] },
  {
    name: 'replication_sources',
    description: 'Other accounts that replicate into this registry, with their filters (module replication-registry-policy); none: {}.',
    type: expr('map(object({\n  account_id          = string\n  replication_filters = list(string)\n}))'),
    default: {},
  },
  { name: 'scanning', description: "The registry's scanning configuration (module registry-scanning), or none.", type: expr(SCANNING_TYPE) },
  { name: 'resource_tags', description: 'Tags of the repositories the creation templates create.', type: expr('map(string)'), default: {} },
];

const registryMain: HclBodyItem[] = [
  block('data', ['aws_caller_identity', 'current'], []),
  block('data', ['aws_region', 'current'], []),
  block(
    'module',
    ['key'],
    mod(`${REGISTRY_MODULES}/kms-key`, [
      ...attributes({
        alias: expr('var.key.alias'),
        description: template(keyDescription('${data.aws_caller_identity.current.account_id}', '${data.aws_region.current.name}')),
        deletion_window_in_days: expr('var.key.deletion_window_in_days'),
        rotation_period_in_days: expr('var.key.rotation_period_in_days'),
        multi_region: expr('var.key.multi_region'),
        prevent_destroy: expr('var.key.prevent_destroy'),
        administrators: expr('var.key_administrators'),
        users: expr('var.key_users'),
        ecr_service_role_arns: expr('var.repository_creation_templates ? [module.creation_templates[0].role_arn] : []'),
      }),
    ]),
  ),
  block(
    'module',
    ['repositories'],
    mod(`${REGISTRY_MODULES}/encrypted-repositories`, attributes({ kms_key_arn: expr('module.key.arn'), repositories: expr('var.repositories') }), [
      attribute('count', expr('length(var.repositories) > 0 ? 1 : 0')),
    ]),
  ),
  block(
    'module',
    ['creation_templates'],
    mod(
      `${REGISTRY_MODULES}/repository-creation-templates`,
      attributes({
        kms_key_arn: expr('module.key.arn'),
        replication_filters: expr('var.replication_filters'),
        lifecycle_rules: expr('var.template_lifecycle_rules'),
        resource_tags: expr('var.resource_tags'),
      }),
      [attribute('count', expr('var.repository_creation_templates ? 1 : 0'))],
    ),
  ),
  block(
    'module',
    ['registry_policy'],
    mod(
      `${REGISTRY_MODULES}/replication-registry-policy`,
      [attribute('sources', expr('var.replication_sources'))],
      [attribute('count', expr('length(var.replication_sources) > 0 ? 1 : 0'))],
    ),
  ),
  block(
    'module',
    ['scanning'],
    mod(`${REGISTRY_MODULES}/registry-scanning`, attributes({ scan_type: expr('var.scanning.scan_type'), rules: expr('var.scanning.rules') }), [
      attribute('count', expr('var.scanning.enabled ? 1 : 0')),
    ]),
  ),
];

const REPOSITORIES = 'try(module.repositories[0].repositories, {})';
const TEMPLATE_PREFIXES = 'var.repository_creation_templates ? module.creation_templates[0].prefixes : []';

const REGISTRY_MODULE: ModuleDefinition = {
  name: 'registry',
  title: 'One registry of the complete example',
  summary:
    "One registry (the account and region of its provider), in either role: its key, the repositories it holds, and, as a destination, the creation templates and the registry policy; its scanning configuration. It composes the library's modules and is part of the example, not of the module set: the complete example calls it once per provider slot.",
  variables: registryVariables,
  outputs: [
    { name: 'registry_id', description: 'Account id of the registry.', value: expr('data.aws_caller_identity.current.account_id') },
    { name: 'region', description: 'Region of the registry.', value: expr('data.aws_region.current.name') },
    {
      name: 'key',
      description: 'The key: ARN, alias, whether it is protected from destroy, and its rotation as KMS reports it.',
      value: expr('{ arn = module.key.arn, alias = module.key.alias_name, protected = module.key.protected, rotation = module.key.rotation }'),
    },
    { name: 'repositories', description: 'Repositories by name: arn, url, registry_id, encryption_type and kms_key.', value: expr(REPOSITORIES) },
    { name: 'creation_template_prefixes', description: 'Prefixes of the creation templates (none without templates).', value: expr(TEMPLATE_PREFIXES) },
    { name: 'registry_policy', description: 'The registry policy (JSON), or null without one.', value: expr('one(module.registry_policy[*].policy)') },
    {
      name: 'summary',
      description: "The outputs above in one object, for the complete example's registries output.",
      value: expr(
        `{\n  registry_id                = data.aws_caller_identity.current.account_id\n  region                     = data.aws_region.current.name\n  key                        = { arn = module.key.arn, alias = module.key.alias_name, protected = module.key.protected, rotation = module.key.rotation }\n  repositories               = ${REPOSITORIES}\n  registry_policy            = one(module.registry_policy[*].policy)\n  creation_template_prefixes = ${TEMPLATE_PREFIXES}\n}`,
      ),
    },
    {
      name: 'replication_destination',
      description: 'This registry as a destination of module replication-configuration: region, registry id, key and repositories to check.',
      value: expr(
        `{\n  region                     = data.aws_region.current.name\n  registry_id                = data.aws_caller_identity.current.account_id\n  kms_key_arn                = module.key.arn\n  repositories               = ${REPOSITORIES}\n  creation_template_prefixes = ${TEMPLATE_PREFIXES}\n}`,
      ),
    },
  ],
  main: registryMain,
  example: [],
  tests: {},
};

// ---------------------------------------------------------------------------
// The composition: variables, provider slots, one registry call per slot, the replication.

const slot = (index: number): string => `destination_${index}`;
const SLOTS = Array.from({ length: DESTINATION_SLOTS }, (_, index) => slot(index));

/** The provider of a slot: region, account, role, tags, and the emulator settings when `endpoint` is set. */
function providerBlock(alias: string, registry: string): HclBodyItem {
  const account = `var.accounts[${registry}.account]`;
  return block(
    'provider',
    ['aws'],
    [
      ...attributes({
        alias,
        region: expr(`${registry}.region`),
        allowed_account_ids: expr(`[${account}.id]`),
      }),
      blank,
      comment('An emulator (endpoint set) needs these; the account id stays requested (skip_requesting_account_id = true'),
      comment('makes moto lose the replication and scanning configurations after apply).'),
      ...attributes({
        skip_requesting_account_id: false,
        s3_use_path_style: expr('local.emulator'),
        skip_credentials_validation: expr('local.emulator'),
        skip_metadata_api_check: expr('local.emulator'),
        skip_region_validation: expr('local.emulator'),
      }),
      blank,
      block(
        'dynamic',
        ['assume_role'],
        [
          attribute('for_each', expr(`${account}.deploy_role_arn == null ? [] : [${account}.deploy_role_arn]`)),
          block('content', [], attributes({ role_arn: expr('assume_role.value'), session_name: DEPLOY_SESSION_NAME })),
        ],
      ),
      block(
        'dynamic',
        ['endpoints'],
        [
          attribute('for_each', expr('local.emulator ? [var.endpoint] : []')),
          block('content', [], attributes(Object.fromEntries(ENDPOINT_SERVICES.map((service) => [service, expr('endpoints.value')])))),
        ],
      ),
      block('default_tags', [], [attribute('tags', expr('var.tags'))]),
    ],
  );
}

const providersFile = renderFile([
  {
    kind: 'comment',
    text: [
      `One provider per registry slot: the source registry and up to ${DESTINATION_SLOTS} destination registries (Terraform`,
      'cannot create providers from a variable). A slot without a destination is configured like the source',
      'registry and manages nothing. To grow: copy a destination provider and its module call in main.tf with',
      `the next index, and raise the limit of var.destinations (README.md, "More destinations").`,
    ].join('\n'),
  },
  providerBlock('source', 'var.source_registry'),
  ...SLOTS.map((name, index) => providerBlock(name, `local.slots[${index}]`)),
]);

/** The call of `registry/` for a destination slot (count 0 while the slot is free). */
function destinationCall(index: number): HclBodyItem {
  const destination = `var.destinations[${index}]`;
  const account = `var.accounts[${destination}.account]`;
  return block(
    'module',
    [slot(index)],
    [
      attribute('count', expr(`length(var.destinations) > ${index} ? 1 : 0`)),
      attribute('source', './registry'),
      attribute('providers', { aws: expr(`aws.${slot(index)}`) }),
      blank,
      ...attributes({
        key: expr('var.keys'),
        key_administrators: expr(`${account}.key_administrators`),
        key_users: expr(`${account}.key_users`),
        repositories: expr('local.repositories'),
        repository_creation_templates: expr(`${destination}.repository_creation_templates`),
        replication_filters: expr('local.replication_filters'),
        template_lifecycle_rules: expr('var.default_lifecycle_rules'),
      }),
      comment('A destination in another account lets the source account replicate its filters (and nothing else).'),
      attribute(
        'replication_sources',
        expr(
          `{\n  for name in ${destination}.account == var.source_registry.account ? [] : [var.source_registry.account] :\n  name => { account_id = local.source_account.id, replication_filters = local.replication_filters }\n}`,
        ),
      ),
      ...attributes({ scanning: expr('var.scanning'), resource_tags: expr('var.tags') }),
    ],
  );
}

const mainFile = renderFile([
  { kind: 'comment', text: `${GENERATED_HEADER}\nDestinations first in reading order; Terraform orders the apply from the references.` },
  block(
    'locals',
    [],
    [
      attribute('emulator', expr('var.endpoint != null')),
      attribute('source_account', expr('var.accounts[var.source_registry.account]')),
      comment('The registry of each destination slot, or the source registry while the slot is free (its provider then manages nothing).'),
      attribute(
        'slots',
        expr(
          `[\n  for index in range(${DESTINATION_SLOTS}) :\n  index < length(var.destinations) ? { account = var.destinations[index].account, region = var.destinations[index].region } : var.source_registry\n]`,
        ),
      ),
      comment('Repository names and namespaces, as PREFIX_MATCH filters (module replication-configuration keeps the fewest).'),
      attribute('replication_filters', expr('sort(distinct(concat(keys(var.repositories), var.namespaces)))')),
      comment('As the CDKTF stacks do: the default lifecycle rules for repositories without their own.'),
      attribute(
        'repositories',
        expr(
          '{\n  for name, repository in var.repositories :\n  name => merge(repository, { lifecycle_rules = length(repository.lifecycle_rules) > 0 ? repository.lifecycle_rules : var.default_lifecycle_rules })\n}',
        ),
      ),
    ],
  ),
  ...SLOTS.map((_, index) => destinationCall(index)),
  block(
    'module',
    ['source'],
    [
      attribute('source', './registry'),
      attribute('providers', { aws: expr('aws.source') }),
      blank,
      ...attributes({
        key: expr('var.keys'),
        key_administrators: expr('local.source_account.key_administrators'),
        key_users: expr('local.source_account.key_users'),
        repositories: expr('local.repositories'),
        scanning: expr('var.scanning'),
      }),
    ],
  ),
  block(
    'module',
    ['replication'],
    [
      attribute('source', '../../modules/replication-configuration'),
      attribute('providers', { aws: expr('aws.source') }),
      blank,
      ...attributes({
        repository_names: expr('keys(var.repositories)'),
        namespaces: expr('var.namespaces'),
      }),
      comment("Each destination's repositories, key and templates are checked before replicating; the references apply the destinations first."),
      attribute('destinations', expr(`concat(\n  ${SLOTS.map((name) => `module.${name}[*].replication_destination`).join(',\n  ')},\n)`)),
      blank,
      attribute('depends_on', expr(`[\n  ${SLOTS.map((name) => `module.${name}`).join(',\n  ')},\n]`)),
    ],
  ),
]);

const EACH_ACCOUNT = 'for name, account in var.accounts';
const UNKNOWN_ACCOUNT = 'unknown account: define it under accounts or use one of ${join(", ", sort(keys(var.accounts)))}';

const exampleVariables: ModuleVariable[] = [
  {
    name: 'accounts',
    description:
      "AWS accounts by name: the 12-digit id, the role Terraform assumes there (null: the caller's credentials), who administers and who uses its keys (only through ECR).",
    type: expr(
      'map(object({\n  id                 = string\n  deploy_role_arn    = optional(string)\n  key_administrators = optional(list(string), [])\n  key_users          = optional(list(string), [])\n}))',
    ),
    validations: [
      ...validations({ loops: [EACH_ACCOUNT], value: 'account.id', path: 'accounts["${name}"].id' }, AWS_ACCOUNT_ID),
      ...validations({ loops: [EACH_ACCOUNT], value: 'account.deploy_role_arn', path: 'accounts["${name}"].deploy_role_arn' }, [
        { holds: (value) => `${value} == null ? true : (${ROLE_ARN[0].holds(value)})`, message: ROLE_ARN[0].message },
      ]),
      ...['key_administrators', 'key_users'].flatMap((list) =>
        validations(
          { loops: [EACH_ACCOUNT, `for index, arn in account.${list}`], value: 'arn', path: `accounts["\${name}"].${list}[\${index}]` },
          PRINCIPAL_RULE,
        ),
      ),
    ],
  },
  {
    name: 'source_registry',
    description: 'The registry whose repositories are replicated: an account of var.accounts and a region.',
    type: expr('object({\n  account = string\n  region  = string\n})'),
    validations: [
      {
        condition: 'contains(keys(var.accounts), var.source_registry.account)',
        message: `source_registry.account (received \${jsonencode(var.source_registry.account)}): ${UNKNOWN_ACCOUNT}`,
        interpolated: true,
      },
      ...validations({ loops: [], value: 'var.source_registry.region', path: 'source_registry.region' }, AWS_REGION),
    ],
  },
  {
    name: 'destinations',
    description: `The registries that receive every replicated repository, 1 to ${DESTINATION_SLOTS} (one provider slot each): account, region, and whether repository creation templates are created there (off only for emulators without them).`,
    type: expr(
      'list(object({\n  account                       = string\n  region                        = string\n  repository_creation_templates = optional(bool, true)\n}))',
    ),
    validations: [
      {
        condition: `length(var.destinations) >= 1 && length(var.destinations) <= ${DESTINATION_SLOTS}`,
        message: `destinations (received \${length(var.destinations)} registries): must hold 1 to ${DESTINATION_SLOTS} destination registries, one provider slot each: for more, add a provider and a module call per slot (README.md, "More destinations")`,
        interpolated: true,
      },
      ...validations({ loops: ['for index, destination in var.destinations'], value: 'destination.account', path: 'destinations[${index}].account' }, [
        { holds: (value) => `contains(keys(var.accounts), ${value})`, message: UNKNOWN_ACCOUNT, perValue: true },
      ]),
      ...validations({ loops: ['for index, destination in var.destinations'], value: 'destination.region', path: 'destinations[${index}].region' }, AWS_REGION),
      ...validations({ loops: ['for index, destination in var.destinations'], value: 'destination', path: 'destinations[${index}]' }, [
        {
          holds: (value) => `${value}.account != var.source_registry.account || ${value}.region != var.source_registry.region`,
          message: SELF_REPLICATION_RULE,
        },
      ]),
      {
        condition: 'length(distinct([for destination in var.destinations : "${destination.account}/${destination.region}"])) == length(var.destinations)',
        message: 'destinations: each destination registry (account and region) may be listed once: remove the duplicate',
      },
      ...validations(
        {
          loops: ['for index, destination in var.destinations'],
          value: 'destination.repository_creation_templates',
          path: 'destinations[${index}].repository_creation_templates',
        },
        [
          {
            holds: (value) => `${value} || length(var.namespaces) == 0`,
            message: namespacesWithoutTemplatesRule(['NAMESPACES']).replace('NAMESPACES', '${join(", ", var.namespaces)}'),
            perValue: true,
          },
        ],
      ),
    ],
  },
  {
    name: 'repositories',
    description:
      'Repositories by name, created in the source and in every destination (module encrypted-repositories: tag mutability, scan on push, lifecycle rules, principals that may pull or push).',
    type: REPOSITORY_TYPE,
    default: {},
    validations: [
      {
        condition: 'length(var.repositories) + length(var.namespaces) > 0',
        message: 'repositories and namespaces (received {} and []): list at least one repository or namespace to replicate',
      },
    ],
  },
  {
    name: 'namespaces',
    description:
      'Namespaces (prefixes ending in "/", e.g. team-a/) replicated as one filter each, repositories created later included; the destinations create their repositories from creation templates.',
    type: expr('list(string)'),
    default: [],
    validations: validations({ loops: ['for index, namespace in var.namespaces'], value: 'namespace', path: 'namespaces[${index}]' }, NAMESPACE),
  },
  {
    name: 'keys',
    description:
      "Settings of every registry's key (module kms-key): alias, deletion window, rotation period (null: KMS's yearly default), multi-Region, and the protection from destroy (false only to tear down).",
    type: expr(KEYS_TYPE),
    default: {},
  },
  {
    name: 'default_lifecycle_rules',
    description: 'Lifecycle rules of repositories without their own and of the repositories creation templates create.',
    type: expr(LIFECYCLE_RULES_TYPE),
    default: lifecycleRulesInput(DEFAULT_LIFECYCLE_POLICY) as HclValue,
  },
  {
    name: 'scanning',
    description: "Each registry's scanning configuration (module registry-scanning): enabled, scan type and rules; enabled = false leaves the registries' own.",
    type: expr(SCANNING_TYPE),
    default: {},
  },
  {
    name: 'tags',
    description: 'Tags of every resource (provider default tags) and of the repositories creation templates create.',
    type: expr('map(string)'),
    default: {},
  },
  {
    name: 'endpoint',
    description: 'Base URL of an AWS-compatible endpoint (LocalStack, moto) for every AWS call, with the provider settings emulators need; null: AWS.',
    type: expr('string'),
    default: null,
    validations: validations({ loops: [], value: 'var.endpoint', path: 'endpoint' }, ENDPOINT_URL),
  },
];

const COMPLETE_EXAMPLE: ModuleDefinition = {
  name: 'complete',
  title: 'Complete example: replication across accounts and regions, configured with variables',
  summary: '',
  variables: exampleVariables,
  outputs: [
    {
      name: 'registries',
      description: 'Each registry, source and destination_<n>: account id, region, key, repositories, registry policy and creation template prefixes.',
      value: expr(
        `merge(\n  { source = module.source.summary },\n  ${SLOTS.map((name) => `{ for registry in module.${name} : "${name}" => registry.summary }`).join(',\n  ')},\n)`,
      ),
    },
    { name: 'replication_filters', description: 'The PREFIX_MATCH filters of the replication configuration.', value: expr('module.replication.filters') },
    {
      name: 'replication_rules',
      description: 'The replication rules as ECR holds them: destinations (registry_id/region) and filters of each rule.',
      value: expr('module.replication.configuration'),
    },
  ],
  main: [
    ...SLOTS.map((name) => block('module', [name], [attribute('source', './registry')])),
    block('module', ['source'], [attribute('source', './registry')]),
    block('module', ['replication'], [attribute('source', '../../modules/replication-configuration')]),
  ],
  example: [],
  tests: {},
};

/** The values of terraform.tfvars.example: two accounts, two regions (also what the offline validation calls the example with). */
export const COMPLETE_EXAMPLE_VALUES: readonly HclBodyItem[] = [
  attribute('accounts', {
    build: {
      id: '111111111111',
      deploy_role_arn: 'arn:aws:iam::111111111111:role/ecr-replication-deployer',
      key_administrators: ['arn:aws:iam::111111111111:role/platform-key-admin'],
      key_users: ['arn:aws:iam::111111111111:role/ci-image-publisher'],
    },
    prod: {
      id: '222222222222',
      deploy_role_arn: 'arn:aws:iam::222222222222:role/ecr-replication-deployer',
      key_administrators: ['arn:aws:iam::222222222222:role/platform-key-admin'],
      key_users: ['arn:aws:iam::222222222222:role/eks-node'],
    },
  }),
  attribute('source_registry', { account: 'build', region: 'us-east-1' }),
  attribute('destinations', [
    { account: 'build', region: 'us-west-2' },
    { account: 'prod', region: 'eu-west-1' },
  ]),
  attribute('repositories', {
    'team-a/api': { pull_principals: ['arn:aws:iam::222222222222:role/eks-node'] },
    web: {},
  }),
  attribute('keys', { deletion_window_in_days: 30, rotation_period_in_days: 365 }),
  attribute('tags', { Project: 'ecr-kms-replication' }),
];

function tfvarsExample(): string {
  const [accounts, source, destinations, repositories, keys, tags] = COMPLETE_EXAMPLE_VALUES;
  return renderFile([
    {
      kind: 'comment',
      text: 'Copy to terraform.tfvars and fill in. Two accounts, two regions: a source registry that replicates cross-region\nto its own account and cross-region and cross-account to production.',
    },
    accounts,
    source,
    destinations,
    repositories,
    comment('namespaces = ["team-b/"]   # every repository under team-b/, created later included (needs creation templates)'),
    keys,
    comment('keys = { prevent_destroy = false }   # only to tear down: see modules/kms-key/README.md'),
    tags,
    comment(
      'endpoint = "http://127.0.0.1:4566"   # an AWS-compatible emulator; then set repository_creation_templates = false\n                                       # on destinations when it has no creation templates (moto)',
    ),
  ]);
}

function exampleReadme(release: Release): string {
  return [
    `# ${COMPLETE_EXAMPLE.title}`,
    '',
    `<!-- ${GENERATED_HEADER} -->`,
    '',
    'A composition a Terraform team copies and configures with variables alone: accounts (ids, the role Terraform assumes, key administrators and users), the source registry, up to three destination registries (each with or without repository creation templates), repositories and namespaces, key settings, tags, and an endpoint for AWS-compatible emulators. No Node.js, no config file.',
    '',
    '## Usage',
    '',
    '```sh',
    'cp terraform.tfvars.example terraform.tfvars    # fill in accounts, registries, repositories',
    'terraform init',
    "terraform plan -out plan.tfplan                # credentials that may assume each account's deploy_role_arn",
    'terraform apply plan.tfplan',
    '```',
    '',
    `To use it outside this repository, copy the folder and point the module sources at the release you reviewed: \`source = "${moduleSource(release, 'kms-key')}"\` (and likewise for the other modules in \`registry/main.tf\` and \`main.tf\`); ${releaseTag(release)} is the current release. Give it a backend (\`terraform { backend "s3" { ... } }\`) before applying for real: the example keeps local state.`,
    '',
    '## What it builds',
    '',
    '- every registry (`module.source`, `module.destination_<n>`, each a call of `registry/` with its own provider): a customer-managed key (rotated, protected from destroy), the repositories, KMS-encrypted with that key, the registry scanning configuration;',
    '- each destination: repository creation templates (unless `repository_creation_templates = false`), and a registry policy when the source is in another account, scoped to the replicated filters;',
    '- the source: one replication configuration (`module.replication`) that checks every destination before replicating (each repository there, KMS-encrypted with the destination key; a template for each namespace) and is applied after them.',
    '',
    'Every input is validated with the rules of the library (the same messages as the config check of the CDKTF app): a wildcard principal, a malformed ARN or account id, an unknown account, a destination equal to the source, a namespace without templates fail the plan before anything is created.',
    '',
    '## Provider slots',
    '',
    `Terraform cannot create provider configurations from a variable, so the example has ${DESTINATION_SLOTS + 1} provider slots: \`aws.source\` and \`aws.destination_0\` to \`aws.destination_${DESTINATION_SLOTS - 1}\`. A slot without a destination (\`length(var.destinations)\` is smaller) is configured like the source registry and manages nothing; its \`module.destination_<n>\` has \`count = 0\`.`,
    '',
    '### More destinations',
    '',
    `1. In \`providers.tf\`, copy the last \`provider "aws"\` block with the next alias (\`destination_${DESTINATION_SLOTS}\`) and \`local.slots[${DESTINATION_SLOTS}]\`.`,
    `2. In \`main.tf\`, copy the last \`module "destination_<n>"\` block with the next index, raise \`range(${DESTINATION_SLOTS})\` in \`local.slots\`, and add the module to \`module.replication\`'s \`destinations\` and \`depends_on\`, and to the \`registries\` output.`,
    `3. In \`variables.tf\`, raise the limit of \`destinations\` (${DESTINATION_SLOTS}).`,
    '',
    'One composition replicates one source registry. For several sources into one destination, remember that a registry has one registry policy: list every source account in one `replication-registry-policy` call (the generated root composition of the CDKTF app does this), or run one composition per source with distinct destinations.',
    '',
    '## Emulators',
    '',
    'With `endpoint` set (LocalStack, moto\'s server), every provider sends ECR, IAM, KMS, S3 and STS calls there and skips what emulators cannot answer: credentials and region validation, the instance metadata API; S3 uses path-style addressing. `skip_requesting_account_id` stays `false`: with `true`, the AWS provider loses the replication and scanning configurations after apply on moto ("Root object was present, but now absent"). moto has no repository creation templates: set `repository_creation_templates = false` on every destination there. `tests/emulator/complete.tftest.hcl` applies this example that way (see terraform/README.md).',
    '',
    '## Teardown',
    '',
    'The keys are protected: `terraform destroy` fails with `Instance cannot be destroyed` and deletes nothing. To tear down on purpose, see `../../modules/kms-key/README.md` ("Protection from destroy"): set `keys = { prevent_destroy = false }`, forget the protection markers once (`terraform state rm` of each `module.<registry>.module.key.terraform_data.key_protection[0]`), then `terraform destroy` (after emptying the repositories).',
    '',
    terraformDocsBlock(docsModule(COMPLETE_EXAMPLE)),
    '',
  ].join('\n');
}

function registryReadme(): string {
  return [
    `# ${REGISTRY_MODULE.title}`,
    '',
    `<!-- ${GENERATED_HEADER} -->`,
    '',
    REGISTRY_MODULE.summary,
    '',
    terraformDocsBlock(docsModule(REGISTRY_MODULE)),
    '',
  ].join('\n');
}

/** The emulator test of the example: one apply across two accounts and two regions, its real attributes checked, a re-plan, then the destroy `terraform test` does. */
function emulatorTest(): string {
  return [
    '# Generated by npm run export:terraform. Applies the complete example against an AWS-compatible emulator:',
    '#   terraform test -test-directory=tests/emulator -var-file=<accounts, registries, endpoint>.tfvars',
    '# The variables name two accounts and two regions; the emulator layer (npm run test:emulator) runs it against moto.',
    '# The keys are not protected here: the test destroys everything it applied.',
    '',
    'variables {',
    '  keys = { prevent_destroy = false }',
    '}',
    '',
    'run "applies" {',
    '  command = apply',
    '',
    '  assert {',
    '    condition     = alltrue([for name, registry in output.registries : registry.key.rotation.enabled && startswith(registry.key.arn, "arn:aws:kms:${registry.region}:${registry.registry_id}:key/")])',
    '    error_message = "Every registry has a key of its own account and region, with rotation on."',
    '  }',
    '  assert {',
    '    condition     = alltrue(flatten([for name, registry in output.registries : [for repository in values(registry.repositories) : repository.encryption_type == "KMS" && repository.kms_key == registry.key.arn]]))',
    '    error_message = "Every repository of every registry is encrypted with KMS under its registry key."',
    '  }',
    '  assert {',
    '    condition     = alltrue([for name, registry in output.registries : sort(keys(registry.repositories)) == sort(keys(var.repositories))])',
    '    error_message = "The source and every destination hold every repository."',
    '  }',
    '  assert {',
    '    condition     = output.replication_rules == [{ destinations = [for name, registry in output.registries : "${registry.registry_id}/${registry.region}" if name != "source"], filters = [for filter in output.replication_filters : "PREFIX_MATCH:${filter}"] }]',
    '    error_message = "One replication rule sends every filter to every destination, as ECR holds it."',
    '  }',
    '  assert {',
    '    condition     = alltrue([for name, registry in output.registries : registry.registry_policy == null if registry.registry_id == output.registries["source"].registry_id])',
    '    error_message = "A registry of the source account has no registry policy."',
    '  }',
    '  assert {',
    '    condition     = alltrue([for name, registry in output.registries : jsondecode(registry.registry_policy).Statement == [{ Sid = "AllowReplicationFrom${join("", [for part in regexall("[A-Za-z0-9]+", var.source_registry.account) : "${upper(substr(part, 0, 1))}${substr(part, 1, -1)}"])}${output.registries["source"].registry_id}", Effect = "Allow", Principal = { AWS = "arn:aws:iam::${output.registries["source"].registry_id}:root" }, Action = ["ecr:CreateRepository", "ecr:ReplicateImage"], Resource = [for filter in output.replication_filters : "arn:aws:ecr:${registry.region}:${registry.registry_id}:repository/${filter}*"] }] if registry.registry_id != output.registries["source"].registry_id])',
    '    error_message = "A registry of another account lets the source account replicate its filters only."',
    '  }',
    '}',
    '',
    '# Planned again with the same variables: the emulator layer reads the plan (terraform test -verbose) and expects no change.',
    'run "replans_clean" {',
    '  command = plan',
    '}',
    '',
  ].join('\n');
}

/** Every file of examples/complete, by path relative to the export folder. */
export function completeExampleFiles(release: Release): Record<string, string> {
  const folder = COMPLETE_EXAMPLE_FOLDER;
  return {
    [`${folder}/README.md`]: exampleReadme(release),
    [`${folder}/${TERRAFORM_DOCS_CONFIG_FILE}`]: TERRAFORM_DOCS_CONFIG,
    [`${folder}/main.tf`]: mainFile,
    [`${folder}/providers.tf`]: providersFile,
    [`${folder}/variables.tf`]: variablesFile(COMPLETE_EXAMPLE),
    [`${folder}/outputs.tf`]: outputsFile(COMPLETE_EXAMPLE),
    [`${folder}/versions.tf`]: versionsFile({ main: [] }),
    [`${folder}/terraform.tfvars.example`]: tfvarsExample(),
    [`${folder}/${COMPLETE_EMULATOR_TEST}`]: emulatorTest(),
    [`${folder}/registry/README.md`]: registryReadme(),
    [`${folder}/registry/${TERRAFORM_DOCS_CONFIG_FILE}`]: TERRAFORM_DOCS_CONFIG,
    [`${folder}/registry/main.tf`]: renderFile(REGISTRY_MODULE.main),
    [`${folder}/registry/variables.tf`]: variablesFile(REGISTRY_MODULE),
    [`${folder}/registry/outputs.tf`]: outputsFile(REGISTRY_MODULE),
    [`${folder}/registry/versions.tf`]: versionsFile({ main: [] }),
  };
}
