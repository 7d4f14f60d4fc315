/**
 * `node bin/ecr-replication.js tool <name>`: the npm scripts of the compiled tools go through the launcher's
 * freshness check, and get the config every command selects (--config, ECR_REPLICATION_CONFIG, the recorded one,
 * the bundled example) passed down.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CliEnvironment, extractConfigOption, runTool, TOOLS } from '../cli/cli';
import { describeSelection, selectionOfTool } from '../config/config-selection';
import { EXAMPLE_CONFIG_FILE } from '../test-support/example-config';

const ROOT = path.resolve(__dirname, '..');

interface ToolCall {
  readonly script: string;
  readonly args: readonly string[];
  readonly environment: NodeJS.ProcessEnv;
}

let project: string;
beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), 'ecr-tools-'));
  writeFileSync(path.join(project, 'ecr-replication.yaml'), readFileSync(EXAMPLE_CONFIG_FILE));
  writeFileSync(path.join(project, 'prod.yaml'), readFileSync(EXAMPLE_CONFIG_FILE));
  writeFileSync(path.join(project, 'other.yaml'), readFileSync(EXAMPLE_CONFIG_FILE));
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

async function tool(argv: readonly string[], environment: NodeJS.ProcessEnv = {}): Promise<{ code: number; calls: ToolCall[]; stderr: string }> {
  const calls: ToolCall[] = [];
  let stderr = '';
  const run: CliEnvironment = {
    projectRoot: project,
    cwd: project,
    environment,
    stdout: () => undefined,
    stderr: (text) => (stderr += text),
    preSwapChecks: [],
  };
  const code = await runTool(argv, run, (script, args, childEnvironment) => {
    calls.push({ script, args, environment: childEnvironment });
    return 0;
  });
  return { code, calls, stderr };
}

const recordInProject = (file: string) => {
  mkdirSync(path.join(project, '.ecr-replication'), { recursive: true });
  writeFileSync(path.join(project, '.ecr-replication', 'config.json'), JSON.stringify({ config: file }));
};

test('GIVEN an unknown tool THEN it exits 2 naming the tools', async () => {
  const { code, calls, stderr } = await tool(['nope']);
  expect({ code, calls, stderr }).toEqual({
    code: 2,
    calls: [],
    stderr: 'ecr-replication: unknown tool "nope": use one of audit, backfill, recover, export-terraform, plan-check, diagram\n',
  });
});

test.each([
  [['--live', '--config', 'a.yaml', '--format', 'json'], { config: 'a.yaml', rest: ['--live', '--format', 'json'] }],
  [['--config=a.yaml', 'build/us-east-1'], { config: 'a.yaml', rest: ['build/us-east-1'] }],
  [['-c', 'a.yaml', '--live'], { config: 'a.yaml', rest: ['--live'] }],
  [['--live'], { rest: ['--live'] }],
])('GIVEN the tool arguments %j THEN the launcher takes the config out: %j', (args, expected) => {
  expect(extractConfigOption(args)).toEqual(expected);
});

describe.each(['audit', 'backfill', 'export-terraform', 'diagram'])('GIVEN the tool %s', (name) => {
  test('WHEN a config was recorded by an earlier --config THEN the tool gets that config, and prints it as every command does', async () => {
    recordInProject('prod.yaml');
    const { code, calls } = await tool([name, '--live']);
    expect(code).toBe(0);
    expect(calls.map((call) => call.args)).toEqual([['--live']]);
    const selected = selectionOfTool(calls[0].environment, project);
    expect(describeSelection(selected)).toBe('config: prod.yaml (recorded in .ecr-replication/config.json)');
  });

  test('WHEN --config names a file THEN the tool gets it, and it is not recorded for later commands', async () => {
    recordInProject('prod.yaml');
    const { calls } = await tool([name, '--config', 'other.yaml']);
    expect(describeSelection(selectionOfTool(calls[0].environment, project))).toBe('config: other.yaml (--config)');
    expect(JSON.parse(readFileSync(path.join(project, '.ecr-replication', 'config.json'), 'utf8'))).toEqual({ config: 'prod.yaml' });
  });

  test('fails WHEN --config and ECR_REPLICATION_CONFIG name different files, before the tool runs', async () => {
    const { code, calls, stderr } = await tool([name, '--config', 'other.yaml'], { ECR_REPLICATION_CONFIG: 'prod.yaml' });
    expect({ code, calls, stderr }).toEqual({
      code: 2,
      calls: [],
      stderr:
        '--config other.yaml and ECR_REPLICATION_CONFIG=prod.yaml name different config files: give one (unset ECR_REPLICATION_CONFIG, or drop --config)\n',
    });
  });
});

test('GIVEN a recorded config WHEN recover runs THEN the launcher synthesizes that config first (as deploy does) and points the tool at the output', async () => {
  recordInProject('prod.yaml');
  const { code, calls, stderr } = await tool(['recover', 'ecr-destination-prod-eu-west-1']);
  expect(code).toBe(0);
  expect(stderr.split('\n')[0]).toBe('config: prod.yaml (recorded in .ecr-replication/config.json)');
  expect(calls.map((call) => call.args)).toEqual([['ecr-destination-prod-eu-west-1', '--outdir', path.join(project, 'cdktf.out')]]);
  expect(existsSync(path.join(project, 'cdktf.out', 'stacks', 'ecr-destination-prod-eu-west-1', 'cdk.tf.json'))).toBe(true);
});

test.each(Object.entries(TOOLS))('GIVEN the tool %s THEN its compiled script comes from a source the build includes', (_name, script) => {
  const source = script.replace(/\.js$/, '.ts');
  expect(existsSync(path.join(ROOT, source))).toBe(true);
  const include = (JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
  expect(include.some((entry) => source === entry || source.startsWith(`${entry}/`))).toBe(true);
});

test('GIVEN package.json THEN each tool script runs through the launcher', () => {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect([scripts.audit, scripts.backfill, scripts.recover, scripts['plan-check'], scripts['export:terraform'], scripts.diagram]).toEqual([
    'node bin/ecr-replication.js tool audit',
    'node bin/ecr-replication.js tool backfill',
    'node bin/ecr-replication.js tool recover',
    'node bin/ecr-replication.js tool plan-check',
    'node bin/ecr-replication.js tool export-terraform',
    'node bin/ecr-replication.js tool diagram',
  ]);
});
