// The PostgreSQL store's prepared statements: short names of its own (PostgreSQL cuts a name at 63
// bytes, so names built from a long schema name once collided), one per statement text, and the
// transition — on every complete and webhook — among them, so its plan is not made again each time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createPostgresStore } from '../../../src/server/store/postgres/index.js';
import { freshSchema } from '../../support/postgres.js';
import { order } from './conformance.js';

/** getOrder, a claimed transition and finishing its event: every prepared statement of the complete path. */
async function completePath(store: ReturnType<typeof createPostgresStore>, paymentId: string) {
  await store.createOrder(order(paymentId));
  assert.equal((await store.getOrder(paymentId))?.status, 'PENDING');
  const outcome = await store.transition({ paymentId, revision: 0, to: 'PAID', now: 2, events: [{ key: `paid:${paymentId}`, type: 'paid', paymentId, payload: { n: 1 } }], claim: { claim: 'c1', leaseMs: 100 } });
  assert.equal(outcome?.order.status, 'PAID');
  assert.equal(await store.finishEvent({ id: outcome!.claimed[0]!.id, claim: 'c1' }, { status: 'done', now: 3 }), true);
  assert.equal((await store.getOrder(paymentId))?.revision, 1);
}

test('a schema name of the longest kind (63 characters) works through the prepared statements', async (t) => {
  const { url } = await freshSchema(t);
  // freshSchema's name padded to 63 characters; dropped here (freshSchema drops only its own).
  const schema = `kit_long_${Date.now().toString(36)}_`.padEnd(63, 'x');
  t.after(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
  // One connection: every statement is prepared on it, one after another.
  const store = createPostgresStore({ connectionString: url, schema, poolSize: 1 });
  t.after(() => store.close());
  await completePath(store, 'p1');
  await completePath(store, 'p2');
});

test('the complete path runs on prepared statements, one short name per text, the transition among them', async (t) => {
  const { url, schema } = await freshSchema(t);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  t.after(() => pool.end());
  const store = createPostgresStore({ pool, schema });
  t.after(() => store.close());
  await completePath(store, 'p1');
  await completePath(store, 'p2');
  const prepared = (await pool.query(`SELECT name, statement FROM pg_prepared_statements`)).rows as { name: string; statement: string }[];
  assert.ok(prepared.some((p) => p.statement.includes(`UPDATE "${schema}".orders o SET`)), 'the transition is prepared');
  assert.ok(prepared.some((p) => p.statement.startsWith(`SELECT * FROM "${schema}".orders WHERE payment_id`)), 'getOrder is prepared');
  assert.ok(prepared.every((p) => Buffer.byteLength(p.name) < 64), 'names fit PostgreSQL’s 63 bytes');
  assert.equal(new Set(prepared.map((p) => p.statement)).size, prepared.length, 'one name per text');
});
