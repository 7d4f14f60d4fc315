/**
 * The commands README.md and `help` document, as a user runs them: every
 * `npm run <script>` they name exists, and the launcher's commands that need
 * no credentials (synth, check, list) work as written, run in-process through
 * the launcher's command line (what `node bin/ecr-replication.js` runs) in a
 * scratch copy of the project, so the working tree is never touched.
 * deploy, diff and destroy run with a stand-in for Terraform (test-support/fake-terraform.ts).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliEnvironment, runCli } from '../cli/cli';
import { folderSnapshot } from '../test-support/folder-snapshot';
import { FakeTerraform } from '../test-support/fake-terraform';

const PROJECT = path.resolve(__dirname, '..');
const LAUNCHER = 'node bin/ecr-replication.js ';
const EXAMPLE_STACKS = ['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1', 'ecr-source-build-us-east-1'];
const scripts = (JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** `npm run <script>` names in a document. */
function documentedScripts(file: string): string[] {
  const text = readFileSync(path.join(PROJECT, file), 'utf8');
  return [...new Set([...text.matchAll(/npm run (?:-s )?([a-z][a-z0-9:-]*)/g)].map((match) => match[1]))].sort();
}

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The Terraform runs of deploy, diff and destroy: `<stack> <step>`. */
  readonly terraformCalls: readonly string[];
}

/** `npm run <script> -- <args>`: the script's launcher arguments, then the user's. */
async function npmRun(root: string, script: string, args: readonly string[] = [], environment: NodeJS.ProcessEnv = {}): Promise<Run> {
  const command = scripts[script];
  if (!command?.startsWith(LAUNCHER)) throw new Error(`npm run ${script} does not run the launcher: ${command}`);
  let stdout = '';
  let stderr = '';
  // Every stack plans "no changes".
  const terraform = new FakeTerraform({});
  const run: CliEnvironment = {
    projectRoot: root,
    cwd: root,
    environment: { PATH: process.env.PATH, ...environment },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    deploy: { terraform, interactive: false },
  };
  const status = await runCli([...command.slice(LAUNCHER.length).split(' '), ...args], run);
  return { status, stdout, stderr, terraformCalls: terraform.calls };
}

test.each(['help', 'README.md'])('GIVEN %s WHEN it names `npm run <script>` THEN package.json has that script', (file) => {
  const missing = documentedScripts(file).filter((script) => !(script in scripts));
  expect(missing).toEqual([]);
});

test('GIVEN help and README.md THEN neither runs a bare `cdktf` (the CLI is a devDependency, not on PATH)', () => {
  for (const file of ['help', 'README.md']) {
    const text = readFileSync(path.join(PROJECT, file), 'utf8');
    // A line of the cheat sheet or of a shell block that starts with the command (prose may name cdktf's commands).
    const bare = text.split('\n').filter((line) => /^\s*(\$ )?cdktf (synth|deploy|diff|destroy|list)\b/.test(line));
    expect({ file, bare }).toEqual({ file, bare: [] });
  }
});

describe('GIVEN a fresh copy of the project with the bundled example', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'documented-commands-'));
    copyFileSync(path.join(PROJECT, 'ecr-replication.yaml'), path.join(root, 'ecr-replication.yaml'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('WHEN `npm run synth` runs THEN it names the config, writes one folder per stack and says so', async () => {
    const run = await npmRun(root, 'synth');

    expect(run).toMatchObject({ status: 0, stderr: 'config: ecr-replication.yaml (the default file; --config <file> selects another)\n' });
    expect(run.stdout).toBe(`cdktf.out: 3 stacks synthesized: ${EXAMPLE_STACKS.join(', ')}\n`);
    expect(readdirSync(path.join(root, 'cdktf.out', 'stacks')).sort()).toEqual(EXAMPLE_STACKS);
    expect(readdirSync(root).sort()).toEqual(['.ecr-replication', 'cdktf.out', 'ecr-replication.yaml']);
  });

  test('WHEN `npm run check` runs THEN it validates the example without synthesizing', async () => {
    const run = await npmRun(root, 'check');

    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toBe(`ecr-replication.yaml: valid; 3 stacks would be synthesized: ${EXAMPLE_STACKS.join(', ')}\n`);
    expect(existsSync(path.join(root, 'cdktf.out'))).toBe(false);
  });

  test('WHEN `npm run list` runs THEN it prints the stacks in apply order', async () => {
    const run = await npmRun(root, 'list');

    expect(run).toMatchObject({ status: 0 });
    expect(run.stdout).toBe(
      'ecr-destination-build-us-west-2\n' +
        'ecr-destination-prod-eu-west-1\n' +
        'ecr-source-build-us-east-1  (after ecr-destination-build-us-west-2, ecr-destination-prod-eu-west-1)\n',
    );
  });

  test('WHEN `npm run synth -- --config <file>` runs THEN later commands use that file', async () => {
    const other = readFileSync(path.join(root, 'ecr-replication.yaml'), 'utf8').replace(/region: us-west-2/g, 'region: us-east-2');
    mkdirSync(path.join(root, 'configs'));
    writeFileSync(path.join(root, 'configs', 'other.yaml'), other);

    const synth = await npmRun(root, 'synth', ['--config', 'configs/other.yaml']);
    const list = await npmRun(root, 'list');

    expect(synth.stderr).toBe('config: configs/other.yaml (--config, recorded in .ecr-replication/config.json)\n');
    expect(list.stderr).toBe('config: configs/other.yaml (recorded in .ecr-replication/config.json)\n');
    expect(list.stdout).toContain('ecr-destination-build-us-east-2\n');
  });

  test('WHEN another config is synthesized, then the example again THEN each synthesizes, the preview names what changed, and no token is asked', async () => {
    const other = readFileSync(path.join(root, 'ecr-replication.yaml'), 'utf8')
      .replace(/111111111111/g, '333333333333')
      .replace(/region: us-west-2/g, 'region: us-east-2')
      .replace(/^ {2}- name: web\n/m, '');
    writeFileSync(path.join(root, 'other.yaml'), other);

    const runs = [
      await npmRun(root, 'synth'),
      await npmRun(root, 'synth', ['--config', 'other.yaml']),
      await npmRun(root, 'synth', ['--config', 'ecr-replication.yaml']),
    ];

    expect(runs.map((run) => run.status)).toEqual([0, 0, 0]);
    expect(runs[2].stderr).toContain('change preview (compared with the previous synthesis; deploy checks each plan against its state):');
    expect(runs.map((run) => run.stderr).join('')).not.toContain('ECR_REPLICATION_ACCEPT');
    expect(readdirSync(path.join(root, 'cdktf.out', 'stacks')).sort()).toEqual(EXAMPLE_STACKS);
  });

  test('WHEN `npm run check -- <file>` names a file THEN it checks that file without remembering it', async () => {
    writeFileSync(path.join(root, 'other.yaml'), readFileSync(path.join(root, 'ecr-replication.yaml')));

    const run = await npmRun(root, 'check', ['other.yaml']);

    expect(run.stdout).toMatch(/^other\.yaml: valid; /);
    expect(existsSync(path.join(root, '.ecr-replication'))).toBe(false);
  });

  test('WHEN `npm run check -- --config <file>` runs THEN it checks that file and later commands use it', async () => {
    writeFileSync(path.join(root, 'other.yaml'), readFileSync(path.join(root, 'ecr-replication.yaml')));

    const check = await npmRun(root, 'check', ['--config', 'other.yaml']);
    const later = await npmRun(root, 'check');

    expect(check.stdout).toMatch(/^other\.yaml: valid; /);
    expect(later.stdout).toMatch(/^other\.yaml: valid; /);
  });

  test('fails WHEN the config is bad, printing its report once, AND leaves cdktf.out as it was', async () => {
    await npmRun(root, 'synth');
    const before = folderSnapshot(path.join(root, 'cdktf.out'));
    writeFileSync(
      path.join(root, 'bad.yaml'),
      readFileSync(path.join(root, 'ecr-replication.yaml'), 'utf8').replace('region: us-west-2', 'region: us-nowhere-9'),
    );

    const run = await npmRun(root, 'synth', [], { ECR_REPLICATION_CONFIG: 'bad.yaml' });

    expect(run.status).toBe(1);
    expect(run.stderr.split('\n')).toEqual([
      'config: bad.yaml (from ECR_REPLICATION_CONFIG)',
      'bad.yaml: 1 problem found:',
      expect.stringMatching(/^ {2}- sources\[0\]\.destinations\[0\]\.region \(received "us-nowhere-9"\): /),
      'nothing was synthesized: fix the problems above and run again',
      '',
    ]);
    expect(folderSnapshot(path.join(root, 'cdktf.out'))).toEqual(before);
  });

  test('WHEN the config has a risky choice THEN the warning reads as a warning, on its own line', async () => {
    writeFileSync(
      path.join(root, 'risky.yaml'),
      readFileSync(path.join(root, 'ecr-replication.yaml'), 'utf8').replace(/^ {2}- name: web$/m, '  - name: web\n    scanOnPush: false'),
    );

    const run = await npmRun(root, 'synth', ['--config', 'risky.yaml']);

    expect(run.status).toBe(0);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('config: risky.yaml (--config, recorded in .ecr-replication/config.json)');
    expect(lines.slice(1).every((line) => line.startsWith('warning: risky.yaml: repositories[1].scanOnPush'))).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
  });

  test.each([
    ['deploy', ['*', '--auto-approve'], EXAMPLE_STACKS.flatMap((stack) => [`${stack} init`, `${stack} plan`])],
    ['diff', ['ecr-source-build-us-east-1'], ['ecr-source-build-us-east-1 init', 'ecr-source-build-us-east-1 plan']],
    ['destroy', ['*', '--auto-approve'], EXAMPLE_STACKS.flatMap((stack) => [`${stack} init`, `${stack} plan -destroy`])],
  ])('WHEN `npm run %s -- %j` runs THEN it synthesizes, then plans the stacks named in that output with Terraform', async (script, args, expected) => {
    const run = await npmRun(root, script, args);

    expect(run.status).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe('config: ecr-replication.yaml (the default file; --config <file> selects another)');
    expect([...run.terraformCalls].sort()).toEqual([...expected].sort());
    expect(readdirSync(path.join(root, 'cdktf.out', 'stacks')).sort()).toEqual(EXAMPLE_STACKS);
  });

  test.each(['deploy', 'destroy'])(
    'fails WHEN `npm run %s` runs without --auto-approve and stdin is not a terminal, before any Terraform run',
    async (script) => {
      const run = await npmRun(root, script, ['*']);

      expect(run.status).toBe(2);
      expect(run.terraformCalls).toEqual([]);
      expect(run.stderr.split('\n')[1]).toBe(
        `${script}: stdin is not a terminal, so nothing can be approved: run it with --auto-approve (npm run ${script} -- '*' --auto-approve), or preview the plans with npm run diff -- '*'; nothing was planned or applied`,
      );
    },
  );

  test('WHEN the config changed since the last synth THEN `npm run deploy` says so before deploying', async () => {
    await npmRun(root, 'synth');
    writeFileSync(path.join(root, 'ecr-replication.yaml'), `${readFileSync(path.join(root, 'ecr-replication.yaml'), 'utf8')}# edited\n`);

    const run = await npmRun(root, 'deploy', ['ecr-destination-build-us-west-2', '--auto-approve']);

    expect(run.stderr).toMatch(
      /^config: ecr-replication.yaml \(.*\)\nnote: ecr-replication.yaml changed since cdktf.out was last synthesized from it \(sha256 [0-9a-f]{12} -> [0-9a-f]{12}\): this run synthesizes and uses the new content\n/,
    );
  });

  test('WHEN cdktf runs the app command THEN its lines go to stdout (cdktf marks every stderr line as an error)', async () => {
    const lines: [string, string][] = [];

    const status = await runCli(['app'], {
      projectRoot: root,
      cwd: root,
      environment: { CDKTF_OUTDIR: path.join(root, 'out') },
      stdout: (text) => void lines.push(['stdout', text]),
      stderr: (text) => void lines.push(['stderr', text]),
    });

    expect(status).toBe(0);
    expect(lines).toEqual([['stdout', 'config: ecr-replication.yaml (the default file; --config <file> selects another)\n']]);
    expect(readdirSync(path.join(root, 'out', 'stacks')).sort()).toEqual(EXAMPLE_STACKS);
  });
});
