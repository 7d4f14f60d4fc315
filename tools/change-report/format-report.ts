/** The change report as printed before anything is written: one line per finding, then what to do. */
import { ACCEPT_VARIABLE, ChangeFinding, ChangeReport, refuses, RETIRED_DIRECTORY } from './compare-outputs';

const refs = (registries: readonly { stack: string; registry: string }[]): string => registries.map((ref) => `${ref.stack} (${ref.registry})`).join(', ');

export function describeFinding(finding: ChangeFinding): string {
  switch (finding.kind) {
    case 'stack-dropped':
      return (
        `stack ${finding.stack} (${finding.role} registry ${finding.registry}) is no longer in the config: its key` +
        `${finding.repositories.length > 0 ? `, repositories (${finding.repositories.join(', ')})` : ''}${finding.role === 'source' ? ', replication configuration' : ''} ` +
        `and state stay in AWS, and no stack of the app would reach them any more; retire it with the steps below (its last synthesis is kept in cdktf.out/${RETIRED_DIRECTORY}/${finding.stack})` +
        (finding.keysPreventDestroy
          ? `; its key has prevent_destroy, so terraform destroy refuses until that folder is synthesized with keys.preventDestroy: false (put the stack back, set it, synthesize, then remove the stack again)`
          : '')
      );
    case 'stack-renamed':
      return (
        `stack ${finding.from} would become ${finding.to} (same ${finding.role} registry ${finding.registry}): the state of ${finding.from} would be orphaned and ${finding.to} would create a second key, ` +
        `then fail on the existing repositories and alias; move the state first: ${finding.migration.join('; ')}`
      );
    case 'repository-deleted':
      return finding.confirmed
        ? `repository ${finding.repository} will be destroyed (removal: destroy) in ${refs(finding.registries)}; ECR refuses while it holds images`
        : `repository ${finding.repository} would be destroyed with its images in ${refs(finding.registries)}: to keep it and its images but stop managing it, put it back with removal: retain; to destroy it, put it back with removal: destroy (ECR refuses while it holds images)`;
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

/** Lines to print: a heading, the findings (refusing ones marked), and either the refusal with its fixes or the steps to run next. */
export function formatChangeReport(report: ChangeReport): string[] {
  if (report.findings.length === 0) return [];
  const lines = ['change report (compared with the previous synthesis):'];
  const ordered = [...report.findings.filter(refuses), ...report.findings.filter((finding) => !refuses(finding))];
  const mark = report.refused ? 'REFUSED: ' : `accepted (${ACCEPT_VARIABLE}): `;
  for (const finding of ordered) lines.push(`  - ${refuses(finding) ? mark : ''}${describeFinding(finding)}`);
  if (report.refused) {
    lines.push(
      'nothing was written: fix the config as said above, or accept exactly these changes with:',
      `  ${ACCEPT_VARIABLE}=${report.acceptToken} npm run synth`,
    );
  }
  if (report.retirementSteps.length > 0) {
    lines.push(`${report.refused ? 'then retire' : 'retire'} the dropped stacks in this order (sources first):`);
    report.retirementSteps.forEach((step, index) => lines.push(`  ${index + 1}. ${step}`));
  }
  return lines;
}
