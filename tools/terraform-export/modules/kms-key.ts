/** Module kms-key: the registry's customer-managed key (EcrEncryptionKey). */
import { KEY_DELETION_WINDOW } from '../../../modules/ecr/limits';
import { KEY_ROTATION_PERIOD, MULTI_REGION_RULE } from '../../../modules/ecr/kms-key-options';
import { DELETION_WINDOW, eachOf, KMS_ALIAS, PRINCIPAL_RULE, ROLE_ARN, ROTATION_PERIOD, validations, variable } from '../library-rules';
import { attribute, blank, block, callLines, comment, expr, HclBodyItem, call } from '../../hcl/hcl-writer';
import { ecrKeyPolicy } from '../../../modules/policies/key-policy';
import { ModuleDefinition } from '../module-definition';
import { listOf, policyToHcl } from '../policy-expressions';
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

/** The resource whose literal `prevent_destroy` protects the key (see PROTECTION in the summary). */
export const KEY_PROTECTION_ADDRESS = 'terraform_data.key_protection';

const SUMMARY = [
  'A symmetric customer-managed KMS key for the ECR repositories of one registry (the account and region of the provider), with automatic rotation (yearly by default, `rotation_period_in_days` for another period), an alias and a deletion window; optionally a multi-Region primary key.',
  'Key policy: the account root keeps full control; administrators get administrative actions only; users may encrypt, decrypt and create grants only through ECR in this region (`kms:ViaService`, `kms:CallerAccount`, grants only for AWS resources); the roles ECR assumes for repository creation templates may create and retire grants through ECR. No wildcard principal: `administrators`, `users` and `ecr_service_role_arns` are validated with the library\'s rules, so `"*"` or a malformed ARN fails the plan.',
  '### Protection from destroy',
  "**Deleting the key makes every image it encrypts unreadable** once its deletion window ends. With `prevent_destroy = true` (the default) a plan that would delete or replace the key fails with Terraform's own error, `Instance cannot be destroyed`, naming `" +
    KEY_PROTECTION_ADDRESS +
    '[0]`, and the key stays; `terraform destroy` of a configuration that uses the module fails the same way.',
  '`prevent_destroy` must be a literal in Terraform, so the switch cannot sit on the key itself. The key always stays at one address, `aws_kms_key.this`, and the literal sits on `' +
    KEY_PROTECTION_ADDRESS +
    "`, a `terraform_data` that exists while the switch is on and is replaced whenever the key would be (`triggers_replace` is the key's ARN): deleting or replacing the key means destroying it, which Terraform refuses. Why not two variants of the key behind `count`, one with the literal and one without: the flip would move the key from one address to the other, and a `moved` block cannot be conditional (it is applied to the state before any variable is read, so it would also fire in the other position and then delete the key there); without a `moved` block the flip deletes the key and creates another. With the marker, turning the switch on only adds the marker and never touches the key.",
  "To tear down on purpose: set `prevent_destroy = false`. Terraform still refuses that plan while the marker is in the state, because its `resource` block, literal included, stays in the configuration (with `count = 0`) and reducing a count is a destroy; no configuration can spare this step (a `removed` block needs the resource block gone). So forget the marker once, which changes nothing in AWS: `terraform state rm 'module.<name>." +
    KEY_PROTECTION_ADDRESS +
    "[0]'`. `terraform destroy` then schedules the key's deletion after `deletion_window_in_days`; `aws kms cancel-key-deletion` undoes it within the window. For a key that is kept, set the switch back to true: that only adds the marker again. Removing the module call from the configuration altogether is not covered: Terraform checks `prevent_destroy` only for resources still in the configuration (the app's stacks have the same limit).",
  `\`multi_region\` ${MULTI_REGION_RULE}; with the protection on, a plan that changes it fails like a destroy.`,
].join('\n\n');

export const KMS_KEY_MODULE: ModuleDefinition = {
  name: 'kms-key',
  title: 'Customer-managed KMS key for ECR',
  summary: SUMMARY,
  variables: [
    {
      name: 'alias',
      description: 'Alias of the key (alias/<name>, not under alias/aws/).',
      type: expr('string'),
      default: 'alias/ecr-kms-replication',
      validations: validations(variable('alias'), KMS_ALIAS),
    },
    { name: 'description', description: 'Description of the key.', type: expr('string'), default: 'ECR repositories of this registry (ecr-kms-replication)' },
    {
      name: 'deletion_window_in_days',
      description: `Waiting period of a scheduled key deletion, ${KEY_DELETION_WINDOW.min} to ${KEY_DELETION_WINDOW.max} days.`,
      type: expr('number'),
      default: KEY_DELETION_WINDOW.max,
      validations: validations(variable('deletion_window_in_days'), DELETION_WINDOW),
    },
    {
      name: 'rotation_period_in_days',
      description: `Days between automatic rotations of the key material, ${KEY_ROTATION_PERIOD.min} to ${KEY_ROTATION_PERIOD.max}; null leaves KMS's default of ${KEY_ROTATION_PERIOD.kmsDefault} days.`,
      type: expr('number'),
      default: null,
      validations: validations(variable('rotation_period_in_days'), ROTATION_PERIOD),
    },
    {
      name: 'multi_region',
      description:
        'Create a multi-Region primary key (mrk- id), which can be replicated into other regions. Fixed when the key is created: a change replaces the key.',
      type: expr('bool'),
      default: false,
    },
    {
      name: 'prevent_destroy',
      description:
        'Refuse any plan that deletes or replaces the key (Terraform prevent_destroy, on the key_protection marker). Set false only to tear down on purpose: a deleted key makes every image it encrypts unreadable.',
      type: expr('bool'),
      default: true,
    },
    {
      name: 'administrators',
      description: 'ARNs of principals that manage the key (never use it).',
      type: expr('list(string)'),
      default: [],
      validations: validations(eachOf('administrators', 'arn'), PRINCIPAL_RULE),
    },
    {
      name: 'users',
      description: 'ARNs of principals that use the key, only through ECR in this region.',
      type: expr('list(string)'),
      default: [],
      validations: validations(eachOf('users', 'arn'), PRINCIPAL_RULE),
    },
    {
      name: 'ecr_service_role_arns',
      description: 'ARNs of roles ECR assumes to create repositories with this key (repository creation templates).',
      type: expr('list(string)'),
      default: [],
      validations: validations(eachOf('ecr_service_role_arns', 'arn'), ROLE_ARN),
    },
    { name: 'tags', description: 'Tags of the key.', type: expr('map(string)'), default: {} },
  ],
  outputs: [
    { name: 'arn', description: 'ARN of the key.', value: expr('aws_kms_key.this.arn') },
    { name: 'key_id', description: 'Id of the key.', value: expr('aws_kms_key.this.key_id') },
    { name: 'alias_name', description: 'Alias of the key.', value: expr('aws_kms_alias.this.name') },
    { name: 'policy', description: 'The key policy (JSON).', value: expr('aws_kms_key.this.policy') },
    {
      name: 'rotation',
      description: 'Automatic rotation of the key material as KMS reports it: enabled, and the period in days (0 where the API gives none).',
      value: expr('{ enabled = aws_kms_key.this.enable_key_rotation, period_in_days = aws_kms_key.this.rotation_period_in_days }'),
    },
    {
      name: 'protected',
      description: 'Whether a plan that deletes or replaces the key fails (prevent_destroy).',
      value: expr(`length(${KEY_PROTECTION_ADDRESS}) > 0`),
    },
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
        attribute('rotation_period_in_days', expr('var.rotation_period_in_days')),
        attribute('multi_region', expr('var.multi_region')),
        attribute('deletion_window_in_days', expr('var.deletion_window_in_days')),
        attribute('policy', call('jsonencode', expr('local.key_policy'))),
        attribute('tags', expr('var.tags')),
      ],
    ),
    block('resource', ['aws_kms_alias', 'this'], [attribute('name', expr('var.alias')), attribute('target_key_id', expr('aws_kms_key.this.key_id'))]),
    block('resource', KEY_PROTECTION_ADDRESS.split('.'), [
      comment('The protection: Terraform refuses to destroy this marker while the switch is on, and it is replaced'),
      comment('(so destroyed) whenever the key would be. The key itself never changes address: see the README.'),
      attribute('count', expr('var.prevent_destroy ? 1 : 0')),
      blank,
      attribute('triggers_replace', expr('aws_kms_key.this.arn')),
      blank,
      block('lifecycle', [], [attribute('prevent_destroy', true)]),
    ]),
  ],
  example: [
    attribute('alias', 'alias/ecr-kms-replication'),
    attribute('administrators', ['arn:aws:iam::111111111111:role/platform-key-admin']),
    attribute('users', ['arn:aws:iam::111111111111:role/ci-image-publisher']),
  ],
  tests: {
    'kms_key.tftest.hcl': [
      testHeader(
        'The key: rotation, protection, no wildcard principal, use only through ECR, statements only for named principals, the rules the library enforces.',
      ),
      mockProvider({ aws_kms_key: { arn: MOCK_KEY_ARN, key_id: '11111111-2222-3333-4444-555555555555' } }),
      '',
      'variables {',
      '  administrators = ["arn:aws:iam::111111111111:role/platform-key-admin"]',
      '  users          = ["arn:aws:iam::111111111111:role/ci-image-publisher"]',
      '}',
      '',
      'run "key_is_rotated_protected_and_used_only_through_ecr" {',
      '  command = plan',
      '',
      '  assert {',
      '    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_key.this.deletion_window_in_days == 30 && aws_kms_key.this.customer_master_key_spec == "SYMMETRIC_DEFAULT" && !aws_kms_key.this.multi_region',
      '    error_message = "The key must be symmetric, single-Region, rotated, with a 30-day deletion window by default."',
      '  }',
      '  assert {',
      `    condition     = length(${KEY_PROTECTION_ADDRESS}) == 1 && output.protected`,
      '    error_message = "The key must be protected from destroy by default."',
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
      'run "teardown_switch_removes_the_protection_and_key_options_apply" {',
      '  command = plan',
      '',
      '  variables {',
      '    prevent_destroy         = false',
      `    rotation_period_in_days = ${KEY_ROTATION_PERIOD.min}`,
      '    multi_region            = true',
      '  }',
      '',
      '  assert {',
      `    condition     = length(${KEY_PROTECTION_ADDRESS}) == 0 && !output.protected`,
      '    error_message = "With prevent_destroy = false the key has no protection marker."',
      '  }',
      '  assert {',
      `    condition     = aws_kms_key.this.rotation_period_in_days == ${KEY_ROTATION_PERIOD.min} && aws_kms_key.this.multi_region && aws_kms_key.this.enable_key_rotation`,
      '    error_message = "The rotation period and the multi-Region setting reach the key."',
      '  }',
      '}',
      '',
      'run "fails_wildcard_and_malformed_principals" {',
      '  command = plan',
      '',
      '  variables {',
      '    administrators        = ["*"]',
      '    users                 = ["not-an-arn"]',
      '    ecr_service_role_arns = ["arn:aws:iam::111111111111:user/not-a-role"]',
      '  }',
      '',
      '  expect_failures = [var.administrators, var.users, var.ecr_service_role_arns]',
      '}',
      '',
      'run "fails_a_reserved_alias_and_windows_and_periods_out_of_range" {',
      '  command = plan',
      '',
      '  variables {',
      '    alias                   = "alias/aws/ecr"',
      `    deletion_window_in_days = ${KEY_DELETION_WINDOW.min - 2}`,
      `    rotation_period_in_days = ${KEY_ROTATION_PERIOD.max + 1}`,
      '  }',
      '',
      '  expect_failures = [var.alias, var.deletion_window_in_days, var.rotation_period_in_days]',
      '}',
      '',
    ].join('\n'),
  },
  emulatorTests: {
    'kms_key.tftest.hcl': [
      emulatorTestHeader('The key as KMS holds it: multi-Region, rotated, its alias and policy; the protection is off to let the test destroy it.'),
      'variables {',
      '  region          = "eu-west-1"',
      '  prevent_destroy = false',
      '  multi_region    = true',
      '  users           = ["arn:aws:iam::${var.account_id}:role/ci-image-publisher"]',
      '}',
      '',
      'run "applies_a_rotated_multi_region_key" {',
      '  command = apply',
      '',
      '  assert {',
      '    condition     = startswith(aws_kms_key.this.key_id, "mrk-") && aws_kms_key.this.multi_region && startswith(aws_kms_key.this.arn, "arn:aws:kms:eu-west-1:${var.account_id}:key/mrk-")',
      '    error_message = "KMS created a multi-Region key (mrk- id) in the account and region of the provider."',
      '  }',
      '  assert {',
      '    condition     = output.rotation.enabled && aws_kms_key.this.enable_key_rotation',
      '    error_message = "Automatic rotation is on, as KMS reports it."',
      '  }',
      '  assert {',
      '    condition     = aws_kms_alias.this.target_key_arn == aws_kms_key.this.arn && aws_kms_alias.this.name == "alias/ecr-kms-replication"',
      '    error_message = "The alias names the key."',
      '  }',
      '  assert {',
      '    condition     = [for statement in jsondecode(aws_kms_key.this.policy).Statement : statement.Sid] == ["EnableAccountRootAndIamPolicies", "AllowKeyUseThroughEcr", "AllowGrantsForEcrRepositories"] && jsondecode(aws_kms_key.this.policy).Statement[1].Condition.StringEquals["kms:ViaService"] == "ecr.eu-west-1.amazonaws.com"',
      '    error_message = "KMS holds the key policy: the root, and the users through ECR in this region only."',
      '  }',
      '  assert {',
      `    condition     = !output.protected && length(${KEY_PROTECTION_ADDRESS}) == 0`,
      '    error_message = "With prevent_destroy = false the key has no protection marker."',
      '  }',
      '}',
      '',
    ].join('\n'),
  },
};
