/** The change preview as printed after a synthesis: one line per finding, then the retirement steps. */
import { atRisk, ChangeFinding, ChangeReport, RETIRED_DIRECTORY } from './compare-outputs';

const refs = (registries: readonly { stack: string; registry: string }[]): string => registries.map((ref) => `${ref.stack} (${ref.registry})`).join(', ');

export function describeFinding(finding: ChangeFinding): string {
  switch (finding.kind) {
    case 'stack-dropped':
      return (
        `stack ${finding.stack} (${finding.role} registry ${finding.registry}) is no longer in the config: if it was deployed, its key` +
        `${finding.repositories.length > 0 ? `, repositories (${finding.repositories.join(', ')})` : ''}${finding.role === 'source' ? ', replication configuration' : ''} ` +
        `and state stay in AWS, and no stack of the app reaches them any more; retire it with the steps below (its last synthesis is kept in cdktf.out/${RETIRED_DIRECTORY}/${finding.stack})` +
        (finding.keysPreventDestroy
          ? `; its key has prevent_destroy, so terraform destroy refuses until that folder is synthesized with keys.preventDestroy: false (put the stack back, set it, synthesize, then remove the stack again)`
          : '')
      );
    case 'stack-renamed':
      return (
        `stack ${finding.from} becomes ${finding.to} (same ${finding.role} registry ${finding.registry}): if ${finding.from} was deployed, move its state before deploying ${finding.to}, ` +
        `or ${finding.to} would plan a second key and repositories that already exist: ${finding.migration.join('; ')}`
      );
    case 'repository-deleted':
      return finding.confirmed
        ? `repository ${finding.repository} will be destroyed (removal: destroy) in ${refs(finding.registries)}; ECR refuses while it holds images`
        : `repository ${finding.repository} is no longer in the config of ${refs(finding.registries)}: where it was deployed, deploy refuses to destroy it with its images unless accepted; to keep it and its images but stop managing it, put it back with removal: retain; to destroy it, with removal: destroy (ECR refuses while it holds images)`;
    case 'repository-retained':
      return `repository ${finding.repository} leaves Terraform's management in ${refs(finding.registries)} (removal: retain): it and its images stay in AWS`;
    case 'resource-deleted':
      return `${finding.address} of ${finding.stack} will be deleted${finding.address.startsWith('aws_kms_key.') ? ': every image it encrypts becomes unreadable once the deletion window ends' : ''}`;
    case 'resource-replaced':
      return `${finding.address} of ${finding.stack} will be replaced (${finding.attributes.join(', ')} changed)${finding.address.startsWith('aws_ecr_repository.') ? ': the repository and its images are deleted first' : ''}`;
    case 'replication-narrowed':
      return (
        `the replication configuration of ${finding.stack} will stop replicating` +
        [
          finding.destinations.length > 0 ? ` to ${finding.destinations.join(', ')}` : '',
          finding.filters.length > 0 ? ` the filters ${finding.filters.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' and')
      );
    case 'key-protection-off':
      return `the key of ${finding.stack} loses prevent_destroy (keys.preventDestroy: false): a plan may now delete it`;
  }
}

/** Lines to print: a heading, the findings (what deploy would refuse where deployed first), and the retirement steps. */
export function formatChangeReport(report: ChangeReport): string[] {
  if (report.findings.length === 0) return [];
  const lines = ['change preview (compared with the previous synthesis; deploy checks each plan against its state):'];
  const ordered = [...report.findings.filter(atRisk), ...report.findings.filter((finding) => !atRisk(finding))];
  for (const finding of ordered) lines.push(`  - ${describeFinding(finding)}`);
  if (report.retirementSteps.length > 0) {
    lines.push('retire the dropped stacks in this order (sources first):');
    report.retirementSteps.forEach((step, index) => lines.push(`  ${index + 1}. ${step}`));
  }
  return lines;
}
