/**
 * A source registry: its key, its repositories, and its one replication
 * configuration, guarded by the destinations' state and applied after them.
 */
import { Construct } from 'constructs';
import { SourceRegistryPlan } from '../config/deployment-plan';
import { providerAlias } from '../modules/aws-provider';
import { EcrEncryptionKey } from '../modules/encryption-key';
import { EncryptedRepositories } from '../modules/encrypted-repositories';
import { ReplicationConfiguration } from '../modules/replication-configuration';
import { DestinationStack } from './destination-stack';
import { RegistryStack, RegistryStackProps } from './registry-stack';
import { destinationReadyPrecondition } from './replication-guard';
import { readStackOutputs } from './state-backend';

export interface SourceStackProps extends Omit<RegistryStackProps, 'registry' | 'repositories'> {
  readonly plan: SourceRegistryPlan;
  /** The stacks of every destination in the plan, applied before this one. */
  readonly destinationStacks: readonly DestinationStack[];
}

export class SourceStack extends RegistryStack {
  readonly plan: SourceRegistryPlan;
  readonly key: EcrEncryptionKey;
  readonly repositories: EncryptedRepositories;
  readonly replication: ReplicationConfiguration;

  constructor(scope: Construct, props: SourceStackProps) {
    super(scope, props.plan.stackName, { ...props, registry: props.plan.registry, repositories: props.plan.repositories });
    this.plan = props.plan;
    this.key = this.createKey();
    this.repositories = this.createRepositories(this.key);

    const names = props.plan.repositories.map((repository) => repository.name);
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
      return destinationReadyPrecondition({ stackName: destination.stackName, outputs }, names);
    });

    this.replication = new ReplicationConfiguration(this, 'replication', {
      registry: this.ecrRegistry,
      rules: props.plan.replicationRules.map((rule) => ({
        destinations: rule.destinations.map((destination) => ({ accountId: destination.account.id, region: destination.region })),
        filters: rule.filters,
      })),
      preconditions,
    });

    this.outputRegistry(this.key, this.repositories);
    this.output(
      'replication_destinations',
      props.plan.destinations.map((destination) => `${destination.registry.account.id}/${destination.registry.region}`),
      'Destination registries (account/region) of the replication configuration',
    );
  }
}
