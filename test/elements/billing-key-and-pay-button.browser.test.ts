import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import { PortoneBillingKeyAndPayButton, PortonePaidEvent, type PortoneFailEvent, type PortoneRequestEvent } from '../../src/index.js';
import { deferred, fake, installFakePortOne } from './support/fake-portone.js';
import { CUSTOMER_ATTRS, PAGE_URL, button, cleanup, clickFor, fakeFetch, mount, pretendMobile, record, returnWith, settled, statusText, until } from './support/harness.js';

installFakePortOne();

const BASE = {
  'store-id': 'store-1',
  'channel-key': 'channel-phone',
  'payment-id': 'sub-1',
  'order-name': '월간 구독',
  'total-amount': '9900',
  'product-type': 'DIGITAL',
  'offer-period': '1m',
  ...CUSTOMER_ATTRS,
};
const subscribe = (attrs: Record<string, string> = {}) =>
  mount<PortoneBillingKeyAndPayButton>('portone-billing-key-and-pay-button', { ...BASE, ...attrs });

const REQUEST = {
  storeId: 'store-1',
  channelKey: 'channel-phone',
  paymentId: 'sub-1',
  orderName: '월간 구독',
  totalAmount: 9900,
  currency: 'KRW',
  billingKeyAndPayMethod: 'MOBILE',
  productType: 'DIGITAL',
  offerPeriod: { interval: '1m' },
  customer: { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'hong@example.com' },
  redirectUrl: PAGE_URL,
};

afterEach(() => {
  fake.reset();
  cleanup();
});

describe('<portone-billing-key-and-pay-button>', () => {
  it('passes an axe scan', async () => {
    await expect(await subscribe()).to.be.accessible();
  });

  it('has defaults: MOBILE, KRW, a phone-payment label', async () => {
    const el = await fixture<PortoneBillingKeyAndPayButton>(html`<portone-billing-key-and-pay-button></portone-billing-key-and-pay-button>`);
    expect([el.billingKeyAndPayMethod, el.currency, el.state]).to.deep.equal(['MOBILE', 'KRW', 'idle']);
    expect(button(el).textContent!.trim()).to.equal('휴대폰으로 결제하기');
  });

  it('maps its attributes to properties', async () => {
    const el = await subscribe({ plan: 'monthly', 'order-id': 'o-9', items: '[]', 'tax-free-amount': '0', 'vat-amount': '900' });
    expect([el.plan, el.orderId, el.items, el.taxFreeAmount, el.vatAmount, el.totalAmount]).to.deep.equal(['monthly', 'o-9', '[]', 0, 900, 9900]);
  });

  it('sends exactly the request its attributes describe, the guide’s PHONE sent as MOBILE', async () => {
    const el = await subscribe({ 'billing-key-and-pay-method': 'PHONE', 'vat-amount': '900', 'notice-urls': 'https://shop.example/hook' });
    await clickFor(el, 'portone-paid');
    expect(fake.calls.map((call) => call.fn)).to.deep.equal(['requestIssueBillingKeyAndPay']);
    expect(fake.calls[0]!.request).to.deep.equal({ ...REQUEST, vatAmount: 900, noticeUrls: ['https://shop.example/hook'] });
  });

  it('sends the guide’s PHONE as MOBILE when .request or a portone-request listener sets it, too', async () => {
    const el = await subscribe();
    el.request = { billingKeyAndPayMethod: 'PHONE' } as unknown as typeof el.request;
    await clickFor(el, 'portone-paid');
    const other = await subscribe({ 'payment-id': 'sub-2' });
    other.addEventListener('portone-request', (event: PortoneRequestEvent) => {
      (event.detail.request as { billingKeyAndPayMethod: string }).billingKeyAndPayMethod = 'PHONE';
    });
    await clickFor(other, 'portone-paid');
    expect(fake.calls.map((call) => call.request.billingKeyAndPayMethod)).to.deep.equal(['MOBILE', 'MOBILE']);
  });

  describe('rules', () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ['a method other than MOBILE', { 'billing-key-and-pay-method': 'CARD' }, 'billing-key-and-pay-method', 'billingKeyAndPayMethod'],
      ['no product type', { 'product-type': '' }, 'product-type', 'productType'],
      ['no phone', { 'customer-phone': '' }, 'customer-contact', 'customer.phoneNumber'],
      ['no e-mail', { 'customer-email': '' }, 'customer-contact', 'customer.email'],
      ['no customer name', { 'customer-name': '' }, 'customer-name', 'customer.fullName'],
      ['a currency other than KRW', { currency: 'USD' }, 'currency', 'currency'],
      ['a non-ASCII payment id', { 'payment-id': '구독-1' }, 'ascii-id', 'paymentId'],
      ['no order name', { 'order-name': '' }, 'order-name', 'orderName'],
      ['an interval other than 1m/1y', { 'offer-period': '7d' }, 'offer-period', 'offerPeriod'],
      ['no amount', { 'total-amount': '' }, 'amount', 'totalAmount'],
    ];
    for (const [name, attrs, rule, field] of cases) {
      it(name, async () => {
        const el = await subscribe(attrs);
        const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
        expect(event.detail.violations!.map((v) => [v.rule, v.field])).to.deep.equal([[rule, field]]);
        expect(fake.calls).to.have.length(0);
      });
    }

    it('on a phone: phone and e-mail still required, and an offer period', async () => {
      const restore = pretendMobile();
      try {
        const el = await subscribe({ 'customer-email': '', 'offer-period': '' });
        const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
        expect(event.detail.violations!.map((v) => v.field)).to.deep.equal(['customer.email', 'offerPeriod']);
        expect(event.detail.readableMessage.split('\n')).to.have.length(2);
      } finally {
        restore();
      }
    });
  });

  describe('outcomes', () => {
    it('paid: portone-paid carries the billing key', async () => {
      const el = await subscribe();
      const seen = record(el);
      const event = await clickFor<PortonePaidEvent>(el, 'portone-paid');
      expect(event.detail).to.deep.equal({
        paymentId: 'sub-1',
        txId: 'tx-2',
        billingKey: 'billing-key-2',
        response: { transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: 'sub-1', txId: 'tx-2', billingKey: 'billing-key-2' },
      });
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-request', 'portone-paid']);
    });

    it('cancel, fail, veto and amend', async () => {
      const el = await subscribe();
      fake.respond = () => ({ transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: 'sub-1', txId: '', billingKey: '', code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.' });
      await clickFor(el, 'portone-cancel');
      fake.respond = () => ({ transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: 'sub-1', txId: '', billingKey: '', code: 'FAILURE_TYPE_PG', message: '통신사 오류', pgMessage: '통신사 오류' });
      const failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(failed.detail.readableMessage).to.equal('결제 실패: 통신사 오류');
      expect(fake.calls).to.have.length(2);
      fake.reset();
      const veto = (event: Event) => event.preventDefault();
      el.addEventListener('portone-request', veto);
      button(el).click();
      await settled(el);
      el.removeEventListener('portone-request', veto);
      el.addEventListener('portone-request', (event: PortoneRequestEvent) => {
        event.detail.request = { ...event.detail.request, orderName: '연간 구독' };
      });
      await clickFor(el, 'portone-paid');
      expect(fake.calls.map((call) => call.request.orderName), 'the vetoed click made no call').to.deep.equal(['연간 구독']);
    });

    it('ignores a double click and renders messages as text', async () => {
      const gate = deferred();
      fake.respond = () => gate.promise;
      const el = await subscribe();
      button(el).click();
      button(el).click();
      await until(() => fake.calls.length === 1, 'the window opened');
      await aTimeout(10);
      expect(fake.calls).to.have.length(1);
      gate.resolve({ transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: 'sub-1', txId: '', billingKey: '', code: 'E', message: '<u>오류</u>' });
      await settled(el);
      expect(statusText(el)).to.equal('결제 실패: <u>오류</u>');
      expect(el.shadowRoot!.querySelector('u')).to.equal(null);
    });
  });

  it('finishes a redirect return once', async () => {
    fake.respond = () => undefined;
    const leaving = await subscribe();
    button(leaving).click();
    await until(() => leaving.getAttribute('state') === 'window-open' && fake.calls.length === 1, 'the window took the page');
    leaving.remove();
    const result = { transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: 'sub-1', txId: 'tx-r', billingKey: 'bk-r' };
    returnWith(result);
    const seen = record(document);
    const paid = oneEvent(document, 'portone-paid') as Promise<PortonePaidEvent>;
    await subscribe();
    expect((await paid).detail).to.deep.include({ paymentId: 'sub-1', txId: 'tx-r', billingKey: 'bk-r' });
    returnWith(result);
    await subscribe();
    await aTimeout(50);
    expect(seen.map((e) => e.type)).to.deep.equal(['portone-paid']);
  });

  it('finishes a return without transactionType when this tab opened the window for that id, as billing-key-and-pay', async () => {
    fake.respond = () => undefined;
    const leaving = await subscribe();
    button(leaving).click();
    await until(() => leaving.getAttribute('state') === 'window-open' && fake.calls.length === 1, 'the window took the page');
    leaving.remove();
    returnWith({ paymentId: 'sub-1', txId: 'tx-r', billingKey: 'bk-r' });
    const seen = record(document);
    // A payment button on the same page has no attempt waiting: it leaves the result alone.
    const other = await mount<HTMLElement & { state: string }>('portone-payment-button', {});
    const paid = oneEvent(document, 'portone-paid') as Promise<PortonePaidEvent>;
    const back = await subscribe();
    const event = await paid;
    expect(event.target).to.equal(back);
    expect(event.detail.response).to.deep.equal({ transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: 'sub-1', txId: 'tx-r', billingKey: 'bk-r' });
    expect([other.state, seen.map((e) => e.type)]).to.deep.equal(['idle', ['portone-paid']]);
  });

  it('server-priced: the kit decides id, amount and product type; all it answered is reported (order, billing key, subscription)', async () => {
    const order = { paymentId: 'srv-sub', status: 'PAID', orderName: '서버 구독', totalAmount: 12900, currency: 'KRW', cancelledAmount: 0 };
    const answer = {
      order,
      billingKey: { billingKey: 'billing-key-2', status: 'ISSUED', display: '010-****-5678', issuedAt: '2025-01-01T00:00:00Z' },
      subscription: { id: 'sub-9', plan: 'monthly', status: 'ACTIVE', amount: 12900, currency: 'KRW', nextChargeAt: '2025-02-01T00:00:00Z' },
    };
    const kit = fakeFetch({
      '/kit/billing-key-and-pay/prepare': () => [200, { paymentId: 'srv-sub', orderName: '서버 구독', totalAmount: 12900, currency: 'KRW', productType: 'REAL', offerPeriodInterval: '1y' }],
      '/kit/billing-key-and-pay/complete': () => [200, answer],
    });
    try {
      const el = await subscribe({ endpoint: '/kit', plan: 'monthly', 'order-id': 'o-1', 'total-amount': '100' });
      await until(() => kit.calls.length === 1);
      expect(kit.calls[0]!.body).to.deep.equal({ orderId: 'o-1', customer: { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'hong@example.com' }, payMethod: 'MOBILE', plan: 'monthly' });
      const event = await clickFor<PortonePaidEvent>(el, 'portone-paid');
      expect(fake.calls[0]!.request).to.deep.equal({ ...REQUEST, paymentId: 'srv-sub', orderName: '서버 구독', totalAmount: 12900, productType: 'REAL', offerPeriod: { interval: '1y' } });
      expect(kit.calls[1]).to.deep.equal({ url: '/kit/billing-key-and-pay/complete', body: { paymentId: 'srv-sub', billingKey: 'billing-key-2', txId: 'tx-2' } });
      expect(event.detail).to.deep.equal({
        paymentId: 'srv-sub',
        txId: 'tx-2',
        billingKey: 'billing-key-2',
        order,
        subscription: answer.subscription,
        result: answer,
        response: { transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: 'srv-sub', txId: 'tx-2', billingKey: 'billing-key-2' },
      });
    } finally {
      kit.restore();
    }
  });

  it('server-priced manual approval: key and txId NEEDS_CONFIRMATION, the billingIssueToken goes to complete, and portone-paid carries what the kit confirmed', async () => {
    const order = { paymentId: 'srv-sub', status: 'PAID', orderName: '서버 구독', totalAmount: 12900, currency: 'KRW', cancelledAmount: 0 };
    const answer = { order, billingKey: { billingKey: 'bk-confirmed', status: 'ISSUED', issuedAt: '2025-01-01T00:00:00Z' } };
    const kit = fakeFetch({
      '/kit/billing-key-and-pay/prepare': () => [200, { paymentId: 'srv-sub', orderName: '서버 구독', totalAmount: 12900, currency: 'KRW', productType: 'REAL', offerPeriodInterval: '1y' }],
      '/kit/billing-key-and-pay/complete': () => [200, answer],
    });
    fake.respond = ({ request }) => ({ transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: request.paymentId, txId: 'NEEDS_CONFIRMATION', billingKey: 'NEEDS_CONFIRMATION', billingIssueToken: 'tok' });
    try {
      const el = await subscribe({ endpoint: '/kit', plan: 'monthly' });
      const seen = record(el);
      const event = await clickFor<PortonePaidEvent>(el, 'portone-paid');
      expect(kit.calls[1]).to.deep.equal({ url: '/kit/billing-key-and-pay/complete', body: { paymentId: 'srv-sub', billingKey: 'NEEDS_CONFIRMATION', txId: 'NEEDS_CONFIRMATION', billingIssueToken: 'tok' } });
      expect(event.detail).to.deep.include({ paymentId: 'srv-sub', billingKey: 'bk-confirmed', order });
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-request', 'portone-paid']);
    } finally {
      kit.restore();
    }
  });

  it('server-priced manual approval refused: the shop\'s shopperMessage is the status line as it is, the kit\'s message only in the event and the console', async () => {
    const shopperMessage = '정원이 마감되어 가입되지 않았습니다. 요금은 청구되지 않습니다.';
    const refusal = { code: 'RESERVATION_REFUSED', message: 'reserve() refused order srv-sub: plan monthly has no seats left', shopperMessage };
    const kit = fakeFetch({
      '/kit/billing-key-and-pay/prepare': () => [200, { paymentId: 'srv-sub', orderName: '서버 구독', totalAmount: 12900, currency: 'KRW', productType: 'REAL', offerPeriodInterval: '1y' }],
      '/kit/billing-key-and-pay/complete': () => [409, refusal],
    });
    fake.respond = ({ request }) => ({ transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: request.paymentId, txId: 'NEEDS_CONFIRMATION', billingKey: 'NEEDS_CONFIRMATION', billingIssueToken: 'tok' });
    const warn = console.warn;
    const lines: unknown[] = [];
    console.warn = (line: unknown) => lines.push(line);
    try {
      const el = await subscribe({ endpoint: '/kit', plan: 'monthly' });
      const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(event.detail).to.deep.include({ code: 'RESERVATION_REFUSED', message: refusal.message, status: 409, readableMessage: shopperMessage });
      await el.updateComplete;
      expect([el.state, statusText(el)]).to.deep.equal(['failed', shopperMessage]);
      expect(lines).to.deep.equal([`[portone-checkout] RESERVATION_REFUSED: ${refusal.message}`]);
    } finally {
      console.warn = warn;
      kit.restore();
    }
  });

  it('a manual-approval redirect return carries the billingIssueToken to complete', async () => {
    const order = { paymentId: 'srv-sub', status: 'PAID', orderName: '서버 구독', totalAmount: 12900, currency: 'KRW', cancelledAmount: 0 };
    const kit = fakeFetch({ '/kit/billing-key-and-pay/complete': () => [200, { order, billingKey: { billingKey: 'bk-confirmed', status: 'ISSUED', issuedAt: '2025-01-01T00:00:00Z' } }] });
    try {
      returnWith({ transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: 'srv-sub', txId: 'NEEDS_CONFIRMATION', billingKey: 'NEEDS_CONFIRMATION', billingIssueToken: 'tok-r' });
      const paid = oneEvent(document, 'portone-paid') as Promise<PortonePaidEvent>;
      await subscribe({ endpoint: '/kit', plan: 'monthly' });
      expect((await paid).detail).to.deep.include({ paymentId: 'srv-sub', billingKey: 'bk-confirmed' });
      expect(kit.calls.find((call) => call.url.endsWith('/complete'))!.body).to.deep.equal({ paymentId: 'srv-sub', billingKey: 'NEEDS_CONFIRMATION', txId: 'NEEDS_CONFIRMATION', billingIssueToken: 'tok-r' });
      expect(new URL(location.href).searchParams.has('billingIssueToken')).to.equal(false);
    } finally {
      kit.restore();
    }
  });

  it('server-priced: a re-prepare hands back the unused order (previousPaymentId)', async () => {
    const kit = fakeFetch({
      '/kit/billing-key-and-pay/prepare': (body) => [200, { paymentId: body.previousPaymentId ?? 'srv-sub', orderName: '구독', totalAmount: 12900, currency: 'KRW' }],
    });
    try {
      const el = await subscribe({ endpoint: '/kit', plan: 'monthly' });
      await until(() => kit.calls.length === 1, 'prepared on first visibility');
      el.plan = 'yearly';
      await until(() => kit.calls.length === 2, 'prepared again for the new plan');
      expect(kit.calls.map((call) => (call.body as { previousPaymentId?: string }).previousPaymentId)).to.deep.equal([undefined, 'srv-sub']);
      expect(kit.calls[1]!.body).to.deep.include({ plan: 'yearly', payMethod: 'MOBILE' });
    } finally {
      kit.restore();
    }
  });
});
