// The kit's guarantees across separate OS processes: three kit processes on one PostgreSQL database
// (two on one SQLite file), every webhook delivered to each of them (some twice), completes sent
// through all of them at once — and one killed with SIGKILL in the middle of the burst and started
// again. The interleaving checker's money invariants hold after each batch: every paid order
// fulfilled exactly once (counted in a table with no unique constraint), nothing for more than paid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../../src/sandbox/index.js';
import { freshSchema } from '../support/postgres.js';
import { runInterleavings } from './checker.js';
import { startFleet, type Fleet } from './fleet.js';

const seed = process.env.CHECKER_SEED ? Number(process.env.CHECKER_SEED) : Math.floor(Math.random() * 2 ** 31);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the checker against `fleet`, killing instance 1 in the middle of batch `killAt` and starting it again shortly after. */
async function checkFleet(fleet: Fleet, sandbox: Awaited<ReturnType<typeof createSandbox>>, count: number, killAt: number) {
  let restarted: Promise<void> | undefined;
  const report = await runInterleavings({
    seed,
    count,
    concurrency: 60,
    sandbox,
    shop: fleet,
    latenciesMs: [0, 5, 20],
    // The dead instance's claims (claimLeaseMs 3 s) must run out before the last settling round.
    settleMs: 3_500,
    progress: (done) => {
      if (done === 60 * killAt) {
        restarted = (async () => {
          await sleep(150);
          await fleet.kill(1);
          await sleep(1_000);
          await fleet.restart(1);
        })();
      }
    },
  });
  await restarted;
  return report;
}

test(`three kit processes on one PostgreSQL: ~1,000 payments completed through all of them, one SIGKILLed mid-burst and restarted — every money invariant holds (seed ${seed})`, async (t) => {
  const { url, schema } = await freshSchema(t, 'kit_fleet');
  const sandbox = await createSandbox({ webhookRetryDelaysMs: [0, 20, 40, 80], faults: { webhooks: { duplicateRate: 0.2 } } });
  const fleet = await startFleet(sandbox, { kind: 'postgres', url, schema }, 3);
  t.after(async () => {
    await fleet.close();
    await sandbox.close();
  });
  const report = await checkFleet(fleet, sandbox, 660, 4);
  t.diagnostic(`seed ${seed}: ${report.payments} payments; steps ${JSON.stringify(report.steps)}; orders ended ${JSON.stringify(report.statuses)}`);
  assert.ok(report.payments >= 900, `about 1,000 payments (${report.payments})`);
  assert.ok((report.steps['complete-everywhere'] ?? 0) > 100, 'completes reached all instances at once');
  // And every payment completed through all three at once, once more: nothing is fulfilled again.
  const before = await fleet.fulfilments();
  for (let i = 0; i < report.paymentIds.length; i += 50) {
    await Promise.all(
      report.paymentIds.slice(i, i + 50).map((paymentId) =>
        fleet.fetchAll!(() => new Request('http://shop.test/payments/complete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paymentId }) })),
      ),
    );
  }
  const after = await fleet.fulfilments();
  assert.equal(after.length, before.length, 'no fulfilment added by completing everything again everywhere');
  const perPayment = new Map<string, number>();
  for (const f of after) perPayment.set(f.paymentId, (perPayment.get(f.paymentId) ?? 0) + 1);
  assert.deepEqual([...perPayment].filter(([, n]) => n > 1), [], 'exactly one fulfilment row per paid order');
  const events = await fleet.events();
  t.diagnostic(`events taken over from a dead or late runner and finished: ${events.filter((e) => e.attempts > 1 && e.status === 'done').length}`);
  assert.deepEqual(events.filter((e) => e.status === 'running' || e.status === 'dead'), [], 'no event left running or given up');
});

test(`two kit processes on one SQLite file: the same checker, one SIGKILLed and restarted (seed ${seed})`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pck-fleet-sqlite-'));
  const sandbox = await createSandbox({ webhookRetryDelaysMs: [0, 20, 40, 80], faults: { webhooks: { duplicateRate: 0.2 } } });
  const fleet = await startFleet(sandbox, { kind: 'sqlite', path: join(dir, 'checkout.sqlite'), recordPath: join(dir, 'shop.sqlite') }, 2);
  t.after(async () => {
    await fleet.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const report = await checkFleet(fleet, sandbox, 360, 3);
  t.diagnostic(`seed ${seed}: ${report.payments} payments; orders ended ${JSON.stringify(report.statuses)}`);
  const events = await fleet.events();
  assert.deepEqual(events.filter((e) => e.status === 'running' || e.status === 'dead'), [], 'no event left running or given up');
});
