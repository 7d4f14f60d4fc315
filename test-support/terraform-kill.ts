/**
 * Interrupting an apply the way a lost CI runner does: SIGKILL of the
 * Terraform processes working inside a scenario's project folder (found by
 * their working folder in /proc), at a moment the test chooses by polling
 * the emulator.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';

/** Pids of running `terraform` processes whose working folder is inside `folder` (Linux /proc). */
export function terraformProcessesIn(folder: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (path.basename(command[0] ?? '') !== 'terraform') continue;
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === folder || cwd.startsWith(`${folder}${path.sep}`)) pids.push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return pids;
}

/** SIGKILLs the terraform processes working inside `folder`; returns their pids. */
export function killTerraformIn(folder: string): number[] {
  const pids = terraformProcessesIn(folder);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids;
}

/** Polls `check` every `intervalMs` until it answers true; fails after `timeoutMs`, or once `stop` has settled. */
export async function pollUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { readonly intervalMs?: number; readonly timeoutMs?: number; readonly stop?: Promise<unknown> } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let stopped = false;
  void options.stop?.then(
    () => (stopped = true),
    () => (stopped = true),
  );
  for (;;) {
    if (await check()) return;
    if (stopped) throw new Error(`${what}: the command ended before it happened`);
    if (Date.now() > deadline) throw new Error(`${what}: did not happen in time`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
