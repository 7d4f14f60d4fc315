/**
 * Retain retains what it needs: a destroy plan never deletes a key that a
 * repository staying in AWS still needs. For each key the plan deletes, ECR
 * is asked which repositories of the registry are encrypted with it; one
 * that stays (retained with `removal: retain`, created by another tool, or
 * one of this plan that holds images, which ECR refuses to delete) keeps the
 * key: the key and its aliases are removed from the state instead (left in
 * AWS, Enabled), and a note names the key ARN and the repositories that
 * need it. Scheduling the key's deletion would make their images unreadable
 * once the deletion window ends.
 */
import { PlanResourceChange, TerraformPlanJson } from '../plan-check/plan-json';
import { TeardownAnswer } from './deploy-hooks';
import { registryWhere, scheduleKeyDeletionCommand, StackResources } from './stack-resources';

/** A key the plan deletes. */
export interface DeletedKey {
  readonly address: string;
  readonly keyId: string;
  readonly arn: string;
}

export interface PlannedDeletions {
  readonly keys: readonly DeletedKey[];
  /** Aliases the plan deletes: address, name and the key id they target. */
  readonly aliases: readonly { readonly address: string; readonly name: string; readonly targetKeyId: string }[];
  /** Names of the repositories the plan deletes. */
  readonly repositories: ReadonlySet<string>;
}

const deletes = (change: PlanResourceChange) => (change.mode ?? 'managed') === 'managed' && change.change.actions.includes('delete');
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** What a (destroy) plan deletes among keys, aliases and repositories, from each change's `before`. */
export function plannedDeletions(plan: TerraformPlanJson): PlannedDeletions {
  const changes = (plan.resource_changes ?? []).filter(deletes);
  return {
    keys: changes
      .filter((change) => change.type === 'aws_kms_key')
      .map((change) => ({ address: change.address, keyId: text(change.change.before?.key_id), arn: text(change.change.before?.arn) }))
      .filter((key) => key.arn !== ''),
    aliases: changes
      .filter((change) => change.type === 'aws_kms_alias')
      .map((change) => ({ address: change.address, name: text(change.change.before?.name), targetKeyId: text(change.change.before?.target_key_id) })),
    repositories: new Set(changes.filter((change) => change.type === 'aws_ecr_repository').map((change) => text(change.change.before?.name))),
  };
}

/** A repository encrypted with a key the plan deletes. */
export interface KeyUser {
  readonly name: string;
  /** Whether it holds images (asked only for repositories the plan deletes). */
  readonly holdsImages: boolean;
}

/** Decides which keys to keep, given the repositories of the registry encrypted with each deleted key (by key ARN). */
export function planTeardown(resources: StackResources, deletions: PlannedDeletions, usersByKey: ReadonlyMap<string, readonly KeyUser[]>): TeardownAnswer {
  const keep: string[] = [];
  const notes: string[] = [];
  for (const key of deletions.keys) {
    const users = usersByKey.get(key.arn) ?? [];
    const staying = users.filter((user) => !deletions.repositories.has(user.name) || user.holdsImages);
    if (staying.length === 0) continue;
    const window = resources.keys.find((resource) => resource.address === key.address)?.deletionWindowInDays ?? 30;
    const aliases = deletions.aliases.filter((alias) => alias.targetKeyId === key.keyId || alias.targetKeyId === key.arn);
    keep.push(key.address, ...aliases.map((alias) => alias.address));
    const reasons = staying.map((user) =>
      deletions.repositories.has(user.name)
        ? `${user.name} (holds images: ECR refuses to delete it; empty it with aws ecr batch-delete-image, or retain it)`
        : `${user.name} (stays in AWS: retained, or not managed by this stack)`,
    );
    notes.push(
      `key ${key.arn} (${key.address}${aliases.length > 0 ? `, ${aliases.map((alias) => alias.name).join(', ')}` : ''}) is kept, ` +
        `not scheduled for deletion: it still encrypts ${reasons.join(', ')} in ${registryWhere(resources)}. It is removed from the state and stays Enabled; ` +
        `once nothing needs it: ${scheduleKeyDeletionCommand(resources, key.arn, window)}`,
    );
  }
  return { keep, refusals: [], notes };
}
