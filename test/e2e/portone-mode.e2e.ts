// The shop against PortOne instead of its embedded sandbox: the four PORTONE_* variables, and
// PORTONE_API_URL pointing the kit and the admin at a PortOne stand-in (the sandbox run on its own,
// as `npx portone-sandbox` does; the real one needs an account and the network). The admin page
// then lists PortOne's payment schedules, read through its API with the store's secret.
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
