/** Module registry-scanning: the registry's one scanning configuration (RegistryScanningConfiguration). */
import { DEFAULT_SCANNING, SCANNING_LIMITS } from '../../../config/compliance-schema';
import { ScanFrequency, ScanType } from '../../../modules/registry-scanning-configuration';
import { attribute, block, expr } from '../../hcl/hcl-writer';
import { ModuleDefinition } from '../module-definition';
import { mockProvider, testHeader, emulatorTestHeader } from '../registry-context';
import { SCANNING_FILTER, validations } from '../library-rules';
import { hclStringList } from './shared';

const SCAN_TYPES: readonly ScanType[] = ['BASIC', 'ENHANCED'];
const FREQUENCIES: readonly ScanFrequency[] = ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'];
const CONTINUOUS: ScanFrequency = 'CONTINUOUS_SCAN';
const ENHANCED: ScanType = 'ENHANCED';
const WILDCARD = 'WILDCARD';

const eachRule = (condition: string): string => `alltrue([for rule in var.rules : ${condition}])`;

export const REGISTRY_SCANNING_MODULE: ModuleDefinition = {
  name: 'registry-scanning',
  title: 'ECR registry scanning configuration',
  summary: [
    'A registry has exactly one scanning configuration: applying this one replaces whatever the registry had, so call the module once per account and region. It is the only scan setting that reaches repositories that replication creates from a creation template (templates have no scan setting).',
    `By default basic scanning scans every repository on push (one \`SCAN_ON_PUSH\` rule with the \`${WILDCARD}\` filter \`*\`). \`scan_type = "${ENHANCED}"\` (Amazon Inspector, billed) allows \`${CONTINUOUS}\` rules; ECR takes at most ${SCANNING_LIMITS.rules} rules (one per frequency) of at most ${SCANNING_LIMITS.filtersPerRule} filters each.`,
  ].join('\n\n'),
  variables: [
    {
      name: 'scan_type',
      description: `${SCAN_TYPES.join(' (on push, free) or ')} (Amazon Inspector, continuous scanning possible).`,
      type: expr('string'),
      default: DEFAULT_SCANNING.scanType,
      validations: [{ condition: `contains(${hclStringList(SCAN_TYPES)}, var.scan_type)`, message: `The scan_type must be one of ${SCAN_TYPES.join(', ')}.` }],
    },
    {
      name: 'rules',
      description: `Scanning rules, at most ${SCANNING_LIMITS.rules} (one per frequency): the frequency and the ${WILDCARD} repository filters (\`*\` matches any characters).`,
      type: expr('list(object({\n  frequency = string\n  filters   = list(string)\n}))'),
      default: DEFAULT_SCANNING.rules.map((rule) => ({ frequency: rule.frequency, filters: [...rule.filters] })),
      validations: [
        {
          condition: `length(var.rules) >= 1 && length(var.rules) <= ${SCANNING_LIMITS.rules}`,
          message: `List 1 to ${SCANNING_LIMITS.rules} rules (ECR limit), e.g. [{ frequency = "SCAN_ON_PUSH", filters = ["*"] }].`,
        },
        {
          condition: eachRule(`contains(${hclStringList(FREQUENCIES)}, rule.frequency)`),
          message: `A rule's frequency must be one of ${FREQUENCIES.join(', ')}.`,
        },
        {
          condition: 'length(distinct([for rule in var.rules : rule.frequency])) == length(var.rules)',
          message: 'Each frequency may appear in one rule only: merge the filters of rules with the same frequency.',
        },
        {
          condition: eachRule(`length(rule.filters) >= 1 && length(rule.filters) <= ${SCANNING_LIMITS.filtersPerRule}`),
          message: `A rule holds 1 to ${SCANNING_LIMITS.filtersPerRule} filters (ECR limit per scanning rule), e.g. ["*"].`,
        },
        ...validations(
          { loops: ['for index, rule in var.rules', 'for entry, filter in rule.filters'], value: 'filter', path: 'rules[${index}].filters[${entry}]' },
          SCANNING_FILTER,
        ),
        {
          condition: `var.scan_type == "${ENHANCED}" || ${eachRule(`rule.frequency != "${CONTINUOUS}"`)}`,
          message: `${CONTINUOUS} needs scan_type ${ENHANCED} (basic scanning scans on push only): set scan_type = "${ENHANCED}" or use SCAN_ON_PUSH.`,
        },
      ],
    },
  ],
  outputs: [
    { name: 'registry_id', description: 'Account id of the registry.', value: expr('aws_ecr_registry_scanning_configuration.this.registry_id') },
    { name: 'scan_type', description: 'The scan type of the registry.', value: expr('aws_ecr_registry_scanning_configuration.this.scan_type') },
  ],
  main: [
    block(
      'resource',
      ['aws_ecr_registry_scanning_configuration', 'this'],
      [
        attribute('scan_type', expr('var.scan_type')),
        block(
          'dynamic',
          ['rule'],
          [
            attribute('for_each', expr('var.rules')),
            block(
              'content',
              [],
              [
                attribute('scan_frequency', expr('rule.value.frequency')),
                block(
                  'dynamic',
                  ['repository_filter'],
                  [
                    attribute('for_each', expr('rule.value.filters')),
                    block('content', [], [attribute('filter', expr('repository_filter.value')), attribute('filter_type', WILDCARD)]),
                  ],
                ),
              ],
            ),
          ],
        ),
      ],
    ),
  ],
  example: [
    attribute('scan_type', ENHANCED),
    attribute('rules', [
      { frequency: CONTINUOUS, filters: ['team-a/*'] },
      { frequency: 'SCAN_ON_PUSH', filters: ['*'] },
    ]),
  ],
  tests: {
    'registry_scanning.tftest.hcl': [
      testHeader('Basic scan on push of every repository by default; enhanced rules; the rules ECR rejects fail at plan.'),
      mockProvider(),
      '',
      'run "default_scans_every_repository_on_push" {',
      '  command = plan',
      '',
      '  assert {',
      '    condition     = aws_ecr_registry_scanning_configuration.this.scan_type == "BASIC" && one(aws_ecr_registry_scanning_configuration.this.rule).scan_frequency == "SCAN_ON_PUSH"',
      '    error_message = "Basic scanning on push by default."',
      '  }',
      '  assert {',
      '    condition     = one(aws_ecr_registry_scanning_configuration.this.rule).repository_filter == toset([{ filter = "*", filter_type = "WILDCARD" }])',
      '    error_message = "The default rule covers every repository (wildcard *)."',
      '  }',
      '}',
      '',
      'run "enhanced_scans_continuously_and_on_push" {',
      '  command = plan',
      '',
      '  variables {',
      '    scan_type = "ENHANCED"',
      '    rules     = [{ frequency = "CONTINUOUS_SCAN", filters = ["team-a/*", "web"] }, { frequency = "SCAN_ON_PUSH", filters = ["*"] }]',
      '  }',
      '',
      '  assert {',
      '    condition     = aws_ecr_registry_scanning_configuration.this.scan_type == "ENHANCED" && sort([for rule in aws_ecr_registry_scanning_configuration.this.rule : rule.scan_frequency]) == tolist(["CONTINUOUS_SCAN", "SCAN_ON_PUSH"])',
      '    error_message = "Enhanced scanning with one rule per frequency."',
      '  }',
      '  assert {',
      '    condition     = sort(flatten([for rule in aws_ecr_registry_scanning_configuration.this.rule : [for filter in rule.repository_filter : "${rule.scan_frequency}:${filter.filter_type}:${filter.filter}"]])) == tolist(["CONTINUOUS_SCAN:WILDCARD:team-a/*", "CONTINUOUS_SCAN:WILDCARD:web", "SCAN_ON_PUSH:WILDCARD:*"])',
      '    error_message = "Every filter is a wildcard filter of its rule."',
      '  }',
      '}',
      '',
      'run "fails_continuous_scanning_with_basic_scanning" {',
      '  command = plan',
      '',
      '  variables {',
      '    rules = [{ frequency = "CONTINUOUS_SCAN", filters = ["*"] }]',
      '  }',
      '',
      '  expect_failures = [var.rules]',
      '}',
      '',
      'run "fails_a_filter_with_uppercase_letters" {',
      '  command = plan',
      '',
      '  variables {',
      '    rules = [{ frequency = "SCAN_ON_PUSH", filters = ["Team-A/*"] }]',
      '  }',
      '',
      '  expect_failures = [var.rules]',
      '}',
      '',
    ].join('\n'),
  },
  emulatorTests: {
    'registry_scanning.tftest.hcl': [
      emulatorTestHeader('The registry scanning configuration as ECR holds it.'),
      'variables {',
      '  region = "eu-west-1"',
      '}',
      '',
      'run "applies_basic_scan_on_push_of_every_repository" {',
      '  command = apply',
      '',
      '  assert {',
      '    condition     = output.scan_type == "BASIC" && [for rule in aws_ecr_registry_scanning_configuration.this.rule : [rule.scan_frequency, [for filter in rule.repository_filter : "${filter.filter_type}:${filter.filter}"]]] == [["SCAN_ON_PUSH", ["WILDCARD:*"]]]',
      '    error_message = "ECR holds basic scanning on push of every repository."',
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
