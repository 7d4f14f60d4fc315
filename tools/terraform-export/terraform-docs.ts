/**
 * The part of a module README that terraform-docs writes: Requirements,
 * Providers, Modules, Resources, Inputs and Outputs between
 * `<!-- BEGIN_TF_DOCS -->` and `<!-- END_TF_DOCS -->`, byte for byte as
 * `terraform-docs markdown table --output-file README.md .` (v0.24, default
 * settings, `lockfile: false` so a local `.terraform.lock.hcl` does not change
 * the Providers table) injects it. A team that runs terraform-docs in its
 * pipeline (`--output-check`, or the pre-commit hook) finds nothing to change.
 *
 * terraform-docs reads the module's files; the export knows the same facts
 * from the module definition: the type as written in variables.tf, the default
 * as JSON (terraform-docs prints defaults as indented JSON with sorted keys),
 * the resources and the requirements. Its Markdown rules are followed for what
 * the modules use: `_` and `|` escaped outside code spans, multi-line values
 * as `<pre>` blocks with `<br/>`. Text that would need its other rules
 * (emphasis with `_`, URLs, line breaks) is refused, so the output never
 * guesses.
 */

import { withSortedKeys } from '../sorted-json';

export const BEGIN_TF_DOCS = '<!-- BEGIN_TF_DOCS -->';
export const END_TF_DOCS = '<!-- END_TF_DOCS -->';

/** What terraform-docs reads from a module's files. */
export interface DocsModule {
  /** `terraform.required_version`. */
  readonly requiredVersion: string;
  /** `required_providers`, by local name: source and version constraint (none for a built-in provider). */
  readonly requiredProviders: Readonly<Record<string, { readonly source: string; readonly version?: string }>>;
  /** Resources and data sources by type and name. */
  readonly resources: readonly { readonly mode: 'managed' | 'data'; readonly type: string; readonly name: string }[];
  readonly moduleCalls: readonly { readonly name: string; readonly source: string }[];
  readonly inputs: readonly DocsInput[];
  readonly outputs: readonly { readonly name: string; readonly description: string }[];
}

export interface DocsInput {
  readonly name: string;
  readonly description: string;
  /** The type expression as written in variables.tf (later lines keep the file's indentation). */
  readonly type: string;
  /** The default as a JSON value; `undefined` when the variable has no default (required). */
  readonly default?: unknown;
}

/** Emphasis with `_` (which terraform-docs leaves unescaped) and URLs (which it unescapes). */
const UNSUPPORTED_TEXT = [/^\s*_+\s/, /\s_+[^\s_].*[^\s_]_+\s/, /:\/\//, /\n/];

function byName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
}

/** terraform-docs' escape of the text outside code spans: `|` and `_` get a backslash. */
function escapeOutsideCode(text: string): string {
  return text
    .split('`')
    .map((segment, index) => {
      if (index % 2 === 1) return segment;
      if (UNSUPPORTED_TEXT.some((pattern) => pattern.test(segment))) {
        throw new Error(`terraform-docs would read "${segment}" with rules the export does not follow (emphasis, URL, line break): rephrase it`);
      }
      return segment.replace(/\|/g, '\\|').replace(/_/g, '\\_');
    })
    .join('`');
}

/** A description cell: trimmed, escaped; empty is `n/a`. */
function textCell(text: string): string {
  if (text === '') return 'n/a';
  if ((text.match(/`/g) ?? []).length % 2 === 1) throw new Error(`unbalanced code span in "${text}"`);
  return escapeOutsideCode(text.trim());
}

/** A type or default cell: one line in a code span, several in a `<pre>` block with `<br/>` line breaks. */
function codeCell(code: string): string {
  if (!code.includes('\n')) return `\`${code}\``;
  return `<pre>${code.trim().split('\n').join('<br/>')}</pre>`;
}

/** A default as terraform-docs prints it: JSON indented by two spaces, object keys sorted (Go's encoder). */
export function defaultJson(value: unknown): string {
  return JSON.stringify(withSortedKeys(value), null, 2);
}

function anchor(kind: string, name: string): string {
  const escaped = (text: string): string => text.replace(/_/g, '\\_');
  return `<a name="${kind}_${name}"></a> [${escaped(name)}](#${escaped(`${kind}_${name}`)})`;
}

function section(title: string, header: string, separator: string, rows: readonly string[], empty: string): string {
  return rows.length === 0 ? `## ${title}\n\n${empty}` : `## ${title}\n\n${header}\n${separator}\n${rows.join('\n')}`;
}

/** The version terraform-docs puts into a registry link: a constraint it cannot read as one version gives `latest`. */
function linkVersion(constraint: string | undefined): string {
  if (constraint === undefined) return '';
  const parts = constraint.split(' ');
  if (parts.length === 1) return /^\d/.test(parts[0]) ? parts[0] : parts[0].startsWith('=') ? parts[0].slice(1) : 'latest';
  return parts.length === 2 && parts[0] === '=' ? parts[1] : 'latest';
}

function providerOf(type: string): string {
  return type.split('_')[0];
}

function resourceRow(resource: DocsModule['resources'][number], module: DocsModule): string {
  const provider = providerOf(resource.type);
  const requirement = module.requiredProviders[provider];
  const source = requirement?.source ?? `hashicorp/${provider}`;
  const spec = `${resource.type}.${resource.name}`;
  const mode = resource.mode === 'managed' ? 'resource' : 'data source';
  if (source.split('/').length > 2) return `| ${spec} | ${mode} |`;
  const [namespace, name] = source.split('/');
  const kind = resource.mode === 'managed' ? 'resources' : 'data-sources';
  const url = `https://registry.terraform.io/providers/${namespace}/${name}/${linkVersion(requirement?.version)}/docs/${kind}/${resource.type.slice(provider.length + 1)}`;
  return `| [${spec}](${url}) | ${mode} |`;
}

/** The content terraform-docs injects between the markers (without them). */
export function terraformDocsContent(module: DocsModule): string {
  const providerNames = Object.keys(module.requiredProviders).sort();
  const requirements = [
    `| ${anchor('requirement', 'terraform')} | ${module.requiredVersion} |`,
    ...providerNames
      .filter((name) => module.requiredProviders[name].version !== undefined)
      .map((name) => `| ${anchor('requirement', name)} | ${module.requiredProviders[name].version} |`),
  ];
  const used = [...new Set(module.resources.map((resource) => providerOf(resource.type)))].sort();
  const providers = used.map((name) => `| ${anchor('provider', name)} | ${module.requiredProviders[name]?.version ?? 'n/a'} |`);
  const modules = byName(module.moduleCalls).map((call) => {
    const at = call.source.lastIndexOf('?ref=');
    const [source, version] = at < 0 ? [call.source, 'n/a'] : [call.source.slice(0, at), call.source.slice(at + '?ref='.length)];
    return `| ${anchor('module', call.name)} | ${source} | ${version} |`;
  });
  const spec = (resource: DocsModule['resources'][number]): string => `${resource.type}.${resource.name}`;
  const resources = [...module.resources]
    .sort((left, right) => (left.mode !== right.mode ? (left.mode > right.mode ? -1 : 1) : spec(left) < spec(right) ? -1 : spec(left) > spec(right) ? 1 : 0))
    .map((resource) => resourceRow(resource, module));
  const inputs = byName(module.inputs).map(
    (input) =>
      `| ${anchor('input', input.name)} | ${textCell(input.description)} | ${codeCell(input.type)} | ${
        input.default === undefined ? 'n/a' : codeCell(defaultJson(input.default))
      } | ${input.default === undefined ? 'yes' : 'no'} |`,
  );
  const outputs = byName(module.outputs).map((output) => `| ${anchor('output', output.name)} | ${textCell(output.description)} |`);
  return [
    section('Requirements', '| Name | Version |', '| ---- | ------- |', requirements, 'No requirements.'),
    section('Providers', '| Name | Version |', '| ---- | ------- |', providers, 'No providers.'),
    section('Modules', '| Name | Source | Version |', '| ---- | ------ | ------- |', modules, 'No modules.'),
    section('Resources', '| Name | Type |', '| ---- | ---- |', resources, 'No resources.'),
    section('Inputs', '| Name | Description | Type | Default | Required |', '| ---- | ----------- | ---- | ------- | :------: |', inputs, 'No inputs.'),
    section('Outputs', '| Name | Description |', '| ---- | ----------- |', outputs, 'No outputs.'),
  ].join('\n\n');
}

/** The block terraform-docs injects into README.md, markers included. */
export function terraformDocsBlock(module: DocsModule): string {
  return `${BEGIN_TF_DOCS}\n${terraformDocsContent(module)}\n${END_TF_DOCS}`;
}

/**
 * terraform-docs' settings, next to each README: terraform-docs reads
 * `.terraform-docs.yml` from the folder it documents. No `output` section:
 * the file and mode are given on the command line (or by the pre-commit hook,
 * which injects what terraform-docs prints).
 */
export const TERRAFORM_DOCS_CONFIG = [
  '# terraform-docs settings of this folder, generated by npm run export:terraform like the README it checks:',
  '#   terraform-docs markdown table --output-file README.md --output-check .',
  'formatter: markdown table',
  '',
  'settings:',
  '  # The Providers table shows the constraint of versions.tf, not the version of a local .terraform.lock.hcl.',
  '  lockfile: false',
  '',
].join('\n');
