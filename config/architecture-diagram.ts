/**
 * A Mermaid flowchart of a config's topology, drawn from its deployment plan: one box per account, one per stack
 * (registry) inside it with its key, repositories, replication configuration, registry policy and creation
 * templates, the replication arrows between registries, and the deploy order (destination stacks are applied
 * first; each source reads their outputs). Deterministic: the same config gives the same bytes.
 */
import { Config } from './schema';
import { DeploymentPlan, DestinationRegistryPlan, planDeployment, Registry, SourceRegistryPlan } from './deployment-plan';
import { creationTemplatePrefixes } from '../modules/repository-creation-templates';

/** Items listed in one box before the rest is counted, so that 1,000 repositories still draw a readable box. */
const MAX_LISTED = 6;
/** Items per line of a box. */
const PER_LINE = 3;

/** Mermaid ids: stack names hold only lowercase letters, digits and "-", so "-" to "_" cannot collide. */
function idOf(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '_');
}

/** A quoted Mermaid label; lines are separated by `<br/>`. */
function label(...lines: string[]): string {
  return `"${lines.map((line) => line.replace(/"/g, '#quot;')).join('<br/>')}"`;
}

function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : plural}`;
}

/** Up to MAX_LISTED items, PER_LINE to a line, then how many more. */
function listed(items: readonly string[]): string[] {
  const shown = items.slice(0, MAX_LISTED);
  const lines: string[] = [];
  for (let start = 0; start < shown.length; start += PER_LINE) lines.push(shown.slice(start, start + PER_LINE).join(', '));
  if (items.length > MAX_LISTED) lines.push(`and ${items.length - MAX_LISTED} more`);
  return lines;
}

/** Names (repositories, filters), or their namespaces with counts when there are too many names to list. */
function namesOrNamespaces(names: readonly string[], suffix = ''): string[] {
  if (names.length <= MAX_LISTED) return listed(names.map((name) => `${name}${suffix}`));
  const counts = new Map<string, number>();
  for (const name of names) {
    const slash = name.lastIndexOf('/');
    const namespace = slash < 0 ? '(no namespace)' : `${name.slice(0, slash)}/`;
    counts.set(namespace, (counts.get(namespace) ?? 0) + 1);
  }
  return listed(
    [...counts.entries()].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)).map(([namespace, count]) => `${namespace} (${count})`),
  );
}

function keyNode(id: string, config: Config): string {
  return `${id}_key[${label('KMS key (rotation on)', config.keys.alias, `deletion window ${config.keys.deletionWindowInDays} days`)}]`;
}

function repositoriesNode(id: string, names: readonly string[]): string {
  return `${id}_repositories[${label(`${countOf(names.length, 'repository', 'repositories')} (KMS)`, ...namesOrNamespaces(names))}]`;
}

function destinationLines(destination: DestinationRegistryPlan, config: Config): string[] {
  const id = idOf(destination.stackName);
  const lines = [
    `subgraph ${id}[${label(destination.stackName, `${destination.registry.region} · deploy step 1`)}]`,
    `  ${keyNode(id, config)}`,
    `  ${repositoriesNode(
      id,
      destination.repositories.map((repository) => repository.name),
    )}`,
    `  ${id}_key --> ${id}_repositories`,
  ];
  if (destination.crossAccountSources.length > 0) {
    const grants = destination.crossAccountSources.flatMap((source) => [
      `account ${source.accountName} may`,
      'CreateRepository,',
      `ReplicateImage on ${countOf(source.replicationFilters.length, 'prefix', 'prefixes')}`,
      ...namesOrNamespaces(source.replicationFilters, '*'),
    ]);
    lines.push(`  ${id}_policy[${label('registry policy', ...grants)}]`);
  }
  if (destination.repositoryCreationTemplates) {
    const prefixes = creationTemplatePrefixes(destination.replicationFilters);
    lines.push(`  ${id}_templates[${label(`${countOf(prefixes.length, 'creation template')} (KMS)`, ...listed(prefixes), '+ role ECR assumes')}]`);
    lines.push(`  ${id}_key --> ${id}_templates`);
  }
  lines.push('end');
  return lines;
}

function sourceLines(source: SourceRegistryPlan, config: Config): string[] {
  const id = idOf(source.stackName);
  const rules = source.replicationRules.length;
  return [
    `subgraph ${id}[${label(source.stackName, `${source.registry.region} · deploy step 2`)}]`,
    `  ${keyNode(id, config)}`,
    `  ${repositoriesNode(
      id,
      source.repositories.map((repository) => repository.name),
    )}`,
    `  ${id}_replication[${label(
      'replication configuration',
      `${countOf(rules, 'rule')}, ${countOf(source.replicationFilters.length, 'PREFIX_MATCH filter')}`,
      ...namesOrNamespaces(source.replicationFilters),
    )}]`,
    `  ${id}_key --> ${id}_repositories`,
    `  ${id}_repositories --- ${id}_replication`,
    'end',
  ];
}

function sameRegistry(left: Registry, right: Registry): boolean {
  return left.accountName === right.accountName && left.region === right.region;
}

/** Replication arrows (solid) and the deploy order (dotted: a source stack is applied after its destinations). */
function edgeLines(plan: DeploymentPlan): string[] {
  const lines: string[] = [];
  for (const source of plan.sources) {
    const from = `${idOf(source.stackName)}_replication`;
    for (const destination of source.destinations) {
      const kinds = [
        ...(destination.registry.region !== source.registry.region ? ['cross-region'] : []),
        ...(destination.registry.accountName !== source.registry.accountName ? ['cross-account'] : []),
      ];
      const ruleNumbers = source.replicationRules.flatMap((rule, index) =>
        rule.destinations.some((registry) => sameRegistry(registry, destination.registry)) ? [index + 1] : [],
      );
      const rules = source.replicationRules.length > 1 ? `, rule${ruleNumbers.length === 1 ? '' : 's'} ${ruleNumbers.join(', ')}` : '';
      lines.push(`${from} -- ${label(`replicates, ${kinds.join(', ')}${rules}`)} --> ${idOf(destination.stackName)}_repositories`);
    }
  }
  for (const source of plan.sources) {
    for (const destination of source.destinations) {
      lines.push(`${idOf(source.stackName)} -. ${label('deployed after, reads its outputs')} .-> ${idOf(destination.stackName)}`);
    }
  }
  return lines;
}

/** The diagram as Mermaid text (a flowchart), ending with a newline. */
export function architectureDiagram(config: Config): string {
  const plan = planDeployment(config);
  const stacksByAccount = new Map<string, string[]>();
  const add = (accountName: string, lines: string[]) => stacksByAccount.set(accountName, [...(stacksByAccount.get(accountName) ?? []), ...lines]);
  // Sources first, so that Mermaid's left-to-right layout puts them on the left of their destinations.
  for (const source of plan.sources) add(source.registry.accountName, sourceLines(source, config));
  for (const destination of plan.destinations) add(destination.registry.accountName, destinationLines(destination, config));

  const lines = ['%% Written by npm run diagram from the deployment plan: change the config, not this text.', 'flowchart LR'];
  for (const accountName of [...stacksByAccount.keys()].sort()) {
    lines.push(`  subgraph account_${idOf(accountName)}[${label(`account ${accountName} (${config.accounts[accountName].id})`)}]`);
    lines.push(...stacksByAccount.get(accountName)!.map((line) => `    ${line}`));
    lines.push('  end');
  }
  lines.push(...edgeLines(plan).map((line) => `  ${line}`));
  return `${lines.join('\n')}\n`;
}
