/**
 * The state-safety hooks the daily commands run with (tools/recovery/
 * deploy-hooks.ts): adoption of what an interrupted apply left behind (or a
 * refusal when another state owns it), and the teardown's keys kept for the
 * repositories that stay in AWS. Tests of the engine alone pass their own.
 *
 * The hooks call AWS through the SDK clients, optional peers of the package:
 * they are loaded on the first question, so a deploy that asks none (a plan
 * that creates nothing, no destroy) never needs them, and a missing client is
 * the one message of `requireAwsSdk` with the `npm install` to run.
 */
import { requireAwsSdk } from '../../tools/aws-sdk';
import { DeployHooks } from '../../tools/recovery/deploy-hooks';

export function defaultDeployHooks(): DeployHooks {
  let loaded: Promise<DeployHooks> | undefined;
  const hooks = (): Promise<DeployHooks> => {
    loaded ??= (async () => {
      requireAwsSdk('deploy (adopting what an interrupted apply left, keeping keys at teardown)');
      const { projectDeployHooks } = await import('../../tools/recovery/project-deploy-hooks');
      return projectDeployHooks();
    })();
    return loaded;
  };
  return {
    adopt: async (stack, plan) => (await hooks()).adopt(stack, plan),
    teardown: async (stack, destroyPlan) => (await hooks()).teardown(stack, destroyPlan),
  };
}
