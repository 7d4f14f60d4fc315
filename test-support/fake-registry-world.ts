/**
 * One account and region as the recovery tools see it (keys with tags and
 * descriptions, aliases, repositories with tags and images, roles, creation
 * templates), served to the AWS SDK's own clients by aws-sdk-client-mock.
 * Every client instance of a class is stubbed, so the code under test builds
 * its clients as it always does (assumed role, endpoint).
 */
import {
  DescribeRepositoriesCommand,
  DescribeRepositoryCreationTemplatesCommand,
  ECRClient,
  ListImagesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-ecr';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KMSClient, ListAliasesCommand, ListKeysCommand, ListResourceTagsCommand, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { STACK_TAG } from '../stacks/resource-names';
import { awsError } from './fake-aws';

export interface WorldKey {
  readonly id: string;
  readonly description: string;
  /** STACK_TAG; undefined: untagged. */
  readonly stack?: string;
  readonly state?: 'Enabled' | 'PendingDeletion';
  readonly created?: number;
}

export interface WorldRepository {
  readonly name: string;
  /** Key id it is encrypted with; undefined: AES256. */
  readonly key?: string;
  readonly stack?: string;
  readonly images?: number;
}

export interface World {
  readonly accountId: string;
  readonly region: string;
  readonly keys?: readonly WorldKey[];
  /** alias name -> key id */
  readonly aliases?: Readonly<Record<string, string>>;
  readonly repositories?: readonly WorldRepository[];
  /** role name -> STACK_TAG (undefined: untagged) */
  readonly roles?: Readonly<Record<string, string | undefined>>;
  /** prefix -> key id */
  readonly templates?: Readonly<Record<string, string>>;
}

export interface MockedWorld {
  readonly keyArn: (id: string) => string;
  readonly sts: AwsClientStub<STSClient>;
  readonly kms: AwsClientStub<KMSClient>;
  readonly ecr: AwsClientStub<ECRClient>;
  readonly iam: AwsClientStub<IAMClient>;
  /** Key ids whose deletion was scheduled, with the window. */
  readonly scheduled: () => { keyId: string; days: number }[];
}

const sts = mockClient(STSClient);
const kms = mockClient(KMSClient);
const ecr = mockClient(ECRClient);
const iam = mockClient(IAMClient);

/** Stubs every SDK client with the world (resetting earlier stubs). */
export function mockWorld(world: World): MockedWorld {
  for (const mock of [sts, kms, ecr, iam]) mock.reset();
  const keyArn = (id: string) => `arn:aws:kms:${world.region}:${world.accountId}:key/${id}`;
  const repositoryArn = (name: string) => `arn:aws:ecr:${world.region}:${world.accountId}:repository/${name}`;
  const keys = world.keys ?? [];
  const keyOf = (reference: string) => keys.find((key) => key.id === reference || keyArn(key.id) === reference);
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AK', SecretAccessKey: 'SK', SessionToken: 'T', Expiration: new Date(0) } });
  kms.on(ListKeysCommand).resolves({ Keys: keys.map((key) => ({ KeyId: key.id, KeyArn: keyArn(key.id) })), Truncated: false });
  kms.on(DescribeKeyCommand).callsFake(async (input: { KeyId: string }) => {
    const key = keyOf(input.KeyId);
    if (!key) throw awsError('NotFoundException');
    return {
      KeyMetadata: {
        KeyId: key.id,
        Arn: keyArn(key.id),
        Description: key.description,
        KeyManager: 'CUSTOMER',
        KeyState: key.state ?? 'Enabled',
        CreationDate: new Date(key.created ?? 0),
      },
    };
  });
  kms.on(ListResourceTagsCommand).callsFake(async (input: { KeyId: string }) => {
    const key = keyOf(input.KeyId);
    return { Tags: key?.stack === undefined ? [{ TagKey: 'Project', TagValue: 'p' }] : [{ TagKey: STACK_TAG, TagValue: key.stack }], Truncated: false };
  });
  kms.on(ListAliasesCommand).resolves({
    Aliases: Object.entries(world.aliases ?? {}).map(([AliasName, TargetKeyId]) => ({ AliasName, TargetKeyId })),
    Truncated: false,
  });
  const scheduled: { keyId: string; days: number }[] = [];
  kms.on(ScheduleKeyDeletionCommand).callsFake(async (input: { KeyId: string; PendingWindowInDays: number }) => {
    scheduled.push({ keyId: input.KeyId, days: input.PendingWindowInDays });
    return { KeyId: input.KeyId, KeyState: 'PendingDeletion' };
  });
  const repositories = world.repositories ?? [];
  ecr.on(DescribeRepositoriesCommand).resolves({
    repositories: repositories.map((repository) => ({
      repositoryName: repository.name,
      repositoryArn: repositoryArn(repository.name),
      encryptionConfiguration: repository.key ? { encryptionType: 'KMS', kmsKey: keyArn(repository.key) } : { encryptionType: 'AES256' },
    })),
  });
  ecr.on(ListTagsForResourceCommand).callsFake(async (input: { resourceArn: string }) => {
    const repository = repositories.find((entry) => repositoryArn(entry.name) === input.resourceArn);
    return { tags: repository?.stack === undefined ? [] : [{ Key: STACK_TAG, Value: repository.stack }] };
  });
  ecr.on(ListImagesCommand).callsFake(async (input: { repositoryName: string }) => {
    const count = repositories.find((entry) => entry.name === input.repositoryName)?.images ?? 0;
    return { imageIds: Array.from({ length: Math.min(count, 1) }, (_, index) => ({ imageTag: `v${index}` })) };
  });
  ecr.on(DescribeRepositoryCreationTemplatesCommand).callsFake(async (input: { prefixes?: string[] }) => ({
    repositoryCreationTemplates: Object.entries(world.templates ?? {})
      .filter(([prefix]) => !input.prefixes || input.prefixes.includes(prefix))
      .map(([prefix, key]) => ({ prefix, encryptionConfiguration: { encryptionType: 'KMS', kmsKey: keyArn(key) } })),
  }));
  iam.on(GetRoleCommand).callsFake(async (input: { RoleName: string }) => {
    if (!world.roles || !(input.RoleName in world.roles)) throw awsError('NoSuchEntityException');
    const stack = world.roles[input.RoleName];
    return {
      Role: {
        RoleName: input.RoleName,
        Arn: `arn:aws:iam::${world.accountId}:role/${input.RoleName}`,
        Path: '/',
        RoleId: 'r',
        CreateDate: new Date(0),
        Tags: stack === undefined ? [] : [{ Key: STACK_TAG, Value: stack }],
      },
    };
  });
  return { keyArn, sts, kms, ecr, iam, scheduled: () => [...scheduled] };
}
