/**
 * The package boundary, read from package.json and the sources (offline):
 * the root is the library and depends only on its peers; every package the
 * compiled code imports at run time is declared; the AWS SDK clients are
 * optional peers behind one message; the bin runs every command of the
 * launcher. `npm run test:package` installs the packed tarball itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';
import { CliEnvironment, runCli, TOOL_ALIASES, TOOLS } from '../cli/cli';
import { AWS_SDK_PACKAGES, MissingAwsSdkError, requireAwsSdk } from '../tools/aws-sdk';
import { appMain, readmeExample, tarballProblems } from '../scripts/test-package';

const ROOT = path.resolve(__dirname, '..');
interface Manifest {
  readonly main: string;
  readonly types: string;
  readonly exports: Record<string, { types: string; default: string } | string>;
  readonly typesVersions: Record<string, Record<string, string[]>>;
  readonly bin: Record<string, string>;
  readonly private?: boolean;
  readonly scripts: Record<string, string>;
  readonly dependencies: Record<string, string>;
  readonly devDependencies: Record<string, string>;
  readonly peerDependencies: Record<string, string>;
  readonly peerDependenciesMeta: Record<string, { optional: boolean }>;
}
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const LIBRARY_PEERS = ['@cdktf/provider-aws', 'cdktf', 'constructs'];

function sourceFiles(folder: string): string[] {
  if (folder.endsWith('.ts')) return [folder];
  return readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

/** A source as the build compiles it (CommonJS): imports used only as types are gone, as in dist/. */
const compiled = new Map<string, string>();
function compile(file: string): string {
  let output = compiled.get(file);
  if (output === undefined) {
    output = ts.transpileModule(readFileSync(path.join(ROOT, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    }).outputText;
    compiled.set(file, output);
  }
  return output;
}

const packageOf = (name: string) =>
  name
    .split('/')
    .slice(0, name.startsWith('@') ? 2 : 1)
    .join('/');

/** Package names a source requires at run time, on load or later (dynamic import). */
function runtimeImports(file: string): string[] {
  return [...compile(file).matchAll(/require\(["']([^"'.][^"']*)["']\)/g)]
    .map((match) => match[1])
    .filter((name) => !name.startsWith('node:') && !builtinModules.includes(name))
    .map(packageOf);
}

/** What a source requires as soon as it is loaded (top-level statements): packages, and project files as paths. */
function loadTimeImports(file: string): string[] {
  return [...compile(file).matchAll(/^(?:const|let|var) [\w$]+ = (?:__importStar\()?require\("([^"]+)"\)/gm)].map(([, name]) =>
    name.startsWith('.') ? `${path.join(path.dirname(file), name)}.ts` : packageOf(name),
  );
}

/** The project files loading `entry` loads, itself included. */
function loadedWith(entry: string): Set<string> {
  const loaded = new Set<string>();
  const visit = (file: string): void => {
    if (loaded.has(file)) return;
    loaded.add(file);
    loadTimeImports(file)
      .filter((name) => name.endsWith('.ts'))
      .forEach(visit);
  };
  visit(entry);
  return loaded;
}

/** The build's sources (tsconfig.build.json), by folder. */
const BUILD = (JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;

describe('GIVEN package.json', () => {
  test('THEN the package is publishable: not private, a version, a bin, and no TypeScript needed to run it', () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.bin).toEqual({ 'ecr-kms-replication': 'bin/ecr-replication.js' });
    expect(readFileSync(path.join(ROOT, manifest.bin['ecr-kms-replication']), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  test('THEN the package root is the library and ecr-kms-replication/app the app layer, for every kind of module resolution', () => {
    expect(manifest.exports).toEqual({
      '.': { types: './dist/modules/index.d.ts', default: './dist/modules/index.js' },
      './app': { types: './dist/index.d.ts', default: './dist/index.js' },
      './ecr-replication.schema.json': './ecr-replication.schema.json',
      './package.json': './package.json',
    });
    // TypeScript's node10 resolution (the CDKTF template's) reads main/types and typesVersions, not exports.
    expect([manifest.main, manifest.types]).toEqual(['dist/modules/index.js', 'dist/modules/index.d.ts']);
    expect(manifest.typesVersions).toEqual({ '*': { app: ['dist/index.d.ts'] } });
  });

  test('THEN cdktf, constructs and the AWS provider are peers whose ranges start at the versions the tests use', () => {
    const peers = Object.fromEntries(LIBRARY_PEERS.map((name) => [name, manifest.peerDependencies[name]]));
    expect(peers).toEqual({ '@cdktf/provider-aws': '^20.1.0', cdktf: '^0.21.0', constructs: '^10.4.2' });
    expect(LIBRARY_PEERS.map((name) => `^${manifest.devDependencies[name]}`)).toEqual(LIBRARY_PEERS.map((name) => manifest.peerDependencies[name]));
    expect(LIBRARY_PEERS.filter((name) => name in manifest.dependencies)).toEqual([]);
  });

  test('THEN the AWS SDK clients are optional peers, tested at the versions their ranges start from', () => {
    expect(Object.keys(manifest.peerDependenciesMeta).sort()).toEqual([...AWS_SDK_PACKAGES].sort());
    expect(AWS_SDK_PACKAGES.every((name) => manifest.peerDependenciesMeta[name].optional)).toBe(true);
    expect(AWS_SDK_PACKAGES.map((name) => manifest.peerDependencies[name])).toEqual(AWS_SDK_PACKAGES.map((name) => `^${manifest.devDependencies[name]}`));
    expect(AWS_SDK_PACKAGES.filter((name) => name in manifest.dependencies)).toEqual([]);
  });
});

describe('GIVEN the sources the package ships (tsconfig.build.json)', () => {
  test('WHEN the library (modules/) imports a package THEN it is one of its peers', () => {
    const imported = [...new Set(sourceFiles('modules').flatMap(runtimeImports))].sort();
    expect(imported).toEqual(LIBRARY_PEERS);
  });

  test('WHEN any shipped source imports a package at run time THEN package.json declares it as a dependency or a peer', () => {
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
    const undeclared = BUILD.flatMap(sourceFiles).flatMap((file) =>
      runtimeImports(file)
        .filter((name) => !declared.has(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(undeclared).toEqual([]);
  });

  test('WHEN a shipped source loads an AWS SDK client as it loads THEN neither the launcher, check, the static audit, export, diagram nor the app entry loads it', () => {
    // They must run without the optional clients: these modules are reached only after requireAwsSdk
    // (check --live, audit --live) or through tools the launcher checks first (backfill, recover).
    const loaders = BUILD.flatMap(sourceFiles).filter((file) => loadTimeImports(file).some((name) => name.startsWith('@aws-sdk/')));
    const entries = ['cli/cli.ts', 'cli/commands/audit.ts', 'cli/commands/check.ts', 'cli/commands/diagram.ts', 'cli/commands/export-terraform.ts', 'index.ts'];
    expect(entries.flatMap((entry) => loaders.filter((loader) => loadedWith(entry).has(loader)).map((loader) => `${entry} loads ${loader}`))).toEqual([]);
    expect(loaders.sort()).toEqual([
      'cli/commands/live-principals.ts',
      'tools/audit/backfill.ts',
      'tools/audit/registry-snapshot.ts',
      'tools/recovery/aws-session.ts',
      'tools/recovery/project-deploy-hooks.ts',
      'tools/recovery/registry-inventory.ts',
    ]);
  });
});

describe('GIVEN the AWS SDK clients are missing', () => {
  test('WHEN a command that calls AWS starts THEN it refuses with the npm install to run, at the tested versions', () => {
    const missing = new Set(['@aws-sdk/client-iam', '@aws-sdk/client-sts']);
    let thrown: unknown;
    try {
      requireAwsSdk('backfill', (name) => !missing.has(name));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MissingAwsSdkError);
    expect((thrown as Error).message).toBe(
      'backfill calls AWS through the AWS SDK for JavaScript v3, and @aws-sdk/client-iam, @aws-sdk/client-sts are not installed ' +
        '(optional peer dependencies of ecr-kms-replication): run ' +
        `\`npm install --save-dev @aws-sdk/client-iam@${manifest.devDependencies['@aws-sdk/client-iam']} @aws-sdk/client-sts@${manifest.devDependencies['@aws-sdk/client-sts']}\`` +
        ' in your project, then run the command again',
    );
  });

  test('WHEN every client is installed THEN nothing is refused', () => {
    expect(() => requireAwsSdk('audit --live', () => true)).not.toThrow();
  });
});

describe('GIVEN the bin', () => {
  async function run(args: readonly string[]): Promise<{ status: number; stdout: string; tools: (readonly string[])[] }> {
    let stdout = '';
    const tools: (readonly string[])[] = [];
    const environment: CliEnvironment = {
      projectRoot: ROOT,
      cwd: ROOT,
      environment: {},
      stdout: (text) => (stdout += text),
      stderr: (text) => (stdout += text),
      runTool: (argv) => (tools.push(argv), 0),
    };
    return { status: await runCli(args, environment), stdout, tools };
  }

  /** The commands `--help` lists (aliases after a `|`). */
  async function listedCommands(): Promise<string[]> {
    const { stdout } = await run(['--help']);
    const section = stdout.slice(stdout.indexOf('Commands:\n') + 'Commands:\n'.length);
    return section
      .split('\n')
      .map((line) => /^ {2}([a-z][a-z-]*(?:\|[a-z-]+)?)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined)
      .flatMap((name) => name.split('|'));
  }

  test.each(Object.keys(TOOLS))('WHEN `ecr-kms-replication %s` runs THEN it runs that tool with every argument and option as given', async (tool) => {
    const result = await run([tool, 'cdktf.out', '--format', 'json', '--live', '-h']);
    expect(result.tools).toEqual([[tool, 'cdktf.out', '--format', 'json', '--live', '-h']]);
    expect(result.status).toBe(0);
  });

  test.each(Object.entries(TOOL_ALIASES))('WHEN the alias of %s runs THEN it runs that tool', async (tool, alias) => {
    expect((await run([alias, '--out', 'dir'])).tools).toEqual([[tool, '--out', 'dir']]);
  });

  test('WHEN --help runs THEN it lists the daily commands, init and every tool', async () => {
    expect(await listedCommands()).toEqual([
      'synth',
      'check',
      'list',
      'deploy',
      'diff',
      'destroy',
      'init',
      ...Object.keys(TOOLS).flatMap((tool) => [tool, ...(TOOL_ALIASES[tool] ? [TOOL_ALIASES[tool]] : [])]),
      'hcp',
      'help',
    ]);
  });

  test('WHEN an npm script runs the launcher THEN the bin has the same command (new commands reach installed projects)', async () => {
    const listed = new Set(await listedCommands());
    const launched = Object.values(manifest.scripts)
      .map((script) => /node bin\/ecr-replication\.js (?:tool )?([a-z][a-z-]*)/.exec(script)?.[1])
      .filter((name): name is string => name !== undefined);
    expect(launched.length).toBeGreaterThan(5);
    expect(launched.filter((name) => !listed.has(name))).toEqual([]);
  });
});

describe('GIVEN npm run test:package', () => {
  test.each([
    ['dist/modules/index.js', []],
    ['dist/modules/index.d.ts', []],
    ['dist/modules/index.js.map', ['dist/modules/index.js.map: a source map']],
    ['dist/modules/gone.js', ['dist/modules/gone.js: compiled from modules/gone.ts, which this checkout does not have (stale output)']],
    ['modules/index.ts', ['modules/index.ts: a TypeScript source']],
    ['dist/__tests__/x.test.js', ['dist/__tests__/x.test.js: tests, test helpers or development scripts']],
    ['test-support/synth.ts', ['test-support/synth.ts: tests, test helpers or development scripts']],
    ['tsconfig.json', ['tsconfig.json: build info or a tool config']],
    ['dist/.tsbuildinfo-app', ['dist/.tsbuildinfo-app: build info or a tool config']],
    ['README.md', []],
  ])('WHEN the tarball holds %s THEN the check reports %j', (file, problems) => {
    expect(tarballProblems([file], (source) => ['modules/index.ts'].includes(source))).toEqual(problems);
  });

  test("WHEN the README's library example is read THEN it imports from the package root and builds both registries", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const { imports, body } = readmeExample(readme);
    expect(imports).toMatch(/\} from 'ecr-kms-replication';$/);
    expect(body).toContain('new ReplicationConfiguration(this, ');
    expect(appMain(readme)).toContain("new PlatformRegistries(app, 'platform');\napp.synth();\n");
  });
});
