import { ecrKeyPolicy } from '../modules/policies/key-policy';
import { replicationRegistryPolicy, repositoryArnsForFilters } from '../modules/policies/registry-policy';
import { creationTemplateRolePolicy, ecrTrustPolicy } from '../modules/policies/creation-template-role';
import { repositoryAccessPolicy } from '../modules/policies/repository-policy';
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

describe('GIVEN the key policy of a registry with administrators, users and a creation-template role', () => {
  test('WHEN it is built THEN the account root keeps full control (seed 001)', () => {
    const root = statement(examplePolicy(), 'EnableAccountRootAndIamPolicies');
    expect(root).toEqual(expect.objectContaining({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*' }));
  });

  test('WHEN it is built THEN the administrators get the administrative actions only', () => {
    const admin = statement(examplePolicy(), 'AllowKeyAdministration');
    expect(principalsOf(admin)).toEqual([ADMIN]);
    expect(asList(admin.Action)).toEqual([
      'kms:CancelKeyDeletion',
      'kms:Create*',
      'kms:Delete*',
      'kms:Describe*',
      'kms:Disable*',
      'kms:Enable*',
      'kms:Get*',
      'kms:List*',
      'kms:Put*',
      'kms:Revoke*',
      'kms:RotateKeyOnDemand',
      'kms:ScheduleKeyDeletion',
      'kms:TagResource',
      'kms:UntagResource',
      'kms:Update*',
    ]);
  });

  test.each(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:*'])(
    'WHEN it is built THEN no administrative action pattern matches %s',
    (action) => {
      const admin = statement(examplePolicy(), 'AllowKeyAdministration');
      expect(asList(admin.Action).filter((allowed) => new RegExp(`^${allowed.replace(/\*/g, '.*')}$`).test(action))).toEqual([]);
    },
  );

  test.each(['AllowKeyUseThroughEcr', 'AllowGrantsForEcrRepositories'])(
    'WHEN it is built THEN statement %s names the users, never the administrators (the sample templates swapped them)',
    (sid) => {
      expect(principalsOf(statement(examplePolicy(), sid))).toEqual([USER]);
    },
  );

  test('WHEN it is built THEN the users may encrypt, decrypt, generate data keys, re-encrypt and describe the key', () => {
    expect(asList(statement(examplePolicy(), 'AllowKeyUseThroughEcr').Action)).toEqual([
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey*',
      'kms:ReEncrypt*',
    ]);
  });

  test('WHEN it is built THEN the users may use the key only through ECR in the key region, from the key account', () => {
    const use = statement(examplePolicy(), 'AllowKeyUseThroughEcr');
    expect(use.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'ecr.us-west-2.amazonaws.com', 'kms:CallerAccount': '111111111111' } });
  });

  test('WHEN it is built THEN grants are allowed only for AWS resources, never revoked', () => {
    const grants = statement(examplePolicy(), 'AllowGrantsForEcrRepositories');
    expect(grants.Condition).toEqual(expect.objectContaining({ Bool: { 'kms:GrantIsForAWSResource': true } }));
    expect(asList(grants.Action)).toEqual(['kms:CreateGrant', 'kms:ListGrants', 'kms:RetireGrant']);
    expect(asList(grants.Action)).not.toContain('kms:RevokeGrant');
  });

  test('WHEN it is built THEN the creation-template role may create and retire grants through ECR only', () => {
    const role = statement(examplePolicy(), 'AllowEcrRepositoryCreationTemplateRole');
    expect(principalsOf(role)).toEqual([TEMPLATE_ROLE]);
    expect(asList(role.Action)).toEqual(['kms:CreateGrant', 'kms:DescribeKey', 'kms:RetireGrant']);
    expect(role.Condition).toEqual({ StringEquals: expect.objectContaining({ 'kms:ViaService': 'ecr.us-west-2.amazonaws.com' }) });
  });

  test('WHEN it is built THEN no statement names a wildcard principal', () => {
    expect(examplePolicy().Statement.flatMap(principalsOf)).not.toContain('*');
  });

  test('WHEN the principal lists are empty THEN only the account root statement is left', () => {
    const policy = examplePolicy({ administrators: [], users: [], ecrServiceRoles: [] });
    expect(policy.Statement.map((policyStatement) => policyStatement.Sid)).toEqual(['EnableAccountRootAndIamPolicies']);
  });

  test.each([
    ['aws-us-gov', 'us-gov-west-1', 'arn:aws-us-gov:iam::111111111111:root', 'ecr.us-gov-west-1.amazonaws.com'],
    ['aws-cn', 'cn-north-1', 'arn:aws-cn:iam::111111111111:root', 'ecr.cn-north-1.amazonaws.com.cn'],
  ] as const)('WHEN its registry is in partition %s THEN the root ARN and the ECR service name follow the partition', (partition, region, root, viaService) => {
    const policy = examplePolicy({ partition, region });
    expect(principalsOf(statement(policy, 'EnableAccountRootAndIamPolicies'))).toEqual([root]);
    expect(statement(policy, 'AllowKeyUseThroughEcr').Condition?.StringEquals?.['kms:ViaService']).toBe(viaService);
  });

  test('WHEN the principals come in another order or twice THEN the policy is the same bytes', () => {
    const other = 'arn:aws:iam::111111111111:role/another-user';
    expect(JSON.stringify(examplePolicy({ users: [USER, other] }))).toBe(JSON.stringify(examplePolicy({ users: [other, USER, other] })));
  });
});

describe('GIVEN the registry policy of a destination that two accounts replicate into', () => {
  const policy = replicationRegistryPolicy({
    partition: 'aws',
    region: 'eu-west-1',
    accountId: '222222222222',
    sources: [
      { name: 'build', accountId: '111111111111', replicationFilters: ['team-a/api', 'web'] },
      { name: 'tools', accountId: '333333333333', replicationFilters: ['tools'] },
    ],
  });

  test('WHEN it is built THEN each source account may create and replicate, and nothing more', () => {
    expect(policy.Statement).toHaveLength(2);
    for (const policyStatement of policy.Statement) {
      expect(asList(policyStatement.Action)).toEqual(['ecr:CreateRepository', 'ecr:ReplicateImage']);
      expect(policyStatement.Effect).toBe('Allow');
    }
    expect(principalsOf(policy.Statement[0])).toEqual(['arn:aws:iam::111111111111:root']);
    expect(principalsOf(policy.Statement[1])).toEqual(['arn:aws:iam::333333333333:root']);
  });

  test('WHEN it is built THEN each source is scoped to the repositories its filters reach, never repository/*', () => {
    expect(asList(policy.Statement[0].Resource)).toEqual([
      'arn:aws:ecr:eu-west-1:222222222222:repository/team-a/api*',
      'arn:aws:ecr:eu-west-1:222222222222:repository/web*',
    ]);
    expect(asList(policy.Statement[1].Resource)).toEqual(['arn:aws:ecr:eu-west-1:222222222222:repository/tools*']);
    for (const policyStatement of policy.Statement) expect(asList(policyStatement.Resource)).not.toContain('arn:aws:ecr:eu-west-1:222222222222:repository/*');
  });

  test('WHEN the registry is in aws-cn THEN the repository ARNs are aws-cn ARNs', () => {
    expect(repositoryArnsForFilters('aws-cn', 'cn-north-1', '222222222222', ['web'])).toEqual(['arn:aws-cn:ecr:cn-north-1:222222222222:repository/web*']);
  });
});

describe('GIVEN the creation-template role of a destination', () => {
  test('WHEN its trust policy is built THEN only ECR acting for the account may assume it', () => {
    const trust = ecrTrustPolicy('222222222222');
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'ecr.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } },
      }),
    ]);
  });

  test('WHEN its policy is built THEN it may create repositories under the filters and use only the registry key', () => {
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

describe('GIVEN a repository access policy', () => {
  test('WHEN nobody is named THEN there is no policy', () => {
    expect(repositoryAccessPolicy({ pullPrincipals: [], pushPrincipals: [] })).toBeUndefined();
  });

  test('WHEN pull principals are named THEN they get read actions only', () => {
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
