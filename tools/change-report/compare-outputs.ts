/**
 * A preview of what a new synthesis changes, compared with the previous one
 * in the output folder: whole stacks (dropped or renamed), repositories and
 * in which registries, keys, registry policies and replication rules. Pure:
 * two summarized outputs in, typed findings out.
 *
 * It never refuses a synthesis: it compares files of this machine, which a
 * fresh clone or a CI runner does not have, and configs that were never
 * deployed. What is deployed is protected at deploy time by the plan check
 * (tools/plan-check/), which reads each stack's plan against its state.
 * Findings that the plan check would refuse are marked `atRisk`.
 */
import { instanceAddress, ResourceBlock, StackSummary, SynthesizedOutput } from './synthesized-output';

/** Folder, inside the output folder, that keeps the last synthesis of each dropped stack. */
export const RETIRED_DIRECTORY = 'retired';

/** Attributes whose change makes Terraform replace the resource (hashicorp/aws 5.100.0, ForceNew). */
export const REPLACING_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_kms_key: ['customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id'],
  aws_kms_alias: ['name', 'name_prefix'],
  aws_ecr_repository: ['name', 'encryption_configuration'],
  aws_ecr_repository_creation_template: ['prefix'],
  aws_ecr_lifecycle_policy: ['repository'],
  aws_ecr_repository_policy: ['repository'],
  aws_iam_role: ['name', 'name_prefix', 'path'],
  aws_iam_role_policy: ['name', 'name_prefix', 'role'],
};

/** Resource types whose loss loses data: the plan check refuses it at deploy unless accepted. */
const PRECIOUS_TYPES = new Set(['aws_kms_key', 'aws_ecr_repository']);

export interface RegistryRef {
  readonly stack: string;
  readonly registry: string;
}

export type ChangeFinding =
  | {
      readonly kind: 'stack-dropped';
      readonly stack: string;
      readonly role: StackSummary['role'];
      readonly registry: string;
      readonly repositories: readonly string[];
      readonly keysPreventDestroy: boolean;
    }
  | {
      readonly kind: 'stack-renamed';
      readonly from: string;
      readonly to: string;
      readonly role: StackSummary['role'];
      readonly registry: string;
      /** Commands that move the state from the old stack's key or workspace to the new one. */
      readonly migration: readonly string[];
    }
  | { readonly kind: 'repository-deleted'; readonly repository: string; readonly registries: readonly RegistryRef[]; readonly confirmed: boolean }
  | { readonly kind: 'repository-retained'; readonly repository: string; readonly registries: readonly RegistryRef[] }
  | { readonly kind: 'resource-deleted'; readonly stack: string; readonly address: string }
  | { readonly kind: 'resource-replaced'; readonly stack: string; readonly address: string; readonly attributes: readonly string[] }
  | { readonly kind: 'replication-narrowed'; readonly stack: string; readonly destinations: readonly string[]; readonly filters: readonly string[] }
  | { readonly kind: 'key-protection-off'; readonly stack: string };

export interface ChangeReport {
  readonly findings: readonly ChangeFinding[];
  /** Commands that retire the dropped stacks, in order (sources first). */
  readonly retirementSteps: readonly string[];
}

/** Whether the change loses data or state where it was deployed: the plan check refuses it at deploy unless accepted. */
export function atRisk(finding: ChangeFinding): boolean {
  switch (finding.kind) {
    case 'stack-dropped':
    case 'stack-renamed':
      return true;
    case 'repository-deleted':
      return !finding.confirmed;
    case 'resource-deleted':
    case 'resource-replaced':
      return PRECIOUS_TYPES.has(finding.address.split('.')[0]);
    default:
      return false;
  }
}

const registryOf = (stack: StackSummary): string => `${stack.accountId ?? '?'}/${stack.region ?? '?'}`;
const identity = (stack: StackSummary): string => `${stack.role} ${registryOf(stack)}`;

/** Where the state of a stack lives, from its backend block, relative to the project. */
function stateLocation(
  stack: StackSummary,
): { kind: 'local'; file: string } | { kind: 's3'; url: string; region?: string; endpoint?: string } | { kind: 'other'; what: string } {
  const backend = stack.backend ?? {};
  if (backend.local && typeof backend.local.path === 'string') return { kind: 'local', file: backend.local.path.replace(/^(\.\.\/){3}/, '') };
  if (backend.s3 && typeof backend.s3.bucket === 'string' && typeof backend.s3.key === 'string') {
    const endpoints = backend.s3.endpoints as { s3?: string } | undefined;
    return { kind: 's3', url: `s3://${backend.s3.bucket}/${backend.s3.key}`, region: backend.s3.region as string | undefined, endpoint: endpoints?.s3 };
  }
  const cloud = backend.cloud ?? backend.remote;
  const workspaces = cloud?.workspaces as { name?: string } | undefined;
  return { kind: 'other', what: workspaces?.name ? `HCP Terraform workspace ${workspaces.name}` : 'the backend' };
}

/** Commands that move a stack's state to the new stack name. */
export function stateMigration(from: StackSummary, to: StackSummary): string[] {
  const source = stateLocation(from);
  const target = stateLocation(to);
  if (source.kind === 'local' && target.kind === 'local') return [`mv ${source.file} ${target.file}`];
  if (source.kind === 's3' && target.kind === 's3') {
    const region = source.region ? ` --region ${source.region}` : '';
    const endpoint = source.endpoint ? ` --endpoint-url ${source.endpoint}` : '';
    return [`aws s3 mv ${source.url} ${target.url}${region}${endpoint}`];
  }
  if (source.kind === 'other' && target.kind === 'other')
    return [`rename ${source.what} to ${target.what.replace(/^HCP Terraform workspace /, '')} (Settings > General)`];
  return [
    `(cd cdktf.out/stacks/${from.name} && terraform init -input=false && terraform state pull > ../../../${from.name}.tfstate)`,
    `after the synthesis: (cd cdktf.out/stacks/${to.name} && terraform init -input=false && terraform state push ../../../${from.name}.tfstate)`,
  ];
}

function attributesOf(block: ResourceBlock): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(block)) if (name !== '//' && name !== 'for_each') attributes[name] = JSON.stringify(value);
  return attributes;
}

function compareStack(
  previous: StackSummary,
  staged: StackSummary,
  findings: ChangeFinding[],
  repositoryChanges: Map<string, Map<string, RegistryRef[]>>,
): void {
  for (const [address, block] of previous.resources) {
    const next = staged.resources.get(address);
    const type = address.split('.')[0];
    if (type === 'aws_ecr_repository') continue; // repositories are reported per name, across registries
    if (!next) {
      // A for_each resource left with only retained instances (e.g. the lifecycle policy of a retained repository) is kept in AWS.
      const keys = previous.instanceKeys.get(address) ?? [];
      const retained = keys.length > 0 && keys.every((key) => staged.removals.get(instanceAddress(address, key)) === 'retain');
      if (!retained) findings.push({ kind: 'resource-deleted', stack: staged.name, address });
      continue;
    }
    const before = attributesOf(block);
    const after = attributesOf(next);
    const changed = (REPLACING_ATTRIBUTES[type] ?? []).filter((attribute) => before[attribute] !== after[attribute]);
    if (changed.length > 0) {
      const keys = previous.instanceKeys.get(address) ?? [];
      if (keys.length === 0) findings.push({ kind: 'resource-replaced', stack: staged.name, address, attributes: changed });
      else
        for (const key of keys) findings.push({ kind: 'resource-replaced', stack: staged.name, address: instanceAddress(address, key), attributes: changed });
    }
  }
  // Repositories: gone from the for_each, retained or destroyed through `removed`, or replaced.
  const ref: RegistryRef = { stack: staged.name, registry: registryOf(staged) };
  const stagedNames = new Set(staged.repositories);
  for (const [address, block] of previous.resources) {
    if (!address.startsWith('aws_ecr_repository.')) continue;
    const next = staged.resources.get(address);
    const replaced = next
      ? REPLACING_ATTRIBUTES.aws_ecr_repository.filter((attribute) => attributesOf(block)[attribute] !== attributesOf(next)[attribute])
      : [];
    for (const key of previous.instanceKeys.get(address) ?? []) {
      const instance = instanceAddress(address, key);
      if (stagedNames.has(key)) {
        if (replaced.length > 0) findings.push({ kind: 'resource-replaced', stack: staged.name, address: instance, attributes: replaced });
        continue;
      }
      const removal = staged.removals.get(instance);
      const kind = removal === 'retain' ? 'retained' : removal === 'destroy' ? 'destroyed' : 'deleted';
      const byKind = repositoryChanges.get(key) ?? new Map<string, RegistryRef[]>();
      byKind.set(kind, [...(byKind.get(kind) ?? []), ref]);
      repositoryChanges.set(key, byKind);
    }
  }
  if (previous.keysPreventDestroy && !staged.keysPreventDestroy && [...staged.resources.keys()].some((address) => address.startsWith('aws_kms_key.'))) {
    findings.push({ kind: 'key-protection-off', stack: staged.name });
  }
  if (previous.role === 'source') {
    const destinationsAfter = new Set(staged.replicationRules.flatMap((rule) => rule.destinations));
    const filtersAfter = new Set(staged.replicationRules.flatMap((rule) => rule.filters));
    const destinations = [...new Set(previous.replicationRules.flatMap((rule) => rule.destinations))].filter((id) => !destinationsAfter.has(id)).sort();
    const filters = [...new Set(previous.replicationRules.flatMap((rule) => rule.filters))].filter((filter) => !filtersAfter.has(filter)).sort();
    if (destinations.length > 0 || filters.length > 0) findings.push({ kind: 'replication-narrowed', stack: staged.name, destinations, filters });
  }
}

/** Compares a staged output with the previous one (none: a first synthesis, nothing to compare). */
export function compareOutputs(previous: SynthesizedOutput | undefined, staged: SynthesizedOutput): ChangeReport {
  const findings: ChangeFinding[] = [];
  if (previous === undefined) return { findings, retirementSteps: [] };

  const repositoryChanges = new Map<string, Map<string, RegistryRef[]>>();
  const dropped: StackSummary[] = [];
  // Order of the report: whole stacks, then repositories, then what changes inside a stack.
  const stackFindings: ChangeFinding[] = [];
  for (const [name, before] of previous.stacks) {
    const after = staged.stacks.get(name);
    if (after) compareStack(before, after, stackFindings, repositoryChanges);
    else dropped.push(before);
  }
  const added = [...staged.stacks.values()].filter((stack) => !previous.stacks.has(stack.name));
  const retired: StackSummary[] = [];
  for (const stack of dropped) {
    const renamed = added.find((candidate) => identity(candidate) === identity(stack) && stack.accountId !== undefined);
    if (renamed) {
      findings.push({
        kind: 'stack-renamed',
        from: stack.name,
        to: renamed.name,
        role: stack.role,
        registry: registryOf(stack),
        migration: stateMigration(stack, renamed),
      });
    } else {
      retired.push(stack);
      findings.push({
        kind: 'stack-dropped',
        stack: stack.name,
        role: stack.role,
        registry: registryOf(stack),
        repositories: stack.repositories,
        keysPreventDestroy: stack.keysPreventDestroy,
      });
    }
  }
  for (const [repository, byKind] of [...repositoryChanges.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const deleted = byKind.get('deleted');
    const destroyed = byKind.get('destroyed');
    const kept = byKind.get('retained');
    if (deleted) findings.push({ kind: 'repository-deleted', repository, registries: deleted, confirmed: false });
    if (destroyed) findings.push({ kind: 'repository-deleted', repository, registries: destroyed, confirmed: true });
    if (kept) findings.push({ kind: 'repository-retained', repository, registries: kept });
  }
  findings.push(...stackFindings);
  return { findings, retirementSteps: retirementSteps(previous, staged, retired) };
}

/** Sources first: a source that replicated into a dropped destination is applied (or retired) before that destination is destroyed. */
function retirementSteps(previous: SynthesizedOutput, staged: SynthesizedOutput, retired: readonly StackSummary[]): string[] {
  if (retired.length === 0) return [];
  const retiredRegistries = new Set(retired.filter((stack) => stack.role === 'destination').map(registryOf));
  const sourcesToApply = [...staged.stacks.values()]
    .filter((stack) => stack.role === 'source')
    .filter((stack) => previous.stacks.get(stack.name)?.replicationRules.some((rule) => rule.destinations.some((id) => retiredRegistries.has(id))))
    .map((stack) => stack.name)
    .sort();
  const destroy = (stack: StackSummary) => `(cd cdktf.out/${RETIRED_DIRECTORY}/${stack.name} && terraform init -input=false && terraform destroy)`;
  const ordered = [...retired].sort((a, b) => (a.role === b.role ? (a.name < b.name ? -1 : 1) : a.role === 'source' ? -1 : 1));
  return [...sourcesToApply.map((name) => `npm run deploy -- ${name}`), ...ordered.map(destroy)];
}
