/**
 * The library's policy builders (policies/*) called with HCL references in
 * place of values, and their result turned into an HCL value for
 * `jsonencode({...})`. The builders take strings, so a reference travels as
 * text:
 *
 * - a scalar as an interpolation, `${local.account_id}`: a string that is one
 *   interpolation becomes the bare expression, others stay templates
 *   (`arn:${local.partition}:iam::${local.account_id}:root`);
 * - a whole list as `listOf("var.users")` in a one-element list: the list
 *   becomes the expression `var.users`;
 * - a list mapped element by element (`repository/<filter>*`) as `${filter}`
 *   in a one-element list, with `forEach: { filter: "var.filters" }`: the
 *   list becomes `[for filter in var.filters : "...${filter}*"]`.
 */
import { expr, HclFor, HclValue, soleInterpolation, template } from '../hcl/hcl-writer';

const LIST_MARKER = '\u0000list:';

/** Stands for a whole list given by an HCL expression. */
export function listOf(expression: string): string {
  return `${LIST_MARKER}${expression}`;
}

export interface PolicyExpressionContext {
  /** Loop variables standing for the elements of a list: `{ filter: "var.replication_filters" }`. */
  readonly forEach?: Readonly<Record<string, string>>;
}

function templateValue(text: string): HclValue {
  if (text.startsWith(LIST_MARKER)) return expr(text.slice(LIST_MARKER.length));
  if (!text.includes('${')) return text;
  const sole = soleInterpolation(text);
  return sole !== undefined ? expr(sole) : template(text);
}

/** A policy document (or any JSON-like value) with references, as an HCL value. */
export function policyToHcl(value: unknown, context: PolicyExpressionContext = {}): HclValue {
  if (typeof value === 'string') return templateValue(value);
  if (Array.isArray(value)) {
    if (value.length === 1 && typeof value[0] === 'string') {
      const [only] = value as string[];
      if (only.startsWith(LIST_MARKER)) return expr(only.slice(LIST_MARKER.length));
      for (const [variable, list] of Object.entries(context.forEach ?? {})) {
        if (only.includes(`\${${variable}}`)) return new HclFor(`for ${variable} in ${list}`, undefined, templateValue(only));
      }
    }
    return value.map((item) => policyToHcl(item, context));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, policyToHcl(entry, context)]));
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new Error(`cannot write ${String(value)} into a policy`);
}
