/** `check --live`: every principal of the config asked of IAM (mocked with aws-sdk-client-mock), through each account's deployment role. */
import { mockClient } from 'aws-sdk-client-mock';
import { GetRoleCommand, GetUserCommand, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { validateConfig } from '../config/load';
import { formatProblem } from '../config/problems';
import { iamEntityOf, livePrincipalProblems } from '../cli/commands/live-principals';
import { runCheck } from '../cli/commands/check';
import { exampleConfig } from '../test-support/example-config';
import { registryClients } from '../tools/recovery/aws-session';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const missing = () => new NoSuchEntityException({ message: 'not found', $metadata: {} });
const clientsWithoutEnvironment = async (target: Parameters<typeof registryClients>[0]) => (await registryClients(target, {})).iam;

function config(edit: (raw: ReturnType<typeof exampleConfig>) => void = () => undefined) {
  const raw = exampleConfig();
  edit(raw);
  return validateConfig(raw, 'example').config;
}

beforeEach(() => {
  iam.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AK', SecretAccessKey: 'SK', SessionToken: 'T', Expiration: new Date(0) } });
  iam.on(GetRoleCommand).resolves({});
  iam.on(GetUserCommand).resolves({});
});

test.each([
  ['arn:aws:iam::111111111111:role/path/ci', { kind: 'role', name: 'ci' }],
  ['arn:aws:iam::111111111111:user/alice', { kind: 'user', name: 'alice' }],
  ['arn:aws:sts::111111111111:assumed-role/deployer/session-1', { kind: 'role', name: 'deployer' }],
  ['arn:aws:iam::111111111111:root', undefined],
])('GIVEN %s WHEN IAM is to be asked THEN it asks for %j', (arn, expected) => {
  expect(iamEntityOf(arn)).toEqual(expected);
});

describe('GIVEN the bundled example', () => {
  test('WHEN every principal exists THEN there are no errors and no warnings', async () => {
    expect(await livePrincipalProblems(config(), clientsWithoutEnvironment)).toEqual({ errors: [], warnings: [] });
  });

  test('WHEN a key user does not exist THEN it is an error naming the field, the role and the account', async () => {
    iam.on(GetRoleCommand, { RoleName: 'ci-image-publisher' }).rejects(missing());
    const { errors } = await livePrincipalProblems(config(), clientsWithoutEnvironment);
    expect(errors.map(formatProblem)).toEqual([
      'accounts.build.keyUsers[0] (received "arn:aws:iam::111111111111:role/ci-image-publisher"): no role "ci-image-publisher" exists in account 111111111111: KMS refuses a key policy, and ECR a repository policy, that names a missing principal, part way through a deploy; create the role first or fix the ARN',
    ]);
  });

  test('WHEN principals are checked THEN each account is asked through its own deployment role', async () => {
    await livePrincipalProblems(config(), clientsWithoutEnvironment);
    expect(
      sts
        .commandCalls(AssumeRoleCommand)
        .map((call) => call.args[0].input.RoleArn)
        .sort(),
    ).toEqual(['arn:aws:iam::111111111111:role/ecr-replication-deployer', 'arn:aws:iam::222222222222:role/ecr-replication-deployer']);
  });

  test('WHEN a principal belongs to an account outside the config THEN it is a warning, not an error', async () => {
    const edited = config((raw) => (raw.repositories[1].pullPrincipals = ['arn:aws:iam::333333333333:role/reader']));
    expect((await livePrincipalProblems(edited, clientsWithoutEnvironment)).warnings.map(formatProblem)).toEqual([
      'repositories[1].pullPrincipals[0] (received "arn:aws:iam::333333333333:role/reader"): not checked: account 333333333333 is not in the config, so there is no role to ask IAM with; make sure the role exists before deploying',
    ]);
  });
});

describe('GIVEN the check command with --live', () => {
  test('fails WHEN a principal is missing, printing it and exiting 1', async () => {
    let stderr = '';
    const code = await runCheck(
      ['--live', 'ecr-replication.yaml'],
      {},
      { stdout: () => undefined, stderr: (text) => (stderr += text) },
      process.cwd(),
      async () => ({
        errors: [{ path: ['accounts', 'build', 'keyUsers', 0], received: 'arn:aws:iam::111111111111:role/gone', message: 'no role' }],
        warnings: [],
      }),
    );
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr:
        'ecr-replication.yaml: 1 problem found:\n  - accounts.build.keyUsers[0] (received "arn:aws:iam::111111111111:role/gone"): no role\ncheck --live failed: create the principals above or fix their ARNs\n',
    });
  });
});
