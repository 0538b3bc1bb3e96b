// The money invariants under thousands of seeded random interleavings of prepares, re-prepares,
// windows, completes, webhooks, refunds and reconcile() (see checker.ts). `CHECKER_SEED=<n>` replays
// a seed; `CHECKER_COUNT=<n>` runs more (the soak script runs far more: `npm run soak`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox } from '../../src/sandbox/index.js';
import { runInterleavings } from './checker.js';
import { inProcessShop } from './shop.js';

const seed = process.env.CHECKER_SEED ? Number(process.env.CHECKER_SEED) : Math.floor(Math.random() * 2 ** 31);
const count = process.env.CHECKER_COUNT ? Number(process.env.CHECKER_COUNT) : 2_000;

test(`${count} random interleavings keep every money invariant (seed ${seed})`, async (t) => {
  const sandbox = await createSandbox({ webhookRetryDelaysMs: [0, 20, 40, 80] });
  const shop = await inProcessShop(sandbox);
  t.after(async () => {
    await shop.close();
    await sandbox.close();
  });
  const report = await runInterleavings({ seed, count, concurrency: 100, sandbox, shop });
  t.diagnostic(`seed ${seed}: ${report.payments} payments; steps ${JSON.stringify(report.steps)}; orders ended ${JSON.stringify(report.statuses)}`);
  assert.equal(report.scenarios, count);
  // Evidence the checker exercised what it claims to, not only the happy path.
  for (const status of ['PAID', 'FAILED', 'FLAGGED', 'CANCELLED', 'PARTIAL_CANCELLED', 'PENDING']) {
    assert.ok((report.statuses[status] ?? 0) > 0, `some order ended ${status} (seed ${seed}): ${JSON.stringify(report.statuses)}`);
  }
  for (const step of ['re-prepare', 'window-approve', 'window-decline', 'window-cancel', 'complete', 'redirect-return', 'shop-refund', 'console-refund', 'deposit', 'reconcile']) {
    assert.ok((report.steps[step] ?? 0) > 0, `the ${step} step ran (seed ${seed})`);
  }
});
