/**
 * Synth of the new topologies (cdktf Testing, no terraform): the estate
 * example (namespaces, registries in both roles, keys per namespace) and a
 * minimal active-active pair.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { validateConfig } from '../config/load';
import { buildReplicationStacks, ReplicationStacks } from '../stacks/build-stacks';
import { RegistryStack } from '../stacks/registry-stack';
import { asList, parsePolicy, principalsOf, statement, SynthesizedStack } from '../test-support/fixtures';

const ESTATE_FILE = path.resolve(__dirname, '..', 'examples', 'estate.yaml');

function build(document: unknown): ReplicationStacks {
  return buildReplicationStacks(Testing.app(), validateConfig(document, 'test.yaml').config);
}

function synthesizeAll(stacks: ReplicationStacks): Map<string, SynthesizedStack> {
  return new Map([...stacks.destinations, ...stacks.sources].map((stack) => [stack.stackName, JSON.parse(Testing.synth(stack)) as SynthesizedStack]));
}

const dependencies = (stack: RegistryStack) => stack.dependencies.map((dependency) => (dependency as RegistryStack).stackName).sort();

describe('the estate example', () => {
  const stacks = build(parse(readFileSync(ESTATE_FILE, 'utf8')));
  const json = synthesizeAll(stacks);
  const destination = json.get('ecr-destination-build-us-east-1')!;
  const prod = json.get('ecr-destination-prod-eu-west-1')!;

  test('GIVEN registries in both roles THEN each source stack depends on its own destination stack and every destination, destinations on nothing', () => {
    expect(Object.fromEntries([...stacks.destinations, ...stacks.sources].map((stack) => [stack.stackName, dependencies(stack)]))).toEqual({
      'ecr-destination-build-eu-west-1': [],
      'ecr-destination-build-us-east-1': [],
      'ecr-destination-platform-us-east-1': [],
      'ecr-destination-prod-eu-west-1': [],
      'ecr-source-build-eu-west-1': [
        'ecr-destination-build-eu-west-1',
        'ecr-destination-build-us-east-1',
        'ecr-destination-platform-us-east-1',
        'ecr-destination-prod-eu-west-1',
      ],
      'ecr-source-build-us-east-1': [
        'ecr-destination-build-eu-west-1',
        'ecr-destination-build-us-east-1',
        'ecr-destination-platform-us-east-1',
        'ecr-destination-prod-eu-west-1',
      ],
      'ecr-source-platform-us-east-1': [
        'ecr-destination-build-eu-west-1',
        'ecr-destination-build-us-east-1',
        'ecr-destination-platform-us-east-1',
        'ecr-destination-prod-eu-west-1',
      ],
    });
  });

  test('GIVEN a registry in both roles THEN its source stack holds only the replication configuration and the guard', () => {
    const source = json.get('ecr-source-build-us-east-1')!;
    expect(Object.keys(source.resource)).toEqual(['aws_ecr_replication_configuration']);
    expect(Object.keys(source.data?.terraform_remote_state ?? {}).sort()).toEqual([
      'destination_build_eu_west_1',
      'destination_platform_us_east_1',
      'destination_prod_eu_west_1',
    ]);
  });

  test('GIVEN a registry in both roles THEN its destination stack holds one key per namespace beside the registry key, and its repositories', () => {
    expect(Object.keys(destination.resource.aws_kms_key).sort()).toEqual(['kms_key', 'kms_key_team-a', 'kms_key_team-b']);
    expect(destination.resource.aws_ecr_repository.repositories.for_each).toEqual({
      'team-a/api': { image_tag_mutability: 'IMMUTABLE', kms_key: '${aws_kms_key.kms_key_team-a.arn}', scan_on_push: true },
      'team-a/web': { image_tag_mutability: 'IMMUTABLE', kms_key: '${aws_kms_key.kms_key_team-a.arn}', scan_on_push: true },
    });
  });

  test.each([
    ['kms_key_team-a', ['arn:aws:iam::333333333333:role/team-a-workloads']],
    ['kms_key_team-b', ['arn:aws:iam::333333333333:role/team-b-workloads']],
    ['kms_key', ['arn:aws:iam::333333333333:role/eks-node']],
  ])("GIVEN production's key %s THEN its policy names exactly the users %p", (key, users) => {
    const policy = parsePolicy(prod.resource.aws_kms_key[key].policy);
    expect(principalsOf(statement(policy, 'AllowKeyUseThroughEcr'))).toEqual(users);
    expect(principalsOf(statement(policy, 'AllowGrantsForEcrRepositories'))).toEqual(users);
  });

  test('GIVEN namespaces replicated into production THEN its templates use each namespace key, with the namespace settings', () => {
    // The config's default lifecycle policy (expire untagged images after 14 days) where a namespace sets none.
    const defaultLifecycle =
      '{"rules":[{"rulePriority":1,"description":"expire untagged images after 14 days","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}';
    const templates = prod.resource.aws_ecr_repository_creation_template.creation_templates;
    expect(templates.for_each).toEqual({
      base: { image_tag_mutability: 'IMMUTABLE', kms_key: '${aws_kms_key.kms_key.arn}', lifecycle_policy: defaultLifecycle },
      'team-a': {
        image_tag_mutability: 'IMMUTABLE',
        kms_key: '${aws_kms_key.kms_key_team-a.arn}',
        lifecycle_policy: JSON.stringify(parse(readFileSync(ESTATE_FILE, 'utf8')).namespaces[0].lifecyclePolicy),
      },
      'team-b': { image_tag_mutability: 'IMMUTABLE', kms_key: '${aws_kms_key.kms_key_team-b.arn}', lifecycle_policy: defaultLifecycle },
    });
    expect(templates.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: '${each.value.kms_key}' }]);
  });

  test('GIVEN namespaces replicated into production THEN the registry policy grants each account exactly its prefixes', () => {
    const policy = parsePolicy(prod.resource.aws_ecr_registry_policy.registry_policy.policy);
    expect(policy.Statement.map((entry) => [principalsOf(entry)[0], asList(entry.Resource)])).toEqual([
      ['arn:aws:iam::111111111111:root', ['arn:aws:ecr:eu-west-1:333333333333:repository/team-a/*', 'arn:aws:ecr:eu-west-1:333333333333:repository/team-b/*']],
      ['arn:aws:iam::222222222222:root', ['arn:aws:ecr:eu-west-1:333333333333:repository/base/*']],
    ]);
  });

  test("GIVEN a namespace key THEN the template role may use it, and the keys' outputs name it for the guard", () => {
    const rolePolicy = parsePolicy(prod.resource.aws_iam_role_policy.creation_templates_role_policy.policy);
    expect(asList(statement(rolePolicy, 'EncryptWithTheRegistryKey').Resource)).toEqual([
      '${aws_kms_key.kms_key.arn}',
      '${aws_kms_key.kms_key_team-a.arn}',
      '${aws_kms_key.kms_key_team-b.arn}',
    ]);
    expect(prod.output?.namespace_kms_key_arns.value).toEqual({
      'team-a/': '${aws_kms_key.kms_key_team-a.arn}',
      'team-b/': '${aws_kms_key.kms_key_team-b.arn}',
    });
    expect(Object.keys(prod.output ?? {})).toContain('creation_templates');
  });

  test("GIVEN a namespace source THEN its guard checks each destination's template for the namespace with the namespace key", () => {
    const replication = json.get('ecr-source-build-us-east-1')!.resource.aws_ecr_replication_configuration.replication as {
      lifecycle: { precondition: { condition: string }[] };
    };
    const [first] = replication.lifecycle.precondition;
    expect(first.condition).toContain('toset(["team-a"])');
    expect(first.condition).toContain('one(data.terraform_remote_state.destination_build_eu_west_1[*].outputs).namespace_kms_key_arns["team-a/"]');
  });
});

describe('an active-active pair', () => {
  const pair = {
    accounts: { apps: { id: '111111111111' } },
    namespaces: [{ prefix: 'east/' }, { prefix: 'west/' }],
    repositories: [{ name: 'east/api' }, { name: 'west/api' }],
    sources: [
      { account: 'apps', region: 'us-east-1', namespaces: ['east/'], destinations: [{ account: 'apps', region: 'us-west-2' }] },
      { account: 'apps', region: 'us-west-2', namespaces: ['west/'], destinations: [{ account: 'apps', region: 'us-east-1' }] },
    ],
  };
  const stacks = build(pair);

  test('GIVEN two registries replicating to each other THEN each source depends on the other destination and its own, without a cycle', () => {
    expect(Object.fromEntries([...stacks.destinations, ...stacks.sources].map((stack) => [stack.stackName, dependencies(stack)]))).toEqual({
      'ecr-destination-apps-us-east-1': [],
      'ecr-destination-apps-us-west-2': [],
      'ecr-source-apps-us-east-1': ['ecr-destination-apps-us-east-1', 'ecr-destination-apps-us-west-2'],
      'ecr-source-apps-us-west-2': ['ecr-destination-apps-us-east-1', 'ecr-destination-apps-us-west-2'],
    });
  });

  test.each([
    ['ecr-source-apps-us-east-1', 'destination_apps_us_west_2', 'east'],
    ['ecr-source-apps-us-west-2', 'destination_apps_us_east_1', 'west'],
  ])('GIVEN %s THEN its guard reads %s and checks the template %s', (stackName, remoteState, prefix) => {
    const json = synthesizeAll(stacks).get(stackName)!;
    const replication = json.resource.aws_ecr_replication_configuration.replication as { lifecycle: { precondition: { condition: string }[] } };
    expect(Object.keys(json.data?.terraform_remote_state ?? {})).toEqual([remoteState]);
    expect(replication.lifecycle.precondition[0].condition).toContain(`toset(["${prefix}"])`);
  });
});
