/**
 * The emulator layer's AWS: moto's server (`python3 -m moto.server`), which
 * serves STS, KMS, ECR, IAM and S3 to the real hashicorp/aws provider and to
 * the AWS SDK. `.ci/run` starts one on a free port and passes it in
 * `ECR_EMULATOR_ENDPOINT`; without it, the layer's global set-up starts one
 * itself (test-support/emulator-global-setup.js) and stops it at the end.
 *
 * moto keeps one world for every test file: each scenario works in accounts
 * of its own (`scenarioAccounts`), reached by assuming a role in them, so
 * scenarios never see each other's keys, repositories or registry settings.
 *
 * What moto lacks: repository creation templates and replication backfill
 * (tests set `repositoryCreationTemplates: false`). The provider needs
 * `skip_requesting_account_id = false` against it (the default here): with
 * true, the replication and scanning configurations vanish after apply.
 */
import { createHash } from 'node:crypto';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

export const EMULATOR_ENDPOINT_VARIABLE = 'ECR_EMULATOR_ENDPOINT';

/** The emulator's base URL; fails with what to do when the layer runs without one. */
export function emulatorEndpoint(environment: NodeJS.ProcessEnv = process.env): string {
  const endpoint = environment[EMULATOR_ENDPOINT_VARIABLE];
  if (!endpoint) {
    throw new Error(
      `${EMULATOR_ENDPOINT_VARIABLE} is not set: run the emulator layer with npm run test:emulator (it starts moto's server), or start one (python3 -m moto.server -H 127.0.0.1 -p PORT) and set ${EMULATOR_ENDPOINT_VARIABLE}=http://127.0.0.1:PORT`,
    );
  }
  return endpoint.replace(/\/$/, '');
}

/**
 * `count` 12-digit account ids of a scenario's own, derived from its name: the
 * same scenario gets the same ids on every run, two scenarios different ones
 * (a collision would need equal hashes). moto creates an account on first use.
 */
export function scenarioAccounts(scenario: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const digest = createHash('sha256').update(`${scenario}#${index}`).digest();
    // 100000000000..999999999999: 12 digits, never a leading zero.
    return String(100_000_000_000 + (digest.readUIntBE(0, 6) % 900_000_000_000));
  });
}

/** Credentials the emulator accepts for its default account (any key works). */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** Environment for terraform and the project's commands against the emulator: test credentials, no instance metadata. */
export function emulatorEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: base.AWS_REGION ?? 'us-east-1',
    CHECKPOINT_DISABLE: '1',
  };
}

/** SDK client options for one account and region of the emulator: a role in the account is assumed first (moto takes the account from the role ARN). */
export async function accountClientOptions(
  accountId: string,
  region: string,
  endpoint: string = emulatorEndpoint(),
): Promise<{ region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } }> {
  const sts = new STSClient({ region, endpoint, credentials: EMULATOR_CREDENTIALS });
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/emulator-test`, RoleSessionName: 'emulator-test' }));
  const issued = assumed.Credentials;
  if (!issued?.AccessKeyId || !issued.SecretAccessKey) throw new Error(`AssumeRole into ${accountId} returned no credentials`);
  return {
    region,
    endpoint,
    credentials: { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.SessionToken },
  };
}
