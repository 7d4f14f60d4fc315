/**
 * The change preview on real synthesized outputs: the bundled example against
 * edited variants, compared by change-report/ exactly as the launcher's
 * pre-swap hook does. It reports, keeps dropped stacks under retired/, and
 * never refuses: the plan check at deploy is the safety net.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigInput } from '../config/schema';
import { atRisk, compareOutputs } from '../tools/change-report/compare-outputs';
import { formatChangeReport } from '../tools/change-report/format-report';
import { changeReportHook } from '../tools/change-report/pre-swap-hook';
import { readSynthesizedOutput } from '../tools/change-report/synthesized-output';
import { exampleConfig } from '../test-support/example-config';
import { cleanupSynth, SynthesizedApp, synthesizeConfig } from '../test-support/synth';

const synthesized: SynthesizedApp[] = [];
/** Outputs only read by the tests, by config: a config edited the same way in several tests is synthesized once. */
const byConfig = new Map<string, SynthesizedApp>();
/** A synthesis of its own, never shared: for a test of synthesizing again, or one that writes into the output. */
function freshSynth(edit: (config: ConfigInput) => void = () => undefined): SynthesizedApp {
  const config = exampleConfig();
  edit(config);
  const app = synthesizeConfig(config);
  synthesized.push(app);
  return app;
}
/** The output of the example edited by `edit`, synthesized once per distinct config; tests must not write into it. */
function synth(edit: (config: ConfigInput) => void = () => undefined): SynthesizedApp {
  const config = exampleConfig();
  edit(config);
  const key = JSON.stringify(config);
  let app = byConfig.get(key);
  if (!app) {
    app = synthesizeConfig(config);
    synthesized.push(app);
    byConfig.set(key, app);
  }
  return app;
}
afterAll(() => synthesized.forEach(cleanupSynth));

let example: SynthesizedApp;
beforeAll(() => {
  example = synth();
});

const compare = (next: SynthesizedApp) => compareOutputs(readSynthesizedOutput(example.outdir), readSynthesizedOutput(next.outdir));

describe('GIVEN the same config synthesized again', () => {
  test('WHEN the outputs are compared THEN there is nothing to report', () => {
    const report = compare(freshSynth());
    expect({ findings: report.findings, lines: formatChangeReport(report) }).toEqual({ findings: [], lines: [] });
  });

  test('WHEN the destinations are listed in the other order THEN every stack file has the same bytes', () => {
    const reordered = freshSynth((config) => config.sources[0].destinations.reverse());
    for (const stack of example.stacks) expect(readFileSync(reordered.stack(stack.name).file, 'utf8')).toBe(readFileSync(stack.file, 'utf8'));
  });
});

describe('GIVEN a repository removed from the config', () => {
  test('WHEN the outputs are compared THEN the preview names it in every registry and says deploy refuses it where deployed, without refusing the synthesis', () => {
    const next = synth((config) => (config.repositories = config.repositories.filter((repository) => repository.name !== 'web')));
    expect(formatChangeReport(compare(next))).toEqual([
      'change preview (compared with the previous synthesis; deploy checks each plan against its state):',
      '  - repository web is no longer in the config of ecr-destination-build-us-west-2 (111111111111/us-west-2), ecr-destination-prod-eu-west-1 (222222222222/eu-west-1), ecr-source-build-us-east-1 (111111111111/us-east-1): where it was deployed, deploy refuses to destroy it with its images unless accepted; to keep it and its images but stop managing it, put it back with removal: retain; to destroy it, with removal: destroy (ECR refuses while it holds images)',
      '  - the replication configuration of ecr-source-build-us-east-1 will stop replicating the filters web',
    ]);
    expect(changeReportHook(example.outdir, next.outdir).ok).toBe(true);
  });
});

describe('GIVEN a destination removed from the config', () => {
  let next: SynthesizedApp;
  beforeAll(() => {
    next = freshSynth((config) => (config.sources[0].destinations = config.sources[0].destinations.filter((destination) => destination.account !== 'prod')));
  });

  test('WHEN the outputs are compared THEN the dropped stack is reported, and the retirement applies the source before destroying the destination', () => {
    const report = compare(next);
    expect(report.findings.filter(atRisk).map((finding) => finding.kind)).toEqual(['stack-dropped']);
    expect(report.retirementSteps).toEqual([
      'npm run deploy -- ecr-source-build-us-east-1',
      '(cd cdktf.out/retired/ecr-destination-prod-eu-west-1 && terraform init -input=false && terraform destroy)',
    ]);
    expect(report.findings).toContainEqual({
      kind: 'replication-narrowed',
      stack: 'ecr-source-build-us-east-1',
      destinations: ['222222222222/eu-west-1'],
      filters: [],
    });
  });

  test('WHEN the hook runs THEN the synthesis goes ahead and the dropped stack is kept under retired/ in the staged output', () => {
    const result = changeReportHook(example.outdir, next.outdir);
    expect(result.ok).toBe(true);
    expect(existsSync(path.join(next.outdir, 'retired', 'ecr-destination-prod-eu-west-1', 'cdk.tf.json'))).toBe(true);
  });
});

describe('GIVEN an account renamed with the same id', () => {
  test('WHEN the outputs are compared THEN the preview names old and new stacks and the state move', () => {
    const renamed = synth((config) => {
      config.accounts = { build: config.accounts.build, production: config.accounts.prod };
      config.sources[0].destinations[1].account = 'production';
    });
    const report = compare(renamed);
    expect(report.findings.filter(atRisk)).toEqual([
      {
        kind: 'stack-renamed',
        from: 'ecr-destination-prod-eu-west-1',
        to: 'ecr-destination-production-eu-west-1',
        role: 'destination',
        registry: '222222222222/eu-west-1',
        migration: ['mv terraform-state/ecr-destination-prod-eu-west-1.tfstate terraform-state/ecr-destination-production-eu-west-1.tfstate'],
      },
    ]);
  });
});

describe('GIVEN a repository taken out with removal', () => {
  test('WHEN it is retained THEN the preview says it leaves management in every registry, and nothing is at risk', () => {
    const report = compare(synth((config) => (config.repositories.find((repository) => repository.name === 'web')!.removal = 'retain')));
    expect({ atRisk: report.findings.filter(atRisk), lines: formatChangeReport(report) }).toEqual({
      atRisk: [],
      lines: [
        'change preview (compared with the previous synthesis; deploy checks each plan against its state):',
        "  - repository web leaves Terraform's management in ecr-destination-build-us-west-2 (111111111111/us-west-2), ecr-destination-prod-eu-west-1 (222222222222/eu-west-1), ecr-source-build-us-east-1 (111111111111/us-east-1) (removal: retain): it and its images stay in AWS",
        '  - the replication configuration of ecr-source-build-us-east-1 will stop replicating the filters web',
      ],
    });
  });

  test('WHEN it is destroyed through removal: destroy THEN the deletion is reported as confirmed and not at risk', () => {
    const report = compare(synth((config) => (config.repositories.find((repository) => repository.name === 'web')!.removal = 'destroy')));
    expect(report.findings.filter(atRisk)).toEqual([]);
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'repository-deleted', repository: 'web', confirmed: true }));
  });
});

describe('GIVEN the key teardown switch turned on', () => {
  test('WHEN the outputs are compared THEN every stack whose key loses prevent_destroy is named', () => {
    const report = compare(synth((config) => (config.keys = { preventDestroy: false })));
    expect({ findings: report.findings }).toEqual({
      findings: [
        { kind: 'key-protection-off', stack: 'ecr-destination-build-us-west-2' },
        { kind: 'key-protection-off', stack: 'ecr-destination-prod-eu-west-1' },
        { kind: 'key-protection-off', stack: 'ecr-source-build-us-east-1' },
      ],
    });
  });
});

describe('GIVEN two sources sharing a destination', () => {
  const twoSources = (config: ConfigInput) => {
    config.accounts.dev = { id: '333333333333' };
    config.sources[0].repositories = ['team-a/api'];
    config.sources.push({ account: 'dev', region: 'us-east-1', repositories: ['web'], destinations: [{ account: 'prod', region: 'eu-west-1' }] });
  };

  test('WHEN one source stops replicating into it THEN the replicas only that source placed there are at risk in that registry', () => {
    const before = synth(twoSources);
    const after = synth((config) => {
      twoSources(config);
      config.sources[1].destinations = [{ account: 'build', region: 'us-west-2' }];
    });
    const report = compareOutputs(readSynthesizedOutput(before.outdir), readSynthesizedOutput(after.outdir));
    expect(report.findings.filter(atRisk)).toEqual([
      {
        kind: 'repository-deleted',
        repository: 'web',
        registries: [{ stack: 'ecr-destination-prod-eu-west-1', registry: '222222222222/eu-west-1' }],
        confirmed: false,
      },
    ]);
  });

  test('WHEN a source is removed THEN its stack is retired before the destinations only it fed', () => {
    const before = synth((config) => {
      twoSources(config);
      config.sources[1].destinations = [{ account: 'dev', region: 'eu-central-1' }];
    });
    const after = synth((config) => {
      config.sources[0].repositories = ['team-a/api'];
      config.repositories = config.repositories.filter((repository) => repository.name !== 'web');
    });
    const report = compareOutputs(readSynthesizedOutput(before.outdir), readSynthesizedOutput(after.outdir));
    expect(report.retirementSteps).toEqual([
      '(cd cdktf.out/retired/ecr-source-dev-us-east-1 && terraform init -input=false && terraform destroy)',
      '(cd cdktf.out/retired/ecr-destination-dev-eu-central-1 && terraform init -input=false && terraform destroy)',
    ]);
  });
});

describe('GIVEN the only repository with a lifecycle policy retained', () => {
  test('WHEN the outputs are compared THEN its policies are not reported as deleted, only the repository as leaving management', () => {
    const report = compare(synth((config) => (config.repositories.find((repository) => repository.name === 'team-a/api')!.removal = 'retain')));
    expect(report.findings.filter((finding) => finding.kind === 'resource-deleted')).toEqual([]);
    expect(report.findings.filter((finding) => finding.kind === 'repository-retained').map((finding) => finding.kind)).toEqual(['repository-retained']);
  });
});
