/**
 * `npm run test:package`: the package as users get it, not the sources.
 *
 * 1. `npm pack` into a temporary folder (prepack rebuilds dist/ from clean), and checks the
 *    tarball: at most MAX_TARBALL_BYTES, compiled JavaScript and declarations only (no
 *    TypeScript sources, tests, helpers, source maps, build info or tool configs), each compiled
 *    file from a source of this checkout (nothing stale).
 * 2. For each tested peer set (constructs 10.4.2 and the newest 10.x, resolved with `npm view` now),
 *    a fresh CDKTF app outside the repository: package.json, the CDKTF template's tsconfig with
 *    `skipLibCheck: false`, `main.ts` = the README's two-registry example (its code block under
 *    "Using the constructs in your own CDKTF app") in a stack, importing from 'ecr-kms-replication',
 *    and `app-api.ts` importing from 'ecr-kms-replication/app'. `npm install` of the tarball and the
 *    peers (and the AWS SDK clients, so that the entry check below means something), then:
 *    `tsc --noEmit`, synthesis (node), `terraform validate` with the project's Terraform CLI config,
 *    `npm ls constructs` shows one copy, and requiring the package root loads none of zod, yaml,
 *    commander or the AWS SDK (printed: modules loaded and milliseconds).
 * 3. In an empty folder with the tarball installed (its peers come with it, the optional AWS SDK
 *    clients do not): `npx ecr-kms-replication init`, `check`, `synth`, the app command init wrote
 *    into cdktf.json (as the cdktf CLI runs it), a static `audit` of the output (no AWS SDK needed),
 *    and `backfill` refused with the `npm install` to run.
 *
 * Each step is printed with its time; the first failing step prints its output and the script exits 1.
 * It needs the npm registry (the npm cache, warm after `npm ci`, serves most of it: --prefer-offline)
 * and Terraform on PATH. Options: --keep (keep the temporary folder), --constructs <version> (one peer
 * set only, e.g. 10.8.1).
 */
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT, terraformEnvironment } from '../tools/terraform-cli';

/**
 * A regression guard on the packed size, not the issue's target: a third of 0.1.0's 686 kB (228 kB) was met by
 * the package alone (193.7 kB); the deploy engine, plan check, recovery hooks, HCP Terraform workspaces and the
 * Terraform export of the complete example then added about 104 kB of compiled JavaScript (297.6 kB, see
 * BENCHMARKS.md "The package"). Fails when the tarball grows beyond that by more than a few kilobytes.
 */
export const MAX_TARBALL_BYTES = 310_000;
/** The oldest constructs the peer range admits and the project's own tests use. */
const OLDEST_CONSTRUCTS = '10.4.2';
const PACKAGE = 'ecr-kms-replication';
/** Packages the library entry must not load: the config parser, the command line, the AWS SDK. */
export const APP_ONLY_PACKAGES = ['zod', 'yaml', 'commander', '@aws-sdk/'] as const;
const README_SECTION = '## Using the constructs in your own CDKTF app';
const TSC = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TS_NODE = path.join(PROJECT_ROOT, 'node_modules', 'ts-node', 'register', 'transpile-only');

interface Manifest {
  readonly version: string;
  readonly devDependencies: Record<string, string>;
  readonly peerDependencies: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

class StepFailure extends Error {}

// ---------------------------------------------------------------- running and reporting

/** The environment of every child: none of the npm_* variables of `npm run` (they would point npm at this checkout). */
function childEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return { ...environment, CHECKPOINT_DISABLE: '1', NO_UPDATE_NOTIFIER: '1', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

function run(command: string, args: readonly string[], cwd: string, options: SpawnSyncOptions = {}): Run {
  const result = spawnSync(command, [...args], { cwd, env: childEnvironment(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

/** Fails the step with the command's output unless it exited 0. */
function succeed(what: string, result: Run): Run {
  if (result.status !== 0) throw new StepFailure(`${what} exited ${result.status}\n${result.stdout}${result.stderr}`);
  return result;
}

const timings: { readonly name: string; readonly seconds: number }[] = [];

/** Runs one step, printing its name, time and (optional) one-line result; exits 1 with the output of a failing step. */
function step<T>(name: string, body: () => T, describe?: (value: T) => string): T {
  const started = process.hrtime.bigint();
  try {
    const value = body();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    timings.push({ name, seconds });
    process.stdout.write(`  ok  ${name} (${seconds.toFixed(1)} s)${describe ? `: ${describe(value)}` : ''}\n`);
    return value;
  } catch (error) {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`  FAILED  ${name} (${seconds.toFixed(1)} s)\n`);
    process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
    throw new StepFailure(`step failed: ${name}`);
  }
}

// ---------------------------------------------------------------- the tarball

interface PackedFile {
  readonly path: string;
  readonly size: number;
}

interface Packed {
  readonly tarball: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly PackedFile[];
}

export function pack(destination: string): Packed {
  const result = succeed('npm pack', run('npm', ['pack', '--json', '--pack-destination', destination], PROJECT_ROOT));
  // Lifecycle scripts (prepack, prepare) print to stdout before the JSON.
  const [packed] = JSON.parse(result.stdout.slice(result.stdout.indexOf('\n[') + 1)) as {
    filename: string;
    size: number;
    unpackedSize: number;
    files: PackedFile[];
  }[];
  return { tarball: path.join(destination, packed.filename), size: packed.size, unpackedSize: packed.unpackedSize, files: packed.files };
}

/** What must not be in the tarball, or a compiled file without a source here (stale output): one line each. */
export function tarballProblems(files: readonly string[], sourceExists: (source: string) => boolean): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (/\.map$/.test(file)) problems.push(`${file}: a source map`);
    else if (/(^|\/)(__tests__|test-support|scripts)\//.test(file)) problems.push(`${file}: tests, test helpers or development scripts`);
    else if (/\.ts$/.test(file) && !/\.d\.ts$/.test(file)) problems.push(`${file}: a TypeScript source`);
    else if (/tsbuildinfo|(^|\/)tsconfig[^/]*\.json$|(^|\/)(jest|eslint)[^/]*$|(^|\/)\.[^/]+rc/.test(file))
      problems.push(`${file}: build info or a tool config`);
    else if (file.startsWith('dist/')) {
      const source = file.slice('dist/'.length).replace(/\.d\.ts$|\.js$/, '.ts');
      if (!sourceExists(source)) problems.push(`${file}: compiled from ${source}, which this checkout does not have (stale output)`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------- the CDKTF app

/** The README's library example: the first TypeScript block of its "Using the constructs" section, split into imports and statements. */
export function readmeExample(readme: string): { imports: string; body: string } {
  const section = readme.slice(readme.indexOf(README_SECTION));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (readme.indexOf(README_SECTION) < 0 || !block) throw new Error(`README.md has no TypeScript block under "${README_SECTION}"`);
  const lines = block[1].split('\n');
  // The import declarations run to the first line ending in a semicolon after "from '...'".
  const lastImport = lines.reduce((last, line, index) => (/^\s*}? ?from '[^']+';|^import .* from '[^']+';/.test(line) ? index : last), -1);
  return { imports: lines.slice(0, lastImport + 1).join('\n'), body: lines.slice(lastImport + 1).join('\n') };
}

/** main.ts of the app: the README's example inside a stack, synthesized. */
export function appMain(readme: string): string {
  const { imports, body } = readmeExample(readme);
  const indented = body
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : `    ${line}`))
    .join('\n');
  return `${imports}
import { App } from 'cdktf';
import { Construct } from 'constructs';

class PlatformRegistries extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
${indented.replace(/\n+$/, '')}
  }
}

const app = new App();
new PlatformRegistries(app, 'platform');
app.synth();
`;
}

/** A user of the app layer's subpath: type-checked only. */
const APP_API = `import { planDeployment, validateConfig } from 'ecr-kms-replication/app';

/** The stacks a config gives, in apply order. */
export function stackNames(raw: unknown): string[] {
  const plan = planDeployment(validateConfig(raw, 'inline').config);
  return [...plan.destinations, ...plan.sources].map((registry) => registry.stackName);
}
`;

/** The CDKTF template's tsconfig.json, strict, with the library checks on (no skipLibCheck). */
const TSCONFIG = {
  compilerOptions: {
    alwaysStrict: true,
    declaration: true,
    experimentalDecorators: true,
    inlineSourceMap: true,
    inlineSources: true,
    lib: ['es2018'],
    module: 'CommonJS',
    noEmitOnError: true,
    noFallthroughCasesInSwitch: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    noImplicitThis: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    resolveJsonModule: true,
    strict: true,
    strictNullChecks: true,
    strictPropertyInitialization: true,
    stripInternal: true,
    target: 'ES2018',
    incremental: true,
    skipLibCheck: false,
  },
  include: ['main.ts'],
  exclude: ['node_modules', 'cdktf.out'],
};

/**
 * The app layer's types reach zod's and Node's declarations: zod's need esModuleInterop when they are
 * checked (no skipLibCheck), and the config loader names NodeJS.ProcessEnv (@types/node, which the CDKTF
 * template installs). The README says so.
 */
const TSCONFIG_APP_API = { extends: './tsconfig.json', compilerOptions: { esModuleInterop: true }, include: ['app-api.ts'] };

/** Prints what requiring the package root loads, as JSON: modules, milliseconds, exports, and the app-only packages among them. */
const ENTRY_PROBE = `
const started = process.hrtime.bigint();
const library = require(${JSON.stringify(PACKAGE)});
const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
const loaded = Object.keys(require.cache);
const forbidden = ${JSON.stringify(APP_ONLY_PACKAGES)}.filter((name) => loaded.some((file) => file.includes('/node_modules/' + name)));
const installed = ${JSON.stringify(APP_ONLY_PACKAGES)}.filter((name) => { try { require.resolve(name.endsWith('/') ? name + 'client-ecr' : name); return true; } catch { return false; } });
process.stdout.write(JSON.stringify({ modules: loaded.length, milliseconds, exports: Object.keys(library).length, forbidden, installed }));
`;

/** `npm ls <name>`: the installed copies, as path and version. */
function installedCopies(directory: string, name: string): { path: string; version: string }[] {
  const result = run('npm', ['ls', name, '--all', '--parseable'], directory);
  return result.stdout
    .split('\n')
    .filter((line) => line.endsWith(`node_modules/${name}`))
    .map((copy) => ({
      path: path.relative(directory, copy),
      version: (JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf8')) as Manifest).version,
    }));
}

function newestVersion(name: string, range: string): string {
  const result = succeed(`npm view ${name}@${range}`, run('npm', ['view', `${name}@${range}`, 'version', '--json'], os.tmpdir()));
  const versions = ([] as string[]).concat(JSON.parse(result.stdout) as string | string[]);
  const numeric = (version: string) => version.split('.').map(Number);
  return versions
    .filter((version) => /^\d+\.\d+\.\d+$/.test(version))
    .sort((a, b) => {
      const [x, y] = [numeric(a), numeric(b)];
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
    })
    .pop()!;
}

function testApp(workspace: string, packed: Packed, manifest: Manifest, constructs: string): void {
  const directory = path.join(workspace, `cdktf-app-constructs-${constructs}`);
  mkdirSync(directory);
  process.stdout.write(`\nA CDKTF app on constructs ${constructs} (${directory})\n`);
  writeFileSync(path.join(directory, 'package.json'), `${JSON.stringify({ name: 'platform-registries', version: '1.0.0', private: true }, null, 2)}\n`);
  writeFileSync(path.join(directory, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  writeFileSync(path.join(directory, 'tsconfig.app-api.json'), `${JSON.stringify(TSCONFIG_APP_API, null, 2)}\n`);
  writeFileSync(path.join(directory, 'main.ts'), appMain(readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')));
  writeFileSync(path.join(directory, 'app-api.ts'), APP_API);
  writeFileSync(path.join(directory, 'cdktf.json'), `${JSON.stringify({ language: 'typescript', app: 'npx ts-node main.ts' }, null, 2)}\n`);

  const tested = manifest.devDependencies;
  // Every peer, the optional AWS SDK clients included (so that the entry check below means something), and @types/node as the CDKTF template has it.
  const peers = Object.keys(manifest.peerDependencies).map((name) => `${name}@${name === 'constructs' ? constructs : tested[name]}`);
  const installed = [...peers, `@types/node@${tested['@types/node']}`];
  step(`npm install the tarball and ${installed.join(' ')}`, () =>
    succeed('npm install', run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', packed.tarball, ...installed], directory)),
  );
  step('tsc --noEmit: main.ts (the template tsconfig: strict, skipLibCheck false)', () =>
    succeed('tsc', run(process.execPath, [TSC, '--noEmit', '-p', 'tsconfig.json'], directory)),
  );
  step("tsc --noEmit: app-api.ts, importing 'ecr-kms-replication/app' (the same, with esModuleInterop)", () =>
    succeed('tsc', run(process.execPath, [TSC, '--noEmit', '-p', 'tsconfig.app-api.json'], directory)),
  );
  const stackDirectory = path.join(directory, 'cdktf.out', 'stacks', 'platform');
  step(
    'synthesize (node main.ts)',
    () => {
      succeed('node main.ts', run(process.execPath, ['-r', TS_NODE, 'main.ts'], directory));
      const json = JSON.parse(readFileSync(path.join(stackDirectory, 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, unknown>> };
      return Object.entries(json.resource).map(([type, resources]) => `${type} x${Object.keys(resources).length}`);
    },
    (resources) => resources.join(', '),
  );
  step('terraform init and validate (the project Terraform CLI config)', () => {
    const environment = terraformEnvironment();
    succeed('terraform init', run('terraform', ['init', '-backend=false', '-input=false', '-no-color'], stackDirectory, { env: environment }));
    const validate = succeed('terraform validate', run('terraform', ['validate', '-no-color'], stackDirectory, { env: environment }));
    if (!validate.stdout.includes('Success! The configuration is valid.')) throw new StepFailure(`terraform validate did not succeed:\n${validate.stdout}`);
  });
  step(
    'npm ls constructs: one copy',
    () => {
      const copies = installedCopies(directory, 'constructs');
      if (copies.length !== 1 || copies[0].version !== constructs) {
        throw new StepFailure(`expected one constructs ${constructs}, found ${JSON.stringify(copies)}`);
      }
      return copies[0];
    },
    (copy) => `${copy.path} ${copy.version}`,
  );
  step(
    `require('${PACKAGE}') loads none of ${APP_ONLY_PACKAGES.join(', ')}`,
    () => {
      const probe = JSON.parse(succeed('the entry probe', run(process.execPath, ['-e', ENTRY_PROBE], directory)).stdout) as {
        modules: number;
        milliseconds: number;
        exports: number;
        forbidden: string[];
        installed: string[];
      };
      if (probe.forbidden.length > 0) throw new StepFailure(`the library entry loaded ${probe.forbidden.join(', ')}`);
      if (probe.installed.length !== APP_ONLY_PACKAGES.length)
        throw new StepFailure(`expected ${APP_ONLY_PACKAGES.join(', ')} installed, found ${probe.installed.join(', ')}`);
      return probe;
    },
    (probe) => `${probe.modules} modules, ${probe.milliseconds.toFixed(0)} ms, ${probe.exports} exports (all of ${APP_ONLY_PACKAGES.join(', ')} installed)`,
  );
}

function testInit(workspace: string, packed: Packed, manifest: Manifest): void {
  const directory = path.join(workspace, 'empty-project');
  mkdirSync(directory);
  process.stdout.write(`\nAn empty folder with the tarball installed (${directory})\n`);
  step('npm install the tarball (its peers come with it; the optional AWS SDK clients do not)', () =>
    succeed('npm install', run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', packed.tarball], directory)),
  );
  const npx = (args: readonly string[]) => run('npx', [PACKAGE, ...args], directory);
  step(
    `npx ${PACKAGE} init`,
    () => {
      succeed('init', npx(['init']));
      const written = ['ecr-replication.yaml', 'cdktf.json', 'package.json', '.gitignore'].filter((file) => existsSync(path.join(directory, file)));
      if (written.length !== 4) throw new StepFailure(`init wrote ${written.join(', ')} only`);
      return written;
    },
    (written) => `wrote ${written.join(', ')}`,
  );
  step(
    'the config names the installed JSON Schema',
    () => {
      const schema = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(path.join(directory, 'ecr-replication.yaml'), 'utf8'))?.[1];
      if (schema === undefined || !existsSync(path.join(directory, schema)))
        throw new StepFailure(`the schema line names ${schema ?? 'nothing'}, which does not exist`);
      return schema;
    },
    (schema) => schema,
  );
  step(
    `npx ${PACKAGE} check`,
    () => succeed('check', npx(['check'])).stdout.trim(),
    (summary) => summary,
  );
  step(
    `npx ${PACKAGE} synth`,
    () => {
      succeed('synth', npx(['synth']));
      return readdirSync(path.join(directory, 'cdktf.out', 'stacks'));
    },
    (stacks) => stacks.join(', '),
  );
  step(
    "cdktf.json's app command, as the cdktf CLI runs it (CDKTF_OUTDIR)",
    () => {
      const { app } = JSON.parse(readFileSync(path.join(directory, 'cdktf.json'), 'utf8')) as { app: string };
      succeed(app, run(app, [], directory, { shell: true, env: childEnvironment({ CDKTF_OUTDIR: path.join(directory, 'cdktf-app.out') }) }));
      return `${app}: ${readdirSync(path.join(directory, 'cdktf-app.out', 'stacks')).join(', ')}`;
    },
    (summary) => summary,
  );
  step(
    `npx ${PACKAGE} audit (static: without the AWS SDK)`,
    () =>
      succeed('audit', npx(['audit']))
        .stdout.trim()
        .split('\n')
        .pop() ?? '',
    (summary) => summary,
  );
  step(
    `npx ${PACKAGE} backfill is refused with the npm install of the AWS SDK clients`,
    () => {
      const result = npx(['backfill']);
      const expected = `npm install --save-dev ${['ecr', 'iam', 'kms', 'sts'].map((client) => `@aws-sdk/client-${client}@${manifest.devDependencies[`@aws-sdk/client-${client}`]}`).join(' ')}`;
      if (result.status !== 2 || !result.stderr.includes(expected))
        throw new StepFailure(`expected exit 2 naming \`${expected}\`, got ${result.status}:\n${result.stderr}`);
      return result.stderr.trim();
    },
    (message) => `${message.slice(0, 100)}...`,
  );
  step(
    'npm ls constructs: one copy',
    () => installedCopies(directory, 'constructs'),
    (copies) => copies.map((copy) => `${copy.path} ${copy.version}`).join(', '),
  );
  step('nothing written into node_modules/ecr-kms-replication', () => {
    const installed = path.join(directory, 'node_modules', PACKAGE);
    const written = ['.terraform-cli', 'dist/.tsbuildinfo-app', 'dist/.build-lock', '.ecr-replication', 'cdktf.out'].filter((file) =>
      existsSync(path.join(installed, file)),
    );
    if (written.length > 0) throw new StepFailure(`the commands wrote ${written.join(', ')} into the installed package`);
  });
}

function main(): void {
  const argv = process.argv.slice(2);
  const keep = argv.includes('--keep');
  const only = argv.includes('--constructs') ? argv[argv.indexOf('--constructs') + 1] : undefined;
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as Manifest;
  const started = process.hrtime.bigint();
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'ecr-test-package-'));
  try {
    process.stdout.write(`test:package: ${PACKAGE} ${manifest.version}, peers ${JSON.stringify(manifest.peerDependencies)}\n`);
    const newest =
      only ??
      step(
        'npm view constructs@^10: the newest 10.x',
        () => newestVersion('constructs', '^10'),
        (version) => version,
      );
    const constructsVersions = only ? [only] : [...new Set([OLDEST_CONSTRUCTS, newest])];
    process.stdout.write(
      `peer sets: constructs ${constructsVersions.join(' and ')}, with ${Object.keys(manifest.peerDependencies)
        .filter((name) => name !== 'constructs')
        .map((name) => `${name}@${manifest.devDependencies[name]}`)
        .join(', ')}\n\nThe tarball\n`,
    );
    const packed = step(
      'npm pack',
      () => pack(workspace),
      (result) =>
        `${path.basename(result.tarball)}, ${(result.size / 1000).toFixed(1)} kB packed, ${(result.unpackedSize / 1000).toFixed(1)} kB unpacked, ${result.files.length} files`,
    );
    step(`at most ${MAX_TARBALL_BYTES / 1000} kB`, () => {
      if (packed.size > MAX_TARBALL_BYTES) throw new StepFailure(`the tarball is ${packed.size} bytes, above ${MAX_TARBALL_BYTES}`);
    });
    step('only compiled JavaScript, public declarations and docs, nothing stale', () => {
      const problems = tarballProblems(
        packed.files.map((file) => file.path),
        (source) => existsSync(path.join(PROJECT_ROOT, source)),
      );
      if (problems.length > 0) throw new StepFailure(problems.join('\n'));
    });
    for (const constructs of constructsVersions) testApp(workspace, packed, manifest, constructs);
    testInit(workspace, packed, manifest);
  } finally {
    if (keep) process.stdout.write(`\nkept ${workspace}\n`);
    // About 1.2 GB (three installs of @cdktf/provider-aws): timed, since it is part of what a CI run pays;
    // rm -rf takes about half the time of Node's rmSync here.
    else
      step(`remove ${workspace}`, () => (spawnSync('rm', ['-rf', workspace]).status === 0 ? undefined : rmSync(workspace, { recursive: true, force: true })));
  }
  const total = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`\nall steps passed in ${total.toFixed(0)} s\ntest:package: ${timings.length} passed, 0 failed\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    if (!(error instanceof StepFailure)) process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    else process.stdout.write(`\n${error.message}\ntest:package: ${timings.length} passed, 1 failed\n`);
    process.exitCode = 1;
  }
}
