// The adult-only liqueur: the checkout asks for a 본인인증 (the sandbox's KG Inicis 통합인증 window)
// before it shows the pay button; the kit checks the person is 19 or over and the shop records only
// that the member is a verified adult. An adult verifies and buys it (over the page on a desktop,
// through the redirect on a phone); a minor reads the under-age message and cannot check out, and
// the shop's prepare refuses the cart to a bare API call as well. A data directory from before the
// sandbox had a 통합인증 channel gets one at start, and the purchase works there too.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devices, type Page } from '@playwright/test';
import { t } from '../../demo/shared/i18n.js';
import { expect, expectAccessible, fillCart, paymentIdOf, paymentWindow, snap, test } from './support/fixtures.js';
import { fulfilments, memberIdOf, orderRow, query, startShop, type RunningShop } from './support/shop.js';

const ADULT_ONLY = 'coffee-liqueur';
/** The sandbox's test persons (src/sandbox/identity/persons.ts): the adult's and the minor's name and phone. */
const PERSONS = { adult: ['홍길동', '01012345678'], minor: ['이서연', '01023456789'] } as const;

/** The shop's record of verified adults: everything it keeps about one (no name, phone, birth date, CI or DI). */
const adultRecord = (shop: RunningShop, memberId: string) => query(shop, 'shop.sqlite', 'SELECT * FROM verified_adults WHERE member_id = ?', memberId);

/** The 통합인증 window as it opens on this device (over the page on a desktop, instead of it on a phone), verified as `person`. */
async function verifyAs(page: Page, person: keyof typeof PERSONS, windowIn: 'iframe' | 'page'): Promise<void> {
  await page.locator('[data-verify]').getByRole('button', { name: '본인인증하기' }).click();
  const window = windowIn === 'iframe' ? paymentWindow(page) : page;
  await expect(window.getByRole('heading', { name: 'KG이니시스 통합인증' })).toBeVisible();
  await window.getByLabel('인증할 사람 (테스트)').selectOption(person);
  await window.getByRole('button', { name: '인증하기', exact: true }).click();
}

/** Nothing about the person in the shop's output (its log) or its own database. */
function expectNothingPersonal(shop: RunningShop, person: keyof typeof PERSONS): void {
  const shopDb = JSON.stringify(query(shop, 'shop.sqlite', 'SELECT * FROM verified_adults')) + JSON.stringify(query(shop, 'shop.sqlite', 'SELECT * FROM profiles'));
  for (const detail of PERSONS[person]) {
    expect(shop.output(), 'the shop logs nothing of the person').not.toContain(detail);
    expect(shopDb, 'shop.sqlite keeps nothing of the person').not.toContain(detail);
  }
}

test('an adult verifies in the 통합인증 window, then buys the liqueur: PAID, and the shop keeps only that the member is an adult', async ({ page, shop }) => {
  await page.goto(`/products/${ADULT_ONLY}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('달빛 콜드브루 커피 리큐르 500ml');
  await expect(page.locator('[data-adult-note]')).toHaveText(t('ko', 'product.adultNote'));
  await expectAccessible(page, 'adult-only product');
  await page.getByRole('button', { name: '바로 구매하기' }).click();
  await expect(page).toHaveURL(/\/checkout$/);
  const memberId = await memberIdOf(shop, page.context());

  // No pay button until the verification: only the 본인인증.
  await expect(page.getByRole('heading', { name: '성인 인증' })).toBeVisible();
  await expect(page.locator('[data-pay]')).toBeHidden();
  await expectAccessible(page, 'checkout asking for 본인인증');
  await snap(page, 'adult-checkout');
  await verifyAs(page, 'adult', 'iframe');
  await expect(page.locator('[data-notice]')).toHaveText(t('ko', 'adult.verified'));
  await snap(page, 'adult-verified');
  await expect(page.locator('[data-adult]')).toBeHidden();
  const pay = page.locator('[data-pay]').getByRole('button');
  await expect(pay).toHaveAccessibleName('₩32,000 결제하기'); // free shipping from ₩30,000
  const [record] = adultRecord(shop, memberId);
  expect(Object.keys(record ?? {}).sort()).toEqual(['identity_verification_id', 'member_id', 'verified_at']);

  await pay.click();
  await paymentWindow(page).getByRole('button', { name: '결제하기', exact: true }).click();
  await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
  const paymentId = paymentIdOf(page);
  expect(orderRow(shop, paymentId)).toMatchObject({ status: 'PAID', total_amount: 32_000 });
  expect(fulfilments(shop, paymentId)).toEqual([expect.objectContaining({ status: 'TO_SHIP', amount: 32_000 })]);

  // Verified once: the next visit goes straight to paying.
  await page.goto(`/products/${ADULT_ONLY}`);
  await expect(page.locator('[data-adult-note]')).toHaveText(t('ko', 'product.adultVerified'));
  await fillCart(page, [{ id: ADULT_ONLY, quantity: 1 }]);
  await page.goto('/checkout');
  await expect(page.locator('[data-pay]').getByRole('button')).toBeVisible();
  await expect(page.locator('[data-adult]')).toBeHidden();
  expectNothingPersonal(shop, 'adult');
});

test('a minor reads the under-age message and cannot check out; a bare prepare for the liqueur is refused in the member’s language', async ({ page, playwright, shop }) => {
  await fillCart(page, [{ id: ADULT_ONLY, quantity: 1 }, { id: 'drip-bag-10', quantity: 1 }]);
  await page.goto('/checkout');
  const memberId = await memberIdOf(shop, page.context());
  await verifyAs(page, 'minor', 'iframe');

  await expect(page.locator('[data-error]')).toHaveText(t('ko', 'adult.underAge'));
  await expect(page.locator('[data-pay]')).toBeHidden();
  await expect(page.locator('[data-adult]')).toBeVisible();
  await expectAccessible(page, 'checkout refusing a minor');
  await snap(page, 'adult-minor-refused');
  expect(adultRecord(shop, memberId)).toEqual([]);
  // The kit's verdict on the verification: refused as under age.
  expect(query(shop, 'checkout.sqlite', "SELECT status FROM identity_verifications WHERE customer_id = ? AND status != 'PENDING'", memberId)).toEqual([{ status: 'REJECTED' }]);

  // The same member asking the kit directly, past the page: the shop's priceOrder refuses the cart.
  const items = [{ id: ADULT_ONLY, quantity: 1 }];
  const asMember = await page.request.post('/portone/payments/prepare', { data: { items } });
  expect(asMember.status()).toBe(422);
  expect(await asMember.json()).toMatchObject({ code: 'BAD_CART', shopperMessage: t('ko', 'adult.required') });
  await page.context().addCookies([{ name: 'lang', value: 'en', url: shop.url }]);
  const inEnglish = await page.request.post('/portone/payments/prepare', { data: { items } });
  expect(await inEnglish.json()).toMatchObject({ code: 'BAD_CART', shopperMessage: t('en', 'adult.required') });
  // Nobody signed in at all: refused just the same.
  const stranger = await playwright.request.newContext({ baseURL: shop.url });
  const anonymous = await stranger.post('/portone/payments/prepare', { data: { items } });
  expect(anonymous.status()).toBe(422);
  expect((await anonymous.json()) as { code: string }).toMatchObject({ code: 'BAD_CART' });
  await stranger.dispose();
  // The rest of the cart is still for sale.
  expect((await page.request.post('/portone/payments/prepare', { data: { items: [{ id: 'drip-bag-10', quantity: 1 }] } })).status()).toBe(200);
  expect(query(shop, 'checkout.sqlite', "SELECT count(*) AS n FROM orders WHERE status = 'PAID' AND customer_id = ?", memberId)).toEqual([{ n: 0 }]);
  expectNothingPersonal(shop, 'minor');
});

test('a data directory from before the 통합인증 channel: the shop adds it at start, and an adult verifies and buys the liqueur there', async ({ browser }) => {
  // The sandbox's state as an older shop left it: its payment channels only.
  const dataDir = mkdtempSync(join(tmpdir(), 'dalbit-e2e-old-'));
  const persistPath = join(dataDir, 'sandbox.json');
  const channels = [
    { key: 'channel-key-old-payment', name: 'KG이니시스 일반결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest' },
    { key: 'channel-key-old-billing', name: 'KG이니시스 빌링 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst' },
  ];
  const script = `const { createSandbox } = await import('./src/sandbox/index.ts'); await (await createSandbox({ persistPath: ${JSON.stringify(persistPath)}, channels: ${JSON.stringify(channels)} })).close();`;
  execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../../', import.meta.url)) });
  expect(readFileSync(persistPath, 'utf8')).not.toContain('INICIS_UNIFIED');

  const old = await startShop({ dataDir });
  try {
    const page = await (await browser.newContext({ baseURL: old.url })).newPage();
    await fillCart(page, [{ id: ADULT_ONLY, quantity: 1 }]);
    await page.goto('/checkout');
    await verifyAs(page, 'adult', 'iframe');
    await expect(page.locator('[data-notice]')).toHaveText(t('ko', 'adult.verified'));
    await page.locator('[data-pay]').getByRole('button').click();
    await paymentWindow(page).getByRole('button', { name: '결제하기', exact: true }).click();
    await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
    expect(orderRow(old, paymentIdOf(page))).toMatchObject({ status: 'PAID', total_amount: 32_000 });
    await page.context().close();
  } finally {
    await old.close();
  }
});

/** A phone's viewport, touch and user agent (its browser type would force a worker, and a shop, of its own). */
const { defaultBrowserType: _, ...PIXEL_7 } = devices['Pixel 7'];

test.describe('on a phone', () => {
  test.use(PIXEL_7);

  test('the 통합인증 window replaces the page and redirects back to the checkout, which ends verified; the liqueur is then PAID', async ({ page, shop }) => {
    await fillCart(page, [{ id: ADULT_ONLY, quantity: 1 }]);
    await page.goto('/checkout');
    const memberId = await memberIdOf(shop, page.context());
    const back = page.waitForRequest((request) => request.isNavigationRequest() && request.url().startsWith(`${shop.url}/checkout?`));
    await verifyAs(page, 'adult', 'page');
    expect(new URL((await back).url()).searchParams.get('identityVerificationId')).toBeTruthy();

    // Back on the checkout: the element finished the verification, the address is clean again.
    await expect(page.locator('[data-notice]')).toHaveText(t('ko', 'adult.verified'));
    await expect(page).toHaveURL(`${shop.url}/checkout`);
    expect(adultRecord(shop, memberId)).toHaveLength(1);

    await page.locator('[data-pay]').getByRole('button').click();
    await expect(page).toHaveURL(new RegExp(`^${shop.sandboxUrl}/checkout/window/`));
    await page.getByRole('button', { name: '결제하기', exact: true }).click();
    await expect(page.getByRole('heading', { name: '주문이 완료되었습니다' })).toBeVisible();
    expect(orderRow(shop, paymentIdOf(page))).toMatchObject({ status: 'PAID', total_amount: 32_000 });
  });
});
