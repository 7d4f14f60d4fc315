/**
 * Base of every stack: bound to one registry (account + region), with its
 * aliased provider, its state backend, readable Terraform addresses, and the
 * registry's customer-managed key and encrypted repositories.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { BackendConfig, EndpointConfig, KeysConfig, RepositoryConfig } from '../config/schema';
import { Registry } from '../config/deployment-plan';
import { registryProvider } from '../modules/aws-provider';
import { EcrEncryptionKey } from '../modules/encryption-key';
import { EncryptedRepositories } from '../modules/encrypted-repositories';
import { EcrRegistry, ecrRegistry } from '../modules/registry';
import { DEPLOY_SESSION_NAME, keyDescription } from './resource-names';
import { ReadableAddressStack } from './readable-address-stack';
import { useStateBackend } from './state-backend';

export interface RegistryStackProps {
  readonly registry: Registry;
  readonly repositories: readonly RepositoryConfig[];
  readonly keys: KeysConfig;
  /** Default tags of the provider. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  readonly backend: BackendConfig;
  /** @default - real AWS endpoints */
  readonly endpoint?: EndpointConfig;
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
    this.provider = registryProvider(this, {
      accountName: props.registry.accountName,
      accountId: props.registry.account.id,
      region: props.registry.region,
      deployRoleArn: props.registry.account.deployRoleArn,
      sessionName: DEPLOY_SESSION_NAME,
      defaultTags: props.tags,
      endpoint: props.endpoint,
    });
    this.ecrRegistry = ecrRegistry({ provider: this.provider, accountId: props.registry.account.id, region: props.registry.region });
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
    });
  }

  protected createRepositories(key: EcrEncryptionKey): EncryptedRepositories {
    return new EncryptedRepositories(this, 'repositories', {
      registry: this.ecrRegistry,
      key,
      repositories: this.props.repositories,
    });
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
