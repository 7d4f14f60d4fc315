/**
 * The stacks of a synthesized output as the engine sees them: name, folder,
 * dependencies (the manifest's, from each source's `addDependency`), which
 * ones a command targets, and the repositories the config retires.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseInstanceAddress, readSynthesizedOutput } from '../../tools/change-report/synthesized-output';
import { DeployStack } from './engine';

interface ManifestStack {
  readonly workingDirectory: string;
  readonly dependencies?: readonly string[];
}

/** Every stack of `outdir`, in apply order (each after the stacks it depends on; ties by name). */
export function synthesizedStacks(outdir: string): DeployStack[] {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, ManifestStack> };
  const ordered: string[] = [];
  const visit = (name: string, trail: readonly string[]): void => {
    if (ordered.includes(name) || trail.includes(name) || !(name in manifest.stacks)) return;
    for (const dependency of [...(manifest.stacks[name].dependencies ?? [])].sort()) visit(dependency, [...trail, name]);
    ordered.push(name);
  };
  Object.keys(manifest.stacks)
    .sort()
    .forEach((name) => visit(name, []));
  return ordered.map((name) => ({
    name,
    directory: path.join(outdir, manifest.stacks[name].workingDirectory),
    dependencies: [...(manifest.stacks[name].dependencies ?? [])].filter((dependency) => dependency in manifest.stacks).sort(),
  }));
}

function globPattern(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

/** The stacks named or matched (`*`, `ecr-source-*`); with no pattern, the only stack of a one-stack output. */
export function selectStacks(stacks: readonly DeployStack[], patterns: readonly string[]): { targeted: string[]; unmatched: string[] } {
  if (patterns.length === 0) return { targeted: stacks.length === 1 ? [stacks[0].name] : [], unmatched: [] };
  const matchers = patterns.map((pattern) => ({ pattern, matcher: globPattern(pattern) }));
  return {
    targeted: stacks.filter((stack) => matchers.some(({ matcher }) => matcher.test(stack.name))).map((stack) => stack.name),
    unmatched: matchers.filter(({ matcher }) => !stacks.some((stack) => matcher.test(stack.name))).map(({ pattern }) => pattern),
  };
}

/** `<account>/<region>\t<name>` of every repository a stack of the output retires with `removal` (retain or destroy). */
export function retiredRepositories(outdir: string): Set<string> {
  const retired = new Set<string>();
  for (const stack of readSynthesizedOutput(outdir).stacks.values()) {
    for (const address of stack.removals.keys()) {
      const { resource, key } = parseInstanceAddress(address);
      if (resource.startsWith('aws_ecr_repository.') && key !== undefined) retired.add(`${stack.accountId ?? '?'}/${stack.region ?? '?'}\t${key}`);
    }
  }
  return retired;
}
