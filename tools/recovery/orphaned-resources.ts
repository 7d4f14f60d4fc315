/**
 * The read-only report of `npm run recover -- <stack>`: after an interrupted
 * apply (SIGKILL, a lost CI runner), what the stack's account and region hold
 * that its state does not record, and what `npm run deploy` will do about it
 * (adoption.ts, the same decision the deploy engine's `adopt` hook takes):
 * adopt it with import blocks, refuse (another state owns it, or nothing says
 * this project created it), and schedule the deletion of duplicate keys this
 * stack created that nothing uses. Keys are read even when the state records
 * one, so that duplicates of a recorded key (recorded in no state, used by
 * nothing) are listed with the command that deletes them.
 *
 * Nothing is written: not AWS, not the state, not the stack folder. Deploy
 * adopts by itself; this report says what it will do before it does.
 */
import { ImportTarget } from './deploy-hooks';
import { RegistryClients } from './aws-session';
import { inventoryQuery, KeyDeletion, keyDeletionCommand, planAdoption, recordedKeyIds, unrecordedInstances } from './adoption';
import { readInventory } from './registry-inventory';
import { registryWhere, StackResources } from './stack-resources';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- `terraform show -json`, walked defensively
type Json = any;

/** Instance addresses a state records (`terraform show -json`; an empty state has no `values`). */
export function recordedAddresses(showJson: Json): Set<string> {
  const resources: Json[] = showJson?.values?.root_module?.resources ?? [];
  return new Set(resources.filter((resource) => resource.mode === 'managed').map((resource) => String(resource.address)));
}

export interface RecoveryReport {
  readonly resources: StackResources;
  /** What deploy will import. */
  readonly imports: readonly ImportTarget[];
  /** Why deploy will refuse the stack. */
  readonly refusals: readonly string[];
  readonly notes: readonly string[];
  /** Duplicate keys nothing uses; `byDeploy`: deploy schedules their deletion itself (it creates, so adopts, that key). */
  readonly orphanedKeys: readonly (KeyDeletion & { readonly byDeploy: boolean })[];
}

/** Reads AWS for a stack and its state, and decides as deploy would. */
export async function recoveryReport(resources: StackResources, state: Json, clients: RegistryClients): Promise<RecoveryReport> {
  const creates = unrecordedInstances(resources, recordedAddresses(state));
  const inventory = await readInventory(inventoryQuery(resources, creates, true), clients);
  const plan = planAdoption(resources, creates, inventory, recordedKeyIds(state));
  const creating = new Set(creates.map((create) => create.address));
  return {
    resources,
    imports: plan.imports,
    refusals: plan.refusals,
    notes: plan.notes,
    orphanedKeys: plan.keysToDelete.map((deletion) => ({ ...deletion, byDeploy: creating.has(deletion.address) && plan.refusals.length === 0 })),
  };
}

/** The report as lines. */
export function formatRecoveryReport(report: RecoveryReport): string[] {
  const { resources } = report;
  const where = registryWhere(resources);
  if (report.imports.length === 0 && report.refusals.length === 0 && report.notes.length === 0 && report.orphanedKeys.length === 0) {
    return [`${resources.stackName}: nothing in ${where} is missing from the state; nothing to recover`];
  }
  const lines = [`${resources.stackName}: what ${where} holds that the state does not record (read-only: nothing was changed)`];
  if (report.imports.length > 0) {
    lines.push(`  npm run deploy adopts (import blocks it writes and applies itself):`);
    for (const block of report.imports) lines.push(`    ${block.to} = ${JSON.stringify(block.id)}`);
  }
  for (const refusal of report.refusals) lines.push(`  npm run deploy refuses the stack: ${refusal}`);
  const byDeploy = report.orphanedKeys.filter((key) => key.byDeploy);
  const byHand = report.orphanedKeys.filter((key) => !key.byDeploy);
  if (byDeploy.length > 0) {
    lines.push(`  duplicate keys created for this stack, recorded in no state and used by nothing: npm run deploy schedules their deletion:`);
    for (const deletion of byDeploy) lines.push(`    ${deletion.key.arn} (${deletion.address}, pending window ${deletion.pendingWindowInDays} days)`);
  }
  if (byHand.length > 0) {
    lines.push(`  duplicate keys created for this stack, recorded in no state and used by nothing (the state records another): schedule their deletion:`);
    for (const deletion of byHand) lines.push(`    ${keyDeletionCommand(resources, deletion)}`);
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return lines;
}
