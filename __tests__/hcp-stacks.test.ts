/**
 * The stacks with backend cloud (HCP Terraform), synthesized with cdktf's
 * Testing (no terraform): every aliased provider takes its account's
 * credentials from HCP Terraform's dynamic credentials for its alias, the
 * local and S3 backends keep the static provider, and the optional trust
 * stack of each account creates the OIDC provider and the deploy role
 * trusting exactly that account's workspaces, with a least-privilege policy.
 * `terraform validate` and `terraform test` of these stacks run in the shared
 * batches (terraform-validate.test.ts, terraform-test.test.ts); the emulator
 * layer applies a trust stack on moto (__tests__/emulator/hcp-trust.test.ts).
 */
import { validateConfig } from '../config/load';
import { ConfigError, formatProblem } from '../config/problems';
import { ConfigInput } from '../config/schema';
import { deployRolePolicy, DeployRolePolicyProps } from '../modules/policies/hcp-terraform-trust';
import { roleNameAndPath } from '../stacks/hcp-trust-stack';
import { exampleConfigWith } from '../test-support/example-config';
import { cleanupSynth, SynthesizedApp, synthesizeConfig } from '../test-support/synth';

const CLOUD = { type: 'cloud', organization: 'acme', project: 'platform' } as const;
const TRUST = { ...CLOUD, dynamicCredentials: { createTrust: true } } as const;
const ROLE = { build: 'arn:aws:iam::111111111111:role/ecr-replication-deployer', prod: 'arn:aws:iam::222222222222:role/ecr-replication-deployer' };

const apps = new Map<string, SynthesizedApp>();
function app(name: 'local' | 's3' | 'cloud' | 'trust'): SynthesizedApp {
  const backends: Record<string, ConfigInput['backend']> = {
    local: { type: 'local', directory: 'terraform-state' },
    s3: { type: 's3', bucket: 'acme-state', region: 'us-east-1' },
    cloud: CLOUD,
    trust: TRUST,
  };
  if (!apps.has(name)) apps.set(name, synthesizeConfig(exampleConfigWith({ backend: backends[name] })));
  return apps.get(name)!;
}
afterAll(() => apps.forEach((synthesized) => cleanupSynth(synthesized)));

function problems(document: unknown): string[] {
  try {
    validateConfig(document, 'cloud.yaml');
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map(formatProblem);
  }
}

const ALIASES: Record<string, [string, string]> = {
  'ecr-destination-build-us-west-2': ['build_us_west_2', '111111111111'],
  'ecr-destination-prod-eu-west-1': ['prod_eu_west_1', '222222222222'],
  'ecr-source-build-us-east-1': ['build_us_east_1', '111111111111'],
};

describe('GIVEN the example with backend cloud', () => {
  test.each(Object.entries(ALIASES))(
    'WHEN %s is synthesized THEN its provider reads the shared config file HCP Terraform writes for its alias, with no assume_role',
    (stackName, [alias, accountId]) => {
      const { provider, variable } = app('cloud').stack(stackName).json;
      expect(provider.aws).toEqual([
        {
          alias,
          allowed_account_ids: [accountId],
          default_tags: [{ tags: { Owner: 'platform-team', Project: 'ecr-kms-replication', 'ecr-kms-replication:stack': stackName } }],
          region: alias.split('_').slice(1).join('-'),
          shared_config_files: [`\${var.tfc_aws_dynamic_credentials.aliases.${alias}.shared_config_file}`],
        },
      ]);
      expect(variable).toEqual({
        tfc_aws_dynamic_credentials: {
          type: 'object({ default = optional(object({ shared_config_file = string })), aliases = optional(map(object({ shared_config_file = string })), {}) })',
          default: {},
          description: 'Set by HCP Terraform: the AWS shared config file of each dynamic credentials configuration, by tag (the provider alias)',
          validation: [
            {
              condition: `\${contains(keys(var.tfc_aws_dynamic_credentials.aliases), "${alias}")}`,
              error_message: `HCP Terraform gave no AWS dynamic credentials for provider alias ${alias}: the workspace needs the environment variables TFC_AWS_PROVIDER_AUTH_${alias}=true and TFC_AWS_RUN_ROLE_ARN_${alias}=<the account's deployRoleArn>; npm run hcp -- apply sets them.`,
            },
          ],
        },
      });
    },
  );

  test.each(['local', 's3'] as const)(
    'WHEN the %s backend is synthesized THEN the providers assume the deploy role as before and declare no variable',
    (name) => {
      for (const stack of app(name).stacks) {
        const [alias, accountId] = ALIASES[stack.name];
        expect(stack.json.provider.aws).toEqual([
          {
            alias,
            allowed_account_ids: [accountId],
            assume_role: [{ role_arn: accountId === '111111111111' ? ROLE.build : ROLE.prod, session_name: 'ecr-kms-replication' }],
            default_tags: [{ tags: { Owner: 'platform-team', Project: 'ecr-kms-replication', 'ecr-kms-replication:stack': stack.name } }],
            region: alias.split('_').slice(1).join('-'),
          },
        ]);
        expect(stack.json.variable).toBeUndefined();
      }
    },
  );

  test('WHEN createTrust is off THEN no trust stack is synthesized', () => {
    expect(app('cloud').trust).toEqual([]);
  });
});

describe('GIVEN backend cloud with dynamicCredentials.createTrust', () => {
  test('WHEN synthesized THEN each account gets one trust stack, and each registry stack deploys after its own', () => {
    const synthesized = app('trust');
    expect(synthesized.trust.map((stack) => stack.name)).toEqual(['ecr-hcp-trust-build', 'ecr-hcp-trust-prod']);
    const manifest = synthesized.stacks.map((stack) => [stack.name, stack.role]);
    expect(manifest.slice(0, 2)).toEqual([
      ['ecr-hcp-trust-build', 'trust'],
      ['ecr-hcp-trust-prod', 'trust'],
    ]);
  });

  test.each([
    ['ecr-hcp-trust-build', 'build_us_east_1', '111111111111', ['ecr-destination-build-us-west-2', 'ecr-source-build-us-east-1']],
    ['ecr-hcp-trust-prod', 'prod_eu_west_1', '222222222222', ['ecr-destination-prod-eu-west-1']],
  ])('WHEN %s is synthesized THEN its role is the deployRoleArn, trusting only the workspaces of its account', (stackName, alias, accountId, stacks) => {
    const { json } = app('trust').stack(stackName);
    expect(json.terraform.cloud.workspaces).toEqual({ name: `ecr-kms-replication-${stackName}`, project: 'platform' });
    // Applied once with an administrator's credentials: no role to assume, no dynamic credentials.
    expect(json.provider.aws).toEqual([
      {
        alias,
        allowed_account_ids: [accountId],
        default_tags: [{ tags: { Owner: 'platform-team', Project: 'ecr-kms-replication', 'ecr-kms-replication:stack': stackName } }],
        region: alias.split('_').slice(1).join('-'),
      },
    ]);
    expect(json.resource.aws_iam_openid_connect_provider.hcp_terraform).toMatchObject({
      url: 'https://app.terraform.io',
      client_id_list: ['aws.workload.identity'],
    });
    const role = json.resource.aws_iam_role.deploy_role;
    expect([role.name, role.path]).toEqual(['ecr-replication-deployer', '/']);
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'HcpTerraformRunsOfTheseWorkspaces',
          Effect: 'Allow',
          Principal: { Federated: '${aws_iam_openid_connect_provider.hcp_terraform.arn}' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'app.terraform.io:aud': 'aws.workload.identity' },
            StringLike: {
              'app.terraform.io:sub': stacks.map((stack) => `organization:acme:project:platform:workspace:ecr-kms-replication-${stack}:run_phase:*`),
            },
          },
        },
      ],
    });
  });

  test.each([
    ['ecr-hcp-trust-build', ['CreateTheEcrReplicationServiceLinkedRole'], false],
    ['ecr-hcp-trust-prod', [], true],
  ])('WHEN the policy of %s is read THEN it allows what its stacks manage and nothing broader', (stackName, extraSids, registryPolicy) => {
    const policy = JSON.parse(app('trust').stack(stackName).json.resource.aws_iam_role_policy.deploy_role_policy.policy) as {
      Statement: { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }[];
    };
    expect(policy.Statement.map((statement) => statement.Sid)).toEqual([
      'CreateKeysInTheRegistryRegions',
      'ManageTheKeys',
      'GrantsForEncryptedRepositories',
      'ManageTheKeyAliases',
      'ManageTheRepositories',
      'ManageTheRegistrySettings',
      'ManageTheCreationTemplateRoles',
      'PassTheCreationTemplateRolesToEcr',
      ...extraSids,
    ]);
    const actions = policy.Statement.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    expect(actions.includes('ecr:PutRegistryPolicy')).toBe(registryPolicy);
    // Statements without a resource to name are pinned to the account's regions.
    for (const statement of policy.Statement.filter((candidate) => candidate.Resource === '*')) {
      expect(Object.keys((statement.Condition as { StringEquals: Record<string, unknown> }).StringEquals)).toEqual(['aws:RequestedRegion']);
    }
  });
});

describe('GIVEN the cloud backend in the config', () => {
  test('WHEN an account holding a registry has no deployRoleArn THEN it fails, saying why and what to add', () => {
    const document = exampleConfigWith({ backend: CLOUD });
    delete (document.accounts.prod as { deployRoleArn?: string }).deployRoleArn;
    expect(problems(document)).toEqual([
      "accounts.prod.deployRoleArn (received nothing): is required with backend type cloud: HCP Terraform runs reach this account only through dynamic credentials, assuming this role with the run's identity token (no stored keys): add deployRoleArn: arn:aws:iam::222222222222:role/ecr-replication-deployer (backend.dynamicCredentials.createTrust: true creates it)",
    ]);
  });

  test('WHEN createTrust is on without a project THEN it fails, naming the subject that needs it', () => {
    expect(problems(exampleConfigWith({ backend: { type: 'cloud', organization: 'acme', dynamicCredentials: { createTrust: true } } }))).toEqual([
      'backend.project (received nothing): is required with dynamicCredentials.createTrust: each deploy role trusts the subject organization:<organization>:project:<project>:workspace:<workspace>:run_phase:* of its workspaces, so the project must be known: name the project of the workspaces, e.g. project: platform',
    ]);
  });

  test.each([
    ['a 2-character project', 'ab'],
    ['a project ending with a space', 'platform '],
    ['a project with a slash', 'plat/form'],
  ])('WHEN it names %s THEN it fails with the HCP Terraform rule', (_what, project) => {
    expect(problems(exampleConfigWith({ backend: { ...CLOUD, project } }))).toEqual([
      `backend.project (received ${JSON.stringify(project)}): must be an HCP Terraform project name: 3 to 40 letters, digits, spaces, "-" or "_", not starting or ending with a space`,
    ]);
  });

  test('WHEN dynamicCredentials has an unknown field THEN it fails, listing the allowed one', () => {
    expect(problems(exampleConfigWith({ backend: { ...CLOUD, dynamicCredentials: { createTrusts: true } as never } }))).toEqual([
      'backend.dynamicCredentials.createTrusts (received true): unknown field (did you mean "createTrust"?): remove it or fix its spelling; allowed here: createTrust',
    ]);
  });
});

describe('roleNameAndPath', () => {
  test.each([
    ['arn:aws:iam::111111111111:role/ecr-replication-deployer', 'ecr-replication-deployer', '/'],
    ['arn:aws:iam::111111111111:role/platform/ecr/deployer', 'deployer', '/platform/ecr/'],
    ['arn:aws-us-gov:iam::111111111111:role/deployer', 'deployer', '/'],
  ])('GIVEN %s THEN the name is %s under %s', (arn, name, path) => {
    expect(roleNameAndPath(arn)).toEqual({ name, path });
  });
});

describe('deployRolePolicy', () => {
  const base: DeployRolePolicyProps = { partition: 'aws', accountId: '111111111111', regions: ['eu-west-1'], keyAliases: ['alias/ecr-kms-replication'] };

  test('GIVEN enhanced scanning THEN Amazon Inspector may be turned on, and its service-linked role created, only', () => {
    const statements = deployRolePolicy({ ...base, scanning: 'enhanced' }).Statement;
    expect(statements.filter((statement) => statement.Sid.includes('Inspector'))).toEqual([
      {
        Sid: 'TurnOnAmazonInspectorScanning',
        Effect: 'Allow',
        Action: ['inspector2:Disable', 'inspector2:Enable', 'inspector2:ListAccountPermissions'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] } },
      },
      {
        Sid: 'CreateTheInspectorServiceLinkedRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: 'arn:aws:iam::111111111111:role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'inspector2.amazonaws.com' } },
      },
    ]);
  });

  test('GIVEN a destination-only account without templates or scanning THEN no IAM, replication or scanning action is allowed', () => {
    const actions = deployRolePolicy(base).Statement.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => action.startsWith('iam:') || action.includes('Replication') || action.includes('RegistryScanning'))).toEqual([]);
  });

  test('GIVEN more aliases and regions than an inline policy holds THEN it fails with the size and the limit', () => {
    const keyAliases = Array.from({ length: 120 }, (_, index) => `alias/ecr-kms-replication/team-${index}`);
    expect(() => deployRolePolicy({ ...base, regions: ['eu-west-1', 'us-east-1'], keyAliases })).toThrow(
      /^deployRolePolicy: the policy for account 111111111111 has \d+ characters, above IAM's limit of 10240 for a role's inline policies: use fewer key aliases or regions per account$/,
    );
  });
});
