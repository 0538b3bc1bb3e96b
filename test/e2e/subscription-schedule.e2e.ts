// A card subscription: the billing key for the monthly coffee plan, the first month charged at once,
// the next one scheduled with PortOne and charged when the sandbox clock reaches it. "Run due
// schedules" moves that clock a month ahead, so this test has a shop of its own whose clock moves
// only when told: every other test's dates, and their screenshots, stay on today.
import { expect, paymentWindow, snap, snapPart, test, watchOrderReads } from './support/fixtures.js';
import { fulfilledCount, memberIdOf, paidOrdersOf, query, subscriptionsOf } from './support/shop.js';

test.use({ shopArgs: ['--sandbox-clock', 'manual'] });

test('card subscription: first month charged now, the next one charged when its schedule comes due', async ({ page, admin, shop }) => {
  const reads = watchOrderReads(page);
  await page.goto('/subscribe');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('월간 원두 정기배송');
  await expect(page.locator('[data-field="price"]')).toHaveText('₩19,900');
  await page.getByLabel('이름').fill('박서준');
  await page.getByLabel('이름').blur();
  await snap(page, 'subscribe');

  await page.getByRole('button', { name: '카드 등록하고 구독 시작' }).click();
  const window = paymentWindow(page);
  await expect(window.getByRole('heading', { name: 'KG이니시스 카드 등록 (정기결제)' })).toBeVisible();
  await expect(window.locator('[data-field="amount"]')).toHaveText('19,900원');
  await window.getByRole('radio', { name: 'KB국민카드' }).check();
  await window.getByRole('button', { name: '등록하기' }).click();

  // The kit verified the key, charged the first month and scheduled the next.
  await expect(page.getByRole('heading', { name: '구독을 시작했습니다' })).toBeVisible();
  await expect(page.locator('[data-field="first"]')).toHaveText('₩19,900 · 결제 완료');
  await expect(page.locator('[data-field="next"]')).not.toBeEmpty();
  await expect(page.locator('[data-field="status"]')).toHaveText('구독 중');
  await snap(page, 'subscribe-done', { readme: 'subscription' });
  // Following the first charge reads the member's own order, never the kit's open GET /portone/payments/{id}.
  expect(reads.kit).toEqual([]);

  const customerId = await memberIdOf(shop, page.context());
  await expect.poll(() => subscriptionsOf(shop, customerId, 'beans-monthly')[0]?.status).toBe('ACTIVE');
  const [subscription] = subscriptionsOf(shop, customerId, 'beans-monthly');
  expect(subscription!.paid_periods).toBe(1);
  const firstPaid = paidOrdersOf(shop, subscription!.id);
  expect(firstPaid).toEqual([expect.objectContaining({ total_amount: 19_900 })]);
  expect(fulfilledCount(shop, firstPaid.map((o) => o.payment_id))).toBe(1);
  expect(query(shop, 'checkout.sqlite', 'SELECT status FROM billing_keys WHERE billing_key = ?', subscription!.billing_key)).toEqual([{ status: 'ISSUED' }]);
  // The next month waits as a PortOne schedule.
  await admin.goto('/admin');
  const scheduled = admin.locator(`tr[data-schedule-id]`, { hasText: subscription!.next_payment_id! });
  await expect(scheduled).toContainText('SCHEDULED');
  await expect(admin.locator(`tr[data-subscription-id="${subscription!.id}"] [data-cell="periods"]`)).toHaveText('1');

  // The admin moves the sandbox clock to the due time: PortOne charges the key, the webhook tells the kit.
  await admin.getByRole('button', { name: '예약 결제 실행' }).click();
  await expect(admin.locator('[data-notice]')).toHaveText('처리했습니다.');
  await expect(scheduled).toContainText('SUCCEEDED');
  await expect(admin.locator(`tr[data-subscription-id="${subscription!.id}"] [data-cell="periods"]`)).toHaveText('2');
  await snap(admin, 'admin-after-schedule');
  await snapPart(admin.locator('section', { has: admin.locator('#schedules-title') }), 'admin-schedules', { readme: 'admin-schedules' });

  await expect.poll(() => subscriptionsOf(shop, customerId, 'beans-monthly')[0]!.paid_periods).toBe(2);
  const after = subscriptionsOf(shop, customerId, 'beans-monthly')[0]!;
  expect(after.status).toBe('ACTIVE');
  expect(after.next_charge_at).toBeGreaterThan(subscription!.next_charge_at!);
  const paid = paidOrdersOf(shop, subscription!.id);
  expect(paid).toHaveLength(2);
  expect(paid.every((o) => o.total_amount === 19_900)).toBe(true);
  expect(fulfilledCount(shop, paid.map((o) => o.payment_id))).toBe(2);

  // The shopper sees both charges and the next date.
  await page.goto('/orders');
  await expect(page.locator(`[data-subscription-id="${subscription!.id}"]`)).toContainText('구독 중');
  await expect(page.locator(`[data-subscription-id="${subscription!.id}"]`)).toContainText('2');
  for (const order of paid) await expect(page.locator(`[data-payment-id="${order.payment_id}"]`)).toContainText('결제 완료');
  await snap(page, 'my-orders-subscription');
});
