/**
 * ECR repositories encrypted with a customer-managed key of their own account
 * and region, scanned on push, immutable tags by default, with optional
 * lifecycle and repository policies.
 *
 * One `for_each` resource keyed by repository name: addresses are
 * `aws_ecr_repository.<id>["team-a/api"]`, stable when repositories are added
 * or removed, and synth cost stays flat as the registry grows. Each
 * repository has a handle (`repository(name)`) whose attributes are indexed
 * references to its own instance, and grants (`grantPull`, `grantPush`) that
 * add repository-policy statements.
 */
import { Construct } from 'constructs';
import { IResolvable, Lazy, ref, TerraformIterator, TerraformResource, TerraformStack, Token } from 'cdktf';
import { EcrLifecyclePolicy, EcrLifecyclePolicyConfig } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy, EcrRepositoryPolicyConfig } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { checkLifecyclePolicy, LifecyclePolicy } from './ecr/lifecycle-policy';
import { renderPolicy } from './policies/policy-document';
import { repositoryAccessPolicy } from './policies/repository-policy';
import { firstDuplicate } from './ecr/limits';
import { arnPartitionProblem, principalArnProblem } from './ecr/principals';
import { ecrRepositoryArn, ecrRepositoryUrl } from './ecr/regions';
import { duplicateRepositoryNameRule, repositoryNameProblem } from './ecr/repository-name';
import { describeKey, IEcrEncryptionKey, keyPlacementProblem } from './encryption-key';
import { checkRegistry, EcrRegistry } from './registry';
import { RemovalPolicy, retireInstances } from './removal-policy';
import { didYouMean } from './suggest';
import { constructLabel, formatPath, propError } from './validation';

/** One repository of an `EncryptedRepositories`. */
export interface RepositorySpec {
  /** The repository name, e.g. `team-a/api` (ECR's name rules: 2 to 256 characters, lowercase segments). */
  readonly name: string;
  /** Whether a pushed tag may be overwritten. @default IMMUTABLE */
  readonly imageTagMutability?: 'IMMUTABLE' | 'MUTABLE';
  /** Scan each image for vulnerabilities when it is pushed. @default true */
  readonly scanOnPush?: boolean;
  /** The repository's lifecycle policy, checked against ECR's lifecycle-policy rules at synth. @default - no lifecycle policy */
  readonly lifecyclePolicy?: LifecyclePolicy;
  /** IAM principals (ARNs, no wildcards) the repository policy lets pull images; `grantPull` adds more. @default [] */
  readonly pullPrincipals?: readonly string[];
  /** IAM principals (ARNs, no wildcards) the repository policy lets push images; `grantPush` adds more. @default [] */
  readonly pushPrincipals?: readonly string[];
  /** Another key of the same registry for this repository (e.g. a namespace's own key). @default - the construct's key */
  readonly key?: IEcrEncryptionKey;
}

/** A repository taken out of `repositories`, and what becomes of it. */
export interface RemovedRepository {
  /** The repository's name, as it was listed in `repositories`. */
  readonly name: string;
  /** RETAIN: Terraform forgets it and AWS keeps it and its images; DESTROY: Terraform deletes it. @default - the construct's removalPolicy */
  readonly removalPolicy?: RemovalPolicy;
}

/** What `EncryptedRepositories` creates. */
export interface EncryptedRepositoriesProps {
  /** The registry the repositories live in; the key must be in the same account and region. */
  readonly registry: EcrRegistry;
  /** The customer-managed key that encrypts every repository. */
  readonly key: IEcrEncryptionKey;
  /** The repositories, each name once. */
  readonly repositories: readonly RepositorySpec[];
  /**
   * Delete a repository even when it holds images. Off, a repository with
   * images cannot be destroyed by Terraform.
   * @default false
   */
  readonly forceDelete?: boolean;
  /**
   * What becomes of a repository that leaves `repositories`. RETAIN also sets
   * Terraform's `prevent_destroy` on the repositories, so a repository dropped
   * from the list without being named in `removedRepositories` fails the plan
   * instead of being deleted (so does a change that would replace one: its
   * encryption cannot change). DESTROY lets Terraform delete a dropped
   * repository (ECR refuses while it holds images, unless `forceDelete`).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Repositories taken out of `repositories`: Terraform cannot tell what left a
   * `for_each` unless told. Each is moved out of the `for_each` and removed
   * (forgotten under RETAIN, with its lifecycle and repository policies;
   * destroyed under DESTROY). Keep an entry until every stack that held the
   * repository has been applied; it is a no-op after that.
   * @default []
   */
  readonly removedRepositories?: readonly RemovedRepository[];
}

/** An ECR repository: its name and the attributes other resources and outputs refer to. */
export interface IEcrRepository {
  /** The repository's name. */
  readonly repositoryName: string;
  /** `arn:<partition>:ecr:<region>:<account>:repository/<name>`. */
  readonly repositoryArn: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: what `docker push` and `docker pull` use. */
  readonly repositoryUrl: string;
  /** The account id of the registry that holds the repository. */
  readonly registryId: string;
}

/**
 * A repository this construct manages. Its attributes are references to its
 * own instance of the `for_each` resource
 * (`aws_ecr_repository.repositories["team-a/api"].repository_url`), so using
 * one makes Terraform create the repository first.
 */
export interface IEncryptedRepository extends IEcrRepository {
  /**
   * Lets `principalArn` pull images: a repository-policy statement with
   * `ecr:BatchCheckLayerAvailability`, `ecr:BatchGetImage` and
   * `ecr:GetDownloadUrlForLayer` (aws-cdk's `grantPull`). The principal also
   * needs `ecr:GetAuthorizationToken` in its own IAM policy (a repository
   * policy cannot grant it).
   */
  grantPull(principalArn: string): void;
  /**
   * Lets `principalArn` push images: a repository-policy statement with
   * `ecr:BatchCheckLayerAvailability`, `ecr:CompleteLayerUpload`,
   * `ecr:InitiateLayerUpload`, `ecr:PutImage` and `ecr:UploadLayerPart`
   * (aws-cdk's `grantPush`; it does not include pulling).
   */
  grantPush(principalArn: string): void;
}

/** What `EncryptedRepositories.fromRepositoryName` needs to describe an existing repository. */
export interface ExistingRepositoryProps {
  /** The registry that holds the repository: ARN and URL are computed from its partition, account and region. */
  readonly registry: EcrRegistry;
  /** The repository's name. */
  readonly repositoryName: string;
}

interface RepositorySettings {
  readonly image_tag_mutability: string;
  readonly scan_on_push: boolean;
  /** Only when some repository overrides the key: the value stays as before for configurations without overrides. */
  kms_key?: string;
}

/** Who a repository's policy lets pull and push. */
interface RepositoryAccess {
  readonly pull: string[];
  readonly push: string[];
}

/** Terraform's `for_each` over an empty map gives no instances: such a resource is left out of the output altogether. */
function omittedWhileEmpty<T extends TerraformResource>(resource: T, isEmpty: () => boolean): T {
  const toTerraform = resource.toTerraform.bind(resource);
  const toHclTerraform = resource.toHclTerraform.bind(resource);
  const toMetadata = resource.toMetadata.bind(resource);
  resource.toTerraform = () => (isEmpty() ? {} : toTerraform());
  resource.toHclTerraform = () => (isEmpty() ? {} : toHclTerraform());
  resource.toMetadata = () => (isEmpty() ? {} : toMetadata());
  return resource;
}

const byName = (left: string, right: string): number => (left < right ? -1 : left > right ? 1 : 0);

/** KMS-encrypted ECR repositories of one registry, one `for_each` resource keyed by name. */
export class EncryptedRepositories extends Construct {
  /**
   * An existing repository, by name: ARN and URL are computed from the
   * registry's partition, account and region (as aws-cdk does); nothing is
   * created. Its policy is not managed here (a repository has one policy, and
   * writing it would replace the existing one), so the handle has no grants.
   */
  static fromRepositoryName(scope: Construct, id: string, props: ExistingRepositoryProps): IEcrRepository {
    const handle = new Construct(scope, id);
    const label = constructLabel('EncryptedRepositories.fromRepositoryName', handle);
    checkRegistry(label, props.registry);
    const { registry, repositoryName } = props;
    if (!Token.isUnresolved(repositoryName)) {
      const problem = repositoryNameProblem(repositoryName);
      if (problem !== undefined) throw propError(label, 'repositoryName', repositoryName, problem);
    }
    return {
      repositoryName,
      repositoryArn: ecrRepositoryArn(registry.partition, registry.region, registry.accountId, repositoryName),
      repositoryUrl: ecrRepositoryUrl(registry.region, registry.accountId, repositoryName),
      registryId: registry.accountId,
    };
  }

  /** The `for_each` repository resource, keyed by repository name. */
  readonly repositories: EcrRepository;
  /** The names of the managed repositories, sorted. */
  readonly names: readonly string[];
  private readonly label: string;
  private readonly registry: EcrRegistry;
  private readonly access = new Map<string, RepositoryAccess>();
  private readonly handles = new Map<string, IEncryptedRepository>();

  constructor(scope: Construct, id: string, props: EncryptedRepositoriesProps) {
    super(scope, id);
    this.label = constructLabel('EncryptedRepositories', this);
    const { key, registry } = props;
    this.registry = registry;
    checkRegistry(this.label, registry);
    const keys: [string, IEcrEncryptionKey][] = [['key', key]];
    props.repositories.forEach((repository, index) => {
      if (repository.key) keys.push([`repositories[${index}].key`, repository.key]);
    });
    for (const [prop, candidate] of keys) {
      const problem = keyPlacementProblem(candidate, registry);
      if (problem !== undefined) throw propError(this.label, prop, describeKey(candidate), problem);
    }
    const overridesKey = props.repositories.some((repository) => repository.key !== undefined);
    const names = props.repositories.map((repository) => repository.name);
    names.forEach((name, index) => {
      const problem = Token.isUnresolved(name) ? undefined : repositoryNameProblem(name);
      if (problem !== undefined) throw propError(this.label, `repositories[${index}].name`, name, problem);
    });
    const duplicate = firstDuplicate(names);
    if (duplicate !== undefined) {
      throw propError(this.label, `repositories[${duplicate.index}].name`, duplicate.name, duplicateRepositoryNameRule(duplicate.firstIndex));
    }
    props.repositories.forEach((repository, index) => {
      if (repository.lifecyclePolicy === undefined) return;
      const [problem] = checkLifecyclePolicy(repository.lifecyclePolicy);
      if (problem !== undefined) {
        const path = formatPath(['repositories', index, 'lifecyclePolicy', ...problem.path]);
        throw propError(this.label, path, problem.absent ? undefined : problem.received, problem.message);
      }
    });
    const removed = props.removedRepositories ?? [];
    this.checkRemoved(removed, names);
    this.names = [...names].sort(byName);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const settings: Record<string, RepositorySettings> = {};
    const lifecyclePolicies: Record<string, string> = {};
    for (const repository of [...props.repositories].sort((a, b) => byName(a.name, b.name))) {
      settings[repository.name] = {
        image_tag_mutability: repository.imageTagMutability ?? 'IMMUTABLE',
        scan_on_push: repository.scanOnPush ?? true,
      };
      if (overridesKey) settings[repository.name].kms_key = (repository.key ?? key).keyArn;
      if (repository.lifecyclePolicy) lifecyclePolicies[repository.name] = JSON.stringify(repository.lifecyclePolicy);
      this.access.set(repository.name, { pull: [], push: [] });
    }
    props.repositories.forEach((repository, index) => {
      (repository.pullPrincipals ?? []).forEach((arn, arnIndex) =>
        this.allow(repository.name, 'pull', arn, `repositories[${index}].pullPrincipals[${arnIndex}]`),
      );
      (repository.pushPrincipals ?? []).forEach((arn, arnIndex) =>
        this.allow(repository.name, 'push', arn, `repositories[${index}].pushPrincipals[${arnIndex}]`),
      );
    });

    const each = TerraformIterator.fromMap(settings);
    this.repositories = new EcrRepository(this, 'Resource', {
      provider: registry.provider,
      forEach: each,
      name: each.key,
      imageTagMutability: each.getString('image_tag_mutability'),
      imageScanningConfiguration: { scanOnPush: each.getBoolean('scan_on_push') },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: overridesKey ? each.getString('kms_key') : key.keyArn }],
      forceDelete: props.forceDelete ?? false,
      lifecycle: removalPolicy === RemovalPolicy.RETAIN ? { preventDestroy: true } : undefined,
    });

    // Both policy resources always exist, so their addresses are known to the removal blocks; empty, they are left out.
    const lifecycle = TerraformIterator.fromMap(lifecyclePolicies);
    const lifecycleConfig: EcrLifecyclePolicyConfig = {
      provider: registry.provider,
      forEach: lifecycle,
      repository: lifecycle.key,
      policy: lifecycle.value,
      dependsOn: [this.repositories],
    };
    const lifecycleResource = omittedWhileEmpty(
      new EcrLifecyclePolicy(this, 'lifecycle_policy', lifecycleConfig),
      () => Object.keys(lifecyclePolicies).length === 0,
    );
    // Rendered at synth: grants made after construction are part of it.
    const policies = Lazy.anyValue({ produce: () => this.accessPolicies() });
    const access = TerraformIterator.fromMap(policies);
    const accessConfig: EcrRepositoryPolicyConfig = {
      provider: registry.provider,
      forEach: access,
      repository: access.key,
      policy: access.value,
      dependsOn: [this.repositories],
    };
    const accessResource = omittedWhileEmpty(new EcrRepositoryPolicy(this, 'policy', accessConfig), () => Object.keys(this.accessPolicies()).length === 0);

    retireInstances(
      this.repositories,
      [lifecycleResource, accessResource],
      removed.map((repository) => ({ key: repository.name, removalPolicy: repository.removalPolicy ?? removalPolicy })),
    );
  }

  /**
   * The handle of one managed repository. Fails for a name the construct does
   * not manage, with the names it does.
   */
  repository(name: string): IEncryptedRepository {
    const existing = this.handles.get(name);
    if (existing !== undefined) return existing;
    if (!this.access.has(name)) {
      throw propError(
        this.label,
        'repository(name)',
        name,
        `is not a repository of this construct${didYouMean(name, this.names)}: use one of ${this.names.join(', ')}`,
      );
    }
    const stack = TerraformStack.of(this);
    const attribute = (terraformAttribute: string) =>
      Token.asString(
        ref(`${this.repositories.terraformResourceType}.${this.repositories.friendlyUniqueId}[${JSON.stringify(name)}].${terraformAttribute}`, stack),
      );
    const handle: IEncryptedRepository = {
      repositoryName: attribute('name'),
      repositoryArn: attribute('arn'),
      repositoryUrl: attribute('repository_url'),
      registryId: attribute('registry_id'),
      grantPull: (principalArn) => this.allow(name, 'pull', principalArn, 'grantPull(principalArn)'),
      grantPush: (principalArn) => this.allow(name, 'push', principalArn, 'grantPush(principalArn)'),
    };
    this.handles.set(name, handle);
    return handle;
  }

  /** `{ name => { arn, url, registry_id, encryption_type, kms_key } }` as a Terraform expression, e.g. for an output. */
  get attributesByName(): IResolvable {
    const repository = TerraformIterator.fromResources(this.repositories);
    return repository.forExpressionForMap(
      'key',
      '{ arn = val.arn, url = val.repository_url, registry_id = val.registry_id, ' +
        'encryption_type = val.encryption_configuration[0].encryption_type, kms_key = val.encryption_configuration[0].kms_key }',
    );
  }

  /** Adds a principal to a repository's policy, after the checks the config makes on principals. */
  private allow(name: string, what: 'pull' | 'push', principalArn: string, prop: string): void {
    if (!Token.isUnresolved(principalArn)) {
      const problem = principalArnProblem(principalArn) ?? arnPartitionProblem(principalArn, this.registry.partition, 'the registry is');
      if (problem !== undefined) throw propError(this.label, prop, principalArn, problem);
    }
    this.access.get(name)![what].push(principalArn);
  }

  /** Each repository's policy text, by name (sorted), for those that name someone. */
  private accessPolicies(): Record<string, string> {
    const policies: Record<string, string> = {};
    for (const name of this.names) {
      const { pull, push } = this.access.get(name)!;
      const document = repositoryAccessPolicy({ pullPrincipals: pull, pushPrincipals: push });
      if (document) policies[name] = renderPolicy(document);
    }
    return policies;
  }

  /** Removed names are valid names, listed once, and no longer managed. */
  private checkRemoved(removed: readonly RemovedRepository[], managed: readonly string[]): void {
    const managedNames = new Set(managed);
    removed.forEach(({ name }, index) => {
      const prop = `removedRepositories[${index}].name`;
      const problem = repositoryNameProblem(name);
      if (problem !== undefined) throw propError(this.label, prop, name, problem);
      if (managedNames.has(name)) {
        throw propError(
          this.label,
          prop,
          name,
          'is still listed in repositories: a repository is either managed or removed; take it out of repositories, or out of removedRepositories to keep managing it',
        );
      }
    });
    const duplicate = firstDuplicate(removed.map((repository) => repository.name));
    if (duplicate !== undefined) {
      throw propError(
        this.label,
        `removedRepositories[${duplicate.index}].name`,
        duplicate.name,
        `is listed twice (removedRepositories[${duplicate.firstIndex}] has this name too): remove the duplicate`,
      );
    }
  }
}
