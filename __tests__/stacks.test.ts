import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import { loadConfigFile } from '../config/load';
import { Config } from '../config/schema';
import { buildReplicationStacks, ReplicationStacks } from '../stacks/build-stacks';
import { RegistryStack } from '../stacks/registry-stack';
import { asList, parsePolicy, principalsOf, statement, SynthesizedStack } from '../test-support/fixtures';

const PROJECT = path.resolve(__dirname, '..');
const example: Config = loadConfigFile('ecr-replication.yaml', PROJECT).config;

function buildExample(config: Config = example): ReplicationStacks {
  return buildReplicationStacks(Testing.app(), config);
}

const synthesized = (stack: RegistryStack): SynthesizedStack => JSON.parse(Testing.synth(stack)) as SynthesizedStack;

function addresses(json: SynthesizedStack): string[] {
  const resources = Object.entries(json.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
  const data = Object.entries(json.data ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`));
  return [...resources, ...data].sort();
}

describe('GIVEN the example configuration', () => {
  const stacks = buildExample();
  const byName = new Map([...stacks.destinations, ...stacks.sources].map((stack) => [stack.stackName, synthesized(stack)]));
  const destinationProd = byName.get('ecr-destination-prod-eu-west-1')!;
  const destinationBuild = byName.get('ecr-destination-build-us-west-2')!;
  const source = byName.get('ecr-source-build-us-east-1')!;

  test('WHEN its stacks are built THEN there is one per destination registry and one per source registry', () => {
    expect(stacks.destinations.map((stack) => stack.stackName)).toEqual(['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1']);
    expect(stacks.sources.map((stack) => stack.stackName)).toEqual(['ecr-source-build-us-east-1']);
  });

  test('WHEN its stacks are built THEN the source stack depends on every destination it replicates to', () => {
    expect(stacks.sources[0].dependencies.map((stack) => (stack as RegistryStack).stackName).sort()).toEqual([
      'ecr-destination-build-us-west-2',
      'ecr-destination-prod-eu-west-1',
    ]);
    for (const destination of stacks.destinations) expect(destination.dependencies).toEqual([]);
  });

  test.each([
    ['ecr-destination-prod-eu-west-1', 'prod_eu_west_1', 'eu-west-1', '222222222222'],
    ['ecr-destination-build-us-west-2', 'build_us_west_2', 'us-west-2', '111111111111'],
    ['ecr-source-build-us-east-1', 'build_us_east_1', 'us-east-1', '111111111111'],
  ])(
    'WHEN %s is synthesized THEN it has one aliased provider that assumes the account role, allows only that account and tags what it creates with the stack name',
    (stackName, alias, region, accountId) => {
      const json = byName.get(stackName)!;
      expect(json.provider.aws).toEqual([
        {
          alias,
          region,
          allowed_account_ids: [accountId],
          assume_role: [{ role_arn: `arn:aws:iam::${accountId}:role/ecr-replication-deployer`, session_name: 'ecr-kms-replication' }],
          default_tags: [{ tags: { Owner: 'platform-team', Project: 'ecr-kms-replication', 'ecr-kms-replication:stack': stackName } }],
        },
      ]);
      for (const [type, resources] of Object.entries(json.resource)) {
        for (const [name, attributes] of Object.entries(resources)) {
          expect({ address: `${type}.${name}`, provider: attributes.provider }).toEqual({ address: `${type}.${name}`, provider: `aws.${alias}` });
        }
      }
    },
  );

  test('WHEN the source is synthesized THEN it requires hashicorp/aws 5.100.0', () => {
    expect(source.terraform.required_providers).toEqual({ aws: { source: 'aws', version: '5.100.0' } });
  });

  test('WHEN the stacks are synthesized THEN the Terraform addresses are the known ones (they are state: change them only on purpose)', () => {
    expect(addresses(destinationProd)).toEqual([
      'aws_ecr_lifecycle_policy.repositories_lifecycle_policy',
      'aws_ecr_registry_policy.registry_policy',
      'aws_ecr_registry_scanning_configuration.registry_scanning',
      'aws_ecr_repository.repositories',
      'aws_ecr_repository_creation_template.creation_templates',
      'aws_ecr_repository_policy.repositories_policy',
      'aws_iam_role.creation_template_role',
      'aws_iam_role_policy.creation_templates_role_policy',
      'aws_kms_alias.kms_key_alias',
      'aws_kms_key.kms_key',
    ]);
    expect(addresses(destinationBuild)).not.toContain('aws_ecr_registry_policy.registry_policy');
    expect(addresses(source)).toEqual([
      'aws_ecr_lifecycle_policy.repositories_lifecycle_policy',
      'aws_ecr_registry_scanning_configuration.registry_scanning',
      'aws_ecr_replication_configuration.replication',
      'aws_ecr_repository.repositories',
      'aws_ecr_repository_policy.repositories_policy',
      'aws_kms_alias.kms_key_alias',
      'aws_kms_key.kms_key',
      'data.terraform_remote_state.destination_build_us_west_2',
      'data.terraform_remote_state.destination_prod_eu_west_1',
    ]);
  });

  test.each(['ecr-destination-prod-eu-west-1', 'ecr-destination-build-us-west-2', 'ecr-source-build-us-east-1'])(
    'WHEN %s is synthesized THEN it encrypts the same repositories with its own rotated key',
    (stackName) => {
      const json = byName.get(stackName)!;
      const repositories = json.resource.aws_ecr_repository.repositories;
      expect(Object.keys(repositories.for_each as object)).toEqual(['team-a/api', 'web']);
      expect(repositories.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: '${aws_kms_key.kms_key.arn}' }]);
      expect(json.resource.aws_kms_key.kms_key.enable_key_rotation).toBe(true);
    },
  );

  test('WHEN the prod destination is synthesized THEN its key policy names the prod administrators and users, in their roles', () => {
    const policy = parsePolicy(destinationProd.resource.aws_kms_key.kms_key.policy);
    expect(principalsOf(statement(policy, 'AllowKeyAdministration'))).toEqual(['arn:aws:iam::222222222222:role/platform-key-admin']);
    expect(principalsOf(statement(policy, 'AllowKeyUseThroughEcr'))).toEqual(['arn:aws:iam::222222222222:role/eks-node']);
    expect(statement(policy, 'AllowKeyUseThroughEcr').Condition?.StringEquals).toEqual({
      'kms:ViaService': 'ecr.eu-west-1.amazonaws.com',
      'kms:CallerAccount': '222222222222',
    });
    expect(principalsOf(statement(policy, 'AllowEcrRepositoryCreationTemplateRole'))).toEqual(['${aws_iam_role.creation_template_role.arn}']);
  });

  test('WHEN the cross-account destination is synthesized THEN its registry policy lets the build account replicate its repositories only', () => {
    const policy = parsePolicy(destinationProd.resource.aws_ecr_registry_policy.registry_policy.policy);
    expect(policy.Statement).toHaveLength(1);
    expect(principalsOf(policy.Statement[0])).toEqual(['arn:aws:iam::111111111111:root']);
    expect(asList(policy.Statement[0].Resource)).toEqual([
      'arn:aws:ecr:eu-west-1:222222222222:repository/team-a/api*',
      'arn:aws:ecr:eu-west-1:222222222222:repository/web*',
    ]);
  });

  test.each(['ecr-destination-prod-eu-west-1', 'ecr-destination-build-us-west-2'])(
    'WHEN %s is synthesized THEN it has creation templates for the replicated prefixes',
    (stackName) => {
      expect(byName.get(stackName)!.resource.aws_ecr_repository_creation_template.creation_templates).toEqual(
        expect.objectContaining({ for_each: '${toset(["ROOT", "team-a"])}', applied_for: ['REPLICATION'] }),
      );
    },
  );

  test('WHEN the source is synthesized THEN it replicates both repositories to both destinations, guarded by each destination', () => {
    const replication = source.resource.aws_ecr_replication_configuration.replication as {
      replication_configuration: unknown;
      lifecycle: { precondition: { condition: string; error_message: string }[] };
    };
    expect(replication.replication_configuration).toEqual({
      rule: [
        {
          destination: [
            { region: 'us-west-2', registry_id: '111111111111' },
            { region: 'eu-west-1', registry_id: '222222222222' },
          ],
          repository_filter: [
            { filter: 'team-a/api', filter_type: 'PREFIX_MATCH' },
            { filter: 'web', filter_type: 'PREFIX_MATCH' },
          ],
        },
      ],
    });
    const [first, second] = replication.lifecycle.precondition;
    expect(first.error_message).toContain('Destination stack ecr-destination-build-us-west-2 has not been applied');
    expect(first.condition).toContain('one(data.terraform_remote_state.destination_build_us_west_2[*].outputs).repositories[val].encryption_type == "KMS"');
    expect(second.error_message).toContain('npm run deploy -- ecr-destination-prod-eu-west-1');
  });

  test.each(['ecr-destination-prod-eu-west-1', 'ecr-source-build-us-east-1'])(
    'WHEN %s is synthesized THEN its outputs are snake_case, described, and include the key, repositories and registry',
    (stackName) => {
      const outputs = byName.get(stackName)!.output ?? {};
      for (const [name, output] of Object.entries(outputs)) expect({ name, description: typeof output.description }).toEqual({ name, description: 'string' });
      expect(Object.keys(outputs).filter((name) => !/^[a-z][a-z0-9_]*$/.test(name))).toEqual([]);
      expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['kms_key_arn', 'repositories', 'registry_id']));
    },
  );

  test('WHEN the stacks are synthesized THEN local state paths are relative, one file per stack shared by writer and reader', () => {
    const backend = (destinationProd.terraform.backend as { local: { path: string } }).local;
    expect(backend.path).toBe('../../../terraform-state/ecr-destination-prod-eu-west-1.tfstate');
    expect(source.data?.terraform_remote_state.destination_prod_eu_west_1).toEqual({
      backend: 'local',
      config: { path: backend.path },
      // read only once the destination has written its state: a never-applied destination then fails the guard, by name
      count: `\${fileexists("${backend.path}") ? 1 : 0}`,
    });
  });
});

describe('GIVEN variations of the example', () => {
  test('WHEN creation templates are off for prod only THEN only prod has no templates and no template role', () => {
    const config: Config = {
      ...example,
      sources: [
        {
          ...example.sources[0],
          destinations: example.sources[0].destinations.map((destination) => ({ ...destination, repositoryCreationTemplates: destination.account !== 'prod' })),
        },
      ],
    };
    const stacks = buildExample(config);
    const prod = synthesized(stacks.destinations.find((stack) => stack.stackName === 'ecr-destination-prod-eu-west-1')!);
    const build = synthesized(stacks.destinations.find((stack) => stack.stackName === 'ecr-destination-build-us-west-2')!);
    expect(prod.resource.aws_ecr_repository_creation_template).toBeUndefined();
    expect(prod.resource.aws_iam_role).toBeUndefined();
    expect(build.resource.aws_ecr_repository_creation_template).toBeDefined();
  });

  test('WHEN keys.rotationPeriodInDays is set THEN every registry key rotates on that period', () => {
    const stacks = buildExample({ ...example, keys: { ...example.keys, rotationPeriodInDays: 180 } });
    const periods = [...stacks.destinations, ...stacks.sources].flatMap((stack) =>
      Object.values(synthesized(stack).resource.aws_kms_key ?? {}).map((key) => [
        stack.stackName,
        (key as { rotation_period_in_days?: number }).rotation_period_in_days,
      ]),
    );
    expect(periods).toEqual([
      ['ecr-destination-build-us-west-2', 180],
      ['ecr-destination-prod-eu-west-1', 180],
      ['ecr-source-build-us-east-1', 180],
    ]);
  });

  test('WHEN two sources replicate into one registry THEN they share one registry policy with a statement each', () => {
    const config: Config = {
      ...example,
      accounts: { ...example.accounts, tools: { id: '333333333333', keyAdministrators: [], keyUsers: [] } },
      sources: [
        example.sources[0],
        {
          account: 'tools',
          region: 'us-east-1',
          repositories: ['web'],
          destinations: [{ account: 'prod', region: 'eu-west-1', repositoryCreationTemplates: true }],
        },
      ],
    };
    const stacks = buildExample(config);
    expect(stacks.sources.map((stack) => stack.stackName)).toEqual(['ecr-source-build-us-east-1', 'ecr-source-tools-us-east-1']);
    const prod = synthesized(stacks.destinations.find((stack) => stack.stackName === 'ecr-destination-prod-eu-west-1')!);
    const policy = parsePolicy(prod.resource.aws_ecr_registry_policy.registry_policy.policy);
    expect(policy.Statement.map((policyStatement) => principalsOf(policyStatement)[0])).toEqual([
      'arn:aws:iam::111111111111:root',
      'arn:aws:iam::333333333333:root',
    ]);
    expect(asList(policy.Statement[1].Resource)).toEqual(['arn:aws:ecr:eu-west-1:222222222222:repository/web*']);
  });
});

describe('GIVEN two synths of the example into different folders', () => {
  function synthTo(outdir: string): void {
    const app = new App({ outdir });
    buildReplicationStacks(app, example);
    app.synth();
  }

  function filesOf(directory: string): Map<string, string> {
    const files = new Map<string, string>();
    const walk = (folder: string) => {
      for (const entry of readdirSync(folder)) {
        const full = path.join(folder, entry);
        if (statSync(full).isDirectory()) walk(full);
        else files.set(path.relative(directory, full), readFileSync(full, 'utf8'));
      }
    };
    walk(directory);
    return files;
  }

  test('WHEN their files are compared THEN they are the same bytes, with the manifest dependencies and no machine path', () => {
    // GIVEN two synths of the same config into different folders
    const first = mkdtempSync(path.join(tmpdir(), 'ecr-synth-a-'));
    const second = mkdtempSync(path.join(tmpdir(), 'ecr-synth-b-'));
    try {
      synthTo(first);
      synthTo(second);
      // THEN
      const a = filesOf(first);
      const b = filesOf(second);
      expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
      expect([...a.keys()].filter((file) => file.endsWith('.tf.json')).sort()).toEqual([
        'stacks/ecr-destination-build-us-west-2/cdk.tf.json',
        'stacks/ecr-destination-prod-eu-west-1/cdk.tf.json',
        'stacks/ecr-source-build-us-east-1/cdk.tf.json',
      ]);
      // npm run deploy -- '*' orders stacks by the manifest's dependencies
      const manifest = JSON.parse(a.get('manifest.json')!) as { stacks: Record<string, { dependencies: string[] }> };
      expect(Object.fromEntries(Object.entries(manifest.stacks).map(([name, stack]) => [name, stack.dependencies]))).toEqual({
        'ecr-destination-build-us-west-2': [],
        'ecr-destination-prod-eu-west-1': [],
        'ecr-source-build-us-east-1': ['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1'],
      });
      for (const [file, text] of a) {
        expect({ file, same: b.get(file) === text }).toEqual({ file, same: true });
        expect(text).not.toContain(first);
        expect(text).not.toMatch(/"\/(tmp|work|root|home)\//);
        expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      }
    } finally {
      rmSync(first, { recursive: true, force: true });
      rmSync(second, { recursive: true, force: true });
    }
  });
});
