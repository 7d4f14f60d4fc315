/**
 * The deploy hooks (tools/recovery/project-deploy-hooks.ts) against moto: the
 * leftovers of an interrupted apply, a renamed account and a hand-made
 * repository are created with the AWS SDK in scenario accounts, the hook is
 * called with the plan deploy would make, and its answer and its effect on
 * AWS are read back. First, the premise: the provider's default tags reach
 * the template role at its creation (the key and repositories: see
 * retain-teardown.test.ts).
 */
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { ConfigInput } from '../../config/schema';
import { STACK_TAG } from '../../stacks/resource-names';
import { TerraformPlanJson } from '../../tools/plan-check/plan-json';
import { bareChange as change } from '../../test-support/plan-json';
import { projectDeployHooks } from '../../tools/recovery/project-deploy-hooks';
import { StackContext } from '../../tools/recovery/deploy-hooks';
import { accountClientOptions, emulatorEndpoint, emulatorEnvironment, scenarioAccounts } from '../../test-support/emulator';
import { cleanupSynth, SynthesizedApp, synthesizeConfig } from '../../test-support/synth';
import { terraformAsync } from '../../test-support/terraform';

const REGION = 'eu-west-1';

/** One source (build, us-east-1) replicating web and team-a/api to prod in eu-west-1, in the scenario's own accounts. */
function scenarioConfig(scenario: string, templates = false): { config: ConfigInput; build: string; prod: string } {
  const [build, prod] = scenarioAccounts(scenario, 2);
  const config = {
    accounts: {
      build: { id: build, deployRoleArn: `arn:aws:iam::${build}:role/deployer` },
      prod: { id: prod, deployRoleArn: `arn:aws:iam::${prod}:role/deployer` },
    },
    repositories: [{ name: 'team-a/api' }, { name: 'web' }],
    sources: [{ account: 'build', region: 'us-east-1', destinations: [{ account: 'prod', region: REGION, repositoryCreationTemplates: templates }] }],
    endpoint: { url: emulatorEndpoint() },
  } as ConfigInput;
  return { config, build, prod };
}

interface Scenario {
  readonly app: SynthesizedApp;
  readonly prod: string;
  readonly stack: string;
  readonly context: StackContext;
  readonly kms: KMSClient;
  readonly ecr: ECRClient;
  readonly description: string;
}

const apps: SynthesizedApp[] = [];
afterAll(() => apps.forEach(cleanupSynth));

async function scenario(name: string): Promise<Scenario> {
  const { config, prod } = scenarioConfig(name);
  const app = synthesizeConfig(config);
  apps.push(app);
  const stack = 'ecr-destination-prod-eu-west-1';
  const options = await accountClientOptions(prod, REGION);
  return {
    app,
    prod,
    stack,
    context: { stackName: stack, directory: app.stack(stack).directory, environment: emulatorEnvironment() },
    kms: new KMSClient(options),
    ecr: new ECRClient(options),
    description: `ECR repositories of account ${prod} in ${REGION} (ecr-kms-replication)`,
  };
}

const tags = (stack: string | undefined) => (stack === undefined ? [] : [{ TagKey: STACK_TAG, TagValue: stack }]);

async function createKey(s: Scenario, stack: string | undefined): Promise<{ keyId: string; arn: string }> {
  const created = await s.kms.send(new CreateKeyCommand({ Description: s.description, Tags: tags(stack) }));
  return { keyId: created.KeyMetadata!.KeyId!, arn: created.KeyMetadata!.Arn! };
}

async function createRepository(s: Scenario, name: string, keyArn: string, stack: string | undefined): Promise<void> {
  await s.ecr.send(
    new CreateRepositoryCommand({
      repositoryName: name,
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: keyArn },
      tags: stack === undefined ? [] : [{ Key: STACK_TAG, Value: stack }],
    }),
  );
}

/** The destination's first plan: key, alias and both repositories are created. */
const FIRST_PLAN: TerraformPlanJson = {
  resource_changes: [
    change('aws_kms_key.kms_key', ['create']),
    change('aws_kms_alias.kms_key_alias', ['create']),
    change('aws_ecr_repository.repositories["team-a/api"]', ['create']),
    change('aws_ecr_repository.repositories["web"]', ['create']),
  ],
};

const hooks = projectDeployHooks();

test('GIVEN the template role applied against moto THEN it carries the stack tag and the config tags (the key and repositories: retain-teardown.test.ts)', async () => {
  const { config, prod } = scenarioConfig('recovery-provider-tags', true);
  const app = synthesizeConfig({ ...config, tags: { Project: 'tag-check' } });
  apps.push(app);
  const directory = app.stack('ecr-destination-prod-eu-west-1').directory;
  const env = { ...(emulatorEnvironment({}) as Record<string, string>) };
  const init = await terraformAsync(['init', '-input=false', '-no-color'], directory, { env });
  expect({ code: init.code, stderr: init.stderr }).toEqual({ code: 0, stderr: '' });
  // moto has no creation templates: the role alone (the only resource a stack applies that needs templates on).
  const applied = await terraformAsync(['apply', '-auto-approve', '-input=false', '-no-color', '-target=aws_iam_role.creation_template_role'], directory, {
    env,
  });
  expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });

  const role = await new IAMClient(await accountClientOptions(prod, REGION)).send(new GetRoleCommand({ RoleName: 'ecr-replication-templates-eu-west-1' }));
  expect(Object.fromEntries((role.Role?.Tags ?? []).map((tag) => [tag.Key, tag.Value]))).toEqual({
    Project: 'tag-check',
    [STACK_TAG]: 'ecr-destination-prod-eu-west-1',
  });
});

test('GIVEN the key, its alias and a repository an interrupted apply left WHEN adopt answers THEN each is imported, and no key is deleted', async () => {
  const s = await scenario('recovery-after-alias');
  const key = await createKey(s, s.stack);
  await s.kms.send(new CreateAliasCommand({ AliasName: 'alias/ecr-kms-replication', TargetKeyId: key.keyId }));
  await createRepository(s, 'web', key.arn, s.stack);
  const answer = await hooks.adopt(s.context, FIRST_PLAN);
  expect(answer).toEqual({
    imports: [
      { to: 'aws_ecr_repository.repositories["web"]', id: 'web', provider: 'aws.prod_eu_west_1' },
      { to: 'aws_kms_alias.kms_key_alias', id: 'alias/ecr-kms-replication', provider: 'aws.prod_eu_west_1' },
      { to: 'aws_kms_key.kms_key', id: key.keyId, provider: 'aws.prod_eu_west_1' },
    ],
    refusals: [],
    notes: [
      `adopting what an interrupted apply of this stack created but never recorded: aws_ecr_repository.repositories["web"] (web), aws_kms_alias.kms_key_alias (alias/ecr-kms-replication), aws_kms_key.kms_key (${key.keyId})`,
    ],
  });
});

test('GIVEN two keys of the stack, the alias on the first WHEN adopt answers THEN the first is imported and the unused second is pending deletion in AWS', async () => {
  const s = await scenario('recovery-duplicate-keys');
  const first = await createKey(s, s.stack);
  const second = await createKey(s, s.stack);
  await s.kms.send(new CreateAliasCommand({ AliasName: 'alias/ecr-kms-replication', TargetKeyId: first.keyId }));
  const answer = await hooks.adopt(s.context, FIRST_PLAN);
  expect(answer.imports.find((block) => block.to === 'aws_kms_key.kms_key')?.id).toBe(first.keyId);
  expect(answer.notes).toContain(
    `key ${second.arn} was created for aws_kms_key.kms_key by an interrupted apply, no state records it and nothing uses it: scheduled for deletion in 30 days; ` +
      `to keep it: aws kms cancel-key-deletion --key-id ${second.arn} --region ${REGION} --endpoint-url ${emulatorEndpoint()}`,
  );
  const states = await Promise.all([first, second].map(async (key) => (await s.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata?.KeyState));
  expect(states).toEqual(['Enabled', 'PendingDeletion']);
});

test('refuses WHEN the key and a repository carry the tag of the stack an account had before its rename, with the state move', async () => {
  const s = await scenario('recovery-rename');
  const old = 'ecr-destination-production-eu-west-1';
  const key = await createKey(s, old);
  await createRepository(s, 'web', key.arn, old);
  const answer = await hooks.adopt(s.context, FIRST_PLAN);
  expect(answer.imports).toEqual([]);
  expect(answer.refusals).toEqual([
    `key ${key.arn} ("${s.description}"), repository web already exist in account ${s.prod}, ${REGION} with ${STACK_TAG} = ${old}, so the state of ${old} owns them: ` +
      `stack ${old} becomes ${s.stack} (same destination registry ${s.prod}/${REGION}): if ${old} was deployed, move its state before deploying ${s.stack}, ` +
      `or ${s.stack} would plan a second key and repositories that already exist: mv terraform-state/${old}.tfstate terraform-state/${s.stack}.tfstate; then deploy again`,
  ]);
  expect((await s.kms.send(new DescribeKeyCommand({ KeyId: key.keyId }))).KeyMetadata?.KeyState).toBe('Enabled');
});

test('refuses WHEN a repository of the config was made by hand (no stack tag), naming it', async () => {
  const s = await scenario('recovery-hand-made');
  await s.ecr.send(new CreateRepositoryCommand({ repositoryName: 'team-a/api' }));
  const answer = await hooks.adopt(s.context, FIRST_PLAN);
  expect(answer.refusals).toHaveLength(1);
  expect(answer.refusals[0]).toMatch(
    new RegExp(`^repository team-a/api already exists in account ${s.prod}, ${REGION} without the tag ${STACK_TAG}, so nothing says this project created it`),
  );
});

test('GIVEN a retained repository and one holding images, both on the stack key WHEN teardown answers THEN the key and alias are kept, naming both', async () => {
  const s = await scenario('recovery-teardown');
  const key = await createKey(s, s.stack);
  await createRepository(s, 'retired', key.arn, s.stack);
  await createRepository(s, 'web', key.arn, s.stack);
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: {}, layers: [] });
  await s.ecr.send(new PutImageCommand({ repositoryName: 'web', imageManifest: manifest, imageTag: 'v1' }));
  const plan: TerraformPlanJson = {
    resource_changes: [
      change('aws_kms_key.kms_key', ['delete'], { key_id: key.keyId, arn: key.arn }),
      change('aws_kms_alias.kms_key_alias', ['delete'], { name: 'alias/ecr-kms-replication', target_key_id: key.keyId }),
      change('aws_ecr_repository.repositories["web"]', ['delete'], { name: 'web' }),
    ],
  };
  const answer = await hooks.teardown(s.context, plan);
  expect(answer.keep).toEqual(['aws_kms_key.kms_key', 'aws_kms_alias.kms_key_alias']);
  expect(answer.notes).toEqual([
    `key ${key.arn} (aws_kms_key.kms_key, alias/ecr-kms-replication) is kept, not scheduled for deletion: it still encrypts ` +
      `retired (stays in AWS: retained, or not managed by this stack), web (holds images: ECR refuses to delete it; empty it with aws ecr batch-delete-image, or retain it) ` +
      `in account ${s.prod}, ${REGION}. It is removed from the state and stays Enabled; once nothing needs it: ` +
      `aws kms schedule-key-deletion --key-id ${key.arn} --pending-window-in-days 30 --region ${REGION} --endpoint-url ${emulatorEndpoint()}`,
  ]);
});
