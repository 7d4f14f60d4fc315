/**
 * Applies the compliance rules to every resource at synth time: an error
 * annotation for a broken error-level rule (the CLI then fails the synth), a
 * warning otherwise.
 */
import { IConstruct } from 'constructs';
import { Annotations, DefaultTokenResolver, IAspect, StringConcat, TerraformResource, Tokenization } from 'cdktf';
import { COMPLIANCE_RULES, ComplianceRule, expandInstances } from './compliance-rules';

export class ComplianceAspect implements IAspect {
  constructor(private readonly rules: readonly ComplianceRule[] = COMPLIANCE_RULES) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const synthesized = Tokenization.resolve(node.toTerraform(), {
      scope: node,
      preparing: false,
      resolver: new DefaultTokenResolver(new StringConcat()),
    }) as {
      resource?: Record<string, Record<string, Record<string, unknown>>>;
    };
    for (const [type, resources] of Object.entries(synthesized.resource ?? {})) {
      for (const attributes of Object.values(resources)) {
        for (const instance of expandInstances(attributes)) {
          for (const rule of this.rules) {
            const result = rule.check(type, instance.attributes);
            if (result.status !== 'non-compliant') continue;
            const where = instance.key === undefined ? '' : ` [${instance.key}]`;
            const message = `${rule.id}${where}: ${result.reason}. ${rule.description}`;
            if (rule.severity === 'error') Annotations.of(node).addError(message);
            else Annotations.of(node).addWarning(message);
          }
        }
      }
    }
  }
}
