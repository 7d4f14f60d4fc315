/**
 * `npm run plan-check -- <plan.json>...`: the deploy engine's plan check on
 * plans made elsewhere (a CI job's `terraform show -json plan.out`, an HCP
 * Terraform run task's plan JSON). One file per stack; the stack is named by
 * its file (`ecr-source-build-us-east-1.json`). Plans are checked together,
 * so a repository retired in one counts for the replication of the others.
 *
 * Exit status: 0 nothing refused (or accepted by its token), 1 refused,
 * 2 usage error or unreadable input.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { checkPlans, StackPlan } from './check-plan';
import { ACCEPT_VARIABLE, acceptedTokens, decide, describeFinding, findingId } from './findings';
import { TerraformPlanJson } from './plan-json';

export interface PlanCheckStreams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const PLAN_CHECK_EXIT = { ok: 0, refused: 1, usage: 2 } as const;

/** The stack a plan file stands for: its name without `.json` (and a `.plan`/`.tfplan` before it). */
export function stackOfFile(file: string): string {
  return path
    .basename(file)
    .replace(/\.json$/i, '')
    .replace(/\.(tf)?plan$/i, '');
}

function readPlan(file: string, cwd: string): StackPlan {
  const text = readFileSync(path.resolve(cwd, file), 'utf8');
  const plan = JSON.parse(text) as TerraformPlanJson;
  if (plan === null || typeof plan !== 'object' || Array.isArray(plan) || (plan.resource_changes === undefined && plan.format_version === undefined)) {
    throw new Error('not the JSON of terraform show -json <planfile> (no format_version, no resource_changes)');
  }
  return { stack: stackOfFile(file), plan };
}

export function runPlanCheck(args: readonly string[], environment: NodeJS.ProcessEnv, streams: PlanCheckStreams, cwd: string = process.cwd()): number {
  const program = new Command('npm run plan-check --')
    .description(
      'Checks Terraform plans (terraform show -json) for what they would lose: repositories, keys, aliases, registry-policy grants, replication, scanning (README: Changing and retiring).',
    )
    .argument('<plan.json...>', 'the JSON of terraform show -json <planfile>, one file per stack, named after the stack')
    .option('--json', 'print the findings as JSON')
    .option(
      '--accept <token>',
      `accept the refused findings this token names (same as ${ACCEPT_VARIABLE})`,
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addHelpText('after', '\nExit status: 0 nothing refused (or accepted), 1 refused, 2 usage error or unreadable input.')
    .exitOverride()
    .configureOutput({ writeOut: streams.stdout, writeErr: streams.stderr });
  try {
    program.parse([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? PLAN_CHECK_EXIT.ok : PLAN_CHECK_EXIT.usage;
    throw error;
  }
  const options = program.opts<{ json?: boolean; accept: string[] }>();
  const plans: StackPlan[] = [];
  for (const file of program.args) {
    try {
      plans.push(readPlan(file, cwd));
    } catch (error) {
      streams.stderr(
        `plan-check: ${file} (received a file that cannot be read as a plan): ${(error as { message?: string }).message ?? String(error)}; give the output of terraform show -json <planfile>\n`,
      );
      return PLAN_CHECK_EXIT.usage;
    }
  }
  const findings = checkPlans(plans);
  const decision = decide(findings, acceptedTokens([...options.accept, environment[ACCEPT_VARIABLE]]));
  if (options.json) {
    const accepted = new Set(decision.refused ? [] : decision.refusing.map(findingId));
    streams.stdout(
      `${JSON.stringify(
        {
          refused: decision.refused,
          token: decision.token ?? null,
          findings: findings.map((finding) => ({ ...finding, accepted: accepted.has(findingId(finding)), message: describeFinding(finding) })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const lines = findings.length === 0 ? [`plan-check: ${plans.length} plan${plans.length === 1 ? '' : 's'}: nothing lost`] : [];
    for (const finding of [...findings.filter((item) => item.refused), ...findings.filter((item) => !item.refused)]) {
      lines.push(`${finding.refused ? (decision.refused ? 'REFUSED: ' : 'accepted: ') : ''}${describeFinding(finding)}`);
    }
    if (decision.refused) lines.push(`refused: accept exactly these changes with --accept ${decision.token} (or ${ACCEPT_VARIABLE}=${decision.token})`);
    streams.stdout(`${lines.join('\n')}\n`);
  }
  return decision.refused ? PLAN_CHECK_EXIT.refused : PLAN_CHECK_EXIT.ok;
}
