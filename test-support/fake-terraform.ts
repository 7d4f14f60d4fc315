/**
 * A scripted stand-in for the engine's Terraform runner (tools/terraform-stack.ts):
 * each stack (by folder name) answers its plans in order with the exit code and
 * plan JSON given, its applies in order (success when none is scripted), and
 * every call is recorded as `<stack> <step> [detail]`, so tests assert the order
 * of runs, what was applied, and that nothing was applied after a refusal.
 */
import * as path from 'node:path';
import { TerraformPlanJson } from '../tools/plan-check/plan-json';
import { OutputLine, PlanOptions, StackTerraform, TerraformRun } from '../tools/terraform-stack';

export interface FakeRun {
  readonly code?: number | null;
  readonly signal?: NodeJS.Signals | null;
  readonly stdout?: string;
  readonly stderr?: string;
}

export interface FakePlan extends FakeRun {
  /** `terraform show -json` of this plan (changes only: code 2). */
  readonly json?: TerraformPlanJson;
}

export interface FakeStackScript {
  readonly init?: FakeRun;
  /** Answered in order; the last one repeats. @default [{ code: 0 }] (no changes) */
  readonly plans?: readonly FakePlan[];
  /** Answered in order; success when exhausted. */
  readonly applies?: readonly FakeRun[];
}

const run = (fake: FakeRun = {}): TerraformRun => ({
  code: fake.signal ? null : (fake.code ?? 0),
  signal: fake.signal ?? null,
  stdout: fake.stdout ?? '',
  stderr: fake.stderr ?? '',
});

export class FakeTerraform implements StackTerraform {
  readonly calls: string[] = [];
  private readonly planIndex = new Map<string, number>();
  private readonly applyIndex = new Map<string, number>();
  private readonly planFiles = new Map<string, FakePlan>();

  constructor(private readonly script: Readonly<Record<string, FakeStackScript>>) {}

  private stack(directory: string): string {
    return path.basename(directory);
  }

  async init(directory: string): Promise<TerraformRun> {
    const stack = this.stack(directory);
    this.calls.push(`${stack} init`);
    return run(this.script[stack]?.init);
  }

  async plan(directory: string, options: PlanOptions): Promise<TerraformRun> {
    const stack = this.stack(directory);
    const flags = [
      options.destroy ? '-destroy' : '',
      options.refreshOnly ? '-refresh-only' : '',
      ...(options.targets ?? []).map((target) => `-target=${target}`),
    ];
    this.calls.push(
      `${stack} plan${flags
        .filter(Boolean)
        .map((flag) => ` ${flag}`)
        .join('')}`,
    );
    const plans = this.script[stack]?.plans ?? [{ code: 0 }];
    const index = this.planIndex.get(stack) ?? 0;
    this.planIndex.set(stack, index + 1);
    const plan = plans[Math.min(index, plans.length - 1)];
    this.planFiles.set(`${stack}/${options.out}`, plan);
    return run(plan);
  }

  async show(directory: string, planFile: string): Promise<TerraformRun> {
    const stack = this.stack(directory);
    this.calls.push(`${stack} show`);
    const plan = this.planFiles.get(`${stack}/${planFile}`);
    return plan?.json ? run({ stdout: JSON.stringify(plan.json) }) : run({ code: 1, stderr: `Error: no plan ${planFile}\n` });
  }

  async apply(directory: string, planFile: string, onLine?: OutputLine): Promise<TerraformRun> {
    const stack = this.stack(directory);
    this.calls.push(`${stack} apply`);
    if (!this.planFiles.has(`${stack}/${planFile}`)) throw new Error(`${stack}: apply of a plan file never planned: ${planFile}`);
    const applies = this.script[stack]?.applies ?? [];
    const index = this.applyIndex.get(stack) ?? 0;
    this.applyIndex.set(stack, index + 1);
    const result = run(applies[index] ?? { stdout: 'Apply complete!\n' });
    for (const line of result.stdout.split('\n').filter(Boolean)) onLine?.('stdout', line);
    return result;
  }

  async stateRm(directory: string, addresses: readonly string[]): Promise<TerraformRun> {
    this.calls.push(`${this.stack(directory)} state rm ${addresses.join(' ')}`);
    return run();
  }

  /** The calls of the given steps only (e.g. ['apply'] to see what was applied). */
  callsOf(...steps: readonly string[]): string[] {
    return this.calls.filter((call) => steps.some((step) => call.split(' ')[1] === step));
  }
}
