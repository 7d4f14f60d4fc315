/**
 * The constructs' estate options: a per-repository key override in
 * EncryptedRepositories and per-prefix settings in RepositoryCreationTemplates.
 */
import { EcrEncryptionKey } from '../modules/encryption-key';
import { EncryptedRepositories } from '../modules/encrypted-repositories';
import { CreationTemplateRole, RepositoryCreationTemplates } from '../modules/repository-creation-templates';
import { ReplicationConfiguration } from '../modules/replication-configuration';
import { asList, parsePolicy, principalsOf, PROD_ACCOUNT, stackWithProvider, statement, synthesize } from '../test-support/fixtures';

const NAMING = { alias: 'alias/test-images', description: 'test key' };

function registryWithTwoKeys() {
  const context = stackWithProvider();
  const key = new EcrEncryptionKey(context.stack, 'kms_key', { registry: context.registry, ...NAMING });
  const teamKey = new EcrEncryptionKey(context.stack, 'kms_key_team-a', {
    registry: context.registry,
    alias: 'alias/test-images/team-a',
    description: 'team-a',
  });
  return { ...context, key, teamKey };
}

describe('EncryptedRepositories with a key per repository', () => {
  test('GIVEN no repository overrides the key THEN the for_each values hold no kms_key', () => {
    const { stack, registry, key } = registryWithTwoKeys();
    new EncryptedRepositories(stack, 'repositories', { registry, key, repositories: [{ name: 'web' }] });
    const repositories = synthesize(stack).resource.aws_ecr_repository.repositories;
    expect(repositories.for_each).toEqual({ web: { image_tag_mutability: 'IMMUTABLE', scan_on_push: true } });
    expect(repositories.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: '${aws_kms_key.kms_key.arn}' }]);
  });

  test('GIVEN one repository with its own key THEN each repository is encrypted with its key', () => {
    const { stack, registry, key, teamKey } = registryWithTwoKeys();
    new EncryptedRepositories(stack, 'repositories', { registry, key, repositories: [{ name: 'team-a/api', key: teamKey }, { name: 'web' }] });
    const repositories = synthesize(stack).resource.aws_ecr_repository.repositories;
    expect(repositories.for_each).toEqual({
      'team-a/api': { image_tag_mutability: 'IMMUTABLE', kms_key: '${aws_kms_key.kms_key_team-a.arn}', scan_on_push: true },
      web: { image_tag_mutability: 'IMMUTABLE', kms_key: '${aws_kms_key.kms_key.arn}', scan_on_push: true },
    });
    expect(repositories.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: '${each.value.kms_key}' }]);
  });

  test('fails when a repository key is in another account', () => {
    const { stack, registry, key } = registryWithTwoKeys();
    const foreign = EcrEncryptionKey.fromKeyArn(`arn:aws:kms:us-east-1:${PROD_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    expect(() => new EncryptedRepositories(stack, 'repositories', { registry, key, repositories: [{ name: 'web', key: foreign }] })).toThrow(
      'EncryptedRepositories test/repositories: repositories[0].key (received "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"): ' +
        "must be a key of account 111111111111 in us-east-1, the registry it encrypts for (ECR requires the key in the repository's account and region), not of account 222222222222 in us-east-1: use a key of account 111111111111 in us-east-1",
    );
  });
});

describe('RepositoryCreationTemplates with per-prefix settings', () => {
  function templates() {
    const { stack, registry, key, teamKey } = registryWithTwoKeys();
    new RepositoryCreationTemplates(stack, 'creation_templates', {
      registry,
      key,
      role: new CreationTemplateRole(stack, 'creation_template_role', { registry, roleName: 'templates', description: 'templates' }),
      replicationFilters: ['team-a/', 'web'],
      description: 'replicated',
      templates: [
        {
          prefix: 'team-a',
          key: teamKey,
          imageTagMutability: 'MUTABLE',
          lifecyclePolicy: {
            rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }],
          },
        },
      ],
    });
    return synthesize(stack);
  }

  test('GIVEN a prefix with its own key, mutability and lifecycle THEN its template uses them and the others the defaults', () => {
    const template = templates().resource.aws_ecr_repository_creation_template.creation_templates;
    expect(template.for_each).toEqual({
      ROOT: { image_tag_mutability: 'IMMUTABLE', kms_key: '${aws_kms_key.kms_key.arn}', lifecycle_policy: '' },
      'team-a': {
        image_tag_mutability: 'MUTABLE',
        kms_key: '${aws_kms_key.kms_key_team-a.arn}',
        lifecycle_policy:
          '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}',
      },
    });
    expect(template.lifecycle_policy).toBe('${each.value.lifecycle_policy == "" ? null : each.value.lifecycle_policy}');
  });

  test('GIVEN a prefix with its own key THEN the role may use both keys and both key policies name the role', () => {
    const synthesized = templates();
    const rolePolicy = parsePolicy(synthesized.resource.aws_iam_role_policy.creation_templates_role_policy.policy);
    expect(asList(statement(rolePolicy, 'EncryptWithTheRegistryKey').Resource)).toEqual(['${aws_kms_key.kms_key.arn}', '${aws_kms_key.kms_key_team-a.arn}']);
    for (const key of ['kms_key', 'kms_key_team-a']) {
      const policy = parsePolicy(synthesized.resource.aws_kms_key[key].policy);
      expect(principalsOf(statement(policy, 'AllowEcrRepositoryCreationTemplateRole'))).toEqual(['${aws_iam_role.creation_template_role.arn}']);
    }
  });
});

describe('ReplicationConfiguration with namespace filters', () => {
  test('GIVEN a namespace filter THEN it is a PREFIX_MATCH filter', () => {
    const { stack, registry } = stackWithProvider();
    new ReplicationConfiguration(stack, 'replication', {
      registry,
      rules: [{ destinations: [{ accountId: PROD_ACCOUNT, region: 'eu-west-1' }], filters: ['team-a/'] }],
    });
    expect(synthesize(stack).resource.aws_ecr_replication_configuration.replication.replication_configuration).toEqual({
      rule: [{ destination: [{ region: 'eu-west-1', registry_id: PROD_ACCOUNT }], repository_filter: [{ filter: 'team-a/', filter_type: 'PREFIX_MATCH' }] }],
    });
  });

  test('fails on a filter ECR refuses, with the rule', () => {
    const { stack, registry } = stackWithProvider();
    expect(
      () =>
        new ReplicationConfiguration(stack, 'replication', {
          registry,
          rules: [{ destinations: [{ accountId: PROD_ACCOUNT, region: 'eu-west-1' }], filters: ['Team-A/'] }],
        }),
    ).toThrow(
      'ReplicationConfiguration test/replication: rules[0].filters[0] (received "Team-A/"): must be an ECR replication filter: 2 to 256 characters, a repository-name prefix (lowercase segments separated by "/")',
    );
  });
});
