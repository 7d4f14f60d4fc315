/**
 * The key policy of a registry's customer-managed key (seed 001): the account
 * root keeps full control, administrators manage but cannot use the key, users
 * use it only through ECR in the key's region, and grants go only to AWS
 * resources (ECR repositories).
 */
import { accountRootArn, ecrServiceEndpoint, Partition } from '../ecr/regions';
import { policyDocument, PolicyDocument, PolicyStatement, sortedUnique, withAddedStatements } from './policy-document';

/** What administrators may do: manage the key's life and policy, never encrypt or decrypt. */
export const KEY_ADMINISTRATION_ACTIONS: readonly string[] = [
  'kms:CancelKeyDeletion',
  'kms:Create*',
  'kms:Delete*',
  'kms:Describe*',
  'kms:Disable*',
  'kms:Enable*',
  'kms:Get*',
  'kms:List*',
  'kms:Put*',
  'kms:Revoke*',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:Update*',
];

/** What users may do through ECR: the cryptographic operations of pushing and pulling. */
export const KEY_USE_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

/**
 * Grant operations creating and deleting an encrypted repository needs (seed 001: CreateGrant, RetireGrant;
 * DescribeKey is in KEY_USE_ACTIONS). Only for AWS resources: requests without `kms:GrantIsForAWSResource`
 * (a person creating a grant by hand) are not allowed. No RevokeGrant: ECR's grants must not be revoked.
 */
export const KEY_GRANT_ACTIONS: readonly string[] = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RetireGrant'];

/** What a role ECR assumes for repository creation templates may do with the key (seed 001: grants, and describe the key). */
export const ECR_SERVICE_ROLE_KEY_ACTIONS: readonly string[] = ['kms:CreateGrant', 'kms:DescribeKey', 'kms:RetireGrant'];

/** What `ecrKeyPolicy` needs. */
export interface KeyPolicyProps {
  /** The key's partition. */
  readonly partition: Partition;
  /** The key's account: its root keeps full control, and `kms:CallerAccount` is pinned to it. */
  readonly accountId: string;
  /** Region of the key; `kms:ViaService` is pinned to ECR there. */
  readonly region: string;
  /** Principals that manage the key. */
  readonly administrators: readonly string[];
  /** Principals that use the key through ECR. */
  readonly users: readonly string[];
  /** Roles that ECR assumes to create repositories (repository creation templates). */
  readonly ecrServiceRoles: readonly string[];
  /** Statements the caller adds after the project's own. @default [] */
  readonly additionalStatements?: readonly PolicyStatement[];
}

/** The key policy of a registry's customer-managed key (see the file's description). */
export function ecrKeyPolicy(props: KeyPolicyProps): PolicyDocument {
  const viaEcr = {
    'kms:ViaService': ecrServiceEndpoint(props.region),
    'kms:CallerAccount': props.accountId,
  };
  const statements: PolicyStatement[] = [
    {
      Sid: 'EnableAccountRootAndIamPolicies',
      Effect: 'Allow',
      Principal: { AWS: accountRootArn(props.partition, props.accountId) },
      Action: 'kms:*',
      Resource: '*',
    },
  ];
  const administrators = sortedUnique(props.administrators);
  if (administrators.length > 0) {
    statements.push({
      Sid: 'AllowKeyAdministration',
      Effect: 'Allow',
      Principal: { AWS: administrators },
      Action: KEY_ADMINISTRATION_ACTIONS,
      Resource: '*',
    });
  }
  const users = sortedUnique(props.users);
  if (users.length > 0) {
    statements.push(
      {
        Sid: 'AllowKeyUseThroughEcr',
        Effect: 'Allow',
        Principal: { AWS: users },
        Action: KEY_USE_ACTIONS,
        Resource: '*',
        Condition: { StringEquals: viaEcr },
      },
      {
        Sid: 'AllowGrantsForEcrRepositories',
        Effect: 'Allow',
        Principal: { AWS: users },
        Action: KEY_GRANT_ACTIONS,
        Resource: '*',
        Condition: { StringEquals: viaEcr, Bool: { 'kms:GrantIsForAWSResource': true } },
      },
    );
  }
  const serviceRoles = sortedUnique(props.ecrServiceRoles);
  if (serviceRoles.length > 0) {
    statements.push({
      Sid: 'AllowEcrRepositoryCreationTemplateRole',
      Effect: 'Allow',
      Principal: { AWS: serviceRoles },
      Action: ECR_SERVICE_ROLE_KEY_ACTIONS,
      Resource: '*',
      Condition: { StringEquals: viaEcr },
    });
  }
  return policyDocument(withAddedStatements('key policy', statements, props.additionalStatements), 'ecr-kms-replication-key-policy');
}
