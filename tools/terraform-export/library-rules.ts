/**
 * The library's input rules as Terraform `validation` blocks. Each rule is
 * the library's pattern (RE2-compatible, read by `regex()`) or limit and the
 * library's message, so a plan with a bad input fails with the message the
 * config check and the constructs give, in the config's form:
 *
 *   administrators[0] (received "*"): must not be the wildcard principal "*" ...
 *
 * A rule is an HCL condition that is true when a value breaks it; `validations`
 * applies rules to the values of a variable (one value, or every value of
 * nested lists and maps), naming each bad value by its path.
 */
import { KMS_ALIAS_NAME_PATTERN, KMS_ALIAS_RULE, RESERVED_KMS_ALIAS_PREFIX } from '../../modules/ecr/kms-alias';
import { KEY_ROTATION_PERIOD, ROTATION_PERIOD_RULE } from '../../modules/ecr/kms-key-options';
import { DELETION_WINDOW_RULE, KEY_DELETION_WINDOW } from '../../modules/ecr/limits';
import { AWS_REGIONS, ENDPOINT_URL_PATTERN, ENDPOINT_URL_RULE, KMS_KEY_ARN_PATTERN, KMS_KEY_ARN_RULE, REGION_RULE } from '../../modules/ecr/regions';
import { NAMESPACE_LENGTH, NAMESPACE_PATTERN, NAMESPACE_RULES } from '../../modules/ecr/namespaces';
import { REPLICATION_FILTER_LENGTH, REPLICATION_FILTER_PATTERN, replicationFilterProblem } from '../../modules/ecr/replication-rules';
import { REPOSITORY_NAME_LENGTH, REPOSITORY_NAME_PATTERN, REPOSITORY_NAME_RULES } from '../../modules/ecr/repository-name';
import { SCANNING_FILTER_PATTERN, SCANNING_RULES } from '../../modules/ecr/scanning';
import {
  ACCOUNT_ID_PATTERN,
  ACCOUNT_ID_RULE,
  PRINCIPAL_ARN_PATTERN,
  PRINCIPAL_RULES,
  ROLE_ARN_PATTERN,
  ROLE_ARN_RULE,
  WILDCARD_PRINCIPAL,
} from '../../modules/ecr/principals';
import { quoteLiteral, quoteTemplate } from '../hcl/hcl-writer';
import { VariableValidation } from './module-definition';

/** One rule of the library: an HCL condition that holds when `value` (an HCL expression) keeps the rule, and the library's message. */
export interface HclRule {
  readonly holds: (value: string) => string;
  /** The library's message; it may interpolate the loop variables of the values (then it is given with each bad value). */
  readonly message: string;
  /** The message interpolates loop variables (`rules[${index(...)}] has it too`). @default false */
  readonly perValue?: boolean;
}

/** Lookaround and backreferences: JavaScript reads them, RE2 (Terraform's `regex()`) does not. */
const NOT_RE2 = /\(\?[=!<]|\\[1-9]/;

/**
 * A JavaScript pattern of the library as an HCL string for `regex()`: `\/`
 * (an escape JavaScript literals need) becomes `/`; a pattern RE2 would read
 * differently is refused.
 */
export function re2Pattern(pattern: RegExp): string {
  if (NOT_RE2.test(pattern.source) || pattern.flags !== '') {
    throw new Error(`${pattern} is not RE2-compatible: give Terraform a pattern without lookaround, backreferences or flags`);
  }
  return quoteLiteral(pattern.source.replace(/\\\//g, '/'));
}

const matches = (pattern: RegExp, value: string): string => `can(regex(${re2Pattern(pattern)}, ${value}))`;
const lengthWithin = (value: string, limits: { readonly min: number; readonly max: number }): string =>
  `length(${value}) >= ${limits.min} && length(${value}) <= ${limits.max}`;
/** A whole number within limits (`floor` keeps fractions out). */
const wholeNumberWithin = (value: string, limits: { readonly min: number; readonly max: number }): string =>
  `${value} == floor(${value}) && ${value} >= ${limits.min} && ${value} <= ${limits.max}`;

/** policies/principals.ts: the wildcard first, then the ARN form (principalArnProblem). */
export const PRINCIPAL_RULE: readonly HclRule[] = [
  { holds: (value) => `${value} != ${quoteLiteral(WILDCARD_PRINCIPAL)}`, message: PRINCIPAL_RULES.wildcard },
  { holds: (value) => `${value} == ${quoteLiteral(WILDCARD_PRINCIPAL)} || ${matches(PRINCIPAL_ARN_PATTERN, value)}`, message: PRINCIPAL_RULES.arn },
];

export const ROLE_ARN: readonly HclRule[] = [{ holds: (value) => matches(ROLE_ARN_PATTERN, value), message: ROLE_ARN_RULE }];

export const AWS_ACCOUNT_ID: readonly HclRule[] = [{ holds: (value) => matches(ACCOUNT_ID_PATTERN, value), message: ACCOUNT_ID_RULE }];

/** ecr/kms-key-options.ts: the pattern, and the reserved prefix RE2 cannot say inside it (kmsAliasProblem). */
export const KMS_ALIAS: readonly HclRule[] = [
  {
    holds: (value) => `${matches(KMS_ALIAS_NAME_PATTERN, value)} && !startswith(${value}, ${quoteLiteral(RESERVED_KMS_ALIAS_PREFIX)})`,
    message: KMS_ALIAS_RULE,
  },
];

export const AWS_REGION: readonly HclRule[] = [{ holds: (value) => `contains([${AWS_REGIONS.map(quoteLiteral).join(', ')}], ${value})`, message: REGION_RULE }];

/** Null sends every call to AWS itself. */
export const ENDPOINT_URL: readonly HclRule[] = [
  { holds: (value) => `${value} == null ? true : ${matches(ENDPOINT_URL_PATTERN, value)}`, message: ENDPOINT_URL_RULE },
];

export const KMS_KEY_ARN: readonly HclRule[] = [{ holds: (value) => matches(KMS_KEY_ARN_PATTERN, value), message: KMS_KEY_ARN_RULE }];

export const DELETION_WINDOW: readonly HclRule[] = [{ holds: (value) => wholeNumberWithin(value, KEY_DELETION_WINDOW), message: DELETION_WINDOW_RULE }];

/** Null leaves the period to KMS (HCL's `||` evaluates both sides, so null is ruled out by a conditional). */
export const ROTATION_PERIOD: readonly HclRule[] = [
  { holds: (value) => `${value} == null ? true : (${wholeNumberWithin(value, KEY_ROTATION_PERIOD)})`, message: ROTATION_PERIOD_RULE },
];

/** ecr/repository-name.ts (repositoryNameProblem): length first, then the pattern. */
export const REPOSITORY_NAME: readonly HclRule[] = [
  { holds: (value) => `length(${value}) >= ${REPOSITORY_NAME_LENGTH.min}`, message: REPOSITORY_NAME_RULES.tooShort },
  { holds: (value) => `length(${value}) <= ${REPOSITORY_NAME_LENGTH.max}`, message: REPOSITORY_NAME_RULES.tooLong },
  {
    holds: (value) => `!(${lengthWithin(value, REPOSITORY_NAME_LENGTH)}) || ${matches(REPOSITORY_NAME_PATTERN, value)}`,
    message: REPOSITORY_NAME_RULES.pattern,
  },
];

/** The message replicationFilterProblem gives for any bad filter. */
const REPLICATION_FILTER_RULE = replicationFilterProblem('')!;

/** ecr/replication-rules.ts: a PREFIX_MATCH filter (a repository name, a name prefix or a namespace; no wildcard). */
export const REPLICATION_FILTER: readonly HclRule[] = [
  { holds: (value) => `${lengthWithin(value, REPLICATION_FILTER_LENGTH)} && ${matches(REPLICATION_FILTER_PATTERN, value)}`, message: REPLICATION_FILTER_RULE },
];

/** ecr/namespaces.ts (namespaceProblem): length first, then the pattern. */
export const NAMESPACE: readonly HclRule[] = [
  { holds: (value) => lengthWithin(value, NAMESPACE_LENGTH), message: NAMESPACE_RULES.length },
  { holds: (value) => `!(${lengthWithin(value, NAMESPACE_LENGTH)}) || ${matches(NAMESPACE_PATTERN, value)}`, message: NAMESPACE_RULES.pattern },
];

export const SCANNING_FILTER: readonly HclRule[] = [{ holds: (value) => matches(SCANNING_FILTER_PATTERN, value), message: SCANNING_RULES.filterPattern }];

/**
 * Where the values of a variable are: the loops that reach them (outermost
 * first, none for the variable itself), the value, and its path for the
 * message as template text (`repositories["${name}"].pull_principals[${index}]`).
 */
export interface ValuePlaces {
  readonly loops: readonly string[];
  readonly value: string;
  readonly path: string;
}

/** The places of a variable's own value: `alias` is `var.alias`. */
export function variable(name: string): ValuePlaces {
  return { loops: [], value: `var.${name}`, path: name };
}

/** Every element of a list variable: `administrators[0]`. */
export function eachOf(name: string, item = 'item'): ValuePlaces {
  return { loops: [`for index, ${item} in var.${name}`], value: item, path: `${name}[\${index}]` };
}

/** `[for a : [for b : x if c]]` flattened, or the one-loop form. */
function nested(loops: readonly string[], value: string, condition?: string): string {
  const filter = condition === undefined ? '' : ` if ${condition}`;
  const inner = `[${loops[loops.length - 1]} : ${value}${filter}]`;
  const wrapped = loops.slice(0, -1).reduceRight((body, loop) => `[${loop} : ${body}]`, inner);
  return loops.length > 1 ? `flatten(${wrapped})` : wrapped;
}

/**
 * The validations of `rules` over the values at `places`: the plan fails
 * unless every value keeps every rule, and the message names each bad value
 * with its path and what was received, then the library's message.
 */
export function validations(places: ValuePlaces, rules: readonly HclRule[]): VariableValidation[] {
  return rules.map((rule) => {
    const holds = rule.holds(places.value);
    const received = `${places.path} (received \${jsonencode(${places.value})})`;
    if (places.loops.length === 0) return { condition: holds, message: `${received}: ${rule.message}`, interpolated: true };
    const each = quoteTemplate(rule.perValue ? `${received}: ${rule.message}` : received);
    return {
      condition: `alltrue(${nested(places.loops, holds)})`,
      message: rule.perValue
        ? `\${join("; ", ${nested(places.loops, each, `!(${holds})`)})}`
        : `\${join(", ", ${nested(places.loops, each, `!(${holds})`)})}: ${rule.message}`,
      interpolated: true,
    };
  });
}
