/**
 * Terraform JSON (cdk.tf.json, or a resource as the Aspect resolves it) as
 * resource instances: one per `for_each` key, with `${each.key}` and
 * `${each.value...}` references replaced by the key's values.
 */
import { ResourceInstance } from './rule';

/** The `resource` block of Terraform JSON: type, then name, then attributes. */
export type TerraformResources = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;

/**
 * A set written as `${toset(["a", "b"])}` (cdktf's TerraformIterator.fromList)
 * or a list, as the map Terraform iterates: each element is key and value.
 */
function forEachMap(forEach: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(forEach)) return Object.fromEntries(forEach.map((item) => [String(item), item]));
  if (typeof forEach === 'string') {
    const set = /^\$\{toset\((\[.*\])\)\}$/s.exec(forEach);
    if (!set) return undefined;
    try {
      const items = JSON.parse(set[1]) as unknown;
      return Array.isArray(items) ? forEachMap(items) : undefined;
    } catch {
      return undefined;
    }
  }
  return typeof forEach === 'object' && forEach !== null ? (forEach as Record<string, unknown>) : undefined;
}

/**
 * A resource's attributes as one entry per `for_each` key (`each.key` and
 * `each.value...` replaced by that key's values), or one entry without a key.
 */
export function expandInstances(attributes: Readonly<Record<string, unknown>>): {
  /** The `for_each` key, if any. */
  key?: string;
  /** The instance's attributes. */
  attributes: Record<string, unknown>;
}[] {
  const forEach = forEachMap(attributes.for_each);
  const { for_each: _forEach, ...rest } = attributes;
  if (forEach === undefined) return [{ attributes: { ...rest } }];
  return Object.entries(forEach).map(([key, value]) => ({
    key,
    attributes: substituteEach(rest, key, value) as Record<string, unknown>,
  }));
}

function substituteEach(node: unknown, key: string, value: unknown): unknown {
  if (typeof node === 'string') {
    if (node === '${each.key}') return key;
    if (node === '${each.value}') return value;
    const path = /^\$\{each\.value\.([A-Za-z0-9_.]+)\}$/.exec(node);
    if (path) return path[1].split('.').reduce<unknown>((current, part) => (current as Record<string, unknown> | undefined)?.[part], value);
    return node;
  }
  if (Array.isArray(node)) return node.map((item) => substituteEach(item, key, value));
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([name, child]) => [name, substituteEach(child, key, value)]));
  }
  return node;
}

/** `aws_ecr_repository.repositories["team-a/api"]`: Terraform's own address syntax. */
export function instanceAddress(type: string, name: string, key?: string | number): string {
  if (key === undefined) return `${type}.${name}`;
  return typeof key === 'number' ? `${type}.${name}[${key}]` : `${type}.${name}[${JSON.stringify(key)}]`;
}

/** Every resource instance of a synthesized stack, in file order. */
export function resourceInstances(resources: TerraformResources | undefined): ResourceInstance[] {
  const instances: ResourceInstance[] = [];
  for (const [type, byName] of Object.entries(resources ?? {})) {
    for (const [name, attributes] of Object.entries(byName)) {
      for (const instance of expandInstances(attributes)) {
        instances.push({ type, name, key: instance.key, address: instanceAddress(type, name, instance.key), attributes: instance.attributes });
      }
    }
  }
  return instances;
}
