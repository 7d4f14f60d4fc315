/**
 * ECR repositories encrypted with a customer-managed key of their own account
 * and region, scanned on push, immutable tags by default, with optional
 * lifecycle and repository policies.
 *
 * One `for_each` resource keyed by repository name: addresses are
 * `aws_ecr_repository.<id>["team-a/api"]`, stable when repositories are added
 * or removed, and synth cost stays flat as the registry grows.
 */
import { Construct } from 'constructs';
import { IResolvable, TerraformIterator, Token } from 'cdktf';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { LifecyclePolicy } from './ecr/lifecycle-policy';
import { renderPolicy } from './policies/policy-document';
import { repositoryAccessPolicy } from './policies/repository-policy';
import { firstDuplicate } from './ecr/limits';
import { duplicateRepositoryNameRule, repositoryNameProblem } from './ecr/repository-name';
import { IEcrEncryptionKey } from './encryption-key';
import { describeRegistry, EcrRegistry, sameRegistry } from './registry';

export interface RepositorySpec {
  readonly name: string;
  /** @default IMMUTABLE */
  readonly imageTagMutability?: 'IMMUTABLE' | 'MUTABLE';
  /** @default true */
  readonly scanOnPush?: boolean;
  /** @default - no lifecycle policy */
  readonly lifecyclePolicy?: LifecyclePolicy;
  /** @default [] */
  readonly pullPrincipals?: readonly string[];
  /** @default [] */
  readonly pushPrincipals?: readonly string[];
  /** Another key of the same registry for this repository (e.g. a namespace's own key). @default - the construct's key */
  readonly key?: IEcrEncryptionKey;
}

export interface EncryptedRepositoriesProps {
  /** The registry the repositories live in; the key must be in the same account and region. */
  readonly registry: EcrRegistry;
  /** The customer-managed key that encrypts every repository. */
  readonly key: IEcrEncryptionKey;
  readonly repositories: readonly RepositorySpec[];
  /**
   * Delete a repository even when it holds images. Off, a repository with
   * images cannot be destroyed by Terraform.
   * @default false
   */
  readonly forceDelete?: boolean;
}

interface RepositorySettings {
  readonly image_tag_mutability: string;
  readonly scan_on_push: boolean;
  /** Only when some repository overrides the key: the value stays as before for configurations without overrides. */
  kms_key?: string;
}

export class EncryptedRepositories extends Construct {
  /** The `for_each` repository resource, keyed by repository name. */
  readonly repositories: EcrRepository;
  readonly names: readonly string[];

  constructor(scope: Construct, id: string, props: EncryptedRepositoriesProps) {
    super(scope, id);
    const { key, registry } = props;
    for (const candidate of [key, ...props.repositories.flatMap((repository) => (repository.key ? [repository.key] : []))]) {
      if (candidate.location !== undefined && !sameRegistry(candidate.location, registry)) {
        throw new Error(
          `EncryptedRepositories ${id}: the key must be in the repositories' account and region (${describeRegistry(registry)}), ` +
            `but it is in ${describeRegistry(candidate.location)}: use a key of ${describeRegistry(registry)}`,
        );
      }
    }
    const overridesKey = props.repositories.some((repository) => repository.key !== undefined);
    const names = props.repositories.map((repository) => repository.name);
    names.forEach((name, index) => {
      const problem = Token.isUnresolved(name) ? undefined : repositoryNameProblem(name);
      if (problem !== undefined) throw new Error(`EncryptedRepositories ${id}: repositories[${index}].name (received "${name}") ${problem}`);
    });
    const duplicate = firstDuplicate(names);
    if (duplicate !== undefined) {
      throw new Error(
        `EncryptedRepositories ${id}: repositories[${duplicate.index}].name (received "${duplicate.name}"): ${duplicateRepositoryNameRule(duplicate.firstIndex)}`,
      );
    }
    this.names = [...names].sort();

    const settings: Record<string, RepositorySettings> = {};
    const lifecyclePolicies: Record<string, string> = {};
    const accessPolicies: Record<string, string> = {};
    for (const repository of [...props.repositories].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      settings[repository.name] = {
        image_tag_mutability: repository.imageTagMutability ?? 'IMMUTABLE',
        scan_on_push: repository.scanOnPush ?? true,
      };
      if (overridesKey) settings[repository.name].kms_key = (repository.key ?? key).keyArn;
      if (repository.lifecyclePolicy) lifecyclePolicies[repository.name] = JSON.stringify(repository.lifecyclePolicy);
      const access = repositoryAccessPolicy({ pullPrincipals: repository.pullPrincipals ?? [], pushPrincipals: repository.pushPrincipals ?? [] });
      if (access) accessPolicies[repository.name] = renderPolicy(access);
    }

    const each = TerraformIterator.fromMap(settings);
    this.repositories = new EcrRepository(this, 'Resource', {
      provider: registry.provider,
      forEach: each,
      name: each.key,
      imageTagMutability: each.getString('image_tag_mutability'),
      imageScanningConfiguration: { scanOnPush: each.getBoolean('scan_on_push') },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: overridesKey ? each.getString('kms_key') : key.keyArn }],
      forceDelete: props.forceDelete ?? false,
    });

    if (Object.keys(lifecyclePolicies).length > 0) {
      const lifecycle = TerraformIterator.fromMap(lifecyclePolicies);
      new EcrLifecyclePolicy(this, 'lifecycle_policy', {
        provider: registry.provider,
        forEach: lifecycle,
        repository: lifecycle.key,
        policy: lifecycle.value,
        dependsOn: [this.repositories],
      });
    }
    if (Object.keys(accessPolicies).length > 0) {
      const access = TerraformIterator.fromMap(accessPolicies);
      new EcrRepositoryPolicy(this, 'policy', {
        provider: registry.provider,
        forEach: access,
        repository: access.key,
        policy: access.value,
        dependsOn: [this.repositories],
      });
    }
  }

  /** `{ name => { arn, url, registry_id, encryption_type, kms_key } }` as a Terraform expression. */
  get attributesByName(): IResolvable {
    const repository = TerraformIterator.fromResources(this.repositories);
    return repository.forExpressionForMap(
      'key',
      '{ arn = val.arn, url = val.repository_url, registry_id = val.registry_id, ' +
        'encryption_type = val.encryption_configuration[0].encryption_type, kms_key = val.encryption_configuration[0].kms_key }',
    );
  }
}
