/**
 * Base of every stack: bound to one registry (account + region), with its
 * aliased provider, its state backend, readable Terraform addresses, and the
 * registry's customer-managed key and encrypted repositories.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { BackendConfig, EndpointConfig, KeysConfig, RepositoryConfig } from '../config/schema';
import { NamespaceKeyPlan, Registry, RetiredRepository } from '../config/deployment-plan';
import { namespaceKeyOf } from '../config/namespace-plan';
import { providerAlias, registryProvider } from '../modules/aws-provider';
import { EcrEncryptionKey } from '../modules/encryption-key';
import { EncryptedRepositories } from '../modules/encrypted-repositories';
import { RemovalPolicy } from '../modules/removal-policy';
import { EcrRegistry, ecrRegistry } from '../modules/registry';
import { RegistryScanningConfiguration } from '../modules/registry-scanning-configuration';
import { ScanningConfig } from '../config/compliance-schema';
import { LifecyclePolicy } from '../modules/ecr/lifecycle-policy';
import { DEPLOY_SESSION_NAME, keyDescription, namespaceKeyDescription, STACK_TAG } from './resource-names';
import { ReadableAddressStack } from './readable-address-stack';
import { useStateBackend } from './state-backend';
import { dynamicCredentialsSharedConfigFile } from './dynamic-credentials';

export interface RegistryStackProps {
  readonly registry: Registry;
  readonly repositories: readonly RepositoryConfig[];
  /** Repositories taken out of the config with `removal` (moved out and removed, see modules/removal-policy.ts). @default [] */
  readonly retiredRepositories?: readonly RetiredRepository[];
  readonly keys: KeysConfig;
  /** Default tags of the provider, beside the stack's own `STACK_TAG`. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly backend: BackendConfig;
  /** @default - real AWS endpoints */
  readonly endpoint?: EndpointConfig;
  /** The registry scanning configuration. @default - none: the registry keeps its own */
  readonly scanning?: ScanningConfig;
  /** Lifecycle policy of repositories that set none (and of creation templates). @default - none */
  readonly defaultLifecyclePolicy?: LifecyclePolicy;
}

export abstract class RegistryStack extends ReadableAddressStack {
  readonly stackName: string;
  readonly provider: AwsProvider;
  /** The registry this stack manages, bound to its provider: what every construct of the stack receives. */
  readonly ecrRegistry: EcrRegistry;
  readonly registry: Registry;
  readonly props: RegistryStackProps;

  protected constructor(scope: Construct, stackName: string, props: RegistryStackProps) {
    super(scope, stackName);
    this.stackName = stackName;
    this.props = props;
    this.registry = props.registry;
    useStateBackend(this, stackName, props.backend, props.endpoint);
    // HCP Terraform runs get this alias's credentials from dynamic credentials (the file assumes deployRoleArn).
    const dynamicCredentials =
      props.backend.type === 'cloud' ? dynamicCredentialsSharedConfigFile(this, providerAlias(props.registry.accountName, props.registry.region)) : undefined;
    this.provider = registryProvider(this, {
      name: props.registry.accountName,
      accountId: props.registry.account.id,
      region: props.registry.region,
      deployRoleArn: dynamicCredentials === undefined ? props.registry.account.deployRoleArn : undefined,
      sharedConfigFiles: dynamicCredentials === undefined ? undefined : [dynamicCredentials],
      sessionName: DEPLOY_SESSION_NAME,
      // The config's tags, and the stack's own provenance tag (last: the config cannot override it).
      defaultTags: { ...props.tags, [STACK_TAG]: stackName },
      endpoint: props.endpoint,
    });
    this.ecrRegistry = ecrRegistry({ provider: this.provider, accountId: props.registry.account.id, region: props.registry.region });
    if (props.scanning?.enabled) {
      new RegistryScanningConfiguration(this, 'registry_scanning', {
        registry: this.ecrRegistry,
        scanType: props.scanning.scanType,
        rules: props.scanning.rules,
      });
    }
  }

  /** The registry's key, administered and used by the account's principals from the config. */
  protected createKey(): EcrEncryptionKey {
    return new EcrEncryptionKey(this, 'kms_key', {
      registry: this.ecrRegistry,
      alias: this.props.keys.alias,
      description: keyDescription(this.ecrRegistry.accountId, this.ecrRegistry.region),
      administrators: this.registry.account.keyAdministrators,
      users: this.registry.account.keyUsers,
      deletionWindowInDays: this.props.keys.deletionWindowInDays,
      rotationPeriodInDays: this.props.keys.rotationPeriodInDays,
      preventDestroy: this.props.keys.preventDestroy,
    });
  }

  /** The keys of namespaces with a key of their own (`kms_key_<slug>`), by namespace; each names only its namespace's principals. */
  protected createNamespaceKeys(plans: readonly NamespaceKeyPlan[]): Map<string, EcrEncryptionKey> {
    const keys = new Map<string, EcrEncryptionKey>();
    for (const plan of plans) {
      keys.set(
        plan.namespace,
        new EcrEncryptionKey(this, `kms_key_${plan.slug}`, {
          registry: this.ecrRegistry,
          alias: plan.alias,
          description: namespaceKeyDescription(this.ecrRegistry.accountId, this.ecrRegistry.region, plan.namespace),
          administrators: plan.administrators,
          users: plan.users,
          deletionWindowInDays: this.props.keys.deletionWindowInDays,
          rotationPeriodInDays: this.props.keys.rotationPeriodInDays,
          preventDestroy: this.props.keys.preventDestroy,
        }),
      );
    }
    return keys;
  }

  protected createRepositories(
    key: EcrEncryptionKey,
    namespaceKeys: readonly NamespaceKeyPlan[] = [],
    keys: ReadonlyMap<string, EcrEncryptionKey> = new Map(),
  ): EncryptedRepositories {
    const withLifecycle = this.props.repositories.map((repository) => ({
      ...repository,
      lifecyclePolicy: repository.lifecyclePolicy ?? this.props.defaultLifecyclePolicy,
    }));
    const specs =
      namespaceKeys.length === 0
        ? withLifecycle
        : withLifecycle.map((repository) => {
            const namespace = namespaceKeyOf(repository.name, namespaceKeys)?.namespace;
            return namespace === undefined ? repository : { ...repository, key: keys.get(namespace)! };
          });
    return new EncryptedRepositories(this, 'repositories', {
      registry: this.ecrRegistry,
      key,
      repositories: specs,
      // One teardown switch (keys.preventDestroy): protected, a repository dropped from the config fails the plan
      // instead of being deleted with its images, on any machine; false lets `cdktf destroy` delete them.
      removalPolicy: this.props.keys.preventDestroy ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      removedRepositories: (this.props.retiredRepositories ?? []).map(({ name, removal }) => ({
        name,
        removalPolicy: removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      })),
    });
  }

  /** `namespace_kms_key_arns`: the namespace keys by namespace (read by the guard), only when there are some. */
  protected outputNamespaceKeys(keys: ReadonlyMap<string, EcrEncryptionKey>): void {
    if (keys.size === 0) return;
    this.output(
      'namespace_kms_key_arns',
      Object.fromEntries([...keys].sort(([a], [b]) => (a < b ? -1 : 1)).map(([namespace, key]) => [namespace, key.keyArn])),
      'ARNs of the namespace keys by namespace: each encrypts the repositories and creation templates of its namespace',
    );
  }

  /** Outputs both stack roles share; the source stack's guard reads them from destinations. */
  protected outputRegistry(key: EcrEncryptionKey, repositories: EncryptedRepositories): void {
    this.output('registry_id', this.ecrRegistry.accountId, 'Account id of the registry');
    this.output('region', this.ecrRegistry.region, 'Region of the registry');
    this.output('kms_key_arn', key.keyArn, 'ARN of the customer-managed key that encrypts the repositories');
    this.output('kms_key_alias', key.alias.name, 'Alias of the key');
    this.output('repositories', repositories.attributesByName, 'Repositories by name: arn, url, registry_id, encryption_type and kms_key');
  }

  /** A snake_case output; its construct lives under `outputs/` so names never clash with resources. */
  protected output(name: string, value: unknown, description: string): TerraformOutput {
    const output = new TerraformOutput(this.outputScope, name, { value, description });
    output.overrideLogicalId(name);
    return output;
  }

  private get outputScope(): Construct {
    return (this.node.tryFindChild('outputs') as Construct | undefined) ?? new Construct(this, 'outputs');
  }
}
