// The shop with the kit on PostgreSQL (`npm start -- --database postgres://…`): a card payment
// through the window ends PAID in PostgreSQL, and the shop's own tables stay in shop.sqlite. A shop
// of its own, on a fresh database (support/postgres.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, fillCart, paymentIdOf, paymentWindow, test } from './support/fixtures.js';
import { fulfilments, paidHookRuns } from './support/shop.js';

test.use({ shopDatabase: 'postgres' });

test('the kit on PostgreSQL: a card payment through the window is PAID there, fulfilled once; the banner names the store without its password', async ({ page, shop, postgres }) => {
  const db = postgres!;
  // The start banner says where the kit's records are, and never prints the password.
  expect(shop.output()).toMatch(/checkout store\s+PostgreSQL postgres:\/\/\S+ \(schema portone_checkout; the shop's own tables in shop\.sqlite\)/);
  if (db.password) {
    expect(shop.output()).toContain(':***@');
    expect(shop.output()).not.toContain(db.password);
  }

  await fillCart(page, [{ id: 'colombia-supremo', quantity: 1 }]);
  await page.goto('/checkout');
  const pay = page.locator('[data-pay]').getByRole('button');
  await expect(pay).toHaveAccessibleName('₩17,000 결제하기'); // ₩14,000 + ₩3,000 shipping
  await pay.click();
  await paymentWindow(page).getByRole('button', { name: '결제하기', exact: true }).click();
  await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
  const paymentId = paymentIdOf(page);

  // The kit's order is in PostgreSQL, PAID at the server's price; PortOne's webhook is recorded there too.
  const orders = () => db.query<{ status: string; total_amount: string }>('SELECT status, total_amount FROM portone_checkout.orders WHERE payment_id = $1', paymentId);
  expect(await orders()).toEqual([{ status: 'PAID', total_amount: '17000' }]);
  await expect
    .poll(() => db.query("SELECT status FROM portone_checkout.webhook_deliveries WHERE payment_id = $1 AND type = 'Transaction.Paid'", paymentId))
    .toEqual([{ status: 'processed' }]);
  // No SQLite file for the kit; the shop's fulfilment is in shop.sqlite, once.
  expect(existsSync(join(shop.dataDir, 'checkout.sqlite'))).toBe(false);
  expect(fulfilments(shop, paymentId)).toEqual([expect.objectContaining({ status: 'TO_SHIP', amount: 17_000 })]);
  expect(paidHookRuns(shop, paymentId)).toBe(1);
  // And the shopper's order list reads it back from PostgreSQL.
  await page.goto('/orders');
  await expect(page.locator(`[data-payment-id="${paymentId}"]`)).toContainText('결제 완료');
});
