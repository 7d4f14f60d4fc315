/**
 * Terraform test files (`.tftest.hcl`) for the HCP Terraform side of the
 * stacks, rendered from the plans (not from the synthesized JSON):
 *
 * - a trust stack, applied with a mock provider: the OIDC provider of the host
 *   with the AWS audience, the deploy role named and placed as the config's
 *   deployRoleArn, trusting exactly the account's workspaces (StringLike on
 *   `<host>:sub`, StringEquals on `<host>:aud`), and its policy's statements;
 * - a registry stack with dynamic credentials: it plans when HCP Terraform
 *   gives its alias a shared config file, and its variable's validation stops
 *   the run, naming the workspace variables to set, when it does not.
 */
import { CloudBackendConfig } from '../config/schema';
import { Registry } from '../config/deployment-plan';
import { providerAlias } from '../modules/aws-provider';
import { hcpTerraformRunSubject } from '../modules/policies/hcp-terraform-trust';
import { AccountTrustPlan, roleNameAndPath } from '../stacks/hcp-trust-stack';
import { DYNAMIC_CREDENTIALS_VARIABLE } from '../stacks/dynamic-credentials';
import { hcl, hclString, mockProvider, TestFileOptions } from './tftest';

function indented(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${indent}${line}`))
    .join('\n');
}

function run(name: string, body: readonly string[], options: TestFileOptions): string {
  const parts = options.module === undefined ? body : [`module {\n  source = ${hclString(options.module)}\n}`, ...body];
  return `run ${hclString(name)} {\n${parts.map((part) => indented(part, '  ')).join('\n\n')}\n}`;
}

function assertBlock(condition: string, errorMessage: string): string {
  return `assert {\n  condition     = ${condition}\n  error_message = ${hclString(errorMessage)}\n}`;
}

/** Equality of a string list with `expected`, whatever its order and list/set/tuple type (a lone string is a list of one). */
function sameStrings(expression: string, expected: readonly string[]): string {
  return `jsonencode(sort(flatten([${expression}]))) == ${hclString(JSON.stringify([...expected].sort()))}`;
}

/** The trust stack applied with a mock provider, its trust and policy checked against the plan. */
export function trustStackTestFile(
  plan: AccountTrustPlan,
  backend: CloudBackendConfig,
  expectedStatements: readonly string[],
  options: TestFileOptions = {},
): string {
  const alias = providerAlias(plan.accountName, plan.region);
  const oidcArn = `arn:aws:iam::${plan.account.id}:oidc-provider/${backend.hostname}`;
  const { name, path } = roleNameAndPath(plan.account.deployRoleArn);
  const host = backend.hostname;
  const trust = 'jsondecode(aws_iam_role.deploy_role.assume_role_policy).Statement';
  const statements = 'jsondecode(aws_iam_role_policy.deploy_role_policy.policy).Statement';
  const subjects = plan.workspaces.map((workspace) => hcpTerraformRunSubject(backend.organization, backend.project!, workspace));
  const templateRoles = (plan.permissions.creationTemplateRoles ?? []).map((role) => `arn:aws:iam::${plan.account.id}:role/${role}`);
  const mock = `mock_provider "aws" {\n  alias = ${hclString(alias)}\n\n  mock_resource "aws_iam_openid_connect_provider" {\n    defaults = ${hcl({ arn: oidcArn }, '    ')}\n  }\n\n  mock_resource "aws_iam_role" {\n    defaults = ${hcl({ arn: plan.account.deployRoleArn, unique_id: 'AROAMOCKMOCKMOCKMOCK2' }, '    ')}\n  }\n}`;
  const body = [
    'command = apply',
    assertBlock(`aws_iam_openid_connect_provider.hcp_terraform.url == ${hclString(`https://${host}`)}`, `the OIDC provider is not https://${host}`),
    assertBlock(
      sameStrings('aws_iam_openid_connect_provider.hcp_terraform.client_id_list', ['aws.workload.identity']),
      'the OIDC provider does not list exactly the AWS audience',
    ),
    assertBlock(
      `aws_iam_role.deploy_role.name == ${hclString(name)} && aws_iam_role.deploy_role.path == ${hclString(path)}`,
      `the deploy role is not ${path}${name}`,
    ),
    assertBlock(
      `length(${trust}) == 1 && ${trust}[0].Effect == "Allow" && ${trust}[0].Action == "sts:AssumeRoleWithWebIdentity"`,
      'the role is not assumable with web identity only',
    ),
    assertBlock(
      `${trust}[0].Principal == { Federated = aws_iam_openid_connect_provider.hcp_terraform.arn }`,
      'the role does not trust the OIDC provider of the stack',
    ),
    assertBlock(
      `${trust}[0].Condition.StringEquals == { ${hclString(`${host}:aud`)} = "aws.workload.identity" }`,
      'the audience is not pinned with StringEquals',
    ),
    assertBlock(
      `keys(${trust}[0].Condition) == ["StringEquals", "StringLike"] && ${sameStrings(`${trust}[0].Condition.StringLike[${hclString(`${host}:sub`)}]`, subjects)}`,
      "the role does not trust exactly the account's workspaces, every run phase",
    ),
    assertBlock(sameStrings(`[for statement in ${statements} : statement.Sid]`, expectedStatements), 'the deploy policy has other statements than expected'),
    assertBlock(
      `alltrue([for statement in ${statements} : !anytrue([for action in flatten([statement.Action]) : endswith(action, "*")])])`,
      'the deploy policy grants a wildcard action',
    ),
    assertBlock(
      `${sameStrings(`flatten([for statement in ${statements} : statement.Resource if statement.Action == "iam:PassRole"])`, templateRoles)}`,
      'iam:PassRole is not limited to the creation template roles',
    ),
    assertBlock('output.deploy_role_arn == aws_iam_role.deploy_role.arn', 'the stack does not output the deploy role'),
  ];
  return `${mock}\n\n${run('trust_is_exactly_this_estate', body, options)}\n`;
}

/** A registry stack with dynamic credentials: it plans with its alias's shared config file, and refuses a run without it. */
export function dynamicCredentialsTestFile(registry: Registry, options: TestFileOptions = {}): string {
  const alias = providerAlias(registry.accountName, registry.region);
  const variables = (aliases: Record<string, unknown>) => `variables {\n  ${DYNAMIC_CREDENTIALS_VARIABLE} = ${hcl({ aliases }, '  ')}\n}`;
  return `${mockProvider(registry)}\n\n${run(
    'plans_with_its_alias_credentials',
    ['command = plan', variables({ [alias]: { shared_config_file: `/tmp/aws_${alias}_config.ini` } })],
    options,
  )}\n\n${run(
    'refuses_a_run_without_its_alias_credentials',
    [
      'command = plan',
      variables({ other_alias: { shared_config_file: '/tmp/aws_other_alias_config.ini' } }),
      `expect_failures = [var.${DYNAMIC_CREDENTIALS_VARIABLE}]`,
    ],
    options,
  )}\n`;
}

/**
 * The module arguments that stand for HCP Terraform's variable when a stack with dynamic credentials is validated as
 * a child module (its default has no alias, and its validation would stop the run): undefined for other stacks.
 */
export function dynamicCredentialsInputs(stackJson: {
  readonly variable?: Record<string, unknown>;
  readonly provider?: { readonly aws?: readonly { readonly alias?: string }[] };
}): Record<string, unknown> | undefined {
  if (stackJson.variable?.[DYNAMIC_CREDENTIALS_VARIABLE] === undefined) return undefined;
  const aliases = (stackJson.provider?.aws ?? []).map((provider) => provider.alias).filter((alias): alias is string => alias !== undefined);
  return {
    [DYNAMIC_CREDENTIALS_VARIABLE]: { aliases: Object.fromEntries(aliases.map((alias) => [alias, { shared_config_file: `/tmp/aws_${alias}_config.ini` }])) },
  };
}
