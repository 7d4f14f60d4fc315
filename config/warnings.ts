/** Risky but legal choices: printed as `warning: ...` on stderr, never fatal. */
import { ConfigProblem } from './problems';
import { Config } from './schema';
import { estateWarnings } from './estate-checks';

export function configWarnings(config: Config): ConfigProblem[] {
  const warnings: ConfigProblem[] = [];
  config.repositories.forEach((repository, index) => {
    if (repository.imageTagMutability === 'MUTABLE') {
      warnings.push({
        path: ['repositories', index, 'imageTagMutability'],
        received: 'MUTABLE',
        message: 'mutable tags let a pushed tag be overwritten, and a replica may then differ from its source: prefer IMMUTABLE',
      });
    }
    if (!repository.scanOnPush) {
      warnings.push({
        path: ['repositories', index, 'scanOnPush'],
        received: false,
        message: 'images are not scanned for vulnerabilities when pushed: prefer true',
      });
    }
  });
  config.sources.forEach((source, sourceIndex) =>
    source.destinations.forEach((destination, destinationIndex) => {
      if (!destination.repositoryCreationTemplates) {
        warnings.push({
          path: ['sources', sourceIndex, 'destinations', destinationIndex, 'repositoryCreationTemplates'],
          received: false,
          message:
            'repositories that replication creates here without a pre-created twin (a PREFIX_MATCH filter "api" also matches "api-dev") will use AES256, not the customer-managed key, and fail the "ECR Repository Encrypted" check: prefer true',
        });
      }
    }),
  );
  warnings.push(...unreplicatedRepositories(config), ...foreignKeyAdministrators(config));
  if (!config.scanning.enabled) {
    warnings.push({
      path: ['scanning', 'enabled'],
      received: false,
      message:
        'the registries keep whatever scanning configuration they have: repositories that replication creates from a creation template are scanned only by it (Security Hub ECR.1): prefer true, or audit with npm run audit -- --live',
    });
  }
  if (!config.keys.preventDestroy) {
    warnings.push({
      path: ['keys', 'preventDestroy'],
      received: false,
      message:
        'a plan may now delete the keys and the repositories, and a deleted key makes every image it encrypts unreadable once the deletion window ends: set it back to true as soon as the teardown is done',
    });
  }
  if (config.keys.deletionWindowInDays < 30) {
    warnings.push({
      path: ['keys', 'deletionWindowInDays'],
      received: config.keys.deletionWindowInDays,
      message: 'a deleted key makes every image it encrypts unreadable; a shorter window leaves less time to cancel a mistaken deletion: prefer 30',
    });
  }
  warnings.push(...estateWarnings(config));
  return warnings;
}

/** A repository that no source lists is created nowhere: most likely a source's list was not updated. */
function unreplicatedRepositories(config: Config): ConfigProblem[] {
  if (config.sources.some((source) => source.repositories === undefined)) return [];
  const placed = new Set(config.sources.flatMap((source) => source.repositories ?? []));
  return config.repositories.flatMap((repository, index) =>
    placed.has(repository.name)
      ? []
      : [
          {
            path: ['repositories', index, 'name'],
            received: repository.name,
            message: 'no source lists this repository, so it is created in no registry: add it to the repositories of a source, or remove it',
          },
        ],
  );
}

/**
 * Key administrators of another account: the key policy allows it (a central security account is a real case), but
 * that account may then schedule deletion of the key that encrypts every image of this registry.
 */
function foreignKeyAdministrators(config: Config): ConfigProblem[] {
  return Object.entries(config.accounts).flatMap(([name, account]) =>
    account.keyAdministrators.flatMap((arn, index) => {
      const other = arn.split(':')[4];
      return other === account.id
        ? []
        : [
            {
              path: ['accounts', name, 'keyAdministrators', index],
              received: arn,
              message: `is a principal of account ${other}, not of ${account.id} where the keys of "${name}" live: it works only if ${other} also allows it in IAM, and it lets that account schedule deletion of the keys that encrypt every image here; prefer a principal of ${account.id}`,
            },
          ];
    }),
  );
}
