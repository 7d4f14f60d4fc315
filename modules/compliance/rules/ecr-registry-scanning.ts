/**
 * ECR-REGISTRY-SCANNING: the repositories that replication creates from a
 * creation template are scanned. Templates have no scan setting; only the
 * registry's scanning configuration reaches those repositories.
 */
import { asList, ComplianceRule, compliant, firstBlock, nonCompliant, notApplicable, ResourceInstance } from '../rule';

const SCANNING_CONFIGURATION = 'aws_ecr_registry_scanning_configuration';

/** A scanning filter (WILDCARD, `*` anywhere) matches a repository name. */
export function scanningFilterMatches(filter: string, repositoryName: string): boolean {
  const pattern = new RegExp(
    `^${filter
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return pattern.test(repositoryName);
}

/** Whether a filter matches every repository a creation template with this prefix creates (`ROOT`: every repository). */
export function scanningFilterCoversPrefix(filter: string, prefix: string): boolean {
  if (filter === '*') return true;
  if (prefix === 'ROOT') return false;
  return filter.endsWith('*') && !filter.slice(0, -1).includes('*') && `${prefix}/`.startsWith(filter.slice(0, -1));
}

interface ScanningRule {
  readonly frequency: string;
  readonly filters: readonly string[];
}

function scanningRules(resources: readonly ResourceInstance[]): ScanningRule[] {
  return resources
    .filter((resource) => resource.type === SCANNING_CONFIGURATION)
    .flatMap((resource) =>
      asList(resource.attributes.rule as Record<string, unknown>[] | undefined).map((rule) => ({
        frequency: String(rule.scan_frequency ?? ''),
        filters: asList(rule.repository_filter as Record<string, unknown>[] | undefined).map((filter) => String(filter.filter ?? '')),
      })),
    )
    .filter((rule) => rule.frequency !== 'MANUAL');
}

export function registryScanningCovers(resources: readonly ResourceInstance[], repositoryName: string): boolean {
  return scanningRules(resources).some((rule) => rule.filters.some((filter) => scanningFilterMatches(filter, repositoryName)));
}

/** The rule ECR-REGISTRY-SCANNING: a registry scanning rule matches every repository a creation template creates. */
export const ecrRegistryScanning: ComplianceRule = {
  id: 'ECR-REGISTRY-SCANNING',
  title: "Repositories created by replication are scanned by the registry's scanning configuration",
  description:
    'A PREFIX_MATCH filter team-a/api also replicates team-a/api-dev, which replication creates from a creation template. Templates have no scan setting: only the registry scanning configuration scans such repositories (Security Hub ECR.1).',
  remediation:
    'Give the registry an aws_ecr_registry_scanning_configuration whose rules (scan on push or continuous) match every repository of the template prefix, e.g. the wildcard filter "*" (scanning: in the config; the default does this).',
  severity: 'warning',
  references: [
    { source: 'security-hub', id: 'ECR.1' },
    { source: 'trivy', id: 'AWS-0030' },
  ],
  check(resourceType, attributes, context) {
    if (resourceType === SCANNING_CONFIGURATION) {
      const type = String(attributes.scan_type ?? 'BASIC');
      const rules = asList(attributes.rule as Record<string, unknown>[] | undefined);
      if (rules.length === 0) return nonCompliant(`the ${type} scanning configuration has no rule: no repository is scanned automatically`);
      const manual = rules.filter((rule) => firstBlock(rule)?.scan_frequency === 'MANUAL');
      return manual.length === rules.length
        ? nonCompliant('every rule scans MANUAL only: no repository is scanned automatically')
        : compliant(`${type} scanning with ${rules.length} rule(s)`);
    }
    if (resourceType !== 'aws_ecr_repository_creation_template') return notApplicable('not a creation template or registry scanning configuration');
    const prefix = String(attributes.prefix ?? '');
    const rules = scanningRules(context?.resources ?? []);
    if (rules.length === 0) return nonCompliant(`no registry scanning configuration scans the repositories that template "${prefix}" creates`);
    const covering = rules.some((rule) => rule.filters.some((filter) => scanningFilterCoversPrefix(filter, prefix)));
    return covering
      ? compliant('the registry scanning configuration covers the template prefix')
      : nonCompliant(`no registry scanning rule matches every repository under template prefix "${prefix}" (a filter such as "*" would)`);
  },
};
