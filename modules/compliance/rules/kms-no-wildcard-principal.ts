/** KMS-NO-WILDCARD-PRINCIPAL: no key policy statement allows everyone. */
import { ComplianceRule, compliant, nonCompliant, notApplicable, policyStatements, wildcardPrincipalStatements } from '../rule';

/** The rule KMS-NO-WILDCARD-PRINCIPAL: no key policy statement allows `Principal: "*"`. */
export const kmsNoWildcardPrincipal: ComplianceRule = {
  id: 'KMS-NO-WILDCARD-PRINCIPAL',
  title: 'KMS key policies allow no wildcard principal',
  description:
    'A key policy statement that allows Principal "*" lets any AWS principal, in any account, use or manage the key as far as its conditions allow: the key then protects nothing.',
  remediation: 'Name the principals (account root, roles) in every Allow statement of the key policy instead of "*".',
  severity: 'error',
  references: [{ source: 'checkov', id: 'CKV_AWS_33' }],
  check(resourceType, attributes) {
    if (resourceType !== 'aws_kms_key' && resourceType !== 'aws_kms_key_policy') return notApplicable('not a KMS key or key policy');
    if (attributes.policy === undefined) return compliant('no key policy is set (the default policy names the account root)');
    const statements = policyStatements(attributes.policy);
    if (!statements) return notApplicable('the key policy is not literal JSON (a Terraform expression): check it after plan');
    const wildcards = wildcardPrincipalStatements(statements);
    return wildcards.length === 0
      ? compliant('every statement names its principals')
      : nonCompliant(`key policy statement ${wildcards.join(', ')} allows Principal "*"`);
  },
};
