/** `npm run check -- file`: scripts/check.ts run as a child process, as a user runs it. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const PROJECT = path.resolve(__dirname, '..');
const CHECK = path.join(PROJECT, 'scripts', 'check.ts');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function check(args: string[], environment: NodeJS.ProcessEnv = {}): Run {
  const { ECR_REPLICATION_CONFIG: _ignored, ...inherited } = process.env;
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', CHECK, ...args], {
    cwd: PROJECT,
    encoding: 'utf8',
    env: { ...inherited, ...environment },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
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

  test('WHEN it checks a good file THEN it exits 0, prints the warnings and a one-line summary of the stacks', () => {
    const file = path.join(directory, 'good.yaml');
    const run = check([file]);
    expect(run).toEqual({
      status: 0,
      stdout: `${file}: valid with 1 warning; 2 stacks would be synthesized: ecr-destination-prod-eu-west-1, ecr-source-build-us-east-1\n`,
      stderr:
        `warning: ${file}: repositories[1].imageTagMutability (received "MUTABLE"): mutable tags let a pushed tag be overwritten, ` +
        'and a replica may then differ from its source: prefer IMMUTABLE\n',
    });
  });

  test('WHEN it checks a bad file THEN it exits 1 and prints every problem, as synth does', () => {
    const file = path.join(directory, 'bad.yaml');
    const run = check([file]);
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

  test('WHEN no file is named THEN ECR_REPLICATION_CONFIG is checked', () => {
    const file = path.join(directory, 'bad.yaml');
    const run = check([], { ECR_REPLICATION_CONFIG: file });
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(`${file}: 5 problems found:`);
  });

  test('WHEN neither is given THEN the bundled example is checked', () => {
    const run = check([]);
    expect(run).toEqual({
      status: 0,
      stdout:
        'ecr-replication.yaml: valid; 3 stacks would be synthesized: ecr-destination-build-us-west-2, ecr-destination-prod-eu-west-1, ecr-source-build-us-east-1\n',
      stderr: '',
    });
  });

  test('WHEN the file does not exist THEN it exits 1 and says so', () => {
    const file = path.join(directory, 'missing.yaml');
    expect(check([file])).toEqual({
      status: 1,
      stdout: '',
      stderr:
        `${file}: 1 problem found:\n` +
        '  - (file): file not found: create it (see the bundled ecr-replication.yaml) or point ECR_REPLICATION_CONFIG at an existing file\n' +
        'check failed: fix the problems above\n',
    });
  });

  test.each([['--help'], ['-h']])('WHEN it is given %s THEN it prints the usage and exits 0', (flag) => {
    const run = check([flag]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run check -- \[options\] \[file\]\n/);
    expect(run.stdout).toContain('default: $ECR_REPLICATION_CONFIG, else ecr-replication.yaml');
  });

  test('WHEN it is given an unknown option THEN it prints the usage and exits 2', () => {
    const run = check(['--strict-mode']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^Unknown option '--strict-mode'/);
    expect(run.stderr).toContain('Usage: npm run check');
  });
});

describe('GIVEN main.ts, the app cdktf synth runs', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'config-main-'));
    writeFileSync(path.join(directory, 'bad.yaml'), BAD);
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('WHEN the config is bad THEN it prints the report to stderr, exits 1 and writes nothing', () => {
    const file = path.join(directory, 'bad.yaml');
    const outdir = path.join(directory, 'cdktf.out');
    const { ECR_REPLICATION_CONFIG: _ignored, ...inherited } = process.env;
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(PROJECT, 'main.ts')], {
      cwd: PROJECT,
      encoding: 'utf8',
      env: { ...inherited, ECR_REPLICATION_CONFIG: file, CDKTF_OUTDIR: outdir },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe(`${file}: 5 problems found:`);
    expect(lines.slice(-2)).toEqual(['nothing was synthesized: fix the problems above and run again', '']);
    expect(existsSync(outdir)).toBe(false);
  });
});
