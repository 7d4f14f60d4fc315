/**
 * Repository creation templates for replication: a repository that
 * replication creates without a pre-created twin (a `PREFIX_MATCH` filter
 * `api` also matches `api-dev`) is still encrypted with the registry's
 * customer-managed key, with immutable tags. ECR assumes a role of ours to
 * create such repositories with KMS.
 */
import { Construct } from 'constructs';
import { TerraformIterator } from 'cdktf';
import { EcrRepositoryCreationTemplate } from '@cdktf/provider-aws/lib/ecr-repository-creation-template';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { creationTemplateRolePolicy, ecrTrustPolicy } from '../policies/creation-template-role';
import { renderPolicy } from '../policies/policy-document';
import { EcrEncryptionKey, IEcrEncryptionKey } from './encryption-key';
import { describeRegistry, EcrRegistry, RegistryLocation, sameRegistry } from './registry';

/** The template prefix that covers what a filter replicates: its namespace, or ROOT for names without one. */
export function creationTemplatePrefixFor(filter: string): string {
  const slash = filter.lastIndexOf('/');
  return slash < 0 ? 'ROOT' : filter.slice(0, slash);
}

export function creationTemplatePrefixes(filters: readonly string[]): string[] {
  return [...new Set(filters.map(creationTemplatePrefixFor))].sort();
}

export interface CreationTemplateRoleProps {
  /** The destination registry whose templates use the role. */
  readonly registry: EcrRegistry;
  /** The role's name; IAM names are per account, so include the region when one account has several registries. */
  readonly roleName: string;
  /** The role's description. */
  readonly description: string;
}

/** The role ECR assumes for the templates. Separate from the templates so the key policy can name it. */
export class CreationTemplateRole extends Construct {
  readonly role: IamRole;
  readonly location: RegistryLocation;

  constructor(scope: Construct, id: string, props: CreationTemplateRoleProps) {
    super(scope, id);
    this.location = { accountId: props.registry.accountId, region: props.registry.region, partition: props.registry.partition };
    this.role = new IamRole(this, 'Resource', {
      provider: props.registry.provider,
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: renderPolicy(ecrTrustPolicy(props.registry.accountId)),
    });
  }
}

export interface RepositoryCreationTemplatesProps {
  /** The destination registry. */
  readonly registry: EcrRegistry;
  /**
   * The key replicated repositories are encrypted with, in the registry's
   * account and region. An `EcrEncryptionKey` gets a statement for the role
   * in its policy; an imported key's policy must already allow the role.
   */
  readonly key: IEcrEncryptionKey;
  /** The role ECR assumes to create the repositories. */
  readonly role: CreationTemplateRole;
  /** The `PREFIX_MATCH` filters that replicate into this registry. */
  readonly replicationFilters: readonly string[];
  /** The templates' description. */
  readonly description: string;
  /** Tags for the repositories the templates create. @default {} */
  readonly resourceTags?: Readonly<Record<string, string>>;
}

export class RepositoryCreationTemplates extends Construct {
  readonly templates: EcrRepositoryCreationTemplate;
  readonly prefixes: readonly string[];

  constructor(scope: Construct, id: string, props: RepositoryCreationTemplatesProps) {
    super(scope, id);
    const { registry, key, role } = props;
    for (const [what, location] of [
      ['key', key.location],
      ['role', role.location],
    ] as const) {
      if (location !== undefined && !sameRegistry(location, registry)) {
        throw new Error(`RepositoryCreationTemplates ${id}: the ${what} must belong to ${describeRegistry(registry)}, not ${describeRegistry(location)}`);
      }
    }
    if (props.replicationFilters.length === 0) throw new Error(`RepositoryCreationTemplates ${id}: replicationFilters must hold at least one filter`);
    this.prefixes = creationTemplatePrefixes(props.replicationFilters);
    if (key instanceof EcrEncryptionKey) key.allowEcrServiceRole(role.role.arn);

    const rolePolicy = new IamRolePolicy(this, 'role_policy', {
      provider: registry.provider,
      name: 'create-replicated-repositories',
      role: role.role.name,
      policy: renderPolicy(
        creationTemplateRolePolicy({
          partition: registry.partition,
          region: registry.region,
          accountId: registry.accountId,
          replicationFilters: props.replicationFilters,
          keyArn: key.keyArn,
        }),
      ),
    });

    const prefix = TerraformIterator.fromList([...this.prefixes]);
    const tags = props.resourceTags && Object.keys(props.resourceTags).length > 0 ? { ...props.resourceTags } : undefined;
    this.templates = new EcrRepositoryCreationTemplate(this, 'Resource', {
      provider: registry.provider,
      forEach: prefix,
      prefix: prefix.value,
      appliedFor: ['REPLICATION'],
      description: props.description,
      customRoleArn: role.role.arn,
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: key.keyArn }],
      imageTagMutability: 'IMMUTABLE',
      resourceTags: tags,
      dependsOn: [rolePolicy],
    });
  }
}
