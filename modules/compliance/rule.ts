/**
 * A compliance rule: an id, why it exists, how to fix a finding, the
 * external checks it stands for (checkov, trivy, CloudSploit, Security Hub),
 * and a pure check over one Terraform resource instance (as synthesized, or
 * as the live audit maps an API description onto the same attributes).
 */

/** What a rule says of one resource instance: it complies, it does not, or the rule does not apply to it. */
export type RuleStatus = 'compliant' | 'non-compliant' | 'not-applicable';

/** A rule's verdict on one resource instance. */
export interface RuleResult {
  /** Compliant, non-compliant or not applicable. */
  readonly status: RuleStatus;
  /** Why, for this instance (e.g. `image_tag_mutability is MUTABLE, not IMMUTABLE`). */
  readonly reason: string;
}

/** Where an external scanner or standard names the same check. */
export interface RuleReference {
  /** The scanner or standard. */
  readonly source: 'checkov' | 'trivy' | 'cloudsploit' | 'security-hub';
  /** Its id for the check, e.g. `CKV_AWS_136`, `ECR.5`. */
  readonly id: string;
}

/** One instance of a Terraform resource: a `for_each` key gives one instance per key. */
export interface ResourceInstance {
  /** The Terraform resource type, e.g. `aws_ecr_repository`. */
  readonly type: string;
  /** The resource name in the configuration (`repositories`). */
  readonly name: string;
  /** The `for_each` key, if any. */
  readonly key?: string;
  /** `aws_ecr_repository.repositories["team-a/api"]` */
  readonly address: string;
  /** The instance's attributes as Terraform JSON writes them (snake_case, nested blocks as lists). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** What a rule may know beyond the resource: the other resources of its stack (or registry). */
export interface RuleContext {
  /** `terraform`: synthesized output or a plan; `live`: resources described by the AWS APIs. */
  readonly origin: 'terraform' | 'live';
  /** Every resource instance of the stack (or, live, of the registry). */
  readonly resources: readonly ResourceInstance[];
  /** Live: the KeyManager (CUSTOMER or AWS) of each key ARN, from kms:DescribeKey. */
  readonly keyManagers?: ReadonlyMap<string, string>;
}

/** One compliance rule: an id, why it exists, how to fix a finding, and a pure check over one resource instance. */
export interface ComplianceRule {
  /** The rule's id, e.g. `ECR-ENCRYPTED-CMK`: what suppressions and reports name. */
  readonly id: string;
  /** One line: what is checked. */
  readonly title: string;
  /** Why the rule exists. */
  readonly description: string;
  /** How to fix a finding. */
  readonly remediation: string;
  /** `error` fails synthesis and the audit; `warning` is reported. */
  readonly severity: 'error' | 'warning';
  /** The external checks this rule stands for. */
  readonly references: readonly RuleReference[];
  /** The verdict on one resource instance of `resourceType`; `context` holds the other resources of its stack or registry. */
  check(resourceType: string, attributes: Readonly<Record<string, unknown>>, context?: RuleContext): RuleResult;
}

/** A `not-applicable` result: the rule does not look at this resource. */
export const notApplicable = (reason: string): RuleResult => ({ status: 'not-applicable', reason });
/** A `compliant` result, with why. */
export const compliant = (reason: string): RuleResult => ({ status: 'compliant', reason });
/** A `non-compliant` result, with what is wrong. */
export const nonCompliant = (reason: string): RuleResult => ({ status: 'non-compliant', reason });

/** A nested block as Terraform JSON writes it: a list of one object, or the object itself. */
export function firstBlock(value: unknown): Record<string, unknown> | undefined {
  const block = Array.isArray(value) ? value[0] : value;
  return typeof block === 'object' && block !== null ? (block as Record<string, unknown>) : undefined;
}

/** A value Terraform JSON may write as one item or a list, as a list (none: empty). */
export function asList<T>(value: T | readonly T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** A policy statement as found in synthesized or live JSON: every field optional, nothing trusted. */
export interface PolicyStatementData {
  /** The statement id. */
  readonly Sid?: string;
  /** `Allow` or `Deny`. */
  readonly Effect?: string;
  /** Who the statement is about: `"*"`, `{ AWS: ... }`, `{ Service: ... }`. */
  readonly Principal?: unknown;
  /** The actions, one or a list. */
  readonly Action?: string | string[];
  /** The resources, one or a list. */
  readonly Resource?: string | string[];
  /** The condition block. */
  readonly Condition?: unknown;
}

/** The statements of a policy given as JSON text, or undefined when it is not literal JSON. */
export function policyStatements(policy: unknown): PolicyStatementData[] | undefined {
  let document: unknown = policy;
  if (typeof policy === 'string') {
    try {
      document = JSON.parse(policy);
    } catch {
      return undefined;
    }
  }
  if (typeof document !== 'object' || document === null) return undefined;
  return asList((document as { Statement?: PolicyStatementData | PolicyStatementData[] }).Statement);
}

/** Whether a statement's principal is everyone: `"*"`, `{"AWS": "*"}` or a list holding `"*"`. */
export function hasWildcardPrincipal(statement: PolicyStatementData): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return Object.values(principal as Record<string, unknown>).some((value) => asList(value as string | string[]).includes('*'));
}

/** The Sids (or positions) of the Allow statements whose principal is everyone. */
export function wildcardPrincipalStatements(statements: readonly PolicyStatementData[]): string[] {
  return statements
    .map((statement, index) => ({ statement, label: statement.Sid ?? `#${index + 1}` }))
    .filter(({ statement }) => statement.Effect === 'Allow' && hasWildcardPrincipal(statement))
    .map(({ label }) => label);
}

/** `CKV_AWS_136, AWS-0033`: a rule's external ids, for reports. */
export function referenceList(references: readonly RuleReference[]): string {
  return references.map((reference) => reference.id).join(', ');
}
