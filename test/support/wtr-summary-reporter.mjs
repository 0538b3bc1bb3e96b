// web-test-runner reporter that ends the run with one plain `browser: N passed, N failed` line.
import { writeFileSync } from 'node:fs';

function count(suite, totals) {
  for (const test of suite.tests ?? []) {
    if (test.skipped) totals.skipped++;
    else if (test.passed) totals.passed++;
    else totals.failed++;
  }
  for (const child of suite.suites ?? []) count(child, totals);
}

/** @returns {import('@web/test-runner').Reporter} */
export function summaryReporter() {
  let totals = { passed: 0, failed: 0, skipped: 0 };
  return {
    onTestRunFinished({ sessions }) {
      totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        if (session.testResults) count(session.testResults, totals);
        // A file that fails to load or errors outside a test has no test results but must count.
        const brokenFile = !session.passed && (session.errors?.length ?? 0) > 0;
        if (brokenFile) totals.failed++;
      }
    },
    stop() {
      const skippedNote = totals.skipped ? ` (${totals.skipped} skipped)` : '';
      const line = `browser: ${totals.passed} passed, ${totals.failed} failed${skippedNote}`;
      if (process.env.PCK_SUMMARY_FILE) writeFileSync(process.env.PCK_SUMMARY_FILE, `${line}\n`);
      else console.log(line);
    },
  };
}
