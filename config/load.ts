/**
 * Reads a config file (YAML or JSON), validates all of it, and returns the
 * typed config with its warnings, or throws a ConfigError listing every problem.
 * Nothing here builds constructs: callers build stacks only from a config
 * that passed.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, YAMLError } from 'yaml';
import { z } from 'zod';
import { ConfigError, ConfigPath, ConfigProblem, sortProblems } from './problems';
import { crossFieldProblems } from './cross-field-checks';
import { Config, ConfigSchema } from './schema';
import { didYouMean } from '../modules/suggest';
import { configWarnings } from './warnings';

/** The bundled example, used when nothing else is named. */
export const DEFAULT_CONFIG_FILE = 'ecr-replication.yaml';
/** Environment variable that names another config file. */
export const CONFIG_FILE_VARIABLE = 'ECR_REPLICATION_CONFIG';
/** YAML aliases expanded at most (guards against "billion laughs" documents). */
const MAX_ALIAS_COUNT = 100;

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
    throw new ConfigError(file, [{ path: [], message: readFailure(error) }]);
  }
  return parseConfigText(text, file);
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `file not found: create it (see the bundled ${DEFAULT_CONFIG_FILE}) or point ${CONFIG_FILE_VARIABLE} at an existing file`;
    case 'EISDIR':
      return `is a directory, not a file: name a YAML or JSON file (e.g. ${DEFAULT_CONFIG_FILE})`;
    case 'EACCES':
    case 'EPERM':
      return `cannot be read (${code}: permission denied): give the user running this read access to the file`;
    default:
      return `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))}): check that the file exists and is readable`;
  }
}

/** Validates config text (YAML, or JSON which is YAML too); `file` only labels the messages. */
export function parseConfigText(text: string, file: string): LoadedConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => ({ path: [], message: yamlErrorMessage(error, text, lineCounter) })),
    );
  }
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(file, [
      {
        path: [],
        message: /alias count/i.test(message)
          ? `YAML aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} alias uses): write the values out instead`
          : `YAML cannot be read: ${message}: check the anchors (&name) and aliases (*name)`,
      },
    ]);
  }
  if (raw === null || raw === undefined) {
    throw new ConfigError(file, [
      { path: [], message: `the file is empty: describe accounts, repositories and sources (see the bundled ${DEFAULT_CONFIG_FILE})` },
    ]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [
      {
        path: [],
        received: raw,
        message: `the top level must be a mapping with accounts, repositories and sources (see the bundled ${DEFAULT_CONFIG_FILE})`,
      },
    ]);
  }
  return validateConfig(raw, file);
}

function yamlErrorMessage(error: YAMLError, text: string, lineCounter: LineCounter): string {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  const where = `line ${line}, column ${col}`;
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = duplicateKeyText(text.slice(error.pos[0]));
      return `duplicate key${key ? ` "${key}"` : ''} at ${where}: a key may appear only once in a mapping: remove the duplicate or merge the two entries`;
    }
    case 'MULTIPLE_DOCS':
      return `several YAML documents ("---") at ${where}: a config file holds one document; keep one`;
    default:
      return `YAML syntax error at ${where}: ${error.message.split('\n')[0].replace(/\.$/, '')}: fix the YAML there`;
  }
}

function duplicateKeyText(rest: string): string | undefined {
  const match = /^(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^\n:#,{}[\]]*?))\s*:/.exec(rest);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? match[3])?.trim() || undefined;
}

/** Validates an already parsed document. */
export function validateConfig(raw: unknown, file: string): LoadedConfig {
  const result = ConfigSchema.safeParse(raw, { reportInput: true });
  const problems = [...(result.success ? [] : result.error.issues.flatMap((issue) => problemsOfIssue(issue, raw))), ...crossFieldProblems(raw)];
  if (problems.length > 0 || !result.success) throw new ConfigError(file, sortProblems(dedupe(problems)));
  return { file, config: result.data, warnings: sortProblems(configWarnings(result.data)) };
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

/** zod's built-in messages ("Invalid input: expected string, received number", "Too small: ..."). */
const GENERIC_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;

function problemsOfIssue(issue: z.core.$ZodIssue, raw: unknown): ConfigProblem[] {
  const issuePath = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const allowed = allowedKeysAt(issuePath, raw).filter((name) => name !== '$schema');
        return {
          path: [...issuePath, key],
          received: valueAt(raw, [...issuePath, key]),
          message: `unknown field${didYouMean(key, allowed)}: remove it or fix its spelling${allowed.length ? `; allowed here: ${allowed.join(', ')}` : ''}`,
        };
      });
    case 'invalid_key':
      // The path ends with the offending key (an account name, a tag key).
      return issue.issues.map((inner) => ({ path: issuePath, received: issuePath[issuePath.length - 1], message: readableMessage(inner) }));
    case 'invalid_union':
      // A discriminated union reports at its discriminator (backend.type) with the whole object as input.
      return [{ path: issuePath, received: issue.discriminator !== undefined ? valueAt(raw, issuePath) : issue.input, message: readableMessage(issue) }];
    case 'custom':
      // A rule that found a field missing marks it `params.absent` (zod would otherwise report the parent as input).
      return [
        { path: issuePath, received: (issue.params as { absent?: boolean } | undefined)?.absent ? undefined : issue.input, message: readableMessage(issue) },
      ];
    default:
      return [{ path: issuePath, received: issue.input, message: readableMessage(issue) }];
  }
}

/** The issue's own message, or, when a schema was left with zod's generic text, a specific one built from the issue. */
function readableMessage(issue: z.core.$ZodIssue): string {
  if (!GENERIC_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      const what = describeType(issue.expected);
      return issue.input === undefined ? `is required: add ${what}` : `must be ${what}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `must hold at least ${issue.minimum} entr${Number(issue.minimum) === 1 ? 'y' : 'ies'}`
        : issue.origin === 'string'
          ? `must be at least ${issue.minimum} characters long`
          : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `must hold at most ${issue.maximum} entries`
        : issue.origin === 'string'
          ? `must be at most ${issue.maximum} characters long`
          : `must be at most ${issue.maximum}`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    default:
      return `is not valid here: ${issue.message.replace(/^Invalid input:?\s*/, '') || 'check it against ecr-replication.schema.json'}`;
  }
}

function describeType(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a mapping (key: value pairs)';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    case 'int':
      return 'a whole number';
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
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
