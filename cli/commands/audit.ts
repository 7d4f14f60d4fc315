/**
 * Entry of `npm run audit` (compiled to dist/cli/commands/audit.js, run with node).
 * See audit/audit-command.ts and the README's Compliance section.
 */
import { runAudit } from '../../tools/audit/audit-command';

runAudit(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`audit failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
