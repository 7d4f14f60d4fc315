/**
 * The role ECR assumes when a repository creation template creates a
 * replicated repository encrypted with a customer-managed key.
 */
import { ecrServiceEndpoint, Partition } from '../ecr/regions';
import { ECR_SERVICE_ROLE_KEY_ACTIONS } from './key-policy';
import { policyDocument, PolicyDocument } from './policy-document';
import { repositoryArnsForFilters } from './registry-policy';

/** What the role ECR assumes may do in ECR: create and fill the replicated repositories, and tag them. */
export const TEMPLATE_ROLE_ECR_ACTIONS: readonly string[] = ['ecr:CreateRepository', 'ecr:ReplicateImage', 'ecr:TagResource'];
/** The role's side of the key access the key policy grants it (the same actions). */
export const TEMPLATE_ROLE_KMS_ACTIONS: readonly string[] = ECR_SERVICE_ROLE_KEY_ACTIONS;

/** Only ECR, acting for this account, may assume the role. */
export function ecrTrustPolicy(accountId: string): PolicyDocument {
  return policyDocument([
    {
      Sid: 'AllowEcrForThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'ecr.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ]);
}

/** What `creationTemplateRolePolicy` needs. */
export interface TemplateRolePolicyProps {
  /** The destination registry's partition. */
  readonly partition: Partition;
  /** The destination registry's region. */
  readonly region: string;
  /** The destination registry's account. */
  readonly accountId: string;
  /** The `PREFIX_MATCH` filters that replicate into the registry: the role may act on `repository/<filter>*` only. */
  readonly replicationFilters: readonly string[];
  /** ARN of the destination key (usually a token). */
  readonly keyArn: string;
  /** ARNs of further keys the templates use (namespace keys). @default [] */
  readonly additionalKeyArns?: readonly string[];
}

/** The policy of the role ECR assumes for the creation templates: ECR on the filters' repositories, KMS grants through ECR. */
export function creationTemplateRolePolicy(props: TemplateRolePolicyProps): PolicyDocument {
  return policyDocument([
    {
      Sid: 'CreateReplicatedRepositories',
      Effect: 'Allow',
      Action: TEMPLATE_ROLE_ECR_ACTIONS,
      Resource: repositoryArnsForFilters(props.partition, props.region, props.accountId, props.replicationFilters),
    },
    {
      Sid: 'EncryptWithTheRegistryKey',
      Effect: 'Allow',
      Action: TEMPLATE_ROLE_KMS_ACTIONS,
      Resource: props.additionalKeyArns && props.additionalKeyArns.length > 0 ? [props.keyArn, ...props.additionalKeyArns] : props.keyArn,
      Condition: { StringEquals: { 'kms:ViaService': ecrServiceEndpoint(props.region) } },
    },
  ]);
}
