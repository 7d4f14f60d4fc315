/**
 * What both audits report: findings of a rule (compliance rules, and the
 * checks only the live audit can make), each with where it was found, why
 * the rule exists and how to fix it.
 */
import { ComplianceRule, RuleReference } from '../../modules/compliance/compliance-rules';

export type Severity = 'error' | 'warning';

/** The description of a rule, shared by compliance rules and live-only checks. */
export interface RuleInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly remediation: string;
  readonly severity: Severity;
  readonly references: readonly RuleReference[];
}

export interface AuditFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** The stack (static) or the registry `<account name> <account id>/<region>` (live). */
  readonly scope: string;
  /** The Terraform address (static, with the for_each key) or the resource ARN (live). */
  readonly address: string;
  /** What is wrong with this resource. */
  readonly message: string;
  /** Why the rule exists. */
  readonly why: string;
  /** How to fix it; for some live findings the exact commands. */
  readonly fix: string;
  /** The file the finding is in, relative to the working directory (static audit). */
  readonly file?: string;
  /**
   * Static audit: the finding is accepted on purpose, with this reason
   * (`ComplianceSuppressions.add`, recorded in the synthesized resource). It
   * is reported, but never fails the audit.
   */
  readonly suppression?: { readonly reason: string };
}

/** Whether a finding is suppressed (accepted with a reason). */
export const isSuppressed = (finding: AuditFinding): boolean => finding.suppression !== undefined;

export function ruleInfo(rule: ComplianceRule | RuleInfo): RuleInfo {
  return {
    id: rule.id,
    title: rule.title,
    description: rule.description,
    remediation: rule.remediation,
    severity: rule.severity,
    references: rule.references,
  };
}

/** Errors first, then by scope, address and rule: the same input gives the same report. */
export function sortFindings(findings: readonly AuditFinding[]): AuditFinding[] {
  const order = (finding: AuditFinding) => [finding.severity === 'error' ? '0' : '1', finding.scope, finding.address, finding.ruleId, finding.message];
  return [...findings].sort((left, right) => {
    const a = order(left);
    const b = order(right);
    for (let index = 0; index < a.length; index += 1) {
      if (a[index] !== b[index]) return a[index] < b[index] ? -1 : 1;
    }
    return 0;
  });
}

/** Whether an unsuppressed finding reaches `level` (suppressed findings never fail the audit). */
export function hasFindingsAtOrAbove(findings: readonly AuditFinding[], level: Severity): boolean {
  return findings.some((finding) => !isSuppressed(finding) && (finding.severity === 'error' || level === 'warning'));
}
