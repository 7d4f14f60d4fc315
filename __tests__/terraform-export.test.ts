/**
 * The Terraform export without running Terraform: the HCL writer, the JSON to
 * HCL converter of the stacks, the modules' use of the library, the root
 * composition's honouring of the config, and the committed export being fresh.
 * (terraform-export-run.test.ts runs fmt, init, validate and test on it.)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DocsInput, terraformDocsContent } from '../tools/terraform-export/terraform-docs';
import { validateConfig } from '../config/load';
import { ConfigInput } from '../config/schema';
import { attribute, block, call, expr, renderBody, renderFile, renderValue, soleInterpolation, template } from '../tools/hcl/hcl-writer';
import { providerBlocks } from '../tools/hcl/provider-blocks';
import { formatForExpressions, terraformJsonToHcl } from '../tools/hcl/terraform-json-to-hcl';
import { parseArguments, staleFiles } from '../cli/commands/export-terraform';
import { listOf, policyToHcl } from '../tools/terraform-export/policy-expressions';
import { terraformExportFiles, writeTerraformExport } from '../tools/terraform-export/export';
import { exampleConfig, exampleConfigWith } from '../test-support/example-config';
import { ScanningField } from '../config/compliance-schema';
import { SCANNING_FILTER_PATTERN } from '../modules/ecr/scanning';
import { ConfigError, formatProblem } from '../config/problems';
import { principalArnProblem } from '../modules/ecr/principals';
import { kmsAliasProblem } from '../modules/ecr/kms-alias';
import { rotationPeriodProblem } from '../modules/ecr/kms-key-options';
import { re2Pattern } from '../tools/terraform-export/library-rules';

const COMMITTED_EXPORT = path.resolve(__dirname, '..', 'terraform');

function exportOf(input: ConfigInput): Record<string, string> {
  return terraformExportFiles(validateConfig(input, '<test config>').config, 'ecr-replication.yaml');
}

describe('HCL writer', () => {
  test.each([
    ['a literal string keeps ${ and %{ as text', 'team-${x}/%{y}', '"team-$${x}/%%{y}"'],
    ['quotes, backslashes and newlines are escaped', 'say "hi"\\\n', '"say \\"hi\\"\\\\\\n"'],
  ])('GIVEN %s WHEN rendered THEN it is quoted safely', (_what, value, expected) => {
    expect(renderValue(value)).toBe(expected);
  });

  test('GIVEN a template WHEN rendered THEN its interpolations stay live and quotes inside them are not escaped', () => {
    expect(renderValue(template('a"${join("", ["b"])}"c'))).toBe('"a\\"${join("", ["b"])}\\"c"');
  });

  test.each([
    ['${var.x}', 'var.x'],
    ['${a}${b}', undefined],
    ['x${a}', undefined],
    ['${f("}")}', 'f("}")'],
  ])('GIVEN the template %s THEN its sole interpolation is %s', (text, expected) => {
    expect(soleInterpolation(text)).toBe(expected);
  });

  test('GIVEN consecutive one-line attributes and a multi-line one WHEN rendered THEN = is aligned as terraform fmt does, the multi-line one stands alone', () => {
    const text = renderBody([attribute('a', 1), attribute('long_name', true), attribute('object', { k: 'v' }), attribute('b', expr('var.b'))]);
    expect(text).toBe(['a         = 1', 'long_name = true', 'object = {', '  k = "v"', '}', 'b = var.b'].join('\n'));
  });

  test('GIVEN a block with labels, a list of objects and a call WHEN rendered THEN the layout is canonical', () => {
    const text = renderFile([
      block('resource', ['aws_x', 'this'], [attribute('items', [{ id: 1 }]), attribute('policy', call('jsonencode', { Version: '1' }))]),
    ]);
    expect(text).toBe(
      [
        'resource "aws_x" "this" {',
        '  items = [',
        '    {',
        '      id = 1',
        '    },',
        '  ]',
        '  policy = jsonencode({',
        '    Version = "1"',
        '  })',
        '}',
        '',
      ].join('\n'),
    );
  });
});

describe('one rule, one message: the library, the config and the modules', () => {
  const configProblems = (input: ConfigInput): string[] => {
    try {
      validateConfig(input, '<test config>');
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.map(formatProblem);
      throw error;
    }
    return [];
  };

  test.each([
    [
      '*',
      'must not be the wildcard principal "*" (anyone, in any AWS account): name the IAM roles or users instead, e.g. arn:aws:iam::111111111111:role/platform-admin',
    ],
    [
      'arn:aws:iam::111111111111:role/*',
      'must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. arn:aws:iam::111111111111:role/platform-admin)',
    ],
    ['arn:aws:iam::111111111111:role/ci-image-publisher', undefined],
    ['arn:aws-cn:sts::111111111111:assumed-role/admin/session', undefined],
  ])('GIVEN the principal %s THEN the library says %s', (principal, message) => {
    expect(principalArnProblem(principal)).toBe(message);
  });

  test('GIVEN a wildcard key user in the config THEN the check refuses it with the same message as the kms-key module', () => {
    const config = exampleConfig();
    config.accounts.build.keyUsers = ['*'];
    expect(configProblems(config)).toEqual([
      'accounts.build.keyUsers[0] (received "*"): must not be the wildcard principal "*" (anyone, in any AWS account): name the IAM roles or users instead, e.g. arn:aws:iam::111111111111:role/platform-admin',
    ]);
  });

  test.each([
    [89, false],
    [90, true],
    [2560, true],
    [2561, false],
    [180.5, false],
  ])('GIVEN a rotation period of %s days THEN the library accepts it: %s', (days, accepted) => {
    expect(rotationPeriodProblem(days) === undefined).toBe(accepted);
  });

  test.each([
    ['alias/ecr-kms-replication', true],
    ['alias/aws/ecr', false],
    ['alias/', false],
    ['ecr', false],
  ])('GIVEN the alias %s THEN the library accepts it: %s', (alias, accepted) => {
    expect(kmsAliasProblem(alias) === undefined).toBe(accepted);
  });

  test('GIVEN a pattern with a lookahead THEN the export refuses to give it to Terraform (RE2 reads no lookaround)', () => {
    expect(() => re2Pattern(/^alias\/(?!aws\/)[a-z]+$/)).toThrow(
      '/^alias\\/(?!aws\\/)[a-z]+$/ is not RE2-compatible: give Terraform a pattern without lookaround, backreferences or flags',
    );
    expect(re2Pattern(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/)).toBe('"^arn:aws:iam::\\\\d{12}:role/[\\\\w+=,.@/-]+$"');
  });
});

describe('policies with references', () => {
  test('GIVEN a list placeholder WHEN converted THEN the list becomes the expression', () => {
    expect(renderValue(policyToHcl({ AWS: [listOf('var.users')] }))).toBe('{\n  AWS = var.users\n}');
  });

  test('GIVEN a loop variable WHEN converted THEN the list becomes a for expression', () => {
    expect(renderValue(policyToHcl({ Resource: ['arn:${p}:repository/${filter}*'] }, { forEach: { filter: 'var.filters' } }))).toBe(
      '{\n  Resource = [\n    for filter in var.filters : "arn:${p}:repository/${filter}*"\n  ]\n}',
    );
  });
});

describe('Terraform JSON to HCL (the stacks)', () => {
  test('GIVEN the provider bindings THEN the blocks of a replication configuration are known', () => {
    expect(providerBlocks('resource', 'aws_ecr_replication_configuration')).toEqual({
      replication_configuration: { rule: { destination: {}, repository_filter: {} } },
    });
  });

  test('GIVEN a JSON policy string with a reference WHEN converted THEN it is jsonencode({...}) with the reference live', () => {
    const text = terraformJsonToHcl({
      resource: { aws_kms_key: { k: { policy: '{"Statement":[{"Resource":"${aws_iam_role.r.arn}"}]}', provider: 'aws.a' } } },
    });
    expect(text).toBe(
      [
        'resource "aws_kms_key" "k" {',
        '  policy = jsonencode({',
        '    Statement = [',
        '      {',
        '        Resource = aws_iam_role.r.arn',
        '      },',
        '    ]',
        '  })',
        '  provider = aws.a',
        '}',
        '',
      ].join('\n'),
    );
  });

  test.each([
    [
      'a tuple for (cdktf: "[ for ...: ")',
      'alltrue([ for key, val in toset(["a", "b"]): try(x[val].t == "KMS", false)])',
      'alltrue([for key, val in toset(["a", "b"]) : try(x[val].t == "KMS", false)])',
    ],
    [
      'an object for',
      '{ for key, val in aws_ecr_repository.r: key => { arn = val.arn } }',
      '{ for key, val in aws_ecr_repository.r : key => { arn = val.arn } }',
    ],
    ['a conditional inside the collection keeps its colon', '[ for x in a ? b : c: x]', '[for x in a ? b : c : x]'],
    ['a string that looks like a for is text', 'upper("[ for a in b: c]")', 'upper("[ for a in b: c]")'],
    ['colons inside strings stay', '[for arn in var.x: startswith(arn, "arn:aws:")]', '[for arn in var.x : startswith(arn, "arn:aws:")]'],
  ])('GIVEN %s WHEN laid out THEN it is what terraform fmt writes', (_what, text, expected) => {
    expect(formatForExpressions(text)).toBe(expected);
  });

  test('GIVEN cdktf\'s short provider source "aws" WHEN converted THEN required_providers names hashicorp/aws', () => {
    expect(terraformJsonToHcl({ terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } } })).toBe(
      'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "5.100.0"\n    }\n  }\n}\n',
    );
  });

  test('GIVEN preconditions and nested blocks WHEN converted THEN they are blocks, not arguments', () => {
    const text = terraformJsonToHcl({
      resource: {
        aws_ecr_repository: {
          r: {
            name: 'web',
            encryption_configuration: [{ encryption_type: 'KMS', kms_key: '${aws_kms_key.k.arn}' }],
            lifecycle: { precondition: [{ condition: '${1 == 1}', error_message: 'm' }] },
          },
        },
      },
    });
    expect(text).toContain('  encryption_configuration {\n    encryption_type = "KMS"\n    kms_key         = aws_kms_key.k.arn\n  }');
    expect(text).toContain('  lifecycle {\n    precondition {\n      condition     = 1 == 1\n      error_message = "m"\n    }\n  }');
  });
});

describe('modules generated from the library', () => {
  const files = exportOf(exampleConfig());

  test.each([
    ['modules/replication-configuration/main.tf', 'chunklist(var.destinations, 25)'],
    ['modules/replication-configuration/main.tf', 'chunklist(local.filters, 100)'],
    ['modules/replication-configuration/main.tf', 'condition     = length(local.rules) <= 10'],
    ['modules/kms-key/variables.tf', 'var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30'],
    ['modules/kms-key/main.tf', '"kms:ViaService"    = "ecr.${local.region}.${data.aws_partition.current.dns_suffix}"'],
    ['modules/replication-registry-policy/main.tf', '"arn:${local.partition}:ecr:${local.region}:${local.account_id}:repository/${filter}*"'],
    ['modules/encrypted-repositories/main.tf', 'encryption_type = "KMS"'],
    ['modules/kms-key/versions.tf', 'version = ">= 5.100.0, < 6.0.0"'],
  ])('GIVEN the export WHEN reading %s THEN it holds %s', (file, expected) => {
    expect(files[file]).toContain(expected);
  });

  test('GIVEN any module THEN it has the files Terraform teams expect and no provider block', () => {
    for (const name of [
      'kms-key',
      'encrypted-repositories',
      'replication-registry-policy',
      'replication-configuration',
      'repository-creation-templates',
      'registry-scanning',
    ]) {
      for (const file of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md']) expect(files[`modules/${name}/${file}`]).toBeDefined();
      expect(files[`modules/${name}/main.tf`]).not.toMatch(/^provider /m);
      expect(files[`examples/${name}/main.tf`]).toContain(`source = "../../modules/${name}"`);
    }
  });

  test('GIVEN a module README THEN usage comes first, pinned to the release, and the terraform-docs tables close it between their markers', () => {
    const readme = files['modules/kms-key/README.md'];
    expect(readme.indexOf('## Usage')).toBeLessThan(readme.indexOf('<!-- BEGIN_TF_DOCS -->'));
    expect(readme).toContain('  source = "git::https://github.com/ecr-kms-replication/ecr-kms-replication.git//terraform/modules/kms-key?ref=v0.2.0"');
    expect(readme.endsWith('<!-- END_TF_DOCS -->\n')).toBe(true);
    expect(readme).toContain(
      '| <a name="input_deletion_window_in_days"></a> [deletion\\_window\\_in\\_days](#input\\_deletion\\_window\\_in\\_days) | Waiting period of a scheduled key deletion, 7 to 30 days. | `number` | `30` | no |',
    );
    expect(readme).toContain('| <a name="output_arn"></a> [arn](#output\\_arn) | ARN of the key. |');
    expect(readme).toContain('| terraform_data.key_protection | resource |');
  });

  test("GIVEN every README in terraform-docs' layout THEN each Inputs row shows the type exactly as its variables.tf writes it", () => {
    const folders = [
      ...Object.keys(files)
        .filter((file) => file.endsWith('/variables.tf'))
        .map((file) => file.slice(0, -'/variables.tf'.length)),
    ];
    expect(folders.length).toBe(8);
    for (const folder of folders) {
      const readme = files[`${folder}/README.md`];
      const variables = files[`${folder}/variables.tf`];
      for (const match of variables.matchAll(
        /^variable "([a-z_]+)" \{\n {2}description = .*\n {2}type {8}= (.*)$|^variable "([a-z_]+)" \{\n {2}description = .*\n {2}type = ((?:.*\n)*? {2}\S.*)$/gm,
      )) {
        const name = match[1] ?? match[3];
        const type = match[2] ?? match[4];
        const cell = type.includes('\n') ? `<pre>${type.split('\n').join('<br/>')}</pre>` : `\`${type}\``;
        const row = readme.split('\n').find((line) => line.startsWith(`| <a name="input_${name}"></a>`));
        expect({ folder, name, type: row?.split(' | ')[2] }).toEqual({ folder, name, type: cell });
      }
    }
  });
});

describe("terraform-docs' markdown table", () => {
  const docs = (inputs: DocsInput[]): string =>
    terraformDocsContent({ requiredVersion: '>= 1.9.0', requiredProviders: {}, resources: [], moduleCalls: [], inputs, outputs: [] });

  test.each([
    ['underscores outside code spans are escaped', 'The kms_key_arn of `kms_key`.', 'The kms\\_key\\_arn of `kms_key`.'],
    ['pipes outside code spans are escaped', 'v1 | v2', 'v1 \\| v2'],
    ['an empty description', '', 'n/a'],
  ])('GIVEN %s THEN the cell is what terraform-docs writes', (_what, description, cell) => {
    expect(docs([{ name: 'x', description, type: 'string' }])).toContain(`| <a name="input_x"></a> [x](#input\\_x) | ${cell} | \`string\` | n/a | yes |`);
  });

  test('GIVEN a multi-line type and an object default THEN they are <pre> blocks, the default JSON with sorted keys', () => {
    expect(
      docs([{ name: 'rules', description: 'd', type: 'list(object({\n    b = string\n  }))', default: [{ frequency: 'SCAN_ON_PUSH', filters: ['*'] }] }]),
    ).toContain(
      '| <pre>list(object({<br/>    b = string<br/>  }))</pre> | <pre>[<br/>  {<br/>    "filters": [<br/>      "*"<br/>    ],<br/>    "frequency": "SCAN_ON_PUSH"<br/>  }<br/>]</pre> | no |',
    );
  });

  test("GIVEN emphasis with underscores THEN the export refuses to guess terraform-docs' output", () => {
    expect(() => docs([{ name: 'x', description: 'a _bold_ c', type: 'string' }])).toThrow(
      'terraform-docs would read "a _bold_ c" with rules the export does not follow',
    );
  });

  test('GIVEN a module without inputs or resources THEN the sections say so, as terraform-docs does', () => {
    expect(docs([])).toBe(
      [
        '## Requirements\n\n| Name | Version |\n| ---- | ------- |\n| <a name="requirement_terraform"></a> [terraform](#requirement\\_terraform) | >= 1.9.0 |',
        '## Providers\n\nNo providers.',
        '## Modules\n\nNo modules.',
        '## Resources\n\nNo resources.',
        '## Inputs\n\nNo inputs.',
        '## Outputs\n\nNo outputs.',
      ].join('\n\n'),
    );
  });
});

describe('the release the modules belong to', () => {
  const root = path.resolve(__dirname, '..');
  const files = exportOf(exampleConfig());

  test('GIVEN package.json, CHANGELOG.md and the READMEs THEN they name one version: the newest CHANGELOG section, tagged v<version>', () => {
    const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const newest = /^## \[(\d+\.\d+\.\d+)\]/m.exec(readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'))?.[1];
    expect({ version, newest }).toEqual({ version: '0.2.0', newest: '0.2.0' });
    expect(files['README.md']).toContain('?ref=v0.2.0');
  });

  test("GIVEN a team's state, variables and lock file in the export folder WHEN the export is written again THEN they are kept", () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'ecr-export-owned-'));
    try {
      writeTerraformExport(directory, files);
      const theirs = [
        'examples/complete/terraform.tfvars',
        'examples/complete/terraform.tfstate',
        'examples/complete/.terraform.lock.hcl',
        'terraform-state/composition.tfstate',
      ];
      for (const file of theirs) {
        mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
        writeFileSync(path.join(directory, file), 'theirs');
      }
      writeFileSync(path.join(directory, 'modules/kms-key/stale.tf'), '# from an older export');
      writeTerraformExport(directory, files);
      expect(theirs.map((file) => existsSync(path.join(directory, file)))).toEqual([true, true, true, true]);
      expect(existsSync(path.join(directory, 'modules/kms-key/stale.tf'))).toBe(false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('root composition', () => {
  test('GIVEN the same config twice THEN the export is byte-identical', () => {
    expect(exportOf(exampleConfig())).toEqual(exportOf(exampleConfig()));
  });

  test('GIVEN the committed terraform/ folder THEN it is what the export writes for ecr-replication.yaml (run npm run export:terraform)', () => {
    expect(staleFiles(COMMITTED_EXPORT, exportOf(exampleConfig()))).toEqual([]);
  });

  test('GIVEN an s3 backend and an endpoint THEN the backend and every provider follow them', () => {
    const files = exportOf(
      exampleConfigWith({
        backend: { type: 's3', bucket: 'acme-state', region: 'eu-central-1', keyPrefix: 'platform' },
        endpoint: { url: 'http://localhost:4566' },
      }),
    );
    expect(files['versions.tf']).toContain(
      'backend "s3" {\n    bucket       = "acme-state"\n    key          = "platform/composition.tfstate"\n    region       = "eu-central-1"\n    encrypt      = true\n    use_lockfile = true\n',
    );
    expect(files['providers.tf'].match(/endpoints \{\n\s+ecr = "http:\/\/localhost:4566"/g)).toHaveLength(3);
  });

  test('GIVEN a cloud backend THEN the composition has its own workspace', () => {
    const files = exportOf(exampleConfigWith({ backend: { type: 'cloud', organization: 'acme' } }));
    expect(files['versions.tf']).toContain(
      'cloud {\n    organization = "acme"\n    hostname     = "app.terraform.io"\n\n    workspaces {\n      name = "ecr-kms-replication-composition"\n    }\n  }'.replace(
        '\n\n',
        '\n',
      ),
    );
  });

  test('GIVEN the example THEN the replication configuration reads each destination through references and waits for its registry policy and templates', () => {
    const main = exportOf(exampleConfig())['main.tf'];
    expect(main).toContain('registry_id  = module.destination_prod_eu_west_1_repositories.registry_id');
    expect(main).toContain('repositories = module.destination_prod_eu_west_1_repositories.repositories');
    expect(main).toContain(
      'depends_on = [\n    module.destination_build_us_west_2_creation_templates,\n    module.destination_prod_eu_west_1_registry_policy,\n    module.destination_prod_eu_west_1_creation_templates,\n  ]',
    );
  });
});

describe('compliance settings in the composition', () => {
  const occurrences = (text: string, part: string): number => text.split(part).length - 1;
  const scanningCalls = (main: string): string[] => [...main.matchAll(/module "([a-z0-9_]+_scanning)"/g)].map((match) => match[1]);

  test.each([
    ['*', true],
    ['team-a/*', true],
    ['a.b_c-d/e*', true],
    ['Team-A/*', false],
    ['a//b', false],
    ['-web', false],
  ])('GIVEN the scanning filter %s THEN the module accepts it as the config does: %s', (filter, accepted) => {
    expect([SCANNING_FILTER_PATTERN.test(filter), ScanningField.safeParse({ rules: [{ frequency: 'SCAN_ON_PUSH', filters: [filter] }] }).success]).toEqual([
      accepted,
      accepted,
    ]);
  });

  test('GIVEN the example THEN every registry has one scanning call with the module defaults (basic scan on push of *)', () => {
    const main = exportOf(exampleConfig())['main.tf'];
    expect(scanningCalls(main)).toEqual(['destination_build_us_west_2_scanning', 'destination_prod_eu_west_1_scanning', 'source_build_us_east_1_scanning']);
    expect(main).toContain(
      'module "source_build_us_east_1_scanning" {\n  source = "./modules/registry-scanning"\n  providers = {\n    aws = aws.build_us_east_1\n  }\n}\n',
    );
  });

  test('GIVEN scanning enabled: false THEN no registry has a scanning call', () => {
    expect(scanningCalls(exportOf(exampleConfigWith({ scanning: { enabled: false } }))['main.tf'])).toEqual([]);
  });

  test('GIVEN enhanced scanning THEN each call passes the scan type and rules', () => {
    const main = exportOf(exampleConfigWith({ scanning: { scanType: 'ENHANCED', rules: [{ frequency: 'CONTINUOUS_SCAN', filters: ['team-a/*'] }] } }))[
      'main.tf'
    ];
    expect(occurrences(main, 'scan_type = "ENHANCED"\n  rules = [\n    {\n      frequency = "CONTINUOUS_SCAN"\n      filters   = ["team-a/*"]')).toBe(3);
  });

  test('GIVEN a registry in both roles THEN it gets its scanning call from its destination call only', () => {
    const config = exampleConfig();
    config.repositories = [...config.repositories, { name: 'tools' }];
    config.sources = [
      { ...config.sources[0], repositories: ['team-a/api', 'web'] },
      { account: 'build', region: 'us-west-2', repositories: ['tools'], destinations: [{ account: 'prod', region: 'eu-west-1' }] },
    ];
    const main = exportOf(config)['main.tf'];
    expect(main).toContain('module "source_build_us_west_2_replication"');
    expect(scanningCalls(main)).toEqual(['destination_build_us_west_2_scanning', 'destination_prod_eu_west_1_scanning', 'source_build_us_east_1_scanning']);
  });

  test('GIVEN a repository without a lifecycle policy THEN it gets the default policy (expire untagged after 14 days)', () => {
    const main = exportOf(exampleConfig())['main.tf'];
    expect(main).toContain(
      '    web = {\n      lifecycle_rules = [\n        {\n          rule_priority = 1\n          description   = "expire untagged images after 14 days"',
    );
  });

  test('GIVEN creation templates THEN each takes the default lifecycle policy', () => {
    const main = exportOf(exampleConfig())['main.tf'];
    expect(
      occurrences(
        main,
        'lifecycle_rules = [\n    {\n      rule_priority = 1\n      description   = "expire untagged images after 14 days"\n      selection = {\n        tag_status   = "untagged"',
      ),
    ).toBe(2);
  });
});

describe('export command', () => {
  test('fails an unknown argument with the usage', () => {
    expect(() => parseArguments(['--outdir', 'x'])).toThrow(
      'unknown argument "--outdir": usage: export-terraform [--out <dir>] [--check] | export-terraform --stacks [--out <dir>]',
    );
  });

  test('GIVEN --stacks --out dir THEN the stacks are written there', () => {
    expect(parseArguments(['--stacks', '--out', 'dir'])).toEqual({ stacks: true, check: false, out: 'dir' });
  });
});
