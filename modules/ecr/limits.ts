/**
 * ECR and KMS limits the library enforces, each with the one message that
 * explains it. Constructs throw these messages; the config layer reports
 * them at a field path.
 */

/** Replication limits of one registry's replication configuration (ECR service quotas). */
export const REPLICATION_LIMITS = {
  /** Rules of one replication configuration. */
  rulesPerConfiguration: 10,
  /** Destinations of one rule. */
  destinationsPerRule: 25,
  /** Filters of one rule. */
  filtersPerRule: 100,
  /** Filters of all rules together (ECR service quota): 10 rules x 100 filters. */
  filtersPerConfiguration: 1000,
} as const;

/** KMS's documented ceiling for grants on one key; each ECR repository holds grants on its key. */
export const KMS_GRANTS_PER_KEY_CEILING = 50_000;
/** The figure in the ECR encryption-at-rest guide: 500 grants, so 500 repositories, per key. */
export const DEFAULT_REPOSITORIES_PER_KEY = 500;
/** Tags per AWS resource. */
export const MAX_TAGS = 50;

/** The waiting period of a scheduled key deletion, in days (KMS). */
export const KEY_DELETION_WINDOW = {
  /** The shortest window. */
  min: 7,
  /** The longest window, and the default. */
  max: 30,
} as const;

/** The rule of the deletion window, as one message. */
export const DELETION_WINDOW_RULE = `must be a whole number of days from ${KEY_DELETION_WINDOW.min} to ${KEY_DELETION_WINDOW.max} (KMS deletion window)`;

/** A KMS deletion window is a whole number of days from 7 to 30. */
export function deletionWindowProblem(days: number): string | undefined {
  return Number.isInteger(days) && days >= KEY_DELETION_WINDOW.min && days <= KEY_DELETION_WINDOW.max ? undefined : DELETION_WINDOW_RULE;
}

/** The first name that appears twice, or undefined. */
export function firstDuplicate(names: readonly string[]):
  | {
      /** The name. */
      readonly name: string;
      /** Where it appears first. */
      readonly firstIndex: number;
      /** Where it appears again. */
      readonly index: number;
    }
  | undefined {
  const seen = new Map<string, number>();
  for (const [index, name] of names.entries()) {
    const first = seen.get(name);
    if (first !== undefined) return { name, firstIndex: first, index };
    seen.set(name, index);
  }
  return undefined;
}
