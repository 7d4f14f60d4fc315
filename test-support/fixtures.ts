/** Small builders shared by construct and stack tests. */
import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { registryProvider } from '../modules/aws-provider';
import { ReadableAddressStack } from '../stacks/readable-address-stack';
import { EcrRegistry, ecrRegistry, RegistryLocation } from '../modules/registry';
import { partitionOf } from '../modules/ecr/regions';
import { PolicyDocument, PolicyStatement } from '../modules/policies/policy-document';

export const BUILD_ACCOUNT = '111111111111';
export const PROD_ACCOUNT = '222222222222';

export function location(accountId: string = BUILD_ACCOUNT, region = 'us-east-1'): RegistryLocation {
  return { accountId, region, partition: partitionOf(region) };
}

export interface TestStack {
  readonly app: App;
  readonly stack: TerraformStack;
  readonly provider: AwsProvider;
  /** The stack's registry, bound to its provider: what constructs receive. */
  readonly registry: EcrRegistry;
}

/** A bare stack with one aliased provider, for testing a construct alone. */
export function stackWithProvider(at: Pick<RegistryLocation, 'accountId' | 'region'> = location(), accountName = 'build'): TestStack {
  const app = Testing.app();
  const stack = new ReadableAddressStack(app, 'test');
  const provider = registryProvider(stack, { name: accountName, accountId: at.accountId, region: at.region });
  return { app, stack, provider, registry: ecrRegistry({ provider, accountId: at.accountId, region: at.region }) };
}

export interface SynthesizedStack {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown; description?: string }>;
  readonly provider: { aws: Record<string, unknown>[] };
  readonly terraform: Record<string, unknown>;
}

export function synthesize(stack: TerraformStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
}

/** The attributes of the only resource of a type (fails when there is not exactly one). */
export function onlyResource(synthesized: SynthesizedStack, type: string): Record<string, unknown> {
  const resources = Object.values(synthesized.resource[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected exactly one ${type}, found ${resources.length}`);
  return resources[0];
}

export function parsePolicy(text: unknown): PolicyDocument {
  if (typeof text !== 'string') throw new Error(`policy is not a string: ${JSON.stringify(text)}`);
  return JSON.parse(text) as PolicyDocument;
}

export function statement(policy: PolicyDocument, sid: string): PolicyStatement {
  const found = policy.Statement.find((candidate) => candidate.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${JSON.stringify(policy)}`);
  return found;
}

export const asList = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** Every principal ARN a statement names. */
export function principalsOf(policyStatement: PolicyStatement): readonly string[] {
  const principal = policyStatement.Principal;
  if (!principal) return [];
  return 'AWS' in principal ? asList(principal.AWS) : 'Service' in principal ? asList(principal.Service) : asList(principal.Federated);
}
