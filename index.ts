/**
 * The app's programmatic entry: the library (modules/index.ts) and the app
 * layer (config, deployment plan, stacks) that the command line builds on.
 */

export * from './modules';

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
