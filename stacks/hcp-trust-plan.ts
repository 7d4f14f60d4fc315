/**
 * What each account's HCP Terraform trust stack holds (stacks/hcp-trust-stack.ts),
 * as plain data from the config: the workspaces its deploy role trusts and what
 * their stacks manage. No construct here, so the command line can list the
 * trust stacks without loading cdktf.
 */
import { AccountConfig, Config } from '../config/schema';
import { DeploymentPlan, Registry } from '../config/deployment-plan';
import { DeployRolePolicyProps } from '../modules/policies/hcp-terraform-trust';
import { cloudWorkspaceName, creationTemplateRoleName, PROJECT_NAME } from './resource-names';

/** `ecr-hcp-trust-<account>`: a state key and workspace name like the other stacks'. */
export function hcpTrustStackName(accountName: string): string {
  return `ecr-hcp-trust-${accountName}`;
}

/** The name of the inline policy of the deploy role. */
export const DEPLOY_ROLE_POLICY_NAME = `${PROJECT_NAME}-deploy`;

/** Name and path of a role from its ARN: `arn:aws:iam::1:role/teams/deployer` gives deployer under /teams/. */
export function roleNameAndPath(roleArn: string): { readonly name: string; readonly path: string } {
  const resource = roleArn.slice(roleArn.indexOf(':role/') + ':role/'.length);
  const slash = resource.lastIndexOf('/');
  return slash < 0 ? { name: resource, path: '/' } : { name: resource.slice(slash + 1), path: `/${resource.slice(0, slash + 1)}` };
}

/** What one account's trust stack needs: its registries' workspaces and what their stacks manage. */
export interface AccountTrustPlan {
  readonly stackName: string;
  readonly accountName: string;
  readonly account: AccountConfig & { readonly deployRoleArn: string };
  /** The provider's region (IAM is global): the account's first registry region. */
  readonly region: string;
  /** Workspaces of the account's registry stacks, sorted: each may assume the deploy role. */
  readonly workspaces: readonly string[];
  readonly permissions: Omit<DeployRolePolicyProps, 'partition' | 'accountId'>;
}

/** One trust plan per account that holds a registry, sorted by account name; none unless `createTrust` is on. */
export function accountTrustPlans(config: Config, plan: DeploymentPlan): AccountTrustPlan[] {
  const backend = config.backend;
  if (backend.type !== 'cloud' || !backend.dynamicCredentials.createTrust) return [];
  const stacks: { stackName: string; registry: Registry }[] = [...plan.destinations, ...plan.sources];
  const accountNames = [...new Set(stacks.map((stack) => stack.registry.accountName))].sort();
  return accountNames.map((accountName) => {
    const account = config.accounts[accountName];
    if (account.deployRoleArn === undefined) throw new Error(`accountTrustPlans: account ${accountName} has no deployRoleArn (the config check requires one)`);
    const ownStacks = stacks.filter((stack) => stack.registry.accountName === accountName);
    const regions = [...new Set(ownStacks.map((stack) => stack.registry.region))].sort();
    const destinations = plan.destinations.filter((destination) => destination.registry.accountName === accountName);
    const sources = plan.sources.filter((source) => source.registry.accountName === accountName);
    const namespaceAliases = [...destinations, ...sources].flatMap((registry) => registry.namespaceKeys.map((key) => key.alias));
    return {
      stackName: hcpTrustStackName(accountName),
      accountName,
      account: { ...account, deployRoleArn: account.deployRoleArn },
      region: regions[0],
      workspaces: ownStacks.map((stack) => cloudWorkspaceName(backend.workspacePrefix, stack.stackName)).sort(),
      permissions: {
        regions,
        keyAliases: [config.keys.alias, ...namespaceAliases],
        creationTemplateRoles: destinations
          .filter((destination) => destination.repositoryCreationTemplates)
          .map((destination) => creationTemplateRoleName(destination.registry.region)),
        replication: sources.length > 0,
        registryPolicy: destinations.some((destination) => destination.crossAccountSources.length > 0),
        scanning: !config.scanning.enabled ? 'none' : config.scanning.scanType === 'ENHANCED' ? 'enhanced' : 'basic',
      },
    };
  });
}
