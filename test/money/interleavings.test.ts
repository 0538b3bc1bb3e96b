// The money invariants under thousands of seeded random interleavings of prepares, re-prepares,
// windows, completes, webhooks, refunds and reconcile() (see checker.ts) — a third of them buying
// limited stock behind manual approval or PortOne's confirm process, with the stock invariants too
// (gated.ts, stock.ts). `CHECKER_SEED=<n>` replays a seed; `CHECKER_COUNT=<n>` runs more (the soak
// script runs far more: `npm run soak`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox } from '../../src/sandbox/index.js';
import { runInterleavings } from './checker.js';
import { checkerChannels } from './channels.js';
import { inProcessShop } from './shop.js';
import { gateWatch } from './stock.js';

const seed = process.env.CHECKER_SEED ? Number(process.env.CHECKER_SEED) : Math.floor(Math.random() * 2 ** 31);
const count = process.env.CHECKER_COUNT ? Number(process.env.CHECKER_COUNT) : 2_000;
// Pre-registration alternates with the seed: with it a page-changed amount never opens a window;
// without it the gates themselves must stop it (the kit's confirmation, the confirm route).
const preRegistered = seed % 2 === 0;

test(`${count} random interleavings keep every money and stock invariant (seed ${seed}, ${preRegistered ? 'amounts pre-registered' : 'no pre-registration'})`, async (t) => {
  const watch = gateWatch();
  const { channels, manual } = checkerChannels();
  const sandbox = await createSandbox({ webhookRetryDelaysMs: [0, 20, 40, 80], channels, onRestExchange: watch.onRestExchange });
  const shop = await inProcessShop(sandbox, { preRegister: preRegistered }, { seed });
  t.after(async () => {
    await shop.close();
    await sandbox.close();
  });
  const report = await runInterleavings({ seed, count, concurrency: 100, sandbox, shop, gates: { channels: manual, watch, preRegistered, expireAtEnd: true } });
  t.diagnostic(`seed ${seed}: ${report.payments} payments; steps ${JSON.stringify(report.steps)}; orders ended ${JSON.stringify(report.statuses)}`);
  assert.equal(report.scenarios, count);
  // Evidence the checker exercised what it claims to, not only the happy path.
  for (const status of ['PAID', 'FAILED', 'FLAGGED', 'CANCELLED', 'PARTIAL_CANCELLED', 'PENDING']) {
    assert.ok((report.statuses[status] ?? 0) > 0, `some order ended ${status} (seed ${seed}): ${JSON.stringify(report.statuses)}`);
  }
  for (const step of ['re-prepare', 'window-approve', 'window-decline', 'window-cancel', 'complete', 'redirect-return', 'shop-refund', 'console-refund', 'deposit', 'reconcile']) {
    assert.ok((report.steps[step] ?? 0) > 0, `the ${step} step ran (seed ${seed})`);
  }
  // And behind the gates: tokens delivered every way, stock refused, confirmations stopped, orders paid and failed.
  for (const step of ['token-once', 'token-twice', 'token-redirect-and-promise', 'token-lost', 'reservation-refused', 'approval-in-progress', 'confirm-approved', 'confirm-stopped', 'gated-PAID', 'gated-FAILED']) {
    assert.ok((report.steps[step] ?? 0) > 0, `the ${step} step ran (seed ${seed}): ${JSON.stringify(report.steps)}`);
  }
  assert.ok(report.steps['units-sold']! > 0 && report.steps['units-sold']! <= report.steps['units-stocked']!, `units sold ${report.steps['units-sold']} of ${report.steps['units-stocked']} stocked`);
});
