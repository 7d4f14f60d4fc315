/**
 * Synthesis as the project's commands run it: name the config, load and
 * validate it (every problem reported once), synthesize into a staging folder,
 * run the pre-swap checks, and swap the result into the output folder; then
 * record which config the output came from.
 */
import * as path from 'node:path';
import { loadConfigOrReport, synthesizeStacks } from '../main';
import { stackNames, writeOutputAtomically } from './atomic-output';
import {
  configDigest,
  describeSelection,
  displayPath,
  lastSynthesizedFrom,
  recordSynthesizedFrom,
  SelectedConfig,
  SynthesizedFrom,
  synthesizedConfigChange,
} from '../config/config-selection';
import { PreSwapCheck } from './pre-swap-checks';

export interface SynthesisRequest {
  readonly projectRoot: string;
  readonly cwd: string;
  /** The output folder, absolute. */
  readonly outdir: string;
  readonly config: SelectedConfig;
  readonly preSwapChecks: readonly PreSwapCheck[];
  /** See `AtomicOutputOptions.keepDroppedStackFolders`. @default false */
  readonly keepDroppedStackFolders?: boolean;
  /** Say so when the output was last synthesized from another config or other bytes (deploy, diff, destroy). @default false */
  readonly noteConfigChange?: boolean;
  /** Receives every line: the config line, warnings, problems, notes. */
  readonly report: (text: string) => void;
}

export interface SynthesisResult {
  readonly ok: boolean;
  /** Stack names of the new output (empty on failure). */
  readonly stacks: readonly string[];
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export function synthesizeIntoOutdir(request: SynthesisRequest): SynthesisResult {
  const { report } = request;
  const outdirLabel = displayPath(request.outdir, request.cwd);
  report(`${describeSelection(request.config)}\n`);
  const configFile = path.resolve(request.cwd, request.config.file);
  const digest = configDigest(configFile);
  const from: SynthesizedFrom | undefined = digest === undefined ? undefined : { config: configFile, sha256: digest };
  if (request.noteConfigChange && from !== undefined) {
    const note = synthesizedConfigChange(lastSynthesizedFrom(request.projectRoot, request.outdir), from, request.cwd, outdirLabel);
    if (note !== undefined) report(`${note}\n`);
  }

  const loaded = loadConfigOrReport(request.config.file, report, request.cwd);
  if (loaded === undefined) return { ok: false, stacks: [] };

  const result = writeOutputAtomically(request.outdir, {
    write: (staged) => {
      synthesizeStacks(loaded.config, staged);
    },
    preSwapChecks: request.preSwapChecks,
    keepDroppedStackFolders: request.keepDroppedStackFolders,
  });
  for (const message of result.messages) report(`${message}\n`);
  if (!result.ok) {
    if (result.error !== undefined) report(`${errorText(result.error)}\n`);
    report(`${result.reason}: ${outdirLabel} was not changed\n`);
    return { ok: false, stacks: [] };
  }
  if (from !== undefined) recordSynthesizedFrom(request.projectRoot, request.outdir, from);
  return { ok: true, stacks: stackNames(request.outdir) };
}
