/**
 * ECR lifecycle policies, checked against the rules of the ECR lifecycle
 * policy reference before anything reaches AWS.
 */
import { z } from 'zod';
import { expects, rule } from './messages';

/** ECR accepts lifecycle policy text of at most 30,720 characters. */
export const MAX_LIFECYCLE_POLICY_LENGTH = 30_720;
/** A tagPatternList entry holds at most four `*` wildcards. */
export const MAX_TAG_PATTERN_WILDCARDS = 4;

const WholeNumber = z.number(expects('a whole number, 1 or more')).int(rule('must be a whole number, 1 or more')).min(1, rule('must be a whole number, 1 or more'));

const TagPrefix = z.string(expects('a tag prefix, e.g. "v"')).min(1, rule('tag prefixes must not be empty: remove the entry or write the prefix'));

const TagPattern = z
  .string(expects('a tag pattern with * wildcards, e.g. "release-*"'))
  .min(1, rule('tag patterns must not be empty: remove the entry or write the pattern'))
  .refine((pattern) => pattern.split('*').length - 1 <= MAX_TAG_PATTERN_WILDCARDS, {
    error: `tag patterns may hold at most ${MAX_TAG_PATTERN_WILDCARDS} "*" wildcards (ECR lifecycle policy rule): use fewer`,
  });

const SelectionSchema = z.strictObject(
  {
    tagStatus: z.enum(['tagged', 'untagged', 'any'], expects('tagged, untagged or any')),
    tagPrefixList: z
      .array(TagPrefix, expects('a list of tag prefixes, e.g. tagPrefixList: ["v"]'))
      .min(1, rule('must hold at least one tag prefix, e.g. ["v"]'))
      .optional(),
    tagPatternList: z
      .array(TagPattern, expects('a list of tag patterns, e.g. tagPatternList: ["release-*"]'))
      .min(1, rule('must hold at least one tag pattern, e.g. ["release-*"]'))
      .optional(),
    countType: z.enum(['imageCountMoreThan', 'sinceImagePushed'], expects('imageCountMoreThan or sinceImagePushed')),
    countUnit: z.literal('days', expects('days (the only unit)')).optional(),
    countNumber: WholeNumber,
  },
  expects('a selection: a mapping with tagStatus, countType, countNumber and, as needed, tagPrefixList or tagPatternList and countUnit'),
);

const LifecycleRuleSchema = z
  .strictObject(
    {
      rulePriority: WholeNumber,
      description: z.string(expects('a description string')).max(256, rule('must be at most 256 characters long: shorten it')).optional(),
      selection: SelectionSchema,
      action: z.strictObject(
        { type: z.literal('expire', expects('expire (the only lifecycle action)')) },
        expects('a mapping with type expire, e.g. action: { type: expire }'),
      ),
    },
    expects('a lifecycle rule: a mapping with rulePriority, selection and action'),
  )
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
        params: { absent: true },
        message: 'is required with countType sinceImagePushed: add countUnit: days',
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
  .strictObject(
    {
      rules: z
        .array(LifecycleRuleSchema, expects('a list of lifecycle rules, e.g. rules: [{ rulePriority: 1, selection: {...}, action: { type: expire } }]'))
        .min(1, rule('must hold at least one rule: add one or remove lifecyclePolicy')),
    },
    expects('an ECR lifecycle policy: a mapping with rules, e.g. lifecyclePolicy: { rules: [...] }'),
  )
  .superRefine((policy, ctx) => {
    const seen = new Map<number, number>();
    policy.rules.forEach((rule, index) => {
      const first = seen.get(rule.rulePriority);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'rulePriority'],
          input: rule.rulePriority,
          message: `rule priorities must be unique within a lifecycle policy (rules[${first}] has it too): choose another number`,
        });
      } else seen.set(rule.rulePriority, index);
    });
    const anyRules = policy.rules.filter((rule) => rule.selection.tagStatus === 'any');
    const highest = policy.rules.reduce((max, rule) => Math.max(max, rule.rulePriority), 0);
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
    const length = JSON.stringify(policy).length;
    if (length > MAX_LIFECYCLE_POLICY_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        input: length,
        message: `the policy is ${length} characters as JSON, above ECR's limit of ${MAX_LIFECYCLE_POLICY_LENGTH}: use fewer rules or shorter descriptions and tag lists`,
      });
    }
  });

export type LifecyclePolicy = z.output<typeof LifecyclePolicySchema>;
