// `channelKeys.payment` as a function of the order: a shop that sells its scarce goods through a
// manual-approval channel (so `reserve` is asked before money moves) and the rest through its usual
// channel. The prepare answer carries the order's channel, and a payment through any other is
// refused — a page that swaps the channel cannot skip the reservation.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { SandboxChannel } from '../../src/sandbox/index.js';
import { createCheckoutServer, type PaymentChannelChooser, type ReserveEvent } from '../../src/server/index.js';
import { BUYER, eventually, startEnv } from './harness.js';
import { call, post, priceOrder, testKit } from './support.js';

const CHANNELS: SandboxChannel[] = [
  { key: 'channel-usual', name: 'KG이니시스 일반결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest' },
  { key: 'channel-billing', name: 'KG이니시스 카드 정기결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst' },
  { key: 'channel-phone', name: 'KG이니시스 휴대폰 정기결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst' },
  { key: 'channel-limited', name: 'KG이니시스 일반결제 (수동승인)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest', manualApproval: true },
];
/** The dripper is the scarce one here. */
const choose: PaymentChannelChooser = (order) => (order.lines.some((line) => line.id === 'dripper') ? 'channel-limited' : 'channel-usual');

async function env(t: Parameters<typeof startEnv>[0]) {
  const reserved: ReserveEvent[] = [];
  const started = await startEnv(t, {
    sandbox: { channels: CHANNELS },
    kit: { channelKeys: { payment: choose, billingKey: 'channel-billing', billingKeyAndPay: 'channel-phone' }, reserve: (e) => void reserved.push(e) },
  });
  return { env: started, reserved };
}

test('each prepare answers the channel its order goes through; the scarce order is confirmed after reserve, the other paid at once', async (t) => {
  const { env: e, reserved } = await env(t);
  const usual = await e.prepare({ items: [{ id: 'beans', quantity: 1 }], customer: BUYER });
  const scarce = await e.prepare({ items: [{ id: 'beans', quantity: 1 }, { id: 'dripper', quantity: 1 }], customer: BUYER });
  assert.deepEqual([usual.channelKey, scarce.channelKey], ['channel-usual', 'channel-limited']);

  const paidAtOnce = await e.post('/payments/complete', await e.pay(usual));
  assert.deepEqual([paidAtOnce.status, paidAtOnce.body.order.status], [200, 'PAID']);
  const result = await e.pay(scarce);
  assert.equal(typeof result.paymentToken, 'string', 'the manual-approval channel answers with a token');
  const confirmed = await e.post('/payments/complete', result);
  assert.deepEqual([confirmed.status, confirmed.body.order.status], [200, 'PAID'], JSON.stringify(confirmed.body));
  assert.deepEqual(reserved.map((r) => r.reservationId), [`reserve:${scarce.paymentId}`], 'reserve is asked for the scarce order only');
});

test('a page that pays the scarce order through the usual channel skips no reservation: the payment is refused (flagged, refunded), never fulfilled', async (t) => {
  const { env: e, reserved } = await env(t);
  const scarce = await e.prepare({ items: [{ id: 'dripper', quantity: 1 }], customer: BUYER });
  const result = await e.pay(scarce, undefined, { channelKey: 'channel-usual' });
  assert.equal(result.paymentToken, undefined, 'the usual channel takes the money at once');
  const complete = await e.post('/payments/complete', result);
  assert.deepEqual([complete.status, complete.body.code], [409, 'PAYMENT_MISMATCH'], JSON.stringify(complete.body));
  assert.match(complete.body.message, /channel\.key/);
  await eventually(() => e.sandbox.payment(scarce.paymentId)?.status === 'CANCELLED', 'the refund');
  const order = await e.kit.getOrder(scarce.paymentId);
  assert.equal(order?.status, 'FLAGGED');
  assert.equal(e.hooks.paid.length, 0);
  assert.deepEqual(reserved, []);
});

test('a chooser that throws or answers no key is the shop’s bug: 500 SHOP_CONFIGURATION, logged, no payment let through unchecked; a setting that is neither a key nor a function is refused at start', async () => {
  const logged: string[] = [];
  for (const payment of [
    () => {
      throw new Error('catalog down');
    },
    () => '' as string,
  ] satisfies PaymentChannelChooser[]) {
    const kit = testKit({ channelKeys: { payment }, preRegister: false, logger: { error: (message) => logged.push(message) } });
    const answer = await call(kit, post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] }));
    assert.deepEqual([answer.status, answer.body.code], [500, 'SHOP_CONFIGURATION']);
    assert.match(answer.body.message, /channelKeys\.payment/);
    await kit.close();
  }
  assert.match(logged.join('\n'), /channelKeys\.payment threw[\s\S]*channelKeys\.payment answered an empty string/);
  for (const payment of [42, { key: 'channel-usual' }]) {
    const kit = createCheckoutServer({ portone: { apiSecret: 'secret', storeId: 'store-1' }, webhookSecret: 'whsec_AAAA', priceOrder, logger: {}, channelKeys: { payment: payment as unknown as string } });
    await assert.rejects(kit.ready, /options\.channelKeys\.payment: expected a channel key, or a function \(order\) => channel key/);
    await kit.close();
  }
});
