/**
 * The API token Terraform itself uses for an HCP Terraform host, found the way
 * Terraform finds it, in its order of precedence:
 *
 *   1. `TF_TOKEN_<host>`: dots as `_`, hyphens as-is or as `__`
 *      (`TF_TOKEN_app_terraform_io`);
 *   2. a `credentials "<host>" { token = ... }` block of the CLI config file
 *      (`TF_CLI_CONFIG_FILE`, else `~/.terraformrc`), HCL or JSON;
 *   3. `~/.terraform.d/credentials.tfrc.json`, which `terraform login` writes.
 *
 * https://developer.hashicorp.com/terraform/cli/config/config-file#credentials
 *
 * The token is returned with the place it came from; messages name the place,
 * never the token. Credentials helpers are not run.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface HcpToken {
  readonly token: string;
  /** Where it was found: the variable name or the file, for messages. */
  readonly source: string;
}

/** Thrown when no token is found, or a credentials file cannot be read. */
export class HcpCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HcpCredentialsError';
  }
}

/** `TF_TOKEN_app_terraform_io`: the variable name Terraform reads first for a host. */
export function tokenVariableName(hostname: string): string {
  return `TF_TOKEN_${hostname.replace(/-/g, '__').replace(/\./g, '_')}`;
}

/** The host a `TF_TOKEN_` variable stands for: `__` is a hyphen, `_` a dot, other characters as they are. */
function hostOfVariable(name: string): string {
  return name
    .slice('TF_TOKEN_'.length)
    .split('__')
    .map((part) => part.replace(/_/g, '.'))
    .join('-')
    .toLowerCase();
}

function fromEnvironment(hostname: string, environment: NodeJS.ProcessEnv): HcpToken | undefined {
  // Terraform takes the last of several variables for one host; variables are read in the environment's order.
  const matches = Object.keys(environment).filter((name) => name.startsWith('TF_TOKEN_') && hostOfVariable(name) === hostname.toLowerCase());
  const name = matches[matches.length - 1];
  const token = name === undefined ? undefined : environment[name];
  return name !== undefined && token !== undefined && token.trim() !== '' ? { token: token.trim(), source: name } : undefined;
}

/** The token of `hostname` in a parsed CLI config or credentials file: `credentials.<host>` is an object or a list of one (HCL). */
function tokenIn(document: unknown, hostname: string): string | undefined {
  const credentials = (document as { credentials?: Record<string, unknown> } | null)?.credentials;
  if (credentials === null || typeof credentials !== 'object') return undefined;
  const entry = Object.entries(credentials).find(([host]) => host.toLowerCase() === hostname.toLowerCase())?.[1];
  const block = Array.isArray(entry) ? entry[0] : entry;
  const token = (block as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HcpCredentialsError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): fix its permissions or remove it`);
  }
}

async function parseConfigFile(file: string, text: string): Promise<unknown> {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new HcpCredentialsError(`${file} is not valid JSON (${(error as Error).message}): fix the file`);
    }
  }
  // The CLI config file is HCL; hcl2json is HashiCorp's HCL parser (WebAssembly), loaded only when needed.
  const { parse } = await import('@cdktf/hcl2json');
  try {
    return await parse(path.basename(file), text);
  } catch (error) {
    throw new HcpCredentialsError(`${file} is not valid HCL (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): fix the file`);
  }
}

export interface TokenLookup {
  readonly environment: NodeJS.ProcessEnv;
  /** @default the user's home folder */
  readonly homeDirectory?: string;
}

/** The token for `hostname`, or an error that says where it was looked for and how to provide one. */
export async function hcpToken(hostname: string, lookup: TokenLookup): Promise<HcpToken> {
  const fromVariable = fromEnvironment(hostname, lookup.environment);
  if (fromVariable) return fromVariable;
  const home = lookup.homeDirectory ?? os.homedir();
  const configured = lookup.environment.TF_CLI_CONFIG_FILE;
  const files = [configured && configured !== '' ? configured : path.join(home, '.terraformrc'), path.join(home, '.terraform.d', 'credentials.tfrc.json')];
  for (const file of files) {
    const text = readIfPresent(file);
    if (text === undefined) continue;
    const token = tokenIn(await parseConfigFile(file, text), hostname);
    if (token !== undefined) return { token, source: file };
  }
  throw new HcpCredentialsError(
    `no API token for ${hostname}: set ${tokenVariableName(hostname)} to a user or team token, or run terraform login ${hostname} (it writes ${files[1]}); looked in ${tokenVariableName(hostname)}, ${files.join(' and ')}`,
  );
}
