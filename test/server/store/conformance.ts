// The store port's promises (../../../src/server/store/port.ts), as one suite every adapter runs
// unchanged: compare-and-set transitions with their events, outbox and webhook claims, reconcile
// claims, pruning, billing records — and two stores on one database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckoutStore } from '../../../src/server/index.js';
import type { NewOrder, Subscription } from '../../../src/server/model.js';

type TestContext = { after: (fn: () => unknown) => void };

/** How a suite gets stores of one adapter: each test a fresh, empty database of its own. */
export interface StoreAdapter {
  name: string;
  open(t: TestContext): Promise<CheckoutStore>;
  /** Two stores (connections, pools) on one fresh database. */
  openShared(t: TestContext): Promise<[CheckoutStore, CheckoutStore]>;
}

export const order = (paymentId: string, extra: Partial<NewOrder> = {}): NewOrder => ({
  paymentId,
  orderId: `ord-${paymentId}`,
  kind: 'payment',
  orderName: '커피 원두 1kg',
  totalAmount: 32_000,
  currency: 'KRW',
  lines: [{ id: 'beans', name: '커피 원두 1kg', quantity: 1, unitAmount: 32_000, amount: 32_000 }],
  customer: { fullName: '김하나' },
  createdAt: 1_000,
  ...extra,
});

export function storeConformance(adapter: StoreAdapter): void {
  test(`${adapter.name}: an order round-trips with every field, and a duplicate paymentId is refused`, async (t) => {
    const store = await adapter.open(t);
    const created = order('p1', { taxFreeAmount: 2_000, vatAmount: 2_727, reference: 'shop-17', payMethod: 'CARD', plan: 'monthly', subscriptionId: 's1', dueAt: 5_000, billingKey: 'bk', customer: { customerId: 'cus_1', fullName: '김하나' }, customerIdAssigned: true });
    await store.createOrder(created);
    const read = await store.getOrder('p1');
    assert.deepEqual(read, { ...created, status: 'PENDING', cancelledAmount: 0, revision: 0, updatedAt: 1_000 });
    await assert.rejects(store.createOrder(order('p1', { orderId: 'other' })));
    await assert.rejects(store.createOrder(order('p2', { orderId: 'ord-p1' })), 'an orderId is unique too');
    assert.equal(await store.getOrder('p2'), undefined);
    assert.equal(await store.getOrder('nope'), undefined);
  });

  test(`${adapter.name}: transition is compare-and-set on the revision: one winner, events only with the win, keys deduplicated`, async (t) => {
    const store = await adapter.open(t);
    await store.createOrder(order('p1'));
    const paid = { paymentId: 'p1', revision: 0, to: 'PAID' as const, now: 2_000 };
    const event = { key: 'paid:p1', type: 'paid' as const, paymentId: 'p1', payload: { n: 1 } };
    const results = await Promise.all([1, 2, 3].map(() => store.transition({ ...paid, patch: { paidAt: '2026-01-01T00:00:00Z' }, events: [event] })));
    assert.deepEqual(results.filter(Boolean).length, 1);
    const won = results.find(Boolean)!;
    assert.deepEqual(won.order, await store.getOrder('p1'), 'the order as the write left it');
    assert.deepEqual([won.order.status, won.order.revision, won.order.paidAt], ['PAID', 1, '2026-01-01T00:00:00Z']);
    assert.deepEqual(won.claimed, [], 'no claim asked for: the events wait for a runner');
    assert.equal((await store.listEvents()).length, 1);
    // A change decided on an older revision writes nothing, whatever it is.
    assert.equal(await store.transition({ paymentId: 'p1', revision: 0, to: 'FAILED', events: [{ key: 'failed:p1', type: 'failed', paymentId: 'p1', payload: {} }], now: 3_000 }), undefined);
    assert.equal(await store.transition({ paymentId: 'p1', revision: 0, to: 'PAID', patch: { paidAt: 'stale' }, now: 3_000 }), undefined);
    assert.equal(await store.transition({ paymentId: 'nope', revision: 0, to: 'PAID', now: 3_000 }), undefined);
    assert.deepEqual([(await store.getOrder('p1'))?.revision, (await store.getOrder('p1'))?.paidAt, (await store.listEvents()).length], [1, '2026-01-01T00:00:00Z', 1]);
    // A same-status transition may add events, but never an existing key twice.
    const again = await store.transition({ paymentId: 'p1', revision: 1, to: 'PAID', events: [event, { key: 'x', type: 'cancelled', paymentId: 'p1', payload: {} }], now: 3_000 });
    assert.equal(again?.order.revision, 2);
    assert.deepEqual((await store.listEvents()).map((e) => e.key).sort(), ['paid:p1', 'x']);
    assert.deepEqual((await store.listEvents({ paymentId: 'p1' }))[1]?.payload, { n: 1 });
  });

  test(`${adapter.name}: a transition with a claim writes its events already claimed by the caller: nobody else runs them, its claim finishes them`, async (t) => {
    const store = await adapter.open(t);
    await store.createOrder(order('p1'));
    await store.transition({ paymentId: 'p1', revision: 0, to: 'PENDING', events: [{ key: 'old', type: 'paid', paymentId: 'p1', payload: {} }], now: 1 });
    const change = {
      paymentId: 'p1', revision: 1, to: 'PAID' as const, now: 2,
      events: [{ key: 'old', type: 'paid' as const, paymentId: 'p1', payload: {} }, { key: 'paid:p1', type: 'paid' as const, paymentId: 'p1', payload: { n: 1 } }],
    };
    const [won, lost] = await Promise.all([store.transition({ ...change, claim: { claim: 'c1', leaseMs: 98 } }), store.transition({ ...change, claim: { claim: 'c2', leaseMs: 98 } })]);
    assert.equal(lost, undefined, 'one caller wins');
    assert.deepEqual(won?.claimed.map((e) => [e.key, e.status, e.attempts, e.claim, e.payload]), [['paid:p1', 'running', 1, 'c1', { n: 1 }]], 'an existing key is not claimed');
    assert.deepEqual(won?.order, await store.getOrder('p1'), 'the order as the write left it');
    assert.deepEqual(won?.claimed, await store.listEvents({ keys: ['paid:p1'] }), 'the events as written');
    assert.equal(won?.order.status, 'PAID');
    assert.deepEqual((await store.claimEvents({ claim: `h:1`, now: 99, leaseMs: 10, limit: 10, keys: ['paid:p1'] })).map((e) => e.key), [], 'held for its caller');
    assert.equal(await store.finishEvent({ id: won!.claimed[0]!.id, claim: 'c1' }, { status: 'done', now: 3 }), true);
    assert.deepEqual((await store.listEvents({ statuses: ['done'] })).map((e) => e.key), ['paid:p1']);
    assert.equal((await store.getOrder('p1'))?.status, 'PAID');
  });

  test(`${adapter.name}: cancelledAmount only grows: a stale sync cannot undo a refund`, async (t) => {
    const store = await adapter.open(t);
    await store.createOrder(order('p1'));
    await store.transition({ paymentId: 'p1', revision: 0, to: 'PAID', now: 2 });
    await store.transition({ paymentId: 'p1', revision: 1, to: 'PARTIAL_CANCELLED', patch: { cancelledAmount: 5_000 }, now: 3 });
    await store.transition({ paymentId: 'p1', revision: 2, to: 'PARTIAL_CANCELLED', patch: { cancelledAmount: 2_000 }, now: 4 });
    assert.equal((await store.getOrder('p1'))?.cancelledAmount, 5_000);
  });

  test(`${adapter.name}: listOrders filters by status, kind, subscription and age, newest first`, async (t) => {
    const store = await adapter.open(t);
    await store.createOrder(order('a', { createdAt: 1 }));
    await store.createOrder(order('b', { createdAt: 2, kind: 'subscription', subscriptionId: 's' }));
    await store.createOrder(order('c', { createdAt: 3 }));
    await store.transition({ paymentId: 'c', revision: 0, to: 'PAID', now: 10 });
    assert.deepEqual((await store.listOrders()).map((o) => o.paymentId), ['c', 'b', 'a']);
    assert.deepEqual((await store.listOrders({ statuses: ['PENDING'] })).map((o) => o.paymentId), ['b', 'a']);
    assert.deepEqual((await store.listOrders({ kind: 'subscription' })).map((o) => o.paymentId), ['b']);
    assert.deepEqual((await store.listOrders({ subscriptionId: 's' })).map((o) => o.paymentId), ['b']);
    assert.deepEqual((await store.listOrders({ updatedBefore: 2 })).map((o) => o.paymentId), ['a']);
    assert.deepEqual((await store.listOrders({ statuses: [] })), []);
    assert.deepEqual((await store.listOrders({ limit: 1, offset: 1 })).map((o) => o.paymentId), ['b']);
    await store.createOrder(order('d', { createdAt: 4, dueAt: 100 }));
    // Activity is the due time when there is one, else the last change.
    assert.deepEqual((await store.listOrders({ activeBetween: { from: 1, to: 3 } })).map((o) => o.paymentId), ['b', 'a']);
    assert.deepEqual((await store.listOrders({ activeBetween: { from: 50, to: 101 } })).map((o) => o.paymentId), ['d']);
    assert.deepEqual((await store.listOrders({ activeBetween: { from: 0, to: 100 } })).map((o) => o.paymentId), ['c', 'b', 'a']);
  });

  test(`${adapter.name}: listOrders per customer and by whether a window was seen open`, async (t) => {
    const store = await adapter.open(t);
    await store.createOrder(order('a', { createdAt: 1, customer: { customerId: 'kim', fullName: '김하나' } }));
    await store.createOrder(order('b', { createdAt: 2, customer: { customerId: 'kim' } }));
    await store.createOrder(order('c', { createdAt: 3, customer: { customerId: 'lee' } }));
    await store.createOrder(order('d', { createdAt: 4, customer: { customerId: 'cus_made_up' }, customerIdAssigned: true }));
    await store.transition({ paymentId: 'a', revision: 0, to: 'PAID', now: 10 });
    await store.transition({ paymentId: 'b', revision: 0, to: 'PENDING', patch: { startedAt: 11 }, now: 11 });
    assert.deepEqual((await store.listOrders({ customerId: 'kim' })).map((o) => o.paymentId), ['b', 'a']);
    assert.deepEqual((await store.listOrders({ customerId: 'cus_made_up' })).map((o) => [o.paymentId, o.customerIdAssigned]), [['d', true]]);
    assert.deepEqual((await store.listOrders({ started: true })).map((o) => o.paymentId), ['b', 'a']);
    assert.deepEqual((await store.listOrders({ started: false })).map((o) => o.paymentId), ['d', 'c']);
    assert.deepEqual((await store.listOrders({ customerId: 'kim', started: true, statuses: ['PENDING'] })).map((o) => [o.paymentId, o.startedAt]), [['b', 11]]);
  });

  test(`${adapter.name}: updatePendingIssue changes details only while PENDING, for the same customer and plan`, async (t) => {
    const store = await adapter.open(t);
    await store.createIssue({ issueId: 'i1', issueName: '월간 구독', customerId: 'cus_x', customerIdAssigned: true, customer: { customerId: 'cus_x' }, plan: 'monthly', status: 'PENDING', createdAt: 1 });
    assert.equal((await store.getIssue('i1'))?.customerIdAssigned, true);
    assert.equal(await store.updatePendingIssue({ issueId: 'i1', customerId: 'cus_y', plan: 'monthly', customer: { fullName: 'x' } }), false);
    assert.equal(await store.updatePendingIssue({ issueId: 'i1', customerId: 'cus_x', customer: { fullName: 'x' } }), false, 'no plan is another plan');
    assert.equal(await store.updatePendingIssue({ issueId: 'i1', customerId: 'cus_x', plan: 'monthly', customer: { customerId: 'cus_x', fullName: '김하나' } }), true);
    assert.deepEqual((await store.getIssue('i1'))?.customer, { customerId: 'cus_x', fullName: '김하나' });
  });

  test(`${adapter.name}: events are claimed by one runner, retried when due, taken over when a lease expires`, async (t) => {
    const store = await adapter.open(t);
    await store.createOrder(order('p1'));
    await store.transition({ paymentId: 'p1', revision: 0, to: 'PAID', events: [{ key: 'paid:p1', type: 'paid', paymentId: 'p1', payload: {} }], now: 100 });
    const [a, b] = await Promise.all([store.claimEvents({ claim: `h:3`, now: 100, leaseMs: 50, limit: 10 }), store.claimEvents({ claim: `h:4`, now: 100, leaseMs: 50, limit: 10 })]);
    assert.equal(a.length + b.length, 1, 'one claim wins');
    const claimed = [...a, ...b][0]!;
    assert.equal(claimed.attempts, 1);
    assert.equal(claimed.status, 'running');
    assert.equal((await store.claimEvents({ claim: `h:5`, now: 149, leaseMs: 50, limit: 10 })).length, 0, 'held while the lease runs');
    const taken = (await store.claimEvents({ claim: `h:6`, now: 150, leaseMs: 50, limit: 10 }))[0]!;
    assert.equal(taken.attempts, 2, 'an expired lease is taken over');
    assert.notEqual(taken.claim, claimed.claim, 'with a new claim');
    // The runner whose lease expired finishes late: its outcome is not recorded over the new runner's.
    assert.equal(await store.finishEvent({ id: claimed.id, claim: claimed.claim! }, { status: 'done', now: 160 }), false);
    assert.equal((await store.listEvents())[0]?.status, 'running');
    assert.equal(await store.finishEvent({ id: taken.id, claim: taken.claim! }, { status: 'pending', nextAttemptAt: 500, error: 'hook threw: boom' }), true);
    assert.equal((await store.claimEvents({ claim: `h:7`, now: 499, leaseMs: 50, limit: 10 })).length, 0, 'not before its backoff');
    assert.equal((await store.claimEvents({ claim: `h:8`, now: 499, leaseMs: 50, limit: 10, keys: ['paid:p1'] })).length, 0, 'named keys are not hurried either');
    const [again] = await store.claimEvents({ claim: `h:9`, now: 500, leaseMs: 50, limit: 10, keys: ['paid:p1'] });
    assert.equal(again?.attempts, 3);
    const [event] = await store.listEvents();
    assert.equal(event?.lastError, 'hook threw: boom');
    assert.equal(await store.finishEvent({ id: again!.id, claim: again!.claim! }, { status: 'done', now: 600 }), true);
    assert.equal(await store.finishEvent({ id: again!.id, claim: again!.claim! }, { status: 'dead', error: 'late', now: 700 }), false, 'a claim is used once');
    assert.equal((await store.claimEvents({ claim: `h:10`, now: 10_000, leaseMs: 50, limit: 10 })).length, 0, 'done is done');
    assert.equal((await store.claimEvents({ claim: `h:11`, now: 10_000, leaseMs: 50, limit: 10, keys: ['paid:p1'] })).length, 0);
    assert.deepEqual((await store.listEvents({ statuses: ['done'] })).map((e) => e.doneAt), [600]);
  });

  test(`${adapter.name}: transient failures are counted apart; dead events of the kit are revived with fresh attempts`, async (t) => {
    const store = await adapter.open(t);
    await store.createOrder(order('p1'));
    const events = [
      { key: 'schedule-period:p1', type: 'schedule-period' as const, paymentId: 'p1', payload: {} },
      { key: 'paid:p1', type: 'paid' as const, paymentId: 'p1', payload: {} },
    ];
    await store.transition({ paymentId: 'p1', revision: 0, to: 'PAID', events, now: 1 });
    let claimed = await store.claimEvents({ claim: `h:12`, now: 1, leaseMs: 50, limit: 10 });
    for (const e of claimed) await store.finishEvent({ id: e.id, claim: e.claim! }, { status: 'pending', nextAttemptAt: 2, error: 'PortOne unavailable', transient: true });
    claimed = await store.claimEvents({ claim: `h:13`, now: 2, leaseMs: 50, limit: 10 });
    assert.deepEqual(claimed.map((e) => [e.attempts, e.transientAttempts]), [[2, 1], [2, 1]]);
    for (const e of claimed) await store.finishEvent({ id: e.id, claim: e.claim! }, { status: 'dead', error: 'gave up', now: 3 });
    assert.equal(await store.reviveEvents({ types: ['schedule-period', 'charge-first-period'], now: 4 }), 1, 'only the kit follow-ups named');
    const [revived] = await store.claimEvents({ claim: `h:14`, now: 4, leaseMs: 50, limit: 10 });
    assert.deepEqual([revived?.key, revived?.attempts, revived?.transientAttempts], ['schedule-period:p1', 1, 0]);
    assert.equal((await store.listEvents({ statuses: ['dead'] }))[0]?.key, 'paid:p1', "the shop's hooks stay dead");
  });

  test(`${adapter.name}: FAILED orders are reconciled only while they still record a reservation (a later attempt's, to be released)`, async (t) => {
    const store = await adapter.open(t);
    for (const id of ['f-held', 'f-done', 'pending']) await store.createOrder(order(id, { createdAt: 5 }));
    await store.transition({ paymentId: 'f-held', revision: 0, to: 'FAILED', patch: { reservedAt: 7 }, now: 8 });
    await store.transition({ paymentId: 'f-done', revision: 0, to: 'FAILED', now: 8 });
    const query = { status: 'FAILED' as const, activeFrom: 0, activeTo: 100, now: 100, maxRecheckMs: 1_000, limit: 10, claim: { claim: 'h:f', leaseMs: 50 } };
    assert.deepEqual((await store.claimOrdersToReconcile(query)).map((o) => o.paymentId), ['f-held']);
    assert.deepEqual((await store.claimOrdersToReconcile({ ...query, status: 'PENDING' })).map((o) => o.paymentId), ['pending']);
  });

  test(`${adapter.name}: orders to reconcile: oldest activity first, after a cursor, skipping those checked recently; abandoned ones pruned`, async (t) => {
    const store = await adapter.open(t);
    for (const [id, at] of [['a', 10], ['b', 20], ['c', 30], ['d', 40]] as const) await store.createOrder(order(id, { createdAt: at }));
    await store.createOrder(order('scheduled', { kind: 'subscription', dueAt: 25, createdAt: 1 }));
    const query = { status: 'PENDING' as const, activeFrom: 0, activeTo: 100, now: 100, maxRecheckMs: 1_000, limit: 3, claim: { claim: 'h:r', leaseMs: -100 } };
    const ids = async (q: Partial<typeof query> & { after?: { activity: number; paymentId: string } } = {}) =>
      (await store.claimOrdersToReconcile({ ...query, ...q })).map((o) => o.paymentId);
    assert.deepEqual(await ids(), ['a', 'b', 'scheduled'], 'by activity: a scheduled charge counts from its due time');
    assert.deepEqual(await ids({ after: { activity: 25, paymentId: 'scheduled' } }), ['c', 'd']);
    assert.deepEqual(await ids({ activeFrom: 15, activeTo: 31 }), ['b', 'scheduled', 'c']);
    // a checked at 50, idle for 40 then: due again at 90; b checked at 90, idle for 70: due at 160, capped at 1090.
    await store.releaseReconciled('a', { checkedAt: 50 });
    await store.releaseReconciled('b', { checkedAt: 90 });
    assert.equal((await store.getOrder('a'))?.updatedAt, 10, 'a check is not activity');
    assert.deepEqual(await ids({ now: 89 }), ['scheduled', 'c', 'd']);
    assert.deepEqual(await ids({ now: 90 }), ['a', 'scheduled', 'c']);
    assert.deepEqual(await ids({ now: 159, limit: 10 }), ['a', 'scheduled', 'c', 'd']);
    assert.deepEqual(await ids({ now: 160, limit: 10 }), ['a', 'b', 'scheduled', 'c', 'd']);
    assert.deepEqual(await ids({ now: 160, limit: 10, maxRecheckMs: 30 }), ['a', 'b', 'scheduled', 'c', 'd']);
    assert.deepEqual(await ids({ now: 119, limit: 10, maxRecheckMs: 30 }), ['a', 'b', 'scheduled', 'c', 'd'].filter((id) => id !== 'b'));

    // Pruning: only never-started PENDING orders reconcile checked, idle before the cutoff; never a period.
    await store.releaseReconciled('c', { checkedAt: 90 });
    await store.releaseReconciled('scheduled', { checkedAt: 90 });
    await store.transition({ paymentId: 'd', revision: 0, to: 'PENDING', patch: { startedAt: 45 }, now: 45 });
    await store.releaseReconciled('d', { checkedAt: 90 });
    assert.deepEqual(await store.pruneAbandoned({ before: 41, limit: 100 }), { orders: 3, issues: 0, identityVerifications: 0 });
    assert.deepEqual((await store.listOrders()).map((o) => o.paymentId).sort(), ['d', 'scheduled']);
  });

  test(`${adapter.name}: webhook claims: new, duplicate, in progress, and a failed or abandoned one claimed again; only the current claim finishes it`, async (t) => {
    const store = await adapter.open(t);
    const claim = (now: number, token: string) => store.claimWebhook({ webhookId: 'w1', claim: token, type: 'Transaction.Paid', paymentId: 'p1', now, leaseMs: 100 });
    assert.equal(await claim(0, 'a:1'), 'claimed');
    assert.equal(await claim(10, 'b:1'), 'in-progress');
    assert.equal(await claim(100, 'b:2'), 'claimed', 'abandoned after the lease');
    assert.equal(await store.finishWebhook({ webhookId: 'w1', claim: 'a:1' }, 'processed', 'late'), false, 'the holder whose lease ran out records nothing');
    assert.equal(await store.finishWebhook({ webhookId: 'w1', claim: 'b:2' }, 'failed', 'PortOne unavailable'), true);
    assert.equal(await claim(120, 'c:1'), 'claimed', 'a failed delivery is processed again');
    assert.equal(await store.finishWebhook({ webhookId: 'w1', claim: 'c:1' }, 'processed', 'order PAID'), true);
    assert.equal(await claim(130, 'd:1'), 'duplicate');
    assert.equal(await store.finishWebhook({ webhookId: 'w1', claim: 'c:1' }, 'failed', 'again'), false, 'finished once');
    const [delivery] = await store.listWebhookDeliveries();
    assert.deepEqual(delivery, {
      webhookId: 'w1',
      type: 'Transaction.Paid',
      paymentId: 'p1',
      status: 'processed',
      receivedCount: 5,
      note: 'order PAID',
      firstReceivedAt: 0,
      lastReceivedAt: 130,
    });
  });

  test(`${adapter.name}: renewClaims keeps a live holder’s claims (events and webhook deliveries) and no one else’s`, async (t) => {
    const store = await adapter.open(t);
    await store.createOrder(order('p1'));
    await store.transition({ paymentId: 'p1', revision: 0, to: 'PAID', events: [{ key: 'e1', type: 'paid', paymentId: 'p1', payload: {} }, { key: 'e2', type: 'paid', paymentId: 'p1', payload: {} }], now: 0 });
    const [mine] = await store.claimEvents({ claim: 'alive:1', now: 0, leaseMs: 100, limit: 1 });
    const [theirs] = await store.claimEvents({ claim: 'dead:1', now: 0, leaseMs: 100, limit: 1 });
    assert.deepEqual([mine?.key, theirs?.key], ['e1', 'e2']);
    await store.claimWebhook({ webhookId: 'w-alive', claim: 'alive:2', type: 'Transaction.Paid', now: 0, leaseMs: 100 });
    await store.claimWebhook({ webhookId: 'w-dead', claim: 'dead:2', type: 'Transaction.Paid', now: 0, leaseMs: 100 });
    // A holder whose id merely starts like another's renews nothing of it.
    await store.renewClaims({ holder: 'aliv', until: 1_000 });
    await store.renewClaims({ holder: 'alive', until: 500 });
    assert.deepEqual((await store.claimEvents({ claim: 'other:1', now: 200, leaseMs: 100, limit: 10 })).map((e) => e.key), ['e2'], 'the dead holder’s event is taken over');
    assert.equal(await store.claimWebhook({ webhookId: 'w-dead', claim: 'other:2', type: 'Transaction.Paid', now: 200, leaseMs: 100 }), 'claimed');
    assert.equal(await store.claimWebhook({ webhookId: 'w-alive', claim: 'other:3', type: 'Transaction.Paid', now: 200, leaseMs: 100 }), 'in-progress');
    assert.equal(await store.finishEvent({ id: mine!.id, claim: 'alive:1' }, { status: 'done', now: 300 }), true, 'still its holder’s');
    assert.equal(await store.finishWebhook({ webhookId: 'w-alive', claim: 'alive:2' }, 'processed'), true);
    assert.equal(await store.claimWebhook({ webhookId: 'w-alive', claim: 'other:4', type: 'Transaction.Paid', now: 600, leaseMs: 100 }), 'duplicate');
  });

  test(`${adapter.name}: completeIssue stores key, subscription, first order and events once, only onto the issue the key was verified against`, async (t) => {
    const store = await adapter.open(t);
    await store.createIssue({ issueId: 'i1', issueName: '월간 구독', customerId: 'c1', plan: 'monthly', status: 'PENDING', createdAt: 1 });
    const subscription: Subscription = {
      id: 's1', customerId: 'c1', plan: 'monthly', billingKey: 'bk1', status: 'INCOMPLETE', amount: 9_900, currency: 'KRW',
      nextPaymentId: 'p1', nextChargeAt: 5, paidPeriods: 0, createdAt: 5, updatedAt: 5,
    };
    const completion = {
      issueId: 'i1',
      customerId: 'c1',
      plan: 'monthly',
      billingKey: 'bk1',
      key: { billingKey: 'bk1', customerId: 'c1', status: 'ISSUED' as const, issuedAt: '2026-01-01T00:00:00Z', updatedAt: 5, display: '1234-****' },
      subscription,
      firstOrder: order('p1', { kind: 'subscription', subscriptionId: 's1' }),
      events: [{ key: 'billing-key-issued:bk1', type: 'billing-key-issued' as const, payload: {} }],
      now: 5,
    };
    // Verified for another customer or plan than the issue holds: nothing is written.
    assert.equal(await store.completeIssue({ ...completion, customerId: 'c2' }), false);
    assert.equal(await store.completeIssue({ ...completion, plan: 'yearly' }), false);
    const { plan: _, ...withoutPlan } = completion;
    assert.equal(await store.completeIssue(withoutPlan), false);
    assert.equal((await store.getIssue('i1'))?.status, 'PENDING');
    const results = await Promise.all([store.completeIssue(completion), store.completeIssue(completion)]);
    assert.deepEqual(results.sort(), [false, true]);
    assert.deepEqual(await store.getIssue('i1'), { issueId: 'i1', issueName: '월간 구독', customerId: 'c1', plan: 'monthly', status: 'COMPLETED', billingKey: 'bk1', subscriptionId: 's1', paymentId: 'p1', createdAt: 1, completedAt: 5 });
    assert.deepEqual(await store.getSubscription('s1'), subscription);
    assert.equal((await store.getOrder('p1'))?.subscriptionId, 's1');
    assert.equal((await store.getBillingKey('bk1'))?.display, '1234-****');
    assert.deepEqual((await store.listBillingKeys({ customerId: 'c1' })).map((k) => k.billingKey), ['bk1']);
    assert.equal((await store.listEvents()).length, 1);
  });

  test(`${adapter.name}: updateSubscription is compare-and-set on status and next payment, null clears a field`, async (t) => {
    const store = await adapter.open(t);
    await store.createSubscription({ id: 's1', customerId: 'c1', plan: 'm', billingKey: 'bk', status: 'ACTIVE', amount: 1, currency: 'KRW', nextPaymentId: 'p1', scheduleId: 'sc1', paidPeriods: 1, createdAt: 1, updatedAt: 1 });
    const advance = { id: 's1', patch: { nextPaymentId: 'p2', scheduleId: null, paidPeriods: 2 }, expect: { nextPaymentId: 'p1' }, newOrder: order('p2'), now: 9 };
    assert.equal(await store.updateSubscription(advance), true);
    assert.equal(await store.updateSubscription(advance), false, 'the second advance from p1 loses');
    const after = await store.getSubscription('s1');
    assert.equal(after?.nextPaymentId, 'p2');
    assert.equal(after?.scheduleId, undefined);
    assert.equal(after?.paidPeriods, 2);
    assert.equal((await store.getOrder('p2'))?.status, 'PENDING');
    assert.equal(await store.updateSubscription({ id: 's1', patch: { status: 'PAST_DUE' }, expect: { statuses: ['CANCELLED'] }, now: 10 }), false);
    assert.deepEqual((await store.listSubscriptions({ statuses: ['ACTIVE'], customerId: 'c1', billingKey: 'bk' })).map((s) => s.id), ['s1']);
  });

  test(`${adapter.name}: two stores on one database: concurrent transitions still have exactly one winner, claims one holder`, async (t) => {
    const [a, b] = await adapter.openShared(t);
    await a.createOrder(order('p1'));
    const event = { key: 'paid:p1', type: 'paid' as const, paymentId: 'p1', payload: {} };
    const wins = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).transition({ paymentId: 'p1', revision: 0, to: 'PAID', events: [event], now: 5 })),
    );
    assert.equal(wins.filter(Boolean).length, 1);
    assert.equal((await b.getOrder('p1'))?.status, 'PAID');
    const claims = await Promise.all([a.claimEvents({ claim: `h:15`, now: 5, leaseMs: 1000, limit: 5 }), b.claimEvents({ claim: `h:16`, now: 5, leaseMs: 1000, limit: 5 })]);
    assert.equal(claims.flat().length, 1);
  });

  test(`${adapter.name}: a manual approval on an issue is compare-and-set on its attempt; completing the issue drops the token`, async (t) => {
    const store = await adapter.open(t);
    await store.createIssue({ issueId: 'i1', issueName: '월간 구독', customerId: 'c1', status: 'PENDING', createdAt: 1 });
    const approval = { token: 'tok-1', attempt: 1, receivedAt: 5 };
    const event = { key: 'confirm-billing-key:i1:1', type: 'confirm-billing-key' as const, payload: { issueId: 'i1' } };
    const results = await Promise.all([1, 2].map(() => store.changeIssueApproval({ issueId: 'i1', attempt: 0, patch: { approval }, events: [event], now: 5 })));
    assert.deepEqual(results.sort(), [false, true], 'one of two at once');
    assert.deepEqual((await store.getIssue('i1'))?.approval, approval);
    assert.deepEqual((await store.listEvents()).map((e) => e.key), ['confirm-billing-key:i1:1']);
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 0, patch: { reservedAt: 6 }, now: 6 }), false, 'decided on a stale attempt');
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 1, patch: { reservedAt: 6, failure: { code: 'RESERVATION_REFUSED', shopperMessage: '마감되었습니다' } }, now: 6 }), true);
    assert.deepEqual([(await store.getIssue('i1'))?.reservedAt, (await store.getIssue('i1'))?.failure?.shopperMessage], [6, '마감되었습니다']);
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 1, patch: { approval: null, failure: null }, now: 7 }), true, 'null clears');
    assert.deepEqual([(await store.getIssue('i1'))?.approval, (await store.getIssue('i1'))?.failure], [undefined, undefined]);
    // An ended approval keeps its number in its failure: the next is decided on it, and one decided
    // on the issue as it stood before that approval (attempt 0) fails.
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 0, patch: { approval: { token: 'tok-2', attempt: 1, receivedAt: 8 } }, now: 8 }), true);
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 1, patch: { approval: null, failure: { code: 'APPROVAL_EXPIRED', attempt: 1 } }, now: 8 }), true);
    assert.deepEqual((await store.getIssue('i1'))?.failure, { code: 'APPROVAL_EXPIRED', attempt: 1 });
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 0, patch: { approval: { token: 'tok-1', attempt: 1, receivedAt: 8 } }, now: 8 }), false, 'decided before the ended approval');
    // An ended approval changes no more (a stalled run of its follow-up that resumes).
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 1, patch: { reservedAt: 8 }, now: 8 }), false, 'reserving for an ended approval');
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 1, patch: { approval: null, failure: { code: 'CONFIRM_FAILED', attempt: 1 } }, now: 8 }), false, 'ending it again');
    assert.deepEqual((await store.getIssue('i1'))?.failure, { code: 'APPROVAL_EXPIRED', attempt: 1 });
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 1, patch: { approval: { token: 'tok-3', attempt: 2, receivedAt: 8 }, failure: null }, now: 8 }), true, 'the next after the ended one');
    assert.deepEqual([(await store.getIssue('i1'))?.approval?.token, (await store.getIssue('i1'))?.failure], ['tok-3', undefined]);
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 2, patch: { failure: { code: 'CONFIRM_FAILED', attempt: 5 } }, now: 8 }), true, 'a failure kept beside the approval in progress');
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 5, patch: { approval: { token: 'tok-4', attempt: 6, receivedAt: 8 } }, now: 8 }), false, 'the approval in progress numbers the issue, not the failure');
    const key = { billingKey: 'bk1', customerId: 'c1', status: 'ISSUED' as const, issuedAt: '2026-01-01T00:00:00Z', updatedAt: 9 };
    assert.equal(await store.completeIssue({ issueId: 'i1', customerId: 'c1', billingKey: 'bk1', key, events: [], now: 9 }), true);
    assert.equal((await store.getIssue('i1'))?.approval, undefined, 'the token is not kept once used');
    assert.equal(await store.changeIssueApproval({ issueId: 'i1', attempt: 2, patch: { reservedAt: 10 }, now: 10 }), false, 'a completed issue changes no more');
  });

  test(`${adapter.name}: pruning billing-key issues: old PENDING ones go, unless a manual approval or a reservation of theirs has yet to end`, async (t) => {
    const store = await adapter.open(t);
    const issue = (issueId: string, createdAt = 1) => store.createIssue({ issueId, issueName: '월간 구독', customerId: 'c1', status: 'PENDING', createdAt });
    const approve = (issueId: string, attempt: number) =>
      store.changeIssueApproval({ issueId, attempt: attempt - 1, patch: { approval: { token: `tok-${issueId}`, attempt, receivedAt: 2 } }, now: 2 });
    await issue('plain');
    await issue('approving');
    assert.equal(await approve('approving', 1), true);
    await issue('reserved');
    assert.equal(await approve('reserved', 1), true);
    assert.equal(await store.changeIssueApproval({ issueId: 'reserved', attempt: 1, patch: { reservedAt: 3 }, now: 3 }), true);
    await issue('ended');
    assert.equal(await approve('ended', 1), true);
    assert.equal(await store.changeIssueApproval({ issueId: 'ended', attempt: 1, patch: { approval: null, reservedAt: null, failure: { code: 'RESERVATION_REFUSED', attempt: 1 } }, now: 4 }), true);
    await issue('recent', 20);
    assert.deepEqual(await store.pruneAbandoned({ before: 10, limit: 100 }), { orders: 0, issues: 2, identityVerifications: 0 });
    const left = await Promise.all(['plain', 'approving', 'reserved', 'ended', 'recent'].map(async (id) => [id, (await store.getIssue(id)) !== undefined]));
    assert.deepEqual(left, [['plain', false], ['approving', true], ['reserved', true], ['ended', false], ['recent', true]]);
  });

  test(`${adapter.name}: identity verifications: created PENDING, details updated while PENDING, settled once (with its events), pruned only while PENDING`, async (t) => {
    const store = await adapter.open(t);
    const record = { identityVerificationId: 'idv1', customerId: 'c1', customer: { customerId: 'c1', fullName: '김하나' }, status: 'PENDING' as const, createdAt: 1, updatedAt: 1 };
    await store.createIdentityVerification(record);
    await assert.rejects(store.createIdentityVerification(record), 'an id is created once');
    await store.createIdentityVerification({ ...record, identityVerificationId: 'idv2', customerId: 'c2', customerIdAssigned: true, customer: { customerId: 'c2' } });
    assert.deepEqual(await store.getIdentityVerification('idv1'), record);
    assert.equal((await store.getIdentityVerification('idv2'))?.customerIdAssigned, true);
    assert.equal(await store.getIdentityVerification('nope'), undefined);

    assert.equal(await store.updatePendingIdentityVerification({ identityVerificationId: 'idv1', customerId: 'c9', customer: { customerId: 'c9' }, now: 2 }), false, 'another customer');
    assert.equal(await store.updatePendingIdentityVerification({ identityVerificationId: 'idv1', customerId: 'c1', customer: { customerId: 'c1', fullName: '김둘', phoneNumber: '01012345678' }, now: 2 }), true);
    assert.deepEqual([(await store.getIdentityVerification('idv1'))?.customer?.fullName, (await store.getIdentityVerification('idv1'))?.updatedAt], ['김둘', 2]);

    const event = { key: 'identity-verified:idv1', type: 'identity-verified' as const, payload: { identityVerificationId: 'idv1' } };
    const settle = (status: 'VERIFIED' | 'REJECTED') =>
      store.settleIdentityVerification({
        identityVerificationId: 'idv1',
        customerId: 'c1',
        status,
        ...(status === 'VERIFIED' ? { verifiedAt: '2026-12-01T00:00:00Z' } : { rejection: { code: 'UNDER_AGE', reason: 'younger' } }),
        events: status === 'VERIFIED' ? [event] : [],
        now: 3,
      });
    assert.equal(await store.settleIdentityVerification({ identityVerificationId: 'idv1', customerId: 'c9', status: 'VERIFIED', events: [event], now: 3 }), false, 'checked against another customer');
    const results = await Promise.all([settle('VERIFIED'), settle('REJECTED')]);
    assert.deepEqual(results.filter(Boolean).length, 1, 'settled once');
    const settled = await store.getIdentityVerification('idv1');
    if (settled?.status === 'VERIFIED') {
      assert.equal(settled.verifiedAt, '2026-12-01T00:00:00Z');
      assert.deepEqual((await store.listEvents()).map((e) => e.key), ['identity-verified:idv1']);
    } else {
      assert.deepEqual(settled?.rejection, { code: 'UNDER_AGE', reason: 'younger' });
      assert.deepEqual(await store.listEvents(), [], 'a rejection writes no event');
    }
    assert.equal(await store.updatePendingIdentityVerification({ identityVerificationId: 'idv1', customerId: 'c1', now: 4 }), false, 'settled: details stay');

    assert.deepEqual(await store.pruneAbandoned({ before: 10, limit: 100 }), { orders: 0, issues: 0, identityVerifications: 1 });
    assert.equal(await store.getIdentityVerification('idv2'), undefined, 'the PENDING one went');
    assert.equal((await store.getIdentityVerification('idv1'))?.status, settled?.status, 'a settled one stays');
  });

  test(`${adapter.name}: an order's approval and reservation round-trip through transitions; null clears the approval`, async (t) => {
    const store = await adapter.open(t);
    await store.createOrder(order('p1'));
    const approval = { token: 'tok-1', via: 'payment' as const, attempt: 1, receivedAt: 5 };
    await store.transition({ paymentId: 'p1', revision: 0, to: 'PENDING', patch: { approval }, now: 5 });
    await store.transition({ paymentId: 'p1', revision: 1, to: 'PENDING', patch: { reservedAt: 6 }, now: 6 });
    assert.deepEqual([(await store.getOrder('p1'))?.approval, (await store.getOrder('p1'))?.reservedAt], [approval, 6]);
    await store.transition({ paymentId: 'p1', revision: 2, to: 'PAID', patch: { approval: null }, now: 7 });
    const after = await store.getOrder('p1');
    assert.deepEqual([after?.status, after?.approval, after?.reservedAt], ['PAID', undefined, 6]);
  });

  test(`${adapter.name}: a reconcile run claims the orders it takes; another run at the same time takes others; a release frees them`, async (t) => {
    const [a, b] = await adapter.openShared(t);
    for (let i = 0; i < 6; i++) await a.createOrder(order(`r${i}`, { createdAt: 10 + i }));
    const query = { status: 'PENDING' as const, activeFrom: 0, activeTo: 100, now: 100, maxRecheckMs: 1_000, limit: 4, claim: { claim: 'run:1', leaseMs: 100 } };
    const [first, second] = await Promise.all([a.claimOrdersToReconcile(query), b.claimOrdersToReconcile(query)]);
    const ids = [...first, ...second].map((o) => o.paymentId);
    assert.equal(ids.length, 6, 'every order taken once');
    assert.equal(new Set(ids).size, 6, 'no order taken by both runs');
    for (const run of [first, second]) assert.deepEqual(run.map((o) => o.paymentId), [...run.map((o) => o.paymentId)].sort(), 'oldest activity first');
    assert.deepEqual(await a.claimOrdersToReconcile(query), [], 'all held until 200');
    await a.releaseReconciled('r0', {});
    await a.releaseReconciled('r1', { checkedAt: 100 });
    assert.deepEqual((await b.claimOrdersToReconcile(query)).map((o) => o.paymentId), ['r0'], 'released without a check: free at once; checked: due again later');
    // A live run renews its claims; a dead one's lapse.
    await a.renewClaims({ holder: 'run', until: 250 });
    assert.deepEqual((await b.claimOrdersToReconcile({ ...query, now: 200, limit: 10, claim: { claim: 'other:1', leaseMs: 100 } })).map((o) => o.paymentId), ['r1'], 'renewed by their holder: still held at 200 (r1, released, is due again)');
    assert.deepEqual((await b.claimOrdersToReconcile({ ...query, now: 250, limit: 10, claim: { claim: 'other:2', leaseMs: 100 } })).map((o) => o.paymentId), ['r0', 'r2', 'r3', 'r4', 'r5'], 'lapsed claims are taken again');
  });
}
