// The SQLite adapter: the store conformance suite, then what only SQLite has — its migrations, group
// commit and group reads, and the partial index reconcile() walks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore, SQLITE_SCHEMA_VERSION } from '../../../src/server/store/sqlite/index.js';
import { order, storeConformance } from './conformance.js';

function tempFile(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'pck-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'nested', 'checkout.sqlite');
}

storeConformance({
  name: 'SQLite',
  async open(t) {
    const store = createSqliteStore({ path: ':memory:' });
    t.after(() => store.close());
    return store;
  },
  async openShared(t) {
    const path = tempFile(t);
    const a = createSqliteStore({ path });
    const b = createSqliteStore({ path });
    t.after(async () => {
      await a.close();
      await b.close();
    });
    return [a, b];
  },
});

test('migrations run once, record their version, and a newer database is refused', async (t) => {
  const path = tempFile(t);
  const first = createSqliteStore({ path });
  await first.close();
  const second = createSqliteStore({ path });
  await second.close();
  const db = new Database(path);
  const rows = db.prepare('SELECT version FROM kit_migrations ORDER BY version').all() as { version: number }[];
  assert.deepEqual(rows.map((r) => r.version), Array.from({ length: SQLITE_SCHEMA_VERSION }, (_, i) => i + 1));
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.prepare('INSERT INTO kit_migrations (version, applied_at) VALUES (?, 0)').run(SQLITE_SCHEMA_VERSION + 1);
  db.close();
  assert.throws(() => createSqliteStore({ path }), /expected a database at schema version \d+ or older, got version \d+/);
});

test('group reads: reads asked for together are all answered, each seeing the writes committed before it was asked', async (t) => {
  const store = createSqliteStore({ path: tempFile(t) });
  t.after(() => store.close());
  await Promise.all(['r1', 'r2', 'r3'].map((id) => store.createOrder(order(id))));
  const [one, missing, list, three] = await Promise.all([store.getOrder('r1'), store.getOrder('nope'), store.listOrders({ limit: 10 }), store.getOrder('r3')]);
  assert.equal(one?.paymentId, 'r1');
  assert.equal(missing, undefined);
  assert.deepEqual(list.map((o) => o.paymentId).sort(), ['r1', 'r2', 'r3']);
  assert.equal(three?.paymentId, 'r3');
  // A read asked for after a write's commit sees it, even in the same turn as reads asked before.
  const before = store.getOrder('r2');
  await store.transition({ paymentId: 'r2', revision: 0, to: 'PAID', now: 5 });
  assert.equal((await before)?.status, 'PENDING');
  assert.equal((await store.getOrder('r2'))?.status, 'PAID');
  // Read before close() resolves: a read queued just before closing is answered, one after is refused.
  const late = store.getOrder('r1');
  await store.close();
  assert.equal((await late)?.paymentId, 'r1');
  await assert.rejects(store.getOrder('r1'), /the SQLite store is closed/);
});

test('group commit: writes arriving together commit together, one that fails is undone alone, none is ever left waiting', async (t) => {
  const store = createSqliteStore({ path: tempFile(t) });
  t.after(() => store.close());
  // One after another: each write queued as the flush before it finishes must still be committed.
  for (let i = 0; i < 50; i++) await store.createOrder(order(`seq${i}`));
  // Together, with a duplicate among them: it alone is refused; the others commit.
  const results = await Promise.allSettled([store.createOrder(order('a')), store.createOrder(order('seq3')), store.createOrder(order('b'))]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.match(String((results[1] as PromiseRejectedResult).reason), /UNIQUE/);
  assert.deepEqual((await Promise.all(['a', 'b', 'seq3', 'seq49'].map((id) => store.getOrder(id)))).map((o) => o?.status), ['PENDING', 'PENDING', 'PENDING', 'PENDING']);
  // Written before close() resolves: a write queued just before closing is committed, one after is refused.
  const late = store.createOrder(order('late'));
  await store.close();
  await late;
  await assert.rejects(store.createOrder(order('after')), /the SQLite store is closed/);
  const reopened = createSqliteStore({ path: store.path });
  t.after(() => reopened.close());
  assert.equal((await reopened.getOrder('late'))?.status, 'PENDING');
  assert.equal((await reopened.listOrders({ limit: 100 })).length, 53);
});

test('migrations 2 to 7 upgrade a version-1 database: customers indexed, orders reconcilable through the partial index, events claimable', async (t) => {
  const path = tempFile(t);
  const store = createSqliteStore({ path });
  await store.createOrder(order('old', { customer: { customerId: 'kim', fullName: '김하나' } }));
  await store.transition({ paymentId: 'old', revision: 0, to: 'PENDING', events: [{ key: 'e1', type: 'paid', paymentId: 'old', payload: {} }], now: 1_000 });
  await store.close();
  // Back to what a version-1 database looked like: migrations 2 to 7 not applied.
  const db = new Database(path);
  db.exec(`DROP TABLE identity_verifications; ALTER TABLE orders DROP COLUMN approval; ALTER TABLE orders DROP COLUMN reserved_at; ALTER TABLE billing_key_issues DROP COLUMN approval;
    ALTER TABLE billing_key_issues DROP COLUMN reserved_at; ALTER TABLE billing_key_issues DROP COLUMN failure; DROP INDEX orders_open; DROP INDEX orders_reconciling; ALTER TABLE orders DROP COLUMN reconcile_until; ALTER TABLE orders DROP COLUMN reconcile_claim; CREATE INDEX orders_open ON orders (status) WHERE status = 'PENDING'; DROP INDEX events_running; DROP INDEX webhook_deliveries_processing; ALTER TABLE webhook_deliveries DROP COLUMN claim; DROP INDEX orders_customer; ALTER TABLE orders DROP COLUMN customer_id; ALTER TABLE orders DROP COLUMN customer_assigned;
    ALTER TABLE orders DROP COLUMN started_at; ALTER TABLE orders DROP COLUMN revision; ALTER TABLE billing_key_issues DROP COLUMN customer_assigned;
    DROP INDEX orders_open; CREATE INDEX orders_status_updated ON orders (status, updated_at); ALTER TABLE orders DROP COLUMN checked_at; ALTER TABLE events DROP COLUMN claim; ALTER TABLE events DROP COLUMN transient_attempts;
    DELETE FROM kit_migrations WHERE version >= 2`);
  db.close();
  const reopened = createSqliteStore({ path });
  t.after(() => reopened.close());
  assert.deepEqual((await reopened.listOrders({ customerId: 'kim' })).map((o) => [o.paymentId, o.revision]), [['old', 0]]);
  const query = { status: 'PENDING' as const, activeFrom: 0, activeTo: 2_000, now: 2_000, maxRecheckMs: 1, limit: 10, claim: { claim: 'h:r', leaseMs: -10_000 } };
  assert.deepEqual((await reopened.claimOrdersToReconcile(query)).map((o) => o.paymentId), ['old']);
  const [event] = await reopened.claimEvents({ claim: `h:2`, now: 1_000, leaseMs: 10, limit: 1 });
  assert.deepEqual([event?.key, event?.transientAttempts, typeof event?.claim], ['e1', 0, 'string']);
});

test('reconcile reads orders_open, which holds only the orders it walks', async (t) => {
  const path = tempFile(t);
  const store = createSqliteStore({ path });
  await store.createOrder(order('open'));
  await store.createOrder(order('paid'));
  await store.transition({ paymentId: 'paid', revision: 0, to: 'PAID', now: 1_000 });
  const query = { status: 'PENDING' as const, activeFrom: 0, activeTo: 5_000, now: 5_000, maxRecheckMs: 1, limit: 10, claim: { claim: 'h:r', leaseMs: -10_000 } };
  assert.deepEqual((await store.claimOrdersToReconcile(query)).map((o) => o.paymentId), ['open']);
  await assert.rejects(store.claimOrdersToReconcile({ ...query, status: 'PAID' as never }), /expected status PENDING, VIRTUAL_ACCOUNT_ISSUED or FAILED, got "PAID"/);
  await store.close();
  const db = new Database(path, { readonly: true });
  t.after(() => db.close());
  const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL`).all() as { name: string }[]).map((r) => r.name);
  assert.ok(indexes.includes('orders_open') && !indexes.includes('orders_reconcile') && !indexes.includes('orders_status_updated'), indexes.join(' '));
  assert.equal((db.prepare(`SELECT count(*) AS n FROM orders INDEXED BY orders_open WHERE status IN ('PENDING', 'VIRTUAL_ACCOUNT_ISSUED')`).get() as { n: number }).n, 1, 'the paid order left the index');
});
