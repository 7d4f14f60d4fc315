/** ECR registry scanning: the rules of PutRegistryScanningConfiguration, each with the one message that explains it. */

/** ECR's pattern for a scanning filter (WILDCARD: `*` matches any characters). */
export const SCANNING_FILTER_PATTERN = /^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/;
/** A scanning filter holds at most 256 characters. */
export const MAX_SCANNING_FILTER_LENGTH = 256;
/** PutRegistryScanningConfiguration takes at most 2 rules and 100 filters per rule. */
export const SCANNING_LIMITS = {
  /** Rules of one scanning configuration (one per frequency). */
  rules: 2,
  /** Filters of one rule. */
  filtersPerRule: 100,
} as const;

/** The scanning rules as messages, shared by the config's schema and `RegistryScanningConfiguration`. */
export const SCANNING_RULES = {
  /** A filter with characters ECR refuses. */
  filterPattern: 'must be lowercase letters, digits, ".", "_", "-", "/" and "*" wildcards, e.g. "*" or "team-a/*"',
  /** A filter that is too long. */
  filterLength: `must be at most ${MAX_SCANNING_FILTER_LENGTH} characters long`,
  /** A rule without filters. */
  noFilters: 'must hold at least one filter, e.g. ["*"] for every repository',
  /** A rule with more than 100 filters. */
  tooManyFilters: `must hold at most ${SCANNING_LIMITS.filtersPerRule} filters (ECR limit per scanning rule)`,
  /** More than 2 rules. */
  tooManyRules: `must hold at most ${SCANNING_LIMITS.rules} rules (ECR limit): one per frequency`,
  /** `CONTINUOUS_SCAN` with `BASIC` scanning. */
  continuousNeedsEnhanced: 'CONTINUOUS_SCAN needs scanType ENHANCED (basic scanning scans on push only): set scanType: ENHANCED or use SCAN_ON_PUSH',
  /** Two rules with one frequency. */
  duplicateFrequency: 'each frequency may appear in one rule only: merge the filters into the first rule with this frequency',
} as const;

/** The rule a scanning filter breaks, or undefined. */
export function scanningFilterProblem(filter: string): string | undefined {
  if (filter.length > MAX_SCANNING_FILTER_LENGTH) return SCANNING_RULES.filterLength;
  return SCANNING_FILTER_PATTERN.test(filter) ? undefined : SCANNING_RULES.filterPattern;
}
