/**
 * Per-resource suppressions (cdk-nag's NagSuppressions, with a required
 * reason): a suppressed finding does not fail the synth, is written into the
 * resource's Terraform JSON comment, and `npm run audit` reports it as
 * suppressed with its reason in each format, without failing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Aspects, TerraformStack, Testing } from 'cdktf';
import { registryProvider } from '../modules/aws-provider';
import { ComplianceAspect } from '../modules/compliance/compliance-aspect';
import { ComplianceSuppressions } from '../modules/compliance/compliance-suppressions';
import { EcrEncryptionKey } from '../modules/encryption-key';
import { EncryptedRepositories } from '../modules/encrypted-repositories';
import { LifecyclePolicy } from '../modules/ecr/lifecycle-policy';
import { ecrRegistry } from '../modules/registry';
import { ReadableAddressStack } from '../stacks/readable-address-stack';
import { runAudit } from '../tools/audit/audit-command';

const EXPIRE_UNTAGGED: LifecyclePolicy = {
  rules: [
    { rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } },
  ],
};
const MUTABLE_REASON = 'CI re-tags latest on every build of web';
const AUDITOR_REASON = 'break-glass auditor statement, reviewed in SEC-42';

interface Built {
  readonly stack: TerraformStack;
  readonly key: EcrEncryptionKey;
  readonly repositories: EncryptedRepositories;
}

/** A registry with a key whose policy names everyone (an error) and two repositories with mutable tags (warnings). */
function platformStack(app: App, suppress: boolean): Built {
  const stack = new ReadableAddressStack(app, 'platform');
  const provider = registryProvider(stack, { name: 'build', accountId: '111111111111', region: 'us-east-1' });
  const registry = ecrRegistry({ provider, accountId: '111111111111', region: 'us-east-1' });
  const key = new EcrEncryptionKey(stack, 'kms_key', { registry, alias: 'alias/images', description: 'images' });
  key.addToResourcePolicy({ Sid: 'AllowAuditors', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:DescribeKey', Resource: '*' });
  const repositories = new EncryptedRepositories(stack, 'repositories', {
    registry,
    key,
    repositories: ['api', 'web'].map((name) => ({ name, imageTagMutability: 'MUTABLE' as const, lifecyclePolicy: EXPIRE_UNTAGGED })),
  });
  if (suppress) {
    ComplianceSuppressions.add(key, [{ id: 'KMS-NO-WILDCARD-PRINCIPAL', reason: AUDITOR_REASON }]);
    ComplianceSuppressions.add(repositories, [{ id: 'ECR-TAG-IMMUTABLE', reason: MUTABLE_REASON, instances: ['web'] }]);
  }
  Aspects.of(stack).add(new ComplianceAspect());
  return { stack, key, repositories };
}

const annotations = (app: App) =>
  app.node
    .findAll()
    .flatMap((node) =>
      node.node.metadata.filter((entry) => entry.type.startsWith('@cdktf/')).map((entry) => `${entry.type} ${node.node.path}: ${String(entry.data)}`),
    );

describe('GIVEN findings suppressed with a reason', () => {
  test('WHEN the app synthesizes THEN the suppressed error does not fail it, and only the unsuppressed instance is warned about', () => {
    const app = Testing.app();
    platformStack(app, true);
    app.synth();
    expect(annotations(app)).toEqual([
      `@cdktf/info platform/kms_key/Resource: KMS-NO-WILDCARD-PRINCIPAL: suppressed (${AUDITOR_REASON}): key policy statement AllowAuditors allows Principal "*"`,
      expect.stringMatching(/^@cdktf\/warn platform\/repositories\/Resource: ECR-TAG-IMMUTABLE \[api\]: image_tag_mutability is MUTABLE, not IMMUTABLE\. /),
      `@cdktf/info platform/repositories/Resource: ECR-TAG-IMMUTABLE [web]: suppressed (${MUTABLE_REASON}): image_tag_mutability is MUTABLE, not IMMUTABLE`,
    ]);
  });

  test('WHEN nothing is suppressed THEN the same app fails its synth on the error', () => {
    const app = Testing.app();
    platformStack(app, false);
    expect(() => app.synth()).toThrow('[platform/kms_key/Resource] KMS-NO-WILDCARD-PRINCIPAL: key policy statement AllowAuditors allows Principal "*"');
  });
});

describe('GIVEN the synthesized output of suppressed findings WHEN npm run audit reads it', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'ecr-suppressions-'));
    const app = new App({ outdir, stackTraces: false });
    platformStack(app, true);
    app.synth();
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('THEN each resource records its suppressions in its Terraform JSON comment', () => {
    const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', 'platform', 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, { '//': Record<string, unknown> }>>;
    };
    expect({
      key: json.resource.aws_kms_key.kms_key['//'].compliance_suppressions,
      alias: json.resource.aws_kms_alias.kms_key_alias['//'].compliance_suppressions,
      repositories: json.resource.aws_ecr_repository.repositories['//'].compliance_suppressions,
      lifecycle: json.resource.aws_ecr_lifecycle_policy.repositories_lifecycle_policy['//'].compliance_suppressions,
    }).toEqual({
      key: [{ id: 'KMS-NO-WILDCARD-PRINCIPAL', reason: AUDITOR_REASON }],
      alias: [{ id: 'KMS-NO-WILDCARD-PRINCIPAL', reason: AUDITOR_REASON }],
      repositories: [{ id: 'ECR-TAG-IMMUTABLE', reason: MUTABLE_REASON, instances: ['web'] }],
      lifecycle: [{ id: 'ECR-TAG-IMMUTABLE', reason: MUTABLE_REASON, instances: ['web'] }],
    });
  });

  const audit = async (...args: string[]) => {
    let stdout = '';
    const status = await runAudit([outdir, ...args], { environment: {}, streams: { stdout: (text) => (stdout += text), stderr: () => undefined } });
    return { status, stdout };
  };

  test('THEN the table lists them apart with their reasons, and only the unsuppressed warning counts', async () => {
    const { status, stdout } = await audit();
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('1 finding (0 errors, 1 warning) in 1 stack:');
    expect(lines.slice(lines.indexOf('2 suppressed findings (accepted with a reason; never fails the audit):'))).toEqual([
      '2 suppressed findings (accepted with a reason; never fails the audit):',
      '  level    rule                       stack     address                                 reason',
      '  -------  -------------------------  --------  --------------------------------------  -------------------------------------------------',
      `  error    KMS-NO-WILDCARD-PRINCIPAL  platform  aws_kms_key.kms_key                     ${AUDITOR_REASON}`,
      `  warning  ECR-TAG-IMMUTABLE          platform  aws_ecr_repository.repositories["web"]  ${MUTABLE_REASON}`,
      '',
    ]);
  });

  test('WHEN --fail-on warning THEN the unsuppressed warning fails it, the suppressed error does not count', async () => {
    expect((await audit('--fail-on', 'warning')).status).toBe(1);
  });

  test('THEN JSON counts them apart and each carries its reason', async () => {
    const report = JSON.parse((await audit('--format', 'json')).stdout) as {
      summary: unknown;
      findings: { ruleId: string; address: string; suppression?: { reason: string } }[];
    };
    expect(report.summary).toEqual({ findings: 1, errors: 0, warnings: 1, suppressed: 2 });
    expect(report.findings.map((finding) => [finding.ruleId, finding.address, finding.suppression?.reason])).toEqual([
      ['KMS-NO-WILDCARD-PRINCIPAL', 'aws_kms_key.kms_key', AUDITOR_REASON],
      ['ECR-TAG-IMMUTABLE', 'aws_ecr_repository.repositories["api"]', undefined],
      ['ECR-TAG-IMMUTABLE', 'aws_ecr_repository.repositories["web"]', MUTABLE_REASON],
    ]);
  });

  test('THEN SARIF marks each as an accepted in-source suppression with its justification', async () => {
    const sarif = JSON.parse((await audit('--format', 'sarif')).stdout) as {
      runs: { results: { ruleId: string; locations: { logicalLocations: { name: string }[] }[]; suppressions?: unknown }[] }[];
    };
    expect(sarif.runs[0].results.map((result) => [result.ruleId, result.locations[0].logicalLocations[0].name, result.suppressions])).toEqual([
      ['KMS-NO-WILDCARD-PRINCIPAL', 'aws_kms_key.kms_key', [{ kind: 'inSource', status: 'accepted', justification: AUDITOR_REASON }]],
      ['ECR-TAG-IMMUTABLE', 'aws_ecr_repository.repositories["api"]', undefined],
      ['ECR-TAG-IMMUTABLE', 'aws_ecr_repository.repositories["web"]', [{ kind: 'inSource', status: 'accepted', justification: MUTABLE_REASON }]],
    ]);
  });
});
