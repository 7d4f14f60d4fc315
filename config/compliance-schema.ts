/**
 * The config's compliance settings: the registry scanning configuration of
 * every registry, and the lifecycle policy given to repositories (and
 * creation templates) that set none. Both default to compliant values
 * (Security Hub ECR.1 and ECR.3), so a config without them is compliant.
 */
import { z } from 'zod';
import { expects, rule } from './messages';
import { LifecyclePolicy, LifecyclePolicySchema } from './lifecycle-policy';

import { SCANNING_FILTER_PATTERN, SCANNING_FILTER_RULE, SCANNING_LIMITS } from '../modules/ecr/scanning';

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
          .max(256, rule('must be at most 256 characters long'))
          .regex(SCANNING_FILTER_PATTERN, rule(SCANNING_FILTER_RULE)),
        expects('a list of repository filters, e.g. filters: ["*"]'),
      )
      .min(1, rule('must hold at least one filter, e.g. ["*"] for every repository'))
      .max(SCANNING_LIMITS.filtersPerRule, rule(`must hold at most ${SCANNING_LIMITS.filtersPerRule} filters (ECR limit per scanning rule)`))
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
        .max(SCANNING_LIMITS.rules, rule(`must hold at most ${SCANNING_LIMITS.rules} rules (ECR limit): one per frequency`))
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
          message: 'CONTINUOUS_SCAN needs scanType ENHANCED (basic scanning scans on push only): set scanType: ENHANCED or use SCAN_ON_PUSH',
        });
      }
      if (seen.has(scanningRule.frequency)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'frequency'],
          input: scanningRule.frequency,
          message: 'each frequency may appear in one rule only: merge the filters into the first rule with this frequency',
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
