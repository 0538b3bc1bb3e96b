// The payment endpoints, with the real @portone/server-sdk clients as the peer: shapes, status
// codes, error `type`s and typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PaymentClient } from '@portone/server-sdk';
import {
  CancelPaymentError,
  CloseVirtualAccountError,
  ConfirmPaymentError,
  GetPaymentError,
  GetPaymentsError,
  PayInstantlyError,
  PreRegisterPaymentError,
  ResendWebhookError,
  type PaidPayment,
  type Payment,
} from '@portone/server-sdk/payment';
import { BANKS, createSandbox } from '../../src/sandbox/index.js';
import { clientFor, rejection, startReceiver, succeeded, verifyAll, withSandbox } from './support.js';

const customer = { name: { full: '김포트' }, phoneNumber: '010-1234-5678', email: 'kim@example.com' };
const card = { credential: { number: '4242424242424242', expiryYear: '39', expiryMonth: '12', birthOrBusinessRegistrationNumber: '900101', passwordTwoDigits: '00' } };

test('GET /payments/{id} returns the Payment a window approved, typed as PaidPayment', async (t) => {
  const sandbox = await withSandbox(t);
  const { payment } = clientFor(sandbox);
  await sandbox.pay({ paymentId: 'order-1', orderName: '나이키 와플 트레이너 2 SD', totalAmount: 12_000, customData: { item: 'sku-1' } });
  const read = (await payment.getPayment({ paymentId: 'order-1' })) as PaidPayment;
  assert.equal(read.status, 'PAID');
  assert.equal(read.id, 'order-1');
  assert.equal(read.storeId, sandbox.storeId);
  assert.equal(read.version, 'V2');
  assert.equal(read.orderName, '나이키 와플 트레이너 2 SD');
  assert.equal(read.currency, 'KRW');
  assert.deepEqual(read.amount, { total: 12_000, taxFree: 0, vat: 1091, supply: 10_909, discount: 0, paid: 12_000, cancelled: 0, cancelledTaxFree: 0 });
  assert.equal(read.customData, '{"item":"sku-1"}', 'customData comes back as a JSON string');
  assert.equal(read.channel.key, sandbox.channelKeys.payment);
  assert.equal(read.channel.type, 'TEST');
  assert.equal(read.channel.pgProvider, 'INICIS_V2');
  assert.equal(read.method?.type, 'PaymentMethodCard');
  assert.match(read.pgTxId!, /^StdpayCARD/);
  assert.deepEqual(read.disputes, []);
  assert.equal(read.customer.name, '홍길동');
  assert.ok(Date.parse(read.paidAt) > 0);
});

test('GET /payments/{id}: ids are path-encoded and decoded once (slashes, spaces, non-ASCII)', async (t) => {
  const sandbox = await withSandbox(t);
  const { payment } = clientFor(sandbox);
  await sandbox.pay({ paymentId: 'pay 1/2', totalAmount: 5_000 });
  assert.equal((await payment.getPayment({ paymentId: 'pay 1/2' })).status, 'PAID');
  const missing = await rejection(payment.getPayment({ paymentId: 'pay 1/ä' }));
  assert.ok(missing instanceof GetPaymentError);
  assert.equal(missing.data.type, 'PAYMENT_NOT_FOUND');
});

test('GET /payments/{id}: unknown → 404 PAYMENT_NOT_FOUND; another store → 403 FORBIDDEN', async (t) => {
  const sandbox = await withSandbox(t);
  const { payment } = clientFor(sandbox);
  const missing = await rejection(payment.getPayment({ paymentId: 'nope' }));
  assert.ok(missing instanceof GetPaymentError);
  assert.equal(missing.data.type, 'PAYMENT_NOT_FOUND');
  assert.match(missing.message, /nope/);
  const response = await fetch(`${sandbox.url}/payments/nope`, { headers: { authorization: `PortOne ${sandbox.apiSecret}` } });
  assert.equal(response.status, 404);
  await sandbox.pay({ paymentId: 'mine', totalAmount: 1_000 });
  const forbidden = await rejection(payment.getPayment({ paymentId: 'mine', storeId: 'store-someone-else' }));
  assert.ok(forbidden instanceof GetPaymentError);
  assert.equal(forbidden.data.type, 'FORBIDDEN');
  assert.equal((await payment.getPayment({ paymentId: 'mine', storeId: sandbox.storeId })).status, 'PAID');
});

test('GET /payments (requestBody query): filters, sort and pages', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: Date.parse('2026-01-01T00:00:00Z') });
  const payments = PaymentClient({ secret: sandbox.apiSecret, baseUrl: sandbox.url });
  for (let i = 0; i < 5; i++) {
    await sandbox.pay({ paymentId: `list-${i}`, totalAmount: 1_000 + i });
    await sandbox.advance(1_000);
  }
  await sandbox.pay({ paymentId: 'list-va', totalAmount: 2_000, payMethod: 'VIRTUAL_ACCOUNT' });
  await sandbox.pay({ paymentId: 'list-failed', totalAmount: 3_000 }, { result: 'decline' });
  const all = await payments.getPayments({});
  assert.equal(all.page.totalCount, 7);
  assert.equal(all.page.size, 10);
  assert.equal(all.page.number, 0);
  const paid = await payments.getPayments({ filter: { status: ['PAID'] }, page: { number: 1, size: 2 } });
  assert.equal(paid.page.totalCount, 5);
  assert.deepEqual(paid.items.map((p) => p.status === 'PAID' && p.id), ['list-2', 'list-1'], 'newest first, second page of two');
  const asc = await payments.getPayments({ filter: { status: ['PAID'], sortOrder: 'ASC' }, page: { size: 1 } });
  assert.equal((asc.items[0] as PaidPayment).id, 'list-0');
  const va = await payments.getPayments({ filter: { methods: ['VIRTUAL_ACCOUNT'] } });
  assert.deepEqual(va.items.map((p) => (p as PaidPayment).id), ['list-va']);
  const failed = await payments.getPayments({ filter: { status: ['FAILED'] } });
  assert.deepEqual(failed.items.map((p) => (p as PaidPayment).id), ['list-failed']);
  const search = await payments.getPayments({ filter: { textSearch: [{ field: 'PAYMENT_ID', value: 'list-3' }] } });
  assert.equal(search.page.totalCount, 1);
  const live = await payments.getPayments({ filter: { isTest: false } });
  assert.equal(live.page.totalCount, 0);
  const timed = await payments.getPayments({ filter: { from: '2026-01-01T00:00:01Z', until: '2026-01-01T00:00:03Z' } });
  assert.deepEqual(timed.items.map((p) => (p as PaidPayment).id).sort(), ['list-1', 'list-2']);
  const bad = await rejection(payments.getPayments({ page: { size: -1 } }));
  assert.ok(bad instanceof GetPaymentsError);
  assert.equal(bad.data.type, 'INVALID_REQUEST');
  assert.match(bad.message, /page\.size/);
});

test('POST /payments/{id}/pre-register: stores the amount; a paid payment → 409 ALREADY_PAID', async (t) => {
  const sandbox = await withSandbox(t);
  const { payment } = clientFor(sandbox);
  assert.deepEqual(await payment.preRegisterPayment({ paymentId: 'pre-1', totalAmount: 5_000, currency: 'KRW' }), {});
  await sandbox.pay({ paymentId: 'pre-1', totalAmount: 5_000 });
  const again = await rejection(payment.preRegisterPayment({ paymentId: 'pre-1', totalAmount: 5_000, currency: 'KRW' }));
  assert.ok(again instanceof PreRegisterPaymentError);
  assert.equal(again.data.type, 'ALREADY_PAID');
  const bad = await rejection(payment.preRegisterPayment({ paymentId: 'pre-2', totalAmount: 0 }));
  assert.equal(bad.data.type, 'INVALID_REQUEST');
  assert.match(bad.message, /totalAmount.*positive integer.*got 0/);
});

test('POST /payments/{id}/cancel: partial then full, never beyond the cancellable amount', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const { payment } = clientFor(sandbox);
  await sandbox.pay({ paymentId: 'c-1', totalAmount: 10_000 });
  const first = await payment.cancelPayment({ paymentId: 'c-1', amount: 3_000, reason: '부분 환불', currentCancellableAmount: 10_000 });
  assert.equal(first.cancellation.status, 'SUCCEEDED');
  assert.equal(succeeded(first.cancellation).totalAmount, 3_000);
  assert.equal(succeeded(first.cancellation).vatAmount, 273);
  let read = await payment.getPayment({ paymentId: 'c-1' });
  assert.equal(read.status, 'PARTIAL_CANCELLED');
  assert.equal((read as Payment & { amount: { cancelled: number } }).amount.cancelled, 3_000);

  const stale = await rejection(payment.cancelPayment({ paymentId: 'c-1', amount: 1_000, reason: 'x', currentCancellableAmount: 10_000 }));
  assert.ok(stale instanceof CancelPaymentError);
  assert.equal(stale.data.type, 'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN');
  const tooMuch = await rejection(payment.cancelPayment({ paymentId: 'c-1', amount: 7_001, reason: 'x' }));
  assert.equal(tooMuch.data.type, 'CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT');
  const noReason = await rejection(fetch(`${sandbox.url}/payments/c-1/cancel`, { method: 'POST', headers: { authorization: `PortOne ${sandbox.apiSecret}` }, body: '{}' }).then(async (r) => { throw { status: r.status, body: await r.json() }; }));
  assert.equal(noReason.status, 400);
  assert.equal(noReason.body.type, 'INVALID_REQUEST');
  assert.match(noReason.body.message, /`reason`/);

  const rest = await payment.cancelPayment({ paymentId: 'c-1', reason: '전액 환불' });
  assert.equal(succeeded(rest.cancellation).totalAmount, 7_000);
  read = await payment.getPayment({ paymentId: 'c-1' });
  assert.equal(read.status, 'CANCELLED');
  if (read.status === 'CANCELLED') {
    assert.equal(read.cancellations.length, 2);
    assert.equal(read.amount.cancelled, 10_000);
  }
  const twice = await rejection(payment.cancelPayment({ paymentId: 'c-1', reason: 'again' }));
  assert.equal(twice.data.type, 'PAYMENT_ALREADY_CANCELLED');

  await sandbox.flushWebhooks();
  const events = await verifyAll(sandbox.webhookSecret, receiver.received);
  const cancels = events.filter((e) => e.type === 'Transaction.PartialCancelled' || e.type === 'Transaction.Cancelled');
  assert.deepEqual(cancels.map((e) => e.type), ['Transaction.PartialCancelled', 'Transaction.Cancelled']);
  for (const e of cancels) assert.ok('data' in e && 'cancellationId' in e.data && e.data.cancellationId);
});

test('POST /payments/{id}/cancel: tax-free and VAT parts are checked', async (t) => {
  const sandbox = await withSandbox(t);
  const { payment } = clientFor(sandbox);
  await sandbox.pay({ paymentId: 'tax-1', totalAmount: 10_000, taxFreeAmount: 2_000 });
  const taxFree = await rejection(payment.cancelPayment({ paymentId: 'tax-1', amount: 5_000, taxFreeAmount: 2_001, reason: 'x' }));
  assert.equal(taxFree.data.type, 'CANCEL_TAX_FREE_AMOUNT_EXCEEDS_CANCELLABLE_TAX_FREE_AMOUNT');
  const parts = await rejection(payment.cancelPayment({ paymentId: 'tax-1', amount: 1_000, taxFreeAmount: 900, vatAmount: 200, reason: 'x' }));
  assert.equal(parts.data.type, 'SUM_OF_PARTS_EXCEEDS_CANCEL_AMOUNT');
  const taxable = await rejection(payment.cancelPayment({ paymentId: 'tax-1', amount: 9_000, taxFreeAmount: 0, reason: 'x' }));
  assert.equal(taxable.data.type, 'CANCEL_TAX_AMOUNT_EXCEEDS_CANCELLABLE_TAX_AMOUNT');
  const ok = await payment.cancelPayment({ paymentId: 'tax-1', amount: 3_000, taxFreeAmount: 1_000, reason: 'x' });
  assert.equal(succeeded(ok.cancellation).taxFreeAmount, 1_000);
});

test('POST /payments/{id}/cancel: unpaid → PAYMENT_NOT_PAID; virtual accounts need a refund account; phone payments only in full', async (t) => {
  const sandbox = await withSandbox(t);
  const { payment } = clientFor(sandbox);
  await sandbox.pay({ paymentId: 'va-1', totalAmount: 20_000, payMethod: 'VIRTUAL_ACCOUNT' });
  const notPaid = await rejection(payment.cancelPayment({ paymentId: 'va-1', reason: 'x' }));
  assert.equal(notPaid.data.type, 'PAYMENT_NOT_PAID');
  await sandbox.deposit('va-1');
  const noAccount = await rejection(payment.cancelPayment({ paymentId: 'va-1', reason: 'x' }));
  assert.equal(noAccount.data.type, 'INVALID_REQUEST');
  assert.match(noAccount.message, /refundAccount/);
  const badAccount = await rejection(payment.cancelPayment({ paymentId: 'va-1', reason: 'x', refundAccount: { bank: 'SHINHAN', number: '12-34', holderName: '김포트' } }));
  assert.match(badAccount.message, /refundAccount\.number/);
  const refunded = await payment.cancelPayment({ paymentId: 'va-1', reason: '환불', refundAccount: { bank: 'SHINHAN', number: '110123456789', holderName: '김포트' } });
  assert.equal(succeeded(refunded.cancellation).totalAmount, 20_000);
  const read = await payment.getPayment({ paymentId: 'va-1' });
  assert.equal(read.status, 'CANCELLED');
  assert.equal(read.status === 'CANCELLED' && read.method?.type === 'PaymentMethodVirtualAccount' && read.method.refundStatus, 'COMPLETED');

  await sandbox.pay({ paymentId: 'phone-1', totalAmount: 5_000, payMethod: 'MOBILE', productType: 'DIGITAL' });
  const partialPhone = await rejection(payment.cancelPayment({ paymentId: 'phone-1', amount: 1_000, reason: 'x' }));
  assert.equal(partialPhone.data.type, 'PG_PROVIDER');
  assert.equal(partialPhone.data.pgCode, 'M301');
  assert.equal(succeeded((await payment.cancelPayment({ paymentId: 'phone-1', reason: 'x' })).cancellation).totalAmount, 5_000);
  const missing = await rejection(payment.cancelPayment({ paymentId: 'nope', reason: 'x' }));
  assert.equal(missing.data.type, 'PAYMENT_NOT_FOUND');
});

test('POST /payments/{id}/instant: a keyed-in card is PAID; test cards decline with PG_PROVIDER and a FAILED payment', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const { payment } = clientFor(sandbox);
  const paid = await payment.payInstantly({ paymentId: 'inst-1', channelKey: sandbox.channelKeys.payment, method: { card }, orderName: '수기결제', amount: { total: 30_000 }, currency: 'KRW', customer });
  assert.match(paid.payment.pgTxId, /^INIAPICARD/);
  const read = await payment.getPayment({ paymentId: 'inst-1' });
  assert.equal(read.status, 'PAID');
  assert.equal(read.status === 'PAID' && read.method?.type === 'PaymentMethodCard' && read.method.card?.number, '421468******4242');

  const declined = await rejection(payment.payInstantly({ paymentId: 'inst-2', channelKey: sandbox.channelKeys.payment, method: { card: { credential: { ...card.credential, number: '4000000000000002' } } }, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW', customer }));
  assert.ok(declined instanceof PayInstantlyError);
  assert.deepEqual(declined.data, { type: 'PG_PROVIDER', message: '[V005] 카드 한도가 초과되었습니다.', pgCode: 'V005', pgMessage: '카드 한도가 초과되었습니다.' });
  const failed = await payment.getPayment({ paymentId: 'inst-2' });
  assert.equal(failed.status, 'FAILED');
  assert.equal(failed.status === 'FAILED' && failed.failure.pgCode, 'V005');

  const luhn = await rejection(payment.payInstantly({ paymentId: 'inst-3', channelKey: sandbox.channelKeys.payment, method: { card: { credential: { ...card.credential, number: '4242424242424241' } } }, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW', customer }));
  assert.equal(luhn.data.type, 'PG_PROVIDER');
  const expired = await rejection(payment.payInstantly({ paymentId: 'inst-3', channelKey: sandbox.channelKeys.payment, method: { card: { credential: { ...card.credential, expiryYear: '20' } } }, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW', customer }));
  assert.equal(expired.data.pgCode, 'V013');
  const again = await rejection(payment.payInstantly({ paymentId: 'inst-1', channelKey: sandbox.channelKeys.payment, method: { card }, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW', customer }));
  assert.equal(again.data.type, 'ALREADY_PAID');
  const channel = await rejection(payment.payInstantly({ paymentId: 'inst-4', channelKey: 'channel-key-nope', method: { card }, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW', customer }));
  assert.equal(channel.data.type, 'CHANNEL_NOT_FOUND');
  const noCustomer = await rejection(payment.payInstantly({ paymentId: 'inst-4', channelKey: sandbox.channelKeys.payment, method: { card }, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW', customer: { name: { full: '김포트' } } }));
  assert.equal(noCustomer.data.type, 'INVALID_REQUEST');
  assert.match(noCustomer.message, /customer\.phoneNumber.*customer\.email/);
  const parts = await rejection(payment.payInstantly({ paymentId: 'inst-4', channelKey: sandbox.channelKeys.payment, method: { card }, orderName: 'x', amount: { total: 1_000, taxFree: 900, vat: 200 }, currency: 'KRW', customer }));
  assert.equal(parts.data.type, 'SUM_OF_PARTS_EXCEEDS_TOTAL_AMOUNT');
  const both = await rejection(payment.payInstantly({ paymentId: 'inst-4', channelKey: sandbox.channelKeys.payment, method: {}, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW', customer }));
  assert.match(both.message, /exactly one of `card` or `virtualAccount`/);
  sandbox.nextChargeOutcome({ result: 'decline', pgCode: 'V031', pgMessage: '비밀번호 오류 횟수를 초과했습니다.' });
  const queued = await rejection(payment.payInstantly({ paymentId: 'inst-5', channelKey: sandbox.channelKeys.payment, method: { card }, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW', customer }));
  assert.equal(queued.data.pgCode, 'V031');

  await sandbox.flushWebhooks();
  const events = await verifyAll(sandbox.webhookSecret, receiver.received);
  assert.deepEqual(events.map((e) => e.type), ['Transaction.Paid', 'Transaction.Failed', 'Transaction.Failed']);
});

test('POST /payments/{id}/instant: an API virtual account (FIXED only) is issued, then deposited', async (t) => {
  const sandbox = await withSandbox(t);
  const { payment } = clientFor(sandbox);
  const issued = await payment.payInstantly({
    paymentId: 'va-api',
    channelKey: sandbox.channelKeys.payment,
    method: { virtualAccount: { bank: 'SHINHAN', expiry: { validHours: 24 }, option: { type: 'FIXED', fixed: { accountNumber: '56211102345678' } }, remitteeName: '테스트' } },
    orderName: '가상계좌',
    amount: { total: 10_000 },
    currency: 'KRW',
    customer,
  });
  assert.ok(issued.payment.pgTxId);
  const read = await payment.getPayment({ paymentId: 'va-api' });
  assert.equal(read.status, 'VIRTUAL_ACCOUNT_ISSUED');
  if (read.status === 'VIRTUAL_ACCOUNT_ISSUED' && read.method?.type === 'PaymentMethodVirtualAccount') {
    assert.equal(read.method.accountNumber, '56211102345678');
    assert.equal(read.method.accountType, 'FIXED');
    assert.equal(read.method.bank, 'SHINHAN');
    assert.equal(Date.parse(read.method.expiredAt!) - Date.parse(read.method.issuedAt!), 24 * 3_600_000);
  } else assert.fail('expected a virtual account');
  const normal = await rejection(payment.payInstantly({ paymentId: 'va-normal', channelKey: sandbox.channelKeys.payment, method: { virtualAccount: { bank: 'SHINHAN', expiry: { validHours: 24 }, option: { type: 'NORMAL' } } }, orderName: 'x', amount: { total: 1_000 }, currency: 'KRW', customer }));
  assert.equal(normal.data.type, 'INVALID_REQUEST');
  assert.match(normal.message, /FIXED/);
  const usd = await rejection(payment.payInstantly({ paymentId: 'va-usd', channelKey: sandbox.channelKeys.payment, method: { virtualAccount: { bank: 'SHINHAN', expiry: { validHours: 24 }, option: { type: 'FIXED' } } }, orderName: 'x', amount: { total: 1_000 }, currency: 'USD', customer }));
  assert.match(usd.message, /USD for card payments only/);
  const paid = await sandbox.deposit('va-api');
  assert.equal(paid.status, 'PAID');
});

test('POST /payments/{id}/confirm: manual approval pays only after the server confirms', async (t) => {
  const sandbox = await withSandbox(t, {
    channels: [{ key: 'channel-key-manual', name: '수동승인', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest', manualApproval: true }],
  });
  const { payment } = clientFor(sandbox);
  const result = await sandbox.pay({ paymentId: 'man-1', totalAmount: 7_000 });
  assert.ok(result.paymentToken, 'the window answers with a paymentToken');
  assert.equal((await payment.getPayment({ paymentId: 'man-1' })).status, 'READY');
  const wrongToken = await rejection(payment.confirmPayment({ paymentId: 'man-1', paymentToken: 'nope' }));
  assert.ok(wrongToken instanceof ConfirmPaymentError);
  assert.equal(wrongToken.data.type, 'INVALID_PAYMENT_TOKEN');
  const mismatch = await rejection(payment.confirmPayment({ paymentId: 'man-1', paymentToken: result.paymentToken!, totalAmount: 6_000, currency: 'KRW' }));
  assert.equal(mismatch.data.type, 'INFORMATION_MISMATCH');
  assert.match(mismatch.message, /totalAmount 6000/);
  const confirmed = await payment.confirmPayment({ paymentId: 'man-1', paymentToken: result.paymentToken!, txId: result.txId, totalAmount: 7_000, currency: 'KRW', isTest: true });
  assert.ok(confirmed.pgTxId && confirmed.paidAt);
  assert.equal((await payment.getPayment({ paymentId: 'man-1' })).status, 'PAID');
  const twice = await rejection(payment.confirmPayment({ paymentId: 'man-1', paymentToken: result.paymentToken! }));
  assert.equal(twice.data.type, 'ALREADY_PAID');
  const missing = await rejection(payment.confirmPayment({ paymentId: 'nope', paymentToken: 'x' }));
  assert.equal(missing.data.type, 'PAYMENT_NOT_FOUND');
});

test('POST /payments/{id}/confirm: a token confirmed after manualApprovalTtlMs is refused by KG Inicis; the payment FAILS with Transaction.Failed', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, {
    clock: 'manual',
    now: Date.parse('2026-03-01T12:00:00+09:00'),
    webhookUrls: [receiver.url],
    channels: [{ key: 'channel-key-manual', name: '수동승인', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest', manualApproval: true }],
  });
  const { payment } = clientFor(sandbox);
  // The default lifetime is ten minutes of sandbox time: at exactly ten minutes it still confirms.
  const onTime = await sandbox.pay({ paymentId: 'ttl-1', totalAmount: 7_000 });
  await sandbox.advance(600_000);
  assert.ok((await payment.confirmPayment({ paymentId: 'ttl-1', paymentToken: onTime.paymentToken! })).pgTxId);
  assert.equal(sandbox.payment('ttl-1')?.status, 'PAID');

  const late = await sandbox.pay({ paymentId: 'ttl-2', totalAmount: 7_000 });
  await sandbox.advance(600_001);
  assert.equal(sandbox.payment('ttl-2')?.status, 'READY', 'PortOne learns of the timeout only when it asks KG Inicis to approve');
  // Checks that need no PG come first: a wrong amount is still INFORMATION_MISMATCH, and changes nothing.
  const mismatch = await rejection(payment.confirmPayment({ paymentId: 'ttl-2', paymentToken: late.paymentToken!, totalAmount: 1 }));
  assert.equal(mismatch.data.type, 'INFORMATION_MISMATCH');
  assert.equal(sandbox.payment('ttl-2')?.status, 'READY');
  const refused = await rejection(payment.confirmPayment({ paymentId: 'ttl-2', paymentToken: late.paymentToken!, totalAmount: 7_000 }));
  assert.ok(refused instanceof ConfirmPaymentError);
  assert.equal(refused.data.type, 'PG_PROVIDER');
  assert.deepEqual([refused.data.pgCode, refused.data.pgMessage], ['V801', '인증 후 승인 가능 시간이 지나 승인할 수 없습니다.']);
  const failed = sandbox.payment('ttl-2');
  assert.equal(failed?.status, 'FAILED');
  assert.equal(failed?.status === 'FAILED' && failed.failure.pgCode, 'V801');
  assert.match(failed?.status === 'FAILED' ? failed.failure.reason ?? '' : '', /수동 승인 가능 시간\(2026-03-01T03:20:00.000Z까지\)/);
  const again = await rejection(payment.confirmPayment({ paymentId: 'ttl-2', paymentToken: late.paymentToken! }));
  assert.equal(again.data.type, 'INVALID_PAYMENT_TOKEN', 'the attempt is over: its token belongs to nothing now');
  await sandbox.flushWebhooks();
  await verifyAll(sandbox.webhookSecret, receiver.received);
  const bodies = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: { paymentId?: string } });
  assert.deepEqual(bodies.filter((w) => w.data.paymentId === 'ttl-2').map((w) => w.type), ['Transaction.Ready', 'Transaction.Failed']);
});

test('manualApprovalTtlMs sets the lifetime (a virtual account confirmed late is never issued); bad values are refused', async (t) => {
  const sandbox = await withSandbox(t, {
    clock: 'manual',
    manualApprovalTtlMs: 60_000,
    channels: [{ key: 'channel-key-manual', name: '수동승인', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest', manualApproval: true }],
  });
  const { payment } = clientFor(sandbox);
  const va = await sandbox.pay({ paymentId: 'ttl-va', totalAmount: 30_000, payMethod: 'VIRTUAL_ACCOUNT' });
  await sandbox.advance(60_001);
  const refused = await rejection(payment.confirmPayment({ paymentId: 'ttl-va', paymentToken: va.paymentToken! }));
  assert.equal(refused.data.type, 'PG_PROVIDER');
  assert.equal(sandbox.payment('ttl-va')?.status, 'FAILED');
  for (const value of [0, -1, 1.5, '600000', 86_400_001]) {
    await assert.rejects(createSandbox({ manualApprovalTtlMs: value as number }), /manualApprovalTtlMs: expected whole ms from 1 to 86400000 \(a day\), got/);
  }
});

test('POST /payments/{id}/virtual-account/close: closes an unpaid account; anything else → PAYMENT_NOT_WAITING_FOR_DEPOSIT', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const { payment } = clientFor(sandbox);
  await sandbox.pay({ paymentId: 'close-1', totalAmount: 9_000, payMethod: 'VIRTUAL_ACCOUNT' });
  const closed = await payment.closeVirtualAccount({ paymentId: 'close-1' });
  assert.ok(Date.parse(closed.closedAt) > 0);
  const read = await payment.getPayment({ paymentId: 'close-1' });
  assert.equal(read.status, 'FAILED');
  const again = await rejection(payment.closeVirtualAccount({ paymentId: 'close-1' }));
  assert.ok(again instanceof CloseVirtualAccountError);
  assert.equal(again.data.type, 'PAYMENT_NOT_WAITING_FOR_DEPOSIT');
  await assert.rejects(sandbox.deposit('close-1'), /FAILED, not a VIRTUAL_ACCOUNT_ISSUED/);
  await sandbox.flushWebhooks();
  assert.deepEqual((await verifyAll(sandbox.webhookSecret, receiver.received)).map((e) => e.type), ['Transaction.Ready', 'Transaction.VirtualAccountIssued', 'Transaction.Failed']);
});

test('POST /payments/{id}/resend-webhook: re-sends the latest (or a given) webhook as a new MANUAL one', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  const { payment } = clientFor(sandbox);
  await sandbox.pay({ paymentId: 'rs-1', totalAmount: 1_000 });
  await sandbox.flushWebhooks();
  const { webhook } = await payment.resendWebhook({ paymentId: 'rs-1' });
  assert.equal(webhook.trigger, 'MANUAL');
  assert.equal(webhook.url, receiver.url);
  await sandbox.flushWebhooks();
  const events = await verifyAll(sandbox.webhookSecret, receiver.received);
  assert.deepEqual(events.map((e) => e.type), ['Transaction.Ready', 'Transaction.Paid', 'Transaction.Paid']);
  assert.equal(receiver.received[2]!.body, receiver.received[1]!.body, 'the same payload');
  assert.notEqual(receiver.received[2]!.headers['webhook-id'], receiver.received[1]!.headers['webhook-id']);
  const read = await payment.getPayment({ paymentId: 'rs-1' });
  assert.equal(read.status === 'PAID' && read.webhooks?.length, 3);

  const readyId = (read as PaidPayment).webhooks![0]!.id;
  assert.equal((await payment.resendWebhook({ paymentId: 'rs-1', webhookId: readyId })).webhook.paymentStatus, 'READY');
  const unknown = await rejection(payment.resendWebhook({ paymentId: 'rs-1', webhookId: 'nope' }));
  assert.ok(unknown instanceof ResendWebhookError);
  assert.equal(unknown.data.type, 'WEBHOOK_NOT_FOUND');
  for (let i = 1; i < 5; i++) await payment.resendWebhook({ paymentId: 'rs-1', webhookId: readyId });
  const limit = await rejection(payment.resendWebhook({ paymentId: 'rs-1', webhookId: readyId }));
  assert.equal(limit.data.type, 'MAX_WEBHOOK_RETRY_COUNT_REACHED');
  const none = await rejection(payment.resendWebhook({ paymentId: 'nope' }));
  assert.equal(none.data.type, 'PAYMENT_NOT_FOUND');
  // Without webhookId: the most recent webhook, even when that is a manual resend itself.
  const latest = (await payment.getPayment({ paymentId: 'rs-1' }) as PaidPayment).webhooks!.at(-1)!;
  assert.equal(latest.trigger, 'MANUAL');
  const again = await payment.resendWebhook({ paymentId: 'rs-1' });
  assert.deepEqual([again.webhook.paymentStatus, again.webhook.request?.body], [latest.paymentStatus, latest.request?.body]);
  await sandbox.flushWebhooks();
  await verifyAll(sandbox.webhookSecret, receiver.received);
});

test('every REST Bank is accepted: refund accounts, API virtual accounts and the window (KDB, SC, Suhyup, securities…)', async (t) => {
  const sandbox = await withSandbox(t);
  const { payment } = clientFor(sandbox);
  assert.equal(BANKS.length, 79, "the server SDK's Bank enum");
  const banks = ['KDB', 'STANDARD_CHARTERED', 'SUHYUP', 'KFCC', 'MIRAE_ASSET_SECURITIES'] as const;
  for (const [i, bank] of banks.entries()) {
    await sandbox.pay({ paymentId: `bank-va-${i}`, totalAmount: 10_000, payMethod: 'VIRTUAL_ACCOUNT' }, { result: 'approve', bank });
    const issued = sandbox.payment(`bank-va-${i}`)!;
    assert.equal(issued.status === 'VIRTUAL_ACCOUNT_ISSUED' && issued.method?.type === 'PaymentMethodVirtualAccount' && issued.method.bank, bank, 'the window');
    await sandbox.deposit(`bank-va-${i}`);
    const { cancellation } = await payment.cancelPayment({ paymentId: `bank-va-${i}`, reason: '환불', refundAccount: { bank, number: '1234567890', holderName: '김포트' } });
    assert.equal(succeeded(cancellation).totalAmount, 10_000, `refund account at ${bank}`);
    const instant = await payment.payInstantly({
      paymentId: `bank-api-${i}`,
      channelKey: sandbox.channelKeys.payment,
      method: { virtualAccount: { bank, expiry: { validHours: 2 }, option: { type: 'FIXED' } } },
      orderName: '계좌',
      amount: { total: 1_000 },
      currency: 'KRW',
      customer,
    });
    assert.equal(instant.payment.pgTxId !== undefined, true, `API virtual account at ${bank}`);
  }
  await sandbox.pay({ paymentId: 'bank-va-sc', totalAmount: 10_000, payMethod: 'VIRTUAL_ACCOUNT' });
  await sandbox.deposit('bank-va-sc');
  // `SC` is the browser SDK's spelling family, not a REST Bank (that is STANDARD_CHARTERED).
  const unknown = await rejection(payment.cancelPayment({ paymentId: 'bank-va-sc', reason: 'x', refundAccount: { bank: 'SC', number: '1', holderName: '김' } }));
  assert.ok(unknown instanceof CancelPaymentError);
  assert.equal(unknown.data.type, 'INVALID_REQUEST');
  assert.match(unknown.message, /refundAccount\.bank/);
});
