/**
 * How a broken rule is reported, by the config and by the constructs alike:
 * `<where> (received <value>): <rule and fix>`. The config names a field path
 * (`sources[0].region`); a construct names itself, its path in the construct
 * tree and the prop (`EncryptedRepositories platform/repositories:
 * repositories[0].pullPrincipals[0]`). The rule text comes from the library
 * (`modules/ecr/`, `modules/policies/`), so both say the same thing.
 *
 * Pure text: the config layer imports it without loading cdktf.
 */
import type { IConstruct } from 'constructs';

/** A path into a value: field names and list indexes. */
export type ValuePath = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `sources[0].destinations[1].region`, `accounts.build.id`, `tags["cost center"]`; empty: `(file)`. */
export function formatPath(path: ValuePath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (IDENTIFIER.test(part)) text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text === '' ? '(file)' : text;
}

/** A value as a problem quotes it: JSON, cut at 80 characters; `nothing` when absent. */
export function formatReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** `EncryptedRepositories platform/repositories`: the class and the construct path, the start of a construct's messages. */
export function constructLabel(kind: string, scope: IConstruct): string {
  return `${kind} ${scope.node.path}`;
}

/** The error a construct throws for a bad prop: `<kind> <path>: <prop> (received <value>): <rule>`. */
export function propError(label: string, prop: string, received: unknown, rule: string): Error {
  return new Error(`${label}: ${prop} (received ${formatReceived(received)}): ${rule}`);
}
