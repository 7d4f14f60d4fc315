/** Module kms-key: the registry's customer-managed key (EcrEncryptionKey). */
import { DELETION_WINDOW_RULE, KEY_DELETION_WINDOW } from '../../../modules/ecr/limits';
import { attribute, blank, block, callLines, expr, HclBodyItem, call } from '../../hcl/hcl-writer';
import { ecrKeyPolicy } from '../../../modules/policies/key-policy';
import { ModuleDefinition } from '../module-definition';
import { listOf, policyToHcl } from '../policy-expressions';
import { ACCOUNT_ID, mockProvider, MOCK_KEY_ARN, PARTITION, REGION, registryContext, testHeader, withPartitionDnsSuffix } from '../registry-context';

/** Which list of principals each statement of the key policy is for; a statement is left out while its list is empty. */
const PRINCIPAL_LISTS: Readonly<Record<string, string>> = {
  administrators: 'var.administrators',
  users: 'var.users',
  ecrServiceRoles: 'var.ecr_service_role_arns',
};

function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase();
}

function keyPolicyItems(): HclBodyItem[] {
  const document = withPartitionDnsSuffix(
    ecrKeyPolicy({
      partition: PARTITION,
      accountId: ACCOUNT_ID,
      region: REGION,
      administrators: [listOf(PRINCIPAL_LISTS.administrators)],
      users: [listOf(PRINCIPAL_LISTS.users)],
      ecrServiceRoles: [listOf(PRINCIPAL_LISTS.ecrServiceRoles)],
    }),
  );
  const statements = document.Statement.map((statement) => {
    const principals = JSON.stringify(statement.Principal ?? {});
    const list = Object.values(PRINCIPAL_LISTS).find((expression) => principals.includes(expression));
    return { local: `key_policy_${snakeCase(statement.Sid)}`, statement, list };
  });
  return [
    block(
      'locals',
      [],
      [
        ...statements.map(({ local, statement }) => attribute(local, policyToHcl(statement))),
        blank,
        attribute('key_policy', {
          Version: document.Version,
          Id: document.Id,
          Statement: callLines(
            'concat',
            ...statements.map(({ local, list }) => expr(list === undefined ? `[local.${local}]` : `length(${list}) > 0 ? [local.${local}] : []`)),
          ),
        }),
      ],
    ),
  ];
}

const DAYS_CONDITION = `var.deletion_window_in_days == floor(var.deletion_window_in_days) && var.deletion_window_in_days >= ${KEY_DELETION_WINDOW.min} && var.deletion_window_in_days <= ${KEY_DELETION_WINDOW.max}`;

export const KMS_KEY_MODULE: ModuleDefinition = {
  name: 'kms-key',
  title: 'Customer-managed KMS key for ECR',
  summary: [
    'A symmetric customer-managed KMS key for the ECR repositories of one registry (the account and region of the provider), with automatic rotation, an alias and a deletion window.',
    'Key policy: the account root keeps full control; administrators get administrative actions only; users may encrypt, decrypt and create grants only through ECR in this region (`kms:ViaService`, `kms:CallerAccount`, grants only for AWS resources); the roles ECR assumes for repository creation templates may create and retire grants through ECR. No wildcard principal.',
  ].join('\n\n'),
  variables: [
    {
      name: 'alias',
      description: 'Alias of the key (alias/<name>, not under alias/aws/).',
      type: expr('string'),
      default: 'alias/ecr-kms-replication',
      validations: [
        {
          condition: 'can(regex("^alias/[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "alias/aws/")',
          message: 'The alias must be alias/<name> with letters, digits, "/", "_" or "-" (at most 250 after alias/), not under alias/aws/ (reserved by AWS).',
        },
      ],
    },
    { name: 'description', description: 'Description of the key.', type: expr('string'), default: 'ECR repositories of this registry (ecr-kms-replication)' },
    {
      name: 'deletion_window_in_days',
      description: `Waiting period of a scheduled key deletion, ${KEY_DELETION_WINDOW.min} to ${KEY_DELETION_WINDOW.max} days.`,
      type: expr('number'),
      default: KEY_DELETION_WINDOW.max,
      validations: [{ condition: DAYS_CONDITION, message: `The deletion_window_in_days ${DELETION_WINDOW_RULE}.` }],
    },
    { name: 'administrators', description: 'ARNs of principals that manage the key (never use it).', type: expr('list(string)'), default: [] },
    { name: 'users', description: 'ARNs of principals that use the key, only through ECR in this region.', type: expr('list(string)'), default: [] },
    {
      name: 'ecr_service_role_arns',
      description: 'ARNs of roles ECR assumes to create repositories with this key (repository creation templates).',
      type: expr('list(string)'),
      default: [],
    },
    { name: 'tags', description: 'Tags of the key.', type: expr('map(string)'), default: {} },
  ],
  outputs: [
    { name: 'arn', description: 'ARN of the key.', value: expr('aws_kms_key.this.arn') },
    { name: 'key_id', description: 'Id of the key.', value: expr('aws_kms_key.this.key_id') },
    { name: 'alias_name', description: 'Alias of the key.', value: expr('aws_kms_alias.this.name') },
    { name: 'policy', description: 'The key policy (JSON).', value: expr('aws_kms_key.this.policy') },
  ],
  main: [
    ...registryContext(),
    ...keyPolicyItems(),
    block(
      'resource',
      ['aws_kms_key', 'this'],
      [
        attribute('description', expr('var.description')),
        attribute('key_usage', 'ENCRYPT_DECRYPT'),
        attribute('customer_master_key_spec', 'SYMMETRIC_DEFAULT'),
        attribute('enable_key_rotation', true),
        attribute('multi_region', false),
        attribute('deletion_window_in_days', expr('var.deletion_window_in_days')),
        attribute('policy', call('jsonencode', expr('local.key_policy'))),
        attribute('tags', expr('var.tags')),
      ],
    ),
    block('resource', ['aws_kms_alias', 'this'], [attribute('name', expr('var.alias')), attribute('target_key_id', expr('aws_kms_key.this.key_id'))]),
  ],
  example: [
    attribute('alias', 'alias/ecr-kms-replication'),
    attribute('administrators', ['arn:aws:iam::111111111111:role/platform-key-admin']),
    attribute('users', ['arn:aws:iam::111111111111:role/ci-image-publisher']),
  ],
  tests: {
    'kms_key.tftest.hcl': [
      testHeader('The key: rotation, no wildcard principal, use only through ECR, statements only for named principals.'),
      mockProvider({ aws_kms_key: { arn: MOCK_KEY_ARN, key_id: '11111111-2222-3333-4444-555555555555' } }),
      '',
      'variables {',
      '  administrators = ["arn:aws:iam::111111111111:role/platform-key-admin"]',
      '  users          = ["arn:aws:iam::111111111111:role/ci-image-publisher"]',
      '}',
      '',
      'run "key_is_rotated_and_used_only_through_ecr" {',
      '  command = plan',
      '',
      '  assert {',
      '    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_key.this.deletion_window_in_days == 30 && aws_kms_key.this.customer_master_key_spec == "SYMMETRIC_DEFAULT"',
      '    error_message = "The key must be symmetric, rotated, with a 30-day deletion window by default."',
      '  }',
      '  assert {',
      '    condition     = !anytrue([for statement in jsondecode(aws_kms_key.this.policy).Statement : contains(flatten([statement.Principal.AWS]), "*")])',
      '    error_message = "No statement of the key policy may name the wildcard principal."',
      '  }',
      '  assert {',
      '    condition     = alltrue([for statement in jsondecode(aws_kms_key.this.policy).Statement : statement.Condition.StringEquals["kms:ViaService"] == "ecr.eu-west-1.amazonaws.com" && statement.Condition.StringEquals["kms:CallerAccount"] == "111111111111" if contains(flatten([statement.Principal.AWS]), "arn:aws:iam::111111111111:role/ci-image-publisher")])',
      '    error_message = "Users may use the key only through ECR in its region and account."',
      '  }',
      '  assert {',
      '    condition     = !anytrue([for statement in jsondecode(aws_kms_key.this.policy).Statement : anytrue([for action in flatten([statement.Action]) : contains(["kms:Decrypt", "kms:Encrypt", "kms:*"], action)]) if contains(flatten([statement.Principal.AWS]), "arn:aws:iam::111111111111:role/platform-key-admin")])',
      '    error_message = "Administrators must not be able to encrypt or decrypt."',
      '  }',
      '  assert {',
      '    condition     = [for statement in jsondecode(aws_kms_key.this.policy).Statement : statement.Principal.AWS if statement.Action == "kms:*"] == ["arn:aws:iam::111111111111:root"]',
      '    error_message = "Only the account root may have every KMS action."',
      '  }',
      '}',
      '',
      'run "only_the_root_statement_without_principals" {',
      '  command = plan',
      '',
      '  variables {',
      '    administrators = []',
      '    users          = []',
      '  }',
      '',
      '  assert {',
      '    condition     = [for statement in jsondecode(aws_kms_key.this.policy).Statement : statement.Sid] == ["EnableAccountRootAndIamPolicies"]',
      '    error_message = "Without administrators, users or service roles the policy holds the root statement only."',
      '  }',
      '}',
      '',
      'run "fails_a_deletion_window_under_seven_days" {',
      '  command = plan',
      '',
      '  variables {',
      '    deletion_window_in_days = 5',
      '  }',
      '',
      '  expect_failures = [var.deletion_window_in_days]',
      '}',
      '',
    ].join('\n'),
  },
};
