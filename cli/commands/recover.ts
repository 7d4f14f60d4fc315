/**
 * After an interrupted apply, for one stack, a read-only report:
 *
 *   npm run recover -- <stack> [--outdir cdktf.out] [--state show.json]
 *
 * The launcher synthesizes the selected config first (the same selection and
 * output as deploy), so the report is about what `npm run deploy` would plan.
 * It reads the stack's folder (cdktf.out/stacks/<stack>, or
 * cdktf.out/retired/<stack>) and its state (`terraform show -json` there, or
 * --state), asks AWS (through the stack's provider role, region and endpoint)
 * what the stack's account and region hold that the state does not record,
 * and prints what deploy will do: adopt it (import blocks deploy writes
 * itself), refuse the stack (another state owns it, or it lacks the
 * project's stack tag), schedule the deletion of duplicate keys. Nothing is
 * written anywhere.
 *
 * Exit status: 0 reported (whether or not anything was found), 1 failure, 2 usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { RegistryClients, registryClients, RegistryTarget } from '../../tools/recovery/aws-session';
import { formatRecoveryReport, recoveryReport } from '../../tools/recovery/orphaned-resources';
import { stackResourcesOf } from '../../tools/recovery/stack-resources';
import { tryTerraform } from '../../tools/terraform-cli';

export interface RecoverDependencies {
  readonly clients: (target: RegistryTarget) => Promise<RegistryClients>;
  /** `terraform show -json` of the stack folder. */
  readonly showState: (stackDirectory: string) => unknown;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

function showStateWithTerraform(stackDirectory: string): unknown {
  const init = tryTerraform(['init', '-input=false', '-no-color'], stackDirectory);
  if (init.code !== 0) throw new Error(`terraform init failed in ${stackDirectory}:\n${init.stderr}${init.stdout}`);
  const show = tryTerraform(['show', '-json', '-no-color'], stackDirectory);
  if (show.code !== 0) throw new Error(`terraform show failed in ${stackDirectory}:\n${show.stderr}${show.stdout}`);
  return JSON.parse(show.stdout);
}

const defaultDependencies: RecoverDependencies = {
  clients: (target) => registryClients(target),
  showState: showStateWithTerraform,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

function stackDirectory(outdir: string, stack: string): string | undefined {
  return [path.join(outdir, 'stacks', stack), path.join(outdir, 'retired', stack)].find((directory) => existsSync(path.join(directory, 'cdk.tf.json')));
}

/** Runs the command; returns the exit status. */
export async function runRecover(argv: readonly string[], dependencies: RecoverDependencies = defaultDependencies): Promise<number> {
  const program = new Command('recover')
    .description(
      'Read-only: what an interrupted apply left in AWS but not in the state of a stack, and what npm run deploy will do about it (adopt, refuse, delete duplicate keys)',
    )
    .argument('<stack>', 'the stack name, e.g. ecr-destination-prod-eu-west-1')
    .option('--outdir <dir>', 'the synthesized output folder', 'cdktf.out')
    .option('--state <file>', 'read `terraform show -json` output from this file instead of running terraform in the stack folder')
    .exitOverride()
    .configureOutput({ writeOut: dependencies.stdout, writeErr: dependencies.stderr });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const [stack] = program.args;
  const options = program.opts<{ outdir: string; state?: string }>();
  const directory = stackDirectory(options.outdir, stack);
  if (!directory) {
    dependencies.stderr(
      `${stack}: no synthesized folder in ${options.outdir}/stacks or ${options.outdir}/retired: name a stack of the config (npm run list)\n`,
    );
    return 1;
  }
  try {
    const resources = stackResourcesOf(stack, JSON.parse(readFileSync(path.join(directory, 'cdk.tf.json'), 'utf8')));
    const state = options.state ? JSON.parse(readFileSync(options.state, 'utf8')) : dependencies.showState(directory);
    const report = await recoveryReport(resources, state, await dependencies.clients(resources.target));
    dependencies.stdout(`${formatRecoveryReport(report).join('\n')}\n`);
    return 0;
  } catch (error) {
    dependencies.stderr(`${stack}: recovery failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  runRecover(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
