/**
 * A registry's customer-managed KMS key: symmetric, rotated yearly, with an
 * alias and a key policy that confines its use to ECR in its own region.
 *
 * Constructs that need a key take the `IEcrEncryptionKey` interface, so an
 * existing key works too (`EcrEncryptionKey.fromKeyArn`). The key policy is
 * rendered at synth, so statements added after construction
 * (`allowEcrServiceRole`, `addToResourcePolicy`) are part of it: a role
 * created later can still be granted.
 */
import { Construct } from 'constructs';
import { Lazy, Token } from 'cdktf';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { deletionWindowProblem } from './ecr/limits';
import { rotationPeriodProblem } from './ecr/kms-key-options';
import { kmsAliasProblem } from './ecr/kms-alias';
import { arnPartitionProblem, principalArnProblem } from './ecr/principals';
import { KMS_KEY_ARN_RULE, parseKmsKeyArn } from './ecr/regions';
import { ecrKeyPolicy } from './policies/key-policy';
import { PolicyStatement, renderPolicy } from './policies/policy-document';
import { checkRegistry, describeRegistry, EcrRegistry, RegistryLocation, sameRegistry } from './registry';
import { constructLabel, propError } from './validation';

/** A KMS key that can encrypt ECR repositories. */
export interface IEcrEncryptionKey {
  /** The key's ARN (a token for a key of this configuration). */
  readonly keyArn: string;
  /**
   * Account and region of the key, when known. Repositories and creation
   * templates check that they are in the same place (ECR requires it).
   */
  readonly location?: Pick<RegistryLocation, 'accountId' | 'region'>;
}

/** What `EcrEncryptionKey` creates. */
/**
 * How messages quote a key: its ARN when literal, else where it is (a key of
 * this configuration has a token ARN that means nothing before apply).
 */
export function describeKey(key: IEcrEncryptionKey): unknown {
  return Token.isUnresolved(key.keyArn) && key.location !== undefined ? { accountId: key.location.accountId, region: key.location.region } : key.keyArn;
}

/**
 * ECR requires a repository's key in the repository's account and region: the
 * rule, or undefined when `key` is there (or its place is unknown).
 */
export function keyPlacementProblem(key: IEcrEncryptionKey, registry: Pick<RegistryLocation, 'accountId' | 'region'>): string | undefined {
  if (key.location === undefined || sameRegistry(key.location, registry)) return undefined;
  return `must be a key of ${describeRegistry(registry)}, the registry it encrypts for (ECR requires the key in the repository's account and region), not of ${describeRegistry(key.location)}: use a key of ${describeRegistry(registry)}`;
}

/** What `EcrEncryptionKey` creates. */
export interface EcrEncryptionKeyProps {
  /** The registry the key serves: the key is created in its account and region. */
  readonly registry: EcrRegistry;
  /** The key's alias, e.g. `alias/ecr-images` (not under `alias/aws/`). */
  readonly alias: string;
  /** The key's description, shown in the KMS console. */
  readonly description: string;
  /** IAM principals (ARNs, no wildcards) that manage the key (never use it). KMS refuses a policy naming a principal that does not exist. @default [] */
  readonly administrators?: readonly string[];
  /** IAM principals (ARNs, no wildcards) that use the key, only through ECR in the key's region. @default [] */
  readonly users?: readonly string[];
  /** Waiting period of a scheduled deletion, 7 to 30 days. @default 30 */
  readonly deletionWindowInDays?: number;
  /** Days between automatic rotations, 90 to 2560 (rotation is always on). @default - KMS's yearly rotation (365 days) */
  readonly rotationPeriodInDays?: number;
  /**
   * Refuse to destroy the key (Terraform `lifecycle.prevent_destroy`). A
   * deleted key makes every image it encrypts unreadable.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/** A registry's customer-managed KMS key and its alias, with a key policy rendered at synth. */
export class EcrEncryptionKey extends Construct implements IEcrEncryptionKey {
  /**
   * An existing key, by ARN. A literal ARN tells its account and region, so
   * misplaced repositories fail at synth; a token ARN is trusted as it is.
   */
  static fromKeyArn(keyArn: string): IEcrEncryptionKey {
    if (Token.isUnresolved(keyArn)) return { keyArn };
    const parsed = parseKmsKeyArn(keyArn);
    if (!parsed) {
      throw propError('EcrEncryptionKey.fromKeyArn', 'keyArn', keyArn, KMS_KEY_ARN_RULE);
    }
    return { keyArn, location: { accountId: parsed.accountId, region: parsed.region } };
  }

  /** The `aws_kms_key` resource. */
  readonly key: KmsKey;
  /** The `aws_kms_alias` resource. */
  readonly alias: KmsAlias;
  /** The registry's account, region and partition: the key's own. */
  readonly location: RegistryLocation;
  private readonly ecrServiceRoles: string[] = [];
  private readonly extraStatements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: EcrEncryptionKeyProps) {
    super(scope, id);
    const label = constructLabel('EcrEncryptionKey', this);
    const { registry } = props;
    checkRegistry(label, registry);
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    const windowProblem = deletionWindowProblem(deletionWindowInDays);
    if (windowProblem !== undefined) throw propError(label, 'deletionWindowInDays', deletionWindowInDays, windowProblem);
    const rotationProblem = props.rotationPeriodInDays === undefined ? undefined : rotationPeriodProblem(props.rotationPeriodInDays);
    if (rotationProblem !== undefined) throw propError(label, 'rotationPeriodInDays', props.rotationPeriodInDays, rotationProblem);
    const aliasProblem = Token.isUnresolved(props.alias) ? undefined : kmsAliasProblem(props.alias);
    if (aliasProblem !== undefined) throw propError(label, 'alias', props.alias, aliasProblem);
    for (const field of ['administrators', 'users'] as const) {
      (props[field] ?? []).forEach((arn, index) => {
        if (Token.isUnresolved(arn)) return;
        const problem = principalArnProblem(arn) ?? arnPartitionProblem(arn, registry.partition, 'the key is');
        if (problem !== undefined) throw propError(label, `${field}[${index}]`, arn, problem);
      });
    }
    this.location = { accountId: registry.accountId, region: registry.region, partition: registry.partition };
    this.key = new KmsKey(this, 'Resource', {
      provider: registry.provider,
      description: props.description,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      enableKeyRotation: true,
      rotationPeriodInDays: props.rotationPeriodInDays,
      multiRegion: false,
      deletionWindowInDays,
      policy: Lazy.stringValue({
        produce: () =>
          renderPolicy(
            ecrKeyPolicy({
              partition: registry.partition,
              accountId: registry.accountId,
              region: registry.region,
              administrators: props.administrators ?? [],
              users: props.users ?? [],
              ecrServiceRoles: this.ecrServiceRoles,
              additionalStatements: this.extraStatements,
            }),
          ),
      }),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.alias = new KmsAlias(this, 'alias', {
      provider: registry.provider,
      name: props.alias,
      targetKeyId: this.key.keyId,
    });
  }

  /** The key's ARN, a reference to the `aws_kms_key` resource. */
  get keyArn(): string {
    return this.key.arn;
  }

  /**
   * Lets a role that ECR assumes (a repository creation template's role)
   * create and retire grants on the key through ECR in the key's region.
   */
  allowEcrServiceRole(roleArn: string): void {
    this.ecrServiceRoles.push(roleArn);
  }

  /** Adds a statement to the key policy; its Sid must not clash with the policy's own. */
  addToResourcePolicy(statement: PolicyStatement): void {
    this.extraStatements.push(statement);
  }
}
