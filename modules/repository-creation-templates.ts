/**
 * Repository creation templates for replication: a repository that
 * replication creates without a pre-created twin (a `PREFIX_MATCH` filter
 * `api` also matches `api-dev`) is still encrypted with the registry's
 * customer-managed key, with immutable tags. ECR assumes a role of ours to
 * create such repositories with KMS.
 */
import { Construct } from 'constructs';
import { TerraformIterator, TerraformProvider } from 'cdktf';
import { EcrRepositoryCreationTemplate } from '@cdktf/provider-aws/lib/ecr-repository-creation-template';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { creationTemplateRolePolicy, ecrTrustPolicy } from '../policies/creation-template-role';
import { renderPolicy } from '../policies/policy-document';
import { EcrEncryptionKey } from './encryption-key';
import { describeRegistry, RegistryLocation } from './registry';

/** The template prefix that covers what a filter replicates: its namespace, or ROOT for names without one. */
export function creationTemplatePrefixFor(filter: string): string {
  const slash = filter.lastIndexOf('/');
  return slash < 0 ? 'ROOT' : filter.slice(0, slash);
}

export function creationTemplatePrefixes(filters: readonly string[]): string[] {
  return [...new Set(filters.map(creationTemplatePrefixFor))].sort();
}

/** The default name of the role ECR assumes for a region's templates (IAM names are per account, so per region). */
export function creationTemplateRoleName(region: string): string {
  return `ecr-replication-templates-${region}`;
}

export interface CreationTemplateRoleProps {
  readonly provider: TerraformProvider;
  readonly location: RegistryLocation;
  /** @default ecr-replication-templates-<region> */
  readonly roleName?: string;
}

/** The role ECR assumes for the templates. Separate from the templates so the key policy can name it. */
export class CreationTemplateRole extends Construct {
  readonly role: IamRole;
  readonly location: RegistryLocation;

  constructor(scope: Construct, id: string, props: CreationTemplateRoleProps) {
    super(scope, id);
    this.location = props.location;
    this.role = new IamRole(this, 'Resource', {
      provider: props.provider,
      name: props.roleName ?? creationTemplateRoleName(props.location.region),
      description: `Assumed by ECR to create replicated repositories encrypted with the registry key in ${props.location.region}`,
      assumeRolePolicy: renderPolicy(ecrTrustPolicy(props.location.accountId)),
    });
  }
}

export interface RepositoryCreationTemplatesProps {
  readonly provider: TerraformProvider;
  readonly location: RegistryLocation;
  readonly key: EcrEncryptionKey;
  readonly role: CreationTemplateRole;
  /** The `PREFIX_MATCH` filters that replicate into this registry. */
  readonly replicationFilters: readonly string[];
  /** Tags for the repositories the templates create. @default {} */
  readonly resourceTags?: Readonly<Record<string, string>>;
}

export class RepositoryCreationTemplates extends Construct {
  readonly templates: EcrRepositoryCreationTemplate;
  readonly prefixes: readonly string[];

  constructor(scope: Construct, id: string, props: RepositoryCreationTemplatesProps) {
    super(scope, id);
    for (const [what, location] of [
      ['key', props.key.location],
      ['role', props.role.location],
    ] as const) {
      if (location.accountId !== props.location.accountId || location.region !== props.location.region) {
        throw new Error(`RepositoryCreationTemplates ${id}: the ${what} must belong to ${describeRegistry(props.location)}, not ${describeRegistry(location)}`);
      }
    }
    if (props.replicationFilters.length === 0) throw new Error(`RepositoryCreationTemplates ${id}: replicationFilters must hold at least one filter`);
    this.prefixes = creationTemplatePrefixes(props.replicationFilters);

    const rolePolicy = new IamRolePolicy(this, 'role_policy', {
      provider: props.provider,
      name: 'create-replicated-repositories',
      role: props.role.role.name,
      policy: renderPolicy(
        creationTemplateRolePolicy({
          partition: props.location.partition,
          region: props.location.region,
          accountId: props.location.accountId,
          replicationFilters: props.replicationFilters,
          keyArn: props.key.arn,
        }),
      ),
    });

    const prefix = TerraformIterator.fromList([...this.prefixes]);
    const tags = props.resourceTags && Object.keys(props.resourceTags).length > 0 ? { ...props.resourceTags } : undefined;
    this.templates = new EcrRepositoryCreationTemplate(this, 'Resource', {
      provider: props.provider,
      forEach: prefix,
      prefix: prefix.value,
      appliedFor: ['REPLICATION'],
      description: 'Replicated repositories: encrypted with the registry key, immutable tags (ecr-kms-replication)',
      customRoleArn: props.role.role.arn,
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.key.arn }],
      imageTagMutability: 'IMMUTABLE',
      resourceTags: tags,
      dependsOn: [rolePolicy],
    });
  }
}
