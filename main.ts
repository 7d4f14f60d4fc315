/**
 * The CDKTF app: load the config, build one stack per destination and source
 * registry, synthesize. The whole config is validated before any construct
 * exists: a bad config prints every problem, exits 1 and writes nothing.
 *
 * The project's commands (`npm run synth|deploy|diff|destroy`, and the app
 * command of cdktf.json) run this through the launcher (`cli/`), which
 * picks the config file, writes the output atomically and keeps dist/ fresh;
 * `npx ts-node main.ts`, the cdktf template's app command, still works.
 */
import { App } from 'cdktf';
import { LoadedConfig, loadConfigFile } from './config/load';
import { ConfigError, formatWarnings } from './config/problems';
import { Config } from './config/schema';
import { selectConfig } from './config/config-selection';
import { buildReplicationStacks } from './stacks/build-stacks';

/** Loads and validates the config, printing its warnings; on failure prints the report and returns undefined. */
export function loadConfigOrReport(
  file: string,
  report: (text: string) => void = (text) => process.stderr.write(text),
  baseDirectory: string = process.cwd(),
): LoadedConfig | undefined {
  try {
    const loaded = loadConfigFile(file, baseDirectory);
    for (const warning of formatWarnings(loaded.file, loaded.warnings)) report(`${warning}\n`);
    return loaded;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    report(`${error.message}\nnothing was synthesized: fix the problems above and run again\n`);
    return undefined;
  }
}

/** Builds the stacks of a validated config and synthesizes them into `outdir`. */
export function synthesizeStacks(config: Config, outdir: string): void {
  // No stack traces in annotations: they would carry this machine's paths into manifest.json.
  const app = new App({ outdir, stackTraces: false });
  buildReplicationStacks(app, config);
  app.synth();
}

/** The app as cdktf's template runs it: into CDKTF_OUTDIR (else cdktf.out), not atomically. */
export function main(): void {
  const { file } = selectConfig({ projectRoot: process.cwd(), cwd: process.cwd(), environment: process.env });
  const loaded = loadConfigOrReport(file);
  if (loaded === undefined) {
    process.exitCode = 1;
    return;
  }
  synthesizeStacks(loaded.config, process.env.CDKTF_OUTDIR ?? 'cdktf.out');
}

if (require.main === module) main();
