/**
 * The deploy engine behind `deploy`, `diff` and `destroy`: Terraform per
 * stack folder, in the order of order.ts, with the plan check between every
 * plan and its apply.
 *
 * - The plan applied is the plan that was checked: `plan -out` → `show -json`
 *   → check → `apply <planfile>`; a later phase that needs a fresh plan
 *   checks that plan again before applying it.
 * - Every targeted stack is planned first (in parallel, bounded), and
 *   nothing is applied when a plan fails, a hook refuses, or the check
 *   refuses something not accepted by its token.
 * - A failed run (Terraform's error, a refusal, a signal) stops the phases
 *   after it; runs already started finish; the summary says what each stack
 *   did and why, and the exit code is non-zero. Nothing here throws out of
 *   `runEngine`.
 * - Hooks (tools/recovery/deploy-hooks.ts): `adopt` after a plan that
 *   creates adoptable resources (imports written to `recovered-imports.tf.json`
 *   in the stack folder, then planned again), and once more after an apply
 *   that failed because a resource it creates already exists (the AWS
 *   provider retries a create whose first attempt succeeded, for example
 *   KMS CreateAlias): planned, checked and applied again in the same run;
 *   `teardown` after a destroy plan
 *   (its `keep` addresses leave the state, after the approval, before the
 *   destroy is planned again).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DeployHooks, ImportTarget, StackContext } from '../../tools/recovery/deploy-hooks';
import { checkPlans, checkStackPlan, retiredAcross } from '../../tools/plan-check/check-plan';
import { acceptToken, ACCEPT_VARIABLE, decide, findingId, PlanFinding } from '../../tools/plan-check/findings';
import { TerraformPlanJson } from '../../tools/plan-check/plan-json';
import { mapLimit } from '../../tools/map-limit';
import { PlanOptions, StackTerraform, TerraformRun } from '../../tools/terraform-stack';
import { deployOrder, destroyOrder, PlanState, StackNode, Step } from './order';
import { describeCounts, NO_CHANGES, PlanSummary, summarizePlan } from './plan-summary';
import { DeployCommand, formatFindings, formatSummary, StackOutcome, verdict } from './summary';
import { failureReason, withoutProgress } from './terraform-messages';

/** The file adoption imports are written to: synthesis never writes it and replaces the folder on every run. */
export const ADOPTION_IMPORTS_FILE = 'recovered-imports.tf.json';

export interface DeployStack extends StackNode {
  /** The synthesized stack folder, absolute. */
  readonly directory: string;
}

export interface EngineOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface EngineOptions {
  readonly command: DeployCommand;
  /** Every stack of the synthesized output (dependencies and dependents count even when not targeted). */
  readonly stacks: readonly DeployStack[];
  /** The stacks to run, by name. */
  readonly targeted: readonly string[];
  readonly terraform: StackTerraform;
  readonly hooks: DeployHooks;
  /** The command's environment, passed to the hooks. */
  readonly environment: NodeJS.ProcessEnv;
  /** @default false: ask before applying (needs `confirm`) */
  readonly autoApprove?: boolean;
  /** Tokens accepting refused findings (`--accept`, ECR_REPLICATION_ACCEPT). @default none */
  readonly acceptedTokens?: readonly string[];
  /** Stacks run at once. @default 2 */
  readonly parallelism?: number;
  readonly output: EngineOutput;
  /** Asks on the terminal; undefined when stdin is not a terminal (then `autoApprove` is required). */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Read the plans (`show -json`) and check them. Only measurements switch it off. @default true */
  readonly planCheck?: boolean;
  /** `<account>/<region>\t<name>` of repositories the config retires, from the synthesized output. @default none */
  readonly retiredRepositories?: ReadonlySet<string>;
  /** The command to run again with a token, e.g. `npm run deploy -- '*'`. */
  readonly rerunCommand: string;
  /** True once the user interrupted (Ctrl-C): running steps finish (terraform got the signal too), none starts. @default never */
  readonly interrupted?: () => boolean;
}

export interface EngineResult {
  readonly exitCode: number;
  readonly outcomes: readonly StackOutcome[];
  /** The token printed for refused findings, if any. */
  readonly token?: string;
}

/** A plan that went through `show -json` (unless the check is off) and the adoption hook. */
interface CheckedPlan {
  readonly file: string;
  readonly hasChanges: boolean;
  readonly json?: TerraformPlanJson;
  readonly summary: PlanSummary;
}

type PlanResult =
  | { readonly kind: 'planned'; readonly plan: CheckedPlan; readonly text: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly text: string }
  | { readonly kind: 'refused'; readonly reasons: readonly string[]; readonly text: string };

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * An apply error that says a resource it creates is already there: KMS `AlreadyExistsException`, ECR
 * `RepositoryAlreadyExistsException` and `TemplateAlreadyExistsException`, IAM `EntityAlreadyExists`.
 */
export const ALREADY_EXISTS = /\b\w*AlreadyExists(?:Exception)?\b/;

/** Parses `Plan: 1 to add, 2 to change, 0 to destroy.` when the plan JSON is not read (plan check off). */
export function summaryFromText(text: string): PlanSummary {
  const line = /^Plan: .*$/m.exec(text)?.[0];
  if (line === undefined) return { ...NO_CHANGES, outputs: true };
  const count = (word: string) => Number(new RegExp(`(\\d+) to ${word}`).exec(line)?.[1] ?? 0);
  return { ...NO_CHANGES, add: count('add'), change: count('change'), destroy: count('destroy'), import: count('import') };
}

class EngineRun {
  private readonly outcomes = new Map<string, StackOutcome>();
  private readonly plans = new Map<string, CheckedPlan>();
  private readonly planJsons = new Map<string, TerraformPlanJson>();
  private readonly approved = new Set<string>();
  /** Finding ids accepted by the token at the gate: later plans may refuse only these. */
  private accepted = new Set<string>();
  private acceptedFindings: PlanFinding[] = [];
  private readonly adopted = new Set<string>();
  /** Stacks whose apply failed on "already exists" and were adopted and applied again (once per stack). */
  private readonly adoptedAfterApply = new Set<string>();
  private readonly keep = new Map<string, readonly string[]>();
  private stoppedBy: string | undefined;
  private planFiles = 0;
  private token: string | undefined;
  private readonly byName: Map<string, DeployStack>;
  private readonly parallelism: number;
  private readonly planCheck: boolean;
  private readonly tokens: readonly string[];

  constructor(private readonly options: EngineOptions) {
    this.byName = new Map(options.stacks.map((stack) => [stack.name, stack]));
    this.parallelism = Math.max(1, options.parallelism ?? 2);
    this.planCheck = options.planCheck ?? true;
    this.tokens = options.acceptedTokens ?? [];
    for (const name of this.targetedInOrder()) this.outcomes.set(name, { stack: name, status: 'not run', applied: [] });
  }

  private targetedInOrder(): string[] {
    const targeted = new Set(this.options.targeted);
    return this.options.stacks.filter((stack) => targeted.has(stack.name)).map((stack) => stack.name);
  }

  private outcome(name: string): StackOutcome {
    return this.outcomes.get(name)!;
  }

  private print(stack: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    const lines = text.replace(/\s+$/, '').split('\n');
    if (lines.length === 1 && lines[0] === '') return;
    const write = stream === 'stdout' ? this.options.output.stdout : this.options.output.stderr;
    write(`${lines.map((line) => `[${stack}] ${line}`).join('\n')}\n`);
  }

  private say(text: string): void {
    this.options.output.stderr(`${text}\n`);
  }

  private stackContext(name: string): StackContext {
    return { stackName: name, directory: this.byName.get(name)!.directory, environment: this.options.environment };
  }

  private nextPlanFile(label: string): string {
    this.planFiles += 1;
    return `ecr-replication-${String(this.planFiles).padStart(2, '0')}-${label}.tfplan`;
  }

  private stop(reason: string): void {
    if (this.stoppedBy === undefined) this.stoppedBy = reason;
  }

  // ---------------------------------------------------------------- Terraform steps

  private async init(name: string): Promise<boolean> {
    const run = await this.options.terraform.init(this.byName.get(name)!.directory);
    if (run.code === 0) return true;
    this.print(name, `${run.stdout}${run.stderr}`, 'stderr');
    Object.assign(this.outcome(name), { status: 'failed', reason: `terraform init: ${failureReason(run, 'init')}` });
    this.stop(`${name} failed`);
    return false;
  }

  /** plan → (no changes: done) → show -json → adoption (imports, plan again) → the checked plan. */
  private async plan(name: string, label: string, options: Omit<PlanOptions, 'out'>, adopt: boolean): Promise<PlanResult> {
    const directory = this.byName.get(name)!.directory;
    const file = this.nextPlanFile(label);
    const run = await this.options.terraform.plan(directory, { ...options, out: file });
    const text = withoutProgress(`${run.stdout}${run.stderr}`);
    if (run.signal !== null || (run.code !== 0 && run.code !== 2)) return { kind: 'failed', reason: failureReason(run, 'plan'), text };
    if (run.code === 0) return { kind: 'planned', plan: { file, hasChanges: false, summary: NO_CHANGES }, text };
    if (!this.planCheck) return { kind: 'planned', plan: { file, hasChanges: true, summary: summaryFromText(run.stdout) }, text };

    const shown = await this.show(directory, file);
    if ('reason' in shown) return { kind: 'failed', reason: shown.reason, text };
    const summary = summarizePlan(shown.json);
    if (!adopt || !summary.createsAdoptable || this.adopted.has(name))
      return { kind: 'planned', plan: { file, hasChanges: true, json: shown.json, summary }, text };

    this.adopted.add(name);
    let answer;
    try {
      answer = await this.options.hooks.adopt(this.stackContext(name), shown.json);
    } catch (error) {
      return { kind: 'failed', reason: `the adoption check failed: ${errorText(error)}`, text };
    }
    for (const note of answer.notes) this.print(name, `note: ${note}`, 'stderr');
    if (answer.refusals.length > 0) return { kind: 'refused', reasons: answer.refusals, text };
    if (answer.imports.length === 0) return { kind: 'planned', plan: { file, hasChanges: true, json: shown.json, summary }, text };
    writeImports(directory, answer.imports);
    this.print(
      name,
      `adopting ${answer.imports.length} resource${answer.imports.length === 1 ? '' : 's'} an earlier apply created (${ADOPTION_IMPORTS_FILE}); planning again`,
      'stderr',
    );
    return this.plan(name, `${label}-adopted`, options, false);
  }

  private async show(directory: string, file: string): Promise<{ json: TerraformPlanJson } | { reason: string }> {
    const run = await this.options.terraform.show(directory, file);
    if (run.code !== 0 || run.signal !== null) return { reason: `terraform show -json: ${failureReason(run, 'show')}` };
    try {
      return { json: JSON.parse(run.stdout) as TerraformPlanJson };
    } catch (error) {
      return { reason: `terraform show -json gave no JSON: ${errorText(error)}` };
    }
  }

  /**
   * Applies a checked plan. `replan`: the options the plan was made with, when a failure because a resource it
   * creates already exists may be recovered in this run (adoption, then a checked plan applied); once per stack.
   */
  private async apply(name: string, plan: CheckedPlan, label?: string, replan?: Omit<PlanOptions, 'out'>): Promise<boolean> {
    const outcome = this.outcome(name);
    const run: TerraformRun = await this.options.terraform.apply(this.byName.get(name)!.directory, plan.file, (stream, line) => this.print(name, line, stream));
    const counts = plan.json ? describeCounts(plan.summary, 'applied') : 'applied';
    if (run.code === 0 && run.signal === null) {
      outcome.applied.push(label ? `${label}: ${counts}` : counts);
      outcome.status = 'applied';
      outcome.reason = undefined;
      return true;
    }
    if (
      replan !== undefined &&
      run.signal === null &&
      this.planCheck &&
      !this.adoptedAfterApply.has(name) &&
      !this.options.interrupted?.() &&
      ALREADY_EXISTS.test(`${run.stdout}${run.stderr}`)
    ) {
      this.adoptedAfterApply.add(name);
      this.adopted.delete(name);
      this.print(
        name,
        `the apply stopped on a resource that already exists (${failureReason(run, 'apply')}); asking AWS what this stack created, then planning again`,
        'stderr',
      );
      const result = await this.plan(name, `${label ?? 'apply'}-after-exists`, replan, true);
      this.print(name, result.text, result.kind === 'planned' ? 'stdout' : 'stderr');
      return this.applyChecked(name, result, label);
    }
    outcome.status = 'failed';
    outcome.reason = `${label ? `${label}: ` : ''}${failureReason(run, 'apply')}`;
    this.stop(`${name} failed`);
    return false;
  }

  // ---------------------------------------------------------------- checks

  private retired(): Set<string> {
    return retiredAcross([...this.planJsons.values()], this.options.retiredRepositories);
  }

  private findingsOf(name: string, plan: CheckedPlan): PlanFinding[] {
    if (!plan.json) return [];
    return checkStackPlan({ stack: name, plan: plan.json }, { retiredRepositories: this.retired() });
  }

  /** A plan made after the gate: refused findings must be among those accepted there. */
  private checkLater(name: string, plan: CheckedPlan): boolean {
    if (plan.json) this.planJsons.set(name, plan.json);
    const findings = this.findingsOf(name, plan);
    if (findings.length > 0) this.say(formatFindings(findings, (finding) => this.accepted.has(findingId(finding))).join('\n'));
    const fresh = findings.filter((finding) => finding.refused && !this.accepted.has(findingId(finding)));
    if (fresh.length === 0) return true;
    // The next run plans this stack up front, beside what is still pending: its token covers both.
    this.token = acceptToken([...this.acceptedFindings, ...fresh]);
    Object.assign(this.outcome(name), { status: 'refused', reason: `the plan check refused ${describeRefusal(fresh, name)} (planned after its dependencies)` });
    this.stop(`${name} was refused`);
    return false;
  }

  /** Asks again before applying changes the user has not approved yet (a plan made after the gate). */
  private async approve(name: string, plan: CheckedPlan): Promise<boolean> {
    if (this.options.autoApprove || !plan.hasChanges) return true;
    const unapproved = plan.summary.changes.filter((change) => !this.approved.has(change));
    if (unapproved.length === 0) return true;
    const ok = await this.ask(`${name}: ${describeCounts(plan.summary)} (planned after its dependencies). Apply this plan?`);
    if (ok) for (const change of plan.summary.changes) this.approved.add(change);
    else {
      Object.assign(this.outcome(name), { status: 'declined', reason: 'not approved' });
      this.stop(`${name} was not approved`);
    }
    return ok;
  }

  private async ask(question: string): Promise<boolean> {
    if (!this.options.confirm) return false;
    try {
      return await this.options.confirm(`${question} Only 'yes' will be accepted: `);
    } catch {
      return false;
    }
  }

  // ---------------------------------------------------------------- the commands

  async run(): Promise<EngineResult> {
    const targeted = this.targetedInOrder();
    // One at a time: Terraform's plugin cache is not safe for concurrent installs (two inits race to create
    // the same provider folder). A folder already initialized for this stack block skips it.
    for (const name of targeted) if (!(await this.init(name))) break;
    if (this.stoppedBy === undefined) {
      try {
        if (this.options.command === 'destroy') await this.destroy(targeted);
        else await this.deployOrDiff(targeted);
      } catch (error) {
        // A bug, not a Terraform failure: still end with the summary.
        this.say(`ecr-replication: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        this.stop('an internal error');
        for (const outcome of this.outcomes.values()) if (outcome.status === 'not run') outcome.reason ??= 'stopped by an internal error';
      }
    }
    await this.options.terraform.close?.().catch(() => undefined);
    return this.finish();
  }

  private finish(): EngineResult {
    const outcomes = [...this.outcomes.values()];
    for (const outcome of outcomes) {
      if (outcome.status === 'not run' && outcome.reason === undefined) outcome.reason = this.stoppedBy ? `stopped: ${this.stoppedBy}` : undefined;
      if (outcome.status === 'applied' && outcome.reason !== undefined) outcome.status = 'partly applied';
    }
    const targeted = new Set(this.options.targeted);
    const notTargeted = this.options.stacks.map((stack) => stack.name).filter((name) => !targeted.has(name));
    const result = verdict(this.options.command, outcomes);
    this.options.output.stdout(`\n${formatSummary(this.options.command, outcomes, notTargeted).join('\n')}\n`);
    if (this.token !== undefined) this.say(this.acceptance(this.token));
    this.say(result.line);
    return { exitCode: result.exitCode, outcomes, token: this.token };
  }

  private acceptance(token: string): string {
    return `to accept exactly these changes, run again with the token: ${this.options.rerunCommand} --accept ${token}  (or ${ACCEPT_VARIABLE}=${token})`;
  }

  /** Plans every targeted stack; prints each plan as one block. */
  private async planAll(targeted: readonly string[], options: Omit<PlanOptions, 'out'>, adopt: boolean): Promise<Map<string, PlanResult>> {
    const results = new Map<string, PlanResult>();
    await mapLimit(targeted, this.parallelism, async (name) => {
      try {
        results.set(name, await this.plan(name, options.destroy ? 'destroy' : 'plan', options, adopt));
      } catch (error) {
        results.set(name, { kind: 'failed', reason: errorText(error), text: '' });
      }
    });
    return results;
  }

  private async deployOrDiff(targeted: readonly string[]): Promise<void> {
    const command = this.options.command;
    const results = await this.planAll(targeted, {}, true);
    const states = new Map<string, PlanState>();
    for (const [name, result] of results) {
      if (result.kind === 'planned') {
        this.plans.set(name, result.plan);
        if (result.plan.json) this.planJsons.set(name, result.plan.json);
        states.set(name, result.plan.hasChanges ? { kind: 'changes', ...result.plan.summary } : { kind: 'no-changes' });
      } else states.set(name, { kind: 'failed' });
    }
    const order = deployOrder(this.options.stacks, states);
    const deferred = new Map(
      order.phases
        .flatMap((phase) => phase.steps)
        .flatMap((step) => (step.kind === 'replan' && results.get(step.stack)?.kind === 'failed' ? [[step.stack, step.after] as const] : [])),
    );

    // The plans, one block each, in apply order.
    for (const name of targeted) {
      const result = results.get(name)!;
      const outcome = this.outcome(name);
      const after = deferred.get(name);
      if (after !== undefined) {
        this.print(
          name,
          `planned again after ${after.join(', ')} ${after.length === 1 ? 'applies its' : 'apply their'} changes (its guard reads their applied state)`,
          'stderr',
        );
        Object.assign(outcome, {
          status: command === 'diff' ? 'waits for its dependencies' : 'not run',
          reason: `planned after ${after.join(', ')} (its guard reads their applied state)`,
        });
        continue;
      }
      this.print(name, result.text, result.kind === 'planned' ? 'stdout' : 'stderr');
      if (result.kind === 'failed') Object.assign(outcome, { status: 'failed', reason: result.reason });
      else if (result.kind === 'refused') Object.assign(outcome, { status: 'refused', reason: result.reasons.join('; ') });
      else Object.assign(outcome, { status: result.plan.hasChanges ? 'planned' : 'no changes', summary: result.plan.summary });
    }

    // The gate: a failed plan, a hook's refusal, or a refused finding not accepted stops the run before any apply.
    const checked = [...this.planJsons.entries()].map(([stack, plan]) => ({ stack, plan }));
    const findings = this.planCheck ? checkPlans(checked, { retiredRepositories: this.options.retiredRepositories }) : [];
    const decision = decide(findings, this.tokens);
    if (!this.planCheck) this.say('warning: the plan check is off: plans are applied without being read');
    if (findings.length > 0) this.say(formatFindings(findings, () => !decision.refused).join('\n'));
    const failedPlans = [...results.entries()].filter(([name, result]) => result.kind === 'failed' && !deferred.has(name)).map(([name]) => name);
    const hookRefused = [...results.entries()].filter(([, result]) => result.kind === 'refused').map(([name]) => name);
    if (decision.refused) {
      this.token = decision.token;
      for (const finding of decision.refusing) {
        const outcome = this.outcome(finding.stack);
        if (outcome.status === 'planned' || outcome.status === 'no changes')
          Object.assign(outcome, { status: 'refused', reason: `the plan check refused ${describeRefusal(decision.refusing, finding.stack)}` });
      }
    }
    if (command === 'diff') return;
    if (failedPlans.length > 0 || hookRefused.length > 0 || decision.refused) {
      const why =
        failedPlans.length > 0
          ? `${failedPlans.join(', ')} could not be planned`
          : hookRefused.length > 0
            ? `${hookRefused.join(', ')} ${hookRefused.length === 1 ? 'was' : 'were'} refused`
            : 'the plan check refused changes';
      this.stop(`${why}; nothing was applied`);
      for (const outcome of this.outcomes.values()) {
        if (outcome.status === 'planned' || (outcome.status === 'not run' && deferred.has(outcome.stack)))
          Object.assign(outcome, { status: 'not run', reason: `${why}; nothing was applied` });
      }
      return;
    }
    this.accepted = new Set(decision.refusing.map(findingId));
    this.acceptedFindings = [...decision.refusing];

    for (const waiting of order.waiting) this.outcome(waiting.stack).reason = waiting.reason;
    const steps = order.phases.flatMap((phase) => phase.steps);
    if (steps.length === 0) {
      for (const waiting of order.waiting) this.outcome(waiting.stack).status = 'not run';
      return;
    }
    if (!(await this.approveUpFront(targeted, deferred))) return;
    for (const phase of order.phases) {
      // Stacks in parallel; the steps of one stack (moves, then additions) one after the other: they share its state lock.
      const byStack = new Map<string, Step[]>();
      for (const step of phase.steps) byStack.set(step.stack, [...(byStack.get(step.stack) ?? []), step]);
      await mapLimit([...byStack.values()], this.parallelism, async (steps) => {
        for (const step of steps) {
          if (this.options.interrupted?.()) this.stop('interrupted');
          if (this.stoppedBy !== undefined) return;
          try {
            await this.deployStep(step);
          } catch (error) {
            Object.assign(this.outcome(step.stack), { status: 'failed', reason: errorText(error) });
            this.stop(`${step.stack} failed`);
          }
        }
      });
    }
    for (const waiting of order.waiting) {
      const outcome = this.outcome(waiting.stack);
      if (outcome.applied.length === 0) outcome.status = 'not run';
    }
    for (const outcome of this.outcomes.values()) if (outcome.status === 'planned') outcome.status = 'not run';
  }

  private async approveUpFront(targeted: readonly string[], deferred: ReadonlyMap<string, readonly string[]>): Promise<boolean> {
    for (const plan of this.plans.values()) for (const change of plan.summary.changes) this.approved.add(change);
    if (this.options.autoApprove) return true;
    const lines = [`${this.options.command === 'destroy' ? 'destroy' : 'deploy'} will apply:`];
    for (const name of targeted) {
      const plan = this.plans.get(name);
      const after = deferred.get(name);
      if (after) lines.push(`  ${name}: planned after ${after.join(', ')}, asked again then`);
      else if (plan?.hasChanges) lines.push(`  ${name}: ${describeCounts(plan.summary)}`);
    }
    this.say(lines.join('\n'));
    if (await this.ask('Apply these plans?')) return true;
    for (const outcome of this.outcomes.values()) {
      if (outcome.status === 'planned' || outcome.status === 'not run')
        Object.assign(outcome, { status: 'declined', reason: 'not approved; nothing was applied' });
    }
    this.stop('not approved');
    return false;
  }

  private async deployStep(step: Step): Promise<void> {
    const name = step.stack;
    const upFront = this.plans.get(name);
    switch (step.kind) {
      case 'apply':
        await this.apply(name, upFront!, undefined, {});
        return;
      case 'replan':
      case 'additions':
      case 'moves': {
        const label = step.kind === 'replan' ? 'replan' : step.kind;
        const options: Omit<PlanOptions, 'out'> = step.kind === 'additions' ? { targets: step.targets } : step.kind === 'moves' ? { refreshOnly: true } : {};
        const result = await this.plan(name, label, options, step.kind === 'replan');
        this.print(name, result.text, result.kind === 'planned' ? 'stdout' : 'stderr');
        await this.applyChecked(name, result, step.kind === 'replan' ? undefined : step.kind === 'moves' ? 'moves' : 'additions', true, options);
        return;
      }
      case 'deletions': {
        if (!step.replan) {
          await this.apply(name, upFront!, 'deletions');
          return;
        }
        const result = await this.plan(name, 'deletions', {}, false);
        this.print(name, result.text, result.kind === 'planned' ? 'stdout' : 'stderr');
        await this.applyChecked(name, result, 'deletions');
      }
    }
  }

  /** A plan made after the gate: checked, approved when new, applied (`replan`: see `apply`). */
  private async applyChecked(name: string, result: PlanResult, label: string | undefined, check = true, replan?: Omit<PlanOptions, 'out'>): Promise<boolean> {
    const outcome = this.outcome(name);
    if (result.kind === 'failed') {
      Object.assign(outcome, { status: 'failed', reason: `${label ? `${label}: ` : ''}${result.reason}` });
      this.stop(`${name} failed`);
      return false;
    }
    if (result.kind === 'refused') {
      Object.assign(outcome, { status: 'refused', reason: result.reasons.join('; ') });
      this.stop(`${name} was refused`);
      return false;
    }
    outcome.summary = result.plan.summary;
    if (!result.plan.hasChanges) {
      if (outcome.applied.length === 0) outcome.status = 'no changes';
      return true;
    }
    if (check && !this.checkLater(name, result.plan)) return false;
    if (!(await this.approve(name, result.plan))) return false;
    return this.apply(name, result.plan, label, replan);
  }

  private async destroy(targeted: readonly string[]): Promise<void> {
    const results = await this.planAll(targeted, { destroy: true }, false);
    let refusedOrFailed = false;
    await mapLimit(targeted, this.parallelism, async (name) => {
      const result = results.get(name)!;
      const outcome = this.outcome(name);
      this.print(name, result.text, result.kind === 'planned' ? 'stdout' : 'stderr');
      if (result.kind !== 'planned') {
        Object.assign(outcome, { status: result.kind, reason: result.kind === 'failed' ? result.reason : result.reasons.join('; ') });
        refusedOrFailed = true;
        return;
      }
      this.plans.set(name, result.plan);
      Object.assign(outcome, { status: result.plan.hasChanges ? 'planned' : 'no changes', summary: result.plan.summary });
      if (!result.plan.hasChanges || !result.plan.json) return;
      try {
        const answer = await this.options.hooks.teardown(this.stackContext(name), result.plan.json);
        for (const note of answer.notes) this.print(name, `note: ${note}`, 'stderr');
        if (answer.refusals.length > 0) {
          Object.assign(outcome, { status: 'refused', reason: answer.refusals.join('; ') });
          refusedOrFailed = true;
        }
        if (answer.keep.length > 0) this.keep.set(name, answer.keep);
      } catch (error) {
        Object.assign(outcome, { status: 'failed', reason: `the teardown check failed: ${errorText(error)}` });
        refusedOrFailed = true;
      }
    });
    if (refusedOrFailed) {
      this.stop('a destroy plan failed or was refused; nothing was destroyed');
      for (const outcome of this.outcomes.values())
        if (outcome.status === 'planned') Object.assign(outcome, { status: 'not run', reason: 'a destroy plan failed or was refused; nothing was destroyed' });
      return;
    }
    const phases = destroyOrder(
      this.options.stacks,
      targeted.filter((name) => this.plans.get(name)?.hasChanges),
    );
    if (phases.length === 0) return;
    if (!(await this.approveUpFront(targeted, new Map()))) return;
    for (const phase of phases) {
      await mapLimit(phase.steps, this.parallelism, async (step) => {
        if (this.options.interrupted?.()) this.stop('interrupted');
        if (this.stoppedBy !== undefined) return;
        try {
          await this.destroyStack(step.stack);
        } catch (error) {
          Object.assign(this.outcome(step.stack), { status: 'failed', reason: errorText(error) });
          this.stop(`${step.stack} failed`);
        }
      });
    }
    for (const outcome of this.outcomes.values()) if (outcome.status === 'planned') outcome.status = 'not run';
  }

  private async destroyStack(name: string): Promise<void> {
    const keep = this.keep.get(name) ?? [];
    if (keep.length === 0) {
      await this.apply(name, this.plans.get(name)!);
      return;
    }
    const directory = this.byName.get(name)!.directory;
    const removed = await this.options.terraform.stateRm(directory, keep, (stream, line) => this.print(name, line, stream));
    if (removed.code !== 0 || removed.signal !== null) {
      Object.assign(this.outcome(name), { status: 'failed', reason: `terraform state rm: ${failureReason(removed, 'state rm')}` });
      this.stop(`${name} failed`);
      return;
    }
    this.outcome(name).applied.push(`left in AWS, removed from the state: ${keep.join(', ')}`);
    const result = await this.plan(name, 'destroy-after-keep', { destroy: true }, false);
    this.print(name, result.text, result.kind === 'planned' ? 'stdout' : 'stderr');
    // A destroy is the user's explicit intent (and was approved): it is not refused by the plan check.
    await this.applyChecked(name, result, undefined, false);
  }
}

/** `2 changes (repository web deleted, ...)` of one stack, for its summary line. */
function describeRefusal(refusing: readonly PlanFinding[], stack: string): string {
  const own = refusing.filter((finding) => finding.stack === stack);
  return own.map((finding) => `${finding.subject} ${finding.what}`).join('; ');
}

/** Writes the adoption imports as `import` blocks (Terraform JSON syntax) into the stack folder. */
export function writeImports(directory: string, imports: readonly ImportTarget[]): void {
  const blocks = imports.map((target) => ({ to: target.to, id: target.id, ...(target.provider ? { provider: target.provider } : {}) }));
  writeFileSync(path.join(directory, ADOPTION_IMPORTS_FILE), `${JSON.stringify({ import: blocks }, null, 2)}\n`);
}

export function runEngine(options: EngineOptions): Promise<EngineResult> {
  return new EngineRun(options).run();
}
