// The shop's prepare limit (its beforePrepare): a flood of prepares meets a token bucket per shopper
// and one per client address, gets a 429 the shopper can read, and stores nothing.
import { expect, fillCart, scriptOutcome, test } from './support/fixtures.js';
import { query, type RunningShop } from './support/shop.js';

const PREPARE = '/portone/payments/prepare';
const CART = { items: [{ id: 'house-blend', quantity: 1 }], payMethod: 'CARD' };

/** A POST of the prepare route from outside a browser, as a client at `address` (the shop trusts its proxy's X-Forwarded-For). */
async function prepareAs(shop: RunningShop, address: string, cookie?: string): Promise<Response> {
  return fetch(`${shop.url}${PREPARE}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(CART),
  });
}

const orderCount = (shop: RunningShop): number => query<{ n: number }>(shop, 'checkout.sqlite', 'SELECT COUNT(*) AS n FROM orders')[0]!.n;

// Two prepares at once per shopper, ten per address; refilled far slower than a test runs.
test.use({ shopArgs: ['--prepare-burst', '2', '--prepare-per-minute', '1', '--trust-proxy'] });

test('a shopper who keeps preparing sees the shop’s polite message, never a developer’s', async ({ page }) => {
  // Bodies read as they come; one still arriving when the test ends (the page prepares ahead) is dropped, not an error.
  const refusals: Promise<{ code?: string; message?: string }>[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === PREPARE && response.status() === 429) refusals.push(response.json().catch(() => ({})));
  });
  await fillCart(page, [{ id: 'drip-bag-10', quantity: 1 }]);
  // Each visit of the checkout prepares its order ahead; the shopper keeps coming back.
  for (let visit = 0; visit < 4 && refusals.length === 0; visit++) {
    await page.goto('/checkout');
    await expect(page.locator('[data-pay]').getByRole('button')).toBeEnabled();
    await page.getByRole('radio', { name: '실시간 계좌이체' }).check();
    await page.getByRole('radio', { name: '신용·체크카드' }).check();
  }
  await scriptOutcome(page, 'approve');
  await page.locator('[data-pay]').getByRole('button').click();
  const error = page.locator('[data-error]');
  await expect(error).toHaveText('짧은 시간에 결제 요청이 너무 많았습니다. 잠시 후 다시 시도해 주세요.');
  await expect(error).not.toContainText(/RATE_LIMITED|beforePrepare|429/);
  const refused = await Promise.all(refusals);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused[0]!.code).toBe('RATE_LIMITED');
});

test('per shopper and per address: 429 with Retry-After, nothing stored; a client without a cookie still meets its address’s limit', async ({ shop }) => {
  const address = '203.0.113.7';
  const visit = await fetch(`${shop.url}/cart`, { headers: { 'x-forwarded-for': address } });
  const cookie = visit.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  expect(cookie).toContain('dalbit_session=');

  // The shopper's burst of two, then a refusal that stores no order.
  for (let i = 0; i < 2; i++) expect((await prepareAs(shop, address, cookie)).status).toBe(200);
  const before = orderCount(shop);
  const refusal = await prepareAs(shop, address, cookie);
  expect(refusal.status).toBe(429);
  expect(Number(refusal.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await refusal.json()).toEqual({ code: 'RATE_LIMITED', message: '짧은 시간에 결제 요청이 너무 많았습니다. 잠시 후 다시 시도해 주세요.', retryAfterSeconds: expect.any(Number) });
  expect(orderCount(shop)).toBe(before);
  // In the shopper's language.
  const english = await prepareAs(shop, address, `${cookie}; lang=en`);
  expect(((await english.json()) as { message: string }).message).toBe('Too many payment attempts in a short time. Please wait a moment and try again.');
  // One log line for the streak, naming the limit, for the shop's operator.
  expect(shop.output()).toMatch(/prepare refused \(429 RATE_LIMITED\) for shopper mem_\S+: over 2 at once and 1 a minute/);

  // Dropping the cookie makes a guest, but the address has its own bucket (five times a shopper's:
  // ten, two of them used above). Counted in attempts: eight go through, then refusals.
  for (let i = 0; i < 8; i++) expect((await prepareAs(shop, address)).status, `guest prepare ${i + 1}`).toBe(200);
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push((await prepareAs(shop, address)).status);
  expect(statuses).toContain(429);
  // A claimed X-Forwarded-For entry before the proxy's own changes nothing: the proxy's (last) one counts.
  expect((await prepareAs(shop, `198.51.100.1, ${address}`)).status).toBe(429);
  // Another address is another client.
  expect((await prepareAs(shop, '198.51.100.1')).status).toBe(200);
});
