/**
 * A provider plugin started once in debug mode (`-debug`), for terraform
 * runs that only need its schema. Terraform normally starts the provider
 * binary for every run (each start of the 700 MB hashicorp/aws binary costs
 * about half a second of CPU, its schema more); its documented
 * provider-debugging interface, TF_REATTACH_PROVIDERS, lets runs use this
 * instance instead. Only runs that never configure the provider may share it
 * (`validate`, `test` with mock providers, `show -json` of a plan): one
 * instance cannot hold two provider configurations.
 *
 * The instance belongs to the process that started it: a `sh` wrapper kills
 * it when its stdin (a pipe from this process) closes, so a process that is
 * killed leaves no provider behind.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { terraformGogc } from './terraform-cli';

/** Environment variable Terraform reads to use already-running providers. */
export const REATTACH_VARIABLE = 'TF_REATTACH_PROVIDERS';
const START_TIMEOUT_MS = 120_000;

export interface ReattachConfig {
  readonly Addr?: { readonly Network?: string; readonly String?: string };
  readonly [key: string]: unknown;
}

/** `host/namespace/type` => binary, for every provider of an initialized folder (`.terraform/providers`). */
export function providerBinaries(initDirectory: string): Map<string, string> {
  const root = path.join(initDirectory, '.terraform', 'providers');
  const binaries = new Map<string, string>();
  const list = (folder: string): string[] => readdirSync(folder).sort();
  for (const host of list(root)) {
    for (const namespace of list(path.join(root, host))) {
      for (const type of list(path.join(root, host, namespace))) {
        for (const version of list(path.join(root, host, namespace, type))) {
          for (const platform of list(path.join(root, host, namespace, type, version))) {
            const folder = path.join(root, host, namespace, type, version, platform);
            const binary = list(folder).find((name) => name.startsWith(`terraform-provider-${type}`));
            if (binary) binaries.set(`${host}/${namespace}/${type}`, path.join(folder, binary));
          }
        }
      }
    }
  }
  if (binaries.size === 0) throw new Error(`no provider binary under ${root}`);
  return binaries;
}

// The provider runs in the background with no stdin; `cat` waits for this process's pipe to close. The
// wrapper then waits for the provider it killed, so it leaves no orphan behind and the provider's CPU time is
// accounted to the test run (getrusage, /usr/bin/time) like that of every other child process.
const WRAPPER = `"$0" -debug &
provider=$!
trap 'kill "$provider" 2>/dev/null; wait "$provider" 2>/dev/null' EXIT INT TERM
cat >/dev/null`;

export interface ProviderInstance {
  readonly config: ReattachConfig;
  readonly wrapper: ChildProcess;
}

/**
 * Starts `binary` in debug mode and resolves with its reattach config once it announces it.
 * `detached`: in a process group of its own, so a Ctrl-C on the terminal does not stop it (it still stops
 * when this process's pipe closes). @default false
 * `environment`: the environment terraform runs with, whose `GOGC` the provider gets too. @default process.env
 */
export function startProviderInstance(
  address: string,
  binary: string,
  options: { readonly detached?: boolean; readonly environment?: NodeJS.ProcessEnv } = {},
): Promise<ProviderInstance> {
  const environment = options.environment ?? process.env;
  return new Promise((resolve, reject) => {
    const wrapper = spawn('sh', ['-c', WRAPPER, binary], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...environment, GOGC: terraformGogc(environment), CHECKPOINT_DISABLE: '1' },
      detached: options.detached ?? false,
    });
    let output = '';
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      wrapper.stdin?.end();
      reject(new Error(`${message} (${binary} -debug)\n${output.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`provider ${address} did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const read = (chunk: Buffer): void => {
      if (settled) return; // keep draining, so the provider never blocks on a full pipe
      output += chunk.toString('utf8');
      const match = /TF_REATTACH_PROVIDERS='(\{.*\})'/.exec(output);
      if (!match) return;
      const configs = JSON.parse(match[1]) as Record<string, ReattachConfig>;
      const config = configs[address];
      if (!config) return fail(`provider ${address} announced ${Object.keys(configs).join(', ')}`);
      settled = true;
      clearTimeout(timer);
      resolve({ config, wrapper });
    };
    wrapper.stdout?.on('data', read);
    wrapper.stderr?.on('data', read);
    wrapper.on('error', (error) => fail(`cannot start provider ${address}: ${error.message}`));
    wrapper.on('exit', (code, signal) => fail(`provider ${address} exited (${signal ?? code}) before it was ready`));
  });
}

/** Stops an instance started by `startProviderInstance` and removes its socket; resolves when it is gone. */
export function stopProviderInstance(instance: ProviderInstance): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      // The debug server leaves its unix socket behind when it is killed.
      const socket = instance.config.Addr?.Network === 'unix' ? instance.config.Addr.String : undefined;
      if (socket && existsSync(socket)) rmSync(socket, { force: true });
      resolve();
    };
    if (instance.wrapper.exitCode !== null || instance.wrapper.signalCode !== null) return done();
    instance.wrapper.once('exit', done);
    instance.wrapper.stdin?.end();
  });
}
