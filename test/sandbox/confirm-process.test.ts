// PortOne's confirm process (`confirmUrl`): before approving a payment the window POSTs a signed
// `Transaction.Confirm` there; only a 200 approves, anything else stops the payment with
// `ConfirmProcessFailed` and the shop's `errorMessage` in the SDK result.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from '@portone/server-sdk';
import { PaymentError } from '@portone/browser-sdk/v2';
import { paymentOf, rejection, startReceiver, webhookTypes, withSandbox } from './support.js';

/** A confirm endpoint answering `status` with `body`, keeping what it received. */
async function confirmEndpoint(t: TestContext, status: number, body = ''): Promise<{ url: string; received: { headers: Record<string, string>; body: string }[] }> {
  const received: { headers: Record<string, string>; body: string }[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body: text });
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/portone/confirm`, received };
}

test('confirmUrl answering 200: a signed Transaction.Confirm arrives before the approval, then the payment is PAID', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const confirm = await confirmEndpoint(t, 200, '{}');
  const result = await sandbox.pay({ paymentId: 'c-ok', totalAmount: 15_000, confirmUrl: confirm.url });
  assert.equal(result.code, undefined);
  assert.equal(paymentOf(sandbox, 'c-ok').status, 'PAID');
  assert.equal(confirm.received.length, 1);
  const event = await Webhook.verify(sandbox.webhookSecret, confirm.received[0]!.body, confirm.received[0]!.headers);
  assert.equal(event.type, 'Transaction.Confirm');
  const payment = paymentOf(sandbox, 'c-ok');
  assert.deepEqual((event as { data: unknown }).data, { paymentId: 'c-ok', storeId: sandbox.storeId, transactionId: payment.transactionId, totalAmount: 15_000 });
  await sandbox.flushWebhooks();
  assert.deepEqual(webhookTypes(receiver.received), ['Transaction.Ready', 'Transaction.Paid'], 'the confirm request is not a webhook to the webhook URLs');
  assert.ok(sandbox.webhookDeliveries().some((d) => d.type === 'Transaction.Confirm' && d.status === 200), 'it shows in the delivery log (and tail)');
});

test('confirmUrl refusing: ConfirmProcessFailed with the shop\'s errorMessage, the payment FAILED; only 200 approves; a decline never asks', async (t) => {
  const sandbox = await withSandbox(t);
  const refusing = await confirmEndpoint(t, 409, JSON.stringify({ errorMessage: '재고가 모두 소진되었습니다.' }));
  const result = await sandbox.pay({ paymentId: 'c-no', totalAmount: 15_000, confirmUrl: refusing.url });
  assert.deepEqual([result.code, result.message], ['ConfirmProcessFailed', '재고가 모두 소진되었습니다.']);
  const failed = paymentOf(sandbox, 'c-no');
  assert.equal(failed.status, 'FAILED');
  assert.equal(failed.status === 'FAILED' && failed.failure.reason, '재고가 모두 소진되었습니다.');

  // Only 200 approves: a 201 or 204 does not.
  const created = await confirmEndpoint(t, 201, '{}');
  assert.equal((await sandbox.pay({ paymentId: 'c-201', totalAmount: 1_000, confirmUrl: created.url })).code, 'ConfirmProcessFailed');
  // No answer at all (nobody listens there): stopped too, saying why.
  const nobody = createServer();
  await new Promise<void>((resolve) => nobody.listen(0, '127.0.0.1', resolve));
  const port = (nobody.address() as AddressInfo).port;
  await new Promise((resolve) => nobody.close(resolve));
  const closed = await sandbox.pay({ paymentId: 'c-down', totalAmount: 1_000, confirmUrl: `http://127.0.0.1:${port}/confirm` });
  assert.equal(closed.code, 'ConfirmProcessFailed');
  assert.match(closed.message!, /could not be reached \(ECONNREFUSED\)/);

  const redirect = await sandbox.pay({ paymentId: 'c-mobile', totalAmount: 1_000, confirmUrl: refusing.url, redirectUrl: 'https://shop.example/return' }, undefined, { device: 'mobile' });
  assert.equal(redirect.code, 'ConfirmProcessFailed');
  // A declined window never asks the shop.
  const before = refusing.received.length;
  await sandbox.pay({ paymentId: 'c-decline', totalAmount: 1_000, confirmUrl: refusing.url }, { result: 'decline' });
  assert.equal(refusing.received.length, before);
});

test('confirmUrl must be an http(s) URL; the window cannot end twice while the shop decides', async (t) => {
  const sandbox = await withSandbox(t);
  const bad = await rejection(sandbox.pay({ paymentId: 'c-bad', totalAmount: 1_000, confirmUrl: 'ftp://shop.example/confirm' }));
  assert.ok(bad instanceof PaymentError);
  assert.match(bad.message, /confirmUrl/);
  // A slow shop: the window's second answer while the first waits is refused.
  let release!: () => void;
  const server = createServer((req, res) => {
    req.resume();
    release = () => res.writeHead(200).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const prepared = await fetch(`${sandbox.url}/checkout/prepare`, {
    method: 'POST',
    body: JSON.stringify({
      transactionType: 'PAYMENT',
      request: { storeId: sandbox.storeId, channelKey: sandbox.channelKeys.payment, paymentId: 'c-slow', orderName: 'x', totalAmount: 1_000, currency: 'KRW', payMethod: 'CARD', customer: { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'a@example.com' }, confirmUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` },
      client: { userAgent: 'test' },
    }),
  });
  const { txId } = (await prepared.json()) as { txId: string };
  const complete = () => fetch(`${sandbox.url}/checkout/transactions/${txId}/complete`, { method: 'POST', body: JSON.stringify({ action: { result: 'approve' } }) });
  const first = complete();
  while (!release) await new Promise((resolve) => setTimeout(resolve, 5));
  const second = await complete();
  assert.equal(second.status, 409);
  assert.match(((await second.json()) as { message: string }).message, /confirm process is under way/);
  release();
  assert.equal((await first).status, 200);
  assert.equal(paymentOf(sandbox, 'c-slow').status, 'PAID');
});
