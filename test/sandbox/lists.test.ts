// The list endpoints as PortOne's schema describes them: a 90-day window up to now unless
// `from`/`until` say otherwise (so upcoming schedules are not listed by default), the documented
// sort defaults, `page.totalCount` counting every match, and every filter field of
// PaymentFilterInput, BillingKeyFilterInput and PaymentScheduleFilterInput honoured — each test
// below covers one field, and the list of covered fields must equal the schema's.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { PaymentClient } from '@portone/server-sdk/payment';
import type { Schema } from '../../src/sandbox/schema/validate.js';
import { resolve } from '../../src/sandbox/schema/validate.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { openApi } from './contract.js';
import { startReceiver, withSandbox } from './support.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');
const customer = { id: 'cust-1', name: { full: '김포트' }, phoneNumber: '010-1234-5678', email: 'kim@example.com' };
const card = (number = '4242424242424242') => ({ credential: { number, expiryYear: '39', expiryMonth: '12' } });

const schemaFields = (name: string): string[] => Object.keys(resolve(openApi(), { $ref: `#/components/schemas/${name}` } as Schema).properties ?? {}).sort();

type Filter = Record<string, unknown>;

/** `GET /payments` ids for a filter (newest first, the default sort). */
async function paymentIds(sandbox: Sandbox, filter: Filter, extra: Record<string, unknown> = {}): Promise<string[] | string> {
  const response = await fetch(`${sandbox.url}/payments?requestBody=${encodeURIComponent(JSON.stringify({ page: { size: 100 }, filter, ...extra }))}`, { headers: { authorization: `PortOne ${sandbox.apiSecret}` } });
  const body = (await response.json()) as { items?: { id: string }[]; type?: string };
  return body.items ? body.items.map((p) => p.id) : `${response.status} ${body.type}`;
}

async function paymentsWorld(t: TestContext) {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { clock: 'manual', now: T0, webhookUrls: [receiver.url] });
  const client = PaymentClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url });
  await sandbox.pay({ paymentId: 'p-card', totalAmount: 60_000, orderName: '법인 구매' }, { result: 'approve', cardCompany: '14', cardType: 'CORPORATE', installmentMonth: 3 });
  await sandbox.advance(60_000);
  await sandbox.pay({ paymentId: 'p-va', totalAmount: 7_000, payMethod: 'VIRTUAL_ACCOUNT' });
  await sandbox.pay({ paymentId: 'p-va2', totalAmount: 6_000, payMethod: 'VIRTUAL_ACCOUNT' });
  await sandbox.pay({ paymentId: 'p-failed', totalAmount: 1_000 }, { result: 'decline' });
  // Its webhooks go to a closed port: the final webhook's status is FAILED_UNEXPECTED_ERROR.
  await sandbox.pay({ paymentId: 'p-gift', totalAmount: 5_000, payMethod: 'GIFT_CERTIFICATE', noticeUrls: ['http://127.0.0.1:9/closed'] }, { result: 'approve', giftCertificateType: 'BOOKNLIFE' });
  await sandbox.pay({ paymentId: 'p-mobile', totalAmount: 3_000, redirectUrl: 'https://shop.example/return' }, undefined, { device: 'mobile' });
  await sandbox.pay({ paymentId: 'p-usd', totalAmount: 1_500, currency: 'USD' });
  await sandbox.pay({ paymentId: 'p-live', totalAmount: 2_000, channelKey: sandbox.channelKeys.live });
  await client.payInstantly({ paymentId: 'p-api', channelKey: sandbox.channelKeys.payment, method: { card: card() }, orderName: '에스크로', amount: { total: 4_000 }, currency: 'KRW', customer, isEscrow: true });
  const { billingKeyInfo } = await client.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: card() }, customer });
  await client.paymentSchedule.createPaymentSchedule({ paymentId: 'p-sched', payment: { billingKey: billingKeyInfo.billingKey, orderName: '정기', amount: { total: 9_900 }, currency: 'KRW' }, timeToPay: new Date(T0 + 120_000).toISOString() });
  await sandbox.advance(60_000);
  await sandbox.pay({ paymentId: 'p-cancel', totalAmount: 8_000 });
  await client.cancelPayment({ paymentId: 'p-cancel', reason: '단순 변심' });
  await sandbox.advance(60_000);
  // Requested a while ago, its status changed just now.
  await sandbox.deposit('p-va2');
  await sandbox.flushWebhooks();
  return { sandbox, client };
}

const ALL = ['p-cancel', 'p-sched', 'p-api', 'p-live', 'p-usd', 'p-mobile', 'p-gift', 'p-failed', 'p-va2', 'p-va', 'p-card'];
const sorted = (ids: string[] | string) => (Array.isArray(ids) ? [...ids].sort() : ids);

test('GET /payments: every PaymentFilterInput field filters (or matches nothing the sandbox never records), none is dropped', async (t) => {
  const { sandbox } = await paymentsWorld(t);
  const ids = (filter: Filter, extra?: Record<string, unknown>) => paymentIds(sandbox, filter, extra);
  const cases: Record<string, () => Promise<void>> = {
    merchantId: async () => assert.equal(await ids({ merchantId: 'merchant-of-someone-else' }), '403 FORBIDDEN'),
    storeId: async () => {
      assert.deepEqual(sorted(await ids({ storeId: sandbox.storeId })), sorted(ALL));
      assert.equal(await ids({ storeId: 'store-of-someone-else' }), '403 FORBIDDEN');
    },
    timestampType: async () => {
      const recently = new Date(T0 + 170_000).toISOString();
      assert.deepEqual(await ids({ timestampType: 'STATUS_CHANGED_AT', from: recently }), ['p-va2'], 'deposited just now');
      assert.deepEqual(await ids({ from: recently }), [], 'CREATED_AT by default: requested long before');
    },
    from: async () => assert.deepEqual(sorted(await ids({ from: new Date(T0 + 60_000).toISOString() })), sorted(ALL.filter((id) => id !== 'p-card'))),
    until: async () => assert.deepEqual(await ids({ until: new Date(T0 + 60_000).toISOString() }), ['p-card']),
    status: async () => {
      assert.deepEqual(sorted(await ids({ status: ['FAILED', 'CANCELLED'] })), ['p-cancel', 'p-failed']);
      assert.deepEqual(await ids({ status: ['VIRTUAL_ACCOUNT_ISSUED'] }), ['p-va']);
      assert.deepEqual(sorted(await ids({ status: [] })), sorted(ALL), 'an empty list filters nothing');
    },
    methods: async () => assert.deepEqual(await ids({ methods: ['GIFT_CERTIFICATE'] }), ['p-gift']),
    pgProvider: async () => {
      assert.deepEqual((await ids({ pgProvider: ['INICIS_V2'] })).length, ALL.length);
      assert.deepEqual(await ids({ pgProvider: ['TOSSPAYMENTS'] }), []);
    },
    isTest: async () => assert.deepEqual(await ids({ isTest: false }), ['p-live']),
    isScheduled: async () => assert.deepEqual(await ids({ isScheduled: true }), ['p-sched']),
    sortBy: async () => {
      assert.deepEqual((await ids({ sortBy: 'STATUS_CHANGED_AT' }))[0], 'p-va2');
      assert.notEqual((await ids({}))[0], 'p-va2', 'REQUESTED_AT by default');
    },
    sortOrder: async () => assert.deepEqual((await ids({ sortOrder: 'ASC' }))[0], 'p-card'),
    version: async () => {
      assert.deepEqual(await ids({ version: 'V1' }), []);
      assert.equal((await ids({ version: 'V2' })).length, ALL.length);
    },
    webhookStatus: async () => {
      assert.deepEqual(await ids({ webhookStatus: 'FAILED_UNEXPECTED_ERROR' }), ['p-gift']);
      assert.ok(!(await ids({ webhookStatus: 'SUCCEEDED' })).includes('p-gift'));
    },
    platformType: async () => {
      assert.deepEqual(await ids({ platformType: 'SDK_MOBILE' }), ['p-mobile']);
      assert.deepEqual(sorted(await ids({ platformType: 'API' })), ['p-api', 'p-sched']);
    },
    currency: async () => assert.deepEqual(await ids({ currency: 'USD' }), ['p-usd']),
    isEscrow: async () => assert.deepEqual(await ids({ isEscrow: true }), ['p-api']),
    escrowStatus: async () => assert.deepEqual(await ids({ escrowStatus: 'REGISTERED' }), [], 'the sandbox never registers escrow logistics'),
    cardBrand: async () => assert.deepEqual(sorted(await ids({ cardBrand: 'VISA' })), ['p-api', 'p-sched']),
    cardType: async () => assert.deepEqual(await ids({ cardType: 'DEBIT' }), []),
    cardOwnerType: async () => assert.deepEqual(await ids({ cardOwnerType: 'CORPORATE' }), ['p-card']),
    giftCertificateType: async () => assert.deepEqual(await ids({ giftCertificateType: 'BOOKNLIFE' }), ['p-gift']),
    cashReceiptType: async () => assert.deepEqual(await ids({ cashReceiptType: 'PERSONAL' }), [], 'no cash receipts are issued'),
    cashReceiptStatus: async () => assert.deepEqual(await ids({ cashReceiptStatus: 'ISSUED' }), []),
    cashReceiptIssuedAtRange: async () => assert.deepEqual(await ids({ cashReceiptIssuedAtRange: { from: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' } }), []),
    cashReceiptCancelledAtRange: async () => assert.deepEqual(await ids({ cashReceiptCancelledAtRange: { from: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' } }), []),
    textSearch: async () => {
      assert.deepEqual(await ids({ textSearch: [{ field: 'CANCEL_REASON', value: '변심' }] }), ['p-cancel']);
      assert.deepEqual(await ids({ textSearch: [{ field: 'ORDER_NAME', value: '법인' }, { field: 'CARD_INSTALLMENT', value: '3' }] }), ['p-card']);
      assert.deepEqual(await ids({ textSearch: [{ field: 'ALL', value: '에스크로' }] }), ['p-api']);
      assert.deepEqual(await ids({ textSearch: [{ field: 'USER_AGENT', value: 'Mozilla' }] }), [], 'user agents are not recorded');
    },
  };
  assert.deepEqual(Object.keys(cases).sort(), schemaFields('PaymentFilterInput'), 'a case for every field of PortOne\'s PaymentFilterInput');
  for (const [field, check] of Object.entries(cases)) {
    await t.test(field, check);
  }
  // Refused, never dropped: values outside the schema's enums.
  assert.match(String(await ids({ status: ['SHIPPED'] })), /^400 INVALID_REQUEST/);
  assert.match(String(await ids({ textSearch: [{ field: '__proto__', value: 'x' }] })), /^400 INVALID_REQUEST/);
});

test('GET /payments: the default window is the 90 days before now; page.totalCount counts every match', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: T0 });
  for (let i = 0; i < 12; i++) await sandbox.pay({ paymentId: `old-${i}`, totalAmount: 1_000 });
  await sandbox.advance(100 * DAY);
  await sandbox.pay({ paymentId: 'recent', totalAmount: 1_000 });
  const client = PaymentClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url });
  const recent = await client.getPayments({});
  assert.deepEqual([recent.items.map((p) => (p as { id: string }).id), recent.page.totalCount], [['recent'], 1], 'a hundred days later, the old payments are out of the default window');
  const all = await client.getPayments({ filter: { from: new Date(T0 - DAY).toISOString() }, page: { number: 1, size: 5 } });
  assert.deepEqual([all.items.length, all.page.totalCount, all.page.number, all.page.size], [5, 13, 1, 5], 'totalCount counts every match across pages');
  const until = await client.getPayments({ filter: { until: new Date(T0 + DAY).toISOString() } });
  assert.equal(until.page.totalCount, 12, 'from defaults to 90 days before until');
});

test('GET /billing-keys: the 90-day window, REQUESTED_AT DESC by default, and every BillingKeyFilterInput field honoured', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: T0 });
  const client = PaymentClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url });
  const api = (await client.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: card() }, customer })).billingKeyInfo.billingKey;
  await sandbox.advance(60_000);
  const windowKey = (await sandbox.issueBillingKey({ customer: { fullName: '이창', phoneNumber: '010-9999-8888', email: 'lee@example.com', customerId: 'cust-2' } })).billingKey;
  await sandbox.advance(60_000);
  const deleted = (await client.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: card('5555555555554444') }, customer })).billingKeyInfo.billingKey;
  await client.billingKey.deleteBillingKey({ billingKey: deleted });
  const keys = async (filter: Filter, sort?: Filter): Promise<string[] | string> => {
    const response = await fetch(`${sandbox.url}/billing-keys?requestBody=${encodeURIComponent(JSON.stringify({ filter, ...(sort ? { sort } : {}) }))}`, { headers: { authorization: `PortOne ${sandbox.apiSecret}` } });
    const body = (await response.json()) as { items?: { billingKey: string }[]; type?: string };
    return body.items ? body.items.map((i) => i.billingKey) : `${response.status} ${body.type}`;
  };
  assert.deepEqual(await keys({}), [deleted, windowKey, api], 'REQUESTED_AT DESC by default');
  const cases: Record<string, () => Promise<void>> = {
    storeId: async () => assert.equal(await keys({ storeId: 'store-of-someone-else' }), '403 FORBIDDEN'),
    timeRangeField: async () => assert.deepEqual(await keys({ timeRangeField: 'DELETED_AT', from: new Date(T0).toISOString() }), [deleted]),
    from: async () => assert.deepEqual(await keys({ from: new Date(T0 + 60_000).toISOString() }), [deleted, windowKey]),
    until: async () => assert.deepEqual(await keys({ until: new Date(T0 + 60_000).toISOString() }), [api]),
    status: async () => assert.deepEqual(await keys({ status: ['DELETED'] }), [deleted]),
    channelGroupIds: async () => assert.deepEqual(await keys({ channelGroupIds: ['group-1'] }), [], 'the sandbox has no channel groups'),
    customerId: async () => assert.deepEqual(await keys({ customerId: 'cust-2' }), [windowKey]),
    platformType: async () => assert.deepEqual(await keys({ platformType: 'SDK_PC' }), [windowKey]),
    textSearch: async () => {
      assert.deepEqual(await keys({ textSearch: { field: 'CUSTOMER_EMAIL', value: 'lee@' } }), [windowKey]);
      assert.deepEqual(await keys({ textSearch: { field: 'CARD_NUMBER', value: '4444' } }), [deleted]);
    },
    pgProviders: async () => assert.deepEqual(await keys({ pgProviders: ['NICE_V2'] }), []),
    pgCompanies: async () => assert.equal((await keys({ pgCompanies: ['INICIS'] })).length, 3),
    methods: async () => {
      assert.equal((await keys({ methods: ['CARD'] })).length, 3);
      assert.deepEqual(await keys({ methods: ['MOBILE'] }), []);
    },
    version: async () => assert.deepEqual(await keys({ version: 'V1' }), []),
  };
  assert.deepEqual(Object.keys(cases).sort(), schemaFields('BillingKeyFilterInput'), 'a case for every field of PortOne\'s BillingKeyFilterInput');
  for (const [field, check] of Object.entries(cases)) await t.test(field, check);
  assert.deepEqual(await keys({}, { by: 'REQUESTED_AT', order: 'ASC' }), [api, windowKey, deleted]);
  assert.match(String(await keys({ methods: ['CARDS'] })), /^400 INVALID_REQUEST/, 'unknown billing-key methods are refused');
  await sandbox.advance(100 * DAY);
  assert.deepEqual(await keys({}), [], 'a hundred days later, none is in the default window');
});

test('GET /payment-schedules: until defaults to now (upcoming charges are not listed), TIME_TO_PAY DESC, every PaymentScheduleFilterInput field honoured', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: T0 });
  const client = PaymentClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url });
  const key = (await client.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: card() }, customer })).billingKeyInfo.billingKey;
  const live = (await client.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.live, method: { card: card() }, customer })).billingKeyInfo.billingKey;
  const at = (days: number) => new Date(T0 + days * DAY).toISOString();
  const schedule = async (paymentId: string, billingKey: string, days: number) =>
    (await client.paymentSchedule.createPaymentSchedule({ paymentId, payment: { billingKey, orderName: paymentId, amount: { total: 1_000 }, currency: 'KRW' }, timeToPay: at(days) })).schedule.id;
  const first = await schedule('s-1', key, 1);
  const second = await schedule('s-2', key, 2);
  const third = await schedule('s-3', live, 3);
  const ids = async (filter: Filter, sort?: Filter): Promise<string[] | string> => {
    const response = await fetch(`${sandbox.url}/payment-schedules?requestBody=${encodeURIComponent(JSON.stringify({ filter, ...(sort ? { sort } : {}) }))}`, { headers: { authorization: `PortOne ${sandbox.apiSecret}` } });
    const body = (await response.json()) as { items?: { id: string }[]; type?: string };
    return body.items ? body.items.map((i) => i.id) : `${response.status} ${body.type}`;
  };
  assert.deepEqual(await ids({}), [], 'nothing is due yet: until is now');
  await client.paymentSchedule.revokePaymentSchedules({ scheduleIds: [third] });
  await sandbox.advance(2 * DAY + 1);
  assert.deepEqual(await ids({}), [second, first], 'both ran: TIME_TO_PAY DESC by default');
  const future = { until: at(10) };
  const cases: Record<string, () => Promise<void>> = {
    storeId: async () => assert.equal(await ids({ storeId: 'store-of-someone-else' }), '403 FORBIDDEN'),
    billingKey: async () => assert.deepEqual(await ids({ ...future, billingKey: live }), [third]),
    from: async () => assert.deepEqual(await ids({ ...future, from: at(2) }), [third, second]),
    until: async () => assert.deepEqual(await ids(future), [third, second, first], 'upcoming ones with an until in the future'),
    status: async () => assert.deepEqual(await ids({ ...future, status: ['REVOKED'] }), [third]),
    isForTest: async () => assert.deepEqual(await ids({ ...future, isForTest: false }), [third]),
  };
  assert.deepEqual(Object.keys(cases).sort(), schemaFields('PaymentScheduleFilterInput'), 'a case for every field of PortOne\'s PaymentScheduleFilterInput');
  for (const [field, check] of Object.entries(cases)) await t.test(field, check);
  assert.deepEqual(await ids(future, { by: 'CREATED_AT', order: 'ASC' }), [first, second, third]);
  assert.match(String(await ids({ status: ['DONE'] })), /^400 INVALID_REQUEST/, 'unknown statuses are refused');
});
