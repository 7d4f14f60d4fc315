/** ECR-SCAN-ON-PUSH: every repository scans images when they are pushed. */
import { ComplianceRule, compliant, firstBlock, nonCompliant, notApplicable } from '../rule';
import { registryScanningCovers } from './ecr-registry-scanning';

/** The rule ECR-SCAN-ON-PUSH: each repository scans on push (or the registry scanning configuration covers it). */
export const ecrScanOnPushEnabled: ComplianceRule = {
  id: 'ECR-SCAN-ON-PUSH',
  title: 'ECR repositories scan images on push',
  description:
    'Images should be scanned for vulnerabilities when pushed (financial-services guidance, seed 004), so a vulnerable image is known before it runs.',
  remediation:
    'Set image_scanning_configuration { scan_on_push = true } on the repository (scanOnPush: true in the config), and keep the registry scanning configuration (scanning: in the config) on.',
  severity: 'warning',
  references: [
    { source: 'checkov', id: 'CKV_AWS_163' },
    { source: 'trivy', id: 'AWS-0030' },
    { source: 'security-hub', id: 'ECR.1' },
  ],
  check(resourceType, attributes, context) {
    if (resourceType !== 'aws_ecr_repository') return notApplicable('not an ECR repository');
    const scanning = firstBlock(attributes.image_scanning_configuration);
    if (scanning?.scan_on_push === true) return compliant('scan on push is on');
    // Live, the registry's scanning configuration overrides the repository setting (ECR reports both).
    if (context?.origin === 'live' && typeof attributes.name === 'string' && registryScanningCovers(context.resources, attributes.name)) {
      return compliant("the registry's scanning configuration scans this repository");
    }
    return nonCompliant('image_scanning_configuration.scan_on_push is not true');
  },
};
