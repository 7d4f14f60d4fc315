/**
 * Active-active pairs, full meshes and forwarding: what the config accepts,
 * what it warns about, and the stacks an accepted topology synthesizes (each
 * source's guard reads every destination it replicates to, so a pair and a
 * mesh are guarded in every direction). `terraform validate` of these stacks
 * runs in the shared batch of terraform-validate.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { parse, stringify } from 'yaml';
import { runCli } from '../cli/cli';
import { overlappingPrefixes } from '../config/estate-checks';
import { validateConfig } from '../config/load';
import { ConfigError, formatProblem } from '../config/problems';
import { ConfigInput } from '../config/schema';
import { buildReplicationStacks } from '../stacks/build-stacks';
import { activeActivePair, forwardingChain, threeRegistryMesh } from '../test-support/topologies';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

const ESTATE_FILE = path.resolve(__dirname, '..', 'examples', 'estate.yaml');

/** Problems of a document, or its warnings when it is accepted. */
function outcome(document: unknown): { problems: string[]; warnings: string[] } {
  try {
    return { problems: [], warnings: validateConfig(document, 'topology.yaml').warnings.map(formatProblem) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { problems: error.problems.map(formatProblem), warnings: [] };
  }
}

const FORWARDING_A_B_C =
  'sources[1].destinations[0] (received {"account":"c","region":"us-west-2"}): registry b/eu-west-1 receives team-a/, web from a/us-east-1 (sources[0]) and replicates them to c/us-west-2, but replication does not chain: images pushed in a/us-east-1 never reach c/us-west-2 this way; add { account: c, region: us-west-2 } to the destinations of sources[0] (a/us-east-1)';

describe('GIVEN registries that send what they also receive', () => {
  test.each<[string, () => ConfigInput]>([
    ['an active-active pair', activeActivePair],
    ['a three-registry mesh', threeRegistryMesh],
  ])('WHEN %s is validated THEN it is accepted without a problem or a warning', (_name, document) => {
    expect(outcome(document())).toEqual({ problems: [], warnings: [] });
  });

  test('WHEN a forwarding chain is validated THEN it is accepted with one warning naming the origin, the relay, the target and the rule to add', () => {
    expect(outcome(forwardingChain())).toEqual({ problems: [], warnings: [FORWARDING_A_B_C] });
  });

  test('WHEN npm run check reads a forwarding chain THEN it prints the warning and passes', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'topology-'));
    try {
      writeFileSync(path.join(root, 'chain.yaml'), stringify(forwardingChain()));
      let stderr = '';
      const status = await runCli(['check', 'chain.yaml'], {
        projectRoot: root,
        cwd: root,
        environment: {},
        stdout: () => undefined,
        stderr: (text) => (stderr += text),
      });
      expect(status).toBe(0);
      expect(stderr.split('\n')).toContain(`warning: chain.yaml: ${FORWARDING_A_B_C}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('WHEN a pair sends to a third registry from one side only THEN the other side is warned, once', () => {
    const document = activeActivePair();
    document.sources[0].destinations.push({ account: 'c', region: 'us-west-2' });
    expect(outcome(document).warnings).toEqual([
      'sources[0].destinations[1] (received {"account":"c","region":"us-west-2"}): registry a/us-east-1 receives team-a/, web from b/eu-west-1 (sources[1]) and replicates them to c/us-west-2, but replication does not chain: images pushed in b/eu-west-1 never reach c/us-west-2 this way; add { account: c, region: us-west-2 } to the destinations of sources[1] (b/eu-west-1)',
    ]);
  });

  test('WHEN the relay sends only part of what it receives THEN the warning names that part', () => {
    const document = forwardingChain();
    delete document.sources[1].namespaces;
    document.sources[1].repositories = ['web'];
    expect(outcome(document)).toEqual({
      problems: [],
      warnings: [
        'sources[1].destinations[0] (received {"account":"c","region":"us-west-2"}): registry b/eu-west-1 receives web from a/us-east-1 (sources[0]) and replicates it to c/us-west-2, but replication does not chain: images pushed in a/us-east-1 never reach c/us-west-2 this way; add { account: c, region: us-west-2 } to the destinations of sources[0] (a/us-east-1)',
      ],
    });
  });

  test('WHEN the relay sends other prefixes than it receives THEN nothing is reported', () => {
    const document = forwardingChain();
    document.namespaces = [{ prefix: 'team-a/' }, { prefix: 'team-b/' }];
    document.repositories.push({ name: 'team-b/worker' });
    document.sources[1].namespaces = ['team-b/'];
    document.sources[1].repositories = ['team-b/worker'];
    expect(outcome(document)).toEqual({ problems: [], warnings: [] });
  });

  test('WHEN the hub of the estate example also replicates team-a/, which build us-east-1 sends everywhere THEN it is an accepted active-active pair', () => {
    const estate = parse(readFileSync(ESTATE_FILE, 'utf8')) as Doc;
    estate.sources[2].namespaces.push('team-a/');
    expect(outcome(estate)).toEqual({ problems: [], warnings: [] });
  });

  test('WHEN two unrelated sources write the same repository into one registry THEN it still fails, with the active-active way out', () => {
    const document = forwardingChain();
    document.sources[1].destinations = [{ account: 'c', region: 'us-west-2' }];
    document.sources.push({
      account: 'c',
      region: 'us-west-2',
      namespaces: ['team-a/'],
      repositories: ['team-a/api', 'web'],
      destinations: [{ account: 'b', region: 'eu-west-1' }],
    });
    document.sources[0].destinations.push({ account: 'c', region: 'us-west-2' });
    // a -> b, c; b -> c; c -> b: b and c form a pair, but a writes into both without them replicating back to a.
    expect(outcome(document).problems).toEqual([
      'sources[1].destinations[0] (received {"account":"c","region":"us-west-2"}): sources[0] (a/us-east-1) and sources[1] (b/eu-west-1) both replicate team-a/api, web into c/us-west-2: a repository of a registry must have one source (both would write its images, and a tag pushed to both collides), unless the two replicate to each other (active-active); remove them from the repositories of one of the two sources, or make each a destination of the other',
      'sources[2].destinations[0] (received {"account":"b","region":"eu-west-1"}): sources[0] (a/us-east-1) and sources[2] (c/us-west-2) both replicate team-a/api, web into b/eu-west-1: a repository of a registry must have one source (both would write its images, and a tag pushed to both collides), unless the two replicate to each other (active-active); remove them from the repositories of one of the two sources, or make each a destination of the other',
    ]);
  });
});

describe('overlappingPrefixes', () => {
  test.each<[readonly string[], readonly string[], string[]]>([
    [['team-a/'], ['team-a/api'], ['team-a/api']],
    [['team-a/api'], ['team-a/'], ['team-a/api']],
    [['web'], ['web-dev', 'we', 'api'], ['web', 'web-dev']],
    [
      ['team-a/', 'web'],
      ['team-a/', 'web'],
      ['team-a/', 'web'],
    ],
    [['team-a/'], ['team-b/', 'team-'], ['team-a/']],
    [['a/'], ['b/'], []],
  ])('GIVEN %p and %p THEN both match %p', (mine, theirs, expected) => {
    expect(overlappingPrefixes(mine, theirs)).toEqual(expected);
  });
});

describe.each<[string, () => ConfigInput, Record<string, string[]>]>([
  ['an active-active pair', activeActivePair, { 'ecr-source-a-us-east-1': ['destination_b_eu_west_1'], 'ecr-source-b-eu-west-1': ['destination_a_us_east_1'] }],
  [
    'a three-registry mesh',
    threeRegistryMesh,
    {
      'ecr-source-a-us-east-1': ['destination_b_eu_west_1', 'destination_c_us_west_2'],
      'ecr-source-b-eu-west-1': ['destination_a_us_east_1', 'destination_c_us_west_2'],
      'ecr-source-c-us-west-2': ['destination_a_us_east_1', 'destination_b_eu_west_1'],
    },
  ],
])('GIVEN %s WHEN it is synthesized', (_name, document, guardedDestinations) => {
  const stacks = buildReplicationStacks(Testing.app(), validateConfig(document(), 'topology.yaml').config);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = new Map<string, any>([...stacks.destinations, ...stacks.sources].map((stack) => [stack.stackName, JSON.parse(Testing.synth(stack))]));

  test('THEN each source reads the state of every registry it replicates to, and of no other', () => {
    expect(
      Object.fromEntries(stacks.sources.map((stack) => [stack.stackName, Object.keys(json.get(stack.stackName).data.terraform_remote_state).sort()])),
    ).toEqual(guardedDestinations);
  });

  test('THEN each source guards its replication with one precondition per destination, naming that destination', () => {
    for (const stack of stacks.sources) {
      const preconditions = json.get(stack.stackName).resource.aws_ecr_replication_configuration.replication.lifecycle.precondition as {
        condition: string;
        error_message: string;
      }[];
      const readers = guardedDestinations[stack.stackName];
      expect(preconditions.map((precondition) => precondition.error_message.split(' ')[2])).toEqual(
        readers.map((reader) => `ecr-destination-${reader.slice('destination_'.length).replace(/_/, '-').replace(/_/g, '-')}`),
      );
      preconditions.forEach((precondition, index) => {
        expect(precondition.condition).toContain(`data.terraform_remote_state.${readers[index]}`);
        expect(precondition.condition).toContain('toset(["team-a"])');
      });
    }
  });

  test('THEN each registry holds the repositories once, a creation template for team-a, and lets every peer account replicate into it', () => {
    for (const stack of stacks.destinations) {
      const resources = json.get(stack.stackName).resource;
      expect(Object.keys(resources.aws_ecr_repository.repositories.for_each)).toEqual(['team-a/api', 'web']);
      expect(Object.keys(resources.aws_ecr_repository_creation_template.creation_templates.for_each)).toEqual(['ROOT', 'team-a']);
      const principals = JSON.parse(resources.aws_ecr_registry_policy.registry_policy.policy).Statement.map(
        (statement: { Principal: { AWS: string } }) => statement.Principal.AWS,
      );
      const peers = stacks.sources.filter((source) => source.plan.destinations.some((destination) => destination.stackName === stack.stackName));
      expect(principals).toEqual(peers.map((peer) => `arn:aws:iam::${peer.plan.registry.account.id}:root`).sort());
    }
  });
});
