/**
 * What the AWS APIs say about one registry, read once: every repository
 * (declared or not) with its lifecycle and repository policies, the registry
 * policy and scanning configuration, the registry key (by the config's alias)
 * and every KMS key the repositories use, with rotation, policy and grants.
 */
import {
  DescribeRegistryCommand,
  GetLifecyclePolicyCommand,
  GetRegistryPolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  paginateDescribeRepositories,
  ReplicationConfiguration,
  Repository,
} from '@aws-sdk/client-ecr';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, GrantListEntry, paginateListGrants } from '@aws-sdk/client-kms';
import { call, callOrNone, confirmAccount, RegistryClients, RegistryTarget } from './aws-access';

export interface KeySnapshot {
  readonly arn: string;
  /** CUSTOMER or AWS (aws/ecr). */
  readonly manager: string;
  readonly region: string;
  /** Customer-managed keys only. */
  readonly rotation?: boolean;
  readonly policy?: string;
  readonly grants: readonly GrantListEntry[];
}

export interface ScanningSnapshot {
  readonly scanType: string;
  readonly rules: readonly { readonly frequency: string; readonly filters: readonly string[] }[];
}

export interface RegistrySnapshot {
  readonly target: RegistryTarget;
  /** `build 111111111111/us-east-1` */
  readonly scope: string;
  readonly repositories: readonly Repository[];
  readonly lifecyclePolicies: ReadonlyMap<string, string>;
  readonly repositoryPolicies: ReadonlyMap<string, string>;
  readonly registryPolicy?: string;
  readonly scanning?: ScanningSnapshot;
  readonly replication?: ReplicationConfiguration;
  /** The key the config's alias names in this registry, if it exists. */
  readonly registryKeyArn?: string;
  readonly keys: ReadonlyMap<string, KeySnapshot>;
}

export function scopeOf(target: RegistryTarget): string {
  return `${target.accountName} ${target.accountId}/${target.region}`;
}

export function regionOfArn(arn: string): string | undefined {
  return /^arn:[a-z-]+:[a-z0-9-]+:([a-z0-9-]+):/.exec(arn)?.[1];
}

/** Reads a registry. `keyAlias` is the config's keys.alias. */
export async function readRegistry(target: RegistryTarget, clients: RegistryClients, keyAlias: string): Promise<RegistrySnapshot> {
  const { ecr, kms } = clients;
  // Registry-level calls read the caller's own registry: it must be the registry of the config.
  await confirmAccount(target, clients);
  const registryId = target.accountId;
  const repositories: Repository[] = [];
  await call(target, 'ecr:DescribeRepositories', async () => {
    for await (const page of paginateDescribeRepositories({ client: ecr }, { registryId })) repositories.push(...(page.repositories ?? []));
  });
  repositories.sort((left, right) => ((left.repositoryName ?? '') < (right.repositoryName ?? '') ? -1 : 1));

  const lifecyclePolicies = new Map<string, string>();
  const repositoryPolicies = new Map<string, string>();
  for (const repository of repositories) {
    const repositoryName = repository.repositoryName ?? '';
    const lifecycle = await callOrNone(target, `ecr:GetLifecyclePolicy ${repositoryName}`, ['LifecyclePolicyNotFoundException'], () =>
      ecr.send(new GetLifecyclePolicyCommand({ registryId, repositoryName })),
    );
    if (lifecycle?.lifecyclePolicyText) lifecyclePolicies.set(repositoryName, lifecycle.lifecyclePolicyText);
    const policy = await callOrNone(target, `ecr:GetRepositoryPolicy ${repositoryName}`, ['RepositoryPolicyNotFoundException'], () =>
      ecr.send(new GetRepositoryPolicyCommand({ registryId, repositoryName })),
    );
    if (policy?.policyText) repositoryPolicies.set(repositoryName, policy.policyText);
  }

  const registryPolicy = await callOrNone(target, 'ecr:GetRegistryPolicy', ['RegistryPolicyNotFoundException'], () =>
    ecr.send(new GetRegistryPolicyCommand({})),
  );
  const scanning = await call(target, 'ecr:GetRegistryScanningConfiguration', () => ecr.send(new GetRegistryScanningConfigurationCommand({})));
  const registry = await call(target, 'ecr:DescribeRegistry', () => ecr.send(new DescribeRegistryCommand({})));

  const registryKey = await callOrNone(target, `kms:DescribeKey ${keyAlias}`, ['NotFoundException'], () =>
    kms.send(new DescribeKeyCommand({ KeyId: keyAlias })),
  );
  const registryKeyArn = registryKey?.KeyMetadata?.Arn;

  const keyArns = new Set<string>();
  if (registryKeyArn) keyArns.add(registryKeyArn);
  for (const repository of repositories) {
    const kmsKey = repository.encryptionConfiguration?.kmsKey;
    if (repository.encryptionConfiguration?.encryptionType?.startsWith('KMS') && kmsKey) keyArns.add(kmsKey);
  }
  const keys = new Map<string, KeySnapshot>();
  for (const arn of [...keyArns].sort()) {
    const described =
      registryKey?.KeyMetadata?.Arn === arn
        ? registryKey
        : await call(target, `kms:DescribeKey ${arn}`, () => kms.send(new DescribeKeyCommand({ KeyId: arn })));
    const manager = described?.KeyMetadata?.KeyManager ?? 'UNKNOWN';
    if (manager !== 'CUSTOMER') {
      keys.set(arn, { arn, manager, region: regionOfArn(arn) ?? '', grants: [] });
      continue;
    }
    const rotation = await call(target, `kms:GetKeyRotationStatus ${arn}`, () => kms.send(new GetKeyRotationStatusCommand({ KeyId: arn })));
    const policy = await call(target, `kms:GetKeyPolicy ${arn}`, () => kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' })));
    const grants: GrantListEntry[] = [];
    await call(target, `kms:ListGrants ${arn}`, async () => {
      for await (const page of paginateListGrants({ client: kms }, { KeyId: arn })) grants.push(...(page.Grants ?? []));
    });
    keys.set(arn, { arn, manager, region: regionOfArn(arn) ?? '', rotation: rotation.KeyRotationEnabled === true, policy: policy.Policy, grants });
  }

  return {
    target,
    scope: scopeOf(target),
    repositories,
    lifecyclePolicies,
    repositoryPolicies,
    registryPolicy: registryPolicy?.policyText,
    scanning: scanning.scanningConfiguration
      ? {
          scanType: scanning.scanningConfiguration.scanType ?? 'BASIC',
          rules: (scanning.scanningConfiguration.rules ?? []).map((rule) => ({
            frequency: rule.scanFrequency ?? '',
            filters: (rule.repositoryFilters ?? []).map((filter) => filter.filter ?? ''),
          })),
        }
      : undefined,
    replication: registry.replicationConfiguration,
    registryKeyArn,
    keys,
  };
}
