// The PostgreSQL store shares one statement among concurrent calls of its hot methods (getOrder,
// transition, finishEvent done; src/server/store/postgres/batches.ts). These tests make calls arrive
// together, so they do share statements (counted on the shop's own pool), and hold every caller to
// the answer a statement of its own would have given: one compare-and-set winner per order, each
// event key written once and claimed by the change that wrote it, an error only for its own caller.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { OrderTransition } from '../../../src/server/store/port.js';
import { batched, createLane } from '../../../src/server/store/postgres/batches.js';
import { createPostgresStore } from '../../../src/server/store/postgres/index.js';
import { freshSchema } from '../../support/postgres.js';
import { order } from './conformance.js';

test('the lane: a call on an idle lane goes at once and alone; calls meanwhile queue by kind and go together, kinds in turn', async () => {
  const lane = createLane(1);
  const sent: string[] = [];
  let release: (() => void) | undefined;
  const slow = () => new Promise<void>((resolve) => (release = resolve));
  const kind = (name: string) =>
    batched<string, string>({
      one: async (item) => {
        sent.push(`${name}:${item}`);
        if (item === 'first') await slow();
        return `${name}:${item}`;
      },
      many: async (items) => {
        sent.push(`${name}:[${items.join(',')}]`);
        return items.map((item) => `${name}:${item}`);
      },
      keys: (item) => [item.replace(/#.*/, '')],
      max: 3,
      lane,
    });
  const reads = kind('read');
  const writes = kind('write');
  const first = reads('first');
  assert.deepEqual(sent, ['read:first'], 'an idle lane sends at once');
  // While it is in flight: writes, then reads; two writes of one order cannot share a statement.
  const later = [writes('a'), writes('a#2'), reads('x'), writes('b'), reads('y'), writes('c'), writes('d')];
  assert.equal(sent.length, 1, 'nothing more goes while the only slot is taken');
  release!();
  assert.deepEqual(await Promise.all([first, ...later]), ['read:first', 'write:a', 'write:a#2', 'read:x', 'write:b', 'read:y', 'write:c', 'write:d'], 'each caller gets its own answer');
  assert.deepEqual(sent, ['read:first', 'write:[a,b,c]', 'read:[x,y]', 'write:[a#2,d]'], 'the kind waiting longest goes first, up to max, a clashing call held for the next');
});

test('the lane: a shared statement that fails is run again call by call, so only the bad call fails', async () => {
  const lane = createLane(1);
  let hold: Promise<void> | undefined;
  let release: (() => void) | undefined;
  const calls = batched<number, number>({
    one: async (n) => {
      if (n === 0) await (hold = new Promise<void>((resolve) => (release = resolve)));
      if (n === 3) throw new Error(`bad ${n}`);
      return n * 10;
    },
    many: async (ns) => {
      if (ns.includes(3)) throw new Error('the statement failed');
      return ns.map((n) => n * 10);
    },
    max: 10,
    lane,
  });
  const results = Promise.allSettled([0, 1, 2, 3, 4].map((n) => calls(n)));
  assert.ok(hold);
  release!();
  assert.deepEqual((await results).map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)), [0, 10, 20, 'bad 3', 40]);
});

/** A store on a pool of its own whose statements are counted by their first words. */
async function countedStore(t: { after: (fn: () => Promise<void>) => void }) {
  const { url, schema } = await freshSchema(t, 'kit_batch');
  const pool = new pg.Pool({ connectionString: url, max: 6 });
  const statements: string[] = [];
  const query = pool.query.bind(pool) as (config: unknown, values?: unknown) => Promise<unknown>;
  (pool as unknown as { query: typeof query }).query = (config: unknown, values?: unknown) => {
    const text = typeof config === 'string' ? config : (config as { text: string }).text;
    statements.push(text.replace(/\s+/g, ' ').trim());
    return query(config, values);
  };
  const store = createPostgresStore({ pool, schema });
  t.after(async () => {
    await store.close();
    await pool.end();
  });
  await store.ready();
  return { store, statements, url, schema };
}

const ids = (n: number, prefix = 'p') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
const paid = (paymentId: string, extra: Partial<OrderTransition> = {}): OrderTransition => ({
  paymentId,
  revision: 0,
  to: 'PAID',
  patch: { paidAt: '2026-12-02T00:00:00Z', payMethod: 'CARD' },
  events: [{ key: `paid:${paymentId}`, type: 'paid', paymentId, payload: { paymentId, amount: 32_000 } }],
  now: 2_000,
  ...extra,
});

test('concurrent transitions share statements, and each order still has exactly one winner with its events claimed by it', async (t) => {
  const { store, statements } = await countedStore(t);
  const payments = ids(30);
  for (const id of payments) await store.createOrder(order(id));
  statements.length = 0;
  // Two callers per order, both decided on revision 0, each with its own claim token.
  const calls = payments.flatMap((id) => [
    { id, claim: `a:${id}`, run: () => store.transition(paid(id, { claim: { claim: `a:${id}`, leaseMs: 60_000 } })) },
    { id, claim: `b:${id}`, run: () => store.transition(paid(id, { claim: { claim: `b:${id}`, leaseMs: 60_000 } })) },
  ]);
  const results = await Promise.all(calls.map((c) => c.run()));
  const transitionStatements = statements.filter((s) => /UPDATE .*orders o SET/.test(s)).length;
  assert.ok(transitionStatements < calls.length / 2, `expected the 60 transitions to share statements, got ${transitionStatements} statements`);
  for (const id of payments) {
    const mine = results.map((r, i) => ({ r, call: calls[i]! })).filter((x) => x.call.id === id);
    const won = mine.filter((x) => x.r !== undefined);
    assert.equal(won.length, 1, `${id}: expected one winner, got ${won.length}`);
    const { r, call } = won[0]!;
    assert.deepEqual([r!.order.paymentId, r!.order.status, r!.order.revision, r!.order.paidAt, r!.order.payMethod], [id, 'PAID', 1, '2026-12-02T00:00:00Z', 'CARD']);
    assert.deepEqual(r!.order, await store.getOrder(id), 'the order as the statement left it');
    assert.deepEqual(r!.claimed.map((e) => [e.key, e.status, e.claim, e.payload]), [[`paid:${id}`, 'running', call.claim, { paymentId: id, amount: 32_000 }]]);
    const [stored] = await store.listEvents({ paymentId: id });
    assert.deepEqual([stored?.id, stored?.status, stored?.claim], [r!.claimed[0]!.id, 'running', call.claim]);
  }
  assert.equal((await store.listEvents({ limit: 1_000 })).length, 30);
});

test('an event key two orders’ changes both carry is written once, and claimed only by the change that wrote it', async (t) => {
  const { store } = await countedStore(t);
  const payments = ids(12);
  for (const id of [...payments, 'first']) await store.createOrder(order(id));
  const shared = { key: 'shared-key', type: 'paid' as const, payload: { n: 1 } };
  // A change of the same shape goes first, alone, so the twelve after it queue up together.
  const first = store.transition(paid('first', { claim: { claim: 'c:first', leaseMs: 60_000 } }));
  const results = await Promise.all(
    payments.map((id) => store.transition(paid(id, { events: [shared, { key: `own:${id}`, type: 'paid', paymentId: id, payload: {} }], claim: { claim: `c:${id}`, leaseMs: 60_000 } }))),
  );
  assert.ok(await first);
  assert.ok(results.every(Boolean), 'every order changes');
  const claimedShared = results.filter((r) => r!.claimed.some((e) => e.key === 'shared-key'));
  assert.equal(claimedShared.length, 1, 'one change claims the shared key');
  assert.ok(results.every((r) => r!.claimed.some((e) => e.key === `own:${r!.order.paymentId}`)), 'each claims its own key');
  const events = await store.listEvents({ limit: 100 });
  assert.equal(events.filter((e) => e.key === 'shared-key').length, 1);
  assert.equal(events.find((e) => e.key === 'shared-key')!.claim, claimedShared[0]!.claimed.find((e) => e.key === 'shared-key')!.claim);
});

test('changes of different shapes go in statements of their own shape; billing keys and subscriptions go alone', async (t) => {
  const { store } = await countedStore(t);
  const payments = ids(24);
  for (const id of payments) await store.createOrder(order(id));
  const results = await Promise.all(
    payments.map((id, i) => {
      if (i % 4 === 0) return store.transition({ paymentId: id, revision: 0, to: 'FAILED', patch: { failure: { reason: `no ${id}` } }, now: 3_000 });
      if (i % 4 === 1) return store.transition({ paymentId: id, revision: 0, to: 'CANCELLED', patch: { cancelledAmount: 1_000 + i }, now: 3_000 });
      if (i % 4 === 2) return store.transition({ paymentId: id, revision: 0, to: 'PENDING', patch: { startedAt: 2_500 + i, reservedAt: null, approval: null }, now: 3_000 });
      return store.transition(paid(id, { billingKey: { billingKey: `bk-${id}`, customerId: 'cus', status: 'ISSUED', issuedAt: '2026-12-02T00:00:00Z', updatedAt: 1 } }));
    }),
  );
  for (const [i, id] of payments.entries()) {
    const read = await store.getOrder(id);
    assert.deepEqual(results[i]?.order, read, `${id}: the answer is the order as written`);
    if (i % 4 === 0) assert.deepEqual([read?.status, read?.failure], ['FAILED', { reason: `no ${id}` }]);
    if (i % 4 === 1) assert.deepEqual([read?.status, read?.cancelledAmount], ['CANCELLED', 1_000 + i]);
    if (i % 4 === 2) assert.deepEqual([read?.status, read?.startedAt, read?.reservedAt, read?.approval], ['PENDING', 2_500 + i, undefined, undefined]);
    if (i % 4 === 3) {
      assert.equal(read?.status, 'PAID');
      assert.equal((await store.getBillingKey(`bk-${id}`))?.customerId, 'cus');
    }
  }
});

test('a change that fails in a shared statement fails only for its caller: the others are written alone', async (t) => {
  const { store } = await countedStore(t);
  const payments = ids(16);
  for (const id of payments) await store.createOrder(order(id));
  // NaN reaches the SQL as JSON null: updated_at is NOT NULL, so the shared statement fails whole.
  const results = await Promise.allSettled(payments.map((id, i) => store.transition(paid(id, i === 9 ? { now: Number.NaN } : {}))));
  for (const [i, id] of payments.entries()) {
    if (i === 9) {
      assert.equal(results[i]!.status, 'rejected');
      assert.equal((await store.getOrder(id))?.status, 'PENDING', 'the bad change wrote nothing');
      continue;
    }
    assert.equal(results[i]!.status, 'fulfilled', `${id}: ${results[i]!.status === 'rejected' ? String((results[i] as PromiseRejectedResult).reason) : ''}`);
    assert.equal((await store.getOrder(id))?.status, 'PAID');
  }
  assert.equal((await store.listEvents({ limit: 100 })).length, 15);
});

test('two stores on one database changing the same orders at once: one winner per order, no error', async (t) => {
  const { store: a, url, schema } = await countedStore(t);
  const b = createPostgresStore({ connectionString: url, schema, poolSize: 6 });
  t.after(() => b.close());
  const payments = ids(40);
  for (const id of payments) await a.createOrder(order(id));
  // Opposite orders of arrival, so each store's statements meet the other's rows in reverse.
  const [fromA, fromB] = await Promise.all([
    Promise.all(payments.map((id) => a.transition(paid(id, { claim: { claim: `a:${id}`, leaseMs: 60_000 } })))),
    Promise.all([...payments].reverse().map((id) => b.transition(paid(id, { claim: { claim: `b:${id}`, leaseMs: 60_000 } })))),
  ]);
  const wonB = new Map([...payments].reverse().map((id, i) => [id, fromB[i]]));
  for (const [i, id] of payments.entries()) {
    assert.equal(Number(fromA[i] !== undefined) + Number(wonB.get(id) !== undefined), 1, `${id}: one winner`);
  }
  assert.equal((await a.listEvents({ limit: 1_000 })).length, 40);
});

test('concurrent reads share a statement and each caller gets an order of its own; missing ids read as undefined', async (t) => {
  const { store, statements } = await countedStore(t);
  const payments = ids(20);
  for (const id of payments) await store.createOrder(order(id));
  statements.length = 0;
  const asked = [...payments, 'missing-1', payments[3]!, payments[3]!, 'missing-2'];
  const read = await Promise.all(asked.map((id) => store.getOrder(id)));
  assert.ok(statements.length < asked.length / 2, `expected shared reads, got ${statements.length} statements for ${asked.length} reads`);
  for (const [i, id] of asked.entries()) {
    if (id.startsWith('missing')) assert.equal(read[i], undefined);
    else assert.equal(read[i]?.paymentId, id);
  }
  // The same order asked twice at once: two objects, so one caller's change cannot reach the other.
  assert.notEqual(read[21], read[22]);
  read[21]!.lines.push({ id: 'x', name: 'x', quantity: 1, unitAmount: 1, amount: 1 });
  assert.equal(read[22]!.lines.length, 1);
});

test('finishing events together: each only by its own claim and only once; other outcomes are untouched by sharing', async (t) => {
  const { store } = await countedStore(t);
  const payments = ids(20);
  for (const id of payments) await store.createOrder(order(id));
  const won = await Promise.all(payments.map((id) => store.transition(paid(id, { claim: { claim: `c:${id}`, leaseMs: 60_000 } }))));
  const events = won.map((w) => ({ id: w!.claimed[0]!.id, claim: w!.claimed[0]!.claim! }));
  const finishes = await Promise.all([
    ...events.map((e, i) => (i === 5 ? store.finishEvent({ id: e.id, claim: 'someone-else' }, { status: 'done', now: 9 }) : store.finishEvent(e, { status: 'done', now: 9 }))),
    // The same event finished twice at once: only one of the two is recorded.
    store.finishEvent(events[7]!, { status: 'done', now: 9 }),
    store.finishEvent(events[5]!, { status: 'pending', nextAttemptAt: 50, error: 'later' }),
  ]);
  assert.equal(finishes[5], false, 'a claim that is not the event’s finishes nothing');
  assert.equal(Number(finishes[7]) + Number(finishes[20]), 1, 'one of two finishes of one event is recorded');
  assert.equal(finishes[21], true, 'its own claim sets it back to pending');
  const stored = new Map((await store.listEvents({ limit: 100 })).map((e) => [e.id, e]));
  for (const [i, e] of events.entries()) {
    if (i === 5) assert.deepEqual([stored.get(e.id)?.status, stored.get(e.id)?.nextAttemptAt], ['pending', 50]);
    else assert.equal(stored.get(e.id)?.status, 'done', `event ${i}`);
  }
});

// Bounded: a query sent as the pool ends never settles, so a regression here would hang, not fail.
test('closing the store while calls wait for the lane answers them first, then refuses new ones', { timeout: 20_000 }, async (t) => {
  const { url, schema } = await freshSchema(t, 'kit_batch');
  const store = createPostgresStore({ connectionString: url, schema, poolSize: 3 });
  const payments = ids(20);
  for (const id of payments) await store.createOrder(order(id));
  const pending = Promise.allSettled(payments.map((id) => store.transition(paid(id))));
  await store.close();
  const settled = await pending;
  assert.deepEqual(settled.map((r) => r.status), payments.map(() => 'fulfilled'), String(settled.find((r) => r.status === 'rejected') && (settled.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason));
  await assert.rejects(store.getOrder(payments[0]!), /the PostgreSQL store is closed/);
});
