/**
 * One shared `terraform init` for every test. Providers are installed once
 * (`init -backend=false`) into a cache folder under `.terraform-cli/`, keyed
 * by the stacks' `required_providers`; a synthesized stack folder is then
 * made ready for `terraform validate` and `terraform test` by symlinking the
 * cache's `.terraform/providers` and copying its `.terraform.lock.hcl`, no
 * second init. Terraform always runs with the project's own CLI config
 * (tools/terraform-cli.ts), never the machine's.
 *
 * The cache is created atomically: init runs in a temporary folder that is
 * then renamed into place, under a lock folder, so parallel jest workers
 * neither run init twice nor see a half-written cache.
 */
import { withSortedKeys } from '../tools/sorted-json';
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT, providerMirror, runTerraform, terraformEnvironment, TerraformResult } from '../tools/terraform-cli';

/** Parent folder of the shared init caches. */
export const INIT_CACHE_ROOT = path.join(PROJECT_ROOT, '.terraform-cli', 'init-cache');
const LOCK_FILE = '.terraform.lock.hcl';
const STALE_LOCK_MS = 5 * 60_000;
const WAIT_FOR_LOCK_MS = 3 * 60_000;

export type { TerraformResult };

/** The `terraform.required_providers` block of a synthesized stack folder. */
export function requiredProviders(stackDirectory: string): Record<string, unknown> {
  const json = JSON.parse(readFileSync(path.join(stackDirectory, 'cdk.tf.json'), 'utf8')) as {
    terraform?: { required_providers?: Record<string, unknown> };
  };
  const providers = json.terraform?.required_providers;
  if (!providers || Object.keys(providers).length === 0) throw new Error(`${stackDirectory}/cdk.tf.json declares no required_providers`);
  return providers;
}

/** The cache folder for a set of required providers (and the provider mirror in use). */
export function initCacheDirectory(providers: Record<string, unknown>): string {
  const key = createHash('sha256')
    .update(JSON.stringify({ providers: withSortedKeys(providers), mirror: providerMirror() ?? 'registry' }))
    .digest('hex')
    .slice(0, 16);
  return path.join(INIT_CACHE_ROOT, key);
}

/** A cache is usable when its lock file exists and every provider link resolves. */
function cacheIsUsable(directory: string): boolean {
  if (!existsSync(path.join(directory, LOCK_FILE))) return false;
  const providers = path.join(directory, '.terraform', 'providers');
  if (!existsSync(providers)) return false;
  const walk = (folder: string): boolean =>
    readdirSync(folder, { withFileTypes: true }).every((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isSymbolicLink()) return existsSync(full); // the plugin cache link must resolve
      return entry.isDirectory() ? walk(full) : true;
    });
  return walk(providers);
}

function sleep(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

function initInto(directory: string, providers: Record<string, unknown>): void {
  writeFileSync(path.join(directory, 'main.tf.json'), `${JSON.stringify({ terraform: { required_providers: providers } }, null, 2)}\n`);
  try {
    // Never against a shared provider instance (TF_REATTACH_PROVIDERS): init must install the provider for real.
    const { TF_REATTACH_PROVIDERS: _reattached, ...env } = terraformEnvironment();
    runTerraform(['init', '-backend=false', '-input=false', '-no-color'], directory, { env });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`shared terraform init failed in ${directory}:\n${failure.stderr ?? ''}${failure.stdout ?? ''}${failure.message}`, { cause: error });
  }
}

/**
 * Returns the shared init folder for these providers, running
 * `terraform init -backend=false` once if no usable one exists.
 */
export function sharedInit(providers: Record<string, unknown>): string {
  const target = initCacheDirectory(providers);
  if (cacheIsUsable(target)) return target;
  mkdirSync(INIT_CACHE_ROOT, { recursive: true });
  const lock = `${target}.lock`;
  const deadline = Date.now() + WAIT_FOR_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(lock); // atomic: exactly one process holds the lock
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (cacheIsUsable(target)) return target;
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      } catch {
        // The lock went away between the calls: try again.
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}; remove it if no test run is active`, { cause: error });
      sleep(200);
    }
  }
  try {
    if (cacheIsUsable(target)) return target;
    const staging = mkdtempSync(path.join(INIT_CACHE_ROOT, '.staging-'));
    try {
      initInto(staging, providers);
      rmSync(target, { recursive: true, force: true }); // a broken cache from an earlier run
      renameSync(staging, target);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    if (!cacheIsUsable(target)) throw new Error(`terraform init in ${target} did not install the providers`);
    return target;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Makes a synthesized stack folder ready for `terraform validate` and
 * `terraform test` without running init there: `.terraform/providers` links
 * to the shared cache, `.terraform.lock.hcl` is a copy of the cache's.
 */
export function prepareStack(stackDirectory: string): void {
  prepareDirectory(stackDirectory, requiredProviders(stackDirectory));
}

/** Like `prepareStack`, for any folder whose configuration needs these providers; returns the shared init folder. */
export function prepareDirectory(stackDirectory: string, providers: Record<string, unknown>): string {
  const cache = sharedInit(providers);
  const dotTerraform = path.join(stackDirectory, '.terraform');
  mkdirSync(dotTerraform, { recursive: true });
  const link = path.join(dotTerraform, 'providers');
  rmSync(link, { recursive: true, force: true });
  symlinkSync(path.join(cache, '.terraform', 'providers'), link, 'dir');
  copyFileSync(path.join(cache, LOCK_FILE), path.join(stackDirectory, LOCK_FILE));
  return cache;
}

export interface TerraformRunOptions {
  /** Added to the project's terraform environment, e.g. a ProviderServer's `environment`. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Like `tryTerraform` of tools/terraform-cli.ts, asynchronous, so several stack folders can run at once. */
export function terraformAsync(args: readonly string[], cwd: string, options: TerraformRunOptions = {}): Promise<TerraformResult> {
  const env = { ...terraformEnvironment(), ...options.env };
  return new Promise((resolve, reject) => {
    execFile('terraform', [...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'number') return reject(error);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Default parallelism for terraform processes. */
export function terraformParallelism(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export interface TerraformTestReport {
  /** `test_summary` of `terraform test -json`. */
  readonly summary?: { status: string; passed: number; failed: number; errored: number; skipped: number };
  /** Every run that completed, with its status (pass, fail, error, skip). */
  readonly runs: readonly { file: string; run: string; status: string }[];
  readonly diagnostics: readonly { file?: string; run?: string; severity: string; summary: string; detail: string }[];
  /** The outcome of each test file that completed (`pass`, `fail`, `error`, `skip`), in run order. */
  readonly files: readonly { file: string; status: string }[];
}

/** What one test file of a `terraform test` run gave. */
export interface TestFileReport {
  /** `pass`, `fail`, `error`, `skip`, or `missing` when the file never completed. */
  readonly status: string;
  /** Run counts by status, like `test_summary` for the file alone. */
  readonly summary: { passed: number; failed: number; errored: number; skipped: number };
  readonly runs: TerraformTestReport['runs'];
  readonly diagnostics: TerraformTestReport['diagnostics'];
}

/** The part of a report that belongs to one test file (a path like `tests/x.tftest.hcl`). */
export function testFileReport(report: TerraformTestReport, file: string): TestFileReport {
  const runs = report.runs.filter((run) => run.file === file);
  const count = (status: string): number => runs.filter((run) => run.status === status).length;
  return {
    status: report.files.find((candidate) => candidate.file === file)?.status ?? 'missing',
    summary: { passed: count('pass'), failed: count('fail'), errored: count('error'), skipped: count('skip') },
    runs,
    diagnostics: report.diagnostics.filter((diagnostic) => diagnostic.file === file),
  };
}

/** Parses the JSON lines of `terraform test -json`. */
export function parseTestReport(stdout: string): TerraformTestReport {
  const runs: { file: string; run: string; status: string }[] = [];
  const diagnostics: { file?: string; run?: string; severity: string; summary: string; detail: string }[] = [];
  const files: { file: string; status: string }[] = [];
  let summary: TerraformTestReport['summary'];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line) as Record<string, unknown>;
    if (message.type === 'test_summary') summary = message.test_summary as TerraformTestReport['summary'];
    if (message.type === 'test_run') {
      const run = message.test_run as { path: string; run: string; progress: string; status?: string };
      if (run.progress === 'complete') runs.push({ file: run.path, run: run.run, status: run.status ?? 'unknown' });
    }
    if (message.type === 'test_file') {
      const file = message.test_file as { path: string; progress: string; status?: string };
      if (file.progress === 'complete') files.push({ file: file.path, status: file.status ?? 'unknown' });
    }
    if (message.type === 'diagnostic') {
      const diagnostic = message.diagnostic as { severity: string; summary: string; detail?: string };
      diagnostics.push({
        file: message['@testfile'] as string | undefined,
        run: message['@testrun'] as string | undefined,
        severity: diagnostic.severity,
        summary: diagnostic.summary,
        detail: diagnostic.detail ?? '',
      });
    }
  }
  return { summary, runs, diagnostics, files };
}
