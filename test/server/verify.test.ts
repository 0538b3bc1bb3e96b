// The pure verification of a PortOne payment (and billing key) against what the server prepared:
// one valid pair, and each test changes exactly one thing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PaidPayment } from '@portone/server-sdk/payment';
import type { IssuedBillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import { verifyBillingKey, verifyPayment, payMethodOf, virtualAccountOf, cancellationsOf, type KnownPayment } from '../../src/server/verify.js';
import { customDataId } from '../../src/server/ids.js';
import { addInterval } from '../../src/server/subscriptions.js';
import type { Order } from '../../src/server/model.js';

const policy = { storeId: 'store-1', allowTestChannels: false };
const orderIdOf = (customData: string | undefined) => customDataId(customData, 'orderId');

const order: Order = {
  paymentId: 'pay_1',
  orderId: 'ord_1',
  kind: 'payment',
  status: 'PENDING',
  orderName: '커피 원두 1kg',
  totalAmount: 32_000,
  currency: 'KRW',
  lines: [],
  cancelledAmount: 0,
  revision: 0,
  createdAt: 0,
  updatedAt: 0,
};

const paid = (change: (p: PaidPayment) => void = () => {}): KnownPayment => {
  const payment: PaidPayment = {
    status: 'PAID',
    id: 'pay_1',
    transactionId: 'tx-1',
    merchantId: 'merchant-1',
    storeId: 'store-1',
    channel: { type: 'LIVE', key: 'channel-live', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest' },
    version: 'V2',
    requestedAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    statusChangedAt: '2026-01-01T00:00:00Z',
    orderName: '커피 원두 1kg',
    amount: { total: 32_000, taxFree: 0, discount: 0, paid: 32_000, cancelled: 0, cancelledTaxFree: 0 },
    currency: 'KRW',
    customer: {},
    customData: '{"orderId":"ord_1"}',
    paidAt: '2026-01-01T00:00:01Z',
    disputes: [],
    method: { type: 'PaymentMethodCard', card: { number: '1234' } },
  };
  change(payment);
  return payment;
};

test('a payment that matches the order passes', () => {
  assert.deepEqual(verifyPayment(order, paid(), policy), { ok: true });
});

for (const [name, change, field] of [
  ['amount changed in the browser', (p: PaidPayment) => (p.amount.total = 1_000), 'amount.total expected 32000, got 1000'],
  ['currency changed', (p: PaidPayment) => (p.currency = 'USD'), 'currency expected "KRW", got "USD"'],
  ['another store', (p: PaidPayment) => (p.storeId = 'store-2'), 'storeId expected "store-1", got "store-2"'],
  ['order name changed', (p: PaidPayment) => (p.orderName = '커피 원두 100g'), 'orderName expected "커피 원두 1kg", got "커피 원두 100g"'],
  ["another order's customData", (p: PaidPayment) => (p.customData = '{"orderId":"ord_2"}'), 'customData.orderId expected "ord_1", got "ord_2"'],
  ['no customData', (p: PaidPayment) => delete p.customData, 'customData.orderId expected "ord_1", got nothing'],
  ['tax-free part changed', (p: PaidPayment) => (p.amount.taxFree = 5_000), 'amount.taxFree expected 0, got 5000'],
  ['a different payment id', (p: PaidPayment) => (p.id = 'pay_2'), 'id expected "pay_1", got "pay_2"'],
] as const) {
  test(`mismatch: ${name}`, () => {
    const verdict = verifyPayment(order, paid(change), policy);
    assert.equal(verdict.ok, false);
    assert.ok(!verdict.ok && verdict.code === 'PAYMENT_MISMATCH');
    assert.match(!verdict.ok ? verdict.message : '', new RegExp(field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
}

test('paid but short: what PortOne says was paid must cover the order (a short virtual-account deposit is PAID too)', () => {
  const short = paid((p) => (p.amount.paid = 1_000));
  const verdict = verifyPayment(order, short, policy);
  assert.ok(!verdict.ok && verdict.code === 'PAYMENT_MISMATCH');
  assert.deepEqual(!verdict.ok && verdict.mismatches, [{ field: 'amount.paid', expected: '32000', got: '1000' }]);
  // Partly refunded before the kit saw it: still what was paid, not what is left, that counts.
  const partial = { ...paid(), status: 'PARTIAL_CANCELLED', cancelledAt: '2026-01-01T00:00:02Z', cancellations: [], amount: { ...paid().amount, cancelled: 2_000 } } as unknown as KnownPayment;
  assert.deepEqual(verifyPayment(order, partial, policy), { ok: true });
  const partialShort = { ...partial, amount: { ...partial.amount, paid: 30_000 } } as KnownPayment;
  assert.match(verifyPayment(order, partialShort, policy).ok ? '' : (verifyPayment(order, partialShort, policy) as { message: string }).message, /amount\.paid expected 32000, got 30000/);
  // Nothing is paid yet on an issued account: not a mismatch.
  const issued = { ...paid(), status: 'VIRTUAL_ACCOUNT_ISSUED', amount: { ...paid().amount, paid: 0 } } as unknown as KnownPayment;
  assert.deepEqual(verifyPayment(order, issued, policy), { ok: true });
});

test('a promotion discount is accepted only when the shop opts in, and only exactly', () => {
  const discounted = paid((p) => ((p.amount.discount = 3_000), (p.amount.paid = 29_000)));
  const refused = verifyPayment(order, discounted, policy);
  assert.ok(!refused.ok && /amount\.paid expected 32000, got 29000/.test(refused.message));
  assert.deepEqual(verifyPayment(order, discounted, { ...policy, acceptDiscounts: true }), { ok: true });
  const more = verifyPayment(order, paid((p) => ((p.amount.discount = 3_000), (p.amount.paid = 28_000))), { ...policy, acceptDiscounts: true });
  assert.ok(!more.ok && /amount\.paid expected 29000 \(the total less the discount of 3000\), got 28000/.test(more.message));
});

test('a configured channel is the only one accepted, whatever the type', () => {
  assert.deepEqual(verifyPayment(order, paid(), { ...policy, channelKey: 'channel-live' }), { ok: true });
  const other = verifyPayment(order, paid((p) => (p.channel.key = 'channel-other')), { ...policy, channelKey: 'channel-live' });
  assert.ok(!other.ok && other.code === 'PAYMENT_MISMATCH');
  assert.deepEqual(!other.ok && other.mismatches, [{ field: 'channel.key', expected: '"channel-live"', got: '"channel-other"' }]);
});

test('a TEST channel is refused unless allowed; money mismatches take precedence', () => {
  const test = paid((p) => (p.channel.type = 'TEST'));
  const refused = verifyPayment(order, test, policy);
  assert.ok(!refused.ok && refused.code === 'TEST_CHANNEL_NOT_ALLOWED');
  assert.match(!refused.ok ? refused.message : '', /expected a LIVE channel/);
  assert.deepEqual(verifyPayment(order, test, { ...policy, allowTestChannels: true }), { ok: true });
  const both = verifyPayment(order, paid((p) => ((p.channel.type = 'TEST'), (p.amount.total = 1))), policy);
  assert.ok(!both.ok && both.code === 'PAYMENT_MISMATCH');
});

test('a billing-key payment must use the key tied to the order', () => {
  const withKey = { ...order, billingKey: 'bk-1' };
  assert.deepEqual(verifyPayment(withKey, paid((p) => (p.billingKey = 'bk-1')), policy), { ok: true });
  const verdict = verifyPayment(withKey, paid((p) => (p.billingKey = 'bk-2')), policy);
  assert.ok(!verdict.ok && /billingKey expected "bk-1", got "bk-2"/.test(verdict.message));
});

test('customData is read as JSON text, as PortOne returns it', () => {
  assert.equal(orderIdOf('{"orderId":"ord_9","x":1}'), 'ord_9');
  assert.equal(orderIdOf('not json'), undefined);
  assert.equal(orderIdOf('{"orderId":9}'), undefined);
  assert.equal(orderIdOf(undefined), undefined);
});

test('readers: pay method, virtual account, cancellations', () => {
  assert.equal(payMethodOf(paid()), 'CARD');
  const va = paid((p) => (p.method = { type: 'PaymentMethodVirtualAccount', bank: 'SHINHAN', accountNumber: '562-000-1234', remitteeName: '커피상점', expiredAt: '2026-01-08T00:00:00Z' }));
  assert.deepEqual(virtualAccountOf(va), { bank: 'SHINHAN', accountNumber: '562-000-1234', remitteeName: '커피상점', expiredAt: '2026-01-08T00:00:00Z' });
  assert.equal(virtualAccountOf(paid()), undefined);
  const cancelled = paid((p) => {
    p.cancellations = [
      { status: 'SUCCEEDED', id: 'c1', totalAmount: 1_000, taxFreeAmount: 0, vatAmount: 91, reason: '부분 환불', requestedAt: 'x', cancelledAt: 'y' },
      { status: 'FAILED', id: 'c2', totalAmount: 5_000, taxFreeAmount: 0, vatAmount: 0, reason: 'r', requestedAt: 'x' },
    ];
  });
  assert.deepEqual(cancellationsOf(cancelled), [{ id: 'c1', amount: 1_000, reason: '부분 환불', cancelledAt: 'y' }]);
});

const key = (change: (k: IssuedBillingKeyInfo) => void = () => {}): IssuedBillingKeyInfo => {
  const info: IssuedBillingKeyInfo = {
    status: 'ISSUED',
    billingKey: 'billing-key-0123456789',
    merchantId: 'merchant-1',
    storeId: 'store-1',
    channels: [{ type: 'LIVE', key: 'channel-billing', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst' }],
    customer: { id: 'cus_1' },
    issueId: 'iss_1',
    issuedAt: '2026-01-01T00:00:00Z',
  };
  change(info);
  return info;
};
const expected = { storeId: 'store-1', channelKey: 'channel-billing', customerId: 'cus_1', issueId: 'iss_1', allowTestChannels: false };

test('billing key: issued for this store, channel, customer and issue passes', () => {
  assert.deepEqual(verifyBillingKey(key(), expected), { ok: true });
});

for (const [name, change, text] of [
  ['another store', (k: IssuedBillingKeyInfo) => (k.storeId = 'store-2'), /storeId expected "store-1", got "store-2"/],
  ['another customer', (k: IssuedBillingKeyInfo) => (k.customer = { id: 'cus_2' }), /customer.id expected "cus_1", got "cus_2"/],
  ['another issue', (k: IssuedBillingKeyInfo) => (k.issueId = 'iss_2'), /issueId expected "iss_1", got "iss_2"/],
  ['another channel', (k: IssuedBillingKeyInfo) => (k.channels[0]!.key = 'channel-other'), /channels\[\]\.key expected "channel-billing", got "channel-other"/],
  ['a TEST channel', (k: IssuedBillingKeyInfo) => (k.channels[0]!.type = 'TEST'), /channels\[\]\.type expected "LIVE", got "TEST"/],
] as const) {
  test(`billing key mismatch: ${name}`, () => {
    const verdict = verifyBillingKey(key(change), expected);
    assert.ok(!verdict.ok && verdict.code === 'BILLING_KEY_MISMATCH');
    assert.match(!verdict.ok ? verdict.message : '', text);
    assert.doesNotMatch(!verdict.ok ? verdict.message : '', /billing-key-0123456789/, 'the key is masked in messages');
  });
}

test('billing key: a deleted key is not issued', () => {
  const deleted = { ...key(), status: 'DELETED' as const, deletedAt: '2026-01-02T00:00:00Z' };
  const verdict = verifyBillingKey(deleted, expected);
  assert.ok(!verdict.ok && verdict.code === 'BILLING_KEY_NOT_ISSUED');
});

test('periods follow the Korean calendar: month ends clamp, anchors do not drift', () => {
  const kst = (text: string) => Date.parse(`${text}+09:00`);
  assert.equal(addInterval(kst('2026-01-31T10:00:00'), '1m'), kst('2026-02-28T10:00:00'));
  assert.equal(addInterval(kst('2026-01-31T10:00:00'), '1m', 2), kst('2026-03-31T10:00:00'));
  assert.equal(addInterval(kst('2026-02-01T00:30:00'), '1m'), kst('2026-03-01T00:30:00'), 'KST midnight, not UTC');
  assert.equal(addInterval(kst('2024-02-29T09:00:00'), '1y'), kst('2025-02-28T09:00:00'));
  assert.equal(addInterval(kst('2026-01-01T00:00:00'), '30d'), kst('2026-01-31T00:00:00'));
  assert.throws(() => addInterval(0, 'monthly'), /expected like "1m"/);
});
