/**
 * Recovery after an interrupted apply, for one stack:
 *
 *   npm run recover -- <stack> [--write] [--outdir cdktf.out] [--state show.json]
 *
 * Reads the stack's synthesized folder (cdktf.out/stacks/<stack>, or
 * cdktf.out/retired/<stack>) and its state (`terraform show -json` there, or
 * --state), lists what the project created in the stack's account and region
 * that the state does not record (with the provider's region, endpoint and
 * deployment role), and prints the import blocks and, for an unaliased
 * orphaned key, the schedule-key-deletion command. --write puts the blocks in
 * recovered-imports.tf in the stack folder; apply the stack, and it converges.
 *
 * Exit status: 0 done (whether or not anything was found), 1 failure, 2 usage error.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { RegistryClients, registryClients, RegistryTarget } from '../../tools/recovery/aws-session';
import { findResources, keyDeletionCommands, planRecovery, renderImports, stackResourcesOf, stateRecordOf } from '../../tools/recovery/orphaned-resources';
import { tryTerraform } from '../../tools/terraform-cli';

/** File the imports are written to, in the stack folder. */
export const RECOVERED_IMPORTS_FILE = 'recovered-imports.tf';

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
    .description('List what an interrupted apply left in AWS but not in the state of a stack, as import blocks and key deletion commands')
    .argument('<stack>', 'the stack name, e.g. ecr-destination-prod-eu-west-1')
    .option('--outdir <dir>', 'the synthesized output folder', 'cdktf.out')
    .option('--state <file>', 'read `terraform show -json` output from this file instead of running terraform in the stack folder')
    .option('--write', `write the import blocks to ${RECOVERED_IMPORTS_FILE} in the stack folder`, false)
    .option('--deletion-window <days>', 'pending window of the printed schedule-key-deletion commands (7-30)', '30')
    .exitOverride()
    .configureOutput({ writeOut: dependencies.stdout, writeErr: dependencies.stderr });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const [stack] = program.args;
  const options = program.opts<{ outdir: string; state?: string; write: boolean; deletionWindow: string }>();
  const window = Number(options.deletionWindow);
  if (!Number.isInteger(window) || window < 7 || window > 30) {
    dependencies.stderr(`--deletion-window (received ${options.deletionWindow}): must be a whole number of days from 7 to 30\n`);
    return 2;
  }
  const directory = stackDirectory(options.outdir, stack);
  if (!directory) {
    dependencies.stderr(
      `${stack}: no synthesized folder in ${options.outdir}/stacks or ${options.outdir}/retired: run npm run synth first, or name an existing stack\n`,
    );
    return 1;
  }
  try {
    const resources = stackResourcesOf(stack, JSON.parse(readFileSync(path.join(directory, 'cdk.tf.json'), 'utf8')));
    const state = stateRecordOf(options.state ? JSON.parse(readFileSync(options.state, 'utf8')) : dependencies.showState(directory));
    const found = await findResources(resources, await dependencies.clients(resources.target));
    const plan = planRecovery(resources, state, found);
    const where = `account ${resources.target.accountId}, ${resources.target.region}`;
    if (plan.imports.length === 0 && plan.keysToDelete.length === 0 && plan.notes.length === 0) {
      dependencies.stdout(`${stack}: nothing in ${where} is missing from the state; nothing to recover\n`);
      return 0;
    }
    if (plan.imports.length > 0) {
      const text = renderImports(plan);
      if (options.write) {
        const file = path.join(directory, RECOVERED_IMPORTS_FILE);
        writeFileSync(file, text);
        dependencies.stdout(
          `${stack}: wrote ${plan.imports.length} import block(s) to ${path.relative(process.cwd(), file)}; apply the stack before synthesizing again\n`,
        );
      } else {
        dependencies.stdout(
          `${text}\n# ${stack}: save the blocks above as ${RECOVERED_IMPORTS_FILE} in ${directory} (or rerun with --write), then apply the stack\n`,
        );
      }
    }
    const deletions = keyDeletionCommands(plan, window);
    if (deletions.length > 0) {
      const role = resources.target.deployRoleArn ? ` with credentials of ${resources.target.deployRoleArn}` : '';
      dependencies.stdout(`# orphaned keys (${plan.keysToDelete.map((entry) => entry.reason).join('; ')}): schedule their deletion${role}:\n`);
      for (const command of deletions) dependencies.stdout(`${command}\n`);
    }
    for (const note of plan.notes) dependencies.stdout(`# note: ${note}\n`);
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
