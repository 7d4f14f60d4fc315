/** Problems found in a config file, and how they are printed. */
import { formatPath, formatReceived } from '../modules/validation';

export { formatPath };

export type ConfigPath = readonly (string | number)[];

export interface ConfigProblem {
  /** Where, as a path into the file (empty for the file itself). */
  readonly path: ConfigPath;
  /** The rule broken and the fix. */
  readonly message: string;
  /** The value found there, when there is one. */
  readonly received?: unknown;
}

/** One line: `path (received X): rule and fix`. */
export function formatProblem(problem: ConfigProblem): string {
  const received = 'received' in problem ? ` (received ${formatReceived(problem.received)})` : '';
  return `${formatPath(problem.path)}${received}: ${problem.message}`;
}

/**
 * Text in natural order: runs of digits compare as numbers (`Tag2` before `Tag10`), the rest by UTF-16 code
 * unit, so the order is the same on every machine (no locale, no ICU version).
 */
function compareText(left: string, right: string): number {
  const a = left.split(/(\d+)/);
  const b = right.split(/(\d+)/);
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    if (a[index] === b[index]) continue;
    // split() with a capture group puts digit runs at odd indexes.
    if (index % 2 === 1) {
      const difference = Number(a[index]) - Number(b[index]);
      if (difference !== 0) return difference;
    }
    return a[index] < b[index] ? -1 : 1;
  }
  return a.length - b.length;
}

/** Field paths part by part: indexes numerically (`destinations[2]` before `destinations[10]`), a parent before its fields. */
export function comparePaths(left: ConfigPath, right: ConfigPath): number {
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const a = left[index];
    const b = right[index];
    if (a === b) continue;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'number') return -1;
    if (typeof b === 'number') return 1;
    const difference = compareText(a, b);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** By path, then message, then the value received, so the same file always prints the same report. */
export function compareProblems(left: ConfigProblem, right: ConfigProblem): number {
  return comparePaths(left.path, right.path) || compareText(left.message, right.message) || compareText(formatProblem(left), formatProblem(right));
}

/** Sorted in natural order of their paths (see compareProblems). */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort(compareProblems);
}

/**
 * Problems with the same message (one rule broken the same way in several places) as one group each, in the
 * order of their first place; a problem found once is a group of one.
 */
export function groupProblems(problems: readonly ConfigProblem[]): ConfigProblem[][] {
  const groups = new Map<string, ConfigProblem[]>();
  for (const problem of sortProblems(problems)) {
    const group = groups.get(problem.message);
    if (group) group.push(problem);
    else groups.set(problem.message, [problem]);
  }
  return [...groups.values()];
}

const PLACE_INDENT = '      ';

/**
 * A group of one as formatProblem prints it; a larger group once, with its count and then one indented line per
 * place: `3 places (received false): <rule and fix>` when every place holds the same value, else
 * `3 places: <rule and fix>` and each place with its value.
 */
export function formatProblemGroup(group: readonly ConfigProblem[]): string {
  if (group.length === 1) return formatProblem(group[0]);
  const received = group.map((problem) => ('received' in problem ? ` (received ${formatReceived(problem.received)})` : ''));
  const shared = received.every((text) => text === received[0]);
  const header = `${group.length} places${shared ? received[0] : ''}: ${group[0].message}`;
  return [header, ...group.map((problem, index) => `${PLACE_INDENT}${formatPath(problem.path)}${shared ? '' : received[index]}`)].join('\n');
}

/** `file: N problems found:` and one `  - <problem>` entry per group of problems (see formatProblemGroup). */
export function formatProblemReport(file: string, problems: readonly ConfigProblem[]): string {
  return (
    `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} found:\n` +
    groupProblems(problems)
      .map((group) => `  - ${formatProblemGroup(group)}`)
      .join('\n')
  );
}

/** `warning: file: <problem>`: how a warning is printed (stderr), by synth and by the check script alike. */
export function formatWarning(file: string, warning: ConfigProblem): string {
  return `warning: ${file}: ${formatProblem(warning)}`;
}

/** Every warning of a file, grouped like problems: one `warning: file: <group>` entry per group. */
export function formatWarnings(file: string, warnings: readonly ConfigProblem[]): string[] {
  return groupProblems(warnings).map((group) => `warning: ${file}: ${formatProblemGroup(group)}`);
}

/** Thrown when a config file cannot be used; carries every problem found. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblemReport(file, problems));
    this.name = 'ConfigError';
  }
}
