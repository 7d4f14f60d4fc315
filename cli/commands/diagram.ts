/**
 * Writes the Mermaid architecture diagram of a config (config/architecture-diagram.ts).
 *
 *   npm run diagram -- [file] [--out docs/architecture.mmd]
 *   npm run diagram -- --readme      (the bundled example, into README.md under "## Architecture")
 *
 * Exit status: 0 written, 1 invalid config, 2 usage error.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { architectureDiagram } from '../../config/architecture-diagram';
import { CONFIG_FILE_VARIABLE, DEFAULT_CONFIG_FILE, LoadedConfig, loadConfigFile } from '../../config/load';
import { describeSelection, selectionOfTool } from '../../config/config-selection';
import { ConfigError } from '../../config/problems';

export const DEFAULT_DIAGRAM_FILE = 'docs/architecture.mmd';
export const README_FILE = 'README.md';

const USAGE = `Usage: npm run diagram -- [options] [file]

Writes a Mermaid diagram of the config's accounts, registries, stacks, replication and deploy order.

Arguments:
  file            the config file (default: the selected one: --config, $${CONFIG_FILE_VARIABLE}, the recorded one, else ${DEFAULT_CONFIG_FILE})

Options:
  -o, --out FILE  where to write the diagram (default: ${DEFAULT_DIAGRAM_FILE})
  --readme        write the diagram of the bundled example into ${README_FILE} ("## Architecture") instead
  -h, --help      show this help and exit

Exit status: 0 written, 1 invalid config, 2 usage error.
`;

const README_BLOCK = /(\n## Architecture\n[\s\S]*?\n```mermaid\n)([\s\S]*?)(```\n)/;

/** The Mermaid text of the README's architecture block, or undefined when there is none. */
export function readmeDiagram(readme: string): string | undefined {
  return README_BLOCK.exec(readme)?.[2];
}

/** The README with its architecture block replaced by `diagram`; throws when the block is missing. */
export function withReadmeDiagram(readme: string, diagram: string): string {
  if (readmeDiagram(readme) === undefined) throw new Error(`${README_FILE} has no \`\`\`mermaid block under "## Architecture"`);
  return readme.replace(README_BLOCK, (_match, before: string, _old: string, after: string) => `${before}${diagram}${after}`);
}

export interface DiagramStreams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processStreams: DiagramStreams = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs the command in `directory` (relative paths resolve there); returns the exit status. */
export function runDiagram(
  args: readonly string[],
  environment: NodeJS.ProcessEnv = process.env,
  streams: DiagramStreams = processStreams,
  directory: string = process.cwd(),
): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { out: { type: 'string', short: 'o' }, readme: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    streams.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    streams.stdout(USAGE);
    return 0;
  }
  if (parsed.positionals.length > 1 || (parsed.values.readme && (parsed.positionals.length > 0 || parsed.values.out !== undefined))) {
    streams.stderr(`expected at most one config file, and none with --readme (which draws ${DEFAULT_CONFIG_FILE} into ${README_FILE})\n\n${USAGE}`);
    return 2;
  }
  let file = parsed.values.readme ? DEFAULT_CONFIG_FILE : parsed.positionals[0];
  if (file === undefined) {
    // No file named: the config every command selects (the launcher passes its selection down).
    const selected = selectionOfTool(environment, directory);
    streams.stderr(`${describeSelection(selected)}\n`);
    file = selected.file;
  }

  let loaded: LoadedConfig;
  try {
    loaded = loadConfigFile(file, directory);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    streams.stderr(`${error.message}\nno diagram was written: fix the problems above\n`);
    return 1;
  }
  const diagram = architectureDiagram(loaded.config);
  if (parsed.values.readme) {
    const readme = path.resolve(directory, README_FILE);
    writeFileSync(readme, withReadmeDiagram(readFileSync(readme, 'utf8'), diagram));
    streams.stdout(`wrote the diagram of ${DEFAULT_CONFIG_FILE} into ${README_FILE}\n`);
    return 0;
  }
  const out = parsed.values.out ?? DEFAULT_DIAGRAM_FILE;
  mkdirSync(path.dirname(path.resolve(directory, out)), { recursive: true });
  writeFileSync(path.resolve(directory, out), diagram);
  streams.stdout(`wrote ${out} (the diagram of ${loaded.file})\n`);
  return 0;
}

if (require.main === module) process.exitCode = runDiagram(process.argv.slice(2));
