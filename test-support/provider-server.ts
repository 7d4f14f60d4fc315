/**
 * One running instance of each provider plugin for a whole test file.
 *
 * Terraform normally starts the provider binary for every provider
 * configuration it meets: `terraform validate` of 12 stacks starts
 * hashicorp/aws 13 times, and `terraform test` starts it several times per run
 * block (each start of the 700 MB aws binary costs about half a second of CPU,
 * its schema more). Terraform's documented provider-debugging interface,
 * TF_REATTACH_PROVIDERS, lets every terraform process of the test file use one
 * instance instead: the same binary, from the shared init cache, started once
 * with `-debug`. The tests only ever validate, and `terraform test` runs with
 * `mock_provider`, so the shared instance is asked for its schema and for
 * validation, never configured: nothing is shared between runs but the schema.
 *
 * The instance belongs to the process that started it: a `sh` wrapper kills it
 * when its stdin (a pipe from this process) closes, so a test worker that is
 * killed leaves no provider behind. TF_TEST_PROVIDER_SERVER=0 switches the
 * sharing off (each terraform run then starts its own provider processes), and
 * so does a provider that cannot be started in debug mode, with a warning.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';

/** Environment variable Terraform reads to use already-running providers. */
export const REATTACH_VARIABLE = 'TF_REATTACH_PROVIDERS';
const START_TIMEOUT_MS = 120_000;

export interface ProviderServer {
  /** Extra environment for terraform: `{ TF_REATTACH_PROVIDERS }`, or `{}` when sharing is switched off. */
  readonly environment: Readonly<Record<string, string>>;
  /** Provider addresses served, e.g. `registry.terraform.io/hashicorp/aws`. */
  readonly providers: readonly string[];
  /** Stops every provider instance; safe to call twice. */
  stop(): Promise<void>;
}

interface ReattachConfig {
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

/** Whether tests share provider instances (default) or let terraform start its own. */
export function providerSharingEnabled(environment: NodeJS.ProcessEnv = process.env): boolean {
  return environment.TF_TEST_PROVIDER_SERVER !== '0';
}

// The provider runs in the background with no stdin; `cat` waits for this process's pipe to close. The
// wrapper then waits for the provider it killed, so it leaves no orphan behind and the provider's CPU time is
// accounted to the test run (getrusage, /usr/bin/time) like that of every other child process.
const WRAPPER = `"$0" -debug &
provider=$!
trap 'kill "$provider" 2>/dev/null; wait "$provider" 2>/dev/null' EXIT INT TERM
cat >/dev/null`;

function startOne(address: string, binary: string): Promise<{ config: ReattachConfig; wrapper: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const wrapper = spawn('sh', ['-c', WRAPPER, binary], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
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

/**
 * Starts one debug-mode instance of every provider installed in `initDirectory`
 * (a folder of `sharedInit`) and returns the environment that makes terraform
 * use them. With TF_TEST_PROVIDER_SERVER=0 it starts nothing.
 */
export async function startProviderServer(initDirectory: string): Promise<ProviderServer> {
  if (!providerSharingEnabled()) return { environment: {}, providers: [], stop: async () => undefined };
  const binaries = providerBinaries(initDirectory);
  const started = await Promise.allSettled([...binaries].map(([address, binary]) => startOne(address, binary)));
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(
      running.map(
        ({ wrapper, config }) =>
          new Promise<void>((resolve) => {
            const done = (): void => {
              // The debug server leaves its unix socket behind when it is killed.
              const socket = config.Addr?.Network === 'unix' ? config.Addr.String : undefined;
              if (socket && existsSync(socket)) rmSync(socket, { force: true });
              resolve();
            };
            if (wrapper.exitCode !== null || wrapper.signalCode !== null) return done();
            wrapper.once('exit', done);
            wrapper.stdin?.end();
          }),
      ),
    );
  };
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    // Sharing is only a speed-up: without it terraform starts its own provider processes, as it normally does.
    await stop();
    process.stderr.write(`test-support/provider-server: no shared provider instance, terraform will start its own: ${String(failure.reason)}\n`);
    return { environment: {}, providers: [], stop: async () => undefined };
  }
  const configs = Object.fromEntries([...binaries.keys()].map((address, index) => [address, running[index].config]));
  return { environment: { [REATTACH_VARIABLE]: JSON.stringify(configs) }, providers: [...binaries.keys()], stop };
}
