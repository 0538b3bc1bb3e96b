// Every page of the shop, scanned with axe in the state a shopper sees it (no serious or critical
// violations), and the English switch.
import { expect, expectAccessible, expectFitsWidth, fillCart, paymentWindow, scriptOutcome, snap, test } from './support/fixtures.js';

// An axe scan takes a few seconds on a busy two-core machine; these tests run a dozen.
test.describe.configure({ timeout: 150_000 });

test('every shopping page passes an axe scan', async ({ page }) => {
  await page.goto('/');
  await expectAccessible(page, 'catalog');
  await page.goto('/products/ceramic-dripper');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('세라믹 드리퍼 (1~2인용)');
  await expectAccessible(page, 'product');
  await page.goto('/products/no-such-thing');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('상품을 찾을 수 없습니다.');
  await expectAccessible(page, 'unknown product');

  await page.goto('/cart');
  await expect(page.getByText('장바구니가 비어 있습니다.')).toBeVisible();
  await expectAccessible(page, 'empty cart');
  await fillCart(page, [{ id: 'drip-bag-10', quantity: 3 }, { id: 'stoneware-mug', quantity: 1 }]);
  await page.goto('/cart');
  await expectAccessible(page, 'cart');
  await page.goto('/checkout');
  await expect(page.locator('[data-pay]').getByRole('button')).toBeEnabled();
  await expectAccessible(page, 'checkout');

  // A virtual account on its waiting page…
  await page.getByRole('radio', { name: '가상계좌 (무통장입금)' }).check();
  await scriptOutcome(page, 'approve');
  await page.locator('[data-pay]').getByRole('button').click();
  await expect(page.getByRole('heading', { name: '입금을 기다리고 있습니다' })).toBeVisible();
  await expectAccessible(page, 'virtual-account waiting');

  // …and a paid order on the complete page.
  await page.goto('/');
  await scriptOutcome(page, 'approve');
  await page.getByRole('button', { name: '바로 구매' }).click();
  await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
  await expectAccessible(page, 'order complete');

  await page.goto('/orders');
  await expect(page.locator('[data-orders] li')).toHaveCount(2);
  await expectAccessible(page, 'my orders');
});

test('the subscription pages and the admin page pass an axe scan', async ({ page, admin }) => {
  await page.goto('/subscribe');
  await expectAccessible(page, 'subscription');
  await page.goto('/phone');
  await expectAccessible(page, 'phone billing');

  await admin.goto('/admin');
  await expect(admin.locator('tr[data-payment-id]').first()).toBeVisible();
  // With every order the run made so far, the orders table still fits 1280 px.
  const refundable = admin.locator('tr[data-payment-id]', { has: admin.getByRole('button', { name: '부분 환불' }) });
  await expect(refundable.first()).toBeVisible();
  const orders = admin.locator('.table-wrap', { has: admin.locator('[data-orders]') });
  for (const button of await orders.getByRole('button', { name: '부분 환불' }).all()) await expectFitsWidth(orders, button);
  await expectAccessible(admin, 'admin');
  await snap(admin, 'admin');
});

test('English: the switch translates the pages, the elements and the payment window', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Switch to English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Roasted this week');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Buy now' })).toBeVisible();
  await expectAccessible(page, 'catalog (English)');
  await snap(page, 'catalog-english');

  await fillCart(page, [{ id: 'gift-set', quantity: 1 }]);
  await page.goto('/checkout');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Checkout');
  await expect(page.getByRole('textbox', { name: 'Mobile phone' })).toHaveValue('010-1234-5678');
  const pay = page.locator('[data-pay]').getByRole('button');
  await expect(pay).toHaveAccessibleName('₩69,000 Pay');
  await expectAccessible(page, 'checkout (English)');
  await pay.click();
  // The element asks PortOne for an English window (locale EN_US).
  await expect(paymentWindow(page).getByRole('heading', { name: 'KG이니시스 Payment' })).toBeVisible();
  await snap(page, 'payment-window-english', { fullPage: false });
  await paymentWindow(page).getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.locator('[data-notice]')).toHaveText('You cancelled the payment. You can try again.');

  await page.getByRole('link', { name: '한국어로 보기' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('주문·결제');
});

test('the language switch only ever goes back to a page of this shop', async ({ page, shop }) => {
  const locationAfter = async (back: string): Promise<string | undefined> => {
    const answer = await page.request.get(`/lang/en?back=${encodeURIComponent(back)}`, { maxRedirects: 0 });
    expect(answer.status(), back).toBe(303);
    return answer.headers()['location'];
  };
  // Pages of the shop, with their query and fragment.
  expect(await locationAfter('/checkout')).toBe('/checkout');
  expect(await locationAfter('/orders?tab=1#subscriptions')).toBe('/orders?tab=1#subscriptions');
  // Everything a browser would take to another host goes home instead: protocol-relative paths,
  // backslashes, tabs and newlines browsers drop (`/\t/evil.example` is `//evil.example` to them),
  // dot segments that collapse into `//`, and absolute URLs.
  for (const back of ['//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', '/.//evil.example', '/a/..//evil.example', 'https://evil.example/', 'javascript:alert(1)', '']) {
    expect(await locationAfter(back), JSON.stringify(back)).toBe('/');
  }
  // And the browser, following it, stays here.
  await page.goto(`/lang/ko?back=${encodeURIComponent('/\t/evil.example')}`);
  expect(page.url()).toBe(`${shop.url}/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('이번 주 볶은 커피');
});
