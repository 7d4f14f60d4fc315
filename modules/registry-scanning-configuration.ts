/**
 * A registry's image scanning configuration: which repositories are scanned,
 * how (BASIC or ENHANCED) and when (on push, continuously). A registry has
 * exactly one: applying this one replaces whatever the registry had. It is
 * the only scan setting that reaches repositories created by replication
 * from a creation template (templates have no scan setting).
 */
import { Construct } from 'constructs';
import { EcrRegistryScanningConfiguration } from '@cdktf/provider-aws/lib/ecr-registry-scanning-configuration';
import { EcrRegistry } from './registry';

export type ScanType = 'BASIC' | 'ENHANCED';
export type ScanFrequency = 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN';

export interface RegistryScanningRule {
  readonly frequency: ScanFrequency;
  /** WILDCARD repository filters: `*` is every repository. */
  readonly filters: readonly string[];
}

export interface RegistryScanningConfigurationProps {
  /** The registry whose scanning configuration this is (one per registry). */
  readonly registry: EcrRegistry;
  /** @default BASIC */
  readonly scanType?: ScanType;
  /** @default - scan every repository on push: [{ frequency: SCAN_ON_PUSH, filters: ['*'] }] */
  readonly rules?: readonly RegistryScanningRule[];
}

export class RegistryScanningConfiguration extends Construct {
  readonly configuration: EcrRegistryScanningConfiguration;

  constructor(scope: Construct, id: string, props: RegistryScanningConfigurationProps) {
    super(scope, id);
    const scanType = props.scanType ?? 'BASIC';
    const rules = props.rules ?? [{ frequency: 'SCAN_ON_PUSH', filters: ['*'] }];
    if (rules.length === 0)
      throw new Error(`RegistryScanningConfiguration ${id}: rules must hold at least one rule, e.g. { frequency: 'SCAN_ON_PUSH', filters: ['*'] }`);
    for (const rule of rules) {
      if (rule.filters.length === 0) throw new Error(`RegistryScanningConfiguration ${id}: the ${rule.frequency} rule must hold at least one filter, e.g. '*'`);
      if (scanType === 'BASIC' && rule.frequency === 'CONTINUOUS_SCAN') {
        throw new Error(`RegistryScanningConfiguration ${id}: CONTINUOUS_SCAN needs scanType ENHANCED (basic scanning scans on push only)`);
      }
    }
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
