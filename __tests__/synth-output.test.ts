/**
 * The synth command as the README runs it (`npm run synth`, here with
 * `--output` pointing at a temporary folder so the working tree's cdktf.out is
 * never touched): a failed synth leaves an existing output byte for byte as it
 * was, a successful one replaces it completely, and the output is the same on
 * every run, with no timestamps or machine paths in it.
 *
 * The cdktf CLI costs seconds of CPU per run, so the suite runs it twice:
 * one good synth (of a config with a compliance warning, so manifest.json
 * holds an annotation) over an older output, compared byte for byte with the
 * app command run directly into another folder, then one bad synth over the
 * good output.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PROJECT = path.resolve(__dirname, '..');
const EXPECTED_STACKS = ['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1', 'ecr-source-build-us-east-1'];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The bundled example unless a test names another file; the outdir only as given.
  delete env.ECR_REPLICATION_CONFIG;
  delete env.CDKTF_OUTDIR;
  return { ...env, ...extra };
}

/** A command run to its end, asynchronously (the CLI and the app command may run side by side). */
function run(command: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; shell?: boolean }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: PROJECT, env: options.env, shell: options.shell, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `npm run synth -- --output <outdir>`: the cdktf CLI with CI=true running the app command of cdktf.json. */
function npmRunSynth(outdir: string, extra: Record<string, string> = {}): Promise<Run> {
  return run('npm', ['run', '--silent', 'synth', '--', '--output', outdir], { env: environment(extra) });
}

/** The app command of cdktf.json run directly, as the CLI runs it. */
function appCommand(outdir: string, extra: Record<string, string> = {}): Promise<Run> {
  const { app } = JSON.parse(readFileSync(path.join(PROJECT, 'cdktf.json'), 'utf8')) as { app: string };
  return run(app, [], { shell: true, env: environment({ ...extra, CDKTF_OUTDIR: outdir }) });
}

/** Every file under a folder (relative path => bytes), folders included as entries so empty ones count. */
function snapshot(root: string): Map<string, Buffer | 'dir'> {
  const files = new Map<string, Buffer | 'dir'>();
  const visit = (relative: string): void => {
    for (const name of readdirSync(path.join(root, relative)).sort()) {
      const child = path.join(relative, name);
      if (statSync(path.join(root, child)).isDirectory()) {
        files.set(`${child}/`, 'dir');
        visit(child);
      } else files.set(child, readFileSync(path.join(root, child)));
    }
  };
  visit('');
  return files;
}

/** Entries of two snapshots that differ (missing on one side or other bytes); [] when they are the same. */
function differences(left: Map<string, Buffer | 'dir'>, right: Map<string, Buffer | 'dir'>): string[] {
  const same = (a: Buffer | 'dir' | undefined, b: Buffer | 'dir' | undefined): boolean => (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : a === b);
  return [...new Set([...left.keys(), ...right.keys()])].filter((entry) => !same(left.get(entry), right.get(entry))).sort();
}

function describeRun(run: Run): string {
  return `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

describe('GIVEN an output folder that holds the output of an earlier config', () => {
  let work: string;
  let outdir: string;
  let direct: string;
  let broken: string;
  let good: Run;
  let bad: Run;
  let appRun: Run;
  let afterGood: Map<string, Buffer | 'dir'>;
  let afterBad: Map<string, Buffer | 'dir'>;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'ecr-synth-output-'));
    outdir = path.join(work, 'project', 'cdktf.out');
    direct = path.join(work, 'second', 'elsewhere', 'out');
    // A stack that the bundled example does not have, and a stray file.
    const stale = path.join(outdir, 'stacks', 'ecr-destination-old-ap-south-1');
    mkdirSync(stale, { recursive: true });
    writeFileSync(path.join(stale, 'cdk.tf.json'), '{}\n');
    writeFileSync(path.join(outdir, 'stale-file.txt'), 'from an earlier synth\n');
    // The bundled example with one repository that is not scanned on push: a compliance warning, so
    // manifest.json holds an annotation (cdktf would put a stack trace, with machine paths, in it).
    const example = readFileSync(path.join(PROJECT, 'ecr-replication.yaml'), 'utf8');
    const withWarning = path.join(work, 'with-warning.yaml');
    writeFileSync(withWarning, example.replace(/^ {2}- name: web$/m, '  - name: web\n    scanOnPush: false'));
    // The bundled example with one destination region that does not exist.
    broken = path.join(work, 'broken.yaml');
    writeFileSync(broken, example.replace('region: us-west-2', 'region: us-nowhere-9'));

    [[good, bad], appRun] = await Promise.all([
      (async (): Promise<[Run, Run]> => {
        const first = await npmRunSynth(outdir, { ECR_REPLICATION_CONFIG: withWarning });
        afterGood = snapshot(outdir);
        const second = await npmRunSynth(outdir, { ECR_REPLICATION_CONFIG: broken });
        afterBad = snapshot(outdir);
        return [first, second];
      })(),
      appCommand(direct, { ECR_REPLICATION_CONFIG: withWarning }),
    ]);
  }, 240_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('WHEN npm run synth succeeds THEN it exits 0', () => {
    expect({ status: good.status, output: describeRun(good) }).toMatchObject({ status: 0 });
  });

  test('WHEN npm run synth succeeds THEN the output holds exactly the new stacks and manifest, nothing of the earlier one', () => {
    const manifest = JSON.parse((afterGood.get('manifest.json') as Buffer).toString('utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(EXPECTED_STACKS);
    const entries = [...afterGood.keys()];
    expect(entries.filter((entry) => /^[^/]+\/?$/.test(entry))).toEqual(['manifest.json', 'stacks/']);
    expect(entries.filter((entry) => /^stacks\/[^/]+\/$/.test(entry))).toEqual(EXPECTED_STACKS.map((stack) => `stacks/${stack}/`));
  });

  test('WHEN the config has a compliance warning THEN manifest.json holds its annotation', () => {
    const manifest = JSON.parse((afterGood.get('manifest.json') as Buffer).toString('utf8')) as { stacks: Record<string, { annotations: unknown[] }> };
    expect(Object.values(manifest.stacks).flatMap((stack) => stack.annotations).length).toBeGreaterThan(0);
  });

  test('WHEN the app command synthesizes the same config into another folder THEN every file is byte-identical', () => {
    expect({ status: appRun.status, output: describeRun(appRun) }).toMatchObject({ status: 0 });
    expect(afterGood.size).toBeGreaterThan(EXPECTED_STACKS.length);
    expect(differences(snapshot(direct), afterGood)).toEqual([]);
  });

  test('WHEN npm run synth succeeds THEN no file holds a timestamp or a path of this machine', () => {
    const machinePaths = [PROJECT, work, os.tmpdir(), os.homedir(), path.dirname(outdir), path.dirname(direct)].filter((entry) => entry.length > 1);
    for (const [file, content] of afterGood) {
      if (!Buffer.isBuffer(content)) continue;
      const text = content.toString('utf8');
      expect({ file, timestamps: text.match(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/g) }).toEqual({ file, timestamps: null });
      expect({ file, paths: machinePaths.filter((entry) => text.includes(entry)) }).toEqual({ file, paths: [] });
    }
  });

  test('WHEN npm run synth then fails on a bad config THEN it exits 1 with the report naming the file, the field and the value', () => {
    expect({ status: bad.status, output: describeRun(bad) }).toMatchObject({ status: 1 });
    expect(bad.stderr).toContain(broken);
    expect(bad.stderr).toContain('sources[0].destinations[0].region');
    expect(bad.stderr).toContain('us-nowhere-9');
  });

  test('WHEN npm run synth fails THEN the output is byte for byte as it was, with no staging folder beside it', () => {
    expect(differences(afterBad, afterGood)).toEqual([]);
    expect(readdirSync(path.dirname(outdir))).toEqual(['cdktf.out']);
  });
});

describe('GIVEN a stand-in project around a copy of the launcher, with an output in place', () => {
  let work: string;
  let project: string;
  let launcher: string;
  let outdir: string;
  let before: Map<string, Buffer | 'dir'>;
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'ecr-synth-launcher-'));
    project = path.join(work, 'stand-in');
    mkdirSync(path.join(project, 'bin'), { recursive: true });
    mkdirSync(path.join(project, 'dist'), { recursive: true });
    const { app } = JSON.parse(readFileSync(path.join(PROJECT, 'cdktf.json'), 'utf8')) as { app: string };
    launcher = app.replace(/^node\s+/, '');
    writeFileSync(path.join(project, launcher), readFileSync(path.join(PROJECT, launcher)));
    writeFileSync(path.join(project, 'tsconfig.json'), '{}\n');
    writeFileSync(path.join(project, 'tsconfig.build.json'), '{ "include": [] }\n');
    writeFileSync(path.join(project, 'dist', '.tsbuildinfo-app'), '{}\n');
    outdir = path.join(project, 'cdktf.out');
    mkdirSync(path.join(outdir, 'stacks', 'kept'), { recursive: true });
    writeFileSync(path.join(outdir, 'stacks', 'kept', 'cdk.tf.json'), '{"kept": true}\n');
    writeFileSync(path.join(outdir, 'manifest.json'), '{"stacks": {}}\n');
    before = snapshot(outdir);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // Each "compiled app" writes part of an output, then fails in its own way.
  test.each([
    [
      'throws',
      `const out = process.env.CDKTF_OUTDIR; fs.mkdirSync(out + '/stacks/kept', { recursive: true });
        fs.writeFileSync(out + '/stacks/kept/cdk.tf.json', 'half'); throw new Error('synthesis blew up');`,
      /synthesis blew up/,
    ],
    ['exits 0 early', `fs.writeFileSync(process.env.CDKTF_OUTDIR + '/manifest.json', '{}'); process.exit(0);`, /before synthesis completed/],
    [
      'reports an error annotation',
      `fs.writeFileSync(process.env.CDKTF_OUTDIR + '/manifest.json', JSON.stringify({ stacks: { s: { annotations: [
        { level: '@cdktf/error', constructPath: 's/r', message: 'RULE-1: broken' }] } } }));`,
      /RULE-1: broken/,
    ],
  ])('WHEN its app %s THEN the launcher exits 1, says why and leaves cdktf.out and the project as they were', (_how, body, reason) => {
    writeFileSync(path.join(project, 'dist', 'main.js'), `const fs = require('fs');\nexports.main = () => { ${body} };\n`);
    const result = spawnSync(process.execPath, [launcher], { cwd: project, env: environment({}), encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(reason);
    expect(differences(snapshot(outdir), before)).toEqual([]);
    expect(readdirSync(project).sort()).toEqual(['bin', 'cdktf.out', 'dist', 'tsconfig.build.json', 'tsconfig.json']);
  });
});
