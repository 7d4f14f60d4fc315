/** The registry a construct or stack is bound to: one account in one region. */
import { Partition } from '../ecr/regions';

export interface RegistryLocation {
  readonly accountId: string;
  readonly region: string;
  readonly partition: Partition;
}

export function describeRegistry(location: RegistryLocation): string {
  return `account ${location.accountId} in ${location.region}`;
}
