/**
 * The daily commands against moto, as a user runs them (`npm run deploy|diff|
 * destroy`, which run `node bin/ecr-replication.js ...` in the project
 * folder): one source, a destination in its own account and one in another.
 * The scenarios share the deployed stacks, in order, to keep the layer fast:
 *
 *   deploy and check with the SDK → switching configs (no refusal) → a source
 *   before its destinations (the guard's reason, without CI=true) → a fresh
 *   clone dropping a repository (refused, then retired with removal: destroy) → diff clean →
 *   removal: destroy with an image in a destination (source first, nothing
 *   left pointing at a missing repository) → teardown.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { BatchDeleteImageCommand, GetRegistryPolicyCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { accountClientOptions, scenarioAccounts } from '../../test-support/emulator';
import {
  CommandRun,
  ConfigDocument,
  ecrClient,
  emulatorProject,
  EmulatorProject,
  replicationRulesOf,
  repositoriesOf,
  scenarioConfig,
  summaryLines,
} from '../../test-support/emulator-project';

const [SOURCE_ACCOUNT, OTHER_ACCOUNT] = scenarioAccounts('daily-commands', 2);
const WEST = 'ecr-destination-build-us-west-2';
const PROD = 'ecr-destination-prod-eu-west-1';
const SOURCE = 'ecr-source-build-us-east-1';
const REGISTRIES = [
  { stack: SOURCE, account: SOURCE_ACCOUNT, region: 'us-east-1' },
  { stack: WEST, account: SOURCE_ACCOUNT, region: 'us-west-2' },
  { stack: PROD, account: OTHER_ACCOUNT, region: 'eu-west-1' },
] as const;
const accounts = { source: SOURCE_ACCOUNT, other: OTHER_ACCOUNT };
const config = (repositories: readonly ConfigDocument[], options: { preventDestroy?: boolean } = {}) => scenarioConfig(accounts, repositories, options);

let project: EmulatorProject;
beforeAll(() => {
  project = emulatorProject('daily-commands');
});
afterAll(() => project.remove());

const deploy = (...args: string[]) => project.run(['deploy', ...args]);
const names = async (account: string, region: string) => (await repositoriesOf(account, region)).map((repository) => repository.repositoryName);
/** What `run` printed, for a failing expectation to show. */
const shown = (run: CommandRun) => ({ status: run.status, summary: summaryLines(run), stderr: run.stderr.split('\n').slice(-15) });

async function keyOfAlias(account: string, region: string): Promise<string | undefined> {
  const kms = new KMSClient(await accountClientOptions(account, region));
  const aliases = await kms.send(new ListAliasesCommand({}));
  const keyId = aliases.Aliases?.find((alias) => alias.AliasName === 'alias/ecr-kms-replication')?.TargetKeyId;
  return keyId === undefined ? undefined : (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.Arn;
}

/** Every filter of the source's rules names a repository that exists, KMS-encrypted, in each destination of the rule. */
async function rulesPointingAtMissingRepositories(): Promise<string[]> {
  const missing: string[] = [];
  for (const rule of await replicationRulesOf(SOURCE_ACCOUNT, 'us-east-1')) {
    for (const destination of rule.destinations ?? []) {
      const present = await names(destination.registryId!, destination.region!);
      for (const filter of rule.repositoryFilters ?? []) {
        if (!present.some((name) => name?.startsWith(filter.filter!))) missing.push(`${filter.filter} in ${destination.registryId}/${destination.region}`);
      }
    }
  }
  return missing;
}

describe('GIVEN a small config deployed with npm run deploy', () => {
  test('WHEN it is deployed THEN every registry holds its repositories encrypted with its own key, the source replicates them, and the other account allows it', async () => {
    const file = project.writeConfig(config([{ name: 'web' }, { name: 'team-a/api' }, { name: 'base' }]));
    const run = await deploy('*', '--config', file, '--auto-approve');
    expect(shown(run)).toMatchObject({
      status: 0,
      summary: [
        'deploy summary:',
        expect.stringContaining(`${WEST}  applied`),
        expect.stringContaining(`${PROD}   applied`),
        expect.stringContaining(`${SOURCE}       applied`),
      ],
    });

    for (const registry of REGISTRIES) {
      const key = await keyOfAlias(registry.account, registry.region);
      expect(key).toMatch(new RegExp(`^arn:aws:kms:${registry.region}:${registry.account}:key/`));
      const repositories = await repositoriesOf(registry.account, registry.region);
      expect(
        repositories.map((repository) => [
          repository.repositoryName,
          repository.encryptionConfiguration?.encryptionType,
          repository.encryptionConfiguration?.kmsKey,
        ]),
      ).toEqual(['base', 'team-a/api', 'web'].map((name) => [name, 'KMS', key]));
    }
    const rules = await replicationRulesOf(SOURCE_ACCOUNT, 'us-east-1');
    expect(
      rules.map((rule) => ({
        destinations: rule.destinations?.map((destination) => `${destination.registryId}/${destination.region}`).sort(),
        filters: rule.repositoryFilters?.map((filter) => filter.filter).sort(),
      })),
    ).toEqual([{ destinations: [`${OTHER_ACCOUNT}/eu-west-1`, `${SOURCE_ACCOUNT}/us-west-2`].sort(), filters: ['base', 'team-a/api', 'web'] }]);
    const policy = JSON.parse((await (await ecrClient(OTHER_ACCOUNT, 'eu-west-1')).send(new GetRegistryPolicyCommand({}))).policyText!) as {
      Statement: { Principal: { AWS: string | string[] }; Action: string[] }[];
    };
    expect(policy.Statement.map((statement) => [statement.Principal.AWS, [...statement.Action].sort()])).toEqual([
      [`arn:aws:iam::${SOURCE_ACCOUNT}:root`, ['ecr:CreateRepository', 'ecr:ReplicateImage']],
    ]);
  });

  test('WHEN another config is synthesized and the deployed one deployed again THEN nothing is refused and nothing changes', async () => {
    const other = project.writeConfig(scenarioConfig({ source: '999999999991', other: '999999999992' }, [{ name: 'other' }]), 'other.json');
    const synth = await project.run(['synth', '--config', other]);
    expect(synth.status).toBe(0);

    const run = await deploy('*', '--config', 'config.json', '--auto-approve');
    expect(shown(run)).toEqual({
      status: 0,
      summary: ['deploy summary:', `  ${WEST}  no changes`, `  ${PROD}   no changes`, `  ${SOURCE}       no changes`],
      stderr: expect.any(Array),
    });
    expect(run.stderr).not.toContain('ECR_REPLICATION_ACCEPT=');
  });

  test("fails WHEN the source is deployed before its destinations hold a new repository: the guard's reason and the command to run are printed, without CI=true", async () => {
    project.writeConfig(config([{ name: 'web' }, { name: 'team-a/api' }, { name: 'base' }, { name: 'new' }]));
    const run = await deploy(SOURCE, '--auto-approve');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`[${SOURCE}] Error: Resource precondition failed`);
    expect(summaryLines(run)[1]).toMatch(
      new RegExp(
        `^ {2}${SOURCE} {2}failed: Resource precondition failed: Destination stack ecr-destination-(build-us-west-2|prod-eu-west-1) has not been applied, .* Apply it first \\(npm run deploy -- ecr-destination-(build-us-west-2|prod-eu-west-1)\\), then plan this stack again\\.`,
      ),
    );
    expect(await names(SOURCE_ACCOUNT, 'us-east-1')).toEqual(['base', 'team-a/api', 'web']);
  });

  test('fails WHEN a fresh clone drops a repository from the config: refused in every registry, nothing changes in AWS; retired with removal: destroy it goes ahead', async () => {
    rmSync(path.join(project.root, 'cdktf.out'), { recursive: true, force: true });
    rmSync(path.join(project.root, '.ecr-replication'), { recursive: true, force: true });
    project.writeConfig(config([{ name: 'web' }, { name: 'base' }]));

    const refused = await deploy('*', '--config', 'config.json', '--auto-approve');
    expect(refused.status).toBe(1);
    // The repositories carry prevent_destroy (keys.preventDestroy): Terraform refuses the plan of every registry
    // that holds the repository, and the summary says what to do in the config.
    const summary = summaryLines(refused).join('\n');
    for (const registry of REGISTRIES) {
      expect(summary).toMatch(
        new RegExp(
          `^ {2}${registry.stack} +failed: Instance cannot be destroyed \\(aws_ecr_repository\\.repositories\\["team-a/api"\\]\\): repository team-a/api would be destroyed with its images, and the stacks protect repositories \\(keys\\.preventDestroy\\): to keep it and its images but stop managing it, put it back with removal: retain; to destroy it, put it back with removal: destroy`,
          'm',
        ),
      );
    }
    for (const registry of REGISTRIES) expect(await names(registry.account, registry.region)).toEqual(['base', 'team-a/api', 'web']);

    project.writeConfig(config([{ name: 'web' }, { name: 'base' }, { name: 'team-a/api', removal: 'destroy' }]));
    const retired = await deploy('*', '--auto-approve');
    expect(shown(retired)).toMatchObject({ status: 0 });
    expect(retired.stderr).toContain(
      `repository team-a/api destroyed in registry ${OTHER_ACCOUNT}/eu-west-1 (stack ${PROD}, aws_ecr_repository.retired_team-a_api): removal: destroy`,
    );
    for (const registry of REGISTRIES) expect(await names(registry.account, registry.region)).toEqual(['base', 'web']);
  });

  test('WHEN it is diffed after the deploys THEN every stack plans no changes', async () => {
    const run = await project.run(['diff', '*']);
    expect(shown(run)).toEqual({
      status: 0,
      summary: ['diff summary:', `  ${WEST}  no changes`, `  ${PROD}   no changes`, `  ${SOURCE}       no changes`],
      stderr: expect.any(Array),
    });
  });

  test('fails WHEN removal: destroy meets an image in one destination: the source stops replicating it first, that destination says RepositoryNotEmpty, and no rule points at a missing repository', async () => {
    const prod = await ecrClient(OTHER_ACCOUNT, 'eu-west-1');
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: `sha256:${'1'.repeat(64)}` },
      layers: [],
    });
    await prod.send(new PutImageCommand({ repositoryName: 'web', imageManifest: manifest, imageTag: 'v1' }));
    project.writeConfig(config([{ name: 'web', removal: 'destroy' }, { name: 'base' }]));

    const run = await deploy('*', '--auto-approve');
    expect(run.status).toBe(1);
    const summary = summaryLines(run);
    expect(summary[1]).toMatch(new RegExp(`^ {2}${WEST} {2}applied \\(deletions: 0 added, 0 changed, \\d+ destroyed\\)$`));
    expect(summary[2]).toMatch(new RegExp(`^ {2}${PROD} {3}failed: deletions: ECR Repository \\(web\\) not empty, .*RepositoryNotEmptyException`));
    expect(summary[3]).toMatch(new RegExp(`^ {2}${SOURCE} {7}applied \\(0 added, 1 changed, \\d+ destroyed\\)$`));
    expect(run.stderr).toContain(
      `repository web destroyed in registry ${OTHER_ACCOUNT}/eu-west-1 (stack ${PROD}, aws_ecr_repository.retired_web): removal: destroy`,
    );

    expect((await replicationRulesOf(SOURCE_ACCOUNT, 'us-east-1')).flatMap((rule) => rule.repositoryFilters?.map((filter) => filter.filter))).toEqual(['base']);
    expect(await rulesPointingAtMissingRepositories()).toEqual([]);
    expect([await names(SOURCE_ACCOUNT, 'us-east-1'), await names(SOURCE_ACCOUNT, 'us-west-2'), await names(OTHER_ACCOUNT, 'eu-west-1')]).toEqual([
      ['base'],
      ['base'],
      ['base', 'web'],
    ]);
  });

  test('WHEN the image is deleted and the stacks are torn down (keys.preventDestroy: false) THEN no repository, rule or enabled key is left', async () => {
    await (await ecrClient(OTHER_ACCOUNT, 'eu-west-1')).send(new BatchDeleteImageCommand({ repositoryName: 'web', imageIds: [{ imageTag: 'v1' }] }));
    project.writeConfig(config([{ name: 'web', removal: 'destroy' }, { name: 'base' }], { preventDestroy: false }));

    const run = await project.run(['destroy', '*', '--auto-approve']);
    expect(shown(run)).toMatchObject({ status: 0 });
    for (const registry of REGISTRIES) {
      expect(await names(registry.account, registry.region)).toEqual([]);
      expect(await keyOfAlias(registry.account, registry.region)).toBeUndefined();
    }
    expect(await replicationRulesOf(SOURCE_ACCOUNT, 'us-east-1')).toEqual([]);
  });
});
