/**
 * Registries as the AWS APIs would describe them, served by the AWS SDK's own
 * clients with aws-sdk-client-mock stubs: one ECR and one KMS client per
 * registry, so a test sees which registry each call went to.
 */
import {
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRegistryPolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ReplicationRule,
  Repository,
} from '@aws-sdk/client-ecr';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, GrantListEntry, KMSClient, ListGrantsCommand } from '@aws-sdk/client-kms';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { ClientFactory, RegistryClients, RegistryTarget } from '../tools/audit/aws-access';

export const KEY_ALIAS = 'alias/ecr-kms-replication';
export const UNTAGGED_EXPIRY =
  '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}';

export function awsError(name: string, message = `${name} (test)`): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

export function keyArnOf(accountId: string, region: string, id = '11111111-2222-3333-4444-555555555555'): string {
  return `arn:aws:kms:${region}:${accountId}:key/${id}`;
}

export function repositoryArnOf(accountId: string, region: string, name: string): string {
  return `arn:aws:ecr:${region}:${accountId}:repository/${name}`;
}

export interface FakeKey {
  readonly manager: 'CUSTOMER' | 'AWS';
  readonly rotation?: boolean;
  readonly policy?: string;
  readonly grants?: readonly GrantListEntry[];
}

export interface FakeRegistry {
  readonly accountId: string;
  readonly region: string;
  /** Pages of DescribeRepositories (one page when not split). */
  readonly repositoryPages: readonly (readonly Repository[])[];
  readonly lifecyclePolicies?: Readonly<Record<string, string>>;
  readonly repositoryPolicies?: Readonly<Record<string, string>>;
  readonly registryPolicy?: string;
  readonly scanningRules?: readonly {
    scanFrequency: 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL';
    repositoryFilters: { filter: string; filterType: 'WILDCARD' }[];
  }[];
  /** The key behind the config's alias; undefined: the alias does not exist. */
  readonly registryKeyArn?: string;
  /** The registry's replication rules (DescribeRegistry). @default none */
  readonly replicationRules?: readonly ReplicationRule[];
  readonly keys: Readonly<Record<string, FakeKey>>;
}

const KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }],
});

/** A compliant registry: every repository KMS-encrypted with the registry key, immutable, scanned, with a lifecycle policy and its grant. */
export function compliantRegistry(accountId: string, region: string, names: readonly string[]): FakeRegistry {
  const keyArn = keyArnOf(accountId, region);
  return {
    accountId,
    region,
    repositoryPages: [names.map((name) => kmsRepository(accountId, region, name, keyArn))],
    lifecyclePolicies: Object.fromEntries(names.map((name) => [name, UNTAGGED_EXPIRY])),
    scanningRules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }],
    registryKeyArn: keyArn,
    keys: {
      [keyArn]: {
        manager: 'CUSTOMER',
        rotation: true,
        policy: KEY_POLICY,
        grants: names.map((name, index) => ecrGrant(accountId, region, name, `grant-${index}`)),
      },
    },
  };
}

/** One replication rule: every filter (PREFIX_MATCH) to every destination (`<account id>/<region>`). */
export function replicationRule(destinations: readonly string[], filters: readonly string[]): ReplicationRule {
  return {
    destinations: destinations.map((destination) => ({ registryId: destination.split('/')[0], region: destination.split('/')[1] })),
    repositoryFilters: filters.map((filter) => ({ filter, filterType: 'PREFIX_MATCH' })),
  };
}

export function kmsRepository(accountId: string, region: string, name: string, keyArn: string): Repository {
  return {
    repositoryName: name,
    repositoryArn: repositoryArnOf(accountId, region, name),
    registryId: accountId,
    imageTagMutability: 'IMMUTABLE',
    imageScanningConfiguration: { scanOnPush: true },
    encryptionConfiguration: { encryptionType: 'KMS', kmsKey: keyArn },
  };
}

export function ecrGrant(accountId: string, region: string, name: string, grantId: string): GrantListEntry {
  return {
    GrantId: grantId,
    GranteePrincipal: `ecr.${region}.amazonaws.com`,
    Operations: ['Decrypt', 'GenerateDataKey'],
    Constraints: { EncryptionContextSubset: { 'aws:ecr:arn': repositoryArnOf(accountId, region, name) } },
  };
}

export interface MockedRegistry {
  readonly clients: RegistryClients;
  readonly ecr: AwsClientStub<ECRClient>;
  readonly kms: AwsClientStub<KMSClient>;
}

/** Stubs the ECR and KMS calls the audit makes, from a fake registry. */
export function mockRegistry(fake: FakeRegistry): MockedRegistry {
  const ecrClient = new ECRClient({ region: fake.region });
  const kmsClient = new KMSClient({ region: fake.region });
  const ecr = mockClient(ecrClient);
  const kms = mockClient(kmsClient);
  const pages = fake.repositoryPages;
  pages.forEach((page, index) => {
    const nextToken = index + 1 < pages.length ? `page-${index + 1}` : undefined;
    ecr.on(DescribeRepositoriesCommand, { nextToken: index === 0 ? undefined : `page-${index}` }).resolves({ repositories: [...page], nextToken });
  });
  ecr.on(GetLifecyclePolicyCommand).callsFake(async (input: { repositoryName: string }) => {
    const text = fake.lifecyclePolicies?.[input.repositoryName];
    if (!text) throw awsError('LifecyclePolicyNotFoundException');
    return { repositoryName: input.repositoryName, lifecyclePolicyText: text };
  });
  ecr.on(GetRepositoryPolicyCommand).callsFake(async (input: { repositoryName: string }) => {
    const text = fake.repositoryPolicies?.[input.repositoryName];
    if (!text) throw awsError('RepositoryPolicyNotFoundException');
    return { repositoryName: input.repositoryName, policyText: text };
  });
  if (fake.registryPolicy) ecr.on(GetRegistryPolicyCommand).resolves({ policyText: fake.registryPolicy });
  else ecr.on(GetRegistryPolicyCommand).rejects(awsError('RegistryPolicyNotFoundException'));
  ecr.on(GetRegistryScanningConfigurationCommand).resolves({ scanningConfiguration: { scanType: 'BASIC', rules: [...(fake.scanningRules ?? [])] } });
  ecr.on(DescribeRegistryCommand).resolves({ registryId: fake.accountId, replicationConfiguration: { rules: [...(fake.replicationRules ?? [])] } });

  kms.on(DescribeKeyCommand).callsFake(async (input: { KeyId: string }) => {
    const arn = input.KeyId === KEY_ALIAS ? fake.registryKeyArn : input.KeyId;
    const key = arn ? fake.keys[arn] : undefined;
    if (!arn || !key) throw awsError('NotFoundException');
    return { KeyMetadata: { KeyId: arn.split('/')[1], Arn: arn, KeyManager: key.manager, KeyState: 'Enabled' } };
  });
  kms.on(GetKeyRotationStatusCommand).callsFake(async (input: { KeyId: string }) => ({ KeyRotationEnabled: fake.keys[input.KeyId]?.rotation === true }));
  kms.on(GetKeyPolicyCommand).callsFake(async (input: { KeyId: string }) => ({ Policy: fake.keys[input.KeyId]?.policy ?? KEY_POLICY, PolicyName: 'default' }));
  kms.on(ListGrantsCommand).callsFake(async (input: { KeyId: string }) => ({ Grants: [...(fake.keys[input.KeyId]?.grants ?? [])], Truncated: false }));
  return { clients: { ecr: ecrClient, kms: kmsClient }, ecr, kms };
}

/** A client factory over mocked registries keyed `<account id>/<region>`; records the targets asked for. */
export function fakeClientFactory(registries: ReadonlyMap<string, MockedRegistry>, asked: RegistryTarget[] = []): ClientFactory {
  return async (target) => {
    asked.push(target);
    const registry = registries.get(`${target.accountId}/${target.region}`);
    if (!registry) throw new Error(`no fake registry for ${target.accountId}/${target.region}`);
    return registry.clients;
  };
}
