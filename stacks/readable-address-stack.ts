/**
 * A TerraformStack whose Terraform addresses read well and never change by
 * accident: construct ids below the stack joined with "_", a construct's main
 * resource (id `Resource`) taking the construct's id alone. So
 * `aws_kms_key.kms_key`, `aws_kms_alias.kms_key_alias`,
 * `aws_ecr_repository.repositories["team-a/api"]`: no hashes.
 * Addresses are state: renaming a construct id moves or replaces resources.
 */
import { Node } from 'constructs';
import { TerraformElement, TerraformStack } from 'cdktf';

/** The construct id of a construct's main resource. */
export const MAIN_RESOURCE_ID = 'Resource';

export class ReadableAddressStack extends TerraformStack {
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof Node ? element : element.node;
    const scopes = node.scopes;
    const ids = scopes.slice(scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    const parts = ids.length > 1 && ids[ids.length - 1] === MAIN_RESOURCE_ID ? ids.slice(0, -1) : ids;
    return parts.join('_').replace(/[^A-Za-z0-9_-]/g, '_');
  }
}
