/**
 * Per-resource suppressions of compliance findings, each with a reason (as
 * cdk-nag's `NagSuppressions.addResourceSuppressions`): a deliberate
 * exception is written next to the resource it excuses, not switched off for
 * everything.
 *
 * A suppression on a construct covers every Terraform resource in its subtree
 * (a construct and its `Resource`), optionally only some `for_each` instances
 * (`instances: ['web']`). The `ComplianceAspect` does not fail the synth on a
 * suppressed finding (it notes it as info), and each resource carries its
 * suppressions in the synthesized Terraform JSON, under the comment key
 * `"//"` that Terraform ignores:
 *
 * ```json
 * "//": { "compliance_suppressions": [{ "id": "ECR-TAG-IMMUTABLE", "reason": "...", "instances": ["web"] }] }
 * ```
 *
 * so that `npm run audit` reports the finding as suppressed, with its reason
 * (SARIF: `suppressions[].justification`).
 */
import { IConstruct } from 'constructs';
import { Aspects, IAspect, TerraformResource } from 'cdktf';
import { COMPLIANCE_RULES } from './compliance-rules';
import { ComplianceSuppression, SUPPRESSIONS_COMMENT_KEY } from './suppression';
import { didYouMean } from '../suggest';
import { propError } from '../validation';

const added = new WeakMap<IConstruct, ComplianceSuppression[]>();

/** Writes each resource's suppressions into its `"//"` comment at synth. */
class SuppressionRecorder implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const suppressions = ComplianceSuppressions.of(node);
    if (suppressions.length > 0) node.addOverride(`//.${SUPPRESSIONS_COMMENT_KEY}`, suppressions.map(recorded));
  }
}

/** A suppression as the Terraform JSON records it (no undefined fields). */
function recorded(suppression: ComplianceSuppression): ComplianceSuppression {
  const { id, reason, instances } = suppression;
  return instances === undefined ? { id, reason } : { id, reason, instances: [...instances] };
}

/** Suppressions of compliance findings on constructs (cdk-nag's `NagSuppressions`, per resource). */
export class ComplianceSuppressions {
  /**
   * Suppresses findings of the given rules on every Terraform resource under
   * `scope`. Fails for an unknown rule id (with the known ones), a missing or
   * blank reason, or an empty instance list.
   */
  static add(scope: IConstruct, suppressions: readonly ComplianceSuppression[]): void {
    const label = `ComplianceSuppressions.add ${scope.node.path}`;
    const ids = COMPLIANCE_RULES.map((rule) => rule.id);
    if (suppressions.length === 0) throw propError(label, 'suppressions', [], 'must hold at least one { id, reason }');
    suppressions.forEach((suppression, index) => {
      const where = `suppressions[${index}]`;
      if (!ids.includes(suppression.id)) {
        throw propError(
          label,
          `${where}.id`,
          suppression.id,
          `is not a compliance rule${didYouMean(String(suppression.id), ids)}: use one of ${ids.join(', ')}`,
        );
      }
      if (typeof suppression.reason !== 'string' || suppression.reason.trim() === '') {
        throw propError(
          label,
          `${where}.reason`,
          suppression.reason,
          `must say why the ${suppression.id} finding is accepted here (the audit shows it beside the finding), e.g. "mutable tags: CI re-tags latest on every build"`,
        );
      }
      if (suppression.instances !== undefined) {
        if (suppression.instances.length === 0) {
          throw propError(
            label,
            `${where}.instances`,
            [],
            'must name at least one for_each key (e.g. a repository name), or be left out to cover every instance',
          );
        }
        suppression.instances.forEach((instance, instanceIndex) => {
          if (typeof instance !== 'string' || instance === '') {
            throw propError(label, `${where}.instances[${instanceIndex}]`, instance, 'must be a for_each key, e.g. a repository name such as web');
          }
        });
      }
    });
    const existing = added.get(scope);
    if (existing === undefined) {
      added.set(scope, [...suppressions]);
      Aspects.of(scope).add(new SuppressionRecorder());
    } else existing.push(...suppressions);
  }

  /** Every suppression that covers `scope`: its own and those of the constructs above it, outermost first. */
  static of(scope: IConstruct): readonly ComplianceSuppression[] {
    return scope.node.scopes.flatMap((construct) => added.get(construct) ?? []);
  }
}
