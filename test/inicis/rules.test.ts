import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IdentityVerificationRequest, IssueBillingKeyAndPayRequest, IssueBillingKeyRequest, PaymentRequest } from '@portone/browser-sdk/v2';
import { checkInicisRequest, INICIS_DIRECT_AGENCIES, type Device, type InicisCheck, type InicisRule } from '../../src/inicis/index.js';

const customer = { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'hong@example.com' };
/** A phone's window redirects: every valid request says where to come back to. */
const redirectUrl = 'https://shop.example/return';

function payment(change: Partial<PaymentRequest> = {}): PaymentRequest {
  return { storeId: 'store-1', channelKey: 'ch-1', paymentId: 'order-1', orderName: '티셔츠', totalAmount: 12000, currency: 'KRW', payMethod: 'CARD', customer, redirectUrl, ...change };
}
function billingKey(change: Partial<IssueBillingKeyRequest> = {}): IssueBillingKeyRequest {
  return { storeId: 'store-1', channelKey: 'ch-2', billingKeyMethod: 'CARD', issueId: 'issue-1', issueName: '월간 구독', customer, offerPeriod: { interval: '1m' }, redirectUrl, ...change } as IssueBillingKeyRequest;
}
function andPay(change: Partial<IssueBillingKeyAndPayRequest> = {}): IssueBillingKeyAndPayRequest {
  return { storeId: 'store-1', channelKey: 'ch-3', paymentId: 'order-2', orderName: '월간 구독', totalAmount: 9900, currency: 'KRW', billingKeyAndPayMethod: 'MOBILE', productType: 'DIGITAL', customer, offerPeriod: { interval: '1m' }, redirectUrl, ...change } as IssueBillingKeyAndPayRequest;
}

/** Asserts exactly one violation, for `rule` on `field`, with both messages naming the field. */
function assertOne(result: InicisCheck, rule: InicisRule, field: string) {
  assert.deepEqual(result.violations.map((v) => [v.rule, v.field]), [[rule, field]], JSON.stringify(result.violations));
  const [v] = result.violations;
  assert.ok(v!.message.ko.startsWith(`${field}: `), v!.message.ko);
  assert.ok(v!.message.en.startsWith(`${field}: expected `), v!.message.en);
  assert.match(v!.message.en, /, got /);
  assert.match(v!.message.ko, /받은 값: /);
}

describe('valid requests pass', () => {
  for (const device of ['pc', 'mobile'] as Device[]) {
    test(`payment, billing key and billing-key-and-pay on ${device}`, () => {
      assert.deepEqual(checkInicisRequest('payment', payment(), device), { violations: [], warnings: [] });
      assert.deepEqual(checkInicisRequest('billing-key', billingKey(), device), { violations: [], warnings: [] });
      assert.deepEqual(checkInicisRequest('billing-key-and-pay', andPay(), device), { violations: [], warnings: [] });
    });
  }
});

describe('customer', () => {
  test('needs fullName, or firstName and lastName', () => {
    assertOne(checkInicisRequest('payment', payment({ customer: { ...customer, fullName: ' ' } }), 'pc'), 'customer-name', 'customer.fullName');
    assertOne(checkInicisRequest('payment', payment({ customer: { ...customer, fullName: undefined, firstName: '길동' } }), 'mobile'), 'customer-name', 'customer.fullName');
    assert.deepEqual(checkInicisRequest('billing-key', billingKey({ customer: { ...customer, fullName: undefined, firstName: '길동', lastName: '홍' } }), 'pc').violations, []);
  });

  test('phone and e-mail are required on PC, optional on mobile', () => {
    const noPhone = { ...customer, phoneNumber: undefined };
    const noEmail = { ...customer, email: undefined };
    assertOne(checkInicisRequest('payment', payment({ customer: noPhone }), 'pc'), 'customer-contact', 'customer.phoneNumber');
    assertOne(checkInicisRequest('billing-key', billingKey({ customer: noEmail }), 'pc'), 'customer-contact', 'customer.email');
    assert.deepEqual(checkInicisRequest('payment', payment({ customer: noPhone }), 'mobile').violations, []);
    assert.deepEqual(checkInicisRequest('billing-key', billingKey({ customer: noEmail }), 'mobile').violations, []);
  });

  test('billing-key-and-pay needs phone and e-mail on every device', () => {
    assertOne(checkInicisRequest('billing-key-and-pay', andPay({ customer: { ...customer, phoneNumber: '' } }), 'mobile'), 'customer-contact', 'customer.phoneNumber');
    assertOne(checkInicisRequest('billing-key-and-pay', andPay({ customer: { ...customer, email: undefined } }), 'mobile'), 'customer-contact', 'customer.email');
  });

  test('an e-mail must look like one, in every request (identity verification\'s too)', () => {
    assertOne(checkInicisRequest('payment', payment({ customer: { ...customer, email: 'hong.example.com' } }), 'mobile'), 'customer-contact', 'customer.email');
    const identity = { storeId: 'store-1', channelKey: 'ch-iv', identityVerificationId: 'iv-1', redirectUrl, customer: { email: 'hong.example.com' } };
    assertOne(checkInicisRequest('identity-verification', identity, 'pc'), 'customer-contact', 'customer.email');
  });

  test('the name KG Inicis gets is at most 30 bytes: fullName, else "lastName firstName"', () => {
    const long = checkInicisRequest('payment', payment({ customer: { ...customer, fullName: '가나다라마바사아자차카' } }), 'pc'); // 33 bytes
    assertOne(long, 'customer-name', 'customer.fullName');
    assert.match(long.violations[0]!.message.en, /at most 30 UTF-8 bytes, got "33 bytes"/);
    assert.deepEqual(checkInicisRequest('payment', payment({ customer: { ...customer, fullName: '가나다라마바사아자차' } }), 'pc').violations, []);
    const separated = { ...customer, fullName: undefined, lastName: '남궁', firstName: '가나다라마바사아' }; // 6 + 1 + 24 bytes
    assertOne(checkInicisRequest('billing-key', billingKey({ customer: separated }), 'mobile'), 'customer-name', 'customer.lastName');
  });

  test('a gender is one of the SDK\'s', () => {
    assertOne(checkInicisRequest('payment', payment({ customer: { ...customer, gender: 'M' as never } }), 'pc'), 'customer-gender', 'customer.gender');
    assert.deepEqual(checkInicisRequest('payment', payment({ customer: { ...customer, gender: 'GENDER_FEMALE' } }), 'pc').violations, []);
  });

  test('messages say PC only where the rule is PC-only', () => {
    const [v] = checkInicisRequest('payment', payment({ customer: { ...customer, email: undefined } }), 'pc').violations;
    assert.equal(v!.message.en, 'customer.email: expected an e-mail address on PC, got nothing');
    assert.equal(v!.message.ko, 'customer.email: PC에서 필수 (받은 값: 없음)');
  });
});

describe('ids', () => {
  test('paymentId and issueId are printable ASCII', () => {
    assertOne(checkInicisRequest('payment', payment({ paymentId: '주문-1' }), 'pc'), 'ascii-id', 'paymentId');
    assertOne(checkInicisRequest('billing-key-and-pay', andPay({ paymentId: 'a\tb' }), 'pc'), 'ascii-id', 'paymentId');
    assertOne(checkInicisRequest('billing-key', billingKey({ issueId: 'é' }), 'pc'), 'ascii-id', 'issueId');
    assert.match(checkInicisRequest('payment', payment({ paymentId: '주문-1' }), 'pc').violations[0]!.message.en, /got "주문-1"/);
  });

  test('billing keys need issueId and issueName', () => {
    assertOne(checkInicisRequest('billing-key', billingKey({ issueId: undefined }), 'pc'), 'issue-fields', 'issueId');
    assertOne(checkInicisRequest('billing-key', billingKey({ issueName: '' }), 'pc'), 'issue-fields', 'issueName');
  });

  test('payments need an order name; over 40 bytes only warns', () => {
    assertOne(checkInicisRequest('payment', payment({ orderName: '' }), 'pc'), 'order-name', 'orderName');
    const long = checkInicisRequest('payment', payment({ orderName: '가'.repeat(14) }), 'pc'); // 42 bytes
    assert.deepEqual(long.violations, []);
    assert.deepEqual(long.warnings.map((w) => [w.rule, w.field]), [['order-name', 'orderName']]);
    assert.match(long.warnings[0]!.message.en, /got "42 bytes"/);
    assert.deepEqual(checkInicisRequest('payment', payment({ orderName: 'a'.repeat(40) }), 'pc').warnings, []);
  });
});

describe('methods', () => {
  test('billingKeyMethod must be CARD', () => {
    assertOne(checkInicisRequest('billing-key', billingKey({ billingKeyMethod: 'MOBILE' }), 'pc'), 'billing-key-method', 'billingKeyMethod');
    assertOne(checkInicisRequest('billing-key', billingKey({ billingKeyMethod: undefined }), 'pc'), 'billing-key-method', 'billingKeyMethod');
  });

  test('billingKeyAndPayMethod must be MOBILE (PHONE is not an SDK value)', () => {
    const result = checkInicisRequest('billing-key-and-pay', andPay({ billingKeyAndPayMethod: 'PHONE' as never }), 'pc');
    assertOne(result, 'billing-key-and-pay-method', 'billingKeyAndPayMethod');
    assert.match(result.violations[0]!.message.en, /MOBILE/);
  });

  test('payMethod must be one KG Inicis offers', () => {
    assertOne(checkInicisRequest('payment', payment({ payMethod: 'PAYPAL' }), 'pc'), 'pay-method', 'payMethod');
    for (const payMethod of ['TRANSFER', 'VIRTUAL_ACCOUNT', 'EASY_PAY'] as const) {
      assert.deepEqual(checkInicisRequest('payment', payment({ payMethod }), 'pc').violations, [], payMethod);
    }
  });
});

describe('offer period and product type', () => {
  test('mobile billing needs an offer period; PC does not', () => {
    assertOne(checkInicisRequest('billing-key', billingKey({ offerPeriod: undefined }), 'mobile'), 'offer-period', 'offerPeriod');
    assertOne(checkInicisRequest('billing-key-and-pay', andPay({ offerPeriod: undefined }), 'mobile'), 'offer-period', 'offerPeriod');
    assert.deepEqual(checkInicisRequest('billing-key', billingKey({ offerPeriod: undefined }), 'pc').violations, []);
  });

  test('the interval is 1m or 1y; a range needs from before to, as RFC 3339 date-times', () => {
    const [jan, dec] = ['2025-01-01T00:00:00+09:00', '2025-12-31T23:59:59+09:00'];
    assertOne(checkInicisRequest('billing-key', billingKey({ offerPeriod: { interval: '2w' } }), 'pc'), 'offer-period', 'offerPeriod');
    assertOne(checkInicisRequest('billing-key', billingKey({ offerPeriod: { range: { from: jan } } }), 'pc'), 'offer-period', 'offerPeriod');
    assertOne(checkInicisRequest('billing-key', billingKey({ offerPeriod: { range: { from: dec, to: jan } } }), 'pc'), 'offer-period', 'offerPeriod');
    assertOne(checkInicisRequest('billing-key', billingKey({ offerPeriod: { range: { from: '2025-01-01', to: '2025-12-31' } } }), 'pc'), 'offer-period', 'offerPeriod');
    assert.deepEqual(checkInicisRequest('billing-key', billingKey({ offerPeriod: { interval: '1y' } }), 'pc').violations, []);
    assert.deepEqual(checkInicisRequest('billing-key', billingKey({ offerPeriod: { range: { from: jan, to: dec } } }), 'pc').violations, []);
  });

  test('a payment\'s offer period has the SDK\'s shape: one of an interval (<n>d, m or y) and a range', () => {
    assert.deepEqual(checkInicisRequest('payment', payment({ offerPeriod: { interval: '30d' } }), 'pc').violations, []);
    assert.deepEqual(checkInicisRequest('payment', payment({ offerPeriod: { range: { to: '2025-12-31T23:59:59+09:00' } } }), 'mobile').violations, []);
    const both = { interval: '1m', range: { from: '2025-01-01T00:00:00+09:00' } } as unknown as PaymentRequest['offerPeriod'];
    const interval = checkInicisRequest('payment', payment({ offerPeriod: { interval: 'monthly' } }), 'pc');
    assertOne(interval, 'offer-period', 'offerPeriod');
    assert.match(interval.violations[0]!.message.en, /an interval \(30d, 1m …\)/);
    assertOne(checkInicisRequest('payment', payment({ offerPeriod: both }), 'pc'), 'offer-period', 'offerPeriod');
  });

  test('productType for billing-key-and-pay and phone payments', () => {
    assertOne(checkInicisRequest('billing-key-and-pay', andPay({ productType: undefined }), 'pc'), 'product-type', 'productType');
    assertOne(checkInicisRequest('payment', payment({ payMethod: 'MOBILE' }), 'pc'), 'product-type', 'productType');
    assert.deepEqual(checkInicisRequest('payment', payment({ payMethod: 'MOBILE', productType: 'PRODUCT_TYPE_REAL' }), 'pc').violations, []);
  });

  test('a productType that is set is one of the SDK\'s, whatever the pay method', () => {
    const food = checkInicisRequest('payment', payment({ productType: 'FOOD' as never }), 'pc');
    assertOne(food, 'product-type', 'productType');
    assert.equal(food.violations[0]!.message.en, 'productType: expected REAL or DIGITAL, got "FOOD"');
    assertOne(checkInicisRequest('billing-key', billingKey({ productType: 'PRODUCT_TYPE_FOOD' as never }), 'pc'), 'product-type', 'productType');
    assert.deepEqual(checkInicisRequest('payment', payment({ productType: 'DIGITAL' }), 'pc').violations, []);
    assert.deepEqual(checkInicisRequest('billing-key', billingKey({ productType: 'PRODUCT_TYPE_REAL' }), 'pc').violations, []);
  });
});

describe('currency and locale', () => {
  test('payments in KRW, or USD by card', () => {
    assertOne(checkInicisRequest('payment', payment({ currency: 'JPY' }), 'pc'), 'currency', 'currency');
    assertOne(checkInicisRequest('payment', payment({ currency: 'USD', payMethod: 'TRANSFER' }), 'pc'), 'currency', 'currency');
    assert.deepEqual(checkInicisRequest('payment', payment({ currency: 'USD' }), 'pc').violations, []);
    assert.deepEqual(checkInicisRequest('payment', payment({ currency: 'CURRENCY_KRW' }), 'pc').violations, []);
  });

  test('billing keys: USD on PC only; billing-key-and-pay: KRW only', () => {
    assert.deepEqual(checkInicisRequest('billing-key', billingKey({ currency: 'USD' }), 'pc').violations, []);
    assertOne(checkInicisRequest('billing-key', billingKey({ currency: 'USD' }), 'mobile'), 'currency', 'currency');
    assertOne(checkInicisRequest('billing-key-and-pay', andPay({ currency: 'USD' }), 'pc'), 'currency', 'currency');
  });

  test('locales per module: another of the SDK\'s only warns (shown in Korean), as where the locale is ignored', () => {
    const warned = (result: InicisCheck) => [result.violations, result.warnings.map((w) => w.rule)];
    assert.deepEqual(checkInicisRequest('payment', payment({ locale: 'ZH_CN' }), 'pc'), { violations: [], warnings: [] });
    const chinese = checkInicisRequest('payment', payment({ locale: 'ZH_CN' }), 'mobile');
    assert.deepEqual(warned(chinese), [[], ['locale']]);
    assert.match(chinese.warnings[0]!.message.en, /^locale: expected KO_KR, EN_US \(another is shown in Korean\), got "ZH_CN"$/);
    assert.deepEqual(warned(checkInicisRequest('payment', payment({ locale: 'JA_JP' }), 'pc')), [[], ['locale']]);
    assert.deepEqual(warned(checkInicisRequest('billing-key', billingKey({ locale: 'EN_US' }), 'mobile')), [[], ['locale']]);
    assert.deepEqual(warned(checkInicisRequest('billing-key', billingKey({ locale: 'JA_JP' }), 'mobile')), [[], ['locale']]);
    assert.deepEqual(checkInicisRequest('billing-key-and-pay', andPay({ locale: 'KO_KR' }), 'mobile'), { violations: [], warnings: [] });
  });

  test('a locale outside the SDK\'s is refused, wherever the window is', () => {
    const unknown = checkInicisRequest('billing-key-and-pay', andPay({ locale: 'KLINGON' as never }), 'pc');
    assertOne(unknown, 'locale', 'locale');
    assert.equal(unknown.violations[0]!.message.en, 'locale: expected one of the SDK\'s Locale values, got "KLINGON"');
    assertOne(checkInicisRequest('payment', payment({ locale: 'ko' as never }), 'mobile'), 'locale', 'locale');
  });
});

describe('bypass.inicis_v2', () => {
  const withInicis = (inicis: NonNullable<PaymentRequest['bypass']>['inicis_v2'], change: Partial<PaymentRequest> = {}) =>
    payment({ bypass: { inicis_v2: inicis }, ...change });
  const field = 'bypass.inicis_v2.';

  test('SKIN is a #RRGGBB colour', () => {
    assertOne(checkInicisRequest('payment', withInicis({ acceptmethod: ['SKIN(red)'] }), 'pc'), 'skin', `${field}acceptmethod`);
    assertOne(checkInicisRequest('payment', withInicis({ acceptmethod: ['SKIN(#C1272)'] }), 'pc'), 'skin', `${field}acceptmethod`);
    assert.deepEqual(checkInicisRequest('payment', withInicis({ acceptmethod: ['SKIN(#c1272c)'] }), 'pc').violations, []);
  });

  test('slimquota and mallpoint formats', () => {
    assert.deepEqual(checkInicisRequest('payment', withInicis({ acceptmethod: ['slimquota(11-2:3^34-2:3)', 'mallpoint(11:34)'] }), 'pc').violations, []);
    assertOne(checkInicisRequest('payment', withInicis({ acceptmethod: ['slimquota(11:2-3)'] }), 'pc'), 'slimquota', `${field}acceptmethod`);
    assertOne(checkInicisRequest('payment', withInicis({ acceptmethod: ['mallpoint(11-34)'] }), 'pc'), 'mallpoint', `${field}acceptmethod`);
  });

  test('acceptmethod and P_RESERVED entries the guide does not list only warn (KG Inicis ignores them)', () => {
    const accept = checkInicisRequest('payment', withInicis({ acceptmethod: ['below100'] }), 'pc');
    assert.deepEqual([accept.violations, accept.warnings.map((w) => [w.rule, w.field])], [[], [['acceptmethod', `${field}acceptmethod`]]]);
    const reserved = checkInicisRequest('payment', withInicis({ P_RESERVED: ['below1000'] }), 'mobile');
    assert.deepEqual([reserved.violations, reserved.warnings.map((w) => [w.rule, w.field])], [[], [['reserved', `${field}P_RESERVED`]]]);
    assert.match(reserved.warnings[0]!.message.en, /an option the guide lists \(another is ignored\), got "below1000"/);
  });

  test('parentemail allows only @ and . as special characters', () => {
    assert.deepEqual(checkInicisRequest('payment', withInicis({ parentemail: 'mom.kim@example.com' }), 'pc').violations, []);
    assert.deepEqual(checkInicisRequest('payment', withInicis({ parentemail: 'parentemail' }), 'pc').violations, [], 'the guide\'s own example');
    assertOne(checkInicisRequest('payment', withInicis({ parentemail: 'mom+kid@example.com' }), 'pc'), 'parentemail', `${field}parentemail`);
  });

  test('SSGPAY phone is digits only', () => {
    assertOne(checkInicisRequest('payment', withInicis({ Ini_SSGPAY_MDN: '010-1234-5678' }), 'pc'), 'ssgpay-phone', `${field}Ini_SSGPAY_MDN`);
  });

  test('P_CARD_OPTION is selcode=<two digits>', () => {
    assertOne(checkInicisRequest('payment', withInicis({ P_CARD_OPTION: 'selcode=KB' }), 'mobile'), 'card-option', `${field}P_CARD_OPTION`);
  });

  test('card and easy-pay amounts under 1,000 KRW need below1000 for the module in use', () => {
    assertOne(checkInicisRequest('payment', payment({ totalAmount: 999 }), 'pc'), 'below1000', `${field}acceptmethod`);
    assertOne(checkInicisRequest('payment', payment({ totalAmount: 500, payMethod: 'EASY_PAY' }), 'mobile'), 'below1000', `${field}P_RESERVED`);
    // The PC flag does not help the mobile module, and the other way round.
    assertOne(checkInicisRequest('payment', withInicis({ acceptmethod: ['below1000'] }, { totalAmount: 999 }), 'mobile'), 'below1000', `${field}P_RESERVED`);
    const both = withInicis({ acceptmethod: ['below1000'], P_RESERVED: ['below1000=Y'] }, { totalAmount: 999 });
    assert.deepEqual(checkInicisRequest('payment', both, 'pc').violations, []);
    assert.deepEqual(checkInicisRequest('payment', both, 'mobile').violations, []);
    assert.deepEqual(checkInicisRequest('payment', payment({ totalAmount: 999, payMethod: 'TRANSFER' }), 'pc').violations, []);
    assert.deepEqual(checkInicisRequest('payment', payment({ totalAmount: 1000 }), 'pc').violations, []);
  });

  test('billing key carduse is percard or cocard', () => {
    assertOne(checkInicisRequest('billing-key', billingKey({ bypass: { inicis_v2: { carduse: 'both' as never } } }), 'mobile'), 'card-use', `${field}carduse`);
    assert.deepEqual(checkInicisRequest('billing-key', billingKey({ bypass: { inicis_v2: { carduse: 'cocard' } } }), 'mobile').violations, []);
  });
});

describe('pay-method specifics', () => {
  test('mobile gift certificates name the certificate; wherever named, one of KG Inicis\'s three', () => {
    assertOne(checkInicisRequest('payment', payment({ payMethod: 'GIFT_CERTIFICATE' }), 'mobile'), 'gift-certificate', 'giftCertificate.giftCertificateType');
    assert.deepEqual(checkInicisRequest('payment', payment({ payMethod: 'GIFT_CERTIFICATE' }), 'pc').violations, []);
    assertOne(checkInicisRequest('payment', payment({ payMethod: 'GIFT_CERTIFICATE', giftCertificate: { giftCertificateType: 'HAPPYMONEY' as never } }), 'pc'), 'gift-certificate', 'giftCertificate.giftCertificateType');
    assert.deepEqual(checkInicisRequest('payment', payment({ payMethod: 'GIFT_CERTIFICATE', giftCertificate: { giftCertificateType: 'GIFT_CERTIFICATE_TYPE_CULTURELAND' } }), 'mobile').violations, []);
  });

  test('easy-pay providers KG Inicis can call', () => {
    assertOne(checkInicisRequest('payment', payment({ payMethod: 'EASY_PAY', easyPay: { easyPayProvider: 'PAYPAL' } }), 'pc'), 'easy-pay-provider', 'easyPay.easyPayProvider');
    assert.deepEqual(checkInicisRequest('payment', payment({ payMethod: 'EASY_PAY', easyPay: { easyPayProvider: 'EASY_PAY_PROVIDER_KAKAOPAY' } }), 'pc').violations, []);
  });

  test('card direct calls: every SDK card company but Toss Bank', () => {
    assert.deepEqual(checkInicisRequest('payment', payment({ card: { cardCompany: 'CARD_COMPANY_KAKAO_BANK' } }), 'pc').violations, []);
    const toss = checkInicisRequest('payment', payment({ card: { cardCompany: 'TOSS_BANK' } }), 'mobile');
    assertOne(toss, 'card-company', 'card.cardCompany');
    assert.match(toss.violations[0]!.message.en, /any card company but TOSS_BANK/);
    assertOne(checkInicisRequest('payment', payment({ card: { cardCompany: 'PLASTIC_CARD' as never } }), 'pc'), 'card-company', 'card.cardCompany');
  });

  test('installments: fixedMonth only', () => {
    assertOne(checkInicisRequest('payment', payment({ card: { installment: { monthOption: { availableMonthList: [2, 3] } } } }), 'pc'), 'installment', 'card.installment.monthOption');
    assert.deepEqual(checkInicisRequest('payment', payment({ card: { installment: { monthOption: { fixedMonth: 3 } } } }), 'pc').violations, []);
  });
});

describe('the window', () => {
  test('KG Inicis\'s payment windows open as an iframe or a redirect, not a popup (통합인증 does)', () => {
    assertOne(checkInicisRequest('payment', payment({ windowType: { pc: 'POPUP' } }), 'pc'), 'window-type', 'windowType.pc');
    assertOne(checkInicisRequest('billing-key-and-pay', andPay({ windowType: { mobile: 'POPUP' } }), 'mobile'), 'window-type', 'windowType.mobile');
    assert.deepEqual(checkInicisRequest('payment', payment({ windowType: { mobile: 'POPUP' } }), 'pc').violations, [], 'the other device\'s type is not used');
    const identity = { storeId: 'store-1', channelKey: 'ch-iv', identityVerificationId: 'iv-1', redirectUrl, windowType: { pc: 'POPUP' as const } };
    assert.deepEqual(checkInicisRequest('identity-verification', identity, 'pc').violations, []);
  });

  test('a redirect needs redirectUrl: always on a phone, on PC with REDIRECTION; forceRedirect alone asks for none', () => {
    assertOne(checkInicisRequest('payment', payment({ redirectUrl: undefined }), 'mobile'), 'redirect-url', 'redirectUrl');
    assertOne(checkInicisRequest('billing-key', billingKey({ redirectUrl: undefined, windowType: { pc: 'REDIRECTION' } }), 'pc'), 'redirect-url', 'redirectUrl');
    assert.deepEqual(checkInicisRequest('payment', payment({ redirectUrl: undefined }), 'pc').violations, []);
    assert.deepEqual(checkInicisRequest('payment', payment({ redirectUrl: undefined, forceRedirect: true }), 'pc').violations, [], 'the SDK answers by the promise');
    assertOne(checkInicisRequest('identity-verification', { storeId: 'store-1', channelKey: 'ch-iv', identityVerificationId: 'iv-1' }, 'mobile'), 'redirect-url', 'redirectUrl');
  });
});

describe('identity verification (KG Inicis 통합인증)', () => {
  type Unified = NonNullable<NonNullable<IdentityVerificationRequest['bypass']>['inicisUnified']>;
  const verification = (unified?: Partial<Unified>, change: Partial<IdentityVerificationRequest> = {}): IdentityVerificationRequest => ({
    storeId: 'store-1',
    channelKey: 'ch-iv',
    identityVerificationId: 'iv-1',
    redirectUrl,
    ...(unified && { bypass: { inicisUnified: { flgFixedUser: 'N', ...unified } as Unified } }),
    ...change,
  });
  const fixedCustomer = { fullName: '홍길동', phoneNumber: '01012345678', birthYear: '1990', birthMonth: '01', birthDay: '31' };

  test('no payment rules: no customer, no order name, no currency needed, on either device', () => {
    for (const device of ['pc', 'mobile'] as Device[]) {
      assert.deepEqual(checkInicisRequest('identity-verification', verification({}), device), { violations: [], warnings: [] });
      assert.deepEqual(checkInicisRequest('identity-verification', verification(), device), { violations: [], warnings: [] }, 'another channel, no inicisUnified');
    }
  });

  test('flgFixedUser is Y or N', () => {
    assertOne(checkInicisRequest('identity-verification', verification({ flgFixedUser: 'y' as 'Y' }), 'pc'), 'fixed-user', 'bypass.inicisUnified.flgFixedUser');
    assertOne(checkInicisRequest('identity-verification', verification({ flgFixedUser: undefined as unknown as 'N' }), 'pc'), 'fixed-user', 'bypass.inicisUnified.flgFixedUser');
  });

  test('Y needs name, phone and the three birth fields; first and last name do for the name', () => {
    assert.deepEqual(checkInicisRequest('identity-verification', verification({ flgFixedUser: 'Y' }, { customer: fixedCustomer }), 'mobile').violations, []);
    const { fullName: _, ...separated } = fixedCustomer;
    assert.deepEqual(checkInicisRequest('identity-verification', verification({ flgFixedUser: 'Y' }, { customer: { ...separated, firstName: '길동', lastName: '홍' } }), 'pc').violations, []);
    for (const field of ['fullName', 'phoneNumber', 'birthYear', 'birthMonth', 'birthDay'] as const) {
      const result = checkInicisRequest('identity-verification', verification({ flgFixedUser: 'Y' }, { customer: { ...fixedCustomer, [field]: ' ' } }), 'pc');
      assert.deepEqual(result.violations.map((v) => [v.rule, v.field]), [['fixed-user', `customer.${field}`]], field);
    }
    assert.deepEqual(checkInicisRequest('identity-verification', verification({ flgFixedUser: 'N' }, { customer: {} }), 'pc').violations, [], 'N asks for nothing');
  });

  test('Y: a phone number of 9 to 11 digits and a birth date that exists, in the SDK\'s formats', () => {
    const fixed = (change: object) => checkInicisRequest('identity-verification', verification({ flgFixedUser: 'Y' }, { customer: { ...fixedCustomer, ...change } }), 'pc');
    assert.deepEqual(fixed({ phoneNumber: '010-1234-5678', birthMonth: '1', birthDay: '3' }).violations, []);
    assertOne(fixed({ phoneNumber: '010-12' }), 'fixed-user', 'customer.phoneNumber');
    for (const birth of [{ birthMonth: '13' }, { birthMonth: '02', birthDay: '30' }, { birthYear: '90' }]) {
      assertOne(fixed(birth), 'fixed-user', 'customer.birthYear');
    }
  });

  test('directAgency is one of KG Inicis\'s codes', () => {
    for (const code of INICIS_DIRECT_AGENCIES) assert.deepEqual(checkInicisRequest('identity-verification', verification({ directAgency: code }), 'pc').violations, [], code);
    assertOne(checkInicisRequest('identity-verification', verification({ directAgency: 'kakao' as 'KAKAO' }), 'pc'), 'direct-agency', 'bypass.inicisUnified.directAgency');
  });

  test('an http logo only warns: the window is HTTPS', () => {
    const result = checkInicisRequest('identity-verification', verification({ logoUrl: 'http://shop.example/logo.png' }), 'pc');
    assert.deepEqual(result.violations, []);
    assert.deepEqual(result.warnings.map((w) => [w.rule, w.field]), [['logo-url', 'bypass.inicisUnified.logoUrl']]);
    assert.deepEqual(checkInicisRequest('identity-verification', verification({ logoUrl: 'https://shop.example/logo.png' }), 'pc').warnings, []);
  });
});
