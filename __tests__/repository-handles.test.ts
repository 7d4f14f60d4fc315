/**
 * What aws-cdk's aws-ecr users expect, carried into Terraform: a handle per
 * repository whose attributes are indexed references (never a splat), grants
 * that add repository-policy statements, an existing repository by name, and
 * a removal policy that never lets a repository leave silently.
 */
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EcrEncryptionKey } from '../modules/encryption-key';
import { EncryptedRepositories, EncryptedRepositoriesProps } from '../modules/encrypted-repositories';
import { ecrRegistry } from '../modules/registry';
import { RemovalPolicy } from '../modules/removal-policy';
import { PULL_ACTIONS, PUSH_ACTIONS } from '../modules/policies/repository-policy';
import { BUILD_ACCOUNT, parsePolicy, stackWithProvider, synthesize, SynthesizedStack, TestStack } from '../test-support/fixtures';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const EKS_NODE = 'arn:aws:iam::222222222222:role/eks-node';
const CI = 'arn:aws:iam::111111111111:role/ci-image-publisher';

function withRepositories(props: Partial<EncryptedRepositoriesProps> = {}, test: TestStack = stackWithProvider()) {
  const repositories = new EncryptedRepositories(test.stack, 'repositories', {
    registry: test.registry,
    key: EcrEncryptionKey.fromKeyArn(KEY_ARN),
    repositories: [{ name: 'team-a/api' }, { name: 'web' }],
    ...props,
  });
  return { ...test, repositories };
}

const policiesOf = (synthesized: SynthesizedStack) =>
  synthesized.resource.aws_ecr_repository_policy?.repositories_policy?.for_each as Record<string, string> | undefined;

describe('GIVEN the handle of one repository', () => {
  test('WHEN its attributes are written to outputs THEN each is a reference to its own instance, never a splat', () => {
    const { stack, repositories } = withRepositories();
    const api = repositories.repository('team-a/api');
    for (const [name, value] of Object.entries({
      name: api.repositoryName,
      arn: api.repositoryArn,
      url: api.repositoryUrl,
      registry: api.registryId,
    })) {
      new TerraformOutput(stack, name, { value });
    }
    const outputs = synthesize(stack).output!;
    expect(Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]))).toEqual({
      name: '${aws_ecr_repository.repositories["team-a/api"].name}',
      arn: '${aws_ecr_repository.repositories["team-a/api"].arn}',
      url: '${aws_ecr_repository.repositories["team-a/api"].repository_url}',
      registry: '${aws_ecr_repository.repositories["team-a/api"].registry_id}',
    });
  });

  test('WHEN another stack of the app uses its URL THEN the reference crosses stacks as an output of that instance', () => {
    const app = Testing.app();
    const registryStack = new TerraformStack(app, 'registry');
    const registry = ecrRegistry({
      provider: new AwsProvider(registryStack, 'aws', { region: 'us-east-1', allowedAccountIds: [BUILD_ACCOUNT] }),
      accountId: BUILD_ACCOUNT,
      region: 'us-east-1',
    });
    const repositories = new EncryptedRepositories(registryStack, 'repositories', {
      registry,
      key: EcrEncryptionKey.fromKeyArn(KEY_ARN),
      repositories: [{ name: 'web' }],
    });
    const consumer = new TerraformStack(app, 'service');
    new TerraformOutput(consumer, 'image', { value: repositories.repository('web').repositoryUrl });
    app.synth();
    const produced = JSON.parse(Testing.synth(registryStack)) as { output: Record<string, { value: string }> };
    expect(Object.values(produced.output).map((output) => output.value)).toEqual([
      // A plain TerraformStack's address ends in a hash of the construct path.
      expect.stringMatching(/^\$\{aws_ecr_repository\.repositories_[0-9A-F]{8}\["web"\]\.repository_url\}$/),
    ]);
    const consumed = JSON.parse(Testing.synth(consumer)) as { output: { image: { value: string } }; data: Record<string, unknown> };
    expect(consumed.output.image.value).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-registry\.outputs\./);
  });

  test('WHEN it is asked for twice THEN it is the same handle', () => {
    const { repositories } = withRepositories();
    expect(repositories.repository('web')).toBe(repositories.repository('web'));
  });
});

describe('GIVEN grants on handles', () => {
  test('WHEN a principal is granted pull and another push after construction THEN the repository policy holds the least-privilege actions of each', () => {
    const { stack, repositories } = withRepositories();
    repositories.repository('team-a/api').grantPull(EKS_NODE);
    repositories.repository('team-a/api').grantPush(CI);
    const policies = policiesOf(synthesize(stack))!;
    expect(Object.keys(policies)).toEqual(['team-a/api']);
    expect(parsePolicy(policies['team-a/api']).Statement).toEqual([
      { Sid: 'AllowPull', Effect: 'Allow', Principal: { AWS: [EKS_NODE] }, Action: PULL_ACTIONS },
      { Sid: 'AllowPush', Effect: 'Allow', Principal: { AWS: [CI] }, Action: PUSH_ACTIONS },
    ]);
    expect(PULL_ACTIONS).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
    expect(PUSH_ACTIONS).toEqual([
      'ecr:BatchCheckLayerAvailability',
      'ecr:CompleteLayerUpload',
      'ecr:InitiateLayerUpload',
      'ecr:PutImage',
      'ecr:UploadLayerPart',
    ]);
  });

  test('WHEN a grant repeats a principal of the props THEN the statement names it once, beside the others, sorted', () => {
    const { stack, repositories } = withRepositories({ repositories: [{ name: 'web', pullPrincipals: [EKS_NODE] }] });
    repositories.repository('web').grantPull(EKS_NODE);
    repositories.repository('web').grantPull(CI);
    expect(parsePolicy(policiesOf(synthesize(stack))!.web).Statement).toEqual([
      { Sid: 'AllowPull', Effect: 'Allow', Principal: { AWS: [CI, EKS_NODE] }, Action: PULL_ACTIONS },
    ]);
  });

  test('WHEN nothing is granted THEN no repository policy and no lifecycle policy resource is written', () => {
    const synthesized = synthesize(withRepositories().stack);
    expect(Object.keys(synthesized.resource)).toEqual(['aws_ecr_repository']);
  });
});

describe('GIVEN an existing repository by name', () => {
  test.each([
    ['us-east-1', 'arn:aws:ecr:us-east-1:111111111111:repository/legacy/app', '111111111111.dkr.ecr.us-east-1.amazonaws.com/legacy/app'],
    ['cn-north-1', 'arn:aws-cn:ecr:cn-north-1:111111111111:repository/legacy/app', '111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn/legacy/app'],
    ['us-gov-west-1', 'arn:aws-us-gov:ecr:us-gov-west-1:111111111111:repository/legacy/app', '111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/legacy/app'],
  ])('WHEN its registry is in %s THEN ARN and URL follow the partition, and nothing is created', (region, arn, url) => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    const registry = ecrRegistry({ provider: new AwsProvider(stack, 'aws', { region }), accountId: BUILD_ACCOUNT, region });
    const existing = EncryptedRepositories.fromRepositoryName(stack, 'legacy', { registry, repositoryName: 'legacy/app' });
    expect(existing).toEqual({ repositoryName: 'legacy/app', repositoryArn: arn, repositoryUrl: url, registryId: BUILD_ACCOUNT });
    expect(synthesize(stack).resource).toBeUndefined();
  });
});

describe('GIVEN the removal policy', () => {
  const repositoryResource = (synthesized: SynthesizedStack) => synthesized.resource.aws_ecr_repository.repositories;

  test('WHEN it is left at its default THEN it is RETAIN: the repositories carry prevent_destroy', () => {
    expect(repositoryResource(synthesize(withRepositories().stack)).lifecycle).toEqual({ prevent_destroy: true });
  });

  test('WHEN it is DESTROY THEN the repositories carry no lifecycle block', () => {
    expect(repositoryResource(synthesize(withRepositories({ removalPolicy: RemovalPolicy.DESTROY }).stack)).lifecycle).toBeUndefined();
  });

  test('WHEN repositories are named as removed THEN each is moved out of the for_each and removed, retained with its policies, destroyed alone', () => {
    const { stack } = withRepositories({
      repositories: [{ name: 'web' }],
      removedRepositories: [{ name: 'team-a/api' }, { name: 'scratch', removalPolicy: RemovalPolicy.DESTROY }],
    });
    const synthesized = synthesize(stack) as SynthesizedStack & { moved: unknown; removed: unknown };
    expect({ moved: synthesized.moved, removed: synthesized.removed }).toEqual({
      moved: [
        { from: 'aws_ecr_repository.repositories["scratch"]', to: 'aws_ecr_repository.retired_scratch' },
        { from: 'aws_ecr_repository.repositories["team-a/api"]', to: 'aws_ecr_repository.retired_team-a_api' },
        { from: 'aws_ecr_lifecycle_policy.repositories_lifecycle_policy["team-a/api"]', to: 'aws_ecr_lifecycle_policy.retired_team-a_api' },
        { from: 'aws_ecr_repository_policy.repositories_policy["team-a/api"]', to: 'aws_ecr_repository_policy.retired_team-a_api' },
      ],
      removed: [
        { from: 'aws_ecr_repository.retired_scratch', lifecycle: { destroy: true } },
        { from: 'aws_ecr_repository.retired_team-a_api', lifecycle: { destroy: false } },
        { from: 'aws_ecr_lifecycle_policy.retired_team-a_api', lifecycle: { destroy: false } },
        { from: 'aws_ecr_repository_policy.retired_team-a_api', lifecycle: { destroy: false } },
      ],
    });
  });

  test('WHEN the construct is DESTROY THEN a removed repository without its own policy is destroyed', () => {
    const { stack } = withRepositories({ repositories: [{ name: 'web' }], removalPolicy: RemovalPolicy.DESTROY, removedRepositories: [{ name: 'old' }] });
    expect((synthesize(stack) as SynthesizedStack & { removed: unknown }).removed).toEqual([
      { from: 'aws_ecr_repository.retired_old', lifecycle: { destroy: true } },
    ]);
  });

  test('WHEN two constructs of one stack retire the same name THEN each gets an address of its own', () => {
    const test = stackWithProvider();
    withRepositories({ repositories: [{ name: 'web' }], removedRepositories: [{ name: 'old' }] }, test);
    new EncryptedRepositories(test.stack, 'mirrors', {
      registry: test.registry,
      key: EcrEncryptionKey.fromKeyArn(KEY_ARN),
      repositories: [{ name: 'mirror/web' }],
      removedRepositories: [{ name: 'old', removalPolicy: RemovalPolicy.DESTROY }],
    });
    const removed = (synthesize(test.stack) as SynthesizedStack & { removed: { from: string }[] }).removed.map((block) => block.from);
    expect(removed).toEqual([
      'aws_ecr_repository.retired_old',
      'aws_ecr_lifecycle_policy.retired_old',
      'aws_ecr_repository_policy.retired_old',
      expect.stringMatching(/^aws_ecr_repository\.retired_old_[0-9a-f]{8}$/),
    ]);
    expect(new Set(removed).size).toBe(4);
  });
});
