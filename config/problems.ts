/** Problems found in a config file, and how they are printed. */

export type ConfigPath = readonly (string | number)[];

export interface ConfigProblem {
  /** Where, as a path into the file (empty for the file itself). */
  readonly path: ConfigPath;
  /** The rule broken and the fix. */
  readonly message: string;
  /** The value found there, when there is one. */
  readonly received?: unknown;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `sources[0].destinations[1].region`, `accounts.build.id`, `tags["cost center"]`. */
export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (IDENTIFIER.test(part)) text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text === '' ? '(file)' : text;
}

function formatReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** One line: `path (received X): rule and fix`. */
export function formatProblem(problem: ConfigProblem): string {
  const received = 'received' in problem ? ` (received ${formatReceived(problem.received)})` : '';
  return `${formatPath(problem.path)}${received}: ${problem.message}`;
}

/** Sorted by path text then message, so the same file always prints the same report. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((left, right) => {
    const a = formatProblem(left);
    const b = formatProblem(right);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** `file: N problems found:` and one `  - <problem>` line per problem. */
export function formatProblemReport(file: string, problems: readonly ConfigProblem[]): string {
  return (
    `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} found:\n` + problems.map((problem) => `  - ${formatProblem(problem)}`).join('\n')
  );
}

/** `warning: file: <problem>`: how a warning is printed (stderr), by synth and by the check script alike. */
export function formatWarning(file: string, warning: ConfigProblem): string {
  return `warning: ${file}: ${formatProblem(warning)}`;
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
