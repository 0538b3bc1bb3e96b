// Exactly once, under the races a real shop sees: dozens of completes and webhook deliveries for one
// payment at the same moment, several kit instances on one SQLite file, hooks that throw, and a
// PortOne that fails 30% of its requests — after which reconcile() still loses no order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../../src/sandbox/index.js';
import { createCheckoutServer, type PaidEvent } from '../../src/server/index.js';
import { serveCheckout } from '../../src/server/node.js';
import { BUYER, CART, eventually, issueKey, prepareBillingKey, startEnv } from './harness.js';
import { call, post, priceOrder, sign } from './support.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A resend of the Paid webhook under a new webhook-id, signed as PortOne signs. */
function paidWebhook(url: string, secret: string, paymentId: string, storeId: string, n: number): Request {
  const body = JSON.stringify({ type: 'Transaction.Paid', timestamp: new Date().toISOString(), data: { paymentId, storeId, transactionId: `tx-${n}` } });
  const id = `msg_race_${n}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(secret, id, timestamp, body) },
    body,
  });
}

test('50 concurrent completes and webhook deliveries for one payment: exactly one onPaid', async (t) => {
  const paid: PaidEvent[] = [];
  // A slow hook widens the window in which a second fulfilment could sneak in.
  const env = await startEnv(t, { sandbox: { faults: { webhooks: { reorder: true, duplicateRate: 1 } } }, kit: { onPaid: async (e) => void (await sleep(20), paid.push(e)) } });
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared);
  const completes = Array.from({ length: 50 }, () => call(env.kit, post('/payments/complete', result)));
  const webhooks = Array.from({ length: 20 }, (_, n) => call(env.kit, paidWebhook('http://shop.test/webhooks', env.sandbox.webhookSecret, prepared.paymentId, env.sandbox.storeId, n)));
  const flushed = env.sandbox.flushWebhooks();
  const answers = await Promise.all(completes);
  const deliveries = await Promise.all(webhooks);
  await flushed;
  await eventually(async () => (await env.kit.listWebhookDeliveries({ limit: 100 })).length >= 22, 'every webhook arrived');
  assert.deepEqual([...new Set(answers.map((a) => `${a.status} ${a.body.order?.status}`))], ['200 PAID']);
  assert.deepEqual([...new Set(deliveries.map((d) => d.status))], [200]);
  assert.equal(paid.length, 1);
  assert.equal(paid[0]?.order.paymentId, prepared.paymentId);
  const events = await env.kit.listEvents({ paymentId: prepared.paymentId });
  assert.deepEqual(events.map((e) => [e.key, e.status, e.attempts]), [[`paid:${prepared.paymentId}`, 'done', 1]]);
  // The sandbox sent each of its webhooks twice with the same webhook-id: the second copy was a duplicate.
  const fromSandbox = (await env.kit.listWebhookDeliveries({ limit: 100 })).filter((d) => !d.webhookId.startsWith('msg_race_'));
  assert.ok(fromSandbox.length >= 2);
  for (const delivery of fromSandbox) assert.equal(delivery.receivedCount, 2, `${delivery.type} arrived twice`);
});

test('three kit instances on one SQLite file, 60 completes and webhooks spread over them: exactly one onPaid', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pck-shared-'));
  const database = join(dir, 'checkout.sqlite');
  const paid: string[] = [];
  const env = await startEnv(t, { sandbox: { faults: { webhooks: { reorder: true } } }, kit: { database, store: undefined, onPaid: async (e) => void (await sleep(10), paid.push(`main:${e.order.paymentId}`)) } });
  const others = [1, 2].map((n) =>
    createCheckoutServer({
      portone: { apiSecret: env.sandbox.apiSecret, storeId: env.sandbox.storeId, baseUrl: env.sandbox.url },
      webhookSecret: env.sandbox.webhookSecret,
      priceOrder,
      database,
      allowTestChannels: true,
      hookPollMs: 0,
      onPaid: async (e) => void (await sleep(10), paid.push(`kit${n}:${e.order.paymentId}`)),
    }),
  );
  const servers = await Promise.all(others.map((kit) => serveCheckout(kit)));
  t.after(async () => {
    for (const server of servers) await server.close();
    for (const kit of others) await kit.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // PortOne notifies every instance (three webhook URLs behind a load balancer, here each directly).
  env.sandbox.setWebhookUrls([`${env.served.url}/webhooks`, ...servers.map((s) => `${s.url}/webhooks`)]);
  const kits = [env.kit, ...others];
  const prepared = await env.prepare(CART);
  const result = await env.pay(prepared);
  const completes = Array.from({ length: 60 }, (_, i) => call(kits[i % 3]!, post('/payments/complete', result)));
  const flushed = env.sandbox.flushWebhooks();
  const answers = await Promise.all(completes);
  await flushed;
  assert.deepEqual([...new Set(answers.map((a) => a.body.order?.status))], ['PAID']);
  await eventually(async () => (await env.kit.listWebhookDeliveries()).filter((d) => d.status === 'processed').length >= 2, 'webhooks processed');
  assert.equal(paid.length, 1, `onPaid ran ${paid.join(', ')}`);
});

test('three kit processes on one SQLite file, completes and webhooks from all at once: exactly one onPaid', async (t) => {
  const sandbox = await createSandbox({});
  const dir = mkdtempSync(join(tmpdir(), 'pck-processes-'));
  const database = join(dir, 'checkout.sqlite');
  const children: ChildProcessWithoutNullStreams[] = [];
  t.after(async () => {
    for (const child of children) child.kill();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // The order is prepared and paid through one kit; the processes only complete it.
  const setup = createCheckoutServer({ portone: { apiSecret: sandbox.apiSecret, storeId: sandbox.storeId, baseUrl: sandbox.url }, webhookSecret: sandbox.webhookSecret, priceOrder, database, allowTestChannels: true, hookPollMs: 0, logger: {} });
  const prepared = (await call(setup, post('/payments/prepare', CART))).body;
  await setup.close();
  await sandbox.pay({ paymentId: prepared.paymentId, orderName: prepared.orderName, totalAmount: prepared.totalAmount, currency: prepared.currency, customData: prepared.customData });

  const script = new URL('./kit-process.ts', import.meta.url).pathname;
  const outputs = [0, 1, 2].map(() => ({ text: '' }));
  const exited = [0, 1, 2].map((i) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
      env: { ...process.env, PCK_PAYMENT_ID: prepared.paymentId, PCK_STORE_ID: sandbox.storeId, PCK_API_SECRET: sandbox.apiSecret, PCK_WEBHOOK_SECRET: sandbox.webhookSecret, PCK_SANDBOX_URL: sandbox.url, PCK_DATABASE: database },
    });
    children.push(child);
    child.stdout.on('data', (chunk: Buffer) => (outputs[i]!.text += chunk.toString()));
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    return new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kit process ${i} exited with ${code}: ${errors}`)))));
  });
  // Every process has the file open before any starts, so their transactions overlap.
  await Promise.race([eventually(() => outputs.every((o) => o.text.includes('ready\n')), 'all processes ready', 60_000), ...exited]);
  for (const child of children) child.stdin.write('go\n');
  await Promise.all(exited);
  const lines = outputs.flatMap((o) => o.text.split('\n'));
  const statuses = lines.filter((l) => l.startsWith('done ')).flatMap((l) => JSON.parse(l.slice(5)) as number[]);
  assert.equal(statuses.length, 90);
  // A webhook-id another process is still processing is answered 409 for PortOne to retry; nothing else fails.
  assert.deepEqual([...new Set(statuses)].filter((s) => s !== 200 && s !== 409), []);
  assert.deepEqual(lines.filter((l) => l.startsWith('paid ')), [`paid ${prepared.paymentId}`], 'exactly one onPaid across the processes');
  const reader = createCheckoutServer({ portone: { apiSecret: sandbox.apiSecret, storeId: sandbox.storeId, baseUrl: sandbox.url }, webhookSecret: sandbox.webhookSecret, priceOrder, database, hookPollMs: 0, logger: {} });
  t.after(() => reader.close());
  assert.deepEqual((await reader.listEvents({ paymentId: prepared.paymentId })).map((e) => [e.key, e.status, e.attempts]), [[`paid:${prepared.paymentId}`, 'done', 1]]);
});

test('a kit process killed while it holds a webhook and a hook: another takes both over once their claims run out', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pck-dying-'));
  const database = join(dir, 'checkout.sqlite');
  const sandbox = await createSandbox({ webhookRetryDelaysMs: [0, 20, 40] });
  const LEASE = 1_000;
  const children: ChildProcessWithoutNullStreams[] = [];
  t.after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const paid: PaidEvent[] = [];
  const survivor = createCheckoutServer({
    portone: { apiSecret: sandbox.apiSecret, storeId: sandbox.storeId, baseUrl: sandbox.url },
    webhookSecret: sandbox.webhookSecret,
    priceOrder,
    database,
    allowTestChannels: true,
    hookPollMs: 50,
    claimLeaseMs: LEASE,
    logger: {},
    onPaid: (e) => void paid.push(e),
  });
  t.after(() => survivor.close());
  const prepared = (await call(survivor, post('/payments/prepare', CART))).body;
  await sandbox.pay({ paymentId: prepared.paymentId, orderName: prepared.orderName, totalAmount: prepared.totalAmount, currency: prepared.currency, customData: prepared.customData });

  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', new URL('./dying-kit.ts', import.meta.url).pathname], {
    env: { ...process.env, PCK_STORE_ID: sandbox.storeId, PCK_API_SECRET: sandbox.apiSecret, PCK_WEBHOOK_SECRET: sandbox.webhookSecret, PCK_SANDBOX_URL: sandbox.url, PCK_DATABASE: database, PCK_CLAIM_LEASE_MS: String(LEASE) },
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(() => output.includes('url '), 'the dying kit serves', 60_000);
  const url = /url (\S+)/.exec(output)![1]!;
  // One delivery, sent by hand so its id is known: the dying kit claims it, pays the order and hangs in onPaid.
  const delivery = (n: number) => paidWebhook(`${url}/webhooks`, sandbox.webhookSecret, prepared.paymentId, sandbox.storeId, n);
  void fetch(delivery(1)).catch(() => {});
  await eventually(() => output.includes(`hook ${prepared.paymentId}`), 'the dying kit runs onPaid');
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));

  // PortOne retries the delivery at once: still someone else's claim.
  const early = await call(survivor, paidWebhook('http://shop.test/webhooks', sandbox.webhookSecret, prepared.paymentId, sandbox.storeId, 1));
  assert.deepEqual([early.status, early.body.code], [409, 'WEBHOOK_IN_PROGRESS']);
  assert.equal(paid.length, 0);
  // Once the dead kit's claims ran out (nobody renewed them), the retry and the hook are taken over.
  await eventually(async () => (await call(survivor, paidWebhook('http://shop.test/webhooks', sandbox.webhookSecret, prepared.paymentId, sandbox.storeId, 1))).status === 200, 'the retry takes the delivery over', 10_000);
  await eventually(() => paid.length === 1, 'the survivor runs the hook the dead kit held', 10_000);
  const [event] = await survivor.listEvents({ paymentId: prepared.paymentId });
  assert.deepEqual([event?.key, event?.status, event?.attempts], [`paid:${prepared.paymentId}`, 'done', 2]);
  const record = (await survivor.listWebhookDeliveries()).find((d) => d.webhookId === 'msg_race_1');
  assert.equal(record?.status, 'processed');
  assert.equal(paid.length, 1, 'once');
});

test('a live kit keeps its claims: a hook that runs longer than the lease is not taken over by another kit', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pck-renew-'));
  const database = join(dir, 'checkout.sqlite');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let runs = 0;
  const env = await startEnv(t, {
    kit: { database, store: undefined, claimLeaseMs: 300, hookWaitMs: 50, onPaid: async () => void (runs++, await sleep(1_500)) },
  });
  const other = createCheckoutServer({
    portone: { apiSecret: env.sandbox.apiSecret, storeId: env.sandbox.storeId, baseUrl: env.sandbox.url },
    webhookSecret: env.sandbox.webhookSecret,
    priceOrder,
    database,
    allowTestChannels: true,
    hookPollMs: 0,
    claimLeaseMs: 300,
    logger: {},
    onPaid: () => void runs++,
  });
  t.after(() => other.close());
  const { prepared } = await env.checkout();
  // The other kit keeps looking for due work the whole time the first one's hook runs.
  for (let i = 0; i < 10; i++) {
    assert.equal(await other.runDueEvents(), 0, 'nothing of a live kit is due');
    await sleep(150);
  }
  await eventually(async () => (await env.kit.listEvents({ paymentId: prepared.paymentId }))[0]?.status === 'done', 'the hook finishes', 5_000);
  assert.equal(runs, 1);
});

test('a hook that never resolves times out as a failed attempt; the other events and reconcile() go on', async (t) => {
  let skew = 0;
  const hang = new Set<string>();
  const calls = new Map<string, number>();
  const env = await startEnv(t, {
    kit: {
      now: () => Date.now() + skew,
      hookTimeoutMs: 300,
      hookRetry: { baseDelayMs: 1_000 },
      onPaid: (e) => {
        const n = (calls.get(e.order.paymentId) ?? 0) + 1;
        calls.set(e.order.paymentId, n);
        if (n === 1) throw new Error('fulfilment service down');
        if (hang.has(e.order.paymentId)) return new Promise<void>(() => {});
      },
    },
  });
  const a = await env.checkout();
  hang.add(a.prepared.paymentId);
  const b = await env.checkout();
  skew += 5_000;
  // The background run takes both retries: A's hook never answers, B's goes through.
  const background = env.kit.runDueEvents();
  await eventually(async () => (await env.kit.listEvents({ paymentId: b.prepared.paymentId }))[0]?.status === 'done', "B's retry runs beside A's stuck one");
  const report = await env.kit.reconcile({ olderThanMs: 0 });
  assert.equal(report.failed.length, 0, 'reconcile() returns while a hook hangs');
  assert.equal(await background, 2);
  const [stuck] = await env.kit.listEvents({ paymentId: a.prepared.paymentId });
  assert.deepEqual([stuck?.status, stuck?.attempts], ['pending', 2]);
  assert.match(stuck?.lastError ?? '', /^HookTimeout: paid event paid:pay_[\w-]+ did not finish within 300 ms \(hookTimeoutMs\)$/);
  skew += 3_600_000;
  assert.equal(await env.kit.runDueEvents(), 1, 'and it is retried like any failure');
});

test('a runner whose lease expired cannot record its outcome over the runner that took the event over', async (t) => {
  let skew = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let runs = 0;
  const env = await startEnv(t, {
    kit: {
      now: () => Date.now() + skew,
      hookWaitMs: 50,
      onPaid: async () => {
        runs++;
        if (runs === 1) return gate; // a runner that stalls past its lease, then finishes
        throw new Error('second runner failed');
      },
    },
  });
  const { prepared } = await env.checkout();
  assert.equal((await env.kit.listEvents({ paymentId: prepared.paymentId }))[0]?.status, 'running');
  skew += 11 * 60_000; // past the 10-minute lease
  await env.kit.runDueEvents();
  release();
  await eventually(() => env.logs.some((l) => l.includes('another runner took it over')), 'the first runner finished late');
  const [event] = await env.kit.listEvents({ paymentId: prepared.paymentId });
  assert.deepEqual([event?.status, event?.attempts, event?.lastError], ['pending', 2, 'second runner failed'], "the second runner's outcome stands");
});

test('a hook that throws is retried with backoff until it succeeds, and is then done for good', async (t) => {
  let skew = 0;
  let attempts = 0;
  const seen: number[] = [];
  const env = await startEnv(t, {
    kit: {
      now: () => Date.now() + skew,
      hookRetry: { baseDelayMs: 60_000 },
      onPaid: (e) => {
        attempts++;
        seen.push(e.attempt);
        if (attempts < 3) throw new Error(`fulfilment service down (${attempts})`);
      },
    },
  });
  const { prepared, complete } = await env.checkout();
  assert.equal(complete.body.order.status, 'PAID', 'a failing hook does not fail the payment');
  let [event] = await env.kit.listEvents({ paymentId: prepared.paymentId });
  assert.deepEqual([event?.status, event?.attempts, event?.lastError], ['pending', 1, 'fulfilment service down (1)']);
  assert.equal(await env.kit.runDueEvents(), 0, 'not due before its backoff');
  skew += 60_000;
  assert.equal(await env.kit.runDueEvents(), 1);
  [event] = await env.kit.listEvents({ paymentId: prepared.paymentId });
  assert.deepEqual([event?.status, event?.attempts], ['pending', 2]);
  assert.ok(event!.nextAttemptAt >= Date.now() + skew + 119_000, 'the backoff doubles');
  skew += 120_000;
  await env.kit.runDueEvents();
  [event] = await env.kit.listEvents({ paymentId: prepared.paymentId });
  assert.equal(event?.status, 'done');
  assert.deepEqual(seen, [1, 2, 3]);
  skew += 10 * 3_600_000;
  assert.equal(await env.kit.runDueEvents(), 0);
  await env.post('/payments/complete', { paymentId: prepared.paymentId });
  await env.sandbox.flushWebhooks();
  assert.equal(attempts, 3);
  assert.ok(env.logs.some((l) => l.startsWith('warn paid event') && l.includes('fulfilment service down (1)')));
});

test('a hook that hangs does not hold the shopper: complete answers after hookWaitMs, the hook finishes in the background', async (t) => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let finished = false;
  const env = await startEnv(t, { kit: { hookWaitMs: 100, onPaid: async () => { await released; finished = true; } } });
  const started = Date.now();
  const { prepared, complete } = await env.checkout();
  assert.equal(complete.body.order.status, 'PAID');
  assert.ok(Date.now() - started < 5_000);
  assert.ok(env.logs.some((l) => l.startsWith(`warn events paid:${prepared.paymentId} still running after 100 ms`)));
  assert.equal((await env.kit.listEvents({ paymentId: prepared.paymentId }))[0]?.status, 'running');
  release();
  await eventually(async () => (await env.kit.listEvents({ paymentId: prepared.paymentId }))[0]?.status === 'done', 'the hook finishes');
  assert.equal(finished, true);
});

test('a hook that never succeeds gives up after maxAttempts and says so in the log', async (t) => {
  let skew = 0;
  const env = await startEnv(t, { kit: { now: () => Date.now() + skew, hookRetry: { maxAttempts: 3, baseDelayMs: 1_000 }, onPaid: () => { throw new Error('always down'); } } });
  const { prepared } = await env.checkout();
  for (let i = 0; i < 5; i++) {
    skew += 3_600_000;
    await env.kit.runDueEvents();
  }
  const [event] = await env.kit.listEvents({ paymentId: prepared.paymentId });
  assert.deepEqual([event?.status, event?.attempts, event?.lastError], ['dead', 3, 'always down']);
  assert.ok(env.logs.some((l) => l.startsWith(`error gave up on paid event paid:${prepared.paymentId} after 3 failed attempts`)));
});

test('PortOne failing 30% of requests, its webhooks lost: after reconcile() no order is lost', async (t) => {
  // Every webhook is dropped, so an order whose complete hit a fault has only reconcile() left.
  const env = await startEnv(t, { sandbox: { faults: { seed: 7, routes: { '*': { failureRate: 0.3 } }, webhooks: { dropRate: 1 } } } });
  const orders: string[] = [];
  let unavailable = 0;
  for (let i = 0; i < 30; i++) {
    // The element retries prepare (it answers 503 with retry advice); the shopper then pays.
    let prepared;
    for (let attempt = 0; !prepared; attempt++) {
      const answer = await env.post('/payments/prepare', { ...CART, payMethod: i % 4 === 0 ? 'VIRTUAL_ACCOUNT' : 'CARD' });
      if (answer.status === 200) prepared = answer.body;
      else {
        assert.equal(answer.status, 503, JSON.stringify(answer.body));
        assert.equal(answer.body.code, 'PORTONE_UNAVAILABLE');
        assert.ok(attempt < 20);
      }
    }
    orders.push(prepared.paymentId);
    const result = await env.pay(prepared, undefined, i % 4 === 0 ? { payMethod: 'VIRTUAL_ACCOUNT', virtualAccount: { accountExpiry: { validHours: 24 } } } : {});
    // One complete, no retry: the shopper closed the tab.
    const complete = await env.post('/payments/complete', result);
    if (complete.status === 503) {
      unavailable++;
      assert.equal(complete.body.code, 'PORTONE_UNAVAILABLE');
      assert.ok(complete.body.retryAfterSeconds > 0);
    } else assert.equal(complete.status, 200, JSON.stringify(complete.body));
  }
  await env.sandbox.flushWebhooks();
  assert.ok(unavailable > 0, 'the faults did hit some completes');
  const pendingBefore = (await env.kit.listOrders({ statuses: ['PENDING'] })).length;
  assert.equal(pendingBefore, unavailable, 'each order whose complete failed is left PENDING');

  // Reconcile while PortOne is still failing: what it cannot check is reported, not lost.
  const partial = await env.kit.reconcile({ olderThanMs: 0 });
  assert.ok(partial.failed.every((f) => f.code === 'PORTONE_UNAVAILABLE'));

  env.sandbox.setFaults({});
  const report = await env.kit.reconcile({ olderThanMs: 0 });
  assert.deepEqual(report.failed, []);
  for (const paymentId of orders) {
    const expected = env.sandbox.payment(paymentId)?.status;
    assert.equal((await env.kit.getOrder(paymentId))?.status, expected, `order ${paymentId} matches PortOne`);
  }
  const paidAtPortOne = orders.filter((id) => env.sandbox.payment(id)?.status === 'PAID');
  assert.deepEqual(env.hooks.paid.map((e) => e.order.paymentId).sort(), paidAtPortOne.sort(), 'onPaid once for each paid order');
  const issued = orders.filter((id) => env.sandbox.payment(id)?.status === 'VIRTUAL_ACCOUNT_ISSUED');
  assert.deepEqual(env.hooks.virtualAccountIssued.map((e) => e.order.paymentId).sort(), issued.sort());
  assert.equal(paidAtPortOne.length + issued.length, orders.length);
});

test('PortOne hanging past the timeout: 503 with retry advice, the order stays PENDING, reconcile recovers it', async (t) => {
  const env = await startEnv(t);
  const kit = createCheckoutServer({
    portone: { apiSecret: env.sandbox.apiSecret, storeId: env.sandbox.storeId, baseUrl: env.sandbox.url, timeoutMs: 150 },
    webhookSecret: env.sandbox.webhookSecret,
    priceOrder,
    database: ':memory:',
    allowTestChannels: true,
    hookPollMs: 0,
    logger: {},
  });
  t.after(() => kit.close());
  const prepared = (await call(kit, post('/payments/prepare', CART))).body;
  const result = await env.pay(prepared);
  env.sandbox.setFaults({ routes: { 'GET /payments/:id': { hangRate: 1 } } });
  const started = Date.now();
  const answer = await call(kit, post('/payments/complete', result));
  assert.ok(Date.now() - started < 2_000);
  assert.equal(answer.status, 503);
  assert.equal(answer.body.code, 'PORTONE_UNAVAILABLE');
  assert.match(answer.body.message, /PortOne is unavailable for GET \/payments\/\{paymentId\}: it did not answer within 150 ms; retry after 3 s/);
  assert.equal(answer.headers.get('retry-after'), '3');
  assert.equal((await kit.getOrder(prepared.paymentId))?.status, 'PENDING');
  env.sandbox.setFaults({});
  const report = await kit.reconcile({ olderThanMs: 0 });
  assert.equal(report.updated, 1);
  assert.equal((await kit.getOrder(prepared.paymentId))?.status, 'PAID');
});

test('reconcile() reaches a lost paid order behind any number of abandoned carts, and asks about those less and less', async (t) => {
  const env = await startEnv(t, { sandbox: { clock: 'manual', faults: { webhooks: { dropRate: 1 } } } });
  const lost = await env.prepare(CART);
  await env.pay(lost); // paid at PortOne; the complete never came and the webhooks were lost
  for (let i = 0; i < 5; i++) {
    await env.sandbox.advance(1_000);
    await env.prepare(CART); // page views after it: each element prepares, and they are newer
  }
  const minute = 60_000;
  await env.sandbox.advance(10 * minute);
  const first = await env.kit.reconcile({ limit: 3 });
  const second = await env.kit.reconcile({ limit: 3 });
  assert.deepEqual([first.checked, second.checked], [3, 3], 'each run takes the next ones');
  assert.equal((await env.kit.getOrder(lost.paymentId))?.status, 'PAID');
  assert.equal(env.hooks.paid.length, 1);
  // The carts were each asked about once; they are not asked again until as long again has passed.
  assert.equal((await env.kit.reconcile({ limit: 3 })).checked, 0);
  await env.sandbox.advance(11 * minute);
  const again = await env.kit.reconcile({ limit: 10 });
  assert.deepEqual([again.checked, again.notStarted], [5, 5]);
  await env.sandbox.advance(20 * minute);
  assert.equal((await env.kit.reconcile({ limit: 10 })).checked, 0, 'idle over 21 minutes when checked: skipped for as long');
});

test('pruneAbandoned() deletes prepares reconcile() found PortOne knows nothing of, once idle long enough; never paid or unchecked ones', async (t) => {
  const env = await startEnv(t, { sandbox: { clock: 'manual' } });
  const abandoned = await env.prepare(CART);
  const paid = await env.checkout();
  await env.sandbox.advance(11 * 60_000);
  assert.equal((await env.kit.reconcile()).notStarted, 1);
  const unchecked = await env.prepare(CART);
  await env.sandbox.advance(31 * 86_400_000);
  await assert.rejects(env.kit.pruneAbandoned({ olderThanMs: 3_600_000 }), /olderThanMs: expected at least a day/);
  assert.equal(await env.kit.pruneAbandoned(), 1);
  assert.equal(await env.kit.getOrder(abandoned.paymentId), undefined);
  assert.equal((await env.kit.getOrder(paid.prepared.paymentId))?.status, 'PAID');
  assert.equal((await env.kit.getOrder(unchecked.paymentId))?.status, 'PENDING', 'PortOne was never asked about it: kept');
  assert.equal(await env.kit.pruneAbandoned(), 0);
  // The tab that prepared it pays after all: nothing can fulfil it, so the shop is told.
  await env.pay(abandoned);
  await env.sandbox.flushWebhooks();
  const told = new RegExp(`^error PortOne holds payment ${abandoned.paymentId} PAID \\(${abandoned.totalAmount} KRW\\) for order ord_\\S+, which this kit does not have \\(pruned by pruneAbandoned`);
  assert.ok(env.logs.some((line) => told.test(line)), env.logs.join('\n'));
  assert.equal(env.logs.filter((line) => line.includes(`PortOne holds payment ${abandoned.paymentId}`)).length, 1, 'once, for the payment (not for its other webhooks)');
  assert.equal(await env.kit.getOrder(abandoned.paymentId), undefined, 'no order made up for it');
});

test('pruneAbandoned() deletes billing-key issues no key completed, once old enough; completed ones stay', async (t) => {
  const env = await startEnv(t, { sandbox: { clock: 'manual' } });
  env.sandbox.setWebhookUrls([]);
  const flood = await Promise.all(Array.from({ length: 20 }, () => prepareBillingKey(env, { customer: BUYER })));
  // One of them got a key at PortOne, but nobody ever told the kit.
  const stale = await issueKey(env, flood[0]!);
  const used = await prepareBillingKey(env, { customer: { ...BUYER, customerId: 'member-kim' } });
  const issued = await issueKey(env, used);
  assert.equal((await env.post('/billing-keys/complete', { billingKey: issued.billingKey, issueId: used.issueId })).status, 200);
  await env.sandbox.advance(12 * 3_600_000);
  const recent = await prepareBillingKey(env, { customer: BUYER });
  await env.sandbox.advance(13 * 3_600_000);
  assert.equal(await env.kit.pruneAbandoned({ olderThanMs: 86_400_000 }), 20);
  // A pruned issue is gone: a key reported for it now is refused as unknown, never stored.
  const late = await env.post('/billing-keys/complete', { billingKey: stale.billingKey, issueId: flood[0]!.issueId });
  assert.deepEqual([late.status, late.body.code], [404, 'ISSUE_NOT_FOUND']);
  const recentAnswer = await env.post('/billing-keys/complete', { billingKey: (await issueKey(env, recent)).billingKey, issueId: recent.issueId });
  assert.equal(recentAnswer.status, 200, 'a younger issue is kept');
  assert.equal((await env.kit.listBillingKeys({ customerId: 'member-kim' })).length, 1, 'a completed issue’s key stays');
  assert.equal(await env.kit.pruneAbandoned({ olderThanMs: 86_400_000 }), 0);
});

test('reconcile leaves fresh orders alone and reports abandoned ones as not started', async (t) => {
  const env = await startEnv(t);
  const abandoned = await env.prepare(CART);
  const fresh = await env.kit.reconcile();
  assert.equal(fresh.checked, 0, 'younger than reconcileAfterMs');
  const report = await env.kit.reconcile({ olderThanMs: 0 });
  assert.deepEqual([report.checked, report.notStarted, report.updated], [1, 1, 0]);
  assert.equal((await env.kit.getOrder(abandoned.paymentId))?.status, 'PENDING');
  // Past pendingMaxAgeMs an abandoned cart is no longer asked about.
  const later = await env.kit.reconcile({ olderThanMs: 0, pendingMaxAgeMs: 0 });
  assert.equal(later.checked, 0);
});

test('secrets never appear in responses or logs, whatever happened', async (t) => {
  const env = await startEnv(t, { sandbox: { faults: { seed: 3, routes: { '*': { failureRate: 0.5 } } } }, kit: { preRegister: false } });
  for (let i = 0; i < 6; i++) {
    const prepared = await env.prepare(CART);
    await env.post('/payments/complete', await env.pay(prepared, undefined, i % 2 ? { totalAmount: 1_000 } : {}));
  }
  await env.post('/payments/complete', { paymentId: 'pay/../x' });
  await env.kit.reconcile({ olderThanMs: 0 });
  const forged = await env.kit.fetch(paidWebhook('http://shop.test/webhooks', 'whsec_' + Buffer.from('not-the-secret-at-all-32-bytes!!').toString('base64'), 'pay_x', env.sandbox.storeId, 99));
  env.bodies.push(await forged.text());
  await env.sandbox.flushWebhooks();
  const secretKey = env.sandbox.webhookSecret.replace(/^whsec_/, '');
  const everything = [...env.logs, ...env.bodies].join('\n');
  assert.ok(env.logs.length > 0 && env.bodies.length > 10);
  assert.ok(!everything.includes(env.sandbox.apiSecret), 'the API secret leaked');
  assert.ok(!everything.includes(secretKey), 'the webhook secret leaked');
});

test('serverless: no background timer; a scheduler with the cron secret runs the due retries and reconcile(), nobody else can', async (t) => {
  const CRON_SECRET = 'cron-secret-for-the-test-0123456789';
  let skew = 0;
  let fail = true;
  const paid: string[] = [];
  const env = await startEnv(t, {
    kit: {
      hookPollMs: 0,
      cronSecret: CRON_SECRET,
      now: () => Date.now() + skew,
      hookRetry: { baseDelayMs: 1_000 },
      onPaid: (e) => {
        if (fail) throw new Error('fulfilment service down');
        paid.push(e.order.paymentId);
      },
    },
  });
  // One order whose hook failed (a retry is due later), one paid with no complete and no webhook.
  const retried = await env.checkout();
  env.sandbox.setWebhookUrls([]);
  const lost = await env.prepare(CART);
  await env.pay(lost);
  fail = false;
  skew += 11 * 60_000;
  await sleep(50);
  assert.deepEqual(paid, [], 'nothing runs by itself');
  const cron = (headers: Record<string, string>, method = 'GET') => call(env.kit, new Request('http://shop.test/cron', { method, headers }));
  const wrong: Record<string, string>[] = [{}, { authorization: `Bearer ${CRON_SECRET.slice(0, -1)}` }, { authorization: `Basic ${CRON_SECRET}` }, { authorization: 'Bearer ' }];
  for (const headers of wrong) {
    const refused = await cron(headers);
    assert.deepEqual([refused.status, refused.body.code, refused.headers.get('www-authenticate')], [401, 'UNAUTHORIZED', 'Bearer'], JSON.stringify(headers));
  }
  assert.deepEqual(paid, [], 'a refused call runs nothing');
  const ran = await cron({ authorization: `Bearer ${CRON_SECRET}` });
  assert.equal(ran.status, 200, JSON.stringify(ran.body));
  assert.equal(ran.body.reconciled.updated, 1, 'the lost payment was found');
  assert.deepEqual(paid.sort(), [retried.prepared.paymentId, lost.paymentId].sort(), 'the due retry and the recovered order both fulfilled');
  assert.equal((await cron({ authorization: `Bearer ${CRON_SECRET}` }, 'POST')).status, 200, 'POST works too');
  assert.equal((await cron({ authorization: `bearer ${CRON_SECRET}` })).status, 200, "the scheme's name in any case");
  assert.ok(!env.logs.some((l) => l.includes('cronSecret is not set')), 'a serverless kit with its cron route is not warned');
  // Without a cronSecret the route does not exist, and 404s never name it.
  const plain = await startEnv(t);
  const missing = await call(plain.kit, new Request('http://shop.test/cron', { headers: { authorization: `Bearer ${CRON_SECRET}` } }));
  assert.equal(missing.status, 404);
  assert.doesNotMatch(missing.body.message.split(', got ')[0], /cron/, 'the routes listed');
  // hookPollMs 0 without the cron route: nothing would ever retry a hook unless the shop schedules reconcile().
  assert.ok(plain.logs.some((l) => l.startsWith('warn hookPollMs is 0 and cronSecret is not set')), plain.logs.join('\n'));
});
