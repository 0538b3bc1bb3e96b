import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyPreparedBillingKey,
  applyPreparedOrder,
  buildBillingKeyAndPayRequest,
  buildBillingKeyRequest,
  buildPaymentRequest,
  checkRequest,
  mergeRequest,
  parseItems,
  parseOfferPeriod,
  withAliases,
} from '../../src/client/request.js';
import { checkPrepared, CheckoutApiError } from '../../src/client/api.js';
import type { Violation } from '../../src/inicis/violation.js';

const base = { storeId: 's', channelKey: 'c', customerName: '홍길동', customerPhone: '010', customerEmail: 'a@b.c' };

describe('building', () => {
  test('a payment from attribute values; unset and empty values are left out', () => {
    assert.deepEqual(buildPaymentRequest({ ...base, paymentId: 'p', orderName: 'n', totalAmount: 1000, customerId: '', locale: undefined }), {
      request: { storeId: 's', channelKey: 'c', customer: { fullName: '홍길동', phoneNumber: '010', email: 'a@b.c' }, paymentId: 'p', orderName: 'n', totalAmount: 1000, currency: 'KRW', payMethod: 'CARD' },
      violations: [],
    });
  });

  test('a billing key defaults to CARD; billing-key-and-pay sends the guide’s PHONE as MOBILE', () => {
    assert.equal(buildBillingKeyRequest({ ...base }).request.billingKeyMethod, 'CARD');
    assert.equal(buildBillingKeyAndPayRequest({ ...base, billingKeyAndPayMethod: 'PHONE' }).request.billingKeyAndPayMethod, 'MOBILE');
    assert.equal(buildBillingKeyAndPayRequest({ ...base }).request.billingKeyAndPayMethod, 'MOBILE');
  });

  test('withAliases sends PHONE as MOBILE however the request got it, and leaves everything else alone', () => {
    const request = { storeId: 's', billingKeyAndPayMethod: 'PHONE' };
    assert.deepEqual(withAliases(request), { storeId: 's', billingKeyAndPayMethod: 'MOBILE' });
    assert.equal(request.billingKeyAndPayMethod, 'PHONE', 'a copy: the page\'s object is not changed');
    const other = { storeId: 's', payMethod: 'CARD' };
    assert.equal(withAliases(other), other);
  });

  test('bad JSON and unreadable offer periods are reported with the field', () => {
    const { violations } = buildPaymentRequest({ ...base, customData: '{oops', offerPeriod: 'monthly' });
    assert.deepEqual(violations.map((v) => [v.field, v.rule]), [['offerPeriod', 'offer-period-format'], ['customData', 'json']]);
    assert.equal(violations[1]!.message.en, 'customData: expected a JSON object, got "{oops"');
  });

  test('offer periods: intervals and open or closed ranges', () => {
    assert.deepEqual(parseOfferPeriod('1m'), { interval: '1m' });
    assert.deepEqual(parseOfferPeriod(' 2025-01-01 / 2025-06-30 '), { range: { from: '2025-01-01', to: '2025-06-30' } });
    assert.deepEqual(parseOfferPeriod('2025-01-01/'), { range: { from: '2025-01-01' } });
    assert.deepEqual(parseOfferPeriod('/2025-06-30'), { range: { to: '2025-06-30' } });
    for (const bad of ['', '/', 'monthly', '1 m', 'a/b/c']) assert.equal(parseOfferPeriod(bad), undefined, bad);
  });

  test('.request replaces keys shallowly; its undefined values do not erase', () => {
    const { request } = buildPaymentRequest({ ...base, paymentId: 'p', orderName: 'n', totalAmount: 1000 });
    const merged = mergeRequest(request, { orderName: 'm', customer: undefined, isEscrow: true });
    assert.equal(merged.orderName, 'm');
    assert.equal(merged.isEscrow, true);
    assert.deepEqual(merged.customer, request.customer);
  });
});

describe('the kit’s prepare answer', () => {
  const page = buildPaymentRequest({ ...base, paymentId: 'page', orderName: 'page', totalAmount: 1, taxFreeAmount: 1, vatAmount: 1, customData: { a: 1 } }).request;

  test('wins over the page for ids and money, even for fields it leaves out', () => {
    const out = applyPreparedOrder(page, { paymentId: 'srv', orderName: '서버', totalAmount: 5000, currency: 'USD', customer: { email: 'srv@x.y' } });
    assert.deepEqual(out, {
      storeId: 's',
      channelKey: 'c',
      customer: { fullName: '홍길동', phoneNumber: '010', email: 'srv@x.y' },
      customData: { a: 1 },
      paymentId: 'srv',
      orderName: '서버',
      totalAmount: 5000,
      currency: 'USD',
      payMethod: 'CARD',
    });
  });

  test('billing keys: id, title, plan amount and period', () => {
    const request = buildBillingKeyRequest({ ...base, issueId: 'page', issueName: 'page' }).request;
    assert.deepEqual(applyPreparedBillingKey(request, { issueId: 'srv', issueName: '플랜', displayAmount: 9900, currency: 'KRW', offerPeriodInterval: '1m', storeId: 's2' }), {
      storeId: 's2',
      channelKey: 'c',
      customer: { fullName: '홍길동', phoneNumber: '010', email: 'a@b.c' },
      billingKeyMethod: 'CARD',
      offerPeriod: { interval: '1m' },
      issueId: 'srv',
      issueName: '플랜',
      displayAmount: 9900,
      currency: 'KRW',
    });
  });

  test('is checked against the contract before use', () => {
    checkPrepared('payment', { paymentId: 'p', orderName: 'n', totalAmount: 1000, currency: 'KRW' });
    checkPrepared('billing-key', { issueId: 'i', issueName: 'n' });
    for (const [kind, answer, field] of [
      ['payment', { paymentId: 'p', orderName: 'n', totalAmount: '1000', currency: 'KRW' }, 'totalAmount'],
      ['payment', { paymentId: 'p', orderName: 'n', totalAmount: 0, currency: 'KRW' }, 'totalAmount'],
      ['billing-key-and-pay', { paymentId: 'p', orderName: 'n', totalAmount: 10, currency: 'JPY' }, 'currency'],
      ['payment', null, 'paymentId'],
      ['billing-key', { issueId: 'i' }, 'issueName'],
    ] as const) {
      assert.throws(() => checkPrepared(kind, answer), (error: CheckoutApiError) => error.code === 'BAD_RESPONSE' && error.message.includes(field), `${kind} ${field}`);
    }
  });
});

describe('general checks', () => {
  const valid = buildPaymentRequest({ ...base, paymentId: 'p', orderName: 'n', totalAmount: 1000 }).request;
  const rules = (change: object, kind: 'payment' | 'billing-key' = 'payment') => checkRequest(kind, { ...valid, ...change } as never).map((v) => `${v.field}:${v.rule}`);

  test('a valid request passes', () => assert.deepEqual(rules({}), []));
  test('store and channel (or channel group)', () => {
    assert.deepEqual(rules({ storeId: ' ', channelKey: undefined }), ['storeId:required', 'channelKey:required']);
    assert.deepEqual(rules({ channelKey: undefined, channelGroupId: 'g' }), []);
  });
  test('amounts are integers in range', () => {
    assert.deepEqual(rules({ totalAmount: 0 }), ['totalAmount:amount']);
    assert.deepEqual(rules({ totalAmount: Number.NaN }), ['totalAmount:amount']);
    assert.deepEqual(rules({ taxFreeAmount: -1, vatAmount: 1001 }), ['taxFreeAmount:amount', 'vatAmount:amount']);
    assert.deepEqual(rules({ totalAmount: undefined, displayAmount: 1.5 }, 'billing-key'), ['displayAmount:amount']);
  });
  test('window types, URLs, custom data', () => {
    assert.deepEqual(rules({ windowType: { pc: 'POPUP', mobile: 'SHEET' } }), ['windowType.mobile:window-type']);
    assert.deepEqual(rules({ windowType: { pc: 'IFRAME', mobile: 'REDIRECTION' } }), []);
    const ui = checkRequest('payment', { ...valid, windowType: { pc: 'UI' } });
    assert.deepEqual(ui.map((v) => v.message.en), ['windowType.pc: expected one of IFRAME, POPUP, REDIRECTION, got "UI"'], 'UI is for loadable UIs, not windows');
    assert.deepEqual(rules({ redirectUrl: '/relative' }), ['redirectUrl:url']);
    assert.deepEqual(rules({ noticeUrls: ['https://ok.example/h', 'mailto:x'] }), ['noticeUrls:url']);
    assert.deepEqual(rules({ customData: 'text' }), ['customData:custom-data']);
  });
});

describe('items', () => {
  test('a JSON array or an array of {id, quantity}', () => {
    const violations: Violation[] = [];
    assert.deepEqual(parseItems('[{"id":"a","quantity":2}]', violations), [{ id: 'a', quantity: 2 }]);
    assert.deepEqual(parseItems([{ id: 'b', quantity: 1 }], violations), [{ id: 'b', quantity: 1 }]);
    assert.equal(parseItems(undefined, violations), undefined);
    assert.deepEqual(violations, []);
  });
  test('anything else is one violation naming items', () => {
    for (const bad of ['not json', '[]', '{"id":"a"}', '[{"id":"a","quantity":0}]', '[{"id":"","quantity":1}]', '[{"quantity":1}]']) {
      const violations: Violation[] = [];
      assert.equal(parseItems(bad, violations), undefined, bad);
      assert.deepEqual(violations.map((v) => v.field), ['items'], bad);
    }
  });
});
