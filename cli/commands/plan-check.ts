/**
 * Entry of `npm run plan-check` (compiled to dist/cli/commands/plan-check.js, run with node).
 * See tools/plan-check/plan-check-command.ts and the README's "Changing and retiring".
 */
import { runPlanCheck } from '../../tools/plan-check/plan-check-command';

try {
  process.exitCode = runPlanCheck(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  process.stderr.write(`plan-check failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
}
