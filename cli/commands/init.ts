/**
 * `npx ecr-kms-replication init`: makes the folder it runs in a project of
 * its own, for a team that keeps only its config in its repository and
 * installs this package (upgrading is `npm install ecr-kms-replication@x.y`,
 * never a merge of our history). It writes:
 *
 *   ecr-replication.yaml  a commented starter config that `check` accepts, whose
 *                         `# yaml-language-server: $schema=` line points at the installed schema
 *   cdktf.json            its app command runs the installed CLI (`npx cdktf synth` works too)
 *   package.json          when there is none: private, a script per command, devDependencies on
 *                         this package, its peers and the AWS SDK clients at the versions tested;
 *                         an existing one gets the missing scripts and devDependencies only
 *   .gitignore            created, or the missing lines appended
 *
 * It refuses a folder that already holds ecr-replication.yaml or cdktf.json,
 * naming them, unless --force; it never changes a dependency or a script
 * already in package.json (a differing script is kept and named; --force
 * replaces it).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AWS_SDK_PACKAGES } from '../../tools/aws-sdk';
import { PROJECT_ROOT } from '../../tools/terraform-cli';

/** The config file init writes: the file the commands read when none is named. */
export const INIT_CONFIG_FILE = 'ecr-replication.yaml';
/** The files init refuses to overwrite without --force. */
export const INIT_OWN_FILES = [INIT_CONFIG_FILE, 'cdktf.json'] as const;
/** Where the starter config lives in the package (shipped in the tarball). */
export const STARTER_CONFIG = path.join('cli', 'templates', 'ecr-replication.yaml');
const SCHEMA_FILE = 'ecr-replication.schema.json';
const SCHEMA_PLACEHOLDER = 'SCHEMA_PATH';

/** What the project's commands write and no one commits. */
export const GITIGNORE_LINES = [
  'node_modules/',
  'cdktf.out/',
  '.cdktf.out.*',
  'terraform-state/',
  '.ecr-replication/',
  '.terraform-cli/',
  'cdktf.log',
] as const;

export interface InitOptions {
  /** The folder to make a project of. */
  readonly directory: string;
  /** Overwrite ecr-replication.yaml and cdktf.json, and replace differing scripts. @default false */
  readonly force?: boolean;
  /** The CLI's commands, one npm script each (`"synth": "ecr-kms-replication synth"`). */
  readonly commands: readonly string[];
  /** The installed package (its package.json, schema and starter config). @default PROJECT_ROOT */
  readonly packageRoot?: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly bin?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

type Json = Record<string, unknown>;

/** The devDependencies a new project gets: this package, its peers and the AWS SDK clients, at the versions this package is tested with. */
export function projectDevDependencies(manifest: PackageManifest): Record<string, string> {
  const tested = manifest.devDependencies ?? {};
  const peers = Object.keys(manifest.peerDependencies ?? {});
  const pins: Record<string, string> = { [manifest.name]: manifest.version };
  for (const name of new Set([...peers, ...AWS_SDK_PACKAGES])) pins[name] = tested[name] ?? manifest.peerDependencies?.[name] ?? '*';
  // Sorted, as npm writes them.
  return Object.fromEntries(Object.entries(pins).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One npm script per command, through the package's bin. */
export function projectScripts(bin: string, commands: readonly string[]): Record<string, string> {
  return Object.fromEntries(commands.map((command) => [command, `${bin} ${command}`]));
}

/** A package name npm accepts, from the folder's name. */
function packageName(directory: string): string {
  const name = path
    .basename(directory)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '');
  return name || 'ecr-registries';
}

/** Writes aside and renames, so an interrupted init never leaves half a file. */
function writeFile(file: string, text: string): void {
  const staged = `${file}.${process.pid}.tmp`;
  writeFileSync(staged, text);
  renameSync(staged, file);
}

function readJson(file: string): Json {
  const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file} is not a JSON object`);
  return value as Json;
}

/** The starter config with its schema line pointing at the installed schema, relative to the project (forward slashes). */
export function starterConfig(packageRoot: string, directory: string): string {
  const relative = path.relative(directory, path.join(packageRoot, SCHEMA_FILE)).split(path.sep).join('/');
  const schema = relative.startsWith('.') || path.isAbsolute(relative) ? relative : `./${relative}`;
  return readFileSync(path.join(packageRoot, STARTER_CONFIG), 'utf8').replace(SCHEMA_PLACEHOLDER, schema);
}

/** cdktf.json for the project: the cdktf CLI runs the installed CLI's app command. */
export function cdktfJson(bin: string, projectId: string = randomUUID()): string {
  const config = {
    language: 'typescript',
    app: `npx ${bin} app`,
    projectId,
    sendCrashReports: 'false',
    terraformProviders: [],
    terraformModules: [],
    context: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

interface PackageJsonChange {
  readonly text: string;
  readonly report: string;
}

/** A new package.json, or the existing one with what is missing added. */
export function projectPackageJson(
  existing: Json | undefined,
  directory: string,
  scripts: Record<string, string>,
  devDependencies: Record<string, string>,
  force: boolean,
): PackageJsonChange {
  if (existing === undefined) {
    const created = { name: packageName(directory), version: '0.0.0', private: true, scripts, devDependencies };
    return {
      text: `${JSON.stringify(created, null, 2)}\n`,
      report: `wrote package.json: scripts ${Object.keys(scripts).join(', ')}; devDependencies ${Object.keys(devDependencies).join(', ')}`,
    };
  }
  const ownScripts = (existing.scripts ?? {}) as Record<string, string>;
  const declared = { ...((existing.dependencies ?? {}) as Record<string, string>), ...((existing.devDependencies ?? {}) as Record<string, string>) };
  const added: string[] = [];
  const replaced: string[] = [];
  const kept: string[] = [];
  const nextScripts = { ...ownScripts };
  for (const [name, command] of Object.entries(scripts)) {
    if (!(name in ownScripts)) added.push(name);
    else if (ownScripts[name] === command) continue;
    else if (force) replaced.push(name);
    else {
      kept.push(name);
      continue;
    }
    nextScripts[name] = command;
  }
  const newDependencies = Object.entries(devDependencies).filter(([name]) => !(name in declared));
  const nextDevDependencies = { ...((existing.devDependencies ?? {}) as Record<string, string>), ...Object.fromEntries(newDependencies) };
  const next: Json = { ...existing, scripts: nextScripts };
  if (Object.keys(nextDevDependencies).length > 0) next.devDependencies = nextDevDependencies;
  const parts = [
    added.length > 0 ? `added the scripts ${added.join(', ')}` : 'no script added',
    replaced.length > 0 ? `replaced the scripts ${replaced.join(', ')} (--force)` : '',
    kept.length > 0
      ? `kept your scripts ${kept.join(', ')} (they differ from ours: ${kept.map((name) => `"${scripts[name]}"`).join(', ')}; --force replaces them)`
      : '',
    newDependencies.length > 0 ? `added the devDependencies ${newDependencies.map(([name, version]) => `${name}@${version}`).join(', ')}` : '',
  ].filter((part) => part !== '');
  return { text: `${JSON.stringify(next, null, 2)}\n`, report: `updated package.json: ${parts.join('; ')}` };
}

/** The .gitignore with the project's missing lines added, and those lines (none: leave the file alone). */
export function projectGitignore(existing: string | undefined): { readonly text: string; readonly added: readonly string[] } {
  const present = new Set((existing ?? '').split(/\r?\n/).map((line) => line.trim()));
  const added = GITIGNORE_LINES.filter((line) => !present.has(line) && !present.has(line.replace(/\/$/, '')));
  const block = `# ecr-kms-replication: output, state and caches of its commands\n${added.join('\n')}\n`;
  if (added.length === 0) return { text: existing ?? '', added };
  return { text: existing === undefined || existing.trim() === '' ? block : `${existing.replace(/\n*$/, '\n')}\n${block}`, added };
}

/** Runs init; returns the exit status (0 written, 1 refused). */
export function runInit(options: InitOptions): number {
  const { directory, stdout, stderr } = options;
  const force = options.force ?? false;
  const packageRoot = options.packageRoot ?? PROJECT_ROOT;
  const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as PackageManifest;
  const bin = Object.keys(manifest.bin ?? {})[0] ?? manifest.name;

  const present = INIT_OWN_FILES.filter((file) => existsSync(path.join(directory, file)));
  if (present.length > 0 && !force) {
    stderr(
      `init refused: ${present.join(' and ')} already exist${present.length === 1 ? 's' : ''} in ${directory}: ` +
        `init starts a new project; run it in an empty folder, move ${present.length === 1 ? 'it' : 'them'} away, or run \`${bin} init --force\` to overwrite ${present.length === 1 ? 'it' : 'them'}\n`,
    );
    return 1;
  }

  const packageFile = path.join(directory, 'package.json');
  let existingPackage: Json | undefined;
  try {
    existingPackage = existsSync(packageFile) ? readJson(packageFile) : undefined;
  } catch (error) {
    stderr(`init refused: package.json cannot be read (${error instanceof Error ? error.message : String(error)}): fix it, then run init again\n`);
    return 1;
  }
  const packageJson = projectPackageJson(existingPackage, directory, projectScripts(bin, options.commands), projectDevDependencies(manifest), force);
  const gitignoreFile = path.join(directory, '.gitignore');
  const existingGitignore = existsSync(gitignoreFile) ? readFileSync(gitignoreFile, 'utf8') : undefined;
  const gitignore = projectGitignore(existingGitignore);

  writeFile(path.join(directory, INIT_CONFIG_FILE), starterConfig(packageRoot, directory));
  stdout(`wrote ${INIT_CONFIG_FILE}: a starter config (placeholder accounts build and prod; replace them with yours)\n`);
  writeFile(path.join(directory, 'cdktf.json'), cdktfJson(bin));
  stdout(`wrote cdktf.json: its app command is \`npx ${bin} app\`\n`);
  writeFile(packageFile, packageJson.text);
  stdout(`${packageJson.report}\n`);
  if (gitignore.added.length > 0) {
    writeFile(gitignoreFile, gitignore.text);
    stdout(`${existingGitignore === undefined ? 'wrote' : 'updated'} .gitignore: ${gitignore.added.join(' ')}\n`);
  }
  const steps: [string, string][] = [
    ['npm install', 'installs the peers (cdktf, constructs, @cdktf/provider-aws) and the AWS SDK clients (check --live, audit --live, backfill, recover)'],
    [`edit ${INIT_CONFIG_FILE}`, 'your accounts, regions and repositories'],
    [`npx ${bin} check`, 'validates it (no credentials needed)'],
    [`npx ${bin} synth`, 'one Terraform stack per registry in cdktf.out/'],
    [`npx ${bin} deploy '*'`, 'destinations first, then the sources (AWS credentials)'],
    [`npm install --save-dev ${manifest.name}@x.y`, 'upgrades later'],
  ];
  const width = Math.max(...steps.map(([command]) => command.length));
  stdout(`\nnext steps:\n${steps.map(([command, what]) => `  ${command.padEnd(width)}  ${what}\n`).join('')}`);
  return 0;
}
