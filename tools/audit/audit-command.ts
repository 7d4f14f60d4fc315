/**
 * `npm run audit`: the compliance rules over synthesized output (default
 * cdktf.out), one stack or a `terraform show -json` plan, or with --live over
 * every registry of the config through the AWS APIs.
 */
import { Command, Option } from 'commander';
import { AuditReport, REPORT_FORMATS, ReportFormat, renderReport } from './report';
import { COMPLIANCE_RULES } from '../../modules/compliance/compliance-rules';
import { ClientFactory, emulatorCredentials, EXIT, sdkClientFactory } from './aws-access';
import { CommandStreams, EXIT_STATUS_HELP, exitStatusOf, loadCommandConfig, processStreams } from './cli-support';
import { hasFindingsAtOrAbove, ruleInfo, Severity } from './findings';
import { auditStacks, readAuditInput } from './static-audit';
import { requireAwsSdk } from '../aws-sdk';

export interface AuditCommandOptions {
  readonly environment?: NodeJS.ProcessEnv;
  readonly streams?: CommandStreams;
  /** The AWS clients of --live. @default the AWS SDK, with the config's endpoint */
  readonly clients?: (endpoint: string | undefined) => ClientFactory;
  /** Base directory of relative inputs. @default process.cwd() */
  readonly cwd?: string;
}

interface ParsedOptions {
  live?: boolean;
  config?: string;
  format: ReportFormat;
  failOn: Severity;
}

/** Runs the audit; resolves to the exit status. */
export async function runAudit(args: readonly string[], options: AuditCommandOptions = {}): Promise<number> {
  const streams = options.streams ?? processStreams;
  const environment = options.environment ?? process.env;
  const program = new Command('npm run audit --')
    .description('Checks ECR repositories, KMS keys and registry settings against the compliance rules (README: Compliance).')
    .argument('[input]', 'synthesized output folder, a stack folder or cdk.tf.json, or a terraform show -json plan', 'cdktf.out')
    .option('--live', 'audit the registries of the config through the AWS APIs instead of synthesized output')
    .option(
      '-c, --config <file>',
      'config file for --live (default: the selected one: $ECR_REPLICATION_CONFIG, else the recorded --config, else ecr-replication.yaml)',
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices([...REPORT_FORMATS]).default('table'))
    .addOption(new Option('--fail-on <level>', 'lowest finding level that makes the exit status 1').choices(['error', 'warning']).default('error'))
    .addHelpText('after', EXIT_STATUS_HELP)
    .exitOverride()
    .configureOutput({ writeOut: streams.stdout, writeErr: streams.stderr });
  try {
    program.parse([...args], { from: 'user' });
    const parsed = program.opts<ParsedOptions>();
    const [input] = program.processedArgs as [string];
    let report: AuditReport;
    if (parsed.live) {
      if (program.args.length > 0) {
        streams.stderr('error: --live reads the registries of the config; it takes no input folder (use --config to name the config)\n');
        return EXIT.usage;
      }
      const { config } = loadCommandConfig(parsed.config, environment, streams, options.cwd);
      if (options.clients === undefined) requireAwsSdk('audit --live');
      const factory = (options.clients ?? ((endpoint) => sdkClientFactory({ endpoint, baseCredentials: emulatorCredentials(endpoint, environment) })))(
        config.endpoint?.url,
      );
      // Loaded here: the live audit's reads import the AWS SDK clients, which the static audit never needs.
      const { liveAudit } = await import('./live-audit');
      report = await liveAudit(config, { clients: factory, progress: (line) => streams.stderr(`${line}\n`) });
    } else {
      if (parsed.config) {
        streams.stderr('error: --config applies to --live only; the static audit reads synthesized output\n');
        return EXIT.usage;
      }
      const stacks = readAuditInput(input, options.cwd);
      report = { kind: 'static', rules: COMPLIANCE_RULES.map(ruleInfo), scopes: stacks.map((stack) => stack.stack), findings: auditStacks(stacks) };
    }
    streams.stdout(renderReport(report, parsed.format));
    return hasFindingsAtOrAbove(report.findings, parsed.failOn) ? EXIT.findings : EXIT.ok;
  } catch (error) {
    return exitStatusOf(error, streams);
  }
}
