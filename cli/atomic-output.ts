/**
 * Atomic synth output. cdktf's App writes into its outdir directly (stack
 * files first, then manifest.json), so a synth that fails part way would leave
 * a mix of old and new files, and the cdktf CLI never clears stale stacks from
 * a successful one until after the app exits. Here the output is written into
 * a staging folder beside the outdir, `.<outdir>.staging-<pid>`, and only a
 * complete output (a manifest, no error annotation, every pre-swap check
 * passed) replaces the outdir, by two renames:
 * outdir -> `.<outdir>.previous-<pid>`, staging -> outdir; previous deleted.
 * Any failure deletes the staging folder and leaves the outdir byte for byte
 * as it was. Folders left by a killed run are cleaned by the next run (or,
 * when the kill came between the two renames, the previous output restored).
 *
 * Terraform's working files of a stack folder (`.terraform/`,
 * `.terraform.lock.hcl`) are carried over for the stacks that remain, so a
 * deploy after a re-synth does not initialize again.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { PreSwapCheck, runPreSwapChecks } from './pre-swap-checks';

/** Terraform's files in a stack folder that survive a re-synth of that stack. */
export const TERRAFORM_WORKING_FILES: readonly string[] = ['.terraform', '.terraform.lock.hcl'];
/** cdktf's annotation level for errors (`Annotations.of(x).addError`). */
const ERROR_ANNOTATION = '@cdktf/error';

export interface AtomicOutputOptions {
  /** Writes the complete output into `stagedOutDir` (an empty folder that exists); throws on failure. */
  readonly write: (stagedOutDir: string) => void;
  /** Run on the staged output before the swap; one that fails keeps the outdir as it was. @default none */
  readonly preSwapChecks?: readonly PreSwapCheck[];
  /**
   * Leave an empty folder for each stack the new output no longer has. The cdktf CLI lists
   * `<outdir>/stacks/*` before it runs the app and deletes the folders of dropped stacks itself
   * afterwards (failing when one is already gone), so the app command it runs sets this.
   * @default false
   */
  readonly keepDroppedStackFolders?: boolean;
  /** Names the staging and previous folders. @default process.pid */
  readonly processId?: number;
}

export type AtomicOutputResult =
  | { readonly ok: true; readonly messages: readonly string[] }
  | {
      readonly ok: false;
      /** Why the output folder was not changed. */
      readonly reason: string;
      readonly messages: readonly string[];
      /** What `write` threw, when it threw. */
      readonly error?: unknown;
    };

export function stagingFolder(outdir: string, processId: number): string {
  return path.join(path.dirname(outdir), `.${path.basename(outdir)}.staging-${processId}`);
}

export function previousFolder(outdir: string, processId: number): string {
  return path.join(path.dirname(outdir), `.${path.basename(outdir)}.previous-${processId}`);
}

/** Writes a new output and swaps it into place, or leaves `outdir` untouched. */
export function writeOutputAtomically(outdir: string, options: AtomicOutputOptions): AtomicOutputResult {
  const processId = options.processId ?? process.pid;
  const staging = stagingFolder(outdir, processId);
  mkdirSync(path.dirname(outdir), { recursive: true });
  recoverAbandonedRuns(outdir);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    try {
      options.write(staging);
    } catch (error) {
      return { ok: false, reason: 'synthesis failed', messages: [], error };
    }
    const problems = stagedOutputProblems(staging);
    if (problems.length > 0) return { ok: false, reason: 'synthesis failed', messages: problems };
    const checked = runPreSwapChecks(options.preSwapChecks ?? [], existsSync(outdir) ? outdir : undefined, staging);
    if (!checked.ok) return { ok: false, reason: 'a pre-swap check refused the new output', messages: checked.messages };
    swapIntoPlace(staging, outdir, { keepDroppedStackFolders: options.keepDroppedStackFolders ?? false, processId });
    return { ok: true, messages: checked.messages };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Problems that make a staged output unfit to replace the current one: no manifest, or error annotations. */
export function stagedOutputProblems(staging: string): string[] {
  let manifest: { stacks?: Record<string, { annotations?: { level: string; constructPath: string; message: string }[] }> };
  try {
    manifest = JSON.parse(readFileSync(path.join(staging, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch {
    return ['manifest.json was not written (app.synth() did not complete)'];
  }
  return Object.values(manifest.stacks ?? {}).flatMap((stack) =>
    (stack.annotations ?? [])
      .filter((annotation) => annotation.level === ERROR_ANNOTATION)
      .map((annotation) => `ERROR [${annotation.constructPath}]: ${annotation.message}`),
  );
}

export function stackNames(outdir: string): string[] {
  try {
    return readdirSync(path.join(outdir, 'stacks'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function swapIntoPlace(staging: string, outdir: string, options: { keepDroppedStackFolders: boolean; processId: number }): void {
  const previous = previousFolder(outdir, options.processId);
  const hadOutput = existsSync(outdir);
  if (hadOutput) renameSync(outdir, previous);
  try {
    renameSync(staging, outdir);
  } catch (error) {
    if (hadOutput) renameSync(previous, outdir);
    throw error;
  }
  if (!hadOutput) return;
  const current = new Set(stackNames(outdir));
  for (const stack of stackNames(previous)) {
    if (current.has(stack)) {
      for (const file of TERRAFORM_WORKING_FILES) {
        const from = path.join(previous, 'stacks', stack, file);
        if (existsSync(from)) renameSync(from, path.join(outdir, 'stacks', stack, file));
      }
    } else if (options.keepDroppedStackFolders) {
      mkdirSync(path.join(outdir, 'stacks', stack), { recursive: true });
    }
  }
  rmSync(previous, { recursive: true, force: true });
}

function isAlive(processId: number): boolean {
  try {
    process.kill(processId, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Cleans up after runs that were killed: their staging folders go; an interrupted swap is undone. */
export function recoverAbandonedRuns(outdir: string): void {
  const parent = path.dirname(outdir);
  const pattern = new RegExp(`^\\.${escapeRegExp(path.basename(outdir))}\\.(staging|previous)-(\\d+)$`);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries.sort()) {
    const match = pattern.exec(name);
    if (!match || isAlive(Number(match[2]))) continue;
    const folder = path.join(parent, name);
    if (match[1] === 'previous' && !existsSync(outdir)) renameSync(folder, outdir);
    else rmSync(folder, { recursive: true, force: true });
  }
}
