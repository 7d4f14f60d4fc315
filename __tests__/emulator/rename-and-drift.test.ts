/**
 * Renames checked against the state, and the live audit after a drift,
 * against moto with the daily commands, on one deployment:
 *
 * 1. an account renamed (same id), its state not moved: deploy refuses the
 *    renamed stack with the state move, and creates nothing (no second key);
 * 2. after the move: deploy converges with nothing to add (the stack tag is
 *    updated in place);
 * 3. the replication configuration and a destination repository removed out
 *    of band: `npm run audit -- --live` (the remembered config) names both.
 */
import { renameSync } from 'node:fs';
import * as path from 'node:path';
import { DeleteRepositoryCommand, PutReplicationConfigurationCommand } from '@aws-sdk/client-ecr';
import { registryDeployed } from '../../tools/audit/live-checks';
import { emulatorEndpoint, scenarioAccounts } from '../../test-support/emulator';
import { CommandRun, EmulatorProject, emulatorProject, summaryLines } from '../../test-support/emulator-project';
import { probeRegistry, stateKeyIds } from '../../test-support/registry-probe';

const [BUILD, PROD] = scenarioAccounts('rename-and-drift', 2);
const OLD = 'ecr-destination-prod-eu-west-1';
const NEW = 'ecr-destination-production-eu-west-1';

function config(prodName: string) {
  return {
    accounts: {
      build: { id: BUILD, deployRoleArn: `arn:aws:iam::${BUILD}:role/deployer` },
      [prodName]: { id: PROD, deployRoleArn: `arn:aws:iam::${PROD}:role/deployer` },
    },
    repositories: [{ name: 'web' }],
    sources: [{ account: 'build', region: 'us-east-1', destinations: [{ account: prodName, region: 'eu-west-1', repositoryCreationTemplates: false }] }],
    endpoint: { url: emulatorEndpoint() },
  };
}

let project: EmulatorProject;
beforeAll(() => {
  project = emulatorProject('rename-and-drift');
  project.writeConfig(config('prod'), 'cfg.yaml');
});
afterAll(() => project.remove());

const output = (run: CommandRun) => `${run.stdout}\n${run.stderr}`;
/** A run that must succeed; on failure, what it printed shows in the expectation. */
const expectSuccess = (run: CommandRun) =>
  expect({ status: run.status, stderr: run.status === 0 ? [] : run.stderr.split('\n').slice(-15), summary: summaryLines(run) }).toMatchObject({
    status: 0,
    stderr: [],
  });

test('GIVEN an account renamed WHEN its state was not moved THEN deploy refuses with the move; after the move it converges with nothing to add', async () => {
  expectSuccess(await project.run(['deploy', '*', '--auto-approve', '--config', 'cfg.yaml']));
  const destination = await probeRegistry(PROD, 'eu-west-1');
  const [key] = await destination.liveKeys();

  project.writeConfig(config('production'), 'cfg.yaml');
  const refused = await project.run(['deploy', '*', '--auto-approve']);
  expect(refused.status).toBe(1);
  expect(output(refused)).toContain(
    `with ecr-kms-replication:stack = ${OLD}, so the state of ${OLD} owns them: stack ${OLD} becomes ${NEW} (same destination registry ${PROD}/eu-west-1): ` +
      `if ${OLD} was deployed, move its state before deploying ${NEW}, or ${NEW} would plan a second key and repositories that already exist: ` +
      `mv terraform-state/${OLD}.tfstate terraform-state/${NEW}.tfstate; then deploy again`,
  );
  expect((await destination.liveKeys()).map((entry) => entry.keyId)).toEqual([key.keyId]);

  renameSync(path.join(project.root, 'terraform-state', `${OLD}.tfstate`), path.join(project.root, 'terraform-state', `${NEW}.tfstate`));
  const moved = await project.run(['deploy', '*', '--auto-approve']);
  expectSuccess(moved);
  expect(summaryLines(moved)).toContainEqual(expect.stringMatching(new RegExp(`^  ${NEW} +applied \\(0 added, \\d+ changed, 0 destroyed\\)$`)));
  expect(await destination.liveKeys()).toEqual([{ ...key, stackTag: NEW }]);
  expect(stateKeyIds(project.root, NEW)).toEqual([key.keyId]);
}, 900_000);

test('GIVEN the deployment WHEN its replication configuration and a destination repository are removed out of band THEN audit --live reports both, on the remembered config', async () => {
  const drift = (result: CommandRun) =>
    (JSON.parse(result.stdout) as { findings: { ruleId: string }[] }).findings.filter(
      (finding) => finding.ruleId === 'REGISTRY-DEPLOYED' || finding.ruleId === 'REPLICATION-COVERAGE',
    );
  const clean = await project.run(['tool', 'audit', '--live', '--format', 'json']);
  expect({ config: clean.stderr.split('\n')[0], drift: drift(clean) }).toEqual({
    config: 'config: cfg.yaml (recorded in .ecr-replication/config.json)',
    drift: [],
  });

  await (await probeRegistry(BUILD, 'us-east-1')).ecr.send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [] } }));
  await (await probeRegistry(PROD, 'eu-west-1')).ecr.send(new DeleteRepositoryCommand({ repositoryName: 'web' }));

  const audited = await project.run(['tool', 'audit', '--live', '--format', 'json']);
  expect(audited.status).toBe(1);
  expect(drift(audited)).toEqual([
    {
      ruleId: 'REGISTRY-DEPLOYED',
      severity: 'error',
      scope: `build ${BUILD}/us-east-1`,
      address: `arn:aws:ecr:us-east-1:${BUILD}:registry (replication configuration)`,
      message: `the registry has no replication rules: nothing replicates to ${PROD}/eu-west-1`,
      why: registryDeployed.description,
      fix: "npm run deploy -- ecr-source-build-us-east-1 (the registry's stacks: npm run deploy -- '*')",
    },
    expect.objectContaining({
      ruleId: 'REPLICATION-COVERAGE',
      scope: `production ${PROD}/eu-west-1`,
      address: `arn:aws:ecr:eu-west-1:${PROD}:repository/web`,
      message: `repository web of source build ${BUILD}/us-east-1 does not exist in the destination`,
    }),
  ]);
});
