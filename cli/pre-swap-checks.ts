/**
 * Checks run after a successful synth into the staging folder and before it
 * replaces the output folder. A check that answers `ok: false` keeps the
 * previous output in place (the staged one is deleted) and fails the command;
 * its messages are printed either way.
 *
 * The project runs the change preview (tools/change-report/): it prints what
 * the new output deletes or replaces compared with the previous one, keeps
 * dropped stacks under `retired/`, and never refuses (the plan check at
 * deploy reads what is deployed).
 */
import { changeReportHook } from '../tools/change-report/pre-swap-hook';

/** What a check answers. */
export interface PreSwapCheckResult {
  /** False refuses the swap: the output folder stays as it was. */
  readonly ok: boolean;
  /** Printed in order, whether or not the check passed (one line or paragraph each). */
  readonly messages: readonly string[];
}

/**
 * @param previousOutDir the current output folder, or undefined when there is none yet (first synth)
 * @param stagedOutDir the freshly synthesized output, complete (manifest.json and every stack)
 */
export type PreSwapCheck = (previousOutDir: string | undefined, stagedOutDir: string) => PreSwapCheckResult;

/** The checks every synth of this project runs (`npm run synth|deploy|diff|destroy` and the cdktf app command). */
export function projectPreSwapChecks(): readonly PreSwapCheck[] {
  return [changeReportHook];
}

/** Runs the checks in order, all of them (every message is shown), and combines their answers. */
export function runPreSwapChecks(checks: readonly PreSwapCheck[], previousOutDir: string | undefined, stagedOutDir: string): PreSwapCheckResult {
  let ok = true;
  const messages: string[] = [];
  for (const check of checks) {
    const result = check(previousOutDir, stagedOutDir);
    ok &&= result.ok;
    messages.push(...result.messages);
  }
  return { ok, messages };
}
