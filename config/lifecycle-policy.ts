/**
 * ECR lifecycle policies, checked against the rules of the ECR lifecycle
 * policy reference before anything reaches AWS.
 */
import { z } from 'zod';
import { expects, rule } from './messages';
import {
  lifecyclePolicyProblems,
  LifecyclePolicyProblem,
  lifecycleRuleProblems,
  MAX_LIFECYCLE_POLICY_LENGTH,
  MAX_TAG_PATTERN_WILDCARDS,
} from '../ecr/lifecycle-policy';

export { MAX_LIFECYCLE_POLICY_LENGTH, MAX_TAG_PATTERN_WILDCARDS };

/** A library rule as a zod issue; `params.absent` tells the loader the field is missing. */
function issueOf(problem: LifecyclePolicyProblem): z.core.$ZodRawIssue {
  return {
    code: 'custom',
    path: [...problem.path],
    input: problem.received,
    message: problem.message,
    ...(problem.absent ? { params: { absent: true } } : {}),
  };
}

const WholeNumber = z
  .number(expects('a whole number, 1 or more'))
  .int(rule('must be a whole number, 1 or more'))
  .min(1, rule('must be a whole number, 1 or more'));

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
    for (const problem of lifecycleRuleProblems(rule)) ctx.addIssue(issueOf(problem));
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
    for (const problem of lifecyclePolicyProblems(policy)) ctx.addIssue(issueOf(problem));
  });

export type LifecyclePolicy = z.output<typeof LifecyclePolicySchema>;
