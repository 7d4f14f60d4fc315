import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { validateConfig } from '../config/load';
import { ConfigError, formatProblem, formatWarning } from '../config/problems';
import { ConfigInput } from '../config/schema';
import { buildReplicationStacks } from '../stacks/build-stacks';
import { auditStacks, AuditInputError, readAuditInput } from '../tools/audit/static-audit';
import { runAudit } from '../tools/audit/audit-command';
import { cleanupSynth, SynthesizedApp, synthesizeConfig } from '../test-support/synth';
import { exampleConfig, exampleConfigWith } from '../test-support/example-config';
import { SynthesizedStack } from '../test-support/fixtures';

const SOURCE = 'ecr-source-build-us-east-1';
const PROD = 'ecr-destination-prod-eu-west-1';

let example: SynthesizedApp;
let scratch: string;

beforeAll(() => {
  example = synthesizeConfig(exampleConfig());
  scratch = mkdtempSync(path.join(os.tmpdir(), 'ecr-audit-'));
});
afterAll(() => {
  cleanupSynth(example);
  rmSync(scratch, { recursive: true, force: true });
});

/** A copy of the example output with one stack's cdk.tf.json changed. */
function mutatedOutput(stack: string, mutate: (json: SynthesizedStack) => void): string {
  const outdir = mkdtempSync(path.join(scratch, 'out-'));
  cpSync(example.outdir, outdir, { recursive: true });
  const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as SynthesizedStack;
  mutate(json);
  writeFileSync(file, JSON.stringify(json));
  return outdir;
}

const findingsOf = (input: string) => auditStacks(readAuditInput(input)).map((finding) => `${finding.ruleId} ${finding.scope} ${finding.address}`);

describe('the static audit of the example', () => {
  test('GIVEN the synthesized example THEN it reports no finding in any of its three stacks', () => {
    const stacks = readAuditInput(example.outdir);
    expect(stacks.map((stack) => stack.stack)).toEqual(['ecr-destination-build-us-west-2', PROD, SOURCE]);
    expect(auditStacks(stacks)).toEqual([]);
  });

  test('GIVEN a single stack folder or its cdk.tf.json THEN only that stack is audited', () => {
    const folder = path.join(example.outdir, 'stacks', SOURCE);
    expect(readAuditInput(folder).map((stack) => stack.stack)).toEqual([SOURCE]);
    expect(readAuditInput(path.join(folder, 'cdk.tf.json')).map((stack) => stack.stack)).toEqual([SOURCE]);
  });
});

const repositoryEncryption = (encryption: unknown) => (json: SynthesizedStack) => {
  json.resource.aws_ecr_repository.repositories.encryption_configuration = encryption;
};

describe('the static audit of mutated output', () => {
  test.each<[string, string, (json: SynthesizedStack) => void, string[]]>([
    [
      'repositories encrypted with AES256',
      SOURCE,
      repositoryEncryption([{ encryption_type: 'AES256' }]),
      [`ECR-ENCRYPTED-CMK ${SOURCE} aws_ecr_repository.repositories["team-a/api"]`, `ECR-ENCRYPTED-CMK ${SOURCE} aws_ecr_repository.repositories["web"]`],
    ],
    [
      'repositories encrypted with aws/ecr',
      SOURCE,
      repositoryEncryption([{ encryption_type: 'KMS', kms_key: 'alias/aws/ecr' }]),
      [`ECR-ENCRYPTED-CMK ${SOURCE} aws_ecr_repository.repositories["team-a/api"]`, `ECR-ENCRYPTED-CMK ${SOURCE} aws_ecr_repository.repositories["web"]`],
    ],
    [
      'mutable tags on one repository',
      PROD,
      (json) => {
        (json.resource.aws_ecr_repository.repositories.for_each as Record<string, Record<string, unknown>>).web.image_tag_mutability = 'MUTABLE';
      },
      [`ECR-TAG-IMMUTABLE ${PROD} aws_ecr_repository.repositories["web"]`],
    ],
    [
      'no lifecycle policy',
      SOURCE,
      (json) => {
        delete json.resource.aws_ecr_lifecycle_policy;
      },
      [`ECR-LIFECYCLE-POLICY ${SOURCE} aws_ecr_repository.repositories["team-a/api"]`, `ECR-LIFECYCLE-POLICY ${SOURCE} aws_ecr_repository.repositories["web"]`],
    ],
    [
      'a wildcard principal in the key policy',
      SOURCE,
      (json) => {
        const key = json.resource.aws_kms_key.kms_key;
        const policy = JSON.parse(key.policy as string) as { Statement: { Principal: unknown }[] };
        policy.Statement[0].Principal = { AWS: '*' };
        key.policy = JSON.stringify(policy);
      },
      [`KMS-NO-WILDCARD-PRINCIPAL ${SOURCE} aws_kms_key.kms_key`],
    ],
    [
      'a registry policy on repository/*',
      PROD,
      (json) => {
        const registryPolicy = json.resource.aws_ecr_registry_policy.registry_policy;
        const policy = JSON.parse(registryPolicy.policy as string) as { Statement: { Resource: unknown }[] };
        policy.Statement[0].Resource = 'arn:aws:ecr:eu-west-1:222222222222:repository/*';
        registryPolicy.policy = JSON.stringify(policy);
      },
      [`ECR-REGISTRY-POLICY-SCOPED ${PROD} aws_ecr_registry_policy.registry_policy`],
    ],
    [
      'no registry scanning configuration',
      PROD,
      (json) => {
        delete json.resource.aws_ecr_registry_scanning_configuration;
      },
      [
        `ECR-REGISTRY-SCANNING ${PROD} aws_ecr_repository_creation_template.creation_templates["ROOT"]`,
        `ECR-REGISTRY-SCANNING ${PROD} aws_ecr_repository_creation_template.creation_templates["team-a"]`,
      ],
    ],
  ])('GIVEN %s THEN it reports the rule, the stack and the address', (_what, stack, mutate, expected) => {
    expect(findingsOf(mutatedOutput(stack, mutate))).toEqual(expected);
  });

  test('GIVEN an AES256 repository THEN the finding says why and how to fix, and names the file', () => {
    const outdir = mutatedOutput(SOURCE, repositoryEncryption([{ encryption_type: 'AES256' }]));
    const [finding] = auditStacks(readAuditInput(path.relative(process.cwd(), outdir)));
    expect(finding).toEqual({
      ruleId: 'ECR-ENCRYPTED-CMK',
      severity: 'error',
      scope: SOURCE,
      address: 'aws_ecr_repository.repositories["team-a/api"]',
      message: 'encryption_type is AES256, not KMS',
      why: expect.stringContaining('customer-managed KMS key'),
      fix: expect.stringContaining('create a KMS-encrypted repository, copy the images'),
      file: `${path.relative(process.cwd(), outdir).split(path.sep).join('/')}/stacks/${SOURCE}/cdk.tf.json`,
    });
  });
});

describe('npm run audit (static)', () => {
  const run = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const status = await runAudit(args, { environment: {}, streams: { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) } });
    return { status, stdout, stderr };
  };

  test('GIVEN the example output THEN it exits 0 and says so', async () => {
    expect(await run([example.outdir])).toEqual({ status: 0, stdout: 'No findings: 3 stacks comply with 9 rules.\n', stderr: '' });
  });

  test('GIVEN an output mutated to AES256 THEN it exits 1 and the table names the rule and the address', async () => {
    const { status, stdout } = await run([mutatedOutput(SOURCE, repositoryEncryption([{ encryption_type: 'AES256' }]))]);
    expect(status).toBe(1);
    expect(stdout).toContain(`error  ECR-ENCRYPTED-CMK  ${SOURCE}  aws_ecr_repository.repositories["web"]`);
  });

  test('GIVEN only warnings THEN --fail-on warning makes them fail', async () => {
    const outdir = mutatedOutput(PROD, (json) => {
      delete json.resource.aws_ecr_registry_scanning_configuration;
    });
    expect((await run([outdir])).status).toBe(0);
    expect((await run([outdir, '--fail-on', 'warning'])).status).toBe(1);
  });

  test('fails --config without --live as a usage error', async () => {
    expect(await run([example.outdir, '--config', 'ecr-replication.yaml'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'error: --config applies to --live only; the static audit reads synthesized output\n',
    });
  });
});

describe('the static audit of a terraform show -json plan', () => {
  /** The shape Terraform writes: planned values, unknown values marked in resource_changes, references in configuration. */
  function plan(kmsKey: Record<string, unknown>): string {
    const file = path.join(scratch, `plan-${Object.keys(kmsKey).join('-') || 'none'}.json`);
    const repository = {
      address: 'aws_ecr_repository.repositories["web"]',
      mode: 'managed',
      type: 'aws_ecr_repository',
      name: 'repositories',
      index: 'web',
      values: {
        name: 'web',
        image_tag_mutability: 'IMMUTABLE',
        image_scanning_configuration: [{ scan_on_push: true }],
        encryption_configuration: [{ encryption_type: 'KMS', ...kmsKey }],
      },
    };
    writeFileSync(
      file,
      JSON.stringify({
        format_version: '1.2',
        planned_values: {
          root_module: {
            resources: [
              repository,
              {
                address: 'aws_ecr_lifecycle_policy.lifecycle["web"]',
                mode: 'managed',
                type: 'aws_ecr_lifecycle_policy',
                name: 'lifecycle',
                index: 'web',
                values: { repository: 'web', policy: '{"rules":[]}' },
              },
            ],
          },
        },
        resource_changes: [{ address: repository.address, change: { after_unknown: { encryption_configuration: [{ kms_key: !('kms_key' in kmsKey) }] } } }],
        configuration: {
          root_module: {
            resources: [
              {
                address: 'aws_ecr_repository.repositories',
                expressions: { encryption_configuration: [{ kms_key: { references: ['aws_kms_key.kms_key.arn', 'aws_kms_key.kms_key'] } }] },
              },
            ],
          },
        },
      }),
    );
    return file;
  }

  test('GIVEN a key ARN still unknown at plan time THEN its reference to the stack key counts as customer-managed', () => {
    expect(findingsOf(plan({}))).toEqual([]);
  });

  test('GIVEN the aws/ecr alias THEN it reports the plan address with its for_each key', () => {
    expect(findingsOf(plan({ kms_key: 'alias/aws/ecr' }))).toEqual(['ECR-ENCRYPTED-CMK plan-kms_key aws_ecr_repository.repositories["web"]']);
  });
});

describe('bad inputs', () => {
  test.each([
    ['a missing folder', () => 'no-such-output', 'no-such-output: not found: run npm run synth first'],
    ['a folder without stacks', () => scratch, 'holds no synthesized stack (stacks/<name>/cdk.tf.json): run npm run synth first'],
    [
      'a file that is not JSON',
      () => {
        const file = path.join(scratch, 'broken.json');
        writeFileSync(file, '{');
        return file;
      },
      'cannot be read as JSON',
    ],
  ])('fails %s with a usage error that says what to do', (_what, input, message) => {
    expect(() => readAuditInput(input())).toThrow(AuditInputError);
    expect(() => readAuditInput(input())).toThrow(message);
  });
});

describe('what the stacks build for compliance', () => {
  const synthesizedStacks = (input: ConfigInput) => {
    const { config } = validateConfig(input, 'test.yaml');
    const stacks = buildReplicationStacks(Testing.app(), config);
    return new Map([...stacks.destinations, ...stacks.sources].map((stack) => [stack.stackName, JSON.parse(Testing.synth(stack)) as SynthesizedStack]));
  };

  test('GIVEN the example THEN every registry scans every repository on push (basic, wildcard filter)', () => {
    for (const json of synthesizedStacks(exampleConfig()).values()) {
      expect(json.resource.aws_ecr_registry_scanning_configuration.registry_scanning).toEqual(
        expect.objectContaining({
          scan_type: 'BASIC',
          rule: [{ scan_frequency: 'SCAN_ON_PUSH', repository_filter: [{ filter: '*', filter_type: 'WILDCARD' }] }],
        }),
      );
    }
  });

  test('GIVEN a repository without a lifecycle policy THEN it gets the default one, and one with its own keeps it', () => {
    const policies = synthesizedStacks(exampleConfig()).get(SOURCE)!.resource.aws_ecr_lifecycle_policy.repositories_lifecycle_policy.for_each as Record<
      string,
      string
    >;
    expect(JSON.parse(policies.web)).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: 'expire untagged images after 14 days',
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
          action: { type: 'expire' },
        },
      ],
    });
    expect((JSON.parse(policies['team-a/api']) as { rules: unknown[] }).rules).toHaveLength(2);
  });

  test('GIVEN the example THEN each creation template sets the default lifecycle policy', () => {
    const template = synthesizedStacks(exampleConfig()).get(PROD)!.resource.aws_ecr_repository_creation_template.creation_templates;
    expect(JSON.parse(template.lifecycle_policy as string)).toEqual({
      rules: [expect.objectContaining({ rulePriority: 1, selection: expect.objectContaining({ tagStatus: 'untagged', countNumber: 14 }) })],
    });
  });

  test('GIVEN enhanced continuous scanning of one namespace THEN the stacks carry those rules', () => {
    const stacks = synthesizedStacks(
      exampleConfigWith({
        scanning: {
          scanType: 'ENHANCED',
          rules: [
            { frequency: 'CONTINUOUS_SCAN', filters: ['team-a/*'] },
            { frequency: 'SCAN_ON_PUSH', filters: ['*'] },
          ],
        },
      }),
    );
    expect(stacks.get(PROD)!.resource.aws_ecr_registry_scanning_configuration.registry_scanning).toEqual(
      expect.objectContaining({
        scan_type: 'ENHANCED',
        rule: [
          { scan_frequency: 'CONTINUOUS_SCAN', repository_filter: [{ filter: 'team-a/*', filter_type: 'WILDCARD' }] },
          { scan_frequency: 'SCAN_ON_PUSH', repository_filter: [{ filter: '*', filter_type: 'WILDCARD' }] },
        ],
      }),
    );
  });

  test('GIVEN scanning switched off THEN no stack sets the registry scanning configuration', () => {
    for (const json of synthesizedStacks(exampleConfigWith({ scanning: { enabled: false } })).values()) {
      expect(json.resource.aws_ecr_registry_scanning_configuration).toBeUndefined();
    }
  });
});

describe('scanning settings in the config', () => {
  const problemsOf = (scanning: unknown): string[] => {
    try {
      validateConfig(exampleConfigWith({ scanning } as Partial<ConfigInput>), 'test.yaml');
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.problems.map(formatProblem);
    }
  };

  test('GIVEN scanning switched off THEN the config check warns that replicated repositories may go unscanned', () => {
    const { warnings } = validateConfig(exampleConfigWith({ scanning: { enabled: false } }), 'test.yaml');
    expect(warnings.map((warning) => formatWarning('test.yaml', warning))).toEqual([
      expect.stringContaining('warning: test.yaml: scanning.enabled (received false): the registries keep whatever scanning configuration they have'),
    ]);
  });

  test.each([
    [
      'continuous scanning with BASIC',
      { rules: [{ frequency: 'CONTINUOUS_SCAN', filters: ['*'] }] },
      'scanning.rules[0].frequency (received "CONTINUOUS_SCAN"): CONTINUOUS_SCAN needs scanType ENHANCED (basic scanning scans on push only): set scanType: ENHANCED or use SCAN_ON_PUSH',
    ],
    [
      'one frequency in two rules',
      {
        scanType: 'ENHANCED',
        rules: [
          { frequency: 'SCAN_ON_PUSH', filters: ['a*'] },
          { frequency: 'SCAN_ON_PUSH', filters: ['b*'] },
        ],
      },
      'scanning.rules[1].frequency (received "SCAN_ON_PUSH"): each frequency may appear in one rule only: merge the filters into the first rule with this frequency',
    ],
    [
      'an upper-case filter',
      { rules: [{ frequency: 'SCAN_ON_PUSH', filters: ['Team/*'] }] },
      'scanning.rules[0].filters[0] (received "Team/*"): must be lowercase letters, digits, ".", "_", "-", "/" and "*" wildcards, e.g. "*" or "team-a/*"',
    ],
  ])('fails %s with the field path, the value and the fix', (_what, scanning, problem) => {
    expect(problemsOf(scanning)).toEqual([problem]);
  });
});
