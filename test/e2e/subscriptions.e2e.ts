// Phone billing: KG Inicis's billing key and first payment in one window, for the monthly class.
// (The card subscription and its scheduled charge are in subscription-schedule.e2e.ts, on a shop of their own.)
import { expect, paymentWindow, snap, test } from './support/fixtures.js';
import { memberIdOf, query, subscriptionsOf } from './support/shop.js';

test('phone billing: billing key and first payment in one KG Inicis window', async ({ page, shop }) => {
  await page.goto('/phone');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('온라인 브루잉 클래스');
  await page.getByRole('button', { name: '휴대폰으로 구독 결제' }).click();

  const window = paymentWindow(page);
  await expect(window.getByRole('heading', { name: 'KG이니시스 휴대폰 정기결제' })).toBeVisible();
  await expect(window.locator('[data-field="amount"]')).toHaveText('9,900원');
  await window.getByRole('radio', { name: 'KT', exact: true }).check();
  await snap(page, 'phone-billing-window', { fullPage: false });
  await window.getByRole('button', { name: '결제하기', exact: true }).click();

  await expect(page.getByRole('heading', { name: '클래스 구독을 시작했습니다' })).toBeVisible();
  await expect(page.locator('[data-field="first"]')).toHaveText('₩9,900 · 결제 완료');
  await expect(page.locator('[data-field="next"]')).not.toBeEmpty();
  await snap(page, 'phone-done');

  const customerId = await memberIdOf(shop, page.context());
  const [order] = query<{ payment_id: string; status: string; kind: string; billing_key: string; total_amount: number }>(
    shop,
    'checkout.sqlite',
    "SELECT * FROM orders WHERE kind = 'billing-key-and-pay' AND json_extract(customer, '$.customerId') = ?",
    customerId,
  );
  expect(order).toMatchObject({ status: 'PAID', total_amount: 9_900 });
  expect(query(shop, 'checkout.sqlite', 'SELECT status, customer_id FROM billing_keys WHERE billing_key = ?', order!.billing_key)).toEqual([{ status: 'ISSUED', customer_id: customerId }]);
  await expect.poll(() => subscriptionsOf(shop, customerId, 'class-monthly')[0]?.status).toBe('ACTIVE');
  expect(query(shop, 'shop.sqlite', 'SELECT status, amount FROM fulfilments WHERE payment_id = ?', order!.payment_id)).toEqual([{ status: 'ACCESS_GRANTED', amount: 9_900 }]);
});
