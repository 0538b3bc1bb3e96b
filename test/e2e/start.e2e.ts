// `npm start` itself: where the shop and its sandbox listen (--host moves both, and the sandbox's
// webhooks follow the shop), and what it says when it cannot listen or its admin password is too
// short. Every server stays on loopback.
import { expect, paymentIdOf, scriptOutcome, test } from './support/fixtures.js';
import { query, runShopToExit, startShop } from './support/shop.js';

const portOf = (url: string): string => new URL(url).port;

test('a port already in use: one line naming the flag to change, and a non-zero exit', async ({ shop }) => {
  const taken = portOf(shop.url);
  const shopPort = await runShopToExit({ args: ['--port', taken] });
  expect(shopPort.code).toBe(1);
  expect(shopPort.stderr.trim()).toBe(`npm start: port ${taken} is in use; set PORT or --port`);
  expect(shopPort.stdout).not.toContain('ready ');

  const sandboxTaken = portOf(shop.sandboxUrl);
  const sandboxPort = await runShopToExit({ args: ['--sandbox-port', sandboxTaken] });
  expect(sandboxPort.code).toBe(1);
  expect(sandboxPort.stderr.trim()).toBe(`npm start: sandbox port ${sandboxTaken} is in use; set SANDBOX_PORT or --sandbox-port`);
});

test('--host moves the sandbox with the shop, and its webhooks reach the shop there', async ({ browser }) => {
  // 127.0.0.2 stands for one LAN address of this machine: nothing listens for the shop on 127.0.0.1.
  const shop = await startShop({ args: ['--host', '127.0.0.2'] });
  try {
    expect(new URL(shop.url).hostname).toBe('127.0.0.2');
    expect(new URL(shop.sandboxUrl).hostname).toBe('127.0.0.2');

    const context = await browser.newContext({ baseURL: shop.url });
    const page = await context.newPage();
    await page.goto('/');
    // The plain-HTML catalog's buttons load the sandbox's SDK from there too.
    const sdkUrl = await page.locator('portone-payment-button').first().getAttribute('sdk-url');
    expect(new URL(sdkUrl!).hostname).toBe('127.0.0.2');
    await scriptOutcome(page, 'approve');
    await page.getByRole('button', { name: '바로 구매' }).click();
    await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
    const paymentId = paymentIdOf(page);
    await context.close();

    // PortOne's Transaction.Paid webhook went to the shop's own address and was processed.
    await expect
      .poll(() => query(shop, 'checkout.sqlite', "SELECT status FROM webhook_deliveries WHERE payment_id = ? AND type = 'Transaction.Paid'", paymentId))
      .toEqual([{ status: 'processed' }]);
  } finally {
    await shop.close();
  }
});

test('an ADMIN_PASSWORD shorter than 12 characters stops the shop with one clear line, never echoing it', async () => {
  const short = await runShopToExit({ env: { ADMIN_PASSWORD: 'hunter2' } });
  expect(short.code).toBe(2);
  expect(short.stderr.split('\n')[0]).toBe('npm start: ADMIN_PASSWORD: expected at least 12 characters (it guards every refund), got 7; leave it unset to have one generated');
  expect(short.stderr + short.stdout).not.toContain('hunter2');
  expect(short.stdout).not.toContain('ready ');
});
