/**
 * A destination registry: its key, the repositories replication fills (same
 * names as in the sources), the registry policy for other accounts'
 * replication, and creation templates for repositories nobody pre-created.
 * Applied before any source that replicates into it.
 */
import { Construct } from 'constructs';
import { DestinationRegistryPlan } from '../config/deployment-plan';
import { CreationTemplateRole, creationTemplatePrefixes, CreationTemplateSpec, RepositoryCreationTemplates } from '../modules/repository-creation-templates';
import { namespaceKeyOfTemplate } from '../config/namespace-plan';
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
  /** The namespace keys by namespace (`team-a/`). */
  readonly namespaceKeys: ReadonlyMap<string, EcrEncryptionKey>;

  constructor(scope: Construct, props: DestinationStackProps) {
    super(scope, props.plan.stackName, {
      ...props,
      registry: props.plan.registry,
      repositories: props.plan.repositories,
      retiredRepositories: props.plan.retiredRepositories,
    });
    this.plan = props.plan;

    this.key = this.createKey();
    this.namespaceKeys = this.createNamespaceKeys(props.plan.namespaceKeys);
    this.repositories = this.createRepositories(this.key, props.plan.namespaceKeys, this.namespaceKeys);

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
        lifecyclePolicy: props.defaultLifecyclePolicy,
        ...(props.plan.namespaces.length > 0 || props.plan.namespaceKeys.length > 0 ? { templates: this.templateSpecs() } : {}),
      });
    }

    this.outputRegistry(this.key, this.repositories);
    this.output('replication_filters', [...props.plan.replicationFilters], 'PREFIX_MATCH filters that replicate into this registry');
    this.outputNamespaceKeys(this.namespaceKeys);
    if (props.plan.namespaces.length > 0 && this.creationTemplates) {
      this.output(
        'creation_templates',
        this.creationTemplates.attributesByPrefix,
        'Creation templates by prefix: encryption_type and kms_key of the repositories they create (read by the source guard for namespaces)',
      );
    }
  }

  /** Template settings: a namespace's key, tag mutability and lifecycle policy for its prefix. */
  private templateSpecs(): CreationTemplateSpec[] {
    const namespaces = new Map(this.plan.namespaces.map((namespace) => [namespace.templatePrefix, namespace]));
    return creationTemplatePrefixes(this.plan.replicationFilters).flatMap((prefix) => {
      const keyNamespace = namespaceKeyOfTemplate(prefix, this.plan.namespaceKeys)?.namespace;
      const namespace = namespaces.get(prefix);
      if (keyNamespace === undefined && namespace === undefined) return [];
      return [
        {
          prefix,
          ...(keyNamespace !== undefined ? { key: this.namespaceKeys.get(keyNamespace)! } : {}),
          ...(namespace ? { imageTagMutability: namespace.imageTagMutability, lifecyclePolicy: namespace.lifecyclePolicy } : {}),
        },
      ];
    });
  }
}
