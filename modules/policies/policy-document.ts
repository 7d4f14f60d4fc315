/** IAM policy documents as data. Policies are built as objects and serialized once. */

export type Principal =
  | { readonly AWS: string | readonly string[] }
  | { readonly Service: string | readonly string[] }
  /** An identity provider (web identity federation, e.g. an IAM OIDC provider's ARN). */
  | { readonly Federated: string | readonly string[] };

export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Id?: string;
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(statements: readonly PolicyStatement[], id?: string): PolicyDocument {
  return id === undefined ? { Version: '2012-10-17', Statement: statements } : { Version: '2012-10-17', Id: id, Statement: statements };
}

/**
 * The project's statements followed by a caller's: a policy is one document, so an added statement whose
 * Sid the document already uses is refused (`what` names the policy in the message).
 */
export function withAddedStatements(what: string, own: readonly PolicyStatement[], added: readonly PolicyStatement[] = []): PolicyStatement[] {
  const sids = new Set(own.map((statement) => statement.Sid));
  for (const statement of added) {
    if (sids.has(statement.Sid))
      throw new Error(`${what}: an added statement uses the Sid "${statement.Sid}", which the policy already has: choose another Sid`);
    sids.add(statement.Sid);
  }
  return [...own, ...added];
}

/** Sorted and de-duplicated, so the same inputs give the same policy bytes. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Serializes a policy; tokens inside strings survive and resolve at synth. */
export function renderPolicy(document: PolicyDocument): string {
  return JSON.stringify(document);
}
