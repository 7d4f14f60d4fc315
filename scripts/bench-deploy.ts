/**
 * `npm run bench` section 5: what the plan check costs a deploy. A small
 * config (one source, a destination in its own account and one in another,
 * three repositories, no creation templates) is deployed from scratch on
 * moto's server with the daily command (`deploy '*' --auto-approve`, run in
 * process through the launcher's command line), alternately with the plan
 * check and without it (the engine's `planCheck: false`: no `show -json`, no
 * check; the only difference), after one warm-up deploy that is not counted.
 * Each run deploys into accounts of its own, so every run does the same work.
 * Wall and CPU time (this process and every process it waited for) are both
 * reported: on a shared machine the CPU figure is the steadier one. Also measured: the check's own share, the
 * wall time of the `show -json` runs and of the check function over the
 * plans of a run.
 *
 * Uses ECR_EMULATOR_ENDPOINT when set, else starts moto itself (python3 -m
 * moto.server) and stops it after.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCli } from '../cli/cli';
import { checkPlans } from '../tools/plan-check/check-plan';
import { TerraformPlanJson } from '../tools/plan-check/plan-json';
import { terraformEnvironment, writeTerraformCliConfig } from '../tools/terraform-cli';
import { stackTerraform, StackTerraform } from '../tools/terraform-stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the emulator helper is plain JavaScript shared with .ci/run
const { startMoto, stopMoto } = require('../test-support/moto-server.js') as {
  startMoto: () => Promise<{ endpoint: string; pid: number }>;
  stopMoto: (pid: number) => void;
};

export interface DeployRun {
  readonly planCheck: boolean;
  readonly seconds: number;
  /** CPU (user + system) of the run and every process it waited for: terraform, providers. Steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  /** Wall time of the `show -json` runs, summed over stacks (they run in parallel with other stacks' work). */
  readonly showSeconds: number;
  /** Time of the check function over every plan JSON of the run. */
  readonly checkSeconds: number;
  readonly exitCode: number;
}

export interface DeployBench {
  readonly runs: readonly DeployRun[];
  readonly medianWith: number;
  readonly medianWithout: number;
  /** (with - without) / without, wall time */
  readonly overhead: number;
  readonly medianCpuWith: number;
  readonly medianCpuWithout: number;
  /** (with - without) / without, CPU time */
  readonly cpuOverhead: number;
}

/** CPU seconds of this process and of the children it has waited for (Linux `/proc/self/stat`, clock ticks of 1/100 s). */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  let children: number;
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    children = Number.NaN;
  }
  return (own.user + own.system) / 1e6 + children;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function config(endpoint: string, run: number): object {
  // Twelve-digit ids of this run's own: moto keeps one world, and each run deploys from scratch.
  const base = 400_000_000_000 + (Date.now() % 1_000_000) * 100 + run * 2;
  const [source, other] = [String(base), String(base + 1)];
  return {
    accounts: {
      build: { id: source, deployRoleArn: `arn:aws:iam::${source}:role/deployer` },
      prod: { id: other, deployRoleArn: `arn:aws:iam::${other}:role/deployer` },
    },
    repositories: [{ name: 'web' }, { name: 'team-a/api' }, { name: 'base' }],
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
    endpoint: { url: endpoint },
  };
}

/** The real runner, timing its `show -json` runs and keeping the plans they print. */
function timedTerraform(inner: StackTerraform, shown: { seconds: number; plans: TerraformPlanJson[] }): StackTerraform {
  return {
    ...inner,
    show: async (directory, file) => {
      const start = performance.now();
      const result = await inner.show(directory, file);
      shown.seconds += (performance.now() - start) / 1000;
      if (result.code === 0) shown.plans.push(JSON.parse(result.stdout) as TerraformPlanJson);
      return result;
    },
  };
}

async function deployOnce(endpoint: string, run: number, planCheck: boolean, log: (text: string) => void): Promise<DeployRun> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ecr-bench-deploy-'));
  try {
    writeFileSync(path.join(root, 'config.json'), JSON.stringify(config(endpoint, run)));
    const environment: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
      CHECKPOINT_DISABLE: '1',
    };
    delete environment.ECR_REPLICATION_CONFIG;
    const terraformEnv = { ...terraformEnvironment(root, environment), TF_CLI_CONFIG_FILE: writeTerraformCliConfig(root) };
    const shown = { seconds: 0, plans: [] as TerraformPlanJson[] };
    let output = '';
    const start = performance.now();
    const cpuStart = cpuSeconds();
    const exitCode = await runCli(['deploy', '*', '--config', 'config.json', '--auto-approve', '--parallelism', '2'], {
      projectRoot: root,
      cwd: root,
      environment,
      stdout: (text) => (output += text),
      stderr: (text) => (output += text),
      deploy: { terraform: timedTerraform(stackTerraform(terraformEnv), shown), planCheck, interactive: false },
    });
    const seconds = (performance.now() - start) / 1000;
    const cpu = cpuSeconds() - cpuStart;
    if (exitCode !== 0) throw new Error(`the bench deploy failed (exit ${exitCode}):\n${output.split('\n').slice(-30).join('\n')}`);
    const checkStart = performance.now();
    for (let repeat = 0; repeat < 100; repeat++) checkPlans(shown.plans.map((plan, index) => ({ stack: `stack-${index}`, plan })));
    const checkSeconds = (performance.now() - checkStart) / 1000 / 100;
    const result = { planCheck, seconds, cpuSeconds: cpu, showSeconds: shown.seconds, checkSeconds, exitCode };
    log(
      `  deploy ${planCheck ? 'with the plan check' : 'without it'}: ${seconds.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU (show -json ${shown.seconds.toFixed(1)} s summed, check ${(checkSeconds * 1000).toFixed(2)} ms)`,
    );
    return result;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Deploys `runs` times with the check and `runs` times without, alternating. */
export async function benchDeploy(runs: number, log: (text: string) => void): Promise<DeployBench> {
  let endpoint = process.env.ECR_EMULATOR_ENDPOINT;
  let moto: { pid: number } | undefined;
  if (!endpoint) {
    const started = await startMoto();
    endpoint = started.endpoint;
    moto = started;
  }
  try {
    // Warm-up, not counted: loads the launcher's modules in this process and the provider binary into the file cache.
    log('  (warm-up deploy, not counted)');
    await deployOnce(endpoint, runs * 2, false, () => undefined);
    const results: DeployRun[] = [];
    for (let run = 0; run < runs * 2; run++) results.push(await deployOnce(endpoint, run, run % 2 === 0, log));
    const medianWith = median(results.filter((run) => run.planCheck).map((run) => run.seconds));
    const medianWithout = median(results.filter((run) => !run.planCheck).map((run) => run.seconds));
    const medianCpuWith = median(results.filter((run) => run.planCheck).map((run) => run.cpuSeconds));
    const medianCpuWithout = median(results.filter((run) => !run.planCheck).map((run) => run.cpuSeconds));
    return {
      runs: results,
      medianWith,
      medianWithout,
      overhead: (medianWith - medianWithout) / medianWithout,
      medianCpuWith,
      medianCpuWithout,
      cpuOverhead: (medianCpuWith - medianCpuWithout) / medianCpuWithout,
    };
  } finally {
    if (moto) stopMoto(moto.pid);
  }
}
