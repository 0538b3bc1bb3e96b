// A shop's fleet for the tests: several kit processes (fleet-process.ts) on one database, each on a
// fixed loopback port (a restarted instance comes back where PortOne's webhooks go), behind a
// round-robin "load balancer" that skips an instance that is down. The interleaving checker drives it
// like any shop; the test can SIGKILL an instance and start it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../support/embedded-postgres.js';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { Order } from '../../src/server/index.js';
import type { Fulfilment, RefundRecord, ShopUnderTest } from './checker.js';

export type FleetDatabase = { kind: 'postgres'; url: string; schema: string } | { kind: 'sqlite'; path: string; recordPath: string };

export interface Fleet extends ShopUnderTest {
  urls: string[];
  /** SIGKILLs instance `index` (it keeps whatever it held). */
  kill(index: number): Promise<void>;
  /** Starts instance `index` again, on its port. */
  restart(index: number): Promise<void>;
  /** Events the store holds, for evidence of what was taken over. */
  events(): Promise<{ key: string; status: string; attempts: number }[]>;
  close(): Promise<void>;
}

const RECORD_TABLES = `
  CREATE TABLE IF NOT EXISTS shop_fulfilments (payment_id TEXT NOT NULL, total_amount BIGINT NOT NULL, lines TEXT NOT NULL, instance TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS shop_refunds (payment_id TEXT NOT NULL, cancellation_id TEXT NOT NULL, amount BIGINT NOT NULL, instance TEXT NOT NULL);`;

/** Starts `size` instances on `database`, the sandbox's webhooks going to all of them. */
export async function startFleet(sandbox: Sandbox, database: FleetDatabase, size: number): Promise<Fleet> {
  // The shop's own records (no unique constraint: a second fulfilment of one order is a second row).
  let select: (table: 'shop_fulfilments' | 'shop_refunds' | 'events', columns: string) => Promise<Record<string, unknown>[]>;
  let closeRecords: () => Promise<void>;
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const schema = `"${database.schema}"`;
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}; ${RECORD_TABLES}`);
    select = async (table, columns) => (await pool.query(`SELECT ${columns} FROM ${schema}.${table}`)).rows;
    closeRecords = () => pool.end();
  } else {
    const records = new Database(database.recordPath);
    records.pragma('journal_mode = WAL');
    records.exec(RECORD_TABLES);
    select = async (table, columns) => {
      // The kit's events are in its own file, read through a connection of our own.
      if (table !== 'events') return records.prepare(`SELECT ${columns} FROM ${table}`).all() as Record<string, unknown>[];
      const kit = new Database(database.path, { readonly: true });
      try {
        return kit.prepare(`SELECT ${columns} FROM events`).all() as Record<string, unknown>[];
      } finally {
        kit.close();
      }
    };
    closeRecords = async () => void records.close();
  }

  const ports = await Promise.all(Array.from({ length: size }, freePort));
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const children: (ChildProcess | undefined)[] = [];
  const script = new URL('./fleet-process.ts', import.meta.url).pathname;
  const start = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PCK_INSTANCE: String(index),
          PCK_PORT: String(ports[index]),
          PCK_API_SECRET: sandbox.apiSecret,
          PCK_STORE_ID: sandbox.storeId,
          PCK_SANDBOX_URL: sandbox.url,
          PCK_WEBHOOK_SECRET: sandbox.webhookSecret,
          PCK_CHANNEL_KEY: sandbox.channelKeys.payment,
          ...(database.kind === 'postgres' ? { PCK_PG_URL: database.url, PCK_PG_SCHEMA: database.schema } : { PCK_SQLITE_PATH: database.path, PCK_RECORD_PATH: database.recordPath }),
        },
      });
      let errors = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        errors += chunk.toString();
        if (process.env.FLEET_DEBUG) process.stderr.write(chunk);
      });
      // In the load balancer's rotation only once it serves.
      child.stdout!.on('data', (chunk: Buffer) => {
        if (!chunk.toString().includes('ready')) return;
        children[index] = child;
        resolve();
      });
      child.once('exit', (code, signal) => {
        if (children[index] === child) children[index] = undefined;
        reject(new Error(`fleet instance ${index} exited (${code ?? signal}) before it was ready: ${errors}`));
      });
    });
  await Promise.all(urls.map((_, index) => start(index)));
  sandbox.setWebhookUrls(urls.map((url) => `${url}/webhooks`));

  let next = 0;
  const live = () => urls.map((url, index) => ({ url, index })).filter(({ index }) => children[index] !== undefined);
  /**
   * Round robin over the live instances; one that fails to answer (just killed, or too loaded to
   * accept the connection) is skipped and the request tried on the next, as a load balancer would,
   * for a few seconds at most.
   */
  async function forward(build: (base: string) => Request): Promise<Response> {
    let lastError: unknown;
    for (let tries = 0; tries < 40; tries++) {
      const candidates = live();
      if (candidates.length > 0) {
        const { url } = candidates[next++ % candidates.length]!;
        try {
          return await fetch(build(url));
        } catch (error) {
          lastError = error;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no fleet instance answered: ${String(lastError)}`);
  }
  const adminCall = async (path: string, body: unknown) => {
    const response = await forward((base) => new Request(`${base}/__admin/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    const answer = await response.json();
    if (response.status !== 200) throw Object.assign(new Error((answer as { error: string }).error), { code: (answer as { code?: string }).code });
    return answer;
  };
  const rebase = (request: Request, base: string) => {
    const url = new URL(request.url);
    return new Request(`${base}${url.pathname}${url.search}`, request);
  };

  return {
    urls,
    async fetch(request) {
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      return forward((base) => rebase(new Request(request, body === undefined ? {} : { body }), base));
    },
    async fetchAll(build) {
      return Promise.all(live().map(({ url }) => fetch(rebase(build(), url)).catch(() => undefined)));
    },
    cancel: (paymentId, options) => adminCall('cancel', { paymentId, options }),
    reconcile: (options) => adminCall('reconcile', options) as never,
    runDueEvents: () => adminCall('run-due', {}),
    getOrder: (paymentId) => adminCall('order', { paymentId }) as Promise<Order | undefined>,
    async fulfilments(): Promise<Fulfilment[]> {
      return (await select('shop_fulfilments', 'payment_id, total_amount, lines')).map((r) => ({ paymentId: r.payment_id as string, totalAmount: Number(r.total_amount), lines: JSON.parse(r.lines as string) }));
    },
    async refunds(): Promise<RefundRecord[]> {
      return (await select('shop_refunds', 'payment_id, cancellation_id, amount')).map((r) => ({ paymentId: r.payment_id as string, cancellationId: r.cancellation_id as string, amount: Number(r.amount) }));
    },
    async events() {
      return (await select('events', 'key, status, attempts')).map((r) => ({ key: r.key as string, status: r.status as string, attempts: Number(r.attempts) }));
    },
    async kill(index) {
      const child = children[index];
      if (!child) return;
      children[index] = undefined;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    restart: start,
    async close() {
      await Promise.all(
        children.map(async (child) => {
          if (!child) return;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          await exited;
        }),
      );
      await closeRecords();
    },
  };
}
