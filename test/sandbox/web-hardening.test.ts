// The sandbox's web surface, hardened: its pages run no inline code without the answer's nonce
// and say who may frame them; its controls answer no other origin and change nothing without the
// control token; malformed paths and prototype names are refused with a 4xx, never a 500.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { paymentOf, withSandbox } from './support.js';

const TOKEN_HEADER = 'x-portone-sandbox-token';

function paymentRequest(sandbox: Sandbox, extra: Record<string, unknown> = {}) {
  return {
    storeId: sandbox.storeId,
    channelKey: sandbox.channelKeys.payment,
    paymentId: `pay-${Math.random().toString(36).slice(2)}`,
    orderName: '보안 점검',
    totalAmount: 5_000,
    currency: 'KRW',
    payMethod: 'CARD',
    customer: { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'buyer@example.com' },
    ...extra,
  };
}

async function prepare(sandbox: Sandbox, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${sandbox.url}/checkout/prepare`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | null): Map<string, string[]> {
  assert.ok(header, 'a Content-Security-Policy header');
  return new Map(header.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

/** Every inline <script> (that runs) and <style> carries the CSP's nonce; no inline handler or style attribute exists. */
function assertNoncedOnly(html: string, csp: Map<string, string[]>): void {
  const nonce = csp.get('style-src')?.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
  assert.ok(nonce, 'style-src has a nonce');
  for (const tag of html.match(/<(script|style)\b[^>]*>/g) ?? []) {
    if (/\bsrc=|type="application\/json"/.test(tag)) continue;
    assert.ok(tag.includes(`nonce="${nonce}"`), `${tag} carries the answer's nonce`);
  }
  assert.doesNotMatch(html, /\son[a-z]+=["']/i, 'no inline event handler attributes');
  assert.doesNotMatch(html, /\sstyle=["']/i, 'no inline style attributes');
}

test('the dashboard: CSP without unsafe-inline (nonced script and style), framed by nobody, nosniff, no referrer', async (t) => {
  const sandbox = await withSandbox(t);
  const response = await fetch(`${sandbox.url}/sandbox/`);
  const html = await response.text();
  const csp = directives(response.headers.get('content-security-policy'));
  assert.doesNotMatch(response.headers.get('content-security-policy')!, /unsafe-inline|unsafe-eval|\*/);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  assertNoncedOnly(html, csp);
  // A fresh nonce per answer.
  const again = directives((await fetch(`${sandbox.url}/sandbox/`)).headers.get('content-security-policy'));
  assert.notDeepEqual(again.get('script-src'), csp.get('script-src'));
  // The page holds no data and no token: those come from the control routes.
  assert.ok(!html.includes(sandbox.controlToken) && !html.includes(sandbox.apiSecret));
});

test('the payment window: CSP without unsafe-inline, frameable only by the page that opened it (none for a redirect window)', async (t) => {
  const sandbox = await withSandbox(t);
  const opened = await prepare(sandbox, { transactionType: 'PAYMENT', request: paymentRequest(sandbox), client: { userAgent: 'test', origin: 'http://shop.example:8080' } });
  assert.equal(opened.status, 200, JSON.stringify(opened.json));
  const page = await fetch(`${sandbox.url}${opened.json.windowUrl}`);
  const csp = directives(page.headers.get('content-security-policy'));
  assert.doesNotMatch(page.headers.get('content-security-policy')!, /unsafe-inline|unsafe-eval/);
  assert.deepEqual(csp.get('frame-ancestors'), ["'self'", 'http://shop.example:8080']);
  assert.ok(csp.get('script-src')!.includes("'self'"), 'the window loads its script from the sandbox');
  assert.equal(page.headers.get('x-frame-options'), null, 'framing is decided by frame-ancestors');
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  assertNoncedOnly(await page.text(), csp);

  const redirect = await prepare(sandbox, { transactionType: 'PAYMENT', request: paymentRequest(sandbox, { redirectUrl: 'https://shop.example/return' }), client: { userAgent: 'Mozilla/5.0 (iPhone) Mobile', origin: 'https://shop.example' } });
  const redirectPage = await fetch(`${sandbox.url}${redirect.json.windowUrl}`);
  assert.deepEqual(directives(redirectPage.headers.get('content-security-policy')).get('frame-ancestors'), ["'none'"]);

  const unknownOrigin = await prepare(sandbox, { transactionType: 'PAYMENT', request: paymentRequest(sandbox), client: { userAgent: 'test' } });
  const anyFramer = await fetch(`${sandbox.url}${unknownOrigin.json.windowUrl}`);
  assert.deepEqual(directives(anyFramer.headers.get('content-security-policy')).get('frame-ancestors'), ['*']);

  const badOrigin = await prepare(sandbox, { transactionType: 'PAYMENT', request: paymentRequest(sandbox), client: { userAgent: 'test', origin: "https://x.example 'unsafe-inline'" } });
  assert.equal(badOrigin.status, 400);
  assert.match(badOrigin.json.message, /client\.origin.*expected the page's origin/);

  const script = await fetch(`${sandbox.url}/checkout/window.js`);
  assert.equal(script.headers.get('x-content-type-options'), 'nosniff');
  assert.match(script.headers.get('content-type')!, /^text\/javascript/);
  const sdk = await fetch(`${sandbox.url}/v2/browser-sdk.js`);
  assert.equal(sdk.headers.get('access-control-allow-origin'), '*', 'shops on any origin load the runtime');
  assert.equal(sdk.headers.get('cross-origin-resource-policy'), 'cross-origin');
});

test('controls: no CORS, and nothing changes or is revealed without the control token', async (t) => {
  const sandbox = await withSandbox(t);
  await sandbox.pay({ paymentId: 'guarded', totalAmount: 7_000, payMethod: 'VIRTUAL_ACCOUNT' });
  const before = JSON.stringify(sandbox.payment('guarded'));
  const control = (path: string, body: unknown, token?: string) =>
    fetch(`${sandbox.url}/sandbox/${path}`, { method: 'POST', headers: { origin: 'https://evil.example', ...(token === undefined ? {} : { [TOKEN_HEADER]: token }) }, body: JSON.stringify(body) });
  const attempts: [string, unknown][] = [
    ['deposit', { paymentId: 'guarded' }],
    ['faults', { routes: { '*': { failureRate: 1 } } }],
    ['advance', { ms: 86_400_000 }],
    ['outcomes', { result: 'decline' }],
    ['charge-outcomes', { result: 'decline' }],
    ['webhook-urls', { urls: ['https://evil.example/hook'] }],
    ['reset', {}],
  ];
  const now = sandbox.now();
  for (const [path, body] of attempts) {
    for (const token of [undefined, 'wrong-token-of-a-plausible-length-000', sandbox.controlToken.slice(0, -1), `${sandbox.controlToken}x`]) {
      const response = await control(path, body, token);
      assert.equal(response.status, 401, `${path} with ${token === undefined ? 'no token' : 'a wrong token'}`);
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      assert.match(((await response.json()) as { message: string }).message, /x-portone-sandbox-token/);
    }
  }
  assert.equal(JSON.stringify(sandbox.payment('guarded')), before, 'not deposited, not reset');
  assert.ok(sandbox.now() - now < 60_000, 'the clock did not jump a day');
  const paid = await sandbox.pay({ paymentId: 'after', totalAmount: 1_000 });
  assert.equal(paid.code, undefined, 'no decline was queued, no fault set');

  const state = await fetch(`${sandbox.url}/sandbox/state`, { headers: { origin: 'https://evil.example' } });
  assert.equal(state.status, 401, 'the state (payments, deliveries) needs the token too');
  assert.equal(state.headers.get('access-control-allow-origin'), null);
  const preflight = await fetch(`${sandbox.url}/sandbox/deposit`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': TOKEN_HEADER } });
  assert.equal(preflight.headers.get('access-control-allow-origin'), null, 'a preflight from another site is not granted');
  assert.equal(preflight.headers.get('access-control-allow-headers'), null);

  const withToken = await control('deposit', { paymentId: 'guarded' }, sandbox.controlToken);
  assert.equal(withToken.status, 200);
  assert.equal(withToken.headers.get('access-control-allow-origin'), null, 'answers carry no CORS even with the token');
  assert.equal(paymentOf(sandbox, 'guarded').status, 'PAID');
  const token = new URL(sandbox.dashboardUrl).hash;
  assert.equal(token, `#token=${sandbox.controlToken}`, 'the dashboard link carries the token in its fragment');
});

test('receipts open only through the URL PortOne hands out (a key per payment), never by guessing the id', async (t) => {
  const sandbox = await withSandbox(t);
  await sandbox.pay({ paymentId: 'receipt-1', totalAmount: 3_000 });
  const receiptUrl = (sandbox.payment('receipt-1') as { receiptUrl?: string }).receiptUrl!;
  const good = await fetch(receiptUrl);
  assert.equal(good.status, 200);
  assert.doesNotMatch(good.headers.get('content-security-policy')!, /unsafe-inline/);
  assertNoncedOnly(await good.text(), directives(good.headers.get('content-security-policy')));
  const bare = new URL(receiptUrl);
  bare.search = '';
  assert.equal((await fetch(bare)).status, 404);
  bare.searchParams.set('key', 'A'.repeat(22));
  assert.equal((await fetch(bare)).status, 404);
  assert.equal((await fetch(`${sandbox.url}/sandbox/receipts/nope?key=${new URL(receiptUrl).searchParams.get('key')}`)).status, 404, 'a key fits one payment only');
});

test('a control token can be fixed (and is checked), and a persisted sandbox keeps its token', async (t) => {
  const fixed = 'fixed-control-token-for-ci-0123456789';
  const sandbox = await withSandbox(t, { controlToken: fixed });
  assert.equal(sandbox.controlToken, fixed);
  await assert.rejects(withSandbox(t, { controlToken: 'short' }), /controlToken: expected 24 to 200 letters, digits, - or _ \(base64url\), got 5 characters/);
  await assert.rejects(withSandbox(t, { controlToken: 'has spaces in it but is long enough' }), /controlToken/);
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-token-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = await createSandbox({ persistPath: join(dir, 'state.json') });
  const token = first.controlToken;
  await first.close();
  const second = await withSandbox(t, { persistPath: join(dir, 'state.json') });
  assert.equal(second.controlToken, token, 'a .env written once stays valid across restarts');
});

test('malformed percent-encoding in any path is a 4xx, on every surface', async (t) => {
  const sandbox = await withSandbox(t);
  const auth = { authorization: `PortOne ${sandbox.apiSecret}` };
  const token = { [TOKEN_HEADER]: sandbox.controlToken };
  const cases: [string, string, Record<string, string>][] = [
    ['GET', '/payments/%E0%A4%A', auth],
    ['GET', '/payments/%zz', auth],
    ['POST', '/payments/%C0%AF/cancel', auth],
    ['GET', '/billing-keys/%', auth],
    ['DELETE', '/billing-keys/%ff%fe', auth],
    ['GET', '/payment-schedules/%E0%A4%A', auth],
    ['GET', '/checkout/window/%E0%A4%A', {}],
    ['POST', '/checkout/transactions/%zz/complete', {}],
    ['GET', '/sandbox/receipts/%E0%A4%A?key=x', {}],
    ['POST', '/sandbox/%zz', token],
    ['GET', '/%E0%A4%A', {}],
  ];
  for (const [method, path, headers] of cases) {
    const response = await fetch(`${sandbox.url}${path}`, { method, headers, ...(method === 'POST' ? { body: '{}' } : {}) });
    assert.ok(response.status >= 400 && response.status < 500, `${method} ${path} answered ${response.status}: ${await response.text()}`);
  }
  const rest = await fetch(`${sandbox.url}/payments/%E0%A4%A`, { headers: auth });
  assert.deepEqual([rest.status, ((await rest.json()) as { type: string }).type], [400, 'INVALID_REQUEST']);
});

test('prototype names where a body key is looked up in a table are refused with a 4xx', async (t) => {
  const sandbox = await withSandbox(t);
  for (const name of ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']) {
    const opened = await prepare(sandbox, { transactionType: name, request: paymentRequest(sandbox), client: { userAgent: 'test' } });
    assert.equal(opened.status, 400, `transactionType ${name}`);
    assert.match(opened.json.message, /Unknown transactionType .*: expected PAYMENT, ISSUE_BILLING_KEY, ISSUE_BILLING_KEY_AND_PAY/);
    const listed = await fetch(`${sandbox.url}/payments?requestBody=${encodeURIComponent(JSON.stringify({ filter: { textSearch: [{ field: name, value: 'x' }], methods: [name] } }))}`, { headers: { authorization: `PortOne ${sandbox.apiSecret}` } });
    assert.ok(listed.status < 500, `textSearch/methods ${name}: ${listed.status}`);
    const faults = await fetch(`${sandbox.url}/sandbox/faults`, { method: 'POST', headers: { [TOKEN_HEADER]: sandbox.controlToken }, body: `{"routes":{"${name}":{"failureRate":1}}}` });
    assert.equal(faults.status, 400, `faults.routes.${name}`);
    const outcome = await fetch(`${sandbox.url}/sandbox/outcomes`, { method: 'POST', headers: { [TOKEN_HEADER]: sandbox.controlToken }, body: `{"result":"approve","${name}":{"x":1}}` });
    assert.equal(outcome.status, 400, `outcome with ${name}`);
  }
  assert.equal((await sandbox.pay({ paymentId: 'still-fine', totalAmount: 1_000 })).code, undefined);
});

test('JSON nested past 1,000 levels is refused before anything walks it', async (t) => {
  const sandbox = await withSandbox(t);
  const deep = `{"transactionType":"PAYMENT","request":{"customData":${'['.repeat(5_000)}${']'.repeat(5_000)}}}`;
  const response = await fetch(`${sandbox.url}/checkout/prepare`, { method: 'POST', body: deep });
  assert.equal(response.status, 400);
  assert.match(((await response.json()) as { message: string }).message, /nests 5002 levels deep; at most 1000/);
});

test('numbers that would pass the last representable date are refused with a 4xx (validHours, advance, now)', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual' });
  const customer = { name: { full: '홍길동' }, phoneNumber: '010-1234-5678', email: 'buyer@example.com' };
  const instant = await fetch(`${sandbox.url}/payments/far/instant`, {
    method: 'POST',
    headers: { authorization: `PortOne ${sandbox.apiSecret}` },
    body: JSON.stringify({ channelKey: sandbox.channelKeys.payment, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW', customer, method: { virtualAccount: { bank: 'SHINHAN', expiry: { validHours: 2_000_000_000 }, option: { type: 'FIXED' } } } }),
  });
  // int32 by PortOne's schema, and at most a century by the sandbox's clock.
  assert.equal(instant.status, 400);
  assert.match(((await instant.json()) as { message: string }).message, /validHours`: expected a positive integer up to 876000, got 2000000000/);
  const window = await prepare(sandbox, { transactionType: 'PAYMENT', request: paymentRequest(sandbox, { payMethod: 'VIRTUAL_ACCOUNT', virtualAccount: { accountExpiry: { validHours: 1e15 } } }), client: { userAgent: 'test' } });
  assert.equal(window.status, 400);
  assert.equal(sandbox.payment('far'), undefined);
  const advance = await fetch(`${sandbox.url}/sandbox/advance`, { method: 'POST', headers: { [TOKEN_HEADER]: sandbox.controlToken }, body: JSON.stringify({ ms: 1e15 }) });
  assert.equal(advance.status, 400);
  await assert.rejects(sandbox.advance(8e15), /the sandbox clock ends at 9999-12-31T23:59:59.999Z/);
  await assert.rejects(withSandbox(t, { now: 9e15 }), /now: expected ms since the epoch up to 9999-12-31T23:59:59.999Z, got 9000000000000000/);
});

// ── in Chromium: what the headers mean to a browser ─────────────────────────────────────────────

let browser: Browser | undefined;
before(async () => {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: set CHROME_PATH or run `npm test`, which installs one.');
  browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
});
after(() => browser?.close());

/** A page on its own origin: `/frame?src=…` frames a URL, `/shop` loads the sandbox SDK. */
async function site(t: TestContext, sandbox: Sandbox): Promise<string> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = url.pathname === '/frame'
      ? `<!doctype html><html lang="ko"><title>액자</title><iframe title="framed" src="${url.searchParams.get('src')!.replace(/"/g, '&quot;')}"></iframe></html>`
      : `<!doctype html><html lang="ko"><title>상점</title><script src="${sandbox.sdkUrl}"></script></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('in Chromium: the opening page frames its window without a CSP violation; another site cannot frame the window or the dashboard', async (t) => {
  const sandbox = await withSandbox(t);
  const shop = await site(t, sandbox);
  const stranger = await site(t, sandbox);
  const context = await browser!.newContext();
  t.after(() => context.close());
  // Every frame records what its CSP blocked.
  await context.addInitScript(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  await page.goto(`${shop}/shop`);
  const request = paymentRequest(sandbox);
  // Left pending: the window stays open while the test looks at it.
  page.evaluate((req) => (window as unknown as { PortOne: { requestPayment(r: unknown): Promise<unknown> } }).PortOne.requestPayment(req), request).catch(() => {});
  const windowFrame = page.frameLocator('iframe[data-portone-sandbox="window"]');
  await windowFrame.getByRole('button', { name: '결제하기' }).waitFor();
  const frame = page.frames().find((f) => f.url().includes('/checkout/window/'))!;
  assert.deepEqual(await frame.evaluate(() => (window as unknown as { violations: string[] }).violations), []);
  const windowUrl = frame.url();

  const other = await context.newPage();
  for (const framed of [windowUrl, sandbox.dashboardUrl]) {
    await other.goto(`${stranger}/frame?src=${encodeURIComponent(framed)}`);
    await other.waitForTimeout(200);
    const child = other.frames().find((f) => f !== other.mainFrame());
    assert.ok(child, 'the iframe exists');
    // A refused frame shows the browser's error page, never the sandbox's page.
    assert.equal(await child.locator('#pw-form, #payments').count(), 0, `${framed} must not render inside ${stranger}`);
  }

  // The same check sees a frame that is allowed: a window whose opener named no origin.
  const anyFramer = await prepare(sandbox, { transactionType: 'PAYMENT', request: paymentRequest(sandbox), client: { userAgent: 'test' } });
  await other.goto(`${stranger}/frame?src=${encodeURIComponent(`${sandbox.url}${anyFramer.json.windowUrl}`)}`);
  await other.frames().find((f) => f !== other.mainFrame())!.locator('#pw-form').waitFor({ state: 'attached' });

  const dashboard = await context.newPage();
  await dashboard.goto(sandbox.dashboardUrl);
  await dashboard.locator('#clock').filter({ hasText: /^\d{4}-/ }).waitFor();
  assert.deepEqual(await dashboard.evaluate(() => (window as unknown as { violations: string[] }).violations), []);
  assert.equal(new URL(dashboard.url()).hash, '', 'the token leaves the address bar');
});
