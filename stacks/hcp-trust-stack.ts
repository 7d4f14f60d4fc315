/**
 * The optional AWS side of HCP Terraform's dynamic credentials
 * (`backend.dynamicCredentials.createTrust`): one stack per account, holding
 * the IAM OIDC provider of the HCP Terraform host (audience
 * `aws.workload.identity`) and the account's deploy role (its name and path
 * are the config's `deployRoleArn`), trusting exactly this estate's
 * workspaces in that account, with a least-privilege policy for what those
 * stacks manage.
 *
 * Bootstrap: the role does not exist before this stack is applied, so the
 * stack cannot use it. Its workspace runs locally (`npm run hcp -- apply`
 * sets execution mode local; state stays in HCP Terraform) and it is applied
 * once with other credentials of the account (an administrator's): its
 * provider assumes nothing. The registry stacks never read its state (the
 * role ARN comes from the config through the workspaces' variables), so there
 * is no cycle: they only deploy after it.
 */
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { AccountConfig, CloudBackendConfig, Config, EndpointConfig } from '../config/schema';
import { DeploymentPlan, Registry } from '../config/deployment-plan';
import { partitionOf } from '../modules/ecr/regions';
import { registryProvider } from '../modules/aws-provider';
import { renderPolicy } from '../modules/policies/policy-document';
import {
  deployRolePolicy,
  DeployRolePolicyProps,
  HCP_TERRAFORM_AWS_AUDIENCE,
  hcpTerraformRunSubject,
  hcpTerraformTrustPolicy,
} from '../modules/policies/hcp-terraform-trust';
import { ReadableAddressStack } from './readable-address-stack';
import { creationTemplateRoleName, PROJECT_NAME } from './resource-names';
import { cloudWorkspaceName, useStateBackend } from './state-backend';

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

export interface HcpTrustStackProps {
  readonly plan: AccountTrustPlan;
  readonly backend: CloudBackendConfig;
  /** Default tags of the provider. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default - real AWS endpoints */
  readonly endpoint?: EndpointConfig;
}

export class HcpTrustStack extends ReadableAddressStack {
  readonly stackName: string;
  readonly plan: AccountTrustPlan;
  readonly provider: AwsProvider;
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly deployRole: IamRole;

  constructor(scope: Construct, props: HcpTrustStackProps) {
    super(scope, props.plan.stackName);
    const { plan, backend } = props;
    if (backend.project === undefined) throw new Error(`HcpTrustStack ${plan.stackName}: the trusted subject names the project: backend.project is required`);
    this.stackName = plan.stackName;
    this.plan = plan;
    useStateBackend(this, plan.stackName, backend, props.endpoint);
    // Applied once with an administrator's credentials of the account: no role to assume yet.
    this.provider = registryProvider(this, {
      accountName: plan.accountName,
      accountId: plan.account.id,
      region: plan.region,
      defaultTags: props.tags,
      endpoint: props.endpoint,
    });
    this.oidcProvider = new IamOpenidConnectProvider(this, 'hcp_terraform', {
      provider: this.provider,
      url: `https://${backend.hostname}`,
      clientIdList: [HCP_TERRAFORM_AWS_AUDIENCE],
    });
    const { name, path } = roleNameAndPath(plan.account.deployRoleArn);
    this.deployRole = new IamRole(this, 'deploy_role', {
      provider: this.provider,
      name,
      path,
      description: `Assumed by HCP Terraform runs of the ${PROJECT_NAME} workspaces of ${backend.organization}/${backend.project} in account ${plan.account.id}`,
      assumeRolePolicy: renderPolicy(
        hcpTerraformTrustPolicy({
          oidcProviderArn: this.oidcProvider.arn,
          hostname: backend.hostname,
          subjects: plan.workspaces.map((workspace) => hcpTerraformRunSubject(backend.organization, backend.project!, workspace)),
        }),
      ),
    });
    new IamRolePolicy(this, 'deploy_role_policy', {
      provider: this.provider,
      role: this.deployRole.name,
      name: DEPLOY_ROLE_POLICY_NAME,
      policy: renderPolicy(deployRolePolicy({ partition: partitionOf(plan.region), accountId: plan.account.id, ...plan.permissions })),
    });
    this.output('oidc_provider_arn', this.oidcProvider.arn, 'ARN of the IAM OIDC provider of the HCP Terraform host');
    this.output('deploy_role_arn', this.deployRole.arn, "ARN of the deploy role HCP Terraform runs assume (the config's deployRoleArn)");
  }

  private output(name: string, value: string, description: string): void {
    new TerraformOutput(this, `output_${name}`, { value, description }).overrideLogicalId(name);
  }
}
