/**
 * Terraform in one synthesized stack folder, the steps the deploy engine
 * (cli/deploy/) runs: `init`, `plan -out` (with `-detailed-exitcode`, so "no
 * changes" needs no `show`), `show -json`, `apply <planfile>` and `state rm`.
 * `show -json` only needs the providers' schemas: its runs share one
 * debug-mode instance of each provider binary (tools/provider-instance.ts)
 * instead of starting the provider every time; plan and apply, which
 * configure providers, always start their own.
 * Each run is a child process with the command's environment plus the
 * project's CLI config (tools/terraform-cli.ts): one provider install through
 * the plugin cache, no update checks, never a prompt. Runs are asynchronous so
 * the engine can run stacks in parallel; their output is captured and, when
 * asked, passed on line by line as it comes.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ProviderInstance, providerBinaries, REATTACH_VARIABLE, startProviderInstance, stopProviderInstance } from './provider-instance';

/** How a terraform run ended. */
export interface TerraformRun {
  /** Exit code; null when a signal ended the process. */
  readonly code: number | null;
  /** The signal that ended the process (SIGKILL, SIGINT, ...), if any. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export type OutputLine = (stream: 'stdout' | 'stderr', line: string) => void;

export interface PlanOptions {
  /** The plan file to write, relative to the stack folder. */
  readonly out: string;
  readonly destroy?: boolean;
  readonly refreshOnly?: boolean;
  /** `-target` addresses. */
  readonly targets?: readonly string[];
}

/** The Terraform steps of one stack folder; `plan` exits 0 for no changes and 2 for changes (`-detailed-exitcode`). */
export interface StackTerraform {
  init(directory: string, onLine?: OutputLine): Promise<TerraformRun>;
  plan(directory: string, options: PlanOptions, onLine?: OutputLine): Promise<TerraformRun>;
  /** `terraform show -json <planfile>`: the plan JSON on stdout. */
  show(directory: string, planFile: string): Promise<TerraformRun>;
  apply(directory: string, planFile: string, onLine?: OutputLine): Promise<TerraformRun>;
  stateRm(directory: string, addresses: readonly string[], onLine?: OutputLine): Promise<TerraformRun>;
  /** Releases what the runner holds (shared provider instances). @default nothing to release */
  close?(): Promise<void>;
}

/** A run that never started (terraform missing): reported like a failed run. */
function notStarted(error: Error): TerraformRun {
  return { code: 127, signal: null, stdout: '', stderr: `terraform could not be started: ${error.message}\n` };
}

/** Runs terraform with `args` in `directory`; resolves when it exits, whatever the outcome. */
export function runTerraformAsync(args: readonly string[], directory: string, environment: NodeJS.ProcessEnv, onLine?: OutputLine): Promise<TerraformRun> {
  return new Promise((resolve) => {
    const child = spawn('terraform', [...args], { cwd: directory, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    const captured = { stdout: '', stderr: '' };
    const pending = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      captured[stream] += text;
      if (!onLine) return;
      const lines = (pending[stream] + text).split('\n');
      pending[stream] = lines.pop() ?? '';
      for (const line of lines) onLine(stream, line);
    };
    child.stdout.on('data', take('stdout'));
    child.stderr.on('data', take('stderr'));
    let failed: Error | undefined;
    child.on('error', (error) => (failed = error));
    child.on('close', (code, signal) => {
      if (failed) return resolve(notStarted(failed));
      if (onLine) for (const stream of ['stdout', 'stderr'] as const) if (pending[stream] !== '') onLine(stream, pending[stream]);
      resolve({ code, signal, stdout: captured.stdout, stderr: captured.stderr });
    });
  });
}

/** Written into `.terraform/` after a successful init: what the folder was initialized for. */
const INIT_RECORD = path.join('.terraform', 'ecr-replication-init.sha256');

/** The parts of a stack that `terraform init` depends on: its `terraform` block (backend, required providers) and the CLI config. */
export function initFingerprint(directory: string, environment: NodeJS.ProcessEnv): string | undefined {
  try {
    const stack = JSON.parse(readFileSync(path.join(directory, 'cdk.tf.json'), 'utf8')) as { terraform?: unknown };
    const cliConfig = environment.TF_CLI_CONFIG_FILE && existsSync(environment.TF_CLI_CONFIG_FILE) ? readFileSync(environment.TF_CLI_CONFIG_FILE, 'utf8') : '';
    return createHash('sha256')
      .update(JSON.stringify({ terraform: stack.terraform ?? null, cliConfig, cache: environment.TF_PLUGIN_CACHE_DIR ?? '' }))
      .digest('hex');
  } catch {
    return undefined;
  }
}

/** True when the folder was initialized for exactly this stack block and CLI config (the launcher carries `.terraform` over re-syntheses). */
export function isInitialized(directory: string, environment: NodeJS.ProcessEnv, fingerprint = initFingerprint(directory, environment)): boolean {
  const record = path.join(directory, INIT_RECORD);
  return (
    fingerprint !== undefined &&
    existsSync(record) &&
    existsSync(path.join(directory, '.terraform.lock.hcl')) &&
    readFileSync(record, 'utf8').trim() === fingerprint
  );
}

/**
 * One debug-mode instance per provider binary, started on first use, for runs that only read schemas. A binary
 * that cannot be started that way is left to terraform (an empty environment), as it normally runs.
 */
export class SchemaProviders {
  private readonly instances = new Map<string, Promise<ProviderInstance | undefined>>();

  /** `environment`: the one terraform runs with (the providers get its `GOGC`). @default process.env */
  constructor(private readonly environment: NodeJS.ProcessEnv = process.env) {}

  /** `{ TF_REATTACH_PROVIDERS }` for the providers installed in `directory`, or `{}`. */
  async environmentFor(directory: string): Promise<Record<string, string>> {
    let binaries: Map<string, string>;
    try {
      binaries = providerBinaries(directory);
    } catch {
      return {};
    }
    const configs: Record<string, unknown> = {};
    for (const [address, binary] of binaries) {
      const key = realpathSync(binary);
      if (!this.instances.has(key))
        this.instances.set(
          key,
          startProviderInstance(address, binary, { detached: true, environment: this.environment }).catch(() => undefined),
        );
      const instance = await this.instances.get(key);
      if (instance === undefined) return {};
      configs[address] = instance.config;
    }
    return { [REATTACH_VARIABLE]: JSON.stringify(configs) };
  }

  async stop(): Promise<void> {
    const started = await Promise.all(this.instances.values());
    this.instances.clear();
    await Promise.all(started.flatMap((instance) => (instance ? [stopProviderInstance(instance)] : [])));
  }
}

/** The real runner: terraform on PATH with `environment` (the command's, plus the project's CLI config). */
export function stackTerraform(environment: NodeJS.ProcessEnv): StackTerraform {
  const run = (args: readonly string[], directory: string, onLine?: OutputLine, extra: Record<string, string> = {}) =>
    runTerraformAsync(args, directory, { ...environment, ...extra }, onLine);
  const schemas = new SchemaProviders(environment);
  return {
    init: async (directory, onLine) => {
      // init changes neither cdk.tf.json nor the CLI config: one fingerprint serves the check and the record.
      const fingerprint = initFingerprint(directory, environment);
      if (isInitialized(directory, environment, fingerprint)) return { code: 0, signal: null, stdout: '', stderr: '' };
      const result = await run(['init', '-input=false', '-no-color'], directory, onLine);
      if (result.code === 0 && fingerprint !== undefined) {
        mkdirSync(path.join(directory, '.terraform'), { recursive: true });
        writeFileSync(path.join(directory, INIT_RECORD), `${fingerprint}\n`);
      }
      return result;
    },
    plan: (directory, options, onLine) => {
      // The first plan starts the shared schema instance, so it is ready when the first plan is shown.
      void schemas.environmentFor(directory);
      return run(
        [
          'plan',
          '-input=false',
          '-no-color',
          '-detailed-exitcode',
          `-out=${options.out}`,
          ...(options.destroy ? ['-destroy'] : []),
          ...(options.refreshOnly ? ['-refresh-only'] : []),
          ...(options.targets ?? []).map((target) => `-target=${target}`),
        ],
        directory,
        onLine,
      );
    },
    show: async (directory, planFile) => run(['show', '-json', '-no-color', planFile], directory, undefined, await schemas.environmentFor(directory)),
    apply: (directory, planFile, onLine) => run(['apply', '-input=false', '-no-color', planFile], directory, onLine),
    stateRm: (directory, addresses, onLine) => run(['state', 'rm', '-no-color', ...addresses], directory, onLine),
    close: () => schemas.stop(),
  };
}
