/**
 * The launcher's own account of a run, printed last whatever happened: one
 * line per stack (planned, no changes, refused, applied, failed, not run, ...)
 * with the reason in Terraform's or the check's words, the stacks left out,
 * and the verdict.
 */
import { describeFinding, PlanFinding } from '../../tools/plan-check/findings';
import { PlanSummary } from './plan-summary';

export type DeployCommand = 'deploy' | 'diff' | 'destroy';

export type StackStatus =
  'planned' | 'no changes' | 'waits for its dependencies' | 'refused' | 'applied' | 'partly applied' | 'failed' | 'not run' | 'declined';

export interface StackOutcome {
  readonly stack: string;
  status: StackStatus;
  /** Why (failed, refused, not run, waits), in Terraform's, the check's or the hooks' words. */
  reason?: string;
  /** The latest plan's summary. */
  summary?: PlanSummary;
  /** What was applied, step by step: `additions: 1 added`, `5 added, 0 changed, 0 destroyed`. */
  readonly applied: string[];
}

const FAILING: ReadonlySet<StackStatus> = new Set(['failed', 'refused', 'not run', 'declined', 'partly applied']);

export function isFailing(outcome: StackOutcome): boolean {
  return FAILING.has(outcome.status);
}

/** One line per stack, aligned: `  <stack>  <status> (<applied>): <reason>`. */
export function formatSummary(command: DeployCommand, outcomes: readonly StackOutcome[], notTargeted: readonly string[]): string[] {
  const width = Math.max(0, ...outcomes.map((outcome) => outcome.stack.length));
  const lines = [`${command} summary:`];
  for (const outcome of outcomes) {
    const applied = outcome.applied.length > 0 ? ` (${outcome.applied.join('; ')})` : '';
    lines.push(`  ${outcome.stack.padEnd(width)}  ${outcome.status}${applied}${outcome.reason ? `: ${outcome.reason}` : ''}`);
  }
  if (notTargeted.length > 0) lines.push(`  not targeted, not run: ${notTargeted.join(', ')}`);
  return lines;
}

/** The last line: what the run did, and the exit code it gives. */
export function verdict(command: DeployCommand, outcomes: readonly StackOutcome[]): { line: string; exitCode: number } {
  const count = (status: StackStatus) => outcomes.filter((outcome) => outcome.status === status).length;
  const failing = outcomes.filter(isFailing);
  if (failing.length === 0) {
    const done = command === 'diff' ? 'planned' : command === 'destroy' ? 'destroyed' : 'deployed';
    return { line: `${command} complete: ${outcomes.length} stack${outcomes.length === 1 ? '' : 's'} ${done}`, exitCode: 0 };
  }
  const parts = (['failed', 'refused', 'declined', 'partly applied', 'not run'] as const)
    .filter((status) => count(status) > 0)
    .map((status) => `${count(status)} ${status}`);
  return { line: `${command} failed: ${parts.join(', ')}`, exitCode: 1 };
}

/** The findings block: refused ones first (marked), then the ones only reported. */
export function formatFindings(findings: readonly PlanFinding[], accepted: (finding: PlanFinding) => boolean): string[] {
  if (findings.length === 0) return [];
  const lines = ['plan check:'];
  const ordered = [...findings.filter((finding) => finding.refused), ...findings.filter((finding) => !finding.refused)];
  for (const finding of ordered) {
    const mark = finding.refused ? (accepted(finding) ? 'accepted: ' : 'REFUSED: ') : '';
    lines.push(`  - ${mark}${describeFinding(finding)}`);
  }
  return lines;
}
