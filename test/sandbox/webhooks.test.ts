// Webhook delivery: Standard Webhooks signatures `Webhook.verify` accepts (both secrets during
// rotation), PortOne's retry schedule on the sandbox clock, Payment.webhooks records, noticeUrls,
// and the delivery faults (drop, duplicate, delay, reorder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from '@portone/server-sdk';
import type { PaidPayment } from '@portone/server-sdk/payment';
import { PORTONE_RETRY_DELAYS_MS, signWebhook } from '../../src/sandbox/index.js';
import { clientFor, eventually, paymentOf, rejection, startReceiver, verifyAll, webhookTypes, withSandbox } from './support.js';

test('deliveries are Standard Webhooks POSTs that Webhook.verify accepts, stamped with the wall clock', async (t) => {
  const receiver = await startReceiver(t);
  // A sandbox clock years off: receivers still check webhook-timestamp against their own clock.
  const sandbox = await withSandbox(t, { clock: 'manual', now: Date.parse('2020-01-01T00:00:00Z'), webhookUrls: [receiver.url] });
  await sandbox.pay({ paymentId: 'wh-1', totalAmount: 1_000 });
  await sandbox.flushWebhooks();
  assert.equal(receiver.received.length, 2);
  const events = await verifyAll(sandbox.webhookSecret, receiver.received);
  const paid = events[1]!;
  assert.equal(paid.type, 'Transaction.Paid');
  assert.deepEqual('data' in paid && paid.data, { paymentId: 'wh-1', storeId: sandbox.storeId, transactionId: paymentOf(sandbox, 'wh-1').transactionId });
  assert.equal((paid as { timestamp: string }).timestamp, '2020-01-01T00:00:00.000Z', 'the body carries the event time (sandbox clock)');
  const headers = receiver.received[1]!.headers;
  assert.equal(headers['content-type'], 'application/json');
  assert.match(headers['webhook-signature'] as string, /^v1,[A-Za-z0-9+/]+=*$/);
  assert.ok(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000) < 5);
  const record = (sandbox.payment('wh-1') as PaidPayment).webhooks!.at(-1)!;
  assert.equal(record.id, headers['webhook-id']);
  assert.equal(record.status, 'SUCCEEDED');
  assert.equal(record.paymentStatus, 'PAID');
  assert.equal(record.currentExecutionCount, 1);
  assert.equal(record.maxExecutionCount, 6);
  assert.equal(record.response?.code, '200');
  assert.equal(record.request?.body, receiver.received[1]!.body);
  await assert.rejects(Webhook.verify('whsec_' + Buffer.from('another-secret-entirely').toString('base64'), receiver.received[1]!.body, headers as Record<string, string>), /시그니처/);
});

test('during rotation every delivery carries a signature per secret; each secret verifies alone', async (t) => {
  const receiver = await startReceiver(t);
  const current = 'whsec_' + Buffer.from('current-secret-0123456789abcdef!').toString('base64');
  const next = 'whsec_' + Buffer.from('next-secret-0123456789abcdefghij').toString('base64');
  const sandbox = await withSandbox(t, { webhookSecret: [current, next], webhookUrls: [receiver.url] });
  assert.deepEqual(sandbox.webhookSecrets, [current, next]);
  await sandbox.issueBillingKey({});
  await sandbox.flushWebhooks();
  for (const delivery of receiver.received) {
    assert.equal((delivery.headers['webhook-signature'] as string).split(' ').length, 2);
  }
  await verifyAll(current, receiver.received);
  await verifyAll(next, receiver.received);
  assert.deepEqual(webhookTypes(receiver.received), ['BillingKey.Ready', 'BillingKey.Issued']);
});

test('signWebhook matches the reference test vector', () => {
  const secret = 'whsec_cG9ydG9uZS1lbXVsYXRvci10ZXN0LXNlY3JldC0zMmIh';
  const body = '{"type":"Transaction.Paid","timestamp":"2024-04-25T10:00:00.000Z","data":{"paymentId":"payment-1","storeId":"store-1","transactionId":"tx-1"}}';
  assert.equal(signWebhook([secret], 'msg_test_0001', '1714039200', body), 'v1,Cd/aXVzFP7/nYSp3VKRqe/WGnQ7NWu6RnZEXi7/t7yc=');
});

test('non-2xx answers are retried on the compressed schedule: same id and body, fresh timestamp', async (t) => {
  const receiver = await startReceiver(t);
  receiver.answer = (n) => (n < 2 ? 503 : 200);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url], webhookRetryDelaysMs: [0, 1_100, 50, 50] });
  const { billingKeyInfo } = await clientFor(sandbox).payment.billingKey.issueBillingKey({
    channelKey: sandbox.channelKeys.billingKey,
    method: { card: { credential: { number: '4242424242424242', expiryYear: '39', expiryMonth: '01' } } },
    customer: { name: { full: '김포트' }, phoneNumber: '010-0000-0000', email: 'a@example.com' },
  });
  await eventually(() => receiver.received.length === 3, 'three attempts');
  const [a, b, c] = receiver.received;
  assert.equal(new Set([a, b, c].map((r) => r!.headers['webhook-id'])).size, 1);
  assert.equal(new Set([a, b, c].map((r) => r!.body)).size, 1);
  assert.notEqual(a!.headers['webhook-timestamp'], b!.headers['webhook-timestamp'], 'each attempt is signed afresh');
  await verifyAll(sandbox.webhookSecret, receiver.received);
  assert.deepEqual(sandbox.webhookDeliveries().map((d) => [d.attempt, d.status, d.ok]), [[1, 503, false], [2, 503, false], [3, 200, true]]);
  assert.ok(billingKeyInfo.billingKey);
});

test("PortOne's default schedule (0, 1, 4, 16, 64, 256 min) runs on the sandbox clock; the record tracks it", async (t) => {
  const receiver = await startReceiver(t);
  receiver.answer = () => 500;
  const sandbox = await withSandbox(t, { clock: 'manual', webhookUrls: [receiver.url] });
  await sandbox.pay({ paymentId: 'retry-1', totalAmount: 1_000 }, { result: 'cancel' });
  await sandbox.flushWebhooks();
  assert.equal(receiver.received.length, 2, 'Ready and Failed, first attempts');
  const failedRecord = () => (paymentOf(sandbox, 'retry-1').webhooks ?? []).find((w) => w.paymentStatus === 'FAILED')!;
  assert.equal(failedRecord().status, 'FAILED_NOT_OK_RESPONSE');
  assert.equal(failedRecord().currentExecutionCount, 1);
  await sandbox.advance(59_999);
  assert.equal(receiver.received.length, 2, 'nothing before a minute');
  await sandbox.advance(1);
  assert.equal(receiver.received.length, 4, 'attempt 2 of both at +1 min');
  for (const minutes of [4, 16, 64]) await sandbox.advance(minutes * 60_000);
  assert.equal(receiver.received.length, 10);
  receiver.answer = () => 204;
  await sandbox.advance(256 * 60_000);
  assert.equal(receiver.received.length, 12, 'six attempts each');
  assert.equal(failedRecord().status, 'SUCCEEDED');
  assert.equal(failedRecord().currentExecutionCount, 6);
  await sandbox.advance(24 * 60 * 60_000);
  assert.equal(receiver.received.length, 12, 'no seventh attempt');
  await verifyAll(sandbox.webhookSecret, receiver.received);
  assert.deepEqual(PORTONE_RETRY_DELAYS_MS, [0, 60_000, 240_000, 960_000, 3_840_000, 15_360_000]);
});

test('an unreachable or hanging receiver counts as FAILED_UNEXPECTED_ERROR and is retried', async (t) => {
  const hanging = createServer(() => {});
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    hanging.closeAllConnections();
    hanging.close();
  });
  const hangUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/hook`;
  await new Promise((resolve) => closed.close(resolve));
  const sandbox = await withSandbox(t, { clock: 'manual', webhookUrls: [closedUrl, hangUrl], webhookTimeoutMs: 200, webhookRetryDelaysMs: [0, 1_000] });
  await sandbox.pay({ paymentId: 'unreach-1', totalAmount: 1_000 });
  await sandbox.flushWebhooks();
  const records = paymentOf(sandbox, 'unreach-1').webhooks!;
  assert.equal(records.length, 4);
  for (const r of records) assert.equal(r.status, 'FAILED_UNEXPECTED_ERROR');
  const errors = sandbox.webhookDeliveries().map((d) => d.error);
  assert.ok(errors.includes('ECONNREFUSED'), String(errors));
  assert.ok(errors.includes('timed out after 200 ms'), String(errors));
  await sandbox.advance(1_000);
  assert.equal(sandbox.webhookDeliveries().length, 8);
});

test('noticeUrls take precedence over the configured URLs; setWebhookUrls replaces those', async (t) => {
  const configured = await startReceiver(t);
  const notice = await startReceiver(t);
  const later = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [configured.url] });
  await sandbox.pay({ paymentId: 'n-1', totalAmount: 1_000, noticeUrls: [notice.url] });
  await sandbox.pay({ paymentId: 'n-2', totalAmount: 1_000 });
  sandbox.setWebhookUrls([later.url]);
  await sandbox.pay({ paymentId: 'n-3', totalAmount: 1_000 });
  await sandbox.flushWebhooks();
  const ids = (r: typeof notice) => r.received.map((d) => (JSON.parse(d.body) as { data: { paymentId: string } }).data.paymentId);
  assert.deepEqual(ids(notice), ['n-1', 'n-1']);
  assert.deepEqual(ids(configured), ['n-2', 'n-2']);
  assert.deepEqual(ids(later), ['n-3', 'n-3']);
  await verifyAll(sandbox.webhookSecret, [...notice.received, ...configured.received, ...later.received]);
});

test('faults: drop sends nothing and never retries; duplicate sends the same webhook-id twice', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url], webhookRetryDelaysMs: [0, 10], faults: { webhooks: { dropRate: 1 } } });
  await sandbox.pay({ paymentId: 'f-1', totalAmount: 1_000 });
  await sandbox.flushWebhooks();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(receiver.received.length, 0);
  assert.deepEqual(sandbox.webhookDeliveries().map((d) => d.dropped), [true, true]);

  sandbox.setFaults({ webhooks: { duplicateRate: 1 } });
  await sandbox.pay({ paymentId: 'f-2', totalAmount: 1_000 });
  await sandbox.flushWebhooks();
  assert.equal(receiver.received.length, 4);
  assert.equal(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size, 2);
  assert.equal(sandbox.webhookDeliveries().filter((d) => d.duplicate).length, 2);
  await verifyAll(sandbox.webhookSecret, receiver.received);
});

test('faults: reorder holds deliveries and releases them newest first; delay postpones each', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url], faults: { webhooks: { reorder: true, reorderWindowMs: 60_000 } } });
  await sandbox.pay({ paymentId: 'r-1', totalAmount: 1_000, payMethod: 'VIRTUAL_ACCOUNT' });
  await sandbox.deposit('r-1');
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(receiver.received.length, 0, 'held');
  await sandbox.flushWebhooks();
  assert.deepEqual(webhookTypes(receiver.received), ['Transaction.Paid', 'Transaction.VirtualAccountIssued', 'Transaction.Ready']);
  await verifyAll(sandbox.webhookSecret, receiver.received);

  sandbox.setFaults({ webhooks: { delayMs: 150 } });
  const startedAt = Date.now();
  await sandbox.pay({ paymentId: 'r-2', totalAmount: 1_000 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(receiver.received.length, 3, 'not yet');
  await sandbox.flushWebhooks();
  assert.equal(receiver.received.length, 5);
  assert.ok(Date.now() - startedAt >= 150);
});

test('faults are seedable: the same seed drops the same deliveries', async (t) => {
  const run = async () => {
    const receiver = await startReceiver(t);
    const sandbox = await withSandbox(t, { webhookUrls: [receiver.url], webhookRetryDelaysMs: [0], faults: { seed: 42, webhooks: { dropRate: 0.5 } } });
    for (let i = 0; i < 10; i++) await sandbox.pay({ paymentId: `s-${i}`, totalAmount: 1_000 });
    await sandbox.flushWebhooks();
    return sandbox.webhookDeliveries().map((d) => Boolean(d.dropped));
  };
  const first = await run();
  assert.deepEqual(await run(), first);
  assert.ok(first.includes(true) && first.includes(false), 'some dropped, some sent');
  const bad = await rejection(withSandbox(t, { faults: { webhooks: { dropRate: 2 } } }));
  assert.match(bad.message, /dropRate: expected a rate between 0 and 1, got 2/);
});

/** A receiver that keeps every request open until `release(status)` answers them all. */
async function holdingReceiver(t: import('node:test').TestContext) {
  const held: import('node:http').ServerResponse[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      bodies.push(body);
      held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    held,
    bodies,
    release(status: number) {
      for (const res of held.splice(0)) res.writeHead(status).end();
    },
  };
}

test('retries go out together and never hold up the clock: an expiry due meanwhile runs while they are on the wire', async (t) => {
  const receiver = await holdingReceiver(t);
  const start = Date.parse('2026-01-01T00:00:00Z');
  const sandbox = await withSandbox(t, { clock: 'manual', now: start, webhookUrls: [receiver.url], webhookRetryDelaysMs: [0, 60_000] });
  for (let i = 0; i < 3; i++) await sandbox.pay({ paymentId: `par-${i}`, totalAmount: 5_000 });
  await sandbox.pay({ paymentId: 'par-va', totalAmount: 5_000, payMethod: 'VIRTUAL_ACCOUNT', virtualAccount: { accountExpiry: { dueDate: '2026-01-01T00:01:01Z' } } });
  await eventually(() => receiver.held.length === 8, 'first attempts on the wire');
  receiver.release(500);
  await sandbox.flushWebhooks();

  const advancing = sandbox.advance(62_000);
  // The account expires while the eight retries hang, all of them on the wire at once (nine
  // requests held: the retries and the expiry's Transaction.Failed).
  await eventually(() => sandbox.payment('par-va')?.status === 'FAILED', 'the expiry, not waiting for the retries');
  await eventually(() => receiver.held.length === 9, 'every retry in flight at the same time');
  receiver.release(200);
  await advancing;
  assert.equal(sandbox.now(), start + 62_000);
  await sandbox.flushWebhooks();
  assert.equal(receiver.bodies.filter((b) => (JSON.parse(b) as { type: string }).type === 'Transaction.Failed').length, 1);
  for (let i = 0; i < 3; i++) assert.ok(paymentOf(sandbox, `par-${i}`).webhooks!.every((w) => w.status === 'SUCCEEDED'));
});

test('reset() cuts off deliveries already on the wire: no record, no retry into the next test', async (t) => {
  const receiver = await holdingReceiver(t);
  const sandbox = await withSandbox(t, { clock: 'manual', webhookUrls: [receiver.url], webhookRetryDelaysMs: [0, 60_000] });
  await sandbox.pay({ paymentId: 'old-test', totalAmount: 5_000 });
  await eventually(() => receiver.held.length === 2, 'both webhooks in flight');
  sandbox.reset();
  receiver.release(500);
  await sandbox.flushWebhooks();
  await sandbox.advance(24 * 3_600_000);
  await sandbox.flushWebhooks();
  assert.equal(receiver.bodies.length, 2, 'the failed attempts from before reset() are not retried');
  assert.deepEqual(sandbox.webhookDeliveries(), []);
});

test('a redirecting receiver is a failed attempt (FAILED_NOT_OK_RESPONSE); the redirect is not followed', async (t) => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === '/hook') res.writeHead(301, { location: '/hook/' }).end();
    else res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const sandbox = await withSandbox(t, { webhookUrls: [`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`], webhookRetryDelaysMs: [0] });
  await sandbox.pay({ paymentId: 'redir-1', totalAmount: 5_000 });
  await sandbox.flushWebhooks();
  assert.deepEqual(seen, ['POST /hook', 'POST /hook']);
  assert.deepEqual(paymentOf(sandbox, 'redir-1').webhooks!.map((w) => [w.status, w.response?.code]), [['FAILED_NOT_OK_RESPONSE', '301'], ['FAILED_NOT_OK_RESPONSE', '301']]);
  assert.deepEqual(sandbox.webhookDeliveries().map((d) => [d.status, d.ok]), [[301, false], [301, false]]);
});
