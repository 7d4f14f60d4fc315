/**
 * Jest's test order, longest first, with a better guess for a test file jest
 * has no timing for yet (a fresh checkout, a new file). Jest sorts such files by
 * size alone; here one that runs terraform or the cdktf CLI (many seconds each)
 * is assumed slower than any in-process suite, so it starts early instead of
 * leaving one of the two workers idle at the end while the other finishes it.
 * Kept from jest: files that failed last time first, then the duration recorded
 * in jest's cache, longest first; file size breaks ties.
 */
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/** What marks a test file that starts terraform or the cdktf CLI (see test-support/terraform.ts, provider-server.ts). */
const SLOW_MARKERS = /\b(terraformAsync|validateAsModules|startProviderServer|runTerraform|tryTerraform)\b|cdktf-cli/;
/** Assumed durations (ms) without timing: a suite that runs terraform or the CLI, and any other suite. */
const ASSUMED_SLOW_MS = 30_000;
const ASSUMED_OTHER_MS = 3_000;

function startsSlowProcesses(file) {
  try {
    return SLOW_MARKERS.test(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const keys = new Map(
      tests.map((test) => {
        const recorded = this.time(test);
        const estimate = recorded ?? (startsSlowProcesses(test.path) ? ASSUMED_SLOW_MS : ASSUMED_OTHER_MS);
        return [test, { failed: this.hasFailed(test), estimate, size: test.context.hasteFS.getSize(test.path) ?? 0 }];
      }),
    );
    return [...tests].sort((testA, testB) => {
      const a = keys.get(testA);
      const b = keys.get(testB);
      if (a.failed !== b.failed) return a.failed ? -1 : 1;
      if (a.estimate !== b.estimate) return b.estimate - a.estimate;
      return b.size - a.size;
    });
  }
}

module.exports = SlowFirstSequencer;
