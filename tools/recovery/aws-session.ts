/**
 * AWS SDK clients for one registry, the way its stack's provider reaches it:
 * the same region, the same AWS-compatible endpoint (if any), and the
 * account's deployment role assumed first.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

export interface RegistryTarget {
  readonly accountId: string;
  readonly region: string;
  /** Assumed before any call, as the provider's assume_role does. @default - the caller's credentials */
  readonly deployRoleArn?: string;
  /** An AWS-compatible endpoint (LocalStack, moto). @default - the real AWS endpoints */
  readonly endpoint?: string;
}

export interface RegistryClients {
  readonly ecr: ECRClient;
  readonly kms: KMSClient;
  readonly iam: IAMClient;
}

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * The credentials to start from. Keys in the given environment (the command's, which may differ from this
 * process's) are used as they are; emulators accept any credentials, so with an endpoint and none given, their
 * customary test/test; otherwise the SDK's default chain (profile, SSO, instance role).
 */
function baseCredentials(target: RegistryTarget, environment: NodeJS.ProcessEnv): Credentials | undefined {
  if (environment.AWS_ACCESS_KEY_ID && environment.AWS_SECRET_ACCESS_KEY) {
    return {
      accessKeyId: environment.AWS_ACCESS_KEY_ID,
      secretAccessKey: environment.AWS_SECRET_ACCESS_KEY,
      ...(environment.AWS_SESSION_TOKEN ? { sessionToken: environment.AWS_SESSION_TOKEN } : {}),
    };
  }
  return target.endpoint && !environment.AWS_ACCESS_KEY_ID && !environment.AWS_PROFILE ? { accessKeyId: 'test', secretAccessKey: 'test' } : undefined;
}

export async function registryClients(target: RegistryTarget, environment: NodeJS.ProcessEnv = process.env): Promise<RegistryClients> {
  const common = { region: target.region, ...(target.endpoint ? { endpoint: target.endpoint } : {}), maxAttempts: 3 };
  let credentials = baseCredentials(target, environment);
  if (target.deployRoleArn) {
    const sts = new STSClient({ ...common, ...(credentials ? { credentials } : {}) });
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: target.deployRoleArn, RoleSessionName: 'ecr-kms-replication-tools' }));
    const issued = assumed.Credentials;
    if (!issued?.AccessKeyId || !issued.SecretAccessKey) throw new Error(`AssumeRole ${target.deployRoleArn} returned no credentials`);
    credentials = { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.SessionToken };
  }
  const options = { ...common, ...(credentials ? { credentials } : {}) };
  return { ecr: new ECRClient(options), kms: new KMSClient(options), iam: new IAMClient(options) };
}
