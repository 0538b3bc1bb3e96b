// Every tampering case from the issue, with a browser that changes what it sends to the window:
// the kit never fulfils, flags what PortOne took, refunds it with a reason, and answers a stable 4xx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CART, eventually, startEnv, type Env } from './harness.js';

/**
 * A deposit of less than the account asks for, which PortOne may report as PAID with `amount.paid`
 * short. The sandbox keeps the account open on a short deposit unless told to take it.
 */
async function shortDeposit(env: Env, paymentId: string, amount: number) {
  const deposit = env.sandbox.deposit as (id: string, amount: number, options?: { partial?: boolean }) => ReturnType<Env['sandbox']['deposit']>;
  return (await deposit(paymentId, amount, { partial: true })) as { status: string; amount: { total: number; paid: number } };
}

/** The payment was taken, then refused: order FLAGGED, PortOne payment CANCELLED with the reason, no onPaid. */
async function assertRefused(env: Env, paymentId: string, answer: { status: number; body: any }, code: string, message: RegExp) {
  assert.equal(answer.status, 409, JSON.stringify(answer.body));
  assert.equal(answer.body.code, code);
  assert.match(answer.body.message, message);
  const order = await env.kit.getOrder(paymentId);
  assert.equal(order?.status, 'FLAGGED');
  assert.equal(order?.flag?.code, code);
  assert.ok(order?.flag?.refundedAt !== undefined, 'the refund is recorded');
  const payment = env.sandbox.payment(paymentId) as { status: string; cancellations?: { reason: string }[] };
  assert.equal(payment.status, 'CANCELLED', 'PortOne refunded the payment');
  assert.match(payment.cancellations?.[0]?.reason ?? '', /^Refused by the shop's checkout: /);
  assert.equal(env.hooks.paid.length, 0, 'never fulfilled');
}

test('amount changed in the browser, with pre-registration: PortOne refuses the window; nothing is paid', async (t) => {
  const env = await startEnv(t);
  const prepared = await env.prepare(CART);
  await assert.rejects(env.pay(prepared, undefined, { totalAmount: 1_000 }), (error: { code?: string }) => error.code === 'AmountNotEqualToPredefined');
  const complete = await env.post('/payments/complete', { paymentId: prepared.paymentId });
  assert.equal(complete.status, 409);
  assert.equal(complete.body.code, 'PAYMENT_NOT_FOUND');
  assert.equal((await env.kit.getOrder(prepared.paymentId))?.status, 'PENDING');
  assert.equal(env.hooks.paid.length, 0);
});

test('amount changed in the browser, without pre-registration: flagged, refunded, 409 PAYMENT_MISMATCH', async (t) => {
  const env = await startEnv(t, { kit: { preRegister: false } });
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared, undefined, { totalAmount: 1_000 });
  const answer = await env.post('/payments/complete', result);
  await assertRefused(env, prepared.paymentId, answer, 'PAYMENT_MISMATCH', /amount\.total expected 32000, got 1000/);
  // Replaying gives the same refusal, and refunds nothing twice.
  assert.deepEqual(await env.post('/payments/complete', result), answer);
  assert.equal((env.sandbox.payment(prepared.paymentId) as { cancellations: unknown[] }).cancellations.length, 1);
});

test('currency changed: flagged and refunded', async (t) => {
  const env = await startEnv(t, { kit: { preRegister: false } });
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared, undefined, { currency: 'USD' });
  await assertRefused(env, prepared.paymentId, await env.post('/payments/complete', result), 'PAYMENT_MISMATCH', /currency expected "KRW", got "USD"/);
});

test("another order's paymentId reused: the expensive cart's window under a paid order's id is refused, and completing fulfils nothing new", async (t) => {
  const env = await startEnv(t);
  const cheap = await env.checkout({ items: [{ id: 'sticker', quantity: 1 }] });
  assert.equal(cheap.complete.body.order.status, 'PAID');
  const expensive = await env.prepare({ items: [{ id: 'beans', quantity: 3 }] });
  // The browser opens the expensive order's window with the paid order's id…
  await assert.rejects(env.pay({ ...expensive, paymentId: cheap.prepared.paymentId }), (error: { code?: string }) => error.code === 'PaymentAlreadyPaid');
  // …then claims the expensive order was paid, by its own id with the old transaction, and by the old id.
  const claimed = await env.post('/payments/complete', { paymentId: expensive.paymentId, txId: cheap.result.txId });
  assert.equal(claimed.status, 409);
  assert.equal(claimed.body.code, 'PAYMENT_NOT_FOUND');
  const old = await env.post('/payments/complete', { paymentId: cheap.prepared.paymentId, txId: cheap.result.txId });
  assert.deepEqual([old.body.order.paymentId, old.body.order.totalAmount], [cheap.prepared.paymentId, 1_500]);
  assert.equal((await env.kit.getOrder(expensive.paymentId))?.status, 'PENDING');
  assert.deepEqual(env.hooks.paid.map((e) => e.order.paymentId), [cheap.prepared.paymentId]);
});

test("another order's unpaid paymentId reused (no pre-registration): the expensive cart paid under the cheap order's id is flagged and refunded", async (t) => {
  const env = await startEnv(t, { kit: { preRegister: false } });
  const cheap = await env.prepare({ items: [{ id: 'sticker', quantity: 1 }] });
  const expensive = await env.prepare({ items: [{ id: 'beans', quantity: 3 }] });
  const result = await env.pay({ ...expensive, paymentId: cheap.paymentId });
  assert.equal(result.paymentId, cheap.paymentId);
  const answer = await env.post('/payments/complete', result);
  await assertRefused(env, cheap.paymentId, answer, 'PAYMENT_MISMATCH', /amount\.total expected 1500, got 96000; .*customData\.orderId expected "ord_[\w-]+", got "ord_[\w-]+"/);
  assert.equal((await env.kit.getOrder(expensive.paymentId))?.status, 'PENDING');
  assert.equal((await env.post('/payments/complete', { paymentId: expensive.paymentId })).body.code, 'PAYMENT_NOT_FOUND');
});

test("another order's payment data under this order's paymentId: flagged by the order id in customData", async (t) => {
  const env = await startEnv(t, { kit: { preRegister: false } });
  const mine = await env.prepare({ items: [{ id: 'beans', quantity: 1 }] });
  const other = await env.prepare({ items: [{ id: 'beans', quantity: 1 }] });
  // Same price, same name: only the order id stamped into customData tells them apart.
  const result = await env.pay(mine, undefined, { customData: other.customData });
  await assertRefused(env, mine.paymentId, await env.post('/payments/complete', result), 'PAYMENT_MISMATCH', /customData\.orderId expected "ord_[\w-]+", got "ord_[\w-]+"/);
});

test('paying a cheap order and completing an expensive one with it: the expensive order is never paid', async (t) => {
  const env = await startEnv(t);
  const cheap = await env.prepare({ items: [{ id: 'sticker', quantity: 1 }] });
  const expensive = await env.prepare({ items: [{ id: 'dripper', quantity: 2 }] });
  const paidCheap = await env.pay(cheap);
  const answer = await env.post('/payments/complete', { ...paidCheap, paymentId: expensive.paymentId });
  assert.equal(answer.status, 409);
  assert.equal(answer.body.code, 'PAYMENT_NOT_FOUND');
  assert.equal((await env.kit.getOrder(expensive.paymentId))?.status, 'PENDING');
  assert.equal(env.hooks.paid.length, 0);
});

test("paying the cheap order's amount under the expensive order's paymentId (no pre-registration): flagged and refunded", async (t) => {
  const env = await startEnv(t, { kit: { preRegister: false } });
  const cheap = await env.prepare({ items: [{ id: 'sticker', quantity: 1 }] });
  const expensive = await env.prepare({ items: [{ id: 'dripper', quantity: 2 }] });
  const result = await env.pay(expensive, undefined, { totalAmount: cheap.totalAmount, orderName: cheap.orderName, customData: cheap.customData });
  const answer = await env.post('/payments/complete', result);
  await assertRefused(env, expensive.paymentId, answer, 'PAYMENT_MISMATCH', /amount\.total expected 36000, got 1500; .*orderName expected "핸드드립 드리퍼", got "스티커"; customData\.orderId/);
  assert.equal((await env.kit.getOrder(cheap.paymentId))?.status, 'PENDING');
});

test('a TEST channel when only LIVE is accepted: flagged and refunded; a LIVE payment goes through', async (t) => {
  // No channel configured: the browser's channel is taken, and only its type decides.
  const env = await startEnv(t, { kit: { allowTestChannels: false, channelKeys: {} } });
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared);
  await assertRefused(env, prepared.paymentId, await env.post('/payments/complete', result), 'TEST_CHANNEL_NOT_ALLOWED', /went through a TEST channel: expected a LIVE channel/);
  const live = await env.prepare(CART);
  const paid = await env.pay(live, undefined, { channelKey: env.sandbox.channelKeys.live });
  const answer = await env.post('/payments/complete', paid);
  assert.equal(answer.body.order.status, 'PAID');
  assert.equal(env.hooks.paid.length, 1);
});

test('a channel other than the configured one (the browser chose it) is flagged and refunded, whatever its type', async (t) => {
  const env = await startEnv(t);
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared, undefined, { channelKey: env.sandbox.channelKeys.live });
  const answer = await env.post('/payments/complete', result);
  await assertRefused(env, prepared.paymentId, answer, 'PAYMENT_MISMATCH', new RegExp(`channel\\.key expected "${env.sandbox.channelKeys.payment}", got "${env.sandbox.channelKeys.live}"`));
});

test('an underpaid virtual account (a short deposit PortOne reports PAID) is never fulfilled: flagged, and refunded by hand', async (t) => {
  const env = await startEnv(t);
  const prepared = await env.prepare({ ...CART, payMethod: 'VIRTUAL_ACCOUNT' });
  const result = await env.pay(prepared, undefined, { payMethod: 'VIRTUAL_ACCOUNT', virtualAccount: { accountExpiry: { validHours: 24 } } });
  assert.equal((await env.post('/payments/complete', result)).body.order.status, 'VIRTUAL_ACCOUNT_ISSUED');
  await env.sandbox.flushWebhooks();
  const deposited = await shortDeposit(env, prepared.paymentId, 1_000);
  assert.deepEqual([deposited.status, deposited.amount.total, deposited.amount.paid], ['PAID', 32_000, 1_000], 'PortOne reports the short deposit as paid');
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.getOrder(prepared.paymentId))?.flag?.refundError !== undefined, 'flagged, its refund left to a person');
  const order = await env.kit.getOrder(prepared.paymentId);
  assert.equal(order?.status, 'FLAGGED');
  assert.match(order?.flag?.message ?? '', /amount\.paid expected 32000, got 1000/);
  const complete = await env.post('/payments/complete', { paymentId: prepared.paymentId });
  assert.deepEqual([complete.status, complete.body.code], [409, 'PAYMENT_MISMATCH']);
  const report = await env.kit.reconcile({ olderThanMs: 0 });
  assert.deepEqual(report.manualRefunds.map((r) => r.paymentId), [prepared.paymentId]);
  // What was deposited, not the order's total, is what goes back.
  const refunded = await env.kit.cancel(prepared.paymentId, { reason: '부족 입금 환불', refundAccount: { bank: 'SHINHAN', number: '110123456789', holderName: '김하나' } });
  assert.deepEqual([refunded.cancelledAmount, env.sandbox.payment(prepared.paymentId)?.status], [1_000, 'CANCELLED']);
  assert.equal(env.hooks.paid.length, 0);
});

test('a virtual account issued for the wrong amount is flagged and closed: no deposit can land', async (t) => {
  const env = await startEnv(t, { kit: { preRegister: false } });
  const prepared = await env.prepare({ ...CART, payMethod: 'VIRTUAL_ACCOUNT' });
  const result = await env.pay(prepared, undefined, { payMethod: 'VIRTUAL_ACCOUNT', totalAmount: 1_000, virtualAccount: { accountExpiry: { validHours: 24 } } });
  const answer = await env.post('/payments/complete', result);
  assert.equal(answer.status, 409);
  assert.equal(answer.body.code, 'PAYMENT_MISMATCH');
  assert.equal(env.hooks.virtualAccountIssued.length, 0);
  assert.equal(env.sandbox.payment(prepared.paymentId)?.status, 'FAILED', 'PortOne closed the account');
  await assert.rejects(env.sandbox.deposit(prepared.paymentId), /not a VIRTUAL_ACCOUNT_ISSUED/);
  const order = await env.kit.getOrder(prepared.paymentId);
  assert.ok(order?.flag?.refundedAt !== undefined, 'nothing is held');
  assert.equal(env.hooks.paid.length, 0);
});

test('a deposit that lands on a flagged account before it closes: PortOne needs a bank account, so a person finishes it with cancel()', async (t) => {
  const env = await startEnv(t, { kit: { preRegister: false } });
  env.sandbox.setFaults({ routes: { 'POST /payments/:id/virtual-account/close': { failureRate: 1 } } });
  const prepared = await env.prepare({ ...CART, payMethod: 'VIRTUAL_ACCOUNT' });
  const result = await env.pay(prepared, undefined, { payMethod: 'VIRTUAL_ACCOUNT', totalAmount: 1_000, virtualAccount: { accountExpiry: { validHours: 24 } } });
  assert.equal((await env.post('/payments/complete', result)).body.code, 'PAYMENT_MISMATCH');
  await env.sandbox.flushWebhooks();
  await env.sandbox.deposit(prepared.paymentId);
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.getOrder(prepared.paymentId))?.flag?.refundError !== undefined, 'the automatic refund is refused');
  const report = await env.kit.reconcile({ olderThanMs: 0 });
  assert.deepEqual(report.manualRefunds.map((r) => r.paymentId), [prepared.paymentId]);
  assert.match(report.manualRefunds[0]!.reason, /refundAccount/);
  assert.equal(env.logs.filter((l) => l.startsWith('error could not refund flagged payment')).length, 1);
  const refunded = await env.kit.cancel(prepared.paymentId, { reason: '금액 불일치 입금 환불', refundAccount: { bank: 'SHINHAN', number: '110123456789', holderName: '김하나' } });
  assert.equal(refunded.status, 'FLAGGED');
  assert.equal(refunded.cancelledAmount, 1_000);
  assert.ok(refunded.flag?.refundedAt !== undefined);
  assert.equal(refunded.flag?.refundError, undefined);
  assert.equal(env.sandbox.payment(prepared.paymentId)?.status, 'CANCELLED');
  assert.equal(env.hooks.paid.length, 0);
  assert.equal(env.hooks.cancelled.length, 0, 'an order never fulfilled has nothing to cancel');
});

test('the GET view of a flagged order shows FLAGGED (not an error) to the waiting page', async (t) => {
  const env = await startEnv(t, { kit: { preRegister: false } });
  const prepared = await env.prepare(CART);
  await env.post('/payments/complete', await env.pay(prepared, undefined, { totalAmount: 1_000 }));
  const response = await env.kit.fetch(new Request(`http://shop.test/payments/${prepared.paymentId}`));
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.order.status, 'FLAGGED');
  assert.equal(body.order.cancelledAmount, 1_000);
});
