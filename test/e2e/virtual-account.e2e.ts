// Virtual account (무통장입금): the window issues an account, the shopper waits on a page that
// shows it, and when the deposit arrives (the admin's sandbox "deposit" button) the page turns to
// "paid" by itself, through PortOne's webhook and the kit.
import { expect, fillCart, paymentIdOf, paymentWindow, snap, test, watchOrderReads } from './support/fixtures.js';
import { fulfilments, orderRow, paidHookRuns } from './support/shop.js';

test('virtual account: issued, then deposited, and the waiting page turns paid by itself', async ({ page, admin, browser, shop }) => {
  const reads = watchOrderReads(page);
  await fillCart(page, [{ id: 'house-blend', quantity: 2 }]);
  await page.goto('/checkout');
  await page.getByRole('radio', { name: '가상계좌 (무통장입금)' }).check();
  await expect(page.getByText('가상계좌는 발급 후 7일 안에 입금하면 결제가 완료됩니다.')).toBeVisible();
  await page.locator('[data-pay]').getByRole('button').click();

  const window = paymentWindow(page);
  await expect(window.locator('[data-field="method"]')).toHaveText('가상계좌');
  await window.getByLabel('은행 선택').selectOption('KOOKMIN');
  await window.getByRole('button', { name: '결제하기', exact: true }).click();

  // The waiting page shows where to deposit.
  await expect(page).toHaveURL(/\/waiting\?order=/);
  const paymentId = paymentIdOf(page);
  await expect(page.getByRole('heading', { name: '입금을 기다리고 있습니다' })).toBeVisible();
  await expect(page.locator('[data-field="bank"]')).toHaveText('KB국민은행');
  await expect(page.locator('[data-field="account"]')).toHaveText(/\d{6,}/);
  await expect(page.locator('[data-field="amount"]')).toHaveText('₩48,000');
  await expect(page.locator('[data-field="deadline"]')).not.toBeEmpty();
  await snap(page, 'waiting', { readme: 'waiting' });
  expect(orderRow(shop, paymentId)).toMatchObject({ status: 'VIRTUAL_ACCOUNT_ISSUED', pay_method: 'VIRTUAL_ACCOUNT' });
  expect(fulfilments(shop, paymentId)).toEqual([]);

  // The account is the member's: someone else with the page's address sees no account number.
  const stranger = await browser.newContext({ baseURL: shop.url });
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(page.url());
  await expect(strangerPage.getByRole('heading', { name: '주문을 찾을 수 없습니다.' })).toBeVisible();
  await expect(strangerPage.locator('[data-view="waiting"]')).toBeHidden();
  await expect(strangerPage.locator('body')).not.toContainText(await page.locator('[data-field="account"]').innerText());
  await stranger.close();

  // "My orders" offers the account again.
  const orders = await page.context().newPage();
  await orders.goto('/orders');
  await expect(orders.locator(`[data-payment-id="${paymentId}"]`)).toContainText('입금 대기');
  await orders.close();

  // The shop's admin presses the sandbox's "deposit" (the shopper paying at the bank).
  await admin.goto('/admin');
  const row = admin.locator(`tr[data-payment-id="${paymentId}"]`);
  await expect(row.locator('[data-cell="status"]')).toHaveText('입금 대기');
  await row.getByRole('button', { name: '입금 처리' }).click();
  await expect(row.locator('[data-cell="status"]')).toHaveText('결제 완료');

  // The waiting page was never touched: it polls the kit and turns paid on its own.
  await expect(page.getByRole('heading', { name: '입금이 확인되었습니다' })).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('[data-field="paidAmount"]')).toHaveText('₩48,000');
  await snap(page, 'waiting-paid');
  expect(orderRow(shop, paymentId)).toMatchObject({ status: 'PAID', total_amount: 48_000 });
  expect(fulfilments(shop, paymentId)).toEqual([expect.objectContaining({ status: 'TO_SHIP', amount: 48_000 })]);
  expect(paidHookRuns(shop, paymentId)).toBe(1);
  // The page asked the shop for the member's own order, never the kit's open GET /portone/payments/{id}.
  expect(reads.mine.length).toBeGreaterThan(1);
  expect(reads.kit).toEqual([]);
});
