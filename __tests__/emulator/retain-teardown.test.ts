/**
 * Retain retains what it needs, against moto, with the daily commands (and,
 * on the way, the provider's stack tag on the key and repositories): a
 * repository holding an image is taken out with `removal: retain` and
 * deployed; then the teardown (`keys.preventDestroy: false`, `destroy '*'`)
 * destroys everything else, but the retained repository's key stays Enabled
 * in each registry (not pending deletion), and a note names its ARN.
 */
import { DescribeRepositoriesCommand, ListTagsForResourceCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { DescribeKeyCommand, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { STACK_TAG } from '../../stacks/resource-names';
import { emulatorEndpoint, scenarioAccounts } from '../../test-support/emulator';
import { CommandRun, EmulatorProject, emulatorProject, summaryLines } from '../../test-support/emulator-project';
import { probeRegistry, stateKeyIds } from '../../test-support/registry-probe';

const [BUILD, PROD] = scenarioAccounts('retain-teardown', 2);
const STACKS = { source: 'ecr-source-build-us-east-1', destination: 'ecr-destination-prod-eu-west-1' };

function config(web: Record<string, unknown>, keys: Record<string, unknown> = {}) {
  return {
    accounts: {
      build: { id: BUILD, deployRoleArn: `arn:aws:iam::${BUILD}:role/deployer` },
      prod: { id: PROD, deployRoleArn: `arn:aws:iam::${PROD}:role/deployer` },
    },
    repositories: [{ name: 'team-a/api' }, { name: 'web', ...web }],
    sources: [{ account: 'build', region: 'us-east-1', destinations: [{ account: 'prod', region: 'eu-west-1', repositoryCreationTemplates: false }] }],
    keys,
    tags: { Project: 'retain-teardown' },
    endpoint: { url: emulatorEndpoint() },
  };
}

let project: EmulatorProject;
beforeAll(() => {
  project = emulatorProject('retain-teardown');
  project.writeConfig(config({}), 'cfg.yaml');
});
afterAll(() => project.remove());

/** A run that must succeed; on failure, what it printed shows in the expectation. */
const expectSuccess = (run: CommandRun) =>
  expect({ status: run.status, stderr: run.status === 0 ? [] : run.stderr.split('\n').slice(-15), summary: summaryLines(run) }).toMatchObject({
    status: 0,
    stderr: [],
  });

test('GIVEN web (holding an image) retained WHEN everything is torn down THEN web stays in each registry and its key stays Enabled, noted with its ARN', async () => {
  expectSuccess(await project.run(['deploy', '*', '--auto-approve', '--config', 'cfg.yaml']));
  const registries = { [STACKS.source]: await probeRegistry(BUILD, 'us-east-1'), [STACKS.destination]: await probeRegistry(PROD, 'eu-west-1') };
  const keys = Object.fromEntries(Object.keys(registries).map((stack) => [stack, stateKeyIds(project.root, stack)[0]]));
  // The provider's default tags reached the key and the repositories at their creation: the config's, and the stack's own.
  for (const [stack, probe] of Object.entries(registries)) {
    const expected = { Project: 'retain-teardown', [STACK_TAG]: stack };
    const keyTags = (await probe.kms.send(new ListResourceTagsCommand({ KeyId: keys[stack] }))).Tags ?? [];
    const web = (await probe.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['web'] }))).repositories![0];
    const webTags = (await probe.ecr.send(new ListTagsForResourceCommand({ resourceArn: web.repositoryArn }))).tags ?? [];
    expect({
      stack,
      key: Object.fromEntries(keyTags.map((tag) => [tag.TagKey, tag.TagValue])),
      web: Object.fromEntries(webTags.map((tag) => [tag.Key, tag.Value])),
    }).toEqual({ stack, key: expected, web: expected });
  }
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: {}, layers: [] });
  await registries[STACKS.source].ecr.send(new PutImageCommand({ repositoryName: 'web', imageManifest: manifest, imageTag: 'v1' }));

  project.writeConfig(config({ removal: 'retain' }), 'cfg.yaml');
  const retained = await project.run(['deploy', '*', '--auto-approve']);
  expectSuccess(retained);
  expect(summaryLines(retained)).toContainEqual(expect.stringMatching(/^ {2}ecr-source-build-us-east-1 +applied \(.*2 forgotten\)$/));

  project.writeConfig(config({ removal: 'retain' }, { preventDestroy: false }), 'cfg.yaml');
  const destroyed = await project.run(['destroy', '*', '--auto-approve']);
  expectSuccess(destroyed);

  for (const [stack, probe] of Object.entries(registries)) {
    const repositories = await probe.repositories();
    const key = (await probe.kms.send(new DescribeKeyCommand({ KeyId: keys[stack] }))).KeyMetadata!;
    expect({ stack, repositories: Object.fromEntries(repositories), key: key.KeyState }).toEqual({ stack, repositories: { web: key.Arn }, key: 'Enabled' });
    expect(destroyed.stderr).toContain(
      `note: key ${key.Arn} (aws_kms_key.kms_key, alias/ecr-kms-replication) is kept, not scheduled for deletion: it still encrypts web`,
    );
    // The kept key left the state: no state owns a key any more, and nothing else of the stack is left.
    expect(stateKeyIds(project.root, stack)).toEqual([]);
  }
}, 900_000);
