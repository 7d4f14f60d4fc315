/**
 * A registry's customer-managed KMS key: symmetric, rotated yearly, with an
 * alias and a key policy that confines its use to ECR in its own region.
 */
import { Construct } from 'constructs';
import { ITerraformDependable, TerraformProvider } from 'cdktf';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { ecrKeyPolicy } from '../policies/key-policy';
import { renderPolicy } from '../policies/policy-document';
import { RegistryLocation } from './registry';

export interface EcrEncryptionKeyProps {
  readonly provider: TerraformProvider;
  /** The account and region the key lives in; repositories must be in the same place. */
  readonly location: RegistryLocation;
  /** Principals that manage the key (never use it). @default [] */
  readonly administrators?: readonly string[];
  /** Principals that use the key, only through ECR. @default [] */
  readonly users?: readonly string[];
  /** ARNs of roles ECR assumes to create repositories with this key (creation templates). @default [] */
  readonly ecrServiceRoleArns?: readonly string[];
  /** Resources that must exist before the key policy names them. @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** @default 30 */
  readonly deletionWindowInDays?: number;
  /** @default alias/ecr-kms-replication */
  readonly alias?: string;
}

export class EcrEncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  readonly location: RegistryLocation;

  constructor(scope: Construct, id: string, props: EcrEncryptionKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < 7 || deletionWindowInDays > 30) {
      throw new Error(`EcrEncryptionKey ${id}: deletionWindowInDays must be a whole number from 7 to 30, got ${deletionWindowInDays}`);
    }
    this.location = props.location;
    this.key = new KmsKey(this, 'Resource', {
      provider: props.provider,
      description: `ECR repositories of account ${props.location.accountId} in ${props.location.region} (ecr-kms-replication)`,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      enableKeyRotation: true,
      multiRegion: false,
      deletionWindowInDays,
      policy: renderPolicy(
        ecrKeyPolicy({
          partition: props.location.partition,
          accountId: props.location.accountId,
          region: props.location.region,
          administrators: props.administrators ?? [],
          users: props.users ?? [],
          ecrServiceRoles: props.ecrServiceRoleArns ?? [],
        }),
      ),
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
    this.alias = new KmsAlias(this, 'alias', {
      provider: props.provider,
      name: props.alias ?? 'alias/ecr-kms-replication',
      targetKeyId: this.key.keyId,
    });
  }

  get arn(): string {
    return this.key.arn;
  }
}
