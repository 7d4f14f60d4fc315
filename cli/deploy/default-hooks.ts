/**
 * The state-safety hooks the daily commands run with (tools/recovery/
 * deploy-hooks.ts): adoption of what an interrupted apply left behind, and
 * the teardown's keys kept for retained repositories. One default, replaced
 * here when the real hooks land; tests pass their own.
 */
import { DeployHooks, NO_DEPLOY_HOOKS } from '../../tools/recovery/deploy-hooks';

export function defaultDeployHooks(): DeployHooks {
  return NO_DEPLOY_HOOKS;
}
