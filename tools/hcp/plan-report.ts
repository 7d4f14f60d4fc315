/**
 * The text of `npm run hcp -- plan` (and of `apply` before it writes): per
 * workspace, what would be created or changed, setting by setting; one line
 * for a workspace that already matches; the workspaces of this estate whose
 * stack left the config, with the steps to retire them; notes.
 */
import { tokenVariableName } from './credentials';
import { ESTATE_TAGS } from './desired-workspaces';
import { EstatePlan, hasChanges, RetiredWorkspace, WorkspaceChanges } from './workspace-plan';

const INDENT = '    ';

function quoted(value: string): string {
  return value === '' ? '""' : value;
}

function workspaceLines(changes: WorkspaceChanges): string[] {
  const { workspace } = changes;
  if (!hasChanges(changes)) return [`= ${workspace.name}: matches the config`];
  const lines = [changes.create ? `+ ${workspace.name}: create (stack ${workspace.stackName})` : `~ ${workspace.name}: update (stack ${workspace.stackName})`];
  if (changes.create) {
    for (const [field, value] of Object.entries(workspace.settings)) lines.push(`${INDENT}${field}: ${quoted(String(value))}`);
  }
  for (const change of changes.settings) lines.push(`${INDENT}~ ${change.field}: ${quoted(change.from)} -> ${quoted(change.to)}`);
  for (const tag of changes.tags)
    lines.push(tag.from === undefined ? `${INDENT}+ tag ${tag.key}=${tag.to}` : `${INDENT}~ tag ${tag.key}: ${tag.from} -> ${tag.to}`);
  for (const variable of changes.variables) {
    lines.push(
      variable.from === undefined
        ? `${INDENT}+ env ${variable.key} = ${variable.to}`
        : `${INDENT}~ env ${variable.key}: ${quoted(variable.from)} -> ${variable.to}`,
    );
  }
  for (const name of changes.consumersToAdd) lines.push(`${INDENT}+ remote state shared with ${name}`);
  for (const consumer of changes.consumersToRemove) lines.push(`${INDENT}- remote state no longer shared with ${consumer.name} (it does not read this stack)`);
  for (const source of changes.triggersToAdd) lines.push(`${INDENT}+ run trigger from ${source} (a run here after each apply there)`);
  for (const trigger of changes.triggersToRemove) lines.push(`${INDENT}- run trigger from ${trigger.source} (no longer a destination of this stack)`);
  return lines;
}

/** The retirement steps of a workspace whose stack left the config: resources first, then the workspace and its state. */
function retiredLines(workspace: RetiredWorkspace, address: string, hostname: string): string[] {
  const role = workspace.tags[ESTATE_TAGS.role] ?? 'stack';
  return [
    `! ${workspace.name}: a ${role} workspace of this estate whose stack ${workspace.stackName} is no longer in the config; it was not deleted. To retire it:`,
    `${INDENT}1. destroy its resources first: Settings > Destruction and Deletion > Queue destroy plan, or terraform destroy in cdktf.out/retired/${workspace.stackName} (see README, "Changing and retiring"); to keep them, keep the workspace`,
    `${INDENT}2. then delete the workspace and its state: Settings > Destruction and Deletion > Delete from HCP Terraform, or`,
    `${INDENT}   curl -X POST -H "Authorization: Bearer $${tokenVariableName(hostname)}" ${address}/api/v2/workspaces/${workspace.id}/actions/safe-delete`,
    `${INDENT}   (safe delete refuses while its state still manages resources)`,
  ];
}

/** The whole plan as lines; `address` is the API address the retirement command names. */
export function formatEstatePlan(plan: EstatePlan, address: string): string[] {
  const { desired } = plan;
  const where = `organization ${desired.organization}, ${desired.project === undefined ? "the organization's default project" : `project ${desired.project}`}`;
  const lines = [
    `HCP Terraform ${desired.hostname}, ${where}: ${desired.workspaces.length} workspaces of this config (prefix ${quoted(desired.workspacePrefix)})`,
  ];
  for (const changes of plan.workspaces) lines.push(...workspaceLines(changes));
  for (const workspace of plan.retired) lines.push(...retiredLines(workspace, address, desired.hostname));
  for (const changes of plan.workspaces) {
    if (changes.unreadableVariables.length > 0) {
      lines.push(
        `note: ${changes.workspace.name}: ${changes.unreadableVariables.join(', ')} ${changes.unreadableVariables.length === 1 ? 'is' : 'are'} sensitive, so ${changes.unreadableVariables.length === 1 ? 'its value' : 'their values'} cannot be compared and ${changes.unreadableVariables.length === 1 ? 'is' : 'are'} left as set; delete ${changes.unreadableVariables.length === 1 ? 'it' : 'them'} to let npm run hcp -- apply manage ${changes.unreadableVariables.length === 1 ? 'it' : 'them'}`,
      );
    }
    const leftOut = changes.workspace.runTriggersLeftOut;
    if (leftOut.length > 0) {
      lines.push(
        `note: ${changes.workspace.name} reads ${changes.workspace.runTriggerSources.length + leftOut.length} destinations, and HCP Terraform triggers a workspace from at most 20: applies of ${leftOut.join(', ')} do not queue it; queue a run of it after applying them`,
      );
    }
  }
  const changed = plan.workspaces.filter(hasChanges);
  const created = changed.filter((changes) => changes.create).length;
  lines.push(
    changed.length === 0
      ? `No changes: the ${plan.workspaces.length} workspaces match the config.${plan.retired.length > 0 ? ` ${plan.retired.length} workspace(s) to retire by hand (above).` : ''}`
      : `Plan: ${created} to create, ${changed.length - created} to update, ${plan.workspaces.length - changed.length} unchanged${plan.retired.length > 0 ? `, ${plan.retired.length} to retire by hand (above)` : ''}.`,
  );
  return lines;
}
