import * as path from 'node:path';
import { Testing } from 'cdktf';
import { loadConfigFile } from '../config/load';
import { buildReplicationStacks, ReplicationStacks } from '../stacks/build-stacks';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { ComplianceAspect } from '../modules/compliance/compliance-aspect';
import {
  auditSynthesizedStack,
  COMPLIANCE_RULES,
  ComplianceRule,
  ecrEncryptedWithCustomerManagedKey,
  ecrLifecyclePolicy,
  ecrNoPublicPolicy,
  ecrRegistryPolicyScoped,
  ecrRegistryScanning,
  ecrScanOnPushEnabled,
  ecrTagImmutability,
  expandInstances,
  kmsKeyRotationEnabled,
  kmsNoWildcardPrincipal,
  ResourceInstance,
  RuleContext,
  scanningFilterCoversPrefix,
} from '../modules/compliance/compliance-rules';
import { stackWithProvider } from '../test-support/fixtures';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/0d1e2f3a-1111-2222-3333-444455556666';
const policy = (principal: unknown, resource: string = '*') =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'S1', Effect: 'Allow', Principal: principal, Action: 'ecr:*', Resource: resource }] });
const instance = (type: string, attributes: Record<string, unknown>, name = 'x'): ResourceInstance => ({ type, name, address: `${type}.${name}`, attributes });
const terraform = (...resources: ResourceInstance[]): RuleContext => ({ origin: 'terraform', resources });
const scanning = (filter: string, frequency = 'SCAN_ON_PUSH') =>
  instance('aws_ecr_registry_scanning_configuration', {
    scan_type: 'BASIC',
    rule: [{ scan_frequency: frequency, repository_filter: [{ filter, filter_type: 'WILDCARD' }] }],
  });

interface Case {
  readonly rule: ComplianceRule;
  readonly type: string;
  readonly attributes: Record<string, unknown>;
  readonly context?: RuleContext;
}

// One compliant and one non-compliant case per rule (as cdk-nag tests its rules).
const COMPLIANT: [string, Case][] = [
  [
    'ECR-ENCRYPTED-CMK',
    {
      rule: ecrEncryptedWithCustomerManagedKey,
      type: 'aws_ecr_repository',
      attributes: { encryption_configuration: [{ encryption_type: 'KMS', kms_key: '${aws_kms_key.kms_key.arn}' }] },
    },
  ],
  ['KMS-ROTATION', { rule: kmsKeyRotationEnabled, type: 'aws_kms_key', attributes: { enable_key_rotation: true } }],
  [
    'KMS-NO-WILDCARD-PRINCIPAL',
    { rule: kmsNoWildcardPrincipal, type: 'aws_kms_key', attributes: { policy: policy({ AWS: 'arn:aws:iam::111111111111:root' }) } },
  ],
  ['ECR-SCAN-ON-PUSH', { rule: ecrScanOnPushEnabled, type: 'aws_ecr_repository', attributes: { image_scanning_configuration: [{ scan_on_push: true }] } }],
  [
    'ECR-REGISTRY-SCANNING',
    { rule: ecrRegistryScanning, type: 'aws_ecr_repository_creation_template', attributes: { prefix: 'ROOT' }, context: terraform(scanning('*')) },
  ],
  ['ECR-TAG-IMMUTABLE', { rule: ecrTagImmutability, type: 'aws_ecr_repository', attributes: { image_tag_mutability: 'IMMUTABLE' } }],
  [
    'ECR-LIFECYCLE-POLICY',
    {
      rule: ecrLifecyclePolicy,
      type: 'aws_ecr_repository',
      attributes: { name: 'web' },
      context: terraform(instance('aws_ecr_lifecycle_policy', { repository: 'web', policy: '{"rules":[]}' })),
    },
  ],
  [
    'ECR-NO-PUBLIC-POLICY',
    { rule: ecrNoPublicPolicy, type: 'aws_ecr_repository_policy', attributes: { policy: policy({ AWS: 'arn:aws:iam::222222222222:root' }) } },
  ],
  [
    'ECR-REGISTRY-POLICY-SCOPED',
    {
      rule: ecrRegistryPolicyScoped,
      type: 'aws_ecr_registry_policy',
      attributes: { policy: policy({ AWS: 'arn:aws:iam::111111111111:root' }, 'arn:aws:ecr:eu-west-1:222222222222:repository/web*') },
    },
  ],
];

const NON_COMPLIANT: [string, Case, string][] = [
  [
    'ECR-ENCRYPTED-CMK',
    { rule: ecrEncryptedWithCustomerManagedKey, type: 'aws_ecr_repository', attributes: { encryption_configuration: [{ encryption_type: 'AES256' }] } },
    'encryption_type is AES256, not KMS',
  ],
  ['KMS-ROTATION', { rule: kmsKeyRotationEnabled, type: 'aws_kms_key', attributes: {} }, 'enable_key_rotation is not true'],
  [
    'KMS-NO-WILDCARD-PRINCIPAL',
    { rule: kmsNoWildcardPrincipal, type: 'aws_kms_key', attributes: { policy: policy('*') } },
    'key policy statement S1 allows Principal "*"',
  ],
  [
    'ECR-SCAN-ON-PUSH',
    { rule: ecrScanOnPushEnabled, type: 'aws_ecr_repository', attributes: { image_scanning_configuration: [{ scan_on_push: false }] } },
    'image_scanning_configuration.scan_on_push is not true',
  ],
  [
    'ECR-REGISTRY-SCANNING',
    { rule: ecrRegistryScanning, type: 'aws_ecr_repository_creation_template', attributes: { prefix: 'team-a' }, context: terraform() },
    'no registry scanning configuration scans the repositories that template "team-a" creates',
  ],
  ['ECR-TAG-IMMUTABLE', { rule: ecrTagImmutability, type: 'aws_ecr_repository', attributes: {} }, 'image_tag_mutability is MUTABLE (default), not IMMUTABLE'],
  [
    'ECR-LIFECYCLE-POLICY',
    { rule: ecrLifecyclePolicy, type: 'aws_ecr_repository', attributes: { name: 'web' }, context: terraform() },
    'no aws_ecr_lifecycle_policy is attached to repository "web"',
  ],
  [
    'ECR-NO-PUBLIC-POLICY',
    { rule: ecrNoPublicPolicy, type: 'aws_ecr_repository_policy', attributes: { policy: policy({ AWS: '*' }) } },
    'policy statement S1 allows Principal "*"',
  ],
  [
    'ECR-REGISTRY-POLICY-SCOPED',
    {
      rule: ecrRegistryPolicyScoped,
      type: 'aws_ecr_registry_policy',
      attributes: { policy: policy({ AWS: 'arn:aws:iam::111111111111:root' }, 'arn:aws:ecr:eu-west-1:222222222222:repository/*') },
    },
    'the registry policy grants arn:aws:ecr:eu-west-1:222222222222:repository/*',
  ],
];

describe('compliance rules', () => {
  test('every rule has a compliant and a non-compliant case here', () => {
    const ids = COMPLIANCE_RULES.map((rule) => rule.id).sort();
    expect(COMPLIANT.map(([id]) => id).sort()).toEqual(ids);
    expect(NON_COMPLIANT.map(([id]) => id).sort()).toEqual(ids);
  });

  test.each(COMPLIANT)('GIVEN a compliant resource THEN %s is compliant', (_id, { rule, type, attributes, context }) => {
    expect(rule.check(type, attributes, context).status).toBe('compliant');
  });

  test.each(NON_COMPLIANT)('GIVEN a non-compliant resource THEN %s fails it', (_id, { rule, type, attributes, context }, reason) => {
    expect(rule.check(type, attributes, context)).toEqual({ status: 'non-compliant', reason });
  });

  test.each(COMPLIANCE_RULES.map((rule) => [rule.id, rule] as const))('%s does not apply to an IAM role', (_id, rule) => {
    expect(rule.check('aws_iam_role', {}).status).toBe('not-applicable');
  });

  test.each(COMPLIANCE_RULES.map((rule) => [rule.id, rule] as const))('%s says why it exists, how to fix it, and maps to external ids', (_id, rule) => {
    expect(rule.description.length).toBeGreaterThan(40);
    expect(rule.remediation.length).toBeGreaterThan(20);
    if (rule.id !== 'ECR-REGISTRY-POLICY-SCOPED') expect(rule.references.length).toBeGreaterThan(0);
  });

  test('the rules cover the external ids of the compliance bar', () => {
    const ids = COMPLIANCE_RULES.flatMap((rule) => rule.references.map((reference) => reference.id)).sort();
    expect(ids).toEqual(
      expect.arrayContaining([
        'CKV_AWS_136',
        'CKV_AWS_51',
        'CKV_AWS_163',
        'CKV_AWS_32',
        'CKV_AWS_7',
        'CKV_AWS_33',
        'AWS-0030',
        'AWS-0031',
        'AWS-0032',
        'AWS-0033',
        'AWS-0065',
        'ECR Repository Encrypted (awscmk)',
        'ECR.1',
        'ECR.2',
        'ECR.3',
        'ECR.5',
      ]),
    );
  });
});

describe('ECR-ENCRYPTED-CMK details', () => {
  test.each([
    ['a key ARN', { encryption_configuration: [{ encryption_type: 'KMS', kms_key: KEY_ARN }] }],
    ['a creation template with the stack key', { encryption_configuration: [{ encryption_type: 'KMS', kms_key: '${aws_kms_key.kms_key.arn}' }] }],
  ])('is compliant with %s', (_what, attributes) => {
    expect(ecrEncryptedWithCustomerManagedKey.check('aws_ecr_repository_creation_template', attributes).status).toBe('compliant');
  });

  test.each([
    ['no encryption configuration (AES256)', {}, 'encryption_type is AES256 (default), not KMS'],
    ['the AWS-managed key', { encryption_configuration: [{ encryption_type: 'KMS' }] }, 'kms_key is not set (the AWS-managed aws/ecr key)'],
    [
      'the aws/ecr alias',
      { encryption_configuration: [{ encryption_type: 'KMS', kms_key: 'alias/aws/ecr' }] },
      'kms_key "alias/aws/ecr" is not a customer-managed key',
    ],
  ])('fails %s', (_what, attributes, reason) => {
    expect(ecrEncryptedWithCustomerManagedKey.check('aws_ecr_repository', attributes)).toEqual({ status: 'non-compliant', reason });
  });

  test('fails, live, a key ARN that DescribeKey reports as AWS-managed', () => {
    const context: RuleContext = { origin: 'live', resources: [], keyManagers: new Map([[KEY_ARN, 'AWS']]) };
    expect(
      ecrEncryptedWithCustomerManagedKey.check('aws_ecr_repository', { encryption_configuration: [{ encryption_type: 'KMS', kms_key: KEY_ARN }] }, context),
    ).toEqual({
      status: 'non-compliant',
      reason: `kms_key "${KEY_ARN}" is managed by AWS (the AWS-managed aws/ecr key), not by the customer`,
    });
  });
});

describe('scanning and lifecycle details', () => {
  test.each([
    ['*', 'ROOT', true],
    ['*', 'team-a', true],
    ['team-a/*', 'team-a', true],
    ['team-*', 'team-a', true],
    ['team-b/*', 'team-a', false],
    ['team-a/api', 'team-a', false],
    ['team-a/*', 'ROOT', false],
  ])('GIVEN scanning filter %s THEN template prefix %s is covered: %s', (filter, prefix, covered) => {
    expect(scanningFilterCoversPrefix(filter, prefix)).toBe(covered);
  });

  test('fails a registry scanning configuration whose rules all scan manually', () => {
    expect(ecrRegistryScanning.check('aws_ecr_registry_scanning_configuration', scanning('*', 'MANUAL').attributes).status).toBe('non-compliant');
  });

  test("GIVEN a live repository without scan on push THEN the registry's scanning configuration covers it", () => {
    const context: RuleContext = { origin: 'live', resources: [scanning('team-*')] };
    expect(ecrScanOnPushEnabled.check('aws_ecr_repository', { name: 'team-a/api', image_scanning_configuration: [{ scan_on_push: false }] }, context)).toEqual({
      status: 'compliant',
      reason: "the registry's scanning configuration scans this repository",
    });
  });

  test('a lifecycle policy that references the repository resource covers it', () => {
    const context = terraform(
      instance('aws_ecr_repository', { name: 'legacy' }, 'legacy'),
      instance('aws_ecr_lifecycle_policy', { repository: '${aws_ecr_repository.legacy.name}', policy: '{"rules":[]}' }),
    );
    expect(ecrLifecyclePolicy.check('aws_ecr_repository', { name: 'legacy' }, context).status).toBe('compliant');
  });

  test('fails a creation template without a lifecycle policy', () => {
    expect(ecrLifecyclePolicy.check('aws_ecr_repository_creation_template', { prefix: 'ROOT' }).reason).toBe(
      'lifecycle_policy is not set: repositories the template creates get none',
    );
  });
});

describe('auditing synthesized output', () => {
  test('expands for_each maps before checking them', () => {
    const instances = expandInstances({
      for_each: { web: { scan_on_push: false }, api: { scan_on_push: true } },
      name: '${each.key}',
      image_scanning_configuration: { scan_on_push: '${each.value.scan_on_push}' },
    });
    expect(instances).toEqual([
      { key: 'web', attributes: { name: 'web', image_scanning_configuration: { scan_on_push: false } } },
      { key: 'api', attributes: { name: 'api', image_scanning_configuration: { scan_on_push: true } } },
    ]);
  });

  test('expands for_each sets written as toset([...])', () => {
    expect(expandInstances({ for_each: '${toset(["ROOT", "team-a"])}', prefix: '${each.value}' })).toEqual([
      { key: 'ROOT', attributes: { prefix: 'ROOT' } },
      { key: 'team-a', attributes: { prefix: 'team-a' } },
    ]);
  });

  test('reports each non-compliant instance by address', () => {
    const findings = auditSynthesizedStack({
      resource: {
        aws_ecr_repository: {
          repositories: {
            for_each: { web: { scan_on_push: false } },
            name: '${each.key}',
            image_tag_mutability: 'IMMUTABLE',
            image_scanning_configuration: { scan_on_push: '${each.value.scan_on_push}' },
            encryption_configuration: [{ encryption_type: 'AES256' }],
          },
        },
        aws_ecr_lifecycle_policy: { lifecycle: { for_each: { web: '{}' }, repository: '${each.key}', policy: '${each.value}' } },
      },
    });
    expect(findings.map((finding) => `${finding.rule.id} ${finding.address}`)).toEqual([
      'ECR-ENCRYPTED-CMK aws_ecr_repository.repositories["web"]',
      'ECR-SCAN-ON-PUSH aws_ecr_repository.repositories["web"]',
    ]);
  });
});

describe('ComplianceAspect', () => {
  const messagesOf = (node: { node: { metadata: { type: string; data: unknown }[] } }) =>
    node.node.metadata.filter((entry) => entry.type.startsWith('@cdktf/')).map((entry) => `${entry.type}: ${String(entry.data)}`);

  test('GIVEN resources built outside the constructs THEN it marks errors and warnings on each', () => {
    const { stack, provider } = stackWithProvider();
    const repository = new EcrRepository(stack, 'legacy', { provider, name: 'legacy', encryptionConfiguration: [{ encryptionType: 'AES256' }] });
    const key = new KmsKey(stack, 'unrotated', { provider });
    const aspect = new ComplianceAspect();
    aspect.visit(repository);
    aspect.visit(key);
    expect(messagesOf(repository)).toEqual([
      expect.stringMatching(/^@cdktf\/error: ECR-ENCRYPTED-CMK: encryption_type is AES256, not KMS\. ECR repositories must be encrypted/),
      expect.stringMatching(/^@cdktf\/warn: ECR-SCAN-ON-PUSH: image_scanning_configuration.scan_on_push is not true/),
      expect.stringMatching(/^@cdktf\/warn: ECR-TAG-IMMUTABLE: image_tag_mutability is MUTABLE \(default\), not IMMUTABLE/),
      expect.stringMatching(/^@cdktf\/warn: ECR-LIFECYCLE-POLICY: no aws_ecr_lifecycle_policy is attached to repository "legacy"/),
    ]);
    expect(messagesOf(key)).toEqual([expect.stringMatching(/^@cdktf\/error: KMS-ROTATION: enable_key_rotation is not true/)]);
  });

  test('GIVEN a lifecycle policy elsewhere in the stack THEN the repository it names is not reported for ECR-LIFECYCLE-POLICY', () => {
    const { stack, provider } = stackWithProvider();
    const repository = new EcrRepository(stack, 'legacy', {
      provider,
      name: 'legacy',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
    new EcrLifecyclePolicy(stack, 'legacy_lifecycle', { provider, repository: repository.name, policy: '{"rules":[]}' });
    new ComplianceAspect().visit(repository);
    expect(messagesOf(repository)).toEqual([expect.stringMatching(/^@cdktf\/error: ECR-ENCRYPTED-CMK/)]);
  });

  function annotationsAfterSynth(extra?: (stacks: ReplicationStacks) => void): string[] {
    const app = Testing.app();
    const stacks = buildReplicationStacks(app, loadConfigFile('ecr-replication.yaml', path.resolve(__dirname, '..')).config);
    extra?.(stacks);
    app.synth();
    return app.node
      .findAll()
      .flatMap((node) => node.node.metadata.filter((entry) => entry.type.startsWith('@cdktf/')).map((entry) => `${node.node.path}: ${String(entry.data)}`));
  }

  test("finds nothing to report on the project's own example stacks", () => {
    expect(annotationsAfterSynth()).toEqual([]);
  });

  test('fails the synth of any stack the app builds on an error-level finding', () => {
    expect(() =>
      annotationsAfterSynth((stacks) => {
        const source = stacks.sources[0];
        new EcrRepository(source, 'unencrypted', { provider: source.provider, name: 'unencrypted' });
      }),
    ).toThrow('[ecr-source-build-us-east-1/unencrypted] ECR-ENCRYPTED-CMK: encryption_type is AES256 (default), not KMS.');
  });
});
