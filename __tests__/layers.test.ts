/**
 * Layers run one way: ECR/KMS knowledge, policies, constructs and compliance
 * rules never import the app (config, stacks, scripts), and no module
 * imports itself through a cycle. Imports are read with TypeScript's own
 * pre-processor, so comments and strings never count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const LIBRARY = ['ecr', 'policies', 'modules', 'compliance'];
const APP = ['config', 'stacks', 'scripts', 'launcher', 'bin', 'main.ts'];
const SOURCE_FOLDERS = [...LIBRARY, 'config', 'stacks'];

function sourceFiles(folder: string): string[] {
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

const files = SOURCE_FOLDERS.flatMap(sourceFiles).concat(['index.ts', 'main.ts']);
const graph = new Map(files.map((file) => [file, projectImports(file)]));

test.each(LIBRARY)('GIVEN the library folder %s THEN none of its files imports the app layer', (folder) => {
  const offending = sourceFiles(folder).flatMap((file) =>
    projectImports(file)
      .filter((imported) => APP.some((app) => imported === app || imported.startsWith(`${app.replace(/\.ts$/, '')}/`)))
      .map((imported) => `${file} -> ${imported}`),
  );
  expect(offending).toEqual([]);
});

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
