/** Validates documents against the generated JSON Schema with Ajv, as an editor or CI linter would. */
import Ajv2020 from 'ajv/dist/2020';
import { configJsonSchema } from '../config/json-schema';

let compiled: ReturnType<Ajv2020['compile']> | undefined;

/** The schema's complaints about a document, as `<instance path> <message>` lines; [] when it is valid. */
export function jsonSchemaErrors(document: unknown): string[] {
  // strict: unknown keywords and formats are errors, so a typo in the generated schema fails here; required
  // fields named only in a conditional (countUnit in then) and types left to the enclosing schema are fine.
  compiled ??= new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true }).compile(configJsonSchema());
  // Ajv validates parsed JSON: drop undefined values as YAML and JSON files cannot hold them.
  return compiled(JSON.parse(JSON.stringify(document))) ? [] : (compiled.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
}
