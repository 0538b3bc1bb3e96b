// Drift report: what changes for the sandbox if PortOne's newer schema (the developer docs'
// v2.openapi.json, test/sandbox/fixtures) replaced the one @portone/server-sdk 0.19.0 was generated
// from — per operation the sandbox serves: request and response fields, required fields, enum
// values and error types — and which of the sandbox's real answers the newer schema would refuse.
// It prints, it does not fail: the sandbox follows 0.19.0 until the SDK moves.
// Run it alone: node --conditions=source --import tsx --test test/sandbox/openapi-drift.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PaymentClient } from '@portone/server-sdk/payment';
import { NEWER_FIXTURE, operationFor, readOpenApi, type OpenApi } from '../../scripts/sandbox-schemas.js';
import { REST_ROUTE_KEYS } from '../../src/sandbox/http/rest.js';
import { resolve, type Schema } from '../../src/sandbox/schema/validate.js';
import type { SandboxRestExchange } from '../../src/sandbox/index.js';
import { exchangeProblems, openApi } from './contract.js';
import { startReceiver, withSandbox } from './support.js';

interface Field {
  type: string;
  required: boolean;
}

/** Every field a schema reaches (variants of a union by their tag), and the enums it uses by name. */
function flatten(doc: OpenApi, schema: Schema, path: string, fields: Map<string, Field>, enums: Map<string, readonly string[]>, required = true, depth = 0, seen: string[] = []): void {
  if (depth > 8) return;
  const ref = schema.$ref?.replace('#/components/schemas/', '');
  if (ref && seen.includes(ref)) return;
  const s = resolve(doc, schema);
  if (s.enum) {
    if (ref) enums.set(ref, s.enum);
    fields.set(path, { type: ref ? `enum ${ref}` : `enum [${s.enum.join(', ')}]`, required });
    return;
  }
  if (s.oneOf && s.discriminator?.mapping) {
    fields.set(path, { type: `union ${ref ?? ''}`.trim(), required });
    for (const [tag, target] of Object.entries(s.discriminator.mapping)) flatten(doc, { $ref: target }, `${path}<${tag}>`, fields, enums, true, depth + 1, ref ? [...seen, ref] : seen);
    return;
  }
  fields.set(path, { type: `${s.type ?? 'any'}${s.format ? ` (${s.format})` : ''}`, required });
  const next = ref ? [...seen, ref] : seen;
  if (s.items) flatten(doc, s.items, `${path}[]`, fields, enums, true, depth + 1, next);
  for (const [name, child] of Object.entries(s.properties ?? {})) flatten(doc, child, `${path}.${name}`, fields, enums, (s.required ?? []).includes(name), depth + 1, next);
}

function diffFields(where: string, before: Map<string, Field>, after: Map<string, Field>): string[] {
  const lines: string[] = [];
  for (const [path, field] of after) {
    const old = before.get(path);
    if (!old) lines.push(`${where} ${path}: added (${field.required ? 'required' : 'optional'} ${field.type})`);
    else if (old.type !== field.type) lines.push(`${where} ${path}: ${old.type} → ${field.type}`);
    else if (old.required !== field.required) lines.push(`${where} ${path}: now ${field.required ? 'required' : 'optional'}`);
  }
  for (const path of before.keys()) if (!after.has(path)) lines.push(`${where} ${path}: removed`);
  return lines;
}

function errorTypes(doc: OpenApi, route: string): Map<string, number> {
  const { operation } = operationFor(doc, route);
  const types = new Map<string, number>();
  for (const [status, response] of Object.entries(operation.responses)) {
    const schema = response.content?.['application/json']?.schema;
    if (Number(status) < 400 || !schema) continue;
    for (const type of Object.keys(resolve(doc, schema).discriminator?.mapping ?? {})) types.set(type, Number(status));
  }
  return types;
}

/** The report: one line per difference, grouped by operation, then enums, then the sandbox's answers. */
function schemaDrift(before: OpenApi, after: OpenApi): string[] {
  const lines: string[] = [];
  const enumsBefore = new Map<string, readonly string[]>();
  const enumsAfter = new Map<string, readonly string[]>();
  for (const route of REST_ROUTE_KEYS) {
    let next: ReturnType<typeof operationFor>;
    try {
      next = operationFor(after, route);
    } catch {
      lines.push(`${route}: gone from the newer schema`);
      continue;
    }
    const prev = operationFor(before, route);
    const parts = (doc: OpenApi, op: typeof prev.operation) => {
      const body = op.requestBody?.content['application/json'].schema ?? op.parameters?.find((p) => p['x-portone-query-or-body']?.enabled)?.content?.['application/json']?.schema;
      const ok = op.responses['200']?.content?.['application/json']?.schema;
      const request = new Map<string, Field>();
      const response = new Map<string, Field>();
      const enums = doc === before ? enumsBefore : enumsAfter;
      if (body) flatten(doc, body, '', request, enums);
      for (const p of op.parameters ?? []) if (p.in === 'query' && p.schema) flatten(doc, p.schema, `?${p.name}`, request, enums, p.required === true);
      if (ok) flatten(doc, ok, '', response, enums);
      return { request, response };
    };
    const a = parts(before, prev.operation);
    const b = parts(after, next.operation);
    lines.push(...diffFields(`${route} request`, a.request, b.request), ...diffFields(`${route} 200`, a.response, b.response));
    const errorsBefore = errorTypes(before, route);
    for (const [type, status] of errorTypes(after, route)) {
      if (!errorsBefore.has(type)) lines.push(`${route} errors: + ${type} (${status})`);
      else if (errorsBefore.get(type) !== status) lines.push(`${route} errors: ${type} ${errorsBefore.get(type)} → ${status}`);
    }
    for (const type of errorsBefore.keys()) if (!errorTypes(after, route).has(type)) lines.push(`${route} errors: − ${type}`);
  }
  for (const [name, values] of enumsAfter) {
    const old = enumsBefore.get(name) ?? [];
    const added = values.filter((v) => !old.includes(v));
    const removed = old.filter((v) => !values.includes(v));
    if (added.length || removed.length) lines.push(`enum ${name}: ${[...added.map((v) => `+ ${v}`), ...removed.map((v) => `− ${v}`)].join(', ')}`);
  }
  // One line for a change every variant of a union shares (`Payment<PAID>`, `<FAILED>`, …).
  return [...new Set(lines.map((l) => l.replace(/<[A-Za-z_]+>/g, '<*>')))];
}

test('drift report against the newer PortOne schema (printed, never failing)', async (t) => {
  const before = openApi();
  const after = readOpenApi(NEWER_FIXTURE);
  const lines = schemaDrift(before, after);
  assert.ok(lines.length > 0, 'the two documents differ');
  // The differences the issue names are among them: a sign the report reads what it should.
  assert.ok(lines.some((l) => l.startsWith('POST /payments/:id/cancel errors: + MAX_CANCEL_COUNT_REACHED')), lines.join('\n'));
  assert.ok(lines.some((l) => /^GET \/payments\/:id 200 <\*>\.origin: added \(required/.test(l)), lines.join('\n'));

  // The sandbox's own answers in a short day of business, held to the newer schema.
  const exchanges: SandboxRestExchange[] = [];
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url], onRestExchange: (x) => exchanges.push(x) });
  const client = PaymentClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url });
  await sandbox.pay({ paymentId: 'd-1', totalAmount: 10_000 });
  await sandbox.pay({ paymentId: 'd-va', totalAmount: 5_000, payMethod: 'VIRTUAL_ACCOUNT' });
  await client.cancelPayment({ paymentId: 'd-1', reason: '부분', amount: 1_000 });
  const { billingKeyInfo } = await client.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: { credential: { number: '4242424242424242', expiryYear: '39', expiryMonth: '12' } } }, customer: { name: { full: '홍길동' }, phoneNumber: '010-1234-5678', email: 'a@example.com' } });
  await client.payWithBillingKey({ paymentId: 'd-bk', billingKey: billingKeyInfo.billingKey, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW' });
  for (const paymentId of ['d-1', 'd-va', 'd-bk']) await client.getPayment({ paymentId });
  await client.getPayments({});
  await client.billingKey.getBillingKeyInfo({ billingKey: billingKeyInfo.billingKey });
  await client.getPayment({ paymentId: 'nope' }).catch(() => {});
  const refused = [...new Set(exchanges.flatMap((x) => exchangeProblems(x, after)).map((p) => p.replace(/^[A-Z]+ \S+ → /, '').replace(/\[\d+\]/g, '[]')))];
  assert.ok(refused.some((p) => p.includes('origin')), `the newer schema requires Payment.origin, which the sandbox does not send: ${refused.join('\n')}`);

  const report = [
    `PortOne schema drift for the sandbox's ${REST_ROUTE_KEYS.length} operations (0.19.0 → developers.portone.io a511c22): ${lines.length} differences`,
    ...lines.map((l) => `  ${l}`),
    `The sandbox's answers the newer schema would refuse (${refused.length}):`,
    ...refused.map((p) => `  ${p}`),
  ];
  for (const line of report) t.diagnostic(line);
});
