// Billing keys and payment schedules with the real server SDK clients: issue, read, delete,
// charge, schedule, run on the sandbox clock, revoke, and manual-approval confirmations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BillingKeyClient, PaymentScheduleClient } from '@portone/server-sdk';
import { PayWithBillingKeyError, type PaidPayment } from '@portone/server-sdk/payment';
import {
  ConfirmBillingKeyError,
  ConfirmBillingKeyIssueAndPayError,
  DeleteBillingKeyError,
  GetBillingKeyInfoError,
  IssueBillingKeyError,
} from '@portone/server-sdk/payment/billingKey';
import {
  CreatePaymentScheduleError,
  GetPaymentScheduleError,
  GetPaymentSchedulesError,
  RevokePaymentSchedulesError,
} from '@portone/server-sdk/payment/paymentSchedule';
import { clientFor, rejection, startReceiver, verifyAll, webhookTypes, withSandbox } from './support.js';

const customer = { id: 'cust-1', name: { full: '김포트' }, phoneNumber: '010-1234-5678', email: 'kim@example.com' };
const credential = (number = '4242424242424242') => ({ number, expiryYear: '39', expiryMonth: '01', birthOrBusinessRegistrationNumber: '900101', passwordTwoDigits: '00' });
const start = Date.parse('2026-03-01T00:00:00+09:00');

test('POST /billing-keys issues a key from a keyed-in card; GET returns its BillingKeyInfo', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const keys = BillingKeyClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url });
  const issued = await keys.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: { credential: credential() } }, customer, customData: '{"plan":"basic"}' });
  assert.match(issued.billingKeyInfo.billingKey, /^billing-key-/);
  assert.equal(issued.billingKeyInfo.channels?.[0]?.key, sandbox.channelKeys.billingKey);
  const info = await keys.getBillingKeyInfo({ billingKey: issued.billingKeyInfo.billingKey });
  assert.equal(info.status, 'ISSUED');
  if (info.status === 'ISSUED') {
    assert.equal(info.storeId, sandbox.storeId);
    assert.equal(info.customer.id, 'cust-1');
    assert.equal(info.customer.name, '김포트');
    assert.equal(info.customData, '{"plan":"basic"}');
    assert.equal(info.methods?.[0]?.type, 'BillingKeyPaymentMethodCard');
    assert.equal(info.pgBillingKeyIssueResponses?.[0]?.type, 'ISSUED');
  }
  assert.deepEqual(sandbox.billingKey(issued.billingKeyInfo.billingKey), info);
  await sandbox.flushWebhooks();
  const events = await verifyAll(sandbox.webhookSecret, receiver.received);
  assert.deepEqual(events, [{ type: 'BillingKey.Issued', timestamp: events[0]!.type === 'BillingKey.Issued' ? (events[0] as { timestamp: string }).timestamp : '', data: { billingKey: issued.billingKeyInfo.billingKey, storeId: sandbox.storeId } }]);
});

test('POST /billing-keys: bad cards, channels and customers fail with the right types', async (t) => {
  const sandbox = await withSandbox(t);
  const keys = clientFor(sandbox).payment.billingKey;
  const stolen = await rejection(keys.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: { credential: credential('4000000000000119') } }, customer }));
  assert.ok(stolen instanceof IssueBillingKeyError);
  assert.equal(stolen.data.type, 'PG_PROVIDER');
  assert.equal(stolen.data.pgCode, 'V020');
  const channel = await rejection(keys.issueBillingKey({ channelKey: 'channel-key-unknown', method: { card: { credential: credential() } }, customer }));
  assert.equal(channel.data.type, 'CHANNEL_NOT_FOUND');
  const noEmail = await rejection(keys.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: { credential: credential() } }, customer: { name: { full: '김포트' }, phoneNumber: '010' } }));
  assert.equal(noEmail.data.type, 'INVALID_REQUEST');
  assert.match(noEmail.message, /customer\.email/);
  const noMethod = await rejection(keys.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: {}, customer }));
  assert.match(noMethod.message, /method\.card/);
  const badMonth = await rejection(keys.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: { credential: { ...credential(), expiryMonth: '13' } } }, customer }));
  assert.match(badMonth.message, /expiryMonth.*01 to 12.*"13"/);
  const missing = await rejection(keys.getBillingKeyInfo({ billingKey: 'billing-key-nope' }));
  assert.ok(missing instanceof GetBillingKeyInfoError);
  assert.equal(missing.data.type, 'BILLING_KEY_NOT_FOUND');
});

test('POST /payments/{id}/billing-key charges a key; declines are PG_PROVIDER with a FAILED payment', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const { payment } = clientFor(sandbox);
  const { billingKeyInfo } = await payment.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: { credential: credential() } }, customer });
  const charged = await payment.payWithBillingKey({ paymentId: 'sub-1', billingKey: billingKeyInfo.billingKey, orderName: '월간 이용권', amount: { total: 9_900 }, currency: 'KRW', customData: '{"period":1}' });
  assert.ok(charged.payment.pgTxId && charged.payment.paidAt);
  const read = (await payment.getPayment({ paymentId: 'sub-1' })) as PaidPayment;
  assert.equal(read.status, 'PAID');
  assert.equal(read.billingKey, billingKeyInfo.billingKey);
  assert.equal(read.customer.email, 'kim@example.com', 'the customer comes from the key');
  assert.equal(read.channel.key, sandbox.channelKeys.billingKey);

  sandbox.nextChargeOutcome({ result: 'decline' });
  const declined = await rejection(payment.payWithBillingKey({ paymentId: 'sub-2', billingKey: billingKeyInfo.billingKey, orderName: '월간 이용권', amount: { total: 9_900 }, currency: 'KRW' }));
  assert.ok(declined instanceof PayWithBillingKeyError);
  assert.equal(declined.data.type, 'PG_PROVIDER');
  assert.equal((await payment.getPayment({ paymentId: 'sub-2' })).status, 'FAILED');

  const limited = await payment.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: { credential: credential('4000000000009995') } }, customer });
  const broke = await rejection(payment.payWithBillingKey({ paymentId: 'sub-3', billingKey: limited.billingKeyInfo.billingKey, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW' }));
  assert.equal(broke.data.pgCode, 'V007', 'the test card declines every charge');

  const again = await rejection(payment.payWithBillingKey({ paymentId: 'sub-1', billingKey: billingKeyInfo.billingKey, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW' }));
  assert.equal(again.data.type, 'ALREADY_PAID');
  const unknown = await rejection(payment.payWithBillingKey({ paymentId: 'sub-4', billingKey: 'billing-key-nope', orderName: 'x', amount: { total: 1_000 }, currency: 'KRW' }));
  assert.equal(unknown.data.type, 'BILLING_KEY_NOT_FOUND');
  const wrongChannel = await rejection(payment.payWithBillingKey({ paymentId: 'sub-4', billingKey: billingKeyInfo.billingKey, channelKey: sandbox.channelKeys.payment, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW' }));
  assert.equal(wrongChannel.data.type, 'CHANNEL_NOT_FOUND');
  await payment.billingKey.deleteBillingKey({ billingKey: billingKeyInfo.billingKey, reason: '해지' });
  const deleted = await rejection(payment.payWithBillingKey({ paymentId: 'sub-4', billingKey: billingKeyInfo.billingKey, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW' }));
  assert.equal(deleted.data.type, 'BILLING_KEY_ALREADY_DELETED');

  await sandbox.flushWebhooks();
  await verifyAll(sandbox.webhookSecret, receiver.received);
  assert.deepEqual(webhookTypes(receiver.received), ['BillingKey.Issued', 'Transaction.Paid', 'Transaction.Failed', 'BillingKey.Issued', 'Transaction.Failed', 'BillingKey.Deleted']);
});

test('DELETE /billing-keys/{key}: DELETED with deletedAt; twice → ALREADY_DELETED; with schedules → PAYMENT_SCHEDULE_ALREADY_EXISTS', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: start });
  const { payment } = clientFor(sandbox);
  const { billingKeyInfo } = await payment.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: { credential: credential() } }, customer });
  const key = billingKeyInfo.billingKey;
  await payment.paymentSchedule.createPaymentSchedule({ paymentId: 'sched-d', payment: { billingKey: key, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW' }, timeToPay: '2026-04-01T00:00:00+09:00' });
  const blocked = await rejection(payment.billingKey.deleteBillingKey({ billingKey: key }));
  assert.ok(blocked instanceof DeleteBillingKeyError);
  assert.equal(blocked.data.type, 'PAYMENT_SCHEDULE_ALREADY_EXISTS');
  await payment.paymentSchedule.revokePaymentSchedules({ billingKey: key });
  const { deletedAt } = await payment.billingKey.deleteBillingKey({ billingKey: key, reason: '고객 요청', requester: 'CUSTOMER' });
  assert.equal(deletedAt, new Date(start).toISOString());
  const info = await payment.billingKey.getBillingKeyInfo({ billingKey: key });
  assert.equal(info.status, 'DELETED');
  assert.equal(info.status === 'DELETED' && info.deletedAt, deletedAt);
  const twice = await rejection(payment.billingKey.deleteBillingKey({ billingKey: key }));
  assert.equal(twice.data.type, 'BILLING_KEY_ALREADY_DELETED');
  const missing = await rejection(payment.billingKey.deleteBillingKey({ billingKey: 'billing-key-nope' }));
  assert.equal(missing.data.type, 'BILLING_KEY_NOT_FOUND');
  const requester = await rejection(payment.billingKey.deleteBillingKey({ billingKey: 'billing-key-nope', requester: 'ROBOT' as 'ADMIN' }));
  assert.equal(requester.data.type, 'INVALID_REQUEST');
  // A key whose window failed was never issued.
  const failed = await sandbox.issueBillingKey({}, { result: 'cancel' });
  const notIssued = await rejection(payment.billingKey.deleteBillingKey({ billingKey: failed.billingKey }));
  assert.equal(notIssued.data.type, 'BILLING_KEY_NOT_ISSUED');
  const list = await payment.billingKey.getBillingKeyInfos({ filter: { status: ['DELETED'] } });
  assert.deepEqual(list.items.map((i) => i.status === 'DELETED' && i.billingKey), [key]);
});

test('schedules: created SCHEDULED, run at timeToPay by advance(), Transaction.Paid / Failed to noticeUrls', async (t) => {
  const receiver = await startReceiver(t);
  const notices = await startReceiver(t);
  const sandbox = await withSandbox(t, { clock: 'manual', now: start, webhookUrls: [receiver.url] });
  const schedules = PaymentScheduleClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url });
  const { payment } = clientFor(sandbox);
  const { billingKeyInfo } = await payment.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: { credential: credential() } }, customer });
  const key = billingKeyInfo.billingKey;
  const first = await schedules.createPaymentSchedule({
    paymentId: 'month-2',
    payment: { billingKey: key, orderName: '3월 이용료', amount: { total: 9_900 }, currency: 'KRW', noticeUrls: [notices.url], customData: '{"month":3}' },
    timeToPay: '2026-03-02T00:00:00+09:00',
  });
  const second = await schedules.createPaymentSchedule({
    paymentId: 'month-3',
    payment: { billingKey: key, orderName: '4월 이용료', amount: { total: 9_900 }, currency: 'KRW' },
    timeToPay: '2026-03-03T00:00:00+09:00',
  });
  const read = await schedules.getPaymentSchedule({ paymentScheduleId: first.schedule.id });
  assert.equal(read.status, 'SCHEDULED');
  assert.equal(read.status === 'SCHEDULED' && read.timeToPay, '2026-03-01T15:00:00.000Z');
  assert.equal(read.status === 'SCHEDULED' && read.customData, '{"month":3}');

  await sandbox.advance(23 * 3_600_000);
  assert.equal((await schedules.getPaymentSchedule({ paymentScheduleId: first.schedule.id })).status, 'SCHEDULED', 'not due yet');
  await sandbox.advance(3_600_000);
  const ran = await schedules.getPaymentSchedule({ paymentScheduleId: first.schedule.id });
  assert.equal(ran.status, 'SUCCEEDED');
  const paid = (await payment.getPayment({ paymentId: 'month-2' })) as PaidPayment;
  assert.equal(paid.status, 'PAID');
  assert.equal(paid.scheduleId, first.schedule.id);
  assert.equal(paid.paidAt, '2026-03-01T15:00:00.000Z', 'paid at the scheduled time');

  sandbox.nextChargeOutcome({ result: 'decline', pgCode: 'V005', pgMessage: '카드 한도가 초과되었습니다.' });
  await sandbox.advance(24 * 3_600_000);
  assert.equal((await schedules.getPaymentSchedule({ paymentScheduleId: second.schedule.id })).status, 'FAILED');
  assert.equal((await payment.getPayment({ paymentId: 'month-3' })).status, 'FAILED');

  await sandbox.flushWebhooks();
  assert.deepEqual(webhookTypes(notices.received), ['Transaction.Paid'], 'the schedule noticeUrls take precedence');
  assert.deepEqual(webhookTypes(receiver.received), ['BillingKey.Issued', 'Transaction.Failed']);
  await verifyAll(sandbox.webhookSecret, [...notices.received, ...receiver.received]);

  const list = await schedules.getPaymentSchedules({ filter: { billingKey: key, status: ['SUCCEEDED', 'FAILED'] }, sort: { by: 'TIME_TO_PAY', order: 'ASC' } });
  assert.deepEqual(list.items.map((s) => s.status), ['SUCCEEDED', 'FAILED']);
  assert.equal(list.page.totalCount, 2);
  assert.equal((await schedules.getPaymentSchedules({ filter: { until: '2026-03-02T12:00:00+09:00' } })).page.totalCount, 1);
  assert.equal(sandbox.schedules().length, 2);
});

test('schedules: creation and revocation errors', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: start });
  const { payment } = clientFor(sandbox);
  const schedules = payment.paymentSchedule;
  const { billingKeyInfo } = await payment.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: { credential: credential() } }, customer });
  const key = billingKeyInfo.billingKey;
  const input = (paymentId: string, timeToPay = '2026-03-05T00:00:00+09:00') => ({ paymentId, payment: { billingKey: key, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW' as const }, timeToPay });

  const notRfc = await rejection(schedules.createPaymentSchedule(input('s-0', '2023-01-01 00:00:00')));
  assert.ok(notRfc instanceof CreatePaymentScheduleError);
  assert.equal(notRfc.data.type, 'INVALID_REQUEST');
  assert.match(notRfc.message, /timeToPay.*RFC 3339/);
  const noKey = await rejection(schedules.createPaymentSchedule({ ...input('s-0'), payment: { ...input('s-0').payment, billingKey: 'billing-key-nope' } }));
  assert.equal(noKey.data.type, 'BILLING_KEY_NOT_FOUND');
  const a = await schedules.createPaymentSchedule(input('s-1'));
  const dup = await rejection(schedules.createPaymentSchedule(input('s-1')));
  assert.equal(dup.data.type, 'PAYMENT_SCHEDULE_ALREADY_EXISTS');
  await sandbox.pay({ paymentId: 's-paid', totalAmount: 1_000 });
  const paid = await rejection(schedules.createPaymentSchedule(input('s-paid')));
  assert.equal(paid.data.type, 'ALREADY_PAID_OR_WAITING');
  const parts = await rejection(schedules.createPaymentSchedule({ ...input('s-2'), payment: { ...input('s-2').payment, amount: { total: 1_000, taxFree: 1_001 } } }));
  assert.equal(parts.data.type, 'SUM_OF_PARTS_EXCEEDS_TOTAL_AMOUNT');
  const missing = await rejection(schedules.getPaymentSchedule({ paymentScheduleId: 'nope' }));
  assert.ok(missing instanceof GetPaymentScheduleError);
  assert.equal(missing.data.type, 'PAYMENT_SCHEDULE_NOT_FOUND');
  const badList = await rejection(schedules.getPaymentSchedules({ sort: { by: 'AMOUNT' as 'CREATED_AT' } }));
  assert.ok(badList instanceof GetPaymentSchedulesError);
  assert.equal(badList.data.type, 'INVALID_REQUEST');

  const neither = await rejection(schedules.revokePaymentSchedules({}));
  assert.ok(neither instanceof RevokePaymentSchedulesError);
  assert.equal(neither.data.type, 'INVALID_REQUEST');
  const unknown = await rejection(schedules.revokePaymentSchedules({ scheduleIds: ['nope'] }));
  assert.equal(unknown.data.type, 'PAYMENT_SCHEDULE_NOT_FOUND');
  const revoked = await schedules.revokePaymentSchedules({ scheduleIds: [a.schedule.id] });
  assert.deepEqual(revoked.revokedScheduleIds, [a.schedule.id]);
  assert.equal((await schedules.getPaymentSchedule({ paymentScheduleId: a.schedule.id })).status, 'REVOKED');
  const twice = await rejection(schedules.revokePaymentSchedules({ scheduleIds: [a.schedule.id] }));
  assert.equal(twice.data.type, 'PAYMENT_SCHEDULE_ALREADY_REVOKED');
  await sandbox.advance(10 * 24 * 3_600_000);
  assert.equal(sandbox.payment('s-1'), undefined, 'a revoked schedule never runs');
  const b = await schedules.createPaymentSchedule(input('s-3', '2026-03-20T00:00:00+09:00'));
  await sandbox.advance(10 * 24 * 3_600_000);
  const processed = await rejection(schedules.revokePaymentSchedules({ scheduleIds: [b.schedule.id] }));
  assert.equal(processed.data.type, 'PAYMENT_SCHEDULE_ALREADY_PROCESSED');
  const byKey = await schedules.revokePaymentSchedules({ billingKey: key });
  assert.deepEqual(byKey.revokedScheduleIds, []);
  await payment.billingKey.deleteBillingKey({ billingKey: key });
  const deletedKey = await rejection(schedules.revokePaymentSchedules({ billingKey: key }));
  assert.equal(deletedKey.data.type, 'BILLING_KEY_ALREADY_DELETED');
});

test('manual approval of window-issued keys: /billing-keys/confirm and /billing-keys/confirm-issue-and-pay', async (t) => {
  const sandbox = await withSandbox(t, {
    channels: [
      { key: 'channel-key-pay', name: '결제', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest' },
      { key: 'channel-key-bill', name: '카드 정기 (수동승인)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst', manualApproval: true },
      { key: 'channel-key-phone', name: '휴대폰 정기 (수동승인)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst', manualApproval: true },
    ],
  });
  const { payment } = clientFor(sandbox);
  const issued = await sandbox.issueBillingKey({});
  assert.equal(issued.billingKey, 'NEEDS_CONFIRMATION');
  assert.ok(issued.billingIssueToken);
  const bad = await rejection(payment.billingKey.confirmBillingKey({ billingIssueToken: 'nope' }));
  assert.ok(bad instanceof ConfirmBillingKeyError);
  assert.equal(bad.data.type, 'BILLING_KEY_NOT_FOUND');
  const mismatch = await rejection(payment.billingKey.confirmBillingKey({ billingIssueToken: issued.billingIssueToken!, isTest: false }));
  assert.equal(mismatch.data.type, 'INFORMATION_MISMATCH');
  const { billingKey } = await payment.billingKey.confirmBillingKey({ billingIssueToken: issued.billingIssueToken!, isTest: true });
  assert.equal((await payment.billingKey.getBillingKeyInfo({ billingKey })).status, 'ISSUED');
  const twice = await rejection(payment.billingKey.confirmBillingKey({ billingIssueToken: issued.billingIssueToken! }));
  assert.ok(twice instanceof ConfirmBillingKeyError);
  assert.equal(twice.data.type, 'BILLING_KEY_ALREADY_ISSUED', 'a used token is known: it was already confirmed');

  const phone = await sandbox.issueBillingKeyAndPay({ paymentId: 'bkap-1', totalAmount: 4_900 });
  assert.equal(phone.txId, 'NEEDS_CONFIRMATION');
  assert.equal(sandbox.payment('bkap-1')?.status, 'READY');
  const wrongAmount = await rejection(payment.billingKey.confirmBillingKeyIssueAndPay({ billingIssueToken: phone.billingIssueToken!, totalAmount: 1 }));
  assert.equal(wrongAmount.data.type, 'INFORMATION_MISMATCH');
  const done = await payment.billingKey.confirmBillingKeyIssueAndPay({ billingIssueToken: phone.billingIssueToken!, paymentId: 'bkap-1', totalAmount: 4_900, currency: 'KRW' });
  assert.equal(done.paymentId, 'bkap-1');
  assert.equal(sandbox.payment('bkap-1')?.status, 'PAID');
  assert.equal((await payment.billingKey.getBillingKeyInfo({ billingKey: done.billingKey })).status, 'ISSUED');
  const paidOnce = JSON.stringify(sandbox.payment('bkap-1'));
  const again = await rejection(payment.billingKey.confirmBillingKeyIssueAndPay({ billingIssueToken: phone.billingIssueToken!, paymentId: 'bkap-1', totalAmount: 4_900, currency: 'KRW' }));
  assert.ok(again instanceof ConfirmBillingKeyIssueAndPayError);
  assert.equal(again.data.type, 'BILLING_KEY_ALREADY_ISSUED');
  assert.equal(JSON.stringify(sandbox.payment('bkap-1')), paidOnce, 'paid once');
});

test('manual approval of window-issued keys after manualApprovalTtlMs: KG Inicis refuses; the key (and its first payment) FAIL with webhooks', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, {
    clock: 'manual',
    now: start,
    webhookUrls: [receiver.url],
    channels: [
      { key: 'channel-key-pay', name: '결제', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest' },
      { key: 'channel-key-bill', name: '카드 정기 (수동승인)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst', manualApproval: true },
      { key: 'channel-key-phone', name: '휴대폰 정기 (수동승인)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIBillTst', manualApproval: true },
    ],
  });
  const { payment } = clientFor(sandbox);
  const issued = await sandbox.issueBillingKey({});
  const phone = await sandbox.issueBillingKeyAndPay({ paymentId: 'bkap-late', totalAmount: 4_900 });
  await sandbox.advance(600_001);
  await sandbox.flushWebhooks();
  const before = receiver.received.length;

  const refused = await rejection(payment.billingKey.confirmBillingKey({ billingIssueToken: issued.billingIssueToken! }));
  assert.ok(refused instanceof ConfirmBillingKeyError);
  assert.equal(refused.data.type, 'PG_PROVIDER');
  assert.equal(refused.data.pgCode, 'V801');
  const gone = await rejection(payment.billingKey.confirmBillingKey({ billingIssueToken: issued.billingIssueToken! }));
  assert.equal(gone.data.type, 'BILLING_KEY_NOT_FOUND', 'nothing waits for that token any more');
  assert.match(gone.message, /failed \(it could be confirmed until 2026-02-28T15:10:00.000Z\)/);

  // A mismatch is refused first and changes nothing; then KG Inicis refuses the late approval.
  const mismatch = await rejection(payment.billingKey.confirmBillingKeyIssueAndPay({ billingIssueToken: phone.billingIssueToken!, totalAmount: 1 }));
  assert.equal(mismatch.data.type, 'INFORMATION_MISMATCH');
  assert.equal(sandbox.payment('bkap-late')?.status, 'READY');
  const late = await rejection(payment.billingKey.confirmBillingKeyIssueAndPay({ billingIssueToken: phone.billingIssueToken!, paymentId: 'bkap-late' }));
  assert.ok(late instanceof ConfirmBillingKeyIssueAndPayError);
  assert.equal(late.data.type, 'PG_PROVIDER');
  assert.equal(sandbox.payment('bkap-late')?.status, 'FAILED');
  const lateAgain = await rejection(payment.billingKey.confirmBillingKeyIssueAndPay({ billingIssueToken: phone.billingIssueToken! }));
  assert.equal(lateAgain.data.type, 'BILLING_KEY_NOT_FOUND');
  await sandbox.flushWebhooks();
  assert.deepEqual(webhookTypes(receiver.received.slice(before)), ['BillingKey.Failed', 'BillingKey.Failed', 'Transaction.Failed']);
});

test('a schedule whose payment was paid some other way in the meantime does not charge again', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: start });
  const { payment } = clientFor(sandbox);
  const { billingKeyInfo } = await payment.billingKey.issueBillingKey({ channelKey: sandbox.channelKeys.billingKey, method: { card: { credential: credential() } }, customer });
  const { schedule } = await payment.paymentSchedule.createPaymentSchedule({ paymentId: 'twice', payment: { billingKey: billingKeyInfo.billingKey, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW' }, timeToPay: '2026-03-02T00:00:00+09:00' });
  // The window pays the same paymentId before the schedule is due (the API refuses this while SCHEDULED, the window does not check).
  await sandbox.pay({ paymentId: 'twice', totalAmount: 1_000 });
  const paid = (await payment.getPayment({ paymentId: 'twice' })) as PaidPayment;
  await sandbox.advance(2 * 24 * 3_600_000);
  const after = (await payment.getPayment({ paymentId: 'twice' })) as PaidPayment;
  assert.equal(after.transactionId, paid.transactionId, 'the window payment stands');
  assert.equal(after.billingKey, undefined);
  assert.equal((await payment.paymentSchedule.getPaymentSchedule({ paymentScheduleId: schedule.id })).status, 'FAILED');
});
