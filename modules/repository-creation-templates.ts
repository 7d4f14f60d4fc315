/**
 * Repository creation templates for replication: a repository that
 * replication creates without a pre-created twin (a `PREFIX_MATCH` filter
 * `api` also matches `api-dev`) is still encrypted with the registry's
 * customer-managed key, with immutable tags. ECR assumes a role of ours to
 * create such repositories with KMS.
 */
import { Construct } from 'constructs';
import { IResolvable, TerraformIterator } from 'cdktf';
import { EcrRepositoryCreationTemplate } from '@cdktf/provider-aws/lib/ecr-repository-creation-template';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { creationTemplateRolePolicy, ecrTrustPolicy } from './policies/creation-template-role';
import { renderPolicy } from './policies/policy-document';
import { checkLifecyclePolicy, LifecyclePolicy } from './ecr/lifecycle-policy';
import { replicationFilterProblem } from './ecr/replication-rules';
import { describeKey, EcrEncryptionKey, IEcrEncryptionKey, keyPlacementProblem } from './encryption-key';
import { checkRegistry, describeRegistry, EcrRegistry, RegistryLocation, sameRegistry } from './registry';
import { constructLabel, formatPath, propError, ValuePath } from './validation';

/** The template prefix that covers what a filter replicates: its namespace, or ROOT for names without one. */
export function creationTemplatePrefixFor(filter: string): string {
  const slash = filter.lastIndexOf('/');
  return slash < 0 ? 'ROOT' : filter.slice(0, slash);
}

/** The template prefixes a set of filters needs, each once, sorted. */
export function creationTemplatePrefixes(filters: readonly string[]): string[] {
  return [...new Set(filters.map(creationTemplatePrefixFor))].sort();
}

/** What `CreationTemplateRole` creates. */
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
  /** The `aws_iam_role` resource. */
  readonly role: IamRole;
  /** The registry whose templates use the role. */
  readonly location: RegistryLocation;

  constructor(scope: Construct, id: string, props: CreationTemplateRoleProps) {
    super(scope, id);
    checkRegistry(constructLabel('CreationTemplateRole', this), props.registry);
    this.location = { accountId: props.registry.accountId, region: props.registry.region, partition: props.registry.partition };
    this.role = new IamRole(this, 'Resource', {
      provider: props.registry.provider,
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: renderPolicy(ecrTrustPolicy(props.registry.accountId)),
    });
  }
}

/** What `RepositoryCreationTemplates` creates. */
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
  /** Lifecycle policy of the repositories the templates create (Security Hub ECR.3). @default - none */
  readonly lifecyclePolicy?: LifecyclePolicy;
  /**
   * Settings of individual template prefixes (a namespace's own key, tag mutability, lifecycle policy); a prefix
   * here that no filter derives gets a template too. @default - every template uses `key`, immutable tags, no lifecycle policy
   */
  readonly templates?: readonly CreationTemplateSpec[];
}

/** One template prefix's own settings. */
export interface CreationTemplateSpec {
  /** The template prefix, e.g. `team-a` (repositories `team-a/...`). */
  readonly prefix: string;
  /** A key of the same registry, e.g. the namespace's own. @default - the construct's key */
  readonly key?: IEcrEncryptionKey;
  /** Whether a pushed tag may be overwritten in the repositories this template creates. @default IMMUTABLE */
  readonly imageTagMutability?: 'IMMUTABLE' | 'MUTABLE';
  /** Lifecycle policy of the repositories this template creates. @default - the construct's lifecyclePolicy */
  readonly lifecyclePolicy?: LifecyclePolicy;
}

/**
 * Repository creation templates, one per prefix, for repositories replication
 * creates in a destination registry, with the role ECR assumes to create them.
 */
export class RepositoryCreationTemplates extends Construct {
  /** The `for_each` `aws_ecr_repository_creation_template` resource, keyed by prefix. */
  readonly templates: EcrRepositoryCreationTemplate;
  /** The template prefixes, sorted (`ROOT` for names without a namespace). */
  readonly prefixes: readonly string[];

  /**
   * `{ prefix => { encryption_type, kms_key } }` as a Terraform expression, e.g.
   * for an output that tells another stack how the templates encrypt.
   */
  get attributesByPrefix(): IResolvable {
    return TerraformIterator.fromResources(this.templates).forExpressionForMap(
      'key',
      '{ encryption_type = val.encryption_configuration[0].encryption_type, kms_key = val.encryption_configuration[0].kms_key }',
    );
  }

  constructor(scope: Construct, id: string, props: RepositoryCreationTemplatesProps) {
    super(scope, id);
    const label = constructLabel('RepositoryCreationTemplates', this);
    const { registry, key, role } = props;
    checkRegistry(label, registry);
    const specs = props.templates ?? [];
    const placedKeys: [string, IEcrEncryptionKey][] = [['key', key]];
    specs.forEach((spec, index) => {
      if (spec.key) placedKeys.push([`templates[${index}].key`, spec.key]);
    });
    for (const [prop, candidate] of placedKeys) {
      const problem = keyPlacementProblem(candidate, registry);
      if (problem !== undefined) throw propError(label, prop, describeKey(candidate), problem);
    }
    if (!sameRegistry(role.location, registry)) {
      throw propError(
        label,
        'role',
        role.node.path,
        `must be a role of ${describeRegistry(registry)}, the registry whose templates use it, not of ${describeRegistry(role.location)}: use a CreationTemplateRole of this registry`,
      );
    }
    if (props.replicationFilters.length === 0) throw propError(label, 'replicationFilters', [], 'must hold at least one filter');
    props.replicationFilters.forEach((filter, index) => {
      const problem = replicationFilterProblem(filter);
      if (problem !== undefined) throw propError(label, `replicationFilters[${index}]`, filter, problem);
    });
    const lifecyclePolicies: [ValuePath, LifecyclePolicy | undefined][] = [
      [['lifecyclePolicy'], props.lifecyclePolicy],
      ...specs.map((spec, index): [ValuePath, LifecyclePolicy | undefined] => [['templates', index, 'lifecyclePolicy'], spec.lifecyclePolicy]),
    ];
    for (const [path, policy] of lifecyclePolicies) {
      const [problem] = policy === undefined ? [] : checkLifecyclePolicy(policy);
      if (problem !== undefined) throw propError(label, formatPath([...path, ...problem.path]), problem.absent ? undefined : problem.received, problem.message);
    }
    this.prefixes = [...new Set([...creationTemplatePrefixes(props.replicationFilters), ...specs.map((spec) => spec.prefix)])].sort();
    const keys = [key, ...specs.flatMap((spec) => (spec.key && spec.key !== key ? [spec.key] : []))].filter(
      (candidate, index, all) => all.indexOf(candidate) === index,
    );
    for (const candidate of keys) if (candidate instanceof EcrEncryptionKey) candidate.allowEcrServiceRole(role.role.arn);

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
          additionalKeyArns: keys.slice(1).map((candidate) => candidate.keyArn),
        }),
      ),
    });

    const tags = props.resourceTags && Object.keys(props.resourceTags).length > 0 ? { ...props.resourceTags } : undefined;
    if (specs.length === 0) {
      const prefix = TerraformIterator.fromList([...this.prefixes]);
      this.templates = new EcrRepositoryCreationTemplate(this, 'Resource', {
        provider: registry.provider,
        forEach: prefix,
        prefix: prefix.value,
        appliedFor: ['REPLICATION'],
        description: props.description,
        customRoleArn: role.role.arn,
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: key.keyArn }],
        imageTagMutability: 'IMMUTABLE',
        lifecyclePolicy: props.lifecyclePolicy ? JSON.stringify(props.lifecyclePolicy) : undefined,
        resourceTags: tags,
        dependsOn: [rolePolicy],
      });
      return;
    }
    // Per-prefix settings: a map keyed by prefix, so addresses stay `...creation_templates["team-a"]`.
    const byPrefix = new Map(specs.map((spec) => [spec.prefix, spec]));
    const withLifecycle = props.lifecyclePolicy !== undefined || specs.some((spec) => spec.lifecyclePolicy !== undefined);
    const settings = Object.fromEntries(
      this.prefixes.map((prefix) => {
        const spec = byPrefix.get(prefix);
        return [
          prefix,
          {
            kms_key: (spec?.key ?? key).keyArn,
            image_tag_mutability: spec?.imageTagMutability ?? 'IMMUTABLE',
            ...(withLifecycle ? { lifecycle_policy: lifecyclePolicyText(spec?.lifecyclePolicy ?? props.lifecyclePolicy) } : {}),
          },
        ];
      }),
    );
    const each = TerraformIterator.fromMap(settings);
    this.templates = new EcrRepositoryCreationTemplate(this, 'Resource', {
      provider: registry.provider,
      forEach: each,
      prefix: each.key,
      appliedFor: ['REPLICATION'],
      description: props.description,
      customRoleArn: role.role.arn,
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: each.getString('kms_key') }],
      imageTagMutability: each.getString('image_tag_mutability'),
      // An empty string means none: every value of a for_each map has the same attributes.
      lifecyclePolicy: withLifecycle ? '${each.value.lifecycle_policy == "" ? null : each.value.lifecycle_policy}' : undefined,
      resourceTags: tags,
      dependsOn: [rolePolicy],
    });
  }
}

/** A lifecycle policy as the template's JSON text; an empty string for none (every value of a for_each map has the same attributes). */
function lifecyclePolicyText(policy: LifecyclePolicy | undefined): string {
  return policy ? JSON.stringify(policy) : '';
}
