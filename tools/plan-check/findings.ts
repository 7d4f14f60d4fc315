/**
 * What the plan check reports: one finding per thing a plan would lose or
 * take out of management, each naming the stack, the registry
 * (`account/region`), the Terraform address and what happens. Findings that
 * lose data or access are refused unless accepted by a token bound to exactly
 * that set of findings (`ECR_REPLICATION_ACCEPT=<token>`, or `--accept`):
 * accepting one change set never accepts another.
 */
import { createHash } from 'node:crypto';

/** Environment variable (and `--accept` value) that accepts a refused set of findings. */
export const ACCEPT_VARIABLE = 'ECR_REPLICATION_ACCEPT';

export type PlanFindingKind =
  | 'repository-deleted'
  | 'repository-replaced'
  | 'repository-destroyed'
  | 'repository-retained'
  | 'key-deleted'
  | 'key-replaced'
  | 'key-forgotten'
  | 'alias-deleted'
  | 'alias-replaced'
  | 'registry-policy-deleted'
  | 'registry-policy-narrowed'
  | 'replication-deleted'
  | 'replication-narrowed'
  | 'scanning-deleted'
  | 'scanning-replaced';

/** Kinds reported but never refused: the config asked for them (`removal: destroy`, `removal: retain`) or nothing is lost in AWS. */
const REPORTED_ONLY: ReadonlySet<PlanFindingKind> = new Set(['repository-destroyed', 'repository-retained', 'key-forgotten']);

export interface PlanFinding {
  readonly kind: PlanFindingKind;
  /** The stack (for a standalone plan file: the file's name). */
  readonly stack: string;
  /** `<account id>/<region>`, or `?` parts when the plan does not say. */
  readonly registry: string;
  /** The Terraform address, e.g. `aws_ecr_repository.repositories["web"]`. */
  readonly address: string;
  /** What is affected: `repository web`, `key arn:aws:kms:...`, `alias alias/x`, `registry policy`, ... */
  readonly subject: string;
  /** What happens, stable for the token: `deleted`, `replaced (encryption_configuration)`, `stops replicating web to 2222/eu-west-1`. */
  readonly what: string;
  /** True when the finding loses data or access and needs acceptance. */
  readonly refused: boolean;
}

export function isRefusing(kind: PlanFindingKind): boolean {
  return !REPORTED_ONLY.has(kind);
}

/** The identity of a finding inside a token: stack, address and what happens. */
export function findingId(finding: PlanFinding): string {
  return `${finding.stack}\t${finding.address}\t${finding.kind}\t${finding.what}`;
}

/** The token that accepts exactly this set of refusing findings; undefined when nothing refuses. */
export function acceptToken(findings: readonly PlanFinding[]): string | undefined {
  const ids = [...new Set(findings.filter((finding) => finding.refused).map(findingId))].sort();
  if (ids.length === 0) return undefined;
  return createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 12);
}

/** Tokens given by the user: `--accept` values and ECR_REPLICATION_ACCEPT, comma- or space-separated. */
export function acceptedTokens(values: readonly (string | undefined)[]): string[] {
  return values.flatMap((value) => (value ?? '').split(/[\s,]+/)).filter((token) => token !== '');
}

const WHY: Partial<Record<PlanFindingKind, string>> = {
  'repository-deleted':
    'its images are deleted with it; to keep it and its images but stop managing it, put it back in the config with removal: retain; to delete it, with removal: destroy',
  'repository-replaced': 'the repository and its images are deleted first (ECR encryption cannot change after creation)',
  'repository-destroyed': 'removal: destroy; ECR refuses while it holds images',
  'repository-retained': "removal: retain; it and its images stay in AWS, outside Terraform's management",
  'key-deleted': 'every image it encrypts becomes unreadable once its deletion window ends',
  'key-replaced': 'the old key is scheduled for deletion, and every image it encrypts becomes unreadable once its deletion window ends',
  'key-forgotten': "it stays in AWS, outside Terraform's management",
  'alias-deleted': 'the guard and the tools find the key by its alias',
  'alias-replaced': 'the guard and the tools find the key by its alias',
  'registry-policy-deleted': 'sources of other accounts can no longer replicate into this registry',
  'registry-policy-narrowed': 'replication from that principal into those repositories fails',
  'replication-deleted': 'no image pushed from now on is replicated',
  'replication-narrowed': 'images pushed from now on are no longer replicated there',
  'scanning-deleted': 'repositories are no longer scanned by the registry rules',
  'scanning-replaced': 'the registry has one scanning configuration: replacing it drops the current rules first',
};

/** One line for a finding: what, where (registry and stack), and why it matters. */
export function describeFinding(finding: PlanFinding): string {
  const why = WHY[finding.kind];
  return `${finding.subject} ${finding.what} in registry ${finding.registry} (stack ${finding.stack}, ${finding.address})${why ? `: ${why}` : ''}`;
}

export interface PlanCheckDecision {
  /** The findings that need acceptance. */
  readonly refusing: readonly PlanFinding[];
  /** The token that accepts exactly them (undefined when none refuses). */
  readonly token?: string;
  /** True when something refuses and its token was not given. */
  readonly refused: boolean;
}

/** Whether a set of findings goes ahead with the tokens given. */
export function decide(findings: readonly PlanFinding[], tokens: readonly string[]): PlanCheckDecision {
  const refusing = findings.filter((finding) => finding.refused);
  const token = acceptToken(refusing);
  return { refusing, token, refused: token !== undefined && !tokens.includes(token) };
}
