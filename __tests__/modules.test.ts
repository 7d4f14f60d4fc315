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

function keyAndRepositories(repositories: ConstructorParameters<typeof EncryptedRepositories>[2]['repositories']) {
  const { stack, provider } = stackWithProvider();
  const key = new EcrEncryptionKey(stack, 'kms_key', { provider, location: location() });
  new EncryptedRepositories(stack, 'repositories', { provider, location: location(), key, repositories });
  return synthesize(stack);
}

describe('GIVEN an EcrEncryptionKey', () => {
  test('WHEN it is synthesized with defaults THEN it is a symmetric customer-managed key with rotation, a 30-day window and an alias', () => {
    // GIVEN
    const { stack, provider } = stackWithProvider();
    // WHEN
    new EcrEncryptionKey(stack, 'kms_key', { provider, location: location() });
    // THEN
    const synthesized = synthesize(stack);
    expect(onlyResource(synthesized, 'aws_kms_key')).toEqual(
      expect.objectContaining({
        enable_key_rotation: true,
        customer_master_key_spec: 'SYMMETRIC_DEFAULT',
        key_usage: 'ENCRYPT_DECRYPT',
        multi_region: false,
        deletion_window_in_days: 30,
        provider: 'aws.build_us_east_1',
      }),
    );
    expect(onlyResource(synthesized, 'aws_kms_alias')).toEqual(expect.objectContaining({ name: 'alias/ecr-kms-replication' }));
  });

  test.each([6, 31, 7.5])('WHEN its deletion window is %p days THEN it fails', (days) => {
    const { stack, provider } = stackWithProvider();
    expect(() => new EcrEncryptionKey(stack, 'kms_key', { provider, location: location(), deletionWindowInDays: days })).toThrow(
      `EcrEncryptionKey kms_key: deletionWindowInDays must be a whole number from 7 to 30, got ${days}`,
    );
  });
});

describe('GIVEN EncryptedRepositories', () => {
  test('WHEN they are synthesized THEN every repository is encrypted with KMS under the given key', () => {
    const synthesized = keyAndRepositories([{ name: 'team-a/api' }, { name: 'web' }]);
    const repository = onlyResource(synthesized, 'aws_ecr_repository');
    expect(repository.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: KEY_REF }]);
    expect(Object.keys(repository.for_each as object)).toEqual(['team-a/api', 'web']);
    expect(repository.name).toBe('${each.key}');
  });

  test('WHEN a repository has no settings THEN it gets immutable tags and scan on push, and no force delete', () => {
    const synthesized = keyAndRepositories([{ name: 'web' }]);
    const repository = onlyResource(synthesized, 'aws_ecr_repository');
    expect(repository.for_each).toEqual({ web: { image_tag_mutability: 'IMMUTABLE', scan_on_push: true } });
    expect(repository.image_tag_mutability).toBe('${each.value.image_tag_mutability}');
    expect(repository.image_scanning_configuration).toEqual({ scan_on_push: '${each.value.scan_on_push}' });
    expect(repository.force_delete).toBe(false);
  });

  test('WHEN a repository has its own settings THEN they are kept', () => {
    const synthesized = keyAndRepositories([{ name: 'web', imageTagMutability: 'MUTABLE', scanOnPush: false }]);
    expect(onlyResource(synthesized, 'aws_ecr_repository').for_each).toEqual({ web: { image_tag_mutability: 'MUTABLE', scan_on_push: false } });
  });

  test('WHEN one repository has lifecycle and access policies THEN they are added for it only', () => {
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

  test('WHEN the key is in another region THEN it fails', () => {
    const { stack, provider } = stackWithProvider(location(BUILD_ACCOUNT, 'us-west-2'));
    const key = new EcrEncryptionKey(stack, 'kms_key', { provider, location: location(BUILD_ACCOUNT, 'us-east-1') });
    expect(
      () =>
        new EncryptedRepositories(stack, 'repositories', { provider, location: location(BUILD_ACCOUNT, 'us-west-2'), key, repositories: [{ name: 'web' }] }),
    ).toThrow(
      "EncryptedRepositories repositories: the key must be in the repositories' account and region (account 111111111111 in us-west-2), but it is in account 111111111111 in us-east-1: create an EcrEncryptionKey for account 111111111111 in us-west-2",
    );
  });

  test('WHEN the key is in another account THEN it fails', () => {
    const { stack, provider } = stackWithProvider(location(PROD_ACCOUNT));
    const key = new EcrEncryptionKey(stack, 'kms_key', { provider, location: location(BUILD_ACCOUNT) });
    expect(
      () => new EncryptedRepositories(stack, 'repositories', { provider, location: location(PROD_ACCOUNT), key, repositories: [{ name: 'web' }] }),
    ).toThrow(/the key must be in the repositories' account and region \(account 222222222222 in us-east-1\), but it is in account 111111111111 in us-east-1/);
  });

  test('WHEN a repository is listed twice THEN it fails', () => {
    const { stack, provider } = stackWithProvider();
    const key = new EcrEncryptionKey(stack, 'kms_key', { provider, location: location() });
    expect(
      () => new EncryptedRepositories(stack, 'repositories', { provider, location: location(), key, repositories: [{ name: 'web' }, { name: 'web' }] }),
    ).toThrow('EncryptedRepositories repositories: repository "web" is listed twice');
  });
});

describe('GIVEN a ReplicationConfiguration', () => {
  const destination = (index: number) => ({ accountId: String(300000000000 + index), region: 'eu-west-1' });

  function rulesFor(destinations: number, repositoryNames: string[]) {
    const { stack, provider } = stackWithProvider();
    new ReplicationConfiguration(stack, 'replication', {
      provider,
      location: location(),
      destinations: Array.from({ length: destinations }, (_, index) => destination(index)),
      repositoryNames,
    });
    const configuration = onlyResource(synthesize(stack), 'aws_ecr_replication_configuration');
    return (configuration.replication_configuration as { rule: { destination: unknown[]; repository_filter: { filter: string; filter_type: string }[] }[] })
      .rule;
  }

  test('WHEN it is synthesized THEN every repository replicates to every destination with PREFIX_MATCH filters', () => {
    const rules = rulesFor(2, ['web', 'team-a/api']);
    expect(rules).toEqual([
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

  test('WHEN a filter covers others THEN the covered ones are dropped', () => {
    expect(rulesFor(1, ['api', 'api-dev', 'apis/x', 'web'])[0].repository_filter.map((filter) => filter.filter)).toEqual(['api', 'web']);
  });

  test('WHEN there are 30 destinations THEN they are split into rules of at most 25', () => {
    const rules = rulesFor(30, ['web']);
    expect(rules.map((rule) => rule.destination.length)).toEqual([25, 5]);
  });

  test('WHEN there are 150 filters THEN they are split into rules of at most 100', () => {
    const names = Array.from({ length: 150 }, (_, index) => `repo-${String(index).padStart(3, '0')}x`);
    const rules = rulesFor(1, names);
    expect(rules.map((rule) => rule.repository_filter.length)).toEqual([100, 50]);
  });

  test('WHEN the split needs more than 10 rules THEN it fails', () => {
    const { stack, provider } = stackWithProvider();
    const names = Array.from({ length: 1001 }, (_, index) => `repo-${String(index).padStart(4, '0')}x`);
    expect(
      () => new ReplicationConfiguration(stack, 'replication', { provider, location: location(), destinations: [destination(0)], repositoryNames: names }),
    ).toThrow(
      "ReplicationConfiguration replication: 1 destinations and 1001 filters need 11 rules, above ECR's limit of 10: replicate fewer repositories or group them under shared prefixes",
    );
  });

  test('WHEN a destination is the source registry THEN it fails', () => {
    const { stack, provider } = stackWithProvider();
    expect(
      () =>
        new ReplicationConfiguration(stack, 'replication', {
          provider,
          location: location(),
          destinations: [{ accountId: BUILD_ACCOUNT, region: 'us-east-1' }],
          repositoryNames: ['web'],
        }),
    ).toThrow('ReplicationConfiguration replication: a destination cannot be the source registry itself (account 111111111111 in us-east-1)');
  });
});

describe('GIVEN a ReplicationRegistryPolicy', () => {
  test('WHEN it is synthesized THEN one registry policy lets the source account replicate its filters', () => {
    const { stack, provider } = stackWithProvider(location(PROD_ACCOUNT, 'eu-west-1'), 'prod');
    new ReplicationRegistryPolicy(stack, 'registry_policy', {
      provider,
      location: location(PROD_ACCOUNT, 'eu-west-1'),
      sources: [{ name: 'build', accountId: BUILD_ACCOUNT, replicationFilters: ['web'] }],
    });
    const policy = parsePolicy(onlyResource(synthesize(stack), 'aws_ecr_registry_policy').policy);
    expect(principalsOf(policy.Statement[0])).toEqual(['arn:aws:iam::111111111111:root']);
    expect(asList(policy.Statement[0].Resource)).toEqual(['arn:aws:ecr:eu-west-1:222222222222:repository/web*']);
  });

  test("WHEN a source is the registry's own account THEN it fails", () => {
    const { stack, provider } = stackWithProvider(location(PROD_ACCOUNT), 'prod');
    expect(
      () =>
        new ReplicationRegistryPolicy(stack, 'registry_policy', {
          provider,
          location: location(PROD_ACCOUNT),
          sources: [{ name: 'prod', accountId: PROD_ACCOUNT, replicationFilters: ['web'] }],
        }),
    ).toThrow(
      "ReplicationRegistryPolicy registry_policy: source account 222222222222 is the registry's own account; same-account replication needs no registry policy",
    );
  });
});

describe('GIVEN RepositoryCreationTemplates', () => {
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
  ])('WHEN the filters are %p THEN the template prefixes are %p', (filters, prefixes) => {
    expect(creationTemplatePrefixes(filters)).toEqual(prefixes);
  });

  test('WHEN they are synthesized THEN the templates are KMS-encrypted, immutable, for replication, with a role ECR assumes', () => {
    // GIVEN
    const at = location(PROD_ACCOUNT, 'eu-west-1');
    const { stack, provider } = stackWithProvider(at, 'prod');
    const role = new CreationTemplateRole(stack, 'creation_template_role', { provider, location: at });
    const key = new EcrEncryptionKey(stack, 'kms_key', { provider, location: at, ecrServiceRoleArns: [role.role.arn] });
    // WHEN
    new RepositoryCreationTemplates(stack, 'creation_templates', { provider, location: at, key, role, replicationFilters: ['team-a/api', 'web'] });
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
      }),
    );
    expect(onlyResource(synthesized, 'aws_iam_role').name).toBe('ecr-replication-templates-eu-west-1');
    const rolePolicy = parsePolicy(onlyResource(synthesized, 'aws_iam_role_policy').policy);
    expect(rolePolicy.Statement[1].Resource).toBe(KEY_REF);
    const keyPolicy = parsePolicy(onlyResource(synthesized, 'aws_kms_key').policy);
    expect(principalsOf(keyPolicy.Statement.find((candidate) => candidate.Sid === 'AllowEcrRepositoryCreationTemplateRole')!)).toEqual([
      '${aws_iam_role.creation_template_role.arn}',
    ]);
  });

  test('WHEN the key belongs to another registry THEN it fails', () => {
    const at = location(PROD_ACCOUNT, 'eu-west-1');
    const { stack, provider } = stackWithProvider(at, 'prod');
    const role = new CreationTemplateRole(stack, 'creation_template_role', { provider, location: at });
    const key = new EcrEncryptionKey(stack, 'kms_key', { provider, location: location(PROD_ACCOUNT, 'us-east-1') });
    expect(() => new RepositoryCreationTemplates(stack, 'creation_templates', { provider, location: at, key, role, replicationFilters: ['web'] })).toThrow(
      'RepositoryCreationTemplates creation_templates: the key must belong to account 222222222222 in eu-west-1, not account 222222222222 in us-east-1',
    );
  });
});

describe('GIVEN the registry provider', () => {
  test('WHEN its alias is derived THEN it joins account name and region with underscores', () => {
    expect(providerAlias('build', 'us-east-1')).toBe('build_us_east_1');
    expect(providerAlias('shared-services', 'us-gov-west-1')).toBe('shared_services_us_gov_west_1');
  });

  test('WHEN it is synthesized THEN it allows only its own account', () => {
    const { stack } = stackWithProvider(location(PROD_ACCOUNT, 'eu-west-1'), 'prod');
    expect(Testing.synth(stack)).toContain('"allowed_account_ids": [\n          "222222222222"\n        ]');
  });
});
