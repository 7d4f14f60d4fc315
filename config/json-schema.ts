/** The JSON Schema of the config file, generated from the zod schema so the two never disagree. */
import { z } from 'zod';
import { ConfigSchema } from './schema';

export const JSON_SCHEMA_FILE = 'ecr-replication.schema.json';

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://github.com/ecr-kms-replication/ecr-kms-replication/ecr-replication.schema.json',
    title: 'ecr-kms-replication configuration',
    description: 'Accounts, repositories, source registries and their destinations for KMS-encrypted ECR replication',
  };
}

export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
