/**
 * ECR lifecycle rules as module input (`lifecycle_rules`, the ECR JSON's
 * fields in snake_case), shared by the modules encrypted-repositories (per
 * repository) and repository-creation-templates (for the templates): the
 * type, the ECR JSON they become, and the validations of every rule the
 * library checks in the config (ecr/lifecycle-policy.ts), with its message.
 */
import {
  LIFECYCLE_FIELD_RULES,
  LifecycleRule,
  lifecyclePolicyProblems,
  lifecycleRuleProblems,
  LifecycleSelection,
  MAX_LIFECYCLE_DESCRIPTION_LENGTH,
  MAX_LIFECYCLE_POLICY_LENGTH,
  MAX_TAG_PATTERN_WILDCARDS,
} from '../../../modules/ecr/lifecycle-policy';
import { expr, HclExpression } from '../../hcl/hcl-writer';
import { VariableValidation } from '../module-definition';
import { HclRule, validations, ValuePlaces } from '../library-rules';
import { hclStringList } from './shared';

/** The values the library's types allow, checked against them by the compiler. */
const TAG_STATUSES: readonly LifecycleSelection['tagStatus'][] = ['tagged', 'untagged', 'any'];
const COUNT_TYPES: readonly LifecycleSelection['countType'][] = ['imageCountMoreThan', 'sinceImagePushed'];
const COUNT_UNIT: NonNullable<LifecycleSelection['countUnit']> = 'days';
const EXPIRE: LifecycleRule['action']['type'] = 'expire';

/** The ECR lifecycle policy's selection fields (the library's types) and the module's snake_case names. */
const SELECTION_FIELDS: Readonly<Record<keyof LifecycleSelection, string>> = {
  tagStatus: 'tag_status',
  tagPrefixList: 'tag_prefix_list',
  tagPatternList: 'tag_pattern_list',
  countType: 'count_type',
  countUnit: 'count_unit',
  countNumber: 'count_number',
};
const PRIORITY: keyof LifecycleRule = 'rulePriority';
const DESCRIPTION: keyof LifecycleRule = 'description';

/** The type of `lifecycle_rules`: the ECR JSON's fields, snake_case; the action defaults to expire (the only one). */
export const LIFECYCLE_RULES_TYPE = [
  'list(object({',
  '  rule_priority = number',
  '  description   = optional(string)',
  '  selection = object({',
  '    tag_status       = string',
  '    tag_prefix_list  = optional(list(string))',
  '    tag_pattern_list = optional(list(string))',
  '    count_type       = string',
  '    count_unit       = optional(string)',
  '    count_number     = number',
  '  })',
  `  action_type = optional(string, "${EXPIRE}")`,
  '}))',
].join('\n');

/** `jsonencode({ rules = [...] })` of the rules in `rules` (an HCL expression), absent fields left out (ECR rejects nulls). */
export function lifecyclePolicyJson(rules: string): HclExpression {
  const selection = Object.entries(SELECTION_FIELDS)
    .map(([field, name]) => `      ${field.padEnd(14)} = rule.selection.${name}`)
    .join('\n');
  return expr(
    [
      'jsonencode({',
      '  rules = [',
      `    for rule in ${rules} : merge(`,
      '      {',
      `        ${PRIORITY} = rule.rule_priority`,
      '        selection = {',
      '          for field, value in {',
      selection.replace(/^ {6}/gm, '            '),
      '          } : field => value if value != null',
      '        }',
      '        action = { type = rule.action_type }',
      '      },',
      `      rule.description == null ? {} : { ${DESCRIPTION} = rule.description },`,
      '    )',
      '  ]',
      '})',
    ].join('\n'),
  );
}

/** The message the library gives for a rule that breaks only what `selection` breaks, at `path`. */
function ruleMessage(selection: Partial<LifecycleSelection>, path: string): string {
  const rule: LifecycleRule = {
    rulePriority: 1,
    selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1, ...selection },
    action: { type: EXPIRE },
  };
  const problem = lifecycleRuleProblems(rule).find((candidate) => candidate.path.join('.') === path);
  if (!problem) throw new Error(`the library reports no problem at ${path} for ${JSON.stringify(selection)}`);
  return problem.message;
}

/** The message the library gives for a policy-wide rule at `path`, for `rules`. */
function policyMessage(rules: LifecycleRule[], path: string): string {
  const problem = lifecyclePolicyProblems({ rules }).find((candidate) => candidate.path.join('.') === path);
  if (!problem) throw new Error(`the library reports no problem at ${path}`);
  return problem.message;
}

/** `text` with `literal` (a number the library put into a message) replaced by an HCL interpolation; refuses when it is not there once. */
function interpolate(text: string, literal: string, interpolation: string): string {
  if (text.split(literal).length !== 2) throw new Error(`"${literal}" is not in "${text}" exactly once`);
  return text.replace(literal, interpolation);
}

const expire = (rulePriority: number, tagStatus: LifecycleSelection['tagStatus']): LifecycleRule => ({
  rulePriority,
  selection: { tagStatus, countType: 'imageCountMoreThan', countNumber: 1 },
  action: { type: EXPIRE },
});

/**
 * Where the rules are: the loops that reach one rule list (none for a
 * variable that is the list), the list, and its path (an HCL template that
 * may interpolate the loop variables, quotes escaped).
 */
export interface LifecycleRulesPlaces {
  readonly loops: readonly string[];
  readonly rules: string;
  readonly path: string;
}

/** Every value of one field (`rule.selection.tag_status`) of every rule, at `...lifecycle_rules[${index}].selection.tag_status`. */
function eachRule(places: LifecycleRulesPlaces, field: string): ValuePlaces {
  return {
    loops: [...places.loops, `for index, rule in ${places.rules}`],
    value: field,
    path: `${places.path}[\${index}].${field.replace(/^rule\./, '')}`,
  };
}

const rule = (holds: (value: string) => string, message: string, perValue = false): HclRule[] => [{ holds, message, perValue }];

/** The validations of every lifecycle rule the library checks, over the rule lists at `places`. */
export function lifecycleValidations(places: LifecycleRulesPlaces): VariableValidation[] {
  const s = 'rule.selection';
  const inList = (values: readonly string[]) => (value: string) => `contains(${hclStringList(values)}, ${value})`;
  const wholeNumber = (value: string) => `${value} == floor(${value}) && ${value} >= 1`;
  const entries = (list: string, item: string): ValuePlaces => ({
    loops: [...places.loops, `for index, rule in ${places.rules}`, `for entry, ${item} in coalesce(${list}, [])`],
    value: item,
    path: `${places.path}[\${index}].${list.replace(/^rule\./, '')}[\${entry}]`,
  });
  const priorities = `[for other in ${places.rules} : other.rule_priority]`;
  const anyRules = `[for other in ${places.rules} : other.rule_priority if other.selection.tag_status == "any"]`;
  const policy: ValuePlaces = { loops: places.loops, value: anyRules, path: places.path };
  const highest = 104729;
  // Terraform evaluates messages for empty rule lists too, and max() needs a number: priorities are 1 or more.
  const highestPriority = `max(concat(${priorities}, [0])...)`;
  return [
    ...validations(eachRule(places, `${s}.tag_status`), rule(inList(TAG_STATUSES), `must be ${TAG_STATUSES.join(', ').replace(/, ([^,]+)$/, ' or $1')}`)),
    ...validations(eachRule(places, `${s}.count_type`), rule(inList(COUNT_TYPES), `must be ${COUNT_TYPES.join(' or ')}`)),
    ...validations(
      eachRule(places, `${s}.count_unit`),
      rule((value) => `${value} == null ? true : ${value} == "${COUNT_UNIT}"`, `must be ${COUNT_UNIT} (the only unit)`),
    ),
    ...validations(
      eachRule(places, 'rule.action_type'),
      rule((value) => `${value} == "${EXPIRE}"`, `must be ${EXPIRE} (the only lifecycle action)`),
    ),
    ...validations(eachRule(places, 'rule.rule_priority'), rule(wholeNumber, LIFECYCLE_FIELD_RULES.wholeNumber)),
    ...validations(eachRule(places, `${s}.count_number`), rule(wholeNumber, LIFECYCLE_FIELD_RULES.wholeNumber)),
    ...validations(
      eachRule(places, 'rule.description'),
      rule((value) => `${value} == null ? true : length(${value}) <= ${MAX_LIFECYCLE_DESCRIPTION_LENGTH}`, LIFECYCLE_FIELD_RULES.description),
    ),
    ...validations(
      entries(`${s}.tag_prefix_list`, 'prefix'),
      rule((value) => `length(${value}) > 0`, LIFECYCLE_FIELD_RULES.emptyTagPrefix),
    ),
    ...validations(
      entries(`${s}.tag_pattern_list`, 'pattern'),
      rule((value) => `length(${value}) > 0`, LIFECYCLE_FIELD_RULES.emptyTagPattern),
    ),
    ...validations(
      entries(`${s}.tag_pattern_list`, 'pattern'),
      rule((value) => `length(${value}) - length(replace(${value}, "*", "")) <= ${MAX_TAG_PATTERN_WILDCARDS}`, LIFECYCLE_FIELD_RULES.tagPatternWildcards),
    ),
    // lifecycleRuleProblems: the rules between the fields of one rule.
    ...validations(
      eachRule(places, `${s}.tag_status`),
      rule(
        (value) => `${value} != "tagged" || ${s}.tag_prefix_list != null || ${s}.tag_pattern_list != null`,
        ruleMessage({ tagStatus: 'tagged' }, 'selection.tagStatus'),
      ),
    ),
    ...validations(
      eachRule(places, `${s}.tag_pattern_list`),
      rule(
        () => `${s}.tag_prefix_list == null || ${s}.tag_pattern_list == null`,
        ruleMessage({ tagStatus: 'tagged', tagPrefixList: ['v'], tagPatternList: ['v*'] }, 'selection.tagPatternList'),
      ),
    ),
    ...validations(
      eachRule(places, `${s}.tag_status`),
      rule(
        (value) => `${value} == "tagged" || (${s}.tag_prefix_list == null && ${s}.tag_pattern_list == null)`,
        ruleMessage({ tagStatus: 'untagged', tagPrefixList: ['v'] }, 'selection.tagStatus'),
      ),
    ),
    ...validations(
      eachRule(places, `${s}.count_unit`),
      rule(
        (value) => `${s}.count_type != "sinceImagePushed" || ${value} != null`,
        `countUnit ${ruleMessage({ countType: 'sinceImagePushed' }, 'selection.countUnit')}`,
      ),
    ),
    ...validations(
      eachRule(places, `${s}.count_unit`),
      rule(
        (value) => `${s}.count_type != "imageCountMoreThan" || ${value} == null`,
        ruleMessage({ countType: 'imageCountMoreThan', countUnit: 'days' }, 'selection.countUnit'),
      ),
    ),
    // lifecyclePolicyProblems: the rules across the rules of one policy (the message names the other rule, or the highest priority).
    ...validations(
      eachRule(places, 'rule.rule_priority'),
      rule(
        (value) => `index(${priorities}, ${value}) == index`,
        interpolate(
          policyMessage([expire(1, 'untagged'), expire(1, 'untagged')], 'rules.1.rulePriority'),
          'rules[0]',
          `rules[\${index(${priorities}, rule.rule_priority)}]`,
        ),
        true,
      ),
    ),
    ...validations(
      policy,
      rule((value) => `length(${value}) <= 1`, policyMessage([expire(1, 'any'), expire(2, 'any')], 'rules')),
    ),
    ...validations(
      eachRule(places, `${s}.tag_status`),
      rule(
        (value) => `${value} != "any" || rule.rule_priority == ${highestPriority}`,
        interpolate(policyMessage([expire(1, 'any'), expire(highest, 'untagged')], 'rules.0.rulePriority'), String(highest), `\${${highestPriority}}`),
        true,
      ),
    ),
  ];
}

/** ECR's limit on the policy text, for a precondition on `aws_ecr_lifecycle_policy` (the text is what the resource sends). */
export function lifecyclePolicyLengthCondition(policy: string): { condition: string; message: string } {
  const tooLong: LifecycleRule[] = [{ ...expire(1, 'any'), description: 'x'.repeat(MAX_LIFECYCLE_POLICY_LENGTH) }];
  const problem = lifecyclePolicyProblems({ rules: tooLong }).find((candidate) => candidate.path.length === 0);
  if (!problem) throw new Error('the library reports no length problem for a policy above the limit');
  return {
    condition: `length(${policy}) <= ${MAX_LIFECYCLE_POLICY_LENGTH}`,
    message: interpolate(problem.message, String(JSON.stringify({ rules: tooLong }).length), `\${length(${policy})}`),
  };
}
