/**
 * A CDKTF user's own stack, composed from the library entry only
 * (modules/index.ts, the package root `ecr-kms-replication`), with an existing
 * key for one registry and our key for another, a repository handle in an
 * output, a grant, repositories taken out (retained and destroyed) and a
 * suppressed finding: it synthesizes and passes `terraform validate` against
 * the real provider schema (moved and removed blocks beside `prevent_destroy`,
 * the suppressions in the resources' `"//"` comments).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  ComplianceSuppressions,
  CreationTemplateRole,
  EcrEncryptionKey,
  ecrRegistry,
  EncryptedRepositories,
  ReplicationConfiguration,
  ReplicationRegistryPolicy,
  RemovalPolicy,
  RepositoryCreationTemplates,
} from '../modules';
import { startProviderServer } from '../test-support/provider-server';
import { prepareDirectory, requiredProviders, terraformAsync } from '../test-support/terraform';

class PlatformRegistryStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const build = ecrRegistry({
      provider: new AwsProvider(this, 'build', { alias: 'build', region: 'us-east-1', allowedAccountIds: ['111111111111'] }),
      accountId: '111111111111',
      region: 'us-east-1',
    });
    const prod = ecrRegistry({
      provider: new AwsProvider(this, 'prod', { alias: 'prod', region: 'eu-west-1', allowedAccountIds: ['222222222222'] }),
      accountId: '222222222222',
      region: 'eu-west-1',
    });

    const sourceKey = EcrEncryptionKey.fromKeyArn('arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new EncryptedRepositories(this, 'build_repositories', { registry: build, key: sourceKey, repositories: [{ name: 'team-a/api' }] });

    const prodKey = new EcrEncryptionKey(this, 'prod_key', { registry: prod, alias: 'alias/platform-images', description: 'platform images' });
    const prodRepositories = new EncryptedRepositories(this, 'prod_repositories', {
      registry: prod,
      key: prodKey,
      repositories: [{ name: 'team-a/api' }, { name: 'team-a/tools', imageTagMutability: 'MUTABLE' }],
      removedRepositories: [{ name: 'team-a/old' }, { name: 'scratch', removalPolicy: RemovalPolicy.DESTROY }],
    });
    prodRepositories.repository('team-a/api').grantPull('arn:aws:iam::222222222222:role/eks-node');
    ComplianceSuppressions.add(prodRepositories, [{ id: 'ECR-TAG-IMMUTABLE', reason: 'tools images are re-tagged nightly', instances: ['team-a/tools'] }]);
    new TerraformOutput(this, 'api_url', { value: prodRepositories.repository('team-a/api').repositoryUrl });
    new ReplicationRegistryPolicy(this, 'prod_registry_policy', {
      registry: prod,
      sources: [{ name: 'build', accountId: '111111111111', replicationFilters: ['team-a/api'] }],
    });
    new RepositoryCreationTemplates(this, 'prod_templates', {
      registry: prod,
      key: prodKey,
      role: new CreationTemplateRole(this, 'prod_template_role', { registry: prod, roleName: 'platform-ecr-templates', description: 'ECR templates' }),
      replicationFilters: ['team-a/api'],
      description: 'replicated repositories',
    });
    new ReplicationConfiguration(this, 'build_replication', {
      registry: build,
      rules: ReplicationConfiguration.rulesFor([{ accountId: '222222222222', region: 'eu-west-1' }], ['team-a/api']),
    });
  }
}

let outdir: string;
let stackDirectory: string;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'ecr-public-api-'));
  const app = new App({ outdir, stackTraces: false });
  new PlatformRegistryStack(app, 'platform');
  app.synth();
  stackDirectory = path.join(outdir, 'stacks', 'platform');
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

test('GIVEN a stack composed through the public API WHEN synthesized THEN each registry gets its resources through its own provider', () => {
  const json = JSON.parse(readFileSync(path.join(stackDirectory, 'cdk.tf.json'), 'utf8')) as {
    resource: Record<string, Record<string, { provider: string; encryption_configuration?: unknown }>>;
  };
  const providersOf = (type: string) => Object.values(json.resource[type]).map((resource) => resource.provider);
  expect(providersOf('aws_ecr_repository').sort()).toEqual(['aws.build', 'aws.prod']);
  expect(providersOf('aws_ecr_repository_policy')).toEqual(['aws.prod']);
  expect(providersOf('aws_kms_key')).toEqual(['aws.prod']);
  expect(providersOf('aws_ecr_replication_configuration')).toEqual(['aws.build']);
  const repositories = Object.values(json.resource.aws_ecr_repository).map((resource) => resource.encryption_configuration);
  expect(repositories).toEqual(
    expect.arrayContaining([
      [{ encryption_type: 'KMS', kms_key: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
      [{ encryption_type: 'KMS', kms_key: expect.stringMatching(/^\$\{aws_kms_key\.[A-Za-z0-9_]+\.arn\}$/) }],
    ]),
  );
});

test('GIVEN a stack composed through the public API THEN terraform validate accepts it', async () => {
  // A provider instance started once (test-support/provider-server.ts) instead of one per provider configuration.
  const server = await startProviderServer(prepareDirectory(stackDirectory, requiredProviders(stackDirectory)));
  let result;
  try {
    result = await terraformAsync(['validate', '-no-color'], stackDirectory, { env: server.environment });
  } finally {
    await server.stop();
  }
  expect(`${result.stdout}${result.stderr}`).toContain('Success! The configuration is valid.');
  expect(result.code).toBe(0);
});
