/** Writes ecr-replication.schema.json from the zod schema (`npm run schema`). A test fails when it is stale. */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { JSON_SCHEMA_FILE, renderConfigJsonSchema } from '../config/json-schema';

const target = path.resolve(__dirname, '..', JSON_SCHEMA_FILE);
writeFileSync(target, renderConfigJsonSchema());
process.stdout.write(`wrote ${JSON_SCHEMA_FILE}\n`);
