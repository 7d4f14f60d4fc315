/**
 * The live audit: every registry of the config read through the AWS APIs,
 * its repositories (declared or not) mapped onto the Terraform attributes
 * the compliance rules read, plus the checks only the live data allows.
 */
import { Repository } from '@aws-sdk/client-ecr';
import { Config } from '../../config/schema';
import { DeploymentPlan, planDeployment, Registry } from '../../config/deployment-plan';
import { ecrRepositoryArn, Partition, partitionOf } from '../../modules/ecr/regions';
import { checkInstances, COMPLIANCE_RULES, ComplianceRule, ResourceInstance, scanningFilterMatches } from '../../modules/compliance/compliance-rules';
import { call, ClientFactory, RegistryTarget } from './aws-access';
import { AuditFinding, ruleInfo, sortFindings } from './findings';
import { grantsPerKey, keyInRepositoryRegion, LIVE_CHECKS, orphanedGrant, registryDeployed, replicationCoverage } from './live-checks';
import { readRegistry, RegistrySnapshot, regionOfArn } from './registry-snapshot';
import { AuditReport, RepositoryInventory } from './report';
import { coverageProblems, matchingRepositories } from './replication-coverage';

/** A registry of the plan, with what the config declares for it. */
export interface AuditedRegistry {
  readonly target: RegistryTarget;
  readonly partition: Partition;
  readonly declared: readonly string[];
}

export function targetOf(registry: Registry): RegistryTarget {
  return { accountName: registry.accountName, accountId: registry.account.id, region: registry.region, roleArn: registry.account.deployRoleArn };
}

/** Every registry of the config (sources and destinations), once each, in plan order. */
export function auditedRegistries(config: Config, plan: DeploymentPlan = planDeployment(config)): AuditedRegistry[] {
  const registries = new Map<string, AuditedRegistry>();
  for (const entry of [...plan.sources, ...plan.destinations]) {
    const key = `${entry.registry.account.id}/${entry.registry.region}`;
    const declared = entry.repositories.map((repository) => repository.name);
    const known = registries.get(key);
    registries.set(key, {
      target: targetOf(entry.registry),
      partition: entry.registry.partition,
      declared: [...new Set([...(known?.declared ?? []), ...declared])].sort(),
    });
  }
  return [...registries.values()];
}

const repositoryArn = (snapshot: RegistrySnapshot, repository: Repository) =>
  repository.repositoryArn ??
  ecrRepositoryArn(partitionOf(snapshot.target.region), snapshot.target.region, snapshot.target.accountId, repository.repositoryName ?? '');

/** The registry as Terraform resource instances, addressed by ARN, for the compliance rules. */
export function liveInstances(snapshot: RegistrySnapshot): ResourceInstance[] {
  const instances: ResourceInstance[] = [];
  for (const repository of snapshot.repositories) {
    const name = repository.repositoryName ?? '';
    const arn = repositoryArn(snapshot, repository);
    const encryption = repository.encryptionConfiguration;
    instances.push({
      type: 'aws_ecr_repository',
      name,
      address: arn,
      attributes: {
        name,
        encryption_configuration: [
          {
            // KMS_DSSE is KMS too (dual-layer); the key is what the rule checks.
            encryption_type: encryption?.encryptionType?.startsWith('KMS') ? 'KMS' : (encryption?.encryptionType ?? 'AES256'),
            ...(encryption?.kmsKey ? { kms_key: encryption.kmsKey } : {}),
          },
        ],
        image_tag_mutability: repository.imageTagMutability ?? 'MUTABLE',
        image_scanning_configuration: [{ scan_on_push: repository.imageScanningConfiguration?.scanOnPush === true }],
      },
    });
    const lifecycle = snapshot.lifecyclePolicies.get(name);
    if (lifecycle)
      instances.push({ type: 'aws_ecr_lifecycle_policy', name, address: `${arn} (lifecycle policy)`, attributes: { repository: name, policy: lifecycle } });
    const policy = snapshot.repositoryPolicies.get(name);
    if (policy) instances.push({ type: 'aws_ecr_repository_policy', name, address: `${arn} (repository policy)`, attributes: { repository: name, policy } });
  }
  const registryArn = `arn:${partitionOf(snapshot.target.region)}:ecr:${snapshot.target.region}:${snapshot.target.accountId}:registry`;
  if (snapshot.registryPolicy) {
    instances.push({
      type: 'aws_ecr_registry_policy',
      name: 'registry',
      address: `${registryArn} (registry policy)`,
      attributes: { policy: snapshot.registryPolicy },
    });
  }
  if (snapshot.scanning) {
    instances.push({
      type: 'aws_ecr_registry_scanning_configuration',
      name: 'registry',
      address: `${registryArn} (scanning configuration)`,
      attributes: {
        scan_type: snapshot.scanning.scanType,
        rule: snapshot.scanning.rules.map((rule) => ({
          scan_frequency: rule.frequency,
          repository_filter: rule.filters.map((filter) => ({ filter, filter_type: 'WILDCARD' })),
        })),
      },
    });
  }
  for (const key of snapshot.keys.values()) {
    if (key.manager !== 'CUSTOMER') continue;
    instances.push({ type: 'aws_kms_key', name: key.arn, address: key.arn, attributes: { enable_key_rotation: key.rotation === true, policy: key.policy } });
  }
  return instances;
}

/** Seed 003: encryption cannot change; the steps to move a repository under the registry key. */
export function migrationSteps(snapshot: RegistrySnapshot, name: string): string {
  const { region, accountId } = snapshot.target;
  const key = snapshot.registryKeyArn ?? '<the registry key ARN (apply the stack first)>';
  const registry = `${accountId}.dkr.ecr.${region}.amazonaws.com`;
  return [
    'Encryption cannot be changed after creation: move the images to a new repository.',
    `1. aws ecr create-repository --region ${region} --repository-name ${name}-kms --image-tag-mutability IMMUTABLE --image-scanning-configuration scanOnPush=true --encryption-configuration encryptionType=KMS,kmsKey=${key}`,
    `2. copy every image, e.g. for each tag: crane copy ${registry}/${name}:<tag> ${registry}/${name}-kms:<tag> (or docker pull, docker tag, docker push)`,
    `3. switch consumers (deployments, pipelines, pull-through rules) to ${registry}/${name}-kms`,
    `4. aws ecr delete-repository --region ${region} --repository-name ${name} --force (ECR retires its grants); to keep the name, recreate ${name} with KMS as in step 1 and copy back before deleting ${name}-kms`,
  ].join('\n');
}

function finding(
  snapshot: RegistrySnapshot,
  rule: { id: string; severity: 'error' | 'warning'; description: string; remediation: string },
  address: string,
  message: string,
  fix?: string,
): AuditFinding {
  return { ruleId: rule.id, severity: rule.severity, scope: snapshot.scope, address, message, why: rule.description, fix: fix ?? rule.remediation };
}

/** Findings and inventory of one registry, from its snapshot alone. */
export function evaluateRegistry(
  snapshot: RegistrySnapshot,
  declared: readonly string[],
  repositoriesPerKey: number,
  rules: readonly ComplianceRule[] = COMPLIANCE_RULES,
): { findings: AuditFinding[]; inventory: RepositoryInventory[] } {
  const instances = liveInstances(snapshot);
  const keyManagers = new Map([...snapshot.keys.values()].map((key) => [key.arn, key.manager]));
  const findings: AuditFinding[] = checkInstances(instances, { origin: 'live', resources: instances, keyManagers }, rules).map((result) => {
    const repository = snapshot.repositories.find((candidate) => repositoryArn(snapshot, candidate) === result.address);
    const fix = result.rule.id === 'ECR-ENCRYPTED-CMK' && repository ? migrationSteps(snapshot, repository.repositoryName ?? '') : undefined;
    return finding(snapshot, result.rule, result.address, result.result.reason, fix);
  });

  const inventory = snapshot.repositories.map((repository): RepositoryInventory => {
    const name = repository.repositoryName ?? '';
    const arn = repositoryArn(snapshot, repository);
    const kmsKey = repository.encryptionConfiguration?.kmsKey;
    const key = kmsKey ? snapshot.keys.get(kmsKey) : undefined;
    const encrypted = repository.encryptionConfiguration?.encryptionType?.startsWith('KMS') === true;
    const keyInRegion = encrypted && kmsKey ? regionOfArn(kmsKey) === snapshot.target.region : undefined;
    const registryScan = snapshot.scanning?.rules.find(
      (rule) => rule.frequency !== 'MANUAL' && rule.filters.some((filter) => scanningFilterMatches(filter, name)),
    );
    return {
      scope: snapshot.scope,
      repository: name,
      arn,
      encryption: !encrypted ? 'AES256' : key?.manager === 'CUSTOMER' ? 'CUSTOMER-MANAGED' : key?.manager === 'AWS' || !kmsKey ? 'AWS-MANAGED' : 'UNKNOWN',
      ...(kmsKey ? { kmsKey } : {}),
      ...(keyInRegion === undefined ? {} : { keyInRegion }),
      ...(key?.manager === 'CUSTOMER' ? { keyRotation: key.rotation === true } : {}),
      tagMutability: repository.imageTagMutability ?? 'MUTABLE',
      scanOnPush: repository.imageScanningConfiguration?.scanOnPush === true,
      ...(registryScan ? { registryScan: `${snapshot.scanning?.scanType} ${registryScan.frequency}` } : {}),
      lifecyclePolicy: snapshot.lifecyclePolicies.has(name),
      declared: declared.includes(name),
    };
  });

  for (const repository of inventory) {
    if (repository.keyInRegion === false) {
      findings.push(
        finding(
          snapshot,
          keyInRepositoryRegion,
          repository.arn,
          `key ${repository.kmsKey} is in ${regionOfArn(repository.kmsKey ?? '')}, not ${snapshot.target.region}`,
        ),
      );
    }
  }

  const existing = new Set(snapshot.repositories.map((repository) => repositoryArn(snapshot, repository)));
  for (const key of snapshot.keys.values()) {
    if (key.manager !== 'CUSTOMER') continue;
    const repositoryArns = new Set<string>();
    for (const grant of key.grants) {
      const context = { ...grant.Constraints?.EncryptionContextSubset, ...grant.Constraints?.EncryptionContextEquals };
      const named = context['aws:ecr:arn'];
      if (!named) continue;
      if (existing.has(named)) {
        repositoryArns.add(named);
        continue;
      }
      const ownRegistry = named.includes(`:ecr:${snapshot.target.region}:${snapshot.target.accountId}:`);
      if (!ownRegistry) continue;
      findings.push(
        finding(
          snapshot,
          orphanedGrant,
          `${key.arn} grant ${grant.GrantId ?? '?'}`,
          `grant ${grant.GrantId ?? '?'} names ${named}, which no longer exists`,
          `aws kms retire-grant --key-id ${key.arn} --grant-id ${grant.GrantId ?? '<grant id>'} --region ${key.region || snapshot.target.region}`,
        ),
      );
    }
    if (repositoryArns.size > repositoriesPerKey) {
      findings.push(
        finding(
          snapshot,
          grantsPerKey,
          key.arn,
          `${repositoryArns.size} repositories hold grants on the key (${key.grants.length} grants), above keys.repositoriesPerKey = ${repositoriesPerKey}`,
        ),
      );
    }
  }
  return { findings, inventory };
}

/** REPLICATION-COVERAGE: each source's matching repositories in each of its destinations. */
export function evaluateCoverage(
  config: Config,
  snapshots: ReadonlyMap<string, RegistrySnapshot>,
  plan: DeploymentPlan = planDeployment(config),
): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const source of plan.sources) {
    const sourceSnapshot = snapshots.get(`${source.registry.account.id}/${source.registry.region}`);
    if (!sourceSnapshot) continue;
    const names = matchingRepositories(
      [...source.repositories.map((repository) => repository.name), ...sourceSnapshot.repositories.map((repository) => repository.repositoryName ?? '')],
      source.replicationFilters,
    );
    for (const destination of source.destinations) {
      const snapshot = snapshots.get(`${destination.registry.account.id}/${destination.registry.region}`);
      if (!snapshot) continue;
      for (const problem of coverageProblems(names, snapshot.repositories, snapshot.registryKeyArn, config.keys.alias)) {
        const arn = ecrRepositoryArn(destination.registry.partition, destination.registry.region, destination.registry.account.id, problem.repository);
        findings.push(finding(snapshot, replicationCoverage, arn, `repository ${problem.repository} of source ${sourceSnapshot.scope} ${problem.problem}`));
      }
    }
  }
  return findings;
}

const registryArnOf = (registry: Registry) => `arn:${registry.partition}:ecr:${registry.region}:${registry.account.id}:registry`;

/**
 * REGISTRY-DEPLOYED: each registry of the config has its key (the config's alias); each source has its repositories
 * and, for each destination, a replication rule with each filter the config expects. After a teardown or an
 * out-of-band change, these are what the other rules cannot see: there is nothing left to check.
 */
export function evaluateDeployment(
  config: Config,
  snapshots: ReadonlyMap<string, RegistrySnapshot>,
  plan: DeploymentPlan = planDeployment(config),
): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const snapshotOf = (registry: Registry) => snapshots.get(`${registry.account.id}/${registry.region}`);
  const deploy = (stack: string) => `npm run deploy -- ${stack} (the registry's stacks: npm run deploy -- '*')`;
  const keyStacks = new Map<string, { registry: Registry; stack: string }>();
  for (const destination of plan.destinations)
    keyStacks.set(`${destination.registry.account.id}/${destination.registry.region}`, { registry: destination.registry, stack: destination.stackName });
  for (const source of plan.sources) {
    const id = `${source.registry.account.id}/${source.registry.region}`;
    if (!keyStacks.has(id)) keyStacks.set(id, { registry: source.registry, stack: source.registryStackName ?? source.stackName });
  }
  for (const { registry, stack } of keyStacks.values()) {
    const snapshot = snapshotOf(registry);
    if (!snapshot || snapshot.registryKeyArn) continue;
    findings.push(
      finding(
        snapshot,
        registryDeployed,
        `${registryArnOf(registry)} (key ${config.keys.alias})`,
        `the registry has no key ${config.keys.alias}: it was never deployed, or torn down`,
        deploy(stack),
      ),
    );
  }
  for (const source of plan.sources) {
    const snapshot = snapshotOf(source.registry);
    if (!snapshot) continue;
    const existing = new Set(snapshot.repositories.map((repository) => repository.repositoryName));
    for (const repository of source.repositories) {
      if (existing.has(repository.name)) continue;
      const arn = ecrRepositoryArn(source.registry.partition, source.registry.region, source.registry.account.id, repository.name);
      findings.push(
        finding(
          snapshot,
          registryDeployed,
          arn,
          `repository ${repository.name} of the config does not exist in the source registry`,
          deploy(source.registryStackName ?? source.stackName),
        ),
      );
    }
    const rules = snapshot.replication?.rules ?? [];
    const configuration = `${registryArnOf(source.registry)} (replication configuration)`;
    if (rules.length === 0 && source.replicationRules.length > 0) {
      const expected = source.destinations.map((destination) => `${destination.registry.account.id}/${destination.registry.region}`).join(', ');
      findings.push(
        finding(
          snapshot,
          registryDeployed,
          configuration,
          `the registry has no replication rules: nothing replicates to ${expected}`,
          deploy(source.stackName),
        ),
      );
      continue;
    }
    for (const destination of source.destinations) {
      const expected = source.replicationRules
        .filter((rule) =>
          rule.destinations.some((entry) => entry.account.id === destination.registry.account.id && entry.region === destination.registry.region),
        )
        .flatMap((rule) => rule.filters);
      const live = rules
        .filter((rule) =>
          (rule.destinations ?? []).some((entry) => entry.registryId === destination.registry.account.id && entry.region === destination.registry.region),
        )
        .flatMap((rule) => (rule.repositoryFilters ?? []).filter((filter) => filter.filterType === 'PREFIX_MATCH').map((filter) => filter.filter));
      const missing = [...new Set(expected)].filter((filter) => !live.includes(filter)).sort();
      if (missing.length === 0) continue;
      findings.push(
        finding(
          snapshot,
          registryDeployed,
          configuration,
          `no replication rule replicates ${missing.join(', ')} to ${destination.registry.accountName} ${destination.registry.account.id}/${destination.registry.region}`,
          deploy(source.stackName),
        ),
      );
    }
  }
  return findings;
}

export interface LiveAuditOptions {
  readonly clients: ClientFactory;
  readonly rules?: readonly ComplianceRule[];
  /** Progress lines (stderr on a terminal). */
  readonly progress?: (line: string) => void;
}

export async function liveAudit(config: Config, options: LiveAuditOptions): Promise<AuditReport> {
  const rules = options.rules ?? COMPLIANCE_RULES;
  const plan = planDeployment(config);
  const registries = auditedRegistries(config, plan);
  const snapshots = new Map<string, RegistrySnapshot>();
  const findings: AuditFinding[] = [];
  const inventory: RepositoryInventory[] = [];
  for (const registry of registries) {
    options.progress?.(`reading ${registry.target.accountName} ${registry.target.accountId}/${registry.target.region}`);
    const clients = await call(registry.target, `sts:AssumeRole ${registry.target.roleArn ?? '(caller credentials)'}`, () => options.clients(registry.target));
    const snapshot = await readRegistry(registry.target, clients, config.keys.alias);
    snapshots.set(`${registry.target.accountId}/${registry.target.region}`, snapshot);
    const evaluated = evaluateRegistry(snapshot, registry.declared, config.keys.repositoriesPerKey, rules);
    findings.push(...evaluated.findings);
    inventory.push(...evaluated.inventory);
  }
  findings.push(...evaluateCoverage(config, snapshots, plan), ...evaluateDeployment(config, snapshots, plan));
  return {
    kind: 'live',
    rules: [...rules.map(ruleInfo), ...LIVE_CHECKS],
    scopes: [...snapshots.values()].map((snapshot) => snapshot.scope),
    findings: sortFindings(findings),
    inventory,
  };
}
