/**
 * The static audit: the compliance rules over synthesized Terraform JSON (a
 * cdktf output folder, one stack folder or cdk.tf.json) or over a plan in
 * `terraform show -json` form. Each finding names the stack and the
 * Terraform address with its for_each key.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import {
  checkInstances,
  COMPLIANCE_RULES,
  ComplianceRule,
  instanceAddress,
  ResourceInstance,
  resourceInstances,
} from '../../modules/compliance/compliance-rules';
import { AuditFinding, sortFindings } from './findings';

/** A problem with the input itself (missing folder, unreadable JSON): a usage error. */
export class AuditInputError extends Error {}

export interface StackInput {
  readonly stack: string;
  /** The file, relative to the base directory, with "/" separators. */
  readonly file: string;
  readonly resources: readonly ResourceInstance[];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new AuditInputError(`${file}: cannot be read as JSON (${reason}): name a cdktf output folder, a stack's cdk.tf.json or a terraform show -json plan`);
  }
}

function relative(baseDirectory: string, file: string): string {
  return path.relative(baseDirectory, file).split(path.sep).join('/');
}

interface PlanResource {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly values?: Record<string, unknown>;
}

interface PlanModule {
  readonly resources?: readonly PlanResource[];
  readonly child_modules?: readonly PlanModule[];
}

interface PlanExpression {
  readonly references?: readonly string[];
  readonly constant_value?: unknown;
}

interface PlanJson {
  readonly format_version?: string;
  readonly planned_values?: { root_module?: PlanModule };
  readonly values?: { root_module?: PlanModule };
  readonly resource_changes?: readonly { address: string; change?: { after_unknown?: unknown } }[];
  readonly configuration?: { root_module?: { resources?: readonly { address: string; expressions?: Record<string, unknown> }[] } };
}

/**
 * Values a plan does not know yet (a key ARN before the key exists) are absent
 * from planned_values; the configuration says what they refer to. An unknown
 * value with a reference becomes `${<reference>}`, as in synthesized JSON.
 */
function fillUnknown(values: unknown, unknown: unknown, expressions: unknown): unknown {
  if (unknown === true) {
    const references = (expressions as PlanExpression | undefined)?.references;
    return references && references.length > 0 ? `\${${references[0]}}` : values;
  }
  if (Array.isArray(unknown)) {
    const list = Array.isArray(values) ? [...(values as unknown[])] : [];
    unknown.forEach((item, index) => {
      list[index] = fillUnknown(list[index], item, Array.isArray(expressions) ? expressions[index] : undefined);
    });
    return list;
  }
  if (typeof unknown === 'object' && unknown !== null) {
    const record = typeof values === 'object' && values !== null ? { ...(values as Record<string, unknown>) } : {};
    for (const [name, child] of Object.entries(unknown)) {
      record[name] = fillUnknown(record[name], child, (expressions as Record<string, unknown> | undefined)?.[name]);
    }
    return record;
  }
  return values;
}

function planResources(plan: PlanJson): ResourceInstance[] {
  const root = plan.planned_values?.root_module ?? plan.values?.root_module;
  const unknownByAddress = new Map((plan.resource_changes ?? []).map((change) => [change.address, change.change?.after_unknown]));
  const expressionsByAddress = new Map((plan.configuration?.root_module?.resources ?? []).map((resource) => [resource.address, resource.expressions]));
  const collect = (module: PlanModule | undefined): ResourceInstance[] => [
    ...(module?.resources ?? [])
      .filter((resource) => resource.mode === undefined || resource.mode === 'managed')
      .map((resource) => {
        const configAddress = resource.address.replace(/\[[^\]]*\]$/, '');
        const attributes = fillUnknown(resource.values ?? {}, unknownByAddress.get(resource.address), expressionsByAddress.get(configAddress)) as Record<
          string,
          unknown
        >;
        return {
          type: resource.type,
          name: resource.name,
          key: resource.index === undefined ? undefined : String(resource.index),
          address: resource.address ?? instanceAddress(resource.type, resource.name, resource.index),
          attributes,
        };
      }),
    ...(module?.child_modules ?? []).flatMap(collect),
  ];
  return collect(root);
}

function isPlan(json: unknown): json is PlanJson {
  return typeof json === 'object' && json !== null && 'format_version' in json && ('planned_values' in json || 'values' in json);
}

function stackFromFile(file: string, baseDirectory: string, stackName: string): StackInput {
  const json = readJson(file);
  if (isPlan(json)) return { stack: stackName, file: relative(baseDirectory, file), resources: planResources(json) };
  const resources = (json as { resource?: Parameters<typeof resourceInstances>[0] }).resource;
  if (typeof json !== 'object' || json === null || (resources === undefined && !('terraform' in json))) {
    throw new AuditInputError(`${relative(baseDirectory, file)}: is neither synthesized Terraform JSON (cdk.tf.json) nor a terraform show -json plan`);
  }
  return { stack: stackName, file: relative(baseDirectory, file), resources: resourceInstances(resources) };
}

/**
 * The stacks of an input: a cdktf output folder (its manifest, or every
 * `stacks/<name>/cdk.tf.json`), a stack folder, a cdk.tf.json or a plan file.
 */
export function readAuditInput(input: string, baseDirectory: string = process.cwd()): StackInput[] {
  const resolved = path.resolve(baseDirectory, input);
  if (!existsSync(resolved)) {
    throw new AuditInputError(
      `${input}: not found: run npm run synth first, or name a cdktf output folder, a stack's cdk.tf.json or a terraform show -json plan`,
    );
  }
  if (statSync(resolved).isFile()) {
    const stackName = path.basename(resolved) === 'cdk.tf.json' ? path.basename(path.dirname(resolved)) : path.basename(resolved).replace(/\.json$/, '');
    return [stackFromFile(resolved, baseDirectory, stackName)];
  }
  const own = path.join(resolved, 'cdk.tf.json');
  if (existsSync(own)) return [stackFromFile(own, baseDirectory, path.basename(resolved))];
  const stacksDirectory = path.join(resolved, 'stacks');
  const names = existsSync(stacksDirectory)
    ? readdirSync(stacksDirectory)
        .filter((name) => existsSync(path.join(stacksDirectory, name, 'cdk.tf.json')))
        .sort()
    : [];
  if (names.length === 0) throw new AuditInputError(`${input}: holds no synthesized stack (stacks/<name>/cdk.tf.json): run npm run synth first`);
  return names.map((name) => stackFromFile(path.join(stacksDirectory, name, 'cdk.tf.json'), baseDirectory, name));
}

/**
 * Every finding of the rules over the stacks, sorted; a finding the resource
 * records as suppressed (synthesized output only: a plan drops Terraform's
 * `"//"` comments) carries its reason.
 */
export function auditStacks(stacks: readonly StackInput[], rules: readonly ComplianceRule[] = COMPLIANCE_RULES): AuditFinding[] {
  const findings = stacks.flatMap((stack) =>
    checkInstances(stack.resources, { origin: 'terraform', resources: stack.resources }, rules).map((finding): AuditFinding => ({
      ruleId: finding.rule.id,
      severity: finding.rule.severity,
      scope: stack.stack,
      address: finding.address,
      message: finding.result.reason,
      why: finding.rule.description,
      fix: finding.rule.remediation,
      file: stack.file,
      ...(finding.suppression ? { suppression: { reason: finding.suppression.reason } } : {}),
    })),
  );
  return sortFindings(findings);
}
