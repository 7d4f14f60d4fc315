/**
 * The app command of cdktf.json under the real cdktf CLI (`npx cdktf synth
 * --output <temporary folder>`, so the working tree's cdktf.out is never
 * touched): a successful synth replaces an old output completely, a failed one
 * leaves it byte for byte as it was, and the bytes equal those of the
 * launcher's own `synth` (no CLI), with no timestamps or machine paths in them.
 * The atomic swap itself is unit-tested in launcher-atomic-output.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../launcher/cli';
import { writeTerraformCliConfig } from '../scripts/terraform-cli';
import { folderSnapshot } from '../test-support/folder-snapshot';

const PROJECT = path.resolve(__dirname, '..');
const EXPECTED_STACKS = ['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1', 'ecr-source-build-us-east-1'];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npx cdktf synth --output <outdir>` in CI mode with the project's Terraform CLI config; the bundled example unless `config` names another. */
function cdktfSynth(outdir: string, config = 'ecr-replication.yaml'): Run {
  const cli = require.resolve('cdktf-cli/bundle/bin/cdktf', { paths: [PROJECT] });
  const { CDKTF_OUTDIR: _outdir, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [cli, 'synth', '--output', outdir], {
    cwd: PROJECT,
    // The config is named: a config recorded in this checkout by `npm run synth -- --config` must not leak in.
    env: { ...inherited, CI: 'true', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: writeTerraformCliConfig(PROJECT), ECR_REPLICATION_CONFIG: config },
    encoding: 'utf8',
    timeout: 110_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function describeRun(run: Run): string {
  return `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

describe('GIVEN the cdktf CLI running the app command of cdktf.json', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'ecr-synth-output-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('WHEN a synth succeeds THEN it replaces the output completely; WHEN the next fails THEN the output stays as it was', () => {
    const outdir = path.join(work, 'atomic', 'cdktf.out');
    // An output from an earlier config: a stack that the bundled example does not have.
    const stale = path.join(outdir, 'stacks', 'ecr-destination-old-ap-south-1');
    mkdirSync(stale, { recursive: true });
    writeFileSync(path.join(stale, 'cdk.tf.json'), '{}\n');
    writeFileSync(path.join(outdir, 'stale-file.txt'), 'from an earlier synth\n');

    const good = cdktfSynth(outdir);
    expect({ status: good.status, output: describeRun(good) }).toMatchObject({ status: 0 });
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(EXPECTED_STACKS);
    expect(readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(EXPECTED_STACKS);
    expect(readdirSync(outdir).sort()).toEqual(['manifest.json', 'stacks']);
    const before = folderSnapshot(outdir);

    // The bundled example with one destination region that does not exist.
    const broken = path.join(work, 'broken.yaml');
    writeFileSync(broken, readFileSync(path.join(PROJECT, 'ecr-replication.yaml'), 'utf8').replace('region: us-west-2', 'region: us-nowhere-9'));
    const bad = cdktfSynth(outdir, broken);
    expect({ status: bad.status, output: describeRun(bad) }).toMatchObject({ status: 1 });
    // The app's report, on stdout (which the CLI passes on as it is): the file, the field and the value.
    expect(bad.stdout).toContain(`${broken}: 1 problem found:`);
    expect(bad.stdout).toContain('sources[0].destinations[0].region (received "us-nowhere-9")');

    expect(folderSnapshot(outdir)).toEqual(before);
    // No staging folder is left beside it.
    expect(readdirSync(path.dirname(outdir))).toEqual(['cdktf.out']);
  });

  test('WHEN the same config is synthesized by the CLI and by `npm run synth` THEN the bytes are identical, with no timestamps or machine paths', async () => {
    // The bundled example with one repository that is not scanned on push: a compliance warning, so
    // manifest.json holds an annotation (cdktf would put a stack trace, with machine paths, in it).
    const config = path.join(work, 'with-warning.yaml');
    writeFileSync(
      config,
      readFileSync(path.join(PROJECT, 'ecr-replication.yaml'), 'utf8').replace(/^ {2}- name: web$/m, '  - name: web\n    scanOnPush: false'),
    );
    const first = path.join(work, 'first', 'cdktf.out');
    const second = path.join(work, 'second', 'elsewhere', 'out');
    const viaCli = cdktfSynth(first, config);
    expect({ status: viaCli.status, output: describeRun(viaCli) }).toMatchObject({ status: 0 });
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
