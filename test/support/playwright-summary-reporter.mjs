// Playwright reporter that ends the run with one plain `e2e: N passed, N failed` line (`PCK_SUMMARY_LABEL` names it otherwise).
import { writeFileSync } from 'node:fs';

export default class SummaryReporter {
  passed = 0;
  failed = 0;
  skipped = 0;

  onTestEnd(test, result) {
    // Count a test once, by its final attempt.
    if (result.retry < test.retries && result.status !== 'passed' && result.status !== 'skipped') return;
    if (result.status === 'skipped') this.skipped++;
    else if (result.status === 'passed') this.passed++;
    else this.failed++;
  }

  onError() {
    this.failed++;
  }

  onEnd() {
    const skippedNote = this.skipped ? ` (${this.skipped} skipped)` : '';
    const line = `${process.env.PCK_SUMMARY_LABEL ?? 'e2e'}: ${this.passed} passed, ${this.failed} failed${skippedNote}`;
    if (process.env.PCK_SUMMARY_FILE) writeFileSync(process.env.PCK_SUMMARY_FILE, `${line}\n`);
    else console.log(line);
  }

  printsToStdio() {
    return true;
  }
}
