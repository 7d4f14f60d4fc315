/**
 * `terraform validate` of many stack folders in one terraform run.
 *
 * Each `terraform validate` pays for loading the provider schema (seconds for
 * hashicorp/aws), whatever the size of the configuration. Here a generated
 * root module calls every stack folder as a child module, so one run validates
 * them all. Terraform validates child module bodies exactly like a root
 * module's: resources, data sources (terraform_remote_state `config` is checked
 * against its backend's schema), provider blocks (a stack keeps its own aliased
 * provider configuration, which a child module may), outputs, expressions.
 * The one block Terraform ignores in a child module is `terraform.backend`/
 * `terraform.cloud`, with the warning "Backend configuration ignored" - and
 * `terraform validate` of a root module does not check that block either
 * (backends are configured by `terraform init`), so nothing is validated less.
 *
 * Every diagnostic is attributed to the module whose folder holds the file it
 * points at.
 */
import { withSortedKeys } from '../tools/sorted-json';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareDirectory, requiredProviders, terraformAsync, TerraformResult, TerraformRunOptions } from './terraform';

/** A stack folder to validate, and the module name it gets in the generated root. */
export interface ModuleToValidate {
  /** A Terraform identifier: a letter, then letters, digits, `_` or `-`. */
  readonly name: string;
  readonly directory: string;
  /** Values of the module's input variables, as the module block's arguments. @default - none: every variable keeps its default */
  readonly inputs?: Readonly<Record<string, unknown>>;
}

export interface ValidationDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail: string;
  /** The file it points at, relative to the module folder. */
  readonly file?: string;
}

export interface BatchValidation {
  /** The `terraform validate -json` run. */
  readonly result: TerraformResult;
  /** `valid` of the report: no error anywhere. */
  readonly valid: boolean;
  /** Diagnostics by module name (every module has an entry); those no module owns are under `''`. */
  readonly diagnostics: ReadonlyMap<string, readonly ValidationDiagnostic[]>;
}

/** The diagnostic Terraform gives for a backend or cloud block of a child module. */
export const BACKEND_IGNORED = 'Backend configuration ignored';

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_-]*$/;

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(withSortedKeys(left)) === JSON.stringify(withSortedKeys(right));
}

/** A module source for `directory` as seen from `root` (local sources start with ./ or ../). */
function moduleSource(root: string, directory: string): string {
  const relative = path.relative(root, directory).split(path.sep).join('/');
  return relative.startsWith('../') ? relative : `./${relative}`;
}

/**
 * Validates every folder as a child module of one generated root, in one
 * `terraform validate` (plus a `terraform get`, which only records the local
 * module paths). The folders need no init of their own. `options.env` is
 * passed to terraform (e.g. a ProviderServer's environment).
 */
export async function validateAsModules(
  modules: readonly ModuleToValidate[],
  options: TerraformRunOptions & { readonly parentDirectory?: string } = {},
): Promise<BatchValidation> {
  if (modules.length === 0) throw new Error('validateAsModules: no module to validate');
  const names = new Set<string>();
  for (const { name } of modules) {
    if (!IDENTIFIER.test(name)) throw new Error(`validateAsModules: "${name}" is not a Terraform identifier`);
    if (names.has(name)) throw new Error(`validateAsModules: module name "${name}" is given twice`);
    names.add(name);
  }
  const providers = requiredProviders(modules[0].directory);
  for (const { directory } of modules.slice(1)) {
    if (!sameJson(requiredProviders(directory), providers))
      throw new Error(`validateAsModules: ${directory} requires other providers than ${modules[0].directory}; validate them in separate batches`);
  }

  const root = mkdtempSync(path.join(options.parentDirectory ?? os.tmpdir(), 'tf-validate-batch-'));
  try {
    const main = {
      terraform: { required_providers: providers },
      module: Object.fromEntries(modules.map(({ name, directory, inputs }) => [name, { source: moduleSource(root, directory), ...inputs }])),
    };
    writeFileSync(path.join(root, 'main.tf.json'), `${JSON.stringify(main, null, 2)}\n`);
    prepareDirectory(root, providers);
    const get = await terraformAsync(['get', '-no-color'], root, options);
    if (get.code !== 0) throw new Error(`terraform get failed in ${root}:\n${get.stderr}${get.stdout}`);
    const result = await terraformAsync(['validate', '-json', '-no-color'], root, options);
    let report: { valid: boolean; diagnostics: { severity: 'error' | 'warning'; summary: string; detail?: string; range?: { filename: string } }[] };
    try {
      report = JSON.parse(result.stdout);
    } catch (error) {
      throw new Error(`terraform validate gave no JSON report (exit ${result.code}):\n${result.stderr}${result.stdout}`, { cause: error });
    }
    const diagnostics = new Map<string, ValidationDiagnostic[]>([...modules.map(({ name }): [string, ValidationDiagnostic[]] => [name, []]), ['', []]]);
    for (const diagnostic of report.diagnostics) {
      const file = diagnostic.range ? path.resolve(root, diagnostic.range.filename) : undefined;
      const owner = file ? modules.find(({ directory }) => file.startsWith(`${path.resolve(directory)}${path.sep}`)) : undefined;
      diagnostics.get(owner?.name ?? '')!.push({
        severity: diagnostic.severity,
        summary: diagnostic.summary,
        detail: diagnostic.detail ?? '',
        ...(file ? { file: owner ? path.relative(owner.directory, file) : file } : {}),
      });
    }
    return { result, valid: report.valid, diagnostics };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
