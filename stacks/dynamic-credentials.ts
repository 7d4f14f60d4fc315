/**
 * HCP Terraform's AWS dynamic provider credentials, one configuration per
 * provider alias ("Specifying multiple configurations"). HCP Terraform reads
 * the workspace's `TFC_AWS_PROVIDER_AUTH_<tag>=true` and
 * `TFC_AWS_RUN_ROLE_ARN_<tag>` environment variables (set by
 * `npm run hcp -- apply`), fetches a workload identity token per tag, writes
 * an AWS shared config file (`role_arn` + `web_identity_token_file`) and
 * passes its path in the `tfc_aws_dynamic_credentials` input variable, under
 * `aliases["<tag>"]`. The tag is the provider alias, so each stack's aliased
 * provider reads its own file: no stored keys, no `assume_role`.
 *
 * HCP Terraform documents no minimum Terraform version for multiple configurations (self-hosted agents need
 * v1.12.0 or later); the variable type's `optional()` members need Terraform 1.3 or later.
 *
 * https://developer.hashicorp.com/terraform/cloud-docs/dynamic-provider-credentials/aws-configuration#specifying-multiple-configurations
 * https://developer.hashicorp.com/terraform/cloud-docs/dynamic-provider-credentials/specifying-multiple-configurations
 */
import { Fn, TerraformStack, TerraformVariable, Token } from 'cdktf';

/** The input variable HCP Terraform sets for AWS dynamic credentials. */
export const DYNAMIC_CREDENTIALS_VARIABLE = 'tfc_aws_dynamic_credentials';

/** The environment variables of one configuration: tags are the provider aliases (letters, digits and `_`). */
export function dynamicCredentialsEnvironment(alias: string, roleArn: string): Readonly<Record<string, string>> {
  return { [`TFC_AWS_PROVIDER_AUTH_${alias}`]: 'true', [`TFC_AWS_RUN_ROLE_ARN_${alias}`]: roleArn };
}

/**
 * The documented type, with both members optional: HCP Terraform sets `default` only for an untagged configuration,
 * and the stacks use tagged ones only. The default (no alias) keeps plain `terraform validate` working; a run without
 * the workspace variables then stops at the validation below, which says what to set.
 */
const VARIABLE_TYPE =
  'object({ default = optional(object({ shared_config_file = string })), aliases = optional(map(object({ shared_config_file = string })), {}) })';

/** Declares the variable in the stack (once) and returns the shared config file of `alias` as a Terraform expression. */
export function dynamicCredentialsSharedConfigFile(stack: TerraformStack, alias: string): string {
  const variable = new TerraformVariable(stack, DYNAMIC_CREDENTIALS_VARIABLE, {
    type: VARIABLE_TYPE,
    default: {},
    description: 'Set by HCP Terraform: the AWS shared config file of each dynamic credentials configuration, by tag (the provider alias)',
  });
  variable.overrideLogicalId(DYNAMIC_CREDENTIALS_VARIABLE);
  const aliases = Fn.lookupNested(variable.value, ['aliases']);
  variable.addValidation({
    condition: Fn.contains(Fn.keys(aliases), alias),
    errorMessage: `HCP Terraform gave no AWS dynamic credentials for provider alias ${alias}: the workspace needs the environment variables TFC_AWS_PROVIDER_AUTH_${alias}=true and TFC_AWS_RUN_ROLE_ARN_${alias}=<the account's deployRoleArn>; npm run hcp -- apply sets them.`,
  });
  return Token.asString(Fn.lookupNested(aliases, [alias, 'shared_config_file']));
}
