/**
 * The CDKTF stacks as HCL: synthesize a config with the project's app, then
 * write each stack's Terraform JSON as `<out>/stacks/<stack>/cdk.tf` (the
 * file `cdktf synth --hcl` writes) through the project's converter, which
 * passes `terraform validate` where cdktf 0.21's own HCL output does not.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { Config } from '../../config/schema';
import { buildReplicationStacks } from '../../stacks/build-stacks';
import { terraformJsonToHcl } from './terraform-json-to-hcl';

/** The HCL file of a stack, as `cdktf synth --hcl` names it. */
export const STACK_HCL_FILE = 'cdk.tf';

/** Synthesizes `config` and returns each stack's HCL by stack name (destinations first, then sources). */
export function stacksAsHcl(config: Config): Map<string, string> {
  const staging = mkdtempSync(path.join(os.tmpdir(), 'ecr-synth-hcl-'));
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    const built = buildReplicationStacks(app, config);
    app.synth();
    const stacks = new Map<string, string>();
    for (const stack of [...built.destinations, ...built.sources]) {
      const json = JSON.parse(readFileSync(path.join(staging, 'stacks', stack.stackName, 'cdk.tf.json'), 'utf8'));
      stacks.set(stack.stackName, terraformJsonToHcl(json));
    }
    return stacks;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Writes `<outdir>/stacks/<stack>/cdk.tf` for every stack, replacing the
 * folder's earlier stacks (Terraform would read a leftover cdk.tf.json too).
 */
export function writeStacksAsHcl(outdir: string, stacks: ReadonlyMap<string, string>): string[] {
  const stacksDirectory = path.join(outdir, 'stacks');
  mkdirSync(stacksDirectory, { recursive: true });
  for (const entry of readdirSync(stacksDirectory, { withFileTypes: true })) {
    if (entry.isDirectory() && !stacks.has(entry.name)) rmSync(path.join(stacksDirectory, entry.name), { recursive: true, force: true });
  }
  return [...stacks.entries()].map(([name, text]) => {
    const directory = path.join(stacksDirectory, name);
    mkdirSync(directory, { recursive: true });
    rmSync(path.join(directory, 'cdk.tf.json'), { force: true });
    writeFileSync(path.join(directory, STACK_HCL_FILE), text);
    return path.join(directory, STACK_HCL_FILE);
  });
}
