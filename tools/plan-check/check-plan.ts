/**
 * The plan check: what a Terraform plan (`terraform show -json <planfile>`)
 * would lose. Pure functions over the plan JSON, so the same check runs in
 * the deploy engine (cli/deploy/), in `npm run plan-check` on plans made
 * elsewhere (CI, HCP Terraform run tasks) and in tests.
 *
 * Refused unless accepted (findings.ts): deleting or replacing a repository,
 * a key or its alias; narrowing the registry policy (a statement, principal,
 * action or resource no longer granted); dropping replication (a rule, a
 * destination or a filter no longer covered); deleting or replacing the
 * registry scanning configuration. Reported only: a repository the config
 * retires (`removal: destroy` is a `moved` instance deleted at its new
 * address; `removal: retain` a `forget`), a key Terraform forgets, and
 * replication or registry-policy grants dropped for a repository retired in
 * the same registry.
 *
 * The plan is read against its prior state: a stack never applied has
 * nothing to lose and gives no finding, whatever the config was before.
 */
import { PlanFinding, PlanFindingKind, isRefusing } from './findings';
import { PlanResourceChange, TerraformPlanJson } from './plan-json';
import { describeLostGrants, lostGrants, policyGrants } from './policy-grants';
import { droppedPairs, replicationRules } from './replication-pairs';

export interface StackPlan {
  /** The stack name (for a plan file checked on its own: the file's name). */
  readonly stack: string;
  readonly plan: TerraformPlanJson;
}

export interface CheckContext {
  /**
   * Repositories the config retires (`removal`), as `<account>/<region>\t<name>`: replication that stops
   * for them is their retirement, not a loss. The engine adds those of the synthesized output; plans checked
   * together add theirs.
   */
  readonly retiredRepositories?: ReadonlySet<string>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider values, walked defensively
type Json = any;

const constant = (expression: unknown): unknown => (expression as { constant_value?: unknown } | undefined)?.constant_value;

/** The resource's address without its instance key: `aws_ecr_repository.repositories`. */
const resourceAddress = (address: string): string => address.replace(/\[[^\]]*\]$/, '');

/** `<account>/<region>` of a resource: from an ARN in its values, else its provider block and `registry_id`. */
export function registryOf(plan: TerraformPlanJson, change: PlanResourceChange): string {
  const values: Json = change.change.before ?? change.change.after ?? {};
  const arn = /^arn:[^:]+:[^:]+:([^:]*):(\d{12}):/.exec(typeof values.arn === 'string' ? values.arn : '');
  if (arn && arn[1] !== '') return `${arn[2]}/${arn[1]}`;
  const configuration = plan.configuration;
  const key = configuration?.root_module?.resources?.find((resource) => resource.address === resourceAddress(change.address))?.provider_config_key;
  // A moved instance (retired_web) has no resource block: the stack's aliased provider is then the only candidate.
  const providers = Object.entries(configuration?.provider_config ?? {});
  const provider = key !== undefined ? configuration?.provider_config?.[key] : providers.find(([, config]) => config.alias !== undefined)?.[1];
  const region = constant(provider?.expressions?.region);
  const allowed = constant(provider?.expressions?.allowed_account_ids);
  const account = typeof values.registry_id === 'string' ? values.registry_id : Array.isArray(allowed) && typeof allowed[0] === 'string' ? allowed[0] : '?';
  return `${account}/${typeof region === 'string' ? region : '?'}`;
}

const hasPriorState = (plan: TerraformPlanJson): boolean => {
  const module = plan.prior_state?.values?.root_module;
  const count = (node: typeof module): number =>
    (node?.resources?.filter((resource) => resource.mode !== 'data').length ?? 0) + (node?.child_modules ?? []).reduce((sum, child) => sum + count(child), 0);
  return count(module) > 0;
};

interface ChangeShape {
  readonly deletes: boolean;
  readonly replaces: boolean;
  readonly forgets: boolean;
  readonly updates: boolean;
}

function shapeOf(change: PlanResourceChange): ChangeShape {
  const actions = change.change.actions;
  const deletes = actions.includes('delete');
  return { deletes, replaces: deletes && actions.includes('create'), forgets: actions.includes('forget'), updates: actions.includes('update') };
}

/** The attributes that force a replacement, for the message: `replaced (encryption_configuration)`. */
function replacedWhat(change: PlanResourceChange): string {
  const paths = (change.change.replace_paths ?? []).map((path) => String(path[0])).filter((name, index, all) => all.indexOf(name) === index);
  return paths.length > 0 ? `replaced (${paths.sort().join(', ')} changed)` : 'replaced';
}

/** A `removal` retirement: the instance was moved out of the for_each (`previous_address`) and is deleted or forgotten at its new address. */
const isRetirement = (change: PlanResourceChange): boolean => change.previous_address !== undefined && change.previous_address !== change.address;

function finding(stack: string, registry: string, change: PlanResourceChange, kind: PlanFindingKind, subject: string, what: string): PlanFinding {
  return { kind, stack, registry, address: change.address, subject, what, refused: isRefusing(kind) };
}

function resourceFindings(stack: string, plan: TerraformPlanJson, change: PlanResourceChange, context: CheckContext): PlanFinding[] {
  const shape = shapeOf(change);
  const before: Json = change.change.before ?? {};
  const after: Json = change.change.after ?? {};
  const registry = registryOf(plan, change);
  const make = (kind: PlanFindingKind, subject: string, what: string) => [finding(stack, registry, change, kind, subject, what)];
  switch (change.type) {
    case 'aws_ecr_repository': {
      const subject = `repository ${before.name ?? change.index ?? change.address}`;
      if (shape.replaces) return make('repository-replaced', subject, replacedWhat(change));
      // Retired with removal: destroy. After its move was applied (an interrupted run, or the engine's moves-first
      // step), the instance has no resource block left: the config's retirements say it is still intended.
      const retired =
        isRetirement(change) ||
        (change.action_reason === 'delete_because_no_resource_config' && (context.retiredRepositories?.has(`${registry}\t${before.name}`) ?? false));
      if (shape.deletes) return retired ? make('repository-destroyed', subject, 'destroyed') : make('repository-deleted', subject, 'deleted');
      if (shape.forgets) return make('repository-retained', subject, 'kept in AWS, forgotten by Terraform');
      return [];
    }
    case 'aws_kms_key': {
      const subject = `key ${before.arn ?? change.address}`;
      if (shape.replaces) return make('key-replaced', subject, replacedWhat(change));
      if (shape.deletes) return make('key-deleted', subject, 'scheduled for deletion');
      if (shape.forgets) return make('key-forgotten', subject, 'kept in AWS, forgotten by Terraform');
      return [];
    }
    case 'aws_kms_alias': {
      const subject = `alias ${before.name ?? change.address}`;
      if (shape.replaces) return make('alias-replaced', subject, replacedWhat(change));
      if (shape.deletes) return make('alias-deleted', subject, 'deleted');
      return [];
    }
    case 'aws_ecr_registry_policy': {
      if (shape.deletes && !shape.replaces) return make('registry-policy-deleted', 'registry policy', 'deleted');
      if (!shape.updates && !shape.replaces) return [];
      // A policy known only after apply cannot be compared; the project's registry policy is always known at plan time.
      if ((change.change.after_unknown as Json)?.policy === true) return [];
      // A grant on `repository/<name>*` of a repository retired in this registry goes with its retirement.
      const retired = context.retiredRepositories ?? new Set<string>();
      const lost = lostGrants(policyGrants(before.policy), policyGrants(after.policy)).filter(
        (grant) => !retired.has(`${registry}\t${/:repository\/(.+)\*$/.exec(grant.resource)?.[1] ?? ''}`),
      );
      return describeLostGrants(lost).flatMap((lost) => make('registry-policy-narrowed', 'registry policy', `stops granting: ${lost}`));
    }
    case 'aws_ecr_replication_configuration': {
      if (!shape.deletes && !shape.updates) return [];
      const retired = context.retiredRepositories ?? new Set<string>();
      const dropped = droppedPairs(replicationRules(before), shape.deletes && !shape.replaces ? [] : replicationRules(after)).filter(
        (pair) => !retired.has(`${registry}\t${pair.filter}`),
      );
      const byDestination = new Map<string, string[]>();
      for (const pair of dropped) byDestination.set(pair.destination, [...(byDestination.get(pair.destination) ?? []), pair.filter === '' ? '*' : pair.filter]);
      const kind: PlanFindingKind = shape.deletes && !shape.replaces ? 'replication-deleted' : 'replication-narrowed';
      return [...byDestination.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .flatMap(([destination, filters]) => make(kind, 'replication configuration', `stops replicating ${[...filters].sort().join(', ')} to ${destination}`));
    }
    case 'aws_ecr_registry_scanning_configuration': {
      if (shape.replaces) return make('scanning-replaced', 'registry scanning configuration', replacedWhat(change));
      if (shape.deletes) return make('scanning-deleted', 'registry scanning configuration', 'deleted');
      return [];
    }
    default:
      return [];
  }
}

/** `<account>/<region>\t<name>` of every repository a plan retires through `removal`. */
export function retiredRepositoriesOf(plan: TerraformPlanJson): string[] {
  return (plan.resource_changes ?? [])
    .filter((change) => change.type === 'aws_ecr_repository' && isRetirement(change))
    .filter((change) => change.change.actions.includes('delete') || change.change.actions.includes('forget'))
    .map((change) => `${registryOf(plan, change)}\t${(change.change.before as Json)?.name ?? ''}`);
}

/** The findings of one stack's plan. */
export function checkStackPlan(stackPlan: StackPlan, context: CheckContext = {}): PlanFinding[] {
  const { stack, plan } = stackPlan;
  if (!hasPriorState(plan)) return [];
  return (plan.resource_changes ?? []).filter((change) => change.mode !== 'data').flatMap((change) => resourceFindings(stack, plan, change, context));
}

/** The findings of plans checked together (one run, or the plan files of one pipeline): retirements in one count for all. */
export function checkPlans(plans: readonly StackPlan[], context: CheckContext = {}): PlanFinding[] {
  const retired = retiredAcross(
    plans.map((stackPlan) => stackPlan.plan),
    context.retiredRepositories,
  );
  return plans.flatMap((stackPlan) => checkStackPlan(stackPlan, { retiredRepositories: retired }));
}

/** The repositories retired by any of `plans` (`removal: retain | destroy`), with those already known. */
export function retiredAcross(plans: readonly TerraformPlanJson[], known: Iterable<string> = []): Set<string> {
  return new Set([...known, ...plans.flatMap(retiredRepositoriesOf)]);
}
