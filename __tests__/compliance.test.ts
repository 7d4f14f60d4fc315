import * as path from 'node:path';
import { Testing } from 'cdktf';
import { loadConfigFile } from '../config/load';
import { buildReplicationStacks, ReplicationStacks } from '../stacks/build-stacks';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { ComplianceAspect } from '../compliance/compliance-aspect';
import {
  auditSynthesizedStack,
  ecrEncryptedWithCustomerManagedKey,
  ecrScanOnPushEnabled,
  expandInstances,
  kmsKeyRotationEnabled,
} from '../compliance/compliance-rules';
import { stackWithProvider } from '../test-support/fixtures';

describe('ECR-ENCRYPTED-CMK', () => {
  test.each([
    ['a key of the configuration', { encryption_configuration: [{ encryption_type: 'KMS', kms_key: '${aws_kms_key.kms_key.arn}' }] }],
    [
      'a key ARN',
      { encryption_configuration: [{ encryption_type: 'KMS', kms_key: 'arn:aws:kms:us-east-1:111111111111:key/0d1e2f3a-1111-2222-3333-444455556666' }] },
    ],
  ])('is compliant with %s', (_what, attributes) => {
    expect(ecrEncryptedWithCustomerManagedKey.check('aws_ecr_repository', attributes).status).toBe('compliant');
  });

  test.each([
    ['no encryption configuration (AES256)', {}, 'encryption_type is AES256 (default), not KMS'],
    ['AES256', { encryption_configuration: [{ encryption_type: 'AES256' }] }, 'encryption_type is AES256, not KMS'],
    ['the AWS-managed key', { encryption_configuration: [{ encryption_type: 'KMS' }] }, 'kms_key is not set (the AWS-managed aws/ecr key)'],
    [
      'the aws/ecr alias',
      { encryption_configuration: [{ encryption_type: 'KMS', kms_key: 'alias/aws/ecr' }] },
      'kms_key "alias/aws/ecr" is not a customer-managed key',
    ],
  ])('is non-compliant with %s', (_what, attributes, reason) => {
    expect(ecrEncryptedWithCustomerManagedKey.check('aws_ecr_repository', attributes)).toEqual({ status: 'non-compliant', reason });
  });

  test('does not apply to other resources', () => {
    expect(ecrEncryptedWithCustomerManagedKey.check('aws_kms_key', {}).status).toBe('not-applicable');
  });
});

describe('KMS-ROTATION and ECR-SCAN-ON-PUSH', () => {
  test('rotation must be on', () => {
    expect(kmsKeyRotationEnabled.check('aws_kms_key', { enable_key_rotation: true }).status).toBe('compliant');
    expect(kmsKeyRotationEnabled.check('aws_kms_key', {}).status).toBe('non-compliant');
  });

  test('scan on push should be on', () => {
    expect(ecrScanOnPushEnabled.check('aws_ecr_repository', { image_scanning_configuration: { scan_on_push: true } }).status).toBe('compliant');
    expect(ecrScanOnPushEnabled.check('aws_ecr_repository', { image_scanning_configuration: { scan_on_push: false } }).status).toBe('non-compliant');
  });
});

describe('auditing synthesized output', () => {
  test('expands for_each instances before checking them', () => {
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

  test('reports each non-compliant instance by address', () => {
    const findings = auditSynthesizedStack({
      resource: {
        aws_ecr_repository: {
          repositories: {
            for_each: { web: { scan_on_push: false } },
            image_scanning_configuration: { scan_on_push: '${each.value.scan_on_push}' },
            encryption_configuration: [{ encryption_type: 'AES256' }],
          },
        },
      },
    });
    expect(findings.map((finding) => `${finding.rule.id} ${finding.address}`)).toEqual([
      'ECR-ENCRYPTED-CMK aws_ecr_repository.repositories["web"]',
      'ECR-SCAN-ON-PUSH aws_ecr_repository.repositories["web"]',
    ]);
  });
});

describe('ComplianceAspect', () => {
  test('marks a repository without a customer-managed key as an error and a key without rotation too', () => {
    // GIVEN resources built outside the project's constructs
    const { stack, provider } = stackWithProvider();
    const repository = new EcrRepository(stack, 'legacy', { provider, name: 'legacy', encryptionConfiguration: [{ encryptionType: 'AES256' }] });
    const key = new KmsKey(stack, 'unrotated', { provider });
    // WHEN
    new ComplianceAspect().visit(repository);
    new ComplianceAspect().visit(key);
    // THEN
    const messages = (node: typeof repository | typeof key) =>
      node.node.metadata.filter((entry) => entry.type.startsWith('@cdktf/')).map((entry) => `${entry.type}: ${String(entry.data)}`);
    expect(messages(repository)).toEqual([
      expect.stringMatching(/^@cdktf\/error: ECR-ENCRYPTED-CMK: encryption_type is AES256, not KMS\. ECR repositories must be encrypted/),
      expect.stringMatching(/^@cdktf\/warn: ECR-SCAN-ON-PUSH: image_scanning_configuration.scan_on_push is not true/),
    ]);
    expect(messages(key)).toEqual([expect.stringMatching(/^@cdktf\/error: KMS-ROTATION: enable_key_rotation is not true/)]);
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
