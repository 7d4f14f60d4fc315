/**
 * Which config file a command uses, the same way for every command:
 *
 *   1. `ECR_REPLICATION_CONFIG` (an environment variable wins, as it always has);
 *   2. `--config <file>` on the command line, which is also recorded in
 *      `.ecr-replication/config.json` for the commands that follow;
 *   3. the file recorded there by an earlier `--config`;
 *   4. `ecr-replication.yaml` in the project folder (the bundled example in a clone, the starter `init` writes elsewhere).
 *
 * The record is what makes `npm run deploy` (and `cdktf deploy`, which
 * re-synthesizes through the app command) deploy the config that was
 * synthesized, not silently the bundled example.
 *
 * `.ecr-replication/synthesized.json` records, per output folder, which config
 * (path and SHA-256 of its bytes) the output was last synthesized from, so a
 * deploy can say when it is about to synthesize something else.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_VARIABLE, DEFAULT_CONFIG_FILE } from './load';

/** The project's folder of per-checkout state (git-ignored). */
export const STATE_DIRECTORY = '.ecr-replication';
export const SELECTION_FILE = `${STATE_DIRECTORY}/config.json`;
export const SYNTHESIZED_FILE = `${STATE_DIRECTORY}/synthesized.json`;

export type ConfigSource = 'environment' | 'option' | 'recorded' | 'default';

export interface SelectedConfig {
  /** The file, relative to the working folder when inside it (as it is printed and labels every message). */
  readonly file: string;
  readonly source: ConfigSource;
  /** False for a `--config` given to a tool (audit, backfill, recover, ...), which selects without recording. @default true */
  readonly recorded?: boolean;
}

export interface SelectionContext {
  /** The folder that holds cdktf.json and `.ecr-replication/`. */
  readonly projectRoot: string;
  /** Where relative paths given on the command line or in the environment start. */
  readonly cwd: string;
  readonly environment: NodeJS.ProcessEnv;
}

/** A usage error: two different config files were named. */
export class ConfigSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigSelectionError';
  }
}

/** `absolute` relative to `cwd` when inside it, else as it is. */
export function displayPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}

/** The file recorded by an earlier `--config`, as an absolute path, or undefined. */
export function recordedConfig(projectRoot: string): string | undefined {
  try {
    const { config } = JSON.parse(readFileSync(path.join(projectRoot, SELECTION_FILE), 'utf8')) as { config?: unknown };
    return typeof config === 'string' && config !== '' ? path.resolve(projectRoot, config) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a small JSON file aside and renames it, so a reader never sees half of it. */
function writeJsonAtomically(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const staged = `${file}.${process.pid}.tmp`;
  writeFileSync(staged, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(staged, file);
}

/** Records `file` (absolute or relative to `cwd`) for later commands; stored relative to the project when inside it. */
export function recordConfig(context: Pick<SelectionContext, 'projectRoot' | 'cwd'>, file: string): void {
  const absolute = path.resolve(context.cwd, file);
  const stored = insideProject(context.projectRoot, absolute) ?? absolute;
  writeJsonAtomically(path.join(context.projectRoot, SELECTION_FILE), { config: stored });
}

/** Chooses the config file (see the order above); `option` is the value of `--config`, if given. Does not record. */
export function selectConfig(context: SelectionContext, option?: string): SelectedConfig {
  const named = context.environment[CONFIG_FILE_VARIABLE];
  const fromEnvironment = named !== undefined && named.trim() !== '' ? named : undefined;
  if (fromEnvironment !== undefined) {
    if (option !== undefined && path.resolve(context.cwd, option) !== path.resolve(context.cwd, fromEnvironment)) {
      throw new ConfigSelectionError(
        `--config ${option} and ${CONFIG_FILE_VARIABLE}=${fromEnvironment} name different config files: ` +
          `give one (unset ${CONFIG_FILE_VARIABLE}, or drop --config)`,
      );
    }
    return { file: fromEnvironment, source: 'environment' };
  }
  if (option !== undefined) return { file: option, source: 'option' };
  const recorded = recordedConfig(context.projectRoot);
  if (recorded !== undefined) return { file: displayPath(recorded, context.cwd), source: 'recorded' };
  return { file: displayPath(path.join(context.projectRoot, DEFAULT_CONFIG_FILE), context.cwd), source: 'default' };
}

/** `config: prod.yaml (recorded in .ecr-replication/config.json)`: the first line of every synth, deploy, diff and destroy. */
export function describeSelection(selected: SelectedConfig): string {
  const origin: Record<ConfigSource, string> = {
    environment: `from ${CONFIG_FILE_VARIABLE}`,
    option: selected.recorded === false ? '--config' : `--config, recorded in ${SELECTION_FILE}`,
    recorded: `recorded in ${SELECTION_FILE}`,
    default: 'the default file; --config <file> selects another',
  };
  return `config: ${selected.file} (${origin[selected.source]})`;
}

// ---------------------------------------------------------------- the selection passed to the tools

/**
 * The launcher resolves the selection for the tools it runs (`tool <name>`, child processes) and passes it down in
 * the child's environment: the file in `ECR_REPLICATION_CONFIG` (which every tool reads), how it was selected here.
 */
export const SELECTION_SOURCE_VARIABLE = 'ECR_REPLICATION_CONFIG_SOURCE';

const SOURCES: readonly ConfigSource[] = ['environment', 'option', 'recorded', 'default'];

/** The child environment that carries `selected` to a tool. */
export function selectionEnvironment(environment: NodeJS.ProcessEnv, selected: SelectedConfig): NodeJS.ProcessEnv {
  return { ...environment, [CONFIG_FILE_VARIABLE]: selected.file, [SELECTION_SOURCE_VARIABLE]: selected.source };
}

/** In a tool: the selection the launcher passed down; run without the launcher, the usual selection in `cwd`. */
export function selectionOfTool(environment: NodeJS.ProcessEnv, cwd: string = process.cwd()): SelectedConfig {
  const file = environment[CONFIG_FILE_VARIABLE];
  const source = environment[SELECTION_SOURCE_VARIABLE] as ConfigSource | undefined;
  if (file !== undefined && file.trim() !== '' && source !== undefined && SOURCES.includes(source)) {
    return { file, source, ...(source === 'option' ? { recorded: false } : {}) };
  }
  return selectConfig({ projectRoot: cwd, cwd, environment });
}

// ---------------------------------------------------------------- what an output was synthesized from

export interface SynthesizedFrom {
  /** The config file, absolute. */
  readonly config: string;
  /** SHA-256 of its bytes, hex. */
  readonly sha256: string;
}

export function configDigest(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

function synthesizedRecords(projectRoot: string): Record<string, SynthesizedFrom> {
  try {
    const records = JSON.parse(readFileSync(path.join(projectRoot, SYNTHESIZED_FILE), 'utf8')) as unknown;
    return records !== null && typeof records === 'object' ? (records as Record<string, SynthesizedFrom>) : {};
  } catch {
    return {};
  }
}

/** `path` relative to the project, with forward slashes, or undefined when it lies outside. */
function insideProject(projectRoot: string, file: string): string | undefined {
  const relative = path.relative(projectRoot, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join('/') || '.';
}

/** What `outdir` was last synthesized from; only output folders inside the project are recorded (not scratch folders). */
export function lastSynthesizedFrom(projectRoot: string, outdir: string): SynthesizedFrom | undefined {
  const key = insideProject(projectRoot, outdir);
  const record = key === undefined ? undefined : synthesizedRecords(projectRoot)[key];
  if (!record || typeof record.config !== 'string' || typeof record.sha256 !== 'string') return undefined;
  return { config: path.resolve(projectRoot, record.config), sha256: record.sha256 };
}

export function recordSynthesizedFrom(projectRoot: string, outdir: string, from: SynthesizedFrom): void {
  const key = insideProject(projectRoot, outdir);
  if (key === undefined) return;
  const records = synthesizedRecords(projectRoot);
  records[key] = { config: insideProject(projectRoot, from.config) ?? from.config, sha256: from.sha256 };
  writeJsonAtomically(path.join(projectRoot, SYNTHESIZED_FILE), records);
}

/** A note when `outdir` was last synthesized from another config, or from other bytes of the same file; undefined otherwise. */
export function synthesizedConfigChange(previous: SynthesizedFrom | undefined, next: SynthesizedFrom, cwd: string, outdirLabel: string): string | undefined {
  if (previous === undefined || (previous.config === next.config && previous.sha256 === next.sha256)) return undefined;
  const short = (digest: string) => digest.slice(0, 12);
  return previous.config === next.config
    ? `note: ${displayPath(next.config, cwd)} changed since ${outdirLabel} was last synthesized from it ` +
        `(sha256 ${short(previous.sha256)} -> ${short(next.sha256)}): this run synthesizes and uses the new content`
    : `note: ${outdirLabel} was last synthesized from ${displayPath(previous.config, cwd)} (sha256 ${short(previous.sha256)}); ` +
        `this run synthesizes ${displayPath(next.config, cwd)} (sha256 ${short(next.sha256)}) instead`;
}
