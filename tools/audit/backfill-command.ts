/** `npm run backfill`: replicate images pushed before replication existed (audit/backfill.ts). */
import { Command, InvalidArgumentError } from 'commander';
import { ClientFactory, emulatorCredentials, EXIT, sdkClientFactory } from './aws-access';
import { BackfillOutcome, BackfillUsageError, runBackfills } from './backfill';
import { CommandStreams, EXIT_STATUS_HELP, exitStatusOf, loadCommandConfig, processStreams } from './cli-support';

export interface BackfillCommandOptions {
  readonly environment?: NodeJS.ProcessEnv;
  readonly streams?: CommandStreams;
  readonly clients?: (endpoint: string | undefined) => ClientFactory;
  /** Waits `seconds` between progress polls. @default a timer */
  readonly sleep?: (seconds: number) => Promise<void>;
  /** The project folder (the recorded config, relative paths). @default process.cwd() */
  readonly cwd?: string;
}

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 3600) throw new InvalidArgumentError('must be a whole number of seconds from 1 to 3600');
  return parsed;
}

function summary(outcome: BackfillOutcome): string {
  if (outcome.kind === 'not-ready') {
    return `${outcome.destination}: NOT READY (${outcome.problems.length} replicated repositories missing or not encrypted with the destination key)`;
  }
  const counts = outcome.total !== undefined ? `, ${outcome.completed ?? 0}/${outcome.total} replicated` : '';
  const failures = outcome.failures.length > 0 ? `, ${outcome.failures.length} images failed` : '';
  const code = outcome.failureCode ? ` (${outcome.failureCode})` : '';
  return `${outcome.destination}: ${outcome.status}${code}${counts}${failures}`;
}

export async function runBackfillCommand(args: readonly string[], options: BackfillCommandOptions = {}): Promise<number> {
  const streams = options.streams ?? processStreams;
  const environment = options.environment ?? process.env;
  const program = new Command('npm run backfill --')
    .description(
      'Replicates the images pushed before replication was configured (ECR replication backfill), one backfill per destination, after checking each destination live.',
    )
    .argument('[source...]', 'source registries as <account>/<region> or stack names (default: every source)')
    .option('-c, --config <file>', 'config file (default: the selected one: $ECR_REPLICATION_CONFIG, else the recorded --config, else ecr-replication.yaml)')
    .option('--interval <seconds>', 'seconds between progress polls', seconds, 15)
    .addHelpText('after', EXIT_STATUS_HELP)
    .exitOverride()
    .configureOutput({ writeOut: streams.stdout, writeErr: streams.stderr });
  try {
    program.parse([...args], { from: 'user' });
    const parsed = program.opts<{ config?: string; interval: number }>();
    const { config } = loadCommandConfig(parsed.config, environment, streams, options.cwd);
    const sleep = options.sleep ?? ((wait: number) => new Promise<void>((resolve) => setTimeout(resolve, wait * 1000)));
    const factory = (options.clients ?? ((endpoint) => sdkClientFactory({ endpoint, baseCredentials: emulatorCredentials(endpoint, environment) })))(
      config.endpoint?.url,
    );
    const outcomes = await runBackfills(config, {
      clients: factory,
      sources: program.args,
      sleep: () => sleep(parsed.interval),
      progress: (line) => streams.stderr(`${line}\n`),
    });
    streams.stdout(`${outcomes.map(summary).join('\n')}\n`);
    return outcomes.every((outcome) => outcome.status === 'COMPLETE') ? EXIT.ok : EXIT.findings;
  } catch (error) {
    if (error instanceof BackfillUsageError) {
      streams.stderr(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    return exitStatusOf(error, streams);
  }
}
