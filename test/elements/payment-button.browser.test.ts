import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import {
  PortoneFailEvent,
  PortonePaidEvent,
  PortonePaymentButton,
  PortoneRequestEvent,
  PortoneVirtualAccountIssuedEvent,
  pendingAttempt,
  type PaymentRequest,
  type PortoneCancelEvent,
} from '../../src/index.js';
import { deferred, fake, installFakePortOne, portOneError } from './support/fake-portone.js';
import {
  CUSTOMER_ATTRS,
  PAGE_URL,
  button,
  cleanup,
  clickFor,
  fakeFetch,
  mount,
  pretendMobile,
  record,
  returnWith,
  settled,
  statusText,
  recordStates,
  until,
} from './support/harness.js';

installFakePortOne();

const BASE = {
  'store-id': 'store-1',
  'channel-key': 'channel-1',
  'payment-id': 'order-1',
  'order-name': '티셔츠',
  'total-amount': '12000',
  ...CUSTOMER_ATTRS,
};

const pay = (attrs: Record<string, string> = {}, parent?: HTMLElement) =>
  mount<PortonePaymentButton>('portone-payment-button', { ...BASE, ...attrs }, parent);

/** The request every default payment sends, before a test's changes. */
const REQUEST = {
  storeId: 'store-1',
  channelKey: 'channel-1',
  paymentId: 'order-1',
  orderName: '티셔츠',
  totalAmount: 12000,
  currency: 'KRW',
  payMethod: 'CARD',
  customer: { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'hong@example.com' },
  redirectUrl: PAGE_URL,
};

afterEach(() => {
  fake.reset();
  cleanup();
});

describe('<portone-payment-button>', () => {
  it('passes an axe scan, idle and after a failure', async () => {
    const el = await pay();
    await expect(el).to.be.accessible();
    fake.respond = () => ({ transactionType: 'PAYMENT', paymentId: 'order-1', txId: 't', code: 'PG', message: '한도 초과' });
    await clickFor(el, 'portone-fail');
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('has defaults: Korean label, idle state, CARD in KRW, no SDK call until clicked', async () => {
    const el = await fixture<PortonePaymentButton>(html`<portone-payment-button></portone-payment-button>`);
    expect(el.state).to.equal('idle');
    expect(el.getAttribute('state')).to.equal('idle');
    expect(el.payMethod).to.equal('CARD');
    expect(el.currency).to.equal('KRW');
    expect(el.forceRedirect).to.equal(false);
    expect(button(el).textContent!.trim()).to.equal('결제하기');
    expect(button(el).getAttribute('part')).to.equal('button');
    expect(button(el).getAttribute('aria-busy')).to.equal('false');
    expect(el.shadowRoot!.querySelector('[part=status]')!.getAttribute('role')).to.equal('status');
    expect(el.shadowRoot!.delegatesFocus).to.equal(true);
    expect(fake.calls).to.have.length(0);
  });

  it('maps every attribute listed in the Custom Elements Manifest to its property', async () => {
    const manifest = await (await fetch('/custom-elements.json')).json();
    const declaration = manifest.modules
      .flatMap((module: { declarations?: unknown[] }) => module.declarations ?? [])
      .find((d: { tagName?: string }) => d.tagName === 'portone-payment-button');
    const attributes = (declaration.attributes as { name: string; fieldName?: string; type?: { text: string } }[]).filter((a) => a.fieldName);
    expect(attributes.length).to.be.greaterThan(35);
    const el = await pay();
    for (const attribute of attributes) {
      const type = attribute.type?.text ?? '';
      const [value, expected] = type === 'boolean' ? ['', true] : type.includes('number') ? ['1,200', 1200] : ['v-1', 'v-1'];
      el.setAttribute(attribute.name, value);
      expect((el as unknown as Record<string, unknown>)[attribute.fieldName!], attribute.name).to.equal(expected);
    }
  });

  it('reflects its state as an attribute and leaves an empty amount unset', async () => {
    const el = await pay({ 'total-amount': '' });
    expect(el.totalAmount).to.equal(undefined);
    el.setAttribute('total-amount', '9,900');
    expect(el.totalAmount).to.equal(9900);
    const gate = deferred();
    fake.respond = () => gate.promise;
    button(el).click();
    await until(() => el.getAttribute('state') === 'window-open', 'the window is open');
    gate.resolve({ transactionType: 'PAYMENT', paymentId: 'order-1', txId: 't' });
    await settled(el);
    expect(el.getAttribute('state')).to.equal('done');
  });

  it('sends exactly the request its attributes describe, every KG Inicis option included', async () => {
    const el = await pay({
      'customer-id': 'member-7',
      'customer-first-name': '길동',
      'customer-last-name': '홍',
      'redirect-url': 'https://shop.example/return?x=1',
      'force-redirect': '',
      'window-type-pc': 'IFRAME',
      'window-type-mobile': 'REDIRECTION',
      locale: 'EN_US',
      'notice-urls': 'https://shop.example/hook https://backup.example/hook',
      'offer-period': '2025-01-01/2025-12-31',
      'product-type': 'DIGITAL',
      'tax-free-amount': '1000',
      'vat-amount': '1000',
      'custom-data': '{"cart":"c-9"}',
      'inicis-logo-url': 'https://shop.example/logo.png',
      'inicis-logo-2nd': 'https://shop.example/sub.png',
      'inicis-skin': '#C1272C',
      'inicis-parent-email': 'mom@example.com',
      'inicis-ssgpay-phone': '010-1234-5678',
      'inicis-slimquota': '11-2:3^34-2:3',
      'inicis-mallpoint': '11:34',
      'inicis-card': '14',
      'inicis-merchant-name': '포트원 상점',
      'inicis-options': 'below1000 noeasypay ocb paypopup hidebar global-visa3d apprun-check',
    });
    await clickFor(el, 'portone-paid');
    expect(fake.calls).to.have.length(1);
    expect(fake.calls[0]!.fn).to.equal('requestPayment');
    expect(fake.calls[0]!.request).to.deep.equal({
      ...REQUEST,
      customer: { customerId: 'member-7', fullName: '홍길동', firstName: '길동', lastName: '홍', phoneNumber: '010-1234-5678', email: 'hong@example.com' },
      redirectUrl: 'https://shop.example/return?x=1',
      forceRedirect: true,
      windowType: { pc: 'IFRAME', mobile: 'REDIRECTION' },
      locale: 'EN_US',
      noticeUrls: ['https://shop.example/hook', 'https://backup.example/hook'],
      offerPeriod: { range: { from: '2025-01-01T00:00:00+09:00', to: '2025-12-31T23:59:59+09:00' } },
      productType: 'DIGITAL',
      taxFreeAmount: 1000,
      vatAmount: 1000,
      customData: { cart: 'c-9' },
      bypass: {
        inicis_v2: {
          logo_url: 'https://shop.example/logo.png',
          logo_2nd: 'https://shop.example/sub.png',
          parentemail: 'mom@example.com',
          Ini_SSGPAY_MDN: '01012345678',
          acceptmethod: ['SKIN(#C1272C)', 'below1000', 'noeasypay', 'ocb', 'paypopup', 'hidebar', 'slimquota(11-2:3^34-2:3)', 'mallpoint(11:34)'],
          P_CARD_OPTION: 'selcode=14',
          P_MNAME: '포트원 상점',
          P_RESERVED: ['below1000=Y', 'noeasypay=Y', 'global_visa3d=Y', 'apprun_check=Y'],
        },
      },
    });
  });

  it('merges .customer over the customer attributes, .inicis over the inicis attributes, and .request last', async () => {
    const el = await pay({ 'inicis-skin': '#000000', 'inicis-merchant-name': 'A' });
    el.customer = { fullName: '김철수', zipcode: '04524' };
    el.inicis = { acceptmethod: ['hidebar'], logo_url: 'https://x.example/l.png' };
    el.request = { orderName: '바지', card: { installment: { monthOption: { fixedMonth: 3 } } }, customer: undefined };
    await clickFor(el, 'portone-paid');
    expect(fake.calls[0]!.request).to.deep.equal({
      ...REQUEST,
      orderName: '바지',
      customer: { fullName: '김철수', phoneNumber: '010-1234-5678', email: 'hong@example.com', zipcode: '04524' },
      card: { installment: { monthOption: { fixedMonth: 3 } } },
      bypass: { inicis_v2: { acceptmethod: ['hidebar'], P_MNAME: 'A', logo_url: 'https://x.example/l.png' } },
    });
  });

  describe('rules: a broken rule fires portone-fail naming the field, and never reaches the SDK', () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ['no customer name', { 'customer-name': '' }, 'customer-name', 'customer.fullName'],
      ['no phone on PC', { 'customer-phone': '' }, 'customer-contact', 'customer.phoneNumber'],
      ['no e-mail on PC', { 'customer-email': '' }, 'customer-contact', 'customer.email'],
      ['a non-ASCII payment id', { 'payment-id': '주문-1' }, 'ascii-id', 'paymentId'],
      ['no order name', { 'order-name': '' }, 'order-name', 'orderName'],
      ['a pay method KG Inicis lacks', { 'pay-method': 'PAYPAL' }, 'pay-method', 'payMethod'],
      ['a phone payment without product type', { 'pay-method': 'MOBILE' }, 'product-type', 'productType'],
      ['a currency other than KRW/USD', { currency: 'JPY' }, 'currency', 'currency'],
      ['USD by transfer', { currency: 'USD', 'pay-method': 'TRANSFER' }, 'currency', 'currency'],
      ['a locale outside the SDK\'s', { locale: 'ja-JP' }, 'locale', 'locale'],
      ['a SKIN that is not #RRGGBB', { 'inicis-skin': 'red' }, 'skin', 'bypass.inicis_v2.acceptmethod'],
      ['a parent e-mail with +', { 'inicis-parent-email': 'mom+1@example.com' }, 'parentemail', 'bypass.inicis_v2.parentemail'],
      ['an SSGPAY number with letters', { 'inicis-ssgpay-phone': '010-CALL-ME' }, 'ssgpay-phone', 'bypass.inicis_v2.Ini_SSGPAY_MDN'],
      ['a bad slimquota', { 'inicis-slimquota': '11:2-3' }, 'slimquota', 'bypass.inicis_v2.acceptmethod'],
      ['a bad mallpoint', { 'inicis-mallpoint': '11-34' }, 'mallpoint', 'bypass.inicis_v2.acceptmethod'],
      ['a card code that is not two digits', { 'inicis-card': 'KB' }, 'card-option', 'bypass.inicis_v2.P_CARD_OPTION'],
      ['an unknown inicis option', { 'inicis-options': 'below100' }, 'acceptmethod', 'bypass.inicis_v2.acceptmethod'],
      ['a card amount under 1,000 KRW without below1000', { 'total-amount': '990' }, 'below1000', 'bypass.inicis_v2.acceptmethod'],
      ['no store id', { 'store-id': '' }, 'required', 'storeId'],
      ['no channel key', { 'channel-key': '' }, 'required', 'channelKey'],
      ['an amount that is not an integer', { 'total-amount': '12.5' }, 'amount', 'totalAmount'],
      ['an amount that is not a number', { 'total-amount': 'lots' }, 'amount', 'totalAmount'],
      ['a tax-free amount over the total', { 'tax-free-amount': '20000' }, 'amount', 'taxFreeAmount'],
      ['custom data that is not JSON', { 'custom-data': '{cart: 1}' }, 'json', 'customData'],
      ['custom data that is not an object', { 'custom-data': '[1]' }, 'custom-data', 'customData'],
      ['an unknown window type', { 'window-type-pc': 'MODAL' }, 'window-type', 'windowType.pc'],
      ['the loadable UIs\' window type', { 'window-type-mobile': 'UI' }, 'window-type', 'windowType.mobile'],
      ['a product type outside the SDK\'s, even for a card', { 'product-type': 'FOOD' }, 'product-type', 'productType'],
      ['a redirect URL that is not http(s)', { 'redirect-url': 'javascript:alert(1)' }, 'url', 'redirectUrl'],
      ['a notice URL that is not http(s)', { 'notice-urls': 'https://ok.example ftp://no.example' }, 'url', 'noticeUrls'],
      ['an offer period it cannot read', { 'offer-period': 'monthly' }, 'offer-period-format', 'offerPeriod'],
    ];
    for (const [name, attrs, rule, field] of cases) {
      it(name, async () => {
        const el = await pay(attrs);
        const seen = record(el);
        const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
        expect(event.detail.code).to.equal('INVALID_REQUEST');
        expect(event.detail.violations!.map((v) => [v.rule, v.field])).to.deep.equal([[rule, field]]);
        expect(event.detail.message.startsWith(`${field}: expected `), event.detail.message).to.equal(true);
        expect(event.detail.readableMessage).to.equal(`결제 실패: ${event.detail.violations![0]!.message.ko}`);
        expect(statusText(el)).to.equal(event.detail.readableMessage);
        expect(el.state).to.equal('failed');
        expect(seen.map((e) => e.type)).to.deep.equal(['portone-fail']);
        expect(fake.calls).to.have.length(0);
      });
    }

    it('rules in .request are checked too: easy-pay provider, installment list', async () => {
      const el = await pay({ 'pay-method': 'EASY_PAY' });
      el.request = { easyPay: { easyPayProvider: 'PAYPAL' }, card: { installment: { monthOption: { availableMonthList: [2, 3] } } } };
      const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(event.detail.violations!.map((v) => v.rule)).to.deep.equal(['easy-pay-provider', 'installment']);
      expect(fake.calls).to.have.length(0);
    });

    it('uses the mobile module’s rules on a phone: no phone/e-mail needed, below1000 needs P_RESERVED, gift certificates named', async () => {
      const restore = pretendMobile();
      try {
        const ok = await pay({ 'customer-phone': '', 'customer-email': '' });
        await clickFor(ok, 'portone-paid');
        const gift = await pay({ 'pay-method': 'GIFT_CERTIFICATE' });
        const giftFail = await clickFor<PortoneFailEvent>(gift, 'portone-fail');
        expect(giftFail.detail.violations!.map((v) => v.rule)).to.deep.equal(['gift-certificate']);
        const small = await pay({ 'total-amount': '500' });
        small.inicis = { acceptmethod: ['below1000'] };
        const smallFail = await clickFor<PortoneFailEvent>(small, 'portone-fail');
        expect(smallFail.detail.violations!.map((v) => v.field)).to.deep.equal(['bypass.inicis_v2.P_RESERVED']);
        expect(fake.calls).to.have.length(1);
      } finally {
        restore();
      }
    });

    it('an order name over 40 bytes only warns, and the SDK is called', async () => {
      const warn = console.warn;
      const warnings: string[] = [];
      console.warn = (message: string) => warnings.push(message);
      try {
        const el = await pay({ 'order-name': '아주 긴 주문 이름이 사십 바이트를 넘습니다' });
        await clickFor(el, 'portone-paid');
      } finally {
        console.warn = warn;
      }
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/orderName: expected at most 40 UTF-8 bytes/);
      expect(fake.calls).to.have.length(1);
    });

    it('speaks English under lang="en"', async () => {
      const wrapper = document.body.appendChild(document.createElement('div'));
      wrapper.lang = 'en-US';
      const el = await pay({ 'customer-name': '' }, wrapper);
      expect(button(el).textContent!.trim()).to.equal('Pay');
      const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(event.detail.readableMessage).to.equal('Payment failed: customer.fullName: expected fullName, or firstName and lastName, got nothing');
    });
  });

  describe('outcomes', () => {
    it('paid: one portone-request, then one portone-paid with the SDK result', async () => {
      const el = await pay();
      const seen = record(el);
      const event = await clickFor<PortonePaidEvent>(el, 'portone-paid');
      expect(event).to.be.instanceOf(PortonePaidEvent);
      expect(event.bubbles && event.composed).to.equal(true);
      expect(event.detail).to.deep.equal({ paymentId: 'order-1', txId: 'tx-1', response: { transactionType: 'PAYMENT', paymentId: 'order-1', txId: 'tx-1' } });
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-request', 'portone-paid']);
      expect(el.state).to.equal('done');
      await el.updateComplete;
      expect(button(el).disabled).to.equal(true);
      expect(statusText(el)).to.equal('결제가 완료되었습니다 · 티셔츠');
    });

    it('virtual account: pay-method VIRTUAL_ACCOUNT ends in portone-virtual-account-issued', async () => {
      const el = await pay({ 'pay-method': 'VIRTUAL_ACCOUNT' });
      const seen = record(el);
      const event = await clickFor<PortoneVirtualAccountIssuedEvent>(el, 'portone-virtual-account-issued');
      expect(event).to.be.instanceOf(PortoneVirtualAccountIssuedEvent);
      expect(event.detail.paymentId).to.equal('order-1');
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-request', 'portone-virtual-account-issued']);
    });

    it('cancel: the shopper closing the window fires portone-cancel and returns to idle', async () => {
      fake.respond = () => ({ transactionType: 'PAYMENT', paymentId: 'order-1', txId: 't', code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.' });
      const el = await pay();
      const seen = record(el);
      const event = await clickFor<PortoneCancelEvent>(el, 'portone-cancel');
      expect(event.detail).to.deep.equal({ code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.', pgCode: undefined, pgMessage: undefined });
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-request', 'portone-cancel']);
      expect(el.state).to.equal('idle');
      await el.updateComplete;
      expect(button(el).disabled).to.equal(false);
      expect(statusText(el)).to.equal('취소했습니다.');
    });

    it('fail: a PG decline fires portone-fail with code, message, pgCode, pgMessage and a readable message', async () => {
      fake.respond = () => ({ transactionType: 'PAYMENT', paymentId: 'order-1', txId: 't', code: 'FAILURE_TYPE_PG', message: '[51] 잔액 부족', pgCode: '51', pgMessage: '잔액이 부족합니다' });
      const el = await pay();
      const seen = record(el);
      const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(event.detail).to.deep.include({ code: 'FAILURE_TYPE_PG', message: '[51] 잔액 부족', pgCode: '51', pgMessage: '잔액이 부족합니다', readableMessage: '결제 실패: 잔액이 부족합니다' });
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-request', 'portone-fail']);
      expect(el.state).to.equal('failed');
      await el.updateComplete;
      expect(button(el).disabled, 'a failed attempt can be retried').to.equal(false);
    });

    it('fail, not cancel: a decline whose message mentions a cancellation (V801) is a failure', async () => {
      fake.respond = () => ({ transactionType: 'PAYMENT', paymentId: 'order-1', txId: 't', code: 'FAILURE_TYPE_PG', message: '[V801] 이미 취소된 거래입니다', pgCode: 'V801', pgMessage: '이미 취소된 거래입니다' });
      const el = await pay();
      const seen = record(el);
      const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(event.detail).to.deep.include({ code: 'FAILURE_TYPE_PG', pgCode: 'V801', readableMessage: '결제 실패: 이미 취소된 거래입니다' });
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-request', 'portone-fail']);
      expect(el.state).to.equal('failed');
    });

    it('fail: an SDK rejection (a PortOne error object) fires portone-fail with its code', async () => {
      fake.respond = () => Promise.reject(portOneError({ code: 'ChannelNotFound', message: '채널을 찾을 수 없습니다.' }));
      const el = await pay();
      const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(event.detail.code).to.equal('ChannelNotFound');
      expect(event.detail.readableMessage).to.equal('결제 실패: 채널을 찾을 수 없습니다.');
    });

    it('renders names and messages as text, never HTML', async () => {
      const name = '<img src=x onerror=__x=1>티셔츠';
      const el = await pay({ 'order-name': name });
      await clickFor(el, 'portone-paid');
      await el.updateComplete;
      expect(statusText(el)).to.equal(`결제가 완료되었습니다 · ${name}`);
      expect(el.shadowRoot!.querySelector('img')).to.equal(null);

      fake.respond = () => ({ transactionType: 'PAYMENT', paymentId: 'order-2', txId: 't', code: 'PG', message: '<b>거절</b>', pgMessage: '<i>한도</i> 초과' });
      const failing = await pay({ 'payment-id': 'order-2' });
      await clickFor(failing, 'portone-fail');
      await failing.updateComplete;
      expect(statusText(failing)).to.equal('결제 실패: <i>한도</i> 초과');
      expect(failing.shadowRoot!.querySelector('i, b')).to.equal(null);
      expect((window as { __x?: number }).__x).to.equal(undefined);
    });
  });

  describe('portone-request', () => {
    it('is cancelable: preventDefault() vetoes the SDK call and the element returns to idle', async () => {
      const el = await pay();
      const seen = record(el);
      el.addEventListener('portone-request', (event) => event.preventDefault());
      button(el).click();
      await settled(el);
      expect(fake.calls).to.have.length(0);
      expect(el.state).to.equal('idle');
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-request']);
    });

    it('lets the page amend detail.request; the amended request is what the SDK gets, checked again', async () => {
      const el = await pay();
      el.addEventListener('portone-request', (event: PortoneRequestEvent) => {
        expect(event.cancelable).to.equal(true);
        expect(event.detail.kind).to.equal('payment');
        // A payment's request: identity verification's takes customData as a string.
        event.detail.request = { ...(event.detail.request as PaymentRequest), orderName: '바꾼 이름', customData: { coupon: 'WELCOME' } };
      });
      await clickFor(el, 'portone-paid');
      expect(fake.calls[0]!.request).to.deep.equal({ ...REQUEST, orderName: '바꾼 이름', customData: { coupon: 'WELCOME' } });

      const breaking = await pay({ 'payment-id': 'order-3' });
      breaking.addEventListener('portone-request', (event: PortoneRequestEvent) => {
        event.detail.request = { ...event.detail.request, currency: 'JPY' } as typeof event.detail.request;
      });
      const fail = await clickFor<PortoneFailEvent>(breaking, 'portone-fail');
      expect(fail.detail.violations!.map((v) => v.rule)).to.deep.equal(['currency']);
      expect(fake.calls).to.have.length(1);
    });
  });

  it('ignores a double click: one SDK call, the button disabled and aria-busy while the window is open', async () => {
    const gate = deferred();
    fake.respond = () => gate.promise;
    const el = await pay();
    const seen = record(el);
    button(el).click();
    button(el).click();
    await until(() => fake.calls.length === 1, 'the window opened');
    await el.updateComplete;
    button(el).click();
    await aTimeout(10);
    expect(fake.calls).to.have.length(1);
    expect(button(el).disabled).to.equal(true);
    expect(button(el).getAttribute('aria-busy')).to.equal('true');
    expect(button(el).querySelector('.spinner')).to.not.equal(null);
    expect(button(el).textContent!.trim()).to.equal('결제창 진행 중…');
    gate.resolve({ transactionType: 'PAYMENT', paymentId: 'order-1', txId: 'tx-1' });
    await settled(el);
    expect(seen.map((e) => e.type)).to.deep.equal(['portone-request', 'portone-paid']);
    expect(fake.calls).to.have.length(1);
  });

  it('reset() does nothing while busy: the open window keeps the button disabled, and a click opens no second one', async () => {
    const gate = deferred();
    fake.respond = () => gate.promise;
    const el = await pay();
    const states = recordStates(el);
    button(el).click();
    await until(() => fake.calls.length === 1, 'the window opened');
    el.reset();
    await el.updateComplete;
    expect([el.state, button(el).disabled]).to.deep.equal(['window-open', true]);
    button(el).click();
    gate.resolve({ transactionType: 'PAYMENT', paymentId: 'order-1', txId: 'tx-1' });
    await settled(el);
    expect(fake.calls).to.have.length(1);
    expect(states()).to.deep.equal(['idle', 'loading', 'window-open', 'done']);
  });

  it('stays done after success until reset(), which allows another attempt', async () => {
    const el = await pay();
    await clickFor(el, 'portone-paid');
    button(el).click();
    await aTimeout(10);
    expect(fake.calls, 'a done button does not pay twice').to.have.length(1);
    el.reset();
    await el.updateComplete;
    expect([el.state, button(el).disabled, statusText(el)]).to.deep.equal(['idle', false, '']);
    el.paymentId = 'order-1b';
    await clickFor(el, 'portone-paid');
    expect(fake.calls.map((call) => call.request.paymentId)).to.deep.equal(['order-1', 'order-1b']);
  });

  it('fires portone-ready once the SDK is there, once per element', async () => {
    const el = await mount<PortonePaymentButton>('portone-payment-button', BASE, undefined);
    const seen: Event[] = [];
    el.addEventListener('portone-ready', (event) => seen.push(event));
    el.dispatchEvent(new PointerEvent('pointerenter'));
    await until(() => seen.length === 1);
    await clickFor(el, 'portone-paid');
    expect(seen).to.have.length(1);
  });

  describe('redirect return', () => {
    const RESULT = { keep: 'me', paymentId: 'order-1', txId: 'tx-9', transactionType: 'PAYMENT' };

    /** Clicks, lets the fake "leave the page", and removes the element as a navigation would. */
    async function leaveFor(attrs: Record<string, string> = {}) {
      fake.respond = () => undefined;
      const leaving = await pay(attrs);
      button(leaving).click();
      await until(() => leaving.state === 'window-open' && fake.calls.length === 1, 'the window took the page');
      leaving.remove();
      fake.reset();
    }

    it('finishes the attempt on the return page like the promise path, strips PortOne\'s parameters, and a reload completes nothing', async () => {
      await leaveFor({ 'pay-method': 'VIRTUAL_ACCOUNT' });
      expect(JSON.parse(sessionStorage.getItem('portone-checkout:pending')!)).to.include({ kind: 'payment', id: 'order-1', payMethod: 'VIRTUAL_ACCOUNT' });

      returnWith(RESULT);
      const seen = record(document);
      const issued = oneEvent(document, 'portone-virtual-account-issued') as Promise<PortoneVirtualAccountIssuedEvent>;
      const back = await pay({ 'pay-method': 'VIRTUAL_ACCOUNT' });
      const event = await issued;
      expect(event.target).to.equal(back);
      expect(event.detail).to.deep.equal({ paymentId: 'order-1', txId: 'tx-9', response: { transactionType: 'PAYMENT', paymentId: 'order-1', txId: 'tx-9' } });
      const url = new URL(location.href);
      expect(url.searchParams.get('keep'), 'the page\'s own parameters stay').to.equal('me');
      expect(['paymentId', 'txId', 'transactionType'].filter((name) => url.searchParams.has(name))).to.deep.equal([]);
      expect(sessionStorage.getItem('portone-checkout:pending')).to.equal(null);
      expect(back.state).to.equal('done');
      expect(fake.calls, 'the SDK is not called again').to.have.length(0);

      // A reload (or Back) brings the same query again: nothing completes twice.
      back.remove();
      returnWith(RESULT);
      const reloaded = await pay({ 'pay-method': 'VIRTUAL_ACCOUNT' });
      await aTimeout(50);
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-virtual-account-issued']);
      expect(reloaded.state).to.equal('idle');
      expect(new URL(location.href).searchParams.has('paymentId')).to.equal(false);
    });

    it('a cancelled or failed redirect ends in portone-cancel / portone-fail', async () => {
      await leaveFor();
      returnWith({ paymentId: 'order-1', transactionType: 'PAYMENT', code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.' });
      const cancelled = oneEvent(document, 'portone-cancel') as Promise<PortoneCancelEvent>;
      await pay();
      expect((await cancelled).detail.code).to.equal('FAILURE_TYPE_PG');

      cleanup();
      await leaveFor({ 'payment-id': 'order-5' });
      returnWith({ paymentId: 'order-5', transactionType: 'PAYMENT', code: 'FAILURE_TYPE_PG', message: '한도 초과', pgCode: '61', pgMessage: '한도 초과' });
      const failed = oneEvent(document, 'portone-fail') as Promise<PortoneFailEvent>;
      await pay({ 'payment-id': 'order-5' });
      expect((await failed).detail).to.deep.include({ code: 'FAILURE_TYPE_PG', pgCode: '61', readableMessage: '결제 실패: 한도 초과' });
    });

    it('leaves a shop\'s own ?paymentId= link alone: no transactionType and no window opened for that id in this tab', async () => {
      const kit = fakeFetch({
        '/portone/payments/prepare': () => [200, { paymentId: 'srv-1', orderName: '서버 주문', totalAmount: 45000, currency: 'KRW' }],
      });
      try {
        // "order complete?paymentId=order-1", even for the element's own id, and even with the kit.
        returnWith({ paymentId: 'order-1' });
        let seen = record(document);
        const own = await pay();
        const verifying = await pay({ endpoint: '/portone', items: '[{"id":"sku-1","quantity":1}]' });
        await until(() => kit.calls.length === 1, 'the kit element prepares as on any page');
        await aTimeout(30);
        expect(seen).to.deep.equal([]);
        expect([own.state, verifying.state]).to.deep.equal(['idle', 'idle']);
        expect(kit.calls.map((call) => call.url), 'nothing verified').to.deep.equal(['/portone/payments/prepare']);

        // A window was opened in this tab, but for another id.
        await leaveFor({ 'payment-id': 'order-2' });
        seen = record(document);
        const other = await pay();
        await aTimeout(30);
        expect(seen).to.deep.equal([]);
        expect(other.state).to.equal('idle');
        expect(new URL(location.href).searchParams.get('paymentId'), 'the page\'s query is untouched').to.equal('order-1');
        expect(pendingAttempt()?.id, 'the waiting attempt is kept').to.equal('order-2');
      } finally {
        kit.restore();
      }
    });

    it('finishes a return without transactionType (PortOne\'s documented short form) for the attempt this tab opened a window for', async () => {
      await leaveFor();
      returnWith({ keep: 'me', paymentId: 'order-1', txId: 'tx-9' });
      const paid = oneEvent(document, 'portone-paid') as Promise<PortonePaidEvent>;
      // The return page's element may name another order: the status names the one paid.
      const back = await pay({ 'order-name': '다른 상품' });
      expect((await paid).detail).to.deep.equal({ paymentId: 'order-1', txId: 'tx-9', response: { transactionType: 'PAYMENT', paymentId: 'order-1', txId: 'tx-9' } });
      expect(back.state).to.equal('done');
      await back.updateComplete;
      expect(statusText(back), 'the same status line as after a window that stays on the page').to.equal('결제가 완료되었습니다 · 티셔츠');
      const url = new URL(location.href);
      expect(url.searchParams.get('keep')).to.equal('me');
      expect(['paymentId', 'txId'].filter((name) => url.searchParams.has(name))).to.deep.equal([]);
      expect(pendingAttempt()).to.equal(undefined);

      // A cancel comes back the same way.
      cleanup();
      await leaveFor({ 'payment-id': 'order-6' });
      returnWith({ paymentId: 'order-6', code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.' });
      const cancelled = oneEvent(document, 'portone-cancel') as Promise<PortoneCancelEvent>;
      await pay({ 'payment-id': 'order-6' });
      expect((await cancelled).detail.code).to.equal('FAILURE_TYPE_PG');
    });

    it('finishes a return with transactionType and no attempt waiting (a new tab): its own id, or any id through the kit', async () => {
      expect(pendingAttempt()).to.equal(undefined);
      returnWith({ paymentId: 'order-1', txId: 'tx-3', transactionType: 'PAYMENT' });
      const paid = oneEvent(document, 'portone-paid') as Promise<PortonePaidEvent>;
      const own = await pay();
      expect((await paid).detail.txId).to.equal('tx-3');
      expect(new URL(location.href).searchParams.has('paymentId')).to.equal(false);
      await own.updateComplete;
      expect(statusText(own), 'the element\'s own order name, as after a window').to.equal('결제가 완료되었습니다 · 티셔츠');

      // A virtual account's return, with nothing remembered: the element's own pay method tells.
      cleanup();
      returnWith({ paymentId: 'order-1', txId: 'tx-5', transactionType: 'PAYMENT' });
      const seen = record(document);
      const issued = oneEvent(document, 'portone-virtual-account-issued') as Promise<PortoneVirtualAccountIssuedEvent>;
      await pay({ 'pay-method': 'VIRTUAL_ACCOUNT' });
      expect((await issued).detail.txId).to.equal('tx-5');
      expect(seen.map((e) => e.type), 'not reported paid').to.deep.equal(['portone-virtual-account-issued']);

      cleanup();
      const kit = fakeFetch({
        '/portone/payments/complete': () => [200, { order: { paymentId: 'srv-4', status: 'PAID', orderName: '서버 주문', totalAmount: 45000, currency: 'KRW', cancelledAmount: 0 } }],
      });
      try {
        returnWith({ paymentId: 'srv-4', txId: 'tx-4', transactionType: 'PAYMENT' });
        const verified = oneEvent(document, 'portone-paid') as Promise<PortonePaidEvent>;
        await pay({ endpoint: '/portone' });
        expect((await verified).detail.order!.paymentId).to.equal('srv-4');
        expect(kit.calls.map((call) => call.body)).to.deep.include({ paymentId: 'srv-4', txId: 'tx-4', transactionType: 'PAYMENT' });
      } finally {
        kit.restore();
      }
    });

    it('does not claim a result that is not its own', async () => {
      returnWith({ paymentId: 'someone-else', txId: 't', transactionType: 'PAYMENT' });
      const el = await pay();
      const seen = record(document);
      await aTimeout(30);
      expect(seen).to.deep.equal([]);
      expect(el.state).to.equal('idle');
      expect(new URL(location.href).searchParams.get('paymentId'), 'left for its owner').to.equal('someone-else');
    });

    it('verifies through the kit remembered with the attempt', async () => {
      const kit = fakeFetch({
        '/portone/payments/prepare': () => [200, { paymentId: 'srv-7', orderName: '서버 주문', totalAmount: 45000, currency: 'KRW' }],
        '/portone/payments/complete': () => [200, { order: { paymentId: 'srv-7', status: 'PAID', orderName: '서버 주문', totalAmount: 45000, currency: 'KRW', cancelledAmount: 0 } }],
      });
      try {
        await leaveFor({ endpoint: '/portone', items: '[{"id":"sku-1","quantity":1}]' });
        const before = kit.calls.length;
        returnWith({ paymentId: 'srv-7', txId: 'tx-7', transactionType: 'PAYMENT' });
        const paid = oneEvent(document, 'portone-paid') as Promise<PortonePaidEvent>;
        await pay({ endpoint: '/portone', items: '[{"id":"sku-1","quantity":1}]' });
        const event = await paid;
        expect(event.detail.order!.status).to.equal('PAID');
        await aTimeout(50);
        expect(kit.calls.slice(before), 'the return page verifies, and prepares no new attempt').to.deep.equal([
          { url: '/portone/payments/complete', body: { paymentId: 'srv-7', txId: 'tx-7', transactionType: 'PAYMENT' } },
        ]);
      } finally {
        kit.restore();
      }
    });
  });

  describe('server-priced flow (endpoint)', () => {
    const prepared = { paymentId: 'srv-1', orderName: '서버 주문', totalAmount: 45000, currency: 'KRW', customer: { fullName: '서버 고객' }, customData: { orderId: 'o-1' } };
    const order = (status: string, extra = {}) => ({ order: { paymentId: 'srv-1', status, orderName: '서버 주문', totalAmount: 45000, currency: 'KRW', cancelledAmount: 0, ...extra } });
    const ITEMS = '[{"id":"sku-1","quantity":3}]';
    let kit: ReturnType<typeof fakeFetch>;
    afterEach(() => kit.restore());

    it('prepares before the click and takes ids and money from the kit, whatever the page set', async () => {
      kit = fakeFetch({ '/portone/payments/prepare': () => [200, prepared], '/portone/payments/complete': () => [200, order('PAID')] });
      const el = await pay({ endpoint: '/portone/', items: ITEMS, 'total-amount': '1', 'payment-id': 'page-id' });
      el.request = { totalAmount: 2 };
      await until(() => kit.calls.length === 1, 'prepared on first visibility');
      expect(kit.calls[0]).to.deep.equal({
        url: '/portone/payments/prepare',
        body: { items: [{ id: 'sku-1', quantity: 3 }], customer: { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'hong@example.com' }, payMethod: 'CARD' },
      });
      el.addEventListener('portone-request', (event: PortoneRequestEvent) => {
        (event.detail.request as { totalAmount: number }).totalAmount = 3;
      });
      const paid = await clickFor<PortonePaidEvent>(el, 'portone-paid');
      expect(fake.calls[0]!.request).to.deep.equal({
        ...REQUEST,
        paymentId: 'srv-1',
        orderName: '서버 주문',
        totalAmount: 45000,
        customData: { orderId: 'o-1' },
        customer: { fullName: '서버 고객', phoneNumber: '010-1234-5678', email: 'hong@example.com' },
      });
      expect(kit.calls.map((call) => call.url), 'no network wait at the click').to.deep.equal(['/portone/payments/prepare', '/portone/payments/complete']);
      expect(kit.calls[1]!.body).to.deep.equal({ paymentId: 'srv-1', txId: 'tx-1', transactionType: 'PAYMENT' });
      expect(paid.detail).to.deep.equal({
        paymentId: 'srv-1',
        txId: 'tx-1',
        order: order('PAID').order,
        subscription: undefined,
        result: order('PAID'),
        response: { transactionType: 'PAYMENT', paymentId: 'srv-1', txId: 'tx-1' },
      });
    });

    it('reports the verified outcome: a virtual account with its number in the status line', async () => {
      const account = { bank: 'KOOKMIN', accountNumber: '123-456-789', expiredAt: '2030-01-01T00:00:00Z' };
      kit = fakeFetch({ '/portone/payments/prepare': () => [200, prepared], '/portone/payments/complete': () => [200, order('VIRTUAL_ACCOUNT_ISSUED', { virtualAccount: account })] });
      const el = await pay({ endpoint: '/portone', items: ITEMS, 'pay-method': 'VIRTUAL_ACCOUNT' });
      const event = await clickFor<PortoneVirtualAccountIssuedEvent>(el, 'portone-virtual-account-issued');
      expect(event.detail.order!.virtualAccount).to.deep.equal(account);
      await el.updateComplete;
      expect(statusText(el)).to.equal('가상계좌가 발급되었습니다. KOOKMIN 123-456-789');
    });

    it('a payment the kit does not find paid is a failure, and so is a kit error', async () => {
      kit = fakeFetch({
        '/portone/payments/prepare': () => [200, prepared],
        '/portone/payments/complete': () => [200, order('FAILED', { failure: { pgMessage: '도난 카드' } })],
      });
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      const notPaid = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(notPaid.detail).to.deep.include({ code: 'NOT_PAID', message: 'Payment srv-1 is FAILED: 도난 카드' });
      kit.restore();

      kit = fakeFetch({
        '/portone/payments/prepare': () => [200, prepared],
        '/portone/payments/complete': () => [409, { code: 'AMOUNT_MISMATCH', message: 'amount.total: expected 45000, got 100' }],
      });
      const other = await pay({ endpoint: '/portone', items: ITEMS });
      const mismatch = await clickFor<PortoneFailEvent>(other, 'portone-fail');
      expect(mismatch.detail).to.deep.include({ code: 'AMOUNT_MISMATCH', status: 409, message: 'amount.total: expected 45000, got 100' });
      expect(mismatch.detail.readableMessage, 'the kit\'s message is for the developer').to.equal('결제 확인 실패: 주문을 처리하지 못했습니다.');
      expect(notPaid.detail.readableMessage, 'the PG\'s words, not the kit\'s').to.equal('결제 실패: 도난 카드');
    });

    it('retries complete when the kit is briefly down', async () => {
      let completes = 0;
      kit = fakeFetch({
        '/portone/payments/prepare': () => [200, prepared],
        '/portone/payments/complete': () => (++completes < 3 ? [503, { code: 'UNAVAILABLE', message: 'busy', retryAfterSeconds: 1 }] : [200, order('PAID')]),
      });
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      await clickFor(el, 'portone-paid');
      expect(completes).to.equal(3);
    });

    it('an SDK success the kit cannot confirm is kept: a cart change, reset() and later clicks ask the kit again, never the SDK (one charge)', async () => {
      let n = 0;
      let kitAnswers = false;
      kit = fakeFetch({
        '/portone/payments/prepare': (body) => [200, { ...prepared, paymentId: body.previousPaymentId ?? `srv-${++n}` }],
        '/portone/payments/complete': () => [200, order('PAID')],
      });
      // The kit is unreachable for complete until `kitAnswers`; every call is still recorded.
      const faked = window.fetch;
      const urls: string[] = [];
      window.fetch = (input, init) => {
        urls.push(String(input));
        return String(input).endsWith('/complete') && !kitAnswers ? Promise.reject(new TypeError('Failed to fetch')) : faked(input, init);
      };
      // Were the SDK asked again, PortOne would refuse the paid id; a new id it would charge.
      fake.respond = ({ request }) =>
        request.paymentId === 'srv-1' && fake.calls.length > 1
          ? Promise.reject(portOneError({ code: 'PaymentAlreadyPaid', message: '이미 결제된 건입니다.' }))
          : { transactionType: 'PAYMENT', paymentId: request.paymentId, txId: 'tx-1' };
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      await until(() => urls.length === 1, 'prepared on first visibility');
      const first = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(first.detail).to.deep.include({ code: 'NETWORK_ERROR', readableMessage: '결제 확인 실패: 서버에 연결하지 못했습니다.' });
      expect(el.state).to.equal('failed');

      // The shopper edits the cart, and the page resets the button: no new order while srv-1 is unconfirmed.
      el.items = [{ id: 'sku-2', quantity: 1 }];
      await el.updateComplete;
      el.reset();
      expect(el.state).to.equal('idle');
      await aTimeout(300);
      const second = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(second.detail.readableMessage).to.equal('결제 확인 실패: 서버에 연결하지 못했습니다.');

      // The kit is back: the third click confirms the payment the shopper made the first time.
      kitAnswers = true;
      const paid = await clickFor<PortonePaidEvent>(el, 'portone-paid');
      expect(paid.detail).to.deep.include({ paymentId: 'srv-1', txId: 'tx-1', order: order('PAID').order });
      expect(fake.calls.map((call) => call.request.paymentId), 'one window, one charge').to.deep.equal(['srv-1']);
      const complete = '/portone/payments/complete';
      expect(urls, 'three tries per click (two retries), no prepare after the window').to.deep.equal(['/portone/payments/prepare', ...Array(6).fill(complete), complete]);
      expect(kit.calls.at(-1)!.body).to.deep.equal({ paymentId: 'srv-1', txId: 'tx-1', transactionType: 'PAYMENT' });
    });

    it('once the kit answers for an unconfirmed payment, it is settled: a refusal gets a fresh order and the next click a new window', async () => {
      let n = 0;
      let completes = 0;
      kit = fakeFetch({
        '/portone/payments/prepare': (body) => [200, { ...prepared, paymentId: body.previousPaymentId ?? `srv-${++n}` }],
        // Down for the first click's three tries, then a definitive answer, then a payment that works.
        '/portone/payments/complete': (body) =>
          ++completes <= 3 ? [503, { code: 'UNAVAILABLE', message: 'busy' }] : body.paymentId === 'srv-1' ? [409, { code: 'PAYMENT_MISMATCH', message: 'amount.total: expected 45000, got 100' }] : [200, order('PAID', { paymentId: body.paymentId })],
      });
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      await until(() => kit.calls.length === 1, 'prepared on first visibility');
      expect((await clickFor<PortoneFailEvent>(el, 'portone-fail')).detail).to.deep.include({ code: 'UNAVAILABLE', status: 503 });
      const refused = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(refused.detail).to.deep.include({ code: 'PAYMENT_MISMATCH', status: 409, readableMessage: '결제 확인 실패: 주문을 처리하지 못했습니다.' });
      await until(() => kit.calls.length === 6, 'a fresh prepare once the kit answered');
      expect(kit.calls[5]!.body, 'a new order, not the refused one').to.not.have.property('previousPaymentId');
      const paid = await clickFor<PortonePaidEvent>(el, 'portone-paid');
      expect(paid.detail.paymentId).to.equal('srv-2');
      expect(fake.calls.map((call) => call.request.paymentId)).to.deep.equal(['srv-1', 'srv-2']);
    });

    it('a redirect return the kit cannot confirm is kept too: the retry click asks the kit again, and the page prepares no new order', async () => {
      let completes = 0;
      kit = fakeFetch({
        '/portone/payments/prepare': () => [200, prepared],
        '/portone/payments/complete': () => (++completes <= 3 ? [502, { code: 'PORTONE_REJECTED', message: 'PortOne refused the kit' }] : [200, order('PAID')]),
      });
      fake.respond = () => undefined;
      const leaving = await pay({ endpoint: '/portone', items: ITEMS });
      button(leaving).click();
      await until(() => leaving.state === 'window-open' && fake.calls.length === 1, 'the window took the page');
      leaving.remove();
      fake.reset();

      returnWith({ paymentId: 'srv-1', txId: 'tx-r', transactionType: 'PAYMENT' });
      const failed = oneEvent(document, 'portone-fail') as Promise<PortoneFailEvent>;
      const back = await pay({ endpoint: '/portone', items: ITEMS });
      expect((await failed).detail).to.deep.include({ code: 'PORTONE_REJECTED', readableMessage: '결제 확인 실패: 주문을 처리하지 못했습니다.' });
      back.items = [{ id: 'sku-1', quantity: 4 }];
      await back.updateComplete;
      await aTimeout(300);
      const paid = await clickFor<PortonePaidEvent>(back, 'portone-paid');
      expect(paid.detail.paymentId).to.equal('srv-1');
      expect(fake.calls, 'the SDK is not called again').to.have.length(0);
      expect(kit.calls.map((call) => call.url.split('/').pop())).to.deep.equal(['prepare', 'complete', 'complete', 'complete', 'complete']);
      expect(kit.calls.at(-1)!.body).to.deep.equal({ paymentId: 'srv-1', txId: 'tx-r', transactionType: 'PAYMENT' });
    });

    it('shows every step: idle → loading → window-open → verifying → done, busy and announced politely, in English under lang="en"', async () => {
      const prepare = deferred<[number, unknown]>();
      const complete = deferred<[number, unknown]>();
      const sdkWindow = deferred();
      kit = fakeFetch({ '/portone/payments/prepare': () => prepare.promise, '/portone/payments/complete': () => complete.promise });
      fake.respond = () => sdkWindow.promise;
      const wrapper = document.body.appendChild(document.createElement('div'));
      wrapper.lang = 'en';
      const el = await pay({ endpoint: '/portone', items: ITEMS }, wrapper);
      const status = el.shadowRoot!.querySelector('[part=status]')!;
      expect([status.getAttribute('role'), status.getAttribute('aria-live')]).to.deep.equal(['status', 'polite']);
      const states = recordStates(el);
      await until(() => kit.calls.length === 1, 'prepared ahead of the click');
      const shown = async () => {
        await el.updateComplete;
        const b = button(el);
        return [el.state, b.disabled, b.getAttribute('aria-busy'), !!b.querySelector('.spinner'), b.textContent!.trim()];
      };
      button(el).click();
      expect(await shown(), 'the prepare answer is still on its way').to.deep.equal(['loading', true, 'true', true, 'Preparing…']);
      prepare.resolve([200, prepared]);
      await until(() => fake.calls.length === 1, 'the window opened');
      expect(await shown()).to.deep.equal(['window-open', true, 'true', true, 'Payment window open…']);
      sdkWindow.resolve({ transactionType: 'PAYMENT', paymentId: 'srv-1', txId: 'tx-1' });
      await until(() => kit.calls.length === 2, 'complete posted');
      expect(await shown()).to.deep.equal(['verifying', true, 'true', true, 'Verifying…']);
      const paid = oneEvent(el, 'portone-paid');
      complete.resolve([200, order('PAID')]);
      await paid;
      expect(await shown()).to.deep.equal(['done', true, 'false', false, 'Pay']);
      expect(statusText(el)).to.equal('Payment complete · 서버 주문');
      expect(states()).to.deep.equal(['idle', 'loading', 'window-open', 'verifying', 'done']);
    });

    it('back from the PG page through the bfcache (pageshow, persisted): idle again, the attempt forgotten, a fresh order prepared', async () => {
      let n = 0;
      kit = fakeFetch({
        '/portone/payments/prepare': (body) => [200, { ...prepared, paymentId: body.previousPaymentId ?? `srv-${++n}` }],
        '/portone/payments/complete': (body) => [200, order('PAID', { paymentId: body.paymentId })],
      });
      fake.respond = () => undefined;
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      await until(() => kit.calls.length === 1, 'prepared on first visibility');
      button(el).click();
      await until(() => el.state === 'window-open' && fake.calls.length === 1, 'the window took the page');
      expect(pendingAttempt()?.id).to.equal('srv-1');
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
      expect(el.state, 'an ordinary load is not a return from the bfcache').to.equal('window-open');
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      await el.updateComplete;
      expect([el.state, button(el).disabled, button(el).getAttribute('aria-busy'), pendingAttempt()]).to.deep.equal(['idle', false, 'false', undefined]);
      await until(() => kit.calls.length === 2, 'a fresh prepare');
      expect(kit.calls[1]!.body, 'a window was opened for srv-1: not handed back').to.not.have.property('previousPaymentId');
      fake.reset();
      const paid = await clickFor<PortonePaidEvent>(el, 'portone-paid');
      expect(paid.detail.paymentId).to.equal('srv-2');
    });

    it('a portone-request listener changes only its own call: never the cached prepare answer, nor the page\'s .request', async () => {
      kit = fakeFetch({ '/portone/payments/prepare': () => [200, prepared], '/portone/payments/complete': () => [200, order('PAID')] });
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      const own = { installment: { monthOption: { fixedMonth: 3 } } };
      el.request = { card: own };
      await until(() => kit.calls.length >= 1, 'prepared on first visibility');
      // A listener that edits nested objects in place, then vetoes the call.
      const tamper = (event: PortoneRequestEvent) => {
        const request = event.detail.request as unknown as { customData: { orderId: string }; card: typeof own };
        request.customData.orderId = 'tampered';
        request.card.installment.monthOption.fixedMonth = 12;
        event.preventDefault();
      };
      el.addEventListener('portone-request', tamper);
      button(el).click();
      await settled(el);
      el.removeEventListener('portone-request', tamper);
      await clickFor(el, 'portone-paid');
      expect(fake.calls[0]!.request.customData).to.deep.equal({ orderId: 'o-1' });
      expect(fake.calls[0]!.request.card).to.deep.equal({ installment: { monthOption: { fixedMonth: 3 } } });
      expect(own.installment.monthOption.fixedMonth, 'the page\'s own object').to.equal(3);
    });

    it('a failed prepare, or an answer outside the contract, never reaches the SDK', async () => {
      kit = fakeFetch({ '/portone/payments/prepare': () => [503, { code: 'UNAVAILABLE', message: 'try later', retryAfterSeconds: 5 }] });
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      expect((await clickFor<PortoneFailEvent>(el, 'portone-fail')).detail).to.deep.include({ code: 'UNAVAILABLE', status: 503 });
      kit.restore();

      kit = fakeFetch({ '/portone/payments/prepare': () => [200, { ...prepared, totalAmount: '45000' }] });
      const other = await pay({ endpoint: '/portone', items: ITEMS });
      const bad = await clickFor<PortoneFailEvent>(other, 'portone-fail');
      expect(bad.detail.code).to.equal('BAD_RESPONSE');
      expect(bad.detail.message).to.match(/totalAmount/);
      kit.restore();

      kit = fakeFetch({});
      window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
      const offline = await pay({ endpoint: '/portone', items: ITEMS });
      const down = await clickFor<PortoneFailEvent>(offline, 'portone-fail');
      expect(down.detail).to.deep.include({ code: 'NETWORK_ERROR', readableMessage: '결제 실패: 서버에 연결하지 못했습니다.' });
      expect(fake.calls).to.have.length(0);
    });

    it('bad items never reach the kit', async () => {
      kit = fakeFetch({ '/portone/payments/prepare': () => [200, prepared] });
      const el = await pay({ endpoint: '/portone', items: '[{"id":"sku-1","quantity":0}]' });
      const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(event.detail.violations!.map((v) => v.field)).to.deep.equal(['items']);
      expect(kit.calls).to.have.length(0);
    });

    it('one order per element: an answer no window was opened for is handed back (previousPaymentId); once a window opened, a fresh one is asked for', async () => {
      let n = 0;
      // Like the kit: a handed-back order is updated and keeps its id.
      kit = fakeFetch({ '/portone/payments/prepare': (body) => [200, { ...prepared, paymentId: body.previousPaymentId ?? `srv-${++n}` }] });
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      await until(() => kit.calls.length === 1, 'prepared on first visibility');
      el.items = [{ id: 'sku-2', quantity: 1 }];
      await until(() => kit.calls.length === 2, 'prepared again for the new cart');
      // A vetoed click opens no window: the order is still unused when reset() prepares again.
      const veto = (event: Event) => event.preventDefault();
      el.addEventListener('portone-request', veto);
      button(el).click();
      await settled(el);
      el.removeEventListener('portone-request', veto);
      el.reset();
      await until(() => kit.calls.length === 3, 'prepared again after reset()');
      // The shopper cancels the window: that order was tried, so the next prepare asks for a new one.
      fake.respond = () => ({ transactionType: 'PAYMENT', paymentId: 'srv-1', txId: 't', code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.' });
      await clickFor(el, 'portone-cancel');
      await until(() => kit.calls.length === 4, 'a fresh prepare after the cancel');
      el.items = [{ id: 'sku-2', quantity: 2 }];
      await until(() => kit.calls.length === 5, 'prepared again for the new cart');
      fake.respond = () => ({ transactionType: 'PAYMENT', paymentId: 'srv-2', txId: 't', code: 'FAILURE_TYPE_PG', message: '한도 초과' });
      await clickFor(el, 'portone-fail');
      await until(() => kit.calls.length === 6, 'a fresh prepare after the failure');
      const customer = { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'hong@example.com' };
      const cart = (quantity: number, id = 'sku-2') => ({ items: [{ id, quantity }], customer, payMethod: 'CARD' });
      expect(kit.calls.map((call) => call.body)).to.deep.equal([
        cart(3, 'sku-1'),
        { ...cart(1), previousPaymentId: 'srv-1' },
        { ...cart(1), previousPaymentId: 'srv-1' },
        cart(1),
        { ...cart(2), previousPaymentId: 'srv-2' },
        cart(2),
      ]);
      expect(fake.calls.map((call) => call.request.paymentId), 'one window per order').to.deep.equal(['srv-1', 'srv-2']);
    });

    it('a prepare still on its way is waited for, so its order is the one handed back; a failed one made no order', async () => {
      const first = deferred<[number, unknown]>();
      let n = 0;
      kit = fakeFetch({
        '/portone/payments/prepare': (body) => (++n === 1 ? first.promise : n === 2 ? [503, { code: 'UNAVAILABLE', message: 'busy' }] : [200, { ...prepared, paymentId: body.previousPaymentId ?? `srv-${n}` }]),
      });
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      await until(() => kit.calls.length === 1, 'prepared on first visibility');
      el.reset();
      expect(kit.calls, 'the second prepare waits for the first answer').to.have.length(1);
      first.resolve([200, { ...prepared, paymentId: 'srv-1' }]);
      await until(() => kit.calls.length === 2, 'then prepares again');
      expect(kit.calls[1]!.body).to.deep.include({ previousPaymentId: 'srv-1' });
      // That prepare fails (503): srv-1 is still the unused order.
      el.reset();
      await until(() => kit.calls.length === 3);
      expect(kit.calls[2]!.body).to.deep.include({ previousPaymentId: 'srv-1' });
    });

    it('prepares afresh after a cancelled attempt and when the cart changes (debounced)', async () => {
      let n = 0;
      kit = fakeFetch({
        '/portone/payments/prepare': () => [200, { ...prepared, paymentId: `srv-${++n}` }],
        '/portone/payments/complete': () => [200, order('PAID')],
      });
      fake.respond = () => ({ transactionType: 'PAYMENT', paymentId: 'srv-1', txId: 't', code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.' });
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      await until(() => kit.calls.length === 1);
      await clickFor(el, 'portone-cancel');
      await until(() => kit.calls.length === 2, 'a fresh prepare after the cancel');
      el.items = [{ id: 'sku-2', quantity: 1 }];
      el.items = [{ id: 'sku-2', quantity: 2 }];
      await until(() => kit.calls.length === 3, 'one prepare for the changed cart');
      await aTimeout(300);
      expect(kit.calls).to.have.length(3);
      expect(kit.calls[2]!.body).to.deep.include({ items: [{ id: 'sku-2', quantity: 2 }] });
      fake.reset();
      await clickFor(el, 'portone-paid');
      expect(fake.calls[0]!.request.paymentId).to.equal('srv-3');
    });
  });

  describe('manual approval (수동 승인)', () => {
    const prepared = { paymentId: 'srv-1', orderName: '마지막 한 벌', totalAmount: 45000, currency: 'KRW' };
    const paid = { order: { paymentId: 'srv-1', status: 'PAID', orderName: '마지막 한 벌', totalAmount: 45000, currency: 'KRW', cancelledAmount: 0 } };
    const ITEMS = '[{"id":"sku-last","quantity":1}]';
    const SOLD_OUT = '죄송합니다. 마지막 재고가 방금 판매되어 결제되지 않았습니다.';
    const refusal = { code: 'RESERVATION_REFUSED', message: 'reserve() refused order srv-1: sku-last has 0 in stock', shopperMessage: SOLD_OUT };
    let kit: ReturnType<typeof fakeFetch>;
    afterEach(() => kit.restore());
    const approving = () => (fake.respond = ({ request }) => ({ transactionType: 'PAYMENT', paymentId: request.paymentId, txId: 'tx-m', paymentToken: 'ptok-1' }));

    it('the window\'s paymentToken goes to complete, and the kit\'s verdict decides: confirmed → portone-paid', async () => {
      kit = fakeFetch({ '/portone/payments/prepare': () => [200, prepared], '/portone/payments/complete': () => [200, paid] });
      approving();
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      const event = await clickFor<PortonePaidEvent>(el, 'portone-paid');
      expect(kit.calls.map((call) => call.body).at(-1)).to.deep.equal({ paymentId: 'srv-1', txId: 'tx-m', transactionType: 'PAYMENT', paymentToken: 'ptok-1' });
      expect(event.detail).to.deep.include({ paymentId: 'srv-1', order: paid.order });
      expect(event.detail.response.paymentToken).to.equal('ptok-1');
    });

    it('a sold-out reservation: the shop\'s shopperMessage is the status line as it is; the kit\'s message goes to the developer only; the next click is a new attempt', async () => {
      let n = 0;
      kit = fakeFetch({
        '/portone/payments/prepare': () => [200, { ...prepared, paymentId: `srv-${++n}` }],
        '/portone/payments/complete': (body) => (body.paymentId === 'srv-1' ? [409, refusal] : [200, { order: { ...paid.order, paymentId: body.paymentId } }]),
      });
      approving();
      const el = await pay({ endpoint: '/portone', items: ITEMS });
      const lines: unknown[] = [];
      const warn = console.warn;
      console.warn = (line: unknown) => lines.push(line);
      let failed!: PortoneFailEvent;
      try {
        failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      } finally {
        console.warn = warn;
      }
      expect(failed.detail).to.deep.include({ code: 'RESERVATION_REFUSED', message: refusal.message, status: 409, readableMessage: SOLD_OUT });
      await el.updateComplete;
      expect([el.state, statusText(el)]).to.deep.equal(['failed', SOLD_OUT]);
      expect(lines).to.deep.equal([`[portone-checkout] RESERVATION_REFUSED: ${refusal.message}`]);
      // The kit answered for srv-1: it is settled, and the next attempt is a new order and a new window.
      await until(() => kit.calls.length === 3, 'a fresh prepare once the kit refused');
      expect(kit.calls[2]!.body).to.not.have.property('previousPaymentId');
      await clickFor(el, 'portone-paid');
      expect(fake.calls.map((call) => call.request.paymentId)).to.deep.equal(['srv-1', 'srv-2']);
    });

    it('without a shopperMessage (or an empty one, or not text) the element\'s own sentence is shown, never the kit\'s message', async () => {
      const answers: unknown[] = [{ code: refusal.code, message: refusal.message }, { ...refusal, shopperMessage: '  ' }, { ...refusal, shopperMessage: { ko: SOLD_OUT } }];
      kit = fakeFetch({ '/portone/payments/prepare': () => [200, prepared], '/portone/payments/complete': () => [409, answers.shift()] });
      approving();
      const warn = console.warn;
      console.warn = () => {};
      try {
        for (let i = 0; i < 3; i++) {
          const el = await pay({ endpoint: '/portone', items: ITEMS });
          const failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
          expect(failed.detail.readableMessage, `answer ${i}`).to.equal('결제 확인 실패: 주문을 처리하지 못했습니다.');
          await el.updateComplete;
          expect(statusText(el)).to.equal('결제 확인 실패: 주문을 처리하지 못했습니다.');
        }
      } finally {
        console.warn = warn;
      }
    });

    it('a redirect return carries the paymentToken to complete, and a refusal shows the shop\'s words there too', async () => {
      kit = fakeFetch({ '/portone/payments/prepare': () => [200, prepared], '/portone/payments/complete': () => [409, refusal] });
      fake.respond = () => undefined;
      const leaving = await pay({ endpoint: '/portone', items: ITEMS });
      button(leaving).click();
      await until(() => leaving.state === 'window-open' && fake.calls.length === 1, 'the window took the page');
      leaving.remove();
      fake.reset();

      returnWith({ paymentId: 'srv-1', txId: 'tx-r', transactionType: 'PAYMENT', paymentToken: 'ptok-r' });
      const failed = oneEvent(document, 'portone-fail') as Promise<PortoneFailEvent>;
      const warn = console.warn;
      console.warn = () => {};
      try {
        const back = await pay({ endpoint: '/portone', items: ITEMS });
        expect((await failed).detail).to.deep.include({ code: 'RESERVATION_REFUSED', readableMessage: SOLD_OUT });
        await back.updateComplete;
        expect(statusText(back)).to.equal(SOLD_OUT);
      } finally {
        console.warn = warn;
      }
      expect(kit.calls.find((call) => call.url.endsWith('/complete'))!.body).to.deep.equal({ paymentId: 'srv-1', txId: 'tx-r', transactionType: 'PAYMENT', paymentToken: 'ptok-r' });
      expect(new URL(location.href).searchParams.has('paymentToken'), 'the token leaves the address bar').to.equal(false);
    });
  });
});
