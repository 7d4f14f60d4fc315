/**
 * A small client of the HCP Terraform (and Terraform Enterprise) API v2: JSON:API
 * documents over HTTPS with a bearer token, pagination by `page[number]` /
 * `page[size]` (at most 100 per page), and the documented error codes: 401 for
 * a token problem, 404 for what does not exist or cannot be read, 422 for a
 * refused payload, 429 when the rate limit (30 requests per second per user)
 * is reached, retried after the wait the server gives (`Retry-After`, or
 * `X-RateLimit-Reset` in seconds as go-tfe reads it).
 * https://developer.hashicorp.com/terraform/cloud-docs/api-docs
 *
 * The token goes only into the Authorization header of requests to the
 * configured address; no message, error or log line carries it.
 */

/** A JSON:API resource object. */
export interface ApiResource {
  readonly id: string;
  readonly type: string;
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly relationships?: Readonly<
    Record<string, { readonly data?: { readonly id: string; readonly type: string } | readonly { readonly id: string; readonly type: string }[] | null }>
  >;
}

interface ApiDocument {
  readonly data?: ApiResource | readonly ApiResource[];
  readonly meta?: { readonly pagination?: { readonly 'next-page'?: number | null } };
  readonly errors?: readonly {
    readonly status?: string | number;
    readonly title?: string;
    readonly detail?: string;
    readonly source?: { readonly pointer?: string };
  }[];
}

/** An answer of the API that is not a success, with what it said (never the request's headers). */
export class HcpApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly method: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'HcpApiError';
  }
}

export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface HcpClientOptions {
  /** Base address, e.g. https://app.terraform.io (the API is under /api/v2). */
  readonly address: string;
  readonly token: string;
  /** Where the token came from (a variable name or a file), named in a 401 message. */
  readonly tokenSource: string;
  /** The host the token belongs to, for `terraform login <host>` in a 401 message. @default the address's host */
  readonly hostname?: string;
  /** @default globalThis.fetch */
  readonly fetch?: Fetch;
  /** Waits between retries; tests pass a clock of their own. @default setTimeout */
  readonly sleep?: (milliseconds: number) => Promise<void>;
  /** Retries of one request answered 429. @default 5 */
  readonly maxRetries?: number;
  /** @default 100 (the API's maximum) */
  readonly pageSize?: number;
}

/** Fallback wait when a 429 names none, and the longest wait honoured (a longer one fails with it). */
const DEFAULT_WAIT_MS = 1_000;
const LONGEST_WAIT_MS = 5 * 60_000;

/** The wait a 429 asks for: `Retry-After` (seconds or an HTTP date), else `X-RateLimit-Reset` (seconds, may be fractional). */
export function retryWaitMilliseconds(headers: { get(name: string): string | null }, now: number = Date.now()): number {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (headers.get('x-ratelimit-reset') !== null && Number.isFinite(reset) && reset >= 0) return Math.ceil(reset * 1000);
  return DEFAULT_WAIT_MS;
}

function describeErrors(document: ApiDocument | undefined): string {
  const parts = (document?.errors ?? []).map((error) => {
    const field = error.source?.pointer ? ` (${error.source.pointer})` : '';
    return [error.title, error.detail].filter((text) => text !== undefined && text !== '').join(': ') + field;
  });
  return parts.filter((part) => part !== '').join('; ');
}

function parse(text: string): ApiDocument | undefined {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as ApiDocument;
  } catch {
    return undefined;
  }
}

export class HcpTerraformClient {
  private readonly address: string;
  private readonly fetch: Fetch;
  private readonly sleep: (milliseconds: number) => Promise<void>;
  private readonly maxRetries: number;
  private readonly pageSize: number;

  constructor(private readonly options: HcpClientOptions) {
    this.address = options.address.replace(/\/+$/, '');
    this.fetch = options.fetch ?? (globalThis.fetch as unknown as Fetch);
    this.sleep = options.sleep ?? ((milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)));
    this.maxRetries = options.maxRetries ?? 5;
    this.pageSize = options.pageSize ?? 100;
  }

  /** The host the client talks to, for messages. */
  get host(): string {
    return new URL(this.address).host;
  }

  /** One request; the parsed document of a 2xx answer (undefined for 204), an HcpApiError otherwise. */
  async request(method: string, path: string, options: { query?: Record<string, string>; body?: unknown } = {}): Promise<ApiDocument | undefined> {
    const query = options.query && Object.keys(options.query).length > 0 ? `?${new URLSearchParams(options.query).toString()}` : '';
    const url = `${this.address}/api/v2${path}${query}`;
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await this.fetch(url, {
          method,
          headers: {
            Authorization: `Bearer ${this.options.token}`,
            'Content-Type': 'application/vnd.api+json',
            Accept: 'application/vnd.api+json',
          },
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new HcpApiError(
          `${method} ${path}: cannot reach ${this.host} (${cause?.code ?? cause?.message ?? (error as Error).message}): check the hostname in backend.hostname and the network`,
          0,
          method,
          path,
        );
      }
      const text = await response.text();
      if (response.status === 429) {
        const wait = retryWaitMilliseconds(response.headers);
        if (attempt >= this.maxRetries || wait > LONGEST_WAIT_MS) {
          throw new HcpApiError(
            `${method} ${path}: still rate limited by ${this.host} (429 Too Many Requests) after ${attempt} retries: wait ${Math.ceil(wait / 1000)} s and run the command again`,
            429,
            method,
            path,
          );
        }
        await this.sleep(wait);
        continue;
      }
      const document = parse(text);
      if (response.status >= 200 && response.status < 300) return document;
      const detail = describeErrors(document);
      if (response.status === 401) {
        throw new HcpApiError(
          `${this.host} refused the API token from ${this.options.tokenSource} (401 Unauthorized): it is missing, expired or revoked; run terraform login ${this.options.hostname ?? this.host} or set that variable to a valid user or team token`,
          401,
          method,
          path,
        );
      }
      throw new HcpApiError(
        `${method} ${path}: ${response.status} ${response.statusText || 'error'}${detail === '' ? '' : `: ${detail}`}`,
        response.status,
        method,
        path,
      );
    }
  }

  /** Every resource of a paginated list, page after page. */
  async list(path: string, query: Record<string, string> = {}): Promise<ApiResource[]> {
    const resources: ApiResource[] = [];
    for (let page: number | null | undefined = 1; page;) {
      const document = await this.request('GET', path, { query: { ...query, 'page[number]': String(page), 'page[size]': String(this.pageSize) } });
      const data = document?.data;
      resources.push(...(Array.isArray(data) ? (data as ApiResource[]) : []));
      page = document?.meta?.pagination?.['next-page'];
    }
    return resources;
  }

  /** A single resource (GET, POST or PATCH answering one). */
  async one(method: string, path: string, body?: unknown): Promise<ApiResource> {
    const data = (await this.request(method, path, body === undefined ? {} : { body }))?.data;
    if (data === undefined || Array.isArray(data)) throw new HcpApiError(`${method} ${path}: the answer holds no resource`, 0, method, path);
    return data as ApiResource;
  }
}
