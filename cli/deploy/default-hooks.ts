/**
 * The state-safety hooks the daily commands run with (tools/recovery/
 * deploy-hooks.ts): adoption of what an interrupted apply left behind (or a
 * refusal when another state owns it), and the teardown's keys kept for the
 * repositories that stay in AWS. Tests of the engine alone pass their own.
 */
import { DeployHooks } from '../../tools/recovery/deploy-hooks';
import { projectDeployHooks } from '../../tools/recovery/project-deploy-hooks';

export function defaultDeployHooks(): DeployHooks {
  return projectDeployHooks();
}
