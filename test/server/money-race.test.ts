// The attack that found the money bug, as a test: a shopper prepares one bag, then at once sends a
// re-prepare for twenty bags naming that order, a complete for it, and approves the one-bag window,
// with PortOne's round trip at 30 ms. Whatever the interleaving, an order is fulfilled only for what
// PortOne says was paid, and a correct payment is never refunded as a mismatch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PreparedPayment } from '../../src/contract.js';
import { BUYER, startEnv, type Env } from './harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What PortOne holds as paid for a payment (0 when it is not PAID). */
const paidAmount = (payment: ReturnType<Env['sandbox']['payment']>): number => (payment?.status === 'PAID' && 'amount' in payment ? payment.amount.paid : 0);

/** Opens the window for a prepared payment and approves it, as the SDK runtime does. */
async function openAndApprove(env: Env, prepared: PreparedPayment): Promise<number> {
  const opened = await fetch(`${env.sandbox.url}/checkout/prepare`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      transactionType: 'PAYMENT',
      request: {
        storeId: env.sandbox.storeId,
        channelKey: env.sandbox.channelKeys.payment,
        paymentId: prepared.paymentId,
        orderName: prepared.orderName,
        totalAmount: prepared.totalAmount,
        currency: prepared.currency,
        payMethod: 'CARD',
        customer: { ...BUYER, ...prepared.customer },
        customData: prepared.customData,
      },
      client: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0' },
    }),
  });
  const body = (await opened.json()) as { txId?: string };
  if (opened.status !== 200 || !body.txId) return opened.status;
  const approved = await fetch(`${env.sandbox.url}/checkout/transactions/${encodeURIComponent(body.txId)}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: { result: 'approve' } }),
  });
  await approved.arrayBuffer();
  return approved.status;
}

test('re-prepare for 20 bags racing the complete and the approved 1-bag window: never fulfilled for more than was paid', async (t) => {
  const env = await startEnv(t);
  env.sandbox.setFaults({ routes: { '*': { latencyMs: 30 } } });
  const ONE = { items: [{ id: 'beans', quantity: 1 }], customer: BUYER };
  const TWENTY = { items: [{ id: 'beans', quantity: 20 }], customer: BUYER };
  const attempts: PreparedPayment[] = [];
  for (let n = 0; n < 30; n++) {
    const one = await env.prepare(ONE);
    attempts.push(one);
    // The window lands anywhere in the first round trips of the other two requests.
    await Promise.all([
      env.post('/payments/prepare', { ...TWENTY, previousPaymentId: one.paymentId }),
      env.post('/payments/complete', { paymentId: one.paymentId }),
      sleep((n * 3) % 45).then(() => openAndApprove(env, one)),
    ]);
  }
  env.sandbox.setFaults({});
  await env.sandbox.flushWebhooks();
  // Whatever the requests left behind, reconcile() settles it.
  await env.kit.reconcile({ olderThanMs: 0 });
  await env.sandbox.flushWebhooks();

  for (const { paymentId, totalAmount } of attempts) {
    const order = await env.kit.getOrder(paymentId);
    const payment = env.sandbox.payment(paymentId);
    assert.ok(order, `order ${paymentId} exists`);
    const paid = paidAmount(payment);
    if (order.status === 'PAID') {
      assert.equal(order.totalAmount, paid, `order ${paymentId} is PAID at ${order.totalAmount} while PortOne holds ${paid}`);
      assert.deepEqual(order.lines.map((l) => l.quantity), [1], 'the lines fulfilled are the lines paid for');
    }
    // A correct payment is kept, never refunded as a mismatch.
    if (payment && 'amount' in payment && payment.amount.total === totalAmount && payment.status !== 'READY') {
      assert.notEqual(order.status, 'FLAGGED', `order ${paymentId} was refunded although PortOne's payment matched what the window showed`);
    }
  }
  for (const event of env.hooks.paid) {
    const payment = env.sandbox.payment(event.order.paymentId);
    assert.equal(event.order.totalAmount, paidAmount(payment), `onPaid ran for ${event.order.totalAmount} while PortOne holds ${paidAmount(payment)}`);
  }
  const paidIds = env.hooks.paid.map((e) => e.order.paymentId);
  assert.equal(new Set(paidIds).size, paidIds.length, 'onPaid ran once per order');
  for (const { paymentId } of attempts) {
    if (env.sandbox.payment(paymentId)?.status === 'PAID') assert.ok(paidIds.includes(paymentId), `paid order ${paymentId} was fulfilled`);
  }
});
