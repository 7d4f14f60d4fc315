/**
 * `deploy`, `diff` and `destroy` through the cdktf CLI, set up the way this
 * project needs:
 *
 * - the launcher has just synthesized (atomically, with the chosen config), so
 *   the CLI runs with `--skip-synth` and never re-runs the app;
 * - Terraform uses the project's CLI config (`tools/terraform-cli.ts`) and
 *   `CHECKPOINT_DISABLE=1`;
 * - with an offline provider mirror, `--skip-provider-lock`: the CLI's
 *   `terraform providers lock` ignores a filesystem mirror and fails offline
 *   ("Could not retrieve providers for locking"), while `terraform init` still
 *   writes `.terraform.lock.hcl` from the mirror;
 * - in CI mode (`CI` set) the CLI reports a failed plan only as "Invoking
 *   Terraform CLI failed with exit code 1"; afterwards the launcher runs
 *   `terraform plan` in the targeted stack folders, in apply order, and prints
 *   the first failure's own message (e.g. the guard naming the destination
 *   stack to apply first).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_VARIABLE } from '../config/load';
import { TerraformResult } from '../tools/terraform-cli';

export type CdktfCommand = 'deploy' | 'diff' | 'destroy';

export interface CdktfContext {
  /** The synthesized output the CLI works on, absolute. */
  readonly outdir: string;
  readonly cwd: string;
  readonly environment: NodeJS.ProcessEnv;
  /** The project's Terraform CLI config file (`.terraform-cli/terraformrc`). */
  readonly terraformCliConfig: string;
  /** The offline provider mirror that config uses, if any. */
  readonly providerMirror: string | undefined;
  /** The config file just synthesized, relative to `cwd` or absolute. */
  readonly configFile: string;
}

/** Arguments of `cdktf <command>`: the stacks, the project's flags, then the caller's own flags unchanged. */
export function cdktfArguments(command: CdktfCommand, stacks: readonly string[], passThrough: readonly string[], context: CdktfContext): string[] {
  const outdir = path.relative(context.cwd, context.outdir) || '.';
  return [command, ...stacks, '--skip-synth', '--output', outdir, ...(context.providerMirror ? ['--skip-provider-lock'] : []), ...passThrough];
}

/** The CLI's environment: the project's Terraform CLI config, no update checks, and the config (should anything re-synthesize). */
export function cdktfEnvironment(context: CdktfContext): NodeJS.ProcessEnv {
  return {
    ...context.environment,
    TF_CLI_CONFIG_FILE: context.terraformCliConfig,
    CHECKPOINT_DISABLE: '1',
    [CONFIG_FILE_VARIABLE]: context.configFile,
  };
}

/** cdktf's CI mode: `CI` set to anything but empty, 0 or false. */
export function isCiMode(environment: NodeJS.ProcessEnv): boolean {
  const value = environment.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

interface ManifestStack {
  readonly workingDirectory: string;
  readonly dependencies?: readonly string[];
}

/** Stack names of a synthesized output in apply order (every stack after the stacks it depends on; ties by name). */
export function stacksInApplyOrder(outdir: string): { name: string; directory: string }[] {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, ManifestStack> };
  const ordered: string[] = [];
  const visit = (name: string, trail: readonly string[]): void => {
    if (ordered.includes(name) || trail.includes(name) || !(name in manifest.stacks)) return;
    for (const dependency of [...(manifest.stacks[name].dependencies ?? [])].sort()) visit(dependency, [...trail, name]);
    ordered.push(name);
  };
  Object.keys(manifest.stacks)
    .sort()
    .forEach((name) => visit(name, []));
  return ordered.map((name) => ({ name, directory: path.join(outdir, manifest.stacks[name].workingDirectory) }));
}

function globPattern(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

/** The stacks a command targets: those matching the given names or patterns (`*`), or the only stack when none is named. */
export function targetedStacks(outdir: string, patterns: readonly string[]): { name: string; directory: string }[] {
  const all = stacksInApplyOrder(outdir);
  if (patterns.length === 0) return all.length === 1 ? all : [];
  const matchers = patterns.map(globPattern);
  return all.filter((stack) => matchers.some((matcher) => matcher.test(stack.name)));
}

export type PlanRunner = (args: readonly string[], stackDirectory: string) => TerraformResult;

/**
 * Why a failed `cdktf <command>` failed, in terraform's own words: `terraform plan` (`-destroy` for
 * destroy) in each targeted, initialized stack folder, in the order the command ran them, until one fails.
 * Undefined when every plan passes (the failure came from elsewhere) or no stack folder was initialized.
 */
export function explainFailure(
  command: CdktfCommand,
  patterns: readonly string[],
  context: Pick<CdktfContext, 'outdir' | 'cwd'>,
  runPlan: PlanRunner,
): string | undefined {
  let stacks;
  try {
    stacks = targetedStacks(context.outdir, patterns);
  } catch {
    return undefined;
  }
  if (command === 'destroy') stacks.reverse();
  const args = ['plan', '-input=false', '-lock=false', '-no-color', ...(command === 'destroy' ? ['-destroy'] : [])];
  for (const stack of stacks) {
    if (!existsSync(path.join(stack.directory, '.terraform'))) continue;
    const result = runPlan(args, stack.directory);
    if (result.code === 0) continue;
    const where = path.relative(context.cwd, stack.directory) || '.';
    // terraform writes its errors to stderr; the plan itself (stdout) is noise here.
    const message = result.stderr.trim() || result.stdout.trim();
    return `${stack.name}: terraform ${args.join(' ')} (in ${where}) fails with:\n\n${message}\n`;
  }
  return undefined;
}
