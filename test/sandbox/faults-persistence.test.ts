// Route faults (gateway 5xx pages, resets, latency, hangs; seedable), persistence to a JSON file across restarts,
// and the dashboard's JSON control routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PaidPayment } from '@portone/server-sdk/payment';
import { createSandbox } from '../../src/sandbox/index.js';
import { clientFor, eventually, paymentOf, rejection, startReceiver, verifyAll, webhookTypes, withSandbox } from './support.js';

test('route faults: a failure rate answers a gateway\'s HTML 5xx (no invented error type; the SDK cannot parse it), on that route only', async (t) => {
  const sandbox = await withSandbox(t, { faults: { routes: { 'GET /payments/:id': { failureRate: 1 } } } });
  const { payment } = clientFor(sandbox);
  await sandbox.pay({ paymentId: 'f-1', totalAmount: 1_000 });
  const failed = await rejection(payment.getPayment({ paymentId: 'f-1' }));
  assert.ok(failed instanceof SyntaxError, 'what the server SDK throws when PortOne\'s gateway answers HTML');
  const raw = await fetch(`${sandbox.url}/payments/f-1`, { headers: { authorization: `PortOne ${sandbox.apiSecret}` } });
  assert.equal(raw.status, 500);
  assert.match(raw.headers.get('content-type')!, /^text\/html/);
  assert.equal(raw.headers.get('x-portone-sandbox-fault'), 'injected');
  assert.match(await raw.text(), /<title>500 Internal Server Error<\/title>/);
  assert.equal((await payment.getPayments({})).page.totalCount, 1, 'other routes answer');

  sandbox.setFaults({ routes: { '*': { failureRate: 1, failureStatus: 503 } } });
  const unavailable = await rejection(payment.cancelPayment({ paymentId: 'f-1', reason: 'x' }));
  assert.ok(unavailable instanceof SyntaxError);
  const page = await fetch(`${sandbox.url}/payments/f-1/cancel`, { method: 'POST', headers: { authorization: `PortOne ${sandbox.apiSecret}` }, body: '{"reason":"x"}' });
  assert.deepEqual([page.status, (await page.text()).includes('503 Service Temporarily Unavailable')], [503, true]);
  assert.equal(paymentOf(sandbox, 'f-1').status, 'PAID', 'a failed request changes nothing');
  sandbox.setFaults({});
  assert.equal((await payment.getPayment({ paymentId: 'f-1' })).status, 'PAID');
  assert.throws(() => sandbox.setFaults({ routes: { '/payments': { failureRate: 1 } } }), /keys look like "GET \/payments\/:id"/);
});

test('route faults: a reset rate drops the connection before any answer, and changes nothing', async (t) => {
  const sandbox = await withSandbox(t);
  const { payment } = clientFor(sandbox);
  await sandbox.pay({ paymentId: 'r-1', totalAmount: 1_000 });
  sandbox.setFaults({ routes: { 'POST /payments/:id/cancel': { resetRate: 1 } } });
  const reset = await rejection(payment.cancelPayment({ paymentId: 'r-1', reason: 'x' }));
  assert.ok(reset instanceof TypeError, 'fetch fails: the connection was reset');
  assert.equal((reset as TypeError & { cause?: { code?: string } }).cause?.code, 'ECONNRESET');
  assert.equal(paymentOf(sandbox, 'r-1').status, 'PAID');
  assert.equal((await payment.getPayment({ paymentId: 'r-1' })).status, 'PAID', 'other routes answer');
  assert.throws(() => sandbox.setFaults({ routes: { '*': { resetRate: 2 } } }), /resetRate: expected a rate between 0 and 1, got 2/);
});

test('route fault keys are checked against the route table; a route\'s own settings merge over "*"', async (t) => {
  const sandbox = await withSandbox(t);
  await sandbox.pay({ paymentId: 'k-1', totalAmount: 1_000 });
  for (const key of ['GET /payments/{paymentId}', 'GET /payment/:id', 'GET /payments/:paymentId', 'PATCH /payments/:id']) {
    const error = rejection(Promise.resolve().then(() => sandbox.setFaults({ routes: { [key]: { failureRate: 1 } } })));
    assert.match((await error).message, /Valid keys: .*GET \/payments\/:id, /, key);
  }
  assert.match((await rejection(Promise.resolve().then(() => sandbox.setFaults({ routes: { 'GET /payments/{paymentId}': {} } })))).message, /written :id, not \{paymentId\}/);
  const bad = await rejection(withSandbox(t, { faults: { routes: { 'GET /payments/{paymentId}': { failureRate: 1 } } } }));
  assert.match(bad.message, /faults\.routes/);

  // "*" fails with 503; the GET route adds latency only, and still fails with 503 (merged, not replaced).
  sandbox.setFaults({ routes: { '*': { failureRate: 1, failureStatus: 503 }, 'GET /payments/:id': { latencyMs: 1 } } });
  const headers = { authorization: `PortOne ${sandbox.apiSecret}` };
  assert.equal((await fetch(`${sandbox.url}/payments/k-1`, { headers })).status, 503);
  // The route's own value wins over "*".
  sandbox.setFaults({ routes: { '*': { failureRate: 1, failureStatus: 503 }, 'GET /payments/:id': { failureRate: 0 } } });
  assert.equal((await fetch(`${sandbox.url}/payments/k-1`, { headers })).status, 200);
  assert.equal((await fetch(`${sandbox.url}/payments`, { headers })).status, 503);
});

test('route faults: latency delays answers; a hang never answers until the client gives up', async (t) => {
  const sandbox = await withSandbox(t, { faults: { routes: { 'GET /payments/:id': { latencyMs: 120 }, 'POST /payments/:id/cancel': { hangRate: 1 } } } });
  await sandbox.pay({ paymentId: 'l-1', totalAmount: 1_000 });
  const headers = { authorization: `PortOne ${sandbox.apiSecret}` };
  const started = Date.now();
  assert.equal((await fetch(`${sandbox.url}/payments/l-1`, { headers })).status, 200);
  assert.ok(Date.now() - started >= 120, 'the injected latency is added');
  const hung = await rejection(fetch(`${sandbox.url}/payments/l-1/cancel`, { method: 'POST', headers, body: '{"reason":"x"}', signal: AbortSignal.timeout(300) }));
  assert.equal(hung.name, 'TimeoutError');
  assert.equal(paymentOf(sandbox, 'l-1').status, 'PAID', 'a hung request is not processed');
});

test('route faults are seedable: the same seed fails the same requests', async (t) => {
  const pattern = async () => {
    const sandbox = await withSandbox(t, { faults: { seed: 7, routes: { '*': { failureRate: 0.5 } } } });
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await fetch(`${sandbox.url}/payments/none`, { headers: { authorization: `PortOne ${sandbox.apiSecret}` } })).status);
    return statuses;
  };
  const first = await pattern();
  assert.deepEqual(await pattern(), first);
  assert.ok(first.includes(500) && first.includes(404));
});

test('persistPath: state, credentials and pending webhook retries survive a restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-persist-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const persistPath = join(dir, 'state.json');
  const receiver = await startReceiver(t);
  receiver.answer = () => 500;
  const first = await createSandbox({ persistPath, clock: 'manual', now: Date.parse('2026-06-01T00:00:00Z'), webhookUrls: [receiver.url], webhookRetryDelaysMs: [0, 60_000] });
  await first.pay({ paymentId: 'keep-1', totalAmount: 10_000 });
  await first.pay({ paymentId: 'keep-va', totalAmount: 20_000, payMethod: 'VIRTUAL_ACCOUNT' });
  const key = await first.issueBillingKey({});
  const client = clientFor(first);
  const schedule = await client.payment.paymentSchedule.createPaymentSchedule({ paymentId: 'keep-s', payment: { billingKey: key.billingKey, orderName: '예약', amount: { total: 5_000 }, currency: 'KRW' }, timeToPay: '2026-06-02T00:00:00Z' });
  await first.flushWebhooks();
  const credentials = { storeId: first.storeId, apiSecret: first.apiSecret, webhookSecret: first.webhookSecret, channelKeys: first.channelKeys };
  await first.close();
  assert.equal(JSON.parse(readFileSync(persistPath, 'utf8')).version, 1);

  receiver.answer = () => 200;
  const second = await createSandbox({ persistPath, clock: 'manual', now: Date.parse('2026-06-01T00:00:00Z'), webhookUrls: [receiver.url], webhookRetryDelaysMs: [0, 60_000] });
  t.after(() => second.close());
  assert.deepEqual({ storeId: second.storeId, apiSecret: second.apiSecret, webhookSecret: second.webhookSecret, channelKeys: second.channelKeys }, credentials);
  const payment = clientFor(second).payment;
  assert.equal((await payment.getPayment({ paymentId: 'keep-1' })).status, 'PAID');
  assert.equal((await payment.billingKey.getBillingKeyInfo({ billingKey: key.billingKey })).status, 'ISSUED');
  const before = receiver.received.length;
  await second.advance(60_000);
  await second.flushWebhooks();
  assert.ok(receiver.received.length > before, 'the failed deliveries were retried after the restart');
  assert.ok(receiver.received.slice(before).every((r) => r.status === 200));
  await second.advance(24 * 3_600_000);
  assert.equal((await payment.paymentSchedule.getPaymentSchedule({ paymentScheduleId: schedule.schedule.id })).status, 'SUCCEEDED');
  assert.equal((await second.deposit('keep-va')).status, 'PAID');
  await second.flushWebhooks();
  await verifyAll(second.webhookSecret, receiver.received);
});

test('persistPath keeps the clock: what advance() added survives a restart (real and manual), unless now is given', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-clock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const DAY = 86_400_000;
  const realPath = join(dir, 'real.json');
  const started = Date.now();
  const real = await createSandbox({ persistPath: realPath });
  await real.advance(31 * DAY);
  await real.close();
  const realAgain = await createSandbox({ persistPath: realPath });
  t.after(() => realAgain.close());
  // Still a month ahead of the wall clock, and running.
  assert.ok(realAgain.now() >= started + 31 * DAY, `${new Date(realAgain.now()).toISOString()} is a month after ${new Date(started).toISOString()}`);
  assert.ok(realAgain.now() - Date.now() >= 31 * DAY - 1_000);

  const manualPath = join(dir, 'manual.json');
  const manual = await createSandbox({ persistPath: manualPath, clock: 'manual', now: Date.parse('2026-06-01T00:00:00Z') });
  await manual.advance(2 * DAY);
  // The dashboard's route moves it the same way.
  const answer = await fetch(`${manual.url}/sandbox/advance`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-portone-sandbox-token': manual.controlToken }, body: JSON.stringify({ ms: 3_600_000 }) });
  assert.equal(answer.status, 200);
  await manual.close();
  const manualAgain = await createSandbox({ persistPath: manualPath, clock: 'manual' });
  assert.equal(new Date(manualAgain.now()).toISOString(), '2026-06-03T01:00:00.000Z');
  await manualAgain.close();
  // An explicit start time wins over the file.
  const restarted = await createSandbox({ persistPath: manualPath, clock: 'manual', now: Date.parse('2026-01-01T00:00:00Z') });
  t.after(() => restarted.close());
  assert.equal(new Date(restarted.now()).toISOString(), '2026-01-01T00:00:00.000Z');
});

test('close(): the state file gets its last write at close; deliveries it aborts are not recorded and nothing is written after', async (t) => {
  let requests = 0;
  const hanging = createServer(() => requests++);
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    hanging.closeAllConnections();
    hanging.close();
  });
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-close-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const persistPath = join(dir, 'state.json');
  const sandbox = await createSandbox({ persistPath, webhookUrls: [`http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`] });
  await sandbox.pay({ paymentId: 'late-1', totalAmount: 5_000 });
  await eventually(() => requests === 2, 'both deliveries on the wire');
  await sandbox.close();
  const written = JSON.parse(readFileSync(persistPath, 'utf8')) as { payments: [string, { payment: { webhooks: { status?: string }[] } }][] };
  assert.deepEqual(written.payments[0]![1].payment.webhooks.map((w) => w.status), [undefined, undefined], 'still in flight when closed');
  rmSync(dir, { recursive: true, force: true });
  await sandbox.flushWebhooks();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(existsSync(persistPath), false, 'nothing recreates the state file after close');
  assert.deepEqual(sandbox.webhookDeliveries(), [], 'the aborted deliveries are not recorded');
});

test('a start that cannot listen (port taken) resumes nothing: no retries sent, the state file left as it was', async (t) => {
  const receiver = await startReceiver(t);
  receiver.answer = () => 500;
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-eaddrinuse-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const persistPath = join(dir, 'state.json');
  const options = { persistPath, clock: 'manual' as const, now: Date.parse('2026-06-01T00:00:00Z'), webhookUrls: [receiver.url], webhookRetryDelaysMs: [0, 60_000] };
  const first = await createSandbox(options);
  await first.pay({ paymentId: 'busy-1', totalAmount: 5_000 });
  await first.flushWebhooks();
  await first.close();
  assert.equal(receiver.received.length, 2);
  const saved = readFileSync(persistPath, 'utf8');

  const holder = await withSandbox(t);
  // Two minutes on: the restored retries would be due at once.
  const failed = await rejection(createSandbox({ ...options, now: options.now + 120_000, port: Number(new URL(holder.url).port) }));
  assert.equal(failed.code, 'EADDRINUSE');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(receiver.received.length, 2, 'the failed start sent no retries');
  assert.equal(readFileSync(persistPath, 'utf8'), saved, 'and did not rewrite the state file');

  const third = await createSandbox({ ...options, now: options.now + 120_000 });
  t.after(() => third.close());
  await third.flushWebhooks();
  assert.equal(receiver.received.length, 4, 'a start that listens resumes them');
});

test('state does not grow with every window: finished windows are kept an hour (at most 200), used pre-registrations are dropped', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-prune-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const persistPath = join(dir, 'state.json');
  const sandbox = await createSandbox({ persistPath, clock: 'manual', now: Date.parse('2026-06-01T00:00:00Z') });
  const saved = async () => {
    await sandbox.flushWebhooks();
    await new Promise((resolve) => setTimeout(resolve, 60));
    return JSON.parse(readFileSync(persistPath, 'utf8')) as { checkouts: [string, { status: string }][]; preRegistrations: [string, unknown][]; payments: unknown[] };
  };
  const { payment } = clientFor(sandbox);
  for (let i = 0; i < 230; i++) await sandbox.pay({ paymentId: `many-${i}`, totalAmount: 1_000 });
  const state = await saved();
  assert.equal(state.payments.length, 230, 'payments are kept');
  assert.ok(state.checkouts.length <= 201, `finished windows capped: ${state.checkouts.length}`);

  await payment.preRegisterPayment({ paymentId: 'pre-used', totalAmount: 5_000, currency: 'KRW' });
  await payment.preRegisterPayment({ paymentId: 'pre-unused', totalAmount: 5_000, currency: 'KRW' });
  await payment.preRegisterPayment({ paymentId: 'pre-va', totalAmount: 5_000, currency: 'KRW' });
  await sandbox.pay({ paymentId: 'pre-used', totalAmount: 5_000 }, { result: 'decline' });
  assert.deepEqual((await saved()).preRegistrations.map(([id]) => id), ['pre-used', 'pre-unused', 'pre-va'], 'a declined attempt keeps it for the retry');
  await sandbox.pay({ paymentId: 'pre-used', totalAmount: 5_000 });
  await sandbox.pay({ paymentId: 'pre-va', totalAmount: 5_000, payMethod: 'VIRTUAL_ACCOUNT' });
  assert.deepEqual((await saved()).preRegistrations.map(([id]) => id), ['pre-unused'], 'paid (or account issued): dropped');

  await sandbox.advance(2 * 3_600_000);
  await sandbox.pay({ paymentId: 'later', totalAmount: 1_000 }, { result: 'cancel' });
  assert.equal((await saved()).checkouts.length, 1, 'finished windows older than an hour are gone');
  await sandbox.close();
});

test('dashboard deposit route: the exact amount, or a short one with partial (PAID, amount.paid < total)', async (t) => {
  const sandbox = await withSandbox(t);
  await sandbox.pay({ paymentId: 'route-va', totalAmount: 7_000, payMethod: 'VIRTUAL_ACCOUNT' });
  const partial = await fetch(`${sandbox.url}/sandbox/deposit`, { method: 'POST', headers: { 'x-portone-sandbox-token': sandbox.controlToken }, body: JSON.stringify({ paymentId: 'route-va', amount: 5_000, partial: true }) });
  const body = (await partial.json()) as PaidPayment;
  assert.deepEqual([partial.status, body.status, body.amount.paid, body.amount.total], [200, 'PAID', 5_000, 7_000]);
});

test('dashboard control routes: queue outcomes, deposit, advance, faults, state, receipts, reset', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { clock: 'manual', webhookUrls: [receiver.url] });
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${sandbox.url}/sandbox/${path}`, { method: 'POST', headers: { 'x-portone-sandbox-token': sandbox.controlToken }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };
  const page = await fetch(sandbox.dashboardUrl);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /PortOne 샌드박스/);
  assert.equal((await fetch(`${sandbox.url}/sandbox`, { redirect: 'manual' })).headers.get('location'), '/sandbox/');

  assert.deepEqual(await post('outcomes', { result: 'decline', pgCode: 'V007' }), { status: 200, body: { queued: 1 } });
  assert.equal((await sandbox.pay({ paymentId: 'ctl-1', totalAmount: 1_000 })).pgCode, 'V007');
  assert.equal((await post('outcomes', { result: 'nope' })).status, 400);

  await sandbox.pay({ paymentId: 'ctl-va', totalAmount: 7_000, payMethod: 'VIRTUAL_ACCOUNT' });
  const short = await post('deposit', { paymentId: 'ctl-va', amount: 5_000 });
  assert.equal(short.status, 400);
  assert.match(short.body.message, /expects 7000 KRW, got 5000/);
  const deposited = await post('deposit', { paymentId: 'ctl-va' });
  assert.equal(deposited.status, 200);
  assert.equal((deposited.body as PaidPayment).status, 'PAID');
  assert.match((await post('deposit', { paymentId: 'ctl-va' })).body.message, /PAID, not a VIRTUAL_ACCOUNT_ISSUED/);

  const before = sandbox.now();
  assert.equal((await post('advance', { ms: 60_000 })).status, 200);
  assert.equal(sandbox.now() - before, 60_000);
  assert.equal((await post('advance', { ms: -1 })).status, 400);

  assert.equal((await post('charge-outcomes', { result: 'decline' })).body.queued, 1);
  assert.equal((await post('faults', { routes: { 'GET /payments/:id': { failureRate: 1 } } })).status, 200);
  assert.equal((await fetch(`${sandbox.url}/payments/ctl-va`, { headers: { authorization: `PortOne ${sandbox.apiSecret}` } })).status, 500);
  assert.equal((await post('faults', { routes: { 'GET /payments/:id': { failureRate: 3 } } })).status, 400);
  await post('faults', {});

  const state = await (await fetch(`${sandbox.url}/sandbox/state`, { headers: { 'x-portone-sandbox-token': sandbox.controlToken } })).json();
  assert.deepEqual(state.payments.map((p: { id: string; status: string }) => [p.id, p.status]), [['ctl-va', 'PAID'], ['ctl-1', 'FAILED']]);
  await sandbox.flushWebhooks();
  await eventually(() => receiver.received.length === 5, 'webhooks');
  assert.equal((await (await fetch(`${sandbox.url}/sandbox/state`, { headers: { 'x-portone-sandbox-token': sandbox.controlToken } })).json()).deliveries.length, 5);
  assert.deepEqual(webhookTypes(receiver.received), ['Transaction.Ready', 'Transaction.Failed', 'Transaction.Ready', 'Transaction.VirtualAccountIssued', 'Transaction.Paid']);

  const receipt = await fetch((paymentOf(sandbox, 'ctl-va') as PaidPayment).receiptUrl!);
  assert.equal(receipt.status, 200);
  assert.match(await receipt.text(), /매출전표/);

  assert.equal((await post('reset', {})).status, 200);
  assert.equal(sandbox.payment('ctl-va'), undefined);
  assert.equal((await post('nope', {})).status, 404);
});
