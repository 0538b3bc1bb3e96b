import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyPreparedBillingKey,
  applyPreparedIdentityVerification,
  applyPreparedOrder,
  buildBillingKeyAndPayRequest,
  buildBillingKeyRequest,
  buildIdentityVerificationRequest,
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

  test('an inicis-options flag the element does not know is refused (the rules only warn of the acceptmethod entry it becomes)', () => {
    const { request, violations } = buildPaymentRequest({ ...base, paymentId: 'p', orderName: 'n', totalAmount: 1000 }, { options: 'below1000 below100' });
    assert.deepEqual(violations.map((v) => [v.field, v.rule]), [['bypass.inicis_v2.acceptmethod', 'acceptmethod']]);
    assert.match(violations[0]!.message.en, /expected one of below1000, noeasypay, .*, got "below100"/);
    assert.deepEqual(request.bypass?.inicis_v2?.acceptmethod, ['below1000', 'below100']);
  });

  test('offer periods: intervals and open or closed ranges', () => {
    assert.deepEqual(parseOfferPeriod('1m'), { interval: '1m' });
    assert.deepEqual(parseOfferPeriod(' 2025-01-01 / 2025-06-30 '), { range: { from: '2025-01-01T00:00:00+09:00', to: '2025-06-30T23:59:59+09:00' } }, 'a date is that day in Korea');
    assert.deepEqual(parseOfferPeriod('2025-01-01/'), { range: { from: '2025-01-01T00:00:00+09:00' } });
    assert.deepEqual(parseOfferPeriod('/2025-06-30T12:00:00Z'), { range: { to: '2025-06-30T12:00:00Z' } }, 'a date-time is kept');
    for (const bad of ['', '/', 'monthly', '1 m', 'a/b/c']) assert.equal(parseOfferPeriod(bad), undefined, bad);
  });

  test('identity verification: no payment fields, customData as text, the birth date split, flgFixedUser always set', () => {
    assert.deepEqual(buildIdentityVerificationRequest({ ...base, identityVerificationId: 'iv', customerBirthDate: '1990-01-31', customData: '{"a":1}' }), {
      request: {
        storeId: 's',
        identityVerificationId: 'iv',
        channelKey: 'c',
        customer: { birthYear: '1990', birthMonth: '01', birthDay: '31', fullName: '홍길동', phoneNumber: '010', email: 'a@b.c' },
        customData: '{"a":1}',
        bypass: { inicisUnified: { flgFixedUser: 'N' } },
      },
      violations: [],
    });
    const built = buildIdentityVerificationRequest({ storeId: 's', customData: { a: 1 }, customerBirthDate: '31.01.1990', inicis: { logoUrl: 'https://x.example/l.png' } }, { fixedUser: true, directAgency: 'PASS' });
    assert.equal(built.request.customData, '{"a":1}', 'an object goes as JSON');
    assert.equal(built.request.customer, undefined);
    assert.deepEqual(built.request.bypass, { inicisUnified: { flgFixedUser: 'Y', directAgency: 'PASS', logoUrl: 'https://x.example/l.png' } });
    assert.deepEqual(built.violations.map((v) => [v.field, v.rule, v.message.en]), [['customerBirthDate', 'birth-date', 'customerBirthDate: expected a date as YYYY-MM-DD, got "31.01.1990"']]);
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

  test('identity verification: id, store, channel and customer; customData as JSON text', () => {
    const request = buildIdentityVerificationRequest({ ...base, identityVerificationId: 'page', customData: 'page' }).request;
    assert.deepEqual(applyPreparedIdentityVerification(request, { identityVerificationId: 'srv', channelKey: 'c2', customer: { fullName: '서버 고객' }, customData: { memberId: 'm' } }), {
      storeId: 's',
      identityVerificationId: 'srv',
      channelKey: 'c2',
      customer: { fullName: '서버 고객', phoneNumber: '010', email: 'a@b.c' },
      customData: '{"memberId":"m"}',
      bypass: { inicisUnified: { flgFixedUser: 'N' } },
    });
    assert.equal(applyPreparedIdentityVerification(request, { identityVerificationId: 'srv' }).customData, 'page', 'the page\'s own, when the kit decides none');
  });

  test('is checked against the contract before use', () => {
    checkPrepared('payment', { paymentId: 'p', orderName: 'n', totalAmount: 1000, currency: 'KRW' });
    checkPrepared('billing-key', { issueId: 'i', issueName: 'n' });
    checkPrepared('identity-verification', { identityVerificationId: 'iv' });
    for (const [kind, answer, field] of [
      ['payment', { paymentId: 'p', orderName: 'n', totalAmount: '1000', currency: 'KRW' }, 'totalAmount'],
      ['payment', { paymentId: 'p', orderName: 'n', totalAmount: 0, currency: 'KRW' }, 'totalAmount'],
      ['billing-key-and-pay', { paymentId: 'p', orderName: 'n', totalAmount: 10, currency: 'JPY' }, 'currency'],
      ['payment', null, 'paymentId'],
      ['billing-key', { issueId: 'i' }, 'issueName'],
      ['identity-verification', { identityVerificationId: '' }, 'identityVerificationId'],
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
  test('identity verification: an id, no amounts, customData as a string', () => {
    const iv = buildIdentityVerificationRequest({ storeId: 's', channelKey: 'c', identityVerificationId: 'iv', customData: 'text' }).request;
    const check = (change: object) => checkRequest('identity-verification', { ...iv, ...change } as never).map((v) => `${v.field}:${v.rule}`);
    assert.deepEqual(check({}), []);
    assert.deepEqual(check({ identityVerificationId: ' ', customData: { a: 1 } }), ['identityVerificationId:required', 'customData:custom-data']);
    assert.equal(checkRequest('identity-verification', { ...iv, identityVerificationId: '' })[0]!.message.en, 'identityVerificationId: expected an identityVerificationId, got nothing');
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
