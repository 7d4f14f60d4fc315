/**
 * The order of a run, as pure functions of the stacks' dependencies and
 * their plans. Stacks form levels: a destination stack (no dependency) is
 * level 0, a source stack one more than the deepest stack it depends on.
 *
 * deploy: additions go up the levels and removals come down them.
 *   1. Up: each level's plans are applied after the level below; a plan made
 *      before a stack it depends on applied something is planned again
 *      first (a source's guard reads the destinations' applied state). A
 *      plan that removes something (deletes a repository, narrows the
 *      registry policy) in a stack other stacks depend on applies only its
 *      additions here (its pending moves first, then a `-target` plan of
 *      what it creates or updates).
 *   2. Down: those removals, after every stack that depends on it has been
 *      applied, so a source stops replicating a repository before any
 *      destination deletes it. When such a stack is not part of the run, the
 *      deletions wait, with the reason.
 * destroy: down the levels, sources before the destinations they replicate to.
 */

export interface StackNode {
  readonly name: string;
  /** Stacks it depends on (the manifest's dependencies), whether targeted or not. */
  readonly dependencies: readonly string[];
}

/** Level of every stack: 0 without dependencies, else one more than its deepest dependency. */
export function stackLevels(stacks: readonly StackNode[]): Map<string, number> {
  const byName = new Map(stacks.map((stack) => [stack.name, stack]));
  const levels = new Map<string, number>();
  const level = (name: string, trail: readonly string[]): number => {
    const known = levels.get(name);
    if (known !== undefined) return known;
    const stack = byName.get(name);
    if (!stack || trail.includes(name)) return 0;
    const value = stack.dependencies.reduce((deepest, dependency) => Math.max(deepest, level(dependency, [...trail, name]) + 1), 0);
    levels.set(name, value);
    return value;
  };
  for (const stack of stacks) level(stack.name, []);
  return levels;
}

/** The stacks that depend on `name`, among all stacks of the output. */
export function dependentsOf(stacks: readonly StackNode[], name: string): string[] {
  return stacks
    .filter((stack) => stack.dependencies.includes(name))
    .map((stack) => stack.name)
    .sort();
}

/** What the up-front plan of a stack found. */
export type PlanState =
  | { readonly kind: 'no-changes' }
  | { readonly kind: 'changes'; readonly removes: boolean; readonly moves: boolean; readonly additionTargets: readonly string[] }
  /** The plan failed; it may be waiting for a stack it depends on (the guard). */
  | { readonly kind: 'failed' };

export type Step =
  /** Apply the checked up-front plan as it is. */
  | { readonly kind: 'apply'; readonly stack: string }
  /** Plan again (a stack it depends on applied something since its plan, or its plan waited for one), check, apply. */
  | { readonly kind: 'replan'; readonly stack: string; readonly after: readonly string[] }
  /** Apply the plan's pending moves alone (a refresh-only plan), so its additions can be targeted. */
  | { readonly kind: 'moves'; readonly stack: string }
  /** Plan only what it creates or updates (`-target`), check, apply. */
  | { readonly kind: 'additions'; readonly stack: string; readonly targets: readonly string[] }
  /** Its deletions, after the stacks that depend on it: the up-front plan when nothing was applied to the stack since, else a new plan. */
  | { readonly kind: 'deletions'; readonly stack: string; readonly replan: boolean; readonly after: readonly string[] };

export interface Phase {
  /** `additions, level 0`, `sources`, `deletions, level 0`, ... */
  readonly title: string;
  readonly steps: readonly Step[];
}

export interface RunOrder {
  readonly phases: readonly Phase[];
  /** Failed plans that no stack of the run can fix: the run stops before applying anything. */
  readonly failed: readonly string[];
  /** Deletions that wait for stacks outside the run, with the reason. */
  readonly waiting: readonly { readonly stack: string; readonly reason: string }[];
}

/**
 * The phases of a deploy from the up-front plans of the targeted stacks.
 * `stacks` are all stacks of the output (for dependencies and dependents); `plans` has an entry per targeted stack.
 */
export function deployOrder(stacks: readonly StackNode[], plans: ReadonlyMap<string, PlanState>): RunOrder {
  const levels = stackLevels(stacks);
  const byName = new Map(stacks.map((stack) => [stack.name, stack]));
  const targeted = [...plans.keys()].filter((name) => byName.has(name));
  const levelNumbers = [...new Set(targeted.map((name) => levels.get(name) ?? 0))].sort((a, b) => a - b);
  const inLevel = (level: number) => targeted.filter((name) => (levels.get(name) ?? 0) === level).sort();

  /** Stacks that apply something on the way up, in the order they do. */
  const changing = new Set<string>();
  const failed: string[] = [];
  const waiting: { stack: string; reason: string }[] = [];
  const splitDeletions = new Map<string, boolean>();
  const upPhases: Phase[] = [];

  for (const level of levelNumbers) {
    const steps: Step[] = [];
    for (const name of inLevel(level)) {
      const plan = plans.get(name)!;
      const changedDependencies = byName
        .get(name)!
        .dependencies.filter((dependency) => changing.has(dependency))
        .sort();
      if (plan.kind === 'failed') {
        // A plan that failed before a stack it depends on applied its changes is planned again after them.
        if (changedDependencies.length > 0) {
          steps.push({ kind: 'replan', stack: name, after: changedDependencies });
          changing.add(name);
        } else failed.push(name);
        continue;
      }
      // A plan without changes stays so: its guard passed, and nothing it reads loses anything before it runs.
      if (plan.kind === 'no-changes') continue;
      if (changedDependencies.length > 0) {
        steps.push({ kind: 'replan', stack: name, after: changedDependencies });
        changing.add(name);
        continue;
      }
      const dependents = dependentsOf(stacks, name);
      if (plan.removes && dependents.length > 0) {
        const first = plan.additionTargets.length > 0;
        if (first && plan.moves) steps.push({ kind: 'moves', stack: name });
        if (first) steps.push({ kind: 'additions', stack: name, targets: plan.additionTargets });
        if (first) changing.add(name);
        splitDeletions.set(name, first);
        continue;
      }
      steps.push({ kind: 'apply', stack: name });
      changing.add(name);
    }
    if (steps.length > 0) upPhases.push({ title: level === 0 ? 'destinations' : level === 1 ? 'sources' : `level ${level}`, steps });
  }

  const downPhases: Phase[] = [];
  for (const level of [...levelNumbers].reverse()) {
    const steps: Step[] = [];
    for (const name of inLevel(level)) {
      const replan = splitDeletions.get(name);
      if (replan === undefined) continue;
      const dependents = dependentsOf(stacks, name);
      const outside = dependents.filter((dependent) => !plans.has(dependent));
      if (outside.length > 0) {
        waiting.push({
          stack: name,
          reason:
            `its removals (repositories deleted, registry-policy grants dropped) wait until ${outside.join(', ')} ${outside.length === 1 ? 'stops' : 'stop'} replicating what they remove: ` +
            `deploy ${outside.length === 1 ? 'it' : 'them'} in the same run (npm run deploy -- ${[name, ...outside].join(' ')})`,
        });
        continue;
      }
      steps.push({ kind: 'deletions', stack: name, replan, after: dependents });
    }
    if (steps.length > 0) downPhases.push({ title: level === 0 ? 'destination deletions' : `deletions, level ${level}`, steps });
  }
  if (failed.length > 0) return { phases: [], failed: failed.sort(), waiting: [] };
  return { phases: [...upPhases, ...downPhases], failed: [], waiting };
}

/** The phases of a destroy: down the levels, each stack after every targeted stack that depends on it. */
export function destroyOrder(stacks: readonly StackNode[], targeted: readonly string[]): Phase[] {
  const levels = stackLevels(stacks);
  const levelNumbers = [...new Set(targeted.map((name) => levels.get(name) ?? 0))].sort((a, b) => b - a);
  return levelNumbers.map((level) => ({
    title: level === 0 ? 'destinations' : level === 1 ? 'sources' : `level ${level}`,
    steps: targeted
      .filter((name) => (levels.get(name) ?? 0) === level)
      .sort()
      .map((stack): Step => ({ kind: 'apply', stack })),
  }));
}
