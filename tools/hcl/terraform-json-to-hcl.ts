/**
 * Terraform JSON (a synthesized `cdk.tf.json`) to HCL that `terraform
 * validate` accepts. `cdktf synth --hcl` (0.21) writes JSON policy strings
 * holding `${...}` references as bare text and `lifecycle.precondition` as an
 * argument (terraform-cdk issue 3911); this converter writes
 *
 * - a string that is one `${...}` as the bare expression, other strings as
 *   templates (Terraform JSON strings are templates too, so the meaning holds);
 * - a string holding a JSON object or array (a policy) as `jsonencode({...})`,
 *   readable and with its references live;
 * - nested blocks (from the provider bindings, see provider-blocks.ts),
 *   `lifecycle` with its `precondition`/`postcondition` blocks, backends and
 *   `cloud { workspaces {} }` as blocks;
 * - `provider` and `depends_on` as references.
 */
import { attribute, block, blank, expr, HclBody, HclBodyItem, HclValue, renderFile, soleInterpolation, template, call } from './hcl-writer';
import { BlockTree, providerBlocks } from './provider-blocks';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Meta-argument blocks of every resource and data source. */
const LIFECYCLE_BLOCKS: BlockTree = { lifecycle: { precondition: {}, postcondition: {} } };
const REFERENCE_ARGUMENTS = new Set(['provider', 'depends_on']);

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON document inside a string (a policy), or undefined. */
function embeddedJson(text: string): Json | undefined {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') && trimmed.endsWith('}')) && !(trimmed.startsWith('[') && trimmed.endsWith(']'))) return undefined;
  try {
    const parsed = JSON.parse(trimmed) as Json;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The end of the string literal that starts at `start` (its opening quote): the index just past the closing quote. */
function stringEnd(text: string, start: number): number {
  let depth = 0;
  for (let index = start + 1; index < text.length; index++) {
    const character = text[index];
    if (depth === 0) {
      if (character === '\\') index++;
      else if (character === '"') return index + 1;
      else if ((character === '$' || character === '%') && text[index + 1] === '{') {
        depth = 1;
        index++;
      }
    } else if (character === '"') index = stringEnd(text, index) - 1;
    else if (character === '{') depth++;
    else if (character === '}') depth--;
  }
  return text.length;
}

/**
 * cdktf writes `for` expressions as `[ for key, val in X: body]`, where
 * `terraform fmt` writes `[for key, val in X : body]`: the opening bracket
 * hugs `for`, and the colon that ends the collection stands between spaces.
 * Strings (and what they interpolate) are copied as they are; a conditional
 * inside the collection keeps its own colon.
 */
export function formatForExpressions(text: string): string {
  let result = '';
  let index = 0;
  while (index < text.length) {
    const character = text[index];
    if (character === '"') {
      const end = stringEnd(text, index);
      result += text.slice(index, end);
      index = end;
      continue;
    }
    const head = /^\[\s*for\s+[A-Za-z_][\w-]*(?:\s*,\s*[A-Za-z_][\w-]*)?\s+in\s/.exec(text.slice(index));
    if (character === '[' && head) {
      result += `[${head[0].slice(1).trimStart()}`;
      index += head[0].length;
      continue;
    }
    const objectHead = /^\{\s*for\s+[A-Za-z_][\w-]*(?:\s*,\s*[A-Za-z_][\w-]*)?\s+in\s/.exec(text.slice(index));
    const forHead = head ?? objectHead;
    if (forHead) {
      result += forHead[0];
      index += forHead[0].length;
      continue;
    }
    result += character;
    index++;
  }
  return spaceForColons(result);
}

/** ` : ` around the colon that ends each `for` collection (the first colon at the for's depth not taken by a `?`). */
function spaceForColons(text: string): string {
  const colons = new Set<number>();
  const scan = (from: number): void => {
    let depth = 0;
    let questions = 0;
    for (let index = from; index < text.length; index++) {
      const character = text[index];
      if (character === '"') index = stringEnd(text, index) - 1;
      else if ('([{'.includes(character)) depth++;
      else if (')]}'.includes(character)) {
        if (depth === 0) return;
        depth--;
      } else if (depth === 0 && character === '?') questions++;
      else if (depth === 0 && character === ':') {
        if (questions === 0) {
          colons.add(index);
          return;
        }
        questions--;
      }
    }
  };
  const head = /[[{]\s*for\s+[A-Za-z_][\w-]*(?:\s*,\s*[A-Za-z_][\w-]*)?\s+in\s/g;
  for (let match = head.exec(text); match !== null; match = head.exec(text)) {
    // Only a for head outside strings: count the quotes before it.
    if (insideString(text, match.index)) continue;
    scan(match.index + match[0].length);
  }
  let result = '';
  for (let index = 0; index < text.length; index++) {
    if (!colons.has(index)) {
      result += text[index];
      continue;
    }
    result = `${result.trimEnd()} :`;
    if (text[index + 1] !== ' ') result += ' ';
  }
  return result;
}

function insideString(text: string, position: number): boolean {
  for (let index = 0; index < position; index++) {
    if (text[index] === '"') {
      const end = stringEnd(text, index);
      if (position < end) return true;
      index = end - 1;
    }
  }
  return false;
}

/** A Terraform JSON expression value as an HCL value. */
export function jsonValueToHcl(value: Json): HclValue {
  if (typeof value === 'string') {
    const embedded = embeddedJson(value);
    if (embedded !== undefined) return call('jsonencode', jsonValueToHcl(embedded));
    const sole = soleInterpolation(value);
    return sole !== undefined ? expr(formatForExpressions(sole)) : template(value);
  }
  if (Array.isArray(value)) return value.map(jsonValueToHcl);
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, jsonValueToHcl(entry)]));
  }
  return value;
}

/** A reference written as a string in JSON (`"aws.build_us_east_1"`, `"${aws_iam_role.x}"`). */
function reference(value: Json): HclValue {
  if (Array.isArray(value)) return value.map(reference);
  if (typeof value !== 'string') return jsonValueToHcl(value);
  return expr(soleInterpolation(value) ?? value);
}

/** The body of a block: arguments named in `blocks` become nested blocks, the rest attributes. */
export function jsonBody(body: JsonObject, blocks: BlockTree): HclBodyItem[] {
  const items: HclBodyItem[] = [];
  const nested: HclBodyItem[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (name === '//') continue; // cdktf metadata
    const children = blocks[name];
    if (children !== undefined && (isObject(value) || (Array.isArray(value) && value.every(isObject)))) {
      const instances = Array.isArray(value) ? value : [value];
      for (const instance of instances) nested.push(block(name, [], jsonBody(instance as JsonObject, children)));
      continue;
    }
    items.push(attribute(name, REFERENCE_ARGUMENTS.has(name) ? reference(value) : jsonValueToHcl(value)));
  }
  return [...items, ...nested];
}

function labelled(type: string, labels: readonly string[], body: HclBody): HclBodyItem {
  return block(type, labels, body);
}

/**
 * cdktf writes `source = "aws"`, which Terraform reads as `hashicorp/aws`;
 * the HCL names the provider in full, as written by hand and as
 * `terraform init` reports it.
 */
function fullProviderSources(providers: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(providers).map(([name, requirement]) => [
      name,
      isObject(requirement) && typeof requirement.source === 'string' && !requirement.source.includes('/')
        ? { ...requirement, source: `hashicorp/${requirement.source}` }
        : requirement,
    ]),
  );
}

function terraformBlock(terraform: JsonObject): HclBodyItem {
  const items: HclBodyItem[] = [];
  for (const [name, value] of Object.entries(terraform)) {
    if (name === '//') continue;
    if (name === 'required_providers' && isObject(value)) items.push(block(name, [], jsonBody(fullProviderSources(value), {})));
    else if (name === 'backend' && isObject(value)) {
      for (const [type, settings] of Object.entries(value)) items.push(block('backend', [type], jsonBody(settings as JsonObject, {})));
    } else if (name === 'cloud' && isObject(value)) items.push(block('cloud', [], jsonBody(value, { workspaces: {} })));
    else items.push(attribute(name, jsonValueToHcl(value)));
  }
  return block('terraform', [], items);
}

/** Converts a whole Terraform JSON document to the text of one `.tf` file. */
export function terraformJsonToHcl(document: JsonObject): string {
  const items: (HclBodyItem | HclBody)[] = [];
  for (const [section, content] of Object.entries(document)) {
    if (section === '//' || !isObject(content)) continue;
    switch (section) {
      case 'terraform':
        items.push(terraformBlock(content));
        break;
      case 'provider':
        for (const [name, configurations] of Object.entries(content)) {
          for (const configuration of Array.isArray(configurations) ? configurations : [configurations]) {
            items.push(labelled('provider', [name], jsonBody(configuration as JsonObject, name === 'aws' ? providerBlocks('provider', name) : {})));
          }
        }
        break;
      case 'resource':
      case 'data':
        for (const [type, instances] of Object.entries(content)) {
          const blocks = type.startsWith('aws_') ? providerBlocks(section, type) : {};
          for (const [name, body] of Object.entries(instances as JsonObject)) {
            items.push(labelled(section, [type, name], jsonBody(body as JsonObject, { ...blocks, ...LIFECYCLE_BLOCKS })));
          }
        }
        break;
      case 'output':
      case 'variable':
      case 'module':
        for (const [name, body] of Object.entries(content)) items.push(labelled(section, [name], jsonBody(body as JsonObject, {})));
        break;
      case 'locals':
        items.push(block('locals', [], jsonBody(content, {})));
        break;
      default:
        throw new Error(`Terraform JSON section "${section}" is not supported by the HCL converter`);
    }
    items.push([blank].slice(0, 0)); // sections are separated by renderFile's blank lines
  }
  return renderFile(items.filter((item) => !(Array.isArray(item) && item.length === 0)));
}
