// The shop's pages and admin in a browser's eyes: a Content Security Policy without 'unsafe-inline'
// allowing exactly the sandbox's origin besides the shop's, frame-ancestors 'none' (no clickjacked
// refund), nosniff and a referrer policy on every answer; the policy enforced and its violations
// reported to the shop's log. (Every other e2e test fails on any CSP violation, see fixtures.ts.)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, takeCspViolations, test } from './support/fixtures.js';
import { ADMIN_PASSWORD } from './support/shop.js';

const PAGES = ['/', '/products/house-blend', '/products/no-such-thing', '/cart', '/checkout', '/complete?order=x', '/waiting?order=x', '/subscribe', '/phone', '/orders'];
const BASIC = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };

/** A policy as a map of directive → sources. */
function directives(policy: string | undefined): Map<string, string[]> {
  expect(policy, 'a Content-Security-Policy header').toBeTruthy();
  return new Map(policy!.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
}

test('every page and the admin: a policy without unsafe-inline, only the shop and the sandbox, frame-ancestors none, nosniff, a referrer policy', async ({ page, shop }) => {
  const sandbox = new URL(shop.sandboxUrl).origin;
  const nonces = new Set<string>();
  for (const [path, headers] of [...PAGES.map((path) => [path, {}] as const), ['/admin', BASIC] as const]) {
    const response = await page.request.get(path, { headers });
    expect([200, 404], path).toContain(response.status());
    expect(response.headers()['content-type'], path).toContain('text/html');
    const policy = directives(response.headers()['content-security-policy']);
    expect(response.headers()['content-security-policy'], path).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    const nonce = policy.get('script-src')!.find((source) => source.startsWith("'nonce-"))!;
    expect(nonce, path).toMatch(/^'nonce-[A-Za-z0-9+/]{22}=='$/);
    nonces.add(nonce);
    expect(Object.fromEntries(policy), path).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'", nonce, sandbox],
      'style-src': ["'self'"],
      'img-src': ["'self'"],
      'font-src': ["'self'"],
      'connect-src': ["'self'", sandbox],
      'frame-src': [sandbox],
      'form-action': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
      'report-uri': ['/csp-reports'],
    });
    expect(response.headers(), path).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin', 'x-frame-options': 'DENY' });
  }
  expect(nonces.size, 'a fresh nonce for every page').toBe(PAGES.length + 1);

  // The catalog's one inline script carries its response's nonce.
  const catalog = await page.request.get('/');
  const nonce = /'nonce-([^']+)'/.exec(catalog.headers()['content-security-policy']!)![1]!;
  const html = await catalog.text();
  expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/portone-checkout.js">', `<script type="module" nonce="${nonce}">`]);

  // Everything that is not a page may run and frame nothing.
  for (const [path, headers] of [
    ['/api/me/orders', {}],
    ['/portone-checkout.js', {}],
    ['/images/products/house-blend.svg', {}],
    ['/shop.css', {}],
    ['/no-such-page', {}],
    ['/admin', {}],
    ['/admin/api/state', BASIC],
  ] as const) {
    const response = await page.request.get(path, { headers });
    expect(response.headers()['content-security-policy'], path).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(response.headers()['x-content-type-options'], path).toBe('nosniff');
  }
});

test('the policy is enforced: a script injected into a page does not run, and the violation reaches the shop’s log', async ({ page, shop }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: '바로 구매' })).toBeVisible();
  // What an injection (a review text rendered unescaped, say) would add to the page.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.append(script);
    const inline = document.createElement('div');
    inline.innerHTML = '<img src="/favicon.svg" onload="window.__injectedHandler = true">';
    document.body.append(inline);
  });
  const seen: string[] = [];
  await expect.poll(() => (seen.push(...takeCspViolations().map((v) => v.directive ?? v.text ?? '')), seen)).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr']));
  expect(await page.evaluate(() => Object.keys(window).filter((key) => key.startsWith('__injected')))).toEqual([]);
  await expect.poll(() => shop.output()).toMatch(/\[csp\] blocked "script-src-elem" "inline" on "\/"/);
  await expect.poll(() => shop.output()).toMatch(/\[csp\] blocked "script-src-attr" "inline" on "\/"/);
  // Whatever else Chromium logged about the same two refusals is expected too.
  takeCspViolations();
});

test('no other page, even one of the same site, can frame the shop or its admin (a clickjacked refund)', async ({ admin, shop }) => {
  // A page of another port on the same host: same-site for cookies, another origin for the browser.
  const attacker = createServer((_request, response) =>
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><title>win a prize</title><iframe id="admin" src="${shop.url}/admin"></iframe><iframe id="shop" src="${shop.url}/orders"></iframe>`),
  );
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  try {
    const loaded: string[] = [];
    admin.on('response', (response) => {
      if (response.url().startsWith(shop.url)) loaded.push(`${new URL(response.url()).pathname} ${response.status()}`);
    });
    await admin.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    // The browser fetched both (the admin with the signed-in admin's credentials)…
    await expect.poll(() => loaded.filter((line) => !line.startsWith('/csp-reports')).sort()).toEqual(['/admin 200', '/orders 200']);
    // …and refused to show them: the frames hold Chromium's error page, nothing of the shop.
    await expect.poll(() => takeCspViolations().filter((v) => /frame-ancestors/.test(`${v.directive ?? ''} ${v.text ?? ''}`)).length).toBeGreaterThanOrEqual(2);
    expect(admin.frames()).toHaveLength(3);
    for (const frame of admin.frames().slice(1)) {
      expect(frame.url()).not.toContain(shop.url);
      expect(await frame.locator('.site-header, [data-orders], button').count()).toBe(0);
    }
    // The shop hears of the attempt: each refused frame reports it.
    await expect.poll(() => shop.output().split('\n').filter((line) => line.startsWith('[csp] blocked "frame-ancestors"')).length).toBeGreaterThanOrEqual(2);
  } finally {
    await new Promise((resolve) => attacker.close(resolve));
  }
});

test('without --trust-proxy, X-Forwarded-Proto and X-Forwarded-For change nothing (any client could send them)', async ({ shop }) => {
  const answer = await fetch(`${shop.url}/`, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.1' } });
  const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('dalbit_session='));
  expect(cookie).toBeDefined();
  expect(cookie).not.toMatch(/;\s*Secure/i);
  expect(await answer.text()).toContain(`redirect-url="${shop.url}/complete"`);
});
