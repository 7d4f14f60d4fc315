/**
 * What deploy does with a resource its plan would create but AWS already
 * holds (pure: the plan's creates and what AWS holds in, the answer out).
 *
 * - Created by this stack (its `STACK_TAG`): an apply of this stack was
 *   interrupted before its state recorded the resource. It is adopted with an
 *   import block, so the apply converges instead of failing on "already
 *   exists" or creating a second key. Keys are found by the stack tag and
 *   their description (the registry key and each namespace key have their
 *   own); of several, the one the alias targets is adopted, else the one the
 *   repositories use, else the newest, and the others that nothing uses are
 *   scheduled for deletion: nothing stays Enabled that no state owns.
 * - Created by another stack: another state owns it (an account renamed
 *   without moving its state). Refused, with the state move.
 * - Without the tag: nothing says this project created it. Refused, naming
 *   it, with the fix (import it deliberately, or remove it).
 */
import { PlanResourceChange, TerraformPlanJson } from '../plan-check/plan-json';
import { instanceAddress, parseInstanceAddress, summarizeStack } from '../change-report/synthesized-output';
import { stateMigration } from '../change-report/compare-outputs';
import { describeFinding } from '../change-report/format-report';
import { STACK_TAG } from '../../stacks/resource-names';
import { ImportTarget } from './deploy-hooks';
import { ADOPTABLE_TYPES, AdoptableType, endpointFlag, registryWhere, scheduleKeyDeletionCommand, StackResources } from './stack-resources';
import { FoundKey, InventoryQuery, Provenance, provenanceOf, RegistryInventory } from './registry-inventory';

/** An instance the plan would create. */
export interface PlannedCreate {
  /** `aws_ecr_repository.repositories["web"]` */
  readonly address: string;
  readonly type: AdoptableType;
  /** `aws_ecr_repository.repositories` */
  readonly resource: string;
  /** The for_each key (repository name, template prefix). */
  readonly key?: string;
}

const isAdoptable = (type: string): type is AdoptableType => (ADOPTABLE_TYPES as readonly string[]).includes(type);

function createOf(address: string, type: string): PlannedCreate | undefined {
  if (!isAdoptable(type)) return undefined;
  const { resource, key } = parseInstanceAddress(address);
  return { address, type, resource, ...(key === undefined ? {} : { key }) };
}

/** Creates of the adoptable types in a plan: actions exactly ["create"], not already imported by an import block. */
export function plannedCreates(plan: TerraformPlanJson): PlannedCreate[] {
  return (plan.resource_changes ?? [])
    .filter((change: PlanResourceChange) => (change.mode ?? 'managed') === 'managed')
    .filter((change) => change.change.actions.length === 1 && change.change.actions[0] === 'create' && change.change.importing === undefined)
    .flatMap((change) => createOf(change.address, change.type) ?? []);
}

/** The stack's instances that a state (its instance addresses) does not record: what a plan would create. */
export function unrecordedInstances(resources: StackResources, recorded: ReadonlySet<string>): PlannedCreate[] {
  const instances: [string, string][] = [
    ...resources.keys.map((key): [string, string] => [key.address, 'aws_kms_key']),
    ...resources.aliases.map((alias): [string, string] => [alias.address, 'aws_kms_alias']),
    ...resources.repositories.flatMap((repository) =>
      repository.keys.map((key): [string, string] => [instanceAddress(repository.address, key), 'aws_ecr_repository']),
    ),
    ...resources.roles.map((role): [string, string] => [role.address, 'aws_iam_role']),
    ...resources.templates.flatMap((template) =>
      template.keys.map((key): [string, string] => [instanceAddress(template.address, key), 'aws_ecr_repository_creation_template']),
    ),
  ];
  return instances.filter(([address]) => !recorded.has(address)).flatMap(([address, type]) => createOf(address, type) ?? []);
}

/** Key ids a state records, by key address (from a plan's prior state or `terraform show -json`). */
export function recordedKeyIds(
  state: { readonly values?: { readonly root_module?: { readonly resources?: readonly unknown[] } } } | undefined,
): Map<string, string> {
  const resources = (state?.values?.root_module?.resources ?? []) as { address?: string; type?: string; mode?: string; values?: { key_id?: unknown } }[];
  return new Map(
    resources
      .filter((resource) => resource.type === 'aws_kms_key' && (resource.mode ?? 'managed') === 'managed' && typeof resource.values?.key_id === 'string')
      .map((resource) => [String(resource.address), String(resource.values?.key_id)]),
  );
}

/**
 * What AWS must be asked to decide on `creates`: the keys created (or, with `everyKey`, all of the stack's, to find
 * duplicates of recorded keys too), and with a key to decide on every template of the stack (a duplicate key is
 * deleted only when no template uses it).
 */
export function inventoryQuery(resources: StackResources, creates: readonly PlannedCreate[], everyKey = false): InventoryQuery {
  const creating = new Set(creates.map((create) => create.address));
  const keys = resources.keys.filter((key) => everyKey || creating.has(key.address));
  const keyed = (type: AdoptableType) => creates.filter((create) => create.type === type).map((create) => create.key ?? '');
  const templatePrefixes = keys.length > 0 ? resources.templates.flatMap((template) => template.keys) : keyed('aws_ecr_repository_creation_template');
  return {
    accountId: resources.target.accountId,
    keyDescriptions: keys.map((key) => key.description),
    aliasNames: resources.aliases.filter((alias) => creating.has(alias.address)).map((alias) => alias.name),
    repositoryNames: keyed('aws_ecr_repository'),
    roleNames: resources.roles.filter((role) => creating.has(role.address)).map((role) => role.name),
    templatePrefixes: [...new Set(templatePrefixes)].sort(),
  };
}

/** A key to schedule for deletion: created for this stack, recorded in no state, used by nothing. */
export interface KeyDeletion {
  readonly key: FoundKey;
  /** The key resource it was created for. */
  readonly address: string;
  readonly pendingWindowInDays: number;
}

export interface AdoptionPlan {
  readonly imports: readonly ImportTarget[];
  readonly refusals: readonly string[];
  readonly notes: readonly string[];
  readonly keysToDelete: readonly KeyDeletion[];
}

/** The state move of a stack renamed from `oldStack` to this one, in the backend in use (the change report's own text). */
export function renameRefusal(resources: StackResources, oldStack: string, found: readonly string[]): string {
  // The old stack's backend is this stack's with the old name: every backend names its state after the stack.
  const backendJson = JSON.parse(
    JSON.stringify(resources.backend ?? {})
      .split(resources.stackName)
      .join(oldStack),
  ) as unknown;
  const summary = (name: string, backend: unknown) =>
    summarizeStack(name, {
      terraform: { backend },
      provider: { aws: [{ allowed_account_ids: [resources.target.accountId], region: resources.target.region }] },
    });
  const migration = stateMigration(summary(oldStack, backendJson), summary(resources.stackName, resources.backend));
  const finding = describeFinding({
    kind: 'stack-renamed',
    from: oldStack,
    to: resources.stackName,
    role: resources.role,
    registry: `${resources.target.accountId}/${resources.target.region}`,
    migration,
  });
  const [exist, them] = found.length === 1 ? ['exists', 'it'] : ['exist', 'them'];
  return `${found.join(', ')} already ${exist} in ${registryWhere(resources)} with ${STACK_TAG} = ${oldStack}, so the state of ${oldStack} owns ${them}: ${finding}; then deploy again`;
}

function untaggedRefusal(resources: StackResources, address: string, what: string, id: string): string {
  return (
    `${what} already exists in ${registryWhere(resources)} without the tag ${STACK_TAG}, so nothing says this project created it ` +
    `(${address} would be created beside it or fail with "already exists"): to manage it with this stack, import it deliberately ` +
    `(in cdktf.out/stacks/${resources.stackName}: terraform import '${address}' '${id}'); otherwise delete or rename it in AWS, then deploy again`
  );
}

interface Owned {
  readonly address: string;
  readonly what: string;
  readonly id: string;
  readonly provenance: Provenance;
}

/** Decides, for each planned create, whether to adopt the resource AWS holds, refuse, or create it. */
export function planAdoption(
  resources: StackResources,
  creates: readonly PlannedCreate[],
  inventory: RegistryInventory,
  recordedKeys: ReadonlyMap<string, string> = new Map(),
): AdoptionPlan {
  const imports: ImportTarget[] = [];
  const notes: string[] = [];
  const keysToDelete: KeyDeletion[] = [];
  const found: Owned[] = [];
  const creating = new Set(creates.map((create) => create.address));
  const importBlock = (to: string, id: string): ImportTarget => ({ to, id, ...(resources.provider ? { provider: resources.provider } : {}) });

  const usedByRepositories = (key: FoundKey) => [...inventory.repositories.values()].filter((repository) => repository.kmsKey === key.arn).map((r) => r.name);
  const aliasesOf = (key: FoundKey) => [...inventory.aliases].filter(([, target]) => target === key.keyId || target === key.arn).map(([name]) => name);
  const templatesOf = (key: FoundKey) => [...inventory.templates.values()].filter((template) => template.kmsKey === key.arn).map((t) => t.prefix);

  // Keys: every key resource of the stack, created or recorded, so that duplicates of a recorded key are found too.
  for (const resource of resources.keys) {
    const candidates = inventory.keys.filter((key) => key.description === resource.description);
    const own = candidates.filter((key) => key.stackTag === resources.stackName);
    const alias = resources.aliases.find((entry) => entry.keyAddress === resource.address);
    const aliasTarget = alias ? inventory.aliases.get(alias.name) : undefined;
    let kept: string | undefined = recordedKeys.get(resource.address);
    if (creating.has(resource.address)) {
      if (own.length > 0) {
        const newest = [...own].sort((a, b) => (b.creationDate?.getTime() ?? 0) - (a.creationDate?.getTime() ?? 0))[0];
        const chosen =
          own.find((key) => key.keyId === aliasTarget || key.arn === aliasTarget) ?? own.find((key) => usedByRepositories(key).length > 0) ?? newest;
        kept = chosen.keyId;
        imports.push(importBlock(resource.address, chosen.keyId));
      } else {
        for (const key of candidates) {
          found.push({
            address: resource.address,
            what: `key ${key.arn} ("${key.description}")`,
            id: key.keyId,
            provenance: provenanceOf(key.stackTag, resources.stackName),
          });
        }
      }
    }
    if (kept === undefined) continue;
    for (const key of own) {
      if (key.keyId === kept) continue;
      const users = [
        ...usedByRepositories(key).map((name) => `repository ${name}`),
        ...aliasesOf(key).map((name) => `alias ${name}`),
        ...templatesOf(key).map((prefix) => `creation template ${prefix}`),
      ];
      if (users.length > 0) {
        notes.push(
          `key ${key.arn} was created for ${resource.address} and no state records it, but ${users.join(', ')} still ${users.length === 1 ? 'uses' : 'use'} it: left alone (compare it with key ${kept} before deleting anything)`,
        );
      } else {
        keysToDelete.push({ key, address: resource.address, pendingWindowInDays: resource.deletionWindowInDays });
      }
    }
  }

  for (const create of creates) {
    switch (create.type) {
      case 'aws_kms_alias': {
        const alias = resources.aliases.find((entry) => entry.address === create.address);
        const target = alias ? inventory.aliases.get(alias.name) : undefined;
        if (!alias || target === undefined) break;
        const key = inventory.keys.find((entry) => entry.keyId === target || entry.arn === target) ?? inventory.aliasTargets.get(target);
        const provenance = provenanceOf(key?.stackTag, resources.stackName);
        if (provenance.kind === 'this-stack') imports.push(importBlock(create.address, alias.name));
        else found.push({ address: create.address, what: `alias ${alias.name} (on key ${key?.arn ?? target})`, id: alias.name, provenance });
        break;
      }
      case 'aws_ecr_repository': {
        const name = create.key ?? '';
        const tagged = inventory.repositoryTags.get(name);
        if (!tagged) break;
        const provenance = provenanceOf(tagged.stackTag, resources.stackName);
        if (provenance.kind === 'this-stack') imports.push(importBlock(create.address, name));
        else found.push({ address: create.address, what: `repository ${name}`, id: name, provenance });
        break;
      }
      case 'aws_iam_role': {
        const role = resources.roles.find((entry) => entry.address === create.address);
        const tagged = role ? inventory.roles.get(role.name) : undefined;
        if (!role || !tagged) break;
        const provenance = provenanceOf(tagged.stackTag, resources.stackName);
        if (provenance.kind === 'this-stack') imports.push(importBlock(create.address, role.name));
        else found.push({ address: create.address, what: `role ${role.name}`, id: role.name, provenance });
        break;
      }
      case 'aws_ecr_repository_creation_template': {
        const prefix = create.key ?? '';
        const template = inventory.templates.get(prefix);
        if (!template) break;
        const provenance = provenanceOf(template.stackTag, resources.stackName);
        if (provenance.kind === 'this-stack') imports.push(importBlock(create.address, prefix));
        else found.push({ address: create.address, what: `creation template ${prefix} (its key ${template.kmsKey ?? 'none'})`, id: prefix, provenance });
        break;
      }
      case 'aws_kms_key':
        break; // above
    }
  }

  const refusals: string[] = [];
  const byOldStack = new Map<string, string[]>();
  for (const entry of found) {
    if (entry.provenance.kind === 'other-stack') byOldStack.set(entry.provenance.stack, [...(byOldStack.get(entry.provenance.stack) ?? []), entry.what]);
  }
  for (const [oldStack, what] of [...byOldStack].sort(([a], [b]) => (a < b ? -1 : 1))) refusals.push(renameRefusal(resources, oldStack, what));
  for (const entry of found) if (entry.provenance.kind === 'untagged') refusals.push(untaggedRefusal(resources, entry.address, entry.what, entry.id));

  imports.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  return { imports, refusals, notes, keysToDelete };
}

/** The note printed for a key scheduled for deletion, with the command that undoes it. */
export function keyDeletionNote(resources: StackResources, deletion: KeyDeletion): string {
  return (
    `key ${deletion.key.arn} was created for ${deletion.address} by an interrupted apply, no state records it and nothing uses it: ` +
    `scheduled for deletion in ${deletion.pendingWindowInDays} days; to keep it: aws kms cancel-key-deletion --key-id ${deletion.key.arn} --region ${resources.target.region}${endpointFlag(resources)}`
  );
}

/** The command that schedules a key's deletion (for the read-only report). */
export function keyDeletionCommand(resources: StackResources, deletion: KeyDeletion): string {
  return scheduleKeyDeletionCommand(resources, deletion.key.arn, deletion.pendingWindowInDays);
}
