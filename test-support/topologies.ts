/**
 * Small configs of the replication topologies the checks reason about, in the
 * config's input shape: an active-active pair, a three-registry full mesh and
 * a forwarding chain, all replicating the same repositories. Each call returns
 * a fresh copy, so tests may mutate it.
 */
import { ConfigInput } from '../config/schema';

/** Three accounts, one registry each: `a` in us-east-1, `b` in eu-west-1, `c` in us-west-2. */
export const TOPOLOGY_REGISTRIES = {
  a: { account: 'a', region: 'us-east-1' },
  b: { account: 'b', region: 'eu-west-1' },
  c: { account: 'c', region: 'us-west-2' },
} as const;

type Name = keyof typeof TOPOLOGY_REGISTRIES;

function topology(edges: Readonly<Partial<Record<Name, readonly Name[]>>>): ConfigInput {
  return {
    accounts: {
      a: { id: '111111111111', deployRoleArn: 'arn:aws:iam::111111111111:role/ecr-replication-deployer' },
      b: { id: '222222222222', deployRoleArn: 'arn:aws:iam::222222222222:role/ecr-replication-deployer' },
      c: { id: '333333333333', deployRoleArn: 'arn:aws:iam::333333333333:role/ecr-replication-deployer' },
    },
    namespaces: [{ prefix: 'team-a/' }],
    repositories: [{ name: 'team-a/api' }, { name: 'web' }],
    sources: (Object.entries(edges) as [Name, readonly Name[]][]).map(([from, to]) => ({
      ...TOPOLOGY_REGISTRIES[from],
      namespaces: ['team-a/'],
      repositories: ['team-a/api', 'web'],
      destinations: to.map((name) => ({ ...TOPOLOGY_REGISTRIES[name] })),
    })),
  };
}

/** `a` and `b` replicate the same repositories and namespace to each other. */
export function activeActivePair(): ConfigInput {
  return topology({ a: ['b'], b: ['a'] });
}

/** `a`, `b` and `c` each replicate the same repositories to the two others. */
export function threeRegistryMesh(): ConfigInput {
  return topology({ a: ['b', 'c'], b: ['a', 'c'], c: ['a', 'b'] });
}

/** `a` replicates to `b`, which replicates the same repositories on to `c`: images pushed in `a` never reach `c`. */
export function forwardingChain(): ConfigInput {
  return topology({ a: ['b'], b: ['c'] });
}
