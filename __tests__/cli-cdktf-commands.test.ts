/** cli/cdktf-commands.ts and the argument split of cli/cli.ts: how deploy, diff and destroy call the cdktf CLI. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  cdktfArguments,
  cdktfEnvironment,
  CdktfContext,
  explainFailure,
  isCiMode,
  PlanRunner,
  stacksInApplyOrder,
  targetedStacks,
} from '../cli/cdktf-commands';
import { splitStacksAndFlags } from '../cli/cli';

const context = (providerMirror: string | undefined): CdktfContext => ({
  outdir: '/project/cdktf.out',
  cwd: '/project',
  environment: { PATH: '/usr/bin', CHECKPOINT_DISABLE: undefined },
  terraformCliConfig: '/project/.terraform-cli/terraformrc',
  providerMirror,
  configFile: 'prod.yaml',
});

describe('GIVEN a deploy, diff or destroy after the launcher synthesized', () => {
  test("WHEN the project uses an offline provider mirror THEN cdktf skips synthesis and provider locking, and the caller's flags follow", () => {
    expect(cdktfArguments('deploy', ['*'], ['--auto-approve'], context('/opt/tf-plugins'))).toEqual([
      'deploy',
      '*',
      '--skip-synth',
      '--output',
      'cdktf.out',
      '--skip-provider-lock',
      '--auto-approve',
    ]);
  });

  test('WHEN providers come from the registry THEN cdktf locks them itself', () => {
    expect(cdktfArguments('diff', ['ecr-source-build-us-east-1'], [], context(undefined))).toEqual([
      'diff',
      'ecr-source-build-us-east-1',
      '--skip-synth',
      '--output',
      'cdktf.out',
    ]);
  });

  test("WHEN cdktf runs THEN it gets the project's Terraform CLI config, no update checks, and the synthesized config", () => {
    expect(cdktfEnvironment(context(undefined))).toEqual({
      PATH: '/usr/bin',
      TF_CLI_CONFIG_FILE: '/project/.terraform-cli/terraformrc',
      CHECKPOINT_DISABLE: '1',
      ECR_REPLICATION_CONFIG: 'prod.yaml',
    });
  });

  test.each([
    [[], [], []],
    [['*'], ['*'], []],
    [
      ['a', 'b', '--auto-approve', '--parallelism', '2'],
      ['a', 'b'],
      ['--auto-approve', '--parallelism', '2'],
    ],
    [['--auto-approve', 'a'], [], ['--auto-approve', 'a']],
  ])('WHEN the arguments are %j THEN the stacks are %j and the flags passed on %j', (args, stacks, flags) => {
    expect(splitStacksAndFlags(args)).toEqual({ stacks, flags });
  });

  test.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', true],
  ])('WHEN CI is %j THEN CI mode is %s', (value, expected) => {
    expect(isCiMode(value === undefined ? {} : { CI: value })).toBe(expected);
  });
});

describe('GIVEN a synthesized output with two destinations and a source', () => {
  let outdir: string;
  const stacks = {
    'ecr-source-build-us-east-1': ['ecr-destination-prod-eu-west-1', 'ecr-destination-build-us-west-2'],
    'ecr-destination-prod-eu-west-1': [],
    'ecr-destination-build-us-west-2': [],
  };
  beforeEach(() => {
    outdir = path.join(mkdtempSync(path.join(os.tmpdir(), 'launcher-cdktf-')), 'cdktf.out');
    const manifest = Object.fromEntries(Object.entries(stacks).map(([name, dependencies]) => [name, { workingDirectory: `stacks/${name}`, dependencies }]));
    for (const name of Object.keys(stacks)) mkdirSync(path.join(outdir, 'stacks', name, '.terraform'), { recursive: true });
    writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify({ stacks: manifest }));
  });
  afterEach(() => rmSync(path.dirname(outdir), { recursive: true, force: true }));

  test('WHEN the stacks are ordered THEN every destination comes before the source that depends on it', () => {
    expect(stacksInApplyOrder(outdir).map((stack) => stack.name)).toEqual([
      'ecr-destination-build-us-west-2',
      'ecr-destination-prod-eu-west-1',
      'ecr-source-build-us-east-1',
    ]);
  });

  test.each([
    [['*'], ['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1', 'ecr-source-build-us-east-1']],
    [['ecr-destination-*'], ['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1']],
    [['ecr-source-build-us-east-1'], ['ecr-source-build-us-east-1']],
    [[], []],
  ])('WHEN the command names %j THEN it targets %j', (patterns, expected) => {
    expect(targetedStacks(outdir, patterns).map((stack) => stack.name)).toEqual(expected);
  });

  test("WHEN a deploy failed in CI mode THEN the first stack whose own plan fails is named with terraform's message", () => {
    const planned: string[] = [];
    const runPlan: PlanRunner = (args, directory) => {
      planned.push(`${path.basename(directory)}: ${args.join(' ')}`);
      return path.basename(directory).startsWith('ecr-source')
        ? {
            code: 1,
            stdout: 'plan output',
            stderr: '\nError: Resource precondition failed\n\nDestination stack ecr-destination-prod-eu-west-1 has not been applied\n',
          }
        : { code: 0, stdout: 'No changes.', stderr: '' };
    };

    const explanation = explainFailure('deploy', ['*'], { outdir, cwd: path.dirname(outdir) }, runPlan);

    expect(explanation).toBe(
      'ecr-source-build-us-east-1: terraform plan -input=false -lock=false -no-color (in cdktf.out/stacks/ecr-source-build-us-east-1) fails with:\n\n' +
        'Error: Resource precondition failed\n\nDestination stack ecr-destination-prod-eu-west-1 has not been applied\n',
    );
    expect(planned).toEqual([
      'ecr-destination-build-us-west-2: plan -input=false -lock=false -no-color',
      'ecr-destination-prod-eu-west-1: plan -input=false -lock=false -no-color',
      'ecr-source-build-us-east-1: plan -input=false -lock=false -no-color',
    ]);
  });

  test('WHEN a destroy failed THEN the stacks are planned for destruction, sources first', () => {
    const planned: string[] = [];
    explainFailure('destroy', ['*'], { outdir, cwd: path.dirname(outdir) }, (args, directory) => {
      planned.push(`${path.basename(directory)}: ${args.join(' ')}`);
      return { code: 0, stdout: '', stderr: '' };
    });

    expect(planned).toEqual([
      'ecr-source-build-us-east-1: plan -input=false -lock=false -no-color -destroy',
      'ecr-destination-prod-eu-west-1: plan -input=false -lock=false -no-color -destroy',
      'ecr-destination-build-us-west-2: plan -input=false -lock=false -no-color -destroy',
    ]);
  });

  test('WHEN a stack folder was never initialized THEN it is not planned (its error would only say "run terraform init")', () => {
    rmSync(path.join(outdir, 'stacks', 'ecr-source-build-us-east-1', '.terraform'), { recursive: true });
    const planned: string[] = [];

    const explanation = explainFailure('deploy', ['ecr-source-build-us-east-1'], { outdir, cwd: path.dirname(outdir) }, (_args, directory) => {
      planned.push(directory);
      return { code: 1, stdout: '', stderr: 'Error' };
    });

    expect({ explanation, planned }).toEqual({ explanation: undefined, planned: [] });
  });
});
