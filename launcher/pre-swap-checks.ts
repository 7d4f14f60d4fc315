/**
 * Checks run after a successful synth into the staging folder and before it
 * replaces the output folder. A check that answers `ok: false` keeps the
 * previous output in place (the staged one is deleted) and fails the command;
 * its messages are printed either way.
 *
 * The project runs none by default. A check is plugged in by adding it to
 * `PROJECT_PRE_SWAP_CHECKS` below (e.g. a change report that refuses a config
 * change deleting or replacing resources unless it was confirmed).
 */

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
export const PROJECT_PRE_SWAP_CHECKS: readonly PreSwapCheck[] = [];

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
