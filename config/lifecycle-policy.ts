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
  LIFECYCLE_FIELD_RULES,
  MAX_LIFECYCLE_DESCRIPTION_LENGTH,
  MAX_LIFECYCLE_POLICY_LENGTH,
  MAX_TAG_PATTERN_WILDCARDS,
} from '../modules/ecr/lifecycle-policy';

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

const WholeNumber = z.number(expects('a whole number, 1 or more')).int(rule(LIFECYCLE_FIELD_RULES.wholeNumber)).min(1, rule(LIFECYCLE_FIELD_RULES.wholeNumber));

const TagPrefix = z
  .string(expects('a tag prefix, e.g. "v"'))
  .min(1, rule(LIFECYCLE_FIELD_RULES.emptyTagPrefix))
  .meta({ description: 'A tag prefix, e.g. "v" selects v1, v1.2, ...' });

const TagPattern = z
  .string(expects('a tag pattern with * wildcards, e.g. "release-*"'))
  .min(1, rule(LIFECYCLE_FIELD_RULES.emptyTagPattern))
  .refine((pattern) => pattern.split('*').length - 1 <= MAX_TAG_PATTERN_WILDCARDS, rule(LIFECYCLE_FIELD_RULES.tagPatternWildcards))
  .meta({
    description: `A tag pattern with at most ${MAX_TAG_PATTERN_WILDCARDS} "*" wildcards, e.g. "release-*"`,
    // The refinement above, as a pattern for the JSON Schema.
    pattern: `^[^*]*(?:\\*[^*]*){0,${MAX_TAG_PATTERN_WILDCARDS}}$`,
  });

export const LifecycleSelectionSchema = z.strictObject(
  {
    tagStatus: z.enum(['tagged', 'untagged', 'any'], expects('tagged, untagged or any')).meta({
      description: 'Images the rule selects: tagged (needs tagPrefixList or tagPatternList), untagged, or any (at most one rule, evaluated last)',
    }),
    tagPrefixList: z
      .array(TagPrefix, expects('a list of tag prefixes, e.g. tagPrefixList: ["v"]'))
      .min(1, rule('must hold at least one tag prefix, e.g. ["v"]'))
      .meta({ description: 'With tagStatus tagged: select images with a tag starting with one of these prefixes (not with tagPatternList)' })
      .optional(),
    tagPatternList: z
      .array(TagPattern, expects('a list of tag patterns, e.g. tagPatternList: ["release-*"]'))
      .min(1, rule('must hold at least one tag pattern, e.g. ["release-*"]'))
      .meta({ description: 'With tagStatus tagged: select images with a tag matching one of these patterns (not with tagPrefixList)' })
      .optional(),
    countType: z
      .enum(['imageCountMoreThan', 'sinceImagePushed'], expects('imageCountMoreThan or sinceImagePushed'))
      .meta({ description: 'imageCountMoreThan: expire images beyond the newest countNumber; sinceImagePushed: expire images older than countNumber days' }),
    countUnit: z
      .literal('days', expects('days (the only unit)'))
      .meta({ description: 'days: required with countType sinceImagePushed, not allowed with imageCountMoreThan' })
      .optional(),
    countNumber: WholeNumber.meta({ description: 'Images to keep (imageCountMoreThan) or age in days (sinceImagePushed), 1 or more' }),
  },
  expects('a selection: a mapping with tagStatus, countType, countNumber and, as needed, tagPrefixList or tagPatternList and countUnit'),
);

const LifecycleRuleSchema = z
  .strictObject(
    {
      rulePriority: WholeNumber.meta({ description: 'Order of evaluation, lowest first, unique in the policy; a tagStatus any rule has the highest' }),
      description: z
        .string(expects('a description string'))
        .max(MAX_LIFECYCLE_DESCRIPTION_LENGTH, rule(LIFECYCLE_FIELD_RULES.descriptionLength))
        .meta({ description: 'What the rule is for, at most 256 characters' })
        .optional(),
      selection: LifecycleSelectionSchema,
      action: z
        .strictObject(
          { type: z.literal('expire', expects('expire (the only lifecycle action)')).meta({ description: 'expire (the only lifecycle action)' }) },
          expects('a mapping with type expire, e.g. action: { type: expire }'),
        )
        .meta({ description: 'What happens to the selected images: { type: expire }' }),
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
        .min(1, rule('must hold at least one rule: add one or remove lifecyclePolicy'))
        .meta({
          description: 'Lifecycle rules; priorities unique, at most one tagStatus any rule and it has the highest priority',
          // At most one tagStatus any rule (lifecyclePolicyProblems), for the JSON Schema.
          contains: { properties: { selection: { properties: { tagStatus: { const: 'any' } }, required: ['tagStatus'] } }, required: ['selection'] },
          minContains: 0,
          maxContains: 1,
        }),
    },
    expects('an ECR lifecycle policy: a mapping with rules, e.g. lifecyclePolicy: { rules: [...] }'),
  )
  .superRefine((policy, ctx) => {
    for (const problem of lifecyclePolicyProblems(policy)) ctx.addIssue(issueOf(problem));
  });

// Help texts of whole sections, for the JSON Schema; registered here so the definitions above keep their shape.
z.globalRegistry.add(LifecycleSelectionSchema, { description: 'Which images the rule selects and how many it keeps or how old they may get' });
z.globalRegistry.add(LifecycleRuleSchema, { description: 'One lifecycle rule: priority, selection and action' });
z.globalRegistry.add(LifecyclePolicySchema, { description: 'An ECR lifecycle policy: { rules: [...] }' });

export type LifecyclePolicy = z.output<typeof LifecyclePolicySchema>;
