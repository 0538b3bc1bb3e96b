// The money invariants under thousands of seeded random interleavings of prepares, re-prepares,
// windows, completes, webhooks, refunds and reconcile() (see checker.ts) — a third of them buying
// limited stock behind manual approval or PortOne's confirm process, with the stock invariants too
// (gated.ts, stock.ts). It runs on SQLite, and on PostgreSQL, whose store shares statements among
// concurrent calls. `CHECKER_SEED=<n>` replays a seed; `CHECKER_COUNT=<n>` runs more (the soak script
// runs far more: `npm run soak`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox } from '../../src/sandbox/index.js';
import type { CheckoutStore } from '../../src/server/index.js';
import { createPostgresStore } from '../../src/server/store/postgres/index.js';
import { freshSchema } from '../support/postgres.js';
import { runInterleavings } from './checker.js';
import { checkerChannels } from './channels.js';
import { inProcessShop } from './shop.js';
import { gateWatch } from './stock.js';

const seed = process.env.CHECKER_SEED ? Number(process.env.CHECKER_SEED) : Math.floor(Math.random() * 2 ** 31);
const count = process.env.CHECKER_COUNT ? Number(process.env.CHECKER_COUNT) : 2_000;
/** On PostgreSQL fewer: each statement is a round trip to another process, and the suite has a time budget. */
const postgresCount = process.env.CHECKER_COUNT ? Number(process.env.CHECKER_COUNT) : 800;
// Pre-registration alternates with the seed: with it a page-changed amount never opens a window;
// without it the gates themselves must stop it (the kit's confirmation, the confirm route).
const preRegistered = seed % 2 === 0;

type TestContext = { after: (fn: () => Promise<void>) => void; diagnostic: (message: string) => void };

async function checkInterleavings(t: TestContext, count: number, store?: CheckoutStore): Promise<void> {
  const watch = gateWatch();
  const { channels, manual } = checkerChannels();
  const sandbox = await createSandbox({ webhookRetryDelaysMs: [0, 20, 40, 80], channels, onRestExchange: watch.onRestExchange });
  const shop = await inProcessShop(sandbox, { preRegister: preRegistered, ...(store ? { store } : {}) }, { seed });
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
}

const described = `(seed ${seed}, ${preRegistered ? 'amounts pre-registered' : 'no pre-registration'})`;
test(`${count} random interleavings keep every money and stock invariant on SQLite ${described}`, (t) => checkInterleavings(t, count));
test(`${postgresCount} random interleavings keep every money and stock invariant on PostgreSQL ${described}`, async (t) => {
  const { url, schema } = await freshSchema(t, 'kit_checker');
  const store = createPostgresStore({ connectionString: url, schema });
  t.after(() => store.close());
  await checkInterleavings(t, postgresCount, store);
});
