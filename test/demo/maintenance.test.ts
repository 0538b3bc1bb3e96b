// The shop's reconcile and prune timers (demo/server/maintenance.ts), on Node's mock clock: they run
// at their interval, never overlap a run in progress, survive failures, pick up after a restart
// where the last run left off, and stop with the shop.
import { strict as assert } from 'node:assert';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { PruneOptions, ReconcileReport } from 'portone-checkout-kit/server';
import { startMaintenance, type Maintenance } from '../../demo/server/maintenance.js';
import type { MaintenanceSettings } from '../../demo/server/options.js';
import type { JobRun } from '../../demo/server/shop-db.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SETTINGS: MaintenanceSettings = { reconcileEveryMs: 5 * MINUTE, pruneEveryMs: DAY, pruneAfterMs: 30 * DAY };

const report = (over: Partial<ReconcileReport> = {}): ReconcileReport => ({
  checked: 0,
  updated: 0,
  notStarted: 0,
  refunded: 0,
  failed: [],
  manualRefunds: [],
  revived: 0,
  eventsRun: 0,
  ...over,
});

/** A kit whose reconcile() answers what the test says, when the test says. */
function fakeKit() {
  const calls = { reconcile: 0, prune: [] as (PruneOptions | undefined)[] };
  let answer: () => Promise<ReconcileReport> = async () => report();
  return {
    calls,
    answer(next: () => Promise<ReconcileReport>) {
      answer = next;
    },
    kit: {
      reconcile: () => {
        calls.reconcile++;
        return answer();
      },
      pruneAbandoned: async (options?: PruneOptions) => {
        calls.prune.push(options);
        return 3;
      },
    },
  };
}

/** shop.sqlite's job_runs, in memory. */
function fakeDb(initial: JobRun[] = []) {
  const runs = new Map(initial.map((run) => [run.job, run]));
  let broken = false;
  return {
    runs,
    breakIt() {
      broken = true;
    },
    db: {
      jobStarted(job: string, at: number) {
        if (broken) throw new Error('SQLITE_FULL: database or disk is full');
        const { result, error } = runs.get(job) ?? {};
        runs.set(job, { job, startedAt: at, ...(result !== undefined ? { result } : {}), ...(error !== undefined ? { error } : {}) });
      },
      jobFinished(job: string, at: number, outcome: { result: unknown } | { error: string }) {
        if (broken) throw new Error('SQLITE_FULL: database or disk is full');
        runs.set(job, { job, startedAt: runs.get(job)!.startedAt, finishedAt: at, ...outcome });
      },
      jobRun: (job: string) => runs.get(job),
    },
  };
}

/** Lets the promises a timer started settle (setImmediate is not mocked). */
const settle = () => new Promise((resolve) => setImmediate(resolve));
async function advance(ms: number) {
  mock.timers.tick(ms);
  for (let i = 0; i < 5; i++) await settle();
}

let maintenance: Maintenance | undefined;
let lines: string[];
const log = (line: string) => lines.push(line);

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_700_000_000_000 });
  lines = [];
});
afterEach(async () => {
  await maintenance?.stop();
  maintenance = undefined;
  mock.timers.reset();
});

test('reconcile runs every interval and prune daily with the configured age, each recorded in job_runs', async () => {
  const { kit, calls } = fakeKit();
  const { db, runs } = fakeDb();
  maintenance = startMaintenance({ kit, db, settings: SETTINGS, log, now: () => Date.now() });
  await advance(5 * MINUTE - 1);
  assert.equal(calls.reconcile, 0, 'a new shop waits one interval before its first run');
  await advance(1);
  assert.equal(calls.reconcile, 1);
  await advance(5 * MINUTE);
  await advance(5 * MINUTE);
  assert.equal(calls.reconcile, 3);
  assert.deepEqual(calls.prune, []);
  await advance(DAY);
  assert.deepEqual(calls.prune, [{ olderThanMs: 30 * DAY }]);
  assert.deepEqual(runs.get('prune')?.result, { pruned: 3 });
  assert.equal(runs.get('reconcile')?.finishedAt, Date.now() - (DAY % (5 * MINUTE)), 'finished at the last interval boundary');
  assert.ok(lines.some((line) => line === '[maintenance] pruneAbandoned: 3 abandoned orders idle over 30d deleted'), lines.join('\n'));
  // Quiet runs write no log line; the prune that deleted something did.
  assert.equal(lines.filter((line) => line.startsWith('[maintenance] reconcile')).length, 0, lines.join('\n'));
});

test('a run in progress is never overlapped: the next one is timed from its end', async () => {
  const { kit, calls, answer } = fakeKit();
  const { db } = fakeDb();
  let finish!: () => void;
  answer(() => new Promise((resolve) => (finish = () => resolve(report()))));
  maintenance = startMaintenance({ kit, db, settings: SETTINGS, log, now: () => Date.now() });
  await advance(5 * MINUTE);
  assert.equal(calls.reconcile, 1);
  // PortOne is slow: the run takes 12 minutes, more than two intervals.
  await advance(12 * MINUTE);
  assert.equal(calls.reconcile, 1, 'no second run while the first has not finished');
  // Asked for by hand meanwhile (the admin's button would): it joins the run in progress.
  const joined = maintenance.run('reconcile');
  assert.equal(calls.reconcile, 1);
  answer(async () => report());
  finish();
  await joined;
  await advance(5 * MINUTE - 1);
  assert.equal(calls.reconcile, 1, 'the next run comes a full interval after the slow one ended');
  await advance(1);
  assert.equal(calls.reconcile, 2);
});

test('a failing run is logged and recorded, the shop goes on, and the next run still comes', async () => {
  const { kit, calls, answer } = fakeKit();
  const { db, runs } = fakeDb();
  answer(async () => {
    throw new Error('PortOne unreachable: connect ECONNREFUSED');
  });
  maintenance = startMaintenance({ kit, db, settings: SETTINGS, log, now: () => Date.now() });
  await advance(5 * MINUTE);
  assert.deepEqual(lines, ['[maintenance] reconcile failed: PortOne unreachable: connect ECONNREFUSED; the next run is in 5m']);
  assert.equal(runs.get('reconcile')?.error, 'PortOne unreachable: connect ECONNREFUSED');
  answer(async () => report({ checked: 2, updated: 1, notStarted: 1 }));
  await advance(5 * MINUTE);
  assert.equal(calls.reconcile, 2);
  assert.deepEqual(runs.get('reconcile')?.result, {
    checked: 2,
    updated: 1,
    notStarted: 1,
    refunded: 0,
    failed: 0,
    failedOrders: [],
    manualRefunds: [],
    revived: 0,
    eventsRun: 0,
  });
  assert.equal(runs.get('reconcile')?.error, undefined, 'a good run clears the last failure');
  assert.match(lines.at(-1)!, /^\[maintenance\] reconcile: checked 2, updated 1,/);
});

test('the shop’s own database failing is logged too, never an unhandled rejection', async () => {
  const { kit } = fakeKit();
  const { db, breakIt } = fakeDb();
  breakIt();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    maintenance = startMaintenance({ kit, db, settings: SETTINGS, log, now: () => Date.now() });
    await advance(5 * MINUTE);
    await advance(5 * MINUTE);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  assert.deepEqual(unhandled, []);
  assert.equal(lines.filter((line) => line.startsWith('[maintenance] reconcile failed: SQLITE_FULL')).length, 2, lines.join('\n'));
});

test('orders that could not be checked are logged each run; a flagged payment to refund by hand once', async () => {
  const { kit, answer } = fakeKit();
  const { db, runs } = fakeDb();
  answer(async () =>
    report({
      checked: 3,
      failed: [{ paymentId: 'pay_a', code: 'PORTONE_UNAVAILABLE', message: 'PortOne answered 503' }],
      manualRefunds: [{ paymentId: 'pay_va', reason: 'a virtual account refund needs the shopper’s bank account' }],
    }),
  );
  maintenance = startMaintenance({ kit, db, settings: SETTINGS, log, now: () => Date.now() });
  await advance(5 * MINUTE);
  await advance(5 * MINUTE);
  assert.equal(lines.filter((line) => line.includes('could not check 1 orders') && line.includes('pay_a PORTONE_UNAVAILABLE')).length, 2, lines.join('\n'));
  assert.equal(lines.filter((line) => line.includes('flagged payment pay_va must be refunded by hand')).length, 1, lines.join('\n'));
  assert.deepEqual((runs.get('reconcile')?.result as { manualRefunds: unknown }).manualRefunds, [{ paymentId: 'pay_va', reason: 'a virtual account refund needs the shopper’s bank account' }]);
});

test('after a restart a job runs when it would have, counted from its last run; a run a crash cut short counts from its start', async () => {
  const now = Date.now();
  const { kit, calls } = fakeKit();
  const { db } = fakeDb([
    { job: 'reconcile', startedAt: now - 4 * MINUTE - 1_000, finishedAt: now - 4 * MINUTE },
    // Killed mid-run 30 hours ago: overdue, so it runs at once.
    { job: 'prune', startedAt: now - 30 * 3_600_000 },
  ]);
  maintenance = startMaintenance({ kit, db, settings: SETTINGS, log, now: () => Date.now() });
  await advance(0);
  assert.equal(calls.prune.length, 1, 'an overdue prune runs at start');
  await advance(MINUTE - 1);
  assert.equal(calls.reconcile, 0);
  await advance(1);
  assert.equal(calls.reconcile, 1, 'the reconcile due one minute after the restart');
  assert.deepEqual(
    maintenance.status().map(({ job, everyMs, running, nextAt }) => ({ job, everyMs, running, nextAt })),
    [
      { job: 'reconcile', everyMs: 5 * MINUTE, running: false, nextAt: Date.now() + 5 * MINUTE },
      { job: 'prune', everyMs: DAY, running: false, nextAt: now + DAY },
    ],
  );
});

test('a job set to 0 never runs; stop() ends the timers and waits for the run in progress', async () => {
  const { kit, calls, answer } = fakeKit();
  const { db, runs } = fakeDb();
  let finish!: () => void;
  answer(() => new Promise((resolve) => (finish = () => resolve(report()))));
  maintenance = startMaintenance({ kit, db, settings: { ...SETTINGS, pruneEveryMs: 0 }, log, now: () => Date.now() });
  assert.equal(maintenance.status()[1]!.nextAt, undefined);
  await advance(5 * MINUTE);
  assert.equal(calls.reconcile, 1);
  let stopped = false;
  const stopping = maintenance.stop().then(() => (stopped = true));
  await settle();
  assert.equal(stopped, false, 'stop() waits for the reconcile in progress');
  finish();
  await stopping;
  assert.ok(runs.get('reconcile')?.finishedAt !== undefined, 'the run finished (and was recorded) before stop() resolved');
  await advance(10 * DAY);
  assert.equal(calls.reconcile, 1, 'no run after stop()');
  assert.deepEqual(calls.prune, []);
});
