/** Module encrypted-repositories: ECR repositories encrypted with the registry's key (EncryptedRepositories). */
import { attribute, block, call, expr, HclBodyItem, HclFor, HclValue, quoteLiteral, template } from '../../hcl/hcl-writer';
import { repositoryAccessPolicy } from '../../../modules/policies/repository-policy';
import { KMS_KEY_ARN, PRINCIPAL_RULE, REPOSITORY_NAME, validations, ValuePlaces } from '../library-rules';
import { ModuleDefinition } from '../module-definition';
import { listOf, policyToHcl } from '../policy-expressions';
import { mockProvider, MOCK_KEY_ARN, registryContext, testHeader, emulatorTestHeader } from '../registry-context';
import { LIFECYCLE_RULES_TYPE, lifecyclePolicyJson, lifecyclePolicyLengthCondition, lifecycleValidations } from './lifecycle-rules';
import { hclStringList } from './shared';

/** The values the library's types allow, checked against them by the compiler. */
const TAG_MUTABILITY: readonly ('IMMUTABLE' | 'MUTABLE')[] = ['IMMUTABLE', 'MUTABLE'];

const EACH_REPOSITORY = 'for name, repository in var.repositories';

/** A field of every repository: `repositories["web"].image_tag_mutability`. */
function eachRepository(field: string): ValuePlaces {
  return { loops: [EACH_REPOSITORY], value: `repository.${field}`, path: `repositories["\${name}"].${field}` };
}

/** Every principal of a repository's list: `repositories["web"].pull_principals[0]`. */
function eachPrincipal(list: string): ValuePlaces {
  return {
    loops: [EACH_REPOSITORY, `for index, arn in repository.${list}`],
    value: 'arn',
    path: `repositories["\${name}"].${list}[\${index}]`,
  };
}

/** The lifecycle policy of every repository with rules (as JSON). */
function lifecyclePolicies(): HclValue {
  return new HclFor(EACH_REPOSITORY, 'name', lifecyclePolicyJson('repository.lifecycle_rules'), 'length(repository.lifecycle_rules) > 0');
}

function repositoryPolicies(): HclValue {
  const document = repositoryAccessPolicy({ pullPrincipals: [listOf('repository.pull_principals')], pushPrincipals: [listOf('repository.push_principals')] })!;
  const [pull, push] = document.Statement;
  return new HclFor(
    'for name, repository in var.repositories',
    'name',
    call('jsonencode', {
      Version: document.Version,
      Statement: expr(
        [
          'concat(',
          `  length(repository.pull_principals) > 0 ? [${inline(policyToHcl(pull))}] : [],`,
          `  length(repository.push_principals) > 0 ? [${inline(policyToHcl(push))}] : [],`,
          ')',
        ].join('\n'),
      ),
    }),
    'length(repository.pull_principals) + length(repository.push_principals) > 0',
  );
}

/** A statement on one line, `{ Sid = "AllowPull", ... }`, for use inside a conditional. */
function inline(value: HclValue): string {
  const entries = Object.entries(value as Record<string, HclValue>).map(([key, entry]) => {
    if (Array.isArray(entry)) return `${key} = [${entry.map((item) => quoteLiteral(item as string)).join(', ')}]`;
    if (entry !== null && typeof entry === 'object' && !('text' in entry)) return `${key} = ${inline(entry)}`;
    return `${key} = ${typeof entry === 'string' ? quoteLiteral(entry) : (entry as { text: string }).text}`;
  });
  return `{ ${entries.join(', ')} }`;
}

/** The type of `repositories`: by name, each with its optional settings (the defaults of the library). */
export const REPOSITORY_TYPE = call(
  'map',
  call('object', {
    image_tag_mutability: expr('optional(string, "IMMUTABLE")'),
    scan_on_push: expr('optional(bool, true)'),
    lifecycle_rules: expr(`optional(${LIFECYCLE_RULES_TYPE}, [])`),
    pull_principals: expr('optional(list(string), [])'),
    push_principals: expr('optional(list(string), [])'),
  }),
);

const LENGTH = lifecyclePolicyLengthCondition('each.value');

const main: HclBodyItem[] = [
  ...registryContext(),
  block('locals', [], [attribute('lifecycle_policies', lifecyclePolicies()), attribute('repository_policies', repositoryPolicies())]),
  block(
    'resource',
    ['aws_ecr_repository', 'this'],
    [
      attribute('for_each', expr('var.repositories')),
      attribute('name', expr('each.key')),
      attribute('image_tag_mutability', expr('each.value.image_tag_mutability')),
      attribute('force_delete', expr('var.force_delete')),
      attribute('tags', expr('var.tags')),
      block('encryption_configuration', [], [attribute('encryption_type', 'KMS'), attribute('kms_key', expr('var.kms_key_arn'))]),
      block('image_scanning_configuration', [], [attribute('scan_on_push', expr('each.value.scan_on_push'))]),
      block(
        'lifecycle',
        [],
        [
          block(
            'precondition',
            [],
            [
              attribute('condition', expr('split(":", var.kms_key_arn)[3] == local.region && split(":", var.kms_key_arn)[4] == local.account_id')),
              attribute(
                'error_message',
                template(
                  'The key ${var.kms_key_arn} must be in the account and region of the repositories (account ${local.account_id} in ${local.region}): create a key there (module kms-key).',
                ),
              ),
            ],
          ),
        ],
      ),
    ],
  ),
  block(
    'resource',
    ['aws_ecr_lifecycle_policy', 'this'],
    [
      attribute('for_each', expr('local.lifecycle_policies')),
      attribute('repository', expr('aws_ecr_repository.this[each.key].name')),
      attribute('policy', expr('each.value')),
      block(
        'lifecycle',
        [],
        [block('precondition', [], [attribute('condition', expr(LENGTH.condition)), attribute('error_message', template(LENGTH.message))])],
      ),
    ],
  ),
  block(
    'resource',
    ['aws_ecr_repository_policy', 'this'],
    [
      attribute('for_each', expr('local.repository_policies')),
      attribute('repository', expr('aws_ecr_repository.this[each.key].name')),
      attribute('policy', expr('each.value')),
    ],
  ),
];

export const ENCRYPTED_REPOSITORIES_MODULE: ModuleDefinition = {
  name: 'encrypted-repositories',
  title: 'ECR repositories encrypted with a customer-managed key',
  summary: [
    'ECR repositories, one `for_each` instance per name (adding or removing one never moves another), each encrypted with the customer-managed KMS key given (`encryption_type = "KMS"`; there is no AES256 or `aws/ecr` option), scanned on push and with immutable tags by default, with optional lifecycle rules and a repository policy for the principals that may pull or push.',
    'The key must be in the account and region of the provider (a precondition stops the plan otherwise). `force_delete` is off: a repository that holds images is not destroyed by accident.',
  ].join('\n\n'),
  variables: [
    {
      name: 'kms_key_arn',
      description: 'ARN of the customer-managed KMS key that encrypts every repository (same account and region).',
      type: expr('string'),
      validations: validations({ loops: [], value: 'var.kms_key_arn', path: 'kms_key_arn' }, KMS_KEY_ARN),
    },
    {
      name: 'repositories',
      description: 'Repositories by name, each with optional tag mutability, scan on push, lifecycle rules and principals that may pull or push.',
      type: REPOSITORY_TYPE,
      validations: [
        { condition: 'length(var.repositories) > 0', message: 'repositories (received {}): must hold at least one repository, e.g. { "team-a/api" = {} }' },
        ...validations({ loops: ['for name in keys(var.repositories)'], value: 'name', path: 'repositories' }, REPOSITORY_NAME),
        ...validations(eachRepository('image_tag_mutability'), [
          { holds: (value) => `contains(${hclStringList(TAG_MUTABILITY)}, ${value})`, message: `must be ${TAG_MUTABILITY.join(' or ')} (upper case)` },
        ]),
        ...validations(eachPrincipal('pull_principals'), PRINCIPAL_RULE),
        ...validations(eachPrincipal('push_principals'), PRINCIPAL_RULE),
        ...lifecycleValidations({ loops: [EACH_REPOSITORY], rules: 'repository.lifecycle_rules', path: 'repositories["${name}"].lifecycle_rules' }),
      ],
    },
    { name: 'force_delete', description: 'Delete a repository even when it holds images.', type: expr('bool'), default: false },
    { name: 'tags', description: 'Tags of the repositories.', type: expr('map(string)'), default: {} },
  ],
  outputs: [
    {
      name: 'repositories',
      description: 'Repositories by name: arn, url, registry_id, encryption_type and kms_key.',
      value: expr(
        '{ for name, repository in aws_ecr_repository.this : name => { arn = repository.arn, url = repository.repository_url, registry_id = repository.registry_id, encryption_type = repository.encryption_configuration[0].encryption_type, kms_key = repository.encryption_configuration[0].kms_key } }',
      ),
    },
    { name: 'registry_id', description: 'Account id of the registry.', value: expr('local.account_id') },
    { name: 'region', description: 'Region of the registry.', value: expr('local.region') },
    {
      name: 'lifecycle_policies',
      description: 'Lifecycle policies (JSON) by repository name.',
      value: expr('{ for name, policy in aws_ecr_lifecycle_policy.this : name => policy.policy }'),
    },
    {
      name: 'repository_policies',
      description: 'Repository policies (JSON) by repository name.',
      value: expr('{ for name, policy in aws_ecr_repository_policy.this : name => policy.policy }'),
    },
  ],
  main,
  examplePrelude: [],
  example: [
    attribute('kms_key_arn', 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555'),
    attribute('repositories', {
      'team-a/api': {
        lifecycle_rules: [
          {
            rule_priority: 1,
            description: 'expire untagged images after 14 days',
            selection: { tag_status: 'untagged', count_type: 'sinceImagePushed', count_unit: 'days', count_number: 14 },
          },
        ],
        pull_principals: ['arn:aws:iam::222222222222:role/eks-node'],
      },
      web: {},
    }),
  ],
  tests: {
    'encrypted_repositories.tftest.hcl': [
      testHeader('Every repository KMS-encrypted with the key given; lifecycle and repository policies; the rules the library enforces.'),
      mockProvider(),
      '',
      'variables {',
      `  kms_key_arn = "${MOCK_KEY_ARN}"`,
      '  repositories = {',
      '    "team-a/api" = {',
      '      lifecycle_rules = [{ rule_priority = 1, selection = { tag_status = "tagged", tag_prefix_list = ["v"], count_type = "imageCountMoreThan", count_number = 50 } }]',
      '      pull_principals = ["arn:aws:iam::222222222222:role/eks-node"]',
      '    }',
      '    web = { image_tag_mutability = "MUTABLE", scan_on_push = false }',
      '  }',
      '}',
      '',
      'run "every_repository_is_encrypted_with_the_key" {',
      '  command = plan',
      '',
      '  assert {',
      '    condition     = alltrue([for repository in aws_ecr_repository.this : repository.encryption_configuration[0].encryption_type == "KMS" && repository.encryption_configuration[0].kms_key == var.kms_key_arn])',
      '    error_message = "Every repository must be encrypted with KMS under the key given."',
      '  }',
      '  assert {',
      '    condition     = aws_ecr_repository.this["team-a/api"].image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.this["team-a/api"].image_scanning_configuration[0].scan_on_push && !aws_ecr_repository.this["web"].image_scanning_configuration[0].scan_on_push',
      '    error_message = "Tags are immutable and images scanned on push unless a repository says otherwise."',
      '  }',
      '  assert {',
      '    condition     = keys(aws_ecr_lifecycle_policy.this) == ["team-a/api"] && jsondecode(aws_ecr_lifecycle_policy.this["team-a/api"].policy) == { rules = [{ rulePriority = 1, selection = { tagStatus = "tagged", tagPrefixList = ["v"], countType = "imageCountMoreThan", countNumber = 50 }, action = { type = "expire" } }] }',
      '    error_message = "The lifecycle policy must be the ECR JSON of the rules, without null fields."',
      '  }',
      '  assert {',
      '    condition     = keys(aws_ecr_repository_policy.this) == ["team-a/api"] && jsondecode(aws_ecr_repository_policy.this["team-a/api"].policy).Statement[0].Principal.AWS == ["arn:aws:iam::222222222222:role/eks-node"] && length(jsondecode(aws_ecr_repository_policy.this["team-a/api"].policy).Statement) == 1',
      '    error_message = "Only repositories with principals get a policy, with one statement per access kind."',
      '  }',
      '}',
      '',
      'run "fails_bad_names_keys_and_lifecycle_rules" {',
      '  command = plan',
      '',
      '  variables {',
      '    kms_key_arn = "arn:aws:kms:eu-west-1:111111111111:alias/aws/ecr"',
      '    repositories = {',
      '      "Team-A/API" = { lifecycle_rules = [{ rule_priority = 1, selection = { tag_status = "tagged", count_type = "sinceImagePushed", count_number = 1 } }] }',
      '    }',
      '  }',
      '',
      '  expect_failures = [var.kms_key_arn, var.repositories]',
      '}',
      '',
      'run "fails_a_public_or_malformed_repository_policy" {',
      '  command = plan',
      '',
      '  variables {',
      '    repositories = {',
      '      web = { pull_principals = ["*"], push_principals = ["not-an-arn"] }',
      '    }',
      '  }',
      '',
      '  expect_failures = [var.repositories]',
      '}',
      '',
      'run "fails_a_key_of_another_region" {',
      '  command = plan',
      '',
      '  variables {',
      '    kms_key_arn = "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555"',
      '  }',
      '',
      '  expect_failures = [aws_ecr_repository.this]',
      '}',
      '',
    ].join('\n'),
  },
  emulatorTests: {
    'encrypted_repositories.tftest.hcl': [
      emulatorTestHeader(
        'Repositories as ECR holds them: KMS with the key given, tag mutability, scanning, lifecycle and repository policies.',
        'The key ARN is not created here (the emulator does not check it; examples/complete uses real keys).',
      ),
      'variables {',
      '  region      = "eu-west-1"',
      '  kms_key_arn = "arn:aws:kms:eu-west-1:${var.account_id}:key/00000000-0000-4000-8000-000000000001"',
      '  repositories = {',
      '    "team-a/api" = {',
      '      lifecycle_rules = [{ rule_priority = 1, selection = { tag_status = "untagged", count_type = "sinceImagePushed", count_unit = "days", count_number = 14 } }]',
      '      pull_principals = ["arn:aws:iam::${var.account_id}:role/eks-node"]',
      '    }',
      '    web = { image_tag_mutability = "MUTABLE", scan_on_push = false }',
      '  }',
      '}',
      '',
      'run "applies_kms_encrypted_repositories" {',
      '  command = apply',
      '',
      '  assert {',
      '    condition     = alltrue([for name, repository in output.repositories : repository.encryption_type == "KMS" && repository.kms_key == var.kms_key_arn && repository.registry_id == var.account_id])',
      '    error_message = "ECR holds every repository encrypted with KMS under the key given, in the account of the provider."',
      '  }',
      '  assert {',
      '    condition     = aws_ecr_repository.this["team-a/api"].image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.this["team-a/api"].image_scanning_configuration[0].scan_on_push && aws_ecr_repository.this["web"].image_tag_mutability == "MUTABLE" && !aws_ecr_repository.this["web"].image_scanning_configuration[0].scan_on_push',
      '    error_message = "Tag mutability and scan on push are as ECR holds them."',
      '  }',
      '  assert {',
      '    condition     = jsondecode(output.lifecycle_policies["team-a/api"]).rules[0].selection == { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 14 }',
      '    error_message = "ECR holds the lifecycle policy of the rules given."',
      '  }',
      '  assert {',
      '    condition     = keys(output.repository_policies) == ["team-a/api"] && jsondecode(output.repository_policies["team-a/api"]).Statement[0].Principal.AWS == ["arn:aws:iam::${var.account_id}:role/eks-node"]',
      '    error_message = "ECR holds the repository policy of the principals that may pull."',
      '  }',
      '}',
      '',
    ].join('\n'),
  },
};
