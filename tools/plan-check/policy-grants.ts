/**
 * Grants of an IAM-style policy document as comparable tuples, to tell
 * whether a new registry policy still grants everything the old one did.
 * A grant is one principal × action × resource of an `Allow` statement, with
 * its condition; a tuple of the old policy missing from the new one is a
 * narrowing. Denies are not compared: the project's registry policy has none.
 */

import { withSortedKeys } from '../sorted-json';

export interface Grant {
  /** `Sid`, or `#<index>` for a statement without one. */
  readonly statement: string;
  /** `AWS:arn:aws:iam::111111111111:root`, `Service:ecr.amazonaws.com`, `*` */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Canonical JSON of the condition block, `""` without one. */
  readonly condition: string;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)]);

function principals(principal: unknown): string[] {
  if (principal === '*') return ['*'];
  if (principal === null || typeof principal !== 'object') return list(principal);
  return Object.entries(principal as Record<string, unknown>).flatMap(([kind, values]) => list(values).map((value) => `${kind}:${value}`));
}

/** The grants of a policy document (a JSON string or an object); an unreadable document has none. */
export function policyGrants(document: unknown): Grant[] {
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch {
      return [];
    }
  }
  const statements = (parsed as { Statement?: unknown } | null)?.Statement;
  return (Array.isArray(statements) ? statements : statements ? [statements] : []).flatMap((statement: Record<string, unknown>, index: number) => {
    if (statement?.Effect !== 'Allow') return [];
    const name = typeof statement.Sid === 'string' && statement.Sid !== '' ? statement.Sid : `#${index}`;
    const condition = statement.Condition === undefined ? '' : JSON.stringify(withSortedKeys(statement.Condition, { sortArrays: true }));
    return principals(statement.Principal).flatMap((principal) =>
      list(statement.Action).flatMap((action) => list(statement.Resource).map((resource) => ({ statement: name, principal, action, resource, condition }))),
    );
  });
}

const key = (grant: Grant): string => [grant.principal, grant.action, grant.resource, grant.condition].join('\n');

/** Grants of `before` that `after` no longer gives (whatever statement gives them now). */
export function lostGrants(before: readonly Grant[], after: readonly Grant[]): Grant[] {
  const kept = new Set(after.map(key));
  return before.filter((grant) => !kept.has(key(grant)));
}

/** `statement ReplicateFromBuild: AWS:arn:...:root loses ecr:CreateRepository, ecr:ReplicateImage on arn:...:repository/web*`, one per principal and resource. */
export function describeLostGrants(lost: readonly Grant[]): string[] {
  const grouped = new Map<string, Set<string>>();
  for (const grant of lost) {
    const group = `statement ${grant.statement}: ${grant.principal} loses %s on ${grant.resource}${grant.condition ? ` (condition ${grant.condition})` : ''}`;
    grouped.set(group, (grouped.get(group) ?? new Set()).add(grant.action));
  }
  return [...grouped.entries()].map(([group, actions]) => group.replace('%s', [...actions].sort().join(', '))).sort();
}
