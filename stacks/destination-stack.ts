/**
 * A destination registry: its key, the repositories replication fills (same
 * names as in the sources), the registry policy for other accounts'
 * replication, and creation templates for repositories nobody pre-created.
 * Applied before any source that replicates into it.
 */
import { Construct } from 'constructs';
import { DestinationRegistryPlan } from '../config/deployment-plan';
import { CreationTemplateRole, RepositoryCreationTemplates } from '../modules/repository-creation-templates';
import { ReplicationRegistryPolicy } from '../modules/replication-registry-policy';
import { EcrEncryptionKey } from '../modules/encryption-key';
import { EncryptedRepositories } from '../modules/encrypted-repositories';
import { RegistryStack, RegistryStackProps } from './registry-stack';
import { CREATION_TEMPLATE_DESCRIPTION, creationTemplateRoleDescription, creationTemplateRoleName } from './resource-names';

export interface DestinationStackProps extends Omit<RegistryStackProps, 'registry' | 'repositories'> {
  readonly plan: DestinationRegistryPlan;
}

export class DestinationStack extends RegistryStack {
  readonly plan: DestinationRegistryPlan;
  readonly key: EcrEncryptionKey;
  readonly repositories: EncryptedRepositories;
  readonly registryPolicy?: ReplicationRegistryPolicy;
  readonly creationTemplates?: RepositoryCreationTemplates;

  constructor(scope: Construct, props: DestinationStackProps) {
    super(scope, props.plan.stackName, { ...props, registry: props.plan.registry, repositories: props.plan.repositories });
    this.plan = props.plan;

    this.key = this.createKey();
    this.repositories = this.createRepositories(this.key);

    if (props.plan.crossAccountSources.length > 0) {
      this.registryPolicy = new ReplicationRegistryPolicy(this, 'registry_policy', {
        registry: this.ecrRegistry,
        sources: props.plan.crossAccountSources.map((source) => ({
          name: source.accountName,
          accountId: source.account.id,
          replicationFilters: source.replicationFilters,
        })),
      });
    }
    if (props.plan.repositoryCreationTemplates) {
      const region = this.ecrRegistry.region;
      this.creationTemplates = new RepositoryCreationTemplates(this, 'creation_templates', {
        registry: this.ecrRegistry,
        key: this.key,
        role: new CreationTemplateRole(this, 'creation_template_role', {
          registry: this.ecrRegistry,
          roleName: creationTemplateRoleName(region),
          description: creationTemplateRoleDescription(region),
        }),
        replicationFilters: props.plan.replicationFilters,
        description: CREATION_TEMPLATE_DESCRIPTION,
        resourceTags: props.tags,
      });
    }

    this.outputRegistry(this.key, this.repositories);
    this.output('replication_filters', [...props.plan.replicationFilters], 'PREFIX_MATCH filters that replicate into this registry');
  }
}
