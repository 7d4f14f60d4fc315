/** Module replication-configuration: the source registry's one replication configuration (ReplicationConfiguration). */
import { REPLICATION_LIMITS } from '../../../modules/ecr/limits';
import { replicationFiltersFor, replicationRuleLimitProblem, replicationRulesFor } from '../../../modules/ecr/replication-rules';
import { attribute, block, expr, template } from '../../hcl/hcl-writer';
import { ModuleDefinition } from '../module-definition';
import { mockProvider, registryContext, testHeader, emulatorTestHeader } from '../registry-context';
import { AWS_ACCOUNT_ID, AWS_REGION, NAMESPACE, REPLICATION_FILTER, validations } from '../library-rules';

const { rulesPerConfiguration, destinationsPerRule, filtersPerRule } = REPLICATION_LIMITS;

/**
 * The library's message for too many rules, with the counts as references:
 * asked with sentinel counts that appear nowhere else in the message.
 */
function ruleLimitMessage(): string {
  const destinations = 7919 * destinationsPerRule;
  const filters = 104729 * filtersPerRule;
  const message = replicationRuleLimitProblem(destinations, filters);
  if (message === undefined) throw new Error('the sentinel counts must exceed the rule limit');
  const rules = Math.ceil(destinations / destinationsPerRule) * Math.ceil(filters / filtersPerRule);
  return message
    .replace(`${destinations} destinations`, '${length(var.destinations)} destinations')
    .replace(`${filters} filters need`, '${length(local.filters)} filters need')
    .replace(`${rules} replication rules`, '${length(local.rules)} replication rules');
}

/** A destination of the test files: 12-digit account ids counting up from 2000…. */
function testDestinations(count: number): { region: string; registry_id: string }[] {
  return Array.from({ length: count }, (_, index) => ({ region: 'us-west-2', registry_id: String(200000000000 + index) }));
}

function testNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `repo-${String(index).padStart(3, '0')}`);
}

/** What the library's split gives, as the shape the test compares: destination and filter counts per rule. */
function expectedSplit(destinations: number, names: number): string {
  const rules = replicationRulesFor(testDestinations(destinations), replicationFiltersFor(testNames(names)));
  return `[${rules.map((rule) => `[${rule.destinations.length}, ${rule.filters.length}]`).join(', ')}]`;
}

const EACH_DESTINATION = 'for index, destination in var.destinations';

const EXAMPLE_NAMES = ['team-a/api', 'team-a/api-dev', 'web'];

export const REPLICATION_CONFIGURATION_MODULE: ModuleDefinition = {
  name: 'replication-configuration',
  title: 'ECR replication configuration (source side)',
  summary: [
    `The source registry's replication configuration: exactly one per registry (ECR keeps one; applying it replaces the registry's rules). The repository names are reduced to the fewest \`PREFIX_MATCH\` filters that cover them, and rules are split as destination chunks × filter chunks to respect ECR's limits (${destinationsPerRule} destinations and ${filtersPerRule} filters per rule, ${rulesPerConfiguration} rules).`,
    'A destination may carry the `repositories` and `kms_key_arn` outputs of its registry (modules encrypted-repositories and kms-key): the plan then stops unless every replicated repository exists there, encrypted with KMS under that key, and the references make Terraform create the destinations first. Without it a first push may create AES256-encrypted replicas.',
  ].join('\n\n'),
  variables: [
    {
      name: 'destinations',
      description:
        'Registries that receive every replicated repository: region and 12-digit registry (account) id, optionally the kms_key_arn and repositories outputs of the destination and the prefixes of its creation templates, to check before replicating.',
      type: expr(
        'list(object({\n  region      = string\n  registry_id = string\n  kms_key_arn = optional(string)\n  repositories = optional(map(object({\n    encryption_type = string\n    kms_key         = string\n  })))\n  creation_template_prefixes = optional(list(string))\n}))',
      ),
      validations: [
        {
          condition: 'length(var.destinations) > 0',
          message: 'destinations (received []): must hold at least one destination registry, e.g. [{ region = "eu-west-1", registry_id = "222222222222" }]',
        },
        ...validations({ loops: [EACH_DESTINATION], value: 'destination.region', path: 'destinations[${index}].region' }, AWS_REGION),
        ...validations({ loops: [EACH_DESTINATION], value: 'destination.registry_id', path: 'destinations[${index}].registry_id' }, AWS_ACCOUNT_ID),
        {
          condition: 'length(distinct([for destination in var.destinations : "${destination.registry_id}/${destination.region}"])) == length(var.destinations)',
          message: 'destinations: each destination registry (registry_id and region) may be listed once: remove the duplicate',
        },
      ],
    },
    {
      name: 'repository_names',
      description: 'Names (or name prefixes) of the replicated repositories, which every destination must hold; reduced to the fewest PREFIX_MATCH filters.',
      type: expr('list(string)'),
      default: [],
      validations: validations({ loops: ['for index, name in var.repository_names'], value: 'name', path: 'repository_names[${index}]' }, REPLICATION_FILTER),
    },
    {
      name: 'namespaces',
      description:
        'Namespaces (prefixes ending in "/", e.g. team-a/) replicated as one filter each, repositories created later included; a destination creates their repositories from its creation templates.',
      type: expr('list(string)'),
      default: [],
      validations: validations({ loops: ['for index, namespace in var.namespaces'], value: 'namespace', path: 'namespaces[${index}]' }, NAMESPACE),
    },
  ],
  outputs: [
    { name: 'filters', description: 'The PREFIX_MATCH filters: the fewest that cover the repository names and namespaces.', value: expr('local.filters') },
    { name: 'rules', description: 'The replication rules: destinations and filters of each.', value: expr('local.rules') },
    { name: 'registry_id', description: 'Account id of the source registry.', value: expr('aws_ecr_replication_configuration.this.registry_id') },
    {
      name: 'configuration',
      description: 'The rules as ECR holds them (read back after apply): the destinations (registry_id/region) and PREFIX_MATCH filters of each rule.',
      value: expr(
        '[for rule in aws_ecr_replication_configuration.this.replication_configuration[0].rule : { destinations = [for destination in rule.destination : "${destination.registry_id}/${destination.region}"], filters = [for filter in rule.repository_filter : "${filter.filter_type}:${filter.filter}"] }]',
      ),
    },
  ],
  main: [
    ...registryContext(),
    block(
      'locals',
      [],
      [
        // A name covered by another listed name (a prefix of it) needs no filter of its own (library: replicationFiltersFor).
        attribute(
          'filters',
          expr(
            '[for name in sort(distinct(local.replicated_prefixes)) : name if !anytrue([for other in local.replicated_prefixes : other != name && startswith(name, other)])]',
          ),
        ),
        attribute(
          'rules',
          expr(
            `flatten([\n  for destinations in chunklist(var.destinations, ${destinationsPerRule}) : [\n    for filters in chunklist(local.filters, ${filtersPerRule}) : { destinations = destinations, filters = filters }\n  ]\n])`,
          ),
        ),
        attribute('replicated', expr('[for name in var.repository_names : name]')),
        attribute('replicated_prefixes', expr('concat(var.repository_names, var.namespaces)')),
        // A namespace's template prefix is the namespace without its "/" (library: creationTemplatePrefixOfNamespace).
        attribute('namespace_template_prefixes', expr('[for namespace in var.namespaces : trimsuffix(namespace, "/")]')),
      ],
    ),
    block(
      'resource',
      ['aws_ecr_replication_configuration', 'this'],
      [
        block(
          'replication_configuration',
          [],
          [
            block(
              'dynamic',
              ['rule'],
              [
                attribute('for_each', expr('local.rules')),
                block(
                  'content',
                  [],
                  [
                    block(
                      'dynamic',
                      ['destination'],
                      [
                        attribute('for_each', expr('rule.value.destinations')),
                        block(
                          'content',
                          [],
                          [attribute('region', expr('destination.value.region')), attribute('registry_id', expr('destination.value.registry_id'))],
                        ),
                      ],
                    ),
                    block(
                      'dynamic',
                      ['repository_filter'],
                      [
                        attribute('for_each', expr('rule.value.filters')),
                        block('content', [], [attribute('filter', expr('repository_filter.value')), attribute('filter_type', 'PREFIX_MATCH')]),
                      ],
                    ),
                  ],
                ),
              ],
            ),
          ],
        ),
        block(
          'lifecycle',
          [],
          [
            block(
              'precondition',
              [],
              [
                attribute('condition', expr('length(local.filters) > 0')),
                attribute('error_message', 'repository_names and namespaces (received [] and []): list at least one repository name or namespace to replicate'),
              ],
            ),
            block(
              'precondition',
              [],
              [attribute('condition', expr(`length(local.rules) <= ${rulesPerConfiguration}`)), attribute('error_message', template(`${ruleLimitMessage()}.`))],
            ),
            block(
              'precondition',
              [],
              [
                attribute(
                  'condition',
                  expr(
                    '!contains([for destination in var.destinations : "${destination.registry_id}/${destination.region}"], "${local.account_id}/${local.region}")',
                  ),
                ),
                attribute(
                  'error_message',
                  template('A destination cannot be the source registry itself (account ${local.account_id} in ${local.region}): remove it from destinations.'),
                ),
              ],
            ),
            block(
              'precondition',
              [],
              [
                attribute(
                  'condition',
                  expr(
                    'alltrue([for destination in var.destinations : destination.repositories == null || alltrue([for name in local.replicated : try(destination.repositories[name].encryption_type == "KMS" && destination.repositories[name].kms_key == destination.kms_key_arn, false)])])',
                  ),
                ),
                attribute(
                  'error_message',
                  'A destination lacks a replicated repository, or one is not encrypted with KMS under the destination key: create the repositories there first (module encrypted-repositories), then plan again.',
                ),
              ],
            ),
            block(
              'precondition',
              [],
              [
                attribute(
                  'condition',
                  expr(
                    'alltrue([for destination in var.destinations : destination.creation_template_prefixes == null ? true : length(setsubtract(local.namespace_template_prefixes, destination.creation_template_prefixes)) == 0])',
                  ),
                ),
                attribute(
                  'error_message',
                  'A destination has no creation template for a replicated namespace, so replication would create its repositories with AES256: create the templates there first (module repository-creation-templates), then plan again.',
                ),
              ],
            ),
          ],
        ),
      ],
    ),
  ],
  example: [
    attribute('repository_names', ['team-a/api', 'web']),
    attribute('destinations', [
      { region: 'us-west-2', registry_id: '111111111111' },
      { region: 'eu-west-1', registry_id: '222222222222' },
    ]),
  ],
  tests: {
    'replication_configuration.tftest.hcl': [
      testHeader(
        `Filters reduced to the fewest prefixes; rules split at ${destinationsPerRule} destinations and ${filtersPerRule} filters; at most ${rulesPerConfiguration} rules; the destination check.`,
      ),
      mockProvider(),
      '',
      'run "every_destination_receives_every_filter" {',
      '  command = plan',
      '',
      '  variables {',
      `    repository_names = ${JSON.stringify(EXAMPLE_NAMES).replace(/,/g, ', ')}`,
      '    destinations = [',
      '      { region = "us-west-2", registry_id = "111111111111", kms_key_arn = "arn:aws:kms:us-west-2:111111111111:key/k", repositories = { "team-a/api" = { encryption_type = "KMS", kms_key = "arn:aws:kms:us-west-2:111111111111:key/k" }, "team-a/api-dev" = { encryption_type = "KMS", kms_key = "arn:aws:kms:us-west-2:111111111111:key/k" }, web = { encryption_type = "KMS", kms_key = "arn:aws:kms:us-west-2:111111111111:key/k" } } },',
      '      { region = "eu-west-1", registry_id = "222222222222" },',
      '    ]',
      '  }',
      '',
      '  assert {',
      `    condition     = output.filters == ${JSON.stringify(replicationFiltersFor(EXAMPLE_NAMES)).replace(/,/g, ', ')}`,
      '    error_message = "A name covered by another listed name (team-a/api-dev by team-a/api) needs no filter of its own."',
      '  }',
      '  assert {',
      '    condition     = [for rule in aws_ecr_replication_configuration.this.replication_configuration[0].rule : { destinations = [for destination in rule.destination : "${destination.registry_id}/${destination.region}"], filters = [for filter in rule.repository_filter : "${filter.filter_type}:${filter.filter}"] }] == [{ destinations = ["111111111111/us-west-2", "222222222222/eu-west-1"], filters = ["PREFIX_MATCH:team-a/api", "PREFIX_MATCH:web"] }]',
      '    error_message = "One rule sends every PREFIX_MATCH filter to every destination."',
      '  }',
      '}',
      '',
      `run "rules_are_split_at_${destinationsPerRule}_destinations_and_${filtersPerRule}_filters" {`,
      '  command = plan',
      '',
      '  variables {',
      `    repository_names = [for index in range(${filtersPerRule + 1}) : format("repo-%03d", index)]`,
      `    destinations     = [for index in range(${destinationsPerRule + 1}) : { region = "us-west-2", registry_id = format("%d", 200000000000 + index) }]`,
      '  }',
      '',
      '  assert {',
      `    condition     = [for rule in output.rules : [length(rule.destinations), length(rule.filters)]] == ${expectedSplit(destinationsPerRule + 1, filtersPerRule + 1)}`,
      '    error_message = "Rules must be destination chunks x filter chunks within ECR limits, as the library splits them."',
      '  }',
      '}',
      '',
      `run "fails_above_${rulesPerConfiguration}_rules" {`,
      '  command = plan',
      '',
      '  variables {',
      // One filter and enough destinations for one rule too many: the cheapest plan past the limit
      // (hundreds of names cost seconds: the fewest-filters local compares every pair).
      '    repository_names = ["web"]',
      `    destinations     = [for index in range(${destinationsPerRule * rulesPerConfiguration + 1}) : { region = "us-west-2", registry_id = format("%d", 200000000000 + index) }]`,
      '  }',
      '',
      '  expect_failures = [aws_ecr_replication_configuration.this]',
      '}',
      '',
      'run "namespaces_replicate_as_one_filter_each" {',
      '  command = plan',
      '',
      '  variables {',
      '    repository_names = ["web"]',
      '    namespaces       = ["team-a/"]',
      '    destinations     = [{ region = "us-west-2", registry_id = "111111111111", creation_template_prefixes = ["ROOT", "team-a"] }]',
      '  }',
      '',
      '  assert {',
      '    condition     = output.filters == ["team-a/", "web"]',
      '    error_message = "A namespace is one PREFIX_MATCH filter beside the repository names."',
      '  }',
      '}',
      '',
      'run "fails_a_destination_without_a_template_for_a_namespace" {',
      '  command = plan',
      '',
      '  variables {',
      '    namespaces   = ["team-a/"]',
      '    destinations = [{ region = "us-west-2", registry_id = "111111111111", creation_template_prefixes = ["ROOT"] }]',
      '  }',
      '',
      '  expect_failures = [aws_ecr_replication_configuration.this]',
      '}',
      '',
      'run "fails_wildcard_and_malformed_filters_regions_and_ids" {',
      '  command = plan',
      '',
      '  variables {',
      '    repository_names = ["*", "Bad Filter!"]',
      '    namespaces       = ["team-a"]',
      '    destinations     = [{ region = "mars-1", registry_id = "12345" }]',
      '  }',
      '',
      '  expect_failures = [var.repository_names, var.namespaces, var.destinations]',
      '}',
      '',
      'run "fails_a_destination_whose_repository_is_not_kms_encrypted" {',
      '  command = plan',
      '',
      '  variables {',
      '    repository_names = ["web"]',
      '    destinations     = [{ region = "us-west-2", registry_id = "111111111111", kms_key_arn = "arn:aws:kms:us-west-2:111111111111:key/k", repositories = { web = { encryption_type = "AES256", kms_key = "" } } }]',
      '  }',
      '',
      '  expect_failures = [aws_ecr_replication_configuration.this]',
      '}',
      '',
    ].join('\n'),
  },
  emulatorTests: {
    'replication_configuration.tftest.hcl': [
      emulatorTestHeader('The replication configuration as ECR holds it: one rule, every destination, the fewest filters.'),
      'variables {',
      '  region           = "us-east-1"',
      `  repository_names = ${JSON.stringify(EXAMPLE_NAMES).replace(/,/g, ', ')}`,
      '  destinations     = [{ region = "us-west-2", registry_id = var.account_id }, { region = "eu-west-1", registry_id = "210987654321" }]',
      '}',
      '',
      'run "applies_one_rule_to_every_destination" {',
      '  command = apply',
      '',
      '  assert {',
      '    condition     = output.configuration == [{ destinations = ["${var.account_id}/us-west-2", "210987654321/eu-west-1"], filters = ["PREFIX_MATCH:team-a/api", "PREFIX_MATCH:web"] }]',
      '    error_message = "ECR holds one rule: both destinations (cross-region, cross-account), the fewest PREFIX_MATCH filters."',
      '  }',
      '  assert {',
      '    condition     = output.registry_id == var.account_id',
      '    error_message = "The configuration belongs to the registry of the provider\'s account."',
      '  }',
      '}',
      '',
    ].join('\n'),
  },
};
