/**
 * `deploy`, `diff` and `destroy` as the command line runs them: the stacks
 * named (or patterns), the flags, the approval on a terminal, and the
 * engine over the synthesized output with the real Terraform runner and the
 * state-safety hooks.
 */
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { ACCEPT_VARIABLE, acceptedTokens } from '../../tools/plan-check/findings';
import { DeployHooks } from '../../tools/recovery/deploy-hooks';
import { terraformEnvironment } from '../../tools/terraform-cli';
import { stackTerraform, StackTerraform } from '../../tools/terraform-stack';
import { defaultDeployHooks } from './default-hooks';
import { EngineOutput, runEngine } from './engine';
import { retiredRepositories, selectStacks, synthesizedStacks } from './stacks';
import { DeployCommand } from './summary';

/** What a run of the engine depends on; tests replace them. */
export interface DeployDependencies {
  /** @default the terraform on PATH, with the project's CLI config */
  readonly terraform?: StackTerraform;
  /** @default defaultDeployHooks() */
  readonly hooks?: DeployHooks;
  /** Whether stdin is a terminal (an approval can be asked). @default process.stdin.isTTY */
  readonly interactive?: boolean;
  /** Asks a question on the terminal, true for `yes`. @default a readline prompt on stdin/stderr */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Read and check the plans. Only `npm run bench` switches it off, to measure what it costs. @default true */
  readonly planCheck?: boolean;
}

export interface DeployFlags {
  readonly autoApprove?: boolean;
  readonly parallelism?: string;
  readonly accept?: readonly string[];
}

export interface DeployRequest {
  readonly command: DeployCommand;
  readonly outdir: string;
  readonly projectRoot: string;
  readonly patterns: readonly string[];
  readonly flags: DeployFlags;
  readonly environment: NodeJS.ProcessEnv;
  readonly output: EngineOutput;
  readonly dependencies?: DeployDependencies;
  /** Set when the user interrupts (Ctrl-C): no new step starts. */
  readonly interrupted?: () => boolean;
}

/** Stacks run at once by default: the CPUs (each terraform run loads the provider), 2 to 8. */
export function defaultParallelism(): number {
  return Math.min(8, Math.max(2, availableParallelism()));
}

/** `--parallelism`: a whole number from 1 to 64, or an error that says so. */
export function parseParallelism(value: string | undefined): number | string {
  if (value === undefined) return defaultParallelism();
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number < 1 || number > 64) {
    return `--parallelism (received ${JSON.stringify(value)}): must be a whole number of stacks run at once, from 1 to 64, e.g. --parallelism 2`;
  }
  return number;
}

/** Shell-quotes a stack pattern for a command line printed to copy. */
const quote = (pattern: string): string => (/^[A-Za-z0-9_./-]+$/.test(pattern) ? pattern : `'${pattern.replace(/'/g, `'\\''`)}'`);

function terminalConfirm(): (question: string) => Promise<boolean> {
  return (question) =>
    new Promise((resolve) => {
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      prompt.question(question, (answer) => {
        prompt.close();
        resolve(answer.trim() === 'yes');
      });
    });
}

/** Runs the command on an output the launcher has just synthesized; returns the exit code. */
export async function runDeployCommand(request: DeployRequest): Promise<number> {
  const { command, output } = request;
  const say = (text: string) => output.stderr(`${text}\n`);
  const parallelism = parseParallelism(request.flags.parallelism);
  if (typeof parallelism === 'string') {
    say(parallelism);
    return 2;
  }
  const stacks = synthesizedStacks(request.outdir);
  const { targeted, unmatched } = selectStacks(stacks, request.patterns);
  const names = stacks.map((stack) => stack.name).join(', ');
  if (unmatched.length > 0) {
    say(`${command}: no stack matches ${unmatched.map(quote).join(', ')}: use a stack name or a pattern ('*', 'ecr-destination-*') of: ${names}`);
    return 2;
  }
  if (targeted.length === 0) {
    say(
      `${command}: name the stacks to ${command === 'diff' ? 'plan' : command} (names or patterns), e.g. npm run ${command} -- '*'; the stacks are: ${names}`,
    );
    return 2;
  }
  const dependencies = request.dependencies ?? {};
  const interactive = dependencies.interactive ?? process.stdin.isTTY === true;
  if (command !== 'diff' && !request.flags.autoApprove && !interactive) {
    say(
      `${command}: stdin is not a terminal, so nothing can be approved: run it with --auto-approve (npm run ${command} -- ${request.patterns.map(quote).join(' ')} --auto-approve), ` +
        `or preview the plans with npm run diff -- ${request.patterns.map(quote).join(' ')}; nothing was planned or applied`,
    );
    return 2;
  }
  const environment = terraformEnvironment(request.projectRoot, request.environment);
  const rerun = `npm run ${command === 'destroy' ? 'destroy' : 'deploy'} -- ${request.patterns.map(quote).join(' ')}`;
  const result = await runEngine({
    command,
    stacks,
    targeted,
    terraform: dependencies.terraform ?? stackTerraform(environment),
    hooks: dependencies.hooks ?? defaultDeployHooks(),
    environment,
    autoApprove: request.flags.autoApprove ?? false,
    acceptedTokens: acceptedTokens([...(request.flags.accept ?? []), request.environment[ACCEPT_VARIABLE]]),
    parallelism,
    output,
    confirm: interactive ? (dependencies.confirm ?? terminalConfirm()) : undefined,
    planCheck: dependencies.planCheck ?? true,
    // Read by the plan check only: destroy never checks (its plans are the user's explicit intent).
    retiredRepositories: command === 'destroy' || dependencies.planCheck === false ? undefined : retiredRepositories(request.outdir),
    rerunCommand: rerun,
    interrupted: request.interrupted,
  });
  return result.exitCode;
}
