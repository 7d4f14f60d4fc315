/** The Mermaid architecture diagram drawn from the deployment plan, and the README's copy of it. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { architectureDiagram } from '../config/architecture-diagram';
import { loadConfigFile, validateConfig } from '../config/load';
import { readmeDiagram, runDiagram, withReadmeDiagram } from '../cli/commands/diagram';

const PROJECT = path.resolve(__dirname, '..');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

/** Two sources in two accounts: build/us-east-1 (team-a/api, web) to build/us-west-2 and ops/eu-west-1; ops/us-east-2 (tools) to ops/eu-west-1. */
function config(change: (document: Doc) => void = () => undefined): Doc {
  const document: Doc = {
    accounts: { ops: { id: '333333333333' }, build: { id: '111111111111' } },
    repositories: [{ name: 'team-a/api' }, { name: 'web' }, { name: 'tools' }],
    sources: [
      {
        account: 'build',
        region: 'us-east-1',
        repositories: ['team-a/api', 'web'],
        destinations: [
          { account: 'build', region: 'us-west-2', repositoryCreationTemplates: false },
          { account: 'ops', region: 'eu-west-1' },
        ],
      },
      { account: 'ops', region: 'us-east-2', repositories: ['tools'], destinations: [{ account: 'ops', region: 'eu-west-1' }] },
    ],
  };
  change(document);
  return document;
}

function diagramOf(document: Doc): string[] {
  return architectureDiagram(validateConfig(document, 'test.yaml').config).split('\n');
}

describe('GIVEN a config of two accounts and two sources', () => {
  test('WHEN it is drawn THEN each account is a box, sorted by name, holding its stacks with their deploy step', () => {
    const boxes = diagramOf(config()).filter((line) => line.includes('subgraph'));
    expect(boxes).toEqual([
      '  subgraph account_build["account build (111111111111)"]',
      '    subgraph ecr_source_build_us_east_1["ecr-source-build-us-east-1<br/>us-east-1 · deploy step 2"]',
      '    subgraph ecr_destination_build_us_west_2["ecr-destination-build-us-west-2<br/>us-west-2 · deploy step 1"]',
      '  subgraph account_ops["account ops (333333333333)"]',
      '    subgraph ecr_source_ops_us_east_2["ecr-source-ops-us-east-2<br/>us-east-2 · deploy step 2"]',
      '    subgraph ecr_destination_ops_eu_west_1["ecr-destination-ops-eu-west-1<br/>eu-west-1 · deploy step 1"]',
    ]);
  });

  test('WHEN it is drawn THEN each replication and each deploy dependency is an arrow from the source', () => {
    const arrows = diagramOf(config()).filter((line) => /-->|---|\.->/.test(line) && !line.includes('_key'));
    expect(arrows).toEqual([
      '      ecr_source_build_us_east_1_repositories --- ecr_source_build_us_east_1_replication',
      '      ecr_source_ops_us_east_2_repositories --- ecr_source_ops_us_east_2_replication',
      '  ecr_source_build_us_east_1_replication -- "replicates, cross-region" --> ecr_destination_build_us_west_2_repositories',
      '  ecr_source_build_us_east_1_replication -- "replicates, cross-region, cross-account" --> ecr_destination_ops_eu_west_1_repositories',
      '  ecr_source_ops_us_east_2_replication -- "replicates, cross-region" --> ecr_destination_ops_eu_west_1_repositories',
      '  ecr_source_build_us_east_1 -. "deployed after, reads its outputs" .-> ecr_destination_build_us_west_2',
      '  ecr_source_build_us_east_1 -. "deployed after, reads its outputs" .-> ecr_destination_ops_eu_west_1',
      '  ecr_source_ops_us_east_2 -. "deployed after, reads its outputs" .-> ecr_destination_ops_eu_west_1',
    ]);
  });

  test('WHEN it is drawn THEN only the destination another account replicates into has a registry policy, naming that account and its filters', () => {
    expect(diagramOf(config()).filter((line) => line.includes('_policy'))).toEqual([
      '      ecr_destination_ops_eu_west_1_policy["registry policy<br/>account build may<br/>CreateRepository,<br/>ReplicateImage on 2 prefixes<br/>team-a/api*, web*"]',
    ]);
  });

  test('WHEN a destination has creation templates off THEN it has no templates box, and the other has one per namespace', () => {
    expect(diagramOf(config()).filter((line) => line.includes('_templates['))).toEqual([
      '      ecr_destination_ops_eu_west_1_templates["2 creation templates (KMS)<br/>ROOT, team-a<br/>+ role ECR assumes"]',
    ]);
  });

  test('WHEN the same config is drawn twice, with its accounts in another order THEN the bytes are equal', () => {
    const reordered = config((c) => (c.accounts = { build: c.accounts.build, ops: c.accounts.ops }));
    expect(diagramOf(reordered)).toEqual(diagramOf(config()));
  });
});

describe('GIVEN many repositories and destinations', () => {
  const large = config((c) => {
    c.repositories = Array.from({ length: 1000 }, (_, index) => ({ name: `team-${index % 8}/service-${index}` }));
    c.keys = { repositoriesPerKey: 1000 };
    c.sources = [
      {
        account: 'build',
        region: 'us-east-1',
        destinations: [
          'us-east-2',
          'us-west-1',
          'us-west-2',
          'eu-west-1',
          'eu-west-2',
          'eu-west-3',
          'eu-central-1',
          'eu-north-1',
          'eu-south-1',
          'sa-east-1',
        ].map((region) => ({ account: 'build', region })),
      },
    ];
  });

  test('WHEN they are drawn THEN repositories are counted by namespace, at most 6 listed', () => {
    expect(diagramOf(large).find((line) => line.includes('ecr_source_build_us_east_1_repositories['))).toBe(
      '      ecr_source_build_us_east_1_repositories["1,000 repositories (KMS)<br/>team-0/ (125), team-1/ (125), team-2/ (125)<br/>team-3/ (125), team-4/ (125), team-5/ (125)<br/>and 2 more"]',
    );
  });

  test('WHEN they are drawn THEN the replication filters are counted by namespace too', () => {
    expect(diagramOf(large).find((line) => line.includes('ecr_source_build_us_east_1_replication['))).toBe(
      '      ecr_source_build_us_east_1_replication["replication configuration<br/>8 rules, 780 PREFIX_MATCH filters<br/>team-0/ (92), team-1/ (90), team-2/ (100)<br/>team-3/ (101), team-4/ (102), team-5/ (101)<br/>and 2 more"]',
    );
  });

  // 1,000 names reduce to 780 PREFIX_MATCH filters (team-0/service-8 covers team-0/service-80, ...), so 8 rules of at most 100.
  test('WHEN the replication needs several rules THEN each arrow names the rules that carry it', () => {
    expect(diagramOf(large).filter((line) => line.includes('-- "replicates'))[0]).toBe(
      '  ecr_source_build_us_east_1_replication -- "replicates, cross-region, rules 1, 2, 3, 4, 5, 6, 7, 8" --> ecr_destination_build_eu_central_1_repositories',
    );
  });
});

describe('GIVEN the README', () => {
  test('WHEN its architecture diagram is compared with the diagram of the bundled example THEN they are equal (run npm run diagram -- --readme)', () => {
    const readme = readFileSync(path.join(PROJECT, 'README.md'), 'utf8');
    expect(readmeDiagram(readme)).toBe(architectureDiagram(loadConfigFile('ecr-replication.yaml', PROJECT).config));
  });

  test('WHEN its diagram is replaced THEN only the mermaid block under "## Architecture" changes', () => {
    const readme = '# x\n\n```mermaid\nkeep\n```\n\n## Architecture\n\ntext\n\n```mermaid\nold\n```\n\nafter\n';
    expect(withReadmeDiagram(readme, 'flowchart LR\n')).toBe(
      '# x\n\n```mermaid\nkeep\n```\n\n## Architecture\n\ntext\n\n```mermaid\nflowchart LR\n```\n\nafter\n',
    );
  });
});

describe('GIVEN the diagram command', () => {
  let directory: string;
  const output: string[] = [];
  const streams = { stdout: (text: string) => output.push(text), stderr: (text: string) => output.push(text) };
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'architecture-diagram-'));
    output.length = 0;
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  test('WHEN it is given a config and --out THEN it writes the diagram there and exits 0', () => {
    writeFileSync(path.join(directory, 'config.json'), JSON.stringify(config()));
    expect(runDiagram(['config.json', '--out', 'out/diagram.mmd'], {}, streams, directory)).toBe(0);
    expect(readFileSync(path.join(directory, 'out', 'diagram.mmd'), 'utf8')).toBe(diagramOf(config()).join('\n'));
    expect(output).toEqual(['wrote out/diagram.mmd (the diagram of config.json)\n']);
  });

  test('fails with exit 1 and writes nothing WHEN the config is invalid', () => {
    writeFileSync(path.join(directory, 'config.json'), JSON.stringify(config((c) => (c.sources[0].region = 'us-east-9'))));
    expect(runDiagram(['config.json'], {}, streams, directory)).toBe(1);
    expect(existsSync(path.join(directory, 'docs'))).toBe(false);
    expect(output.join('')).toContain('no diagram was written: fix the problems above');
  });

  test('fails with exit 2 WHEN --readme is combined with a config file', () => {
    expect(runDiagram(['--readme', 'config.json'], {}, streams, directory)).toBe(2);
  });
});
