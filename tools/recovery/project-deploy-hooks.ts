/**
 * The project's answers to the deploy engine's two questions (deploy-hooks.ts),
 * from AWS and the plan, never from files of the machine that runs them:
 *
 * - `adopt`: what an interrupted apply of this stack created but never
 *   recorded is imported; what another state owns, or nothing says this
 *   project created, refuses the stack; duplicate keys this stack created
 *   that nothing uses are scheduled for deletion (adoption.ts);
 * - `teardown`: a key that still encrypts a repository staying in AWS is
 *   kept (teardown.ts).
 */
import { ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { TerraformPlanJson } from '../plan-check/plan-json';
import { AdoptionAnswer, DeployHooks, StackContext, TeardownAnswer } from './deploy-hooks';
import { RegistryClients, registryClients, RegistryTarget } from './aws-session';
import { inventoryQuery, keyDeletionNote, planAdoption, plannedCreates, recordedKeyIds } from './adoption';
import { holdsImages, listRepositories, readInventory } from './registry-inventory';
import { readStackResources } from './stack-resources';
import { KeyUser, plannedDeletions, planTeardown } from './teardown';

export interface ProjectDeployHooksOptions {
  /** SDK clients for a stack's registry. @default its provider's role, region and endpoint, with the command's credentials */
  readonly clients?: (target: RegistryTarget, environment: NodeJS.ProcessEnv) => Promise<RegistryClients>;
}

const NOTHING: AdoptionAnswer = { imports: [], refusals: [], notes: [] };

/** The hooks the deploy engine runs by default. */
export function projectDeployHooks(options: ProjectDeployHooksOptions = {}): DeployHooks {
  const clientsFor = options.clients ?? ((target: RegistryTarget, environment: NodeJS.ProcessEnv) => registryClients(target, environment));

  const adopt = async (stack: StackContext, plan: TerraformPlanJson): Promise<AdoptionAnswer> => {
    const creates = plannedCreates(plan);
    if (creates.length === 0) return NOTHING;
    const resources = readStackResources(stack.stackName, stack.directory);
    const clients = await clientsFor(resources.target, stack.environment);
    const inventory = await readInventory(inventoryQuery(resources, creates), clients);
    const adoption = planAdoption(resources, creates, inventory, recordedKeyIds(plan.prior_state));
    if (adoption.refusals.length > 0) return { imports: [], refusals: adoption.refusals, notes: adoption.notes };
    const notes = [...adoption.notes];
    for (const deletion of adoption.keysToDelete) {
      await clients.kms.send(new ScheduleKeyDeletionCommand({ KeyId: deletion.key.keyId, PendingWindowInDays: deletion.pendingWindowInDays }));
      notes.push(keyDeletionNote(resources, deletion));
    }
    if (adoption.imports.length > 0) {
      notes.unshift(
        `adopting what an interrupted apply of this stack created but never recorded: ${adoption.imports.map((block) => `${block.to} (${block.id})`).join(', ')}`,
      );
    }
    return { imports: adoption.imports, refusals: [], notes };
  };

  const teardown = async (stack: StackContext, destroyPlan: TerraformPlanJson): Promise<TeardownAnswer> => {
    const deletions = plannedDeletions(destroyPlan);
    if (deletions.keys.length === 0) return { keep: [], refusals: [], notes: [] };
    const resources = readStackResources(stack.stackName, stack.directory);
    const clients = await clientsFor(resources.target, stack.environment);
    const repositories = await listRepositories(clients, resources.target.accountId);
    const usersByKey = new Map<string, KeyUser[]>();
    for (const key of deletions.keys) {
      const users: KeyUser[] = [];
      for (const repository of repositories.values()) {
        if (repository.kmsKey !== key.arn) continue;
        // Only a repository the plan deletes can fail on its images; one that stays keeps the key either way.
        const images = deletions.repositories.has(repository.name) ? await holdsImages(clients, resources.target.accountId, repository.name) : false;
        users.push({ name: repository.name, holdsImages: images });
      }
      usersByKey.set(
        key.arn,
        users.sort((a, b) => (a.name < b.name ? -1 : 1)),
      );
    }
    return planTeardown(resources, deletions, usersByKey);
  };

  return { adopt, teardown };
}
