/**
 * The plan-time guard of a source stack: before the replication configuration
 * is planned, every repository it replicates must exist in every destination,
 * encrypted with KMS under that destination's customer-managed key. Otherwise
 * the first push would create AES256-encrypted replicas (seeds 000 and 002).
 */
import { Precondition, TerraformIterator, TerraformRemoteState, Token } from 'cdktf';

export interface GuardedDestination {
  readonly stackName: string;
  /** Reads the destination stack's outputs. */
  readonly state: TerraformRemoteState;
}

export function destinationNotReadyMessage(stackName: string): string {
  return (
    `Destination stack ${stackName} has not been applied, or one of its repositories is missing or not encrypted with its ` +
    `customer-managed KMS key. Apply it first (cdktf deploy ${stackName}), then plan this stack again.`
  );
}

/** `alltrue([for name in <names> : try(<the repository is KMS-encrypted with the destination key>, false)])` */
export function destinationReadyPrecondition(destination: GuardedDestination, repositoryNames: readonly string[]): Precondition {
  const repositories = destination.state.get('repositories');
  const keyArn = destination.state.get('kms_key_arn');
  const names = TerraformIterator.fromList([...repositoryNames].sort());
  const checks = names.forExpressionForList(
    `try(${repositories}[val].encryption_type == "KMS" && ${repositories}[val].kms_key == ${keyArn} && startswith(${keyArn}, "arn:"), false)`,
  );
  return {
    condition: Token.asString(`\${alltrue(${Token.asString(checks)})}`),
    errorMessage: destinationNotReadyMessage(destination.stackName),
  };
}
