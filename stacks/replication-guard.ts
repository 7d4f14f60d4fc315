/**
 * The plan-time guard of a source stack: before the replication configuration
 * is planned, every repository it replicates must exist in every destination,
 * encrypted with KMS under that destination's customer-managed key. Otherwise
 * the first push would create AES256-encrypted replicas (seeds 000 and 002).
 */
import { Precondition, TerraformIterator, Token } from 'cdktf';

export interface GuardedDestination {
  readonly stackName: string;
  /** Terraform expression for the destination stack's outputs object (null when it has no state yet). */
  readonly outputs: string;
}

export function destinationNotReadyMessage(stackName: string): string {
  return (
    `Destination stack ${stackName} has not been applied, or one of its repositories is missing or not encrypted with its ` +
    `customer-managed KMS key. Apply it first (cdktf deploy ${stackName}), then plan this stack again.`
  );
}

/** `alltrue([for name in <names> : try(<the repository is KMS-encrypted with the destination key>, false)])` */
export function destinationReadyPrecondition(destination: GuardedDestination, repositoryNames: readonly string[]): Precondition {
  const repositories = `${destination.outputs}.repositories`;
  const keyArn = `${destination.outputs}.kms_key_arn`;
  const names = TerraformIterator.fromList([...repositoryNames].sort());
  const checks = names.forExpressionForList(
    `try(${repositories}[val].encryption_type == "KMS" && ${repositories}[val].kms_key == ${keyArn} && startswith(${keyArn}, "arn:"), false)`,
  );
  return {
    condition: Token.asString(`\${alltrue(${Token.asString(checks)})}`),
    errorMessage: destinationNotReadyMessage(destination.stackName),
  };
}
