// An order's price never changes: PortOne may hold a payment for a paymentId as soon as the browser
// has it, so a re-prepare with a changed cart (or changed details) gets a new order and leaves the
// previous one exactly as it was — a window still open for it pays what it showed, and an abandoned
// one is pruned later. Only a re-prepare that would create exactly the element's previous order
// (same flow, plan, customer, price and details, still PENDING, never seen started) answers it again.
// Billing-key issues carry no price: the element's previous issue takes the shopper's new details.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PreparedPayment } from '../../src/contract.js';
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

test('a re-prepare with a changed cart gets a new order; the previous one keeps its price, and its window still pays it', async (t) => {
  const env = await quietEnv(t);
  const first = await env.prepare(CART);
  const second = await env.prepare({ ...TWO_BEANS, payMethod: 'TRANSFER', previousPaymentId: first.paymentId });
  assert.notEqual(second.paymentId, first.paymentId);
  assert.notDeepEqual(second.customData, first.customData, 'a new order id too');
  assert.equal(second.totalAmount, 64_000);
  const orders = await env.kit.listOrders();
  assert.deepEqual(orders.map((o) => [o.totalAmount, o.revision, o.status]).sort(), [[32_000, 0, 'PENDING'], [64_000, 0, 'PENDING']]);
  // Each id is registered with PortOne at its own price: both windows pay what they showed.
  for (const prepared of [first, second]) {
    const complete = await env.post('/payments/complete', await env.pay(prepared));
    assert.equal(complete.status, 200, JSON.stringify(complete.body));
    assert.deepEqual([complete.body.order.status, complete.body.order.totalAmount], ['PAID', prepared.totalAmount]);
  }
  assert.deepEqual(env.hooks.paid.map((e) => e.order.lines[0]!.quantity).sort(), [1, 2]);
});

test('a re-prepare that would create exactly the previous order answers it again; any change of price or details makes a new one', async (t) => {
  const env = await quietEnv(t);
  const first = await env.prepare(CART);
  const same = await env.prepare({ ...CART, previousPaymentId: first.paymentId });
  assert.deepEqual(same, first, 'the same answer, nothing written');
  assert.equal((await env.kit.getOrder(first.paymentId))?.revision, 0);
  for (const changed of [{ ...CART, payMethod: 'TRANSFER' }, { ...CART, customer: { ...BUYER, fullName: '김두나' } }, { ...CART, items: [{ id: 'beans', quantity: 1 }, { id: 'sticker', quantity: 1 }] }]) {
    const other = await env.prepare({ ...changed, previousPaymentId: first.paymentId });
    assert.notEqual(other.paymentId, first.paymentId, JSON.stringify(changed));
  }
  assert.deepEqual((await env.kit.getOrder(first.paymentId))?.totalAmount, 32_000);
  assert.equal((await env.kit.listOrders()).length, 4);
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

test('a window PortOne knows about and the kit does not: the order is left to it', async (t) => {
  const env = await quietEnv(t);
  const prepared = await env.prepare(CART);
  const txId = await openWindow(env, prepared);
  const before = priced(await env.kit.getOrder(prepared.paymentId));
  const again = await env.prepare({ ...TWO_BEANS, previousPaymentId: prepared.paymentId });
  assert.notEqual(again.paymentId, prepared.paymentId);
  assert.deepEqual(priced(await env.kit.getOrder(prepared.paymentId)), before);
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

test('two re-prepares naming one order at once: two new orders, each registered at its own price, the first untouched', async (t) => {
  const env = await quietEnv(t);
  const first = await env.prepare(CART);
  const [a, b] = await Promise.all([
    env.prepare({ ...TWO_BEANS, previousPaymentId: first.paymentId }),
    env.prepare({ items: [{ id: 'dripper', quantity: 1 }], customer: BUYER, previousPaymentId: first.paymentId }),
  ]);
  assert.equal(new Set([first.paymentId, a.paymentId, b.paymentId]).size, 3);
  for (const prepared of [first, a, b]) {
    const complete = await env.post('/payments/complete', await env.pay(prepared));
    assert.deepEqual([complete.body.order.status, complete.body.order.totalAmount], ['PAID', prepared.totalAmount]);
  }
});

test('billing-key-and-pay answers its own unchanged order again, never a payment’s, and only for the same plan', async (t) => {
  const plans = { phone: { name: '월간 매거진', amount: 5_900, currency: 'KRW' as const, interval: '1m' }, yearly: { name: '연간 매거진', amount: 59_000, currency: 'KRW' as const, interval: '1y' } };
  const env = await quietEnv(t, { plans });
  const payment = await env.prepare({ ...CART, customer: { ...BUYER, customerId: 'member-kim' } });
  const crossed = await env.post('/billing-key-and-pay/prepare', { plan: 'phone', customer: { customerId: 'member-kim' }, previousPaymentId: payment.paymentId });
  assert.notEqual(crossed.body.paymentId, payment.paymentId);
  assert.equal((await env.kit.getOrder(payment.paymentId))?.kind, 'payment');
  const same = await env.post('/billing-key-and-pay/prepare', { plan: 'phone', customer: { customerId: 'member-kim' }, previousPaymentId: crossed.body.paymentId });
  assert.equal(same.body.paymentId, crossed.body.paymentId);
  const details = await env.post('/billing-key-and-pay/prepare', { plan: 'phone', customer: { ...BUYER, customerId: 'member-kim' }, previousPaymentId: crossed.body.paymentId });
  assert.notEqual(details.body.paymentId, crossed.body.paymentId, 'new details: a new order');
  assert.deepEqual([details.body.totalAmount, details.body.customer.fullName], [5_900, BUYER.fullName]);
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
