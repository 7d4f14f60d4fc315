/**
 * A source registry: its key, its repositories, and its one replication
 * configuration, guarded by the destinations' state and applied after them.
 * A registry that is also a destination keeps its key(s), repositories and
 * registry policy in its destination stack (`registryStack`); its source stack
 * then holds only the replication configuration and the guard.
 */
import { Construct } from 'constructs';
import { SourceRegistryPlan } from '../config/deployment-plan';
import { providerAlias } from '../modules/aws-provider';
import { EcrEncryptionKey } from '../modules/encryption-key';
import { EncryptedRepositories } from '../modules/encrypted-repositories';
import { ReplicationConfiguration } from '../modules/replication-configuration';
import { DestinationStack } from './destination-stack';
import { RegistryStack, RegistryStackProps } from './registry-stack';
import { destinationReadyPrecondition, GuardExpectations } from './replication-guard';
import { namespaceKeyOf, namespaceKeyOfTemplate } from '../config/namespace-plan';
import { creationTemplatePrefixOfNamespace, namespaceMembership } from '../modules/ecr/namespaces';
import { DestinationRegistryPlan } from '../config/deployment-plan';
import { readStackOutputs } from './state-backend';

export interface SourceStackProps extends Omit<RegistryStackProps, 'registry' | 'repositories'> {
  readonly plan: SourceRegistryPlan;
  /** The stacks of every destination in the plan, applied before this one. */
  readonly destinationStacks: readonly DestinationStack[];
  /** When the registry is also a destination: its destination stack, which holds its key(s) and repositories. */
  readonly registryStack?: DestinationStack;
}

export class SourceStack extends RegistryStack {
  readonly plan: SourceRegistryPlan;
  /** The registry's key and repositories: undefined when the registry's destination stack holds them. */
  readonly key?: EcrEncryptionKey;
  readonly repositories?: EncryptedRepositories;
  readonly namespaceKeys: ReadonlyMap<string, EcrEncryptionKey>;
  readonly replication: ReplicationConfiguration;

  constructor(scope: Construct, props: SourceStackProps) {
    super(scope, props.plan.stackName, {
      ...props,
      // A registry has one scanning configuration: a registry in both roles gets it from its destination stack.
      scanning: props.plan.registryStackName === undefined ? props.scanning : undefined,
      registry: props.plan.registry,
      repositories: props.plan.repositories,
      retiredRepositories: props.plan.retiredRepositories,
    });
    this.plan = props.plan;
    if (props.plan.registryStackName !== undefined) {
      if (props.registryStack?.stackName !== props.plan.registryStackName) {
        throw new Error(`SourceStack ${props.plan.stackName}: the registry's destination stack ${props.plan.registryStackName} was not given`);
      }
      this.addDependency(props.registryStack);
      this.namespaceKeys = new Map();
    } else {
      this.key = this.createKey();
      this.namespaceKeys = this.createNamespaceKeys(props.plan.namespaceKeys);
      this.repositories = this.createRepositories(this.key, props.plan.namespaceKeys, this.namespaceKeys);
    }

    const inReplicatedNamespace = namespaceMembership(props.plan.namespaces);
    // Namespace-covered names are not pre-created in destinations: their creation templates are checked instead.
    const names = props.plan.repositories.map((repository) => repository.name).filter((name) => !inReplicatedNamespace(name));
    const preconditions = props.plan.destinations.map((destination) => {
      const stack = props.destinationStacks.find((candidate) => candidate.stackName === destination.stackName);
      if (!stack) throw new Error(`SourceStack ${props.plan.stackName}: no stack was given for destination ${destination.stackName}`);
      this.addDependency(stack);
      const { outputs } = readStackOutputs(
        this,
        `destination_${providerAlias(destination.registry.accountName, destination.registry.region)}`,
        destination.stackName,
        props.backend,
        props.endpoint,
      );
      const { defaultKeyNames, expectations } = guardExpectations(destination, names, props.plan.namespaces);
      return destinationReadyPrecondition({ stackName: destination.stackName, outputs }, defaultKeyNames, expectations);
    });

    this.replication = new ReplicationConfiguration(this, 'replication', {
      registry: this.ecrRegistry,
      rules: props.plan.replicationRules.map((rule) => ({
        destinations: rule.destinations.map((destination) => ({ accountId: destination.account.id, region: destination.region })),
        filters: rule.filters,
      })),
      preconditions,
    });

    if (this.key && this.repositories) this.outputRegistry(this.key, this.repositories);
    else {
      this.output('registry_id', this.ecrRegistry.accountId, 'Account id of the registry');
      this.output('region', this.ecrRegistry.region, 'Region of the registry');
    }
    this.outputNamespaceKeys(this.namespaceKeys);
    this.output(
      'replication_destinations',
      props.plan.destinations.map((destination) => `${destination.registry.account.id}/${destination.registry.region}`),
      'Destination registries (account/region) of the replication configuration',
    );
  }
}

/** What the guard checks in one destination: registry-key repositories, namespace-key repositories, namespace templates. */
function guardExpectations(
  destination: DestinationRegistryPlan,
  names: readonly string[],
  namespaces: readonly string[],
): { defaultKeyNames: string[]; expectations: GuardExpectations } {
  const keys = destination.namespaceKeys;
  const defaultKeyNames: string[] = [];
  const byKeyNamespace = new Map<string, string[]>();
  for (const name of names) {
    const namespace = namespaceKeyOf(name, keys)?.namespace;
    if (namespace === undefined) defaultKeyNames.push(name);
    else byKeyNamespace.set(namespace, [...(byKeyNamespace.get(namespace) ?? []), name]);
  }
  const templates = namespaces.map((namespace) => {
    const prefix = creationTemplatePrefixOfNamespace(namespace);
    const keyNamespace = namespaceKeyOfTemplate(prefix, keys)?.namespace;
    return keyNamespace === undefined ? { prefix } : { prefix, keyNamespace };
  });
  return {
    defaultKeyNames,
    expectations: {
      ...(byKeyNamespace.size > 0 ? { repositoriesByKeyNamespace: byKeyNamespace } : {}),
      ...(templates.length > 0 ? { templates } : {}),
    },
  };
}
