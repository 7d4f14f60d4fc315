/**
 * `terraform validate` on every synthesized stack of the bundled example,
 * with each state backend and with an AWS-compatible endpoint, and the
 * backend blocks, remote state readers and provider endpoints the stacks
 * carry, with the HCP Terraform trust stacks, an active-active pair and a
 * three-registry mesh. All of them are validated in ONE terraform run, as modules of a
 * generated root (test-support/validate-batch.ts explains why nothing is
 * validated less), against one shared provider instance
 * (test-support/provider-server.ts); offline.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigInput } from '../config/schema';
import { exampleConfigWith } from '../test-support/example-config';
import { ProviderServer, startProviderServer } from '../test-support/provider-server';
import { cleanupSynth, SynthesizedApp, SynthesizedStack, synthesizeConfig } from '../test-support/synth';
import { requiredProviders, sharedInit } from '../test-support/terraform';
import { BACKEND_IGNORED, BatchValidation, validateAsModules } from '../test-support/validate-batch';
import { dynamicCredentialsInputs } from '../test-support/hcp-tftest';
import { activeActivePair, threeRegistryMesh } from '../test-support/topologies';

const ENDPOINT = 'http://localhost:4566';
const S3_BACKEND = {
  type: 's3',
  bucket: 'acme-terraform-state',
  region: 'eu-central-1',
  keyPrefix: 'platform/ecr-replication',
  dynamodbTable: 'terraform-locks',
  roleArn: 'arn:aws:iam::333333333333:role/terraform-state',
} as const;
const CLOUD_BACKEND = { type: 'cloud', organization: 'acme', hostname: 'tfe.example.com', workspacePrefix: 'ecr-' } as const;

const VARIANTS = {
  local: {},
  s3: { backend: S3_BACKEND },
  cloud: { backend: CLOUD_BACKEND },
  endpoint: { backend: S3_BACKEND, endpoint: { url: ENDPOINT } },
} satisfies Record<string, Partial<ConfigInput>>;
type Variant = keyof typeof VARIANTS;
const VARIANT_NAMES = Object.keys(VARIANTS) as Variant[];

const DESTINATIONS = ['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1'];
const SOURCE = 'ecr-source-build-us-east-1';
const STACKS = [...DESTINATIONS, SOURCE];
/**
 * Further apps validated in the same batch: the HCP Terraform trust stacks (cloud backend with createTrust; its
 * registry stacks are the cloud variant's), an active-active pair and a three-registry mesh (topologies.test.ts).
 */
const EXTRA_APPS = {
  trust: exampleConfigWith({ backend: { ...CLOUD_BACKEND, project: 'platform', dynamicCredentials: { createTrust: true } } }),
  pair: activeActivePair(),
  mesh: threeRegistryMesh(),
} satisfies Record<string, ConfigInput>;
type ExtraApp = keyof typeof EXTRA_APPS;
const extraApps = new Map<ExtraApp, SynthesizedApp>();
/** The stacks of an extra app that the batch validates. */
function extraStacks(name: ExtraApp): readonly SynthesizedStack[] {
  const synthesized = extraApps.get(name)!;
  return name === 'trust' ? synthesized.trust : synthesized.stacks;
}

/** A copy of the local variant's source stack with two mistakes, validated in the same batch. */
const BROKEN = 'broken-source';

/** An absolute path of this machine, as it would appear inside a string. */
const MACHINE_PATH = /(^|[^A-Za-z0-9_.~-])\/(tmp|work|root|home)(\/|\b)/;

const apps = new Map<Variant, SynthesizedApp>();
let server: ProviderServer | undefined;
let validation: BatchValidation;

function app(variant: Variant): SynthesizedApp {
  const synthesized = apps.get(variant);
  if (!synthesized) throw new Error(`variant ${variant} was not synthesized`);
  return synthesized;
}

/** Files a synthesis wrote. */
function synthesizedFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? synthesizedFiles(full) : [full];
  });
}

function remoteStates(stack: SynthesizedStack): Record<string, { backend: string; config: Record<string, unknown> }> {
  return stack.json.data?.terraform_remote_state ?? {};
}

function diagnosticsOf(name: string, severity: 'error' | 'warning'): string[] {
  return (validation.diagnostics.get(name) ?? []).filter((diagnostic) => diagnostic.severity === severity).map((diagnostic) => diagnostic.summary);
}

beforeAll(async () => {
  for (const variant of VARIANT_NAMES) apps.set(variant, synthesizeConfig(exampleConfigWith(VARIANTS[variant])));
  for (const name of Object.keys(EXTRA_APPS) as ExtraApp[]) extraApps.set(name, synthesizeConfig(EXTRA_APPS[name]));
  const local = app('local');
  server = await startProviderServer(sharedInit(requiredProviders(local.stack(SOURCE).directory)));

  // An argument the resource does not have, and a remote state reader with a setting its backend does not have.
  const broken = path.join(local.root, 'broken', BROKEN);
  cpSync(local.stack(SOURCE).directory, broken, { recursive: true });
  const json = JSON.parse(readFileSync(path.join(broken, 'cdk.tf.json'), 'utf8'));
  json.resource.aws_kms_key.kms_key.enable_key_rotaton = true;
  json.data.terraform_remote_state.destination_prod_eu_west_1.config.bucket = 'state';
  writeFileSync(path.join(broken, 'cdk.tf.json'), JSON.stringify(json, null, 2));

  validation = await validateAsModules(
    [
      ...VARIANT_NAMES.flatMap((variant) =>
        app(variant).stacks.map((stack) => ({ name: `${variant}-${stack.name}`, directory: stack.directory, inputs: dynamicCredentialsInputs(stack.json) })),
      ),
      ...(Object.keys(EXTRA_APPS) as ExtraApp[]).flatMap((name) =>
        extraStacks(name).map((stack) => ({ name: `${name}-${stack.name}`, directory: stack.directory, inputs: dynamicCredentialsInputs(stack.json) })),
      ),
      { name: BROKEN, directory: broken },
    ],
    { env: server.environment },
  );
}, 300_000);

afterAll(async () => {
  await server?.stop();
  for (const synthesized of [...apps.values(), ...extraApps.values()]) cleanupSynth(synthesized);
});

describe('GIVEN the example with each backend variant', () => {
  test.each(VARIANT_NAMES)('WHEN %s is synthesized THEN it has one stack per destination and one per source', (variant) => {
    expect(
      app(variant)
        .stacks.map((stack) => stack.name)
        .sort(),
    ).toEqual(['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1', 'ecr-source-build-us-east-1']);
  });

  test.each(VARIANT_NAMES.flatMap((variant) => STACKS.map((stack) => [variant, stack] as const)))(
    'WHEN %s: %s is validated THEN terraform reports no error',
    (variant, stackName) => {
      expect(validation.diagnostics.get(`${variant}-${stackName}`)?.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    },
  );

  test.each([
    ['local', [BACKEND_IGNORED]],
    ['s3', [BACKEND_IGNORED]],
    ['endpoint', [BACKEND_IGNORED]],
    ['cloud', []],
  ] as const)('WHEN %s stacks are validated THEN the only warning is the one for a backend block in a module', (variant, warnings) => {
    for (const stackName of STACKS) expect({ stackName, warnings: diagnosticsOf(`${variant}-${stackName}`, 'warning') }).toEqual({ stackName, warnings });
  });

  test('WHEN they are validated THEN every diagnostic belongs to a stack', () => {
    expect(validation.diagnostics.get('')).toEqual([]);
  });
});

describe.each(Object.keys(EXTRA_APPS) as ExtraApp[])('GIVEN the %s stacks', (name) => {
  test('WHEN they are validated with the others THEN terraform reports no error, and no warning but the local backend one', () => {
    const stacks = extraStacks(name);
    expect(stacks.length).toBe({ trust: 2, pair: 4, mesh: 6 }[name]);
    const warnings = name === 'trust' ? [] : [BACKEND_IGNORED];
    for (const stack of stacks) {
      const found = { stack: stack.name, errors: diagnosticsOf(`${name}-${stack.name}`, 'error'), warnings: diagnosticsOf(`${name}-${stack.name}`, 'warning') };
      expect(found).toEqual({ stack: stack.name, errors: [], warnings });
    }
  });
});

describe('GIVEN a stack with an unknown argument and a remote state reader with a setting its backend lacks', () => {
  test('WHEN it is validated with the others THEN both mistakes are reported, for that stack only', () => {
    expect(validation.valid).toBe(false);
    expect(validation.result.code).toBe(1);
    expect(
      (validation.diagnostics.get(BROKEN) ?? [])
        .filter((diagnostic) => diagnostic.severity === 'error')
        .map((diagnostic) => `${diagnostic.file}: ${diagnostic.summary}`)
        .sort(),
    ).toEqual(['cdk.tf.json: Extraneous JSON object property', 'cdk.tf.json: Invalid backend configuration']);
  });
});

describe('GIVEN the local backend', () => {
  test('WHEN the stacks are synthesized THEN they write and read state through relative paths that resolve inside the project folder', () => {
    const synthesized = app('local');
    for (const stack of synthesized.stacks) {
      const statePath = stack.json.terraform.backend.local.path as string;
      expect(statePath).toBe(`../../../terraform-state/${stack.name}.tfstate`);
      // cdktf.out/stacks/<stack>/../../../ is the folder that holds cdktf.out.
      expect(path.resolve(stack.directory, statePath)).toBe(path.join(synthesized.root, 'terraform-state', `${stack.name}.tfstate`));
    }
    const source = synthesized.stack(SOURCE);
    const readers = remoteStates(source);
    expect(Object.keys(readers).sort()).toEqual(['destination_build_us_west_2', 'destination_prod_eu_west_1']);
    for (const destination of DESTINATIONS) {
      const writer = synthesized.stack(destination).json.terraform.backend.local.path as string;
      const reader = Object.values(readers).find((candidate) => candidate.config.path === writer);
      expect(reader).toEqual({ backend: 'local', config: { path: writer }, count: `\${fileexists(${JSON.stringify(writer)}) ? 1 : 0}` });
      expect(path.isAbsolute(writer)).toBe(false);
    }
  });

  test.each([
    ['"path": "/tmp/ecr-synth-x/terraform-state"', true],
    ['"/work/main/cdktf.out"', true],
    ['arn:aws:iam::111111111111:root', false],
  ])('WHEN the machine-path detector reads %s THEN it answers %p', (text, found) => {
    expect(MACHINE_PATH.test(text)).toBe(found);
  });

  test.each(VARIANT_NAMES)('WHEN %s is synthesized THEN no file holds an absolute path of this machine', (variant) => {
    const synthesized = app(variant);
    const files = synthesizedFiles(synthesized.outdir);
    expect(files.length).toBe(synthesized.stacks.length + 1); // cdk.tf.json per stack + manifest.json
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const relative = path.relative(synthesized.outdir, file);
      expect({ file: relative, machinePath: text.match(MACHINE_PATH)?.[0] }).toEqual({ file: relative, machinePath: undefined });
      expect({ file: relative, outdir: text.includes(synthesized.outdir), root: text.includes(synthesized.root) }).toEqual({
        file: relative,
        outdir: false,
        root: false,
      });
    }
  });
});

describe('GIVEN the s3 backend', () => {
  test.each(['s3', 'endpoint'] as const)(
    'WHEN %s is synthesized THEN each stack keeps encrypted, locked state under <keyPrefix>/<stack>.tfstate',
    (variant) => {
      for (const stack of app(variant).stacks) {
        const backend = stack.json.terraform.backend;
        expect(Object.keys(backend)).toEqual(['s3']);
        expect(backend.s3).toMatchObject({
          bucket: S3_BACKEND.bucket,
          region: S3_BACKEND.region,
          key: `${S3_BACKEND.keyPrefix}/${stack.name}.tfstate`,
          encrypt: true,
          use_lockfile: true,
          dynamodb_table: S3_BACKEND.dynamodbTable,
          assume_role: { role_arn: S3_BACKEND.roleArn },
        });
      }
    },
  );

  test.each(['s3', 'endpoint'] as const)(
    "WHEN %s is synthesized THEN the source reads each destination's state with the destination's own backend settings",
    (variant) => {
      const synthesized = app(variant);
      const readers = Object.values(remoteStates(synthesized.stack(SOURCE)));
      expect(readers).toHaveLength(DESTINATIONS.length);
      for (const destination of DESTINATIONS) {
        const writer = synthesized.stack(destination).json.terraform.backend.s3 as Record<string, unknown>;
        const reader = readers.find((candidate) => candidate.config.key === writer.key);
        expect(reader?.backend).toBe('s3');
        // Everything that locates and decrypts the state is the same; locking is the writer's business.
        const { dynamodb_table: _table, use_lockfile: _lockfile, ...location } = writer;
        expect(reader?.config).toEqual(location);
      }
    },
  );

  test('WHEN an endpoint is configured THEN the S3 backend goes to it, and only then', () => {
    expect(app('s3').stack(SOURCE).json.terraform.backend.s3.endpoints).toBeUndefined();
    const backend = app('endpoint').stack(SOURCE).json.terraform.backend.s3;
    expect(backend).toMatchObject({
      endpoints: { s3: ENDPOINT, sts: ENDPOINT, iam: ENDPOINT, dynamodb: ENDPOINT },
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
    });
  });
});

describe('GIVEN the cloud backend', () => {
  test('WHEN the stacks are synthesized THEN each is in workspace <prefix><stack> of the organization', () => {
    for (const stack of app('cloud').stacks) {
      expect(stack.json.terraform.cloud).toEqual({
        organization: CLOUD_BACKEND.organization,
        hostname: CLOUD_BACKEND.hostname,
        workspaces: { name: `${CLOUD_BACKEND.workspacePrefix}${stack.name}` },
      });
      expect(stack.json.terraform.backend).toBeUndefined();
    }
  });

  test("WHEN the source is synthesized THEN it reads each destination's workspace through the remote backend", () => {
    const readers = Object.values(remoteStates(app('cloud').stack(SOURCE)));
    expect(
      readers.sort((left, right) =>
        String((left.config.workspaces as { name: string }).name).localeCompare(String((right.config.workspaces as { name: string }).name)),
      ),
    ).toEqual(
      DESTINATIONS.map((destination) => ({
        backend: 'remote',
        config: {
          organization: CLOUD_BACKEND.organization,
          hostname: CLOUD_BACKEND.hostname,
          workspaces: { name: `${CLOUD_BACKEND.workspacePrefix}${destination}` },
        },
      })),
    );
  });
});

describe('GIVEN an AWS-compatible endpoint', () => {
  const SERVICES = ['ecr', 'iam', 'kms', 's3', 'sts'];

  test('WHEN the stacks are synthesized THEN every provider goes to the endpoint for ecr, iam, kms, s3 and sts, with the skip flags', () => {
    for (const stack of app('endpoint').stacks) {
      const providers = stack.json.provider.aws as Record<string, unknown>[];
      expect(providers).toHaveLength(1);
      const [provider] = providers;
      expect(provider.endpoints).toEqual([Object.fromEntries(SERVICES.map((service) => [service, ENDPOINT]))]);
      expect(provider).toMatchObject({
        s3_use_path_style: true,
        skip_credentials_validation: true,
        skip_region_validation: true,
      });
      expect(String(provider.skip_metadata_api_check)).toBe('true');
    }
  });

  test.each(['local', 's3', 'cloud'] as const)('WHEN %s is synthesized without one THEN the providers stay on the real AWS endpoints', (variant) => {
    for (const stack of app(variant).stacks) {
      const [provider] = stack.json.provider.aws as Record<string, unknown>[];
      expect(provider.endpoints).toBeUndefined();
      expect(provider.skip_credentials_validation).toBeUndefined();
    }
  });
});
