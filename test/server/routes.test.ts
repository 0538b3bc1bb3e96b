// Every route refuses bad input with a 4xx, a stable code and a message naming expected vs got —
// never a 5xx, never a state change. PortOne is unreachable here on purpose: a request that got as
// far as calling it would answer 503, not the 4xx these tests expect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckoutError, createCheckoutServer } from '../../src/server/index.js';
import { API_SECRET, CATALOG, ORIGIN, STORE_ID, WEBHOOK_SECRET, call, get, post, priceOrder, snapshot, testKit, webhookRequest } from './support.js';
import type { Cart, CheckoutServer } from '../../src/server/index.js';

/** Calls the kit and checks the refusal: status, code, message, and an unchanged store. */
async function refuses(kit: CheckoutServer, request: Request, status: number, code: string, message: RegExp): Promise<void> {
  const before = await snapshot(kit);
  const { status: got, body } = await call(kit, request);
  assert.equal(got, status, `status for ${request.method} ${request.url}: ${JSON.stringify(body)}`);
  assert.equal(body.code, code, JSON.stringify(body));
  assert.match(body.message, message);
  assert.deepEqual(await snapshot(kit), before, 'the store did not change');
}

const kitFor = (t: { after: (fn: () => Promise<void>) => void }, options: Parameters<typeof testKit>[0] = {}) => {
  const kit = testKit({ preRegister: false, ...options });
  t.after(() => kit.close());
  return kit;
};

test('prepare prices the cart on the server and answers the contract', async (t) => {
  const kit = kitFor(t, { channelKeys: { payment: 'channel-key-payment' }, noticeUrls: ['https://shop.test/portone/webhooks'] });
  // The browser's own "price" fields are ignored: only ids and quantities count.
  const { status, body } = await call(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 2, price: 1 }, { id: 'dripper', quantity: 1 }], totalAmount: 100, customer: { fullName: '김하나', email: 'hana@example.com' }, payMethod: 'CARD' }));
  assert.equal(status, 200, JSON.stringify(body));
  assert.match(body.paymentId, /^pay_[A-Za-z0-9_-]{30}$/);
  assert.deepEqual({ ...body, paymentId: 'x', customData: { orderId: 'y' } }, {
    paymentId: 'x',
    orderName: '커피 원두 1kg 외 1건',
    totalAmount: 2 * CATALOG.beans!.price + CATALOG.dripper!.price,
    currency: 'KRW',
    customer: { fullName: '김하나', email: 'hana@example.com' },
    storeId: STORE_ID,
    channelKey: 'channel-key-payment',
    customData: { orderId: 'y' },
    noticeUrls: ['https://shop.test/portone/webhooks'],
  });
  const order = await kit.getOrder(body.paymentId);
  assert.equal(order?.status, 'PENDING');
  assert.equal(order?.orderId, body.customData.orderId);
  assert.equal(order?.totalAmount, 82_000);
  assert.equal(order?.payMethod, 'CARD');
  assert.deepEqual(order?.lines.map((l) => [l.id, l.quantity, l.amount]), [['beans', 2, 64_000], ['dripper', 1, 18_000]]);
  const view = await call(kit, get(`/payments/${encodeURIComponent(body.paymentId)}`));
  // The shopper's view: what was bought, as the server priced it (for a complete page).
  assert.deepEqual(view.body, {
    order: {
      paymentId: body.paymentId,
      status: 'PENDING',
      orderName: '커피 원두 1kg 외 1건',
      totalAmount: 82_000,
      currency: 'KRW',
      cancelledAmount: 0,
      payMethod: 'CARD',
      lines: [
        { id: 'beans', name: '커피 원두 1kg', quantity: 2, unitAmount: 32_000, amount: 64_000 },
        { id: 'dripper', name: '핸드드립 드리퍼', quantity: 1, unitAmount: 18_000, amount: 18_000 },
      ],
    },
  });
  assert.equal(view.headers.get('cache-control'), 'no-store');
});

test('prepare by the shop’s own order id', async (t) => {
  const kit = kitFor(t);
  const { status, body } = await call(kit, post('/payments/prepare', { orderId: 'shop-order-1' }));
  assert.equal(status, 200);
  assert.equal(body.totalAmount, 64_000);
  assert.equal((await kit.getOrder(body.paymentId))?.reference, 'shop-order-1');
});

test('paymentIds are unguessable and unique', async (t) => {
  const kit = kitFor(t);
  const ids = new Set<string>();
  for (let i = 0; i < 50; i++) ids.add((await call(kit, post('/payments/prepare', { items: [{ id: 'sticker', quantity: 1 }] }))).body.paymentId);
  assert.equal(ids.size, 50);
  for (const id of ids) assert.match(id, /^[\x21-\x7e]{34}$/);
});

const badPrepareBodies: [string, Request, number, string, RegExp][] = [
  ['malformed JSON', post('/payments/prepare', null, { raw: '{"items": [' }), 400, 'INVALID_JSON', /expected a JSON object body, got text that is not JSON/],
  ['an empty body', post('/payments/prepare', null, { raw: '' }), 400, 'INVALID_JSON', /got an empty body/],
  ['a JSON array', post('/payments/prepare', [{ id: 'beans', quantity: 1 }]), 400, 'INVALID_JSON', /expected a JSON object body, got an array of 1/],
  ['a JSON string', post('/payments/prepare', 'beans'), 400, 'INVALID_JSON', /got "beans"/],
  ['bytes that are not UTF-8', post('/payments/prepare', null, { raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }), 400, 'INVALID_JSON', /expected a UTF-8 encoded body/],
  ['a form post', post('/payments/prepare', null, { raw: 'items=beans', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_MEDIA_TYPE', /expected Content-Type application\/json, got "application\/x-www-form-urlencoded"/],
  ['a text/plain post', post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }, { headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE', /got "text\/plain"/],
  // What a cross-site no-cors fetch of a Blob sends: no Content-Type at all.
  ['a post without Content-Type', new Request(`${ORIGIN}/payments/prepare`, { method: 'POST', body: new Blob([JSON.stringify({ items: [{ id: 'beans', quantity: 1 }] })]) }), 415, 'UNSUPPORTED_MEDIA_TYPE', /expected Content-Type application\/json, got none/],
  ['no cart', post('/payments/prepare', {}), 400, 'INVALID_REQUEST', /items: expected a cart \(items\) or an orderId, got nothing/],
  ['items not a list', post('/payments/prepare', { items: 'beans' }), 400, 'INVALID_REQUEST', /items: expected an array of \{ id, quantity \}, got "beans"/],
  ['an empty cart', post('/payments/prepare', { items: [] }), 400, 'INVALID_REQUEST', /items: expected 1–100 lines, got an array of 0/],
  ['a line without id', post('/payments/prepare', { items: [{ quantity: 1 }] }), 400, 'INVALID_REQUEST', /items\[0\]\.id: expected a product id, got nothing/],
  ['a numeric id', post('/payments/prepare', { items: [{ id: 7, quantity: 1 }] }), 400, 'INVALID_REQUEST', /items\[0\]\.id: expected a string, got number 7/],
  ['quantity 0', post('/payments/prepare', { items: [{ id: 'beans', quantity: 0 }] }), 400, 'INVALID_REQUEST', /items\[0\]\.quantity: expected an integer from 1 to 10000, got number 0/],
  ['a fractional quantity', post('/payments/prepare', { items: [{ id: 'beans', quantity: 1.5 }] }), 400, 'INVALID_REQUEST', /quantity: expected an integer from 1 to 10000, got number 1.5/],
  ['a quantity as text', post('/payments/prepare', { items: [{ id: 'beans', quantity: '2' }] }), 400, 'INVALID_REQUEST', /quantity: expected an integer from 1 to 10000, got "2"/],
  ['a huge quantity', post('/payments/prepare', { items: [{ id: 'beans', quantity: 1e9 }] }), 400, 'INVALID_REQUEST', /quantity: expected an integer from 1 to 10000/],
  ['a control character in an id', post('/payments/prepare', { items: [{ id: 'be\u0000ans', quantity: 1 }] }), 400, 'INVALID_REQUEST', /items\[0\]\.id: expected text without control characters, got "be\\u0000ans"/],
  ['both items and orderId', post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }], orderId: 'shop-order-1' }), 400, 'INVALID_REQUEST', /orderId: expected either items or orderId, not both/],
  ['a customer that is not an object', post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }], customer: 'kim' }), 400, 'INVALID_REQUEST', /customer: expected an object, got "kim"/],
  ['an e-mail without @', post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }], customer: { email: 'hana.example.com' } }), 400, 'INVALID_REQUEST', /customer\.email: expected an e-mail address, got "hana\.example\.com"/],
  ['a phone number with letters', post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }], customer: { phoneNumber: '010-ABCD' } }), 400, 'INVALID_REQUEST', /customer\.phoneNumber: expected digits/],
  ['an unknown pay method', post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }], payMethod: 'BITCOIN' }), 400, 'INVALID_REQUEST', /payMethod: expected one of CARD, VIRTUAL_ACCOUNT, .*, got "BITCOIN"/],
  ['an unknown product', post('/payments/prepare', { items: [{ id: 'caviar', quantity: 1 }] }), 422, 'BAD_CART', /items: expected product ids from the catalog \(beans, dripper, sticker\), got "caviar"/],
  ['an unknown shop order', post('/payments/prepare', { orderId: 'shop-order-404' }), 422, 'BAD_CART', /orderId: expected one of the shop's orders, got "shop-order-404"/],
];

for (const [name, request, status, code, message] of badPrepareBodies) {
  test(`prepare refuses ${name}`, async (t) => refuses(kitFor(t), request, status, code, message));
}

test('bodies over the limit are refused by Content-Length and while streaming', async (t) => {
  const kit = kitFor(t, { bodyLimitBytes: 1024 });
  const big = JSON.stringify({ items: [{ id: 'beans', quantity: 1 }], pad: 'x'.repeat(2000) });
  const declared = post('/payments/prepare', null, { raw: big, headers: { 'content-length': String(Buffer.byteLength(big)) } });
  await refuses(kit, declared, 413, 'BODY_TOO_LARGE', /expected a body of at most 1024 bytes, got \d+ bytes/);
  // No Content-Length: a stream that keeps going is cut off at the limit.
  const encoder = new TextEncoder();
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += 512;
      controller.enqueue(encoder.encode(' '.repeat(512)));
      if (sent > 1_000_000) controller.close();
    },
  });
  const chunked = new Request(`${ORIGIN}/payments/prepare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
  await refuses(kit, chunked, 413, 'BODY_TOO_LARGE', /expected a body of at most 1024 bytes, got more than 1024 bytes/);
  assert.ok(sent < 10_000, `stopped reading early (read ${sent} bytes)`);
  // A Content-Length that understates the body does not let more than the limit through.
  const lying = new Request(`${ORIGIN}/payments/prepare`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '10' }, body: big });
  await refuses(kit, lying, 413, 'BODY_TOO_LARGE', /expected a body of at most 1024 bytes, got \d+ bytes/);
});

test('complete refuses bad paymentIds before asking PortOne', async (t) => {
  const kit = kitFor(t);
  const cases: [unknown, number, string, RegExp][] = [
    [undefined, 400, 'INVALID_REQUEST', /paymentId: expected a string, got nothing/],
    [42, 400, 'INVALID_REQUEST', /paymentId: expected a string, got number 42/],
    [['pay_1'], 400, 'INVALID_REQUEST', /paymentId: expected a string, got an array of 1/],
    ['', 400, 'INVALID_PAYMENT_ID', /paymentId: expected 1–64 printable ASCII characters without "\/", "\\" or ".." \(an id the kit issued\), got ""/],
    ['pay/1', 400, 'INVALID_PAYMENT_ID', /got "pay\/1"/],
    ['../orders', 400, 'INVALID_PAYMENT_ID', /got "\.\.\/orders"/],
    ['pay..1', 400, 'INVALID_PAYMENT_ID', /got "pay\.\.1"/],
    ['pay\\1', 400, 'INVALID_PAYMENT_ID', /got "pay\\\\1"/],
    ['pay\n1', 400, 'INVALID_PAYMENT_ID', /got "pay\\n1"/],
    ['pay 1', 400, 'INVALID_PAYMENT_ID', /got "pay 1"/],
    ['결제1', 400, 'INVALID_PAYMENT_ID', /got "결제1"/],
    ['p'.repeat(65), 400, 'INVALID_PAYMENT_ID', /got "p+…/],
    ['pay_doesnotexist', 404, 'ORDER_NOT_FOUND', /paymentId: expected one prepared by this shop, got "pay_doesnotexist" which it does not know/],
  ];
  for (const [paymentId, status, code, message] of cases) {
    await refuses(kit, post('/payments/complete', { paymentId, txId: 'tx' }), status, code, message);
  }
  await refuses(kit, post('/payments/complete', { paymentId: 'pay_x', txId: 5 }), 400, 'INVALID_REQUEST', /txId: expected a string, got number 5/);
});

test('GET payments/{id} decodes the segment once and refuses what cannot be an id', async (t) => {
  const kit = kitFor(t);
  const cases: [string, number, string, RegExp][] = [
    ['/payments/pay%2F1', 400, 'INVALID_PAYMENT_ID', /got "pay\/1"/],
    ['/payments/pay/1', 400, 'INVALID_PAYMENT_ID', /got "pay\/1"/],
    // The URL parser resolves "%2E%2E" and "%2e" as dot segments before the kit sees the path.
    ['/payments/%2E%2E', 404, 'NOT_FOUND', /got "\/"/],
    ['/payments/%2e', 400, 'INVALID_PAYMENT_ID', /got ""/],
    ['/payments/a%2E%2E', 400, 'INVALID_PAYMENT_ID', /got "a\.\."/],
    ['/payments/%2E%2E%2Fsecret', 400, 'INVALID_PAYMENT_ID', /got "\.\.\/secret"/],
    ['/payments/pay%00', 400, 'INVALID_PAYMENT_ID', /got "pay\\u0000"/],
    ['/payments/pay%0D%0Aevil', 400, 'INVALID_PAYMENT_ID', /got "pay\\r\\nevil"/],
    ['/payments/pay%E0%A4%A', 400, 'INVALID_PAYMENT_ID', /expected valid percent-encoding in the path, got "pay%E0%A4%A"/],
    ['/payments/pay%252F1', 404, 'ORDER_NOT_FOUND', /got "pay%2F1"/],
    ['/payments/pay_unknown', 404, 'ORDER_NOT_FOUND', /got "pay_unknown" which it does not know/],
  ];
  for (const [path, status, code, message] of cases) await refuses(kit, get(path), status, code, message);
});

test('unknown routes and methods', async (t) => {
  const kit = kitFor(t);
  await refuses(kit, get('/orders'), 404, 'NOT_FOUND', /path: expected one of \/payments\/prepare, .*, got "\/orders"/);
  await refuses(kit, post('/payments/prepare/extra', {}), 404, 'NOT_FOUND', /got "\/payments\/prepare\/extra"/);
  const wrongMethod = await call(kit, get('/payments/prepare'));
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.body.code, 'METHOD_NOT_ALLOWED');
  assert.match(wrongMethod.body.message, /method: expected POST, got "GET"/);
  assert.equal(wrongMethod.headers.get('allow'), 'POST');
  for (const method of ['constructor', 'toString', '__proto__']) {
    const odd = await call(kit, new Request(`${ORIGIN}/payments/prepare`, { method }));
    assert.deepEqual([odd.status, odd.body.code], [405, 'METHOD_NOT_ALLOWED'], method);
  }
  const put = await call(kit, new Request(`${ORIGIN}/payments/pay_1`, { method: 'PUT', body: '{}' }));
  assert.equal(put.status, 405);
  assert.equal(put.headers.get('allow'), 'GET');
});

test('mounted under a base path: stripped once, everything else is not found', async (t) => {
  const kit = kitFor(t, { basePath: '/portone/' });
  const { status, body } = await call(kit, post('/portone/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }));
  assert.equal(status, 200);
  assert.equal((await call(kit, get(`/portone/payments/${body.paymentId}`))).status, 200);
  await refuses(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }), 404, 'NOT_FOUND', /path: expected one under \/portone, got "\/payments\/prepare"/);
  await refuses(kit, post('/portonex/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }), 404, 'NOT_FOUND', /expected one under \/portone/);
  await refuses(kit, get('/portone'), 404, 'NOT_FOUND', /got "\/"/);
});

test('billing-key routes refuse bad input', async (t) => {
  const kit = kitFor(t, { plans: { monthly: { name: '월간 원두 구독', amount: 29_000, currency: 'KRW', interval: '1m' } } });
  await refuses(kit, post('/billing-keys/prepare', { plan: 'weekly' }), 422, 'UNKNOWN_PLAN', /plan: expected one of "monthly", got "weekly"/);
  await refuses(kit, post('/billing-keys/prepare', { plan: 3 }), 400, 'INVALID_REQUEST', /plan: expected a plan id, got number 3/);
  await refuses(kit, post('/billing-keys/prepare', { customer: { customerId: 'cus 1' } }), 400, 'INVALID_REQUEST', /customer\.customerId: expected printable ASCII, got "cus 1"/);
  await refuses(kit, post('/billing-keys/complete', {}), 400, 'INVALID_REQUEST', /billingKey: expected the billing key PortOne issued \(a string\), got nothing/);
  // A manual-approval window's answer comes with its token, and the token with the issue it approves.
  await refuses(kit, post('/billing-keys/complete', { billingKey: 'NEEDS_CONFIRMATION' }), 400, 'INVALID_REQUEST', /billingIssueToken: expected the token a manual-approval window answers with, beside billingKey "NEEDS_CONFIRMATION", got nothing/);
  await refuses(kit, post('/billing-keys/complete', { billingKey: 'NEEDS_CONFIRMATION', billingIssueToken: 'tok-1' }), 400, 'INVALID_REQUEST', /issueId: expected the issueId the prepare answered, beside a billingIssueToken, got nothing/);
  await refuses(kit, post('/billing-keys/complete', { billingKey: 'bk-1', billingIssueToken: 'tok-1', issueId: 'iss-1' }), 400, 'INVALID_REQUEST', /billingKey: expected "NEEDS_CONFIRMATION" beside a billingIssueToken/);
  await refuses(kit, post('/billing-keys/complete', { billingKey: 'NEEDS_CONFIRMATION', billingIssueToken: 'tok 1', issueId: 'iss-1' }), 400, 'INVALID_REQUEST', /billingIssueToken: expected the token a manual-approval window answered with \(1–1000 printable ASCII characters\)/);
  await refuses(kit, post('/billing-keys/complete', { billingKey: 'NEEDS_CONFIRMATION', billingIssueToken: 'tok-1', issueId: 'iss-nope' }), 404, 'ISSUE_NOT_FOUND', /issueId: expected one prepared by this shop, got "iss-nope"/);
  await refuses(kit, post('/billing-keys/complete', { billingKey: 'bk\u0001' }), 400, 'INVALID_REQUEST', /billingKey: expected 1–200 printable ASCII characters/);
  await refuses(kit, post('/billing-keys/complete', { billingKey: 'bk-1', issueId: '../x' }), 400, 'INVALID_REQUEST', /issueId: expected 1–64 printable ASCII/);
  // A key becomes a path segment of GET /billing-keys/{key}: nothing that would name another resource reaches PortOne.
  for (const billingKey of ['.', '..', 'a/b', '../../payments/x', 'a\\b', 'bk..1']) {
    for (const route of ['/billing-keys/complete', '/billing-key-and-pay/complete']) {
      await refuses(kit, post(route, { billingKey, paymentId: 'pay_1', issueId: 'iss_1' }), 400, 'INVALID_REQUEST', /^billingKey: expected 1–200 printable ASCII characters without "\/", "\\" or "\.\." \(the key PortOne issued\)/);
    }
  }
  await refuses(kit, post('/billing-key-and-pay/prepare', { plan: 'yearly' }), 422, 'UNKNOWN_PLAN', /got "yearly"/);
  await refuses(kit, post('/billing-key-and-pay/prepare', {}), 400, 'INVALID_REQUEST', /items: expected a cart \(items\) or an orderId/);
  await refuses(kit, post('/billing-key-and-pay/complete', { paymentId: 'pay_1' }), 400, 'INVALID_REQUEST', /billingKey: expected the billing key PortOne issued/);
  await refuses(kit, post('/billing-key-and-pay/complete', { paymentId: 'pay/1', billingKey: 'bk' }), 400, 'INVALID_PAYMENT_ID', /got "pay\/1"/);
  await refuses(kit, post('/billing-key-and-pay/complete', { paymentId: 'pay_404', billingKey: 'bk' }), 404, 'ORDER_NOT_FOUND', /got "pay_404"/);
  // A payment order cannot be completed as billing-key-and-pay.
  const prepared = await call(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }));
  await refuses(kit, post('/billing-key-and-pay/complete', { paymentId: prepared.body.paymentId, billingKey: 'bk' }), 400, 'INVALID_REQUEST', /expected an order prepared at billing-key-and-pay\/prepare, got one prepared for payments\/prepare/);
  // An issue this shop never prepared: refused before PortOne (unreachable here) is asked.
  await refuses(kit, post('/billing-keys/complete', { billingKey: 'bk', issueId: 'iss_unknown' }, {}), 404, 'ISSUE_NOT_FOUND', /got "iss_unknown" which it does not know/);
  await refuses(kit, post('/billing-keys/complete', { billingKey: 'bk' }, {}), 503, 'PORTONE_UNAVAILABLE', /PortOne is unavailable for GET \/billing-keys\/\{billingKey\}: it could not be reached/);
});

test('a cross-site request riding on the shopper’s cookies cannot prepare for a member: only application/json gets in', async (t) => {
  const kit = kitFor(t, { identifyCustomer: (request) => (request.headers.get('cookie')?.includes('sid=m1') ? { customerId: 'member-1' } : undefined) });
  const body = JSON.stringify({ items: [{ id: 'beans', quantity: 1 }] });
  // fetch(url, { mode: 'no-cors', credentials: 'include', body }) can send only CORS-safelisted types, or none.
  const types: Record<string, string>[] = [{}, { 'content-type': 'text/plain;charset=UTF-8' }, { 'content-type': 'multipart/form-data; boundary=x' }, { 'content-type': 'application/x-www-form-urlencoded' }];
  for (const headers of types) {
    await refuses(kit, new Request(`${ORIGIN}/payments/prepare`, { method: 'POST', headers: { ...headers, cookie: 'sid=m1' }, body: new Blob([body]) }), 415, 'UNSUPPORTED_MEDIA_TYPE', /expected Content-Type application\/json/);
  }
  assert.equal((await kit.listOrders({ customerId: 'member-1' })).length, 0);
  // The element's own request (same origin, or after a CORS preflight) does.
  const own = await call(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }, { headers: { cookie: 'sid=m1' } }));
  assert.equal(own.status, 200);
  assert.equal((await kit.listOrders({ customerId: 'member-1' })).length, 1);
});

test('beforePrepare runs first on every prepare: its 4xx refuses (a rate limit), anything else is the shop’s bug; nothing is stored', async (t) => {
  const seen: string[] = [];
  let calls = 0;
  const kit = kitFor(t, {
    plans: { monthly: { name: '월간 원두 구독', amount: 29_000, currency: 'KRW', interval: '1m' } },
    beforePrepare: (request, { flow }) => {
      seen.push(`${flow} ${request.headers.get('x-forwarded-for')}`);
      if (request.headers.get('x-forwarded-for') === 'bug') throw new Error('rate limiter offline');
      if (++calls > 3) throw new CheckoutError('RATE_LIMITED', 'too many prepares from this address; try again in a minute', { status: 429, retryAfterSeconds: 60 });
    },
  });
  const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
  assert.equal((await call(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }, from('1.2.3.4')))).status, 200);
  assert.equal((await call(kit, post('/billing-keys/prepare', { plan: 'monthly' }, from('1.2.3.4')))).status, 200);
  assert.equal((await call(kit, post('/billing-key-and-pay/prepare', { plan: 'monthly' }, from('1.2.3.4')))).status, 200);
  await refuses(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }, from('1.2.3.4')), 429, 'RATE_LIMITED', /too many prepares/);
  const limited = await call(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }, from('1.2.3.4')));
  assert.equal(limited.headers.get('retry-after'), '60');
  // Before the body is even looked at: a malformed prepare is turned away by the limit too.
  await refuses(kit, post('/payments/prepare', {}, from('1.2.3.4')), 429, 'RATE_LIMITED', /too many prepares/);
  await refuses(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }, from('bug')), 500, 'SHOP_CONFIGURATION', /beforePrepare failed/);
  assert.deepEqual(seen.slice(0, 3), ['payment 1.2.3.4', 'billing-key 1.2.3.4', 'billing-key-and-pay 1.2.3.4']);
});

test('billing-key prepare answers the window parameters and records the issue', async (t) => {
  const kit = kitFor(t, { plans: { monthly: { name: '월간 원두 구독', amount: 29_000, currency: 'KRW', interval: '1m' } }, channelKeys: { billingKey: 'channel-billing' } });
  const { status, body } = await call(kit, post('/billing-keys/prepare', { plan: 'monthly', customer: { fullName: '김하나' } }));
  assert.equal(status, 200);
  assert.match(body.issueId, /^iss_/);
  assert.match(body.customer.customerId, /^cus_/);
  assert.deepEqual({ ...body, issueId: 'i', customer: { ...body.customer, customerId: 'c' }, customData: 'd' }, {
    issueId: 'i',
    issueName: '월간 원두 구독',
    customer: { fullName: '김하나', customerId: 'c' },
    storeId: STORE_ID,
    channelKey: 'channel-billing',
    displayAmount: 29_000,
    currency: 'KRW',
    offerPeriodInterval: '1m',
    customData: 'd',
  });
  assert.deepEqual(body.customData, { issueId: body.issueId });
});

test('PortOne unreachable: prepare with pre-registration answers 503 and creates nothing', async (t) => {
  const kit = testKit({ preRegister: true });
  t.after(() => kit.close());
  const before = await snapshot(kit);
  const { status, body, headers } = await call(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }));
  assert.equal(status, 503);
  assert.equal(body.code, 'PORTONE_UNAVAILABLE');
  assert.equal(body.retryAfterSeconds, 3);
  assert.equal(headers.get('retry-after'), '3');
  assert.match(body.message, /PortOne is unavailable for POST \/payments\/\{paymentId\}\/pre-register: it could not be reached; retry after 3 s/);
  assert.deepEqual(await snapshot(kit), before);
});

test('PortOne unreachable: complete answers 503 and leaves the order PENDING', async (t) => {
  const kit = kitFor(t);
  const { body } = await call(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }));
  const before = await snapshot(kit);
  const answer = await call(kit, post('/payments/complete', { paymentId: body.paymentId }));
  assert.equal(answer.status, 503);
  assert.equal(answer.body.code, 'PORTONE_UNAVAILABLE');
  assert.deepEqual(await snapshot(kit), before);
});

test('the shop’s priceOrder: a plain throw or an unusable price is a 500 that says why in the log only', async (t) => {
  const lines: string[] = [];
  const logger = { error: (message: string) => lines.push(message) };
  const throwing = kitFor(t, { logger, priceOrder: () => { throw new Error('db down: password=hunter2'); } });
  await refuses(throwing, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }), 500, 'SHOP_CONFIGURATION', /the shop could not price this cart \(priceOrder failed\); see the server log/);
  const negative = kitFor(t, { logger, priceOrder: () => ({ orderName: 'x', totalAmount: -5, currency: 'KRW' }) });
  await refuses(negative, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }), 500, 'SHOP_CONFIGURATION', /cannot charge/);
  const unbalanced = kitFor(t, { logger, priceOrder: (cart) => ({ ...priceOrder(cart), totalAmount: 1 }) });
  await refuses(unbalanced, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }), 500, 'SHOP_CONFIGURATION', /cannot charge/);
  assert.ok(lines.some((l) => /priceOrder returned an unusable totalAmount: expected a positive integer in minor units, got -5/.test(l)));
  assert.ok(lines.some((l) => /priceOrder returned lines that do not add up: expected their amounts to sum to totalAmount 1, got 32000/.test(l)));
});

test('webhooks refuse what does not verify, with the reason, and change nothing', async (t) => {
  const kit = kitFor(t);
  const now = Math.floor(Date.now() / 1000);
  const valid = webhookRequest({ id: 'msg_fixed', timestamp: now });
  const body = await valid.clone().text();
  const headers = Object.fromEntries(valid.headers);
  const cases: [string, Request, string, RegExp][] = [
    ['forged: signed with another secret', webhookRequest({ secret: 'whsec_' + Buffer.from('another-secret-of-32-bytes-long!').toString('base64') }), 'WEBHOOK_VERIFICATION_FAILED', /expected a v1 signature made with the configured webhook secret, got NO_MATCHING_SIGNATURE/],
    ['forged: body changed after signing', new Request(`${ORIGIN}/webhooks`, { method: 'POST', headers, body: body.replace('pay_unknown', 'pay_other') }), 'WEBHOOK_VERIFICATION_FAILED', /got NO_MATCHING_SIGNATURE/],
    ['stale: ten minutes old', webhookRequest({ timestamp: now - 600 }), 'WEBHOOK_VERIFICATION_FAILED', /expected a webhook-timestamp within 5 minutes of now, got TIMESTAMP_TOO_OLD/],
    ['from the future', webhookRequest({ timestamp: now + 600 }), 'WEBHOOK_VERIFICATION_FAILED', /got TIMESTAMP_TOO_NEW/],
    ['no signature header', webhookRequest({ headers: { 'webhook-signature': '' } }), 'WEBHOOK_VERIFICATION_FAILED', /expected webhook-id, webhook-timestamp and webhook-signature headers \(one value each\), got MISSING_REQUIRED_HEADERS/],
    ['a timestamp that is not a number', webhookRequest({ headers: { 'webhook-timestamp': 'yesterday' } }), 'WEBHOOK_VERIFICATION_FAILED', /expected a numeric webhook-timestamp, got INVALID_SIGNATURE/],
    ['a v0 signature only', webhookRequest({ headers: { 'webhook-signature': 'v0,' + Buffer.from('x').toString('base64') } }), 'WEBHOOK_VERIFICATION_FAILED', /NO_MATCHING_SIGNATURE/],
    ['a signed body that is not JSON', webhookRequest({ body: 'not json' }), 'INVALID_WEBHOOK_PAYLOAD', /expected a JSON webhook body, got a correctly signed body that is not JSON/],
    ['a signed payment event without paymentId', webhookRequest({ data: { storeId: STORE_ID } }), 'INVALID_WEBHOOK_PAYLOAD', /data\.paymentId: expected a paymentId for Transaction\.Paid, got nothing/],
    ['a signed body without type', webhookRequest({ body: JSON.stringify({ data: {} }) }), 'INVALID_WEBHOOK_PAYLOAD', /type: expected a webhook type like "Transaction\.Paid", got nothing/],
  ];
  for (const [, request, code, message] of cases) await refuses(kit, request, 400, code, message);
  const large = kitFor(t, { bodyLimitBytes: 256 });
  await refuses(large, webhookRequest({ data: { paymentId: 'p'.repeat(400), storeId: STORE_ID } }), 413, 'BODY_TOO_LARGE', /at most 256 bytes/);
});

test('webhooks: unknown types and unknown payments are acknowledged and ignored; a replay is a duplicate', async (t) => {
  const kit = kitFor(t);
  const unknownType = await call(kit, webhookRequest({ type: 'Transaction.SomethingNew', id: 'msg_a', data: { paymentId: 'pay_x', storeId: STORE_ID } }));
  assert.deepEqual([unknownType.status, unknownType.body], [200, { received: true, outcome: 'ignored' }]);
  const notOurs = await call(kit, webhookRequest({ type: 'Transaction.Paid', id: 'msg_b' }));
  assert.deepEqual([notOurs.status, notOurs.body], [200, { received: true, outcome: 'ignored' }]);
  const otherStore = await call(kit, webhookRequest({ type: 'Transaction.Paid', id: 'msg_c', data: { paymentId: 'pay_x', storeId: 'store-other', transactionId: 't' } }));
  assert.deepEqual(otherStore.body, { received: true, outcome: 'ignored' });
  const brandNew = await call(kit, webhookRequest({ body: JSON.stringify({ type: 'Subscription.Renewed', data: { anything: 1 } }), id: 'msg_d' }));
  assert.deepEqual(brandNew.body, { received: true, outcome: 'ignored' });
  const replay = await call(kit, webhookRequest({ type: 'Transaction.Paid', id: 'msg_b' }));
  assert.deepEqual(replay.body, { received: true, outcome: 'duplicate' });
  const deliveries = await kit.listWebhookDeliveries();
  const b = deliveries.find((d) => d.webhookId === 'msg_b');
  assert.equal(b?.receivedCount, 2);
  assert.equal(b?.note, 'no order with this paymentId');
  assert.equal(deliveries.find((d) => d.webhookId === 'msg_c')?.note, "for store store-other, not this shop's");
});

test('webhook secret rotation: either of two secrets verifies', async (t) => {
  const next = 'whsec_' + Buffer.from('the-next-webhook-secret-32-bytes').toString('base64');
  const kit = kitFor(t, { webhookSecret: [WEBHOOK_SECRET, next] });
  assert.equal((await call(kit, webhookRequest({ secret: WEBHOOK_SECRET }))).status, 200);
  assert.equal((await call(kit, webhookRequest({ secret: next }))).status, 200);
  const stranger = await call(kit, webhookRequest({ secret: 'whsec_' + Buffer.from('a-third-secret-nobody-configured').toString('base64') }));
  assert.equal(stranger.status, 400);
});

test('options are checked when the kit starts (ready or the first request), and secrets are never echoed', async () => {
  const base = { portone: { apiSecret: API_SECRET, storeId: STORE_ID }, webhookSecret: WEBHOOK_SECRET, priceOrder, store: undefined, logger: {} };
  const attempt = async (change: Record<string, unknown>) => {
    const kit = createCheckoutServer({ ...base, ...change } as never);
    try {
      await kit.ready;
    } catch (error) {
      return (error as Error).message;
    } finally {
      await kit.close();
    }
    return 'no error';
  };
  assert.match(await attempt({ portone: { storeId: STORE_ID } }), /options\.portone\.apiSecret: expected a PortOne V2 API secret, got nothing/);
  assert.match(await attempt({ portone: { apiSecret: API_SECRET } }), /options\.portone\.storeId: expected a store id/);
  assert.match(await attempt({ portone: { apiSecret: API_SECRET, storeId: STORE_ID, baseUrl: 'ftp://x' } }), /baseUrl: expected an http\(s\) URL/);
  const badSecret = await attempt({ webhookSecret: 'whsec_not base64!!' });
  assert.match(badSecret, /options\.webhookSecret: expected base64 after the "whsec_" prefix, got a string of 18 characters/);
  assert.doesNotMatch(badSecret, /not base64/);
  assert.match(await attempt({ webhookSecret: [WEBHOOK_SECRET, WEBHOOK_SECRET, WEBHOOK_SECRET] }), /or an array of two during rotation, got 3 values/);
  assert.match(await attempt({ priceOrder: undefined }), /options\.priceOrder: expected a function/);
  assert.match(await attempt({ plans: { m: { name: 'M', amount: 0, currency: 'KRW', interval: '1m' } } }), /options\.plans\["m"\]\.amount: expected a positive integer/);
  assert.match(await attempt({ plans: { m: { name: 'M', amount: 1, currency: 'JPY', interval: '1m' } } }), /currency: expected KRW or USD, got "JPY"/);
  assert.match(await attempt({ plans: { m: { name: 'M', amount: 1, currency: 'KRW', interval: 'monthly' } } }), /interval: expected like "1m", "1y" or "30d", got "monthly"/);
  assert.match(await attempt({ basePath: 'portone' }), /options\.basePath: expected a path starting with "\/"/);
  // Any URL but a PostgreSQL one would be taken for a SQLite file's name, password and all.
  const mysql = await attempt({ database: 'mysql://shop:hunter2@db/shop' });
  assert.match(mysql, /options\.database: expected a SQLite file path or a postgres:\/\/ URL, got "mysql:\/\/shop:\*\*\*@db\/shop"/);
  assert.doesNotMatch(mysql, /hunter2/);
  assert.match(await attempt({ database: '' }), /options\.database: expected a SQLite file path or a postgres:\/\/ URL/);
  assert.match(await attempt({ database: './.data/x.sqlite', store: {} }), /options\.database: expected nothing when options\.store is given/);
});

test('creating a kit reads no option and opens no file (a build step may evaluate it); the first request starts it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pck-lazy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const database = join(dir, 'nested', 'checkout.sqlite');
  let reads = 0;
  const lines: string[] = [];
  // As at `next build`: no secrets in the environment.
  const unconfigured = createCheckoutServer(() => {
    reads++;
    return { portone: { apiSecret: process.env.PCK_NOT_SET!, storeId: STORE_ID }, webhookSecret: WEBHOOK_SECRET, priceOrder, database, logger: { error: (m) => void lines.push(m) } };
  });
  assert.equal(reads, 0, 'the options are not even read');
  assert.equal(existsSync(join(dir, 'nested')), false, 'no database file or folder');
  await unconfigured.close();
  assert.equal(existsSync(join(dir, 'nested')), false);

  const kit = createCheckoutServer(() => {
    reads++;
    return { portone: { apiSecret: process.env.PCK_NOT_SET!, storeId: STORE_ID }, webhookSecret: WEBHOOK_SECRET, priceOrder, database, logger: { error: (m) => void lines.push(m) } };
  });
  t.after(() => kit.close());
  const answer = await call(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }));
  assert.deepEqual([answer.status, answer.body.code], [500, 'SHOP_CONFIGURATION']);
  assert.doesNotMatch(JSON.stringify(answer.body), /apiSecret/, 'the browser learns only that the shop is misconfigured');
  assert.match(lines.join('\n'), /could not start: createCheckoutServer: options\.portone\.apiSecret: expected a PortOne V2 API secret, got nothing/);
  assert.equal(existsSync(join(dir, 'nested')), false, 'a kit that could not start opened nothing');
  // Fixed meanwhile (the next call starts it again): options read once per start, the store opened then.
  process.env.PCK_NOT_SET = API_SECRET;
  t.after(() => delete process.env.PCK_NOT_SET);
  await kit.ready;
  assert.equal(existsSync(database), true);
  const readsThen = reads;
  await kit.ready;
  assert.equal((await call(kit, get('/payments/pay_unknown'))).status, 404);
  assert.equal(reads, readsThen, 'a started kit never reads its options again');
});

test('priceOrder gets the flow, the cart and the request (e.g. for the shop session)', async (t) => {
  const carts: Cart[] = [];
  const kit = kitFor(t, {
    plans: { monthly: { name: '월간 원두 구독', amount: 29_000, currency: 'KRW', interval: '1m' } },
    priceOrder: (cart) => {
      carts.push(cart);
      return { ...priceOrder(cart), customer: { customerId: cart.request?.headers.get('x-member') ?? 'guest', fullName: '회원' } };
    },
  });
  const payment = await call(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }], payMethod: 'CARD', customer: { fullName: 'from the browser' } }, { headers: { 'x-member': 'member-7' } }));
  assert.deepEqual(payment.body.customer, { customerId: 'member-7', fullName: '회원' }, "the shop's customer wins over the browser's");
  const bkp = await call(kit, post('/billing-key-and-pay/prepare', { items: [{ id: 'beans', quantity: 1 }] }));
  assert.equal(bkp.status, 200);
  assert.deepEqual(carts.map((c) => [c.flow, c.items, c.payMethod, c.plan]), [
    ['payment', [{ id: 'beans', quantity: 1 }], 'CARD', undefined],
    ['billing-key-and-pay', [{ id: 'beans', quantity: 1 }], undefined, undefined],
  ]);
  assert.ok(carts.every((c) => c.request instanceof Request));
  // With a plan and no cart, the plan is the price and priceOrder is not asked.
  const planOnly = await call(kit, post('/billing-key-and-pay/prepare', { plan: 'monthly' }));
  assert.deepEqual([planOnly.body.totalAmount, planOnly.body.orderName, carts.length], [29_000, '월간 원두 구독', 2]);
});

test('a product or shop order id named like an Object.prototype member is a 400, never handed to priceOrder', async (t) => {
  const priced: Cart[] = [];
  const kit = kitFor(t, { priceOrder: (cart) => (priced.push(cart), priceOrder(cart)) });
  for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const byItem = await call(kit, post('/payments/prepare', { items: [{ id, quantity: 1 }] }));
    assert.deepEqual([byItem.status, byItem.body.code], [400, 'INVALID_REQUEST']);
    assert.match(byItem.body.message, new RegExp(`items\\[0\\]\\.id: expected a product id, got "${id}"`));
    const byOrder = await call(kit, post('/payments/prepare', { orderId: id }));
    assert.deepEqual([byOrder.status, byOrder.body.code], [400, 'INVALID_REQUEST']);
    assert.match(byOrder.body.message, new RegExp(`orderId: expected one of the shop's order ids, got "${id}"`));
  }
  assert.deepEqual(priced, []);
});
