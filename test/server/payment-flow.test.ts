// The payment flow end to end at the HTTP level, with the sandbox as PortOne: card, decline, shopper
// cancel, virtual account with a later deposit, webhook and complete in either order, refunds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeListener } from '../../src/server/node.js';
import { CART, eventually, startEnv, type Env } from './harness.js';
import { call, get } from './support.js';

test('card: prepare → window → complete answers PAID, onPaid runs once, the webhook changes nothing more', async (t) => {
  const env = await startEnv(t);
  const { prepared, complete } = await env.checkout();
  assert.equal(complete.status, 200, JSON.stringify(complete.body));
  assert.equal(complete.body.order.status, 'PAID');
  assert.equal(complete.body.order.totalAmount, 32_000);
  assert.equal(complete.body.order.payMethod, 'CARD');
  assert.match(complete.body.order.paidAt, /^\d{4}-\d\d-\d\dT/);
  assert.equal(env.hooks.paid.length, 1, 'onPaid ran before complete answered');
  const [event] = env.hooks.paid;
  assert.equal(event?.eventId, `paid:${prepared.paymentId}`);
  assert.equal(event?.order.status, 'PAID');
  assert.equal(event?.payment.status, 'PAID');
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.listWebhookDeliveries()).some((d) => d.type === 'Transaction.Paid' && d.status === 'processed'), 'the Paid webhook processed');
  assert.equal(env.hooks.paid.length, 1);
  const view = await call(env.kit, get(`/payments/${prepared.paymentId}`));
  assert.equal(view.body.order.status, 'PAID');
});

test('an onPaid hook that refunds the order through cancel(): complete answers with the refunded order', async (t) => {
  let kit: Env['kit'] | undefined;
  const env = await startEnv(t, { kit: { onPaid: async (e) => void (await kit!.cancel(e.order.paymentId, { reason: '재고 없음' })) } });
  kit = env.kit;
  const { prepared, complete } = await env.checkout();
  assert.equal(complete.status, 200, JSON.stringify(complete.body));
  assert.equal(complete.body.order.status, 'CANCELLED');
  assert.equal(complete.body.order.cancelledAmount, 32_000);
  assert.equal((await env.kit.getOrder(prepared.paymentId))?.status, 'CANCELLED');
});

test('an onPaid hook that changes the order object it is given does not change the answer or the store', async (t) => {
  const env = await startEnv(t, { kit: { onPaid: (e) => void Object.assign(e.order, { status: 'CANCELLED', totalAmount: 1 }) } });
  const { prepared, complete } = await env.checkout();
  assert.equal(complete.body.order.status, 'PAID');
  assert.equal(complete.body.order.totalAmount, 32_000);
  assert.equal((await env.kit.getOrder(prepared.paymentId))?.status, 'PAID');
});

test('replaying complete for a paid order re-reads PortOne and gives the same answer, without a second fulfilment', async (t) => {
  const env = await startEnv(t);
  const { result, complete } = await env.checkout();
  const again = await env.post('/payments/complete', result);
  assert.deepEqual(again, complete);
  assert.equal(env.hooks.paid.length, 1);
});

test('declined card: the order is FAILED with the PG reason; onFailed, not onPaid', async (t) => {
  const env = await startEnv(t);
  const { complete } = await env.checkout(CART, { result: 'decline', pgCode: 'V005', pgMessage: '카드 한도가 초과되었습니다.' });
  assert.equal(complete.status, 200);
  assert.equal(complete.body.order.status, 'FAILED');
  assert.deepEqual(complete.body.order.failure, { reason: '카드 한도가 초과되었습니다.', pgCode: 'V005', pgMessage: '카드 한도가 초과되었습니다.' });
  assert.equal(env.hooks.paid.length, 0);
  assert.equal(env.hooks.failed.length, 1);
});

test('the shopper closes the window, then pays on a second try with the same paymentId', async (t) => {
  const env = await startEnv(t);
  const prepared = await env.prepare(CART);
  const cancelled = await env.pay(prepared, { result: 'cancel' });
  const first = await env.post('/payments/complete', cancelled);
  assert.equal(first.body.order.status, 'FAILED');
  const retried = await env.pay(prepared, { result: 'approve' });
  const second = await env.post('/payments/complete', retried);
  assert.equal(second.body.order.status, 'PAID');
  assert.equal(second.body.order.failure, undefined, 'the first window’s failure is not shown on the paid order');
  const view = await env.kit.fetch(new Request(`http://shop.test/payments/${prepared.paymentId}`));
  assert.equal((await view.json()).order.failure, undefined);
  assert.equal((await env.kit.getOrder(prepared.paymentId))?.failure, undefined);
  assert.equal(env.hooks.paid.length, 1);
});

test('virtual account: issued at complete, deposit → webhook → PAID, each hook once', async (t) => {
  const env = await startEnv(t);
  const prepared = await env.prepare({ ...CART, payMethod: 'VIRTUAL_ACCOUNT' });
  const result = await env.pay(prepared, undefined, { payMethod: 'VIRTUAL_ACCOUNT', virtualAccount: { accountExpiry: { validHours: 24 } } });
  const complete = await env.post('/payments/complete', result);
  assert.equal(complete.status, 200);
  assert.equal(complete.body.order.status, 'VIRTUAL_ACCOUNT_ISSUED');
  assert.match(complete.body.order.virtualAccount.accountNumber, /^\d+$/);
  assert.equal(typeof complete.body.order.virtualAccount.bank, 'string');
  assert.match(complete.body.order.virtualAccount.expiredAt, /^\d{4}-/);
  assert.equal(env.hooks.virtualAccountIssued.length, 1);
  assert.equal(env.hooks.paid.length, 0);
  await env.sandbox.flushWebhooks();

  await env.sandbox.deposit(prepared.paymentId);
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.getOrder(prepared.paymentId))?.status === 'PAID', 'the deposit webhook marks the order PAID');
  const view = await call(env.kit, get(`/payments/${prepared.paymentId}`));
  assert.equal(view.body.order.status, 'PAID');
  assert.equal(view.body.order.virtualAccount.accountNumber, complete.body.order.virtualAccount.accountNumber);
  assert.equal(env.hooks.paid.length, 1);
  assert.equal(env.hooks.virtualAccountIssued.length, 1);
});

test('webhook before complete: the webhook fulfils, complete then answers the same order', async (t) => {
  const env = await startEnv(t);
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared);
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.getOrder(prepared.paymentId))?.status === 'PAID', 'the webhook marks the order PAID');
  assert.equal(env.hooks.paid.length, 1);
  const complete = await env.post('/payments/complete', result);
  assert.equal(complete.status, 200);
  assert.equal(complete.body.order.status, 'PAID');
  assert.equal(env.hooks.paid.length, 1);
});

test('complete before webhook: webhooks held back and released later change nothing more', async (t) => {
  const env = await startEnv(t, { sandbox: { faults: { webhooks: { reorder: true } } } });
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared);
  assert.equal((await env.kit.listWebhookDeliveries()).length, 0, 'the webhooks are held');
  const complete = await env.post('/payments/complete', result);
  assert.equal(complete.body.order.status, 'PAID');
  assert.equal(env.hooks.paid.length, 1);
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.listWebhookDeliveries()).length >= 2, 'the held webhooks arrive (in reverse order)');
  assert.equal(env.hooks.paid.length, 1);
  assert.equal((await env.kit.getOrder(prepared.paymentId))?.status, 'PAID');
});

test('complete for a payment PortOne never saw answers 409 PAYMENT_NOT_FOUND and leaves the order PENDING', async (t) => {
  const env = await startEnv(t);
  const prepared = await env.prepare(CART);
  const answer = await env.post('/payments/complete', { paymentId: prepared.paymentId });
  assert.equal(answer.status, 409);
  assert.equal(answer.body.code, 'PAYMENT_NOT_FOUND');
  assert.match(answer.body.message, new RegExp(`PortOne has no payment ${prepared.paymentId}: expected the payment window to have been completed first`));
  assert.equal((await env.kit.getOrder(prepared.paymentId))?.status, 'PENDING');
});

test('refunds: partial then full, through PortOne; onCancelled once per cancellation; webhooks add nothing', async (t) => {
  const env = await startEnv(t);
  const { prepared } = await env.checkout({ items: [{ id: 'beans', quantity: 2 }] });
  const partial = await env.kit.cancel(prepared.paymentId, { amount: 10_000, reason: '원두 1봉 반품' });
  assert.equal(partial.status, 'PARTIAL_CANCELLED');
  assert.equal(partial.cancelledAmount, 10_000);
  assert.equal(env.sandbox.payment(prepared.paymentId)?.status, 'PARTIAL_CANCELLED');
  await assert.rejects(env.kit.cancel(prepared.paymentId, { amount: 60_000, reason: '너무 많이' }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'CANCEL_REJECTED');
    assert.match(error.message, /amount: expected an integer from 1 to 54000 \(what is left to refund\), got 60000/);
    return true;
  });
  // A mistyped amount is the caller's bug (400), whatever is left to refund; nothing is refunded.
  for (const amount of [0, -5, 1.5, '1000']) {
    await assert.rejects(env.kit.cancel(prepared.paymentId, { amount: amount as number, reason: '잘못된 금액' }), (error: Error & { code?: string; status?: number }) => {
      assert.deepEqual([error.code, error.status], ['INVALID_REQUEST', 400]);
      assert.match(error.message, new RegExp(`^amount: expected a positive integer in minor units \\(or nothing, for all that is left\\), got ${JSON.stringify(JSON.stringify(amount)).slice(1, -1).replace('.', '\\.')}$`));
      return true;
    });
  }
  assert.equal((env.sandbox.payment(prepared.paymentId) as { amount?: { cancelled: number } } | undefined)?.amount?.cancelled, 10_000, 'nothing more was refunded');
  const full = await env.kit.cancel(prepared.paymentId, { reason: '전체 환불' });
  assert.equal(full.status, 'CANCELLED');
  assert.equal(full.cancelledAmount, 64_000);
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.listWebhookDeliveries()).filter((d) => d.type.includes('Cancelled')).length === 2, 'cancel webhooks processed');
  assert.deepEqual(env.hooks.cancelled.map((e) => [e.cancellation.amount, e.cancellation.reason]), [[10_000, '원두 1봉 반품'], [54_000, '전체 환불']]);
  const view = await call(env.kit, get(`/payments/${prepared.paymentId}`));
  assert.deepEqual([view.body.order.status, view.body.order.cancelledAmount], ['CANCELLED', 64_000]);
  await assert.rejects(env.kit.cancel(prepared.paymentId, { reason: 'again' }), /expected PAID or PARTIAL_CANCELLED to refund, got CANCELLED/);
});

test('a refund made in PortOne\u2019s console reaches the order through the webhook', async (t) => {
  const env = await startEnv(t);
  const { prepared } = await env.checkout();
  const response = await fetch(`${env.sandbox.url}/payments/${prepared.paymentId}/cancel`, {
    method: 'POST',
    headers: { authorization: `PortOne ${env.sandbox.apiSecret}` },
    body: JSON.stringify({ reason: 'console refund' }),
  });
  assert.equal(response.status, 200);
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.getOrder(prepared.paymentId))?.status === 'CANCELLED', 'the Cancelled webhook');
  assert.equal(env.hooks.cancelled.length, 1);
  assert.equal(env.hooks.cancelled[0]?.cancellation.reason, 'console refund');
});

test('mounted under /portone on a real server: the same flow over the network', async (t) => {
  const env = await startEnv(t, { basePath: '/portone' });
  const prepared = await (await fetch(`${env.served.url}/portone/payments/prepare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CART) })).json();
  const result = await env.pay(prepared);
  const response = await fetch(`${env.served.url}/portone/payments/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) });
  assert.equal(response.status, 200);
  assert.equal((await response.json()).order.status, 'PAID');
  const view = await fetch(`${env.served.url}/portone/payments/${encodeURIComponent(prepared.paymentId)}`);
  assert.equal((await view.json()).order.status, 'PAID');
  const slash = await fetch(`${env.served.url}/portone/payments/a%2Fb`);
  assert.equal(slash.status, 400);
  assert.equal((await slash.json()).code, 'INVALID_PAYMENT_ID');
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.listWebhookDeliveries()).some((d) => d.status === 'processed'), 'webhooks reach /portone/webhooks');
  assert.equal(env.hooks.paid.length, 1);
});

test('inside a plain node:http server through toNodeListener', async (t) => {
  const env = await startEnv(t);
  const server = createServer(toNodeListener(env.kit));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const prepared = await (await fetch(`${base}/payments/prepare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CART) })).json();
  const result = await env.pay(prepared);
  const complete = await fetch(`${base}/payments/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) });
  assert.equal((await complete.json()).order.status, 'PAID');
  const big = await fetch(`${base}/payments/prepare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ id: 'beans', quantity: 1 }], pad: 'x'.repeat(20_000) }) });
  assert.equal(big.status, 413);
  assert.equal((await big.json()).code, 'BODY_TOO_LARGE');
});

/** What Express's body parsers do before the kit sees the request: read the stream, leave `req.body`. */
function bodyParser(kind: 'json' | 'raw' | 'json-verify') {
  return (req: IncomingMessage, next: () => void) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const parsed = req as IncomingMessage & { body?: unknown; rawBody?: Buffer };
      if (kind === 'raw') parsed.body = bytes;
      else parsed.body = bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : {};
      // express.json({ verify: (req, res, buf) => { req.rawBody = buf } }): the bytes kept too.
      if (kind === 'json-verify') parsed.rawBody = bytes;
      next();
    });
  };
}

test('behind a body parser: a spent body is a 500 naming the parser and the fix; bytes the parser kept are used', async (t) => {
  const env = await startEnv(t);
  const serveBehind = async (kind: 'json' | 'raw' | 'json-verify') => {
    const listener = toNodeListener(env.kit);
    const parse = bodyParser(kind);
    const server = createServer((req, res) => (req.method === 'POST' ? parse(req, () => void listener(req, res)) : void listener(req, res)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(' '));
  t.after(() => void (console.error = original));

  const behindJson = await serveBehind('json');
  const refused = await fetch(`${behindJson}/payments/prepare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CART) });
  const body = await refused.json();
  assert.deepEqual([refused.status, body.code], [500, 'BODY_ALREADY_READ']);
  assert.match(body.message, /express\.json\(\) ran first.*mount the kit before body parsers/);
  assert.match(String(errors.at(-1)), /BODY_ALREADY_READ/, 'and in the server log');
  assert.deepEqual(await env.kit.listOrders(), [], 'nothing was prepared');
  // A GET carries no body: unaffected.
  assert.equal((await fetch(`${behindJson}/payments/pay_unknown`)).status, 404);

  for (const kind of ['raw', 'json-verify'] as const) {
    const base = await serveBehind(kind);
    // Webhooks go only there now: verified over the bytes the parser kept.
    env.sandbox.setWebhookUrls([`${base}/webhooks`]);
    const prepared = await (await fetch(`${base}/payments/prepare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CART) })).json();
    const complete = await fetch(`${base}/payments/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(await env.pay(prepared)) });
    assert.equal((await complete.json()).order.status, 'PAID', kind);
    await env.sandbox.flushWebhooks();
    await eventually(async () => (await env.kit.listWebhookDeliveries({ limit: 100 })).some((d) => d.paymentId === prepared.paymentId && d.status === 'processed'), `a webhook verified behind the ${kind} parser`);
  }
});

test('complete while the window is still open (PortOne: READY) answers 409 PAYMENT_NOT_COMPLETED and changes nothing', async (t) => {
  const env = await startEnv(t);
  const prepared = await env.prepare(CART);
  // What the browser SDK runtime does when it opens the window (the sandbox's window protocol).
  const opened = await fetch(`${env.sandbox.url}/checkout/prepare`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      transactionType: 'PAYMENT',
      request: { storeId: env.sandbox.storeId, channelKey: prepared.channelKey, paymentId: prepared.paymentId, orderName: prepared.orderName, totalAmount: prepared.totalAmount, currency: prepared.currency, payMethod: 'CARD', customer: prepared.customer, customData: prepared.customData },
      client: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0' },
    }),
  });
  assert.equal(opened.status, 200, await opened.clone().text());
  assert.equal(env.sandbox.payment(prepared.paymentId)?.status, 'READY');
  // PortOne's Transaction.Ready webhook tells the kit a window opened for the order.
  await env.sandbox.flushWebhooks();
  const before = await env.kit.getOrder(prepared.paymentId);
  assert.equal(before?.status, 'PENDING');
  assert.equal(typeof before?.startedAt, 'number', 'the window was seen open');
  const answer = await env.post('/payments/complete', { paymentId: prepared.paymentId });
  assert.equal(answer.status, 409);
  assert.equal(answer.body.code, 'PAYMENT_NOT_COMPLETED');
  assert.match(answer.body.message, /expected PortOne to report it PAID, VIRTUAL_ACCOUNT_ISSUED or FAILED, got READY/);
  assert.deepEqual(await env.kit.getOrder(prepared.paymentId), before);
});
