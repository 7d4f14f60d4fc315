/**
 * The settings of a customer-managed key that KMS constrains beyond its alias
 * (`kms-alias.ts`): its automatic rotation period and whether it is a
 * multi-Region key, each rule with the one message that explains it. The
 * Terraform module kms-key checks them with these messages.
 */

/** The automatic rotation period KMS accepts (`RotationPeriodInDays`); KMS rotates yearly (365) when none is given. */
export const KEY_ROTATION_PERIOD = {
  /** The shortest period KMS accepts, in days. */
  min: 90,
  /** The longest period KMS accepts, in days. */
  max: 2560,
  /** KMS's period when none is given: yearly. */
  kmsDefault: 365,
} as const;

/** The rotation-period rule as one message. */
export const ROTATION_PERIOD_RULE = `must be a whole number of days from ${KEY_ROTATION_PERIOD.min} to ${KEY_ROTATION_PERIOD.max} (KMS automatic rotation period): leave it unset for KMS's default of ${KEY_ROTATION_PERIOD.kmsDefault} days`;

/** The rule a rotation period breaks, or undefined. */
export function rotationPeriodProblem(days: number): string | undefined {
  return Number.isInteger(days) && days >= KEY_ROTATION_PERIOD.min && days <= KEY_ROTATION_PERIOD.max ? undefined : ROTATION_PERIOD_RULE;
}

/**
 * A multi-Region key (`mrk-` id) can be replicated into other regions with
 * the same key material; ECR uses it like any key of its region, so every
 * registry still gets a key of its own. The setting is fixed when the key is
 * created: KMS cannot convert a key, so a change creates a new key, and the
 * repositories encrypted with the old one cannot be re-keyed.
 */
export const MULTI_REGION_RULE =
  'is fixed when the key is created: changing it creates a new key, and repositories encrypted with the old one cannot be re-keyed (encryption cannot change after creation): keep the value the key was created with';
