// The kit's complete route against a bare handler that only reads the payment from PortOne (same SDK
// client, same Node adapter, same load, same run), with the sandbox as PortOne on loopback; then the
// webhook route with distinct, freshly signed deliveries.
//
// The headline figures are first completes: each round sets up payments that PortOne holds as PAID
// and the kit has not seen completed; the bare handler reads them and the kit completes each of them
// exactly once — reading PortOne, verifying, the PENDING → PAID transition with its outbox event,
// onPaid, the answer — the two in alternating order from round to round. A complete repeated for an
// order already paid (a browser retry) is printed as an extra figure of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { createSandbox } from '../src/sandbox/index.js';
import { createCheckoutServer } from '../src/server/index.js';
import { serveCheckout } from '../src/server/node.js';
import { check, CONNECTIONS, completes as completesOn, loadAverage, mean as meanOf, median, once, paidOrders as paidOrdersOn, priceOrder, serveBare } from './support/checkout.js';
import { figure, runLoad, type LoadRequest, type LoadResult } from './support/load.js';

/** Fresh payments per round: each is completed once, so a round lasts as long as they take. */
const PER_ROUND = 1_200;
/**
 * Pairs of bare and kit rounds, which of the two goes first alternating: a load spike from elsewhere
 * on the machine hits one pair, not the figure, and neither side always runs on a warmer machine.
 */
const ROUNDS = 9;
const REPEAT_ROUNDS = 3;

const dir = mkdtempSync(join(tmpdir(), 'pck-bench-'));
const sandbox = await createSandbox({});
// No webhooks: they would complete the orders before the measured completes do.
sandbox.setWebhookUrls([]);
let paid = 0;
const kit = createCheckoutServer({
  portone: { apiSecret: sandbox.apiSecret, storeId: sandbox.storeId, baseUrl: sandbox.url },
  webhookSecret: sandbox.webhookSecret,
  database: join(dir, 'checkout.sqlite'),
  allowTestChannels: true,
  channelKeys: { payment: sandbox.channelKeys.payment },
  hookPollMs: 0,
  logger: {},
  priceOrder,
  onPaid: () => void paid++,
});
const kitServer = await serveCheckout(kit);

// The baseline: what any complete endpoint must at least do — read the body, fetch the payment, answer.
const bareServer = await serveBare(sandbox);

/** Orders prepared through the kit and paid in the window, as shoppers would have; not completed. */
const paidOrders = (count: number): Promise<string[]> => paidOrdersOn(kit, sandbox, count);
const completes = (base: string, ids: string[]): LoadRequest[] => completesOn(base, ids);

// CPU time per request is printed too, since it does not depend on what else the machine is doing.
const cpuOf = async (run: () => Promise<LoadResult>): Promise<{ result: LoadResult; cpuUs: number }> => {
  const before = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(before);
  return { result, cpuUs: (used.user + used.system) / Math.max(1, result.requests) };
};

console.log(`load average before: ${loadAverage()}`);
// A warm-up round, not measured: JIT, SQLite page cache, keep-alive sockets.
{
  const ids = await paidOrders(300);
  await once(completes(bareServer.url, ids));
  await once(completes(kitServer.url, ids));
}

const bare: LoadResult[] = [];
const first: LoadResult[] = [];
const cpu = { bare: 0, kit: 0 };
const completed: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const ids = await paidOrders(PER_ROUND);
  const paidBefore = paid;
  // The bare handler reads exactly the payments the kit completes (for the first time): PAID either way.
  const bareRound = async () => {
    const measured = await cpuOf(() => once(completes(bareServer.url, ids)));
    check(`bare getPayment, round ${round + 1}`, measured.result, ids.length);
    return measured;
  };
  const kitRound = async () => {
    const measured = await cpuOf(() => once(completes(kitServer.url, ids)));
    check(`kit first complete, round ${round + 1}`, measured.result, ids.length);
    return measured;
  };
  // Which side goes first alternates from round to round.
  const bareFirst = round % 2 === 0;
  const earlier = bareFirst ? await bareRound() : await kitRound();
  const later = bareFirst ? await kitRound() : await bareRound();
  const [b, k] = bareFirst ? [earlier, later] : [later, earlier];
  if (paid - paidBefore !== ids.length) throw new Error(`round ${round + 1}: expected ${ids.length} fulfilments, got ${paid - paidBefore}`);
  bare.push(b.result);
  first.push(k.result);
  cpu.bare += b.cpuUs / ROUNDS;
  cpu.kit += k.cpuUs / ROUNDS;
  completed.push(...ids);
}
console.log(`CPU per request (this process: the server, the sandbox and the load worker): bare ${cpu.bare.toFixed(0)} µs, kit first complete ${cpu.kit.toFixed(0)} µs`);

// The extra figure: completes repeated for orders already paid (a browser retry, a refresh).
const paidAfterFirst = paid;
const repeatBare: LoadResult[] = [];
const repeat: LoadResult[] = [];
const sample = completed.slice(0, PER_ROUND);
for (let round = 0; round < REPEAT_ROUNDS; round++) {
  const b = await once(completes(bareServer.url, sample));
  check(`bare getPayment (paid orders), repeat round ${round + 1}`, b, sample.length);
  const k = await once(completes(kitServer.url, sample));
  check(`kit repeated complete, round ${round + 1}`, k, sample.length);
  repeatBare.push(b);
  repeat.push(k);
}
if (paid !== paidAfterFirst) throw new Error(`repeated completes fulfilled again: ${paid - paidAfterFirst} extra onPaid`);

// Webhooks: each a distinct delivery (its own webhook-id), signed now, so none is a cheap duplicate.
const key = Buffer.from(sandbox.webhookSecret.replace(/^whsec_/, ''), 'base64');
const timestamp = String(Math.floor(Date.now() / 1000));
const webhooks: LoadRequest[] = Array.from({ length: 30_000 }, (_, n) => {
  const paymentId = completed[n % completed.length]!;
  const body = JSON.stringify({ type: 'Transaction.Paid', timestamp: new Date().toISOString(), data: { paymentId, storeId: sandbox.storeId, transactionId: `tx-${n}` } });
  const id = `msg_bench_${n}`;
  const signature = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  return { method: 'POST', url: `${kitServer.url}/webhooks`, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, body };
});
const hooks = await runLoad({ requests: webhooks, connections: CONNECTIONS, durationMs: 1_500, once: true });
console.log(`kit webhooks: ${hooks.rps} req/s, p50 ${hooks.p50Ms} ms, p99 ${hooks.p99Ms} ms, ${hooks.requests} requests, statuses ${JSON.stringify(hooks.statuses)}`);
if (hooks.errors > 0) throw new Error(`kit webhooks: ${hooks.errors} answers outside 2xx`);
console.log(`load average after: ${loadAverage()}`);

const mean = (runs: LoadResult[], pick: (r: LoadResult) => number) => meanOf(runs.map(pick));
figure('complete-rps', Math.round(mean(first, (r) => r.rps)));
figure('complete-p99-ms', Number(median(first.map((r) => r.p99Ms)).toFixed(2)));
figure('webhook-rps', hooks.rps);
// Each kit round against the bare round of its pair, on the same payments; the median pair, so one disturbed pair does not decide.
figure('complete-vs-bare-ratio', Number(median(first.map((k, i) => k.rps / bare[i]!.rps)).toFixed(3)));
figure('complete-repeat-rps', Math.round(mean(repeat, (r) => r.rps)));
figure('complete-repeat-vs-bare-ratio', Number(median(repeat.map((k, i) => k.rps / repeatBare[i]!.rps)).toFixed(3)));

await kitServer.close();
await bareServer.close();
await kit.close();
await sandbox.close();
rmSync(dir, { recursive: true, force: true });
