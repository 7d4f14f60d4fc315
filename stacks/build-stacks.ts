/** One stack per destination registry and one per source registry, from a validated config. */
import { Construct } from 'constructs';
import { Aspects } from 'cdktf';
import { ComplianceAspect } from '../modules/compliance/compliance-aspect';
import { Config } from '../config/schema';
import { planDeployment } from '../config/deployment-plan';
import { DestinationStack } from './destination-stack';
import { SourceStack } from './source-stack';
import { accountTrustPlans, HcpTrustStack } from './hcp-trust-stack';

export interface ReplicationStacks {
  readonly destinations: readonly DestinationStack[];
  readonly sources: readonly SourceStack[];
  /** With backend cloud and dynamicCredentials.createTrust: one stack per account, applied before its registries. @default [] */
  readonly trust: readonly HcpTrustStack[];
}

export function buildReplicationStacks(scope: Construct, config: Config): ReplicationStacks {
  const plan = planDeployment(config);
  const shared = {
    keys: config.keys,
    tags: config.tags,
    backend: config.backend,
    endpoint: config.endpoint,
    scanning: config.scanning,
    defaultLifecyclePolicy: config.defaultLifecyclePolicy,
  };
  const destinations = plan.destinations.map((destination) => new DestinationStack(scope, { ...shared, plan: destination }));
  const sources = plan.sources.map(
    (source) =>
      new SourceStack(scope, {
        ...shared,
        plan: source,
        destinationStacks: destinations.filter((stack) => source.destinations.includes(stack.plan)),
        registryStack: destinations.find((stack) => stack.stackName === source.registryStackName),
      }),
  );
  // cdktf invokes aspects per stack, not from the app: register on each stack.
  const compliance = new ComplianceAspect();
  for (const stack of [...destinations, ...sources]) Aspects.of(stack).add(compliance);
  const backend = config.backend;
  const trust =
    backend.type === 'cloud'
      ? accountTrustPlans(config, plan).map((trustPlan) => new HcpTrustStack(scope, { plan: trustPlan, backend, tags: config.tags, endpoint: config.endpoint }))
      : [];
  // Deploy order only (no state is read): the deploy role exists before a registry stack of its account runs.
  for (const stack of [...destinations, ...sources]) {
    const own = trust.find((candidate) => candidate.plan.accountName === stack.registry.accountName);
    if (own) stack.addDependency(own);
  }
  return { destinations, sources, trust };
}
