// The webhook tools of `createSandbox()` (the same actions as `npx portone-sandbox trigger |
// replay | tail` and `--env`): realistic signed webhooks for existing or made-up payments and
// keys, captured bodies replayed under the sandbox's signature, and every delivery as it happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PaymentClient } from '@portone/server-sdk/payment';
import { TRIGGER_EVENTS, type SandboxWebhookDelivery } from '../../src/sandbox/index.js';
import { paymentOf, rejection, startReceiver, succeeded, verifyAll, webhookTypes, withSandbox } from './support.js';

test('trigger without an id makes the payment or key up through the real paths: every event, with the webhooks its making sends', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const client = PaymentClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url });
  const expected: Record<(typeof TRIGGER_EVENTS)[number], { webhooks: string[]; status?: string }> = {
    'Transaction.Ready': { webhooks: ['Transaction.Ready'], status: 'READY' },
    'Transaction.Paid': { webhooks: ['Transaction.Ready', 'Transaction.Paid'], status: 'PAID' },
    'Transaction.VirtualAccountIssued': { webhooks: ['Transaction.Ready', 'Transaction.VirtualAccountIssued'], status: 'VIRTUAL_ACCOUNT_ISSUED' },
    'Transaction.Failed': { webhooks: ['Transaction.Ready', 'Transaction.Failed'], status: 'FAILED' },
    'Transaction.Cancelled': { webhooks: ['Transaction.Ready', 'Transaction.Paid', 'Transaction.Cancelled'], status: 'CANCELLED' },
    'Transaction.PartialCancelled': { webhooks: ['Transaction.Ready', 'Transaction.Paid', 'Transaction.PartialCancelled'], status: 'PARTIAL_CANCELLED' },
    'BillingKey.Ready': { webhooks: ['BillingKey.Ready'] },
    'BillingKey.Issued': { webhooks: ['BillingKey.Ready', 'BillingKey.Issued'] },
    'BillingKey.Failed': { webhooks: ['BillingKey.Ready', 'BillingKey.Failed'] },
    'BillingKey.Deleted': { webhooks: ['BillingKey.Ready', 'BillingKey.Issued', 'BillingKey.Deleted'] },
  };
  assert.deepEqual(Object.keys(expected), [...TRIGGER_EVENTS]);
  for (const event of TRIGGER_EVENTS) {
    const before = receiver.received.length;
    const result = await sandbox.trigger(event);
    assert.deepEqual(result.deliveries.map((d) => [d.type, d.status]), expected[event].webhooks.map((type) => [type, 200]), event);
    assert.deepEqual(webhookTypes(receiver.received.slice(before)), expected[event].webhooks, event);
    if (expected[event].status) {
      // What the shop reads back agrees with the webhook.
      assert.equal(paymentOf(sandbox, result.paymentId!).status, expected[event].status);
      if (event !== 'Transaction.Ready') assert.equal((await client.getPayment({ paymentId: result.paymentId! })).status, expected[event].status);
    } else assert.ok(result.billingKey?.startsWith('billing-key-'));
  }
  await verifyAll(sandbox.webhookSecret, receiver.received);
  const cancelled = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: { cancellationId?: string } }).find((w) => w.type === 'Transaction.Cancelled')!;
  assert.ok(cancelled.data.cancellationId, 'a cancel event names its cancellation');
});

test('trigger for an existing payment or key: only an event it has been through, recorded on the payment as MANUAL', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  await sandbox.pay({ paymentId: 'tr-1', totalAmount: 10_000 });
  await PaymentClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url }).cancelPayment({ paymentId: 'tr-1', reason: '부분', amount: 4_000 });
  await sandbox.flushWebhooks();
  const again = await sandbox.trigger('Transaction.Paid', { paymentId: 'tr-1' });
  assert.deepEqual(again.deliveries.map((d) => d.type), ['Transaction.Paid']);
  const partial = await sandbox.trigger('Transaction.PartialCancelled', { paymentId: 'tr-1' });
  const body = JSON.parse(partial.deliveries[0]!.body) as { data: { paymentId: string; cancellationId: string } };
  const payment = paymentOf(sandbox, 'tr-1');
  assert.equal(body.data.cancellationId, payment.status === 'PARTIAL_CANCELLED' ? succeeded(payment.cancellations[0]!).id : '');
  assert.deepEqual(payment.webhooks!.slice(-2).map((w) => [w.trigger, w.isAsync]), [['MANUAL', false], ['MANUAL', false]]);
  const wrong = await rejection(sandbox.trigger('Transaction.Cancelled', { paymentId: 'tr-1' }));
  assert.ok(wrong instanceof TypeError);
  assert.match(wrong.message, /payment "tr-1" is PARTIAL_CANCELLED; Transaction.Cancelled fits a CANCELLED payment/);
  assert.match((await rejection(sandbox.trigger('Transaction.Paid', { paymentId: 'nope' }))).message, /payment "nope" does not exist \(omit paymentId to make one up\)/);
  assert.match((await rejection(sandbox.trigger('Transaction.Shipped' as 'Transaction.Paid'))).message, /expected one of Transaction.Ready, .*BillingKey.Deleted, got "Transaction.Shipped"/);
  assert.match((await rejection(sandbox.trigger('BillingKey.Issued', { paymentId: 'tr-1' }))).message, /about a billing key: pass billingKey/);
  const key = (await sandbox.issueBillingKey()).billingKey;
  assert.deepEqual((await sandbox.trigger('BillingKey.Issued', { billingKey: key })).deliveries.map((d) => d.type), ['BillingKey.Issued']);
  assert.match((await rejection(sandbox.trigger('BillingKey.Deleted', { billingKey: key }))).message, /is ISSUED; BillingKey.Deleted fits a deleted billing key/);
  await verifyAll(sandbox.webhookSecret, receiver.received);
});

test('replay: a captured body is delivered byte for byte under the sandbox\'s signature and a fresh id, retried like any webhook', async (t) => {
  const receiver = await startReceiver(t);
  receiver.answer = (n) => (n === 0 ? 500 : 200);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url], webhookRetryDelaysMs: [0, 50] });
  const captured = '{"type":"Transaction.Paid","timestamp":"2025-11-02T03:04:05.678Z","data":{"paymentId":"order-20251102-17","storeId":"store-production-1","transactionId":"0193f0d1-aaaa-7bbb-8ccc-ddddeeeeffff"}}';
  const [first] = await sandbox.replay(`\n${captured}\n`);
  assert.deepEqual([first!.status, first!.body], [500, captured]);
  await sandbox.flushWebhooks();
  await new Promise((resolve) => setTimeout(resolve, 150));
  await sandbox.flushWebhooks();
  assert.deepEqual(receiver.received.map((r) => [r.status, r.body]), [[500, captured], [200, captured]], 'retried on the schedule, the body unchanged');
  const [event] = await verifyAll(sandbox.webhookSecret, receiver.received.slice(1));
  assert.equal((event as { data: { storeId: string } }).data.storeId, 'store-production-1');
  assert.equal(receiver.received[0]!.headers['webhook-id'], receiver.received[1]!.headers['webhook-id']);

  const elsewhere = await startReceiver(t);
  const [there] = await sandbox.replay(captured, { urls: [elsewhere.url] });
  assert.deepEqual([there!.url, there!.status], [elsewhere.url, 200]);
  assert.match((await rejection(sandbox.replay('{"data":{}}'))).message, /expected a webhook body like \{"type":"Transaction.Paid"/);
  assert.match((await rejection(sandbox.replay('not json'))).message, /replay: the body is not JSON/);
  assert.match((await rejection(sandbox.replay(captured, { urls: ['ftp://x'] }))).message, /http/);
});

test('tail: every attempt as it happens, with the receiver\'s answer; stop ends it. env: the credentials as PORTONE_* variables', async (t) => {
  const receiver = await startReceiver(t);
  receiver.answer = () => 202;
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const seen: SandboxWebhookDelivery[] = [];
  const stop = sandbox.tail((d) => seen.push(d));
  await sandbox.pay({ paymentId: 'tail-1', totalAmount: 1_000 });
  await sandbox.flushWebhooks();
  stop();
  await sandbox.pay({ paymentId: 'tail-2', totalAmount: 1_000 });
  await sandbox.flushWebhooks();
  assert.deepEqual(seen.map((d) => [d.type, d.status, d.responseBody]), [['Transaction.Ready', 202, 'ok'], ['Transaction.Paid', 202, 'ok']]);
  assert.ok(seen.every((d) => typeof d.durationMs === 'number' && d.durationMs >= 0));

  const env = sandbox.env();
  assert.deepEqual(Object.keys(env), ['PORTONE_API_URL', 'PORTONE_STORE_ID', 'PORTONE_CHANNEL_KEY', 'PORTONE_BILLING_CHANNEL_KEY', 'PORTONE_PHONE_BILLING_CHANNEL_KEY', 'PORTONE_IDENTITY_CHANNEL_KEY', 'PORTONE_API_SECRET', 'PORTONE_WEBHOOK_SECRET', 'PORTONE_SDK_URL', 'PORTONE_SANDBOX_TOKEN']);
  assert.deepEqual([env.PORTONE_API_URL, env.PORTONE_STORE_ID, env.PORTONE_API_SECRET, env.PORTONE_WEBHOOK_SECRET, env.PORTONE_SANDBOX_TOKEN], [sandbox.url, sandbox.storeId, sandbox.apiSecret, sandbox.webhookSecret, sandbox.controlToken]);
  assert.equal((await PaymentClient({ secret: env.PORTONE_API_SECRET!, baseUrl: env.PORTONE_API_URL! }).getPayment({ paymentId: 'tail-1' })).status, 'PAID');
});
