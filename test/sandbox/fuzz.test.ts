// A seeded fuzz of every HTTP surface of the sandbox (PortOne's REST API, the browser runtime's
// checkout protocol and window pages, the controls and dashboard): random methods, paths
// (malformed encodings, prototype names, huge ids), headers and bodies (malformed JSON, wrong
// types, deep nesting, huge strings), mostly mutations of valid requests so they reach deep code.
// No answer may be ≥ 500 unless a fault setting injected it (or it is PortOne's own 502 for a PG
// refusing a charge), and the sandbox process must live.
// `FUZZ_SEED=<n>` replays a run; `FUZZ_COUNT` and `FUZZ_SECONDS` bound it (default 3,000 / 25 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDice } from '../../src/sandbox/rng.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const COUNT = Number(process.env.FUZZ_COUNT ?? 3_000);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 25);
const TOKEN_HEADER = 'x-portone-sandbox-token';

interface Info {
  url: string;
  storeId: string;
  apiSecret: string;
  controlToken: string;
  channelKeys: { payment: string; billingKey: string; billingKeyAndPay: string; live: string; identityVerification: string };
}

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const dice = createDice(seed);
const int = (lo: number, hi: number) => lo + Math.floor(dice.next() * (hi - lo + 1));
const chance = (p: number) => dice.next() < p;
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;

const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const BAD_ENCODINGS = ['%', '%z', '%zz', '%E0%A4%A', '%C0%AF', '%ff%fe', '%%', '%u0041', '%0', '%E2%82'];

function junkString(): string {
  return pick([
    () => '',
    () => 'x',
    () => '한글 결제',
    () => pick(PROTO_NAMES),
    () => 'x'.repeat(int(1_000, 200_000)),
    () => '\u0000\u001f\ud800',
    () => '../../etc/passwd',
    () => '<script>alert(1)</script>',
    () => '2024-13-45T99:99:99Z',
    () => '9999-12-31T23:59:59Z',
    () => '0001-01-01T00:00:00Z',
    () => 'CURRENCY_KRW',
    () => 'https://example.com/hook',
    () => 'javascript:alert(1)',
  ])();
}

function junk(depth = 0): unknown {
  const kinds = [
    () => null,
    () => true,
    () => false,
    () => 0,
    () => -1,
    () => 1.5,
    () => 1e15,
    () => 1e308,
    () => Number.MAX_SAFE_INTEGER + 2,
    () => -Number.MAX_SAFE_INTEGER,
    () => int(0, 100_000),
    junkString,
    () => (depth > 3 ? [] : Array.from({ length: int(0, 3) }, () => junk(depth + 1))),
    () => (depth > 3 ? {} : withKey({}, chance(0.5) ? pick(PROTO_NAMES) : junkString().slice(0, 20), junk(depth + 1))),
  ];
  return pick(kinds)();
}

/** Sets an own property, also `__proto__` (plain assignment would change the prototype instead). */
function withKey(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/** Values at the edges of what a field of this type takes: where unchecked arithmetic and lookups break. */
function edge(value: unknown): unknown {
  if (typeof value === 'number') return chance(0.7) ? pick([0, -1, 1, 1.5, 36, 37, 2 ** 31, 999_999_999_999, 1e15, -1e15, Number.MAX_SAFE_INTEGER, 1e308]) : junk();
  if (typeof value === 'string') return chance(0.6) ? pick([...PROTO_NAMES, '', 'x'.repeat(300_000), '0000-00-00T00:00:00Z', '275760-09-13T00:00:01Z', '9999-12-31T23:59:59+14:00', 'KRW ', 'krw', '00', '13']) : junk();
  if (typeof value === 'boolean') return pick([null, 'true', 0, 1, {}]);
  return junk();
}

/** Every place in `value` a mutation may hit: leaves, objects and arrays alike. */
function places(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) out.push(...places(child, [...at, Array.isArray(value) ? Number(key) : key]));
  }
  return out;
}

/**
 * One to three changes anywhere in a copy of `value`, each place equally likely: a value swapped
 * for an edge of its type or for junk, a key dropped, or a key added (prototype names included).
 */
function mutate(value: unknown): unknown {
  let out = JSON.parse(JSON.stringify(value ?? null)) as unknown;
  for (let i = int(1, 3); i > 0; i--) {
    const path = pick(places(out));
    const parent = path.slice(0, -1).reduce<any>((node, key) => node?.[key], out);
    const key = path.at(-1);
    const current = key === undefined ? out : parent?.[key];
    const roll = dice.next();
    if (roll < 0.65) {
      const next = edge(current);
      if (key === undefined) out = next;
      else parent[key] = next;
    } else if (roll < 0.8 && key !== undefined && !Array.isArray(parent)) {
      delete parent[key];
    } else if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
      withKey(current as Record<string, unknown>, chance(0.5) ? pick(PROTO_NAMES) : junkString().slice(0, 30), junk());
    } else if (key !== undefined) {
      parent[key] = junk();
    }
  }
  return out;
}

function rawJunkBody(): string {
  return pick([
    () => '',
    () => '{',
    () => 'null',
    () => '[]',
    () => '"text"',
    () => '12',
    () => '{"a":',
    () => '{"a":1}}',
    () => '\u0000\u0001',
    () => `{"x":${'['.repeat(int(900, 1_200))}${']'.repeat(int(900, 1_200))}}`,
    () => `${'{"a":'.repeat(int(500, 1_500))}1${'}'.repeat(int(500, 1_500))}`,
    () => `{"s":"${'x'.repeat(int(10_000, 1_200_000))}"}`,
    () => '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}',
  ])();
}

const CARD = { number: '4242424242424242', expiryYear: '35', expiryMonth: '12' };
const CUSTOMER_IN = { name: { full: '홍길동' }, phoneNumber: '010-1234-5678', email: 'buyer@example.com', id: 'c-1' };
const BROWSER_CUSTOMER = { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'buyer@example.com' };

/** What the fuzzer learned from answers, so later requests hit existing objects. */
const known = { payments: ['fuzz-p0'], billingKeys: ['billing-key-none'], txIds: ['tx-none'], schedules: ['schedule-none'], identities: ['iv-none'], receipts: [] as string[] };

function id(pool: string[]): string {
  return pick([
    () => pick(pool),
    () => pick(pool),
    () => `fuzz-${int(0, 50)}`,
    () => pick(PROTO_NAMES),
    () => pick(BAD_ENCODINGS),
    () => `a${pick(BAD_ENCODINGS)}b`,
    () => 'x'.repeat(int(1_000, 12_000)),
    () => encodeURIComponent('한글/슬래시?#'),
    () => '..',
    () => '',
  ])();
}

const UA = ['Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148', '', 'x'.repeat(5_000)];

function prepareBody(info: Info): unknown {
  if (chance(0.25)) {
    const bypass = { inicisUnified: { flgFixedUser: pick(['N', 'Y']), ...(chance(0.3) ? { directAgency: pick(['PASS', 'KAKAO', 'SMS', 'TOSS']) } : {}), ...(chance(0.2) ? { DI_CODE: 'salt' } : {}) } };
    const request = { storeId: info.storeId, channelKey: info.channelKeys.identityVerification, identityVerificationId: `fuzz-iv-${int(0, 30)}`, customer: { ...BROWSER_CUSTOMER, customerId: 'c-1', birthYear: '1990', birthMonth: '02', birthDay: '03' }, customData: '{"a":1}', redirectUrl: 'https://shop.example/return', bypass };
    const outcome = pick([{ result: 'approve', person: pick(['adult', 'minor', 'noCi']) }, { result: 'fail', pgCode: 'I102' }, { result: 'cancel' }, { result: 'approve', person: { name: '김철수', birthDate: '1990-02-03', gender: 'MALE', phoneNumber: '01022223333' } }]);
    return { transactionType: 'IDENTITY_VERIFICATION', request, client: { userAgent: pick(UA), origin: pick(['http://127.0.0.1:5173', 'null']), ...(chance(0.3) ? { outcome } : {}) } };
  }
  const kind = pick(['PAYMENT', 'ISSUE_BILLING_KEY', 'ISSUE_BILLING_KEY_AND_PAY'] as const);
  const paymentId = `fuzz-${int(0, 60)}`;
  const request = kind === 'PAYMENT'
    ? { storeId: info.storeId, channelKey: info.channelKeys.payment, paymentId, orderName: '퍼즈', totalAmount: pick([500, 1_000, 70_000]), currency: 'KRW', payMethod: pick(['CARD', 'VIRTUAL_ACCOUNT', 'MOBILE', 'TRANSFER', 'EASY_PAY', 'GIFT_CERTIFICATE']), productType: 'DIGITAL', customer: BROWSER_CUSTOMER, redirectUrl: 'https://shop.example/return', virtualAccount: { accountExpiry: { validHours: 24 } }, bypass: { inicis_v2: { acceptmethod: ['below1000'] } } }
    : kind === 'ISSUE_BILLING_KEY'
      ? { storeId: info.storeId, channelKey: info.channelKeys.billingKey, billingKeyMethod: 'CARD', issueId: `issue-${int(0, 99)}`, issueName: '정기', customer: BROWSER_CUSTOMER, offerPeriod: { interval: '1m' }, redirectUrl: 'https://shop.example/return' }
      : { storeId: info.storeId, channelKey: info.channelKeys.billingKeyAndPay, billingKeyAndPayMethod: 'MOBILE', paymentId, orderName: '폰', totalAmount: 5_000, currency: 'KRW', productType: 'DIGITAL', customer: BROWSER_CUSTOMER, offerPeriod: { interval: '1m' }, redirectUrl: 'https://shop.example/return' };
  return { transactionType: kind, request, client: { userAgent: pick(UA), origin: pick(['http://127.0.0.1:5173', 'null', 'https://shop.example']), ...(chance(0.3) ? { outcome: { result: pick(['approve', 'decline', 'cancel']) } } : {}) } };
}

function action(): unknown {
  return {
    action: pick([
      { result: 'approve' }, { result: 'approve', cardCompany: '14', installmentMonth: 3 }, { result: 'approve', bank: 'WOORI' }, { result: 'decline', pgCode: 'V005' }, { result: 'cancel' },
      // An identity window's endings.
      { result: 'approve', person: 'foreigner', agency: 'NAVER', carrier: 'KT' }, { result: 'fail', pgCode: 'I101' }, { result: 'fail' },
    ]),
  };
}

type Target = { method: string; path: string; auth: 'rest' | 'control' | 'none'; body?: () => unknown; query?: () => string };

function targets(info: Info): Target[] {
  const list = (body: () => unknown) => () => `requestBody=${encodeURIComponent(JSON.stringify(maybeMutate(body())))}`;
  const future = () => new Date(Date.now() + int(1, 400) * 86_400_000).toISOString();
  return [
    { method: 'GET', path: '/payments/{p}', auth: 'rest' },
    { method: 'GET', path: '/payments', auth: 'rest', query: list(() => ({ page: { number: 0, size: 5 }, filter: { status: ['PAID'], isTest: true, from: '2020-01-01T00:00:00Z', textSearch: [{ field: 'PAYMENT_ID', value: 'fuzz' }] } })) },
    { method: 'POST', path: '/payments/{p}/pre-register', auth: 'rest', body: () => ({ totalAmount: 1_000, currency: 'KRW' }) },
    { method: 'POST', path: '/payments/{p}/cancel', auth: 'rest', body: () => ({ reason: '퍼즈', ...(chance(0.5) ? { amount: 100 } : {}), refundAccount: { bank: 'SHINHAN', number: '1234567890', holderName: '홍길동' } }) },
    { method: 'POST', path: '/payments/{p}/instant', auth: 'rest', body: () => ({ channelKey: info.channelKeys.payment, orderName: '즉시', amount: { total: 1_000 }, currency: 'KRW', customer: CUSTOMER_IN, method: chance(0.5) ? { card: { credential: CARD } } : { virtualAccount: { bank: 'SHINHAN', expiry: { validHours: 24 }, option: { type: 'FIXED' } } } }) },
    { method: 'POST', path: '/payments/{p}/billing-key', auth: 'rest', body: () => ({ billingKey: pick(known.billingKeys), orderName: '정기', amount: { total: 1_000 }, currency: 'KRW', customer: CUSTOMER_IN }) },
    { method: 'POST', path: '/payments/{p}/schedule', auth: 'rest', body: () => ({ payment: { billingKey: pick(known.billingKeys), orderName: '예약', amount: { total: 1_000 }, currency: 'KRW', customer: CUSTOMER_IN }, timeToPay: future() }) },
    { method: 'POST', path: '/payments/{p}/confirm', auth: 'rest', body: () => ({ paymentToken: 'token', totalAmount: 1_000 }) },
    { method: 'POST', path: '/payments/{p}/resend-webhook', auth: 'rest', body: () => ({}) },
    { method: 'POST', path: '/payments/{p}/virtual-account/close', auth: 'rest' },
    { method: 'GET', path: '/payment-schedules', auth: 'rest', query: list(() => ({ filter: { status: ['SCHEDULED'], from: '2020-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' }, sort: { by: 'TIME_TO_PAY', order: 'ASC' } })) },
    { method: 'DELETE', path: '/payment-schedules', auth: 'rest', query: list(() => ({ billingKey: pick(known.billingKeys), scheduleIds: [pick(known.schedules)] })) },
    { method: 'GET', path: '/payment-schedules/{s}', auth: 'rest' },
    { method: 'GET', path: '/billing-keys', auth: 'rest', query: list(() => ({ filter: { status: ['ISSUED'], customerId: 'c-1' } })) },
    { method: 'POST', path: '/billing-keys', auth: 'rest', body: () => ({ channelKey: info.channelKeys.billingKey, method: { card: { credential: CARD } }, customer: CUSTOMER_IN }) },
    { method: 'GET', path: '/billing-keys/{b}', auth: 'rest' },
    { method: 'DELETE', path: '/billing-keys/{b}', auth: 'rest', query: () => pick(['', 'reason=x', 'requester=ADMIN', 'requester=__proto__', 'storeId=%zz']) },
    { method: 'POST', path: '/billing-keys/confirm', auth: 'rest', body: () => ({ billingIssueToken: 'x' }) },
    { method: 'POST', path: '/billing-keys/confirm-issue-and-pay', auth: 'rest', body: () => ({ billingIssueToken: 'x', totalAmount: 1 }) },
    { method: 'GET', path: '/identity-verifications/{i}', auth: 'rest', query: () => pick(['', 'storeId=other', `storeId=${info.storeId}`]) },
    { method: 'GET', path: '/identity-verifications', auth: 'rest', query: list(() => ({ page: { number: 0, size: 5 }, sort: { by: 'VERIFIED_AT', order: 'ASC' }, filter: { statuses: ['VERIFIED'], carriers: ['SKT'], customer: { name: '홍길동', birthYear: '1990' }, timeRangeField: 'STATUS_UPDATED_AT', from: '2020-01-01T00:00:00Z' } })) },
    { method: 'POST', path: '/login/api-secret', auth: 'none', body: () => ({ apiSecret: chance(0.5) ? info.apiSecret : 'nope' }) },
    { method: 'POST', path: '/token/refresh', auth: 'none', body: () => ({ refreshToken: 'nope' }) },
    { method: 'POST', path: '/checkout/prepare', auth: 'none', body: () => prepareBody(info) },
    { method: 'GET', path: '/checkout/window/{t}', auth: 'none' },
    { method: 'POST', path: '/checkout/transactions/{t}/complete', auth: 'none', body: action },
    { method: 'GET', path: '/checkout/window.js', auth: 'none' },
    { method: 'GET', path: '/v2/browser-sdk.js', auth: 'none' },
    { method: 'GET', path: '/sandbox/', auth: 'none' },
    { method: 'GET', path: '/sandbox/state', auth: 'control' },
    { method: 'GET', path: '/sandbox/receipts/{p}', auth: 'none', query: () => pick(['', 'key=x', `key=${pick(BAD_ENCODINGS)}`]) },
    { method: 'POST', path: '/sandbox/advance', auth: 'control', body: () => ({ ms: pick([0, 60_000, 86_400_000, 40 * 86_400_000]) }) },
    { method: 'POST', path: '/sandbox/deposit', auth: 'control', body: () => ({ paymentId: pick(known.payments) }) },
    { method: 'POST', path: '/sandbox/outcomes', auth: 'control', body: () => ({ result: pick(['approve', 'decline', 'cancel']) }) },
    { method: 'POST', path: '/sandbox/identity-outcomes', auth: 'control', body: () => ({ result: pick(['approve', 'fail', 'cancel']), ...(chance(0.5) ? { person: pick(['adult', 'child']) } : {}) }) },
    { method: 'POST', path: '/sandbox/charge-outcomes', auth: 'control', body: () => ({ result: pick(['approve', 'decline']) }) },
    { method: 'POST', path: '/sandbox/faults', auth: 'control', body: () => ({ routes: { [pick(['*', 'GET /payments/:id', 'POST /payments/:id/cancel'])]: { failureRate: pick([0.3, 1]), failureStatus: pick([500, 502, 503, 504]), latencyMs: int(0, 3) } }, seed: int(0, 99) }) },
    { method: 'POST', path: '/sandbox/webhook-urls', auth: 'control', body: () => ({ urls: ['http://127.0.0.1:9/hook'] }) },
    { method: 'POST', path: '/sandbox/reset', auth: 'control', body: () => ({}) },
    { method: 'POST', path: '/sandbox/trigger', auth: 'control', body: () => ({ event: pick(['Transaction.Paid', 'Transaction.Cancelled', 'BillingKey.Issued', 'BillingKey.Deleted']), ...(chance(0.5) ? { paymentId: pick(known.payments) } : {}) }) },
    { method: 'POST', path: '/sandbox/replay', auth: 'control', body: () => ({ body: JSON.stringify({ type: 'Transaction.Paid', timestamp: '2025-01-01T00:00:00Z', data: { paymentId: pick(known.payments) } }) }) },
    { method: 'GET', path: '/sandbox/deliveries/stream', auth: 'control' },
    { method: 'GET', path: '/', auth: 'none' },
    { method: 'GET', path: '/unknown/{p}', auth: 'rest' },
  ];
}

const maybeMutate = (value: unknown): unknown => (chance(0.3) ? value : mutate(value));

function build(info: Info, target: Target): Sent {
  const fill = (path: string) => path
    .replace('{p}', encodeURIComponent(id(known.payments)).replace(/%25/g, chance(0.5) ? '%' : '%25'))
    .replace('{b}', id(known.billingKeys))
    .replace('{s}', id(known.schedules))
    .replace('{t}', id(known.txIds))
    .replace('{i}', encodeURIComponent(id(known.identities)));
  let path = fill(target.path);
  if (chance(0.04)) path = pick(['/', '//', '/payments/', '/payments//cancel', `/${junkString().slice(0, 200)}`, `/sandbox/${pick(PROTO_NAMES)}`, `/checkout/${pick(BAD_ENCODINGS)}`, `/${pick(PROTO_NAMES)}`]);
  const query = target.query?.() ?? (chance(0.05) ? pick(['requestBody=%7B', 'requestBody=%', 'storeId=other', 'requestBody=null']) : '');
  let method = chance(0.06) ? pick(['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD']) : target.method;
  if (method === 'HEAD' && chance(0.5)) method = 'GET';
  const headers: Record<string, string> = {};
  if (target.auth === 'rest' && chance(0.9)) headers.authorization = chance(0.92) ? `PortOne ${info.apiSecret}` : pick(['PortOne nope', 'Bearer x.y.z', 'Basic YTpi', 'PortOne ']);
  if (target.auth === 'control' && chance(0.9)) headers[TOKEN_HEADER] = chance(0.92) ? info.controlToken : pick(['nope', '', info.controlToken.slice(1)]);
  if (chance(0.2)) headers['content-type'] = pick(['application/json', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']);
  if (chance(0.05)) headers.origin = 'https://evil.example';
  let body: string | undefined;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH' || (method === 'DELETE' && chance(0.1))) {
    body = chance(0.12) || !target.body ? rawJunkBody() : JSON.stringify(maybeMutate(target.body()));
  }
  return { method, path: query ? `${path}?${query}` : path, headers, ...(body !== undefined ? { body } : {}) };
}

/** Picks ids out of successful answers, so later requests reach existing payments, keys, windows and schedules. */
function learn(sent: Sent, status: number, text: string): void {
  if (status !== 200) return;
  let json: Record<string, any>;
  try {
    json = JSON.parse(text) as Record<string, any>;
  } catch {
    return;
  }
  const remember = (pool: string[], value: unknown) => {
    if (typeof value === 'string' && value.length < 200 && !pool.includes(value)) pool.push(value);
    if (pool.length > 40) pool.shift();
  };
  remember(known.txIds, json.txId);
  remember(known.payments, json.paymentId);
  remember(known.billingKeys, json.billingKey ?? json.billingKeyInfo?.billingKey);
  remember(known.schedules, json.schedule?.id);
  remember(known.identities, json.identityVerificationId);
  const pathId = /^\/payments\/([^/?]+)\/(instant|billing-key)/.exec(sent.path)?.[1];
  if (pathId) remember(known.payments, decodeURIComponent(pathId));
}

/**
 * After faults were set: whether any route fault is on. A latency the fuzzer's mutations made long
 * (up to the 10-minute maximum) is cleared again, so the run stays within its time bound.
 */
async function boundFaults(info: Info): Promise<boolean> {
  const control = { [TOKEN_HEADER]: info.controlToken };
  const state = (await (await fetch(`${info.url}/sandbox/state`, { headers: control })).json()) as { faults: { routes?: Record<string, { latencyMs?: number }> } };
  const routes = Object.values(state.faults.routes ?? {});
  if (routes.some((r) => (r.latencyMs ?? 0) > 50)) {
    await fetch(`${info.url}/sandbox/faults`, { method: 'POST', headers: control, body: '{}' });
    return false;
  }
  return routes.length > 0;
}

const describeSent = (sent: Sent) =>
  `${sent.method} ${sent.path.slice(0, 300)}${sent.path.length > 300 ? `… (${sent.path.length} chars)` : ''}\n  headers ${JSON.stringify(sent.headers)}\n  body ${sent.body === undefined ? '(none)' : `${sent.body.slice(0, 300)}${sent.body.length > 300 ? `… (${sent.body.length} chars)` : ''}`}`;

test(`fuzz: ${COUNT} random requests to every surface, none answered ≥ 500 unless injected, the process lives (FUZZ_SEED=${seed})`, { timeout: (SECONDS + 60) * 1_000 }, async (t) => {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'test/sandbox/fuzz-child.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the fuzz sandbox did not start within 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', () => {
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Info);
      }
    });
    child.once('exit', (code) => reject(new Error(`the fuzz sandbox exited (${code}) before it was ready:\n${output}`)));
  });
  const replay = `replay with FUZZ_SEED=${seed}`;
  // Routes that read a body or a `requestBody` have the most to check: they come up three times as often.
  const all = targets(info).flatMap((target) => (target.body || target.query ? [target, target, target] : [target]));
  const deadline = Date.now() + SECONDS * 1_000;
  const statuses = new Map<number, number>();
  let done = 0;
  let faultsOn = false;
  while (done < COUNT && Date.now() < deadline) {
    const sent = build(info, pick(all));
    let status: number;
    let text: string;
    let headers: Headers;
    try {
      const response = await fetch(`${info.url}${sent.path}`, {
        method: sent.method,
        headers: sent.headers,
        ...(sent.body !== undefined ? { body: sent.body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      headers = response.headers;
      // The delivery stream never ends by itself: its headers are the answer.
      if (status === 200 && headers.get('content-type')?.startsWith('application/x-ndjson')) {
        await response.body?.cancel();
        text = '';
      } else text = sent.method === 'HEAD' ? '' : await response.text();
    } catch (error) {
      assert.fail(`request ${done + 1} got no answer (${(error as Error).message}); the sandbox ${child.exitCode === null ? 'still runs' : `exited with ${child.exitCode}`} — ${replay}\n${describeSent(sent)}\nsandbox output:\n${output.slice(-4_000)}`);
    }
    done++;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 500) {
      const injected = headers.get('x-portone-sandbox-fault') === 'injected' && faultsOn;
      // A PG refusing a charge is PortOne's own 502 (PG_PROVIDER), which the sandbox emulates on purpose.
      const pgRefusal = status === 502 && /^\{"type":"PG_PROVIDER"/.test(text);
      assert.ok(injected || pgRefusal, `request ${done} was answered ${status} without an injected fault — ${replay}\n${describeSent(sent)}\n  answer ${text.slice(0, 1_000)}`);
    }
    if (sent.path.startsWith('/sandbox/faults') && status === 200) faultsOn = await boundFaults(info);
    if (sent.path.startsWith('/sandbox/reset') && status === 200) faultsOn = false;
    learn(sent, status, text);
  }
  assert.equal(child.exitCode, null, `the sandbox process died — ${replay}\n${output.slice(-4_000)}`);
  const alive = await fetch(`${info.url}/sandbox/`);
  assert.equal(alive.status, 200, 'the sandbox still answers after the run');
  assert.ok(done >= 200, `only ${done} requests ran in ${SECONDS} s: too few to mean anything — ${replay}`);
  t.diagnostic(`seed ${seed}: ${done} requests; statuses ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
});
