/**
 * Error texts for schema fields. zod's own messages ("Invalid input: expected
 * string, received undefined") name neither the field nor the fix; every
 * schema of the config says instead what belongs there, so a missing field
 * reads `is required: add <what>` and a wrong one `must be <what>`.
 */
import { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

export interface ExpectOptions {
  /** Names what requires the field when it is required only in some cases, e.g. `the s3 backend`. */
  readonly requiredBy?: string;
}

/** The `error` parameter of a schema whose value must be `what` (a noun phrase with an example). */
export function expects(what: string, options: ExpectOptions = {}): { error: (issue: Issue) => string | undefined } {
  return {
    error: (issue) => {
      if (issue.code !== 'invalid_type' && issue.code !== 'invalid_value') return undefined;
      if (issue.input === undefined) return `is required${options.requiredBy ? ` for ${options.requiredBy}` : ''}: add ${what}`;
      return `must be ${what}`;
    },
  };
}

/** A message for a check, the same for every failing value. */
export function rule(message: string): { error: string } {
  return { error: message };
}
