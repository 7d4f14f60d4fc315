/**
 * The project's own Terraform CLI configuration. Terraform is never pointed at
 * the machine's global config: on a machine with an offline provider mirror
 * (TF_PLUGIN_MIRROR, or /opt/tf-plugins when it exists) providers come from
 * it; elsewhere from the public registry. Either way through a plugin cache
 * inside the project, so `terraform init` downloads or copies a provider once.
 */
import { execFileSync, ExecFileSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The package root: where the code, `dist/` and the JSON Schema are (node_modules/ecr-kms-replication when installed). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', ...(path.basename(path.resolve(__dirname, '..')) === 'dist' ? ['..'] : []));
const DEFAULT_MIRROR = '/opt/tf-plugins';

/**
 * True in a clone of the repository (TypeScript sources and tsconfig.build.json beside `dist/`), false when
 * installed from npm, whose tarball ships `dist/` alone: then nothing is recompiled, and nothing is written
 * into the package folder (npm may replace it on any install).
 */
export function runsFromSources(root: string = PROJECT_ROOT): boolean {
  return existsSync(path.join(root, 'tsconfig.build.json'));
}

/**
 * The folder that holds `.terraform-cli/` (the CLI config and its plugin cache): the package root in a clone,
 * so the project's commands, tests and tools share one provider install; the folder the command runs in when
 * installed (the user's project, beside its `cdktf.out/`), never node_modules.
 */
export function terraformCliRoot(): string {
  return runsFromSources() ? PROJECT_ROOT : process.cwd();
}

export function providerMirror(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = environment.TF_PLUGIN_MIRROR;
  if (named) return named;
  return existsSync(DEFAULT_MIRROR) ? DEFAULT_MIRROR : undefined;
}

/** Writes `.terraform-cli/terraformrc` and returns its path. */
export function writeTerraformCliConfig(root: string = terraformCliRoot()): string {
  const directory = path.join(root, '.terraform-cli');
  const cache = path.join(directory, 'plugin-cache');
  mkdirSync(cache, { recursive: true });
  const mirror = providerMirror();
  const installation = mirror
    ? `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`
    : '';
  const file = path.join(directory, 'terraformrc');
  const text = `plugin_cache_dir = ${JSON.stringify(cache)}\n${installation}`;
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
    // Written aside and renamed: a terraform started by another test worker never reads half a file.
    const staged = `${file}.${process.pid}.tmp`;
    writeFileSync(staged, text);
    renameSync(staged, file);
  }
  return file;
}

/**
 * Go's garbage-collection target (`GOGC`) for Terraform and the providers it starts, which inherit its
 * environment, unless the command's environment sets one. Most of a plan's CPU is the hashicorp/aws provider
 * building its schema, several times per run; at 400 instead of Go's 100 a plan of a stack takes about a third
 * less CPU for about 140 MB more memory per process (BENCHMARKS.md).
 */
export const TERRAFORM_GOGC = '400';

/** `GOGC` for Terraform and its providers: the environment's own, else `TERRAFORM_GOGC`. */
export const terraformGogc = (environment: NodeJS.ProcessEnv): string => environment.GOGC ?? TERRAFORM_GOGC;

/** Environment for running terraform with the project's CLI config, quietly and non-interactively; `base` is the command's environment. */
export function terraformEnvironment(root: string = terraformCliRoot(), base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    GOGC: terraformGogc(base),
    TF_CLI_CONFIG_FILE: writeTerraformCliConfig(root),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
  };
}

export function runTerraform(args: readonly string[], cwd: string, options: ExecFileSyncOptions = {}): string {
  return execFileSync('terraform', [...args], {
    cwd,
    env: terraformEnvironment(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  }) as string;
}

/** What a terraform run ended with, for callers that handle failure themselves. */
export interface TerraformResult {
  /** Exit code; 0 is success. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Like `runTerraform`, but reports the exit code and output instead of throwing on a non-zero exit. */
export function tryTerraform(args: readonly string[], cwd: string, options: ExecFileSyncOptions = {}): TerraformResult {
  try {
    return { code: 0, stdout: runTerraform(args, cwd, options), stderr: '' };
  } catch (error) {
    const failure = error as { status?: number | null; stdout?: string | Buffer; stderr?: string | Buffer };
    if (typeof failure.status !== 'number') throw error; // terraform missing or killed
    return { code: failure.status, stdout: String(failure.stdout ?? ''), stderr: String(failure.stderr ?? '') };
  }
}

if (require.main === module) {
  process.stdout.write(`${writeTerraformCliConfig()}\n`);
}
