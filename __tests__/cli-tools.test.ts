/** `node bin/ecr-replication.js tool <name>`: the npm scripts of the compiled tools go through the launcher's freshness check. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runTool, TOOLS } from '../cli/cli';

const ROOT = path.resolve(__dirname, '..');

test('GIVEN an unknown tool THEN it exits 2 naming the tools', () => {
  let stderr = '';
  const write = process.stderr.write;
  process.stderr.write = ((text: string) => ((stderr += text), true)) as typeof process.stderr.write;
  try {
    expect(runTool(['nope'])).toBe(2);
  } finally {
    process.stderr.write = write;
  }
  expect(stderr).toBe('ecr-replication: unknown tool "nope": use one of audit, backfill, recover, export-terraform, plan-check, diagram\n');
});

test.each(Object.entries(TOOLS))('GIVEN the tool %s THEN its compiled script comes from a source the build includes', (_name, script) => {
  const source = script.replace(/\.js$/, '.ts');
  expect(existsSync(path.join(ROOT, source))).toBe(true);
  const include = (JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
  expect(include.some((entry) => source === entry || source.startsWith(`${entry}/`))).toBe(true);
});

test('GIVEN package.json THEN each tool script runs through the launcher', () => {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect([scripts.audit, scripts.backfill, scripts.recover, scripts['plan-check'], scripts['export:terraform'], scripts.diagram]).toEqual([
    'node bin/ecr-replication.js tool audit',
    'node bin/ecr-replication.js tool backfill',
    'node bin/ecr-replication.js tool recover',
    'node bin/ecr-replication.js tool plan-check',
    'node bin/ecr-replication.js tool export-terraform',
    'node bin/ecr-replication.js tool diagram',
  ]);
});
