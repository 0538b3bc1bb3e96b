// One instance of a shop's fleet, in its own OS process, for the fleet tests: a kit on the shared
// database (PostgreSQL, or a SQLite file), served on the port it is given, its hooks recording what
// they fulfil and refund in a table with no unique constraint (so a double shows), and a few admin
// routes the test drives (cancel, reconcile, due events, an order). Prints "ready" once it serves.
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import pg from 'pg';
import { getRequestListener } from '@hono/node-server';
import { createCheckoutServer, type CheckoutStore } from '../../src/server/index.js';
import { createPostgresStore } from '../../src/server/store/postgres/index.js';
import { createSqliteStore } from '../../src/server/store/sqlite/index.js';
import { priceOrder } from '../server/support.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`fleet-process: expected ${name} in the environment`);
  return value;
};

type Recorder = { record(table: 'fulfilments' | 'refunds', row: Record<string, unknown>): Promise<void> };

let store: CheckoutStore;
let recorder: Recorder;
if (process.env.PCK_PG_URL) {
  const schema = env('PCK_PG_SCHEMA');
  store = createPostgresStore({ connectionString: process.env.PCK_PG_URL, schema, poolSize: 8 });
  const pool = new pg.Pool({ connectionString: process.env.PCK_PG_URL, max: 2 });
  recorder = {
    async record(table, row) {
      const columns = Object.keys(row);
      await pool.query(`INSERT INTO "${schema}".shop_${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
    },
  };
} else {
  store = createSqliteStore({ path: env('PCK_SQLITE_PATH') });
  const db = new Database(env('PCK_RECORD_PATH'));
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  recorder = {
    async record(table, row) {
      const columns = Object.keys(row);
      db.prepare(`INSERT INTO shop_${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...Object.values(row));
    },
  };
}

const instance = env('PCK_INSTANCE');
const kit = createCheckoutServer({
  portone: { apiSecret: env('PCK_API_SECRET'), storeId: env('PCK_STORE_ID'), baseUrl: env('PCK_SANDBOX_URL') },
  webhookSecret: env('PCK_WEBHOOK_SECRET'),
  priceOrder,
  store,
  allowTestChannels: true,
  channelKeys: { payment: env('PCK_CHANNEL_KEY') },
  hookPollMs: 100,
  // Short, so a killed instance's work is taken over within the test — but not so short that a live
  // instance on a loaded 2-core machine, its renewals queued behind its own busy pool, loses a claim
  // while its hook still runs (then the hook runs twice: leases are at-least-once, as documented).
  claimLeaseMs: 3_000,
  logger: {},
  async onPaid({ order }) {
    await recorder.record('fulfilments', {
      payment_id: order.paymentId,
      total_amount: order.totalAmount,
      lines: JSON.stringify(order.lines.map(({ id, quantity, unitAmount }) => ({ id, quantity, unitAmount }))),
      instance,
    });
  },
  async onCancelled({ order, cancellation }) {
    await recorder.record('refunds', { payment_id: order.paymentId, cancellation_id: cancellation.id, amount: cancellation.amount, instance });
  },
});
await kit.ready;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body ?? null), { status, headers: { 'content-type': 'application/json' } });
/** The test's admin routes, beside the kit's own. */
async function admin(request: Request, path: string): Promise<Response> {
  const body = request.method === 'POST' ? ((await request.json()) as Record<string, unknown>) : {};
  try {
    if (path === '/__admin/cancel') return json(await kit.cancel(body.paymentId as string, body.options as never));
    if (path === '/__admin/reconcile') return json(await kit.reconcile(body as never));
    if (path === '/__admin/run-due') return json(await kit.runDueEvents());
    if (path === '/__admin/order') return json(await kit.getOrder(body.paymentId as string));
  } catch (error) {
    return json({ error: (error as Error).message, code: (error as { code?: string }).code }, 409);
  }
  return json({ error: `no admin route ${path}` }, 404);
}

const listener = getRequestListener(
  (request) => {
    const path = new URL(request.url).pathname;
    return path.startsWith('/__admin/') ? admin(request, path) : kit.fetch(request);
  },
  { overrideGlobalObjects: false },
);
const server = createServer({ keepAlive: true }, listener);
server.listen(Number(env('PCK_PORT')), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  server.close();
  void kit.close().then(() => process.exit(0));
});
