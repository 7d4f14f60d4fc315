/**
 * `npm run hcp -- plan|apply [--config file]`: the HCP Terraform workspaces of
 * a config whose backend is cloud (tools/hcp/). `plan` reads HCP Terraform
 * and prints what would change; `apply` makes it so, and a second apply
 * writes nothing. The token is Terraform's own for the host (TF_TOKEN_<host>,
 * the CLI config file, or credentials.tfrc.json) and is never printed.
 *
 * `ECR_REPLICATION_HCP_ADDRESS` sends the API calls to another address than
 * https://<hostname> (a test server or a proxy); the token is still the host's.
 *
 * Exit status: 0 done, 1 failure (config, token, API), 2 usage error.
 */
import { loadConfigFile } from '../../config/load';
import { ConfigError, formatWarnings } from '../../config/problems';
import { Fetch, HcpApiError, HcpTerraformClient } from '../../tools/hcp/api-client';
import { HcpCredentialsError, hcpToken } from '../../tools/hcp/credentials';
import { desiredEstate } from '../../tools/hcp/desired-workspaces';
import { formatEstatePlan } from '../../tools/hcp/plan-report';
import { applyEstatePlan, hasChanges, HcpNotFoundError, planEstate } from '../../tools/hcp/workspace-plan';

export const HCP_ACTIONS = ['plan', 'apply'] as const;
export type HcpAction = (typeof HCP_ACTIONS)[number];

/** Overrides the API address (tests, proxies). */
export const HCP_ADDRESS_VARIABLE = 'ECR_REPLICATION_HCP_ADDRESS';

export interface HcpCommandContext {
  /** The config file, as selected (--config, ECR_REPLICATION_CONFIG, the remembered one, the example). */
  readonly configFile: string;
  readonly cwd: string;
  readonly environment: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** @default HOME of the environment, else the user's home folder (credentials files) */
  readonly homeDirectory?: string;
  /** @default globalThis.fetch */
  readonly fetch?: Fetch;
  /** @default setTimeout */
  readonly sleep?: (milliseconds: number) => Promise<void>;
}

/** `action`: one of HCP_ACTIONS, which the command line's argument choices enforce. */
export async function runHcp(action: HcpAction, context: HcpCommandContext): Promise<number> {
  let loaded;
  try {
    loaded = loadConfigFile(context.configFile, context.cwd);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    context.stderr(`${error.message}\nhcp ${action} failed: fix the problems above\n`);
    return 1;
  }
  for (const warning of formatWarnings(loaded.file, loaded.warnings)) context.stderr(`${warning}\n`);
  const backend = loaded.config.backend;
  if (backend.type !== 'cloud') {
    context.stderr(
      `hcp ${action}: the backend of ${loaded.file} is ${backend.type}, not cloud: HCP Terraform workspaces are managed for backend: { type: cloud, organization: <name>, project: <name> } only\n`,
    );
    return 1;
  }
  try {
    const homeDirectory = context.homeDirectory ?? context.environment.HOME;
    const { token, source } = await hcpToken(backend.hostname, { environment: context.environment, ...(homeDirectory ? { homeDirectory } : {}) });
    const address = context.environment[HCP_ADDRESS_VARIABLE] || `https://${backend.hostname}`;
    const client = new HcpTerraformClient({ address, token, tokenSource: source, hostname: backend.hostname, fetch: context.fetch, sleep: context.sleep });
    const plan = await planEstate(client, desiredEstate(loaded.config));
    context.stdout(`${formatEstatePlan(plan, address).join('\n')}\n`);
    if (action === 'plan') return 0;
    if (!plan.workspaces.some(hasChanges)) {
      context.stdout('Nothing to apply.\n');
      return 0;
    }
    const result = await applyEstatePlan(client, plan, (line) => context.stdout(`  done: ${line}\n`));
    const trust = plan.desired.workspaces.filter((workspace) => workspace.role === 'trust').map((workspace) => workspace.stackName);
    context.stdout(
      [
        `Applied: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged (${result.writes} writes).`,
        ...(trust.length > 0
          ? [
              `First, once per account and with an administrator's credentials of that account: npm run deploy -- ${trust.join(' ')} (these workspaces run locally).`,
            ]
          : []),
        "Next: npm run deploy -- '*' (or queue runs in HCP Terraform): destinations first, then sources; run triggers plan each source after its destinations apply.",
      ].join('\n') + '\n',
    );
    return 0;
  } catch (error) {
    if (error instanceof HcpApiError || error instanceof HcpNotFoundError || error instanceof HcpCredentialsError) {
      context.stderr(`hcp ${action} failed: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
