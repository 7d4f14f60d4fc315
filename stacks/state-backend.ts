/**
 * Where each stack keeps its state, and how another stack reads it. The same
 * config gives the writer's backend and the reader's `terraform_remote_state`,
 * so outputs flow from destination stacks to the source stack on every backend.
 */
import { Construct } from 'constructs';
import {
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  S3BackendConfig,
  TerraformRemoteState,
  TerraformStack,
} from 'cdktf';
import { BackendConfig, EndpointConfig } from '../config/schema';
import { cloudWorkspaceName, STATE_SESSION_NAME } from './resource-names';

/**
 * Path of a stack's local state file, as written in the synthesized JSON.
 * Terraform resolves it from the stack's folder (`cdktf.out/stacks/<stack>`),
 * so three levels up is the project: every stack, writer or reader, points at
 * the same file, and no machine path is written.
 */
export function localStatePath(directory: string, stackName: string): string {
  return `../../../${directory.replace(/\\/g, '/').replace(/\/+$/, '')}/${stackName}.tfstate`;
}

export function s3StateKey(keyPrefix: string, stackName: string): string {
  return `${keyPrefix.replace(/\/+$/, '')}/${stackName}.tfstate`;
}

export { cloudWorkspaceName };

function s3Settings(backend: Extract<BackendConfig, { type: 's3' }>, stackName: string, endpoint?: EndpointConfig): S3BackendConfig {
  const url = endpoint?.url.replace(/\/$/, '');
  return {
    bucket: backend.bucket,
    key: s3StateKey(backend.keyPrefix, stackName),
    region: backend.region,
    encrypt: true,
    dynamodbTable: backend.dynamodbTable,
    assumeRole: backend.roleArn ? { roleArn: backend.roleArn, sessionName: STATE_SESSION_NAME } : undefined,
    ...(url
      ? {
          endpoints: { s3: url, sts: url, iam: url, dynamodb: url },
          usePathStyle: true,
          skipCredentialsValidation: true,
          skipMetadataApiCheck: true,
          skipRegionValidation: true,
          skipRequestingAccountId: true,
        }
      : {}),
  };
}

/** Configures the stack's own backend. */
export function useStateBackend(stack: TerraformStack, stackName: string, backend: BackendConfig, endpoint?: EndpointConfig): void {
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: localStatePath(backend.directory, stackName) });
      return;
    case 's3': {
      const s3 = new S3Backend(stack, s3Settings(backend, stackName, endpoint));
      // cdktf 0.21's S3BackendConfig predates Terraform 1.10's S3-native locking.
      if (backend.useLockfile) s3.addOverride('use_lockfile', true);
      return;
    }
    case 'cloud':
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(cloudWorkspaceName(backend.workspacePrefix, stackName), backend.project),
      });
      return;
  }
}

/** Reads another stack's outputs. */
export interface StackOutputsReader {
  readonly state: TerraformRemoteState;
  /**
   * Terraform expression for the stack's outputs object. On the local backend
   * the data source exists only once the state file does (`count` on
   * `fileexists`), so a never-applied stack reads as null instead of failing
   * the plan with "Unable to find remote state": the guard then names it.
   */
  readonly outputs: string;
}

/** A `terraform_remote_state` data source that reads another stack's outputs. */
export function readStackOutputs(scope: Construct, id: string, stackName: string, backend: BackendConfig, endpoint?: EndpointConfig): StackOutputsReader {
  switch (backend.type) {
    case 'local': {
      const path = localStatePath(backend.directory, stackName);
      const state = new DataTerraformRemoteStateLocal(scope, id, { path });
      state.addOverride('count', `\${fileexists(${JSON.stringify(path)}) ? 1 : 0}`);
      return { state, outputs: `one(${state.fqn}[*].outputs)` };
    }
    case 's3': {
      const { dynamodbTable: _lockTable, ...settings } = s3Settings(backend, stackName, endpoint);
      const state = new DataTerraformRemoteStateS3(scope, id, settings);
      return { state, outputs: `${state.fqn}.outputs` };
    }
    case 'cloud': {
      const state = new DataTerraformRemoteState(scope, id, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: { name: cloudWorkspaceName(backend.workspacePrefix, stackName) },
      });
      return { state, outputs: `${state.fqn}.outputs` };
    }
  }
}
