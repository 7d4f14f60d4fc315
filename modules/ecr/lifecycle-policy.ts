/**
 * ECR lifecycle policies as data, and the rules of the ECR lifecycle policy
 * reference that span a policy's rules. The config layer parses the shape
 * and reports these rules at a field path; constructs take the typed policy.
 */

/** ECR accepts lifecycle policy text of at most 30,720 characters. */
export const MAX_LIFECYCLE_POLICY_LENGTH = 30_720;
/** A tagPatternList entry holds at most four `*` wildcards. */
export const MAX_TAG_PATTERN_WILDCARDS = 4;
/** A rule's description holds at most 256 characters. */
export const MAX_LIFECYCLE_DESCRIPTION_LENGTH = 256;

/** The rules of single fields of a lifecycle rule, each as one message. */
export const LIFECYCLE_FIELD_RULES = {
  /** rulePriority and countNumber. */
  wholeNumber: 'must be a whole number, 1 or more',
  emptyTagPrefix: 'tag prefixes must not be empty: remove the entry or write the prefix',
  emptyTagPattern: 'tag patterns must not be empty: remove the entry or write the pattern',
  tagPatternWildcards: `tag patterns may hold at most ${MAX_TAG_PATTERN_WILDCARDS} "*" wildcards (ECR lifecycle policy rule): use fewer`,
  descriptionLength: `must be at most ${MAX_LIFECYCLE_DESCRIPTION_LENGTH} characters long: shorten it`,
} as const;

export interface LifecycleSelection {
  readonly tagStatus: 'tagged' | 'untagged' | 'any';
  readonly tagPrefixList?: readonly string[];
  readonly tagPatternList?: readonly string[];
  readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
  readonly countUnit?: 'days';
  readonly countNumber: number;
}

export interface LifecycleRule {
  readonly rulePriority: number;
  readonly description?: string;
  readonly selection: LifecycleSelection;
  readonly action: { readonly type: 'expire' };
}

/** An ECR lifecycle policy (`{ "rules": [...] }`). */
export interface LifecyclePolicy {
  readonly rules: readonly LifecycleRule[];
}

/** A broken rule: where in the policy (relative path), the value found there, and the message. */
export interface LifecyclePolicyProblem {
  readonly path: readonly (string | number)[];
  readonly received?: unknown;
  /** The value is missing (the path names an absent field). */
  readonly absent?: boolean;
  readonly message: string;
}

/** The rules about one rule's selection. */
export function lifecycleRuleProblems(rule: LifecycleRule): LifecyclePolicyProblem[] {
  const problems: LifecyclePolicyProblem[] = [];
  const { selection } = rule;
  const hasTagList = selection.tagPrefixList !== undefined || selection.tagPatternList !== undefined;
  if (selection.tagStatus === 'tagged' && !hasTagList) {
    problems.push({
      path: ['selection', 'tagStatus'],
      received: selection.tagStatus,
      message: 'a rule with tagStatus tagged needs tagPrefixList or tagPatternList: add one, or use tagStatus any',
    });
  }
  if (selection.tagPrefixList !== undefined && selection.tagPatternList !== undefined) {
    problems.push({
      path: ['selection', 'tagPatternList'],
      received: selection.tagPatternList,
      message: 'tagPrefixList and tagPatternList cannot both be set in one rule: keep one of them',
    });
  }
  if (selection.tagStatus !== 'tagged' && hasTagList) {
    problems.push({
      path: ['selection', 'tagStatus'],
      received: selection.tagStatus,
      message: 'tagPrefixList and tagPatternList are allowed only with tagStatus tagged: set tagStatus to tagged or remove the list',
    });
  }
  if (selection.countType === 'sinceImagePushed' && selection.countUnit === undefined) {
    problems.push({ path: ['selection', 'countUnit'], absent: true, message: 'is required with countType sinceImagePushed: add countUnit: days' });
  }
  if (selection.countType === 'imageCountMoreThan' && selection.countUnit !== undefined) {
    problems.push({
      path: ['selection', 'countUnit'],
      received: selection.countUnit,
      message: 'countUnit is allowed only with countType sinceImagePushed: remove it',
    });
  }
  return problems;
}

/** The rules about a whole policy: unique priorities, one `any` rule evaluated last, ECR's length limit. */
export function lifecyclePolicyProblems(policy: LifecyclePolicy): LifecyclePolicyProblem[] {
  const problems: LifecyclePolicyProblem[] = [];
  const seen = new Map<number, number>();
  policy.rules.forEach((rule, index) => {
    const first = seen.get(rule.rulePriority);
    if (first !== undefined) {
      problems.push({
        path: ['rules', index, 'rulePriority'],
        received: rule.rulePriority,
        message: `rule priorities must be unique within a lifecycle policy (rules[${first}] has it too): choose another number`,
      });
    } else seen.set(rule.rulePriority, index);
  });
  const anyRules = policy.rules.filter((rule) => rule.selection.tagStatus === 'any');
  const highest = policy.rules.reduce((max, rule) => Math.max(max, rule.rulePriority), 0);
  if (anyRules.length > 1) {
    problems.push({ path: ['rules'], received: anyRules.map((rule) => rule.rulePriority), message: 'at most one rule may have tagStatus any: merge them' });
  }
  policy.rules.forEach((rule, index) => {
    if (rule.selection.tagStatus === 'any' && rule.rulePriority !== highest) {
      problems.push({
        path: ['rules', index, 'rulePriority'],
        received: rule.rulePriority,
        message: `the rule with tagStatus any must have the highest rulePriority (evaluated last): give it a number above ${highest}`,
      });
    }
  });
  const length = JSON.stringify(policy).length;
  if (length > MAX_LIFECYCLE_POLICY_LENGTH) {
    problems.push({
      path: [],
      received: length,
      message: `the policy is ${length} characters as JSON, above ECR's limit of ${MAX_LIFECYCLE_POLICY_LENGTH}: use fewer rules or shorter descriptions and tag lists`,
    });
  }
  return problems;
}
