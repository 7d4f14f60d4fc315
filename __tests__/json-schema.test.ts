/**
 * ecr-replication.schema.json as editors and linters use it (Ajv, draft 2020-12): help on every field, and the
 * conditionals zod cannot write. Each single mistake of config-errors.test.ts is checked against it there.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { configJsonSchema } from '../config/json-schema';
import { jsonSchemaErrors } from '../test-support/json-schema-validator';

const PROJECT = path.resolve(__dirname, '..');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

function config(change: (document: Doc) => void = () => undefined): Doc {
  const document: Doc = {
    accounts: { build: { id: '111111111111', keyUsers: ['arn:aws:iam::111111111111:role/ci'] } },
    repositories: [
      {
        name: 'web',
        lifecyclePolicy: {
          rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }],
        },
      },
    ],
    sources: [{ account: 'build', region: 'us-east-1', destinations: [{ account: 'build', region: 'eu-west-1' }] }],
  };
  change(document);
  return document;
}

/** Keywords whose subschemas only narrow fields defined elsewhere (conditionals, the root's partition branches). */
const NARROWING = new Set(['if', 'then', 'else', 'not', 'contains', 'allOf']);

/** Paths of properties (and mapping values) whose schema has no description. */
function undescribed(schema: unknown, at = ''): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const missing: string[] = [];
  for (const [name, property] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) {
    if (property.description === undefined) missing.push(`${at}/${name}`);
  }
  const values = node.additionalProperties as Record<string, unknown> | boolean | undefined;
  if (typeof values === 'object' && values.description === undefined) missing.push(`${at}/*`);
  for (const [key, child] of Object.entries(node)) {
    if (NARROWING.has(key) || (at === '' && key === 'anyOf')) continue;
    if (Array.isArray(child)) child.forEach((item, index) => missing.push(...undescribed(item, `${at}/${key}/${index}`)));
    else if (typeof child === 'object') missing.push(...undescribed(child, `${at}/${key}`));
  }
  return missing;
}

describe('GIVEN the generated JSON Schema', () => {
  test('WHEN its fields are listed THEN every one has a description for editors', () => {
    expect(undescribed(configJsonSchema())).toEqual([]);
  });

  test('WHEN the bundled example is validated THEN it passes', () => {
    expect(jsonSchemaErrors(parse(readFileSync(path.join(PROJECT, 'ecr-replication.yaml'), 'utf8')))).toEqual([]);
  });

  test('WHEN a region field is read THEN its description names the regions of each partition', () => {
    const source = ((configJsonSchema().properties as Doc).sources.items as Doc).properties.region;
    expect(source.enum).toHaveLength(37);
    expect(source.description).toContain('aws-us-gov: us-gov-east-1, us-gov-west-1; aws-cn: cn-north-1, cn-northwest-1.');
  });
});

describe('GIVEN a config checked by the JSON Schema', () => {
  test.each<[string, (document: Doc) => void]>([
    ['a newer commercial region', (c) => (c.sources[0].destinations[0].region = 'ap-southeast-7')],
    [
      'every registry and ARN in GovCloud',
      (c) => {
        c.sources[0].region = 'us-gov-west-1';
        c.sources[0].destinations[0].region = 'us-gov-east-1';
        c.accounts.build.keyUsers = ['arn:aws-us-gov:iam::111111111111:role/ci'];
      },
    ],
    [
      'a tagged rule with a tag pattern list',
      (c) =>
        (c.repositories[0].lifecyclePolicy.rules[0].selection = {
          tagStatus: 'tagged',
          tagPatternList: ['release-*'],
          countType: 'imageCountMoreThan',
          countNumber: 5,
        }),
    ],
    [
      'a sinceImagePushed rule with countUnit',
      (c) => (c.repositories[0].lifecyclePolicy.rules[0].selection = { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }),
    ],
    [
      'a tag pattern with 4 wildcards',
      (c) =>
        (c.repositories[0].lifecyclePolicy.rules[0].selection = {
          tagStatus: 'tagged',
          tagPatternList: ['*a*b*c*'],
          countType: 'imageCountMoreThan',
          countNumber: 5,
        }),
    ],
    ['a tag key with spaces and letters beyond ASCII', (c) => (c.tags = { 'Cost Center': 'Zürich', équipe: 'plateforme' })],
    ['a nested local state folder', (c) => (c.backend = { type: 'local', directory: 'state/..shared' })],
    [
      'a GovCloud state bucket with a GovCloud role',
      (c) => (c.backend = { type: 's3', bucket: 'state', region: 'us-gov-west-1', roleArn: 'arn:aws-us-gov:iam::111111111111:role/state' }),
    ],
  ])('WHEN it has %s THEN it passes', (_name, change) => {
    expect(jsonSchemaErrors(config(change))).toEqual([]);
  });

  test.each<[string, (document: Doc) => void, string]>([
    ['an unknown region', (c) => (c.sources[0].region = 'us-east-9'), '/sources/0/region must be equal to one of the allowed values'],
    ['a tag key starting with AWS:', (c) => (c.tags = { 'AWS:team': 'x' }), '/tags property name must be valid'],
    ['a local state folder with a ".." segment', (c) => (c.backend = { type: 'local', directory: 'state/../..' }), '/backend/directory must match pattern'],
    ['an absolute local state folder', (c) => (c.backend = { type: 'local', directory: '/var/state' }), '/backend/directory must match pattern'],
    [
      'two rules with tagStatus any',
      (c) =>
        c.repositories[0].lifecyclePolicy.rules.push(
          { rulePriority: 2, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 9 }, action: { type: 'expire' } },
          { rulePriority: 3, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 9 }, action: { type: 'expire' } },
        ),
      '/repositories/0/lifecyclePolicy/rules must contain at least 0 and no more than 1 valid item(s)',
    ],
    ['an unknown field', (c) => (c.repositories[0].encryptionType = 'AES256'), '/repositories/0 must NOT have additional properties'],
  ])('WHEN it has %s THEN it fails with the field named', (_name, change, expected) => {
    expect(jsonSchemaErrors(config(change)).map((error) => error.replace(/ "[^"]*"$/, ''))).toContain(expected);
  });
});
