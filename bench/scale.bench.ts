// Does a first complete slow down as the shop's store grows? For each store (SQLite, then
// PostgreSQL): one kit on a store holding 1,000 orders and one on a store holding 1,000,000, both in
// this process with the sandbox as PortOne, measured in alternating pairs of rounds (which goes first
// alternating), each round completing fresh orders prepared through that kit and paid in the window
// exactly once. The figure is the median pair's p99 on the large store over the small one's: a load
// spike from elsewhere on the machine hits one pair, not the figure.
//
// The stores are filled in bulk SQL straight into the kit's tables (bench/support/fill.ts: mostly
// PAID orders with their events done, some PENDING, refunded and failed ones), not through HTTP. The
// kits poll for due events every second as a kit does by default (hookPollMs), so a query that scans
// a large table would show here. PostgreSQL's tables are analysed after the fill (as autovacuum would
// soon do); SQLite's are not (the kit never runs ANALYZE).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createSandbox } from '../src/sandbox/index.js';
import { createCheckoutServer, type CheckoutServer, type CheckoutServerOptions } from '../src/server/index.js';
import { serveCheckout } from '../src/server/node.js';
import { createPostgresStore } from '../src/server/store/postgres/index.js';
import { createSqliteStore } from '../src/server/store/sqlite/index.js';
import { check, completes, loadAverage, median, once, paidOrders, priceOrder } from './support/checkout.js';
import { fillPostgres, fillSqlite, type FillReport } from './support/fill.js';
import { figure, type LoadResult } from './support/load.js';
import { startPostgres } from './support/postgres.js';

const SMALL = 1_000;
const LARGE = 1_000_000;
/** Fresh orders completed per round. */
const PER_ROUND = 1_000;
/** Pairs of rounds, small store and large, which goes first alternating. */
const ROUNDS = 7;
/** A fill that takes longer than this stops the benchmark (it would not be minutes any more). */
const FILL_BUDGET_MS = 8 * 60_000;

const sandbox = await createSandbox({});
// No webhooks: they would complete the orders before the measured completes do.
sandbox.setWebhookUrls([]);
const common = (): Omit<CheckoutServerOptions, 'database' | 'store'> => ({
  portone: { apiSecret: sandbox.apiSecret, storeId: sandbox.storeId, baseUrl: sandbox.url },
  webhookSecret: sandbox.webhookSecret,
  allowTestChannels: true,
  channelKeys: { payment: sandbox.channelKeys.payment },
  logger: {},
  priceOrder,
});

const fillLine = (what: string, report: FillReport) =>
  console.log(`${what}: ${report.orders.toLocaleString('en')} orders and ${report.events.toLocaleString('en')} events in ${(report.ms / 1000).toFixed(1)} s; load average ${loadAverage()}`);
const budget = (what: string, report: FillReport) => {
  if (report.ms > FILL_BUDGET_MS) throw new Error(`${what}: the fill took ${Math.round(report.ms / 1000)} s, over the ${FILL_BUDGET_MS / 1000} s budget`);
};
const progress = (what: string) => (done: number) => {
  if (done % 250_000 === 0) console.log(`  ${what}: ${done.toLocaleString('en')} orders`);
};

interface Side {
  name: string;
  kit: CheckoutServer;
  url: string;
  paid: () => number;
}

/** Alternating pairs of rounds on the two kits; the median pair's p99 ratio, large over small. */
async function measure(store: string, small: Side, large: Side): Promise<{ ratio: number; small: LoadResult[]; large: LoadResult[] }> {
  // A warm-up round each, not measured.
  for (const side of [small, large]) await once(completes(side.url, await paidOrders(side.kit, sandbox, 300)));
  console.log(`${store}: load average before the rounds: ${loadAverage()}`);
  const results = { small: [] as LoadResult[], large: [] as LoadResult[] };
  for (let round = 0; round < ROUNDS; round++) {
    // Both rounds' orders first, so the pair runs back to back.
    const ids = { small: await paidOrders(small.kit, sandbox, PER_ROUND), large: await paidOrders(large.kit, sandbox, PER_ROUND) };
    const run = async (which: 'small' | 'large') => {
      const side = which === 'small' ? small : large;
      const before = side.paid();
      const result = await once(completes(side.url, ids[which]));
      check(`${store}, ${side.name}: first complete, round ${round + 1}`, result, PER_ROUND);
      if (side.paid() - before !== PER_ROUND) throw new Error(`${store}, ${side.name}, round ${round + 1}: expected ${PER_ROUND} fulfilments, got ${side.paid() - before}`);
      results[which].push(result);
    };
    if (round % 2 === 0) {
      await run('small');
      await run('large');
    } else {
      await run('large');
      await run('small');
    }
  }
  console.log(`${store}: load average after the rounds: ${loadAverage()}`);
  return { ratio: median(results.large.map((l, i) => l.p99Ms / results.small[i]!.p99Ms)), ...results };
}

async function serveKit(name: string, options: CheckoutServerOptions): Promise<Side & { close(): Promise<void> }> {
  let paid = 0;
  const kit = createCheckoutServer({ ...options, onPaid: () => void paid++ });
  await kit.ready;
  const served = await serveCheckout(kit);
  return {
    name,
    kit,
    url: served.url,
    paid: () => paid,
    async close() {
      await served.close();
      await kit.close();
    },
  };
}

const printFigures = (prefix: string, outcome: Awaited<ReturnType<typeof measure>>) => {
  figure(`${prefix}complete-p99-ms-1k`, Number(median(outcome.small.map((r) => r.p99Ms)).toFixed(2)));
  figure(`${prefix}complete-p99-ms-1m`, Number(median(outcome.large.map((r) => r.p99Ms)).toFixed(2)));
  figure(`${prefix}complete-rps-1m-vs-1k`, Number(median(outcome.large.map((l, i) => l.rps / outcome.small[i]!.rps)).toFixed(3)));
  figure(`${prefix}complete-p99-1m-vs-1k`, Number(outcome.ratio.toFixed(3)));
};

const cleanup: (() => Promise<unknown> | void)[] = [() => sandbox.close()];
try {
  // ── SQLite ──
  {
    const dir = mkdtempSync(join(tmpdir(), 'pck-bench-scale-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const paths = { small: join(dir, 'small.sqlite'), large: join(dir, 'large.sqlite') };
    const endAt = Date.now() - 3_600_000;
    for (const [which, count] of [['small', SMALL], ['large', LARGE]] as const) {
      // The kit's migrations, then the fill through a connection of its own, checkpointed.
      await createSqliteStore({ path: paths[which] }).close();
      const db = new Database(paths[which]);
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        const report = fillSqlite(db, { from: 0, count, total: count, endAt }, progress(`SQLite ${which}`));
        db.pragma('wal_checkpoint(TRUNCATE)');
        fillLine(`SQLite ${which} store filled`, report);
        budget(`SQLite ${which}`, report);
      } finally {
        db.close();
      }
    }
    console.log(`SQLite files: ${(statSync(paths.small).size / 1e6).toFixed(1)} MB and ${(statSync(paths.large).size / 1e6).toFixed(0)} MB`);
    const small = await serveKit('1k orders', { ...common(), database: paths.small });
    cleanup.push(() => small.close());
    const large = await serveKit('1M orders', { ...common(), database: paths.large });
    cleanup.push(() => large.close());
    const outcome = await measure('SQLite', small, large);
    await small.close();
    await large.close();
    rmSync(dir, { recursive: true, force: true });
    printFigures('', outcome);
  }

  // ── PostgreSQL ──
  {
    const database = await startPostgres();
    cleanup.push(() => database.stop());
    console.log(`PostgreSQL: ${database.source}`);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanup.push(() => client.end());
    const endAt = Date.now() - 3_600_000;
    const sides: Record<'small' | 'large', Side & { close(): Promise<void> }> = {} as never;
    for (const [which, count] of [['small', SMALL], ['large', LARGE]] as const) {
      const schema = database.schema(`bench_scale_${which}`);
      const store = createPostgresStore({ connectionString: database.url, schema });
      cleanup.push(() => store.close());
      await store.ready();
      const report = await fillPostgres(client, schema, { from: 0, count, total: count, endAt }, progress(`PostgreSQL ${which}`));
      fillLine(`PostgreSQL ${which} store filled`, report);
      budget(`PostgreSQL ${which}`, report);
      const analysed = performance.now();
      await client.query(`VACUUM ANALYZE "${schema}".orders`);
      await client.query(`VACUUM ANALYZE "${schema}".events`);
      const sizes = await client.query(`SELECT pg_total_relation_size($1) AS orders, pg_total_relation_size($2) AS events`, [`"${schema}".orders`, `"${schema}".events`]);
      console.log(`  VACUUM ANALYZE ${((performance.now() - analysed) / 1000).toFixed(1)} s; orders ${(Number(sizes.rows[0].orders) / 1e6).toFixed(0)} MB, events ${(Number(sizes.rows[0].events) / 1e6).toFixed(0)} MB with their indexes`);
      sides[which] = await serveKit(`${count === SMALL ? '1k' : '1M'} orders`, { ...common(), store });
      cleanup.push(() => sides[which].close());
    }
    printFigures('pg-', await measure('PostgreSQL', sides.small, sides.large));
  }
} finally {
  for (const step of cleanup.reverse()) await Promise.resolve(step()).catch((error: unknown) => console.error('cleanup:', error));
}

