/**
 * The library: what a CDKTF app imports from `ecr-kms-replication` to compose
 * KMS-encrypted, replicated ECR registries in its own stacks. It depends only
 * on its peers (cdktf, constructs, @cdktf/provider-aws): nothing here loads
 * the app's config parser, the command line or the AWS SDK.
 *
 * Layers, from the bottom: ECR/KMS knowledge (`ecr/`), policies as data
 * (`policies/`), constructs (this folder), compliance rules (`compliance/`).
 */

// ECR and KMS knowledge.
export * from './ecr/regions';
export * from './ecr/principals';
export * from './ecr/kms-alias';
export * from './ecr/kms-key-options';
export * from './ecr/limits';
export * from './ecr/repository-name';
export * from './ecr/lifecycle-policy';
export * from './ecr/replication-rules';
export * from './ecr/namespaces';
export * from './ecr/scanning';

// Policies as data.
export * from './policies/policy-document';
export * from './policies/key-policy';
export * from './policies/registry-policy';
export * from './policies/repository-policy';
export * from './policies/creation-template-role';

// Constructs.
export { type EcrRegistry, type EcrRegistryProps, ecrRegistry, type RegistryLocation, describeRegistry, sameRegistry } from './registry';
export { type AwsEndpoint, ENDPOINT_SERVICES, providerAlias, registryProvider, type RegistryProviderProps } from './aws-provider';
export { EcrEncryptionKey, type EcrEncryptionKeyProps, type IEcrEncryptionKey, keyPlacementProblem } from './encryption-key';
export {
  EncryptedRepositories,
  type EncryptedRepositoriesProps,
  type ExistingRepositoryProps,
  type IEcrRepository,
  type IEncryptedRepository,
  type RemovedRepository,
  type RepositorySpec,
} from './encrypted-repositories';
export { RemovalPolicy } from './removal-policy';
export { ReplicationRegistryPolicy, type ReplicationRegistryPolicyProps } from './replication-registry-policy';
export { ReplicationConfiguration, type ReplicationConfigurationProps, type ReplicationDestination } from './replication-configuration';
export {
  CreationTemplateRole,
  type CreationTemplateRoleProps,
  creationTemplatePrefixes,
  creationTemplatePrefixFor,
  type CreationTemplateSpec,
  RepositoryCreationTemplates,
  type RepositoryCreationTemplatesProps,
} from './repository-creation-templates';
export {
  RegistryScanningConfiguration,
  type RegistryScanningConfigurationProps,
  type RegistryScanningRule,
  type ScanFrequency,
  type ScanType,
} from './registry-scanning-configuration';

// Compliance rules, applied at synth by the aspect.
export * from './compliance/compliance-rules';
export { ComplianceAspect } from './compliance/compliance-aspect';
export { ComplianceSuppressions } from './compliance/compliance-suppressions';
export { type ComplianceSuppression, recordedSuppressions, suppressionOf, SUPPRESSIONS_COMMENT_KEY } from './compliance/suppression';
