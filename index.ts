/**
 * The public API of ecr-kms-replication, for CDKTF apps that compose the
 * constructs in their own stacks, and for the app in this repository.
 *
 * Layers, from the bottom: ECR/KMS knowledge (`ecr/`), policies as data
 * (`policies/`), constructs (`modules/`), compliance rules (`compliance/`);
 * then the app: config and deployment plan (`config/`) and stacks (`stacks/`).
 * A layer imports only the layers below it.
 */

// ECR and KMS knowledge.
export * from './modules/ecr/regions';
export * from './modules/ecr/limits';
export * from './modules/ecr/repository-name';
export * from './modules/ecr/lifecycle-policy';
export * from './modules/ecr/replication-rules';
export * from './modules/ecr/namespaces';
export * from './modules/ecr/scanning';

// Policies as data.
export * from './modules/policies/policy-document';
export * from './modules/policies/key-policy';
export * from './modules/policies/registry-policy';
export * from './modules/policies/repository-policy';
export * from './modules/policies/creation-template-role';

// Constructs.
export { type EcrRegistry, type EcrRegistryProps, ecrRegistry, type RegistryLocation, describeRegistry, sameRegistry } from './modules/registry';
export { type AwsEndpoint, ENDPOINT_SERVICES, providerAlias, registryProvider, type RegistryProviderProps } from './modules/aws-provider';
export { EcrEncryptionKey, type EcrEncryptionKeyProps, type IEcrEncryptionKey } from './modules/encryption-key';
export { EncryptedRepositories, type EncryptedRepositoriesProps, type RepositorySpec } from './modules/encrypted-repositories';
export { ReplicationRegistryPolicy, type ReplicationRegistryPolicyProps } from './modules/replication-registry-policy';
export { ReplicationConfiguration, type ReplicationConfigurationProps, type ReplicationDestination } from './modules/replication-configuration';
export {
  CreationTemplateRole,
  type CreationTemplateRoleProps,
  creationTemplatePrefixes,
  creationTemplatePrefixFor,
  type CreationTemplateSpec,
  RepositoryCreationTemplates,
  type RepositoryCreationTemplatesProps,
} from './modules/repository-creation-templates';
export { RegistryScanningConfiguration, type RegistryScanningConfigurationProps, type RegistryScanningRule } from './modules/registry-scanning-configuration';

// Compliance rules, applied at synth by the aspect.
export * from './modules/compliance/compliance-rules';
export { ComplianceAspect } from './modules/compliance/compliance-aspect';

// The app layer: config, deployment plan, stacks.
export { type Config, type ConfigInput, ConfigSchema } from './config/schema';
export { loadConfigFile, parseConfigText, validateConfig, type LoadedConfig } from './config/load';
export { ConfigError, type ConfigProblem, formatProblem } from './config/problems';
export {
  type DeploymentPlan,
  type DestinationRegistryPlan,
  type NamespaceKeyPlan,
  type NamespacePlan,
  planDeployment,
  type Registry,
  type ReplicationRulePlan,
  type SourceRegistryPlan,
  destinationStackName,
  sourceStackName,
} from './config/deployment-plan';
export { buildReplicationStacks, type ReplicationStacks } from './stacks/build-stacks';
export { DestinationStack, type DestinationStackProps } from './stacks/destination-stack';
export { SourceStack, type SourceStackProps } from './stacks/source-stack';
export { RegistryStack, type RegistryStackProps } from './stacks/registry-stack';
export { MAIN_RESOURCE_ID, ReadableAddressStack } from './stacks/readable-address-stack';
