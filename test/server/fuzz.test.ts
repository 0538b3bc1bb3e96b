// A seeded fuzz of the kit's routes: random methods, paths (malformed percent-encoding, prototype
// names, huge ids), headers and bodies (broken JSON, wrong types, deep nesting, huge strings,
// prototype keys, bytes that are not UTF-8), and validly signed webhooks carrying garbage — against a
// kit whose PortOne (the sandbox) is healthy. Nothing may be answered with a 5xx, nothing may throw
// out of fetch, and the kit keeps working afterwards. `FUZZ_SEED=<n>` replays a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { random } from '../money/checker.js';
import { CART, startEnv } from './harness.js';
import { sign } from './support.js';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const REQUESTS = 3_000;
const BUDGET_MS = 20_000;

test(`${REQUESTS} fuzzed requests to the kit's routes: no 5xx, nothing thrown, the kit still pays afterwards (seed ${seed})`, async (t) => {
  const env = await startEnv(t, { kit: { logger: {} } });
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const chance = (p: number) => rand() < p;
  const realIds: string[] = [];
  for (let i = 0; i < 5; i++) realIds.push((await env.prepare(CART)).paymentId);
  const paid = await env.checkout();
  realIds.push(paid.prepared.paymentId);

  const weirdStrings = ['', ' ', '..', '../..', '%', '%ZZ', '%2F', '%00', '\u0000', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '😀', 'ａ', 'x'.repeat(70), 'x'.repeat(20_000), '<script>', "' OR 1=1 --", '${x}', '\\', 'pay_\u202e'];
  const value = (depth = 0): unknown => {
    switch (Math.floor(rand() * (depth > 3 ? 7 : 10))) {
      case 0: return null;
      case 1: return pick([true, false]);
      case 2: return pick([0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER + 2, 32_000, 10_001, -0]);
      case 3: return pick(weirdStrings);
      case 4: return pick(realIds);
      case 5: return pick(['beans', 'dripper', 'sticker', 'CARD', 'VIRTUAL_ACCOUNT', 'KRW', 'USD', 'monthly']);
      case 6: return `${pick(weirdStrings)}${Math.floor(rand() * 1000)}`;
      case 7: return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      default: {
        const object: Record<string, unknown> = {};
        for (let i = 0, n = Math.floor(rand() * 5); i < n; i++) object[pick([...FIELDS, ...weirdStrings.slice(0, 9)])] = value(depth + 1);
        return object;
      }
    }
  };
  const FIELDS = ['items', 'orderId', 'customer', 'payMethod', 'previousPaymentId', 'paymentId', 'billingKey', 'issueId', 'previousIssueId', 'plan', 'id', 'quantity', 'customerId', 'fullName', 'txId', 'code', 'transactionType'];
  const body = (): BodyInit | undefined => {
    switch (Math.floor(rand() * 9)) {
      case 0: return undefined;
      case 1: return '{"items": [';
      case 2: return new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
      case 3: return JSON.stringify(value());
      case 4: return '['.repeat(5_000) + ']'.repeat(5_000);
      case 5: return JSON.stringify({ items: [{ id: pick(['beans', 'dripper', '__proto__']), quantity: value() }], customer: value(), previousPaymentId: value() });
      case 6: return `{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}, "paymentId": ${JSON.stringify(pick(realIds))}}`;
      case 7: return JSON.stringify({ paymentId: pick([...realIds, ...weirdStrings]) });
      default: return 'x'.repeat(Math.floor(rand() * 40_000));
    }
  };
  const path = (): string => {
    const base = pick(['/payments/prepare', '/payments/complete', '/billing-keys/prepare', '/billing-keys/complete', '/billing-key-and-pay/prepare', '/billing-key-and-pay/complete', '/webhooks', '/payments/', '/', '']);
    switch (Math.floor(rand() * 6)) {
      case 0: return base;
      case 1: return `/payments/${encodeURIComponent(pick([...realIds, ...weirdStrings]))}`;
      case 2: return `/payments/${pick(['%ZZ', '%', '%E0%A4%A', '..%2F..%2Fetc', '%2e%2e', '__proto__', 'constructor', pick(realIds) + '/x', 'x'.repeat(300)])}`;
      case 3: return `${base}/${pick(weirdStrings.slice(0, 12)).replace(/[\u0000-\u001f]/g, '')}`;
      case 4: return `/${pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])}`;
      default: return `${base}?${pick(['a=1', '%ZZ', 'paymentId=x'])}`;
    }
  };
  const contentType = () => pick(['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'APPLICATION/JSON', 'application/jsonx', undefined]);
  /** A delivery signed with the kit's own secret: it passes verification and reaches the processing. */
  const signedWebhook = (): Request => {
    const payload = chance(0.7)
      ? JSON.stringify({ type: pick(['Transaction.Paid', 'Transaction.Ready', 'Transaction.Cancelled', 'Transaction.Failed', 'Transaction.Confirm', 'BillingKey.Issued', 'BillingKey.Deleted', 'BillingKey.Updated', 'Unknown.Type', '__proto__']), timestamp: new Date().toISOString(), data: value() })
      : JSON.stringify(value());
    const id = `msg_fuzz_${Math.floor(rand() * 1e9)}`;
    const timestamp = Math.floor(Date.now() / 1000);
    return new Request('http://shop.test/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(env.sandbox.webhookSecret, id, timestamp, payload) },
      body: payload,
    });
  };

  const TEMPLATES: [string, () => Record<string, unknown>][] = [
    ['/payments/prepare', () => ({ items: [{ id: 'beans', quantity: 1 }], customer: { fullName: '김하나', phoneNumber: '010-1234-5678', email: 'a@b.c' }, payMethod: 'CARD', previousPaymentId: pick(realIds) })],
    ['/payments/prepare', () => ({ orderId: 'shop-order-1', customer: { customerId: 'member-1' } })],
    ['/payments/complete', () => ({ paymentId: pick(realIds) })],
    ['/billing-keys/prepare', () => ({ customer: { customerId: 'member-1', fullName: '김하나' }, previousIssueId: 'iss_x' })],
    ['/billing-keys/complete', () => ({ billingKey: 'billing-key-x', issueId: 'iss_x' })],
    ['/billing-key-and-pay/prepare', () => ({ items: [{ id: 'beans', quantity: 1 }], customer: { customerId: 'member-1' } })],
    ['/billing-key-and-pay/complete', () => ({ paymentId: pick(realIds), billingKey: 'billing-key-x' })],
  ];
  const fivexx: string[] = [];
  const statuses: Record<number, number> = {};
  const started = performance.now();
  let sent = 0;
  for (; sent < REQUESTS && performance.now() - started < BUDGET_MS; sent++) {
    let request: Request;
    if (chance(0.15)) {
      request = signedWebhook();
    } else if (chance(0.6)) {
      // Nearly valid: the right route, method and type, a valid body with a field or two broken.
      const [route, template] = pick(TEMPLATES);
      const broken: Record<string, unknown> = structuredClone(template());
      for (let i = 0, n = 1 + Math.floor(rand() * 2); i < n; i++) {
        const field = pick([...Object.keys(broken), ...FIELDS]);
        if (chance(0.2)) delete broken[field];
        else broken[field] = value();
      }
      request = new Request(`http://shop.test${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(broken) });
    } else {
      const method = pick(['GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
      const headers: Record<string, string> = {};
      const type = contentType();
      if (type) headers['content-type'] = type;
      if (chance(0.1)) headers['content-length'] = String(Math.floor(rand() * 100_000));
      if (chance(0.1)) Object.assign(headers, { 'webhook-id': String(value()).slice(0, 100), 'webhook-timestamp': String(value()).slice(0, 20), 'webhook-signature': `v1,${String(value()).slice(0, 50)}` });
      const init: RequestInit = { method, headers };
      const payload = method === 'GET' || method === 'HEAD' ? undefined : body();
      if (payload !== undefined) init.body = payload;
      try {
        request = new Request(`http://shop.test${path()}`, init);
      } catch {
        continue; // not a request any client could send (a header WHATWG refuses)
      }
    }
    const response = await env.kit.fetch(request);
    const text = await response.text();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (response.status >= 500) fivexx.push(`${request.method} ${new URL(request.url).pathname.slice(0, 80)} → ${response.status} ${text.slice(0, 200)}`);
  }
  t.diagnostic(`seed ${seed}: ${sent} requests in ${Math.round(performance.now() - started)} ms; answers ${JSON.stringify(statuses)}`);
  assert.deepEqual(fivexx, [], `seed ${seed}: answers ≥ 500`);
  assert.ok(sent >= 1_000, `at least 1,000 requests ran (${sent})`);
  // Still a working shop.
  const after = await env.checkout();
  assert.equal(after.complete.body.order?.status, 'PAID', JSON.stringify(after.complete.body));
});
