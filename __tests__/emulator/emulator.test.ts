/** The emulator itself: each scenario account is reached by assuming a role in it, and sees only its own resources. */
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { accountClientOptions, scenarioAccounts } from '../../test-support/emulator';

test('GIVEN two scenario accounts THEN each has its own caller identity and its own repositories', async () => {
  const [first, second] = scenarioAccounts('emulator-smoke', 2);
  expect(first).toMatch(/^[1-9]\d{11}$/);
  expect(second).not.toBe(first);
  const firstOptions = await accountClientOptions(first, 'eu-west-1');
  const identity = await new STSClient(firstOptions).send(new GetCallerIdentityCommand({}));
  expect(identity.Account).toBe(first);

  const name = `smoke-${Date.now()}`;
  await new ECRClient(firstOptions).send(new CreateRepositoryCommand({ repositoryName: name }));
  const inFirst = await new ECRClient(firstOptions).send(new DescribeRepositoriesCommand({}));
  expect(inFirst.repositories?.map((repository) => [repository.repositoryName, repository.registryId])).toContainEqual([name, first]);
  const inSecond = await new ECRClient(await accountClientOptions(second, 'eu-west-1')).send(new DescribeRepositoriesCommand({}));
  expect(inSecond.repositories?.map((repository) => repository.repositoryName)).not.toContain(name);
});
