/**
 * A registry's image scanning configuration: which repositories are scanned,
 * how (BASIC or ENHANCED) and when (on push, continuously). A registry has
 * exactly one: applying this one replaces whatever the registry had. It is
 * the only scan setting that reaches repositories created by replication
 * from a creation template (templates have no scan setting).
 */
import { Construct } from 'constructs';
import { EcrRegistryScanningConfiguration } from '@cdktf/provider-aws/lib/ecr-registry-scanning-configuration';
import { scanningFilterProblem, SCANNING_LIMITS, SCANNING_RULES } from './ecr/scanning';
import { checkRegistry, claimRegistrySingleton, EcrRegistry } from './registry';
import { constructLabel, propError } from './validation';

/** BASIC: ECR's own scan on push; ENHANCED: Amazon Inspector, which can also scan continuously. */
export type ScanType = 'BASIC' | 'ENHANCED';
/** When a rule scans: on every push, or continuously (ENHANCED only). */
export type ScanFrequency = 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN';

/** One scanning rule: a frequency and the repositories it covers. */
export interface RegistryScanningRule {
  /** When the matched repositories are scanned. */
  readonly frequency: ScanFrequency;
  /** WILDCARD repository filters: `*` is every repository. */
  readonly filters: readonly string[];
}

/** What `RegistryScanningConfiguration` creates. */
export interface RegistryScanningConfigurationProps {
  /** The registry whose scanning configuration this is (one per registry). */
  readonly registry: EcrRegistry;
  /** BASIC or ENHANCED (Amazon Inspector). @default BASIC */
  readonly scanType?: ScanType;
  /** The rules, at most 2 with 100 filters each. @default - scan every repository on push: [{ frequency: SCAN_ON_PUSH, filters: ['*'] }] */
  readonly rules?: readonly RegistryScanningRule[];
}

/**
 * A registry's one scanning configuration (ECR keeps one per registry: a
 * second in the same app fails, naming both).
 */
export class RegistryScanningConfiguration extends Construct {
  /** The `aws_ecr_registry_scanning_configuration` resource. */
  readonly configuration: EcrRegistryScanningConfiguration;

  constructor(scope: Construct, id: string, props: RegistryScanningConfigurationProps) {
    super(scope, id);
    const label = constructLabel('RegistryScanningConfiguration', this);
    checkRegistry(label, props.registry);
    const scanType = props.scanType ?? 'BASIC';
    const rules = props.rules ?? [{ frequency: 'SCAN_ON_PUSH', filters: ['*'] }];
    if (rules.length === 0) throw propError(label, 'rules', [], "must hold at least one rule, e.g. { frequency: 'SCAN_ON_PUSH', filters: ['*'] }");
    if (rules.length > SCANNING_LIMITS.rules) throw propError(label, 'rules', rules.length, SCANNING_RULES.tooManyRules);
    const frequencies = new Set<ScanFrequency>();
    rules.forEach((rule, index) => {
      if (rule.filters.length === 0) throw propError(label, `rules[${index}].filters`, [], SCANNING_RULES.noFilters);
      if (rule.filters.length > SCANNING_LIMITS.filtersPerRule)
        throw propError(label, `rules[${index}].filters`, rule.filters.length, SCANNING_RULES.tooManyFilters);
      rule.filters.forEach((filter, filterIndex) => {
        const problem = scanningFilterProblem(filter);
        if (problem !== undefined) throw propError(label, `rules[${index}].filters[${filterIndex}]`, filter, problem);
      });
      if (scanType === 'BASIC' && rule.frequency === 'CONTINUOUS_SCAN') {
        throw propError(label, `rules[${index}].frequency`, rule.frequency, SCANNING_RULES.continuousNeedsEnhanced);
      }
      if (frequencies.has(rule.frequency)) throw propError(label, `rules[${index}].frequency`, rule.frequency, SCANNING_RULES.duplicateFrequency);
      frequencies.add(rule.frequency);
    });
    claimRegistrySingleton('RegistryScanningConfiguration', this, props.registry);
    this.configuration = new EcrRegistryScanningConfiguration(this, 'Resource', {
      provider: props.registry.provider,
      scanType,
      rule: rules.map((rule) => ({
        scanFrequency: rule.frequency,
        repositoryFilter: [...rule.filters].map((filter) => ({ filter, filterType: 'WILDCARD' })),
      })),
    });
  }
}
