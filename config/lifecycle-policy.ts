/**
 * ECR lifecycle policies, checked against the rules of the ECR lifecycle
 * policy reference before anything reaches AWS.
 */
import { z } from 'zod';

const LifecycleRuleSchema = z
  .strictObject({
    rulePriority: z
      .number({ error: 'must be a whole number, 1 or more' })
      .int({ error: 'must be a whole number, 1 or more' })
      .min(1, { error: 'must be a whole number, 1 or more' }),
    description: z.string().max(256, { error: 'must be at most 256 characters long' }).optional(),
    selection: z.strictObject({
      tagStatus: z.enum(['tagged', 'untagged', 'any'], { error: 'must be tagged, untagged or any' }),
      tagPrefixList: z.array(z.string().min(1)).min(1).optional(),
      tagPatternList: z.array(z.string().min(1)).min(1).optional(),
      countType: z.enum(['imageCountMoreThan', 'sinceImagePushed'], { error: 'must be imageCountMoreThan or sinceImagePushed' }),
      countUnit: z.literal('days', { error: 'must be days' }).optional(),
      countNumber: z
        .number({ error: 'must be a whole number, 1 or more' })
        .int({ error: 'must be a whole number, 1 or more' })
        .min(1, { error: 'must be a whole number, 1 or more' }),
    }),
    action: z.strictObject({ type: z.literal('expire', { error: 'must be expire (the only lifecycle action)' }) }),
  })
  .superRefine((rule, ctx) => {
    const { selection } = rule;
    const hasTagList = selection.tagPrefixList !== undefined || selection.tagPatternList !== undefined;
    if (selection.tagStatus === 'tagged' && !hasTagList) {
      ctx.addIssue({
        code: 'custom',
        path: ['selection', 'tagStatus'],
        input: selection.tagStatus,
        message: 'a rule with tagStatus tagged needs tagPrefixList or tagPatternList: add one, or use tagStatus any',
      });
    }
    if (selection.tagPrefixList !== undefined && selection.tagPatternList !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['selection', 'tagPatternList'],
        input: selection.tagPatternList,
        message: 'tagPrefixList and tagPatternList cannot both be set in one rule: keep one of them',
      });
    }
    if (selection.tagStatus !== 'tagged' && hasTagList) {
      ctx.addIssue({
        code: 'custom',
        path: ['selection', 'tagStatus'],
        input: selection.tagStatus,
        message: 'tagPrefixList and tagPatternList are allowed only with tagStatus tagged: set tagStatus to tagged or remove the list',
      });
    }
    if (selection.countType === 'sinceImagePushed' && selection.countUnit === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['selection', 'countUnit'],
        input: selection.countUnit,
        message: 'countType sinceImagePushed needs countUnit: days',
      });
    }
    if (selection.countType === 'imageCountMoreThan' && selection.countUnit !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['selection', 'countUnit'],
        input: selection.countUnit,
        message: 'countUnit is allowed only with countType sinceImagePushed: remove it',
      });
    }
  });

export const LifecyclePolicySchema = z
  .strictObject({
    rules: z.array(LifecycleRuleSchema).min(1, { error: 'must hold at least one rule' }),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<number>();
    policy.rules.forEach((rule, index) => {
      if (seen.has(rule.rulePriority)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'rulePriority'],
          input: rule.rulePriority,
          message: 'rule priorities must be unique within a lifecycle policy: choose another number',
        });
      }
      seen.add(rule.rulePriority);
    });
    const anyRules = policy.rules.filter((rule) => rule.selection.tagStatus === 'any');
    const highest = Math.max(...policy.rules.map((rule) => rule.rulePriority));
    if (anyRules.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules'],
        input: anyRules.map((rule) => rule.rulePriority),
        message: 'at most one rule may have tagStatus any: merge them',
      });
    }
    policy.rules.forEach((rule, index) => {
      if (rule.selection.tagStatus === 'any' && rule.rulePriority !== highest) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'rulePriority'],
          input: rule.rulePriority,
          message: `the rule with tagStatus any must have the highest rulePriority (evaluated last): give it a number above ${highest}`,
        });
      }
    });
  });

export type LifecyclePolicy = z.output<typeof LifecyclePolicySchema>;
