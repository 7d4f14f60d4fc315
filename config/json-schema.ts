/**
 * The JSON Schema of the config file, generated from the zod schema so the two never disagree.
 *
 * zod writes the types, enums, patterns, ranges and descriptions (`.meta`); refinements that check one value are
 * mirrored by a `pattern` or similar next to them in the zod schema. What zod cannot write is added here:
 * conditionals between fields (JSON Schema if/then) for the rules of lifecycle selections (ecr/lifecycle-policy.ts)
 * and for partitions (every registry and IAM ARN of a config in one partition, the state role in the bucket's).
 * Rules that compare values across the file (unknown account or repository names, unique ids, limits that count
 * registries) are left to the loader: `npm run check` reports them.
 */
import { z } from 'zod';
import { AWS_REGIONS, Partition, partitionOf } from '../modules/ecr/regions';
import { LifecycleSelectionSchema } from './lifecycle-policy';
import { ConfigSchema, S3BackendSchema } from './schema';

export const JSON_SCHEMA_FILE = 'ecr-replication.schema.json';

type JsonSchema = Record<string, unknown>;

const PARTITIONS: readonly Partition[] = ['aws', 'aws-us-gov', 'aws-cn'];

function regionsOf(partition: Partition): string[] {
  return AWS_REGIONS.filter((region) => partitionOf(region) === partition);
}

/** An ARN of the partition (the full ARN pattern is on the field itself). */
function arnIn(partition: Partition): JsonSchema {
  return { pattern: `^arn:${partition}:` };
}

/** `if` matches only when the field is present, so a missing field is reported by `required`, not by a conditional. */
function when(field: string, value: JsonSchema): JsonSchema {
  return { properties: { [field]: value }, required: [field] };
}

/** The rules of lifecycleRuleProblems (ecr/lifecycle-policy.ts) about one selection. */
const LIFECYCLE_SELECTION_CONDITIONS: JsonSchema[] = [
  {
    if: when('countType', { const: 'sinceImagePushed' }),
    then: { required: ['countUnit'] },
  },
  {
    if: when('countType', { const: 'imageCountMoreThan' }),
    then: { properties: { countUnit: false } },
  },
  {
    if: when('tagStatus', { const: 'tagged' }),
    then: { anyOf: [{ required: ['tagPrefixList'] }, { required: ['tagPatternList'] }] },
    else: { properties: { tagPrefixList: false, tagPatternList: false } },
  },
  { not: { required: ['tagPrefixList', 'tagPatternList'] } },
];

/** The state role is in the partition of the state bucket (cross-field-checks.ts). */
const S3_BACKEND_CONDITIONS: JsonSchema[] = PARTITIONS.map((partition) => ({
  if: when('region', { enum: regionsOf(partition) }),
  then: { properties: { roleArn: arnIn(partition) } },
}));

/** One branch per partition: every registry region and every IAM ARN of the accounts and repositories in it. */
function partitionBranch(partition: Partition): JsonSchema {
  const region = { enum: regionsOf(partition) };
  const arn = arnIn(partition);
  return {
    title: `every registry and IAM ARN in partition ${partition}`,
    properties: {
      sources: { items: { properties: { region, destinations: { items: { properties: { region } } } } } },
      accounts: { additionalProperties: { properties: { deployRoleArn: arn, keyAdministrators: { items: arn }, keyUsers: { items: arn } } } },
      repositories: { items: { properties: { pullPrincipals: { items: arn }, pushPrincipals: { items: arn } } } },
    },
  };
}

export function configJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(ConfigSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === LifecycleSelectionSchema) jsonSchema.allOf = LIFECYCLE_SELECTION_CONDITIONS;
      if (zodSchema === S3BackendSchema) jsonSchema.allOf = S3_BACKEND_CONDITIONS;
    },
  }) as JsonSchema;
  return {
    ...schema,
    $id: 'https://github.com/ecr-kms-replication/ecr-kms-replication/ecr-replication.schema.json',
    title: 'ecr-kms-replication configuration',
    description:
      'Accounts, repositories, source registries and their destinations for KMS-encrypted ECR replication. ' +
      'Every registry and IAM ARN of one config is in one partition (aws, aws-us-gov or aws-cn).',
    anyOf: PARTITIONS.map(partitionBranch),
  };
}

export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
