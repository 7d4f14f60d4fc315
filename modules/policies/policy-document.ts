/** IAM policy documents as data. Policies are built as objects and serialized once. */

/** Who a statement is about: IAM principals by ARN, AWS service principals, or an identity provider. */
export type Principal =
  | {
      /** IAM principal ARNs (an account root, a user, a role). */
      readonly AWS: string | readonly string[];
    }
  | {
      /** AWS service principals, e.g. `ecr.amazonaws.com`. */
      readonly Service: string | readonly string[];
    }
  | {
      /** An identity provider (web identity federation, e.g. an IAM OIDC provider's ARN). */
      readonly Federated: string | readonly string[];
    };

/** A statement's `Condition`: operator, then condition key, then value(s). */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;

/** One IAM policy statement, as data. */
export interface PolicyStatement {
  /** The statement id, unique in its policy (added statements may not reuse the project's own). */
  readonly Sid: string;
  /** `Allow` or `Deny`. */
  readonly Effect: 'Allow' | 'Deny';
  /** Who: required in resource policies (key, registry, repository), absent in identity policies. @default - none */
  readonly Principal?: Principal;
  /** The actions, one or a list. */
  readonly Action: string | readonly string[];
  /** The resources; `*` in a key policy means the key itself. @default - none (repository policies) */
  readonly Resource?: string | readonly string[];
  /** Conditions that must hold. @default - none */
  readonly Condition?: ConditionBlock;
}

/** An IAM policy document, as data. */
export interface PolicyDocument {
  /** The policy language version. */
  readonly Version: '2012-10-17';
  /** The policy id. @default - none */
  readonly Id?: string;
  /** The statements, in order. */
  readonly Statement: readonly PolicyStatement[];
}

/** A policy document of `statements` (with an `Id` when given). */
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
