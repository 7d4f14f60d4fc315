/**
 * What happens to a repository that leaves a construct. Terraform destroys
 * whatever leaves its configuration, and a destroyed repository loses its
 * images, so nothing leaves silently:
 *
 * - a repository taken out is named (`removedRepositories`) with its removal
 *   policy: RETAIN writes `removed { lifecycle { destroy = false } }` (Terraform
 *   forgets it, AWS keeps it and its images), DESTROY writes
 *   `removed { lifecycle { destroy = true } }` (ECR refuses while it holds
 *   images);
 * - under RETAIN the managed repositories carry `prevent_destroy`, so one
 *   dropped from the list without being named fails the plan with Terraform's
 *   own "Instance cannot be destroyed" instead of being deleted.
 *
 * A `removed` block cannot name one instance of a `for_each` resource
 * (Terraform 1.11: "Resource instance keys not allowed"), so each instance is
 * first moved to an address of its own (`moved` from
 * `aws_ecr_repository.repositories["web"]` to `aws_ecr_repository.retired_web`),
 * and that address is removed. Moved-then-removed is accepted from Terraform
 * 1.7 on; both blocks are no-ops once applied, or where the instance never
 * existed, so they stay correct for as long as the name is listed.
 */
import { createHash } from 'node:crypto';
import { TerraformResource, TerraformStack } from 'cdktf';

/** What becomes of a repository when it leaves the construct (aws-cdk's `RemovalPolicy`, for Terraform). */
export enum RemovalPolicy {
  /** Terraform forgets the repository; AWS keeps it and its images. The managed repositories carry `prevent_destroy`. */
  RETAIN = 'retain',
  /** Terraform destroys the repository; ECR refuses while it holds images (no `force_delete` unless the construct sets it). */
  DESTROY = 'destroy',
}

/** One instance of a `for_each` resource that leaves the configuration. */
interface RetiredInstance {
  /** The `for_each` resources that hold it (a repository, its lifecycle policy, its repository policy). */
  readonly resources: readonly TerraformResource[];
  /** The instance's `for_each` key (the repository name). */
  readonly key: string;
  /** The resource name of its own address (`retired_web`). */
  readonly resourceName: string;
  readonly destroy: boolean;
}

/**
 * Every retired instance of one stack, written as one `moved` and one
 * `removed` list (stack overrides, after the resources; cdktf's own `moved`
 * blocks, from `moveTo`, are kept before them).
 */
class StackRetirements {
  private readonly moved: object[] = [];
  private readonly removed: object[] = [];
  /** Resource names given out in this stack, so two retirements never share an address. */
  readonly taken = new Set<string>();

  constructor(private readonly stack: TerraformStack) {}

  add(instance: RetiredInstance): void {
    for (const resource of instance.resources) {
      const to = `${resource.terraformResourceType}.${instance.resourceName}`;
      this.moved.push({ from: `${addressOf(resource)}[${JSON.stringify(instance.key)}]`, to });
      this.removed.push({ from: to, lifecycle: { destroy: instance.destroy } });
    }
    this.stack.addOverride('moved', [...this.moved]);
    this.stack.addOverride('removed', [...this.removed]);
  }
}

const retirements = new WeakMap<TerraformStack, StackRetirements>();

/** `aws_ecr_repository.repositories`: a resource's address in its stack. */
function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/**
 * `retired_team-a_api`: a resource name of its own for a retired instance,
 * readable; with a hash suffix only when another retirement of the stack took
 * the readable name (`team-a/api` and `team-a_api`, or one name retired by two
 * constructs).
 */
function retiredResourceName(key: string, owner: string, taken: ReadonlySet<string>): string {
  const readable = `retired_${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  if (!taken.has(readable)) return readable;
  const byKey = `${readable}_${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
  if (!taken.has(byKey)) return byKey;
  return `${readable}_${createHash('sha256').update(`${owner}\0${key}`).digest('hex').slice(0, 8)}`;
}

/**
 * Moves each named instance of the `for_each` resources out to an address of
 * its own and removes it there, forgetting (RETAIN) or destroying (DESTROY)
 * it. The first resource is the one whose policy applies: under DESTROY only
 * it is destroyed, and the others (policies attached to it) go with it.
 */
export function retireInstances(
  owner: TerraformResource,
  dependents: readonly TerraformResource[],
  retired: readonly { readonly key: string; readonly removalPolicy: RemovalPolicy }[],
): void {
  if (retired.length === 0) return;
  const stack = TerraformStack.of(owner);
  let stackRetirements = retirements.get(stack);
  if (stackRetirements === undefined) {
    stackRetirements = new StackRetirements(stack);
    retirements.set(stack, stackRetirements);
  }
  for (const { key, removalPolicy } of [...retired].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const resourceName = retiredResourceName(key, owner.node.path, stackRetirements.taken);
    stackRetirements.taken.add(resourceName);
    const retain = removalPolicy === RemovalPolicy.RETAIN;
    stackRetirements.add({ resources: retain ? [owner, ...dependents] : [owner], key, resourceName, destroy: !retain });
  }
}
