/**
 * Replication backfill: images pushed before replication was configured are
 * not replicated (seeds 000, 002); ECR's StartReplicationBackfill replicates
 * them. One backfill per destination of each source, each started only after
 * the destination is checked live to hold every replicated repository
 * encrypted with its own key (the guard's rule, against the account), never
 * while another backfill to that destination is in progress, and followed to
 * its end with the per-image failures.
 */
import {
  DescribeReplicationBackfillResultsCommand,
  DescribeReplicationBackfillResultsResponse,
  ListReplicationBackfillsCommand,
  paginateDescribeRepositories,
  ReplicationBackfillResult,
  ReplicationBackfillSummary,
  Repository,
  StartReplicationBackfillCommand,
} from '@aws-sdk/client-ecr';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { Config } from '../../config/schema';
import { DestinationRegistryPlan, planDeployment, SourceRegistryPlan } from '../../config/deployment-plan';
import { call, callOrNone, ClientFactory, confirmAccount, RegistryClients, RegistryTarget } from './aws-access';
import { targetOf } from './live-audit';
import { scopeOf } from './registry-snapshot';
import { coverageProblems, CoverageProblem, matchingRepositories } from './replication-coverage';

export const ACTIVE_STATUSES: readonly string[] = ['PREPARING', 'IN_PROGRESS', 'STOPPING'];
export const TERMINAL_STATUSES: readonly string[] = ['COMPLETE', 'FAILED', 'STOPPED'];

export type BackfillOutcome =
  | { readonly kind: 'not-ready'; readonly destination: string; readonly status: 'NOT_READY'; readonly problems: readonly CoverageProblem[] }
  | {
      readonly kind: 'backfill';
      readonly destination: string;
      readonly status: string;
      readonly backfillId: string;
      /** The backfill was already running when we came: followed, not started. */
      readonly followed: boolean;
      readonly completed?: number;
      readonly total?: number;
      readonly failureCode?: string;
      readonly failures: readonly ReplicationBackfillResult[];
    };

export interface BackfillOptions {
  readonly clients: ClientFactory;
  /** Source registries to backfill from, as `<account>/<region>` or stack names. @default every source */
  readonly sources?: readonly string[];
  /** Waits between two progress polls. */
  readonly sleep: () => Promise<void>;
  readonly progress: (line: string) => void;
}

export class BackfillUsageError extends Error {}

/** The sources named (as `<account>/<region>` or `ecr-source-<account>-<region>`), or every source. */
export function selectSources(sources: readonly SourceRegistryPlan[], names: readonly string[] | undefined): SourceRegistryPlan[] {
  if (!names || names.length === 0) return [...sources];
  const label = (source: SourceRegistryPlan) => `${source.registry.accountName}/${source.registry.region}`;
  return names.map((name) => {
    const found = sources.find((source) => label(source) === name || source.stackName === name);
    if (!found) throw new BackfillUsageError(`unknown source registry "${name}": name one of ${sources.map(label).join(', ')} (or its stack name)`);
    return found;
  });
}

async function destinationRepositories(target: RegistryTarget, clients: RegistryClients): Promise<Repository[]> {
  const repositories: Repository[] = [];
  await call(target, 'ecr:DescribeRepositories', async () => {
    for await (const page of paginateDescribeRepositories({ client: clients.ecr }, { registryId: target.accountId }))
      repositories.push(...(page.repositories ?? []));
  });
  return repositories;
}

/** The guard's rule against the destination account: declared and existing replicated repositories, KMS under its key. */
export async function destinationReadiness(
  source: SourceRegistryPlan,
  destination: DestinationRegistryPlan,
  clients: RegistryClients,
  keyAlias: string,
): Promise<CoverageProblem[]> {
  const target = targetOf(destination.registry);
  await confirmAccount(target, clients);
  const repositories = await destinationRepositories(target, clients);
  const key = await callOrNone(target, `kms:DescribeKey ${keyAlias}`, ['NotFoundException'], () =>
    clients.kms.send(new DescribeKeyCommand({ KeyId: keyAlias })),
  );
  const names = matchingRepositories(
    [...source.repositories.map((repository) => repository.name), ...repositories.map((repository) => repository.repositoryName ?? '')],
    source.replicationFilters,
  );
  return coverageProblems(names, repositories, key?.KeyMetadata?.Arn, keyAlias);
}

async function activeBackfill(source: RegistryTarget, clients: RegistryClients, destination: RegistryTarget): Promise<ReplicationBackfillSummary | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await call(source, 'ecr:ListReplicationBackfills', () =>
      clients.ecr.send(new ListReplicationBackfillsCommand({ registryId: source.accountId, nextToken })),
    );
    const active = (page.backfills ?? []).find(
      (backfill) =>
        ACTIVE_STATUSES.includes(backfill.status ?? '') &&
        backfill.destination?.region === destination.region &&
        backfill.destination?.registryId === destination.accountId,
    );
    if (active) return active;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

function describeProgress(response: DescribeReplicationBackfillResultsResponse): string {
  const progress = response.progress;
  if (!progress) return response.status ?? 'UNKNOWN';
  return `${response.status}: ${progress.completedReplicationCount ?? 0}/${progress.totalReplicationCount ?? 0} replicated, ${progress.failedReplicationCount ?? 0} failed`;
}

async function follow(
  source: RegistryTarget,
  clients: RegistryClients,
  backfillId: string,
  label: string,
  options: BackfillOptions,
): Promise<{ status: string; response: DescribeReplicationBackfillResultsResponse; failures: ReplicationBackfillResult[] }> {
  let last = '';
  for (;;) {
    const response = await call(source, `ecr:DescribeReplicationBackfillResults ${backfillId}`, () =>
      clients.ecr.send(
        new DescribeReplicationBackfillResultsCommand({ registryId: source.accountId, replicationBackfillId: backfillId, resultStatusFilter: 'FAILED' }),
      ),
    );
    const line = describeProgress(response);
    if (line !== last) options.progress(`${label}: ${line}`);
    last = line;
    if (TERMINAL_STATUSES.includes(response.status ?? '')) {
      const failures = [...(response.results ?? [])];
      let nextToken = response.nextToken;
      while (nextToken) {
        const page = await call(source, `ecr:DescribeReplicationBackfillResults ${backfillId}`, () =>
          clients.ecr.send(
            new DescribeReplicationBackfillResultsCommand({
              registryId: source.accountId,
              replicationBackfillId: backfillId,
              resultStatusFilter: 'FAILED',
              nextToken,
            }),
          ),
        );
        failures.push(...(page.results ?? []));
        nextToken = page.nextToken;
      }
      return { status: response.status ?? 'UNKNOWN', response, failures };
    }
    await options.sleep();
  }
}

function imageName(result: ReplicationBackfillResult): string {
  const id = result.imageId;
  return `${result.repositoryName ?? '?'}${id?.imageTag ? `:${id.imageTag}` : ''}${id?.imageDigest ? `@${id.imageDigest}` : ''}`;
}

const clientsFor = (target: RegistryTarget, clients: ClientFactory): Promise<RegistryClients> =>
  call(target, `sts:AssumeRole ${target.roleArn ?? '(caller credentials)'}`, () => clients(target));

/** Runs the backfills; the outcome of each destination, in order. */
export async function runBackfills(config: Config, options: BackfillOptions): Promise<BackfillOutcome[]> {
  const plan = planDeployment(config);
  const outcomes: BackfillOutcome[] = [];
  for (const source of selectSources(plan.sources, options.sources)) {
    const sourceTarget = targetOf(source.registry);
    const sourceClients = await clientsFor(sourceTarget, options.clients);
    await confirmAccount(sourceTarget, sourceClients);
    for (const destination of source.destinations) {
      const destinationTarget = targetOf(destination.registry);
      const label = `${scopeOf(sourceTarget)} -> ${scopeOf(destinationTarget)}`;
      const problems = await destinationReadiness(source, destination, await clientsFor(destinationTarget, options.clients), config.keys.alias);
      if (problems.length > 0) {
        options.progress(`${label}: not ready, no backfill started (apply ${destination.stackName} first):`);
        for (const problem of problems) options.progress(`  - ${problem.repository} ${problem.problem}`);
        outcomes.push({ kind: 'not-ready', destination: label, status: 'NOT_READY', problems });
        continue;
      }
      let running = await activeBackfill(sourceTarget, sourceClients, destinationTarget);
      let started: { replicationBackfillId?: string } | undefined;
      if (!running) {
        // Another run may start one between our check and our start: ECR refuses the second, and we follow the first.
        started = await callOrNone(sourceTarget, 'ecr:StartReplicationBackfill', ['ReplicationBackfillInProgressException'], () =>
          sourceClients.ecr.send(
            new StartReplicationBackfillCommand({
              registryId: sourceTarget.accountId,
              destination: { region: destinationTarget.region, registryId: destinationTarget.accountId },
            }),
          ),
        );
        if (!started) running = await activeBackfill(sourceTarget, sourceClients, destinationTarget);
      }
      const followed = started === undefined;
      const backfillId = started?.replicationBackfillId ?? running?.replicationBackfillId ?? '';
      if (followed)
        options.progress(`${label}: backfill ${backfillId} is already ${running?.status ?? 'in progress'}; following it instead of starting another`);
      else options.progress(`${label}: started backfill ${backfillId}`);
      const result = await follow(sourceTarget, sourceClients, backfillId, label, options);
      for (const failure of result.failures) {
        options.progress(
          `  - ${imageName(failure)}: ${failure.failureCode ?? 'failed'}${failure.subImageFailureCodes?.length ? ` (${failure.subImageFailureCodes.join(', ')})` : ''}`,
        );
      }
      outcomes.push({
        kind: 'backfill',
        destination: label,
        status: result.status,
        backfillId,
        followed,
        completed: result.response.progress?.completedReplicationCount,
        total: result.response.progress?.totalReplicationCount,
        failureCode: result.response.failureCode,
        failures: result.failures,
      });
    }
  }
  return outcomes;
}
