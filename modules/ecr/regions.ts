/**
 * AWS regions and partitions. ARNs, service principals and `kms:ViaService`
 * values differ between partitions, so every ARN the project builds goes
 * through these functions.
 */
import { didYouMean } from '../suggest';

/** The AWS partitions that have ECR and KMS. */
export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

/** Regions in which ECR and KMS are offered (commercial, GovCloud and China). */
export const AWS_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
];

const KNOWN_REGIONS = new Set(AWS_REGIONS);

/** An AWS-compatible endpoint (LocalStack, moto's server): an http(s) URL with a host and an optional port. */
export const ENDPOINT_URL_PATTERN = /^https?:\/\/[^\s/]+(:\d+)?\/?$/;
/** The endpoint rule as one message. */
export const ENDPOINT_URL_RULE = 'must be an http(s) URL with host and optional port, e.g. http://localhost:4566';

/** Whether ECR and KMS are offered in `region`. */
export function isAwsRegion(region: string): boolean {
  return KNOWN_REGIONS.has(region);
}

/** The region rule as one message (a misspelt region gets a "did you mean" from `regionProblem`). */
export const REGION_RULE = 'must be an AWS region where ECR and KMS are offered, e.g. us-east-1, eu-west-1 or us-gov-west-1';

/** The region rule with the closest region when it looks like a typo (`eu-west-9`: did you mean "eu-west-1"?), or undefined. */
export function regionProblem(region: string): string | undefined {
  return isAwsRegion(region) ? undefined : `${REGION_RULE}${didYouMean(region, AWS_REGIONS)}`;
}

/**
 * Replication stays in one partition: undefined when both regions are in the
 * same partition, else the rule with the fix.
 */
export function crossPartitionReplicationProblem(sourceRegion: string, destinationRegion: string): string | undefined {
  const source = partitionOf(sourceRegion);
  const destination = partitionOf(destinationRegion);
  return source === destination
    ? undefined
    : `replication cannot cross partitions: the source is in ${source}, this region in ${destination}; choose a region of ${source}`;
}

/** The partition a region belongs to. */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** DNS suffix of service endpoints in a region (`amazonaws.com`, `amazonaws.com.cn`). */
export function dnsSuffixOf(region: string): string {
  return partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** The ECR endpoint name used by `kms:ViaService`, e.g. `ecr.us-west-2.amazonaws.com`. */
export function ecrServiceEndpoint(region: string): string {
  return `ecr.${region}.${dnsSuffixOf(region)}`;
}

/** The partition of an ARN (`arn:<partition>:...`), or undefined when it is not an ARN. */
export function partitionOfArn(arn: string): string | undefined {
  const match = /^arn:([a-z-]+):/.exec(arn);
  return match ? match[1] : undefined;
}

/** `arn:<partition>:iam::<account>:root`: the account as a principal. */
export function accountRootArn(partition: Partition, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** `arn:<partition>:iam::<account>:role/<name>`. */
export function iamRoleArn(partition: Partition, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** `arn:<partition>:ecr:<region>:<account>:repository/<name>`. */
export function ecrRepositoryArn(partition: Partition, region: string, accountId: string, repositoryName: string): string {
  return `arn:${partition}:ecr:${region}:${accountId}:repository/${repositoryName}`;
}

/** The URL `docker push` and `docker pull` use: `<account>.dkr.ecr.<region>.<dns suffix>/<name>` (`amazonaws.com.cn` in China). */
export function ecrRepositoryUrl(region: string, accountId: string, repositoryName: string): string {
  return `${accountId}.dkr.ecr.${region}.${dnsSuffixOf(region)}/${repositoryName}`;
}

/** A KMS key ARN (never an alias): `arn:<partition>:kms:<region>:<account>:key/<key id>`. */
export const KMS_KEY_ARN_PATTERN = /^arn:(aws|aws-us-gov|aws-cn):kms:([a-z0-9-]+):(\d{12}):key\/[0-9A-Za-z-]+$/;

/** The rule of a key given by ARN, as one message (aliases, aws/ecr included, are not keys of the registry). */
export const KMS_KEY_ARN_RULE =
  'must be the ARN of a customer-managed KMS key, arn:<partition>:kms:<region>:<account>:key/<key id>, in the account and region of the repositories; aliases (alias/aws/ecr included) are not accepted';

/** The partition, region and account of a KMS key ARN, or undefined when it is not one. */
export function parseKmsKeyArn(arn: string):
  | {
      /** The key's partition. */
      readonly partition: Partition;
      /** The key's region. */
      readonly region: string;
      /** The key's account. */
      readonly accountId: string;
    }
  | undefined {
  const match = KMS_KEY_ARN_PATTERN.exec(arn);
  return match ? { partition: match[1] as Partition, region: match[2], accountId: match[3] } : undefined;
}
