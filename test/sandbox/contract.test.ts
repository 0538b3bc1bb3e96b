// The sandbox against PortOne's own OpenAPI document (test/sandbox/fixtures): the request schemas
// it enforces are the document's, the checker that holds every test's REST calls to it catches
// what it should, and every request the schema refuses — a wrong type, an unknown enum value, a
// missing required field, in any field of any operation, ignored ones included — is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractRequestSchemas, operationFor } from '../../scripts/sandbox-schemas.js';
import { REST_ROUTE_KEYS } from '../../src/sandbox/http/rest.js';
import { OPERATIONS, SCHEMAS } from '../../src/sandbox/schema/requests.generated.js';
import { resolve, validate, type Schema } from '../../src/sandbox/schema/validate.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { contractRecorder, exchangeProblems, openApi, requestProblems } from './contract.js';
import { withSandbox } from './support.js';

test('src/sandbox/schema/requests.generated.ts is what scripts/sandbox-schemas.ts extracts from the fixture (rerun the script when either changes)', () => {
  const fresh = extractRequestSchemas(openApi(), REST_ROUTE_KEYS);
  assert.deepEqual(fresh.operations, OPERATIONS);
  assert.deepEqual(fresh.schemas, SCHEMAS);
  assert.deepEqual(Object.keys(OPERATIONS).sort(), [...REST_ROUTE_KEYS].sort(), 'every route the sandbox serves is an operation of the document');
});

test('the schema validator: types, formats, enums, required fields, discriminated unions, null as absent only where asked', () => {
  const doc = openApi();
  const amount: Schema = { $ref: '#/components/schemas/PaymentAmountInput' };
  assert.deepEqual(validate(doc, amount, { total: 1_000 }), []);
  assert.deepEqual(validate(doc, amount, { total: '1000' }, 'amount'), ['`amount.total`: expected an integer (int64), got "1000"']);
  assert.deepEqual(validate(doc, amount, {}, 'amount'), ['`amount.total`: expected an integer (int64), got nothing']);
  assert.deepEqual(validate(doc, amount, { total: 1, vat: null }, '', { nullAsAbsent: true }), []);
  assert.equal(validate(doc, amount, { total: 1, vat: null }).length, 1);
  assert.match(validate(doc, { $ref: '#/components/schemas/Currency' }, 'WON')[0]!, /expected one of .*KRW.*181 values\), got "WON"/);
  assert.match(validate(doc, { type: 'string', format: 'date-time' }, '2023-01-01 00:00:00')[0]!, /RFC 3339/);
  assert.match(validate(doc, { type: 'integer', format: 'int32' }, 2 ** 31)[0]!, /fits in 32 bits/);
  const payment = { $ref: '#/components/schemas/Payment' };
  assert.match(validate(doc, payment, { status: 'NOPE' })[0]!, /`status`: expected one of CANCELLED, FAILED, PAID/);
  assert.ok(validate(doc, payment, { status: 'PAID', id: 'p' }).some((p) => p.startsWith('`transactionId`')), 'the variant the discriminator names is checked');
  assert.deepEqual(validate(doc, resolve(doc, { $ref: '#/components/schemas/Customer' }), { __proto__x: 1, name: 'x' }), [], 'unknown fields pass: the schema allows them');
});

test('the contract checker catches an undeclared error type, a status that does not fit it, a bad 200 body and an accepted invalid request', () => {
  const base = { route: 'GET /payments/:id', method: 'GET', url: '/payments/p1' };
  assert.deepEqual(exchangeProblems({ ...base, status: 404, responseBody: '{"type":"PAYMENT_NOT_FOUND","message":"x"}', contentType: 'application/json' }), []);
  assert.match(exchangeProblems({ ...base, status: 404, responseBody: '{"type":"NOT_FOUND"}' })[0]!, /error type "NOT_FOUND" is not one GET \/payments\/:id declares/);
  assert.match(exchangeProblems({ ...base, status: 400, responseBody: '{"type":"PAYMENT_NOT_FOUND"}' })[0]!, /comes with status 404, not 400/);
  assert.match(exchangeProblems({ ...base, status: 409, responseBody: '{"type":"ALREADY_PAID"}' })[0]!, /status 409 is not among/);
  assert.match(exchangeProblems({ ...base, status: 200, responseBody: '{"status":"PAID","id":"p1"}' }).join('\n'), /`transactionId`: expected a string, got nothing/);
  const accepted = exchangeProblems({ route: 'POST /payments/:id/pre-register', method: 'POST', url: '/payments/p1/pre-register', requestBody: '{"currency":"WON"}', status: 200, responseBody: '{}' });
  assert.match(accepted[0]!, /accepted a request the schema refuses \(`currency`: expected one of/);
  assert.match(exchangeProblems({ ...base, status: 500, responseBody: 'The sandbox failed: x', contentType: 'text/plain; charset=utf-8' })[0]!, /the sandbox failed/);
  assert.deepEqual(exchangeProblems({ ...base, status: 503, responseBody: '<html>', fault: 'failure' }), [], 'injected faults are outside PortOne\'s API');
});

test('a sandbox\'s REST calls reach the checker (the per-test contract check is on)', async (t) => {
  const recorder = contractRecorder();
  const sandbox = await withSandbox(t, { onRestExchange: recorder.onRestExchange });
  await sandbox.pay({ paymentId: 'seen-1', totalAmount: 1_000 });
  const auth = { authorization: `PortOne ${sandbox.apiSecret}` };
  await fetch(`${sandbox.url}/payments/seen-1`, { headers: auth });
  await fetch(`${sandbox.url}/payments/nope`, { headers: auth });
  await fetch(`${sandbox.url}/payments?requestBody=${encodeURIComponent('{"filter":{"status":["PAID"]}}')}`, { headers: auth });
  assert.equal(recorder.count(), 3, 'the cached fast path is off while observed');
  assert.deepEqual(recorder.problems(), []);
});

/** A valid request per operation (body or list JSON), to be broken one field at a time. */
function baseRequests(sandbox: Sandbox): Record<string, { path: string; body?: unknown }> {
  const customer = { id: 'c-1', name: { full: '홍길동' }, phoneNumber: '010-1234-5678', email: 'buyer@example.com' };
  const card = { credential: { number: '4242424242424242', expiryYear: '39', expiryMonth: '12' } };
  const billing = { billingKey: 'billing-key-x', orderName: '정기', amount: { total: 1_000 }, currency: 'KRW', customer };
  return {
    'POST /login/api-secret': { path: '/login/api-secret', body: { apiSecret: 'x' } },
    'POST /token/refresh': { path: '/token/refresh', body: { refreshToken: 'x' } },
    'GET /payments': { path: '/payments', body: { page: { number: 0, size: 10 }, filter: { status: ['PAID'] } } },
    'POST /payments/:id/pre-register': { path: '/payments/n-1/pre-register', body: { totalAmount: 1_000, currency: 'KRW' } },
    'POST /payments/:id/cancel': { path: '/payments/n-1/cancel', body: { reason: 'r' } },
    'POST /payments/:id/instant': { path: '/payments/n-1/instant', body: { channelKey: sandbox.channelKeys.payment, method: { card }, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW', customer } },
    'POST /payments/:id/billing-key': { path: '/payments/n-1/billing-key', body: billing },
    'POST /payments/:id/schedule': { path: '/payments/n-1/schedule', body: { payment: billing, timeToPay: '2099-01-01T00:00:00Z' } },
    'POST /payments/:id/confirm': { path: '/payments/n-1/confirm', body: { paymentToken: 't' } },
    'POST /payments/:id/resend-webhook': { path: '/payments/n-1/resend-webhook', body: {} },
    'GET /payment-schedules': { path: '/payment-schedules', body: { filter: { status: ['SCHEDULED'] } } },
    'DELETE /payment-schedules': { path: '/payment-schedules', body: { billingKey: 'billing-key-x' } },
    'GET /billing-keys': { path: '/billing-keys', body: { filter: { status: ['ISSUED'] } } },
    'POST /billing-keys': { path: '/billing-keys', body: { channelKey: sandbox.channelKeys.billingKey, method: { card }, customer } },
    'POST /billing-keys/confirm': { path: '/billing-keys/confirm', body: { billingIssueToken: 't' } },
    'POST /billing-keys/confirm-issue-and-pay': { path: '/billing-keys/confirm-issue-and-pay', body: { billingIssueToken: 't' } },
  };
}

/** A value of the wrong kind for `schema`: what a typo or a wrong type in a client sends. */
function wrongFor(schema: Schema): unknown {
  if (schema.enum) return 'NOT_A_PORTONE_VALUE';
  if (schema.oneOf) return { [schema.discriminator?.propertyName ?? 'type']: 'NOT_A_PORTONE_VALUE' };
  switch (schema.type) {
    case 'string': return schema.format === 'date-time' ? '2024-01-01 00:00:00' : 12_345;
    case 'integer': return schema.format === 'int32' ? 2 ** 31 : '12';
    case 'number': return 'twelve';
    case 'boolean': return 'yes';
    case 'array': return { not: 'an array' };
    default: return 'not an object';
  }
}

/** Every property path of an object schema (to depth 3), with the schema there and whether it is required. */
function fields(schema: Schema, at: string[] = [], depth = 0): { path: string[]; schema: Schema; required: boolean }[] {
  const doc = openApi();
  const s = resolve(doc, schema);
  if (!s.properties || depth > 3) return [];
  return Object.entries(s.properties).flatMap(([name, child]) => {
    const resolved = resolve(doc, child);
    const here = { path: [...at, name], schema: resolved, required: (s.required ?? []).includes(name) };
    return [here, ...(resolved.type === 'object' || resolved.properties ? fields(resolved, [...at, name], depth + 1) : [])];
  });
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  if (value === undefined) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
}

test('every field of every request schema is enforced: a wrong type, an unknown enum value or a missing required field is 400 INVALID_REQUEST naming the field', async (t) => {
  const sandbox = await withSandbox(t);
  const doc = openApi();
  const authorization = `PortOne ${sandbox.apiSecret}`;
  const bases = baseRequests(sandbox);
  let checked = 0;
  for (const [route, base] of Object.entries(bases)) {
    const { operation } = operationFor(doc, route);
    const listBody = operation.parameters?.find((p) => p['x-portone-query-or-body']?.enabled);
    const schema = (operation.requestBody?.content['application/json'].schema ?? listBody?.content?.['application/json']?.schema)!;
    assert.deepEqual(validate(doc, schema, base.body), [], `the base request of ${route} is valid`);
    const method = route.split(' ')[0]!;
    const cases = fields(schema).flatMap(({ path, schema: field, required }) => [
      { path, value: wrongFor(field) },
      ...(required ? [{ path, value: undefined }] : []),
    ]);
    for (const { path, value } of cases) {
      const body = structuredClone(base.body) as Record<string, unknown>;
      setAt(body, path, value);
      // The mutation may leave a parent the schema still accepts (e.g. an emptied optional object): skip those.
      if (validate(doc, schema, body).length === 0) continue;
      const url = listBody ? `${sandbox.url}${base.path}?requestBody=${encodeURIComponent(JSON.stringify(body))}` : `${sandbox.url}${base.path}`;
      const response = await fetch(url, { method, headers: { authorization }, ...(listBody ? {} : { body: JSON.stringify(body) }) });
      const answer = (await response.json()) as { type: string; message: string };
      const where = `${route} with ${path.join('.')} = ${JSON.stringify(value) ?? '(missing)'}`;
      assert.equal(response.status, 400, `${where}: ${JSON.stringify(answer)}`);
      assert.equal(answer.type, 'INVALID_REQUEST', where);
      assert.ok(answer.message.includes(path.join('.')), `${where}: the message names the field: ${answer.message}`);
      checked++;
    }
  }
  assert.ok(checked > 300, `${checked} broken requests refused`);
  // Query parameters too: `requester` is an enum.
  const requester = await fetch(`${sandbox.url}/billing-keys/x?requester=ROBOT`, { method: 'DELETE', headers: { authorization } });
  assert.equal(requester.status, 400);
  assert.deepEqual(requestProblems(doc, 'DELETE /billing-keys/:id', '/billing-keys/x?requester=ADMIN', undefined), []);
});
