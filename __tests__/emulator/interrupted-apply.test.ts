/**
 * Recovery that survives the daily commands, against moto: the real
 * `deploy '*' --auto-approve --config cfg.yaml` runs in a project folder of
 * its own; the emulator is polled until the kill point (the destination's
 * key exists with the stack's tag; its alias exists; a repository exists),
 * then the Terraform processes working in that folder get SIGKILL, as a lost
 * CI runner would. The launcher must still end with its summary and a
 * non-zero code; then the same `npm run deploy` converges: one key per
 * registry not pending deletion, the one its state records, every repository
 * encrypted with it, nothing Enabled that no state owns, and a second plan
 * of the killed stack with no changes.
 */
import { emulatorEndpoint, scenarioAccounts } from '../../test-support/emulator';
import { CommandRun, EmulatorProject, emulatorProject, summaryLines } from '../../test-support/emulator-project';
import { killTerraformIn, pollUntil } from '../../test-support/terraform-kill';
import { probeRegistry, RegistryProbe, stateKeyIds } from '../../test-support/registry-probe';

const DESTINATION = 'ecr-destination-prod-eu-west-1';
const SOURCE = 'ecr-source-build-us-east-1';
const REPOSITORIES = ['team-a/api', 'web'];

function config(build: string, prod: string) {
  return {
    accounts: {
      build: { id: build, deployRoleArn: `arn:aws:iam::${build}:role/deployer` },
      prod: { id: prod, deployRoleArn: `arn:aws:iam::${prod}:role/deployer` },
    },
    repositories: REPOSITORIES.map((name) => ({ name })),
    sources: [{ account: 'build', region: 'us-east-1', destinations: [{ account: 'prod', region: 'eu-west-1', repositoryCreationTemplates: false }] }],
    endpoint: { url: emulatorEndpoint() },
  };
}

type KillPoint = (probe: RegistryProbe) => Promise<boolean>;

/**
 * Kill point, scenario name, and when it is reached. Terraform records each resource in the local state as it
 * completes, so what the kill leaves unrecorded is what was in flight: the key (its creation waits for KMS to
 * propagate it), sometimes the alias or a repository.
 */
const KILL_POINTS: [string, string, KillPoint][] = [
  ['during key creation', 'kill-key', async (probe) => (await probe.keys()).some((key) => key.stackTag === DESTINATION)],
  ['right after the alias appears', 'kill-alias', async (probe) => (await probe.aliases()).includes('alias/ecr-kms-replication')],
  ['during repository creation', 'kill-repositories', async (probe) => (await probe.repositories()).size > 0],
];

const projects: EmulatorProject[] = [];
afterAll(() => projects.forEach((project) => project.remove()));

/** What a run printed, for a failing expectation to show. */
const shown = (run: CommandRun) => ({ status: run.status, summary: summaryLines(run), stderr: run.stderr.split('\n').slice(-15) });

test.concurrent.each(KILL_POINTS)(
  'GIVEN a deploy killed %s WHEN the same npm run deploy runs again THEN it converges with exactly one key per registry',
  async (point, name, reached) => {
    const [build, prod] = scenarioAccounts(name, 2);
    const project = emulatorProject(name);
    projects.push(project);
    project.writeConfig(config(build, prod), 'cfg.yaml');
    const destination = await probeRegistry(prod, 'eu-west-1');

    const first = project.run(['deploy', '*', '--auto-approve', '--config', 'cfg.yaml']);
    await pollUntil(`${name}: the kill point`, () => reached(destination), { intervalMs: 50, stop: first });
    expect(killTerraformIn(project.root).length).toBeGreaterThan(0);
    const killed = await first;
    const summary = summaryLines(killed);
    expect({ status: killed.status, first: summary[0], verdict: killed.stderr.split('\n').find((line) => line.startsWith('deploy ')) }).toEqual({
      status: 1,
      first: 'deploy summary:',
      verdict: expect.stringMatching(/^deploy failed: /),
    });
    expect(summary.find((line) => line.trimStart().startsWith(DESTINATION))).toMatch(/failed/);

    const again = await project.run(['deploy', '*', '--auto-approve']);
    expect({ ...shown(again), verdict: again.stderr.split('\n').find((line) => line.startsWith('deploy ')) }).toMatchObject({
      status: 0,
      verdict: 'deploy complete: 2 stacks deployed',
    });
    if (point === 'during key creation') {
      // The key the killed run created (in flight, so unrecorded) was adopted with an import, not created again.
      const adoption = again.stderr
        .split('\n')
        .find((line) => line.includes('note: adopting what an interrupted apply of this stack created but never recorded: '));
      expect(adoption).toContain('aws_kms_key.kms_key');
    }

    const registries: [string, RegistryProbe][] = [
      [DESTINATION, destination],
      [SOURCE, await probeRegistry(build, 'us-east-1')],
    ];
    for (const [stack, probe] of registries) {
      const live = await probe.liveKeys();
      // Exactly one key not pending deletion, Enabled, and it is the one the stack's state records.
      expect({ stack, keys: live.map((key) => ({ keyId: key.keyId, state: key.state, stackTag: key.stackTag })) }).toEqual({
        stack,
        keys: [{ keyId: stateKeyIds(project.root, stack)[0], state: 'Enabled', stackTag: stack }],
      });
      const repositories = await probe.repositories();
      expect({ stack, repositories: Object.fromEntries(repositories) }).toEqual({
        stack,
        repositories: Object.fromEntries(REPOSITORIES.map((repository) => [repository, live[0].arn])),
      });
    }

    // A second plan of the stack that was killed has nothing to do.
    const plan = await project.run(['diff', DESTINATION]);
    expect({ status: plan.status, line: summaryLines(plan)[1] }).toEqual({
      status: 0,
      line: expect.stringMatching(new RegExp(`^  ${DESTINATION} +no changes$`)),
    });
  },
  900_000,
);
