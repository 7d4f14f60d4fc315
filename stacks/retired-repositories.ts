/**
 * Repositories taken out of the config with `removal`. Terraform's `removed`
 * block cannot name one instance of a `for_each` resource (Terraform 1.11:
 * "Resource instance keys not allowed"), and repositories are one for_each
 * resource. So each retired instance is first moved to an address of its own
 * (`moved`, from `aws_ecr_repository.repositories["web"]` to
 * `aws_ecr_repository.retired_web`), and that address is removed:
 *
 * - `removal: retain`: `removed { lifecycle { destroy = false } }` for the
 *   repository, its lifecycle policy and its repository policy: Terraform
 *   forgets them and AWS keeps them, images included;
 * - `removal: destroy`: `removed { lifecycle { destroy = true } }` for the
 *   repository: Terraform destroys it (ECR refuses while it holds images).
 *
 * Both are no-ops once applied, or where the instance never existed, so the
 * blocks stay correct as long as the config keeps the entry. The addresses
 * of managed repositories do not change.
 */
import { createHash } from 'node:crypto';
import { TerraformStack } from 'cdktf';
import { RetiredRepository } from '../config/deployment-plan';

/** The `for_each` resources (`<type>.<name>`) that hold a repository and its policies. */
export interface RepositoryResources {
  readonly repository: string;
  readonly lifecyclePolicy: string;
  readonly repositoryPolicy: string;
}

/** `retired_team-a_api`: a resource name of its own for a retired repository (a hash suffix only when two names collide). */
export function retiredResourceName(name: string, taken: ReadonlySet<string> = new Set()): string {
  const readable = `retired_${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return taken.has(readable) ? `${readable}_${createHash('sha256').update(name).digest('hex').slice(0, 8)}` : readable;
}

const typeOf = (address: string): string => address.split('.')[0];

/** Adds the `moved` and `removed` blocks for the retired repositories of a stack. */
export function retireRepositories(stack: TerraformStack, resources: RepositoryResources, retired: readonly RetiredRepository[]): void {
  if (retired.length === 0) return;
  const moved: { from: string; to: string }[] = [];
  const removed: { from: string; lifecycle: { destroy: boolean } }[] = [];
  const taken = new Set<string>();
  for (const { name, removal } of [...retired].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const resourceName = retiredResourceName(name, taken);
    taken.add(resourceName);
    const addresses = removal === 'retain' ? [resources.repository, resources.lifecyclePolicy, resources.repositoryPolicy] : [resources.repository];
    for (const address of addresses) {
      const to = `${typeOf(address)}.${resourceName}`;
      moved.push({ from: `${address}[${JSON.stringify(name)}]`, to });
      removed.push({ from: to, lifecycle: { destroy: removal === 'destroy' } });
    }
  }
  stack.addOverride('moved', moved);
  stack.addOverride('removed', removed);
}
