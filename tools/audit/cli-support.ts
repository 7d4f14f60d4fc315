/** What the audit and backfill commands share: output streams, config loading, exit on errors. */
import { CommanderError } from 'commander';
import { loadConfigFile, LoadedConfig } from '../../config/load';
import { describeSelection, selectionOfTool } from '../../config/config-selection';
import { ConfigError } from '../../config/problems';
import { AwsAccessError, EXIT } from './aws-access';
import { AuditInputError } from './static-audit';
import { MissingAwsSdkError } from '../aws-sdk';

export interface CommandStreams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const processStreams: CommandStreams = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * The config named by --config, else the one the launcher selected like every command (ECR_REPLICATION_CONFIG, the
 * recorded one, the bundled example); its `config:` line goes to stderr first, as synth and deploy print it.
 */
export function loadCommandConfig(
  file: string | undefined,
  environment: NodeJS.ProcessEnv,
  streams: CommandStreams,
  cwd: string = process.cwd(),
): LoadedConfig {
  const selected = file !== undefined ? { file, source: 'option' as const, recorded: false } : selectionOfTool(environment, cwd);
  streams.stderr(`${describeSelection(selected)}\n`);
  return loadConfigFile(selected.file, cwd);
}

/** The exit status of a failure, with its message written to stderr. */
export function exitStatusOf(error: unknown, streams: CommandStreams): number {
  if (error instanceof CommanderError) {
    // help and version are not errors; commander has already printed them
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof ConfigError || error instanceof AuditInputError || error instanceof MissingAwsSdkError) {
    streams.stderr(`${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof AwsAccessError) {
    streams.stderr(`${error.message}\n`);
    return error.exitCode;
  }
  throw error;
}

export const EXIT_STATUS_HELP = `
Exit status: ${EXIT.ok} clean, ${EXIT.findings} findings at the --fail-on level (or a failed backfill), ${EXIT.usage} usage error (options, config, input),
${EXIT.credentials} no AWS credentials, ${EXIT.accessDenied} access denied, ${EXIT.throttled} throttled after retries, ${EXIT.regionNotEnabled} region not enabled, ${EXIT.awsError} other AWS error.`;
