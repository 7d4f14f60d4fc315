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

/**
 * The rules of single fields of a lifecycle policy, as messages. The config's
 * schema applies them field by field; `checkLifecyclePolicy` applies them to
 * a policy a construct receives.
 */
export const LIFECYCLE_FIELD_RULES = {
  /** `rulePriority` and `countNumber`. */
  wholeNumber: 'must be a whole number, 1 or more',
  /** `rules` is empty. */
  noRules: 'must hold at least one rule: add one or remove lifecyclePolicy',
  /** A rule's `description` is too long. */
  description: `must be at most ${MAX_LIFECYCLE_DESCRIPTION_LENGTH} characters long: shorten it`,
  /** `tagPrefixList` is empty. */
  emptyTagPrefixList: 'must hold at least one tag prefix, e.g. ["v"]',
  /** `tagPatternList` is empty. */
  emptyTagPatternList: 'must hold at least one tag pattern, e.g. ["release-*"]',
  /** An entry of `tagPrefixList` is empty. */
  emptyTagPrefix: 'tag prefixes must not be empty: remove the entry or write the prefix',
  /** An entry of `tagPatternList` is empty. */
  emptyTagPattern: 'tag patterns must not be empty: remove the entry or write the pattern',
  /** An entry of `tagPatternList` has too many `*`. */
  tagPatternWildcards: `tag patterns may hold at most ${MAX_TAG_PATTERN_WILDCARDS} "*" wildcards (ECR lifecycle policy rule): use fewer`,
} as const;

/** Which images a lifecycle rule selects, and how many it keeps or how old they may get. */
export interface LifecycleSelection {
  /** `tagged` (with `tagPrefixList` or `tagPatternList`), `untagged`, or `any` (at most one rule, evaluated last). */
  readonly tagStatus: 'tagged' | 'untagged' | 'any';
  /** With `tagged`: images with a tag starting with one of these prefixes. @default - none (then `tagPatternList`) */
  readonly tagPrefixList?: readonly string[];
  /** With `tagged`: images with a tag matching one of these patterns (at most four `*` each). @default - none (then `tagPrefixList`) */
  readonly tagPatternList?: readonly string[];
  /** `imageCountMoreThan`: keep the newest `countNumber` images; `sinceImagePushed`: expire images older than `countNumber` days. */
  readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
  /** `days`, required with `sinceImagePushed` and not allowed otherwise. @default - none */
  readonly countUnit?: 'days';
  /** The images to keep or the age in days, 1 or more. */
  readonly countNumber: number;
}

/** One rule of an ECR lifecycle policy. */
export interface LifecycleRule {
  /** Order of evaluation, lowest first, unique in the policy; a `tagStatus: any` rule has the highest. */
  readonly rulePriority: number;
  /** What the rule is for, at most 256 characters. @default - none */
  readonly description?: string;
  /** Which images the rule selects. */
  readonly selection: LifecycleSelection;
  /** What happens to the selected images. */
  readonly action: {
    /** `expire`, the only lifecycle action. */
    readonly type: 'expire';
  };
}

/** An ECR lifecycle policy (`{ "rules": [...] }`). */
export interface LifecyclePolicy {
  /** The rules, at least one. */
  readonly rules: readonly LifecycleRule[];
}

/** A broken rule: where in the policy (relative path), the value found there, and the message. */
export interface LifecyclePolicyProblem {
  /** Where, relative to the rule or the policy checked, e.g. `['selection', 'countUnit']`. */
  readonly path: readonly (string | number)[];
  /** The value found there. */
  readonly received?: unknown;
  /** The value is missing (the path names an absent field). */
  readonly absent?: boolean;
  /** The rule broken and the fix. */
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

/** The field rules (`LIFECYCLE_FIELD_RULES`) one rule breaks, with paths relative to the rule. */
function lifecycleRuleFieldProblems(rule: LifecycleRule): LifecyclePolicyProblem[] {
  const problems: LifecyclePolicyProblem[] = [];
  const wholeNumber = (value: number, path: readonly (string | number)[]) => {
    if (!Number.isInteger(value) || value < 1) problems.push({ path, received: value, message: LIFECYCLE_FIELD_RULES.wholeNumber });
  };
  wholeNumber(rule.rulePriority, ['rulePriority']);
  if (rule.description !== undefined && rule.description.length > MAX_LIFECYCLE_DESCRIPTION_LENGTH) {
    problems.push({ path: ['description'], received: rule.description, message: LIFECYCLE_FIELD_RULES.description });
  }
  const { selection } = rule;
  const tagList = (list: readonly string[] | undefined, field: string, empty: string, emptyEntry: string) => {
    if (list === undefined) return;
    if (list.length === 0) problems.push({ path: ['selection', field], received: list, message: empty });
    list.forEach((entry, index) => {
      if (entry.length === 0) problems.push({ path: ['selection', field, index], received: entry, message: emptyEntry });
      else if (field === 'tagPatternList' && entry.split('*').length - 1 > MAX_TAG_PATTERN_WILDCARDS) {
        problems.push({ path: ['selection', field, index], received: entry, message: LIFECYCLE_FIELD_RULES.tagPatternWildcards });
      }
    });
  };
  tagList(selection.tagPrefixList, 'tagPrefixList', LIFECYCLE_FIELD_RULES.emptyTagPrefixList, LIFECYCLE_FIELD_RULES.emptyTagPrefix);
  tagList(selection.tagPatternList, 'tagPatternList', LIFECYCLE_FIELD_RULES.emptyTagPatternList, LIFECYCLE_FIELD_RULES.emptyTagPattern);
  wholeNumber(selection.countNumber, ['selection', 'countNumber']);
  return problems;
}

/**
 * Every rule of the ECR lifecycle policy reference the library knows, over a
 * whole policy: single fields, each rule's selection, and the policy's own
 * rules (unique priorities, the `any` rule last, the length limit). Paths are
 * relative to the policy (`rules[1].rulePriority`). What a construct checks;
 * the config checks the same rules through its schema.
 */
export function checkLifecyclePolicy(policy: LifecyclePolicy): LifecyclePolicyProblem[] {
  if (policy.rules.length === 0) return [{ path: ['rules'], received: [], message: LIFECYCLE_FIELD_RULES.noRules }];
  const withPrefix = (index: number) => (problem: LifecyclePolicyProblem) => ({ ...problem, path: ['rules', index, ...problem.path] });
  return [
    ...policy.rules.flatMap((rule, index) => [...lifecycleRuleFieldProblems(rule), ...lifecycleRuleProblems(rule)].map(withPrefix(index))),
    ...lifecyclePolicyProblems(policy),
  ];
}
