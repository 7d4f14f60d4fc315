/**
 * One aliased AWS provider per account and region: it assumes the account's
 * deployment role, refuses to run against any other account, and tags
 * everything it creates.
 */
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** Services the stacks call; an AWS-compatible endpoint must serve all of them. */
export const ENDPOINT_SERVICES = ['ecr', 'iam', 'kms', 's3', 'sts'] as const;

/** An AWS-compatible endpoint that serves every service the stacks call. */
export interface AwsEndpoint {
  /** Base URL, e.g. http://localhost:4566. */
  readonly url: string;
}

export interface RegistryProviderProps {
  /** Account name from the config; with the region it forms the alias. */
  readonly accountName: string;
  readonly accountId: string;
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

/** `build_us_east_1`: the provider alias, derived from account name and region. */
export function providerAlias(accountName: string, region: string): string {
  return `${accountName}_${region}`.replace(/[^A-Za-z0-9_]/g, '_');
}

export function registryProvider(scope: Construct, props: RegistryProviderProps): AwsProvider {
  const alias = providerAlias(props.accountName, props.region);
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
