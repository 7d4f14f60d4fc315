/**
 * Compares the workspaces the config asks for (desired-workspaces.ts) with
 * what HCP Terraform holds, and makes them match. Reads first (organization,
 * project, workspaces of the prefix with their tags, variables, remote state
 * consumers and inbound run triggers), then plans per workspace and per
 * setting; `applyEstatePlan` writes only what differs, so a second run writes
 * nothing. It never deletes a workspace: one of this estate (prefix and the
 * role tag) whose stack left the config is reported with the steps to retire it.
 *
 * API references (HCP Terraform API v2): workspaces (create, update, list,
 * tag bindings, remote state consumers), projects (list with filter[names]),
 * workspace variables, run triggers (list inbound, create, delete).
 * https://developer.hashicorp.com/terraform/cloud-docs/api-docs/workspaces
 */
import { mapLimit } from '../map-limit';
import { ApiResource, HcpApiError, HcpTerraformClient } from './api-client';
import { DesiredEstate, DesiredWorkspace, ESTATE_TAGS, WorkspaceSettings } from './desired-workspaces';

/** A setting that differs: the field, what HCP Terraform has, what the config asks. */
export interface SettingChange {
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

export interface VariableChange {
  readonly key: string;
  /** Undefined for a variable to create. */
  readonly from?: string;
  readonly to: string;
  readonly description: string;
  /** The existing variable's id, for an update. */
  readonly id?: string;
}

/** What one workspace needs; empty lists and `create: false` mean it matches. */
export interface WorkspaceChanges {
  readonly workspace: DesiredWorkspace;
  /** The workspace's id when it exists. */
  readonly id?: string;
  readonly create: boolean;
  readonly settings: readonly SettingChange[];
  readonly tags: readonly { readonly key: string; readonly from?: string; readonly to: string }[];
  readonly variables: readonly VariableChange[];
  /** Sensitive variables of the managed keys: their values cannot be read, so they are left as they are. */
  readonly unreadableVariables: readonly string[];
  readonly consumersToAdd: readonly string[];
  readonly consumersToRemove: readonly { readonly id: string; readonly name: string }[];
  readonly triggersToAdd: readonly string[];
  readonly triggersToRemove: readonly { readonly id: string; readonly source: string }[];
}

/** A workspace of this estate (prefix and role tag) whose stack is no longer in the config. */
export interface RetiredWorkspace {
  readonly id: string;
  readonly name: string;
  readonly stackName: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface EstatePlan {
  readonly desired: DesiredEstate;
  /** The project's id, when the config names one. */
  readonly projectId?: string;
  readonly workspaces: readonly WorkspaceChanges[];
  readonly retired: readonly RetiredWorkspace[];
}

export function hasChanges(changes: WorkspaceChanges): boolean {
  return (
    changes.create ||
    [
      changes.settings,
      changes.tags,
      changes.variables,
      changes.consumersToAdd,
      changes.consumersToRemove,
      changes.triggersToAdd,
      changes.triggersToRemove,
    ].some((list) => list.length > 0)
  );
}

/** Thrown when the organization, project or a workspace is not found (or not readable with the token). */
export class HcpNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HcpNotFoundError';
  }
}

const attribute = (resource: ApiResource, name: string): unknown => resource.attributes?.[name];
const relationshipId = (resource: ApiResource, name: string): string | undefined => {
  const data = resource.relationships?.[name]?.data;
  return data && !Array.isArray(data) ? (data as { id: string }).id : undefined;
};

/** A 404 of a workspace's sub-resource, said plainly. */
async function forWorkspace<T>(name: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof HcpApiError && error.status === 404) {
      throw new HcpNotFoundError(
        `workspace ${name} not found, or the token cannot read it (404 on ${error.method} ${error.path}): check the token's team access to it`,
      );
    }
    throw error;
  }
}

async function tagsOf(client: HcpTerraformClient, id: string): Promise<Record<string, string>> {
  const bindings = await client.list(`/workspaces/${id}/tag-bindings`);
  return Object.fromEntries(bindings.map((binding) => [String(attribute(binding, 'key')), String(attribute(binding, 'value') ?? '')]));
}

function currentSettings(workspace: ApiResource): Record<keyof WorkspaceSettings, string> & { overwritesExecutionMode: boolean } {
  const overwrites = (attribute(workspace, 'setting-overwrites') ?? {}) as Record<string, unknown>;
  return {
    'execution-mode': String(attribute(workspace, 'execution-mode') ?? ''),
    'terraform-version': String(attribute(workspace, 'terraform-version') ?? ''),
    'working-directory': String(attribute(workspace, 'working-directory') ?? ''),
    'global-remote-state': String(attribute(workspace, 'global-remote-state') ?? ''),
    description: String(attribute(workspace, 'description') ?? ''),
    overwritesExecutionMode: overwrites['execution-mode'] === true,
  };
}

function settingChanges(desired: DesiredWorkspace, workspace: ApiResource, projectId: string | undefined, project: string | undefined): SettingChange[] {
  const current = currentSettings(workspace);
  const changes: SettingChange[] = [];
  for (const field of ['execution-mode', 'terraform-version', 'working-directory', 'global-remote-state', 'description'] as const) {
    const to = String(desired.settings[field]);
    if (current[field] !== to) changes.push({ field, from: current[field], to });
    else if (field === 'execution-mode' && !current.overwritesExecutionMode) {
      // Inherited from the project's default: pin it on the workspace, so a project change cannot move it.
      changes.push({ field, from: `${current[field]} (the project's default)`, to });
    }
  }
  const currentProject = relationshipId(workspace, 'project');
  if (projectId !== undefined && currentProject !== projectId)
    changes.push({ field: 'project', from: currentProject ?? '(none)', to: `${project} (${projectId})` });
  return changes;
}

async function workspaceChanges(
  client: HcpTerraformClient,
  desired: DesiredWorkspace,
  existing: ApiResource | undefined,
  context: { projectId?: string; project?: string; estateNames: ReadonlySet<string> },
): Promise<WorkspaceChanges> {
  if (existing === undefined) {
    return {
      workspace: desired,
      create: true,
      settings: [],
      tags: Object.entries(desired.tags).map(([key, to]) => ({ key, to })),
      variables: desired.variables.map((variable) => ({ key: variable.key, to: variable.value, description: variable.description })),
      unreadableVariables: [],
      consumersToAdd: desired.remoteStateConsumers,
      consumersToRemove: [],
      triggersToAdd: desired.runTriggerSources,
      triggersToRemove: [],
    };
  }
  const id = existing.id;
  const [tags, variables, consumers, triggers] = await forWorkspace(desired.name, () =>
    Promise.all([
      tagsOf(client, id),
      client.list(`/workspaces/${id}/vars`),
      client.list(`/workspaces/${id}/relationships/remote-state-consumers`),
      client.list(`/workspaces/${id}/run-triggers`, { 'filter[run-trigger][type]': 'inbound' }),
    ]),
  );
  const variableChanges: VariableChange[] = [];
  const unreadable: string[] = [];
  for (const variable of desired.variables) {
    const found = variables.find((candidate) => attribute(candidate, 'key') === variable.key && attribute(candidate, 'category') === variable.category);
    if (found === undefined) variableChanges.push({ key: variable.key, to: variable.value, description: variable.description });
    else if (attribute(found, 'sensitive') === true) unreadable.push(variable.key);
    else if (attribute(found, 'value') !== variable.value) {
      variableChanges.push({
        key: variable.key,
        from: String(attribute(found, 'value') ?? ''),
        to: variable.value,
        description: variable.description,
        id: found.id,
      });
    }
  }
  const consumerNames = new Map(consumers.map((consumer) => [String(attribute(consumer, 'name')), consumer.id]));
  const triggerSources = triggers.map((trigger) => ({
    id: trigger.id,
    source: String(attribute(trigger, 'sourceable-name') ?? relationshipId(trigger, 'sourceable')),
  }));
  return {
    workspace: desired,
    id,
    create: false,
    settings: settingChanges(desired, existing, context.projectId, context.project),
    tags: Object.entries(desired.tags)
      .filter(([key, value]) => tags[key] !== value)
      .map(([key, to]) => ({ key, ...(tags[key] === undefined ? {} : { from: tags[key] }), to })),
    variables: variableChanges,
    unreadableVariables: unreadable,
    consumersToAdd: desired.remoteStateConsumers.filter((name) => !consumerNames.has(name)),
    // Shared only with the workspaces that read it: any other consumer is removed.
    consumersToRemove: [...consumerNames]
      .filter(([name]) => !desired.remoteStateConsumers.includes(name))
      .map(([name, consumerId]) => ({ id: consumerId, name }))
      .sort((left, right) => (left.name < right.name ? -1 : 1)),
    triggersToAdd: desired.runTriggerSources.filter((name) => !triggerSources.some((trigger) => trigger.source === name)),
    // Triggers from this estate's other workspaces that the config no longer asks for; others' triggers stay.
    triggersToRemove: triggerSources.filter((trigger) => context.estateNames.has(trigger.source) && !desired.runTriggerSources.includes(trigger.source)),
  };
}

/** Reads HCP Terraform and plans every workspace of the estate; reads only. */
export async function planEstate(client: HcpTerraformClient, desired: DesiredEstate): Promise<EstatePlan> {
  const organization = desired.organization;
  try {
    await client.request('GET', `/organizations/${encodeURIComponent(organization)}`);
  } catch (error) {
    if (error instanceof HcpApiError && error.status === 404) {
      throw new HcpNotFoundError(
        `organization ${organization} not found on ${client.host}, or the token cannot read it (404): check backend.organization in the config, and that the token's user or team belongs to the organization`,
      );
    }
    throw error;
  }
  let projectId: string | undefined;
  if (desired.project !== undefined) {
    const projects = await client.list(`/organizations/${encodeURIComponent(organization)}/projects`, { 'filter[names]': desired.project });
    const found = projects.find((project) => String(attribute(project, 'name')).toLowerCase() === desired.project!.toLowerCase());
    if (found === undefined) {
      throw new HcpNotFoundError(
        `project ${desired.project} not found in organization ${organization} on ${client.host}, or the token cannot read it: create it (Projects > New project) or fix backend.project in the config`,
      );
    }
    projectId = found.id;
  }
  const listed = await client.list(`/organizations/${encodeURIComponent(organization)}/workspaces`, { 'search[wildcard-name]': `${desired.workspacePrefix}*` });
  const byName = new Map(
    listed
      .filter((workspace) => String(attribute(workspace, 'name')).startsWith(desired.workspacePrefix))
      .map((workspace) => [String(attribute(workspace, 'name')), workspace]),
  );
  const desiredNames = new Set(desired.workspaces.map((workspace) => workspace.name));
  // A listed workspace of the prefix that the config does not ask for is this estate's when it carries the role tag.
  const strays = [...byName.values()].filter((workspace) => !desiredNames.has(String(attribute(workspace, 'name'))));
  const strayTags = await mapLimit(strays, 4, (workspace) => forWorkspace(String(attribute(workspace, 'name')), () => tagsOf(client, workspace.id)));
  const retired = strays
    .map((workspace, index) => ({ workspace, tags: strayTags[index] }))
    .filter(({ tags }) => tags[ESTATE_TAGS.role] !== undefined)
    .map(({ workspace, tags }) => {
      const name = String(attribute(workspace, 'name'));
      return { id: workspace.id, name, stackName: name.slice(desired.workspacePrefix.length), tags };
    })
    .sort((left, right) => (left.name < right.name ? -1 : 1));
  const estateNames = new Set([...desiredNames, ...retired.map((workspace) => workspace.name)]);
  const workspaces = await mapLimit(desired.workspaces, 4, (workspace) =>
    workspaceChanges(client, workspace, byName.get(workspace.name), { projectId, project: desired.project, estateNames }),
  );
  return { desired, ...(projectId === undefined ? {} : { projectId }), workspaces, retired };
}

/** What an apply did, for its summary line. */
export interface ApplyResult {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Write requests sent (POST, PATCH, DELETE). */
  readonly writes: number;
}

const EXECUTION_MODE_OVERWRITE = { 'setting-overwrites': { 'execution-mode': true } };

function attributesOf(settings: WorkspaceSettings, fields?: readonly string[]): Record<string, unknown> {
  const all: Record<string, unknown> = { ...settings, ...EXECUTION_MODE_OVERWRITE };
  if (fields === undefined) return all;
  const chosen = Object.fromEntries(Object.entries(all).filter(([key]) => fields.includes(key)));
  // The API takes execution-mode together with its overwrite flag.
  return fields.includes('execution-mode') ? { ...chosen, ...EXECUTION_MODE_OVERWRITE } : chosen;
}

/** A workspace's writes, with what the API says on failure tied to the workspace and the step. */
async function step<T>(workspace: string, what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof HcpApiError && error.status !== 401 && error.status !== 429 && error.status !== 0) {
      throw new HcpApiError(`workspace ${workspace}: HCP Terraform refused to ${what} (${error.message})`, error.status, error.method, error.path);
    }
    throw error;
  }
}

/**
 * Makes HCP Terraform match the plan: workspaces first (so every id exists), then per workspace its tags, variables,
 * remote state consumers and run triggers. `report` receives a line per write as it succeeds.
 */
export async function applyEstatePlan(client: HcpTerraformClient, plan: EstatePlan, report: (line: string) => void = () => undefined): Promise<ApplyResult> {
  const organization = encodeURIComponent(plan.desired.organization);
  const ids = new Map<string, string>();
  for (const changes of plan.workspaces) if (changes.id !== undefined) ids.set(changes.workspace.name, changes.id);
  let writes = 0;
  /** One write: `what` is the imperative (for a refusal), `done` the report line once it succeeded. */
  const write = async <T>(workspace: string, [what, done]: readonly [string, string], run: () => Promise<T>): Promise<T> => {
    const result = await step(workspace, what, run);
    writes++;
    report(`${workspace}: ${done}`);
    return result;
  };
  const project = plan.projectId === undefined ? {} : { project: { data: { type: 'projects', id: plan.projectId } } };

  for (const changes of plan.workspaces) {
    const { workspace } = changes;
    if (changes.create) {
      const created = await write(workspace.name, ['create the workspace', 'created the workspace'], () =>
        client.one('POST', `/organizations/${organization}/workspaces`, {
          data: {
            type: 'workspaces',
            attributes: { name: workspace.name, ...attributesOf(workspace.settings) },
            relationships: {
              ...project,
              'tag-bindings': { data: Object.entries(workspace.tags).map(([key, value]) => ({ type: 'tag-bindings', attributes: { key, value } })) },
            },
          },
        }),
      );
      ids.set(workspace.name, created.id);
    } else if (changes.settings.length > 0) {
      const fields = changes.settings.map((change) => change.field);
      await write(workspace.name, [`update ${fields.join(', ')}`, `updated ${fields.join(', ')}`], () =>
        client.one('PATCH', `/workspaces/${changes.id}`, {
          data: {
            type: 'workspaces',
            attributes: attributesOf(workspace.settings, fields),
            ...(fields.includes('project') ? { relationships: project } : {}),
          },
        }),
      );
    }
  }

  const idOf = (name: string): string => {
    const id = ids.get(name);
    if (id === undefined) throw new Error(`applyEstatePlan: no id for workspace ${name}`);
    return id;
  };
  for (const changes of plan.workspaces) {
    const { workspace } = changes;
    const id = idOf(workspace.name);
    if (!changes.create && changes.tags.length > 0) {
      await write(
        workspace.name,
        [`set tags ${changes.tags.map((tag) => tag.key).join(', ')}`, `set tags ${changes.tags.map((tag) => tag.key).join(', ')}`],
        () =>
          client.request('PATCH', `/workspaces/${id}/tag-bindings`, {
            body: { data: changes.tags.map((tag) => ({ type: 'tag-bindings', attributes: { key: tag.key, value: tag.to } })) },
          }),
      );
    }
    for (const variable of changes.variables) {
      const attributes = { key: variable.key, value: variable.to, description: variable.description, category: 'env', hcl: false, sensitive: false };
      if (variable.id === undefined) {
        await write(workspace.name, [`create variable ${variable.key}`, `created variable ${variable.key}`], () =>
          client.one('POST', `/workspaces/${id}/vars`, { data: { type: 'vars', attributes } }),
        );
      } else {
        await write(workspace.name, [`update variable ${variable.key}`, `updated variable ${variable.key}`], () =>
          client.one('PATCH', `/workspaces/${id}/vars/${variable.id}`, { data: { type: 'vars', id: variable.id, attributes } }),
        );
      }
    }
    if (changes.consumersToAdd.length > 0) {
      await write(
        workspace.name,
        [`share its state with ${changes.consumersToAdd.join(', ')}`, `shared its state with ${changes.consumersToAdd.join(', ')}`],
        () =>
          client.request('POST', `/workspaces/${id}/relationships/remote-state-consumers`, {
            body: { data: changes.consumersToAdd.map((name) => ({ type: 'workspaces', id: idOf(name) })) },
          }),
      );
    }
    if (changes.consumersToRemove.length > 0) {
      await write(
        workspace.name,
        [
          `stop sharing its state with ${changes.consumersToRemove.map((consumer) => consumer.name).join(', ')}`,
          `stopped sharing its state with ${changes.consumersToRemove.map((consumer) => consumer.name).join(', ')}`,
        ],
        () =>
          client.request('DELETE', `/workspaces/${id}/relationships/remote-state-consumers`, {
            body: { data: changes.consumersToRemove.map((consumer) => ({ type: 'workspaces', id: consumer.id })) },
          }),
      );
    }
    for (const source of changes.triggersToAdd) {
      await write(workspace.name, [`add a run trigger from ${source}`, `added a run trigger from ${source}`], () =>
        client.one('POST', `/workspaces/${id}/run-triggers`, { data: { relationships: { sourceable: { data: { type: 'workspaces', id: idOf(source) } } } } }),
      );
    }
    for (const trigger of changes.triggersToRemove) {
      await write(workspace.name, [`remove the run trigger from ${trigger.source}`, `removed the run trigger from ${trigger.source}`], () =>
        client.request('DELETE', `/run-triggers/${trigger.id}`),
      );
    }
  }
  const changed = plan.workspaces.filter(hasChanges);
  return {
    created: changed.filter((changes) => changes.create).length,
    updated: changed.filter((changes) => !changes.create).length,
    unchanged: plan.workspaces.length - changed.length,
    writes,
  };
}
