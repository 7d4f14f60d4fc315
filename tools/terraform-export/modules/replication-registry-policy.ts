/** Module replication-registry-policy: the destination registry's policy for cross-account replication (ReplicationRegistryPolicy). */
import { attribute, block, call, expr, HclFor, template } from '../../hcl/hcl-writer';
import { replicationRegistryPolicy } from '../../../modules/policies/registry-policy';
import { AWS_ACCOUNT_ID, REPLICATION_FILTER, validations } from '../library-rules';
import { ModuleDefinition } from '../module-definition';
import { policyToHcl } from '../policy-expressions';
import { ACCOUNT_ID, mockProvider, PARTITION, REGION, registryContext, testHeader, emulatorTestHeader } from '../registry-context';

/** The Sid's account name part, PascalCase in HCL as the library writes it (`ci-build` -> `CiBuild`). */
const PASCAL_NAME = 'join("", [for part in regexall("[A-Za-z0-9]+", name) : "${upper(substr(part, 0, 1))}${substr(part, 1, -1)}"])';

function statementTemplate(): ReturnType<typeof policyToHcl> {
  // One source standing for each: the library's statement, with `name`, `source.account_id` and each filter as references.
  const [statement] = replicationRegistryPolicy({
    partition: PARTITION,
    region: REGION,
    accountId: ACCOUNT_ID,
    sources: [{ name: 'Name', accountId: '${source.account_id}', replicationFilters: ['${filter}'] }],
  }).Statement;
  const sid = statement.Sid.replace('Name', `\${${PASCAL_NAME}}`);
  return policyToHcl({ ...statement, Sid: sid }, { forEach: { filter: 'source.replication_filters' } });
}

const EACH_SOURCE = 'for name, source in var.sources';

const policy = replicationRegistryPolicy({ partition: PARTITION, region: REGION, accountId: ACCOUNT_ID, sources: [] });

export const REPLICATION_REGISTRY_POLICY_MODULE: ModuleDefinition = {
  name: 'replication-registry-policy',
  title: 'ECR registry policy for cross-account replication (destination side)',
  summary: [
    "The destination registry's policy: each source account may `ecr:CreateRepository` and `ecr:ReplicateImage` on `repository/<filter>*` of its own `PREFIX_MATCH` filters, and nothing else (no `repository/*`, no wildcard principal).",
    '**A registry has exactly one policy: applying this one replaces whatever policy the registry had.** List every account that replicates into the registry here; statements kept out of band are removed.',
  ].join('\n\n'),
  variables: [
    {
      name: 'sources',
      description:
        'Accounts that replicate into this registry, by name (used in the statement ids), each with its 12-digit id and the PREFIX_MATCH filters it replicates.',
      type: expr('map(object({\n  account_id          = string\n  replication_filters = list(string)\n}))'),
      validations: [
        {
          condition: 'length(var.sources) > 0',
          message:
            'sources (received {}): must hold at least one account that replicates into this registry (same-account replication needs no registry policy)',
        },
        ...validations({ loops: [EACH_SOURCE], value: 'source.account_id', path: 'sources["${name}"].account_id' }, AWS_ACCOUNT_ID),
        ...validations({ loops: [EACH_SOURCE], value: 'source.replication_filters', path: 'sources["${name}"].replication_filters' }, [
          {
            holds: (value) => `length(${value}) > 0`,
            message: 'must hold at least one replication filter: list the repository prefixes the source replicates',
          },
        ]),
        ...validations(
          {
            loops: [EACH_SOURCE, 'for index, filter in source.replication_filters'],
            value: 'filter',
            path: 'sources["${name}"].replication_filters[${index}]',
          },
          REPLICATION_FILTER,
        ),
      ],
    },
  ],
  outputs: [
    { name: 'registry_id', description: 'Account id of the registry the policy belongs to.', value: expr('aws_ecr_registry_policy.this.registry_id') },
    { name: 'policy', description: 'The registry policy (JSON).', value: expr('aws_ecr_registry_policy.this.policy') },
  ],
  main: [
    ...registryContext(),
    block(
      'locals',
      [],
      [attribute('policy', { Version: policy.Version, Statement: new HclFor('for name, source in var.sources', undefined, statementTemplate()) })],
    ),
    block(
      'resource',
      ['aws_ecr_registry_policy', 'this'],
      [
        attribute('policy', call('jsonencode', expr('local.policy'))),
        block(
          'lifecycle',
          [],
          [
            block(
              'precondition',
              [],
              [
                attribute('condition', expr('!contains([for source in values(var.sources) : source.account_id], local.account_id)')),
                attribute(
                  'error_message',
                  template(
                    "Source account ${local.account_id} is the registry's own account: same-account replication needs no registry policy; remove it from sources.",
                  ),
                ),
              ],
            ),
          ],
        ),
      ],
    ),
  ],
  example: [attribute('sources', { build: { account_id: '111111111111', replication_filters: ['team-a/api', 'web'] } })],
  tests: {
    'replication_registry_policy.tftest.hcl': [
      testHeader('One statement per source account, scoped to its filters.'),
      mockProvider(),
      '',
      'run "each_source_may_replicate_its_filters_only" {',
      '  command = plan',
      '',
      '  variables {',
      '    sources = {',
      '      ci-build = { account_id = "222222222222", replication_filters = ["team-a/api", "web"] }',
      '      legacy   = { account_id = "333333333333", replication_filters = ["old"] }',
      '    }',
      '  }',
      '',
      '  assert {',
      '    condition = jsondecode(aws_ecr_registry_policy.this.policy).Statement == [',
      '      { Sid = "AllowReplicationFromCiBuild222222222222", Effect = "Allow", Principal = { AWS = "arn:aws:iam::222222222222:root" }, Action = ["ecr:CreateRepository", "ecr:ReplicateImage"], Resource = ["arn:aws:ecr:eu-west-1:111111111111:repository/team-a/api*", "arn:aws:ecr:eu-west-1:111111111111:repository/web*"] },',
      '      { Sid = "AllowReplicationFromLegacy333333333333", Effect = "Allow", Principal = { AWS = "arn:aws:iam::333333333333:root" }, Action = ["ecr:CreateRepository", "ecr:ReplicateImage"], Resource = ["arn:aws:ecr:eu-west-1:111111111111:repository/old*"] },',
      '    ]',
      '    error_message = "Each source account may create and replicate into the repositories of its own filters only."',
      '  }',
      '}',
      '',
      'run "fails_wildcard_and_malformed_filters_and_account_ids" {',
      '  command = plan',
      '',
      '  variables {',
      '    sources = {',
      '      build = { account_id = "12345", replication_filters = ["UPPER/Case", "*"] }',
      '    }',
      '  }',
      '',
      '  expect_failures = [var.sources]',
      '}',
      '',
      'run "fails_the_registry_own_account" {',
      '  command = plan',
      '',
      '  variables {',
      '    sources = {',
      '      self = { account_id = "111111111111", replication_filters = ["web"] }',
      '    }',
      '  }',
      '',
      '  expect_failures = [aws_ecr_registry_policy.this]',
      '}',
      '',
    ].join('\n'),
  },
  emulatorTests: {
    'replication_registry_policy.tftest.hcl': [
      emulatorTestHeader('The registry policy as ECR holds it: the source account may replicate its filters only.'),
      'variables {',
      '  region  = "eu-west-1"',
      '  sources = { ci-build = { account_id = "210987654321", replication_filters = ["team-a/api", "web"] } }',
      '}',
      '',
      'run "applies_a_policy_scoped_to_the_filters" {',
      '  command = apply',
      '',
      '  assert {',
      '    condition = jsondecode(output.policy).Statement == [',
      '      { Sid = "AllowReplicationFromCiBuild210987654321", Effect = "Allow", Principal = { AWS = "arn:aws:iam::210987654321:root" }, Action = ["ecr:CreateRepository", "ecr:ReplicateImage"], Resource = ["arn:aws:ecr:eu-west-1:${var.account_id}:repository/team-a/api*", "arn:aws:ecr:eu-west-1:${var.account_id}:repository/web*"] },',
      '    ]',
      '    error_message = "ECR holds one statement: the source account may create and replicate into the repositories of its filters."',
      '  }',
      '  assert {',
      '    condition     = output.registry_id == var.account_id',
      '    error_message = "The policy belongs to the registry of the provider\'s account."',
      '  }',
      '}',
      '',
    ].join('\n'),
  },
};
