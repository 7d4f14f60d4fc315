/** ECR registry scanning: the rules of PutRegistryScanningConfiguration. */

/** ECR's pattern for a scanning filter (WILDCARD: `*` matches any characters). */
export const SCANNING_FILTER_PATTERN = /^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/;
/** The rule of a scanning filter, as one message. */
export const SCANNING_FILTER_RULE = 'must be lowercase letters, digits, ".", "_", "-", "/" and "*" wildcards, e.g. "*" or "team-a/*"';
/** PutRegistryScanningConfiguration takes at most 2 rules and 100 filters per rule. */
export const SCANNING_LIMITS = { rules: 2, filtersPerRule: 100 } as const;
