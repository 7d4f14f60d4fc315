/**
 * What the deploy engine (cli/deploy/) asks the state-safety layer at two
 * points of a stack's run. The engine owns the order of Terraform runs and
 * the plan check; the hooks answer from AWS itself (through the stack's
 * provider settings in its cdk.tf.json), never from files of the machine
 * that runs them:
 *
 * - `adopt`, after a stack's plan, when the plan creates resources this
 *   project names (key, alias, repositories, template role, templates):
 *   resources an interrupted apply created but never recorded are adopted
 *   with import blocks (the engine writes them into the stack folder and
 *   plans again), and resources another stack's state owns (an account
 *   renamed without moving its state) refuse the run;
 * - `teardown`, after a stack's destroy plan: a key that still encrypts a
 *   repository that stays in AWS (retained, or holding images) is left
 *   (removed from the state before the destroy is planned again, with a
 *   note naming its ARN), or the run is refused naming the repository.
 */
import { TerraformPlanJson } from '../plan-check/plan-json';

export interface StackContext {
  readonly stackName: string;
  /** The synthesized stack folder (holds cdk.tf.json), already initialized (`terraform init`). */
  readonly directory: string;
  /** The command's environment (credentials, TF_CLI_CONFIG_FILE, ...). */
  readonly environment: NodeJS.ProcessEnv;
}

/** One `import` block: `to` an instance address of the stack, the provider's import `id`. */
export interface ImportTarget {
  readonly to: string;
  readonly id: string;
  /** `aws.<alias>` */
  readonly provider?: string;
}

export interface AdoptionAnswer {
  /** Import blocks for the stack folder; the engine plans again with them. Empty: nothing to adopt. */
  readonly imports: readonly ImportTarget[];
  /** Reasons this stack must not be applied; non-empty stops the run before any apply of this stack. */
  readonly refusals: readonly string[];
  /** Lines to print (orphaned keys scheduled for deletion, resources left alone and why). */
  readonly notes: readonly string[];
}

export interface TeardownAnswer {
  /** Addresses to remove from the state (`terraform state rm`) before the destroy is planned again: left in AWS. */
  readonly keep: readonly string[];
  readonly refusals: readonly string[];
  readonly notes: readonly string[];
}

export interface DeployHooks {
  readonly adopt: (stack: StackContext, plan: TerraformPlanJson) => Promise<AdoptionAnswer>;
  readonly teardown: (stack: StackContext, destroyPlan: TerraformPlanJson) => Promise<TeardownAnswer>;
}

/** Hooks that change nothing: for tests of the engine alone. */
export const NO_DEPLOY_HOOKS: DeployHooks = {
  adopt: async () => ({ imports: [], refusals: [], notes: [] }),
  teardown: async () => ({ keep: [], refusals: [], notes: [] }),
};
