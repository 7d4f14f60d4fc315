/**
 * `terraform validate` on every synthesized stack of the bundled example,
 * with each state backend and with an AWS-compatible endpoint, and the
 * backend blocks, remote state readers and provider endpoints the stacks
 * carry. One shared provider install (test-support/terraform.ts), offline.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigInput } from '../config/schema';
import { exampleConfigWith } from '../test-support/example-config';
import { cleanupSynth, SynthesizedApp, SynthesizedStack, synthesizeConfig } from '../test-support/synth';
import { mapLimit, prepareStack, terraformAsync, TerraformResult, terraformParallelism } from '../test-support/terraform';

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

const VARIANTS: Record<string, Partial<ConfigInput>> = {
  local: {},
  s3: { backend: S3_BACKEND },
  cloud: { backend: CLOUD_BACKEND },
  endpoint: { backend: S3_BACKEND, endpoint: { url: ENDPOINT } },
};
type Variant = keyof typeof VARIANTS;

const DESTINATIONS = ['ecr-destination-build-us-west-2', 'ecr-destination-prod-eu-west-1'];
const SOURCE = 'ecr-source-build-us-east-1';

/** An absolute path of this machine, as it would appear inside a string. */
const MACHINE_PATH = /(^|[^A-Za-z0-9_.~-])\/(tmp|work|root|home)(\/|\b)/;

const apps = new Map<Variant, SynthesizedApp>();
const validations = new Map<string, TerraformResult>();

function app(variant: Variant): SynthesizedApp {
  const synthesized = apps.get(variant);
  if (!synthesized) throw new Error(`variant ${variant} was not synthesized`);
  return synthesized;
}

/** Files a synthesis wrote (not the .terraform links and lock files the tests add). */
function synthesizedFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.name === '.terraform' || entry.name === '.terraform.lock.hcl' || entry.isSymbolicLink()) return [];
    return entry.isDirectory() ? synthesizedFiles(full) : [full];
  });
}

function remoteStates(stack: SynthesizedStack): Record<string, { backend: string; config: Record<string, unknown> }> {
  return stack.json.data?.terraform_remote_state ?? {};
}

beforeAll(async () => {
  for (const variant of Object.keys(VARIANTS) as Variant[]) apps.set(variant, synthesizeConfig(exampleConfigWith(VARIANTS[variant])));
  const stacks = [...apps.entries()].flatMap(([variant, synthesized]) => synthesized.stacks.map((stack) => ({ variant, stack })));
  for (const { stack } of stacks) prepareStack(stack.directory);
  const results = await mapLimit(stacks, terraformParallelism(), ({ stack }) => terraformAsync(['validate', '-json', '-no-color'], stack.directory));
  stacks.forEach(({ variant, stack }, index) => validations.set(`${variant}/${stack.name}`, results[index]));
}, 300_000);

afterAll(() => {
  for (const synthesized of apps.values()) cleanupSynth(synthesized);
});

describe('terraform validate', () => {
  it('synthesizes the expected stacks in every variant', () => {
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      expect(
        app(variant)
          .stacks.map((stack) => stack.name)
          .sort(),
      ).toEqual([...DESTINATIONS, SOURCE].sort());
    }
  });

  it.each(Object.keys(VARIANTS).flatMap((variant) => [...DESTINATIONS, SOURCE].map((stack) => [variant, stack])))('%s: %s is valid', (variant, stackName) => {
    const result = validations.get(`${variant}/${stackName}`);
    expect(result).toBeDefined();
    const report = JSON.parse(result!.stdout) as { valid: boolean; error_count: number; diagnostics: { severity: string; summary: string; detail?: string }[] };
    expect(report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(report).toMatchObject({ valid: true, error_count: 0 });
    expect(result!.code).toBe(0);
  });
});

describe('local backend', () => {
  it('writes and reads state through relative paths that resolve inside the project folder', () => {
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

  it('writes no absolute path of this machine into any synthesized file', () => {
    // The detector itself must see machine paths.
    expect(MACHINE_PATH.test('"path": "/tmp/ecr-synth-x/terraform-state"')).toBe(true);
    expect(MACHINE_PATH.test('"/work/main/cdktf.out"')).toBe(true);
    expect(MACHINE_PATH.test('arn:aws:iam::111111111111:root')).toBe(false);
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      const synthesized = app(variant);
      const files = synthesizedFiles(synthesized.outdir);
      expect(files.length).toBeGreaterThanOrEqual(synthesized.stacks.length + 1); // cdk.tf.json per stack + manifest.json
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        expect({ file: path.relative(synthesized.outdir, file), machinePath: text.match(MACHINE_PATH)?.[0] }).toEqual({
          file: path.relative(synthesized.outdir, file),
          machinePath: undefined,
        });
        expect(text.includes(synthesized.outdir)).toBe(false);
        expect(text.includes(synthesized.root)).toBe(false);
      }
    }
  });
});

describe('s3 backend', () => {
  it.each(['s3', 'endpoint'] as const)('%s: each stack keeps encrypted, locked state under <keyPrefix>/<stack>.tfstate', (variant) => {
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
  });

  it.each(['s3', 'endpoint'] as const)("%s: the source reads each destination's state with the destination's own backend settings", (variant) => {
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
  });

  it('sends the S3 backend to the endpoint only in the endpoint variant', () => {
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

describe('cloud backend', () => {
  it('puts each stack in workspace <prefix><stack> of the organization', () => {
    for (const stack of app('cloud').stacks) {
      expect(stack.json.terraform.cloud).toEqual({
        organization: CLOUD_BACKEND.organization,
        hostname: CLOUD_BACKEND.hostname,
        workspaces: { name: `${CLOUD_BACKEND.workspacePrefix}${stack.name}` },
      });
      expect(stack.json.terraform.backend).toBeUndefined();
    }
  });

  it("reads each destination's workspace through the remote backend", () => {
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

describe('endpoint', () => {
  const SERVICES = ['ecr', 'iam', 'kms', 's3', 'sts'];

  it('points every provider at the endpoint for ecr, iam, kms, s3 and sts, with the skip flags', () => {
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

  it('leaves the providers on the real AWS endpoints without it', () => {
    for (const variant of ['local', 's3', 'cloud'] as const) {
      for (const stack of app(variant).stacks) {
        const [provider] = stack.json.provider.aws as Record<string, unknown>[];
        expect(provider.endpoints).toBeUndefined();
        expect(provider.skip_credentials_validation).toBeUndefined();
      }
    }
  });
});
