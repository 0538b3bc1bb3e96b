// One order per element, not one per prepare: a re-prepare that names the element's previous
// paymentId (or issueId) updates that order in place — new price, registered again with PortOne —
// when it is still PENDING, the same customer's, and no window was opened for it. Every other case
// creates a new order and leaves the previous one exactly as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PreparedPayment } from '../../src/contract.js';
import type { CheckoutStore } from '../../src/server/index.js';
import { createSqliteStore } from '../../src/server/store/sqlite.js';
import { BUYER, CART, eventually, issueKey, prepareBillingKey, startEnv, type Env, type EnvOptions } from './harness.js';
import { call, post } from './support.js';

const TWO_BEANS = { items: [{ id: 'beans', quantity: 2 }], customer: BUYER };

/** Without webhooks the kit only learns what the tests tell it (a window opened, a payment made). */
const quietEnv = async (t: Parameters<typeof startEnv>[0], kit: EnvOptions['kit'] = {}) => {
  const env = await startEnv(t, { kit });
  env.sandbox.setWebhookUrls([]);
  return env;
};

/** The window's first step, as the SDK runtime does it: PortOne now holds a READY payment. */
async function openWindow(env: Env, prepared: Pick<PreparedPayment, 'paymentId' | 'orderName' | 'totalAmount' | 'currency' | 'customData' | 'customer'>): Promise<string> {
  const answer = await fetch(`${env.sandbox.url}/checkout/prepare`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      transactionType: 'PAYMENT',
      request: { storeId: env.sandbox.storeId, channelKey: env.sandbox.channelKeys.payment, paymentId: prepared.paymentId, orderName: prepared.orderName, totalAmount: prepared.totalAmount, currency: prepared.currency, payMethod: 'CARD', customer: { ...BUYER, ...prepared.customer }, customData: prepared.customData },
      client: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0' },
    }),
  });
  const body = (await answer.json()) as { txId: string };
  assert.equal(answer.status, 200, JSON.stringify(body));
  assert.equal(env.sandbox.payment(prepared.paymentId)?.status, 'READY');
  return body.txId;
}

/** The shopper approves an open window. */
async function approve(env: Env, txId: string) {
  const answer = await fetch(`${env.sandbox.url}/checkout/transactions/${encodeURIComponent(txId)}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: { result: 'approve' } }),
  });
  assert.equal(answer.status, 200);
  return ((await answer.json()) as { response: { paymentId: string } }).response;
}

/** The order's fields a refused reuse must leave alone. */
const priced = (order: Awaited<ReturnType<Env['kit']['getOrder']>>) => order && { totalAmount: order.totalAmount, lines: order.lines, revision: order.revision, status: order.status, customer: order.customer };

test('a re-prepare updates the element’s order in place: same paymentId, new price registered with PortOne', async (t) => {
  const env = await quietEnv(t);
  const first = await env.prepare(CART);
  const second = await env.prepare({ ...TWO_BEANS, payMethod: 'TRANSFER', previousPaymentId: first.paymentId });
  assert.equal(second.paymentId, first.paymentId);
  assert.deepEqual(second.customData, first.customData, 'the same order id');
  assert.equal(second.totalAmount, 64_000);
  const orders = await env.kit.listOrders();
  assert.equal(orders.length, 1, 'one order, not two');
  assert.deepEqual([orders[0]!.totalAmount, orders[0]!.lines[0]!.quantity, orders[0]!.payMethod, orders[0]!.revision], [64_000, 2, 'TRANSFER', 1]);
  // PortOne holds the new amount: the old one fails in the window itself, the new one pays.
  await assert.rejects(env.pay(first), /사전 등록된 결제 정보와 일치하지 않습니다/);
  const complete = await env.post('/payments/complete', await env.pay(second));
  assert.equal(complete.status, 200, JSON.stringify(complete.body));
  assert.deepEqual([complete.body.order.status, complete.body.order.totalAmount], ['PAID', 64_000]);
  assert.equal(env.hooks.paid.length, 1);
});

test('an unknown previousPaymentId creates a new order and reveals nothing', async (t) => {
  const env = await quietEnv(t);
  const answer = await env.post('/payments/prepare', { ...CART, previousPaymentId: 'pay_AAAAAAAAAAAAAAAAAAAAAA' });
  assert.equal(answer.status, 200);
  assert.notEqual(answer.body.paymentId, 'pay_AAAAAAAAAAAAAAAAAAAAAA');
  assert.equal((await env.kit.listOrders()).length, 1);
});

test('another customer’s order is never repriced: a new order, the other one untouched', async (t) => {
  const env = await quietEnv(t);
  const theirs = await env.prepare({ ...CART, customer: { ...BUYER, customerId: 'member-lee' } });
  const before = priced(await env.kit.getOrder(theirs.paymentId));
  for (const customer of [{ ...BUYER, customerId: 'member-kim' }, BUYER]) {
    const mine = await env.prepare({ ...TWO_BEANS, customer, previousPaymentId: theirs.paymentId });
    assert.notEqual(mine.paymentId, theirs.paymentId);
    assert.deepEqual(priced(await env.kit.getOrder(theirs.paymentId)), before);
  }
  // And the guest's order is not the member's to take either.
  const guests = await env.prepare(CART);
  const member = await env.prepare({ ...TWO_BEANS, customer: { ...BUYER, customerId: 'member-kim' }, previousPaymentId: guests.paymentId });
  assert.notEqual(member.paymentId, guests.paymentId);
  // Still payable at its own price.
  const complete = await env.post('/payments/complete', await env.pay(theirs));
  assert.deepEqual([complete.body.order.status, complete.body.order.totalAmount], ['PAID', 32_000]);
});

test('a paid, failed or started order is never repriced', async (t) => {
  const env = await quietEnv(t);
  const paid = await env.prepare(CART);
  await env.post('/payments/complete', await env.pay(paid));
  const failed = await env.prepare(CART);
  await env.post('/payments/complete', await env.pay(failed, { result: 'decline' }));
  for (const previous of [paid, failed]) {
    const before = await env.kit.getOrder(previous.paymentId);
    const again = await env.prepare({ ...TWO_BEANS, previousPaymentId: previous.paymentId });
    assert.notEqual(again.paymentId, previous.paymentId);
    assert.deepEqual(await env.kit.getOrder(previous.paymentId), before);
  }
  // A window the kit was told about (PortOne's Transaction.Ready webhook) marks the order started.
  env.sandbox.setWebhookUrls([`${env.served.url}/webhooks`]);
  const opened = await env.prepare(CART);
  await openWindow(env, opened);
  await env.sandbox.flushWebhooks();
  assert.equal(typeof (await env.kit.getOrder(opened.paymentId))?.startedAt, 'number');
  const again = await env.prepare({ ...TWO_BEANS, previousPaymentId: opened.paymentId });
  assert.notEqual(again.paymentId, opened.paymentId);
  assert.equal((await env.kit.getOrder(opened.paymentId))?.totalAmount, 32_000);
});

test('a window PortOne knows about and the kit does not: the order is left to it, and marked started', async (t) => {
  const env = await quietEnv(t);
  const prepared = await env.prepare(CART);
  const txId = await openWindow(env, prepared);
  const before = priced(await env.kit.getOrder(prepared.paymentId));
  const again = await env.prepare({ ...TWO_BEANS, previousPaymentId: prepared.paymentId });
  assert.notEqual(again.paymentId, prepared.paymentId);
  const after = await env.kit.getOrder(prepared.paymentId);
  assert.deepEqual(priced(after), before);
  assert.equal(typeof after?.startedAt, 'number');
  // The open window pays what it showed, and that is what the order still says.
  const complete = await env.post('/payments/complete', await approve(env, txId));
  assert.deepEqual([complete.body.order.status, complete.body.order.totalAmount], ['PAID', 32_000]);
  assert.equal(env.hooks.paid.length, 1);
});

test('the race with a completed payment: paid at PortOne, not yet at the kit — never repriced, fulfilled at its price', async (t) => {
  const env = await quietEnv(t);
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared); // PAID at PortOne; complete has not arrived, no webhook
  const again = await env.prepare({ ...TWO_BEANS, previousPaymentId: prepared.paymentId });
  assert.notEqual(again.paymentId, prepared.paymentId);
  assert.equal((await env.kit.getOrder(prepared.paymentId))?.totalAmount, 32_000);
  const complete = await env.post('/payments/complete', result);
  assert.deepEqual([complete.status, complete.body.order.status, complete.body.order.totalAmount], [200, 'PAID', 32_000]);
  assert.equal(env.hooks.paid.length, 1);
});

/** A store whose first reprice lets `meanwhile` run right after it commits: PortOne changes between the kit's look and its update. */
function storeWithRace(meanwhile: (paymentId: string) => Promise<void>): CheckoutStore {
  const store = createSqliteStore({ path: ':memory:' });
  let raced = false;
  return {
    ...store,
    async repriceOrder(change) {
      const won = await store.repriceOrder(change);
      if (won && !raced) {
        raced = true;
        await meanwhile(change.paymentId);
      }
      return won;
    },
  };
}

test('the race with a payment completed while the kit reprices: PortOne refuses the new amount, the order gets its price back', async (t) => {
  let env: Env;
  let prepared: PreparedPayment;
  let result: Awaited<ReturnType<Env['pay']>> | undefined;
  env = await quietEnv(t, { store: storeWithRace(async () => void (result = await env.pay(prepared))) });
  prepared = await env.prepare(CART);
  const again = await env.prepare({ ...TWO_BEANS, previousPaymentId: prepared.paymentId });
  assert.ok(result, 'the payment went through between the check and the update');
  assert.notEqual(again.paymentId, prepared.paymentId);
  const order = await env.kit.getOrder(prepared.paymentId);
  assert.deepEqual([order?.totalAmount, order?.lines[0]?.quantity, order?.revision], [32_000, 1, 2], 'repriced, then put back');
  const complete = await env.post('/payments/complete', result);
  assert.deepEqual([complete.status, complete.body.order.status, complete.body.order.totalAmount], [200, 'PAID', 32_000]);
  assert.equal(env.hooks.paid.length, 1);
  assert.equal((await env.kit.getOrder(again.paymentId))?.totalAmount, 64_000);
});

test('the race with a window opened while the kit reprices: the order keeps the price that window shows', async (t) => {
  let env: Env;
  let prepared: PreparedPayment;
  let txId: string | undefined;
  env = await quietEnv(t, { store: storeWithRace(async () => void (txId = await openWindow(env, prepared))) });
  prepared = await env.prepare(CART);
  const again = await env.prepare({ ...TWO_BEANS, previousPaymentId: prepared.paymentId });
  assert.ok(txId, 'the window opened between the check and the update');
  assert.notEqual(again.paymentId, prepared.paymentId);
  const order = await env.kit.getOrder(prepared.paymentId);
  assert.deepEqual([order?.totalAmount, order?.status, typeof order?.startedAt], [32_000, 'PENDING', 'number']);
  const complete = await env.post('/payments/complete', await approve(env, txId!));
  assert.deepEqual([complete.status, complete.body.order.status, complete.body.order.totalAmount], [200, 'PAID', 32_000]);
  // The new order has its own registered price.
  const paidNew = await env.post('/payments/complete', await env.pay(again));
  assert.deepEqual([paidNew.body.order.status, paidNew.body.order.totalAmount], ['PAID', 64_000]);
});

test('two re-prepares of one order at once: one reprices it, the other gets a new order, each registered at its own price', async (t) => {
  const env = await quietEnv(t);
  const first = await env.prepare(CART);
  const [a, b] = await Promise.all([
    env.prepare({ ...TWO_BEANS, previousPaymentId: first.paymentId }),
    env.prepare({ items: [{ id: 'dripper', quantity: 1 }], customer: BUYER, previousPaymentId: first.paymentId }),
  ]);
  const ids = [a.paymentId, b.paymentId];
  assert.equal(ids.filter((id) => id === first.paymentId).length, 1, JSON.stringify(ids));
  for (const prepared of [a, b]) {
    const complete = await env.post('/payments/complete', await env.pay(prepared));
    assert.deepEqual([complete.body.order.status, complete.body.order.totalAmount], ['PAID', prepared.totalAmount]);
  }
});

test('billing-key-and-pay re-prepares its own order, never a payment’s, and only for the same plan', async (t) => {
  const plans = { phone: { name: '월간 매거진', amount: 5_900, currency: 'KRW' as const, interval: '1m' }, yearly: { name: '연간 매거진', amount: 59_000, currency: 'KRW' as const, interval: '1y' } };
  const env = await quietEnv(t, { plans });
  const payment = await env.prepare({ ...CART, customer: { ...BUYER, customerId: 'member-kim' } });
  const crossed = await env.post('/billing-key-and-pay/prepare', { plan: 'phone', customer: { customerId: 'member-kim' }, previousPaymentId: payment.paymentId });
  assert.notEqual(crossed.body.paymentId, payment.paymentId);
  assert.equal((await env.kit.getOrder(payment.paymentId))?.kind, 'payment');
  const same = await env.post('/billing-key-and-pay/prepare', { plan: 'phone', customer: { ...BUYER, customerId: 'member-kim' }, previousPaymentId: crossed.body.paymentId });
  assert.equal(same.body.paymentId, crossed.body.paymentId);
  assert.deepEqual([same.body.totalAmount, same.body.customer.fullName], [5_900, BUYER.fullName]);
  const otherPlan = await env.post('/billing-key-and-pay/prepare', { plan: 'yearly', customer: { customerId: 'member-kim' }, previousPaymentId: crossed.body.paymentId });
  assert.notEqual(otherPlan.body.paymentId, crossed.body.paymentId);
  assert.equal((await env.kit.getOrder(crossed.body.paymentId))?.plan, 'phone');
});

test('a malformed previousPaymentId or previousIssueId is a 400 naming it; nothing is created', async (t) => {
  const env = await quietEnv(t);
  for (const [route, body, code, message] of [
    ['/payments/prepare', { ...CART, previousPaymentId: '../pay_1' }, 'INVALID_PAYMENT_ID', /previousPaymentId: expected 1–64 printable ASCII characters without "\/", "\\" or "\.\." \(an id the kit issued\), got "\.\.\/pay_1"/],
    ['/payments/prepare', { ...CART, previousPaymentId: 42 }, 'INVALID_REQUEST', /previousPaymentId: expected a string, got number 42/],
    ['/billing-keys/prepare', { customer: BUYER, previousIssueId: 'iss\u0000' }, 'INVALID_REQUEST', /previousIssueId: expected 1–64 printable ASCII/],
  ] as const) {
    const answer = await call(env.kit, post(route, body));
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    assert.equal(answer.body.code, code);
    assert.match(answer.body.message, message);
  }
  assert.deepEqual(await env.kit.listOrders(), []);
});

test('billing-key issues: the element’s previous issue gets the new details; another customer’s, another plan’s or a completed one never', async (t) => {
  const plans = { monthly: { name: '월간 원두 구독', amount: 29_000, currency: 'KRW' as const, interval: '1m' }, yearly: { name: '연간 원두 구독', amount: 290_000, currency: 'KRW' as const, interval: '1y' } };
  const env = await startEnv(t, { kit: { plans } });
  const kim = { ...BUYER, customerId: 'member-kim' };
  const first = await prepareBillingKey(env, { plan: 'monthly', customer: kim });
  const edited = await prepareBillingKey(env, { plan: 'monthly', customer: { ...kim, fullName: '김하나둘', email: 'new@example.com' }, previousIssueId: first.issueId });
  assert.equal(edited.issueId, first.issueId);
  assert.deepEqual(edited.customer, { ...kim, fullName: '김하나둘', email: 'new@example.com' });
  assert.equal(edited.issueName, first.issueName);

  for (const body of [
    { plan: 'monthly', customer: { ...BUYER, customerId: 'member-lee' } },
    { plan: 'monthly', customer: BUYER },
    { plan: 'yearly', customer: kim },
    { customer: kim },
  ]) {
    const other = await prepareBillingKey(env, { ...body, previousIssueId: first.issueId });
    assert.notEqual(other.issueId, first.issueId, JSON.stringify(body));
  }
  // The issue completes with its plan and customer; once completed it is never reused.
  const issued = await issueKey(env, edited);
  const complete = await env.post('/billing-keys/complete', { billingKey: issued.billingKey, issueId: first.issueId });
  assert.equal(complete.status, 200, JSON.stringify(complete.body));
  assert.deepEqual([complete.body.billingKey.customerId, complete.body.subscription.plan], ['member-kim', 'monthly']);
  const after = await prepareBillingKey(env, { plan: 'monthly', customer: kim, previousIssueId: first.issueId });
  assert.notEqual(after.issueId, first.issueId);
  await eventually(() => env.hooks.billingKeyIssued.length === 1, 'the key stored once');
});
