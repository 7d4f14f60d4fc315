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
import { CloudBackendConfig, EndpointConfig } from '../config/schema';
import { partitionOf } from '../modules/ecr/regions';
import { registryProvider } from '../modules/aws-provider';
import { renderPolicy } from '../modules/policies/policy-document';
import { deployRolePolicy, HCP_TERRAFORM_AWS_AUDIENCE, hcpTerraformRunSubject, hcpTerraformTrustPolicy } from '../modules/policies/hcp-terraform-trust';
import { ReadableAddressStack } from './readable-address-stack';
import { PROJECT_NAME, STACK_TAG } from './resource-names';
import { useStateBackend } from './state-backend';
import { AccountTrustPlan, DEPLOY_ROLE_POLICY_NAME, roleNameAndPath } from './hcp-trust-plan';

export { accountTrustPlans, type AccountTrustPlan, DEPLOY_ROLE_POLICY_NAME, hcpTrustStackName, roleNameAndPath } from './hcp-trust-plan';

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
      name: plan.accountName,
      accountId: plan.account.id,
      region: plan.region,
      // Like every stack: what it creates names it, so an interrupted apply is adopted and a rename is caught.
      defaultTags: { ...props.tags, [STACK_TAG]: plan.stackName },
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
