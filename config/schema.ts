/**
 * The configuration file: its schema (zod), the TypeScript types derived from
 * it, and the limits it enforces. Every message names the rule and the fix
 * (see messages.ts); the loader adds the field path and the value received.
 * Rules that span several fields live in rules.ts.
 *
 * Encryption is always a customer-managed KMS key per registry: the config
 * deliberately offers no AES256 or aws/ecr (AWS-managed key) option.
 */
import { z } from 'zod';
import { expects, rule } from './messages';
import { AWS_REGIONS, ENDPOINT_URL_PATTERN, ENDPOINT_URL_RULE, partitionOf, partitionOfArn, regionProblem } from '../modules/ecr/regions';
import {
  ACCOUNT_ID_PATTERN,
  ACCOUNT_ID_RULE,
  EXAMPLE_ROLE_ARN,
  principalArnProblem,
  PRINCIPAL_ARN_PATTERN,
  PRINCIPAL_RULES,
  ROLE_ARN_PATTERN,
  ROLE_ARN_RULE,
} from '../modules/ecr/principals';
import { KMS_ALIAS_PATTERN, KMS_ALIAS_RULE } from '../modules/ecr/kms-alias';
import { KEY_ROTATION_PERIOD, ROTATION_PERIOD_RULE } from '../modules/ecr/kms-key-options';
import { LifecyclePolicySchema } from './lifecycle-policy';
import { DefaultLifecyclePolicyField, ScanningField } from './compliance-schema';
import { REPOSITORY_NAME_LENGTH, REPOSITORY_NAME_PATTERN, REPOSITORY_NAME_RULES } from '../modules/ecr/repository-name';
import { estateSchemas } from './estate-schema';
import { STACK_TAG } from '../stacks/resource-names';

export { REPOSITORY_NAME_PATTERN };
import { DEFAULT_REPOSITORIES_PER_KEY, DELETION_WINDOW_RULE, KEY_DELETION_WINDOW, KMS_GRANTS_PER_KEY_CEILING, MAX_TAGS } from '../modules/ecr/limits';

export { REPLICATION_LIMITS, KMS_GRANTS_PER_KEY_CEILING, DEFAULT_REPOSITORIES_PER_KEY, MAX_TAGS } from '../modules/ecr/limits';

/** Account names become parts of stack names, provider aliases and IAM role names. */
export const ACCOUNT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
/** Characters AWS allows in tag keys and values: letters, digits, white space and `_ . : / = + - @`. */
const TAG_TEXT_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The key alias when the config names none. */
export const DEFAULT_KEY_ALIAS = 'alias/ecr-kms-replication';
/** HCP Terraform workspace names are `<prefix><stack name>`; the prefix when the config names none. */
export const DEFAULT_WORKSPACE_PREFIX = 'ecr-kms-replication-';

const RepositoryName = z
  .string(expects('a repository name, e.g. team-a/api'))
  .min(REPOSITORY_NAME_LENGTH.min, rule(REPOSITORY_NAME_RULES.tooShort))
  .max(REPOSITORY_NAME_LENGTH.max, rule(REPOSITORY_NAME_RULES.tooLong))
  .regex(REPOSITORY_NAME_PATTERN, rule(REPOSITORY_NAME_RULES.pattern))
  .meta({ description: 'ECR repository name, 2 to 256 characters: lowercase segments separated by ".", "_" or "-", namespaces with "/" (e.g. team-a/api)' });

const AccountName = z.string(expects('an account name')).regex(ACCOUNT_NAME_PATTERN, {
  error:
    'account names must start with a lowercase letter and hold only lowercase letters, digits and "-", at most 20 characters (they become part of stack names): rename it, e.g. build',
});

/** A reference to an account defined under `accounts` (checked in rules.ts). */
const AccountReference = z
  .string(expects('the name of an account defined under accounts, e.g. account: build'))
  .meta({ description: 'Name of an account defined under accounts, e.g. build' });

const PrincipalArn = z
  .string(expects('an IAM principal ARN, e.g. arn:aws:iam::111111111111:role/platform-admin'))
  // One check, one message: the library's rule names the wildcard principal on its own (it would make a policy public).
  .regex(PRINCIPAL_ARN_PATTERN, { error: (issue) => principalArnProblem(String(issue.input)) ?? PRINCIPAL_RULES.arn })
  .meta({ description: 'IAM principal ARN: an account root, user, role or assumed-role session, in the partition of the registries' });

const PrincipalList = (who: string) =>
  z
    .array(PrincipalArn, expects(`a list of IAM principal ARNs ${who}, e.g. [arn:aws:iam::111111111111:role/platform-admin] (or [] for none)`))
    .meta({ description: `IAM principal ARNs ${who}` });

const RoleArn = (what: string) => z.string(expects(what)).regex(ROLE_ARN_PATTERN, rule(ROLE_ARN_RULE));

/** Regions by partition, for the help text of region fields (the JSON Schema lists them as one enum). */
const REGIONS_BY_PARTITION = (['aws', 'aws-us-gov', 'aws-cn'] as const)
  .map((partition) => `${partition}: ${AWS_REGIONS.filter((region) => partitionOf(region) === partition).join(', ')}`)
  .join('; ');

/** An enum, so that the JSON Schema lists the regions; a value that is not a string keeps the `expects` messages. */
const Region = (what: string, description: string, requiredBy?: string) =>
  z
    .enum(AWS_REGIONS, {
      error: (issue) => (typeof issue.input === 'string' ? regionProblem(issue.input) : expects(what, { requiredBy }).error(issue)),
    })
    .meta({ description: `${description} Regions where ECR and KMS are offered, by partition: ${REGIONS_BY_PARTITION}.` });

const Flag = (what: string) => z.boolean(expects(`true or false (${what})`)).meta({ description: `true or false: ${what}` });

/** Namespaces and keys per namespace (estate-schema.ts). */
const Estate = estateSchemas({
  principalList: PrincipalList,
  keyAlias: z.string(expects('a KMS alias, e.g. alias/ecr-team-a')).regex(KMS_ALIAS_PATTERN, rule(KMS_ALIAS_RULE)),
  lifecyclePolicy: LifecyclePolicySchema,
});

/** Tags the config may set: AWS's limit per resource, less the project's own stack tag. */
const CONFIG_TAGS = MAX_TAGS - 1;

const TagMap = z
  .record(
    z
      .string()
      .min(1, rule('tag keys must be 1 to 128 characters long'))
      .max(128, rule('tag keys must be 1 to 128 characters long: shorten the key'))
      .refine((key) => !key.toLowerCase().startsWith('aws:'), rule('tag keys must not start with "aws:" (reserved by AWS): rename the key'))
      .refine((key) => TAG_TEXT_PATTERN.test(key), rule('tag keys may hold only letters, digits, spaces and _ . : / = + - @: rename the key'))
      .refine(
        (key) => key !== STACK_TAG,
        rule(`${STACK_TAG} is the project's own tag (the stack that created each resource, read by deploy to adopt or refuse what it finds): rename the key`),
      )
      // The refinements above, as one pattern for the JSON Schema.
      .meta({ pattern: `^(?![aA][wW][sS]:)(?!${STACK_TAG.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$)${TAG_TEXT_PATTERN.source.slice(1, -2)}{1,128}$` }),
    z
      .string(expects('a tag value: a string of at most 256 characters (quote numbers and booleans, e.g. "42")'))
      .max(256, rule('tag values must be at most 256 characters long: shorten the value'))
      .refine((value) => TAG_TEXT_PATTERN.test(value), rule('tag values may hold only letters, digits, spaces and _ . : / = + - @: change the value'))
      .meta({ description: 'Tag value: at most 256 letters, digits, spaces and _ . : / = + - @', pattern: TAG_TEXT_PATTERN.source }),
    expects('a mapping of tag keys to string values, e.g. tags: { Project: ecr-kms-replication }'),
  )
  .superRefine((tags, ctx) => {
    const count = Object.keys(tags).length;
    if (count > CONFIG_TAGS) {
      ctx.addIssue({
        code: 'custom',
        input: count,
        message: `at most ${CONFIG_TAGS} tags may be set (AWS allows ${MAX_TAGS} per resource; the project adds ${STACK_TAG}): remove ${count - CONFIG_TAGS}`,
      });
    }
  })
  .meta({ maxProperties: CONFIG_TAGS });

export const AccountSchema = z.strictObject(
  {
    /** The 12-digit AWS account id. */
    id: z
      .string(expects('the 12-digit AWS account id in quotes, e.g. id: "111111111111"'))
      .regex(ACCOUNT_ID_PATTERN, rule(ACCOUNT_ID_RULE))
      .meta({ description: 'The 12-digit AWS account id, in quotes, e.g. "111111111111"' }),
    /** Role the deployment assumes in this account. @default - the caller's credentials are used as they are */
    deployRoleArn: RoleArn(`the ARN of an IAM role in this account, e.g. ${EXAMPLE_ROLE_ARN}`)
      .meta({
        description: "IAM role in this account that the deployment assumes (the provider's assume_role). Default: the caller's credentials as they are",
      })
      .optional(),
    /** Principals that administer the keys of this account (KMSKeyAdmin of the CloudFormation templates). @default [] */
    keyAdministrators: PrincipalList('that administer the keys')
      .meta({ description: 'IAM principals that administer the keys of this account but cannot use them (KMSKeyAdmin). Default: []' })
      .default([]),
    /** Principals that use the keys of this account through ECR (KMSKeyUser of the CloudFormation templates). @default [] */
    keyUsers: PrincipalList('that use the keys through ECR')
      .meta({ description: 'IAM principals that use the keys of this account through ECR only (KMSKeyUser). Default: []' })
      .default([]),
  },
  expects('an account: a mapping with id (12-digit string) and optional deployRoleArn, keyAdministrators and keyUsers'),
);

export const RepositorySchema = z.strictObject(
  {
    name: RepositoryName,
    /** @default IMMUTABLE */
    imageTagMutability: z
      .enum(['IMMUTABLE', 'MUTABLE'], expects('IMMUTABLE or MUTABLE (upper case)'))
      .meta({ description: 'IMMUTABLE: a pushed tag cannot be overwritten (recommended); MUTABLE: it can (warning). Default: IMMUTABLE' })
      .default('IMMUTABLE'),
    /** @default true */
    scanOnPush: Flag('scan images for vulnerabilities when pushed')
      .meta({ description: 'Scan images for vulnerabilities when pushed (false gives a warning). Default: true' })
      .default(true),
    /** An ECR lifecycle policy ({ rules: [...] }), applied in the source and every destination. @default - none */
    lifecyclePolicy: LifecyclePolicySchema.meta({
      description: 'ECR lifecycle policy ({ rules: [...] }) applied to this repository in the source and every destination. Default: none',
    }).optional(),
    /** Principals allowed to pull images (repository policy). @default [] */
    pullPrincipals: PrincipalList('allowed to pull images')
      .meta({ description: 'IAM principals allowed to pull images (repository policy). Default: []' })
      .default([]),
    /** Principals allowed to push images (repository policy). @default [] */
    pushPrincipals: PrincipalList('allowed to push images')
      .meta({ description: 'IAM principals allowed to push images (repository policy). Default: []' })
      .default([]),
    /**
     * Takes the repository out of the config: `retain` stops managing it in every registry that holds it and keeps it
     * and its images in AWS; `destroy` deletes it there (ECR refuses while it holds images). See "Changing and retiring".
     * @default - the repository is managed
     */
    removal: z
      .enum(['retain', 'destroy'], expects('retain or destroy (retain: stop managing it and keep its images; destroy: delete it)'))
      .meta({
        description:
          'Take the repository out: retain (stop managing it, keep it and its images) or destroy (delete it; ECR refuses while it holds images). Default: managed',
      })
      .optional(),
  },
  expects('a repository: a mapping with name and optional imageTagMutability, scanOnPush, lifecyclePolicy, pullPrincipals and pushPrincipals'),
);

export const DestinationSchema = z.strictObject(
  {
    account: AccountReference,
    region: Region("the destination registry's AWS region, e.g. region: eu-west-1", 'AWS region of the destination registry, in the partition of the source.'),
    /** Create repository creation templates so that repositories replication creates are KMS-encrypted. @default true */
    repositoryCreationTemplates: Flag('create repository creation templates that encrypt replicated repositories with the key')
      .meta({
        description:
          'Create repository creation templates, so that repositories replication creates here are encrypted with the key (false gives a warning). Default: true',
      })
      .default(true),
  },
  expects('a destination registry: a mapping with account and region, e.g. { account: prod, region: eu-west-1 }'),
);

export const SourceSchema = z.strictObject(
  {
    account: AccountReference,
    region: Region("the source registry's AWS region, e.g. region: us-east-1", 'AWS region of the source registry.'),
    /** Namespaces this source replicates, repositories created later included. @default - none */
    namespaces: Estate.sourceNamespaces,
    /** Names of the repositories this source replicates. @default - every repository of the file, or with namespaces the file's repositories inside them */
    repositories: z
      .array(RepositoryName, expects('a list of repository names defined under repositories, e.g. [team-a/api, web]'))
      .min(1, rule('must list at least one repository name, or be left out to replicate every repository of the file'))
      .meta({
        description: 'Names of the repositories (defined under repositories) this source replicates, each once. Default: every repository',
        uniqueItems: true,
      })
      .optional(),
    destinations: z
      .array(DestinationSchema, expects('a list of destination registries, e.g. destinations: [{ account: prod, region: eu-west-1 }]'))
      .min(1, rule('must list at least one destination registry: add e.g. { account: prod, region: eu-west-1 }'))
      .meta({ description: 'Registries this source replicates to, each once and none equal to the source', uniqueItems: true }),
  },
  expects('a source registry: a mapping with account, region and destinations'),
);

const DAYS = 'a whole number of days from 7 to 30';

export const KeysSchema = z.strictObject(
  {
    /** Waiting period before a deleted key is destroyed, 7 to 30 days. @default 30 */
    deletionWindowInDays: z
      .number(expects(DAYS))
      .int(rule(DELETION_WINDOW_RULE))
      .min(KEY_DELETION_WINDOW.min, rule(DELETION_WINDOW_RULE))
      .max(KEY_DELETION_WINDOW.max, rule(DELETION_WINDOW_RULE))
      .meta({ description: 'Days a deleted key waits before it is destroyed, 7 to 30 (under 30 gives a warning). Default: 30' })
      .default(30),
    /** Days between automatic rotations of each key, 90 to 2560. @default - KMS's yearly rotation (365) */
    rotationPeriodInDays: z
      .number(expects(`a whole number of days from ${KEY_ROTATION_PERIOD.min} to ${KEY_ROTATION_PERIOD.max}`))
      .int(rule(ROTATION_PERIOD_RULE))
      .min(KEY_ROTATION_PERIOD.min, rule(ROTATION_PERIOD_RULE))
      .max(KEY_ROTATION_PERIOD.max, rule(ROTATION_PERIOD_RULE))
      .meta({
        description: `Days between automatic rotations of each key, ${KEY_ROTATION_PERIOD.min} to ${KEY_ROTATION_PERIOD.max}. Default: KMS's yearly rotation (${KEY_ROTATION_PERIOD.kmsDefault} days)`,
      })
      .optional(),
    /** Alias given to each registry's key. @default alias/ecr-kms-replication */
    alias: z
      .string(expects('a KMS alias, e.g. alias/ecr-kms-replication'))
      .regex(KMS_ALIAS_PATTERN, rule(KMS_ALIAS_RULE))
      .meta({ description: 'KMS alias given to the key of each registry, alias/<name>, not under alias/aws/. Default: alias/ecr-kms-replication' })
      .default(DEFAULT_KEY_ALIAS),
    /** Most repositories one key may encrypt (each holds KMS grants on it). @default 500 */
    repositoriesPerKey: z
      .number(expects(`a whole number from 1 to ${KMS_GRANTS_PER_KEY_CEILING}`))
      .int(rule(`must be a whole number from 1 to ${KMS_GRANTS_PER_KEY_CEILING}`))
      .min(1, rule(`must be a whole number from 1 to ${KMS_GRANTS_PER_KEY_CEILING}`))
      .max(KMS_GRANTS_PER_KEY_CEILING, rule(`must be a whole number from 1 to ${KMS_GRANTS_PER_KEY_CEILING} (KMS grants per key)`))
      .meta({
        description: `Most repositories one registry key may encrypt (each holds KMS grants on it), 1 to ${KMS_GRANTS_PER_KEY_CEILING}. Default: ${DEFAULT_REPOSITORIES_PER_KEY}`,
      })
      .default(DEFAULT_REPOSITORIES_PER_KEY),
    /**
     * Terraform `prevent_destroy` on every key and on the repositories: a plan that would delete a key or a
     * repository not taken out with `removal` fails. Set false only to tear down on purpose: deleting a key makes every
     * image it encrypts unreadable once the deletion window ends. @default true
     */
    preventDestroy: Flag('refuse any plan that would delete a key or a repository; false only for a deliberate teardown')
      .meta({
        description:
          'Terraform prevent_destroy on every key and repository (deleting a key makes every image it encrypts unreadable; a repository leaves only with removal); false only for a deliberate teardown. Default: true',
      })
      .default(true),
  },
  expects('a mapping with optional deletionWindowInDays, rotationPeriodInDays, alias, repositoriesPerKey and preventDestroy'),
);

const StateKeyPrefix = z
  .string(expects('a state key prefix, e.g. keyPrefix: ecr-kms-replication'))
  .regex(/^[A-Za-z0-9!_.*'()/-]{1,200}$/, rule("must be 1 to 200 characters of letters, digits and !_.*'()/-"))
  .meta({ description: 'State key of a stack: <keyPrefix>/<stack name>.tfstate. Default: ecr-kms-replication' });

export const LocalBackendSchema = z.strictObject(
  {
    type: z.literal('local').meta({ description: 'local: one state file per stack in a project folder' }),
    /** Folder, relative to the project, that holds one state file per stack. @default terraform-state */
    directory: z
      .string(expects('a folder path relative to the project, e.g. directory: terraform-state'))
      .min(1, rule('must be a folder path relative to the project, e.g. terraform-state'))
      .refine((dir) => !dir.startsWith('/') && !/^[A-Za-z]:/.test(dir) && !dir.split(/[\\/]/).includes('..'), {
        error: 'must be a relative path inside the project (no leading "/", no ".."), e.g. terraform-state',
      })
      .meta({
        description: 'Folder, relative to the project (no leading "/", no ".."), that holds one state file per stack. Default: terraform-state',
        // The refinement above, as a pattern for the JSON Schema.
        pattern: '^(?!/|[A-Za-z]:)(?![\\s\\S]*(?:^|[\\\\/])\\.\\.(?:[\\\\/]|$))',
      })
      .default('terraform-state'),
  },
  expects('a local backend'),
);

export const S3BackendSchema = z.strictObject(
  {
    type: z.literal('s3').meta({ description: 's3: state files in an S3 bucket' }),
    bucket: z
      .string(expects('the name of the S3 bucket that holds the state files, e.g. bucket: my-terraform-state', { requiredBy: 'the s3 backend' }))
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        rule('must be an S3 bucket name: 3 to 63 lowercase letters, digits, "." and "-", starting and ending with a letter or digit'),
      )
      .meta({ description: 'S3 bucket that holds the state files (versioning and encryption on, created out of band)' }),
    region: Region('the AWS region of the state bucket, e.g. region: us-east-1', 'AWS region of the state bucket.', 'the s3 backend'),
    /** State key of a stack: `<keyPrefix>/<stack name>.tfstate`. @default ecr-kms-replication */
    keyPrefix: StateKeyPrefix.default('ecr-kms-replication'),
    /** S3-native state locking (Terraform >= 1.10). @default true */
    useLockfile: Flag('S3-native state locking').meta({ description: 'S3-native state locking (Terraform >= 1.10). Default: true' }).default(true),
    /** DynamoDB table for state locking (the older mechanism). @default - none */
    dynamodbTable: z
      .string(expects('a DynamoDB table name, e.g. dynamodbTable: terraform-locks'))
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, rule('must be a DynamoDB table name: 3 to 255 letters, digits, "_", "-" or "."'))
      .meta({ description: 'DynamoDB table for state locking (the older mechanism). Default: none' })
      .optional(),
    /** Role to assume for state access. @default - the caller's credentials */
    roleArn: RoleArn(`the ARN of the IAM role that reads and writes the state, e.g. ${EXAMPLE_ROLE_ARN}`)
      .meta({ description: "IAM role assumed for state access, in the partition of the state bucket. Default: the caller's credentials" })
      .optional(),
  },
  expects('an s3 backend'),
);

/** HCP Terraform's rule for project names (API: 3 to 40 characters, letters, digits, spaces, "-" and "_", no space at either end). */
const HCP_PROJECT_NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9 _-]{1,38}[A-Za-z0-9_-]$/;

/**
 * Each run of the cloud backend gets its AWS credentials from HCP Terraform's dynamic provider credentials (one
 * configuration per provider alias, assuming the account's deployRoleArn); `createTrust` adds, per account, a stack
 * with the IAM OIDC provider of the HCP Terraform host and that deploy role, trusting exactly this estate's workspaces.
 */
export const DynamicCredentialsSchema = z.strictObject(
  {
    /** One stack per account (`ecr-hcp-trust-<account>`) creating the OIDC provider and the deploy role; applied once with other credentials. @default false */
    createTrust: Flag("create, per account, the IAM OIDC provider of the HCP Terraform host and the deploy role trusting this estate's workspaces")
      .meta({
        description:
          "Add one stack per account (ecr-hcp-trust-<account>) that creates the IAM OIDC provider of the HCP Terraform host and the account's deployRoleArn, trusting exactly this estate's workspaces; it is applied once with other credentials (see README). Default: false",
      })
      .default(false),
  },
  expects('a mapping with createTrust, e.g. dynamicCredentials: { createTrust: true }'),
);

export const CloudBackendSchema = z.strictObject(
  {
    type: z.literal('cloud').meta({ description: 'cloud: one HCP Terraform workspace per stack' }),
    organization: z
      .string(expects('the HCP Terraform organization name, e.g. organization: my-org', { requiredBy: 'the cloud backend' }))
      .regex(/^[A-Za-z0-9_-]{1,40}$/, rule('must be an HCP Terraform organization name: 1 to 40 letters, digits, "_" or "-"'))
      .meta({ description: 'HCP Terraform organization that holds the workspaces' }),
    /** @default app.terraform.io */
    hostname: z
      .string(expects('a host name, e.g. hostname: app.terraform.io'))
      .regex(
        /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
        rule('must be a host name such as app.terraform.io (lowercase, no scheme or path)'),
      )
      .meta({ description: 'HCP Terraform or Terraform Enterprise host name. Default: app.terraform.io' })
      .default('app.terraform.io'),
    /** Workspace of a stack: `<workspacePrefix><stack name>`. @default ecr-kms-replication- */
    workspacePrefix: z
      .string(expects('a workspace name prefix, e.g. workspacePrefix: ecr-kms-replication-'))
      .regex(/^[A-Za-z0-9_-]{0,60}$/, rule('must be at most 60 letters, digits, "_" or "-"'))
      .meta({ description: 'Workspace of a stack: <workspacePrefix><stack name>, at most 90 characters in all. Default: ecr-kms-replication-' })
      .default(DEFAULT_WORKSPACE_PREFIX),
    /** HCP Terraform project the workspaces belong to. @default - the organization's default project */
    project: z
      .string(expects('an HCP Terraform project name, e.g. project: platform'))
      .regex(
        HCP_PROJECT_NAME_PATTERN,
        rule('must be an HCP Terraform project name: 3 to 40 letters, digits, spaces, "-" or "_", not starting or ending with a space'),
      )
      .meta({ description: "HCP Terraform project the workspaces belong to (3 to 40 characters). Default: the organization's default project" })
      .optional(),
    /** AWS dynamic provider credentials of the runs, and the optional stack that creates their trust in AWS. @default { createTrust: false } */
    dynamicCredentials: DynamicCredentialsSchema.default({ createTrust: false }),
  },
  expects('a cloud backend'),
);

const BACKEND_TYPES = 'local, s3 or cloud (local: state files in a project folder; s3: an S3 bucket; cloud: HCP Terraform)';

export const BackendSchema = z.discriminatedUnion('type', [LocalBackendSchema, S3BackendSchema, CloudBackendSchema], {
  error: (issue) => {
    if (issue.code === 'invalid_union') {
      const type = (issue.input as { type?: unknown } | undefined)?.type;
      return type === undefined ? `is required: add type: ${BACKEND_TYPES}` : `must be ${BACKEND_TYPES}`;
    }
    if (issue.code === 'invalid_type') return 'must be a mapping with a type (local, s3 or cloud), e.g. backend: { type: local }';
    return undefined;
  },
});

export const EndpointSchema = z.strictObject(
  {
    /** Base URL of an AWS-compatible endpoint (LocalStack, moto server), e.g. http://localhost:4566. */
    url: z
      .string(expects('the base URL of an AWS-compatible endpoint, e.g. url: http://localhost:4566'))
      .regex(ENDPOINT_URL_PATTERN, rule(ENDPOINT_URL_RULE))
      .meta({ description: 'Base URL of an AWS-compatible endpoint (LocalStack, moto server), e.g. http://localhost:4566' }),
  },
  expects('a mapping with url, e.g. endpoint: { url: http://localhost:4566 }'),
);

export const ConfigSchema = z.strictObject({
  /** JSON Schema reference for editors; ignored by the app. */
  $schema: z
    .string(expects('a string: the path or URL of ecr-replication.schema.json'))
    .meta({ description: 'Path or URL of ecr-replication.schema.json, for editors; ignored by the app' })
    .optional(),
  accounts: z
    .record(AccountName, AccountSchema, expects('a mapping from account name to account, e.g. accounts: { build: { id: "111111111111" } }'))
    .refine((accounts) => Object.keys(accounts).length > 0, rule('must define at least one account, e.g. build: { id: "111111111111" }'))
    .meta({
      description: 'Named AWS accounts: a name (lowercase, at most 20 characters) becomes part of stack names and provider aliases; each id once',
      minProperties: 1,
    }),
  repositories: z
    .array(RepositorySchema, expects('a list of repositories, e.g. repositories: [{ name: team-a/api }]'))
    .min(1, rule('must list at least one repository, e.g. - name: team-a/api'))
    .meta({ description: 'Repositories, each name once, created in their source registries and in every destination' }),
  sources: z
    .array(SourceSchema, expects('a list of source registries, e.g. sources: [{ account: build, region: us-east-1, destinations: [...] }]'))
    .min(1, rule('must list at least one source registry, e.g. - { account: build, region: us-east-1, destinations: [...] }'))
    .meta({ description: 'Source registries, each once, with the registries each replicates to; all in one partition' }),
  /** Namespaces: prefixes replicated as one filter, with creation-template settings and an optional key each. @default [] */
  namespaces: Estate.namespaces,
  keys: KeysSchema.default({
    deletionWindowInDays: 30,
    alias: DEFAULT_KEY_ALIAS,
    repositoriesPerKey: DEFAULT_REPOSITORIES_PER_KEY,
    preventDestroy: true,
  }),
  /** Tags on every resource (provider default tags). @default {} */
  tags: TagMap.meta({
    description: `Tags on every resource (provider default tags), at most ${CONFIG_TAGS}; the project adds ${STACK_TAG} (the stack's name). Default: {}`,
  }).default({}),
  /** Where each stack keeps its state. @default { type: local, directory: terraform-state } */
  backend: BackendSchema.default({ type: 'local', directory: 'terraform-state' }),
  /** Send every AWS call (providers and the S3 backend) to an AWS-compatible endpoint. @default - the real AWS endpoints */
  endpoint: EndpointSchema.optional(),
  scanning: ScanningField,
  defaultLifecyclePolicy: DefaultLifecyclePolicyField,
});

// Help texts of whole sections, for the JSON Schema (editors show them); registered here so the definitions above keep their shape.
z.globalRegistry.add(AccountSchema, { description: 'An AWS account: its id, the role the deployment assumes, who administers and who uses its keys' });
z.globalRegistry.add(RepositorySchema, {
  description: 'A repository, created with this name in its source registries and in every destination, encrypted with the registry key',
});
z.globalRegistry.add(DestinationSchema, { description: 'A destination registry (account and region) that receives replicated images' });
z.globalRegistry.add(SourceSchema, { description: 'A source registry (account and region) and the destination registries it replicates to' });
z.globalRegistry.add(KeysSchema, { description: 'Settings of the customer-managed KMS key each registry gets' });
z.globalRegistry.add(LocalBackendSchema, { description: 'State files in a project folder (the default)' });
z.globalRegistry.add(S3BackendSchema, { description: 'State files in an S3 bucket: <keyPrefix>/<stack name>.tfstate' });
z.globalRegistry.add(CloudBackendSchema, { description: 'HCP Terraform: one workspace per stack, <workspacePrefix><stack name>' });
z.globalRegistry.add(DynamicCredentialsSchema, {
  description: "The runs' AWS dynamic provider credentials (HCP Terraform OIDC) and the optional stack that creates their trust in AWS",
});
z.globalRegistry.add(BackendSchema, { description: 'Where each stack keeps its Terraform state: local (default), s3 or cloud' });
z.globalRegistry.add(EndpointSchema, {
  description: 'Send every AWS call (providers and the S3 backend) to an AWS-compatible endpoint. Default: the real AWS endpoints',
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
export type CloudBackendConfig = z.output<typeof CloudBackendSchema>;
export type { NamespaceConfig } from './estate-schema';

export { partitionOf, partitionOfArn };
