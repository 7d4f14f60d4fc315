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

/** A Terraform JSON expression value as an HCL value. */
export function jsonValueToHcl(value: Json): HclValue {
  if (typeof value === 'string') {
    const embedded = embeddedJson(value);
    if (embedded !== undefined) return call('jsonencode', jsonValueToHcl(embedded));
    const sole = soleInterpolation(value);
    return sole !== undefined ? expr(sole) : template(value);
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

function terraformBlock(terraform: JsonObject): HclBodyItem {
  const items: HclBodyItem[] = [];
  for (const [name, value] of Object.entries(terraform)) {
    if (name === '//') continue;
    if (name === 'required_providers' && isObject(value)) items.push(block(name, [], jsonBody(value, {})));
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
