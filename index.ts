/**
 * The app layer's programmatic entry, published as `ecr-kms-replication/app`:
 * config loading and validation, the deployment plan and the stacks that the
 * command line builds on. It loads zod and yaml (the config parser); the
 * constructs, rules and policies are the package root (`ecr-kms-replication`,
 * modules/index.ts), which loads neither, so a CDKTF app that only composes
 * constructs never pays for the config layer.
 */
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
