/**
 * The project's command line (`bin/ecr-replication.js`: the package's bin
 * `ecr-kms-replication`, behind the npm scripts and the app command of cdktf.json):
 *
 *   synth    synthesize into cdktf.out atomically, without the cdktf CLI
 *   check    validate a config without synthesizing (cli/commands/check.ts)
 *   list     the stacks a config gives, in apply order
 *   deploy | diff | destroy
 *            synthesize, then Terraform per stack through the deploy engine (cli/deploy/):
 *            plan -out, show -json, the plan check, apply of that plan file, in dependency order
 *   init     make the current folder a project of its own (cli/commands/init.ts)
 *   <tool>   every entry of TOOLS (audit, backfill, recover, export-terraform alias export, diagram, plan-check),
 *            run as a child process with its own options and the selected config; `tool <name>` is the same (the npm scripts)
 *   hcp plan | hcp apply
 *            the HCP Terraform workspaces of a config with backend cloud (cli/commands/hcp.ts)
 *   app      the app command cdktf runs (CDKTF_OUTDIR), for `npx cdktf ...` (hidden)
 *
 * Every command names its config the same way (config/config-selection.ts),
 * and works on the folder it runs in. In a clone the launcher recompiles
 * dist/ when a source is newer; installed from npm (dist/ only) it runs
 * dist/ as it is.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Argument, Command, CommanderError } from 'commander';
import { loadConfigFile } from '../config/load';
import { ConfigError, formatWarnings } from '../config/problems';
import { planDeployment } from '../config/deployment-plan';
import { accountTrustPlans } from '../stacks/hcp-trust-plan';
import { runCheck } from './commands/check';
import { PROJECT_ROOT, runsFromSources } from '../tools/terraform-cli';
import { MissingAwsSdkError, requireAwsSdk } from '../tools/aws-sdk';
import { buildLayout, rebuildWhenStale } from './build-freshness';
import type { DeployDependencies, DeployFlags } from './deploy/command';
import type { DeployCommand } from './deploy/summary';
import type { HcpAction } from './commands/hcp';
import type { SynthesisRequest, SynthesisResult } from './synthesize';
import { ConfigSelectionError, describeSelection, recordConfig, SelectedConfig, selectConfig, selectionEnvironment } from '../config/config-selection';
import { PreSwapCheck, projectPreSwapChecks } from './pre-swap-checks';
import { ACCEPT_VARIABLE } from '../tools/plan-check/findings';

/** Synthesis loads cdktf and the constructs (about 0.1 s): only the commands that synthesize load it. */
const synthesis = () => import('./synthesize');

/** Synthesizes `config` into `outdir` with the run's project, folder and pre-swap checks; progress on stderr unless `report` says otherwise. */
async function synthesizeFor(
  run: CliEnvironment,
  config: SelectedConfig,
  outdir: string,
  extra: Partial<Pick<SynthesisRequest, 'noteConfigChange' | 'keepDroppedStackFolders' | 'report'>> = {},
): Promise<SynthesisResult> {
  return (await synthesis()).synthesizeIntoOutdir({
    projectRoot: run.projectRoot,
    cwd: run.cwd,
    outdir,
    config,
    preSwapChecks: run.preSwapChecks ?? projectPreSwapChecks(),
    report: run.stderr,
    ...extra,
  });
}
/** The deploy engine and `init` (19 modules): loaded by their own commands only, not by `app`, `list` or the tools. */
const deployEngine = () => import('./deploy/command');
const initCommand = () => import('./commands/init');

export const DEFAULT_OUTDIR = 'cdktf.out';

/** Where a run reads and writes: the process by default, a temporary project in tests. */
export interface CliEnvironment {
  readonly projectRoot: string;
  readonly cwd: string;
  readonly environment: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** @default projectPreSwapChecks() */
  readonly preSwapChecks?: readonly PreSwapCheck[];
  /** What deploy, diff and destroy run with (Terraform runner, hooks, terminal). @default the real ones */
  readonly deploy?: DeployDependencies;
  /** True once the user interrupted the command (Ctrl-C). @default never */
  readonly interrupted?: () => boolean;
  /** Runs a tool (`[name, ...arguments]`), returns its exit status. @default runTool (a child process with the selected config) */
  readonly runTool?: (argv: readonly string[]) => number | Promise<number>;
}

/** Set by the first Ctrl-C of a deploy, diff or destroy (see `main`). */
let interruptedByUser = false;

function processEnvironment(): CliEnvironment {
  return {
    interrupted: () => interruptedByUser,
    // The project a command works on is the folder it runs in (npm scripts run in the package's folder):
    // its config record (.ecr-replication/), output and local state. The code may live elsewhere (PROJECT_ROOT).
    projectRoot: process.cwd(),
    cwd: process.cwd(),
    environment: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}

interface ConfigOption {
  readonly config?: string;
}

/** Selects the config (recording `--config`), or reports a usage error and returns undefined. */
function selectAndRecord(run: CliEnvironment, options: ConfigOption): SelectedConfig | undefined {
  try {
    const selected = selectConfig(run, options.config);
    if (options.config !== undefined) recordConfig(run, options.config);
    return selected;
  } catch (error) {
    if (!(error instanceof ConfigSelectionError)) throw error;
    run.stderr(`${error.message}\n`);
    return undefined;
  }
}

async function synth(run: CliEnvironment, options: ConfigOption & { output: string }): Promise<number> {
  const config = selectAndRecord(run, options);
  if (config === undefined) return 2;
  const outdir = path.resolve(run.cwd, options.output);
  const result = await synthesizeFor(run, config, outdir);
  if (!result.ok) return 1;
  run.stdout(`${options.output}: ${result.stacks.length} stack${result.stacks.length === 1 ? '' : 's'} synthesized: ${result.stacks.join(', ')}\n`);
  return 0;
}

function list(run: CliEnvironment, options: ConfigOption): number {
  const config = selectAndRecord(run, options);
  if (config === undefined) return 2;
  run.stderr(`${describeSelection(config)}\n`);
  let loaded;
  try {
    loaded = loadConfigFile(config.file, run.cwd);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    run.stderr(`${error.message}\nlist failed: fix the problems above\n`);
    return 1;
  }
  for (const warning of formatWarnings(loaded.file, loaded.warnings)) run.stderr(`${warning}\n`);
  const plan = planDeployment(loaded.config);
  // Apply order: the HCP Terraform trust stacks (once, with an administrator's credentials), every destination before the sources that replicate into it.
  for (const trust of accountTrustPlans(loaded.config, plan))
    run.stdout(`${trust.stackName}  (once, with an administrator's credentials of ${trust.accountName})\n`);
  for (const destination of plan.destinations) run.stdout(`${destination.stackName}\n`);
  for (const source of plan.sources) run.stdout(`${source.stackName}  (after ${source.destinations.map((destination) => destination.stackName).join(', ')})\n`);
  return 0;
}

async function check(run: CliEnvironment, args: readonly string[], options: ConfigOption): Promise<number> {
  const given = [...args];
  // The file: --config, else the one named as an argument, else the selected one (ECR_REPLICATION_CONFIG, the recorded one, the example).
  if (options.config !== undefined || given.every((arg) => arg.startsWith('-'))) {
    const config = selectAndRecord(run, options);
    if (config === undefined) return 2;
    given.push(config.file);
  }
  return runCheck(given, run.environment, { stdout: run.stdout, stderr: run.stderr }, run.cwd);
}

async function deployCommand(
  run: CliEnvironment,
  command: DeployCommand,
  patterns: readonly string[],
  options: ConfigOption & DeployFlags & { output: string },
): Promise<number> {
  const config = selectAndRecord(run, options);
  if (config === undefined) return 2;
  const outdir = path.resolve(run.cwd, options.output);
  const synthesized = await synthesizeFor(run, config, outdir, { noteConfigChange: true });
  if (!synthesized.ok) return 1;
  return (await deployEngine()).runDeployCommand({
    command,
    outdir,
    projectRoot: run.projectRoot,
    patterns,
    flags: options,
    environment: run.environment,
    output: { stdout: run.stdout, stderr: run.stderr },
    dependencies: run.deploy,
    interrupted: run.interrupted,
  });
}

/** HCP Terraform workspaces of the selected config (loaded on demand: it reads the API, not cdktf). */
async function hcp(run: CliEnvironment, action: HcpAction, options: ConfigOption): Promise<number> {
  const config = selectAndRecord(run, options);
  if (config === undefined) return 2;
  run.stderr(`${describeSelection(config)}\n`);
  const { runHcp } = await import('./commands/hcp');
  return runHcp(action, { configFile: config.file, cwd: run.cwd, environment: run.environment, stdout: run.stdout, stderr: run.stderr });
}

/** The app command of cdktf.json: synthesize into CDKTF_OUTDIR as the cdktf CLI asks, atomically. */
async function app(run: CliEnvironment): Promise<number> {
  const config = selectAndRecord(run, {});
  if (config === undefined) return 2;
  const result = await synthesizeFor(run, config, path.resolve(run.cwd, run.environment.CDKTF_OUTDIR || DEFAULT_OUTDIR), {
    // The CLI deletes the folders of dropped stacks itself after the app exits, and fails when one is gone.
    keepDroppedStackFolders: true,
    // The CLI passes the app's stdout on as it is but prefixes each stderr line with "[ERROR] default -".
    report: run.stdout,
  });
  return result.ok ? 0 : 1;
}

const CONFIG_HELP = 'the config file; remembered for later commands (ECR_REPLICATION_CONFIG wins)';

/** Parses `argv` (without node and the script) and runs the command; returns the exit status. */
export async function runCli(argv: readonly string[], run: CliEnvironment = processEnvironment()): Promise<number> {
  let status = 0;
  const program = new Command('ecr-kms-replication')
    .description('KMS-encrypted ECR registries replicated across regions and accounts: the daily commands')
    .exitOverride()
    .configureOutput({ writeOut: run.stdout, writeErr: run.stderr })
    .showHelpAfterError();
  program
    .command('synth')
    .description('synthesize the config into the output folder, atomically (no credentials needed)')
    .option('--config <file>', CONFIG_HELP)
    .option('-o, --output <folder>', 'output folder', DEFAULT_OUTDIR)
    .action(async (options: ConfigOption & { output: string }) => {
      status = await synth(run, options);
    });
  program
    .command('check')
    .description('validate a config file without synthesizing (run `check -h` for its options)')
    .argument('[arguments...]', 'the config file and options of cli/commands/check.ts')
    .option('--config <file>', CONFIG_HELP)
    .helpOption(false)
    .allowUnknownOption()
    .action(async (args: string[], options: ConfigOption) => {
      status = await check(run, args, options);
    });
  program
    .command('list')
    .description('list the stacks of the config in apply order (no credentials needed)')
    .option('--config <file>', CONFIG_HELP)
    .action((options: ConfigOption) => {
      status = list(run, options);
    });
  const commands: Record<DeployCommand, string> = {
    deploy:
      "synthesize, then plan every stack named (or pattern, e.g. '*'), check the plans, and apply them in order (destinations first for additions, sources first for removals); needs AWS credentials",
    diff: "synthesize, then plan and check the stacks named (or patterns, e.g. '*'); applies nothing; needs AWS credentials",
    destroy: "synthesize, then destroy the stacks named (or patterns, e.g. '*'), sources first; needs AWS credentials",
  };
  for (const [command, description] of Object.entries(commands) as [DeployCommand, string][]) {
    const subcommand = program
      .command(command)
      .description(description)
      .argument('[stacks...]', "stack names or patterns ('*', 'ecr-destination-*')")
      .option('--config <file>', CONFIG_HELP)
      .option('-o, --output <folder>', 'output folder', DEFAULT_OUTDIR)
      .option('--parallelism <n>', 'stacks planned or applied at once (default: the CPUs, 2 to 8)')
      .option(
        '--accept <token>',
        `accept the refused changes this token names (same as ${ACCEPT_VARIABLE}); repeatable`,
        (value: string, previous: string[]) => [...previous, value],
        [] as string[],
      );
    if (command !== 'diff') subcommand.option('--auto-approve', 'apply without asking (needed when stdin is not a terminal)');
    subcommand.action(async (patterns: string[], options: ConfigOption & DeployFlags & { output: string }) => {
      status = await deployCommand(run, command, patterns, options);
    });
  }
  program
    .command('init')
    .description('make this folder a project: a starter ecr-replication.yaml, cdktf.json, package.json scripts, .gitignore')
    .option('--force', 'overwrite ecr-replication.yaml and cdktf.json, and replace differing scripts', false)
    .action(async (options: { force: boolean }) => {
      status = (await initCommand()).runInit({
        directory: run.cwd,
        force: options.force,
        commands: scriptCommands(program),
        stdout: run.stdout,
        stderr: run.stderr,
      });
    });
  // Every tool is a command of its own, so one registered in TOOLS appears here (and in `init`'s scripts) without more work.
  for (const [name, script] of Object.entries(TOOLS)) {
    const command = program
      .command(name)
      .description(TOOL_DESCRIPTIONS[name] ?? `run ${script} (\`${name} --help\` for its options)`)
      .argument('[arguments...]', `the arguments and options of ${name} (\`${name} --help\`)`)
      .helpOption(false)
      .allowUnknownOption()
      .action(async (args: string[]) => {
        status = await (run.runTool ?? ((toolArgv: readonly string[]) => runTool(toolArgv, run)))([name, ...args]);
      });
    const alias = TOOL_ALIASES[name];
    if (alias !== undefined) command.alias(alias);
  }
  program
    .command('hcp')
    .description(
      'HCP Terraform workspaces of a config with backend cloud: `hcp plan` prints what would change, `hcp apply` makes it so (never deletes a workspace); needs an HCP Terraform token (TF_TOKEN_<host> or terraform login)',
    )
    .addArgument(new Argument('<action>', 'plan or apply').choices(['plan', 'apply'] satisfies HcpAction[]))
    .option('--config <file>', CONFIG_HELP)
    .action(async (action: HcpAction, options: ConfigOption) => {
      status = await hcp(run, action, options);
    });
  program.command('app', { hidden: true }).action(async () => {
    status = await app(run);
  });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and version exit 0; parse errors were already printed.
    return error.exitCode === 0 ? 0 : 2;
  }
  return status;
}

/**
 * The compiled tools, each a command of the CLI (`ecr-kms-replication audit ...`) and of `tool <name>` (npm run
 * audit, backfill, recover, export:terraform, synth:hcl, diagram), run after the freshness check.
 */
export const TOOLS: Readonly<Record<string, string>> = {
  audit: 'cli/commands/audit.js',
  backfill: 'cli/commands/backfill.js',
  recover: 'cli/commands/recover.js',
  'export-terraform': 'cli/commands/export-terraform.js',
  'plan-check': 'cli/commands/plan-check.js',
  diagram: 'cli/commands/diagram.js',
};

/** What `--help` says of a tool; a tool without an entry is listed with its script. */
export const TOOL_DESCRIPTIONS: Readonly<Record<string, string>> = {
  audit: 'check cdktf.out, a stack or a plan against the compliance rules; --live: the registries themselves (AWS credentials)',
  backfill: 'replicate the images pushed before replication existed, after checking each destination (AWS credentials)',
  recover: 'after an interrupted apply: what deploy will adopt, refuse or delete for a stack (read-only; AWS credentials)',
  'export-terraform': 'write terraform/: one module per construct and the root composition of the config (--stacks: the stacks as HCL)',
  'plan-check': 'check plans (terraform show -json) for refused deletions and replacements, e.g. in CI or an HCP Terraform run task',
  diagram: 'write a Mermaid diagram of the config',
};

/** Shorter names of tools on the command line. */
export const TOOL_ALIASES: Readonly<Record<string, string>> = { 'export-terraform': 'export' };

/** Tools that always call AWS: refused with the `npm install` to run when the AWS SDK clients (optional peers) are missing. */
export const AWS_SDK_TOOLS: ReadonlySet<string> = new Set(['backfill', 'recover']);

/** The commands a project gets an npm script for (`init`): every visible command but init, by its shortest name. */
export function scriptCommands(program: Command): string[] {
  return program
    .createHelp()
    .visibleCommands(program)
    .filter((command) => !['init', 'help'].includes(command.name()))
    .map((command) => command.aliases()[0] ?? command.name());
}

/**
 * Takes `--config <file>` (`--config=<file>`, `-c <file>`) out of a tool's arguments: the launcher selects the config
 * for every tool, the same way as for synth and deploy, and passes the selection down.
 */
export function extractConfigOption(args: readonly string[]): { config?: string; rest: string[] } {
  const rest: string[] = [];
  let config: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const argument = args[index];
    if ((argument === '--config' || argument === '-c') && args[index + 1] !== undefined) config = args[++index];
    else if (argument.startsWith('--config=')) config = argument.slice('--config='.length);
    else rest.push(argument);
  }
  return { ...(config === undefined ? {} : { config }), rest };
}

/** The value of `--outdir <dir>` (or `--outdir=<dir>`) among a tool's arguments. */
function outdirOption(args: readonly string[]): string {
  const index = args.indexOf('--outdir');
  if (index >= 0 && args[index + 1] !== undefined) return args[index + 1];
  return args.find((argument) => argument.startsWith('--outdir='))?.slice('--outdir='.length) ?? DEFAULT_OUTDIR;
}

/** Runs a compiled tool with its arguments; how (a child process by default) is injectable for tests. */
export type ToolRunner = (script: string, args: readonly string[], environment: NodeJS.ProcessEnv, cwd: string) => number;

const runCompiledTool: ToolRunner = (script, args, environment, cwd) =>
  spawnSync(process.execPath, [script, ...args], { stdio: 'inherit', env: environment, cwd }).status ?? 1;

/**
 * Runs a tool in a child process with the config selected as for every command (`--config`, else
 * ECR_REPLICATION_CONFIG, else the recorded one, else the bundled example; a tool's `--config` is not recorded).
 * `recover` synthesizes that config first, like deploy, so it reports on what deploy will plan.
 * Returns the tool's exit code, 2 for an unknown tool or two different config files.
 */
export async function runTool(argv: readonly string[], run: CliEnvironment = processEnvironment(), runner: ToolRunner = runCompiledTool): Promise<number> {
  const [name, ...given] = argv;
  const script = name === undefined ? undefined : TOOLS[name];
  if (script === undefined) {
    run.stderr(`ecr-replication: unknown tool ${JSON.stringify(name)}: use one of ${Object.keys(TOOLS).join(', ')}\n`);
    return 2;
  }
  if (AWS_SDK_TOOLS.has(name) && !given.some((arg) => arg === '-h' || arg === '--help')) {
    try {
      requireAwsSdk(name);
    } catch (error) {
      if (!(error instanceof MissingAwsSdkError)) throw error;
      run.stderr(`${error.message}\n`);
      return 2;
    }
  }
  const { config: option, rest } = extractConfigOption(given);
  let selected: SelectedConfig;
  try {
    selected = selectConfig(run, option);
  } catch (error) {
    if (!(error instanceof ConfigSelectionError)) throw error;
    run.stderr(`${error.message}\n`);
    return 2;
  }
  if (option !== undefined) selected = { ...selected, recorded: false };
  let args = rest;
  if (name === 'recover' && !rest.some((argument) => argument === '-h' || argument === '--help')) {
    const outdir = path.resolve(run.cwd, outdirOption(rest));
    const synthesized = await synthesizeFor(run, selected, outdir, { noteConfigChange: true });
    if (!synthesized.ok) return 1;
    args = [
      ...rest.filter((argument, index) => argument !== '--outdir' && rest[index - 1] !== '--outdir' && !argument.startsWith('--outdir=')),
      '--outdir',
      outdir,
    ];
  }
  return runner(path.join(PROJECT_ROOT, 'dist', script), args, selectionEnvironment(run.environment, selected), run.cwd);
}

/** Set in a launcher started again after a rebuild, so it does not check once more. */
const REBUILT_MARKER = 'ECR_REPLICATION_LAUNCHER_REBUILT';

/** Entry of bin/ecr-replication.js: recompile when a source is newer than dist/ (then start again on the new code), run. */
export async function main(argv: readonly string[]): Promise<void> {
  const rebuiltAlready = process.env[REBUILT_MARKER] !== undefined;
  delete process.env[REBUILT_MARKER];
  // Installed from npm, the package is dist/ alone: nothing to compare with, nothing to compile.
  if (!rebuiltAlready && runsFromSources()) {
    // Under the cdktf CLI (the app command) stderr lines show as errors: progress goes to stdout there.
    const log = (line: string) => (argv[0] === 'app' ? process.stdout : process.stderr).write(`ecr-replication: ${line}\n`);
    const rebuilt = rebuildWhenStale(buildLayout(PROJECT_ROOT), log);
    if (rebuilt.error !== undefined) {
      process.stderr.write(`ecr-replication: ${rebuilt.error}; nothing was run\n`);
      process.exitCode = 1;
      return;
    }
    if (rebuilt.rebuilt) {
      // This process has loaded the old code: run the command in a fresh one.
      const again = spawnSync(process.execPath, [...process.execArgv, process.argv[1], ...argv], {
        stdio: 'inherit',
        env: { ...process.env, [REBUILT_MARKER]: '1' },
      });
      process.exitCode = again.status ?? 1;
      return;
    }
  }
  if (['deploy', 'diff', 'destroy'].includes(argv[0] ?? '')) {
    // Ctrl-C reaches terraform too (same process group), which stops its run cleanly: the launcher starts nothing
    // new, waits for the running ones and prints its summary instead of dying with them.
    process.on('SIGINT', () => {
      if (!interruptedByUser) process.stderr.write('\necr-replication: interrupted: waiting for the running terraform processes to stop; nothing new starts\n');
      interruptedByUser = true;
    });
  }
  try {
    process.exitCode = argv[0] === 'tool' ? await runTool(argv.slice(1)) : await runCli(argv);
  } catch (error) {
    // A bug or an I/O failure, not a bad config (those are reported and return 1): show where it happened.
    process.stderr.write(`ecr-replication: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
