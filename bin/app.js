#!/usr/bin/env node
/**
 * The app command of cdktf.json: runs the compiled app (dist/main.js) and
 * makes its output atomic.
 *
 * 1. Precompiled, rebuilt when stale. The app's sources (the `include` list of
 *    tsconfig.build.json) and the tsconfig files are compared by mtime with
 *    tsc's build info (dist/.tsbuildinfo-app); only when one is newer, or an
 *    output is missing, does this run `tsc -p tsconfig.build.json`
 *    (incremental, serialized by a lock folder). A fresh check is a few dozen
 *    stat calls (~2 ms); `npm ci` builds dist/ ahead through `prepare`.
 *
 * 2. Atomic output. The cdktf CLI 0.21 never clears the outdir: it lists
 *    `<outdir>/stacks/*` before running the app, runs it with
 *    CDKTF_OUTDIR=<outdir>, and only after the app exits 0 removes the listed
 *    stack folders the new manifest does not name (fs.rmSync without `force`).
 *    cdktf's App writes into CDKTF_OUTDIR directly (stack files first, then
 *    validation, then manifest.json), so a failure part way leaves a mix of
 *    old and new files. Here the app synthesizes into a staging folder beside
 *    the outdir, `.<outdir>.staging-<pid>`, and only a run that exits cleanly
 *    with a manifest and no error annotations is swapped into place:
 *    outdir -> `.<outdir>.previous-<pid>`, staging -> outdir, previous deleted.
 *    Any failure deletes the staging folder and leaves the outdir untouched.
 *    Terraform's own files in a stack folder (.terraform/,
 *    .terraform.lock.hcl) are carried over for stacks that still exist, so
 *    `cdktf deploy` does not re-initialize. Under the CLI, an empty folder is
 *    left for each dropped stack, because the CLI deletes those folders itself
 *    and fails if they are already gone. Folders left by a killed run are
 *    cleaned (or, if the swap was interrupted, the previous output restored)
 *    by the next run.
 *
 * 3. Deterministic output: annotations (compliance warnings) would carry
 *    JavaScript stack traces with this machine's paths into manifest.json, so
 *    the app runs with cdktf's `@cdktf/disable_stack_trace_in_metadata`
 *    context (what `new App({ stackTraces: false })` sets) unless
 *    CDKTF_CONTEXT_JSON says otherwise.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const BUILD_CONFIG = path.join(ROOT, 'tsconfig.build.json');
const BUILD_INFO = path.join(DIST, '.tsbuildinfo-app');
const BUILD_LOCK = path.join(DIST, '.build-lock');
const ERROR_ANNOTATION = '@cdktf/error';
/** cdktf's DISABLE_STACK_TRACE_IN_METADATA context key (what `new App({ stackTraces: false })` sets). */
const NO_STACK_TRACES = '@cdktf/disable_stack_trace_in_metadata';
/** Terraform working files of a stack folder that survive a re-synth. */
const TERRAFORM_WORKING_FILES = ['.terraform', '.terraform.lock.hcl'];

function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- build

/** Source files of the app: the include list of tsconfig.build.json (files and folders). */
function appSources() {
  const { include } = JSON.parse(fs.readFileSync(BUILD_CONFIG, 'utf8'));
  const sources = [];
  const visit = (relative) => {
    const absolute = path.join(ROOT, relative);
    let entries;
    try {
      entries = fs.readdirSync(absolute, { withFileTypes: true });
    } catch (error) {
      if (error.code === 'ENOTDIR') {
        sources.push(relative);
        return;
      }
      if (error.code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) sources.push(child);
    }
  };
  include.forEach(visit);
  return sources;
}

/** The first reason dist/ is out of date, or undefined when it is current. */
function staleReason() {
  const built = mtimeMs(BUILD_INFO);
  if (built === undefined) return 'dist/ has not been built';
  for (const config of [BUILD_CONFIG, path.join(ROOT, 'tsconfig.json')]) {
    if ((mtimeMs(config) ?? 0) > built) return `${path.basename(config)} changed`;
  }
  for (const source of appSources()) {
    if ((mtimeMs(path.join(ROOT, source)) ?? 0) > built) return `${source} changed`;
    if (mtimeMs(path.join(DIST, source.replace(/\.ts$/, '.js'))) === undefined) return `dist/ lacks ${source.replace(/\.ts$/, '.js')}`;
  }
  return undefined;
}

function sleep(milliseconds) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

/** Runs tsc when dist/ is stale; one build at a time (a lock folder in dist/). */
function ensureBuilt() {
  if (staleReason() === undefined) return;
  fs.mkdirSync(DIST, { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const held = mtimeMs(BUILD_LOCK);
      if (held !== undefined && Date.now() - held > 120_000) fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline)
        fail(`bin/app.js: ${path.relative(process.cwd(), BUILD_LOCK)} is held by another build; remove it if no build is running`);
      else sleep(100);
    }
  }
  try {
    const reason = staleReason(); // another process may have built meanwhile
    if (reason === undefined) return;
    process.stderr.write(`bin/app.js: compiling the app (${reason}): tsc -p tsconfig.build.json\n`);
    let tsc;
    try {
      tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
    } catch {
      fail('bin/app.js: dist/ is out of date and TypeScript is not installed: run `npm ci` (or `npm run build`)');
    }
    const started = new Date();
    const result = spawnSync(process.execPath, [tsc, '-p', BUILD_CONFIG], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (result.status !== 0) fail('bin/app.js: the TypeScript build failed (see above); the output folder was not changed');
    // The build info is the stamp: tsc leaves it alone when only mtimes changed, and a
    // source saved while tsc ran must still count as newer.
    fs.utimesSync(BUILD_INFO, started, started);
  } finally {
    fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- atomic output

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function stackNames(outdir) {
  try {
    return fs
      .readdirSync(path.join(outdir, 'stacks'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** Cleans up after runs that were killed: stale staging folders go; an interrupted swap is undone. */
function recoverAbandoned(outdir) {
  const parent = path.dirname(outdir);
  const pattern = new RegExp(`^\\.${path.basename(outdir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(staging|previous)-(\\d+)$`);
  let entries;
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries) {
    const match = pattern.exec(name);
    if (!match || isAlive(Number(match[2]))) continue;
    const folder = path.join(parent, name);
    if (match[1] === 'previous' && !fs.existsSync(outdir)) fs.renameSync(folder, outdir);
    else fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** Problems that make a staged output unfit to replace the current one. */
function stagedProblems(staging) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(staging, 'manifest.json'), 'utf8'));
  } catch {
    return ['the app did not write manifest.json (app.synth() was not called)'];
  }
  const problems = [];
  for (const stack of Object.values(manifest.stacks ?? {})) {
    for (const annotation of stack.annotations ?? []) {
      if (annotation.level === ERROR_ANNOTATION) problems.push(`ERROR [${annotation.constructPath}]: ${annotation.message}`);
    }
  }
  return problems;
}

/** Moves the staged output into place, keeping Terraform's working files of stacks that remain. */
function swapIntoPlace(staging, outdir, underCli) {
  const previous = path.join(path.dirname(outdir), `.${path.basename(outdir)}.previous-${process.pid}`);
  const hadOutput = fs.existsSync(outdir);
  if (hadOutput) fs.renameSync(outdir, previous);
  try {
    fs.renameSync(staging, outdir);
  } catch (error) {
    if (hadOutput) fs.renameSync(previous, outdir);
    throw error;
  }
  if (!hadOutput) return;
  const current = new Set(stackNames(outdir));
  for (const stack of stackNames(previous)) {
    if (current.has(stack)) {
      for (const file of TERRAFORM_WORKING_FILES) {
        const from = path.join(previous, 'stacks', stack, file);
        if (fs.existsSync(from)) fs.renameSync(from, path.join(outdir, 'stacks', stack, file));
      }
    } else if (underCli) {
      // The CLI listed this folder before the app ran and rmSync()s it (without force) afterwards.
      fs.mkdirSync(path.join(outdir, 'stacks', stack), { recursive: true });
    }
  }
  fs.rmSync(previous, { recursive: true, force: true });
}

function contextFromEnvironment() {
  try {
    const context = JSON.parse(process.env.CDKTF_CONTEXT_JSON ?? '{}');
    return context !== null && typeof context === 'object' ? context : {};
  } catch {
    return {};
  }
}

/** True when the cdktf CLI runs this app (SynthStack.synth adds cdktfRelativeModules to the context). */
function runByCdktfCli() {
  return 'cdktfRelativeModules' in contextFromEnvironment();
}

function errorText(error) {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function run() {
  ensureBuilt();

  const outdir = path.resolve(process.env.CDKTF_OUTDIR || 'cdktf.out');
  const staging = path.join(path.dirname(outdir), `.${path.basename(outdir)}.staging-${process.pid}`);
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  recoverAbandoned(outdir);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging);

  let committed = false;
  // Also runs when the app calls process.exit(1) after reporting a bad config.
  process.on('exit', (code) => {
    if (committed) return;
    fs.rmSync(staging, { recursive: true, force: true });
    if (code === 0) {
      // The app exited on its own before its output was moved into place.
      process.stderr.write('bin/app.js: the app exited before synthesis completed; the output folder was not changed\n');
      process.exitCode = 1;
    }
  });

  const underCli = runByCdktfCli();
  process.env.CDKTF_OUTDIR = staging;
  process.env.CDKTF_CONTEXT_JSON = JSON.stringify({ [NO_STACK_TRACES]: true, ...contextFromEnvironment() });
  try {
    const app = require(path.join(DIST, 'main.js'));
    if (typeof app.main !== 'function') throw new Error('dist/main.js does not export main()');
    await app.main();
  } catch (error) {
    fail(errorText(error));
  }
  if (process.exitCode) fail('bin/app.js: the app reported a failure; the output folder was not changed', Number(process.exitCode));

  const problems = stagedProblems(staging);
  if (problems.length > 0) fail([...problems, 'bin/app.js: synthesis failed; the output folder was not changed'].join('\n'));

  // The change report (change-report/pre-swap-hook.ts): what this synthesis deletes or replaces; refused changes write nothing.
  const { changeReportHook } = require(path.join(DIST, 'change-report', 'pre-swap-hook.js'));
  const report = changeReportHook(fs.existsSync(outdir) ? outdir : undefined, staging);
  for (const message of report.messages) process.stderr.write(`${message}\n`);
  if (!report.ok) fail('bin/app.js: the change was refused; the output folder was not changed');

  swapIntoPlace(staging, outdir, underCli);
  committed = true;
}

run().catch((error) => fail(errorText(error)));
