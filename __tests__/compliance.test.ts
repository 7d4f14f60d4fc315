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

describe('GIVEN the ECR-ENCRYPTED-CMK rule', () => {
  test.each([
    ['a key of the configuration', { encryption_configuration: [{ encryption_type: 'KMS', kms_key: '${aws_kms_key.kms_key.arn}' }] }],
    [
      'a key ARN',
      { encryption_configuration: [{ encryption_type: 'KMS', kms_key: 'arn:aws:kms:us-east-1:111111111111:key/0d1e2f3a-1111-2222-3333-444455556666' }] },
    ],
  ])('WHEN a repository is encrypted with %s THEN it is compliant', (_what, attributes) => {
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
  ])('WHEN a repository has %s THEN it is non-compliant, with the reason', (_what, attributes, reason) => {
    expect(ecrEncryptedWithCustomerManagedKey.check('aws_ecr_repository', attributes)).toEqual({ status: 'non-compliant', reason });
  });

  test('WHEN it meets another resource type THEN it does not apply', () => {
    expect(ecrEncryptedWithCustomerManagedKey.check('aws_kms_key', {}).status).toBe('not-applicable');
  });
});

describe('GIVEN the KMS-ROTATION rule', () => {
  test.each([
    [{ enable_key_rotation: true }, 'compliant'],
    [{ enable_key_rotation: false }, 'non-compliant'],
    [{}, 'non-compliant'],
  ])('WHEN a key has %p THEN it is %s', (attributes, status) => {
    expect(kmsKeyRotationEnabled.check('aws_kms_key', attributes).status).toBe(status);
  });
});

describe('GIVEN the ECR-SCAN-ON-PUSH rule', () => {
  test.each([
    [{ image_scanning_configuration: { scan_on_push: true } }, 'compliant'],
    [{ image_scanning_configuration: { scan_on_push: false } }, 'non-compliant'],
  ])('WHEN a repository has %p THEN it is %s', (attributes, status) => {
    expect(ecrScanOnPushEnabled.check('aws_ecr_repository', attributes).status).toBe(status);
  });
});

describe('GIVEN synthesized Terraform JSON', () => {
  test('WHEN a resource has for_each THEN its instances are expanded before they are checked', () => {
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

  test('WHEN an instance breaks rules THEN each finding names the rule and the instance address', () => {
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

describe('GIVEN the ComplianceAspect', () => {
  test('WHEN it visits a repository without a customer-managed key and a key without rotation THEN it marks both as errors', () => {
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

  test("WHEN it visits the project's own example stacks THEN it reports nothing", () => {
    expect(annotationsAfterSynth()).toEqual([]);
  });

  test('WHEN a stack of the app holds an error-level finding THEN the synth fails', () => {
    expect(() =>
      annotationsAfterSynth((stacks) => {
        const source = stacks.sources[0];
        new EcrRepository(source, 'unencrypted', { provider: source.provider, name: 'unencrypted' });
      }),
    ).toThrow('[ecr-source-build-us-east-1/unencrypted] ECR-ENCRYPTED-CMK: encryption_type is AES256 (default), not KMS.');
  });
});
