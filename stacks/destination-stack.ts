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

    const templateRole = props.plan.repositoryCreationTemplates
      ? new CreationTemplateRole(this, 'creation_template_role', { provider: this.provider, location: this.location })
      : undefined;
    this.key = this.createKey(templateRole ? [templateRole.role.arn] : []);
    this.repositories = this.createRepositories(this.key);

    if (props.plan.crossAccountSources.length > 0) {
      this.registryPolicy = new ReplicationRegistryPolicy(this, 'registry_policy', {
        provider: this.provider,
        location: this.location,
        sources: props.plan.crossAccountSources.map((source) => ({
          name: source.accountName,
          accountId: source.account.id,
          replicationFilters: source.replicationFilters,
        })),
      });
    }
    if (templateRole) {
      this.creationTemplates = new RepositoryCreationTemplates(this, 'creation_templates', {
        provider: this.provider,
        location: this.location,
        key: this.key,
        role: templateRole,
        replicationFilters: props.plan.replicationFilters,
        resourceTags: props.tags,
      });
    }

    this.outputRegistry(this.key, this.repositories);
    this.output('replication_filters', [...props.plan.replicationFilters], 'PREFIX_MATCH filters that replicate into this registry');
  }
}
