/**
 * `npm run bench`: how synth scales, and what the precompiled app command buys.
 *
 * 0. Times the daily commands on the bundled example, each as its npm script
 *    runs it (`node bin/ecr-replication.js synth|check|list`) and through
 *    `npm run` (npm's own start-up included), median of 5.
 * 1. Synthesizes generated configs of 10, 100 and 1,000 repositories replicated
 *    from one source to 1, 3 and 10 destinations (spread over three accounts
 *    and ten regions) through the app command of cdktf.json, run directly the
 *    way the cdktf CLI runs it (CDKTF_OUTDIR set), and prints per scale: wall
 *    time (median of --runs), the child's peak RSS, bytes synthesized, and
 *    resources (blocks and for_each instances).
 * 2. Runs `cdktf synth` on the bundled example with the template's app
 *    (`npx ts-node main.ts`) and with the project's app command, alternately,
 *    and prints the ratio; also the CLI's own floor (a trivial app).
 * 3. Times `terraform init -backend=false` and `terraform validate` on the
 *    largest synthesized stack, with the project's Terraform CLI config.
 *
 * 4. Estates: 1,000 and 10,000 repositories in 100 namespaces replicated
 *    from one source to 25 destinations (5 accounts x 5 regions), synth wall
 *    time and peak RSS, the growth from 1,000 to 10,000, and `terraform
 *    validate` of the largest stack.
 *
 * 5. The package: what importing the library entry (`require('ecr-kms-replication')`,
 *    dist/modules/index.js) costs in a fresh Node process (modules loaded, milliseconds, median
 *    of 9), beside its peers alone (cdktf, constructs) and the old package root (0.1.0's index.ts:
 *    the library and the app layer, measured here by requiring both entries); and the tarball
 *    `npm pack` makes (packed and unpacked bytes, files).
 * 6. The plan check's cost: a small config deployed on moto's server with
 *    the daily command, with the check and without it, alternately
 *    (scripts/bench-deploy.ts; target: at most 10 % more).
 *
 * Figures are printed (and written to bench-results/), not asserted.
 * Options: --runs N (direct synth runs per scale, default 3), --cli-runs N
 * (default 3), --skip-cli, --skip-validate, --skip-scale, --estate-only (section 4 alone),
 * --package-only (section 5 alone);
 * --deploy-runs N (deploys per variant, default 2), --skip-deploy, --deploy-only (section 6 alone).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { PROJECT_ROOT, runTerraform } from '../tools/terraform-cli';
import { benchDeploy } from './bench-deploy';

const REPOSITORY_COUNTS = [10, 100, 1000];
const DESTINATION_COUNTS = [1, 3, 10];
const DESTINATION_ACCOUNTS = ['build', 'prod', 'dr'];
const DESTINATION_REGIONS = [
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-southeast-1',
  'ap-northeast-1',
  'us-east-2',
  'ca-central-1',
  'sa-east-1',
  'ap-south-1',
  'eu-north-1',
];
const TEMPLATE_APP = 'npx ts-node main.ts';
const TIME = '/usr/bin/time';
/** What the launcher prints when it recompiles dist/ before running. */
const REBUILD_NOTICE = 'ecr-replication: compiling the project';
/** The launcher's command line, as the npm scripts run it. */
const LAUNCHER = 'node bin/ecr-replication.js';
const RESULTS_DIRECTORY = path.join(PROJECT_ROOT, 'bench-results');

interface Options {
  readonly runs: number;
  readonly cliRuns: number;
  readonly skipCli: boolean;
  readonly skipValidate: boolean;
  readonly skipScale: boolean;
  readonly estateOnly: boolean;
  readonly packageOnly: boolean;
  readonly deployRuns: number;
  readonly skipDeploy: boolean;
  readonly deployOnly: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const index = argv.indexOf(name);
    const parsed = index >= 0 ? Number(argv[index + 1]) : fallback;
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} needs a whole number of at least 1`);
    return parsed;
  };
  return {
    runs: value('--runs', 3),
    cliRuns: value('--cli-runs', 3),
    skipCli: argv.includes('--skip-cli'),
    skipValidate: argv.includes('--skip-validate'),
    skipScale: argv.includes('--skip-scale'),
    estateOnly: argv.includes('--estate-only'),
    packageOnly: argv.includes('--package-only'),
    deployRuns: value('--deploy-runs', 2),
    skipDeploy: argv.includes('--skip-deploy'),
    deployOnly: argv.includes('--deploy-only'),
  };
}

// ---------------------------------------------------------------- configs

const LIFECYCLE_POLICY = {
  rules: [
    {
      rulePriority: 1,
      description: 'expire untagged images after 14 days',
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
      action: { type: 'expire' },
    },
  ],
};

function accountId(index: number): string {
  return String(index + 1).repeat(12);
}

/** One source (build, us-east-1) replicating `repositories` repositories to `destinations` registries. */
export function benchConfig(repositories: number, destinations: number): object {
  const accounts = Object.fromEntries(
    DESTINATION_ACCOUNTS.map((name, index) => [
      name,
      {
        id: accountId(index),
        deployRoleArn: `arn:aws:iam::${accountId(index)}:role/ecr-replication-deployer`,
        keyAdministrators: [`arn:aws:iam::${accountId(index)}:role/platform-key-admin`],
        keyUsers: [`arn:aws:iam::${accountId(index)}:role/ci-image-publisher`],
      },
    ]),
  );
  const width = String(repositories).length;
  return {
    accounts,
    repositories: Array.from({ length: repositories }, (_, index) => ({
      // Fixed-width numbers: no name is a prefix of another, so every repository is its own replication filter (the worst case).
      name: `team-${String(index % 10).padStart(2, '0')}/service-${String(index).padStart(width, '0')}`,
      ...(index % 2 === 0 ? { lifecyclePolicy: LIFECYCLE_POLICY } : {}),
      ...(index % 3 === 0 ? { pullPrincipals: [`arn:aws:iam::${accountId(1)}:role/eks-node`] } : {}),
    })),
    sources: [
      {
        account: 'build',
        region: 'us-east-1',
        destinations: Array.from({ length: destinations }, (_, index) => ({
          account: DESTINATION_ACCOUNTS[index % DESTINATION_ACCOUNTS.length],
          region: DESTINATION_REGIONS[index],
        })),
      },
    ],
    // The default (500, the ECR guide's grants-per-key figure) makes more repositories a validation error by design.
    keys: { repositoriesPerKey: 50_000 },
    tags: { Project: 'ecr-kms-replication-bench' },
    backend: { type: 'local', directory: 'terraform-state' },
  };
}

const ESTATE_REPOSITORY_COUNTS = [1000, 10_000];
const ESTATE_NAMESPACES = 100;
const ESTATE_ACCOUNTS = ['build', 'prod', 'dr', 'stage', 'edge'];
const ESTATE_REGIONS = ['us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1'];

/** One source (build, us-east-1) replicating `repositories` repositories in 100 namespaces to 25 destinations (5 accounts x 5 regions). */
export function estateBenchConfig(repositories: number): object {
  const namespaces = Array.from({ length: ESTATE_NAMESPACES }, (_, index) => `team-${String(index).padStart(3, '0')}/`);
  const width = String(repositories).length;
  return {
    accounts: Object.fromEntries(
      ESTATE_ACCOUNTS.map((name, index) => [
        name,
        {
          id: accountId(index),
          deployRoleArn: `arn:aws:iam::${accountId(index)}:role/ecr-replication-deployer`,
          keyAdministrators: [`arn:aws:iam::${accountId(index)}:role/platform-key-admin`],
          keyUsers: [`arn:aws:iam::${accountId(index)}:role/ci-image-publisher`],
        },
      ]),
    ),
    namespaces: namespaces.map((prefix) => ({ prefix })),
    repositories: Array.from({ length: repositories }, (_, index) => ({
      name: `${namespaces[index % ESTATE_NAMESPACES]}service-${String(index).padStart(width, '0')}`,
      ...(index % 2 === 0 ? { lifecyclePolicy: LIFECYCLE_POLICY } : {}),
    })),
    sources: [
      {
        account: 'build',
        region: 'us-east-1',
        namespaces,
        destinations: ESTATE_ACCOUNTS.flatMap((account) => ESTATE_REGIONS.map((region) => ({ account, region }))),
      },
    ],
    keys: { repositoriesPerKey: 50_000 },
    tags: { Project: 'ecr-kms-replication-bench' },
    backend: { type: 'local', directory: 'terraform-state' },
  };
}

// ---------------------------------------------------------------- measuring

interface Measured {
  readonly status: number | null;
  readonly seconds: number;
  /** Peak resident set size of the child (and its waited-for descendants), in MiB. */
  readonly peakRssMiB?: number;
  /** CPU time (user + system) of the child and its descendants, in seconds: on a shared machine, steadier than wall time. */
  readonly cpuSeconds?: number;
  readonly stderr: string;
  readonly stdout: string;
}

const haveTime = existsSync(TIME);

/** Runs a shell command, timing it and measuring its peak RSS (GNU time when present, else a preload that reports the node process's maxRSS). */
function measure(command: string, env: NodeJS.ProcessEnv, scratch: string): Measured {
  const report = path.join(scratch, `rusage-${process.pid}-${Date.now()}.txt`);
  rmSync(report, { force: true });
  let wrapped = command;
  const childEnv: NodeJS.ProcessEnv = { ...env };
  if (haveTime) wrapped = `${TIME} -q -f '%M %U %S' -o ${JSON.stringify(report)} ${command}`;
  else {
    const preload = path.join(scratch, 'report-rss.js');
    writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, String(process.resourceUsage().maxRSS)));\n`);
    childEnv.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${preload}`.trim();
  }
  const start = process.hrtime.bigint();
  const result = spawnSync(wrapped, { shell: true, cwd: PROJECT_ROOT, env: childEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  let peakRssMiB: number | undefined;
  let cpuSeconds: number | undefined;
  if (existsSync(report)) {
    const [kib, user, system] = (readFileSync(report, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
    if (Number.isFinite(kib)) peakRssMiB = kib / 1024;
    if (Number.isFinite(user) && Number.isFinite(system)) cpuSeconds = user + system;
  }
  return { status: result.status, seconds, peakRssMiB, cpuSeconds, stderr: result.stderr ?? '', stdout: result.stdout ?? '' };
}

/** A synth through the app command; a run that had to recompile dist/ (sources edited meanwhile) is not timed but repeated. */
function synthRun(command: string, env: NodeJS.ProcessEnv, scratch: string, what: string): Measured {
  for (let attempt = 0; ; attempt++) {
    const measured = measure(command, env, scratch);
    if (measured.status !== 0) failWith(what, measured);
    if (!`${measured.stdout}${measured.stderr}`.includes(REBUILD_NOTICE) || attempt >= 3) return measured;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface OutputStats {
  readonly stacks: number;
  readonly bytes: number;
  readonly resourceBlocks: number;
  /** Resource instances once for_each is expanded (a for_each over an unknown expression counts 1). */
  readonly resourceInstances: number;
  readonly dataSources: number;
  readonly largestStack: { readonly name: string; readonly bytes: number };
}

function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const child = path.join(folder, entry.name);
    total += entry.isDirectory() ? folderBytes(child) : statSync(child).size;
  }
  return total;
}

function forEachSize(forEach: unknown): number {
  if (Array.isArray(forEach)) return forEach.length;
  if (forEach !== null && typeof forEach === 'object') return Object.keys(forEach).length;
  if (typeof forEach === 'string') {
    const literal = /^\$\{(?:toset\()?(\[.*\])\)?\}$/s.exec(forEach);
    if (literal) {
      try {
        return (JSON.parse(literal[1]) as unknown[]).length;
      } catch {
        return 1;
      }
    }
  }
  return 1;
}

function outputStats(outdir: string): OutputStats {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  let resourceBlocks = 0;
  let resourceInstances = 0;
  let dataSources = 0;
  let largestStack = { name: '', bytes: -1 };
  for (const [name, stack] of Object.entries(manifest.stacks)) {
    const file = path.join(outdir, stack.synthesizedStackPath);
    const bytes = statSync(file).size;
    if (bytes > largestStack.bytes) largestStack = { name, bytes };
    const json = JSON.parse(readFileSync(file, 'utf8')) as {
      resource?: Record<string, Record<string, { for_each?: unknown; count?: unknown }>>;
      data?: Record<string, Record<string, unknown>>;
    };
    for (const blocks of Object.values(json.resource ?? {})) {
      for (const block of Object.values(blocks)) {
        resourceBlocks += 1;
        resourceInstances += block.for_each !== undefined ? forEachSize(block.for_each) : typeof block.count === 'number' ? block.count : 1;
      }
    }
    for (const blocks of Object.values(json.data ?? {})) dataSources += Object.keys(blocks).length;
  }
  return { stacks: Object.keys(manifest.stacks).length, bytes: folderBytes(outdir), resourceBlocks, resourceInstances, dataSources, largestStack };
}

// ---------------------------------------------------------------- table

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((width, column) => (column < 2 ? ` ${'-'.repeat(width)} ` : ` ${'-'.repeat(width - 1)}: `)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

const seconds = (value: number) => `${value.toFixed(2)} s`;
const mib = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(0)} MiB`);
const kib = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`);

function appCommand(): string {
  return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdktf.json'), 'utf8')) as { app: string }).app;
}

function failWith(what: string, measured: Measured): never {
  throw new Error(`${what} failed (exit ${measured.status}):\n${measured.stdout}\n${measured.stderr}`);
}

// ---------------------------------------------------------------- main

interface BenchContext {
  readonly options: Options;
  readonly app: string;
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly scratch: string;
  readonly log: (text: string) => void;
  readonly report: string[];
  readonly results: Record<string, unknown>;
}

/** Times `terraform init -backend=false` once and `terraform validate` twice in a stack folder. */
function validateTimes(stackDirectory: string): { init: number; validate: number[] } {
  const timed = (args: string[]): number => {
    const start = process.hrtime.bigint();
    try {
      runTerraform(args, stackDirectory);
    } catch (error) {
      const failure = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`terraform ${args.join(' ')} failed:\n${failure.stderr ?? ''}${failure.stdout ?? ''}${failure.message}`, { cause: error });
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  const init = timed(['init', '-backend=false', '-input=false', '-no-color']);
  return { init, validate: [timed(['validate', '-no-color']), timed(['validate', '-no-color'])] };
}

/** The figures of 0.1.0's package root (`require('ecr-kms-replication')` loaded the library and the app layer), from issue 17. */
const OLD_ROOT_IMPORT = { modules: 590, milliseconds: 318 } as const;
const OLD_TARBALL = { bytes: 686_000, files: 554 } as const;
const IMPORT_RUNS = 9;

interface ImportCost {
  readonly modules: number;
  /** Wall time of the requires. */
  readonly milliseconds: number;
  /** CPU time (user + system) of the requires: steadier than wall time on a shared machine. */
  readonly cpuMilliseconds: number;
}

/** Requires `entries` in a fresh Node process; the modules it then holds and the time it took. */
function importCost(entries: readonly string[]): ImportCost {
  const probe = `const t = process.hrtime.bigint(); const c = process.cpuUsage(); for (const entry of ${JSON.stringify(entries)}) require(entry);
const cpu = process.cpuUsage(c);
process.stdout.write(JSON.stringify({ milliseconds: Number(process.hrtime.bigint() - t) / 1e6, cpuMilliseconds: (cpu.user + cpu.system) / 1000, modules: Object.keys(require.cache).length }));`;
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`requiring ${entries.join(', ')} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as ImportCost;
}

/** 5. The package: the library entry's import cost and the tarball's size. */
function benchPackage(context: BenchContext): void {
  const { log, report, results } = context;
  const library = path.join(PROJECT_ROOT, 'dist', 'modules', 'index.js');
  const app = path.join(PROJECT_ROOT, 'dist', 'index.js');
  const variants = [
    { label: "library entry: `require('ecr-kms-replication')`", entries: [library] },
    { label: 'its peers alone: cdktf, constructs', entries: ['cdktf', 'constructs'] },
    { label: "app layer: `require('ecr-kms-replication/app')`", entries: [app] },
    { label: 'library + app layer (what the 0.1.0 root loaded)', entries: [library, app] },
  ];
  log(`Import cost in a fresh Node process (median of ${IMPORT_RUNS}, alternating)`);
  const runs = new Map(variants.map((variant) => [variant.label, [] as ImportCost[]]));
  for (let run = 0; run < IMPORT_RUNS; run++) for (const variant of variants) runs.get(variant.label)!.push(importCost(variant.entries));
  const measured = variants.map((variant) => {
    const samples = runs.get(variant.label)!;
    const of = (key: keyof ImportCost) => median(samples.map((sample) => sample[key]));
    return { label: variant.label, modules: of('modules'), milliseconds: of('milliseconds'), cpuMilliseconds: of('cpuMilliseconds') };
  });
  const [entry, peers, , old] = measured;
  const own = {
    modules: entry.modules - peers.modules,
    milliseconds: entry.milliseconds - peers.milliseconds,
    cpuMilliseconds: entry.cpuMilliseconds - peers.cpuMilliseconds,
  };
  const row = (label: string, cost: ImportCost) => [label, String(cost.modules), cost.milliseconds.toFixed(0), cost.cpuMilliseconds.toFixed(0)];
  const importTable = table(
    ['import', 'modules', 'median ms', 'median CPU ms'],
    [
      ...measured.map((cost) => row(cost.label, cost)),
      row('library entry beyond its peers', own),
      ["0.1.0's package root (issue 17)", String(OLD_ROOT_IMPORT.modules), String(OLD_ROOT_IMPORT.milliseconds), 'n/a'],
    ],
  );
  const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(0)} %`;
  const importText =
    `Library entry: ${entry.modules} modules, ${entry.milliseconds.toFixed(0)} ms (${entry.cpuMilliseconds.toFixed(0)} ms CPU): ` +
    `${percent(entry.milliseconds, old.milliseconds)} of the time and ${percent(entry.cpuMilliseconds, old.cpuMilliseconds)} of the CPU of what the 0.1.0 root loaded, measured alongside; ` +
    `${percent(entry.modules, old.modules)} of its modules, since cdktf and constructs alone load ${peers.modules}: ` +
    `beyond its peers the library adds ${own.modules} modules (the old root ${old.modules - peers.modules}: zod, yaml and the app layer).`;
  log(`\n${importTable}\n\n${importText}\n`);

  const packed = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (packed.status !== 0) throw new Error(`npm pack --dry-run failed:\n${packed.stderr}`);
  const [tarball] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('\n[') + 1)) as { size: number; unpackedSize: number; entryCount: number }[];
  const tarballText =
    `Tarball (npm pack): ${(tarball.size / 1000).toFixed(1)} kB packed (${percent(tarball.size, OLD_TARBALL.bytes)} of 0.1.0's ${OLD_TARBALL.bytes / 1000} kB; target: a third), ` +
    `${(tarball.unpackedSize / 1000).toFixed(1)} kB unpacked, ${tarball.entryCount} files (0.1.0: ${OLD_TARBALL.files}).`;
  log(`${tarballText}\n`);
  report.push(`### The package (import cost, median of ${IMPORT_RUNS}; tarball)`, '', importTable, '', importText, '', tarballText, '');
  results.package = { imports: measured, libraryBeyondPeers: own, oldRootIssue17: OLD_ROOT_IMPORT, tarball, oldTarball: OLD_TARBALL };
}

/** 4. Estates: namespaces at 1,000 and 10,000 repositories x 25 destinations. */
function benchEstates(context: BenchContext): void {
  const { options, app, baseEnv, scratch, log, report, results } = context;
  log(`Estates: repositories in ${ESTATE_NAMESPACES} namespaces, one source, 25 destinations (median of ${options.runs})\n`);
  const rows: string[][] = [];
  const measured: { repositories: number; wall: number; rss?: number; cpu?: number; stats: OutputStats; outdir: string }[] = [];
  for (const repositories of ESTATE_REPOSITORY_COUNTS) {
    const configFile = path.join(RESULTS_DIRECTORY, `estate-${repositories}x25.yaml`);
    writeFileSync(configFile, stringify(estateBenchConfig(repositories), { aliasDuplicateObjects: false }));
    const outdir = path.join(scratch, `estate-${repositories}`, 'cdktf.out');
    const runs = Array.from({ length: options.runs }, () =>
      synthRun(app, { ...baseEnv, ECR_REPLICATION_CONFIG: configFile, CDKTF_OUTDIR: outdir }, scratch, `synth of the ${repositories}-repository estate`),
    );
    const stats = outputStats(outdir);
    const wall = median(runs.map((run) => run.seconds));
    const rss = runs.every((run) => run.peakRssMiB !== undefined) ? Math.max(...runs.map((run) => run.peakRssMiB!)) : undefined;
    const cpu = runs.every((run) => run.cpuSeconds !== undefined) ? median(runs.map((run) => run.cpuSeconds!)) : undefined;
    measured.push({ repositories, wall, rss, cpu, stats, outdir });
    rows.push([
      String(repositories),
      '25',
      String(stats.stacks),
      seconds(wall),
      cpu === undefined ? 'n/a' : seconds(cpu),
      mib(rss),
      kib(stats.bytes),
      String(stats.resourceBlocks),
      String(stats.resourceInstances),
    ]);
    log(`  ${repositories} repositories x 25 destinations: ${rows[rows.length - 1].slice(2).join(', ')}`);
  }
  const estateTable = table(
    ['repositories', 'destinations', 'stacks', 'wall', 'CPU (user+sys)', 'peak RSS', 'synthesized', 'resource blocks', 'resource instances'],
    rows,
  );
  const [small, large] = measured;
  const growth = `Growth from ${small.repositories} to ${large.repositories} repositories (x${large.repositories / small.repositories}): wall x${(large.wall / small.wall).toFixed(2)}${large.cpu !== undefined && small.cpu !== undefined ? `, CPU x${(large.cpu / small.cpu).toFixed(2)}` : ''}, synthesized bytes x${(large.stats.bytes / small.stats.bytes).toFixed(2)}.`;
  log(`\n${estateTable}\n\n${growth}\n`);
  report.push(`### Estates: ${ESTATE_NAMESPACES} namespaces, 25 destinations (median of ${options.runs})`, '', estateTable, '', growth, '');
  const estateResults: Record<string, unknown> = {
    scale: measured.map(({ repositories, wall, rss, cpu, stats }) => ({
      repositories,
      destinations: 25,
      wallSeconds: wall,
      cpuSeconds: cpu,
      peakRssMiB: rss,
      ...stats,
    })),
  };
  if (!options.skipValidate) {
    const stack = large.stats.largestStack;
    const times = validateTimes(path.join(large.outdir, 'stacks', stack.name));
    const validateText = `terraform validate, largest estate stack (${stack.name}, ${kib(stack.bytes)} of JSON): ${times.validate.map(seconds).join(', ')} (init -backend=false, once: ${seconds(times.init)})`;
    log(`${validateText}\n`);
    report.push(validateText, '');
    estateResults.validate = { stack, initSeconds: times.init, validateSeconds: times.validate };
  }
  results.estates = estateResults;
}

/** Section 5: deploys with and without the plan check; its lines go to the report. */
async function benchDeploySection(options: Options, log: (text: string) => void, report: string[], results: Record<string, unknown>): Promise<void> {
  log(
    `Deploy of a small config on moto, with the plan check and without it (${options.deployRuns} runs each, alternating; load average ${os
      .loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')})`,
  );
  const bench = await benchDeploy(options.deployRuns, log);
  const rows = bench.runs.map((run) => [
    run.planCheck ? 'with the plan check' : 'without (planCheck: false)',
    seconds(run.seconds),
    seconds(run.cpuSeconds),
    run.planCheck ? seconds(run.showSeconds) : '-',
    run.planCheck ? `${(run.checkSeconds * 1e6).toFixed(0)} µs` : '-',
  ]);
  const deployTable = table(['deploy, 3 stacks from scratch', 'wall', 'CPU (with children)', 'show -json (summed wall)', 'check function'], rows);
  const verdict =
    `Median with the check ${seconds(bench.medianWith)} wall, ${seconds(bench.medianCpuWith)} CPU; without ${seconds(bench.medianWithout)} wall, ` +
    `${seconds(bench.medianCpuWithout)} CPU: ${(bench.overhead * 100).toFixed(1)} % wall, ${(bench.cpuOverhead * 100).toFixed(1)} % CPU (target: at most 10 %).`;
  log(`\n${deployTable}\n\n${verdict}\n`);
  report.push('### Deploy with and without the plan check (moto)', '', deployTable, '', verdict, '');
  results.deploy = bench;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.deployOnly) {
    mkdirSync(RESULTS_DIRECTORY, { recursive: true });
    const report: string[] = [];
    const results: Record<string, unknown> = {};
    await benchDeploySection(options, (text) => process.stdout.write(`${text}\n`), report, results);
    writeFileSync(path.join(RESULTS_DIRECTORY, 'deploy.md'), `${report.join('\n')}\n`);
    writeFileSync(path.join(RESULTS_DIRECTORY, 'deploy.json'), `${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'ecr-bench-'));
  mkdirSync(RESULTS_DIRECTORY, { recursive: true });
  const app = appCommand();
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, CI: 'true', CHECKPOINT_DISABLE: '1' };
  // The example, named: a config recorded in this checkout (`--config`) must not change what is measured.
  baseEnv.ECR_REPLICATION_CONFIG = 'ecr-replication.yaml';
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const log = (text: string) => process.stdout.write(`${text}\n`);
  const report: string[] = [`Machine: ${machine}`, `App command: \`${app}\``, ''];
  const results: Record<string, unknown> = { machine, app };

  try {
    if (options.packageOnly) {
      benchPackage({ options, app, baseEnv, scratch, log, report, results });
      writeFileSync(path.join(RESULTS_DIRECTORY, 'package.md'), `${report.join('\n')}\n`);
      writeFileSync(path.join(RESULTS_DIRECTORY, 'package.json'), `${JSON.stringify(results, null, 2)}\n`);
      return;
    }
    // Warm-up (not timed): builds dist/ if it is stale, fills the file cache.
    synthRun(app, { ...baseEnv, CDKTF_OUTDIR: path.join(scratch, 'warm') }, scratch, 'the warm-up synth of the example');
    if (options.estateOnly) {
      benchEstates({ options, app, baseEnv, scratch, log, report, results });
      writeFileSync(path.join(RESULTS_DIRECTORY, 'estates.md'), `${report.join('\n')}\n`);
      writeFileSync(path.join(RESULTS_DIRECTORY, 'estates.json'), `${JSON.stringify(results, null, 2)}\n`);
      return;
    }

    // 0. The bundled example through the app command (target: <= 0.5 s).
    const exampleRuns = Array.from({ length: Math.max(5, options.runs) }, () =>
      synthRun(app, { ...baseEnv, CDKTF_OUTDIR: path.join(scratch, 'example') }, scratch, 'the synth of the example'),
    );
    const exampleText =
      `Bundled example through the app command run directly: median ${seconds(median(exampleRuns.map((run) => run.seconds)))} ` +
      `(runs: ${exampleRuns.map((run) => run.seconds.toFixed(2)).join(', ')} s; peak RSS ${mib(Math.max(...exampleRuns.map((run) => run.peakRssMiB ?? Number.NaN)))})`;
    log(`${exampleText}\n`);
    report.push(exampleText, '');
    results.example = { seconds: exampleRuns.map((run) => run.seconds) };

    // 0b. The daily commands on the example, as their npm scripts run them and through npm (targets: synth and check <= 0.5 s).
    const commandOut = path.join(scratch, 'commands', 'cdktf.out');
    const commands = [
      { label: `\`${LAUNCHER} synth\` (npm run synth)`, command: `${LAUNCHER} synth --output ${JSON.stringify(commandOut)}` },
      { label: '`npm run synth`', command: `npm run -s synth -- --output ${JSON.stringify(commandOut)}` },
      { label: `\`${LAUNCHER} check\` (npm run check)`, command: `${LAUNCHER} check` },
      { label: '`npm run check`', command: 'npm run -s check' },
      { label: `\`${LAUNCHER} list\` (npm run list)`, command: `${LAUNCHER} list` },
      { label: '`npm run list`', command: 'npm run -s list' },
    ];
    const commandRows = commands.map(({ label, command }) => {
      const runs = Array.from({ length: 5 }, () => synthRun(command, baseEnv, scratch, command));
      const wall = runs.map((run) => run.seconds);
      const cpu = runs.map((run) => run.cpuSeconds ?? Number.NaN);
      return {
        label,
        wall,
        cpu,
        row: [
          label,
          wall.map((value) => value.toFixed(2)).join(' / '),
          seconds(median(wall)),
          seconds(median(cpu)),
          mib(Math.max(...runs.map((run) => run.peakRssMiB ?? Number.NaN))),
        ],
      };
    });
    const commandTable = table(
      ['command, bundled example', 'runs (s)', 'median', 'median CPU', 'peak RSS'],
      commandRows.map((entry) => entry.row),
    );
    log(`${commandTable}\n`);
    report.push('### Daily commands on the bundled example, 5 runs each', '', commandTable, '');
    results.commands = commandRows.map(({ label, wall, cpu }) => ({ label, seconds: wall, cpuSeconds: cpu }));

    // 1. Scale.
    if (!options.skipScale) log(`Synth through the app command (run directly with CDKTF_OUTDIR, median of ${options.runs}) on ${machine}\n`);
    const rows: string[][] = [];
    const scaleResults: unknown[] = [];
    let largest: { outdir: string; stats: OutputStats } | undefined;
    for (const repositories of options.skipScale ? [] : REPOSITORY_COUNTS) {
      for (const destinations of DESTINATION_COUNTS) {
        // YAML, as people write the file (the loader parses JSON files with the same YAML parser).
        const configFile = path.join(RESULTS_DIRECTORY, `config-${repositories}x${destinations}.yaml`);
        writeFileSync(configFile, stringify(benchConfig(repositories, destinations), { aliasDuplicateObjects: false }));
        const outdir = path.join(scratch, `out-${repositories}x${destinations}`, 'cdktf.out');
        const runs: Measured[] = [];
        for (let run = 0; run < options.runs; run++) {
          runs.push(
            synthRun(
              app,
              { ...baseEnv, ECR_REPLICATION_CONFIG: configFile, CDKTF_OUTDIR: outdir },
              scratch,
              `synth of ${repositories} repositories x ${destinations} destinations`,
            ),
          );
        }
        const stats = outputStats(outdir);
        const wall = median(runs.map((run) => run.seconds));
        const rss = runs.every((run) => run.peakRssMiB !== undefined) ? Math.max(...runs.map((run) => run.peakRssMiB!)) : undefined;
        const row = [
          String(repositories),
          String(destinations),
          String(stats.stacks),
          seconds(wall),
          mib(rss),
          kib(stats.bytes),
          String(stats.resourceBlocks),
          String(stats.resourceInstances),
        ];
        rows.push(row);
        log(`  ${repositories} repositories x ${destinations} destinations: ${row.slice(2).join(', ')}`);
        scaleResults.push({ repositories, destinations, wallSeconds: runs.map((run) => run.seconds), peakRssMiB: rss, ...stats });
        if (!largest || stats.largestStack.bytes > largest.stats.largestStack.bytes) largest = { outdir, stats };
        else rmSync(path.dirname(outdir), { recursive: true, force: true });
      }
    }
    const scaleTable = table(['repositories', 'destinations', 'stacks', 'wall', 'peak RSS', 'synthesized', 'resource blocks', 'resource instances'], rows);
    if (rows.length > 0) {
      log(`\n${scaleTable}\n`);
      report.push(`### Synth at scale (app command run directly, median of ${options.runs})`, '', scaleTable, '');
    }
    results.scale = scaleResults;

    // 2. The CLI: template app against the project's app command.
    if (!options.skipCli) {
      const cli = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdktf');
      const trivialApp = path.join(scratch, 'trivial-app.js');
      writeFileSync(
        trivialApp,
        `const fs = require('fs'); const out = process.env.CDKTF_OUTDIR;
fs.mkdirSync(out + '/stacks/x', { recursive: true });
fs.writeFileSync(out + '/stacks/x/cdk.tf.json', '{"//":{"metadata":{}},"terraform":{}}');
fs.writeFileSync(out + '/manifest.json', JSON.stringify({ version: '0.21.0', stacks: { x: { name: 'x', constructPath: 'x', annotations: [], dependencies: [],
  synthesizedStackPath: 'stacks/x/cdk.tf.json', workingDirectory: 'stacks/x', stackMetadataPath: 'stacks/x/metadata.json' } } }));
`,
      );
      const variants = [
        { label: `template app (\`${TEMPLATE_APP}\`)`, app: TEMPLATE_APP },
        { label: `project app (\`${app}\`)`, app },
        { label: 'CLI floor (trivial app writing one empty stack)', app: `node ${trivialApp}` },
      ];
      const timings = new Map<string, Measured[]>(variants.map((variant) => [variant.label, []]));
      log(`cdktf synth on the bundled example (${options.cliRuns} runs each, alternating)`);
      for (let run = 0; run < options.cliRuns; run++) {
        for (const variant of variants) {
          const outdir = path.join(scratch, `cli-${variants.indexOf(variant)}`);
          const measured = synthRun(
            `${cli} synth --app ${JSON.stringify(variant.app)} --output ${JSON.stringify(outdir)}`,
            baseEnv,
            scratch,
            `cdktf synth with ${variant.app}`,
          );
          timings.get(variant.label)!.push(measured);
          log(`  ${variant.label}: ${seconds(measured.seconds)}`);
        }
      }
      const medians = variants.map((variant) => median(timings.get(variant.label)!.map((run) => run.seconds)));
      const cliRows = variants.map((variant, index) => [
        variant.label,
        timings
          .get(variant.label)!
          .map((run) => run.seconds.toFixed(2))
          .join(' / '),
        seconds(medians[index]),
        seconds(median(timings.get(variant.label)!.map((run) => run.cpuSeconds ?? Number.NaN))),
        mib(Math.max(...timings.get(variant.label)!.map((run) => run.peakRssMiB ?? Number.NaN))),
      ]);
      const cliTable = table(['cdktf synth, bundled example', 'runs (s)', 'median', 'median CPU', 'peak RSS'], cliRows);
      const ratio = medians[0] / medians[1];
      const ratioText =
        `Ratio template / project app: ${ratio.toFixed(2)}x (${seconds(medians[0])} -> ${seconds(medians[1])}, target >= 2x). ` +
        `Above the CLI's own floor of ${seconds(medians[2])}: ${seconds(Math.max(0, medians[0] - medians[2]))} -> ${seconds(Math.max(0, medians[1] - medians[2]))}.`;
      log(`\n${cliTable}\n\n${ratioText}\n`);
      report.push(`### \`cdktf synth\` (CLI) on the bundled example, ${options.cliRuns} runs each`, '', cliTable, '', ratioText, '');
      results.cli = {
        variants: variants.map((variant, index) => ({ ...variant, seconds: timings.get(variant.label)!.map((run) => run.seconds), median: medians[index] })),
        ratio,
      };
    }

    // 3. terraform validate on the largest stack.
    if (!options.skipValidate && largest) {
      const stackDirectory = path.join(largest.outdir, 'stacks', largest.stats.largestStack.name);
      log(
        `terraform validate on ${largest.stats.largestStack.name} (${kib(largest.stats.largestStack.bytes)}), from ${path.relative(PROJECT_ROOT, RESULTS_DIRECTORY)}`,
      );
      const { init, validate } = validateTimes(stackDirectory);
      const validateText =
        `terraform validate, largest stack (${largest.stats.largestStack.name}, ${kib(largest.stats.largestStack.bytes)} of JSON): ` +
        `${validate.map(seconds).join(', ')} (init -backend=false, once: ${seconds(init)})`;
      log(`\n${validateText}\n`);
      report.push('### terraform validate', '', validateText, '');
      results.validate = { stack: largest.stats.largestStack, initSeconds: init, validateSeconds: validate };
    }

    benchEstates({ options, app, baseEnv, scratch, log, report, results });
    benchPackage({ options, app, baseEnv, scratch, log, report, results });
    if (!options.skipDeploy) await benchDeploySection(options, log, report, results);

    writeFileSync(path.join(RESULTS_DIRECTORY, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(RESULTS_DIRECTORY, 'results.md'), `${report.join('\n')}\n`);
    log(`Written: ${path.relative(PROJECT_ROOT, path.join(RESULTS_DIRECTORY, 'results.md'))}, results.json and the generated configs`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
