// Who pays is the shop's business: `identifyCustomer` (the shop's session) decides the customer id on
// every prepare, whatever the browser claims; priceOrder sees who asked; orders are listed per
// customer. Without the option the browser's id is taken as sent (the documented risk).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckoutError, type Cart, type PriceContext } from '../../src/server/index.js';
import type { CheckoutCustomer } from '../../src/contract.js';
import { BUYER, CART, issueKey, prepareBillingKey, prepareBillingKeyAndPay, startEnv } from './harness.js';
import { call, post, priceOrder, snapshot, testKit } from './support.js';

/** The shop's session: a cookie naming the member, as a shop's own middleware would read it. */
const MEMBERS: Record<string, CheckoutCustomer> = {
  'session-kim': { customerId: 'member-kim', fullName: '김하나', phoneNumber: '010-1111-2222', email: 'kim@example.com' },
  'session-lee': { customerId: 'member-lee', fullName: '이둘', email: 'lee@example.com' },
};
const identifyCustomer = (request: Request): CheckoutCustomer | undefined => {
  const session = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
  return session ? MEMBERS[session] : undefined;
};
const as = (session: string | undefined) => (session ? { headers: { cookie: `session=${session}` } } : {});

const kitFor = (t: { after: (fn: () => Promise<void>) => void }, options: Parameters<typeof testKit>[0] = {}) => {
  const kit = testKit({ preRegister: false, identifyCustomer, ...options });
  t.after(() => kit.close());
  return kit;
};

test('identifyCustomer: the browser-claimed customerId is ignored, the member named by the session wins', async (t) => {
  const priced: [Cart, PriceContext][] = [];
  const kit = kitFor(t, { priceOrder: (cart, context) => (priced.push([cart, context]), priceOrder(cart)) });
  const claim = { items: [{ id: 'beans', quantity: 1 }], customer: { customerId: 'member-lee', fullName: '김하나 (배송용)' } };
  const { status, body } = await call(kit, post('/payments/prepare', claim, as('session-kim')));
  assert.equal(status, 200, JSON.stringify(body));
  // The id is the session's; the name the shopper typed is kept; what the form left out comes from the member.
  assert.deepEqual(body.customer, { customerId: 'member-kim', fullName: '김하나 (배송용)', phoneNumber: '010-1111-2222', email: 'kim@example.com' });
  assert.deepEqual((await kit.getOrder(body.paymentId))?.customer, body.customer);
  // priceOrder sees the merged customer in the cart, and the identified one (to price per member) beside the request.
  const [[cart, context]] = priced as [[Cart, PriceContext]];
  assert.equal(cart.customer?.customerId, 'member-kim');
  assert.deepEqual(context.customer, MEMBERS['session-kim']);
  assert.ok(context.request instanceof Request);
  assert.equal(context.request.headers.get('cookie'), 'session=session-kim');
  // The order is listed under the member, not under the id the browser claimed.
  assert.deepEqual((await kit.listOrders({ customerId: 'member-kim' })).map((o) => o.paymentId), [body.paymentId]);
  assert.deepEqual(await kit.listOrders({ customerId: 'member-lee' }), []);
});

test('identifyCustomer: a guest (undefined) cannot claim a member id either', async (t) => {
  const kit = kitFor(t, { plans: { monthly: { name: '월간 구독', amount: 9_900, currency: 'KRW', interval: '1m' } } });
  const payment = await call(kit, post('/payments/prepare', { ...CART, customer: { ...BUYER, customerId: 'member-kim' } }));
  assert.equal(payment.status, 200);
  assert.deepEqual(payment.body.customer, BUYER, 'no customer id at all');
  assert.deepEqual(await kit.listOrders({ customerId: 'member-kim' }), []);
  // A billing key is always some customer's: a guest gets one the kit makes up, never the claimed one.
  const key = await call(kit, post('/billing-keys/prepare', { plan: 'monthly', customer: { ...BUYER, customerId: 'member-kim' } }));
  assert.equal(key.status, 200);
  assert.match(key.body.customer.customerId, /^cus_[\w-]{30}$/);
  const phone = await call(kit, post('/billing-key-and-pay/prepare', { plan: 'monthly', customer: { customerId: 'member-kim' } }));
  assert.equal(phone.status, 200);
  assert.match(phone.body.customer.customerId, /^cus_[\w-]{30}$/);
});

test('identifyCustomer on billing-key-and-pay: plan-priced prepares belong to the session’s member too', async (t) => {
  const kit = kitFor(t, { plans: { monthly: { name: '월간 구독', amount: 9_900, currency: 'KRW', interval: '1m' } } });
  const { status, body } = await call(kit, post('/billing-key-and-pay/prepare', { plan: 'monthly', customer: { customerId: 'member-kim' } }, as('session-lee')));
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(body.customer, MEMBERS['session-lee']);
  assert.equal((await kit.getOrder(body.paymentId))?.customerIdAssigned, undefined, 'the shop named this customer');
});

test('identifyCustomer refusing or failing: its 4xx passes through, anything else is the shop’s bug; nothing is stored', async (t) => {
  const logs: string[] = [];
  const refusing = kitFor(t, {
    identifyCustomer: () => {
      throw new CheckoutError('SIGN_IN_REQUIRED', 'session: expected a signed-in member, got none', { status: 401 });
    },
  });
  const before = await snapshot(refusing);
  const refused = await call(refusing, post('/payments/prepare', CART));
  assert.deepEqual([refused.status, refused.body.code, refused.body.message], [401, 'SIGN_IN_REQUIRED', 'session: expected a signed-in member, got none']);
  assert.deepEqual(await snapshot(refusing), before);

  for (const broken of [
    () => {
      throw new Error('session store down');
    },
    () => ({ customerId: 'member with spaces' }),
    () => 'member-kim' as unknown as CheckoutCustomer,
  ]) {
    const kit = kitFor(t, { identifyCustomer: broken, logger: { error: (message) => void logs.push(message) } });
    for (const route of ['/payments/prepare', '/billing-keys/prepare']) {
      const answer = await call(kit, post(route, CART));
      assert.equal(answer.status, 500, JSON.stringify(answer.body));
      assert.equal(answer.body.code, 'SHOP_CONFIGURATION');
      assert.match(answer.body.message, /the shop could not tell who is checking out \(identifyCustomer (failed|returned an unusable customer)\)/);
    }
    assert.deepEqual((await snapshot(kit)).orders, []);
  }
  assert.ok(logs.some((line) => /identifyCustomer returned an unusable customer: identifyCustomer\(\)\.customerId: expected printable ASCII/.test(line)), logs.join('\n'));
});

test('without identifyCustomer the browser’s customerId is taken as sent (the documented risk)', async (t) => {
  const kit = testKit({ preRegister: false });
  t.after(() => kit.close());
  const { body } = await call(kit, post('/payments/prepare', { ...CART, customer: { customerId: 'member-kim' } }));
  assert.equal(body.customer.customerId, 'member-kim');
  assert.equal((await kit.listOrders({ customerId: 'member-kim' })).length, 1);
});

test('billing keys are stored under the identified customer, not the one the browser claimed', async (t) => {
  const env = await startEnv(t, { kit: { identifyCustomer, plans: { monthly: { name: '월간 원두 구독', amount: 29_000, currency: 'KRW', interval: '1m' } } } });
  const answer = await call(env.kit, post('/billing-keys/prepare', { plan: 'monthly', customer: { ...BUYER, customerId: 'member-lee' } }, as('session-kim')));
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const prepared = answer.body as Awaited<ReturnType<typeof prepareBillingKey>>;
  assert.equal(prepared.customer?.customerId, 'member-kim');
  const issued = await issueKey(env, prepared);
  const complete = await env.post('/billing-keys/complete', { billingKey: issued.billingKey, issueId: prepared.issueId });
  assert.equal(complete.status, 200, JSON.stringify(complete.body));
  assert.equal(complete.body.billingKey.customerId, 'member-kim');
  assert.deepEqual((await env.kit.listBillingKeys({ customerId: 'member-kim' })).map((k) => k.billingKey), [issued.billingKey]);
  assert.deepEqual(await env.kit.listBillingKeys({ customerId: 'member-lee' }), []);
  assert.deepEqual((await env.kit.listSubscriptions({ customerId: 'member-kim' })).map((s) => s.status), ['ACTIVE']);
  assert.deepEqual(await env.kit.listSubscriptions({ customerId: 'member-lee' }), []);
  // The first period's order is the member's too.
  assert.deepEqual((await env.kit.listOrders({ customerId: 'member-kim' })).map((o) => `${o.kind} ${o.status}`).sort(), ['subscription PAID', 'subscription PENDING']);
});

test('listOrders: per customer, started or not, by status, newest first, limited', async (t) => {
  // A manual clock a second apart per order, so "newest first" is not decided by a tie.
  const env = await startEnv(t, { sandbox: { clock: 'manual' }, kit: { identifyCustomer } });
  const kim = async () => {
    await env.sandbox.advance(1_000);
    return (await call(env.kit, post('/payments/prepare', CART, as('session-kim')))).body as Awaited<ReturnType<typeof env.prepare>>;
  };
  const paid = await kim();
  await env.post('/payments/complete', await env.pay(paid));
  const declined = await kim();
  await env.post('/payments/complete', await env.pay(declined, { result: 'decline', pgCode: 'V005' }));
  const abandoned = await kim(); // prepared, the window never opened
  await env.sandbox.advance(1_000);
  const guest = await env.prepare(CART);
  await env.post('/payments/complete', await env.pay(guest));

  const ids = (orders: { paymentId: string }[]) => orders.map((o) => o.paymentId);
  assert.deepEqual(ids(await env.kit.listOrders({ customerId: 'member-kim' })), [abandoned.paymentId, declined.paymentId, paid.paymentId]);
  assert.deepEqual(ids(await env.kit.listOrders({ customerId: 'member-kim', started: true })), [declined.paymentId, paid.paymentId]);
  assert.deepEqual(ids(await env.kit.listOrders({ customerId: 'member-kim', started: false })), [abandoned.paymentId]);
  assert.deepEqual(ids(await env.kit.listOrders({ customerId: 'member-kim', statuses: ['PAID'] })), [paid.paymentId]);
  assert.deepEqual(ids(await env.kit.listOrders({ customerId: 'member-kim', limit: 1, offset: 1 })), [declined.paymentId]);
  assert.deepEqual(ids(await env.kit.listOrders({ started: true })), [guest.paymentId, declined.paymentId, paid.paymentId]);
});

test('billing-key-and-pay without a named customer keeps the id the kit assigned when it is re-prepared unchanged', async (t) => {
  const env = await startEnv(t, { kit: { plans: { phone: { name: '월간 디지털 매거진', amount: 5_900, currency: 'KRW', interval: '1m', productType: 'DIGITAL' } } } });
  const first = await prepareBillingKeyAndPay(env, { plan: 'phone', customer: BUYER });
  assert.match(first.customer?.customerId ?? '', /^cus_/);
  const again = await prepareBillingKeyAndPay(env, { plan: 'phone', customer: BUYER, previousPaymentId: first.paymentId });
  assert.equal(again.paymentId, first.paymentId);
  assert.equal(again.customer?.customerId, first.customer?.customerId);
  // Changed details: a new order, with an id of its own (an order's customer never passes to another).
  const edited = await prepareBillingKeyAndPay(env, { plan: 'phone', customer: { ...BUYER, fullName: '김하나나' }, previousPaymentId: first.paymentId });
  assert.notEqual(edited.paymentId, first.paymentId);
  assert.match(edited.customer?.customerId ?? '', /^cus_/);
  assert.notEqual(edited.customer?.customerId, first.customer?.customerId);
  assert.equal(edited.customer?.fullName, '김하나나');
  // Claiming that made-up id from another browser does not make its order yours.
  const claimed = await prepareBillingKeyAndPay(env, { plan: 'phone', customer: { ...BUYER, customerId: first.customer!.customerId! }, previousPaymentId: first.paymentId });
  assert.notEqual(claimed.paymentId, first.paymentId);
});
