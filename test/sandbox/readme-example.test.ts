// docs/sandbox.md's sandbox example, verbatim (readme.test.ts checks the doc still shows exactly this).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { PortOneClient, Webhook } from '@portone/server-sdk';
import { createSandbox } from 'portone-checkout-kit/sandbox';

test('an order paid by card, then by virtual account, each confirmed by signed webhooks', async (t) => {
  // Your webhook endpoint would be here; this one just keeps what arrives.
  const deliveries: { body: string; headers: Record<string, string> }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      deliveries.push({ body, headers: req.headers as Record<string, string> });
      res.end();
    });
  }).listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  t.after(() => receiver.close());

  const sandbox = await createSandbox({ webhookUrls: [`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/portone/webhooks`] });
  t.after(() => sandbox.close());
  const portone = PortOneClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url });

  // The shopper approves the KG Inicis window (driven from Node: same checkout server, same effects).
  const result = await sandbox.pay({ paymentId: 'order-1', orderName: '원두 1kg', totalAmount: 32_000 });
  assert.equal(result.code, undefined);
  assert.equal((await portone.payment.getPayment({ paymentId: 'order-1' })).status, 'PAID');

  // A virtual account: issued by the window now, paid when the money arrives.
  await sandbox.pay({ paymentId: 'order-2', orderName: '원두 2kg', totalAmount: 60_000, payMethod: 'VIRTUAL_ACCOUNT' });
  assert.equal((await portone.payment.getPayment({ paymentId: 'order-2' })).status, 'VIRTUAL_ACCOUNT_ISSUED');
  await sandbox.deposit('order-2');
  assert.equal((await portone.payment.getPayment({ paymentId: 'order-2' })).status, 'PAID');

  await sandbox.flushWebhooks();
  const events = await Promise.all(deliveries.map((d) => Webhook.verify(sandbox.webhookSecret, d.body, d.headers)));
  assert.deepEqual(events.map((e) => e.type), [
    'Transaction.Ready', 'Transaction.Paid',
    'Transaction.Ready', 'Transaction.VirtualAccountIssued', 'Transaction.Paid',
  ]);
});
