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
import { killTerraformIn, pollUntil, ScenarioProject, scenarioProject } from '../../test-support/daily-commands';
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

/** Kill point, scenario name, when it is reached, and what the next deploy must adopt (an address it names). */
const KILL_POINTS: [string, string, KillPoint, string][] = [
  ['during key creation', 'kill-key', async (probe) => (await probe.keys()).some((key) => key.stackTag === DESTINATION), 'aws_kms_key.kms_key'],
  [
    'right after the alias appears',
    'kill-alias',
    async (probe) => (await probe.aliases()).includes('alias/ecr-kms-replication'),
    'aws_kms_alias.kms_key_alias',
  ],
  ['during repository creation', 'kill-repositories', async (probe) => (await probe.repositories()).size > 0, 'aws_ecr_repository.repositories['],
];

const projects: ScenarioProject[] = [];
afterAll(() => projects.forEach((project) => project.remove()));

/** The run's summary lines (`deploy summary:` and what follows). */
const summaryOf = (output: string): string[] => {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.endsWith(' summary:'));
  return start < 0 ? [] : lines.slice(start).filter((line) => line.trim() !== '');
};

test.concurrent.each(KILL_POINTS)(
  'GIVEN a deploy killed %s WHEN the same npm run deploy runs again THEN it converges with exactly one key per registry',
  async (_point, name, reached, adopted) => {
    const [build, prod] = scenarioAccounts(name, 2);
    const project = scenarioProject(name, config(build, prod));
    projects.push(project);
    const destination = await probeRegistry(prod, 'eu-west-1');

    const first = project.start(['deploy', '*', '--auto-approve', '--config', 'cfg.yaml']);
    await pollUntil(`${name}: the kill point`, () => reached(destination), { intervalMs: 50, stop: first.done });
    expect(killTerraformIn(project.folder).length).toBeGreaterThan(0);
    const killed = await first.done;
    expect(killed.code).toBe(1);
    const summary = summaryOf(`${killed.stdout}\n${killed.stderr}`);
    expect(summary[0]).toBe('deploy summary:');
    expect(summary.find((line) => line.trimStart().startsWith(DESTINATION))).toMatch(/failed/);
    expect(summary.at(-1)).toMatch(/^deploy failed: /);

    const again = await project.run(['deploy', '*', '--auto-approve']);
    expect({ code: again.code, summary: summaryOf(`${again.stdout}\n${again.stderr}`).slice(-1) }).toEqual({
      code: 0,
      summary: ['deploy complete: 2 stacks deployed'],
    });
    // What the killed run created was adopted (an import), not created a second time.
    const adoption = again.stderr
      .split('\n')
      .find((line) => line.includes('note: adopting what an interrupted apply of this stack created but never recorded: '));
    expect(adoption).toContain(adopted);

    const registries: [string, RegistryProbe][] = [
      [DESTINATION, destination],
      [SOURCE, await probeRegistry(build, 'us-east-1')],
    ];
    for (const [stack, probe] of registries) {
      const live = await probe.liveKeys();
      // Exactly one key not pending deletion, Enabled, and it is the one the stack's state records.
      expect({ stack, keys: live.map((key) => ({ keyId: key.keyId, state: key.state, stackTag: key.stackTag })) }).toEqual({
        stack,
        keys: [{ keyId: stateKeyIds(project.folder, stack)[0], state: 'Enabled', stackTag: stack }],
      });
      const repositories = await probe.repositories();
      expect({ stack, repositories: Object.fromEntries(repositories) }).toEqual({
        stack,
        repositories: Object.fromEntries(REPOSITORIES.map((repository) => [repository, live[0].arn])),
      });
    }

    // A second plan of the stack that was killed has nothing to do.
    const plan = await project.run(['diff', DESTINATION]);
    expect({ code: plan.code, summary: summaryOf(`${plan.stdout}\n${plan.stderr}`)[1] }).toEqual({
      code: 0,
      summary: expect.stringMatching(new RegExp(`^  ${DESTINATION} +no changes$`)),
    });
  },
  900_000,
);
