// Desktop checkout: the shopper browses, fills the cart, and pays in the KG Inicis window the
// sandbox opens over the page (an iframe). Each test checks what the shopper sees and what the
// kit's and the shop's databases hold.
import { expect, fillCart, lastRequestId, paymentIdOf, paymentWindow, scriptOutcome, snap, test, trackRequests } from './support/fixtures.js';
import { fulfilments, memberIdOf, orderRow, paidHookRuns, query } from './support/shop.js';

test.describe('desktop checkout', () => {
  test('card payment through the payment window: paid, verified, fulfilled once', async ({ page, shop }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('이번 주 볶은 커피');
    await snap(page, 'catalog-desktop', { readme: 'catalog' });

    // Browse: the product page, two bags into the cart.
    await page.getByRole('link', { name: '에티오피아 예가체프 원두 200g' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('에티오피아 예가체프 원두 200g');
    await expect(page.locator('[data-field="price"]')).toHaveText('₩16,000');
    await page.getByLabel('수량').fill('2');
    await page.getByRole('button', { name: '장바구니 담기' }).click();
    await expect(page.getByText('장바구니에 담았습니다.').first()).toBeVisible();
    await snap(page, 'product');

    await page.getByRole('link', { name: /장바구니로 가기/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('장바구니');
    await expect(page.locator('.grand-total dd')).toHaveText('₩32,000'); // free shipping from ₩30,000
    await snap(page, 'cart');
    await page.getByRole('link', { name: '주문하기' }).click();

    // Checkout: the member's details are prefilled; the shopper changes the name.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('주문·결제');
    await page.getByLabel('이름').fill('이지은');
    await page.getByLabel('이름').blur();
    await expect(page.getByRole('radio', { name: '신용·체크카드' })).toBeChecked();
    const pay = page.locator('[data-pay]').getByRole('button');
    await expect(pay).toHaveAccessibleName('₩32,000 결제하기');
    await snap(page, 'checkout', { readme: 'checkout' });

    // The KG Inicis window (sandbox) opens over the page; the shopper picks a card and pays.
    await pay.click();
    const window = paymentWindow(page);
    await expect(window.getByRole('heading', { name: 'KG이니시스 결제하기' })).toBeVisible();
    await expect(window.locator('[data-field="amount"]')).toHaveText('32,000원');
    await expect(window.locator('[data-field="store"]')).toHaveText('달빛 커피 로스터스');
    await window.getByRole('radio', { name: '신한카드' }).check();
    await snap(page, 'payment-window', { fullPage: false, readme: 'payment-window' });
    await window.getByRole('button', { name: '결제하기', exact: true }).click();

    await expect(page).toHaveURL(/\/complete\?order=/);
    const order = { paymentId: paymentIdOf(page) };
    await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
    await expect(page.locator('[data-field="amount"]')).toHaveText('₩32,000');
    await expect(page.locator('[data-field="status"]')).toHaveText('결제 완료');
    await expect(page.getByText('에티오피아 예가체프 원두 200g × 2')).toBeVisible();
    await expect(page.locator('[data-cart-count]').first()).toHaveText('0');
    await snap(page, 'complete', { readme: 'complete' });

    // The database: the kit's order is PAID for the server's price, and the shop fulfilled it once.
    const row = orderRow(shop, order.paymentId)!;
    expect(row).toMatchObject({ status: 'PAID', total_amount: 32_000, pay_method: 'CARD', kind: 'payment' });
    expect(JSON.parse(row.customer!)).toMatchObject({ fullName: '이지은' });
    expect(fulfilments(shop, order.paymentId)).toEqual([expect.objectContaining({ status: 'TO_SHIP', amount: 32_000 })]);
    // The Transaction.Paid webhook arrives too; the order is still fulfilled exactly once.
    await expect.poll(() => query(shop, 'checkout.sqlite', "SELECT status FROM webhook_deliveries WHERE payment_id = ? AND type = 'Transaction.Paid'", order.paymentId)).toEqual([{ status: 'processed' }]);
    expect(paidHookRuns(shop, order.paymentId)).toBe(1);

    // "My orders" lists it.
    await page.getByRole('link', { name: '주문 내역 보기' }).click();
    const card = page.locator(`[data-payment-id="${order.paymentId}"]`);
    await expect(card).toContainText('결제 완료');
    await expect(card).toContainText('₩32,000');
    await snap(page, 'my-orders');
  });

  test('editing the form prepares afresh: the paid order is the last one priced, every order the signed-in member’s whatever the page claims', async ({ page, shop }) => {
    const prepared: { paymentId: string; totalAmount: number }[] = [];
    page.on('response', async (response) => {
      if (new URL(response.url()).pathname === '/portone/payments/prepare' && response.ok()) prepared.push(await response.json());
    });
    await fillCart(page, [{ id: 'house-blend', quantity: 1 }]);
    const memberId = await memberIdOf(shop, page.context());
    await page.goto('/checkout');
    const pay = page.locator('[data-pay]').getByRole('button');
    await expect.poll(() => prepared.length).toBeGreaterThan(0);
    const [first] = prepared;
    // A page script claims another member's id; the shopper edits the form and switches method.
    await page.locator('portone-payment-button[data-pay]').evaluate((element) => element.setAttribute('customer-id', 'mem_SomeoneElse0000000000'));
    await page.getByLabel('이름').fill('최수정');
    await page.getByLabel('이름').blur();
    await page.getByRole('radio', { name: '실시간 계좌이체' }).check();
    // An order's price and details never change: the edits made new orders, the first one is untouched.
    await expect.poll(() => query(shop, 'checkout.sqlite', `SELECT COUNT(*) AS n FROM orders WHERE customer_id = ? AND pay_method = 'TRANSFER'`, memberId)).toEqual([{ n: 1 }]);
    const latest = prepared.at(-1)!;
    expect(latest.paymentId).not.toBe(first!.paymentId);
    expect(orderRow(shop, first!.paymentId)).toMatchObject({ status: 'PENDING', revision: 0, customer_id: memberId });
    expect(orderRow(shop, latest.paymentId)).toMatchObject({ status: 'PENDING', pay_method: 'TRANSFER', customer_id: memberId });
    expect(JSON.parse(orderRow(shop, latest.paymentId)!.customer!).fullName).toBe('최수정');
    expect(query(shop, 'checkout.sqlite', 'SELECT COUNT(*) AS n FROM orders WHERE customer_id = ?', 'mem_SomeoneElse0000000000')).toEqual([{ n: 0 }]);

    await scriptOutcome(page, 'approve');
    await pay.click();
    await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
    expect(paymentIdOf(page)).toBe(latest.paymentId);
    expect(orderRow(shop, latest.paymentId)).toMatchObject({ status: 'PAID', pay_method: 'TRANSFER', customer_id: memberId });
    expect(fulfilments(shop, latest.paymentId)).toEqual([expect.objectContaining({ customer_id: memberId })]);
    expect(fulfilments(shop, first!.paymentId)).toEqual([]);
    // What the member paid with is their profile now: the next checkout starts from it.
    await fillCart(page, [{ id: 'house-blend', quantity: 1 }]);
    await page.goto('/checkout');
    await expect(page.getByLabel('이름')).toHaveValue('최수정');
  });

  test('the shopper closes the window: told so, nothing paid or fulfilled', async ({ page, shop }) => {
    await trackRequests(page);
    await fillCart(page, [{ id: 'house-blend', quantity: 1 }]);
    await page.goto('/checkout');
    const pay = page.locator('[data-pay]').getByRole('button');
    await pay.click();
    const paymentId = await lastRequestId(page);
    await paymentWindow(page).getByRole('button', { name: '취소', exact: true }).click();

    await expect(page.locator('[data-notice]')).toHaveText('결제를 취소했습니다. 다시 시도할 수 있습니다.');
    await expect(page.locator('iframe[data-portone-sandbox]')).toHaveCount(0);
    await expect(pay).toBeEnabled();
    await snap(page, 'checkout-cancelled');
    // The cart is still there for another try; no order was paid or fulfilled.
    await expect(page.locator('[data-cart-count]').first()).toHaveText('1');
    // The kit recorded the cancelled attempt as FAILED (a missing row would not do).
    await expect.poll(() => orderRow(shop, paymentId)?.status).toBe('FAILED');
    expect(fulfilments(shop, paymentId)).toEqual([]);
    expect(paidHookRuns(shop, paymentId)).toBe(0);
  });

  test('the card company declines: the PG message is shown, the order fails, nothing fulfilled', async ({ page, shop }) => {
    await trackRequests(page);
    await fillCart(page, [{ id: 'stoneware-mug', quantity: 1 }]);
    await page.goto('/checkout');
    const pay = page.locator('[data-pay]').getByRole('button');
    await expect(pay).toHaveAccessibleName('₩21,000 결제하기'); // ₩18,000 + ₩3,000 shipping
    // The window's own "simulate a decline" panel, clicked like a tester would.
    await pay.click();
    const window = paymentWindow(page);
    await window.getByText('PortOne 샌드박스').click();
    await window.getByLabel('승인 거절 시뮬레이션').selectOption('V005');
    await window.getByRole('button', { name: '거절 처리' }).click();

    await expect(page.locator('[data-error]')).toContainText('카드 한도가 초과되었습니다.');
    await snap(page, 'checkout-declined');
    // PortOne's Transaction.Failed webhook tells the kit; the order fails and nothing ships.
    const paymentId = await lastRequestId(page);
    await expect.poll(() => orderRow(shop, paymentId)?.status).toBe('FAILED');
    expect(JSON.parse(String(query(shop, 'checkout.sqlite', 'SELECT failure FROM orders WHERE payment_id = ?', paymentId)[0]!.failure))).toMatchObject({ pgCode: 'V005' });
    expect(fulfilments(shop, paymentId)).toEqual([]);
  });

  test('tampering: the amount is changed in the page before paying; rejected, not fulfilled', async ({ page, shop }) => {
    await trackRequests(page);
    await fillCart(page, [{ id: 'gift-set', quantity: 1 }]);
    await page.goto('/checkout');
    const pay = page.locator('[data-pay]').getByRole('button');
    // A shopper with the devtools open: once PortOne's SDK is loaded, rewrite the amount on its way in.
    await page.waitForFunction(() => 'PortOne' in window);
    await page.evaluate(() => {
      const sdk = (window as unknown as { PortOne: { requestPayment: (r: { totalAmount: number }) => Promise<unknown> } }).PortOne;
      const original = sdk.requestPayment.bind(sdk);
      sdk.requestPayment = (request) => original({ ...request, totalAmount: 100 });
    });
    await scriptOutcome(page, 'approve');
    await pay.click();

    // The amount the kit registered with PortOne before the click does not match: the window never charges.
    await expect(page.locator('[data-error]')).toContainText('사전 등록된 결제 정보와 일치하지 않습니다');
    await snap(page, 'checkout-tampered');
    const paymentId = await lastRequestId(page);
    const row = orderRow(shop, paymentId)!;
    expect(row.status).not.toBe('PAID');
    expect(row.total_amount).toBe(69_000);
    expect(fulfilments(shop, paymentId)).toEqual([]);
    expect(paidHookRuns(shop, paymentId)).toBe(0);
    // And completing it anyway is refused: PortOne has no paid payment for it.
    const answer = await page.request.post('/portone/payments/complete', { data: { paymentId } });
    expect(answer.status()).toBeGreaterThanOrEqual(400);
    expect(orderRow(shop, paymentId)!.status).not.toBe('PAID');
    expect(fulfilments(shop, paymentId)).toEqual([]);
  });

  for (const [method, label, shown] of [
    ['TRANSFER', '실시간 계좌이체', '계좌이체'],
    ['MOBILE', '휴대폰 소액결제', '휴대폰'],
    ['EASY_PAY', '간편결제 (카카오페이·네이버페이 등)', '간편결제'],
  ] as const) {
    test(`pay by ${method}: the other methods the checkout offers`, async ({ page, shop }) => {
      await fillCart(page, [{ id: 'drip-bag-10', quantity: 1 }]);
      await page.goto('/checkout');
      await page.getByRole('radio', { name: label }).check();
      await scriptOutcome(page, 'approve');
      await page.locator('[data-pay]').getByRole('button').click();
      await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
      await expect(page.locator('[data-field="method"]')).toHaveText(shown);
      const paymentId = paymentIdOf(page);
      expect(orderRow(shop, paymentId)).toMatchObject({ status: 'PAID', pay_method: method, total_amount: 15_000 });
      expect(fulfilments(shop, paymentId)).toHaveLength(1);
    });
  }

  test('drop-in catalog: the plain-HTML "buy now" button pays with the member details', async ({ page, shop }) => {
    await page.goto('/');
    await scriptOutcome(page, 'approve');
    await page.getByRole('button', { name: '바로 구매' }).click();
    await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
    const order = { paymentId: paymentIdOf(page) };
    await expect(page.locator('[data-field="amount"]')).toHaveText('₩27,000'); // ₩24,000 + ₩3,000 shipping
    expect(orderRow(shop, order.paymentId)).toMatchObject({ status: 'PAID', total_amount: 27_000 });
    expect(JSON.parse(orderRow(shop, order.paymentId)!.customer!)).toMatchObject({ fullName: '김달빛', email: 'dalbit@example.com' });
    expect(fulfilments(shop, order.paymentId)).toHaveLength(1);
  });
});
