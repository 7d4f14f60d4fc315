/**
 * The configuration file: its schema (zod), the TypeScript types derived from
 * it, and the rules that span several fields. Every message names the rule and
 * the fix; the loader adds the field path and the value received.
 */
import { z } from 'zod';
import { isAwsRegion, partitionOf, partitionOfArn } from './regions';
import { LifecyclePolicySchema } from './lifecycle-policy';

/** ECR's repository-name pattern: lowercase segments separated by `.`, `_` or `-`, namespaces with `/`. */
export const REPOSITORY_NAME_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** Account names become parts of stack names, provider aliases and IAM role names. */
export const ACCOUNT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** IAM principals a key or repository policy may name: the account root, users, roles, assumed-role sessions. */
const PRINCIPAL_ARN_PATTERN = /^arn:(aws|aws-us-gov|aws-cn):(iam::\d{12}:(root|user\/[\w+=,.@/-]{1,512}|role\/[\w+=,.@/-]{1,512})|sts::\d{12}:assumed-role\/[\w+=,.@-]{1,64}\/[\w+=,.@-]{1,64})$/;
const ROLE_ARN_PATTERN = /^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const KMS_ALIAS_PATTERN = /^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/;

/** Replication limits of one registry's replication configuration (ECR service quotas). */
export const REPLICATION_LIMITS = {
  rulesPerConfiguration: 10,
  destinationsPerRule: 25,
  filtersPerRule: 100,
} as const;

/** KMS's documented ceiling for grants on one key; each ECR repository holds grants on its key. */
export const KMS_GRANTS_PER_KEY_CEILING = 50_000;
/** The figure in the ECR encryption-at-rest guide: 500 grants, so 500 repositories, per key. */
export const DEFAULT_REPOSITORIES_PER_KEY = 500;

const RepositoryName = z
  .string({ error: 'must be a string: the repository name, e.g. team-a/api' })
  .min(2, { error: 'must be 2 to 256 characters long (ECR repository name limit)' })
  .max(256, { error: 'must be 2 to 256 characters long (ECR repository name limit)' })
  .regex(REPOSITORY_NAME_PATTERN, {
    error:
      'must match the ECR repository name pattern: lowercase letters and digits in segments separated by ".", "_" or "-", namespaces separated by "/" (e.g. team-a/api)',
  });

const AccountName = z
  .string()
  .regex(ACCOUNT_NAME_PATTERN, {
    error: 'must start with a lowercase letter and hold only lowercase letters, digits and "-", at most 20 characters (it becomes part of stack names)',
  });

const PrincipalArn = z.string({ error: 'must be an IAM principal ARN string' }).regex(PRINCIPAL_ARN_PATTERN, {
  error:
    'must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name> (e.g. arn:aws:iam::111111111111:role/platform-admin)',
});

const RoleArn = z.string({ error: 'must be an IAM role ARN string' }).regex(ROLE_ARN_PATTERN, {
  error: 'must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<name>',
});

const Region = z.string({ error: 'must be a string: an AWS region name such as us-west-2' }).refine(isAwsRegion, {
  error: 'must be an AWS region name such as us-east-1, eu-west-1 or us-gov-west-1',
});

const TagMap = z
  .record(
    z
      .string()
      .min(1, { error: 'tag keys must be 1 to 128 characters long' })
      .max(128, { error: 'tag keys must be 1 to 128 characters long' })
      .refine((key) => !key.toLowerCase().startsWith('aws:'), { error: 'tag keys must not start with "aws:" (reserved by AWS)' }),
    z.string({ error: 'tag values must be strings' }).max(256, { error: 'tag values must be at most 256 characters long' }),
  )
  .refine((tags) => Object.keys(tags).length <= 50, { error: 'at most 50 tags may be set (AWS limit per resource)' });

export const AccountSchema = z.strictObject({
  /** The 12-digit AWS account id. */
  id: z.string({ error: 'must be a 12-digit account id in quotes, e.g. "111111111111"' }).regex(ACCOUNT_ID_PATTERN, {
    error: 'must be a 12-digit AWS account id in quotes, e.g. "111111111111"',
  }),
  /** Role the deployment assumes in this account. @default - the caller's credentials are used as they are */
  deployRoleArn: RoleArn.optional(),
  /** Principals that administer the keys of this account (KMSKeyAdmin of the CloudFormation templates). @default [] */
  keyAdministrators: z.array(PrincipalArn).default([]),
  /** Principals that use the keys of this account through ECR (KMSKeyUser of the CloudFormation templates). @default [] */
  keyUsers: z.array(PrincipalArn).default([]),
});

export const RepositorySchema = z.strictObject({
  name: RepositoryName,
  /** @default IMMUTABLE */
  imageTagMutability: z.enum(['IMMUTABLE', 'MUTABLE'], { error: 'must be IMMUTABLE or MUTABLE' }).default('IMMUTABLE'),
  /** @default true */
  scanOnPush: z.boolean({ error: 'must be true or false' }).default(true),
  /** An ECR lifecycle policy ({ rules: [...] }), applied in the source and every destination. @default - none */
  lifecyclePolicy: LifecyclePolicySchema.optional(),
  /** Principals allowed to pull images (repository policy). @default [] */
  pullPrincipals: z.array(PrincipalArn).default([]),
  /** Principals allowed to push images (repository policy). @default [] */
  pushPrincipals: z.array(PrincipalArn).default([]),
});

export const DestinationSchema = z.strictObject({
  account: AccountName,
  region: Region,
  /** Create repository creation templates so that repositories replication creates are KMS-encrypted. @default true */
  repositoryCreationTemplates: z.boolean({ error: 'must be true or false' }).default(true),
});

export const SourceSchema = z.strictObject({
  account: AccountName,
  region: Region,
  /** Names of the repositories this source replicates. @default - every repository of the file */
  repositories: z.array(RepositoryName).optional(),
  destinations: z.array(DestinationSchema).min(1, { error: 'must list at least one destination registry' }),
});

export const KeysSchema = z.strictObject({
  /** Waiting period before a deleted key is destroyed, 7 to 30 days. @default 30 */
  deletionWindowInDays: z
    .number({ error: 'must be a whole number of days from 7 to 30' })
    .int({ error: 'must be a whole number of days from 7 to 30' })
    .min(7, { error: 'must be a whole number of days from 7 to 30' })
    .max(30, { error: 'must be a whole number of days from 7 to 30' })
    .default(30),
  /** Alias given to each registry's key. @default alias/ecr-kms-replication */
  alias: z
    .string()
    .regex(KMS_ALIAS_PATTERN, { error: 'must be alias/<name> with letters, digits, "/", "_" or "-", not under alias/aws/' })
    .default('alias/ecr-kms-replication'),
  /** Most repositories one key may encrypt (each holds KMS grants on it). @default 500 */
  repositoriesPerKey: z
    .number()
    .int({ error: `must be a whole number from 1 to ${KMS_GRANTS_PER_KEY_CEILING}` })
    .min(1, { error: `must be a whole number from 1 to ${KMS_GRANTS_PER_KEY_CEILING}` })
    .max(KMS_GRANTS_PER_KEY_CEILING, { error: `must be a whole number from 1 to ${KMS_GRANTS_PER_KEY_CEILING} (KMS grants per key)` })
    .default(DEFAULT_REPOSITORIES_PER_KEY),
});

const StateKeyPrefix = z
  .string()
  .regex(/^[A-Za-z0-9!_.*'()/-]{1,200}$/, { error: 'must be 1 to 200 characters of letters, digits and !_.*\'()/-' });

export const LocalBackendSchema = z.strictObject({
  type: z.literal('local'),
  /** Folder, relative to the project, that holds one state file per stack. @default terraform-state */
  directory: z
    .string()
    .refine((dir) => !dir.startsWith('/') && !/^[A-Za-z]:/.test(dir) && !dir.split(/[\\/]/).includes('..'), {
      error: 'must be a relative path inside the project (no leading "/", no "..")',
    })
    .default('terraform-state'),
});

export const S3BackendSchema = z.strictObject({
  type: z.literal('s3'),
  bucket: z.string({ error: 'is required for the s3 backend: the state bucket name' }).regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    error: 'must be an S3 bucket name (3 to 63 lowercase letters, digits, "." and "-")',
  }),
  region: Region,
  /** State key of a stack: `<keyPrefix>/<stack name>.tfstate`. @default ecr-kms-replication */
  keyPrefix: StateKeyPrefix.default('ecr-kms-replication'),
  /** S3-native state locking (Terraform >= 1.10). @default true */
  useLockfile: z.boolean({ error: 'must be true or false' }).default(true),
  /** DynamoDB table for state locking (the older mechanism). @default - none */
  dynamodbTable: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: 'must be a DynamoDB table name (3 to 255 letters, digits, "_", "-", ".")' })
    .optional(),
  /** Role to assume for state access. @default - the caller's credentials */
  roleArn: RoleArn.optional(),
});

export const CloudBackendSchema = z.strictObject({
  type: z.literal('cloud'),
  organization: z.string({ error: 'is required for the cloud backend: the HCP Terraform organization' }).regex(/^[A-Za-z0-9_-]{1,40}$/, {
    error: 'must be an HCP Terraform organization name (letters, digits, "_", "-")',
  }),
  /** @default app.terraform.io */
  hostname: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, { error: 'must be a host name such as app.terraform.io' })
    .default('app.terraform.io'),
  /** Workspace of a stack: `<workspacePrefix><stack name>`. @default ecr-kms-replication- */
  workspacePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]{0,60}$/, { error: 'must be at most 60 letters, digits, "_" or "-"' })
    .default('ecr-kms-replication-'),
  /** HCP Terraform project the workspaces belong to. @default - the organization's default project */
  project: z.string().min(1).max(40).optional(),
});

export const BackendSchema = z.discriminatedUnion('type', [LocalBackendSchema, S3BackendSchema, CloudBackendSchema], {
  error: 'type must be one of local, s3, cloud',
});

export const EndpointSchema = z.strictObject({
  /** Base URL of an AWS-compatible endpoint (LocalStack, moto server), e.g. http://localhost:4566. */
  url: z.string().regex(/^https?:\/\/[^\s/]+(:\d+)?\/?$/, { error: 'must be an http(s) URL with host and optional port, e.g. http://localhost:4566' }),
});

export const ConfigSchema = z.strictObject({
  /** JSON Schema reference for editors; ignored by the app. */
  $schema: z.string().optional(),
  accounts: z
    .record(AccountName, AccountSchema)
    .refine((accounts) => Object.keys(accounts).length > 0, { error: 'must define at least one account' }),
  repositories: z.array(RepositorySchema).min(1, { error: 'must list at least one repository' }),
  sources: z.array(SourceSchema).min(1, { error: 'must list at least one source registry' }),
  keys: KeysSchema.default({ deletionWindowInDays: 30, alias: 'alias/ecr-kms-replication', repositoriesPerKey: DEFAULT_REPOSITORIES_PER_KEY }),
  /** Tags on every resource (provider default tags). @default {} */
  tags: TagMap.default({}),
  /** Where each stack keeps its state. @default { type: local, directory: terraform-state } */
  backend: BackendSchema.default({ type: 'local', directory: 'terraform-state' }),
  /** Send every AWS call (providers and the S3 backend) to an AWS-compatible endpoint. @default - the real AWS endpoints */
  endpoint: EndpointSchema.optional(),
});

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type AccountConfig = z.output<typeof AccountSchema>;
export type RepositoryConfig = z.output<typeof RepositorySchema>;
export type SourceConfig = z.output<typeof SourceSchema>;
export type DestinationConfig = z.output<typeof DestinationSchema>;
export type BackendConfig = z.output<typeof BackendSchema>;
export type KeysConfig = z.output<typeof KeysSchema>;
export type EndpointConfig = z.output<typeof EndpointSchema>;

export { partitionOf, partitionOfArn };
