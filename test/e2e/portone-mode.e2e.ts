// The shop against PortOne instead of its embedded sandbox: the four PORTONE_* variables, and
// PORTONE_API_URL pointing the kit and the admin at a PortOne stand-in (the sandbox run on its own,
// as `npx portone-sandbox` does; the real one needs an account and the network). The admin page
// then lists PortOne's payment schedules, read through its API with the store's secret; the pages'
// policy allows PortOne's and KG Inicis's origins instead of the sandbox's.
import { PortOneClient } from '@portone/server-sdk';
import { expect, test } from './support/fixtures.js';
import { ADMIN_PASSWORD, startShop, startStandIn, type RunningShop, type StandIn } from './support/shop.js';

let portone: StandIn;
let shop: RunningShop;

test.beforeAll(async () => {
  portone = await startStandIn();
  shop = await startShop({
    env: {
      PORTONE_STORE_ID: portone.storeId,
      PORTONE_CHANNEL_KEY: portone.channelKeys.payment,
      PORTONE_BILLING_CHANNEL_KEY: portone.channelKeys.billingKey,
      PORTONE_PHONE_BILLING_CHANNEL_KEY: portone.channelKeys.billingKeyAndPay,
      PORTONE_API_SECRET: portone.apiSecret,
      PORTONE_WEBHOOK_SECRET: portone.webhookSecret,
      PORTONE_API_URL: portone.url,
    },
  });
});

test.afterAll(async () => {
  await shop?.close();
  await portone?.close();
});

test('PortOne mode: no sandbox started, and the admin lists the store’s payment schedules from PortOne', async ({ browser }) => {
  expect(shop.sandboxUrl).toBe('');
  expect(shop.output()).toContain(`PortOne                           store ${portone.storeId}, test channels`);

  // A subscriber's next month, scheduled with PortOne as the kit does: a card billing key, then a schedule.
  const client = PortOneClient({ secret: portone.apiSecret, storeId: portone.storeId, baseUrl: portone.url });
  const { billingKeyInfo } = await client.payment.billingKey.issueBillingKey({
    channelKey: portone.channelKeys.billingKey,
    customer: { id: 'mem_PortOneModeTest01', name: { full: '한예약' }, phoneNumber: '01022223333', email: 'schedule@example.com' },
    method: { card: { credential: { number: '4242424242424242', expiryYear: '35', expiryMonth: '12' } } },
  });
  const timeToPay = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const { schedule } = await client.payment.paymentSchedule.createPaymentSchedule({
    paymentId: 'sub_portone_mode_next',
    payment: { billingKey: billingKeyInfo.billingKey, orderName: '월간 원두 정기배송', amount: { total: 19_900 }, currency: 'KRW' },
    timeToPay,
  });

  const context = await browser.newContext({ baseURL: shop.url, httpCredentials: { username: 'admin', password: ADMIN_PASSWORD } });
  const admin = await context.newPage();
  await admin.goto('/admin');
  const row = admin.locator(`tr[data-schedule-id="${schedule.id}"]`);
  await expect(row).toContainText('sub_portone_mode_next');
  await expect(row).toContainText('월간 원두 정기배송');
  await expect(row).toContainText('SCHEDULED');
  await expect(row).toContainText('₩19,900');
  // The sandbox's buttons are not offered: PortOne runs schedules at their time.
  await expect(admin.getByRole('button', { name: '예약 결제 실행' })).toBeHidden();
  await context.close();
});

/**
 * PortOne's CDN SDK as its runtime behaves in a page (see demo/server/security.ts): it loads a PG
 * driver from its CDN, calls its checkout API, and opens KG Inicis's window in an iframe; here the
 * shopper then closes the window. Served in place of https://cdn.portone.io/v2/browser-sdk.js.
 */
const FAKE_PORTONE_SDK = `window.PortOne = {
  async requestPayment(request) {
    await new Promise((resolve, reject) => {
      const driver = document.createElement('script');
      driver.src = 'https://cdn.portone.io/drivers/pg/inicis-v2/payment/iframe-test.js';
      driver.onload = resolve;
      driver.onerror = () => reject(new Error('driver blocked'));
      document.body.append(driver);
    });
    await fetch('https://checkout-service.prod.iamport.co/api/initialize-payment/v2', { method: 'POST', body: JSON.stringify({ paymentId: request.paymentId }) });
    const frame = document.createElement('iframe');
    frame.src = 'https://stdpay.inicis.com/payMain/pay';
    await new Promise((resolve) => { frame.addEventListener('load', resolve); document.body.append(frame); });
    frame.remove();
    return { transactionType: 'PAYMENT', paymentId: request.paymentId, code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.' };
  },
};`;

test('PortOne mode: the pages’ policy allows PortOne’s SDK, API and KG Inicis’s window, and no sandbox', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: shop.url });
  const page = await context.newPage();
  const fetched: string[] = [];
  const stub = (url: string, contentType: string, body: string) =>
    page.route(url, (route) => {
      fetched.push(new URL(route.request().url()).origin + new URL(route.request().url()).pathname);
      return route.fulfill({ contentType, body, headers: { 'access-control-allow-origin': '*' } });
    });
  await stub('https://cdn.portone.io/v2/browser-sdk.js', 'text/javascript', FAKE_PORTONE_SDK);
  await stub('https://cdn.portone.io/drivers/**', 'text/javascript', 'window.__driverLoaded = true;');
  await stub('https://checkout-service.prod.iamport.co/**', 'application/json', '{}');
  await stub('https://stdpay.inicis.com/**', 'text/html', '<!doctype html><title>KG이니시스</title><p>결제창');

  const response = await page.goto('/');
  const policy = response!.headers()['content-security-policy']!;
  expect(policy).toContain("script-src 'self' 'nonce-");
  expect(policy).toContain('https://cdn.portone.io https://stdpay.inicis.com https://stgstdpay.inicis.com;');
  expect(policy).toContain("connect-src 'self' https://checkout-service.prod.iamport.co https://coretelemetry.prod.iamport.co;");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toMatch(/127\.0\.0\.1|unsafe-inline/);

  await page.getByRole('button', { name: '바로 구매' }).click();
  // The element prepared with the kit (and the stand-in), then ran PortOne's SDK; nothing was refused.
  await expect(page.locator('portone-payment-button.buy-now [part="status"]')).toHaveText('취소했습니다.');
  expect(fetched).toEqual([
    'https://cdn.portone.io/v2/browser-sdk.js',
    'https://cdn.portone.io/drivers/pg/inicis-v2/payment/iframe-test.js',
    'https://checkout-service.prod.iamport.co/api/initialize-payment/v2',
    'https://stdpay.inicis.com/payMain/pay',
  ]);
  await context.close();
});
