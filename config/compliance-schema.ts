/**
 * The config's compliance settings: the registry scanning configuration of
 * every registry, and the lifecycle policy given to repositories (and
 * creation templates) that set none. Both default to compliant values
 * (Security Hub ECR.1 and ECR.3), so a config without them is compliant.
 */
import { z } from 'zod';
import { expects, rule } from './messages';
import { LifecyclePolicy, LifecyclePolicySchema } from './lifecycle-policy';

import { MAX_SCANNING_FILTER_LENGTH, SCANNING_FILTER_PATTERN, SCANNING_LIMITS, SCANNING_RULES } from '../modules/ecr/scanning';

export { SCANNING_LIMITS };

const ScanningRuleSchema = z.strictObject(
  {
    /** SCAN_ON_PUSH (BASIC or ENHANCED) or CONTINUOUS_SCAN (ENHANCED only). */
    frequency: z
      .enum(['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'], expects('SCAN_ON_PUSH or CONTINUOUS_SCAN (CONTINUOUS_SCAN needs scanType ENHANCED)'))
      .meta({ description: 'When matching repositories are scanned: SCAN_ON_PUSH, or CONTINUOUS_SCAN (scanType ENHANCED only)' }),
    /** Repository name filters, `*` as wildcard; `"*"` is every repository. */
    filters: z
      .array(
        z
          .string(expects('a repository filter with * wildcards, e.g. "*" or "team-a/*"'))
          .max(MAX_SCANNING_FILTER_LENGTH, rule(SCANNING_RULES.filterLength))
          .regex(SCANNING_FILTER_PATTERN, rule(SCANNING_RULES.filterPattern)),
        expects('a list of repository filters, e.g. filters: ["*"]'),
      )
      .min(1, rule(SCANNING_RULES.noFilters))
      .max(SCANNING_LIMITS.filtersPerRule, rule(SCANNING_RULES.tooManyFilters))
      .meta({ description: 'Repository name filters with * wildcards, at most 100; "*" is every repository' }),
  },
  expects('a scanning rule: a mapping with frequency and filters, e.g. { frequency: SCAN_ON_PUSH, filters: ["*"] }'),
);

export const DEFAULT_SCANNING = {
  enabled: true,
  scanType: 'BASIC' as const,
  rules: [{ frequency: 'SCAN_ON_PUSH' as const, filters: ['*'] }],
};

export const ScanningSchema = z
  .strictObject(
    {
      /** Set each registry's scanning configuration (it replaces the registry's existing one). @default true */
      enabled: z
        .boolean(expects('true or false (manage the registry scanning configuration of every registry)'))
        .meta({ description: "true or false: set every registry's scanning configuration (false leaves the registries' own, with a warning). Default: true" })
        .default(true),
      /** BASIC (free, on push) or ENHANCED (Amazon Inspector, continuous scanning possible). @default BASIC */
      scanType: z
        .enum(['BASIC', 'ENHANCED'], expects('BASIC or ENHANCED (upper case)'))
        .meta({ description: 'BASIC (on push, free) or ENHANCED (Amazon Inspector, continuous scanning possible). Default: BASIC' })
        .default('BASIC'),
      /** @default [{ frequency: SCAN_ON_PUSH, filters: ["*"] }] */
      rules: z
        .array(ScanningRuleSchema, expects('a list of scanning rules, e.g. rules: [{ frequency: SCAN_ON_PUSH, filters: ["*"] }]'))
        .min(1, rule('must hold at least one rule, e.g. { frequency: SCAN_ON_PUSH, filters: ["*"] }; set enabled: false to leave scanning out'))
        .max(SCANNING_LIMITS.rules, rule(SCANNING_RULES.tooManyRules))
        .meta({ description: 'Scanning rules, at most 2 (one per frequency). Default: scan every repository on push' })
        .default(DEFAULT_SCANNING.rules),
    },
    expects('a mapping with optional enabled, scanType and rules, e.g. scanning: { scanType: ENHANCED }'),
  )
  .superRefine((scanning, ctx) => {
    const seen = new Set<string>();
    scanning.rules.forEach((scanningRule, index) => {
      if (scanning.scanType === 'BASIC' && scanningRule.frequency === 'CONTINUOUS_SCAN') {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'frequency'],
          input: scanningRule.frequency,
          message: SCANNING_RULES.continuousNeedsEnhanced,
        });
      }
      if (seen.has(scanningRule.frequency)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'frequency'],
          input: scanningRule.frequency,
          message: SCANNING_RULES.duplicateFrequency,
        });
      }
      seen.add(scanningRule.frequency);
    });
  });

/** Expire untagged images 14 days after their push. */
export const DEFAULT_LIFECYCLE_POLICY: LifecyclePolicy = {
  rules: [
    {
      rulePriority: 1,
      description: 'expire untagged images after 14 days',
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
      action: { type: 'expire' },
    },
  ],
};

/** The `scanning` field of the config. */
export const ScanningField = ScanningSchema.default(DEFAULT_SCANNING).describe(
  "Registry scanning configuration of every registry (applying it replaces the registry's existing one). Default: basic scan on push of every repository",
);

/** The `defaultLifecyclePolicy` field: applied to repositories without their own lifecycle policy and set in every creation template. */
export const DefaultLifecyclePolicyField = LifecyclePolicySchema.default(DEFAULT_LIFECYCLE_POLICY).describe(
  'Lifecycle policy of repositories that set none and of every repository creation template. Default: expire untagged images after 14 days',
);

export type ScanningConfig = z.output<typeof ScanningSchema>;
