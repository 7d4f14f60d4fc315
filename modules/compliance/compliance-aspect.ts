/**
 * Applies the compliance rules to every resource at synth time: an error
 * annotation for a broken error-level rule (the CLI then fails the synth), a
 * warning otherwise, and an info note for a finding suppressed on the
 * resource or a construct above it (`ComplianceSuppressions.add`, with its
 * reason). Rules that look across resources (a lifecycle policy for a
 * repository, a scanning configuration for a template) see every resource of
 * the stack, resolved once per stack.
 */
import { IConstruct } from 'constructs';
import { Annotations, DefaultTokenResolver, IAspect, StringConcat, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { COMPLIANCE_RULES, ComplianceRule, ResourceInstance, RuleContext } from './compliance-rules';
import { ComplianceSuppressions } from './compliance-suppressions';
import { suppressionOf } from './suppression';
import { resourceInstances, TerraformResources } from './terraform-instances';

function synthesizedInstances(node: TerraformResource): ResourceInstance[] {
  const synthesized = Tokenization.resolve(node.toTerraform(), {
    scope: node,
    preparing: false,
    resolver: new DefaultTokenResolver(new StringConcat()),
  }) as { resource?: TerraformResources };
  return resourceInstances(synthesized.resource);
}

/** The compliance rules as a cdktf Aspect: register it on each stack (`Aspects.of(stack).add(new ComplianceAspect())`). */
export class ComplianceAspect implements IAspect {
  private readonly contexts = new WeakMap<TerraformStack, RuleContext>();

  /** @param rules The rules to apply. @default COMPLIANCE_RULES */
  constructor(private readonly rules: readonly ComplianceRule[] = COMPLIANCE_RULES) {}

  /** Checks one construct: a Terraform resource, each of its `for_each` instances. */
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const context = this.contextOf(TerraformStack.of(node));
    const suppressions = ComplianceSuppressions.of(node);
    for (const instance of synthesizedInstances(node)) {
      for (const rule of this.rules) {
        const result = rule.check(instance.type, instance.attributes, context);
        if (result.status !== 'non-compliant') continue;
        const where = instance.key === undefined ? '' : ` [${instance.key}]`;
        const suppression = suppressionOf(suppressions, rule.id, instance.key);
        const message = `${rule.id}${where}: ${result.reason}. ${rule.description}`;
        if (suppression !== undefined) Annotations.of(node).addInfo(`${rule.id}${where}: suppressed (${suppression.reason}): ${result.reason}`);
        else if (rule.severity === 'error') Annotations.of(node).addError(message);
        else Annotations.of(node).addWarning(message);
      }
    }
  }

  private contextOf(stack: TerraformStack): RuleContext {
    let context = this.contexts.get(stack);
    if (!context) {
      const resources = stack.node
        .findAll()
        .filter((child): child is TerraformResource => child instanceof TerraformResource)
        .flatMap(synthesizedInstances);
      context = { origin: 'terraform', resources };
      this.contexts.set(stack, context);
    }
    return context;
  }
}
