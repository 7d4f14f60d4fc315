/**
 * The launcher's pre-swap hook: called with the previous output folder (if
 * any) and the staged one, before the staged output replaces the previous.
 * Prints nothing itself; returns the preview's lines and never stops the
 * swap (the plan check at deploy is the safety net). The last synthesis of every dropped stack is kept in
 * `<staged>/retired/<stack>` (and earlier retired folders carried over), so
 * the stack can still be destroyed or inspected with plain Terraform: the
 * folder sits as deep as `stacks/<stack>`, so its relative local state path
 * still finds the state.
 */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { compareOutputs, RETIRED_DIRECTORY } from './compare-outputs';
import { formatChangeReport } from './format-report';
import { readPreviousOutput, readSynthesizedOutput } from './synthesized-output';

export interface PreSwapResult {
  /** Always true: the preview never stops a synthesis. */
  readonly ok: boolean;
  /** Lines for stderr. */
  readonly messages: readonly string[];
}

export type PreSwapHook = (previousOutDir: string | undefined, stagedOutDir: string) => PreSwapResult;

/** Terraform's working folder is re-created by `terraform init`; it may hold provider binaries. */
const notWorkingFiles = (source: string): boolean => path.basename(source) !== '.terraform';

function keepRetiredStacks(previousOutDir: string, stagedOutDir: string, dropped: readonly string[], active: ReadonlySet<string>): void {
  const target = path.join(stagedOutDir, RETIRED_DIRECTORY);
  for (const stack of dropped) {
    const from = path.join(previousOutDir, 'stacks', stack);
    if (existsSync(from)) cpSync(from, path.join(target, stack), { recursive: true, filter: notWorkingFiles, verbatimSymlinks: true });
  }
  const earlier = path.join(previousOutDir, RETIRED_DIRECTORY);
  if (!existsSync(earlier)) return;
  for (const stack of readdirSync(earlier)) {
    if (active.has(stack) || dropped.includes(stack)) continue;
    cpSync(path.join(earlier, stack), path.join(target, stack), { recursive: true, filter: notWorkingFiles, verbatimSymlinks: true });
  }
}

/** The change preview as a pre-swap hook. */
export function changeReportHook(previousOutDir: string | undefined, stagedOutDir: string): PreSwapResult {
  const previous = readPreviousOutput(previousOutDir);
  const staged = readSynthesizedOutput(stagedOutDir);
  const report = compareOutputs(previous, staged);
  if (previousOutDir !== undefined && previous !== undefined) {
    const dropped = report.findings.flatMap((finding) => (finding.kind === 'stack-dropped' ? [finding.stack] : []));
    keepRetiredStacks(previousOutDir, stagedOutDir, dropped, new Set(staged.stacks.keys()));
  }
  return { ok: true, messages: formatChangeReport(report) };
}
