/**
 * The daily commands as a user runs them, against the emulator: a project
 * folder of the scenario's own (its config, its `cdktf.out`, its local
 * state), and `node <project code>/bin/ecr-replication.js <command> ...`
 * (what `npm run deploy` runs) started in it as a child process, with test
 * credentials. Commands work on the folder they run in, so scenarios never
 * share output or state. Also: SIGKILL of the Terraform processes working
 * inside a scenario folder, to interrupt an apply the way a lost runner does.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { emulatorEnvironment } from './emulator';

const LAUNCHER = path.resolve(__dirname, '..', 'bin', 'ecr-replication.js');

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCommand {
  readonly child: ChildProcess;
  readonly done: Promise<CommandResult>;
}

export interface ScenarioProject {
  /** The project folder (cfg.yaml, cdktf.out, terraform-state). */
  readonly folder: string;
  readonly configFile: string;
  /** Replaces cfg.yaml. */
  writeConfig(config: unknown): void;
  /** Starts `node bin/ecr-replication.js <args>` in the folder. */
  start(args: readonly string[], environment?: NodeJS.ProcessEnv): RunningCommand;
  /** Runs it to the end. */
  run(args: readonly string[], environment?: NodeJS.ProcessEnv): Promise<CommandResult>;
  /** Deletes the folder. */
  remove(): void;
}

/** A project folder for a scenario with `config` as cfg.yaml. */
export function scenarioProject(name: string, config: unknown): ScenarioProject {
  const folder = mkdtempSync(path.join(tmpdir(), `ecr-scenario-${name}-`));
  const configFile = path.join(folder, 'cfg.yaml');
  const writeConfig = (value: unknown) => writeFileSync(configFile, stringify(value));
  writeConfig(config);
  const start = (args: readonly string[], environment: NodeJS.ProcessEnv = {}): RunningCommand => {
    // Not CI mode: the messages must reach the terminal without it.
    const env = { ...emulatorEnvironment(), ...environment };
    delete env.CI;
    const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<CommandResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    return { child, done };
  };
  return {
    folder,
    configFile,
    writeConfig,
    start,
    run: (args, environment) => start(args, environment).done,
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** Pids of running `terraform` processes whose working folder is inside `folder` (Linux /proc). */
export function terraformProcessesIn(folder: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (path.basename(command[0] ?? '') !== 'terraform') continue;
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === folder || cwd.startsWith(`${folder}${path.sep}`)) pids.push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return pids;
}

/** SIGKILLs the terraform processes working inside `folder`; returns their pids. */
export function killTerraformIn(folder: string): number[] {
  const pids = terraformProcessesIn(folder);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids;
}

/** Polls `check` every `intervalMs` until it answers true; fails after `timeoutMs`, or when `stop` resolves first. */
export async function pollUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { intervalMs?: number; timeoutMs?: number; stop?: Promise<unknown> } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let stopped = false;
  void options.stop?.then(() => (stopped = true));
  for (;;) {
    if (await check()) return;
    if (stopped) throw new Error(`${what}: the command ended before it happened`);
    if (Date.now() > deadline) throw new Error(`${what}: did not happen in time`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
