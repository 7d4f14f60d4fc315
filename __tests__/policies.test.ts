import { ecrKeyPolicy, KEY_ADMINISTRATION_ACTIONS, KEY_USE_ACTIONS } from '../policies/key-policy';
import { replicationRegistryPolicy, repositoryArnsForFilters } from '../policies/registry-policy';
import { creationTemplateRolePolicy, ecrTrustPolicy } from '../policies/creation-template-role';
import { repositoryAccessPolicy } from '../policies/repository-policy';
import { asList, principalsOf, statement } from '../test-support/fixtures';

const ADMIN = 'arn:aws:iam::111111111111:role/platform-key-admin';
const USER = 'arn:aws:iam::111111111111:role/ci-image-publisher';
const TEMPLATE_ROLE = 'arn:aws:iam::111111111111:role/ecr-replication-templates-us-west-2';

function examplePolicy(overrides: Partial<Parameters<typeof ecrKeyPolicy>[0]> = {}) {
  return ecrKeyPolicy({
    partition: 'aws',
    accountId: '111111111111',
    region: 'us-west-2',
    administrators: [ADMIN],
    users: [USER],
    ecrServiceRoles: [TEMPLATE_ROLE],
    ...overrides,
  });
}

describe('key policy', () => {
  test('keeps the account root in full control (seed 001)', () => {
    // GIVEN / WHEN
    const root = statement(examplePolicy(), 'EnableAccountRootAndIamPolicies');
    // THEN
    expect(root).toEqual(expect.objectContaining({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*' }));
  });

  test('administrators manage the key but cannot use it', () => {
    const admin = statement(examplePolicy(), 'AllowKeyAdministration');
    expect(principalsOf(admin)).toEqual([ADMIN]);
    expect(asList(admin.Action)).toEqual(KEY_ADMINISTRATION_ACTIONS);
    for (const action of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:*']) {
      expect(asList(admin.Action).some((allowed) => new RegExp(`^${allowed.replace(/\*/g, '.*')}$`).test(action))).toBe(false);
    }
  });

  test('use of the key goes to the key users, never to the administrators (the sample templates swapped them)', () => {
    // GIVEN distinct administrators and users
    const policy = examplePolicy();
    // THEN both usage statements name exactly the users
    for (const sid of ['AllowKeyUseThroughEcr', 'AllowGrantsForEcrRepositories']) {
      expect(principalsOf(statement(policy, sid))).toEqual([USER]);
      expect(principalsOf(statement(policy, sid))).not.toContain(ADMIN);
    }
    expect(asList(statement(policy, 'AllowKeyUseThroughEcr').Action)).toEqual(KEY_USE_ACTIONS);
  });

  test('users may use the key only through ECR in the key region, from the key account', () => {
    const use = statement(examplePolicy(), 'AllowKeyUseThroughEcr');
    expect(use.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'ecr.us-west-2.amazonaws.com', 'kms:CallerAccount': '111111111111' } });
  });

  test('grants are allowed only for AWS resources', () => {
    const grants = statement(examplePolicy(), 'AllowGrantsForEcrRepositories');
    expect(grants.Condition).toEqual(expect.objectContaining({ Bool: { 'kms:GrantIsForAWSResource': true } }));
    expect(asList(grants.Action)).toEqual(['kms:CreateGrant', 'kms:ListGrants', 'kms:RetireGrant']);
    expect(asList(grants.Action)).not.toContain('kms:RevokeGrant');
  });

  test('the creation-template role may create and retire grants through ECR only', () => {
    const role = statement(examplePolicy(), 'AllowEcrRepositoryCreationTemplateRole');
    expect(principalsOf(role)).toEqual([TEMPLATE_ROLE]);
    expect(asList(role.Action)).toEqual(['kms:CreateGrant', 'kms:DescribeKey', 'kms:RetireGrant']);
    expect(role.Condition).toEqual({ StringEquals: expect.objectContaining({ 'kms:ViaService': 'ecr.us-west-2.amazonaws.com' }) });
  });

  test('never names a wildcard principal', () => {
    for (const policyStatement of examplePolicy().Statement) {
      expect(principalsOf(policyStatement)).not.toContain('*');
    }
  });

  test('omits statements for empty principal lists', () => {
    const policy = examplePolicy({ administrators: [], users: [], ecrServiceRoles: [] });
    expect(policy.Statement.map((policyStatement) => policyStatement.Sid)).toEqual(['EnableAccountRootAndIamPolicies']);
  });

  test.each([
    ['aws-us-gov', 'us-gov-west-1', 'arn:aws-us-gov:iam::111111111111:root', 'ecr.us-gov-west-1.amazonaws.com'],
    ['aws-cn', 'cn-north-1', 'arn:aws-cn:iam::111111111111:root', 'ecr.cn-north-1.amazonaws.com.cn'],
  ] as const)('is partition-aware in %s', (partition, region, root, viaService) => {
    const policy = examplePolicy({ partition, region });
    expect(principalsOf(statement(policy, 'EnableAccountRootAndIamPolicies'))).toEqual([root]);
    expect(statement(policy, 'AllowKeyUseThroughEcr').Condition?.StringEquals?.['kms:ViaService']).toBe(viaService);
  });

  test('is the same bytes whatever the order of the principals', () => {
    const other = 'arn:aws:iam::111111111111:role/another-user';
    expect(JSON.stringify(examplePolicy({ users: [USER, other] }))).toBe(JSON.stringify(examplePolicy({ users: [other, USER, other] })));
  });
});

describe('registry policy', () => {
  const policy = replicationRegistryPolicy({
    partition: 'aws',
    region: 'eu-west-1',
    accountId: '222222222222',
    sources: [
      { name: 'build', accountId: '111111111111', replicationFilters: ['team-a/api', 'web'] },
      { name: 'tools', accountId: '333333333333', replicationFilters: ['tools'] },
    ],
  });

  test('lets each source account create and replicate, and nothing more', () => {
    expect(policy.Statement).toHaveLength(2);
    for (const policyStatement of policy.Statement) {
      expect(asList(policyStatement.Action)).toEqual(['ecr:CreateRepository', 'ecr:ReplicateImage']);
      expect(policyStatement.Effect).toBe('Allow');
    }
    expect(principalsOf(policy.Statement[0])).toEqual(['arn:aws:iam::111111111111:root']);
    expect(principalsOf(policy.Statement[1])).toEqual(['arn:aws:iam::333333333333:root']);
  });

  test('scopes each source to the repositories its filters reach, never repository/*', () => {
    expect(asList(policy.Statement[0].Resource)).toEqual([
      'arn:aws:ecr:eu-west-1:222222222222:repository/team-a/api*',
      'arn:aws:ecr:eu-west-1:222222222222:repository/web*',
    ]);
    expect(asList(policy.Statement[1].Resource)).toEqual(['arn:aws:ecr:eu-west-1:222222222222:repository/tools*']);
    for (const policyStatement of policy.Statement) expect(asList(policyStatement.Resource)).not.toContain('arn:aws:ecr:eu-west-1:222222222222:repository/*');
  });

  test('repository ARNs follow the partition', () => {
    expect(repositoryArnsForFilters('aws-cn', 'cn-north-1', '222222222222', ['web'])).toEqual(['arn:aws-cn:ecr:cn-north-1:222222222222:repository/web*']);
  });
});

describe('creation-template role', () => {
  test('only ECR acting for the account may assume it', () => {
    const trust = ecrTrustPolicy('222222222222');
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'ecr.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } },
      }),
    ]);
  });

  test('may create repositories under the filters and use only the registry key', () => {
    const policy = creationTemplateRolePolicy({
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '222222222222',
      replicationFilters: ['team-a/api', 'web'],
      keyArn: 'arn:aws:kms:eu-west-1:222222222222:key/1234',
    });
    expect(statement(policy, 'CreateReplicatedRepositories')).toEqual(
      expect.objectContaining({
        Action: ['ecr:CreateRepository', 'ecr:ReplicateImage', 'ecr:TagResource'],
        Resource: ['arn:aws:ecr:eu-west-1:222222222222:repository/team-a/api*', 'arn:aws:ecr:eu-west-1:222222222222:repository/web*'],
      }),
    );
    expect(statement(policy, 'EncryptWithTheRegistryKey')).toEqual(
      expect.objectContaining({ Action: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:RetireGrant'], Resource: 'arn:aws:kms:eu-west-1:222222222222:key/1234' }),
    );
  });
});

describe('repository access policy', () => {
  test('is absent when nobody is named', () => {
    expect(repositoryAccessPolicy({ pullPrincipals: [], pushPrincipals: [] })).toBeUndefined();
  });

  test('pull principals get read actions only', () => {
    const policy = repositoryAccessPolicy({ pullPrincipals: ['arn:aws:iam::222222222222:role/eks-node'], pushPrincipals: [] });
    expect(policy?.Statement).toEqual([
      {
        Sid: 'AllowPull',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::222222222222:role/eks-node'] },
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      },
    ]);
  });
});
