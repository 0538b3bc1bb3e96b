// The small batch (한정판): sold through the sandbox's manual-approval channel, so the window answers
// with a token, the kit asks the shop's reserve — which takes it from stock in shop.sqlite — and only
// then confirms the payment with PortOne. Bought on a desktop (the window over the page) and on a
// phone (the redirect), and the last one raced by two shoppers: one pays, the other reads the shop's
// sold-out words in the page's alert and is never charged.
import { devices, type Page } from '@playwright/test';
import { expect, fillCart, lastRequestId, paymentIdOf, paymentWindow, snap, test, trackRequests } from './support/fixtures.js';
import { ADMIN_PASSWORD, fulfilments, orderRow, paidHookRuns, query, type RunningShop } from './support/shop.js';

const LIMITED = 'geisha-small-batch';
const SOLD_OUT = '품절되었습니다. 마지막 수량이 방금 다른 분께 판매되었습니다. 결제는 청구되지 않았습니다.';

/** The admin's restock, through its API: how many are left now. */
async function setStock(page: Page, available: number): Promise<void> {
  const answer = await page.request.post(`/admin/api/stock/${LIMITED}`, {
    data: { available },
    headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
  });
  expect(answer.status(), await answer.text()).toBe(200);
}

const stockLeft = (shop: RunningShop): number => query<{ available: number }>(shop, 'shop.sqlite', 'SELECT available FROM stock WHERE product_id = ?', LIMITED)[0]!.available;
const heldFor = (shop: RunningShop, paymentId: string) =>
  query<{ released_at: number | null }>(shop, 'shop.sqlite', 'SELECT released_at FROM reservations WHERE reservation_id = ?', `reserve:${paymentId}`);

/** PortOne's own record of a payment (the sandbox's state, read with its control token): did money move? */
async function portOneStatus(shop: RunningShop, paymentId: string): Promise<string | undefined> {
  const answer = await fetch(`${shop.sandboxUrl}/sandbox/state`, { headers: { 'x-portone-sandbox-token': shop.sandboxToken } });
  const state = (await answer.json()) as { payments: { id: string; status: string }[] };
  return state.payments.find((payment) => payment.id === paymentId)?.status;
}

/** The prepare answers a page received (paymentId, and the channel the kit chose). */
function watchPrepares(page: Page): { paymentId: string; channelKey?: string }[] {
  const prepared: { paymentId: string; channelKey?: string }[] = [];
  page.on('response', async (response) => {
    if (new URL(response.url()).pathname === '/portone/payments/prepare' && response.ok()) prepared.push(await response.json());
  });
  return prepared;
}

test('on a desktop: the window answers with a token, the shop holds one from stock, the kit confirms; PAID and one fewer left', async ({ page, shop }) => {
  await setStock(page, 3);
  await page.goto(`/products/${LIMITED}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('한정판 파나마 게이샤 원두 100g');
  await expect(page.locator('[data-field="stock"]')).toHaveText('남은 수량: 3개');
  const prepared = watchPrepares(page);
  const completes: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/portone/payments/complete') completes.push(request.postData() ?? '');
  });
  await page.getByRole('button', { name: '바로 구매하기' }).click();
  await expect(page).toHaveURL(/\/checkout$/);
  const pay = page.locator('[data-pay]').getByRole('button');
  await expect(pay).toHaveAccessibleName('₩38,000 결제하기'); // free shipping from ₩30,000
  await pay.click();
  await paymentWindow(page).getByRole('button', { name: '결제하기', exact: true }).click();
  await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
  const paymentId = paymentIdOf(page);

  // The manual-approval channel: the kit named it for this order, and the window answered with a token.
  const usual = (await (await page.request.post('/portone/payments/prepare', { data: { items: [{ id: 'drip-bag-10', quantity: 1 }] } })).json()) as { channelKey: string };
  const limited = prepared.find((answer) => answer.paymentId === paymentId)!;
  expect(limited.channelKey).toBeTruthy();
  expect(limited.channelKey).not.toBe(usual.channelKey);
  expect(completes.map((body) => JSON.parse(body) as { paymentToken?: string }).filter((body) => body.paymentToken)).toHaveLength(1);

  expect(orderRow(shop, paymentId)).toMatchObject({ status: 'PAID', total_amount: 38_000 });
  expect(await portOneStatus(shop, paymentId)).toBe('PAID');
  expect(heldFor(shop, paymentId)).toEqual([{ released_at: null }]);
  expect(stockLeft(shop)).toBe(2);
  expect(fulfilments(shop, paymentId)).toHaveLength(1);
  expect(paidHookRuns(shop, paymentId)).toBe(1);
  await page.goto(`/products/${LIMITED}`);
  await expect(page.locator('[data-field="stock"]')).toHaveText('남은 수량: 2개');
});

/** A phone's viewport, touch and user agent (its browser type would force a worker, and a shop, of its own). */
const { defaultBrowserType: _, ...PIXEL_7 } = devices['Pixel 7'];

test.describe('on a phone', () => {
  test.use(PIXEL_7);

  test('the redirect carries the token back to /complete, where the element completes it: PAID, one fewer left', async ({ page, shop }) => {
    await setStock(page, 2);
    await fillCart(page, [{ id: LIMITED, quantity: 1 }]);
    await page.goto('/checkout');
    await page.locator('[data-pay]').getByRole('button').click();
    await expect(page).toHaveURL(new RegExp(`^${shop.sandboxUrl}/checkout/window/`));
    const back = page.waitForRequest((request) => request.isNavigationRequest() && request.url().startsWith(`${shop.url}/complete?`));
    await page.getByRole('button', { name: '결제하기', exact: true }).click();
    const returned = new URL((await back).url());
    expect(returned.searchParams.get('paymentToken'), 'the manual approval’s token comes back in the query').toBeTruthy();
    const paymentId = returned.searchParams.get('paymentId')!;

    await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
    await expect(page.locator('[data-field="amount"]')).toHaveText('₩38,000');
    // The token is a credential: it leaves the address bar with the rest of PortOne's query.
    await expect(page).toHaveURL(`${shop.url}/complete?order=${encodeURIComponent(paymentId)}`);
    expect(orderRow(shop, paymentId)).toMatchObject({ status: 'PAID', total_amount: 38_000 });
    expect(await portOneStatus(shop, paymentId)).toBe('PAID');
    expect(stockLeft(shop)).toBe(1);
    expect(fulfilments(shop, paymentId)).toHaveLength(1);
  });
});

test('the last one, two shoppers approving at once: one is PAID, the other reads the shop’s sold-out words and is never charged', async ({ page, browser, shop }) => {
  await setStock(page, 1);
  const shoppers: Page[] = [];
  for (let i = 0; i < 2; i++) {
    const shopper = await (await browser.newContext({ baseURL: shop.url })).newPage();
    await trackRequests(shopper);
    await fillCart(shopper, [{ id: LIMITED, quantity: 1 }]);
    await shopper.goto('/checkout');
    // Both see one left, and both get as far as the window.
    await shopper.locator('[data-pay]').getByRole('button').click();
    await expect(paymentWindow(shopper).getByRole('button', { name: '결제하기', exact: true })).toBeVisible();
    shoppers.push(shopper);
  }
  const ids = await Promise.all(shoppers.map((shopper) => lastRequestId(shopper)));
  await Promise.all(shoppers.map((shopper) => paymentWindow(shopper).getByRole('button', { name: '결제하기', exact: true }).click()));

  /** Where each shopper ends: the complete page, or the status line saying sold out. */
  const outcome = async (shopper: Page): Promise<'paid' | 'refused' | undefined> => {
    if (shopper.url().includes('/complete?order=')) return 'paid';
    const status = await shopper.locator('[data-pay] [part="status"]').textContent({ timeout: 1_000 }).catch(() => '');
    return status === SOLD_OUT ? 'refused' : undefined;
  };
  await expect.poll(async () => (await Promise.all(shoppers.map(outcome))).sort(), { timeout: 30_000 }).toEqual(['paid', 'refused']);
  const outcomes = await Promise.all(shoppers.map(outcome));
  const winner = outcomes.indexOf('paid');
  const loser = outcomes.indexOf('refused');

  await expect(shoppers[winner]!.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
  expect(orderRow(shop, ids[winner]!)).toMatchObject({ status: 'PAID' });
  expect(await portOneStatus(shop, ids[winner]!)).toBe('PAID');

  // The loser: the shop's words in the page's alert (no developer's message anywhere on the page),
  // the order FAILED as refused, and PortOne never confirmed it — no money moved.
  const refused = shoppers[loser]!;
  await expect(refused.locator('[data-pay] [part="status"]')).toHaveText(SOLD_OUT);
  await expect(refused.locator('[data-error]')).toBeVisible();
  await expect(refused.locator('[data-error]')).toHaveText(SOLD_OUT);
  await expect(refused.locator('body')).not.toContainText('the shop refused');
  await snap(refused, 'limited-sold-out');
  const refusedOrder = orderRow(shop, ids[loser]!)!;
  expect(refusedOrder.status).toBe('FAILED');
  expect(JSON.parse(String(query(shop, 'checkout.sqlite', 'SELECT failure FROM orders WHERE payment_id = ?', ids[loser])[0]!.failure))).toMatchObject({ code: 'RESERVATION_REFUSED', shopperMessage: SOLD_OUT });
  expect(await portOneStatus(shop, ids[loser]!)).toBe('READY');
  expect(fulfilments(shop, ids[loser]!)).toEqual([]);
  // Nothing was held for it, so its release gives nothing back: the last one stays sold.
  await expect.poll(() => query(shop, 'checkout.sqlite', "SELECT status FROM events WHERE type = 'release' AND payment_id = ?", ids[loser])).toEqual([{ status: 'done' }]);
  expect(heldFor(shop, ids[loser]!)).toEqual([]);
  expect(stockLeft(shop)).toBe(0);

  // And the product page says so.
  await refused.goto(`/products/${LIMITED}`);
  await expect(refused.locator('[data-field="stock"]')).toHaveText('품절');
  await expect(refused.getByRole('button', { name: '장바구니 담기' })).toBeDisabled();
  for (const shopper of shoppers) await shopper.context().close();
});
