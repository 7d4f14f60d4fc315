/**
 * Keeps the compiled project (dist/) in step with its sources without paying
 * for TypeScript on every command: `tsc -b` costs about 0.5 s even when
 * nothing changed (it loads the compiler), `tsc -p` about 9 s, while comparing
 * modification times of the sources (the `include` list of
 * tsconfig.build.json) with tsc's build info takes a few milliseconds. Only
 * when a source or a tsconfig file is newer, or an output is missing, does
 * `rebuild` run `tsc -p tsconfig.build.json`, one build at a time (a lock
 * folder in dist/).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import * as path from 'node:path';

export interface BuildLayout {
  readonly root: string;
  /** tsconfig.build.json: its `include` names the sources. */
  readonly buildConfig: string;
  /** tsc's build info; its modification time is the time of the last build. */
  readonly buildInfo: string;
  readonly dist: string;
}

export function buildLayout(root: string): BuildLayout {
  return {
    root,
    buildConfig: path.join(root, 'tsconfig.build.json'),
    buildInfo: path.join(root, 'dist', '.tsbuildinfo-app'),
    dist: path.join(root, 'dist'),
  };
}

function modifiedMs(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Source files of the build, relative to the root: the include list of tsconfig.build.json (files and folders). */
export function buildSources(layout: BuildLayout): string[] {
  const { include } = JSON.parse(readFileSync(layout.buildConfig, 'utf8')) as { include?: string[] };
  const sources: string[] = [];
  const visit = (relative: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(layout.root, relative), { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') sources.push(relative);
      else if (code !== 'ENOENT') throw error;
      return;
    }
    for (const entry of entries) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) sources.push(child);
    }
  };
  (include ?? []).forEach(visit);
  return sources;
}

/** The first reason dist/ is out of date, or undefined when it is current. */
export function staleReason(layout: BuildLayout): string | undefined {
  const built = modifiedMs(layout.buildInfo);
  if (built === undefined) return 'dist/ has not been built';
  for (const config of [layout.buildConfig, path.join(layout.root, 'tsconfig.json')]) {
    if ((modifiedMs(config) ?? 0) > built) return `${path.basename(config)} changed`;
  }
  for (const source of buildSources(layout)) {
    if ((modifiedMs(path.join(layout.root, source)) ?? 0) > built) return `${source} changed`;
    const output = source.replace(/\.ts$/, '.js');
    if (modifiedMs(path.join(layout.dist, output)) === undefined) return `dist/ lacks ${output}`;
  }
  return undefined;
}

function sleep(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

/** How long a build lock may be held before it counts as abandoned (a build takes 10-30 s). */
const LOCK_STALE_MS = 120_000;
const LOCK_WAIT_MS = 300_000;

export type RebuildResult = { readonly rebuilt: boolean; readonly error?: undefined } | { readonly rebuilt: false; readonly error: string };

/** Runs tsc when dist/ is stale; waits while another process builds. `log` receives progress lines. */
export function rebuildWhenStale(layout: BuildLayout, log: (line: string) => void): RebuildResult {
  if (staleReason(layout) === undefined) return { rebuilt: false };
  const lock = path.join(layout.dist, '.build-lock');
  mkdirSync(layout.dist, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = modifiedMs(lock);
      if (held !== undefined && Date.now() - held > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline)
        return { rebuilt: false, error: `${path.relative(layout.root, lock)} is held by another build; remove it if no build is running` };
      else sleep(100);
    }
  }
  try {
    const reason = staleReason(layout); // another process may have built meanwhile
    if (reason === undefined) return { rebuilt: false };
    log(`compiling the project (${reason}): tsc -p tsconfig.build.json`);
    let tsc: string;
    try {
      tsc = require.resolve('typescript/bin/tsc', { paths: [layout.root] });
    } catch {
      return { rebuilt: false, error: 'dist/ is out of date and TypeScript is not installed: run `npm ci` (or `npm run build`)' };
    }
    const started = new Date();
    const result = spawnSync(process.execPath, [tsc, '-p', layout.buildConfig], { cwd: layout.root, stdio: ['ignore', 2, 2] });
    if (result.status !== 0) return { rebuilt: false, error: 'the TypeScript build failed (see above)' };
    // The build info is the stamp: tsc leaves it alone when only mtimes changed, and a
    // source saved while tsc ran must still count as newer.
    utimesSync(layout.buildInfo, started, started);
    return { rebuilt: true };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
