// Authentication (API secret, access/refresh tokens on the sandbox clock) and the transport
// conventions: JSON bodies whatever the content type, `{type, message}` JSON for every error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthClient, PaymentClient } from '@portone/server-sdk';
import { LoginViaApiSecretError, RefreshTokenError } from '@portone/server-sdk/auth';
import { GetPaymentError } from '@portone/server-sdk/payment';
import { rejection, withSandbox } from './support.js';

test('POST /login/api-secret and /token/refresh: Bearer tokens work, expire after 30 minutes, refresh rotates', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual' });
  const auth = AuthClient({ secret: 'not-needed-for-login', baseUrl: sandbox.url });
  const wrong = await rejection(auth.loginViaApiSecret({ apiSecret: 'wrong' }));
  assert.ok(wrong instanceof LoginViaApiSecretError);
  assert.equal(wrong.data.type, 'UNAUTHORIZED');
  const empty = await rejection(auth.loginViaApiSecret({ apiSecret: '' }));
  assert.equal(empty.data.type, 'INVALID_REQUEST');

  const first = await auth.loginViaApiSecret({ apiSecret: sandbox.apiSecret });
  assert.equal(first.accessToken.split('.').length, 3, 'JWT-shaped');
  await sandbox.pay({ paymentId: 'tok-1', totalAmount: 1_000 });
  const get = (token: string) => fetch(`${sandbox.url}/payments/tok-1`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal((await get(first.accessToken)).status, 200);

  const second = await auth.refreshToken({ refreshToken: first.refreshToken });
  const replaced = await rejection(auth.refreshToken({ refreshToken: first.refreshToken }));
  assert.ok(replaced instanceof RefreshTokenError);
  assert.equal(replaced.data.type, 'UNAUTHORIZED');
  assert.equal((await get(first.accessToken)).status, 200, 'older access tokens stay valid until they expire');

  await sandbox.advance(30 * 60_000);
  const expired = await get(second.accessToken);
  assert.equal(expired.status, 401);
  assert.deepEqual(Object.keys(await expired.json()), ['type', 'message']);
  const third = await auth.refreshToken({ refreshToken: second.refreshToken });
  assert.equal((await get(third.accessToken)).status, 200);
  await sandbox.advance(24 * 3_600_000);
  const stale = await rejection(auth.refreshToken({ refreshToken: third.refreshToken }));
  assert.equal(stale.data.type, 'UNAUTHORIZED');
  assert.match(stale.message, /expired/);
  const loginAgain = await auth.loginViaApiSecret({ apiSecret: sandbox.apiSecret });
  assert.ok(loginAgain.accessToken);
});

test('401 UNAUTHORIZED for a missing, wrong or unknown credential, as typed SDK errors', async (t) => {
  const sandbox = await withSandbox(t);
  const wrong = await rejection(PaymentClient({ secret: 'wrong-secret', baseUrl: sandbox.url }).getPayment({ paymentId: 'x' }));
  assert.ok(wrong instanceof GetPaymentError);
  assert.equal(wrong.data.type, 'UNAUTHORIZED');
  const variants: Record<string, string>[] = [{}, { authorization: 'Bearer nope' }, { authorization: `Basic ${sandbox.apiSecret}` }, { authorization: sandbox.apiSecret }];
  for (const headers of variants) {
    const response = await fetch(`${sandbox.url}/payments/x`, { headers });
    assert.equal(response.status, 401, JSON.stringify(headers));
    const body = await response.json();
    assert.equal(body.type, 'UNAUTHORIZED');
    assert.equal(typeof body.message, 'string');
  }
});

test('bodies are JSON whatever the content type: text/plain (the SDK), application/json, none', async (t) => {
  const sandbox = await withSandbox(t);
  const authorization = `PortOne ${sandbox.apiSecret}`;
  const body = JSON.stringify({ totalAmount: 1_000, currency: 'KRW' });
  for (const type of ['text/plain;charset=UTF-8', 'application/json', 'application/x-www-form-urlencoded']) {
    const response = await fetch(`${sandbox.url}/payments/ct-${type.length}/pre-register`, { method: 'POST', headers: { authorization, 'content-type': type }, body });
    assert.equal(response.status, 200, type);
    assert.deepEqual(await response.json(), {});
  }
  // PortOne's schema marks every POST body required: an empty one is refused, as it would be there.
  const noBody = await fetch(`${sandbox.url}/payments/ct-none/pre-register`, { method: 'POST', headers: { authorization } });
  assert.equal(noBody.status, 400);
  assert.match((await noBody.json()).message, /expected a JSON body, got nothing/);
  assert.equal((await fetch(`${sandbox.url}/payments/ct-empty/pre-register`, { method: 'POST', headers: { authorization }, body: '{}' })).status, 200, '{} is a body');
  const broken = await fetch(`${sandbox.url}/payments/ct-x/pre-register`, { method: 'POST', headers: { authorization }, body: '{"totalAmount": 10' });
  assert.equal(broken.status, 400);
  const error = await broken.json();
  assert.equal(error.type, 'INVALID_REQUEST');
  assert.match(error.message, /not valid JSON/);
  const array = await fetch(`${sandbox.url}/payments/ct-x/pre-register`, { method: 'POST', headers: { authorization }, body: '[1]' });
  assert.match((await array.json()).message, /expected an object, got an array/);
  const list = await fetch(`${sandbox.url}/payments?requestBody=${encodeURIComponent('{"page":')}`, { headers: { authorization } });
  assert.equal(list.status, 400);
  assert.match((await list.json()).message, /requestBody/);
});

test('PortOne errors are `{type, message}` JSON with their status; outside PortOne\'s API (unknown route, wrong method) plain text, no invented type', async (t) => {
  const sandbox = await withSandbox(t);
  const authorization = `PortOne ${sandbox.apiSecret}`;
  const cases: [string, RequestInit, number, string][] = [
    ['/payments/%E0%A4%A', { headers: { authorization } }, 400, 'INVALID_REQUEST'],
    ['/payments/x/cancel', { method: 'POST', headers: { authorization }, body: '{"reason":"r"}' }, 404, 'PAYMENT_NOT_FOUND'],
    ['/billing-keys/x', { headers: { authorization } }, 404, 'BILLING_KEY_NOT_FOUND'],
    ['/payment-schedules/x', { headers: { authorization } }, 404, 'PAYMENT_SCHEDULE_NOT_FOUND'],
    ['/payments/x/instant', { method: 'POST', headers: { authorization }, body: '{}' }, 400, 'INVALID_REQUEST'],
  ];
  for (const [path, init, status, type] of cases) {
    const response = await fetch(`${sandbox.url}${path}`, init);
    assert.equal(response.status, status, path);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body = await response.json();
    assert.equal(body.type, type, path);
    assert.ok(body.message.length > 0);
  }
  const unknown = await fetch(`${sandbox.url}/v1/payments`, { headers: { authorization } });
  assert.deepEqual([unknown.status, unknown.headers.get('content-type')], [404, 'text/plain; charset=utf-8']);
  assert.match(await unknown.text(), /^Not Found: no PortOne V2 API route GET \/v1\/payments/);
  const method = await fetch(`${sandbox.url}/payments/x`, { method: 'DELETE', headers: { authorization } });
  assert.deepEqual([method.status, method.headers.get('allow'), method.headers.get('content-type')], [405, 'GET', 'text/plain; charset=utf-8']);
  const big = await fetch(`${sandbox.url}/payments/x/pre-register`, { method: 'POST', headers: { authorization }, body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }) });
  assert.equal(big.status, 400);
  assert.match((await big.json()).message, /exceeds 1048576 bytes/);
});

test('GET /payments/{id}: the cached hot path and the general path answer the same bytes, and a change shows at once', async (t) => {
  const sandbox = await withSandbox(t);
  await sandbox.pay({ paymentId: 'hot-1', totalAmount: 10_000 });
  const authorization = `PortOne ${sandbox.apiSecret}`;
  const hot = await (await fetch(`${sandbox.url}/payments/hot-1`, { headers: { authorization } })).text();
  const general = await (await fetch(`${sandbox.url}/payments/hot-1?storeId=${sandbox.storeId}`, { headers: { authorization } })).text();
  const encoded = await (await fetch(`${sandbox.url}/payments/hot%2D1`, { headers: { authorization } })).text();
  assert.equal(hot, general);
  assert.equal(hot, encoded);
  assert.deepEqual(JSON.parse(hot), sandbox.payment('hot-1'));
  const { accessToken } = await AuthClient({ secret: '', baseUrl: sandbox.url }).loginViaApiSecret({ apiSecret: sandbox.apiSecret });
  assert.equal(await (await fetch(`${sandbox.url}/payments/hot-1`, { headers: { authorization: `Bearer ${accessToken}` } })).text(), hot);
  await PaymentClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url }).cancelPayment({ paymentId: 'hot-1', reason: '테스트' });
  assert.equal(JSON.parse(await (await fetch(`${sandbox.url}/payments/hot-1`, { headers: { authorization } })).text()).status, 'CANCELLED');
  assert.equal((await fetch(`${sandbox.url}/payments/hot-1`)).status, 401, 'no credential, no cache');
});
