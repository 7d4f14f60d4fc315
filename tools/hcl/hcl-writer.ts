/**
 * A small HCL writer: values and blocks (TypeScript data) to HCL text laid out
 * the way `terraform fmt` lays it out (two-space indent, `=` aligned across
 * consecutive one-line attributes, multi-line values standing alone), so
 * generated files pass `terraform fmt -check` without running Terraform.
 *
 * Strings are literal by default: `${` and `%{` are escaped, so a value from a
 * config file can never become an interpolation. References and calls are
 * written on purpose, with `expr()`, `template()` or `call()`.
 */

/**
 * An HCL expression written as it is: `var.name`, `length(var.x) > 0`. Lines
 * after the first are indented relative to where the expression starts.
 */
export class HclExpression {
  constructor(readonly text: string) {}
}

/** A quoted string template: `${...}` inside it are interpolations. */
export class HclTemplate {
  constructor(readonly text: string) {}
}

/** A function call whose arguments may span lines: `jsonencode({ ... })`. */
export class HclCall {
  constructor(
    readonly name: string,
    readonly args: readonly HclValue[],
    /** One argument per line, with a trailing comma. */
    readonly multiline = false,
  ) {}
}

/** A `for` expression over a collection whose result value may span lines. */
export class HclFor {
  constructor(
    /** `for name, repository in var.repositories` */
    readonly head: string,
    /** `name` for an object result; undefined for a tuple result. */
    readonly key: string | undefined,
    readonly value: HclValue,
    /** `if ...` filter, without the keyword. */
    readonly condition?: string,
  ) {}
}

export type HclValue =
  string | number | boolean | null | HclExpression | HclTemplate | HclCall | HclFor | readonly HclValue[] | { readonly [key: string]: HclValue | undefined };

export const expr = (text: string): HclExpression => new HclExpression(text);
export const template = (text: string): HclTemplate => new HclTemplate(text);
export const call = (name: string, ...args: HclValue[]): HclCall => new HclCall(name, args);
/** A call with one argument per line: `concat(\n  [a],\n  b,\n)`. */
export const callLines = (name: string, ...args: HclValue[]): HclCall => new HclCall(name, args, true);

export interface HclAttribute {
  readonly kind: 'attribute';
  readonly name: string;
  readonly value: HclValue;
}

export interface HclBlock {
  readonly kind: 'block';
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: HclBody;
}

/** An empty line (ends an alignment group, as in hand-written files). */
export interface HclBlank {
  readonly kind: 'blank';
}

export interface HclComment {
  readonly kind: 'comment';
  readonly text: string;
}

export type HclBodyItem = HclAttribute | HclBlock | HclBlank | HclComment;
export type HclBody = readonly HclBodyItem[];

export const attribute = (name: string, value: HclValue): HclAttribute => ({ kind: 'attribute', name, value });
export const block = (type: string, labels: readonly string[], body: HclBody): HclBlock => ({ kind: 'block', type, labels, body });
export const blank: HclBlank = { kind: 'blank' };
export const comment = (text: string): HclComment => ({ kind: 'comment', text });

/** Attributes from an object, skipping undefined values, in the object's order. */
export function attributes(values: { readonly [name: string]: HclValue | undefined }): HclAttribute[] {
  return Object.entries(values)
    .filter((entry): entry is [string, HclValue] => entry[1] !== undefined)
    .map(([name, value]) => attribute(name, value));
}

const INDENT = '  ';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Lists of simple values up to this width stay on one line. */
const ONE_LINE_LIST_WIDTH = 100;

function escapeQuoted(text: string): string {
  // Control characters cannot appear raw in a quoted HCL string.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\\"\u0000-\u001f\u007f]/g, (character) => {
    switch (character) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/** A literal string: nothing in it is interpolated. */
export function quoteLiteral(text: string): string {
  return `"${escapeQuoted(text).replace(/[$%]\{/g, (opening) => `${opening[0]}${opening}`)}"`;
}

/** The index just past the `}` that closes the interpolation opened at `start` (at its `{`), or -1. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let quoted = false;
  for (let index = start; index < text.length; index++) {
    const character = text[index];
    if (quoted) {
      if (character === '\\') index++;
      else if (character === '"') quoted = false;
      continue;
    }
    if (character === '"') quoted = true;
    else if (character === '{') depth++;
    else if (character === '}' && --depth === 0) return index + 1;
  }
  return -1;
}

/**
 * A template string: `${...}` and `%{...}` in it stay live and are copied as
 * they are (quotes inside an interpolation are HCL, not string content); the
 * text between them is escaped.
 */
export function quoteTemplate(text: string): string {
  let result = '';
  let index = 0;
  while (index < text.length) {
    const next = text.slice(index).search(/(?<!\$)\$\{|(?<!%)%\{/);
    if (next < 0) break;
    const start = index + next;
    const end = closingBrace(text, start + 1);
    if (end < 0) break;
    result += escapeQuoted(text.slice(index, start)) + text.slice(start, end);
    index = end;
  }
  return `"${result}${escapeQuoted(text.slice(index))}"`;
}

/**
 * The expression of a template that is one interpolation and nothing else
 * (`${var.x}`), or undefined. Such a template evaluates to the value itself,
 * so writing the bare expression keeps the meaning (and is what fmt prefers).
 */
export function soleInterpolation(text: string): string | undefined {
  if (!text.startsWith('${') || !text.endsWith('}')) return undefined;
  let depth = 0;
  let quoted = false;
  for (let index = 1; index < text.length; index++) {
    const character = text[index];
    if (quoted) {
      if (character === '\\') index++;
      else if (character === '"') quoted = false;
      continue;
    }
    if (character === '"') quoted = true;
    else if (character === '{') depth++;
    else if (character === '}') {
      depth--;
      if (depth === 0) return index === text.length - 1 ? text.slice(2, -1) : undefined;
    }
  }
  return undefined;
}

/** The HCL key of an object entry or attribute name. */
export function objectKey(key: string): string {
  return IDENTIFIER.test(key) ? key : quoteLiteral(key);
}

function isPlainObject(value: HclValue): value is { readonly [key: string]: HclValue | undefined } {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof HclExpression) &&
    !(value instanceof HclTemplate) &&
    !(value instanceof HclCall) &&
    !(value instanceof HclFor)
  );
}

/** Renders a value whose first line continues the current line and whose later lines start at `indent`. */
export function renderValue(value: HclValue, indent = ''): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quoteLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`HCL has no literal for ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof HclExpression) return value.text.split('\n').join(`\n${indent}`);
  if (value instanceof HclTemplate) return quoteTemplate(value.text);
  if (value instanceof HclCall) {
    if (!value.multiline) return `${value.name}(${value.args.map((arg) => renderValue(arg, indent)).join(', ')})`;
    const inner = indent + INDENT;
    return `${value.name}(\n${value.args.map((arg) => `${inner}${renderValue(arg, inner)},`).join('\n')}\n${indent})`;
  }
  if (value instanceof HclFor) {
    const inner = indent + INDENT;
    const [open, close] = value.key === undefined ? ['[', ']'] : ['{', '}'];
    const result = value.key === undefined ? '' : `${value.key} => `;
    const filter = value.condition === undefined ? '' : ` if ${value.condition}`;
    return `${open}\n${inner}${value.head} : ${result}${renderValue(value.value, inner)}${filter}\n${indent}${close}`;
  }
  if (Array.isArray(value)) return renderList(value, indent);
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter((entry): entry is [string, HclValue] => entry[1] !== undefined);
    if (entries.length === 0) return '{}';
    const inner = indent + INDENT;
    return `{\n${renderAttributeLines(
      entries.map(([key, entry]) => ({ name: objectKey(key), value: entry })),
      inner,
    )}\n${indent}}`;
  }
  throw new Error(`cannot render ${String(value)} as HCL`);
}

function renderList(items: readonly HclValue[], indent: string): string {
  if (items.length === 0) return '[]';
  const simple = items.every((item) => !Array.isArray(item) && !isPlainObject(item) && !(item instanceof HclCall) && !(item instanceof HclFor));
  if (simple) {
    const line = `[${items.map((item) => renderValue(item, indent)).join(', ')}]`;
    if (line.length <= ONE_LINE_LIST_WIDTH && !line.includes('\n')) return line;
  }
  const inner = indent + INDENT;
  return `[\n${items.map((item) => `${inner}${renderValue(item, inner)},`).join('\n')}\n${indent}]`;
}

/** `name = value` lines, `=` aligned across runs of one-line values, as `terraform fmt` does. */
function renderAttributeLines(entries: readonly { name: string; value: HclValue }[], indent: string): string {
  const rendered = entries.map((entry) => ({ name: entry.name, text: renderValue(entry.value, indent) }));
  const lines: string[] = [];
  let index = 0;
  while (index < rendered.length) {
    if (rendered[index].text.includes('\n')) {
      lines.push(`${indent}${rendered[index].name} = ${rendered[index].text}`);
      index++;
      continue;
    }
    let end = index;
    while (end < rendered.length && !rendered[end].text.includes('\n')) end++;
    const width = Math.max(...rendered.slice(index, end).map((entry) => entry.name.length));
    for (const entry of rendered.slice(index, end)) lines.push(`${indent}${entry.name.padEnd(width)} = ${entry.text}`);
    index = end;
  }
  return lines.join('\n');
}

/** Renders a body (the inside of a block, or a whole file) at `indent`. */
export function renderBody(body: HclBody, indent = ''): string {
  const lines: string[] = [];
  let run: { name: string; value: HclValue }[] = [];
  const flush = (): void => {
    if (run.length > 0) lines.push(renderAttributeLines(run, indent));
    run = [];
  };
  for (const item of body) {
    if (item.kind === 'attribute') {
      run.push({ name: objectKey(item.name), value: item.value });
      continue;
    }
    flush();
    if (item.kind === 'blank') lines.push('');
    else if (item.kind === 'comment') lines.push(...item.text.split('\n').map((line) => `${indent}#${line ? ` ${line}` : ''}`));
    else lines.push(renderBlock(item, indent));
  }
  flush();
  return lines.join('\n');
}

function renderBlock(item: HclBlock, indent: string): string {
  const head = [item.type, ...item.labels.map(quoteLiteral)].join(' ');
  if (item.body.length === 0) return `${indent}${head} {}`;
  return `${indent}${head} {\n${renderBody(item.body, indent + INDENT)}\n${indent}}`;
}

/** A whole file: top-level items separated by blank lines, ending with one newline. */
export function renderFile(items: readonly (HclBodyItem | HclBody)[]): string {
  const parts = items.map((item) => (Array.isArray(item) ? renderBody(item as HclBody) : renderBody([item as HclBodyItem])));
  return `${parts.filter((part) => part.length > 0).join('\n\n')}\n`;
}
