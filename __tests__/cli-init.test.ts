/**
 * `ecr-kms-replication init` through the CLI, in scratch folders: what it
 * writes into an empty folder (a starter config that `check` accepts and
 * `synth` synthesizes, cdktf.json, package.json, .gitignore), what it
 * refuses, and how it merges into a team's existing package.json and
 * .gitignore. The packed tarball's `npx ecr-kms-replication init && synth` is
 * `npm run test:package`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliEnvironment, runCli } from '../cli/cli';

const PROJECT = path.resolve(__dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };
const COMMANDS = ['synth', 'check', 'list', 'deploy', 'diff', 'destroy', 'audit', 'backfill', 'recover', 'export', 'plan-check', 'diagram', 'hcp'];
const SCRIPTS = Object.fromEntries(COMMANDS.map((command) => [command, `ecr-kms-replication ${command}`]));
const GITIGNORE = ['node_modules/', 'cdktf.out/', '.cdktf.out.*', 'terraform-state/', '.ecr-replication/', '.terraform-cli/', 'cdktf.log'];
const tested = (name: string) => manifest.devDependencies[name];
const DEV_DEPENDENCIES = {
  '@aws-sdk/client-ecr': tested('@aws-sdk/client-ecr'),
  '@aws-sdk/client-iam': tested('@aws-sdk/client-iam'),
  '@aws-sdk/client-kms': tested('@aws-sdk/client-kms'),
  '@aws-sdk/client-sts': tested('@aws-sdk/client-sts'),
  '@cdktf/provider-aws': tested('@cdktf/provider-aws'),
  cdktf: tested('cdktf'),
  constructs: tested('constructs'),
  'ecr-kms-replication': manifest.version,
};

interface Result {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(directory: string, args: readonly string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const run: CliEnvironment = {
    projectRoot: directory,
    cwd: directory,
    environment: { PATH: process.env.PATH },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    runTool: () => 0,
  };
  const status = await runCli(args, run);
  return { status, stdout, stderr };
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

let directory: string;
beforeEach(() => {
  // Named like a project folder: the new package.json takes its name.
  directory = path.join(realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ecr-init-'))), 'Platform Registries');
  mkdirSync(directory);
});
afterEach(() => rmSync(path.dirname(directory), { recursive: true, force: true }));

describe('GIVEN an empty folder', () => {
  test('WHEN init runs THEN it writes the starter config, cdktf.json, package.json and .gitignore, and prints the next steps', async () => {
    const result = await cli(directory, ['init']);

    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(readdirSync(directory).sort()).toEqual(['.gitignore', 'cdktf.json', 'ecr-replication.yaml', 'package.json']);
    expect(result.stdout.split('\n').slice(0, 5)).toEqual([
      'wrote ecr-replication.yaml: a starter config (placeholder accounts build and prod; replace them with yours)',
      'wrote cdktf.json: its app command is `npx ecr-kms-replication app`',
      `wrote package.json: scripts ${COMMANDS.join(', ')}; devDependencies ${Object.keys(DEV_DEPENDENCIES).join(', ')}`,
      `wrote .gitignore: ${GITIGNORE.join(' ')}`,
      '',
    ]);
    expect(result.stdout).toContain('\nnext steps:\n  npm install  ');
    expect(result.stdout).toContain("  npx ecr-kms-replication deploy '*'  ");
  });

  test('WHEN init runs THEN package.json is private, has a script per command of the bin and pins this package, its peers and the AWS SDK clients', async () => {
    await cli(directory, ['init']);

    expect(readJson(path.join(directory, 'package.json'))).toEqual({
      name: 'platform-registries',
      version: '0.0.0',
      private: true,
      scripts: SCRIPTS,
      devDependencies: DEV_DEPENDENCIES,
    });
    expect(Object.keys(DEV_DEPENDENCIES).every((name) => DEV_DEPENDENCIES[name as keyof typeof DEV_DEPENDENCIES] !== undefined)).toBe(true);
  });

  test('WHEN init runs THEN cdktf.json runs the installed CLI and .gitignore keeps output, state and caches out of git', async () => {
    await cli(directory, ['init']);

    const cdktf = readJson(path.join(directory, 'cdktf.json'));
    expect(cdktf).toMatchObject({ language: 'typescript', app: 'npx ecr-kms-replication app', sendCrashReports: 'false', context: {} });
    expect(cdktf.projectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(readFileSync(path.join(directory, '.gitignore'), 'utf8')).toBe(
      `# ecr-kms-replication: output, state and caches of its commands\n${GITIGNORE.join('\n')}\n`,
    );
  });

  test('WHEN init runs THEN the starter config names the package JSON Schema by a relative path', async () => {
    await cli(directory, ['init']);

    const firstLine = readFileSync(path.join(directory, 'ecr-replication.yaml'), 'utf8').split('\n')[0];
    const schema = /^# yaml-language-server: \$schema=(\.\.?\/.+)$/.exec(firstLine)?.[1];
    expect(schema).toBeDefined();
    expect(path.resolve(directory, schema!)).toBe(path.join(PROJECT, 'ecr-replication.schema.json'));
  });

  test('WHEN init, check and synth run THEN the starter config is valid and synthesizes one stack per registry', async () => {
    await cli(directory, ['init']);

    const check = await cli(directory, ['check']);
    const synth = await cli(directory, ['synth']);

    expect(check).toEqual({
      status: 0,
      stdout: 'ecr-replication.yaml: valid; 2 stacks would be synthesized: ecr-destination-prod-eu-west-1, ecr-source-build-us-east-1\n',
      stderr: '',
    });
    expect(synth.status).toBe(0);
    expect(synth.stdout).toBe('cdktf.out: 2 stacks synthesized: ecr-destination-prod-eu-west-1, ecr-source-build-us-east-1\n');
    expect(readdirSync(path.join(directory, 'cdktf.out', 'stacks')).sort()).toEqual(['ecr-destination-prod-eu-west-1', 'ecr-source-build-us-east-1']);
  });
});

describe('GIVEN a folder that is already a project', () => {
  test.each([
    [['ecr-replication.yaml'], 'ecr-replication.yaml already exists', 'it'],
    [['cdktf.json'], 'cdktf.json already exists', 'it'],
    [['ecr-replication.yaml', 'cdktf.json'], 'ecr-replication.yaml and cdktf.json already exist', 'them'],
  ])('WHEN init runs where %j exist THEN it refuses, naming them, and writes nothing', async (present, named, pronoun) => {
    for (const file of present) writeFileSync(path.join(directory, file), 'mine\n');

    const result = await cli(directory, ['init']);

    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr:
        `init refused: ${named} in ${directory}: init starts a new project; run it in an empty folder, ` +
        `move ${pronoun} away, or run \`ecr-kms-replication init --force\` to overwrite ${pronoun}\n`,
    });
    expect(readdirSync(directory).sort()).toEqual([...present].sort());
    expect(present.map((file) => readFileSync(path.join(directory, file), 'utf8'))).toEqual(present.map(() => 'mine\n'));
  });

  test('WHEN init --force runs THEN it overwrites the config and cdktf.json', async () => {
    writeFileSync(path.join(directory, 'ecr-replication.yaml'), 'mine\n');
    writeFileSync(path.join(directory, 'cdktf.json'), '{}\n');

    const result = await cli(directory, ['init', '--force']);

    expect(result.status).toBe(0);
    expect(readFileSync(path.join(directory, 'ecr-replication.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=/);
    expect(readJson(path.join(directory, 'cdktf.json')).app).toBe('npx ecr-kms-replication app');
  });

  test('fails WHEN package.json is not JSON, naming it, AND writes nothing', async () => {
    writeFileSync(path.join(directory, 'package.json'), '{ "name": ');

    const result = await cli(directory, ['init']);

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^init refused: package\.json cannot be read \(.+\): fix it, then run init again\n$/);
    expect(readdirSync(directory)).toEqual(['package.json']);
  });
});

describe("GIVEN a team's repository with its own package.json and .gitignore", () => {
  const own = {
    name: 'platform',
    version: '3.1.0',
    scripts: { test: 'jest', synth: 'make synth' },
    dependencies: { 'ecr-kms-replication': '^0.2.0' },
    devDependencies: { constructs: '10.8.1', jest: '29.7.0' },
  };

  beforeEach(() => {
    writeFileSync(path.join(directory, 'package.json'), `${JSON.stringify(own, null, 2)}\n`);
    writeFileSync(path.join(directory, '.gitignore'), 'node_modules\n*.log\n');
  });

  test('WHEN init runs THEN it adds the missing scripts and devDependencies, and keeps every script and dependency of its own', async () => {
    const result = await cli(directory, ['init']);

    expect(result.status).toBe(0);
    const { synth: _theirs, ...added } = SCRIPTS;
    const { constructs: _pinned, 'ecr-kms-replication': _declared, ...newDependencies } = DEV_DEPENDENCIES;
    expect(readJson(path.join(directory, 'package.json'))).toEqual({
      ...own,
      scripts: { test: 'jest', synth: 'make synth', ...added },
      devDependencies: { constructs: '10.8.1', jest: '29.7.0', ...newDependencies },
    });
    expect(result.stdout).toContain(
      `updated package.json: added the scripts ${Object.keys(added).join(', ')}; ` +
        'kept your scripts synth (they differ from ours: "ecr-kms-replication synth"; --force replaces them); ' +
        `added the devDependencies ${Object.entries(newDependencies)
          .map(([name, version]) => `${name}@${version}`)
          .join(', ')}\n`,
    );
  });

  test('WHEN init --force runs THEN it replaces a differing script, and still no dependency', async () => {
    await cli(directory, ['init', '--force']);

    const written = readJson(path.join(directory, 'package.json')) as typeof own;
    expect(written.scripts.synth).toBe('ecr-kms-replication synth');
    expect(written.scripts.test).toBe('jest');
    expect(written.dependencies).toEqual({ 'ecr-kms-replication': '^0.2.0' });
    expect(written.devDependencies.constructs).toBe('10.8.1');
  });

  test('WHEN init runs THEN .gitignore keeps its lines and gets the missing ones (node_modules is there already)', async () => {
    const result = await cli(directory, ['init']);

    const missing = GITIGNORE.filter((line) => line !== 'node_modules/');
    expect(readFileSync(path.join(directory, '.gitignore'), 'utf8')).toBe(
      `node_modules\n*.log\n\n# ecr-kms-replication: output, state and caches of its commands\n${missing.join('\n')}\n`,
    );
    expect(result.stdout).toContain(`updated .gitignore: ${missing.join(' ')}\n`);
  });
});
