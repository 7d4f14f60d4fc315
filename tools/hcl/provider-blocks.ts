/**
 * Which arguments of an AWS resource, data source or provider are nested
 * blocks, read from the generated @cdktf/provider-aws bindings (the pinned
 * 20.1.0 = hashicorp/aws 5.100.0). Terraform JSON writes blocks and
 * attributes alike; HCL must write a block as `name { ... }`, so converting
 * JSON to HCL needs this knowledge. The bindings carry it: every generated
 * `...ToHclTerraform` function lists its arguments with `isBlock`. Reading it
 * there avoids a `terraform providers schema -json` run (13 MB, ~10 s).
 */
import { readFileSync } from 'node:fs';

/** Nested block names, each with its own nested blocks. */
export interface BlockTree {
  readonly [name: string]: BlockTree;
}

const cache = new Map<string, BlockTree>();

/** The bindings folder of a resource type: `aws_ecr_repository` -> `ecr-repository`, data sources get `data-aws-`. */
export function bindingModule(kind: 'resource' | 'data' | 'provider', type: string): string {
  if (kind === 'provider') return '@cdktf/provider-aws/lib/provider';
  if (!type.startsWith('aws_')) throw new Error(`${type} is not an AWS ${kind} type; only hashicorp/aws types are known to the HCL converter`);
  const folder = type.replace(/_/g, '-').replace(/^aws-/, kind === 'data' ? 'data-aws-' : '');
  return `@cdktf/provider-aws/lib/${folder}`;
}

/**
 * The `const attrs = { ... };` object that follows `start` in the source, up to the `};` at the
 * indentation of its opening line (4 spaces in the struct functions, 8 in the classes' methods).
 * Without that bound the section would run to the end of the file, whose last line is a source map
 * of hundreds of kilobytes: scanning it costs the entry pattern below seconds to tens of seconds.
 */
function attrsSection(source: string, start: number): string {
  const open = source.indexOf('const attrs = {', start);
  if (open < 0) return '';
  const indent = open - source.lastIndexOf('\n', open) - 1;
  const close = source.indexOf(`\n${' '.repeat(indent)}};`, open);
  return source.slice(open, close > 0 ? close : undefined);
}

function blocksOf(source: string, section: string, seen: ReadonlySet<string>): BlockTree {
  const tree: Record<string, BlockTree> = {};
  const entry = /(\w+): \{\s*value: ([^\n]*),\s*isBlock: (true|false)/g;
  for (let match = entry.exec(section); match; match = entry.exec(section)) {
    if (match[3] !== 'true') continue;
    const nested = [...match[2].matchAll(/(?<![.\w])([a-z]\w*ToHclTerraform)\b/g)].map((found) => found[1]);
    const name = nested[nested.length - 1];
    if (name === undefined || seen.has(name)) {
      tree[match[1]] = {};
      continue;
    }
    const definition = source.indexOf(`function ${name}(`);
    tree[match[1]] = definition < 0 ? {} : blocksOf(source, attrsSection(source, definition), new Set([...seen, name]));
  }
  return tree;
}

/** The block tree of a resource, data source or provider type. */
export function providerBlocks(kind: 'resource' | 'data' | 'provider', type: string): BlockTree {
  const key = `${kind}:${type}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const module = bindingModule(kind, type);
  let file: string;
  try {
    file = require.resolve(`${module}/index.js`);
  } catch (error) {
    throw new Error(`no @cdktf/provider-aws bindings for ${kind} ${type} (looked for ${module})`, { cause: error });
  }
  const source = readFileSync(file, 'utf8');
  const start = source.indexOf('synthesizeHclAttributes() {');
  if (start < 0) throw new Error(`${module} has no synthesizeHclAttributes: cannot tell its blocks from its attributes`);
  const tree = blocksOf(source, attrsSection(source, start), new Set());
  cache.set(key, tree);
  return tree;
}
