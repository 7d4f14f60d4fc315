/**
 * Synthesizes the whole app for a config into a fresh temporary outdir, the
 * way `cdktf synth` does (App + buildReplicationStacks + synth), and returns
 * each stack's folder and parsed Terraform JSON.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { validateConfig } from '../config/load';
import { Config } from '../config/schema';
import { buildReplicationStacks } from '../stacks/build-stacks';

export type StackRole = 'destination' | 'source' | 'trust';

export interface SynthesizedStack {
  readonly name: string;
  readonly role: StackRole;
  /** The stack's folder: `<outdir>/stacks/<name>`. */
  readonly directory: string;
  /** `<directory>/cdk.tf.json` */
  readonly file: string;
  /** The parsed cdk.tf.json. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
  /** Names of the stacks this one depends on (destinations of a source). */
  readonly dependencies: readonly string[];
}

export interface SynthesizedApp {
  /** Temporary folder that holds everything: `outdir` and, for the local backend, the state folder. */
  readonly root: string;
  /** `<root>/cdktf.out`: relative local state paths (`../../../<dir>`) resolve inside `root`. */
  readonly outdir: string;
  readonly config: Config;
  /** Trust stacks (if any), destinations (sorted by name), then sources: a valid apply order. */
  readonly stacks: readonly SynthesizedStack[];
  /** Throws when no stack has that name. */
  stack(name: string): SynthesizedStack;
  readonly destinations: readonly SynthesizedStack[];
  readonly sources: readonly SynthesizedStack[];
  /** The HCP Terraform trust stacks, one per account (backend cloud with dynamicCredentials.createTrust). */
  readonly trust: readonly SynthesizedStack[];
}

export interface SynthOptions {
  /** Parent folder of the temporary outdir. @default os.tmpdir() */
  readonly parentDirectory?: string;
}

/** Validates `rawConfig` (input shape of ConfigSchema) and synthesizes it. */
export function synthesizeConfig(rawConfig: unknown, options: SynthOptions = {}): SynthesizedApp {
  const { config } = validateConfig(rawConfig, '<test config>');
  const root = mkdtempSync(path.join(options.parentDirectory ?? os.tmpdir(), 'ecr-synth-'));
  const outdir = path.join(root, 'cdktf.out');
  try {
    const app = new App({ outdir });
    const built = buildReplicationStacks(app, config);
    app.synth();
    const read = (name: string, role: StackRole, dependencies: readonly string[]): SynthesizedStack => {
      const directory = path.join(outdir, 'stacks', name);
      const file = path.join(directory, 'cdk.tf.json');
      return { name, role, directory, file, json: JSON.parse(readFileSync(file, 'utf8')), dependencies };
    };
    const destinations = built.destinations.map((stack) => read(stack.stackName, 'destination', []));
    const sources = built.sources.map((stack) =>
      read(
        stack.stackName,
        'source',
        stack.plan.destinations.map((destination) => destination.stackName),
      ),
    );
    // The HCP Terraform trust stacks (backend cloud with dynamicCredentials.createTrust) come first: they deploy first.
    const trust = built.trust.map((stack) => read(stack.stackName, 'trust', []));
    const stacks = [...trust, ...destinations, ...sources];
    return {
      root,
      outdir,
      config,
      stacks,
      destinations,
      sources,
      trust,
      stack(name: string): SynthesizedStack {
        const found = stacks.find((candidate) => candidate.name === name);
        if (!found) throw new Error(`no synthesized stack named ${name}; stacks: ${stacks.map((candidate) => candidate.name).join(', ')}`);
        return found;
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** Removes a synthesized app's temporary folder; safe to call with undefined (a failed beforeAll). */
export function cleanupSynth(synthesized: Pick<SynthesizedApp, 'root'> | undefined): void {
  if (synthesized) rmSync(synthesized.root, { recursive: true, force: true });
}
