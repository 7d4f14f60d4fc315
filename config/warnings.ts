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
