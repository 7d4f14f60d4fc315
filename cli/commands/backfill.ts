/**
 * Entry of `npm run backfill` (compiled to dist/cli/commands/backfill.js, run with
 * node). See audit/backfill.ts and the README's Compliance section.
 */
import { runBackfillCommand } from '../../tools/audit/backfill-command';

runBackfillCommand(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`backfill failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
