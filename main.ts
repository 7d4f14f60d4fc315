/**
 * The CDKTF app: load the config (ECR_REPLICATION_CONFIG or the bundled
 * ecr-replication.yaml), build one stack per destination and source registry,
 * synthesize. A bad config stops here, before anything is written.
 */
import { App } from 'cdktf';
import { configFileFromEnvironment, loadConfigFile } from './config/load';
import { formatProblem } from './config/problems';
import { buildReplicationStacks } from './stacks/build-stacks';

export function main(): void {
  let loaded;
  try {
    loaded = loadConfigFile(configFileFromEnvironment());
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  for (const warning of loaded.warnings) process.stderr.write(`warning: ${loaded.file}: ${formatProblem(warning)}\n`);
  const app = new App();
  buildReplicationStacks(app, loaded.config);
  app.synth();
}

if (require.main === module) main();
