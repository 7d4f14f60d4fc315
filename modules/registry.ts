/**
 * The registry a construct is bound to: one account in one region, and the
 * provider that reaches it. Every construct of the library takes one
 * `registry` and derives account, region and partition from it, so they are
 * given once, not repeated and cross-checked per construct.
 */
import { TerraformProvider } from 'cdktf';
import { Partition, partitionOf } from './ecr/regions';

/** Where a registry is: account, region and the partition of the region. */
export interface RegistryLocation {
  readonly accountId: string;
  readonly region: string;
  readonly partition: Partition;
}

/** A registry and the (aliased) provider that manages it. */
export interface EcrRegistry extends RegistryLocation {
  readonly provider: TerraformProvider;
}

export interface EcrRegistryProps {
  readonly provider: TerraformProvider;
  /** The 12-digit account id. */
  readonly accountId: string;
  /** The region, e.g. eu-west-1; the partition follows from it. */
  readonly region: string;
}

/** Binds a provider to the account and region it manages. */
export function ecrRegistry(props: EcrRegistryProps): EcrRegistry {
  return { provider: props.provider, accountId: props.accountId, region: props.region, partition: partitionOf(props.region) };
}

export function describeRegistry(location: Pick<RegistryLocation, 'accountId' | 'region'>): string {
  return `account ${location.accountId} in ${location.region}`;
}

export function sameRegistry(left: Pick<RegistryLocation, 'accountId' | 'region'>, right: Pick<RegistryLocation, 'accountId' | 'region'>): boolean {
  return left.accountId === right.accountId && left.region === right.region;
}
