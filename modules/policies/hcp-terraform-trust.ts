/**
 * The AWS side of HCP Terraform's dynamic provider credentials, as data: the
 * trust policy of a deploy role that HCP Terraform runs assume with their
 * workload identity token (`sts:AssumeRoleWithWebIdentity` through the IAM
 * OIDC provider of the HCP Terraform host), and the least-privilege policy of
 * what the replication stacks manage in one account.
 *
 * Trust, as HCP Terraform documents it: the audience (`<host>:aud`, default
 * `aws.workload.identity`) with StringEquals, the subject (`<host>:sub`,
 * `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>`)
 * with StringLike and `run_phase:*` when plan and apply share one role.
 * https://developer.hashicorp.com/terraform/cloud-docs/dynamic-provider-credentials/aws-configuration#configure-a-role-and-trust-policy
 * https://developer.hashicorp.com/terraform/cloud-docs/dynamic-provider-credentials/workload-identity-tokens
 */
import { ecrRepositoryArn, ecrServiceEndpoint, iamRoleArn, Partition } from '../ecr/regions';
import { policyDocument, PolicyDocument, PolicyStatement, sortedUnique } from './policy-document';

/** The audience HCP Terraform puts in AWS workload identity tokens unless a workspace sets another. */
export const HCP_TERRAFORM_AWS_AUDIENCE = 'aws.workload.identity';

/** The IAM policy size limit of a role's inline policies (characters, whitespace excluded). */
export const ROLE_INLINE_POLICY_LIMIT = 10_240;

/** `organization:<org>:project:<project>:workspace:<workspace>:run_phase:*`: every run phase of one workspace. */
export function hcpTerraformRunSubject(organization: string, project: string, workspace: string): string {
  return `organization:${organization}:project:${project}:workspace:${workspace}:run_phase:*`;
}

export interface HcpTerraformTrustProps {
  /** ARN of the IAM OIDC provider of the host (usually a token). */
  readonly oidcProviderArn: string;
  /** The HCP Terraform host, e.g. app.terraform.io: the prefix of the condition keys. */
  readonly hostname: string;
  /** Subjects allowed, see hcpTerraformRunSubject. */
  readonly subjects: readonly string[];
  /** @default aws.workload.identity */
  readonly audience?: string;
}

/** Only the named workspaces' runs, with the AWS audience, may assume the role. */
export function hcpTerraformTrustPolicy(props: HcpTerraformTrustProps): PolicyDocument {
  if (props.subjects.length === 0) throw new Error('hcpTerraformTrustPolicy: at least one subject (workspace) must be trusted');
  return policyDocument([
    {
      Sid: 'HcpTerraformRunsOfTheseWorkspaces',
      Effect: 'Allow',
      Principal: { Federated: props.oidcProviderArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { [`${props.hostname}:aud`]: props.audience ?? HCP_TERRAFORM_AWS_AUDIENCE },
        StringLike: { [`${props.hostname}:sub`]: sortedUnique(props.subjects) },
      },
    },
  ]);
}

/** What the stacks of one account manage, and therefore what its deploy role may do. */
export interface DeployRolePolicyProps {
  readonly partition: Partition;
  readonly accountId: string;
  /** Regions of the account's registries. */
  readonly regions: readonly string[];
  /** Aliases of the keys (registry and namespace keys), e.g. alias/ecr-kms-replication, in every region. */
  readonly keyAliases: readonly string[];
  /** Names of the roles ECR assumes for creation templates (one per region with templates). @default [] */
  readonly creationTemplateRoles?: readonly string[];
  /** The account has a source registry (replication configuration, ECR's replication service-linked role). @default false */
  readonly replication?: boolean;
  /** The account has a registry other accounts replicate into (registry policy). @default false */
  readonly registryPolicy?: boolean;
  /** The registry scanning configuration: none, basic, or enhanced (Amazon Inspector). @default none */
  readonly scanning?: 'none' | 'basic' | 'enhanced';
}

const REPOSITORY_ACTIONS = [
  'ecr:CreateRepository',
  'ecr:DeleteLifecyclePolicy',
  'ecr:DeleteRepository',
  'ecr:DeleteRepositoryPolicy',
  'ecr:DescribeRepositories',
  'ecr:GetLifecyclePolicy',
  'ecr:GetRepositoryPolicy',
  'ecr:ListTagsForResource',
  'ecr:PutImageScanningConfiguration',
  'ecr:PutImageTagMutability',
  'ecr:PutLifecyclePolicy',
  'ecr:SetRepositoryPolicy',
  'ecr:TagResource',
  'ecr:UntagResource',
];

const KEY_ACTIONS = [
  'kms:DescribeKey',
  'kms:DisableKeyRotation',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
];

const TEMPLATE_ROLE_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePolicy',
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:ListRolePolicies',
  'iam:PutRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];

const CREATION_TEMPLATE_ACTIONS = [
  'ecr:CreateRepositoryCreationTemplate',
  'ecr:DeleteRepositoryCreationTemplate',
  'ecr:DescribeRepositoryCreationTemplates',
  'ecr:UpdateRepositoryCreationTemplate',
];

/**
 * Least privilege for the stacks of one account: keys and their aliases, repositories and their policies, the
 * registry's one policy, replication and scanning configurations, creation templates and the role ECR assumes for
 * them (and `iam:PassRole` on that role only, to ECR only). Registry-level ECR actions and key creation have no
 * resource to name, so they are pinned to the account's regions (`aws:RequestedRegion`). Reading the destinations'
 * state is HCP Terraform's own (remote state sharing), not AWS's.
 */
export function deployRolePolicy(props: DeployRolePolicyProps): PolicyDocument {
  const { partition, accountId } = props;
  const regions = sortedUnique(props.regions);
  if (regions.length === 0) throw new Error('deployRolePolicy: the account has no registry region');
  const inRegions = { StringEquals: { 'aws:RequestedRegion': regions } };
  const keys = regions.map((region) => `arn:${partition}:kms:${region}:${accountId}:key/*`);
  const aliases = regions.flatMap((region) => sortedUnique(props.keyAliases).map((alias) => `arn:${partition}:kms:${region}:${accountId}:${alias}`));
  const roleArns = sortedUnique(props.creationTemplateRoles ?? []).map((name) => iamRoleArn(partition, accountId, name));
  const scanning = props.scanning ?? 'none';
  const registryActions = [
    'ecr:DescribeRegistry',
    ...(props.registryPolicy ? ['ecr:DeleteRegistryPolicy', 'ecr:GetRegistryPolicy', 'ecr:PutRegistryPolicy'] : []),
    ...(props.replication ? ['ecr:PutReplicationConfiguration'] : []),
    ...(scanning !== 'none' ? ['ecr:GetRegistryScanningConfiguration', 'ecr:PutRegistryScanningConfiguration'] : []),
    ...(roleArns.length > 0 ? CREATION_TEMPLATE_ACTIONS : []),
  ].sort();
  const statements: PolicyStatement[] = [
    // CreateKey names no key yet; tags given at creation need kms:TagResource as well.
    {
      Sid: 'CreateKeysInTheRegistryRegions',
      Effect: 'Allow',
      Action: ['kms:CreateKey', 'kms:ListAliases', 'kms:TagResource'],
      Resource: '*',
      Condition: inRegions,
    },
    { Sid: 'ManageTheKeys', Effect: 'Allow', Action: KEY_ACTIONS, Resource: keys },
    {
      Sid: 'GrantsForEncryptedRepositories',
      Effect: 'Allow',
      Action: ['kms:CreateGrant', 'kms:RetireGrant'],
      Resource: keys,
      Condition: { StringEquals: { 'kms:ViaService': regions.map(ecrServiceEndpoint) }, Bool: { 'kms:GrantIsForAWSResource': true } },
    },
    { Sid: 'ManageTheKeyAliases', Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], Resource: [...aliases, ...keys] },
    {
      Sid: 'ManageTheRepositories',
      Effect: 'Allow',
      Action: REPOSITORY_ACTIONS,
      Resource: regions.map((region) => ecrRepositoryArn(partition, region, accountId, '*')),
    },
    { Sid: 'ManageTheRegistrySettings', Effect: 'Allow', Action: registryActions, Resource: '*', Condition: inRegions },
  ];
  if (roleArns.length > 0) {
    statements.push(
      { Sid: 'ManageTheCreationTemplateRoles', Effect: 'Allow', Action: TEMPLATE_ROLE_ACTIONS, Resource: roleArns },
      {
        Sid: 'PassTheCreationTemplateRolesToEcr',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: roleArns,
        Condition: { StringEquals: { 'iam:PassedToService': 'ecr.amazonaws.com' } },
      },
    );
  }
  if (props.replication) {
    // The first replication configuration of a registry creates ECR's replication service-linked role.
    statements.push({
      Sid: 'CreateTheEcrReplicationServiceLinkedRole',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: iamRoleArn(partition, accountId, 'aws-service-role/replication.ecr.amazonaws.com/AWSServiceRoleForECRReplication'),
      Condition: { StringEquals: { 'iam:AWSServiceName': 'replication.ecr.amazonaws.com' } },
    });
  }
  if (scanning === 'enhanced') {
    // Enhanced scanning turns Amazon Inspector on (ECR user guide, "IAM permissions required for enhanced scanning").
    statements.push(
      {
        Sid: 'TurnOnAmazonInspectorScanning',
        Effect: 'Allow',
        Action: ['inspector2:Disable', 'inspector2:Enable', 'inspector2:ListAccountPermissions'],
        Resource: '*',
        Condition: inRegions,
      },
      {
        Sid: 'CreateTheInspectorServiceLinkedRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: iamRoleArn(partition, accountId, 'aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2'),
        Condition: { StringEquals: { 'iam:AWSServiceName': 'inspector2.amazonaws.com' } },
      },
    );
  }
  const document = policyDocument(statements);
  const size = JSON.stringify(document).length;
  if (size > ROLE_INLINE_POLICY_LIMIT) {
    throw new Error(
      `deployRolePolicy: the policy for account ${accountId} has ${size} characters, above IAM's limit of ${ROLE_INLINE_POLICY_LIMIT} for a role's inline policies: use fewer key aliases or regions per account`,
    );
  }
  return document;
}
