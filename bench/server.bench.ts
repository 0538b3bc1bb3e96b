// The kit's complete route against a bare handler that only reads the payment from PortOne (same SDK
// client, same Node adapter, same load, same run), with the sandbox as PortOne on loopback; then the
// webhook route with distinct, freshly signed deliveries. Every complete re-reads PortOne (that is
// the contract), so the ratio is the kit's own overhead: body parsing, SQLite, verification.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { PortOneClient } from '@portone/server-sdk';
import { createSandbox } from '../src/sandbox/index.js';
import { createCheckoutServer, type PricedOrder } from '../src/server/index.js';
import { serveCheckout } from '../src/server/node.js';
import { figure, runLoad, type LoadRequest, type LoadResult } from './support/load.js';

const ORDERS = 400;
const CONNECTIONS = 32;
/** Short rounds, alternating bare and kit: a load spike from elsewhere on the machine hits one pair, not the figure. */
const DURATION_MS = 1_500;
const ROUNDS = 8;

const dir = mkdtempSync(join(tmpdir(), 'pck-bench-'));
const sandbox = await createSandbox({});
let paid = 0;
const kit = createCheckoutServer({
  portone: { apiSecret: sandbox.apiSecret, storeId: sandbox.storeId, baseUrl: sandbox.url },
  webhookSecret: sandbox.webhookSecret,
  database: join(dir, 'checkout.sqlite'),
  allowTestChannels: true,
  channelKeys: { payment: sandbox.channelKeys.payment },
  hookPollMs: 0,
  priceOrder: (): PricedOrder => ({ orderName: '커피 원두 1kg', totalAmount: 32_000, currency: 'KRW', lines: [{ id: 'beans', name: '커피 원두 1kg', quantity: 1, unitAmount: 32_000 }] }),
  onPaid: () => void paid++,
});
const kitServer = await serveCheckout(kit);

// The baseline: what any complete endpoint must at least do — read the body, fetch the payment, answer.
const client = PortOneClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url, storeId: sandbox.storeId });
const bareServer = await serveCheckout({
  async fetch(request: Request) {
    const { paymentId } = (await request.json()) as { paymentId: string };
    const payment = await client.payment.getPayment({ paymentId, storeId: sandbox.storeId });
    return Response.json({ payment });
  },
});

// Orders paid through the window, as shoppers would have; webhooks are not sent (measured separately).
console.log(`setting up ${ORDERS} paid orders…`);
const paymentIds: string[] = [];
for (let i = 0; i < ORDERS; i++) {
  const prepared = await (await kit.fetch(new Request(`${kitServer.url}/payments/prepare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ id: 'beans', quantity: 1 }] }) }))).json();
  await sandbox.pay({ paymentId: prepared.paymentId, orderName: prepared.orderName, totalAmount: prepared.totalAmount, currency: prepared.currency, channelKey: prepared.channelKey, customData: prepared.customData });
  const answer = await kit.fetch(new Request(`${kitServer.url}/payments/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paymentId: prepared.paymentId }) }));
  if (answer.status !== 200) throw new Error(`setup complete answered ${answer.status}: ${await answer.text()}`);
  paymentIds.push(prepared.paymentId);
}
if (paid !== ORDERS) throw new Error(`expected ${ORDERS} fulfilments during setup, got ${paid}`);

const completes = (base: string): LoadRequest[] =>
  paymentIds.map((paymentId) => ({ method: 'POST', url: `${base}/payments/complete`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paymentId }) }));

const check = (name: string, result: LoadResult) => {
  console.log(`${name}: ${result.rps} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.requests} requests, statuses ${JSON.stringify(result.statuses)}`);
  if (result.errors > 0) throw new Error(`${name}: ${result.errors} answers outside 2xx`);
};

// Alternate bare and kit rounds so both see the same machine state; CPU time per request is printed
// too, since it does not depend on what else the machine is doing.
const bare: LoadResult[] = [];
const kitRuns: LoadResult[] = [];
const cpu = { bare: 0, kit: 0 };
const measure = async (name: string, base: string, into: LoadResult[], key: keyof typeof cpu) => {
  const before = process.cpuUsage();
  const result = await runLoad({ requests: completes(base), connections: CONNECTIONS, durationMs: DURATION_MS, warmupMs: 300 });
  const used = process.cpuUsage(before);
  cpu[key] += (used.user + used.system) / result.requests / ROUNDS;
  check(name, result);
  into.push(result);
};
for (let round = 0; round < ROUNDS; round++) {
  await measure(`bare getPayment, round ${round + 1}`, bareServer.url, bare, 'bare');
  await measure(`kit complete, round ${round + 1}`, kitServer.url, kitRuns, 'kit');
}
if (paid !== ORDERS) throw new Error(`re-completing paid orders fulfilled again: ${paid - ORDERS} extra onPaid`);
console.log(`CPU per request (this process, incl. the sandbox and the load worker): bare ${cpu.bare.toFixed(0)} µs, kit ${cpu.kit.toFixed(0)} µs`);

// Webhooks: each a distinct delivery (its own webhook-id), signed now, so none is a cheap duplicate.
const key = Buffer.from(sandbox.webhookSecret.replace(/^whsec_/, ''), 'base64');
const timestamp = String(Math.floor(Date.now() / 1000));
const webhooks: LoadRequest[] = Array.from({ length: 30_000 }, (_, n) => {
  const paymentId = paymentIds[n % paymentIds.length]!;
  const body = JSON.stringify({ type: 'Transaction.Paid', timestamp: new Date().toISOString(), data: { paymentId, storeId: sandbox.storeId, transactionId: `tx-${n}` } });
  const id = `msg_bench_${n}`;
  const signature = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  return { method: 'POST', url: `${kitServer.url}/webhooks`, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, body };
});
const hooks = await runLoad({ requests: webhooks, connections: CONNECTIONS, durationMs: DURATION_MS, once: true });
check('kit webhooks', hooks);

const mean = (runs: LoadResult[], pick: (r: LoadResult) => number) => runs.reduce((sum, r) => sum + pick(r), 0) / runs.length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
figure('complete-rps', Math.round(mean(kitRuns, (r) => r.rps)));
figure('complete-p99-ms', Number(median(kitRuns.map((r) => r.p99Ms)).toFixed(2)));
figure('webhook-rps', hooks.rps);
// Each kit round against the bare round just before it; the median pair, so one disturbed pair does not decide.
figure('complete-vs-bare-ratio', Number(median(kitRuns.map((k, i) => k.rps / bare[i]!.rps)).toFixed(3)));

await kitServer.close();
await bareServer.close();
await kit.close();
await sandbox.close();
rmSync(dir, { recursive: true, force: true });
