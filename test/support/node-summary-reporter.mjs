// node:test reporter that counts leaf tests and ends with one plain `node: N passed, N failed` line.
export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip || event.data.todo) skipped++;
    else if (event.type === 'test:pass') passed++;
    else failed++;
  }
  const skippedNote = skipped ? ` (${skipped} skipped)` : '';
  yield `node: ${passed} passed, ${failed} failed${skippedNote}\n`;
}
