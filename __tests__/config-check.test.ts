/**
 * `npm run check -- file` (cli/commands/check.ts) and the app's handling of a bad
 * config (main.ts), run in this process: `runCheck` gets the arguments, the
 * environment and two writers for stdout and stderr, as the CLI would.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../main';
import { runCheck } from '../cli/commands/check';

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** runCheck with captured output; the environment holds only what the test gives. */
async function check(args: string[], environment: NodeJS.ProcessEnv = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const status = await runCheck(args, environment, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { status, stdout, stderr };
}

const GOOD = `accounts:
  build:
    id: "111111111111"
  prod:
    id: "222222222222"
repositories:
  - name: team-a/api
  - name: web
    imageTagMutability: MUTABLE
sources:
  - account: build
    region: us-east-1
    destinations:
      - account: prod
        region: eu-west-1
`;

const BAD = `accounts:
  build:
    id: "11111111111"
repositories:
  - name: Web
sources:
  - account: biuld
    region: us-east-1
    destinatons: []
`;

describe('GIVEN the check script', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'config-check-'));
    writeFileSync(path.join(directory, 'good.yaml'), GOOD);
    writeFileSync(path.join(directory, 'bad.yaml'), BAD);
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('WHEN it checks a good file THEN it exits 0, prints the warnings and a one-line summary of the stacks', async () => {
    const file = path.join(directory, 'good.yaml');
    const run = await check([file]);
    expect(run).toEqual({
      status: 0,
      stdout: `${file}: valid with 1 warning; 2 stacks would be synthesized: ecr-destination-prod-eu-west-1, ecr-source-build-us-east-1\n`,
      stderr:
        `warning: ${file}: repositories[1].imageTagMutability (received "MUTABLE"): mutable tags let a pushed tag be overwritten, ` +
        'and a replica may then differ from its source: prefer IMMUTABLE\n',
    });
  });

  test('WHEN it checks a bad file THEN it exits 1 and prints every problem, as synth does', async () => {
    const file = path.join(directory, 'bad.yaml');
    const run = await check([file]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      `${file}: 5 problems found:`,
      '  - accounts.build.id (received "11111111111"): must be a 12-digit AWS account id in quotes, e.g. "111111111111"',
      '  - repositories[0].name (received "Web"): must match the ECR repository name pattern: lowercase letters and digits in segments separated by ".", "_" or "-", namespaces separated by "/" (e.g. team-a/api)',
      '  - sources[0].account (received "biuld"): unknown account (did you mean "build"?): define it under accounts or use one of build',
      '  - sources[0].destinations (received nothing): is required: add a list of destination registries, e.g. destinations: [{ account: prod, region: eu-west-1 }]',
      '  - sources[0].destinatons (received []): unknown field (did you mean "destinations"?): remove it or fix its spelling; allowed here: account, region, namespaces, repositories, destinations',
      'check failed: fix the problems above',
      '',
    ]);
  });

  test('WHEN no file is named THEN ECR_REPLICATION_CONFIG is checked', async () => {
    const file = path.join(directory, 'bad.yaml');
    const run = await check([], { ECR_REPLICATION_CONFIG: file });
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(`${file}: 5 problems found:`);
  });

  test('WHEN neither is given THEN the bundled example is checked', async () => {
    const run = await check([]);
    expect(run).toEqual({
      status: 0,
      stdout:
        'ecr-replication.yaml: valid; 3 stacks would be synthesized: ecr-destination-build-us-west-2, ecr-destination-prod-eu-west-1, ecr-source-build-us-east-1\n',
      stderr: '',
    });
  });

  test('WHEN the file does not exist THEN it exits 1 and says so', async () => {
    const file = path.join(directory, 'missing.yaml');
    expect(await check([file])).toEqual({
      status: 1,
      stdout: '',
      stderr:
        `${file}: 1 problem found:\n` +
        '  - (file): file not found: create it (see the bundled ecr-replication.yaml) or point ECR_REPLICATION_CONFIG at an existing file\n' +
        'check failed: fix the problems above\n',
    });
  });

  test.each([['--help'], ['-h']])('WHEN it is given %s THEN it prints the usage and exits 0', async (flag) => {
    const run = await check([flag]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run check -- \[options\] \[file\]\n/);
    expect(run.stdout).toContain('default: $ECR_REPLICATION_CONFIG, else ecr-replication.yaml');
  });

  test('WHEN it is given an unknown option THEN it prints the usage and exits 2', async () => {
    const run = await check(['--strict-mode']);
    expect(run.status).toBe(2);
    // In a child process the line starts with the message; in jest's sandbox node's TypeError is from another realm,
    // so runCheck prints it with its name in front.
    expect(run.stderr.split('\n')[0]).toMatch(/^(TypeError \[ERR_PARSE_ARGS_UNKNOWN_OPTION\]: )?Unknown option '--strict-mode'/);
    expect(run.stderr).toContain('Usage: npm run check');
  });
});

describe('GIVEN main.ts, the app cdktf synth runs', () => {
  let directory: string;
  let saved: { config?: string; outdir?: string; exitCode?: number | string };
  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'config-main-'));
    writeFileSync(path.join(directory, 'bad.yaml'), BAD);
  });
  beforeEach(() => {
    saved = { config: process.env.ECR_REPLICATION_CONFIG, outdir: process.env.CDKTF_OUTDIR, exitCode: process.exitCode };
  });
  afterEach(() => {
    jest.restoreAllMocks();
    for (const [variable, value] of [
      ['ECR_REPLICATION_CONFIG', saved.config],
      ['CDKTF_OUTDIR', saved.outdir],
    ] as const) {
      if (value === undefined) delete process.env[variable];
      else process.env[variable] = value;
    }
    process.exitCode = saved.exitCode;
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('WHEN the config is bad THEN it prints the report to stderr, sets exit status 1 and writes nothing', async () => {
    const file = path.join(directory, 'bad.yaml');
    const outdir = path.join(directory, 'cdktf.out');
    process.env.ECR_REPLICATION_CONFIG = file;
    process.env.CDKTF_OUTDIR = outdir;
    let stderr = '';
    let stdout = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((text) => ((stderr += String(text)), true));
    jest.spyOn(process.stdout, 'write').mockImplementation((text) => ((stdout += String(text)), true));

    main();

    expect(process.exitCode).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.split('\n');
    expect(lines[0]).toBe(`${file}: 5 problems found:`);
    expect(lines.slice(-2)).toEqual(['nothing was synthesized: fix the problems above and run again', '']);
    expect(existsSync(outdir)).toBe(false);
  });
});
