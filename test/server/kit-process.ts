// One kit instance in its own process, for exactly-once.test.ts: it opens the shared SQLite file,
// says "ready", waits for "go" on stdin, then fires completes and signed Paid webhooks for one
// payment at once, printing "paid <paymentId>" from onPaid and "done <statuses>" at the end.
import { createInterface } from 'node:readline';
import { createCheckoutServer } from '../../src/server/index.js';
import { priceOrder, sign } from './support.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`kit-process: expected ${name} in the environment`);
  return value;
};

const paymentId = env('PCK_PAYMENT_ID');
const storeId = env('PCK_STORE_ID');
const webhookSecret = env('PCK_WEBHOOK_SECRET');
const kit = createCheckoutServer({
  portone: { apiSecret: env('PCK_API_SECRET'), storeId, baseUrl: env('PCK_SANDBOX_URL') },
  webhookSecret,
  priceOrder,
  database: env('PCK_DATABASE'),
  allowTestChannels: true,
  hookPollMs: 0,
  logger: {},
  async onPaid(event) {
    // A slow hook widens the window in which a second fulfilment could sneak in.
    await new Promise((resolve) => setTimeout(resolve, 10));
    process.stdout.write(`paid ${event.order.paymentId}\n`);
  },
});
await kit.ready;

function webhook(n: number): Request {
  const body = JSON.stringify({ type: 'Transaction.Paid', timestamp: new Date().toISOString(), data: { paymentId, storeId, transactionId: `tx-${n}` } });
  // The same ids in every process: PortOne's retries of one delivery reach different instances.
  const id = `msg_shared_${n}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return new Request('http://shop.test/webhooks', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(webhookSecret, id, timestamp, body) },
    body,
  });
}

process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line !== 'go') continue;
  const complete = () => new Request('http://shop.test/payments/complete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paymentId }) });
  const answers = await Promise.all([...Array.from({ length: 20 }, () => kit.fetch(complete())), ...Array.from({ length: 10 }, (_, n) => kit.fetch(webhook(n)))]);
  const statuses = answers.map((a) => a.status);
  process.stdout.write(`done ${JSON.stringify(statuses)}\n`);
  break;
}
lines.close();
await kit.close();
