// Billing keys end to end with the sandbox as PortOne: a key verified against its issue and stored
// per customer; a plan charged now and scheduled for the next period, renewed by PortOne's schedule
// and its webhook; mismatched keys refused; billing-key-and-pay verified as payment and as key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckoutServerOptions } from '../../src/server/index.js';
import type { CheckoutStore } from '../../src/server/index.js';
import { createSqliteStore } from '../../src/server/store/sqlite/index.js';
import { BUYER, CART, eventually, issueKey, issueKeyAndPay, prepareBillingKey, prepareBillingKeyAndPay, startEnv, type Env } from './harness.js';

/** A store whose subscription reads fail while `failing()` says so: a database hiccup, at the boundary. */
function flakyStore(store: CheckoutStore, failing: () => boolean): CheckoutStore {
  return {
    ...store,
    getSubscription: (id) => (failing() ? Promise.reject(new Error('disk I/O error')) : store.getSubscription(id)),
  };
}

const PLANS = {
  monthly: { name: '월간 원두 구독', amount: 29_000, currency: 'KRW' as const, interval: '1m' },
  phone: { name: '월간 디지털 매거진', amount: 5_900, currency: 'KRW' as const, interval: '1m', productType: 'DIGITAL' as const },
};
const DAY = 86_400_000;

const subscriptionEnv = (t: Parameters<typeof startEnv>[0], kit: Partial<CheckoutServerOptions> = {}) =>
  startEnv(t, { sandbox: { clock: 'manual', now: Date.parse('2026-03-31T01:00:00Z') }, kit: { plans: PLANS, ...kit } });

async function subscribe(env: Env) {
  const prepared = await prepareBillingKey(env, { plan: 'monthly', customer: BUYER });
  const issued = await issueKey(env, prepared);
  assert.equal(issued.code, undefined, JSON.stringify(issued));
  const complete = await env.post('/billing-keys/complete', { billingKey: issued.billingKey, issueId: prepared.issueId });
  return { prepared, issued, complete };
}

test('subscription: key verified and stored, first period charged now, the next scheduled with PortOne', async (t) => {
  const env = await subscriptionEnv(t);
  const { prepared, issued, complete } = await subscribe(env);
  assert.equal(complete.status, 200, JSON.stringify(complete.body));
  const { billingKey, subscription, order } = complete.body;
  assert.deepEqual([billingKey.billingKey, billingKey.status, billingKey.customerId], [issued.billingKey, 'ISSUED', prepared.customer!.customerId]);
  assert.match(billingKey.display ?? '', /\*/, 'the masked card number');
  assert.deepEqual([subscription.plan, subscription.status, subscription.amount, subscription.currency], ['monthly', 'ACTIVE', 29_000, 'KRW']);
  // 31 March + one month is 30 April (KST), the same time of day.
  assert.equal(subscription.nextChargeAt, '2026-04-30T01:00:00.000Z');
  assert.deepEqual([order.status, order.totalAmount, order.orderName], ['PAID', 29_000, '월간 원두 구독']);
  assert.equal(env.sandbox.payment(order.paymentId)?.status, 'PAID');
  assert.equal((env.sandbox.payment(order.paymentId) as { billingKey?: string }).billingKey, issued.billingKey);

  // The charge's Transaction.Paid webhook may win the race with this complete: then the complete
  // waits for the paid and advance events that webhook runs, and the scheduling that follows them
  // is the webhook's to finish.
  await eventually(() => env.sandbox.schedules().length === 1, 'the next period scheduled with PortOne');
  const [schedule] = env.sandbox.schedules();
  assert.deepEqual([schedule!.status, schedule!.timeToPay, schedule!.totalAmount, schedule!.billingKey], ['SCHEDULED', '2026-04-30T01:00:00.000Z', 29_000, issued.billingKey]);
  await eventually(async () => (await env.kit.listSubscriptions())[0]?.scheduleId !== undefined, 'the schedule stored');
  const stored = (await env.kit.listSubscriptions())[0]!;
  assert.equal(stored.nextPaymentId, schedule!.paymentId);
  assert.ok(stored.scheduleId);

  assert.equal(env.hooks.billingKeyIssued.length, 1);
  assert.equal(env.hooks.billingKeyIssued[0]?.billingKey.billingKey, issued.billingKey);
  assert.equal(env.hooks.paid.length, 1);
  assert.equal(env.hooks.paid[0]?.subscription?.id, subscription.id);
  assert.deepEqual((await env.kit.listBillingKeys({ customerId: prepared.customer!.customerId })).map((k) => k.billingKey), [issued.billingKey]);

  // Replayed: the same answer, no second charge.
  const again = await env.post('/billing-keys/complete', { billingKey: issued.billingKey, issueId: prepared.issueId });
  assert.deepEqual(again, complete);
  assert.equal(env.hooks.paid.length, 1);
  assert.equal(env.sandbox.schedules().length, 1);
});

test('renewal: PortOne runs the schedule, its webhook marks the period paid and schedules the one after', async (t) => {
  const env = await subscriptionEnv(t);
  const { complete } = await subscribe(env);
  await env.sandbox.flushWebhooks();
  await env.sandbox.advance(31 * DAY);
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.listSubscriptions())[0]?.paidPeriods === 2, 'the second period is paid');
  await eventually(async () => env.sandbox.schedules().length === 2, 'the third period is scheduled');
  const [subscription] = await env.kit.listSubscriptions();
  assert.equal(subscription?.status, 'ACTIVE');
  assert.equal(new Date(subscription!.nextChargeAt!).toISOString(), '2026-05-31T01:00:00.000Z', 'anchored on the start: 31 May, not 30 May');
  const periods = await env.kit.listOrders({ subscriptionId: complete.body.subscription.id });
  assert.deepEqual(periods.map((o) => o.status), ['PENDING', 'PAID', 'PAID']);
  assert.equal(env.hooks.paid.length, 2);
  assert.deepEqual(env.sandbox.schedules().map((s) => s.status).sort(), ['SCHEDULED', 'SUCCEEDED']);
  const view = await env.kit.fetch(new Request(`http://shop.test/payments/${periods[1]!.paymentId}`));
  assert.equal((await view.json()).order.status, 'PAID');
});

test('a declined renewal: the period fails, the subscription is past due, onFailed runs', async (t) => {
  const env = await subscriptionEnv(t);
  await subscribe(env);
  await env.sandbox.flushWebhooks();
  env.sandbox.nextChargeOutcome({ result: 'decline', pgCode: 'V005', pgMessage: '카드 한도가 초과되었습니다.' });
  await env.sandbox.advance(31 * DAY);
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.listSubscriptions())[0]?.status === 'PAST_DUE', 'the subscription is past due');
  assert.equal(env.hooks.failed.length, 1);
  assert.equal(env.hooks.failed[0]?.order.failure?.pgCode, 'V005');
  assert.equal(env.hooks.paid.length, 1);
});

test('a declined first charge: the key is kept, the order fails, nothing is scheduled', async (t) => {
  const env = await subscriptionEnv(t);
  env.sandbox.nextChargeOutcome({ result: 'decline', pgCode: 'V005', pgMessage: '카드 한도가 초과되었습니다.' });
  const { complete } = await subscribe(env);
  assert.equal(complete.status, 200);
  assert.equal(complete.body.order.status, 'FAILED');
  assert.equal(complete.body.order.failure.pgCode, 'V005');
  assert.equal(complete.body.subscription.status, 'PAST_DUE');
  assert.equal(complete.body.subscription.nextChargeAt, undefined, 'nothing is scheduled');
  assert.equal(env.sandbox.schedules().length, 0);
  assert.equal(env.hooks.paid.length, 0);
  assert.equal(env.hooks.failed.length, 1);
  assert.equal(env.hooks.billingKeyIssued.length, 1);
});

test('while the first charge has not settled the subscription is INCOMPLETE, then ACTIVE once it is paid', async (t) => {
  const env = await subscriptionEnv(t);
  // PortOne cannot take the first charge right now: the kit answers once the key is stored and retries the charge.
  env.sandbox.setFaults({ routes: { 'POST /payments/:id/billing-key': { failureRate: 1, failureStatus: 503 } } });
  const { complete } = await subscribe(env);
  assert.equal(complete.status, 200, JSON.stringify(complete.body));
  assert.equal(complete.body.order.status, 'PENDING');
  assert.equal(complete.body.subscription.status, 'INCOMPLETE', 'not past due: nothing failed');
  const view = async () => (await env.kit.fetch(new Request(`http://shop.test/payments/${complete.body.order.paymentId}`))).json();
  assert.equal((await view()).subscription.status, 'INCOMPLETE');
  assert.deepEqual((await env.kit.listSubscriptions()).map((s) => s.status), ['INCOMPLETE']);
  // PortOne is back; the retry (due after its backoff) charges the period.
  env.sandbox.setFaults({});
  await env.sandbox.advance(60_000);
  await env.kit.runDueEvents();
  const settled = await view();
  assert.deepEqual([settled.order.status, settled.subscription.status], ['PAID', 'ACTIVE']);
  assert.equal(env.hooks.paid.length, 1);
});

test('a billing key without a plan is stored for its customer', async (t) => {
  const env = await startEnv(t);
  const prepared = await prepareBillingKey(env, { customer: { ...BUYER, customerId: 'member-42' } });
  assert.equal(prepared.customer?.customerId, 'member-42');
  const issued = await issueKey(env, prepared);
  const complete = await env.post('/billing-keys/complete', { billingKey: issued.billingKey });
  assert.equal(complete.status, 200, JSON.stringify(complete.body));
  assert.deepEqual(Object.keys(complete.body), ['billingKey']);
  assert.equal(complete.body.billingKey.customerId, 'member-42');
  assert.deepEqual((await env.kit.listBillingKeys({ customerId: 'member-42' })).map((k) => k.status), ['ISSUED']);
});

test('billing keys that do not match what was prepared are refused and not stored', async (t) => {
  const env = await startEnv(t, { kit: { plans: PLANS } });
  // Only the route here: a BillingKey.Issued webhook would complete the good key on its own.
  env.sandbox.setWebhookUrls([]);
  const refuse = async (body: unknown, status: number, code: string, message: RegExp) => {
    const keysBefore = await env.kit.listBillingKeys();
    const answer = await env.post('/billing-keys/complete', body);
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(answer.body.code, code);
    assert.match(answer.body.message, message);
    assert.deepEqual(await env.kit.listBillingKeys(), keysBefore);
  };
  const prepared = await prepareBillingKey(env, { plan: 'monthly', customer: BUYER });
  // Issued for another customer than the one prepared.
  const otherCustomer = await issueKey(env, prepared, undefined, { customer: { ...BUYER, customerId: 'cus_someone_else' } });
  await refuse({ billingKey: otherCustomer.billingKey, issueId: prepared.issueId }, 409, 'BILLING_KEY_MISMATCH', /customer\.id expected "cus_[\w-]+", got "cus_someone_else"/);
  // Issued through another channel than the shop's billing channel.
  const otherChannel = await issueKey(env, prepared, undefined, { channelKey: env.sandbox.channelKeys.billingKeyAndPay, issueId: prepared.issueId });
  await refuse({ billingKey: otherChannel.billingKey, issueId: prepared.issueId }, 409, 'BILLING_KEY_MISMATCH', /channels\[\]\.key expected/);
  // Issued for an issue this shop never prepared.
  const stranger = await issueKey(env, { ...prepared, issueId: 'iss_not_ours', customData: {} });
  await refuse({ billingKey: stranger.billingKey }, 404, 'ISSUE_NOT_FOUND', /issueId: expected one prepared by this shop, got "iss_not_ours"/);
  // The browser names another issue of this shop than the key's.
  const good = await issueKey(env, prepared);
  const another = await prepareBillingKey(env, { customer: BUYER });
  await refuse({ billingKey: good.billingKey, issueId: another.issueId }, 409, 'BILLING_KEY_MISMATCH', new RegExp(`issueId expected "${another.issueId}", got "${prepared.issueId}"`));
  // An issue this shop never prepared: refused before PortOne is asked (it would not know this key either).
  await refuse({ billingKey: good.billingKey, issueId: 'iss_other' }, 404, 'ISSUE_NOT_FOUND', /issueId: expected one prepared by this shop, got "iss_other"/);
  await refuse({ billingKey: 'billing-key-that-does-not-exist', issueId: 'iss_other' }, 404, 'ISSUE_NOT_FOUND', /got "iss_other"/);
  await refuse({ billingKey: 'billing-key-that-does-not-exist' }, 409, 'BILLING_KEY_NOT_FOUND', /billingKey: expected a key PortOne issued, got bill…xist which PortOne does not know/);
  // A key deleted before completion.
  const deleted = await issueKey(env, await prepareBillingKey(env, { customer: BUYER }));
  await fetch(`${env.sandbox.url}/billing-keys/${encodeURIComponent(deleted.billingKey!)}`, { method: 'DELETE', headers: { authorization: `PortOne ${env.sandbox.apiSecret}` } });
  await refuse({ billingKey: deleted.billingKey }, 409, 'BILLING_KEY_NOT_ISSUED', /status expected "ISSUED", got "DELETED"/);
  // The good key completes; a second key for the same issue is refused.
  assert.equal((await env.post('/billing-keys/complete', { billingKey: good.billingKey, issueId: prepared.issueId })).status, 200);
  const second = await issueKey(env, prepared);
  await refuse({ billingKey: second.billingKey, issueId: prepared.issueId }, 409, 'ISSUE_ALREADY_COMPLETED', /expected to be completed once, got a second billing key/);
  assert.equal(env.hooks.paid.length, 1, 'only the good key was charged');
});

test('the BillingKey.Issued webhook arriving first completes the issue; complete then answers the same, one charge', async (t) => {
  const env = await subscriptionEnv(t);
  const prepared = await prepareBillingKey(env, { plan: 'monthly', customer: BUYER });
  const issued = await issueKey(env, prepared);
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.listBillingKeys()).length === 1, 'the webhook stored the key');
  await eventually(async () => env.hooks.paid.length === 1, 'the webhook charged the first period');
  const complete = await env.post('/billing-keys/complete', { billingKey: issued.billingKey, issueId: prepared.issueId });
  assert.equal(complete.status, 200);
  assert.equal(complete.body.order.status, 'PAID');
  assert.equal(complete.body.subscription.status, 'ACTIVE');
  assert.equal(env.hooks.paid.length, 1);
  assert.equal(env.hooks.billingKeyIssued.length, 1);
});

test('a deleted billing key (webhook) cancels its subscription and revokes the schedule; cancelSubscription does the same', async (t) => {
  const env = await subscriptionEnv(t);
  const first = await subscribe(env);
  await env.sandbox.flushWebhooks();
  // The shopper's card is removed in PortOne: its schedules go first, then the key.
  await fetch(`${env.sandbox.url}/payment-schedules?requestBody=${encodeURIComponent(JSON.stringify({ billingKey: first.issued.billingKey }))}`, { method: 'DELETE', headers: { authorization: `PortOne ${env.sandbox.apiSecret}` } });
  await fetch(`${env.sandbox.url}/billing-keys/${encodeURIComponent(first.issued.billingKey!)}`, { method: 'DELETE', headers: { authorization: `PortOne ${env.sandbox.apiSecret}` } });
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.listBillingKeys())[0]?.status === 'DELETED', 'the Deleted webhook');
  await eventually(async () => (await env.kit.listSubscriptions())[0]?.status === 'CANCELLED', 'the subscription is cancelled');

  const second = await subscribe(env);
  const cancelled = await env.kit.cancelSubscription(second.complete.body.subscription.id);
  assert.equal(cancelled.status, 'CANCELLED');
  const revoked = env.sandbox.schedules().find((s) => s.paymentId === cancelled.nextPaymentId);
  assert.equal(revoked?.status, 'REVOKED');
  assert.equal((await env.kit.getOrder(cancelled.nextPaymentId!))?.status, 'CANCELLED');
  await env.sandbox.advance(40 * DAY);
  await env.sandbox.flushWebhooks();
  assert.equal(env.hooks.paid.length, 2, 'nothing more is charged');
});

test('billing-key-and-pay: the payment verified like any payment, the key like any key, both stored', async (t) => {
  const env = await startEnv(t);
  const prepared = await prepareBillingKeyAndPay(env, CART);
  assert.match(prepared.customer?.customerId ?? '', /^cus_/);
  const result = await issueKeyAndPay(env, prepared);
  assert.equal(result.code, undefined, JSON.stringify(result));
  const complete = await env.post('/billing-key-and-pay/complete', { paymentId: result.paymentId, billingKey: result.billingKey, txId: result.txId });
  assert.equal(complete.status, 200, JSON.stringify(complete.body));
  assert.equal(complete.body.order.status, 'PAID');
  assert.equal(complete.body.order.payMethod, 'MOBILE');
  assert.deepEqual([complete.body.billingKey.billingKey, complete.body.billingKey.customerId], [result.billingKey, prepared.customer!.customerId]);
  assert.equal((await env.kit.getOrder(prepared.paymentId))?.billingKey, result.billingKey);
  assert.equal(env.hooks.paid.length, 1);
  assert.equal(env.hooks.billingKeyIssued.length, 1);
  const again = await env.post('/billing-key-and-pay/complete', { paymentId: result.paymentId, billingKey: result.billingKey });
  assert.deepEqual(again.body, complete.body);
  assert.equal(env.hooks.paid.length, 1);
});

test('billing-key-and-pay with a plan: the payment is the first period, the next is scheduled', async (t) => {
  const env = await subscriptionEnv(t);
  const prepared = await prepareBillingKeyAndPay(env, { plan: 'phone', customer: BUYER });
  assert.deepEqual([prepared.totalAmount, prepared.orderName, prepared.productType, prepared.offerPeriodInterval], [5_900, '월간 디지털 매거진', 'DIGITAL', '1m']);
  const result = await issueKeyAndPay(env, prepared);
  const complete = await env.post('/billing-key-and-pay/complete', { paymentId: result.paymentId, billingKey: result.billingKey });
  assert.equal(complete.status, 200, JSON.stringify(complete.body));
  assert.equal(complete.body.subscription.status, 'ACTIVE');
  assert.equal(complete.body.subscription.nextChargeAt, '2026-04-30T01:00:00.000Z');
  await eventually(() => env.sandbox.schedules().length === 1, 'the next period is scheduled');
  assert.equal(env.sandbox.schedules()[0]?.totalAmount, 5_900);
});

test('billing-key-and-pay refuses a key that is not the one PortOne charged, or of another customer', async (t) => {
  const env = await startEnv(t);
  const mine = await prepareBillingKeyAndPay(env, CART);
  const theirs = await prepareBillingKeyAndPay(env, CART);
  const paidMine = await issueKeyAndPay(env, mine);
  const paidTheirs = await issueKeyAndPay(env, theirs);
  const swapped = await env.post('/billing-key-and-pay/complete', { paymentId: paidMine.paymentId, billingKey: paidTheirs.billingKey });
  assert.equal(swapped.status, 409);
  assert.equal(swapped.body.code, 'BILLING_KEY_MISMATCH');
  assert.match(swapped.body.message, /customer\.id expected "cus_[\w-]+", got "cus_[\w-]+"/);
  // The webhooks then settle each payment with the key PortOne charged it with: each key is its own customer's.
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.listBillingKeys()).length === 2, 'both payments settled by their webhooks');
  const owners = Object.fromEntries((await env.kit.listBillingKeys()).map((k) => [k.billingKey, k.customerId]));
  assert.deepEqual(owners, { [paidMine.billingKey!]: mine.customer!.customerId, [paidTheirs.billingKey!]: theirs.customer!.customerId });
  assert.equal((await env.kit.getOrder(mine.paymentId))?.billingKey, paidMine.billingKey);
});

test('a plan is the price of its first period: a cart or a shop order sent with a plan is refused, nothing is created', async (t) => {
  const env = await subscriptionEnv(t, { plans: { ...PLANS, premium: { name: '프리미엄', amount: 99_000, currency: 'KRW', interval: '1m', productType: 'DIGITAL' } } });
  for (const [body, field] of [[{ plan: 'premium', items: [{ id: 'sticker', quantity: 1 }] }, 'items'], [{ plan: 'premium', orderId: 'shop-order-1' }, 'orderId']] as const) {
    const answer = await env.post('/billing-key-and-pay/prepare', { ...body, customer: BUYER });
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'INVALID_REQUEST');
    assert.match(answer.body.message, new RegExp(`^${field}: expected no (cart|shop order) with a plan \\(plan "premium" is the price of the first period\\)`));
  }
  assert.equal((await env.kit.listOrders()).length, 0);
  const plan = await prepareBillingKeyAndPay(env, { plan: 'premium', customer: BUYER });
  assert.deepEqual([plan.totalAmount, plan.orderName], [99_000, '프리미엄']);
});

test('billing-key-and-pay with a plan, the tab closed before complete: the webhook stores the key and starts the subscription', async (t) => {
  const env = await subscriptionEnv(t);
  const prepared = await prepareBillingKeyAndPay(env, { plan: 'phone', customer: BUYER });
  const result = await issueKeyAndPay(env, prepared);
  await env.sandbox.flushWebhooks();
  await eventually(() => env.sandbox.schedules().length === 1, 'the next period is scheduled');
  const order = await env.kit.getOrder(prepared.paymentId);
  assert.deepEqual([order?.status, order?.billingKey], ['PAID', result.billingKey]);
  assert.deepEqual((await env.kit.listBillingKeys()).map((k) => [k.billingKey, k.customerId]), [[result.billingKey, prepared.customer!.customerId]]);
  const [subscription] = await env.kit.listSubscriptions();
  assert.deepEqual([subscription?.plan, subscription?.status, subscription?.paidPeriods, subscription?.billingKey], ['phone', 'ACTIVE', 1, result.billingKey]);
  assert.equal(env.sandbox.schedules()[0]?.paymentId, subscription?.nextPaymentId);
  assert.equal(env.hooks.paid.length, 1);
  assert.equal(env.hooks.paid[0]?.subscription?.id, subscription?.id, 'onPaid sees the subscription it started');
  assert.equal(env.hooks.billingKeyIssued[0]?.subscription?.id, subscription?.id);
  assert.deepEqual(env.logs.filter((l) => /failed \(attempt/.test(l)), [], 'no follow-up ran before what it needs');
  // The complete that comes late answers the same and changes nothing.
  const complete = await env.post('/billing-key-and-pay/complete', { paymentId: result.paymentId, billingKey: result.billingKey });
  assert.equal(complete.status, 200, JSON.stringify(complete.body));
  assert.deepEqual([complete.body.order.status, complete.body.subscription.status, complete.body.billingKey.billingKey], ['PAID', 'ACTIVE', result.billingKey]);
  assert.deepEqual([env.hooks.paid.length, env.hooks.billingKeyIssued.length, env.sandbox.schedules().length], [1, 1, 1]);
});

test('billing-key-and-pay with a plan, the tab closed and every webhook lost: reconcile() finishes the job', async (t) => {
  const env = await startEnv(t, { sandbox: { clock: 'manual', now: Date.parse('2026-03-31T01:00:00Z'), faults: { webhooks: { dropRate: 1 } } }, kit: { plans: PLANS } });
  const prepared = await prepareBillingKeyAndPay(env, { plan: 'phone', customer: BUYER });
  const result = await issueKeyAndPay(env, prepared);
  await env.sandbox.flushWebhooks();
  assert.equal((await env.kit.getOrder(prepared.paymentId))?.status, 'PENDING');
  const report = await env.kit.reconcile({ olderThanMs: 0 });
  assert.deepEqual([report.checked, report.updated, report.failed], [1, 1, []]);
  const [subscription] = await env.kit.listSubscriptions();
  assert.deepEqual([subscription?.status, subscription?.paidPeriods, subscription?.nextChargeAt], ['ACTIVE', 1, Date.parse('2026-04-30T01:00:00Z')]);
  assert.deepEqual((await env.kit.listBillingKeys()).map((k) => k.billingKey), [result.billingKey]);
  assert.deepEqual(env.sandbox.schedules().map((s) => [s.status, s.paymentId]), [['SCHEDULED', subscription?.nextPaymentId]]);
  assert.equal(env.hooks.paid[0]?.subscription?.id, subscription?.id);
});

test('cancelling a subscription while its next period is being scheduled: the schedule is revoked, nothing more is charged', async (t) => {
  const env = await startEnv(t, {
    sandbox: { clock: 'manual', now: Date.parse('2026-03-31T01:00:00Z'), faults: { routes: { 'POST /payments/:id/schedule': { latencyMs: 800 } } } },
    kit: { plans: PLANS, hookWaitMs: 50 },
  });
  const prepared = await prepareBillingKey(env, { plan: 'monthly', customer: BUYER });
  const issued = await issueKey(env, prepared);
  await env.post('/billing-keys/complete', { billingKey: issued.billingKey, issueId: prepared.issueId });
  // PortOne is creating the next period's schedule while the shopper cancels.
  await eventually(async () => (await env.kit.listEvents()).some((e) => e.key.startsWith('schedule-period:') && e.status === 'running'), 'the schedule is being created');
  const [subscription] = await env.kit.listSubscriptions();
  const cancelled = await env.kit.cancelSubscription(subscription!.id);
  assert.equal(cancelled.status, 'CANCELLED');
  await eventually(async () => (await env.kit.listEvents()).some((e) => e.key.startsWith('schedule-period:') && e.status === 'done'), 'the schedule call returned');
  const schedules = env.sandbox.schedules().filter((s) => s.paymentId === subscription!.nextPaymentId);
  assert.equal(schedules.length, 1);
  assert.equal(schedules[0]?.status, 'REVOKED', 'PortOne will not charge the cancelled subscription');
  await env.sandbox.advance(40 * DAY);
  await env.sandbox.flushWebhooks();
  assert.notEqual(env.sandbox.payment(subscription!.nextPaymentId!)?.status, 'PAID');
  assert.equal((await env.kit.listSubscriptions())[0]?.status, 'CANCELLED');
  assert.equal(env.hooks.paid.length, 1, 'only the first period');
});

test('a period PortOne charges after the subscription was cancelled is flagged and refunded, never fulfilled', async (t) => {
  const env = await subscriptionEnv(t);
  const { complete } = await subscribe(env);
  await env.sandbox.flushWebhooks();
  const cancelled = await env.kit.cancelSubscription(complete.body.subscription.id);
  const next = cancelled.nextPaymentId!;
  assert.equal((await env.kit.getOrder(next))?.status, 'CANCELLED');
  // A schedule the kit could not revoke (its answer was lost) charges the period anyway.
  const order = (await env.kit.getOrder(next))!;
  const charge = await fetch(`${env.sandbox.url}/payments/${encodeURIComponent(next)}/billing-key`, {
    method: 'POST',
    headers: { authorization: `PortOne ${env.sandbox.apiSecret}` },
    body: JSON.stringify({ storeId: env.sandbox.storeId, billingKey: cancelled.billingKey, channelKey: env.sandbox.channelKeys.billingKey, orderName: order.orderName, customer: { id: cancelled.customerId }, amount: { total: order.totalAmount }, currency: 'KRW', customData: JSON.stringify({ orderId: order.orderId }) }),
  });
  assert.equal(charge.status, 200, await charge.clone().text());
  await env.sandbox.flushWebhooks();
  await eventually(async () => (await env.kit.getOrder(next))?.flag?.refundedAt !== undefined, 'flagged and refunded');
  const flagged = await env.kit.getOrder(next);
  assert.deepEqual([flagged?.status, flagged?.flag?.code], ['FLAGGED', 'ORDER_CANCELLED']);
  assert.match(flagged?.flag?.message ?? '', /which the shop had cancelled \(subscription cancelled\): expected no payment, got PAID/);
  assert.equal(env.sandbox.payment(next)?.status, 'CANCELLED');
  assert.equal(env.hooks.paid.length, 1, 'only the first period was fulfilled');
  const after = (await env.kit.listSubscriptions())[0];
  assert.deepEqual([after?.status, after?.paidPeriods], ['CANCELLED', 1]);
});

test('shopper refreshes during a PortOne outage neither hurry the first charge nor use up its attempts', async (t) => {
  const env = await subscriptionEnv(t, { hookRetry: { maxAttempts: 3, baseDelayMs: 1_000 } });
  const prepared = await prepareBillingKey(env, { plan: 'monthly', customer: BUYER });
  const issued = await issueKey(env, prepared);
  env.sandbox.setFaults({ routes: { 'POST /payments/:id/billing-key': { failureRate: 1 } } });
  for (let i = 0; i < 13; i++) await env.post('/billing-keys/complete', { billingKey: issued.billingKey, issueId: prepared.issueId });
  const charge = async () => (await env.kit.listEvents()).find((e) => e.key.startsWith('charge-first-period:'))!;
  assert.deepEqual([(await charge()).status, (await charge()).attempts], ['pending', 1], 'the refreshes did not run it again before its backoff');
  for (let i = 0; i < 5; i++) {
    await env.sandbox.advance(2 * 3_600_000);
    await env.kit.runDueEvents();
  }
  assert.deepEqual([(await charge()).status, (await charge()).attempts, (await charge()).transientAttempts], ['pending', 6, 6], 'PortOne being down is not the event failing');
  env.sandbox.setFaults({});
  await env.sandbox.advance(2 * 3_600_000);
  await env.kit.runDueEvents();
  assert.equal((await charge()).status, 'done');
  assert.equal((await env.kit.listSubscriptions())[0]?.status, 'ACTIVE');
});

test('reconcile() gives the kit\u2019s follow-ups that gave up another round: a stuck first charge goes through', async (t) => {
  // The store hiccups (say, a disk error) on the first charge's reads: with one attempt allowed, it gives up.
  let failReads = 0;
  const env = await subscriptionEnv(t, {
    hookRetry: { maxAttempts: 1 },
    store: flakyStore(createSqliteStore({ path: ':memory:' }), () => failReads-- > 0),
  });
  const prepared = await prepareBillingKey(env, { plan: 'monthly', customer: BUYER });
  const issued = await issueKey(env, prepared);
  failReads = 1;
  const complete = await env.post('/billing-keys/complete', { billingKey: issued.billingKey, issueId: prepared.issueId });
  assert.equal(complete.body.subscription.status, 'INCOMPLETE');
  const charge = async () => (await env.kit.listEvents()).find((e) => e.key.startsWith('charge-first-period:'))!;
  assert.equal((await charge()).status, 'dead');
  const report = await env.kit.reconcile({ olderThanMs: 0 });
  assert.equal(report.revived, 1);
  assert.equal((await charge()).status, 'done');
  assert.equal((await env.kit.listSubscriptions())[0]?.status, 'ACTIVE');
  assert.equal(env.hooks.paid.length, 1);
});
