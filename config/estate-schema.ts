/**
 * The estate part of the config: namespaces (repository-name prefixes that
 * replicate as one filter, repositories created later included), their
 * creation-template settings, and an opt-in customer-managed key per
 * namespace. schema.ts passes in the field schemas it shares (principal
 * lists, the lifecycle policy) so the two files do not import each other.
 */
import { z } from 'zod';
import { expects, rule } from './messages';
import { NAMESPACE_LENGTH, NAMESPACE_PATTERN, NAMESPACE_RULES } from '../modules/ecr/namespaces';

/** The schemas schema.ts shares with this file. */
export interface SharedFieldSchemas {
  readonly principalList: (who: string) => z.ZodType<string[]>;
  readonly keyAlias: z.ZodType<string>;
  readonly lifecyclePolicy: z.ZodType;
}

export const NamespaceName = z
  .string(expects('a namespace: a repository-name prefix ending in "/", e.g. team-a/'))
  .min(NAMESPACE_LENGTH.min, rule(NAMESPACE_RULES.length))
  .max(NAMESPACE_LENGTH.max, rule(NAMESPACE_RULES.length))
  .regex(NAMESPACE_PATTERN, rule(NAMESPACE_RULES.pattern));

/** Builds the estate schemas from the shared field schemas. */
export function estateSchemas(shared: SharedFieldSchemas) {
  const NamespaceKeySchema = z.strictObject(
    {
      /** The key's alias in every registry. @default <keys.alias>/<namespace without the final "/"> */
      alias: shared.keyAlias
        .meta({ description: 'Alias of the namespace key in every registry. Default: <keys.alias>/<namespace without the final "/">' })
        .optional(),
      /**
       * Principals that administer the namespace's keys; each registry's key names those of its own account.
       * @default []
       */
      administrators: shared.principalList('that administer the namespace keys').default([]),
      /**
       * Principals that use the namespace's keys through ECR; each registry's key names those of its own account,
       * and no other key names them.
       * @default []
       */
      users: shared.principalList('that use the namespace keys through ECR').default([]),
    },
    expects('a namespace key: a mapping with optional alias, administrators and users'),
  );

  const NamespaceSchema = z.strictObject(
    {
      /** The namespace, e.g. team-a/: a repository-name prefix ending in "/". */
      prefix: NamespaceName.meta({ description: 'The namespace: a repository-name prefix ending in "/", 2 to 255 characters, e.g. team-a/' }),
      /** Tag mutability of repositories the destinations' creation templates create here. @default IMMUTABLE */
      imageTagMutability: z
        .enum(['IMMUTABLE', 'MUTABLE'], expects('IMMUTABLE or MUTABLE (upper case)'))
        .meta({ description: 'Tag mutability of repositories the creation templates create in this namespace. Default: IMMUTABLE' })
        .default('IMMUTABLE'),
      /** Lifecycle policy of repositories the creation templates create here. @default - none */
      lifecyclePolicy: shared.lifecyclePolicy.optional(),
      /** Opt-in: a customer-managed key of the namespace's own in every registry that holds it. @default - the registry key */
      key: NamespaceKeySchema.meta({
        description: 'Opt-in: a customer-managed key of the namespace own in every registry that holds it, with its own administrators and users',
      }).optional(),
    },
    expects('a namespace: a mapping with prefix (e.g. team-a/) and optional imageTagMutability, lifecyclePolicy and key'),
  );

  return {
    /** Top-level `namespaces`. */
    namespaces: z
      .array(NamespaceSchema, expects('a list of namespaces, e.g. namespaces: [{ prefix: team-a/ }]'))
      .default([])
      .describe('Namespaces: repository-name prefixes replicated as one filter, with their template settings and optional key'),
    /** `sources[].namespaces`. */
    sourceNamespaces: z
      .array(NamespaceName, expects('a list of namespaces defined under namespaces, e.g. [team-a/]'))
      .min(1, rule('must list at least one namespace, or be left out'))
      .optional()
      .describe('Namespaces this source replicates: every repository under each prefix, including repositories created later'),
  };
}

export type NamespaceConfig = z.output<ReturnType<typeof estateSchemas>['namespaces']>[number];
