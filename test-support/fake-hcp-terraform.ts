/**
 * A local fake of the HCP Terraform API v2 endpoints the hcp command uses, as
 * documented (https://developer.hashicorp.com/terraform/cloud-docs/api-docs):
 * JSON:API documents, bearer token (401 otherwise), 404 for what does not
 * exist, 422 with JSON:API error objects for refused payloads (a name taken,
 * a 21st run trigger source), pagination (`page[number]`, `page[size]`, 20 by
 * default, 100 at most, `meta.pagination`), and 429 on demand with the
 * headers a test chooses. Every request is recorded (method, path, query,
 * body) so tests assert on payloads and count writes.
 *
 * Endpoints: organizations/:org; organizations/:org/projects (filter[names]);
 * organizations/:org/workspaces (list with search[wildcard-name], create);
 * workspaces/:id (PATCH); workspaces/:id/tag-bindings (GET, PATCH adds or
 * updates); workspaces/:id/vars (GET, POST, PATCH /:var); workspaces/:id/
 * relationships/remote-state-consumers (GET, POST, DELETE); workspaces/:id/
 * run-triggers (GET with filter[run-trigger][type], POST); run-triggers/:id
 * (DELETE).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON:API payloads, asserted by tests
  readonly body?: any;
  readonly authorization?: string;
}

export interface FakeWorkspace {
  id: string;
  name: string;
  organization: string;
  projectId: string;
  attributes: Record<string, unknown>;
  tags: Map<string, string>;
  vars: { id: string; key: string; value: string; category: string; description: string; hcl: boolean; sensitive: boolean }[];
  consumers: Set<string>;
  /** Inbound run triggers: this workspace runs after the source applies. */
  triggers: { id: string; sourceId: string }[];
}

export interface InjectedFailure {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'DELETE']);
const NAME_PATTERN = /^[A-Za-z0-9_-]{1,90}$/;
const MAX_TRIGGER_SOURCES = 20;

export class FakeHcpTerraform {
  readonly requests: RecordedRequest[] = [];
  readonly workspaces = new Map<string, FakeWorkspace>();
  readonly projects = new Map<string, { id: string; name: string; organization: string }>();
  private readonly organizations = new Set<string>();
  private readonly failures: { match: (request: RecordedRequest) => boolean; failure: InjectedFailure }[] = [];
  private server?: Server;
  private counter = 0;

  constructor(
    readonly token: string,
    organization: string,
    projects: readonly string[] = [],
  ) {
    this.organizations.add(organization);
    this.addProject(organization, 'Default Project');
    for (const project of projects) this.addProject(organization, project);
  }

  /** The base address (http://127.0.0.1:<port>) once started. */
  get address(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('FakeHcpTerraform: not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Requests that change something (POST, PATCH, DELETE). */
  get writes(): RecordedRequest[] {
    return this.requests.filter((request) => WRITE_METHODS.has(request.method));
  }

  addProject(organization: string, name: string): string {
    const id = `prj-${this.next()}`;
    this.projects.set(id, { id, name, organization });
    return id;
  }

  /** A workspace made by hand (or by an earlier run): settings as HCP Terraform gives them by default. */
  addWorkspace(
    organization: string,
    name: string,
    options: { projectId?: string; attributes?: Record<string, unknown>; tags?: Record<string, string> } = {},
  ): FakeWorkspace {
    const workspace: FakeWorkspace = {
      id: `ws-${this.next()}`,
      name,
      organization,
      projectId: options.projectId ?? this.projectId(organization, 'Default Project')!,
      attributes: {
        'execution-mode': 'remote',
        'terraform-version': '1.14.0',
        'working-directory': null,
        'global-remote-state': false,
        description: null,
        'setting-overwrites': { 'execution-mode': false, 'agent-pool': false },
        ...options.attributes,
      },
      tags: new Map(Object.entries(options.tags ?? {})),
      vars: [],
      consumers: new Set(),
      triggers: [],
    };
    this.workspaces.set(workspace.id, workspace);
    return workspace;
  }

  workspaceNamed(name: string): FakeWorkspace | undefined {
    return [...this.workspaces.values()].find((workspace) => workspace.name === name);
  }

  projectId(organization: string, name: string): string | undefined {
    return [...this.projects.values()].find((project) => project.organization === organization && project.name === name)?.id;
  }

  /** The next `times` requests that `match` get this answer instead. */
  failNext(match: (request: RecordedRequest) => boolean, failure: InjectedFailure, times = 1): void {
    for (let index = 0; index < times; index++) this.failures.push({ match, failure });
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => this.send(response, 500, { errors: [{ status: '500', title: String(error) }] }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private next(): string {
    this.counter++;
    return `fake${String(this.counter).padStart(6, '0')}`;
  }

  private send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'Content-Type': 'application/vnd.api+json', ...headers });
    response.end(body === undefined ? '' : JSON.stringify(body));
  }

  private error(response: ServerResponse, status: number, title: string, detail?: string, pointer?: string): void {
    this.send(response, status, { errors: [{ status: String(status), title, ...(detail ? { detail } : {}), ...(pointer ? { source: { pointer } } : {}) }] });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(text === '' ? {} : { body: JSON.parse(text) }),
      ...(request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization }),
    };
    this.requests.push(recorded);
    const injected = this.failures.findIndex((failure) => failure.match(recorded));
    if (injected >= 0) {
      const [{ failure }] = this.failures.splice(injected, 1);
      this.send(response, failure.status, failure.body ?? { errors: [{ status: String(failure.status), title: 'injected' }] }, { ...failure.headers });
      return;
    }
    if (recorded.authorization !== `Bearer ${this.token}`) return this.error(response, 401, 'unauthorized');
    const route = recorded.path.replace(/^\/api\/v2/, '');
    const method = recorded.method;
    let match: RegExpExecArray | null;
    if ((match = /^\/organizations\/([^/]+)$/.exec(route)) && method === 'GET') {
      const organization = decodeURIComponent(match[1]);
      if (!this.organizations.has(organization)) return this.error(response, 404, 'not found');
      return this.send(response, 200, { data: { id: organization, type: 'organizations', attributes: { name: organization } } });
    }
    if ((match = /^\/organizations\/([^/]+)\/projects$/.exec(route)) && method === 'GET') {
      const organization = decodeURIComponent(match[1]);
      if (!this.organizations.has(organization)) return this.error(response, 404, 'not found');
      const names = (recorded.query['filter[names]'] ?? '')
        .split(',')
        .filter(Boolean)
        .map((name) => name.toLowerCase());
      const projects = [...this.projects.values()].filter(
        (project) => project.organization === organization && (names.length === 0 || names.includes(project.name.toLowerCase())),
      );
      return this.page(
        response,
        recorded,
        projects.map((project) => ({ id: project.id, type: 'projects', attributes: { name: project.name } })),
      );
    }
    if ((match = /^\/organizations\/([^/]+)\/workspaces$/.exec(route))) {
      const organization = decodeURIComponent(match[1]);
      if (!this.organizations.has(organization)) return this.error(response, 404, 'not found');
      if (method === 'GET') {
        const wildcard = recorded.query['search[wildcard-name]'];
        const pattern =
          wildcard === undefined
            ? undefined
            : new RegExp(
                `^${wildcard
                  .split('*')
                  .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
                  .join('.*')}$`,
              );
        const found = [...this.workspaces.values()].filter(
          (workspace) => workspace.organization === organization && (!pattern || pattern.test(workspace.name)),
        );
        return this.page(
          response,
          recorded,
          found.map((workspace) => this.resource(workspace)),
        );
      }
      if (method === 'POST') return this.createWorkspace(response, organization, recorded.body);
    }
    if ((match = /^\/workspaces\/([^/]+)(\/.*)?$/.exec(route))) {
      const workspace = this.workspaces.get(match[1]);
      if (!workspace) return this.error(response, 404, 'not found');
      return this.workspaceRoute(response, recorded, workspace, match[2] ?? '');
    }
    if ((match = /^\/run-triggers\/([^/]+)$/.exec(route)) && method === 'DELETE') {
      for (const workspace of this.workspaces.values()) {
        const index = workspace.triggers.findIndex((trigger) => trigger.id === match![1]);
        if (index >= 0) {
          workspace.triggers.splice(index, 1);
          return this.send(response, 204);
        }
      }
      return this.error(response, 404, 'not found');
    }
    return this.error(response, 404, 'not found');
  }

  private page(response: ServerResponse, request: RecordedRequest, items: unknown[]): void {
    const size = Math.min(Number(request.query['page[size]'] ?? 20), 100);
    const number = Number(request.query['page[number]'] ?? 1);
    const pages = Math.max(1, Math.ceil(items.length / size));
    this.send(response, 200, {
      data: items.slice((number - 1) * size, number * size),
      links: { next: number < pages ? `${request.path}?page%5Bnumber%5D=${number + 1}&page%5Bsize%5D=${size}` : null },
      meta: {
        pagination: {
          'current-page': number,
          'prev-page': number > 1 ? number - 1 : null,
          'next-page': number < pages ? number + 1 : null,
          'total-pages': pages,
          'total-count': items.length,
        },
      },
    });
  }

  private resource(workspace: FakeWorkspace): unknown {
    return {
      id: workspace.id,
      type: 'workspaces',
      attributes: { name: workspace.name, ...workspace.attributes },
      relationships: {
        organization: { data: { id: workspace.organization, type: 'organizations' } },
        project: { data: { id: workspace.projectId, type: 'projects' } },
        'tag-bindings': { links: { related: `/api/v2/workspaces/${workspace.id}/tag-bindings` } },
      },
    };
  }

  private applyAttributes(workspace: FakeWorkspace, attributes: Record<string, unknown>): void {
    const { name, 'setting-overwrites': overwrites, ...rest } = attributes;
    if (typeof name === 'string') workspace.name = name;
    Object.assign(workspace.attributes, rest);
    if (overwrites && typeof overwrites === 'object') {
      workspace.attributes['setting-overwrites'] = { ...(workspace.attributes['setting-overwrites'] as object), ...overwrites };
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private createWorkspace(response: ServerResponse, organization: string, body: any): void {
    const name = body?.data?.attributes?.name;
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
      return this.error(response, 422, 'invalid attribute', 'Name is invalid: only letters, numbers, - and _, at most 90', '/data/attributes/name');
    }
    if ([...this.workspaces.values()].some((workspace) => workspace.organization === organization && workspace.name === name)) {
      return this.error(response, 422, 'invalid attribute', 'Name has already been taken', '/data/attributes/name');
    }
    const projectId = body?.data?.relationships?.project?.data?.id;
    if (projectId !== undefined && !this.projects.has(projectId)) return this.error(response, 404, 'not found', 'project not found');
    const workspace = this.addWorkspace(organization, name, { projectId });
    this.applyAttributes(workspace, body.data.attributes);
    for (const binding of body?.data?.relationships?.['tag-bindings']?.data ?? []) workspace.tags.set(binding.attributes.key, binding.attributes.value);
    this.send(response, 201, { data: this.resource(workspace) });
  }

  private workspaceRoute(response: ServerResponse, request: RecordedRequest, workspace: FakeWorkspace, rest: string): void {
    const { method, body } = request;
    if (rest === '' && method === 'PATCH') {
      this.applyAttributes(workspace, body?.data?.attributes ?? {});
      const projectId = body?.data?.relationships?.project?.data?.id;
      if (projectId !== undefined) workspace.projectId = projectId;
      return this.send(response, 200, { data: this.resource(workspace) });
    }
    if (rest === '/tag-bindings') {
      if (method === 'PATCH') for (const binding of body?.data ?? []) workspace.tags.set(binding.attributes.key, binding.attributes.value);
      if (method === 'GET' || method === 'PATCH') {
        return this.send(response, 200, {
          data: [...workspace.tags].map(([key, value]) => ({ id: `tb-${key}`, type: 'tag-bindings', attributes: { key, value } })),
        });
      }
    }
    if (rest === '/vars') {
      if (method === 'GET') return this.send(response, 200, { data: workspace.vars.map((variable) => this.variable(workspace, variable)) });
      if (method === 'POST') {
        const attributes = body?.data?.attributes ?? {};
        if (workspace.vars.some((variable) => variable.key === attributes.key && variable.category === attributes.category)) {
          return this.error(response, 422, 'invalid attribute', 'Key has already been taken', '/data/attributes/key');
        }
        const variable = { id: `var-${this.next()}`, hcl: false, sensitive: false, description: '', value: '', ...attributes };
        workspace.vars.push(variable);
        return this.send(response, 201, { data: this.variable(workspace, variable) });
      }
    }
    const variableRoute = /^\/vars\/([^/]+)$/.exec(rest);
    if (variableRoute && method === 'PATCH') {
      const variable = workspace.vars.find((candidate) => candidate.id === variableRoute[1]);
      if (!variable) return this.error(response, 404, 'not found');
      Object.assign(variable, body?.data?.attributes ?? {});
      return this.send(response, 200, { data: this.variable(workspace, variable) });
    }
    if (rest === '/relationships/remote-state-consumers') {
      if (method === 'GET') {
        const consumers = [...workspace.consumers].map((id) => this.workspaces.get(id)!).map((consumer) => this.resource(consumer));
        return this.page(response, request, consumers);
      }
      if (workspace.attributes['global-remote-state'] === true) return this.error(response, 422, 'invalid', 'global remote state is on');
      const ids: string[] = (body?.data ?? []).map((item: { id: string }) => item.id);
      if (ids.some((id) => !this.workspaces.has(id))) return this.error(response, 404, 'not found');
      if (method === 'POST') ids.filter((id) => id !== workspace.id).forEach((id) => workspace.consumers.add(id));
      if (method === 'DELETE') ids.forEach((id) => workspace.consumers.delete(id));
      if (method === 'POST' || method === 'DELETE') return this.send(response, 204);
    }
    if (rest === '/run-triggers') {
      if (method === 'GET') {
        if (request.query['filter[run-trigger][type]'] !== 'inbound') return this.error(response, 400, 'bad request', 'filter[run-trigger][type] is required');
        return this.page(
          response,
          request,
          workspace.triggers.map((trigger) => ({
            id: trigger.id,
            type: 'run-triggers',
            attributes: { 'workspace-name': workspace.name, 'sourceable-name': this.workspaces.get(trigger.sourceId)?.name },
            relationships: {
              workspace: { data: { id: workspace.id, type: 'workspaces' } },
              sourceable: { data: { id: trigger.sourceId, type: 'workspaces' } },
            },
          })),
        );
      }
      if (method === 'POST') {
        const sourceId = body?.data?.relationships?.sourceable?.data?.id;
        if (!this.workspaces.has(sourceId)) return this.error(response, 404, 'not found', 'sourceable not found');
        if (workspace.triggers.length >= MAX_TRIGGER_SOURCES) return this.error(response, 422, 'invalid', 'a workspace may have at most 20 source workspaces');
        const trigger = { id: `rt-${this.next()}`, sourceId };
        workspace.triggers.push(trigger);
        return this.send(response, 201, { data: { id: trigger.id, type: 'run-triggers' } });
      }
    }
    return this.error(response, 404, 'not found');
  }

  private variable(workspace: FakeWorkspace, variable: FakeWorkspace['vars'][number]): unknown {
    const { id, ...attributes } = variable;
    return {
      id,
      type: 'vars',
      attributes: { ...attributes, value: attributes.sensitive ? null : attributes.value },
      relationships: { configurable: { data: { id: workspace.id, type: 'workspaces' } } },
    };
  }
}
