/**
 * Terraform's own words for the summary: the diagnostics of a failed run
 * (`Error: <summary>` and its detail, without the source snippet), one line
 * each, and how a run that never finished ended (a signal).
 */
import { TerraformRun } from '../../tools/terraform-stack';

/** Lines of a run's output that repeat for every resource while it refreshes: left out of a plan shown to the user. */
const PROGRESS = /(: Refreshing state\.\.\.|: Reading\.\.\.$|: Read complete after )/;

export function withoutProgress(text: string): string {
  return text
    .split('\n')
    .filter((line) => !PROGRESS.test(line))
    .join('\n');
}

/**
 * The errors of terraform's output (`-no-color`), one string each: `<summary>: <detail>`,
 * with the resource it concerns when terraform names one (`with aws_ecr_repository.retired_web`).
 */
export function terraformErrors(output: string): string[] {
  const lines = output.replace(/\r/g, '').split('\n');
  const errors: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const match = /^(?:│ )?Error: (.*)$/.exec(lines[index]);
    if (!match) continue;
    const body: string[] = [];
    let next = index + 1;
    for (; next < lines.length && !/^(?:│ )?(Error|Warning): /.test(lines[next]) && !/^╵/.test(lines[next]); next++) body.push(lines[next].replace(/^│ ?/, ''));
    index = next - 1;
    const paragraphs = body
      .join('\n')
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.replace(/^(\s*\n)+/, '').replace(/\s+$/, ''))
      .filter((paragraph) => paragraph.trim() !== '');
    const resource = paragraphs.map((paragraph) => /^\s+with ([^,\s]+),?/.exec(paragraph)?.[1]).find((address) => address !== undefined);
    // Indented paragraphs are the source snippet and its values (`on cdk.tf.json line 206 ...`); the rest is the message.
    const detail = paragraphs
      .filter((paragraph) => !/^\s/.test(paragraph))
      .map((paragraph) =>
        paragraph
          .split('\n')
          .map((line) => line.trim())
          .join(' '),
      )
      .join(' ');
    const summary = match[1].trim();
    // prevent_destroy names its resource in the detail only: `Resource <address> has lifecycle.prevent_destroy set, ...`.
    const protectedAddress = summary === 'Instance cannot be destroyed' ? /Resource (\S+) has lifecycle\.prevent_destroy/.exec(detail)?.[1] : undefined;
    const explained = protectedAddress === undefined ? undefined : protectedDestroy(protectedAddress);
    const address = resource ?? protectedAddress;
    errors.push(`${summary}${address ? ` (${address})` : ''}${explained ?? (detail ? `: ${detail}` : '')}`);
  }
  return [...new Set(errors)];
}

/**
 * What to do when a plan would destroy what the stacks protect (`prevent_destroy`, `keys.preventDestroy`): a
 * repository dropped from the config (a fresh clone, another machine, a config that forgot it) or a key. No token
 * accepts these; the config says what to do. Undefined for other resources (Terraform's own detail stays).
 */
export function protectedDestroy(address: string): string | undefined {
  const repository = /^aws_ecr_repository\.repositories\["(.+)"\]$/.exec(address)?.[1];
  if (repository !== undefined) {
    return (
      `: repository ${repository} would be destroyed with its images, and the stacks protect repositories (keys.preventDestroy): ` +
      `to keep it and its images but stop managing it, put it back with removal: retain; to destroy it, put it back with removal: destroy ` +
      `(ECR refuses while it holds images); see "Changing and retiring" in the README`
    );
  }
  if (/^aws_kms_key\./.test(address)) {
    return (
      ': the key would be deleted, and every image it encrypts becomes unreadable when its deletion window ends: the stacks protect keys ' +
      '(keys.preventDestroy); set keys.preventDestroy: false only to tear down (see "Tearing everything down" in the README)'
    );
  }
  return undefined;
}

/** Why a run failed, in terraform's words: its errors, else how it ended. */
export function failureReason(run: TerraformRun, step: string): string {
  if (run.signal !== null) return `terraform ${step} was stopped by ${run.signal}`;
  // Terraform writes its diagnostics to stderr; stdout (the plan) only when stderr has none.
  const fromStderr = terraformErrors(run.stderr);
  const errors = fromStderr.length > 0 ? fromStderr : terraformErrors(run.stdout);
  if (errors.length > 0) return errors.join('; ');
  const last = `${run.stderr}`.trim().split('\n').filter(Boolean).slice(-1)[0];
  return `terraform ${step} failed with exit code ${run.code}${last ? `: ${last.trim()}` : ''}`;
}
