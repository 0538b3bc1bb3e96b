// Tampering that gets past PortOne. With pre-registration (checkout.e2e.ts) the PG refuses a
// changed amount before charging; this shop starts without it (`--no-pre-register`), so the window
// charges what the page asked for and the kit's own check is what stands between that payment and
// the goods: the order is flagged, the money refunded, nothing fulfilled.
import { expect, fillCart, lastRequestId, scriptOutcome, snap, test, trackRequests } from './support/fixtures.js';
import { fulfilments, orderRow, paidHookRuns } from './support/shop.js';

test.use({ shopArgs: ['--no-pre-register'] });

test('an amount changed in the page reaches PortOne: the kit flags the order, refunds it, never fulfils it', async ({ page, admin, shop }) => {
  await trackRequests(page);
  await fillCart(page, [{ id: 'gift-set', quantity: 1 }]);
  await page.goto('/checkout');
  const pay = page.locator('[data-pay]').getByRole('button');
  await expect(pay).toHaveAccessibleName('₩69,000 결제하기');
  // Devtools open: once PortOne's SDK is loaded, ask it for ₩1,000 instead.
  await page.waitForFunction(() => 'PortOne' in window);
  await page.evaluate(() => {
    const sdk = (window as unknown as { PortOne: { requestPayment: (r: { totalAmount: number }) => Promise<unknown> } }).PortOne;
    const original = sdk.requestPayment.bind(sdk);
    sdk.requestPayment = (request) => original({ ...request, totalAmount: 1_000 });
  });
  await scriptOutcome(page, 'approve');
  await pay.click();

  // The window took ₩1,000; the kit compared PortOne's payment with the order and refused it.
  await expect(page.locator('[data-error]')).toHaveText('결제 정보가 주문과 일치하지 않아 결제를 승인하지 않았습니다. 결제된 금액은 자동으로 환불됩니다.');
  await expect(page.locator('[data-cart-count]').first()).toHaveText('1');
  await snap(page, 'checkout-flagged');

  const paymentId = await lastRequestId(page);
  const row = orderRow(shop, paymentId)!;
  expect(row).toMatchObject({ status: 'FLAGGED', total_amount: 69_000 });
  expect(JSON.parse(row.flag!)).toMatchObject({ code: 'PAYMENT_MISMATCH' });
  // The refund of what was taken: PortOne confirmed it, and the kit recorded it on the flag.
  await expect.poll(() => JSON.parse(orderRow(shop, paymentId)!.flag!).refundedAt).toEqual(expect.any(Number));
  expect(orderRow(shop, paymentId)).toMatchObject({ status: 'FLAGGED', cancelled_amount: 1_000 });
  expect(fulfilments(shop, paymentId)).toEqual([]);
  expect(paidHookRuns(shop, paymentId)).toBe(0);

  // Completing it again changes nothing.
  const again = await page.request.post('/portone/payments/complete', { data: { paymentId } });
  expect(again.status()).toBe(409);
  expect((await again.json()).code).toBe('PAYMENT_MISMATCH');
  expect(orderRow(shop, paymentId)!.status).toBe('FLAGGED');
  expect(fulfilments(shop, paymentId)).toEqual([]);

  // What the shopper sees of it later: the complete page and their orders say it was refused and refunded.
  await page.goto(`/complete?order=${encodeURIComponent(paymentId)}`);
  await expect(page.getByRole('heading', { name: '결제하지 못했습니다' })).toBeVisible();
  await expect(page.locator('[data-view="failed"] [data-message]')).toHaveText('결제 정보가 주문과 일치하지 않아 결제를 취소하고 환불했습니다.');
  await snap(page, 'complete-flagged');
  await page.goto('/orders');
  await expect(page.locator(`[data-payment-id="${paymentId}"]`)).toContainText('확인 필요 (자동 환불)');

  // The admin sees it flagged, with the reason, and nothing to ship.
  await admin.goto('/admin');
  const adminRow = admin.locator(`tr[data-payment-id="${paymentId}"]`);
  await expect(adminRow.locator('[data-cell="status"]')).toContainText('확인 필요 (자동 환불)');
  await expect(adminRow.locator('[data-cell="status"]')).toContainText('PAYMENT_MISMATCH');
  await expect(adminRow.locator('[data-cell="fulfilment"]')).toHaveText('—');
  await expect(adminRow.getByRole('button')).toHaveCount(0);
});
