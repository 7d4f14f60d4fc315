/** Module repository-creation-templates: templates for replicated repositories and the role ECR assumes (RepositoryCreationTemplates + CreationTemplateRole). */
import { attribute, block, call, expr, template } from '../../hcl/hcl-writer';
import { creationTemplateRolePolicy, ecrTrustPolicy } from '../../../modules/policies/creation-template-role';
import { creationTemplatePrefixes } from '../../../modules/repository-creation-templates';
import { CREATION_TEMPLATE_DESCRIPTION, creationTemplateRoleDescription, creationTemplateRoleName } from '../../../stacks/resource-names';
import { ModuleDefinition } from '../module-definition';
import { policyToHcl } from '../policy-expressions';
import {
  ACCOUNT_ID,
  mockProvider,
  MOCK_KEY_ARN,
  PARTITION,
  REGION,
  registryContext,
  testHeader,
  withPartitionDnsSuffix,
  emulatorTestHeader,
} from '../registry-context';
import { KMS_KEY_ARN, REPLICATION_FILTER, validations } from '../library-rules';
import { LIFECYCLE_RULES_TYPE, lifecyclePolicyJson, lifecycleValidations } from './lifecycle-rules';

const TEST_FILTERS = ['team-a/api', 'team-b/tools/cli', 'web'];

export const REPOSITORY_CREATION_TEMPLATES_MODULE: ModuleDefinition = {
  name: 'repository-creation-templates',
  title: 'ECR repository creation templates for replication, with the role ECR assumes',
  summary: [
    'A `PREFIX_MATCH` filter `api` also replicates `api-dev`, which nobody pre-created; without a template ECR would create it encrypted with AES256. One template per replicated namespace (`team-a` for `team-a/api`), or `ROOT` for names without one, `applied_for = ["REPLICATION"]`, KMS with the destination key, immutable tags.',
    "ECR assumes a role (trust: `ecr.amazonaws.com` for this account only) that may `ecr:CreateRepository`, `ecr:ReplicateImage` and `ecr:TagResource` on the filters' repositories and `kms:CreateGrant`, `kms:RetireGrant`, `kms:DescribeKey` on the key through ECR. Give the `role_arn` output to the key (module kms-key, `ecr_service_role_arns`).",
  ].join('\n\n'),
  variables: [
    {
      name: 'kms_key_arn',
      description: "ARN of the destination registry's customer-managed KMS key.",
      type: expr('string'),
      validations: validations({ loops: [], value: 'var.kms_key_arn', path: 'kms_key_arn' }, KMS_KEY_ARN),
    },
    {
      name: 'replication_filters',
      description: 'The PREFIX_MATCH filters that replicate into this registry.',
      type: expr('list(string)'),
      validations: [
        {
          condition: 'length(var.replication_filters) > 0',
          message: 'replication_filters (received []): must hold at least one PREFIX_MATCH filter that replicates into this registry',
        },
        ...validations({ loops: ['for index, filter in var.replication_filters'], value: 'filter', path: 'replication_filters[${index}]' }, REPLICATION_FILTER),
      ],
    },
    {
      name: 'role_name',
      description: `Name of the role ECR assumes; null gives ${creationTemplateRoleName('<region>')}.`,
      type: expr('string'),
      default: null,
    },
    {
      name: 'lifecycle_rules',
      description:
        'Lifecycle rules of the repositories the templates create (the ECR lifecycle policy fields in snake_case, as in module encrypted-repositories); [] sets no lifecycle policy.',
      type: expr(LIFECYCLE_RULES_TYPE),
      default: [],
      validations: lifecycleValidations({ loops: [], rules: 'var.lifecycle_rules', path: 'lifecycle_rules' }),
    },
    { name: 'resource_tags', description: 'Tags of the repositories the templates create.', type: expr('map(string)'), default: {} },
    { name: 'tags', description: 'Tags of the role.', type: expr('map(string)'), default: {} },
  ],
  outputs: [
    { name: 'role_arn', description: 'ARN of the role ECR assumes (grant it the key: kms-key ecr_service_role_arns).', value: expr('aws_iam_role.this.arn') },
    { name: 'prefixes', description: 'Prefixes of the templates: the namespaces of the filters, ROOT for names without one.', value: expr('local.prefixes') },
    {
      name: 'templates',
      description: 'Templates by prefix: encryption type, key, the role and the lifecycle policy.',
      value: expr(
        '{ for prefix, item in aws_ecr_repository_creation_template.this : prefix => { encryption_type = item.encryption_configuration[0].encryption_type, kms_key = item.encryption_configuration[0].kms_key, custom_role_arn = item.custom_role_arn, lifecycle_policy = item.lifecycle_policy } }',
      ),
    },
  ],
  main: [
    ...registryContext({
      lifecycle_policy: expr(`length(var.lifecycle_rules) > 0 ? ${lifecyclePolicyJson('var.lifecycle_rules').text} : null`),
      // The namespace of a filter (everything before its last "/"), or ROOT (library: creationTemplatePrefixFor).
      prefixes: expr(
        'sort(distinct([for filter in var.replication_filters : length(split("/", filter)) > 1 ? join("/", slice(split("/", filter), 0, length(split("/", filter)) - 1)) : "ROOT"]))',
      ),
    }),
    block(
      'resource',
      ['aws_iam_role', 'this'],
      [
        attribute('name', expr(`coalesce(var.role_name, "${creationTemplateRoleName('${local.region}')}")`)),
        attribute('description', template(creationTemplateRoleDescription('${local.region}'))),
        attribute('assume_role_policy', call('jsonencode', policyToHcl(ecrTrustPolicy(ACCOUNT_ID)))),
        attribute('tags', expr('var.tags')),
      ],
    ),
    block(
      'resource',
      ['aws_iam_role_policy', 'this'],
      [
        attribute('name', 'create-replicated-repositories'),
        attribute('role', expr('aws_iam_role.this.name')),
        attribute(
          'policy',
          call(
            'jsonencode',
            policyToHcl(
              withPartitionDnsSuffix(
                creationTemplateRolePolicy({
                  partition: PARTITION,
                  region: REGION,
                  accountId: ACCOUNT_ID,
                  replicationFilters: ['${filter}'],
                  keyArn: '${var.kms_key_arn}',
                }),
              ),
              { forEach: { filter: 'var.replication_filters' } },
            ),
          ),
        ),
      ],
    ),
    block(
      'resource',
      ['aws_ecr_repository_creation_template', 'this'],
      [
        attribute('for_each', expr('toset(local.prefixes)')),
        attribute('prefix', expr('each.value')),
        attribute('applied_for', ['REPLICATION']),
        attribute('description', CREATION_TEMPLATE_DESCRIPTION),
        attribute('custom_role_arn', expr('aws_iam_role.this.arn')),
        attribute('image_tag_mutability', 'IMMUTABLE'),
        attribute('lifecycle_policy', expr('local.lifecycle_policy')),
        attribute('resource_tags', expr('length(var.resource_tags) > 0 ? var.resource_tags : null')),
        block('encryption_configuration', [], [attribute('encryption_type', 'KMS'), attribute('kms_key', expr('var.kms_key_arn'))]),
        attribute('depends_on', expr('[aws_iam_role_policy.this]')),
      ],
    ),
  ],
  example: [attribute('kms_key_arn', MOCK_KEY_ARN), attribute('replication_filters', ['team-a/api', 'web'])],
  tests: {
    'repository_creation_templates.tftest.hcl': [
      testHeader('Templates per namespace with KMS and the role; the role trusts ECR of this account only and is scoped to the filters.'),
      mockProvider({ aws_iam_role: { arn: 'arn:aws:iam::111111111111:role/ecr-replication-templates-eu-west-1' } }),
      '',
      'run "templates_encrypt_replicated_repositories_with_the_key" {',
      '  command = apply',
      '',
      '  variables {',
      `    kms_key_arn         = "${MOCK_KEY_ARN}"`,
      `    replication_filters = ${JSON.stringify(TEST_FILTERS).replace(/,/g, ', ')}`,
      '    lifecycle_rules     = [{ rule_priority = 1, selection = { tag_status = "untagged", count_type = "sinceImagePushed", count_unit = "days", count_number = 14 } }]',
      '  }',
      '',
      '  assert {',
      `    condition     = output.prefixes == tolist(${JSON.stringify(creationTemplatePrefixes(TEST_FILTERS)).replace(/,/g, ', ')})`,
      '    error_message = "One template per namespace of the filters, ROOT for names without one."',
      '  }',
      '  assert {',
      '    condition     = alltrue([for item in aws_ecr_repository_creation_template.this : item.encryption_configuration[0].encryption_type == "KMS" && item.encryption_configuration[0].kms_key == var.kms_key_arn && item.custom_role_arn == aws_iam_role.this.arn && item.applied_for == toset(["REPLICATION"]) && item.image_tag_mutability == "IMMUTABLE"])',
      '    error_message = "Every template creates immutable repositories encrypted with the key, for replication, through the role."',
      '  }',
      '  assert {',
      '    condition     = alltrue([for item in aws_ecr_repository_creation_template.this : jsondecode(item.lifecycle_policy) == { rules = [{ rulePriority = 1, selection = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 14 }, action = { type = "expire" } }] }])',
      '    error_message = "Every template carries the lifecycle policy of the rules given, as ECR JSON without null fields."',
      '  }',
      '  assert {',
      '    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Principal == { Service = "ecr.amazonaws.com" } && jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "111111111111"',
      '    error_message = "Only ECR acting for this account may assume the role."',
      '  }',
      '  assert {',
      '    condition     = jsondecode(aws_iam_role_policy.this.policy).Statement[0].Resource == ["arn:aws:ecr:eu-west-1:111111111111:repository/team-a/api*", "arn:aws:ecr:eu-west-1:111111111111:repository/team-b/tools/cli*", "arn:aws:ecr:eu-west-1:111111111111:repository/web*"] && jsondecode(aws_iam_role_policy.this.policy).Statement[1].Resource == var.kms_key_arn',
      '    error_message = "The role may act on the filters\' repositories and on the key only."',
      '  }',
      '  assert {',
      '    condition     = aws_iam_role.this.name == "ecr-replication-templates-eu-west-1"',
      '    error_message = "The role is named for its region by default."',
      '  }',
      '}',
      '',
      'run "fails_malformed_filters_keys_and_lifecycle_rules" {',
      '  command = plan',
      '',
      '  variables {',
      '    kms_key_arn         = "alias/aws/ecr"',
      '    replication_filters = ["Bad Filter!"]',
      '    lifecycle_rules     = [{ rule_priority = 1, selection = { tag_status = "any", count_type = "imageCountMoreThan", count_unit = "days", count_number = 1 } }]',
      '  }',
      '',
      '  expect_failures = [var.kms_key_arn, var.replication_filters, var.lifecycle_rules]',
      '}',
      '',
    ].join('\n'),
  },
  emulatorTests: {
    'repository_creation_templates.tftest.hcl': [
      emulatorTestHeader(
        "Plans the templates and their role against the emulator's account and region.",
        'Plan only: moto has no repository creation templates (CreateRepositoryCreationTemplate), so nothing is applied.',
      ),
      'variables {',
      '  region              = "eu-west-1"',
      '  kms_key_arn         = "arn:aws:kms:eu-west-1:${var.account_id}:key/00000000-0000-4000-8000-000000000001"',
      '  replication_filters = ["team-a/api", "web"]',
      '}',
      '',
      'run "plans_templates_for_the_account_of_the_provider" {',
      '  command = plan',
      '',
      '  assert {',
      '    condition     = output.prefixes == tolist(["ROOT", "team-a"]) && aws_iam_role.this.name == "ecr-replication-templates-eu-west-1"',
      '    error_message = "One template per namespace of the filters, and the role named for its region."',
      '  }',
      '  assert {',
      '    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == var.account_id && jsondecode(aws_iam_role_policy.this.policy).Statement[0].Resource == ["arn:aws:ecr:eu-west-1:${var.account_id}:repository/team-a/api*", "arn:aws:ecr:eu-west-1:${var.account_id}:repository/web*"]',
      '    error_message = "The role trusts ECR of the emulator\'s account only and acts on the filters\' repositories there."',
      '  }',
      '}',
      '',
    ].join('\n'),
  },
};
