/**
 * One aliased AWS provider per account and region: it assumes the account's
 * deployment role, refuses to run against any other account, and tags
 * everything it creates.
 */
import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { accountIdProblem, roleArnProblem } from './ecr/principals';
import { regionProblem } from './ecr/regions';
import { propError } from './validation';

/** The services the constructs (and an S3 state backend) call: an AWS-compatible endpoint must serve all of them. */
export const ENDPOINT_SERVICES = ['ecr', 'iam', 'kms', 's3', 'sts'] as const;

/** An AWS-compatible endpoint (LocalStack, moto) that serves every service in `ENDPOINT_SERVICES`. */
export interface AwsEndpoint {
  /** Base URL, e.g. http://localhost:4566. */
  readonly url: string;
}

/** What `registryProvider` configures. */
export interface RegistryProviderProps {
  /** A short name of the account, e.g. `build`; with the region it forms the provider alias (`build_us_east_1`). */
  readonly name: string;
  /** The 12-digit account id: the provider refuses to run against any other account (`allowed_account_ids`). */
  readonly accountId: string;
  /** The region every resource of the provider is created in. */
  readonly region: string;
  /** Role to assume in the account. @default - the caller's credentials */
  readonly deployRoleArn?: string;
  /** Session name of the assumed role (shows in CloudTrail). Required with deployRoleArn. @default - no role assumed */
  readonly sessionName?: string;
  /** Tags applied to every resource the provider creates. @default {} */
  readonly defaultTags?: Readonly<Record<string, string>>;
  /** Send every call to an AWS-compatible endpoint (LocalStack, moto). @default - the real AWS endpoints */
  readonly endpoint?: AwsEndpoint;
  /**
   * AWS shared config files the provider reads credentials from, e.g. the file HCP Terraform's dynamic credentials
   * write for this alias (then leave deployRoleArn out: the file's profile assumes the role). @default - none
   */
  readonly sharedConfigFiles?: readonly string[];
}

/** `build_us_east_1`: the provider alias, derived from the account's short name and the region. */
export function providerAlias(name: string, region: string): string {
  return `${name}_${region}`.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * An aliased `AwsProvider` for one account and region (construct id
 * `aws_<alias>`): it assumes `deployRoleArn` when given, refuses any other
 * account, and tags what it creates. Fails for an account id, region or role
 * ARN the config would refuse.
 */
export function registryProvider(scope: Construct, props: RegistryProviderProps): AwsProvider {
  for (const [prop, value, check] of [
    ['accountId', props.accountId, accountIdProblem],
    ['region', props.region, regionProblem],
    ['deployRoleArn', props.deployRoleArn, roleArnProblem],
  ] as const) {
    const problem = value === undefined || Token.isUnresolved(value) ? undefined : check(value);
    if (problem !== undefined) throw propError('registryProvider', prop, value, problem);
  }
  const alias = providerAlias(props.name, props.region);
  const endpointUrl = props.endpoint?.url.replace(/\/$/, '');
  return new AwsProvider(scope, `aws_${alias}`, {
    alias,
    region: props.region,
    allowedAccountIds: [props.accountId],
    assumeRole: props.deployRoleArn ? [{ roleArn: props.deployRoleArn, sessionName: props.sessionName ?? 'terraform' }] : undefined,
    sharedConfigFiles: props.sharedConfigFiles ? [...props.sharedConfigFiles] : undefined,
    defaultTags: props.defaultTags && Object.keys(props.defaultTags).length > 0 ? [{ tags: { ...props.defaultTags } }] : undefined,
    ...(endpointUrl
      ? {
          endpoints: [Object.fromEntries(ENDPOINT_SERVICES.map((service) => [service, endpointUrl]))],
          s3UsePathStyle: true,
          skipCredentialsValidation: true,
          skipMetadataApiCheck: 'true',
          skipRegionValidation: true,
        }
      : {}),
  });
}
