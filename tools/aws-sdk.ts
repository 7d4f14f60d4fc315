/**
 * The AWS SDK for JavaScript v3 clients are optional peer dependencies of the
 * package: the constructs, `synth`, `check` and the static `audit` never load
 * them, and a CDKTF app that only imports the library should not install 27
 * packages (about 26 MB) it never runs. The commands that call AWS (`check
 * --live`, `audit --live`, `backfill`, `recover`, deploy's recovery hooks)
 * call `requireAwsSdk` before loading any module that imports a client, so a
 * missing client is one clear message with the `npm install` to run, not a
 * MODULE_NOT_FOUND stack. `npx ecr-kms-replication init` writes them into a
 * new project's package.json.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from './terraform-cli';

/** The client packages the commands use, in install order. */
export const AWS_SDK_PACKAGES = ['@aws-sdk/client-ecr', '@aws-sdk/client-iam', '@aws-sdk/client-kms', '@aws-sdk/client-sts'] as const;

export type AwsSdkPackage = (typeof AWS_SDK_PACKAGES)[number];

/** A command needs AWS SDK clients that are not installed. */
export class MissingAwsSdkError extends Error {
  constructor(
    message: string,
    readonly missing: readonly AwsSdkPackage[],
  ) {
    super(message);
    this.name = 'MissingAwsSdkError';
  }
}

/** The exact versions this package is tested with (its devDependencies), as `name@version`; the bare name when unknown. */
export function testedAwsSdkSpecs(packages: readonly AwsSdkPackage[], root: string = PROJECT_ROOT): string[] {
  let tested: Record<string, string> = {};
  try {
    tested = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> }).devDependencies ?? {};
  } catch {
    // No manifest to read: name the packages without versions.
  }
  return packages.map((name) => (tested[name] ? `${name}@${tested[name]}` : name));
}

/** True when `name` can be loaded from the package (the project's node_modules, as Node resolves it). */
function installed(name: string): boolean {
  try {
    require.resolve(name, { paths: [PROJECT_ROOT] });
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws a MissingAwsSdkError naming `command`, the missing clients and the `npm install` that adds them,
 * unless every client is installed. `isInstalled` is for tests.
 */
export function requireAwsSdk(command: string, isInstalled: (name: AwsSdkPackage) => boolean = installed): void {
  const missing = AWS_SDK_PACKAGES.filter((name) => !isInstalled(name));
  if (missing.length === 0) return;
  throw new MissingAwsSdkError(
    `${command} calls AWS through the AWS SDK for JavaScript v3, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed ` +
      `(optional peer dependencies of ecr-kms-replication): run \`npm install --save-dev ${testedAwsSdkSpecs(missing).join(' ')}\` in your project, then run the command again`,
    missing,
  );
}
