/**
 * The bundled example (ecr-replication.yaml) as a plain object in the config's
 * input shape, so tests can derive variants (another backend, an endpoint)
 * without editing the file. Each call returns a fresh deep copy.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ConfigInput } from '../config/schema';

export const EXAMPLE_CONFIG_FILE = path.resolve(__dirname, '..', 'ecr-replication.yaml');

/** The parsed example; mutate freely, every call parses again. */
export function exampleConfig(): ConfigInput {
  return parse(readFileSync(EXAMPLE_CONFIG_FILE, 'utf8')) as ConfigInput;
}

/** The example with some top-level fields replaced (e.g. `{ backend: {...}, endpoint: {...} }`). */
export function exampleConfigWith(overrides: Partial<ConfigInput>): ConfigInput {
  return { ...exampleConfig(), ...overrides };
}
