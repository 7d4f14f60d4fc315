/**
 * A TerraformStack whose Terraform addresses read well and never change by
 * accident: construct ids below the stack joined with "_", a construct's main
 * resource (id `Resource`) taking the construct's id alone. So
 * `aws_kms_key.kms_key`, `aws_kms_alias.kms_key_alias`,
 * `aws_ecr_repository.repositories["team-a/api"]`: no hashes.
 * Addresses are state: renaming a construct id moves or replaces resources.
 *
 * Two constructs whose ids join to the same name (`a_b` and `a/b`) would
 * share an address and one would vanish from the output: that fails.
 */
import { Node } from 'constructs';
import { TerraformElement, TerraformStack } from 'cdktf';

/** The construct id of a construct's main resource. */
export const MAIN_RESOURCE_ID = 'Resource';

export class ReadableAddressStack extends TerraformStack {
  /** Logical id -> construct path of the element that took it. */
  private readonly allocatedIds = new Map<string, string>();

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof Node ? element : element.node;
    const scopes = node.scopes;
    const ids = scopes.slice(scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    const parts = ids.length > 1 && ids[ids.length - 1] === MAIN_RESOURCE_ID ? ids.slice(0, -1) : ids;
    const logicalId = parts.join('_').replace(/[^A-Za-z0-9_-]/g, '_');
    // Elements of different kinds (a resource and a data source, an output) live in different namespaces.
    const kind = element instanceof Node ? 'node' : (element.constructor as { name: string }).name;
    const key = `${kind}:${(element as { terraformResourceType?: string }).terraformResourceType ?? ''}:${logicalId}`;
    const path = node.path;
    const taken = this.allocatedIds.get(key);
    if (taken !== undefined && taken !== path) {
      throw new Error(
        `Terraform address collision in stack ${this.node.id}: "${taken}" and "${path}" both become "${logicalId}": ` +
          'rename one of the construct ids (ids are joined with "_" and other characters become "_")',
      );
    }
    this.allocatedIds.set(key, path);
    return logicalId;
  }
}
