/**
 * Layers run one way, and the folders show them:
 *
 *   modules/                 the library: constructs, ECR/KMS rules (ecr/), policies (policies/), compliance (compliance/)
 *   config/, stacks/, main.ts the app: config, deployment plan, stacks
 *   tools/                   audit, change report, recovery, HCL writer, Terraform export, the Terraform runner
 *   cli/, bin/               the command line
 *   scripts/                 development scripts (bench, e2e, schema writer)
 *
 * A layer imports only itself and the layers above it in this list, and no
 * module imports itself through a cycle. Imports are read with TypeScript's
 * own pre-processor, so comments and strings never count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
/** Each layer with its folders (or files); a layer may import the layers before it. */
const LAYERS: readonly (readonly [string, readonly string[]])[] = [
  ['library', ['modules']],
  ['app', ['config', 'stacks', 'main.ts']],
  ['tools', ['tools']],
  ['cli', ['cli', 'index.ts']],
  ['scripts', ['scripts']],
];

function sourceFiles(folder: string): string[] {
  if (folder.endsWith('.ts')) return [folder];
  return readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

/** Project-relative paths of the project files a file imports (`.ts` added). */
function projectImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(path.join(ROOT, file), 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), name)) + '.ts');
}

function layerOf(file: string): number {
  return LAYERS.findIndex(([, folders]) => folders.some((folder) => file === folder || file.startsWith(`${folder}/`)));
}

const files = LAYERS.flatMap(([, folders]) => folders.flatMap(sourceFiles));
const graph = new Map(files.map((file) => [file, projectImports(file)]));

test.each(LAYERS.map(([name, folders], index) => [name, folders.join(', '), index] as const))(
  'GIVEN the %s layer (%s) THEN none of its files imports a later layer',
  (_name, _folders, index) => {
    const offending = files
      .filter((file) => layerOf(file) === index)
      .flatMap((file) => (graph.get(file) ?? []).filter((imported) => layerOf(imported) > index).map((imported) => `${file} -> ${imported}`));
    expect(offending).toEqual([]);
  },
);

test('GIVEN every source file THEN the import graph has no cycle', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'visiting');
    for (const imported of graph.get(file) ?? []) visit(imported, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  expect(cycles).toEqual([]);
});
