/** Pieces several modules share. */
import { quoteLiteral } from '../../hcl/hcl-writer';

/** A list of strings as an HCL tuple literal, for conditions. */
export function hclStringList(values: readonly string[]): string {
  return `[${values.map(quoteLiteral).join(', ')}]`;
}
