// The back office: basic auth, and refunds (partial, then the rest) from the orders table, through
// the kit's cancel() and PortOne, with the shop's fulfilment following.
import { expect, expectFitsWidth, paymentIdOf, scriptOutcome, snap, test } from './support/fixtures.js';
import { ADMIN_PASSWORD, fulfilments, orderRow } from './support/shop.js';

test('the admin page asks for its password', async ({ page }) => {
  const anonymous = await page.request.get('/admin');
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()['www-authenticate']).toContain('Basic');
  const wrong = await page.request.get('/admin/api/state', { headers: { authorization: `Basic ${Buffer.from('admin:not-it').toString('base64')}` } });
  expect(wrong.status()).toBe(401);
  const right = await page.request.get('/admin/api/state', { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` } });
  expect(right.status()).toBe(200);
});

test('refunds from the admin page: partial, too much (refused), then the rest', async ({ page, admin, shop }) => {
  // A paid order: "buy now" on the catalog, the window approving by itself.
  await page.goto('/');
  await scriptOutcome(page, 'approve');
  await page.getByRole('button', { name: '바로 구매' }).click();
  await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
  const paymentId = paymentIdOf(page);

  await admin.goto('/admin');
  const row = admin.locator(`tr[data-payment-id="${paymentId}"]`);
  await expect(row.locator('[data-cell="status"]')).toHaveText('결제 완료');
  await expect(row.locator('[data-cell="fulfilment"]')).toHaveText('출고 대기');
  // On a 1280 px screen the orders table needs no sideways scrolling: the refund buttons are all in view.
  expect(admin.viewportSize()!.width).toBe(1280);
  const orders = admin.locator('.table-wrap', { has: admin.locator('[data-orders]') });
  await expectFitsWidth(orders, row.getByRole('button', { name: '부분 환불' }));
  await expectFitsWidth(orders, row.getByRole('button', { name: '전액 환불' }));

  // Partial refund of ₩5,000.
  await row.getByRole('spinbutton').fill('5000');
  await row.getByRole('button', { name: '부분 환불' }).click();
  await expect(row.locator('[data-cell="status"]')).toHaveText('부분 환불');
  await expect(row.locator('[data-cell="refunded"]')).toHaveText('₩5,000');
  await expect(row.locator('[data-cell="fulfilment"]')).toHaveText('부분 환불됨');
  await snap(admin, 'admin-partial-refund');
  expect(orderRow(shop, paymentId)).toMatchObject({ status: 'PARTIAL_CANCELLED', cancelled_amount: 5_000, total_amount: 27_000 });
  expect(fulfilments(shop, paymentId)).toEqual([expect.objectContaining({ status: 'PARTLY_REFUNDED', refunded_amount: 5_000 })]);

  // More than is left: the kit refuses, nothing changes.
  await row.getByRole('spinbutton').fill('30000');
  await row.getByRole('button', { name: '부분 환불' }).click();
  await expect(admin.locator('[data-error]')).toContainText('처리하지 못했습니다');
  await expect(admin.locator('[data-error]')).toContainText('22000');
  expect(orderRow(shop, paymentId)).toMatchObject({ status: 'PARTIAL_CANCELLED', cancelled_amount: 5_000 });

  // The rest.
  await row.getByRole('button', { name: '전액 환불' }).click();
  await expect(row.locator('[data-cell="status"]')).toHaveText('환불 완료');
  await expect(row.locator('[data-cell="refunded"]')).toHaveText('₩27,000');
  await expect(row.getByRole('button')).toHaveCount(0);
  expect(orderRow(shop, paymentId)).toMatchObject({ status: 'CANCELLED', cancelled_amount: 27_000 });
  expect(fulfilments(shop, paymentId)).toEqual([expect.objectContaining({ status: 'REFUNDED', refunded_amount: 27_000 })]);

  // The shopper sees the refund in their orders.
  await page.goto('/orders');
  const card = page.locator(`[data-payment-id="${paymentId}"]`);
  await expect(card).toContainText('환불 완료');
  await expect(card).toContainText('₩27,000');
});
