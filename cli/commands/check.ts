/**
 * Checks a config file without synthesizing: the same errors and warnings as
 * `npm run synth`, then a one-line summary of the stacks it would synthesize.
 *
 *   npm run check -- [file]     (default: $ECR_REPLICATION_CONFIG, else ecr-replication.yaml)
 *   npm run check -- --live [file]   also ask IAM (AWS SDK) that every principal exists
 *
 * Exit status: 0 when the config is valid (warnings allowed), 1 when it is not,
 * 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { CONFIG_FILE_VARIABLE, configFileFromEnvironment, DEFAULT_CONFIG_FILE, LoadedConfig, loadConfigFile } from '../../config/load';
import { ConfigError, formatWarnings } from '../../config/problems';
import { planDeployment } from '../../config/deployment-plan';
import type { LiveCheckResult } from './live-principals';
import { MissingAwsSdkError, requireAwsSdk } from '../../tools/aws-sdk';

const USAGE = `Usage: npm run check -- [options] [file]

Validates an ecr-kms-replication config file (YAML or JSON) without synthesizing.

Arguments:
  file          the config file (default: $${CONFIG_FILE_VARIABLE}, else ${DEFAULT_CONFIG_FILE})

Options:
  --live        also ask IAM, through each account's deployRoleArn (and the config's
                endpoint), that every principal the config names exists (needs AWS credentials)
  -h, --help    show this help and exit

Exit status: 0 valid (warnings may be printed), 1 invalid, 2 usage error.
`;

export interface CheckStreams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processStreams: CheckStreams = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Runs the check; returns the exit status. A relative file is read from `baseDirectory`;
 * `live` answers --live (the AWS SDK, loaded only then, by default).
 */
export async function runCheck(
  args: readonly string[],
  environment: NodeJS.ProcessEnv = process.env,
  streams: CheckStreams = processStreams,
  baseDirectory: string = process.cwd(),
  live: (config: LoadedConfig['config']) => Promise<LiveCheckResult> = async (config) => {
    requireAwsSdk('check --live');
    return (await import('./live-principals')).livePrincipalProblems(config);
  },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { help: { type: 'boolean', short: 'h' }, live: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    streams.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    streams.stdout(USAGE);
    return 0;
  }
  if (parsed.positionals.length > 1) {
    streams.stderr(`expected at most one config file, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  const file = parsed.positionals[0] ?? configFileFromEnvironment(environment);

  let loaded: LoadedConfig;
  try {
    loaded = loadConfigFile(file, baseDirectory);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    streams.stderr(`${error.message}\ncheck failed: fix the problems above\n`);
    return 1;
  }
  for (const warning of formatWarnings(loaded.file, loaded.warnings)) streams.stderr(`${warning}\n`);
  if (parsed.values.live) {
    let result: LiveCheckResult;
    try {
      result = await live(loaded.config);
    } catch (error) {
      if (!(error instanceof MissingAwsSdkError)) throw error;
      streams.stderr(`${error.message}\n`);
      return 2;
    }
    const { errors, warnings } = result;
    for (const warning of formatWarnings(loaded.file, warnings)) streams.stderr(`${warning}\n`);
    if (errors.length > 0) {
      streams.stderr(`${new ConfigError(loaded.file, errors).message}\ncheck --live failed: create the principals above or fix their ARNs\n`);
      return 1;
    }
  }
  const plan = planDeployment(loaded.config);
  const stacks = [...plan.destinations, ...plan.sources].map((registry) => registry.stackName);
  const warnings = loaded.warnings.length;
  streams.stdout(
    `${loaded.file}: valid${warnings ? ` with ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}; ` +
      `${stacks.length} stack${stacks.length === 1 ? '' : 's'} would be synthesized: ${stacks.join(', ')}\n`,
  );
  return 0;
}

if (require.main === module) {
  runCheck(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
