/**
 * The app command of cdktf.json under the real cdktf CLI (`npx cdktf synth
 * --output <temporary folder>`, so the working tree's cdktf.out is never
 * touched): a successful synth replaces an old output completely, a failed one
 * leaves it byte for byte as it was, and the bytes equal those of the
 * launcher's own `synth` (no CLI), with no timestamps or machine paths in them.
 * The atomic swap itself is unit-tested in launcher-atomic-output.test.ts.
 *
 * Each CLI run costs seconds of CPU: the suite runs the CLI twice, side by
 * side, in beforeAll (one synth that succeeds, one that fails, each over an
 * output left by an earlier synth), and every test reads those two runs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../cli/cli';
import { writeTerraformCliConfig } from '../tools/terraform-cli';
import { folderSnapshot } from '../test-support/folder-snapshot';

const PROJECT = path.resolve(__dirname, '..');
const EXPECTED_STACKS = ['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1', 'ecr-source-build-us-east-1'];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npx cdktf synth --output <outdir>` in CI mode with the project's Terraform CLI config; the bundled example unless `config` names another. */
function cdktfSynth(outdir: string, config = 'ecr-replication.yaml'): Promise<Run> {
  const cli = require.resolve('cdktf-cli/bundle/bin/cdktf', { paths: [PROJECT] });
  const { CDKTF_OUTDIR: _outdir, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'synth', '--output', outdir], {
      cwd: PROJECT,
      // The config is named: a config recorded in this checkout by `npm run synth -- --config` must not leak in.
      env: { ...inherited, CI: 'true', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: writeTerraformCliConfig(PROJECT), ECR_REPLICATION_CONFIG: config },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 110_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function describeRun(run: Run): string {
  return `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

/** An output from an earlier config: a stack that the bundled example does not have, and a stray file. */
function writeEarlierOutput(outdir: string): void {
  const stale = path.join(outdir, 'stacks', 'ecr-destination-old-ap-south-1');
  mkdirSync(stale, { recursive: true });
  writeFileSync(path.join(stale, 'cdk.tf.json'), '{}\n');
  writeFileSync(path.join(outdir, 'stale-file.txt'), 'from an earlier synth\n');
}

describe('GIVEN the cdktf CLI running the app command of cdktf.json', () => {
  let work: string;
  /** The bundled example with one repository that is not scanned on push (a compliance warning, so manifest.json holds an annotation). */
  let config: string;
  /** The bundled example with one destination region that does not exist. */
  let broken: string;
  let goodOutdir: string;
  let badOutdir: string;
  let good: Run;
  let bad: Run;
  let badBefore: ReturnType<typeof folderSnapshot>;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'ecr-synth-output-'));
    const example = readFileSync(path.join(PROJECT, 'ecr-replication.yaml'), 'utf8');
    // cdktf would put a stack trace, with machine paths, in the annotation.
    config = path.join(work, 'with-warning.yaml');
    writeFileSync(config, example.replace(/^ {2}- name: web$/m, '  - name: web\n    scanOnPush: false'));
    broken = path.join(work, 'broken.yaml');
    writeFileSync(broken, example.replace('region: us-west-2', 'region: us-nowhere-9'));
    goodOutdir = path.join(work, 'good', 'cdktf.out');
    badOutdir = path.join(work, 'bad', 'cdktf.out');
    writeEarlierOutput(goodOutdir);
    writeEarlierOutput(badOutdir);
    badBefore = folderSnapshot(badOutdir);
    [good, bad] = await Promise.all([cdktfSynth(goodOutdir, config), cdktfSynth(badOutdir, broken)]);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('WHEN a synth succeeds THEN it replaces the output completely', () => {
    expect({ status: good.status, output: describeRun(good) }).toMatchObject({ status: 0 });
    const manifest = JSON.parse(readFileSync(path.join(goodOutdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(EXPECTED_STACKS);
    expect(readdirSync(path.join(goodOutdir, 'stacks')).sort()).toEqual(EXPECTED_STACKS);
    expect(readdirSync(goodOutdir).sort()).toEqual(['manifest.json', 'stacks']);
    // No staging folder is left beside it.
    expect(readdirSync(path.dirname(goodOutdir))).toEqual(['cdktf.out']);
  });

  test('WHEN a synth fails THEN the output stays as it was, and the report names the file, the field and the value', () => {
    expect({ status: bad.status, output: describeRun(bad) }).toMatchObject({ status: 1 });
    // The app's report, on stdout (which the CLI passes on as it is): the file, the field and the value.
    expect(bad.stdout).toContain(`${broken}: 1 problem found:`);
    expect(bad.stdout).toContain('sources[0].destinations[0].region (received "us-nowhere-9")');

    expect(folderSnapshot(badOutdir)).toEqual(badBefore);
    // No staging folder is left beside it.
    expect(readdirSync(path.dirname(badOutdir))).toEqual(['cdktf.out']);
  });

  test('WHEN the same config is synthesized by the CLI and by `npm run synth` THEN the bytes are identical, with no timestamps or machine paths', async () => {
    const first = goodOutdir;
    const second = path.join(work, 'second', 'elsewhere', 'out');
    expect({ status: good.status, output: describeRun(good) }).toMatchObject({ status: 0 });
    const direct = await runCli(['synth', '--config', config, '--output', second], {
      projectRoot: path.join(work, 'second'),
      cwd: path.join(work, 'second'),
      environment: {},
      stdout: () => undefined,
      stderr: () => undefined,
    });
    expect(direct).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(first, 'manifest.json'), 'utf8')) as { stacks: Record<string, { annotations: unknown[] }> };
    expect(Object.values(manifest.stacks).flatMap((stack) => stack.annotations).length).toBeGreaterThan(0);

    const one = folderSnapshot(first);
    const two = folderSnapshot(second);
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
