// On a phone the KG Inicis window is not an iframe: the page leaves for it and PortOne redirects
// back to `redirect-url` (/complete) with the result in the query, where the hidden element
// finishes the payment exactly as the on-page path does.
import { devices } from '@playwright/test';
import { expect, fillCart, snap, test } from './support/fixtures.js';
import { fulfilments, orderRow, paidHookRuns, query } from './support/shop.js';

test.use({ ...devices['Pixel 7'] });

/** The paymentId PortOne's redirect carries back to /complete (the element strips it from the address). */
const redirectedPaymentId = (url: string): string => new URL(url).searchParams.get('paymentId')!;

test.describe('phone checkout (redirect)', () => {
  test('the window replaces the page and redirects back to the order complete page', async ({ page, shop }) => {
    await page.goto('/');
    await snap(page, 'catalog-phone', { fullPage: false, readme: 'phone-catalog' });
    await fillCart(page, [{ id: 'colombia-supremo', quantity: 1 }, { id: 'drip-bag-10', quantity: 1 }]);
    await page.goto('/cart');
    await snap(page, 'cart-phone', { fullPage: false });
    await page.getByRole('link', { name: '주문하기' }).click();
    await page.getByLabel('휴대폰 번호').fill('01098765432');
    await page.getByLabel('휴대폰 번호').blur();
    await snap(page, 'checkout-phone', { fullPage: false });

    await page.locator('[data-pay]').getByRole('button').click();
    // The whole page is now the sandbox's KG Inicis window.
    await expect(page).toHaveURL(new RegExp(`^${shop.sandboxUrl}/checkout/window/`));
    await expect(page.getByRole('heading', { name: 'KG이니시스 결제하기' })).toBeVisible();
    await expect(page.locator('[data-field="amount"]')).toHaveText('29,000원'); // ₩14,000 + ₩12,000 + ₩3,000
    await snap(page, 'payment-window-phone', { fullPage: false, readme: 'phone-window' });
    const completes: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/portone/payments/complete') completes.push(request.url());
    });
    const back = page.waitForRequest((request) => request.isNavigationRequest() && request.url().startsWith(`${shop.url}/complete?`));
    await page.getByRole('button', { name: '결제하기', exact: true }).click();

    // The return URL as PortOne sent it, with its result in the query.
    const returnUrl = (await back).url();
    const paymentId = redirectedPaymentId(returnUrl);
    await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
    await expect(page.locator('[data-field="amount"]')).toHaveText('₩29,000');
    // PortOne's result is gone from the address (the order stays), so a reload does not complete twice.
    await expect(page).toHaveURL(`${shop.url}/complete?order=${encodeURIComponent(paymentId)}`);
    await snap(page, 'complete-phone', { fullPage: false });

    const row = orderRow(shop, paymentId)!;
    expect(row).toMatchObject({ status: 'PAID', total_amount: 29_000 });
    expect(JSON.parse(row.customer!)).toMatchObject({ phoneNumber: '01098765432' });
    expect(fulfilments(shop, paymentId)).toEqual([expect.objectContaining({ status: 'TO_SHIP', amount: 29_000 })]);
    expect(completes).toHaveLength(1);

    // The return URL once more, PortOne's query and all, in the same tab (Back, a reload before the
    // address was rewritten): this tab finished it already, so nothing is completed again, and the
    // shopper sees the order rather than a spinner.
    await page.goto(returnUrl);
    await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
    await expect(page.locator('[data-field="amount"]')).toHaveText('₩29,000');
    await expect(page).toHaveURL(`${shop.url}/complete?order=${encodeURIComponent(paymentId)}`);
    expect(completes).toHaveLength(1);

    // In another tab (no memory of it), the element completes it again: the kit answers the paid
    // order and fulfils nothing twice.
    const tab = await page.context().newPage();
    tab.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/portone/payments/complete') completes.push(request.url());
    });
    await tab.goto(returnUrl);
    await expect(tab.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
    await expect(tab.locator('[data-field="amount"]')).toHaveText('₩29,000');
    expect(completes).toHaveLength(2);
    expect(orderRow(shop, paymentId)).toMatchObject({ status: 'PAID', total_amount: 29_000 });
    expect(fulfilments(shop, paymentId)).toHaveLength(1);
    expect(paidHookRuns(shop, paymentId)).toBe(1);
  });

  test('the webhook arrives before the redirect: fulfilled once, and the shopper still sees the order', async ({ page, shop }) => {
    await fillCart(page, [{ id: 'ceramic-dripper', quantity: 1 }, { id: 'stoneware-mug', quantity: 1 }]);
    await page.goto('/checkout');
    // Hold the browser's return until PortOne's Transaction.Paid webhook has been processed.
    let heldPaymentId = '';
    await page.route(`${shop.url}/complete?**`, async (route) => {
      heldPaymentId = redirectedPaymentId(route.request().url());
      await expect
        .poll(() => query(shop, 'checkout.sqlite', "SELECT status FROM webhook_deliveries WHERE payment_id = ? AND type = 'Transaction.Paid'", heldPaymentId), { timeout: 15_000 })
        .toEqual([{ status: 'processed' }]);
      // Already paid and fulfilled from the webhook alone, before the shopper is back.
      expect(orderRow(shop, heldPaymentId)!.status).toBe('PAID');
      expect(fulfilments(shop, heldPaymentId)).toHaveLength(1);
      await route.continue();
    });
    await page.locator('[data-pay]').getByRole('button').click();
    await page.getByRole('button', { name: '결제하기', exact: true }).click();

    await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
    await expect(page.locator('[data-field="amount"]')).toHaveText('₩46,000');
    expect(heldPaymentId).not.toBe('');
    // The complete call after the webhook changed nothing: one fulfilment, one onPaid.
    expect(orderRow(shop, heldPaymentId)).toMatchObject({ status: 'PAID', total_amount: 46_000 });
    expect(fulfilments(shop, heldPaymentId)).toHaveLength(1);
    expect(paidHookRuns(shop, heldPaymentId)).toBe(1);
  });
});
