// The sandbox's control token (X-PortOne-Sandbox-Token: deposit into any virtual account, move the
// clock, inject faults) is the admin's, never a shopper's: a shopper who walks through every page —
// the payment window, the kit's and the shop's JSON included — is sent it nowhere, while /admin
// still links the sandbox dashboard with it, and the dashboard works from there.
import type { Page } from '@playwright/test';
import { PRODUCTS } from '../../demo/shared/catalog.js';
import { expect, fillCart, paymentIdOf, paymentWindow, scriptOutcome, test } from './support/fixtures.js';
import { orderRow } from './support/shop.js';

test('no shop page, script, window or JSON answer a shopper can load carries the sandbox control token; /admin does, and its dashboard link works', async ({ page, admin, shop }) => {
  const token = shop.sandboxToken;
  expect(token.length, 'the harness read the token from the start banner').toBeGreaterThanOrEqual(24);

  // Everything the shopper's browser is sent, from any origin (the shop, the sandbox's SDK and window).
  const received: Promise<{ url: string; text: string }>[] = [];
  page.context().on('response', (response) => {
    const headers = JSON.stringify(response.headers());
    received.push(
      response
        .body()
        .then((body) => ({ url: response.url(), text: `${headers}\n${body.toString('utf8')}` }))
        // A redirect has no body; its headers still count.
        .catch(() => ({ url: response.url(), text: headers })),
    );
  });
  const requested: string[] = [];
  page.context().on('request', (request) => requested.push(request.url()));
  const seen: string[] = [];
  /** The page as it stands after its scripts ran, and what it keeps in the browser. */
  const look = async (p: Page) => {
    seen.push(`${p.url()}\n${await p.content()}\n${await p.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage, cookie: document.cookie }))}`);
  };

  for (const path of ['/', ...PRODUCTS.map((product) => `/products/${product.id}`), '/products/no-such-thing', '/cart', '/subscribe', '/phone', '/orders']) {
    await page.goto(path);
    await look(page);
  }
  // The banner links the bare dashboard, which asks for the token before it shows anything.
  const dashboardLink = page.locator('.test-banner a');
  await expect(dashboardLink).toHaveAttribute('href', `${shop.sandboxUrl}/sandbox/`);
  const [dashboard] = await Promise.all([page.context().waitForEvent('page'), dashboardLink.click()]);
  await expect(dashboard.locator('#status')).toContainText('need the control token');
  await expect(dashboard.locator('#payments tr')).toHaveCount(0);
  await look(dashboard);
  await dashboard.close();

  // A virtual account (the waiting page, the shopper's order API) and a card payment through the window.
  await fillCart(page, [{ id: 'drip-bag-10', quantity: 1 }]);
  await page.goto('/checkout');
  await look(page);
  await page.getByRole('radio', { name: '가상계좌 (무통장입금)' }).check();
  await scriptOutcome(page, 'approve');
  await page.locator('[data-pay]').getByRole('button').click();
  await expect(page.getByRole('heading', { name: '입금을 기다리고 있습니다' })).toBeVisible();
  const waiting = paymentIdOf(page);
  await look(page);
  await page.goto('/');
  await page.getByRole('button', { name: '바로 구매' }).click();
  await paymentWindow(page).getByRole('button', { name: '결제하기', exact: true }).click();
  await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
  const paid = paymentIdOf(page);
  await look(page);
  for (const path of [`/api/me/orders`, `/api/me/orders/${encodeURIComponent(paid)}`, `/portone/payments/${encodeURIComponent(paid)}`]) {
    expect((await page.request.get(path)).ok(), path).toBe(true);
    await page.goto(path);
    await look(page);
  }
  // And in English.
  await page.goto('/lang/en?back=/orders');
  await look(page);

  const answers = await Promise.all(received);
  expect(answers.length).toBeGreaterThan(30);
  expect(answers.some((answer) => answer.url.startsWith(shop.sandboxUrl)), 'the sandbox window and SDK were loaded too').toBe(true);
  expect(answers.filter((answer) => answer.text.includes(token)).map((answer) => answer.url)).toEqual([]);
  expect(requested.filter((url) => url.includes(token))).toEqual([]);
  expect(seen.filter((text) => text.includes(token)).map((text) => text.split('\n')[0])).toEqual([]);

  // The admin page carries the token in its dashboard link (a fragment: never sent to a server),
  // and the dashboard opened from it works: it lists the shopper's payments without asking.
  await admin.goto('/admin');
  const adminLink = admin.locator('.test-banner a');
  await expect(adminLink).toHaveAttribute('href', `${shop.sandboxUrl}/sandbox/#token=${token}`);
  const [controls] = await Promise.all([admin.context().waitForEvent('page'), adminLink.click()]);
  await expect(controls.locator('#payments')).toContainText(waiting);
  await expect(controls.locator('#status')).not.toContainText('need the control token');
  await controls.close();
  // The admin's own sandbox controls still work: its deposit pays the waiting order.
  await admin.locator(`tr[data-payment-id="${waiting}"]`).getByRole('button', { name: '입금 처리' }).click();
  await expect(admin.locator(`tr[data-payment-id="${waiting}"] [data-cell="status"]`)).toHaveText('결제 완료');
  expect(orderRow(shop, waiting)!.status).toBe('PAID');
});
