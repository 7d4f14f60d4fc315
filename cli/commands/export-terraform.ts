/**
 * `npm run export:terraform [-- --out dir] [-- --check]`: the Terraform
 * modules and the root composition of the selected config (the launcher's
 * selection: --config, ECR_REPLICATION_CONFIG, the recorded one, the bundled
 * example) into `terraform/` (or `--out`). `--check` writes
 * nothing and fails when the folder differs from a fresh export.
 *
 * `npm run synth:hcl [-- --out dir]`: the CDKTF stacks as HCL that passes
 * `terraform validate`, `<dir>/stacks/<stack>/cdk.tf` (default cdktf.out.hcl).
 */
import * as path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { describeSelection, selectionOfTool } from '../../config/config-selection';
import { loadConfigOrReport } from '../../main';
import { DEFAULT_EXPORT_DIRECTORY, ownedFiles, terraformExportFiles, writeTerraformExport } from '../../tools/terraform-export/export';
import { stacksAsHcl, writeStacksAsHcl } from '../../tools/hcl/stacks-to-hcl';

export const DEFAULT_STACKS_HCL_DIRECTORY = 'cdktf.out.hcl';

const USAGE = 'usage: export-terraform [--out <dir>] [--check] | export-terraform --stacks [--out <dir>]';

interface Options {
  readonly stacks: boolean;
  readonly check: boolean;
  readonly out?: string;
}

export function parseArguments(args: readonly string[]): Options {
  let stacks = false;
  let check = false;
  let out: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const argument = args[index];
    if (argument === '--stacks') stacks = true;
    else if (argument === '--check') check = true;
    else if (argument === '--out' && args[index + 1] !== undefined) out = args[++index];
    else throw new Error(`unknown argument "${argument}": ${USAGE}`);
  }
  if (stacks && check) throw new Error(`--check applies to the module export only: ${USAGE}`);
  return { stacks, check, out };
}

/** Files that differ between `directory` and a fresh export (missing, changed or extra). */
export function staleFiles(directory: string, files: Readonly<Record<string, string>>): string[] {
  const changed = Object.entries(files)
    .filter(([relative, text]) => {
      const target = path.join(directory, relative);
      return !existsSync(target) || readFileSync(target, 'utf8') !== text;
    })
    .map(([relative]) => relative);
  const extra = ownedFiles(directory).filter((relative) => !(relative in files));
  return [...changed, ...extra].sort();
}

export function main(args: readonly string[] = process.argv.slice(2)): number {
  const options = parseArguments(args);
  const selected = selectionOfTool(process.env);
  process.stderr.write(`${describeSelection(selected)}\n`);
  const loaded = loadConfigOrReport(selected.file);
  if (loaded === undefined) return 1;
  if (options.stacks) {
    const written = writeStacksAsHcl(options.out ?? DEFAULT_STACKS_HCL_DIRECTORY, stacksAsHcl(loaded.config));
    process.stdout.write(`${written.map((file) => path.relative(process.cwd(), file)).join('\n')}\n`);
    return 0;
  }
  const directory = options.out ?? DEFAULT_EXPORT_DIRECTORY;
  const files = terraformExportFiles(loaded.config, path.basename(loaded.file));
  if (options.check) {
    const stale = staleFiles(directory, files);
    if (stale.length === 0) return 0;
    process.stderr.write(`${directory} is stale (${stale.join(', ')}): run npm run export:terraform\n`);
    return 1;
  }
  writeTerraformExport(directory, files);
  process.stdout.write(`wrote ${Object.keys(files).length} files to ${directory}/ from ${loaded.file}\n`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
