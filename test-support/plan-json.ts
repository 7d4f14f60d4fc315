/**
 * Small hand-made `terraform show -json` documents for tests of the plan
 * check and the deploy engine: a stack's aliased provider, resource changes
 * with their before/after values, and a prior state (a stack never applied
 * has none). Real plans made by terraform live in test-support/plans/.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PlanAction, PlanResourceChange, TerraformPlanJson } from '../tools/plan-check/plan-json';

export const ACCOUNT = '111111111111';
export const REGION = 'us-west-2';

/** A resource change with only what the deploy hooks read: address, type, name, actions and the prior values. */
export function bareChange(address: string, actions: PlanResourceChange['change']['actions'], before?: Record<string, unknown>): PlanResourceChange {
  const [type, name] = address.split('[')[0].split('.');
  return { address, type, name, mode: 'managed', change: { actions, before: before ?? null } };
}

export interface ChangeInput {
  readonly type: string;
  /** `aws_ecr_repository.repositories["web"]` */
  readonly address: string;
  readonly actions: readonly PlanAction[];
  readonly before?: Record<string, unknown> | null;
  readonly after?: Record<string, unknown> | null;
  readonly previous?: string;
  readonly reason?: string;
  readonly replacePaths?: readonly (readonly string[])[];
  readonly afterUnknown?: Record<string, unknown>;
  readonly importing?: string;
}

export function change(input: ChangeInput): PlanResourceChange {
  const [resource] = input.address.split('[');
  const index = /\["(.*)"\]$/.exec(input.address)?.[1];
  return {
    address: input.address,
    ...(input.previous ? { previous_address: input.previous } : {}),
    mode: 'managed',
    type: input.type,
    name: resource.split('.')[1],
    ...(index !== undefined ? { index } : {}),
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: input.actions,
      before: input.before ?? null,
      after: input.after ?? null,
      after_unknown: input.afterUnknown ?? {},
      ...(input.importing ? { importing: { id: input.importing } } : {}),
      ...(input.replacePaths ? { replace_paths: input.replacePaths } : {}),
    },
    ...(input.reason ? { action_reason: input.reason } : {}),
  };
}

/** A plan of a stack bound to `account`/`region` (provider alias `build_us_west_2`); `applied: false` gives it no prior state. */
export function planJson(changes: readonly PlanResourceChange[], options: { applied?: boolean; account?: string; region?: string } = {}): TerraformPlanJson {
  const account = options.account ?? ACCOUNT;
  const region = options.region ?? REGION;
  const alias = `build_${region.replace(/-/g, '_')}`;
  const resources = [...new Set(changes.map((item) => item.address.replace(/\[.*\]$/, '')))].map((address) => ({
    address,
    provider_config_key: `aws.${alias}`,
  }));
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: changes,
    ...(options.applied === false
      ? {}
      : {
          prior_state: {
            values: {
              root_module: {
                resources: [{ address: 'aws_kms_key.kms_key', mode: 'managed', type: 'aws_kms_key', name: 'kms_key', values: {} }],
              },
            },
          },
        }),
    configuration: {
      provider_config: {
        [`aws.${alias}`]: {
          name: 'aws',
          alias,
          expressions: { region: { constant_value: region }, allowed_account_ids: { constant_value: [account] } },
        },
      },
      root_module: { resources },
    },
  };
}

export const repositoryValues = (name: string, account = ACCOUNT, region = REGION) => ({
  name,
  arn: `arn:aws:ecr:${region}:${account}:repository/${name}`,
  registry_id: account,
  encryption_configuration: [{ encryption_type: 'KMS', kms_key: `arn:aws:kms:${region}:${account}:key/k1` }],
});

export const keyValues = (id = 'k1', account = ACCOUNT, region = REGION) => ({ arn: `arn:aws:kms:${region}:${account}:key/${id}`, key_id: id });

export const aliasValues = (name = 'alias/ecr-kms-replication', account = ACCOUNT, region = REGION) => ({
  name,
  arn: `arn:aws:kms:${region}:${account}:${name}`,
  target_key_arn: `arn:aws:kms:${region}:${account}:key/k1`,
});

/** A registry policy document letting `sources` (account ids) replicate `prefixes`. */
export function registryPolicy(sources: readonly string[], prefixes: readonly string[], account = ACCOUNT, region = REGION): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: sources.map((source) => ({
      Sid: `ReplicateFrom${source}`,
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${source}:root` },
      Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
      Resource: prefixes.map((prefix) => `arn:aws:ecr:${region}:${account}:repository/${prefix}*`),
    })),
  });
}

/** `replication_configuration` values: rules of destinations (`account/region`) and filters. */
export function replicationValues(rules: readonly { destinations: readonly string[]; filters: readonly string[] }[], account = ACCOUNT) {
  return {
    registry_id: account,
    replication_configuration: [
      {
        rule: rules.map((rule) => ({
          destination: rule.destinations.map((destination) => ({ registry_id: destination.split('/')[0], region: destination.split('/')[1] })),
          repository_filter: rule.filters.map((filter) => ({ filter, filter_type: 'PREFIX_MATCH' })),
        })),
      },
    ],
  };
}

/** A plan terraform 1.11.4 made against moto (test-support/plans/<name>.json). */
export function realPlan(name: string): TerraformPlanJson {
  return JSON.parse(readFileSync(path.join(__dirname, 'plans', `${name}.json`), 'utf8')) as TerraformPlanJson;
}
