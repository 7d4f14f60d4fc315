/** ECR's rules for repository names, each with the message that explains it. */

/** ECR's repository-name pattern: lowercase segments separated by `.`, `_` or `-`, namespaces with `/`. */
export const REPOSITORY_NAME_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** Repository names are 2 to 256 characters long. */
export const REPOSITORY_NAME_LENGTH = {
  /** The shortest name. */
  min: 2,
  /** The longest name. */
  max: 256,
} as const;

/** The repository-name rules as messages. */
export const REPOSITORY_NAME_RULES = {
  /** Fewer than 2 characters. */
  tooShort: `must be ${REPOSITORY_NAME_LENGTH.min} to ${REPOSITORY_NAME_LENGTH.max} characters long (ECR repository name limit): use a longer name`,
  /** More than 256 characters. */
  tooLong: `must be ${REPOSITORY_NAME_LENGTH.min} to ${REPOSITORY_NAME_LENGTH.max} characters long (ECR repository name limit): use a shorter name`,
  /** Characters or shape ECR refuses. */
  pattern:
    'must match the ECR repository name pattern: lowercase letters and digits in segments separated by ".", "_" or "-", namespaces separated by "/" (e.g. team-a/api)',
} as const;

/** The first rule a repository name breaks, or undefined. */
export function repositoryNameProblem(name: string): string | undefined {
  if (name.length < REPOSITORY_NAME_LENGTH.min) return REPOSITORY_NAME_RULES.tooShort;
  if (name.length > REPOSITORY_NAME_LENGTH.max) return REPOSITORY_NAME_RULES.tooLong;
  if (!REPOSITORY_NAME_PATTERN.test(name)) return REPOSITORY_NAME_RULES.pattern;
  return undefined;
}

/** Repository names are unique within a registry. */
export function duplicateRepositoryNameRule(firstIndex: number): string {
  return `repository names must be unique (repositories[${firstIndex}] has this name too): remove or rename the duplicate`;
}
