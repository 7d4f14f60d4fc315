/**
 * What the config asks of HCP Terraform (backend type cloud): one workspace
 * per stack, `<workspacePrefix><stack>`, in the organization and project, with
 *
 * - remote execution (the trust stacks: local, see stacks/hcp-trust-stack.ts),
 *   the Terraform version the project tests, no working directory (the CLI
 *   uploads the synthesized stack folder as the configuration's root: a
 *   working directory would make it upload the parent folders instead);
 * - remote state shared only with the workspaces that read it (a destination:
 *   exactly the sources that replicate into it), never organization-wide;
 * - run triggers from each destination to the sources that read it (a source
 *   plans again after a destination applies);
 * - the environment variables of AWS dynamic credentials for the stack's
 *   provider alias (`TFC_AWS_PROVIDER_AUTH_<alias>`, `TFC_AWS_RUN_ROLE_ARN_<alias>`);
 * - tags naming the account, region and role of the stack, by which a
 *   workspace of this estate whose stack disappeared is recognised.
 *
 * Pure data from the config; tools/hcp/workspace-plan.ts compares it with HCP.
 */
import { Config } from '../../config/schema';
import { planDeployment, Registry } from '../../config/deployment-plan';
import { providerAlias } from '../../modules/aws-provider';
import { cloudWorkspaceName } from '../../stacks/resource-names';
import { dynamicCredentialsEnvironment } from '../../stacks/dynamic-credentials';
import { accountTrustPlans } from '../../stacks/hcp-trust-plan';
import { PROJECT_NAME } from '../../stacks/resource-names';

/** The Terraform version the project tests with (README, Prerequisites); every workspace runs it. */
export const TESTED_TERRAFORM_VERSION = '1.11.4';

/** HCP Terraform connects a workspace to at most 20 source workspaces (run triggers API). */
export const MAX_RUN_TRIGGER_SOURCES = 20;

/** The tag keys the command manages; `role` marks a workspace as this estate's. */
export const ESTATE_TAGS = { account: 'ecr-replication-account', region: 'ecr-replication-region', role: 'ecr-replication-role' } as const;

export type WorkspaceRole = 'destination' | 'source' | 'trust';

/** The workspace attributes the command manages. */
export interface WorkspaceSettings {
  readonly 'execution-mode': 'remote' | 'local';
  readonly 'terraform-version': string;
  readonly 'working-directory': string;
  readonly 'global-remote-state': boolean;
  readonly description: string;
}

export interface DesiredVariable {
  readonly key: string;
  readonly value: string;
  readonly category: 'env';
  readonly description: string;
}

export interface DesiredWorkspace {
  readonly name: string;
  readonly stackName: string;
  readonly role: WorkspaceRole;
  readonly settings: WorkspaceSettings;
  readonly tags: Readonly<Record<string, string>>;
  readonly variables: readonly DesiredVariable[];
  /** Workspaces allowed to read this one's state: the sources that read it. Sorted. */
  readonly remoteStateConsumers: readonly string[];
  /** Workspaces whose applies queue a run here: the destinations this source reads, at most 20. Sorted. */
  readonly runTriggerSources: readonly string[];
  /** Destinations beyond HCP Terraform's 20 sources per workspace: queue this workspace by hand after them. */
  readonly runTriggersLeftOut: readonly string[];
}

export interface DesiredEstate {
  readonly hostname: string;
  readonly organization: string;
  /** @default - the organization's default project */
  readonly project?: string;
  readonly workspacePrefix: string;
  /** Trust workspaces, then destinations, then sources: the apply order. */
  readonly workspaces: readonly DesiredWorkspace[];
}

function describe(role: WorkspaceRole, subject: string): string {
  const what = { destination: 'destination registry', source: 'source registry', trust: 'OIDC trust and deploy role of account' }[role];
  return `${PROJECT_NAME}: ${what} ${subject} (managed by npm run hcp)`;
}

function settings(role: WorkspaceRole, subject: string): WorkspaceSettings {
  return {
    'execution-mode': role === 'trust' ? 'local' : 'remote',
    'terraform-version': TESTED_TERRAFORM_VERSION,
    'working-directory': '',
    'global-remote-state': false,
    description: describe(role, subject),
  };
}

function credentialVariables(registry: Registry): DesiredVariable[] {
  const alias = providerAlias(registry.accountName, registry.region);
  const roleArn = registry.account.deployRoleArn;
  if (roleArn === undefined) throw new Error(`desiredEstate: account ${registry.accountName} has no deployRoleArn (the config check requires one)`);
  return Object.entries(dynamicCredentialsEnvironment(alias, roleArn)).map(([key, value]) => ({
    key,
    value,
    category: 'env' as const,
    description: key.startsWith('TFC_AWS_RUN_ROLE_ARN_')
      ? `Role HCP Terraform runs assume for provider aws.${alias} (dynamic credentials, set by npm run hcp)`
      : `Dynamic credentials for provider aws.${alias} (set by npm run hcp)`,
  }));
}

/** The workspaces of a config whose backend is cloud. */
export function desiredEstate(config: Config): DesiredEstate {
  const backend = config.backend;
  if (backend.type !== 'cloud') throw new Error('desiredEstate: the backend is not cloud');
  const name = (stackName: string) => cloudWorkspaceName(backend.workspacePrefix, stackName);
  const plan = planDeployment(config);
  const tags = (registry: Pick<Registry, 'accountName' | 'region'>, role: WorkspaceRole) => ({
    [ESTATE_TAGS.account]: registry.accountName,
    [ESTATE_TAGS.region]: registry.region,
    [ESTATE_TAGS.role]: role,
  });
  const trust = accountTrustPlans(config, plan).map((trustPlan): DesiredWorkspace => ({
    name: name(trustPlan.stackName),
    stackName: trustPlan.stackName,
    role: 'trust',
    settings: settings('trust', trustPlan.accountName),
    tags: tags({ accountName: trustPlan.accountName, region: trustPlan.region }, 'trust'),
    variables: [],
    remoteStateConsumers: [],
    runTriggerSources: [],
    runTriggersLeftOut: [],
  }));
  const destinations = plan.destinations.map((destination): DesiredWorkspace => ({
    name: name(destination.stackName),
    stackName: destination.stackName,
    role: 'destination',
    settings: settings('destination', `${destination.registry.accountName}/${destination.registry.region}`),
    tags: tags(destination.registry, 'destination'),
    variables: credentialVariables(destination.registry),
    remoteStateConsumers: plan.sources
      .filter((source) => source.destinations.some((candidate) => candidate.stackName === destination.stackName))
      .map((source) => name(source.stackName))
      .sort(),
    runTriggerSources: [],
    runTriggersLeftOut: [],
  }));
  const sources = plan.sources.map((source): DesiredWorkspace => {
    const triggers = source.destinations.map((destination) => name(destination.stackName)).sort();
    return {
      name: name(source.stackName),
      stackName: source.stackName,
      role: 'source',
      settings: settings('source', `${source.registry.accountName}/${source.registry.region}`),
      tags: tags(source.registry, 'source'),
      variables: credentialVariables(source.registry),
      remoteStateConsumers: [],
      runTriggerSources: triggers.slice(0, MAX_RUN_TRIGGER_SOURCES),
      runTriggersLeftOut: triggers.slice(MAX_RUN_TRIGGER_SOURCES),
    };
  });
  return {
    hostname: backend.hostname,
    organization: backend.organization,
    ...(backend.project === undefined ? {} : { project: backend.project }),
    workspacePrefix: backend.workspacePrefix,
    workspaces: [...trust, ...destinations, ...sources],
  };
}
