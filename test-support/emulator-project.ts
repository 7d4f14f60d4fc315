/**
 * A project folder of its own for an emulator scenario: a config file, and
 * the daily commands run there exactly as `npm run <command>` runs them
 * (`node <checkout>/bin/ecr-replication.js <command> ...`, in the folder, so
 * `.ecr-replication/`, `cdktf.out/` and `terraform-state/` are created
 * there), against moto with its test credentials.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeRegistryCommand, DescribeRepositoriesCommand, ECRClient, Repository, ReplicationRule } from '@aws-sdk/client-ecr';
import { accountClientOptions, emulatorEndpoint, emulatorEnvironment } from './emulator';

const CHECKOUT = path.resolve(__dirname, '..');
const LAUNCHER = path.join(CHECKOUT, 'bin', 'ecr-replication.js');

export interface CommandRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a config document, as the config file holds it
export type ConfigDocument = Record<string, any>;

export interface EmulatorProject {
  readonly root: string;
  /** Writes the config file (`config.json`, or `name`) and returns its name. */
  writeConfig(config: ConfigDocument, name?: string): string;
  /** Runs the launcher with `args` in the project folder. */
  run(args: readonly string[], environment?: NodeJS.ProcessEnv): Promise<CommandRun>;
  remove(): void;
}

export function emulatorProject(scenario: string): EmulatorProject {
  const root = mkdtempSync(path.join(os.tmpdir(), `emulator-${scenario}-`));
  return {
    root,
    writeConfig: (config, name = 'config.json') => {
      writeFileSync(path.join(root, name), `${JSON.stringify(config, null, 2)}\n`);
      return name;
    },
    run: (args, environment = {}) =>
      new Promise((resolve) => {
        // CI is left out: the scenarios check what a user sees on a terminal-less run without CI=true.
        const base = { ...emulatorEnvironment(), ...environment };
        delete base.CI;
        const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: root, env: base, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      }),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The config of a scenario: one source, destinations in its own account and another, no creation templates (moto has none). */
export function scenarioConfig(
  accounts: { readonly source: string; readonly other: string },
  repositories: readonly ConfigDocument[],
  options: { readonly preventDestroy?: boolean } = {},
): ConfigDocument {
  return {
    accounts: {
      build: { id: accounts.source, deployRoleArn: `arn:aws:iam::${accounts.source}:role/ecr-replication-deployer` },
      prod: { id: accounts.other, deployRoleArn: `arn:aws:iam::${accounts.other}:role/ecr-replication-deployer` },
    },
    repositories,
    sources: [
      {
        account: 'build',
        region: 'us-east-1',
        destinations: [
          { account: 'build', region: 'us-west-2', repositoryCreationTemplates: false },
          { account: 'prod', region: 'eu-west-1', repositoryCreationTemplates: false },
        ],
      },
    ],
    ...(options.preventDestroy === false ? { keys: { preventDestroy: false } } : {}),
    endpoint: { url: emulatorEndpoint() },
  };
}

export async function ecrClient(account: string, region: string): Promise<ECRClient> {
  return new ECRClient(await accountClientOptions(account, region));
}

/** Every repository of a registry. */
export async function repositoriesOf(account: string, region: string): Promise<Repository[]> {
  const ecr = await ecrClient(account, region);
  const repositories: Repository[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecr.send(new DescribeRepositoriesCommand({ nextToken }));
    repositories.push(...(page.repositories ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return repositories.sort((a, b) => ((a.repositoryName ?? '') < (b.repositoryName ?? '') ? -1 : 1));
}

/** The replication rules of a registry. */
export async function replicationRulesOf(account: string, region: string): Promise<ReplicationRule[]> {
  const registry = await (await ecrClient(account, region)).send(new DescribeRegistryCommand({}));
  return registry.replicationConfiguration?.rules ?? [];
}

/** The summary lines of a run (stdout, after `<command> summary:`). */
export function summaryLines(run: CommandRun): string[] {
  const start = run.stdout.lastIndexOf(' summary:\n');
  if (start < 0) return [];
  const from = run.stdout.lastIndexOf('\n', start) + 1;
  return run.stdout.slice(from).trimEnd().split('\n');
}
