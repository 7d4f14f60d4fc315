/**
 * The CDKTF app: load the config (ECR_REPLICATION_CONFIG or the bundled
 * ecr-replication.yaml), build one stack per destination and source registry,
 * synthesize. The whole config is validated before any construct exists: a bad
 * config prints every problem to stderr, exits 1 and writes nothing.
 */
import { App } from 'cdktf';
import { configFileFromEnvironment, LoadedConfig, loadConfigFile } from './config/load';
import { ConfigError, formatWarnings } from './config/problems';
import { buildReplicationStacks } from './stacks/build-stacks';

/** Loads and validates the config; on failure prints the report and returns undefined. */
export function loadConfigOrReport(file: string = configFileFromEnvironment()): LoadedConfig | undefined {
  try {
    const loaded = loadConfigFile(file);
    for (const warning of formatWarnings(loaded.file, loaded.warnings)) process.stderr.write(`${warning}\n`);
    return loaded;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nnothing was synthesized: fix the problems above and run again\n`);
    return undefined;
  }
}

export function main(): void {
  const loaded = loadConfigOrReport();
  if (loaded === undefined) {
    process.exitCode = 1;
    return;
  }
  // No stack traces in annotations: they would carry this machine's paths into manifest.json.
  const app = new App({ stackTraces: false });
  buildReplicationStacks(app, loaded.config);
  app.synth();
}

if (require.main === module) main();
