/**
 * AWS SDK clients for one registry (the account's deployRoleArn assumed, the
 * config's endpoint honoured, the SDK's adaptive retries with backoff), and
 * AWS failures turned into one clear message and exit code each.
 */
// Types only at load: the clients are optional peer dependencies, loaded by the functions that call AWS
// (tools/aws-sdk.ts), so the static audit runs without them.
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { STSClient } from '@aws-sdk/client-sts';

/** Exit codes of the audit and backfill commands. */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  credentials: 3,
  accessDenied: 4,
  throttled: 5,
  regionNotEnabled: 6,
  awsError: 7,
} as const;

/** One registry to reach: an account of the config in a region. */
export interface RegistryTarget {
  readonly accountName: string;
  readonly accountId: string;
  readonly region: string;
  /** Assumed before any call. @default - the caller's credentials */
  readonly roleArn?: string;
}

export interface RegistryClients {
  readonly ecr: ECRClient;
  readonly kms: KMSClient;
  /** Confirms whose credentials these are. @default - not checked */
  readonly sts?: STSClient;
}

export type ClientFactory = (target: RegistryTarget) => Promise<RegistryClients>;

export interface SdkClientOptions {
  /** An AWS-compatible endpoint for every service (the config's endpoint.url). */
  readonly endpoint?: string;
  /** Attempts per call, retries included (throttling backs off adaptively). @default 8 */
  readonly maxAttempts?: number;
  /** Credentials to start from (emulators accept any). @default - the SDK's default chain (environment, profile, SSO, instance role) */
  readonly baseCredentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** Emulators accept any credentials: with an endpoint and nothing in the environment, test/test (as npm run test:e2e). */
export function emulatorCredentials(endpoint: string | undefined, environment: NodeJS.ProcessEnv): SdkClientOptions['baseCredentials'] {
  if (!endpoint || environment.AWS_ACCESS_KEY_ID || environment.AWS_PROFILE) return undefined;
  return { accessKeyId: 'test', secretAccessKey: 'test' };
}

/** Clients of the AWS SDK for JavaScript v3; one role session per role and region. */
export function sdkClientFactory(options: SdkClientOptions = {}): ClientFactory {
  const endpoint = options.endpoint?.replace(/\/$/, '');
  const common = { maxAttempts: options.maxAttempts ?? 8, retryMode: 'adaptive', ...(endpoint ? { endpoint } : {}) };
  const base = options.baseCredentials ? { credentials: { ...options.baseCredentials } } : {};
  const sessions = new Map<string, Promise<Credentials>>();
  const assume = (roleArn: string, region: string) => {
    const key = `${roleArn} ${region}`;
    let session = sessions.get(key);
    if (!session) {
      session = import('@aws-sdk/client-sts')
        .then(({ AssumeRoleCommand, STSClient }) =>
          new STSClient({ ...common, ...base, region }).send(
            new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ecr-kms-replication-audit', DurationSeconds: 3600 }),
          ),
        )
        .then((response) => {
          const credentials = response.Credentials;
          if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`AssumeRole of ${roleArn} returned no credentials`);
          return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken };
        });
      sessions.set(key, session);
    }
    return session;
  };
  return async (target) => {
    const credentials = target.roleArn ? { credentials: await assume(target.roleArn, target.region) } : base;
    const settings = { ...common, region: target.region, ...credentials };
    const [{ ECRClient }, { KMSClient }, { STSClient }] = await Promise.all([
      import('@aws-sdk/client-ecr'),
      import('@aws-sdk/client-kms'),
      import('@aws-sdk/client-sts'),
    ]);
    return { ecr: new ECRClient(settings), kms: new KMSClient(settings), sts: new STSClient(settings) };
  };
}

/** An AWS failure, classified, with what to do about it. */
export class AwsAccessError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const CREDENTIAL_ERRORS = ['CredentialsProviderError', 'InvalidClientTokenId', 'ExpiredToken', 'ExpiredTokenException', 'SignatureDoesNotMatch'];
const ACCESS_ERRORS = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException'];
const THROTTLING_ERRORS = ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded'];
const REGION_ERRORS = ['UnrecognizedClientException', 'RegionDisabledException', 'OptInRequired'];

/** The error as a message naming the registry and the fix, with its exit code. */
export function classifyAwsError(error: unknown, target: RegistryTarget, action: string): AwsAccessError {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const detail = error instanceof Error ? error.message : String(error);
  const where = `${action} in account ${target.accountName} (${target.accountId}), ${target.region}`;
  const role = target.roleArn ? ` (assuming ${target.roleArn})` : '';
  if (CREDENTIAL_ERRORS.includes(name) || /could not load credentials/i.test(detail)) {
    return new AwsAccessError(
      `${where}: no valid AWS credentials (${name || 'credentials'}: ${detail}): set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or sign in with aws sso login) and run again`,
      EXIT.credentials,
    );
  }
  if (ACCESS_ERRORS.includes(name)) {
    return new AwsAccessError(
      `${where}: access denied${role} (${detail}): the caller must be allowed to assume the account's deployRoleArn, and that role needs the read permissions listed in the README (Compliance)`,
      EXIT.accessDenied,
    );
  }
  if (THROTTLING_ERRORS.includes(name)) {
    return new AwsAccessError(
      `${where}: still throttled after the SDK's retries with backoff (${detail}): run again later, or audit fewer registries at a time`,
      EXIT.throttled,
    );
  }
  if (REGION_ERRORS.includes(name)) {
    return new AwsAccessError(
      `${where}: the region rejected the credentials (${name}: ${detail}): the region is probably not enabled for the account (opt-in regions: enable it under Account > AWS Regions), or the credentials are not valid there`,
      EXIT.regionNotEnabled,
    );
  }
  if (['ENOTFOUND', 'ECONNREFUSED', 'EAI_AGAIN'].includes(code) || ['ENOTFOUND', 'ECONNREFUSED'].some((text) => detail.includes(text))) {
    return new AwsAccessError(`${where}: the endpoint cannot be reached (${detail}): check the region and the config's endpoint.url`, EXIT.awsError);
  }
  return new AwsAccessError(`${where}: ${name ? `${name}: ` : ''}${detail}`, EXIT.awsError);
}

/** Fails unless the clients' credentials belong to the registry's account (without a deployRoleArn, the caller's own are used). */
export async function confirmAccount(target: RegistryTarget, clients: RegistryClients): Promise<void> {
  if (!clients.sts) return;
  const sts = clients.sts;
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const identity = await call(target, 'sts:GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
  if (identity.Account !== target.accountId) {
    throw new AwsAccessError(
      `sts:GetCallerIdentity in account ${target.accountName} (${target.accountId}), ${target.region}: the credentials belong to account ${identity.Account ?? 'unknown'} (${identity.Arn ?? ''}), not ${target.accountId}: set deployRoleArn for the account in the config, or use credentials of that account`,
      EXIT.accessDenied,
    );
  }
}

/** Runs one AWS call; failures become an AwsAccessError naming the registry and the action. */
export async function call<T>(target: RegistryTarget, action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AwsAccessError) throw error;
    throw classifyAwsError(error, target, action);
  }
}

/** Runs one AWS call whose "not found" error means "none". */
export async function callOrNone<T>(target: RegistryTarget, action: string, notFound: readonly string[], run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (notFound.includes((error as { name?: string }).name ?? '')) return undefined;
    throw classifyAwsError(error, target, action);
  }
}
