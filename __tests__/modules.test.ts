import { Construct } from 'constructs';
import { Testing } from 'cdktf';
import { EcrEncryptionKey } from '../modules/encryption-key';
import { EncryptedRepositories } from '../modules/encrypted-repositories';
import { ReplicationConfiguration } from '../modules/replication-configuration';
import { ReplicationRegistryPolicy } from '../modules/replication-registry-policy';
import { CreationTemplateRole, creationTemplatePrefixes, RepositoryCreationTemplates } from '../modules/repository-creation-templates';
import { providerAlias } from '../modules/aws-provider';
import {
  asList,
  BUILD_ACCOUNT,
  location,
  onlyResource,
  parsePolicy,
  PROD_ACCOUNT,
  principalsOf,
  stackWithProvider,
  synthesize,
} from '../test-support/fixtures';

const KEY_REF = '${aws_kms_key.kms_key.arn}';

const KEY_NAMING = { alias: 'alias/test-images', description: 'test key' };

function keyAndRepositories(repositories: ConstructorParameters<typeof EncryptedRepositories>[2]['repositories']) {
  const { stack, registry } = stackWithProvider();
  const key = new EcrEncryptionKey(stack, 'kms_key', { registry, ...KEY_NAMING });
  new EncryptedRepositories(stack, 'repositories', { registry, key, repositories });
  return synthesize(stack);
}

describe('EcrEncryptionKey', () => {
  test('is a symmetric customer-managed key with rotation, a 30-day window and an alias', () => {
    // GIVEN
    const { stack, registry } = stackWithProvider();
    // WHEN
    new EcrEncryptionKey(stack, 'kms_key', { registry, ...KEY_NAMING });
    // THEN
    const synthesized = synthesize(stack);
    expect(onlyResource(synthesized, 'aws_kms_key')).toEqual(
      expect.objectContaining({
        enable_key_rotation: true,
        customer_master_key_spec: 'SYMMETRIC_DEFAULT',
        key_usage: 'ENCRYPT_DECRYPT',
        multi_region: false,
        deletion_window_in_days: 30,
        description: 'test key',
        provider: 'aws.build_us_east_1',
      }),
    );
    expect(onlyResource(synthesized, 'aws_kms_key').lifecycle).toBeUndefined();
    expect(onlyResource(synthesized, 'aws_kms_alias')).toEqual(expect.objectContaining({ name: 'alias/test-images' }));
  });

  test.each([6, 31, 7.5])('fails for a deletion window of %p days', (days) => {
    const { stack, registry } = stackWithProvider();
    expect(() => new EcrEncryptionKey(stack, 'kms_key', { registry, ...KEY_NAMING, deletionWindowInDays: days })).toThrow(
      `EcrEncryptionKey test/kms_key: deletionWindowInDays (received ${days}): must be a whole number of days from 7 to 30 (KMS deletion window)`,
    );
  });

  test('WHEN a rotation period is given THEN the key rotates on it (and without one, KMS keeps its yearly default)', () => {
    const { stack, registry } = stackWithProvider();
    new EcrEncryptionKey(stack, 'kms_key', { registry, ...KEY_NAMING, rotationPeriodInDays: 180 });
    expect(onlyResource(synthesize(stack), 'aws_kms_key')).toEqual(expect.objectContaining({ enable_key_rotation: true, rotation_period_in_days: 180 }));
    const other = stackWithProvider();
    new EcrEncryptionKey(other.stack, 'kms_key', { registry: other.registry, ...KEY_NAMING });
    expect(onlyResource(synthesize(other.stack), 'aws_kms_key').rotation_period_in_days).toBeUndefined();
  });

  test.each([89, 2561, 100.5])('fails for a rotation period of %p days', (days) => {
    const { stack, registry } = stackWithProvider();
    expect(() => new EcrEncryptionKey(stack, 'kms_key', { registry, ...KEY_NAMING, rotationPeriodInDays: days })).toThrow(
      `EcrEncryptionKey test/kms_key: rotationPeriodInDays (received ${days}): must be a whole number of days from 90 to 2560 (KMS automatic rotation period): leave it unset for KMS's default of 365 days`,
    );
  });

  test('WHEN preventDestroy is set THEN Terraform refuses to destroy the key', () => {
    const { stack, registry } = stackWithProvider();
    new EcrEncryptionKey(stack, 'kms_key', { registry, ...KEY_NAMING, preventDestroy: true });
    expect(onlyResource(synthesize(stack), 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('WHEN a statement is added after construction THEN the synthesized key policy ends with it', () => {
    // GIVEN
    const { stack, registry } = stackWithProvider();
    const key = new EcrEncryptionKey(stack, 'kms_key', { registry, ...KEY_NAMING });
    // WHEN
    key.addToResourcePolicy({
      Sid: 'AllowAuditorDescribe',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:role/auditor' },
      Action: 'kms:DescribeKey',
      Resource: '*',
    });
    // THEN
    const policy = parsePolicy(onlyResource(synthesize(stack), 'aws_kms_key').policy);
    expect(policy.Statement.map((candidate) => candidate.Sid)).toEqual(['EnableAccountRootAndIamPolicies', 'AllowAuditorDescribe']);
  });

  test('fails when an added statement reuses a Sid of the key policy', () => {
    const { stack, registry } = stackWithProvider();
    const key = new EcrEncryptionKey(stack, 'kms_key', { registry, ...KEY_NAMING });
    key.addToResourcePolicy({ Sid: 'EnableAccountRootAndIamPolicies', Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' });
    expect(() => synthesize(stack)).toThrow(
      'key policy: an added statement uses the Sid "EnableAccountRootAndIamPolicies", which the policy already has: choose another Sid',
    );
  });

  test('WHEN an existing key is imported by ARN THEN its account and region come from the ARN', () => {
    expect(EcrEncryptionKey.fromKeyArn('arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toEqual({
      keyArn: 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      location: { accountId: '222222222222', region: 'eu-west-1' },
    });
  });

  test('fails to import an alias as a key', () => {
    expect(() => EcrEncryptionKey.fromKeyArn('arn:aws:kms:eu-west-1:222222222222:alias/images')).toThrow(
      'EcrEncryptionKey.fromKeyArn: keyArn (received "arn:aws:kms:eu-west-1:222222222222:alias/images"): must be the ARN of a customer-managed KMS key, arn:<partition>:kms:<region>:<account>:key/<key id>, in the account and region of the repositories; aliases (alias/aws/ecr included) are not accepted',
    );
  });
});

describe('EncryptedRepositories', () => {
  test('encrypts every repository with KMS under the given key', () => {
    const synthesized = keyAndRepositories([{ name: 'team-a/api' }, { name: 'web' }]);
    const repository = onlyResource(synthesized, 'aws_ecr_repository');
    expect(repository.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: KEY_REF }]);
    expect(Object.keys(repository.for_each as object)).toEqual(['team-a/api', 'web']);
    expect(repository.name).toBe('${each.key}');
  });

  test('defaults to immutable tags and scan on push', () => {
    const synthesized = keyAndRepositories([{ name: 'web' }]);
    const repository = onlyResource(synthesized, 'aws_ecr_repository');
    expect(repository.for_each).toEqual({ web: { image_tag_mutability: 'IMMUTABLE', scan_on_push: true } });
    expect(repository.image_tag_mutability).toBe('${each.value.image_tag_mutability}');
    expect(repository.image_scanning_configuration).toEqual({ scan_on_push: '${each.value.scan_on_push}' });
    expect(repository.force_delete).toBe(false);
  });

  test('keeps per-repository settings', () => {
    const synthesized = keyAndRepositories([{ name: 'web', imageTagMutability: 'MUTABLE', scanOnPush: false }]);
    expect(onlyResource(synthesized, 'aws_ecr_repository').for_each).toEqual({ web: { image_tag_mutability: 'MUTABLE', scan_on_push: false } });
  });

  test('adds lifecycle and repository policies only where configured', () => {
    const lifecyclePolicy = {
      rules: [
        {
          rulePriority: 1,
          selection: { tagStatus: 'untagged' as const, countType: 'sinceImagePushed' as const, countUnit: 'days' as const, countNumber: 14 },
          action: { type: 'expire' as const },
        },
      ],
    };
    const synthesized = keyAndRepositories([
      { name: 'team-a/api', lifecyclePolicy, pullPrincipals: [`arn:aws:iam::${PROD_ACCOUNT}:role/eks-node`] },
      { name: 'web' },
    ]);
    const lifecycle = onlyResource(synthesized, 'aws_ecr_lifecycle_policy');
    expect(Object.keys(lifecycle.for_each as object)).toEqual(['team-a/api']);
    expect(JSON.parse((lifecycle.for_each as Record<string, string>)['team-a/api'])).toEqual(lifecyclePolicy);
    expect(lifecycle.depends_on).toEqual(['aws_ecr_repository.repositories']);
    const access = onlyResource(synthesized, 'aws_ecr_repository_policy');
    const policy = parsePolicy((access.for_each as Record<string, string>)['team-a/api']);
    expect(principalsOf(policy.Statement[0])).toEqual([`arn:aws:iam::${PROD_ACCOUNT}:role/eks-node`]);
  });

  test('WHEN the key is an existing key imported by ARN THEN the repositories use that ARN', () => {
    const { stack, registry } = stackWithProvider(location(PROD_ACCOUNT, 'eu-west-1'), 'prod');
    const key = EcrEncryptionKey.fromKeyArn('arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new EncryptedRepositories(stack, 'repositories', { registry, key, repositories: [{ name: 'web' }] });
    expect(onlyResource(synthesize(stack), 'aws_ecr_repository').encryption_configuration).toEqual([
      { encryption_type: 'KMS', kms_key: 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
    ]);
  });

  test('fails when an imported key is in another region', () => {
    const { stack, registry } = stackWithProvider(location(PROD_ACCOUNT, 'eu-west-1'), 'prod');
    const key = EcrEncryptionKey.fromKeyArn('arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => new EncryptedRepositories(stack, 'repositories', { registry, key, repositories: [{ name: 'web' }] })).toThrow(
      'EncryptedRepositories test/repositories: key (received "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"): ' +
        "must be a key of account 222222222222 in eu-west-1, the registry it encrypts for (ECR requires the key in the repository's account and region), not of account 222222222222 in us-east-1: use a key of account 222222222222 in eu-west-1",
    );
  });

  test('fails when the key is in another account', () => {
    const { stack, registry } = stackWithProvider(location(PROD_ACCOUNT));
    const other = stackWithProvider(location(BUILD_ACCOUNT));
    const key = new EcrEncryptionKey(other.stack, 'kms_key', { registry: other.registry, ...KEY_NAMING });
    expect(() => new EncryptedRepositories(stack, 'repositories', { registry, key, repositories: [{ name: 'web' }] })).toThrow(
      'EncryptedRepositories test/repositories: key (received {"accountId":"111111111111","region":"us-east-1"}): ' +
        "must be a key of account 222222222222 in us-east-1, the registry it encrypts for (ECR requires the key in the repository's account and region), not of account 111111111111 in us-east-1: use a key of account 222222222222 in us-east-1",
    );
  });

  test('fails for a repository listed twice, with the message of the config check', () => {
    const { stack, registry } = stackWithProvider();
    const key = new EcrEncryptionKey(stack, 'kms_key', { registry, ...KEY_NAMING });
    expect(() => new EncryptedRepositories(stack, 'repositories', { registry, key, repositories: [{ name: 'web' }, { name: 'web' }] })).toThrow(
      'EncryptedRepositories test/repositories: repositories[1].name (received "web"): repository names must be unique (repositories[0] has this name too): remove or rename the duplicate',
    );
  });

  test('fails for a name ECR refuses', () => {
    const { stack, registry } = stackWithProvider();
    const key = new EcrEncryptionKey(stack, 'kms_key', { registry, ...KEY_NAMING });
    expect(() => new EncryptedRepositories(stack, 'repositories', { registry, key, repositories: [{ name: 'Team-A/API' }] })).toThrow(
      'EncryptedRepositories test/repositories: repositories[0].name (received "Team-A/API"): must match the ECR repository name pattern: lowercase letters and digits in segments separated by ".", "_" or "-", namespaces separated by "/" (e.g. team-a/api)',
    );
  });
});

describe('ReplicationConfiguration', () => {
  const destination = (index: number) => ({ accountId: String(300000000000 + index), region: 'eu-west-1' });

  function synthesizedRules(destinations: number, repositoryNames: string[]) {
    const { stack, registry } = stackWithProvider();
    new ReplicationConfiguration(stack, 'replication', {
      registry,
      rules: ReplicationConfiguration.rulesFor(
        Array.from({ length: destinations }, (_, index) => destination(index)),
        repositoryNames,
      ),
    });
    const configuration = onlyResource(synthesize(stack), 'aws_ecr_replication_configuration');
    return (configuration.replication_configuration as { rule: { destination: unknown[]; repository_filter: { filter: string; filter_type: string }[] }[] })
      .rule;
  }

  test('replicates every repository to every destination with PREFIX_MATCH filters', () => {
    expect(synthesizedRules(2, ['web', 'team-a/api'])).toEqual([
      {
        destination: [
          { region: 'eu-west-1', registry_id: '300000000000' },
          { region: 'eu-west-1', registry_id: '300000000001' },
        ],
        repository_filter: [
          { filter: 'team-a/api', filter_type: 'PREFIX_MATCH' },
          { filter: 'web', filter_type: 'PREFIX_MATCH' },
        ],
      },
    ]);
  });

  test('drops filters another filter already covers', () => {
    expect(synthesizedRules(1, ['api', 'api-dev', 'apis/x', 'web'])[0].repository_filter.map((filter) => filter.filter)).toEqual(['api', 'web']);
  });

  test('splits more than 25 destinations into rules of at most 25', () => {
    expect(synthesizedRules(30, ['web']).map((rule) => rule.destination.length)).toEqual([25, 5]);
  });

  test('splits more than 100 filters into rules of at most 100', () => {
    const names = Array.from({ length: 150 }, (_, index) => `repo-${String(index).padStart(3, '0')}x`);
    expect(synthesizedRules(1, names).map((rule) => rule.repository_filter.length)).toEqual([100, 50]);
  });

  test('fails when the rules are more than 10, with the numbers', () => {
    const { stack, registry } = stackWithProvider();
    const names = Array.from({ length: 1001 }, (_, index) => `repo-${String(index).padStart(4, '0')}x`);
    expect(() => new ReplicationConfiguration(stack, 'replication', { registry, rules: ReplicationConfiguration.rulesFor([destination(0)], names) })).toThrow(
      'ReplicationConfiguration test/replication: rules (received {"rules":11,"destinations":1,"filters":1001}): 1 destinations and 1001 filters need 11 replication rules (at most 25 destinations and 100 filters each), above the ECR limit of 10; ' +
        '1 destinations leave room for 1000 filters and no grouping of the repositories into namespaces fits: replicate fewer repositories or destinations, or split them across source registries',
    );
  });

  test('fails for a rule above the per-rule limits', () => {
    const { stack, registry } = stackWithProvider();
    const rule = { destinations: Array.from({ length: 26 }, (_, index) => destination(index)), filters: ['web'] };
    expect(() => new ReplicationConfiguration(stack, 'replication', { registry, rules: [rule] })).toThrow(
      'ReplicationConfiguration test/replication: rules[0] (received {"destinations":26,"filters":1}): has 26 destinations and 1 filters, above ECR\'s 25 destinations and 100 filters per rule: split it (ReplicationConfiguration.rulesFor)',
    );
  });

  test('fails when a destination is the source registry', () => {
    const { stack, registry } = stackWithProvider();
    expect(
      () =>
        new ReplicationConfiguration(stack, 'replication', {
          registry,
          rules: [{ destinations: [{ accountId: BUILD_ACCOUNT, region: 'us-east-1' }], filters: ['web'] }],
        }),
    ).toThrow(
      'ReplicationConfiguration test/replication: rules[0].destinations[0] (received {"accountId":"111111111111","region":"us-east-1"}): names account 111111111111 in us-east-1: a destination cannot be its own source registry: change the account or the region',
    );
  });
});

describe('ReplicationRegistryPolicy', () => {
  test('writes one registry policy for all replicating accounts', () => {
    const { stack, registry } = stackWithProvider(location(PROD_ACCOUNT, 'eu-west-1'), 'prod');
    new ReplicationRegistryPolicy(stack, 'registry_policy', {
      registry,
      sources: [{ name: 'build', accountId: BUILD_ACCOUNT, replicationFilters: ['web'] }],
    });
    const policy = parsePolicy(onlyResource(synthesize(stack), 'aws_ecr_registry_policy').policy);
    expect(principalsOf(policy.Statement[0])).toEqual(['arn:aws:iam::111111111111:root']);
    expect(asList(policy.Statement[0].Resource)).toEqual(['arn:aws:ecr:eu-west-1:222222222222:repository/web*']);
  });

  test('WHEN the registry has other statements THEN the one policy keeps them after the replication statements', () => {
    const { stack, registry } = stackWithProvider(location(PROD_ACCOUNT, 'eu-west-1'), 'prod');
    new ReplicationRegistryPolicy(stack, 'registry_policy', {
      registry,
      sources: [{ name: 'build', accountId: BUILD_ACCOUNT, replicationFilters: ['web'] }],
      additionalStatements: [
        {
          Sid: 'AllowPullThroughCache',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::222222222222:role/cache' },
          Action: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'],
          Resource: 'arn:aws:ecr:eu-west-1:222222222222:repository/cache/*',
        },
      ],
    });
    const policy = parsePolicy(onlyResource(synthesize(stack), 'aws_ecr_registry_policy').policy);
    expect(policy.Statement.map((candidate) => candidate.Sid)).toEqual(['AllowReplicationFromBuild111111111111', 'AllowPullThroughCache']);
  });

  test('fails for the registry own account', () => {
    const { stack, registry } = stackWithProvider(location(PROD_ACCOUNT), 'prod');
    expect(
      () =>
        new ReplicationRegistryPolicy(stack, 'registry_policy', {
          registry,
          sources: [{ name: 'prod', accountId: PROD_ACCOUNT, replicationFilters: ['web'] }],
        }),
    ).toThrow(
      'ReplicationRegistryPolicy test/registry_policy: sources[0].accountId (received "222222222222"): ' +
        "is the registry's own account; same-account replication needs no registry policy: leave this source out",
    );
  });
});

describe('RepositoryCreationTemplates', () => {
  test.each([
    [['web'], ['ROOT']],
    [
      ['team-a/api', 'web'],
      ['ROOT', 'team-a'],
    ],
    [
      ['team-a/api', 'team-a/worker', 'org/team-b/svc'],
      ['org/team-b', 'team-a'],
    ],
  ])('covers filters %p with template prefixes %p', (filters, prefixes) => {
    expect(creationTemplatePrefixes(filters)).toEqual(prefixes);
  });

  test('creates KMS-encrypted, immutable templates for replication with a role ECR assumes', () => {
    // GIVEN
    const { stack, registry } = stackWithProvider(location(PROD_ACCOUNT, 'eu-west-1'), 'prod');
    const key = new EcrEncryptionKey(stack, 'kms_key', { registry, ...KEY_NAMING });
    // WHEN: the role is created after the key; the templates grant it on the key
    const role = new CreationTemplateRole(stack, 'creation_template_role', { registry, roleName: 'templates-eu-west-1', description: 'ECR templates' });
    new RepositoryCreationTemplates(stack, 'creation_templates', {
      registry,
      key,
      role,
      replicationFilters: ['team-a/api', 'web'],
      description: 'replicated repositories',
    });
    // THEN
    const synthesized = synthesize(stack);
    const template = onlyResource(synthesized, 'aws_ecr_repository_creation_template');
    expect(template).toEqual(
      expect.objectContaining({
        for_each: '${toset(["ROOT", "team-a"])}',
        prefix: '${each.value}',
        applied_for: ['REPLICATION'],
        custom_role_arn: '${aws_iam_role.creation_template_role.arn}',
        encryption_configuration: [{ encryption_type: 'KMS', kms_key: KEY_REF }],
        image_tag_mutability: 'IMMUTABLE',
        description: 'replicated repositories',
      }),
    );
    expect(onlyResource(synthesized, 'aws_iam_role').name).toBe('templates-eu-west-1');
    const rolePolicy = parsePolicy(onlyResource(synthesized, 'aws_iam_role_policy').policy);
    expect(rolePolicy.Statement[1].Resource).toBe(KEY_REF);
    const keyPolicy = parsePolicy(onlyResource(synthesized, 'aws_kms_key').policy);
    expect(principalsOf(keyPolicy.Statement.find((candidate) => candidate.Sid === 'AllowEcrRepositoryCreationTemplateRole')!)).toEqual([
      '${aws_iam_role.creation_template_role.arn}',
    ]);
  });

  test('fails when the key belongs to another registry', () => {
    const { stack, registry } = stackWithProvider(location(PROD_ACCOUNT, 'eu-west-1'), 'prod');
    const role = new CreationTemplateRole(stack, 'creation_template_role', { registry, roleName: 'templates', description: 'ECR templates' });
    const key = EcrEncryptionKey.fromKeyArn('arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(
      () => new RepositoryCreationTemplates(stack, 'creation_templates', { registry, key, role, replicationFilters: ['web'], description: 'replicated' }),
    ).toThrow(
      'RepositoryCreationTemplates test/creation_templates: key (received "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"): ' +
        "must be a key of account 222222222222 in eu-west-1, the registry it encrypts for (ECR requires the key in the repository's account and region), not of account 222222222222 in us-east-1: use a key of account 222222222222 in eu-west-1",
    );
  });
});

describe('ReadableAddressStack', () => {
  test('fails when two constructs would share a Terraform address, naming both', () => {
    // GIVEN a resource with id "a_b" and a resource "b" inside a construct "a"
    const { stack, registry } = stackWithProvider();
    new EcrEncryptionKey(stack, 'a_b', { registry, ...KEY_NAMING });
    // WHEN / THEN
    expect(() => new EcrEncryptionKey(new Construct(stack, 'a'), 'b', { registry, ...KEY_NAMING })).toThrow(
      'Terraform address collision in stack test: "test/a_b/Resource" and "test/a/b/Resource" both become "a_b": rename one of the construct ids (ids are joined with "_" and other characters become "_")',
    );
  });
});

describe('providerAlias', () => {
  test('derives the alias from account name and region', () => {
    expect(providerAlias('build', 'us-east-1')).toBe('build_us_east_1');
    expect(providerAlias('shared-services', 'us-gov-west-1')).toBe('shared_services_us_gov_west_1');
  });

  test('the provider refuses other accounts', () => {
    const { stack } = stackWithProvider(location(PROD_ACCOUNT, 'eu-west-1'), 'prod');
    expect(Testing.synth(stack)).toContain('"allowed_account_ids": [\n          "222222222222"\n        ]');
  });
});
