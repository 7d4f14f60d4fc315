/**
 * The checks only the live audit can make (no Terraform attribute holds what
 * they need): where a key lives, replication coverage, grants on a key,
 * orphaned grants. Described like the compliance rules.
 */
import { RuleInfo } from './findings';

export const keyInRepositoryRegion: RuleInfo = {
  id: 'KMS-KEY-IN-REGION',
  title: "A repository's KMS key is in the repository's region",
  description:
    "ECR can only use a KMS key of the repository's own region (seed 001); a key elsewhere means the repository was described inconsistently or its key was replaced.",
  remediation: "Encrypt the repository with the registry's key of the same region (a new repository: encryption cannot change).",
  severity: 'error',
  references: [],
};

export const replicationCoverage: RuleInfo = {
  id: 'REPLICATION-COVERAGE',
  title: "Every replicated repository exists in every destination, encrypted with that destination's key",
  description:
    "A replicated image lands in a repository of the same name in each destination; one that is missing is created by replication (AES256 without a creation template), one with another key is not under the destination's key policy (seeds 000, 002).",
  remediation:
    'Apply the destination stack (npm run deploy -- ecr-destination-<account>-<region>), declare the repository in the config, or keep creation templates on; a repository with the wrong encryption must be migrated (see ECR-ENCRYPTED-CMK).',
  severity: 'error',
  references: [],
};

export const grantsPerKey: RuleInfo = {
  id: 'KMS-GRANTS-PER-KEY',
  title: 'The repositories holding grants on a key stay within keys.repositoriesPerKey',
  description:
    'Every KMS-encrypted repository holds grants on its key, and KMS limits grants per key (the ECR guide: 500, so 500 repositories per key); past the limit new repositories cannot be created with the key.',
  remediation: 'Retire orphaned grants, delete unused repositories, or raise keys.repositoriesPerKey after checking the KMS grants quota.',
  severity: 'error',
  references: [],
};

export const orphanedGrant: RuleInfo = {
  id: 'KMS-ORPHANED-GRANT',
  title: 'No ECR grant on a key names a repository that no longer exists',
  description:
    'When ECR cannot retire the grants of a deleted repository they stay on the key (seed 001): they count against the grants limit and keep a use of the key open.',
  remediation: 'Retire each orphaned grant with the aws kms retire-grant command given for it.',
  severity: 'warning',
  references: [],
};

export const registryDeployed: RuleInfo = {
  id: 'REGISTRY-DEPLOYED',
  title: 'Every registry of the config holds what its stacks create: its key, its repositories and, for a source, its replication rules',
  description:
    'A registry of the config without its key (alias), a repository or the replication rules the config expects was torn down, never deployed, or changed out of band: images are not encrypted with the registry key, or not replicated, while the config says they are.',
  remediation: "Deploy the registry's stacks (npm run deploy -- '*'); if the registry was retired on purpose, take it out of the config.",
  severity: 'error',
  references: [],
};

export const LIVE_CHECKS: readonly RuleInfo[] = [keyInRepositoryRegion, replicationCoverage, grantsPerKey, orphanedGrant, registryDeployed];
