// PortOne's confirm process (confirmUrl) end to end: the sandbox POSTs a signed Transaction.Confirm
// to the kit's confirm route before approving; the kit answers 200 only for its own unpaid order at
// exactly its amount once the shop's reserve accepted, and its refusal reaches the SDK result.
import assert from 'node:assert/strict';
import test from 'node:test';
import { refuse, type ReleaseEvent, type ReserveEvent } from '../../src/server/index.js';
import { CART, eventually, startEnv } from './harness.js';
import { call, post } from './support.js';

const SOLD_OUT = '마지막 한 개가 방금 판매되었습니다.';

async function confirmEnv(t: Parameters<typeof startEnv>[0], accept: boolean | (() => boolean), kit: Record<string, unknown> = {}) {
  const log = { reserved: [] as ReserveEvent[], released: [] as ReleaseEvent[] };
  const env = await startEnv(t, {
    kit: {
      reserve: (e: ReserveEvent) => {
        log.reserved.push(e);
        if (!(typeof accept === 'function' ? accept() : accept)) throw refuse(SOLD_OUT);
      },
      release: (e: ReleaseEvent) => void log.released.push(e),
      ...kit,
    },
  });
  return { env, log, confirmUrl: `${env.served.url}/confirm` };
}

test('confirm process: PortOne asks the kit before approving; the shop reserves, the payment goes on and is verified', async (t) => {
  const { env, log, confirmUrl } = await confirmEnv(t, true);
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared, undefined, { confirmUrl });
  assert.equal(result.code, undefined, JSON.stringify(result));
  const complete = await env.post('/payments/complete', result);
  assert.deepEqual([complete.status, complete.body.order.status], [200, 'PAID']);
  assert.deepEqual(log.reserved.map((e) => [e.reservationId, e.via, e.order?.paymentId]), [[`reserve:${prepared.paymentId}`, 'confirm-process', prepared.paymentId]]);
  await env.sandbox.flushWebhooks();
  assert.equal(log.released.length, 0);
  assert.equal(env.hooks.paid.length, 1);
  assert.ok((await env.kit.getOrder(prepared.paymentId))?.reservedAt !== undefined);
});

test('confirm process refused by the shop: PortOne stops the payment, the SDK result carries the shop’s words, nothing is charged, the reservation released once it failed', async (t) => {
  const { env, log, confirmUrl } = await confirmEnv(t, false);
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared, undefined, { confirmUrl });
  assert.equal(typeof result.code, 'string', 'the window fails');
  assert.equal(result.message, SOLD_OUT, 'PortOne passes the errorMessage to the SDK result');
  assert.notEqual(env.sandbox.payment(prepared.paymentId)?.status, 'PAID');
  const complete = await env.post('/payments/complete', result);
  assert.deepEqual([complete.status, complete.body.order.status], [200, 'FAILED']);
  await eventually(() => log.released.length === 1, 'release');
  assert.equal(log.released[0]!.reservationId, `reserve:${prepared.paymentId}`);
  assert.equal(env.hooks.paid.length, 0);
});

test('confirm process with an amount changed in the page: stopped before any money moves, the shop never asked', async (t) => {
  const { env, log, confirmUrl } = await confirmEnv(t, true, { preRegister: false });
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared, undefined, { confirmUrl, totalAmount: 1_000 });
  assert.equal(typeof result.code, 'string', JSON.stringify(result));
  assert.notEqual(env.sandbox.payment(prepared.paymentId)?.status, 'PAID');
  assert.equal(log.reserved.length, 0);
  assert.ok(env.logs.some((line) => /confirm process: stopped a payment \(PAYMENT_MISMATCH\): .*totalAmount expected 32000 \(the order's\), got 1000/.test(line)), env.logs.join('\n'));
});

test('the confirm route: only PortOne’s signature, Transaction.Confirm, this store, a known unpaid payment order', async (t) => {
  const { env, log } = await confirmEnv(t, true);
  const prepared = await env.prepare(CART);
  const body = (data: Record<string, unknown>, type = 'Transaction.Confirm') => JSON.stringify({ type, timestamp: new Date().toISOString(), data });
  const signed = async (text: string, secret = env.sandbox.webhookSecret) => {
    const id = `msg_${Math.random().toString(36).slice(2)}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const { createHmac } = await import('node:crypto');
    const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${text}`).digest('base64');
    return new Request('http://shop.test/confirm', { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` }, body: text });
  };
  const good = { paymentId: prepared.paymentId, storeId: env.sandbox.storeId, transactionId: 'tx-1', totalAmount: prepared.totalAmount };
  const refusals: [Request, number, string, RegExp][] = [
    [new Request('http://shop.test/confirm', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(good) }), 400, 'WEBHOOK_VERIFICATION_FAILED', /webhook-id, webhook-timestamp and webhook-signature/],
    [await signed(body(good), `whsec_${Buffer.from('another secret of 32 bytes!!!!!!').toString('base64')}`), 400, 'WEBHOOK_VERIFICATION_FAILED', /a v1 signature made with the configured webhook secret/],
    [await signed(body(good, 'Transaction.Paid')), 400, 'INVALID_WEBHOOK_PAYLOAD', /type: expected "Transaction.Confirm" at the confirm route, got "Transaction.Paid"/],
    [await signed(body({ ...good, storeId: 'store-other' })), 409, 'PAYMENT_MISMATCH', /data.storeId: expected this shop's store, got "store-other"/],
    [await signed(body({ ...good, paymentId: 'pay_unknown' })), 404, 'ORDER_NOT_FOUND', /got "pay_unknown"/],
    [await signed(body({ ...good, totalAmount: 1 })), 409, 'PAYMENT_MISMATCH', /totalAmount expected 32000 \(the order's\), got 1/],
    [await signed(body({ ...good, totalAmount: '32000' })), 400, 'INVALID_WEBHOOK_PAYLOAD', /data.totalAmount: expected the amount PortOne is about to approve, got "32000"/],
  ];
  for (const [request, status, code, message] of refusals) {
    const answer = await call(env.kit, request);
    assert.deepEqual([answer.status, answer.body.code], [status, code], JSON.stringify(answer.body));
    assert.match(answer.body.message, message);
    // PortOne hands errorMessage to the shopper: never the developer's message.
    assert.equal(answer.body.errorMessage, '상점에서 주문을 확인하지 못해 결제를 진행하지 않았습니다. 잠시 후 다시 시도해 주세요.');
  }
  assert.equal(log.reserved.length, 0, 'nothing reserved for any of them');
  assert.equal((await env.kit.getOrder(prepared.paymentId))?.reservedAt, undefined, 'nor recorded');
  // The real one, twice (PortOne retrying): approved both times, one reservation recorded.
  for (let i = 0; i < 2; i++) {
    const answer = await call(env.kit, await signed(body(good)));
    assert.deepEqual([answer.status, answer.body], [200, {}]);
  }
  assert.deepEqual(log.reserved.map((e) => e.reservationId), [`reserve:${prepared.paymentId}`, `reserve:${prepared.paymentId}`], 'asked again with the same id (idempotent for the shop)');
  // A paid order is never approved again.
  await env.post('/payments/complete', await env.pay(prepared));
  const paid = await call(env.kit, await signed(body(good)));
  assert.deepEqual([paid.status, paid.body.code], [409, 'PAYMENT_MISMATCH']);
});

test('with options.confirmUrl, payment prepares carry it (issue-and-pay prepares do not: PortOne has no confirm process there)', async (t) => {
  const { env } = await confirmEnv(t, true, { confirmUrl: 'https://shop.example/portone/confirm' });
  const prepared = await env.prepare(CART);
  assert.equal(prepared.confirmUrl, 'https://shop.example/portone/confirm');
  const keyAndPay = await call(env.kit, post('/billing-key-and-pay/prepare', { ...CART, customer: { ...CART.customer, customerId: 'member-1' } }));
  assert.equal(keyAndPay.status, 200, JSON.stringify(keyAndPay.body));
  assert.equal(keyAndPay.body.confirmUrl, undefined);
});

test('with options.confirmUrl and reserve, a payment the page approved without the confirm process is refused: flagged, refunded, never fulfilled', async (t) => {
  // The shop's last unit: the first shopper's window takes it, the second is refused.
  let units = 1;
  const { env, log, confirmUrl } = await confirmEnv(t, () => units-- > 0, { confirmUrl: 'https://shop.example/portone/confirm' });
  const first = await env.prepare(CART);
  const paid = await env.post('/payments/complete', await env.pay(first, undefined, { confirmUrl }));
  assert.deepEqual([paid.status, paid.body.order?.status], [200, 'PAID']);

  // confirmUrl is a requestPayment option: a page that leaves it out is approved by PortOne unasked.
  const skipped = await env.prepare(CART);
  const result = await env.pay(skipped);
  assert.equal(result.code, undefined, 'PortOne approved the window');
  const answer = await env.post('/payments/complete', result);
  assert.deepEqual([answer.status, answer.body.code], [409, 'PAYMENT_MISMATCH'], JSON.stringify(answer.body));
  assert.match(answer.body.message, /expected PortOne to have approved it through the shop's confirm process \(options\.confirmUrl\) once reserve accepted, got a payment approved without it/);
  const order = await env.kit.getOrder(skipped.paymentId);
  assert.deepEqual([order?.status, order?.flag?.code, order?.flag?.refundedAt !== undefined], ['FLAGGED', 'PAYMENT_MISMATCH', true]);
  assert.equal((env.sandbox.payment(skipped.paymentId) as { status: string }).status, 'CANCELLED', 'PortOne refunded it');

  // Refused in the confirm process, then paid at once through a window without it: the refusal
  // released the reservation there and then, so that payment stands on no reservation either.
  const refused = await env.prepare(CART);
  const stopped = await env.pay(refused, undefined, { confirmUrl });
  assert.equal(stopped.message, SOLD_OUT);
  assert.equal((await env.kit.getOrder(refused.paymentId))?.reservedAt, undefined, 'released when reserve refused');
  const retried = await env.post('/payments/complete', await env.pay(refused));
  assert.deepEqual([retried.status, retried.body.code], [409, 'PAYMENT_MISMATCH'], JSON.stringify(retried.body));
  assert.equal((await env.kit.getOrder(refused.paymentId))?.status, 'FLAGGED');

  await env.sandbox.flushWebhooks();
  await eventually(() => log.released.length === 1, 'the refused reservation released');
  assert.deepEqual(log.released.map((e) => e.reservationId), [`reserve:${refused.paymentId}`], 'released once, for the refusal only');
  assert.deepEqual(log.reserved.map((e) => e.order?.paymentId), [first.paymentId, refused.paymentId], 'reserve asked only through the confirm process');
  assert.deepEqual(env.hooks.paid.map((e) => e.order.paymentId), [first.paymentId], 'one unit, one fulfilment');
});
