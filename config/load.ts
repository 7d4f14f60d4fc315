/**
 * Reads a config file (YAML or JSON), validates all of it, and returns the
 * typed config with its warnings, or throws a ConfigError listing every problem.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, ConfigPath, ConfigProblem, sortProblems } from './problems';
import { crossFieldProblems } from './rules';
import { Config, ConfigSchema } from './schema';
import { configWarnings } from './warnings';

/** The bundled example, used when nothing else is named. */
export const DEFAULT_CONFIG_FILE = 'ecr-replication.yaml';
/** Environment variable that names another config file. */
export const CONFIG_FILE_VARIABLE = 'ECR_REPLICATION_CONFIG';

export interface LoadedConfig {
  /** The file as it was named (relative paths stay relative). */
  readonly file: string;
  readonly config: Config;
  readonly warnings: readonly ConfigProblem[];
}

/** The config file to use: `ECR_REPLICATION_CONFIG`, else the bundled example. */
export function configFileFromEnvironment(environment: NodeJS.ProcessEnv = process.env): string {
  const named = environment[CONFIG_FILE_VARIABLE];
  return named !== undefined && named.trim() !== '' ? named : DEFAULT_CONFIG_FILE;
}

export function loadConfigFile(file: string, baseDirectory: string = process.cwd()): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path.resolve(baseDirectory, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `file not found: create it (see ${DEFAULT_CONFIG_FILE}) or point ${CONFIG_FILE_VARIABLE} at an existing file`
        : code === 'EISDIR'
          ? `is a directory, not a file: point ${CONFIG_FILE_VARIABLE} at a YAML or JSON file`
          : `cannot be read (${code ?? String(error)}): check the file's permissions`;
    throw new ConfigError(file, [{ path: [], message }]);
  }
  return parseConfigText(text, file);
}

/** Validates config text; `file` only labels the messages. */
export function parseConfigText(text: string, file: string): LoadedConfig {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => {
        const position = error.linePos?.[0];
        const where = position ? `line ${position.line}, column ${position.col}` : 'unknown position';
        return { path: [], message: `YAML syntax error at ${where}: ${firstLine(error.message)}` };
      }),
    );
  }
  const raw: unknown = document.toJS({ maxAliasCount: 100 });
  if (raw === null || raw === undefined) {
    throw new ConfigError(file, [{ path: [], message: 'the file is empty: describe accounts, repositories and sources (see the bundled ecr-replication.yaml)' }]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [
      { path: [], received: raw, message: 'the top level must be a mapping with accounts, repositories and sources' },
    ]);
  }
  return validateConfig(raw, file);
}

/** Validates an already parsed document. */
export function validateConfig(raw: unknown, file: string): LoadedConfig {
  const result = ConfigSchema.safeParse(raw, { reportInput: true });
  const problems = [...(result.success ? [] : result.error.issues.flatMap((issue) => problemsOfIssue(issue, raw))), ...crossFieldProblems(raw)];
  if (problems.length > 0 || !result.success) throw new ConfigError(file, sortProblems(dedupe(problems)));
  return { file, config: result.data, warnings: sortProblems(configWarnings(result.data)) };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = JSON.stringify([problem.path, problem.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function valueAt(raw: unknown, path: ConfigPath): unknown {
  let value = raw;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

const GENERIC_MESSAGE = /^Invalid (input|option|key)/;

function problemsOfIssue(issue: z.core.$ZodIssue, raw: unknown): ConfigProblem[] {
  const issuePath = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: [...issuePath, key],
      received: valueAt(raw, [...issuePath, key]),
      message: `unknown field: remove it or fix its spelling${suggestion(key, allowedKeysAt(issuePath, raw))}`,
    }));
  }
  if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    return [{ path: issuePath, received: issuePath[issuePath.length - 1], message: `name ${issue.issues[0].message}` }];
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    const detail = GENERIC_MESSAGE.test(issue.message) ? `a ${issue.expected} value` : issue.message.replace(/^must be /, '');
    return [{ path: issuePath, message: `is required: add ${detail}` }];
  }
  return [{ path: issuePath, received: issue.input, message: GENERIC_MESSAGE.test(issue.message) ? issue.message.toLowerCase() : issue.message }];
}

/** The field names allowed where an unknown field was found. */
function allowedKeysAt(path: ConfigPath, raw: unknown): string[] {
  let schema: z.ZodType | undefined = ConfigSchema;
  for (let index = 0; schema !== undefined && index <= path.length; index++) {
    schema = unwrap(schema, valueAt(raw, path.slice(0, index)));
    if (index === path.length) break;
    const part = path[index];
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[part as string];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else schema = undefined;
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType, value: unknown): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodDiscriminatedUnion) {
      const type = (value as { type?: unknown } | undefined)?.type;
      const option = (current.options as z.ZodType[]).find(
        (candidate) => candidate instanceof z.ZodObject && (candidate.shape as { type?: z.ZodLiteral }).type?.value === type,
      );
      if (!option) return current;
      current = option;
    } else return current;
  }
}

function suggestion(key: string, allowed: readonly string[]): string {
  if (allowed.length === 0) return '';
  const closest = allowed
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .sort((left, right) => left.distance - right.distance)[0];
  const didYouMean = closest.distance <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${closest.candidate}"?)` : '';
  return `${didYouMean}; allowed here: ${allowed.filter((name) => name !== '$schema').join(', ')}`;
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left[i - 1] === right[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[right.length];
}
