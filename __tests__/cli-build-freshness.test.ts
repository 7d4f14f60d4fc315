/** cli/build-freshness.ts: dist/ counts as stale exactly when a source, a tsconfig or an output says so. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildLayout, buildSources, rebuildWhenStale, staleReason } from '../cli/build-freshness';

const BUILT = new Date('2026-01-01T12:00:00Z');
const BEFORE = new Date('2026-01-01T11:00:00Z');
const AFTER = new Date('2026-01-01T13:00:00Z');

describe('GIVEN a project built after its last edit', () => {
  let root: string;
  const file = (relative: string, time: Date = BEFORE, text = '') => {
    const absolute = path.join(root, relative);
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, text);
    utimesSync(absolute, time, time);
  };
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'launcher-freshness-'));
    file('tsconfig.json', BEFORE, '{}');
    file('tsconfig.build.json', BEFORE, JSON.stringify({ include: ['main.ts', 'src'] }));
    file('main.ts');
    file('src/a.ts');
    file('src/types.d.ts');
    file('dist/main.js');
    file('dist/src/a.js');
    file('dist/.tsbuildinfo-app', BUILT);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('WHEN nothing changed THEN dist/ is current', () => {
    expect(staleReason(buildLayout(root))).toBeUndefined();
  });

  test('WHEN the sources are listed THEN they are the include list, folders walked, declaration files left out', () => {
    expect(buildSources(buildLayout(root)).sort()).toEqual(['main.ts', 'src/a.ts']);
  });

  test.each([
    ['a source was saved after the build', () => file('src/a.ts', AFTER), 'src/a.ts changed'],
    ['a source was added', () => file('src/b.ts'), 'dist/ lacks src/b.js'],
    ['tsconfig.json was edited', () => file('tsconfig.json', AFTER, '{}'), 'tsconfig.json changed'],
    ['the build info is missing', () => rmSync(path.join(root, 'dist', '.tsbuildinfo-app')), 'dist/ has not been built'],
    ['an output was deleted', () => rmSync(path.join(root, 'dist', 'main.js')), 'dist/ lacks main.js'],
  ])('WHEN %s THEN dist/ is stale, and the reason says why', (_case, change, reason) => {
    change();

    expect(staleReason(buildLayout(root))).toBe(reason);
  });

  test('WHEN a declaration file changed THEN dist/ is still current (it compiles to nothing)', () => {
    file('src/types.d.ts', AFTER);

    expect(staleReason(buildLayout(root))).toBeUndefined();
  });

  test('WHEN dist/ is current THEN rebuildWhenStale runs nothing and logs nothing', () => {
    const log: string[] = [];

    expect(rebuildWhenStale(buildLayout(root), (line) => log.push(line))).toEqual({ rebuilt: false });
    expect(log).toEqual([]);
  });
});
