/**
 * The project's deploy hooks (tools/recovery/project-deploy-hooks.ts) against a
 * mocked AWS SDK: what `adopt` answers after a plan that creates what AWS
 * already holds (an interrupted apply, a renamed account, a resource nobody
 * tagged), and what `teardown` keeps after a destroy plan. The stack is the
 * bundled example's cross-account destination, synthesized for real.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { TerraformPlanJson } from '../tools/plan-check/plan-json';
import { bareChange as change } from '../test-support/plan-json';
import { projectDeployHooks } from '../tools/recovery/project-deploy-hooks';
import { registryClients } from '../tools/recovery/aws-session';
import { StackContext } from '../tools/recovery/deploy-hooks';
import { renameRefusal } from '../tools/recovery/adoption';
import { stackResourcesOf } from '../tools/recovery/stack-resources';
import { ConfigInput } from '../config/schema';
import { exampleConfigWith } from '../test-support/example-config';
import { mockWorld, World } from '../test-support/fake-registry-world';
import { cleanupSynth, SynthesizedApp, synthesizeConfig } from '../test-support/synth';

const STACK = 'ecr-destination-prod-eu-west-1';
const OLD_STACK = 'ecr-destination-production-eu-west-1';
const ACCOUNT = '222222222222';
const REGION = 'eu-west-1';
const ENDPOINT = 'http://localhost:4566';
const DESCRIPTION = `ECR repositories of account ${ACCOUNT} in ${REGION} (ecr-kms-replication)`;
const ROLE = 'ecr-replication-templates-eu-west-1';
const PROVIDER = 'aws.prod_eu_west_1';
const keyArn = (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;

let app: SynthesizedApp;
beforeAll(() => {
  app = synthesizeConfig(exampleConfigWith({ endpoint: { url: ENDPOINT } }));
});
afterAll(() => cleanupSynth(app));

const hooks = projectDeployHooks({ clients: (target) => registryClients(target, {}) });
const context = (): StackContext => ({ stackName: STACK, directory: app.stack(STACK).directory, environment: {} });

/** A first apply's plan: everything is created. */
const FIRST_APPLY: TerraformPlanJson = {
  resource_changes: [
    change('aws_kms_key.kms_key', ['create']),
    change('aws_kms_alias.kms_key_alias', ['create']),
    change('aws_ecr_repository.repositories["team-a/api"]', ['create']),
    change('aws_ecr_repository.repositories["web"]', ['create']),
    change('aws_ecr_lifecycle_policy.repositories_lifecycle_policy["web"]', ['create']),
    change('aws_iam_role.creation_template_role', ['create']),
    change('aws_ecr_repository_creation_template.creation_templates["ROOT"]', ['create']),
    change('aws_ecr_repository_creation_template.creation_templates["team-a"]', ['create']),
    change('aws_ecr_registry_policy.registry_policy', ['create']),
  ],
};

const world = (overrides: Partial<World>): World => ({ accountId: ACCOUNT, region: REGION, ...overrides });

describe('GIVEN the adopt hook', () => {
  test('WHEN the plan creates nothing the project names THEN it asks AWS nothing and answers nothing', async () => {
    const mocked = mockWorld(world({}));
    const answer = await hooks.adopt(context(), {
      resource_changes: [change('aws_ecr_registry_policy.registry_policy', ['update']), change('aws_kms_key.kms_key', ['no-op'])],
    });
    expect(answer).toEqual({ imports: [], refusals: [], notes: [] });
    expect(mocked.sts.calls()).toHaveLength(0);
  });

  test("WHEN the command's environment holds credentials THEN the stack's deployment role is assumed with them, at the stack's endpoint", async () => {
    const mocked = mockWorld(world({}));
    const withCredentials = projectDeployHooks();
    await withCredentials.adopt({ ...context(), environment: { AWS_ACCESS_KEY_ID: 'AKIDCOMMAND', AWS_SECRET_ACCESS_KEY: 'secret' } }, FIRST_APPLY);
    const [call] = mocked.sts.commandCalls(AssumeRoleCommand);
    const client = call.thisValue as STSClient;
    const endpoint = await client.config.endpoint?.();
    expect({
      role: call.args[0].input.RoleArn,
      accessKeyId: (await client.config.credentials()).accessKeyId,
      endpoint: `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`,
    }).toEqual({ role: `arn:aws:iam::${ACCOUNT}:role/ecr-replication-deployer`, accessKeyId: 'AKIDCOMMAND', endpoint: ENDPOINT });
  });

  test('WHEN nothing exists yet (a first apply) THEN nothing is adopted or refused', async () => {
    mockWorld(world({ keys: [{ id: 'unrelated', description: 'someone else' }], repositories: [{ name: 'unrelated' }] }));
    expect(await hooks.adopt(context(), FIRST_APPLY)).toEqual({ imports: [], refusals: [], notes: [] });
  });

  test('WHEN an apply of this stack was killed after creating the key, alias, a repository, the role and a template THEN each is adopted with an import block on the stack provider', async () => {
    mockWorld(
      world({
        keys: [{ id: 'k1', description: DESCRIPTION, stack: STACK }],
        aliases: { 'alias/ecr-kms-replication': 'k1' },
        repositories: [{ name: 'team-a/api', key: 'k1', stack: STACK }],
        roles: { [ROLE]: STACK },
        templates: { 'team-a': 'k1' },
      }),
    );
    const answer = await hooks.adopt(context(), FIRST_APPLY);
    expect(answer.refusals).toEqual([]);
    expect(answer.imports).toEqual([
      { to: 'aws_ecr_repository.repositories["team-a/api"]', id: 'team-a/api', provider: PROVIDER },
      { to: 'aws_ecr_repository_creation_template.creation_templates["team-a"]', id: 'team-a', provider: PROVIDER },
      { to: 'aws_iam_role.creation_template_role', id: ROLE, provider: PROVIDER },
      { to: 'aws_kms_alias.kms_key_alias', id: 'alias/ecr-kms-replication', provider: PROVIDER },
      { to: 'aws_kms_key.kms_key', id: 'k1', provider: PROVIDER },
    ]);
  });

  test.each<[string, Partial<World>, string]>([
    [
      'the alias targets one of them',
      { aliases: { 'alias/ecr-kms-replication': 'k-old' }, repositories: [{ name: 'web', key: 'k-mid', stack: STACK }] },
      'k-old',
    ],
    ['a repository uses one of them', { repositories: [{ name: 'web', key: 'k-mid', stack: STACK }] }, 'k-mid'],
    ['nothing uses any of them', {}, 'k-new'],
  ])('WHEN three keys of this stack exist and %s THEN that key is adopted', async (_case, overrides, adopted) => {
    mockWorld(
      world({
        keys: [
          { id: 'k-old', description: DESCRIPTION, stack: STACK, created: 1000 },
          { id: 'k-mid', description: DESCRIPTION, stack: STACK, created: 2000 },
          { id: 'k-new', description: DESCRIPTION, stack: STACK, created: 3000 },
        ],
        ...overrides,
      }),
    );
    const answer = await hooks.adopt(context(), FIRST_APPLY);
    expect(answer.imports.find((block) => block.to === 'aws_kms_key.kms_key')?.id).toBe(adopted);
  });

  test('WHEN a second key of this stack exists that nothing uses THEN its deletion is scheduled with the config window and the note says how to cancel it', async () => {
    const mocked = mockWorld(
      world({
        keys: [
          { id: 'k1', description: DESCRIPTION, stack: STACK, created: 1000 },
          { id: 'k2', description: DESCRIPTION, stack: STACK, created: 2000 },
        ],
        aliases: { 'alias/ecr-kms-replication': 'k1' },
      }),
    );
    const answer = await hooks.adopt(context(), FIRST_APPLY);
    expect(mocked.scheduled()).toEqual([{ keyId: 'k2', days: 30 }]);
    expect(answer.notes).toEqual([
      `adopting what an interrupted apply of this stack created but never recorded: aws_kms_alias.kms_key_alias (alias/ecr-kms-replication), aws_kms_key.kms_key (k1)`,
      `key ${keyArn('k2')} was created for aws_kms_key.kms_key by an interrupted apply, no state records it and nothing uses it: scheduled for deletion in 30 days; ` +
        `to keep it: aws kms cancel-key-deletion --key-id ${keyArn('k2')} --region ${REGION} --endpoint-url ${ENDPOINT}`,
    ]);
  });

  test('WHEN a second key of this stack still encrypts a repository THEN it is left alone, with a note', async () => {
    const mocked = mockWorld(
      world({
        keys: [
          { id: 'k1', description: DESCRIPTION, stack: STACK },
          { id: 'k2', description: DESCRIPTION, stack: STACK },
        ],
        aliases: { 'alias/ecr-kms-replication': 'k1' },
        repositories: [{ name: 'legacy', key: 'k2' }],
      }),
    );
    const answer = await hooks.adopt(context(), FIRST_APPLY);
    expect(mocked.scheduled()).toEqual([]);
    expect(answer.notes).toContain(
      `key ${keyArn('k2')} was created for aws_kms_key.kms_key and no state records it, but repository legacy still uses it: left alone (compare it with key k1 before deleting anything)`,
    );
  });

  test('WHEN the only key of this stack is pending deletion THEN it is not adopted (the plan creates a new one)', async () => {
    mockWorld(world({ keys: [{ id: 'k1', description: DESCRIPTION, stack: STACK, state: 'PendingDeletion' }] }));
    expect(await hooks.adopt(context(), FIRST_APPLY)).toEqual({ imports: [], refusals: [], notes: [] });
  });

  test('refuses WHEN the key, alias and repositories carry the tag of another stack (an account renamed without moving its state), with the local state move', async () => {
    const mocked = mockWorld(
      world({
        keys: [{ id: 'k1', description: DESCRIPTION, stack: OLD_STACK }],
        aliases: { 'alias/ecr-kms-replication': 'k1' },
        repositories: [{ name: 'web', key: 'k1', stack: OLD_STACK }],
      }),
    );
    const answer = await hooks.adopt(context(), FIRST_APPLY);
    expect(answer).toEqual({
      imports: [],
      notes: [],
      refusals: [
        `key ${keyArn('k1')} ("${DESCRIPTION}"), alias alias/ecr-kms-replication (on key ${keyArn('k1')}), repository web already exist in account ${ACCOUNT}, ${REGION} ` +
          `with ecr-kms-replication:stack = ${OLD_STACK}, so the state of ${OLD_STACK} owns them: stack ${OLD_STACK} becomes ${STACK} (same destination registry ${ACCOUNT}/${REGION}): ` +
          `if ${OLD_STACK} was deployed, move its state before deploying ${STACK}, or ${STACK} would plan a second key and repositories that already exist: ` +
          `mv terraform-state/${OLD_STACK}.tfstate terraform-state/${STACK}.tfstate; then deploy again`,
      ],
    });
    expect(mocked.scheduled()).toEqual([]);
  });

  test('refuses WHEN a repository exists without the stack tag, naming it and the fix', async () => {
    mockWorld(world({ repositories: [{ name: 'web' }] }));
    const answer = await hooks.adopt(context(), FIRST_APPLY);
    expect(answer.refusals).toEqual([
      `repository web already exists in account ${ACCOUNT}, ${REGION} without the tag ecr-kms-replication:stack, so nothing says this project created it ` +
        `(aws_ecr_repository.repositories["web"] would be created beside it or fail with "already exists"): to manage it with this stack, import it deliberately ` +
        `(in cdktf.out/stacks/${STACK}: terraform import 'aws_ecr_repository.repositories["web"]' 'web'); otherwise delete or rename it in AWS, then deploy again`,
    ]);
  });

  test('refuses WHEN a key with the stack key description but no tag exists and none of this stack does, and schedules nothing', async () => {
    const mocked = mockWorld(world({ keys: [{ id: 'k0', description: DESCRIPTION }] }));
    const answer = await hooks.adopt(context(), FIRST_APPLY);
    expect(answer.refusals).toHaveLength(1);
    expect(answer.refusals[0]).toContain(
      `key ${keyArn('k0')} ("${DESCRIPTION}") already exists in account ${ACCOUNT}, ${REGION} without the tag ecr-kms-replication:stack`,
    );
    expect(mocked.scheduled()).toEqual([]);
  });

  test('WHEN a plan already imports an instance THEN it is not asked about again', async () => {
    const mocked = mockWorld(world({ repositories: [{ name: 'web', stack: STACK }] }));
    const imported = change('aws_ecr_repository.repositories["web"]', ['create']);
    const answer = await hooks.adopt(context(), {
      resource_changes: [{ ...imported, change: { ...imported.change, actions: ['no-op'], importing: { id: 'web' } } }],
    });
    expect(answer).toEqual({ imports: [], refusals: [], notes: [] });
    expect(mocked.sts.calls()).toHaveLength(0);
  });
});

describe('GIVEN the state move printed for a renamed account', () => {
  const variants: [string, Partial<ConfigInput>, string][] = [
    ['local', {}, `mv terraform-state/${OLD_STACK}.tfstate terraform-state/${STACK}.tfstate`],
    [
      's3',
      { backend: { type: 's3', bucket: 'state-bucket', region: 'us-east-1', keyPrefix: 'ecr' } },
      `aws s3 mv s3://state-bucket/ecr/${OLD_STACK}.tfstate s3://state-bucket/ecr/${STACK}.tfstate --region us-east-1`,
    ],
    [
      'cloud',
      { backend: { type: 'cloud', organization: 'acme' } },
      `rename HCP Terraform workspace ecr-kms-replication-${OLD_STACK} to ecr-kms-replication-${STACK} (Settings > General)`,
    ],
  ];
  test.each(variants)('WHEN the backend is %s THEN the refusal gives its move', (_backend, overrides, move) => {
    const synthesized = overrides.backend ? synthesizeConfig(exampleConfigWith(overrides)) : app;
    try {
      const refusal = renameRefusal(stackResourcesOf(STACK, synthesized.stack(STACK).json), OLD_STACK, ['repository web']);
      expect(refusal).toContain(`would plan a second key and repositories that already exist: ${move}; then deploy again`);
    } finally {
      if (synthesized !== app) cleanupSynth(synthesized);
    }
  });
});

/** A destroy plan of the stack: the key, its alias and the two managed repositories. */
function destroyPlan(): TerraformPlanJson {
  return {
    resource_changes: [
      change('aws_kms_key.kms_key', ['delete'], { key_id: 'k1', arn: keyArn('k1') }),
      change('aws_kms_alias.kms_key_alias', ['delete'], { name: 'alias/ecr-kms-replication', target_key_id: 'k1' }),
      change('aws_ecr_repository.repositories["team-a/api"]', ['delete'], { name: 'team-a/api' }),
      change('aws_ecr_repository.repositories["web"]', ['delete'], { name: 'web' }),
    ],
  };
}

describe('GIVEN the teardown hook', () => {
  test('WHEN every repository encrypted with the key is deleted by the plan and empty THEN nothing is kept', async () => {
    mockWorld(
      world({
        repositories: [
          { name: 'team-a/api', key: 'k1' },
          { name: 'web', key: 'k1' },
        ],
      }),
    );
    expect(await hooks.teardown(context(), destroyPlan())).toEqual({ keep: [], refusals: [], notes: [] });
  });

  test('WHEN a retained repository (not in the plan) is encrypted with the key THEN the key and its alias are kept, with a note naming the key ARN and the repository', async () => {
    const mocked = mockWorld(
      world({
        repositories: [
          { name: 'team-a/api', key: 'k1' },
          { name: 'retired-web', key: 'k1', images: 3 },
          { name: 'other-tool', key: 'k9' },
        ],
      }),
    );
    const plan = destroyPlan();
    const answer = await hooks.teardown(context(), { resource_changes: plan.resource_changes?.filter((entry) => !entry.address.endsWith('["web"]')) });
    expect(answer).toEqual({
      keep: ['aws_kms_key.kms_key', 'aws_kms_alias.kms_key_alias'],
      refusals: [],
      notes: [
        `key ${keyArn('k1')} (aws_kms_key.kms_key, alias/ecr-kms-replication) is kept, not scheduled for deletion: it still encrypts ` +
          `retired-web (stays in AWS: retained, or not managed by this stack) in account ${ACCOUNT}, ${REGION}. It is removed from the state and stays Enabled; ` +
          `once nothing needs it: aws kms schedule-key-deletion --key-id ${keyArn('k1')} --pending-window-in-days 30 --region ${REGION} --endpoint-url ${ENDPOINT}`,
      ],
    });
    // Images are counted only for repositories the plan deletes.
    expect(mocked.ecr.calls().filter((call) => call.args[0].constructor.name === 'ListImagesCommand')).toHaveLength(1);
  });

  test('WHEN a repository the plan deletes holds images THEN the key is kept and the note says ECR refuses to delete that repository', async () => {
    mockWorld(
      world({
        repositories: [
          { name: 'team-a/api', key: 'k1' },
          { name: 'web', key: 'k1', images: 2 },
        ],
      }),
    );
    const answer = await hooks.teardown(context(), destroyPlan());
    expect(answer.keep).toEqual(['aws_kms_key.kms_key', 'aws_kms_alias.kms_key_alias']);
    expect(answer.notes[0]).toContain(
      `it still encrypts web (holds images: ECR refuses to delete it; empty it with aws ecr batch-delete-image, or retain it) in account ${ACCOUNT}, ${REGION}`,
    );
  });

  test('WHEN the destroy plan deletes no key THEN it asks AWS nothing', async () => {
    const mocked = mockWorld(world({}));
    const answer = await hooks.teardown(context(), { resource_changes: [change('aws_ecr_repository.repositories["web"]', ['delete'], { name: 'web' })] });
    expect(answer).toEqual({ keep: [], refusals: [], notes: [] });
    expect(mocked.sts.calls()).toHaveLength(0);
  });
});
