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
import { providerBinaries, REATTACH_VARIABLE, startProviderInstance, stopProviderInstance } from '../tools/provider-instance';

export interface ProviderServer {
  /** Extra environment for terraform: `{ TF_REATTACH_PROVIDERS }`, or `{}` when sharing is switched off. */
  readonly environment: Readonly<Record<string, string>>;
  /** Provider addresses served, e.g. `registry.terraform.io/hashicorp/aws`. */
  readonly providers: readonly string[];
  /** Stops every provider instance; safe to call twice. */
  stop(): Promise<void>;
}

/** Whether tests share provider instances (default) or let terraform start its own. */
export function providerSharingEnabled(environment: NodeJS.ProcessEnv = process.env): boolean {
  return environment.TF_TEST_PROVIDER_SERVER !== '0';
}

/**
 * Starts one debug-mode instance of every provider installed in `initDirectory`
 * (a folder of `sharedInit`) and returns the environment that makes terraform
 * use them. With TF_TEST_PROVIDER_SERVER=0 it starts nothing.
 */
export async function startProviderServer(initDirectory: string): Promise<ProviderServer> {
  if (!providerSharingEnabled()) return { environment: {}, providers: [], stop: async () => undefined };
  const binaries = providerBinaries(initDirectory);
  const started = await Promise.allSettled([...binaries].map(([address, binary]) => startProviderInstance(address, binary)));
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(running.map(stopProviderInstance));
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
