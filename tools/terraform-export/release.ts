/**
 * The release the Terraform modules belong to: one version for the npm
 * package and the modules (package.json `version`, git tag `v<version>`,
 * CHANGELOG.md section), so the READMEs pin usage to the tag of the release
 * they describe.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface Release {
  /** `0.2.0`. */
  readonly version: string;
  /** The git URL teams give Terraform, `git::https://...git`, without a path or ref. */
  readonly repository: string;
}

/** Until package.json names the repository, the README shows where its URL goes. */
export const REPOSITORY_PLACEHOLDER = 'git::https://github.com/<owner>/ecr-kms-replication.git';

/** The git tag of a release. */
export function releaseTag(release: Release): string {
  return `v${release.version}`;
}

/** A module's source pinned to the release: `git::https://...git//terraform/modules/kms-key?ref=v0.2.0`. */
export function moduleSource(release: Release, moduleName: string): string {
  return `${release.repository}//terraform/modules/${moduleName}?ref=${releaseTag(release)}`;
}

/** The release of a project folder, read from its package.json (`version`, `repository.url`). */
export function projectRelease(projectRoot: string): Release {
  const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    version?: unknown;
    repository?: string | { url?: string };
  };
  if (typeof manifest.version !== 'string') throw new Error(`${projectRoot}/package.json has no version: the modules' READMEs pin it`);
  const url = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  const repository = url ? `git::${url.replace(/^git\+/, '').replace(/^git::/, '')}` : REPOSITORY_PLACEHOLDER;
  return { version: manifest.version, repository };
}
