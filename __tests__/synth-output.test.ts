/**
 * The synth command as the README runs it (`npm run synth`, here with
 * `--output` pointing at a temporary folder so the working tree's cdktf.out is
 * never touched): a failed synth leaves an existing output byte for byte as it
 * was, a successful one replaces it completely, and the output is the same on
 * every run, with no timestamps or machine paths in it.
 */
import { spawnSync } from 'node:child_process';
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

/** `npm run synth -- --output <outdir>`: the cdktf CLI with CI=true running the app command of cdktf.json. */
function npmRunSynth(outdir: string, extra: Record<string, string> = {}): Run {
  const result = spawnSync('npm', ['run', '--silent', 'synth', '--', '--output', outdir], {
    cwd: PROJECT,
    env: environment(extra),
    encoding: 'utf8',
    timeout: 110_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The app command of cdktf.json run directly, as the CLI runs it. */
function appCommand(outdir: string, extra: Record<string, string> = {}): Run {
  const { app } = JSON.parse(readFileSync(path.join(PROJECT, 'cdktf.json'), 'utf8')) as { app: string };
  const result = spawnSync(app, { shell: true, cwd: PROJECT, env: environment({ ...extra, CDKTF_OUTDIR: outdir }), encoding: 'utf8', timeout: 110_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
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

function describeRun(run: Run): string {
  return `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

describe('synth output', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'ecr-synth-output-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('a failed synth leaves cdktf.out exactly as it was; a successful one replaces it completely', () => {
    const outdir = path.join(work, 'atomic', 'cdktf.out');
    // An output from an earlier config: a stack that the bundled example does not have.
    const stale = path.join(outdir, 'stacks', 'ecr-destination-old-ap-south-1');
    mkdirSync(stale, { recursive: true });
    writeFileSync(path.join(stale, 'cdk.tf.json'), '{}\n');
    writeFileSync(path.join(outdir, 'stale-file.txt'), 'from an earlier synth\n');

    const good = npmRunSynth(outdir);
    expect({ status: good.status, output: describeRun(good) }).toMatchObject({ status: 0 });
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(EXPECTED_STACKS);
    expect(readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(EXPECTED_STACKS);
    expect(readdirSync(outdir).sort()).toEqual(['manifest.json', 'stacks']);
    const before = snapshot(outdir);

    // The bundled example with one destination region that does not exist.
    const broken = path.join(work, 'broken.yaml');
    writeFileSync(broken, readFileSync(path.join(PROJECT, 'ecr-replication.yaml'), 'utf8').replace('region: us-west-2', 'region: us-nowhere-9'));
    const bad = npmRunSynth(outdir, { ECR_REPLICATION_CONFIG: broken });
    expect({ status: bad.status, output: describeRun(bad) }).toMatchObject({ status: 1 });
    // The app's report, passed on by the CLI: the file, the field and the value.
    expect(bad.stderr).toContain(broken);
    expect(bad.stderr).toContain('sources[0].destinations[0].region');
    expect(bad.stderr).toContain('us-nowhere-9');

    expect(snapshot(outdir)).toEqual(before);
    // No staging folder is left beside it.
    expect(readdirSync(path.dirname(outdir))).toEqual(['cdktf.out']);
  });

  test('the app command leaves cdktf.out as it was when the app fails after it began writing', () => {
    // A stand-in project around a copy of the launcher: its "compiled app" writes part of an output, then fails.
    const project = path.join(work, 'stand-in');
    mkdirSync(path.join(project, 'bin'), { recursive: true });
    mkdirSync(path.join(project, 'dist'), { recursive: true });
    const { app } = JSON.parse(readFileSync(path.join(PROJECT, 'cdktf.json'), 'utf8')) as { app: string };
    const launcher = app.replace(/^node\s+/, '');
    writeFileSync(path.join(project, launcher), readFileSync(path.join(PROJECT, launcher)));
    writeFileSync(path.join(project, 'tsconfig.json'), '{}\n');
    writeFileSync(path.join(project, 'tsconfig.build.json'), '{ "include": [] }\n');
    writeFileSync(path.join(project, 'dist', '.tsbuildinfo-app'), '{}\n');
    const outdir = path.join(project, 'cdktf.out');
    mkdirSync(path.join(outdir, 'stacks', 'kept'), { recursive: true });
    writeFileSync(path.join(outdir, 'stacks', 'kept', 'cdk.tf.json'), '{"kept": true}\n');
    writeFileSync(path.join(outdir, 'manifest.json'), '{"stacks": {}}\n');
    const before = snapshot(outdir);

    const failures = {
      throws: `const out = process.env.CDKTF_OUTDIR; fs.mkdirSync(out + '/stacks/kept', { recursive: true });
        fs.writeFileSync(out + '/stacks/kept/cdk.tf.json', 'half'); throw new Error('synthesis blew up');`,
      'exits 0 early': `fs.writeFileSync(process.env.CDKTF_OUTDIR + '/manifest.json', '{}'); process.exit(0);`,
      'error annotation': `fs.writeFileSync(process.env.CDKTF_OUTDIR + '/manifest.json', JSON.stringify({ stacks: { s: { annotations: [
        { level: '@cdktf/error', constructPath: 's/r', message: 'RULE-1: broken' }] } } }));`,
    };
    for (const [name, body] of Object.entries(failures)) {
      writeFileSync(path.join(project, 'dist', 'main.js'), `const fs = require('fs');\nexports.main = () => { ${body} };\n`);
      const result = spawnSync(process.execPath, [launcher], { cwd: project, env: environment({}), encoding: 'utf8' });
      expect({ name, status: result.status }).toEqual({ name, status: 1 });
      expect(result.stderr).toMatch(/blew up|before synthesis completed|RULE-1: broken/);
      expect(snapshot(outdir)).toEqual(before);
      expect(readdirSync(project).sort()).toEqual(['bin', 'cdktf.out', 'dist', 'tsconfig.build.json', 'tsconfig.json']);
    }
  });

  test('synth is deterministic: byte-identical files, no timestamps, no machine paths', () => {
    // The bundled example with one repository that is not scanned on push: a compliance warning, so
    // manifest.json holds an annotation (cdktf would put a stack trace, with machine paths, in it).
    const config = path.join(work, 'with-warning.yaml');
    writeFileSync(
      config,
      readFileSync(path.join(PROJECT, 'ecr-replication.yaml'), 'utf8').replace(/^ {2}- name: web$/m, '  - name: web\n    scanOnPush: false'),
    );
    const first = path.join(work, 'first', 'cdktf.out');
    const second = path.join(work, 'second', 'elsewhere', 'out');
    const viaCli = npmRunSynth(first, { ECR_REPLICATION_CONFIG: config });
    expect({ status: viaCli.status, output: describeRun(viaCli) }).toMatchObject({ status: 0 });
    const direct = appCommand(second, { ECR_REPLICATION_CONFIG: config });
    expect({ status: direct.status, output: describeRun(direct) }).toMatchObject({ status: 0 });
    const manifest = JSON.parse(readFileSync(path.join(first, 'manifest.json'), 'utf8')) as { stacks: Record<string, { annotations: unknown[] }> };
    expect(Object.values(manifest.stacks).flatMap((stack) => stack.annotations).length).toBeGreaterThan(0);

    const one = snapshot(first);
    const two = snapshot(second);
    expect([...two.keys()]).toEqual([...one.keys()]);
    for (const [file, content] of one)
      expect({ file, same: (Buffer.isBuffer(content) && content.equals(two.get(file) as Buffer)) || content === two.get(file) }).toEqual({ file, same: true });

    const machinePaths = [PROJECT, work, os.tmpdir(), os.homedir(), path.dirname(first), path.dirname(second)].filter((entry) => entry.length > 1);
    for (const [file, content] of one) {
      if (!Buffer.isBuffer(content)) continue;
      const text = content.toString('utf8');
      expect({ file, timestamps: text.match(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/g) }).toEqual({ file, timestamps: null });
      expect({ file, paths: machinePaths.filter((entry) => text.includes(entry)) }).toEqual({ file, paths: [] });
    }
  });
});
