/**
 * The Terraform export: one module per construct (modules/<name>/), an
 * example per module (examples/<name>/), and the root composition of a config
 * (the folder itself), as a map of relative path -> text. Pure: same config,
 * same bytes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Config } from '../../config/schema';
import { compositionFiles, compositionSummary } from './composition';
import { AWS_PROVIDER_CONSTRAINT, GENERATED_HEADER, ModuleDefinition, moduleFiles, REQUIRED_TERRAFORM_VERSION } from './module-definition';
import { projectRelease, Release } from './release';
import { completeExampleFiles } from './complete-example';
import { PROJECT_ROOT } from '../terraform-cli';
import { ENCRYPTED_REPOSITORIES_MODULE } from './modules/encrypted-repositories';
import { KMS_KEY_MODULE } from './modules/kms-key';
import { REPLICATION_CONFIGURATION_MODULE } from './modules/replication-configuration';
import { REPLICATION_REGISTRY_POLICY_MODULE } from './modules/replication-registry-policy';
import { REGISTRY_SCANNING_MODULE } from './modules/registry-scanning';
import { REPOSITORY_CREATION_TEMPLATES_MODULE } from './modules/repository-creation-templates';

/** Every module, one per construct. */
export const TERRAFORM_MODULES: readonly ModuleDefinition[] = [
  KMS_KEY_MODULE,
  ENCRYPTED_REPOSITORIES_MODULE,
  REPLICATION_REGISTRY_POLICY_MODULE,
  REPLICATION_CONFIGURATION_MODULE,
  REPOSITORY_CREATION_TEMPLATES_MODULE,
  REGISTRY_SCANNING_MODULE,
];

/** The default export folder, relative to the project. */
export const DEFAULT_EXPORT_DIRECTORY = 'terraform';

/**
 * Folders and root files the export owns: cleared before writing, so no stale
 * file survives a re-export. Only the kinds of file the export writes; never
 * what Terraform or a team leaves there (state, lock files, `.terraform/`,
 * their own `*.tfvars`), which a re-export must not delete.
 */
const OWNED_FOLDERS = ['modules', 'examples'];
const OWNED_ROOT_FILE = /^(?:[^/]+\.tf|README\.md|\.gitignore|\.pre-commit-config\.yaml)$/;
const OWNED_FILE = /(?:\.tf|\.tftest\.hcl|\.md|\.terraform-docs\.yml|\.tfvars\.example)$/;

function overviewReadme(config: Config, configName: string): string {
  const summary = compositionSummary(config);
  return [
    '# Terraform modules and root composition',
    '',
    `<!-- ${GENERATED_HEADER} -->`,
    '',
    "Plain Terraform for teams that do not run CDKTF: one module per construct of the library, generated from the same TypeScript (policies, limits, name patterns and validation rules are the library's), and the root composition of the config, ready for `terraform init && terraform apply`. No Node.js needed to use it.",
    '',
    '```sh',
    'terraform init && terraform validate      # the root composition (this folder)',
    "terraform plan                            # needs credentials that may assume each account's deployment role",
    "(cd modules/kms-key && terraform init && terraform test)   # a module's own tests, offline (mock provider)",
    '```',
    '',
    `## Root composition (from \`${configName}\`)`,
    '',
    '`providers.tf` has one aliased `aws` provider per account x region (assume role, `allowed_account_ids`, default tags), `versions.tf` the backend of the config (one state, `' +
      "composition`), `main.tf` one module call per registry and concern. The replication configuration takes each destination's repositories and key through references and waits for its registry policy and creation templates (`depends_on`), so one `terraform apply` creates the destinations first and the plan stops if a destination repository is not KMS-encrypted with its key.",
    '',
    '| registry (CDKTF stack of the same registry) | role | module calls |',
    '|---|---|---|',
    ...summary.registries.map((registry) => `| ${registry.stackName} | ${registry.role} | \`module.${registry.prefix}_*\` |`),
    '',
    '## Modules',
    '',
    '| module | what |',
    '|---|---|',
    ...TERRAFORM_MODULES.map((definition) => `| [${definition.name}](modules/${definition.name}/README.md) | ${definition.title} |`),
    '',
    `Requirements: Terraform \`${REQUIRED_TERRAFORM_VERSION}\`, hashicorp/aws \`${AWS_PROVIDER_CONSTRAINT}\` (tested with 5.100.0). Each module takes one \`aws\` provider (the registry it manages); pass it with \`providers = { aws = aws.<alias> }\`. Examples: \`examples/<module>/\`.`,
    '',
    'Compliance settings of the config, as the CDKTF stacks apply them: each registry gets one `registry-scanning` call (`scanning`; a registry in both roles from its destination call), and `defaultLifecyclePolicy` is the lifecycle policy of every repository without one of its own and of every creation template.',
    '',
    'Regenerate with `npm run export:terraform` (or `ECR_REPLICATION_CONFIG=path npm run export:terraform -- --out dir` for another config); a test fails when this folder is stale.',
    '',
  ].join('\n');
}

/** Every file of the export, by path relative to the export folder (sorted). */
export function terraformExportFiles(config: Config, configName: string, release: Release = projectRelease(PROJECT_ROOT)): Record<string, string> {
  const files: Record<string, string> = { ...compositionFiles(config, configName), 'README.md': overviewReadme(config, configName) };
  for (const definition of TERRAFORM_MODULES) Object.assign(files, moduleFiles(definition, release));
  Object.assign(files, completeExampleFiles(release));
  return Object.fromEntries(Object.entries(files).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)));
}

/** Files the export owns in a folder, relative to it (what a re-export replaces). */
export function ownedFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  const walk = (relative: string): string[] =>
    readdirSync(path.join(directory, relative), { withFileTypes: true }).flatMap((entry) => {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.name === '.terraform') return [];
      if (entry.isDirectory()) return walk(child);
      return OWNED_FILE.test(entry.name) ? [child] : [];
    });
  return [
    ...readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isFile() && OWNED_ROOT_FILE.test(entry.name))
      .map((entry) => entry.name),
    ...OWNED_FOLDERS.filter((folder) => existsSync(path.join(directory, folder))).flatMap((folder) => walk(folder)),
  ].sort();
}

/** Writes the export into `directory`, removing owned files the new export does not have. */
export function writeTerraformExport(directory: string, files: Readonly<Record<string, string>>): void {
  for (const stale of ownedFiles(directory)) if (!(stale in files)) rmSync(path.join(directory, stale));
  for (const [relative, text] of Object.entries(files)) {
    const target = path.join(directory, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
  }
}
