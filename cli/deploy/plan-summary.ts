/**
 * What the engine needs to know of a plan to order it: its counts, whether it
 * deletes a repository (and then which of its changes can go first), whether
 * instances move, and whether it creates resources an interrupted apply may
 * have left behind (the adoption hook's cue).
 */
import { PlanResourceChange, TerraformPlanJson } from '../../tools/plan-check/plan-json';
import { lostGrants, policyGrants } from '../../tools/plan-check/policy-grants';
import { ADOPTABLE_TYPES as ADOPTABLE } from '../../tools/recovery/stack-resources';

/** Types whose creation asks the adoption hook first (deploy-hooks.ts): the ones the hook adopts (tools/recovery/). */
export const ADOPTABLE_TYPES: ReadonlySet<string> = new Set<string>(ADOPTABLE);

export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly import: number;
  readonly forget: number;
  /** True when output values change (a plan with only those still needs an apply). */
  readonly outputs: boolean;
  /**
   * The plan removes what a source may still use: it deletes (or replaces) an `aws_ecr_repository`, or narrows
   * the registry policy. In a stack others depend on, that waits until they have been applied.
   */
  readonly removes: boolean;
  /** Instances move (`moved` blocks) in this plan. */
  readonly moves: boolean;
  /** Addresses created or updated in place (but a narrowing registry policy): what a plan that must wait with its removals applies first (`-target`). */
  readonly additionTargets: readonly string[];
  /** `<address> <actions>` of every change: what an approval covers. */
  readonly changes: readonly string[];
  /** The plan creates a type of ADOPTABLE_TYPES (not by import). */
  readonly createsAdoptable: boolean;
}

export const NO_CHANGES: PlanSummary = {
  add: 0,
  change: 0,
  destroy: 0,
  import: 0,
  forget: 0,
  outputs: false,
  removes: false,
  moves: false,
  additionTargets: [],
  changes: [],
  createsAdoptable: false,
};

const managed = (change: PlanResourceChange): boolean => change.mode !== 'data';

/** A registry-policy update that stops granting something a source may still use. */
function narrowsRegistryPolicy(change: PlanResourceChange): boolean {
  if (change.type !== 'aws_ecr_registry_policy' || !change.change.actions.includes('update')) return false;
  const before = (change.change.before as { policy?: unknown } | null)?.policy;
  const after = (change.change.after as { policy?: unknown } | null)?.policy;
  return lostGrants(policyGrants(before), policyGrants(after)).length > 0;
}

export function summarizePlan(plan: TerraformPlanJson): PlanSummary {
  const changes = (plan.resource_changes ?? []).filter(managed);
  const has = (change: PlanResourceChange, action: string) => change.change.actions.includes(action as never);
  const changed = changes.filter((change) => !(change.change.actions.length === 1 && change.change.actions[0] === 'no-op') || change.change.importing);
  return {
    add: changes.filter((change) => has(change, 'create')).length,
    change: changes.filter((change) => has(change, 'update')).length,
    destroy: changes.filter((change) => has(change, 'delete')).length,
    import: changes.filter((change) => change.change.importing !== undefined).length,
    forget: changes.filter((change) => has(change, 'forget')).length,
    outputs: Object.values(plan.output_changes ?? {}).some((output) => !output.actions.every((action) => action === 'no-op')),
    removes: changes.some((change) => (change.type === 'aws_ecr_repository' && has(change, 'delete')) || narrowsRegistryPolicy(change)),
    moves: [...changes, ...(plan.resource_drift ?? [])].some((change) => change.previous_address !== undefined && change.previous_address !== change.address),
    additionTargets: changes
      .filter((change) => (has(change, 'create') || has(change, 'update')) && !has(change, 'delete') && !narrowsRegistryPolicy(change))
      .map((change) => change.address)
      .sort(),
    changes: changed.map((change) => `${change.address} ${change.change.actions.join(',')}${change.change.importing ? ' import' : ''}`).sort(),
    createsAdoptable: changes.some((change) => ADOPTABLE_TYPES.has(change.type) && has(change, 'create') && change.change.importing === undefined),
  };
}

/** `2 to add, 1 to change, 0 to destroy` (and imports, forgets when there are any). */
export function describeCounts(summary: PlanSummary, tense: 'plan' | 'applied' = 'plan'): string {
  const words =
    tense === 'plan'
      ? { add: 'to add', change: 'to change', destroy: 'to destroy', import: 'to import', forget: 'to forget' }
      : { add: 'added', change: 'changed', destroy: 'destroyed', import: 'imported', forget: 'forgotten' };
  const parts = [`${summary.add} ${words.add}`, `${summary.change} ${words.change}`, `${summary.destroy} ${words.destroy}`];
  if (summary.import > 0) parts.push(`${summary.import} ${words.import}`);
  if (summary.forget > 0) parts.push(`${summary.forget} ${words.forget}`);
  if (summary.add + summary.change + summary.destroy + summary.import + summary.forget === 0 && summary.outputs) parts.push('outputs only');
  return parts.join(', ');
}
