/**
 * Renders an audit: a table for people, JSON for scripts, SARIF 2.1.0 for
 * code-scanning services. Deterministic (no timestamps, no machine paths).
 */
import { AuditFinding, isSuppressed, RuleInfo, sortFindings } from './findings';

/** One repository as the live audit found it. */
export interface RepositoryInventory {
  readonly scope: string;
  readonly repository: string;
  readonly arn: string;
  /** AES256, AWS-MANAGED (aws/ecr) or CUSTOMER-MANAGED. */
  readonly encryption: 'AES256' | 'AWS-MANAGED' | 'CUSTOMER-MANAGED' | 'UNKNOWN';
  readonly kmsKey?: string;
  /** The key is in the repository's region (undefined without a key). */
  readonly keyInRegion?: boolean;
  /** Automatic rotation of the customer-managed key (undefined without one). */
  readonly keyRotation?: boolean;
  readonly tagMutability: string;
  readonly scanOnPush: boolean;
  /** The registry scanning configuration matches the repository: its frequency, or undefined. */
  readonly registryScan?: string;
  readonly lifecyclePolicy: boolean;
  /** Declared in the config (false: created by replication or out of band). */
  readonly declared: boolean;
}

export interface AuditReport {
  readonly kind: 'static' | 'live';
  /** Every rule the audit applied, in a fixed order. */
  readonly rules: readonly RuleInfo[];
  /** Stacks (static) or registries (live) audited. */
  readonly scopes: readonly string[];
  readonly findings: readonly AuditFinding[];
  readonly inventory?: readonly RepositoryInventory[];
}

export type ReportFormat = 'table' | 'json' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'json', 'sarif'];

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

const yesNo = (value: boolean | undefined) => (value === undefined ? '-' : value ? 'yes' : 'NO');

export function renderTable(report: AuditReport): string {
  const lines: string[] = [];
  const findings = sortFindings(report.findings.filter((finding) => !isSuppressed(finding)));
  const suppressed = sortFindings(report.findings.filter(isSuppressed));
  if (report.inventory && report.inventory.length > 0) {
    lines.push(`Repositories (${report.inventory.length}):`);
    lines.push(
      ...table(
        ['registry', 'repository', 'encryption', 'key in region', 'rotation', 'tags', 'scan on push', 'registry scan', 'lifecycle', 'declared'],
        report.inventory.map((repository) => [
          repository.scope,
          repository.repository,
          repository.encryption,
          yesNo(repository.keyInRegion),
          yesNo(repository.keyRotation),
          repository.tagMutability,
          yesNo(repository.scanOnPush),
          repository.registryScan ?? 'NO',
          yesNo(repository.lifecyclePolicy),
          repository.declared ? 'yes' : 'no',
        ]),
      ).map((line) => `  ${line}`),
      '',
    );
  }
  const where = report.kind === 'static' ? 'stack' : 'registry';
  const count = report.scopes.length;
  const audited = `${count} ${report.kind === 'static' ? (count === 1 ? 'stack' : 'stacks') : count === 1 ? 'registry' : 'registries'}`;
  if (findings.length === 0) {
    lines.push(`No findings: ${audited} comply with ${report.rules.length} rules.`);
    lines.push(...suppressedSection(suppressed, where));
    return `${lines.join('\n')}\n`;
  }
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  lines.push(
    `${findings.length} finding${findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}) in ${audited}:`,
  );
  lines.push(
    ...table(
      ['level', 'rule', where, 'address', 'finding'],
      findings.map((finding) => [finding.severity, finding.ruleId, finding.scope, finding.address, finding.message]),
    ).map((line) => `  ${line}`),
  );
  const byId = new Map(report.rules.map((rule) => [rule.id, rule]));
  lines.push('', 'Why and how to fix:');
  for (const id of [...new Set(findings.map((finding) => finding.ruleId))]) {
    const rule = byId.get(id);
    const references = rule && rule.references.length > 0 ? ` [${rule.references.map((reference) => reference.id).join(', ')}]` : '';
    lines.push(`  ${id}${references}`);
    if (rule) lines.push(`    why: ${rule.description}`, `    fix: ${rule.remediation}`);
    for (const finding of findings.filter((candidate) => candidate.ruleId === id && candidate.fix !== rule?.remediation)) {
      lines.push(`    ${finding.address}:`, ...finding.fix.split('\n').map((step) => `      ${step}`));
    }
  }
  lines.push(...suppressedSection(suppressed, where));
  return `${lines.join('\n')}\n`;
}

/** Suppressed findings, each with its reason: reported, never failing the audit. */
function suppressedSection(suppressed: readonly AuditFinding[], where: string): string[] {
  if (suppressed.length === 0) return [];
  return [
    '',
    `${suppressed.length} suppressed finding${suppressed.length === 1 ? '' : 's'} (accepted with a reason; never fails the audit):`,
    ...table(
      ['level', 'rule', where, 'address', 'reason'],
      suppressed.map((finding) => [finding.severity, finding.ruleId, finding.scope, finding.address, finding.suppression!.reason]),
    ).map((line) => `  ${line}`),
  ];
}

export function renderJson(report: AuditReport): string {
  const active = report.findings.filter((finding) => !isSuppressed(finding));
  return `${JSON.stringify(
    {
      kind: report.kind,
      scopes: report.scopes,
      // Counts of the findings that fail or warn; suppressed ones are counted apart (and listed with their reason).
      summary: {
        findings: active.length,
        errors: active.filter((finding) => finding.severity === 'error').length,
        warnings: active.filter((finding) => finding.severity === 'warning').length,
        suppressed: report.findings.length - active.length,
      },
      findings: sortFindings(report.findings),
      ...(report.inventory ? { inventory: report.inventory } : {}),
      rules: report.rules,
    },
    null,
    2,
  )}\n`;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'ecr-kms-replication-audit';

/** SARIF 2.1.0: one run, the rules in tool.driver.rules, one result per finding. */
export function sarifLog(report: AuditReport): Record<string, unknown> {
  const rules = report.rules;
  const index = new Map(rules.map((rule, position) => [rule.id, position]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            informationUri: 'https://github.com/ecr-kms-replication/ecr-kms-replication#compliance',
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.description },
              help: { text: rule.remediation },
              defaultConfiguration: { level: rule.severity },
              properties: { tags: ['security', ...rule.references.map((reference) => `${reference.source}:${reference.id}`)] },
            })),
          },
        },
        results: sortFindings(report.findings).map((finding) => ({
          ruleId: finding.ruleId,
          ...(index.has(finding.ruleId) ? { ruleIndex: index.get(finding.ruleId) } : {}),
          level: finding.severity,
          message: { text: `${finding.scope} ${finding.address}: ${finding.message}. Fix: ${finding.fix}` },
          locations: [
            {
              ...(finding.file ? { physicalLocation: { artifactLocation: { uri: finding.file } } } : {}),
              logicalLocations: [{ name: finding.address, fullyQualifiedName: `${finding.scope}/${finding.address}`, kind: 'resource' }],
            },
          ],
          partialFingerprints: { 'ecrAudit/v1': `${finding.ruleId}|${finding.scope}|${finding.address}` },
          // A suppressed finding stays a result, marked as accepted with its justification (SARIF 2.1.0, 3.35).
          ...(finding.suppression ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: finding.suppression.reason }] } : {}),
        })),
      },
    ],
  };
}

export function renderSarif(report: AuditReport): string {
  return `${JSON.stringify(sarifLog(report), null, 2)}\n`;
}

export function renderReport(report: AuditReport, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return renderTable(report);
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report);
  }
}
