import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import { PortoneBillingKeyButton, PortoneBillingKeyIssuedEvent, type PortoneCancelEvent, type PortoneFailEvent, type PortoneRequestEvent } from '../../src/index.js';
import { deferred, fake, installFakePortOne, portOneError } from './support/fake-portone.js';
import { CUSTOMER_ATTRS, PAGE_URL, button, cleanup, clickFor, fakeFetch, mount, pretendMobile, record, recordStates, returnWith, settled, statusText, until } from './support/harness.js';

installFakePortOne();

const BASE = { 'store-id': 'store-1', 'channel-key': 'channel-bk', 'issue-id': 'issue-1', 'issue-name': '월간 구독', ...CUSTOMER_ATTRS };
const issue = (attrs: Record<string, string> = {}, parent?: HTMLElement) =>
  mount<PortoneBillingKeyButton>('portone-billing-key-button', { ...BASE, ...attrs }, parent);

const REQUEST = {
  storeId: 'store-1',
  channelKey: 'channel-bk',
  issueId: 'issue-1',
  issueName: '월간 구독',
  billingKeyMethod: 'CARD',
  currency: 'KRW',
  customer: { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'hong@example.com' },
  redirectUrl: PAGE_URL,
};

afterEach(() => {
  fake.reset();
  cleanup();
});

describe('<portone-billing-key-button>', () => {
  it('passes an axe scan', async () => {
    await expect(await issue()).to.be.accessible();
  });

  it('has defaults: CARD, a card-registration label, idle', async () => {
    const el = await fixture<PortoneBillingKeyButton>(html`<portone-billing-key-button></portone-billing-key-button>`);
    expect(el.billingKeyMethod).to.equal('CARD');
    expect(el.state).to.equal('idle');
    expect(button(el).textContent!.trim()).to.equal('카드 등록하기');
    expect(el.shadowRoot!.delegatesFocus).to.equal(true);
  });

  it('maps its own attributes to properties', async () => {
    const el = await issue({ 'display-amount': '9,900', plan: 'monthly', 'inicis-card-use': 'cocard', 'billing-key-method': 'MOBILE' });
    expect([el.displayAmount, el.plan, el.inicisCardUse, el.billingKeyMethod, el.issueId, el.issueName]).to.deep.equal([9900, 'monthly', 'cocard', 'MOBILE', 'issue-1', '월간 구독']);
  });

  it('sends exactly the request its attributes describe, KG Inicis carduse included', async () => {
    const el = await issue({ 'display-amount': '9900', 'offer-period': '1m', 'inicis-card-use': 'percard', locale: 'KO_KR', 'custom-data': '{"plan":"monthly"}' });
    await clickFor(el, 'portone-billing-key-issued');
    expect(fake.calls.map((call) => call.fn)).to.deep.equal(['requestIssueBillingKey']);
    expect(fake.calls[0]!.request).to.deep.equal({
      ...REQUEST,
      displayAmount: 9900,
      offerPeriod: { interval: '1m' },
      locale: 'KO_KR',
      customData: { plan: 'monthly' },
      bypass: { inicis_v2: { carduse: 'percard' } },
    });
  });

  it('merges .inicis over inicis-card-use', async () => {
    const el = await issue({ 'inicis-card-use': 'percard' });
    el.inicis = { carduse: 'cocard' };
    await clickFor(el, 'portone-billing-key-issued');
    expect(fake.calls[0]!.request.bypass).to.deep.equal({ inicis_v2: { carduse: 'cocard' } });
  });

  describe('rules', () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ['no issue id', { 'issue-id': '' }, 'issue-fields', 'issueId'],
      ['no issue name', { 'issue-name': '' }, 'issue-fields', 'issueName'],
      ['a non-ASCII issue id', { 'issue-id': '발급-1' }, 'ascii-id', 'issueId'],
      ['a billing key method other than CARD', { 'billing-key-method': 'EASY_PAY' }, 'billing-key-method', 'billingKeyMethod'],
      ['no customer name', { 'customer-name': '' }, 'customer-name', 'customer.fullName'],
      ['no phone on PC', { 'customer-phone': '' }, 'customer-contact', 'customer.phoneNumber'],
      ['no e-mail on PC', { 'customer-email': '' }, 'customer-contact', 'customer.email'],
      ['an interval other than 1m/1y', { 'offer-period': '30d' }, 'offer-period', 'offerPeriod'],
      ['a range without its end', { 'offer-period': '2025-01-01/' }, 'offer-period', 'offerPeriod'],
      ['an unknown card use', { 'inicis-card-use': 'both' }, 'card-use', 'bypass.inicis_v2.carduse'],
      ['a currency other than KRW/USD', { currency: 'EUR' }, 'currency', 'currency'],
      ['a negative display amount', { 'display-amount': '-1' }, 'amount', 'displayAmount'],
    ];
    for (const [name, attrs, rule, field] of cases) {
      it(name, async () => {
        const el = await issue(attrs);
        const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
        expect(event.detail.violations!.map((v) => [v.rule, v.field])).to.deep.equal([[rule, field]]);
        expect(event.detail.readableMessage).to.equal(`카드 등록 실패: ${event.detail.violations![0]!.message.ko}`);
        expect(fake.calls).to.have.length(0);
      });
    }

    it('on a phone: an offer period is required, USD is not allowed, phone and e-mail are optional', async () => {
      const restore = pretendMobile();
      try {
        const noPeriod = await issue({ 'customer-phone': '', 'customer-email': '' });
        const missing = await clickFor<PortoneFailEvent>(noPeriod, 'portone-fail');
        expect(missing.detail.violations!.map((v) => [v.rule, v.field])).to.deep.equal([['offer-period', 'offerPeriod']]);
        const usd = await issue({ 'offer-period': '1y', currency: 'USD' });
        const usdFail = await clickFor<PortoneFailEvent>(usd, 'portone-fail');
        expect(usdFail.detail.violations!.map((v) => v.rule)).to.deep.equal(['currency']);
        const ok = await issue({ 'offer-period': '1m', 'customer-phone': '', 'customer-email': '' });
        await clickFor(ok, 'portone-billing-key-issued');
        expect(fake.calls).to.have.length(1);
      } finally {
        restore();
      }
    });
  });

  describe('outcomes', () => {
    it('issued: portone-request, then portone-billing-key-issued with the key', async () => {
      const el = await issue();
      const seen = record(el);
      const event = await clickFor<PortoneBillingKeyIssuedEvent>(el, 'portone-billing-key-issued');
      expect(event).to.be.instanceOf(PortoneBillingKeyIssuedEvent);
      expect(event.detail).to.deep.equal({
        billingKey: 'billing-key-1',
        issueId: 'issue-1',
        order: undefined,
        subscription: undefined,
        result: undefined,
        response: { transactionType: 'ISSUE_BILLING_KEY', billingKey: 'billing-key-1' },
      });
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-request', 'portone-billing-key-issued']);
      await el.updateComplete;
      expect(statusText(el)).to.equal('카드가 등록되었습니다');
      expect(el.state).to.equal('done');
    });

    it('cancel and fail', async () => {
      fake.respond = () => ({ transactionType: 'ISSUE_BILLING_KEY', billingKey: '', code: 'FAILURE_TYPE_PG', message: '사용자가 취소하였습니다' });
      const el = await issue();
      await clickFor<PortoneCancelEvent>(el, 'portone-cancel');
      expect(el.state).to.equal('idle');

      fake.respond = () => ({ transactionType: 'ISSUE_BILLING_KEY', billingKey: '', code: 'FAILURE_TYPE_PG', message: '유효하지 않은 카드', pgCode: 'C1', pgMessage: '유효하지 않은 카드입니다' });
      const failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(failed.detail).to.deep.include({ code: 'FAILURE_TYPE_PG', pgCode: 'C1', readableMessage: '카드 등록 실패: 유효하지 않은 카드입니다' });

      fake.respond = () => Promise.reject(portOneError({ code: 'StoreNotFound', message: '상점을 찾을 수 없습니다.' }));
      const rejected = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(rejected.detail.code).to.equal('StoreNotFound');
    });

    it('portone-request can veto and amend', async () => {
      const el = await issue();
      let veto = true;
      el.addEventListener('portone-request', (event: PortoneRequestEvent) => {
        expect(event.detail.kind).to.equal('billing-key');
        if (veto) event.preventDefault();
        else event.detail.request = { ...event.detail.request, issueName: '연간 구독' };
      });
      button(el).click();
      await settled(el);
      expect(fake.calls).to.have.length(0);
      veto = false;
      await clickFor(el, 'portone-billing-key-issued');
      expect(fake.calls[0]!.request.issueName).to.equal('연간 구독');
    });

    it('ignores a double click, and a third click while the window is open', async () => {
      const gate = deferred();
      fake.respond = () => gate.promise;
      const el = await issue();
      const states = recordStates(el);
      button(el).click();
      button(el).click();
      await until(() => fake.calls.length === 1, 'the window opened');
      await el.updateComplete;
      expect([button(el).disabled, button(el).getAttribute('aria-busy'), button(el).textContent!.trim()]).to.deep.equal([true, 'true', '결제창 진행 중…']);
      button(el).click();
      // Let a click that got through reach the SDK before the window closes.
      await aTimeout(10);
      gate.resolve({ transactionType: 'ISSUE_BILLING_KEY', billingKey: 'bk' });
      await settled(el);
      expect(fake.calls).to.have.length(1);
      expect(states(), 'one attempt').to.deep.equal(['idle', 'loading', 'window-open', 'done']);
    });

    it('with the kit: loading while the prepare answer is on its way, verifying while the key is stored, with Korean texts', async () => {
      const prepare = deferred<[number, unknown]>();
      const complete = deferred<[number, unknown]>();
      const kit = fakeFetch({ '/kit/billing-keys/prepare': () => prepare.promise, '/kit/billing-keys/complete': () => complete.promise });
      try {
        const el = await issue({ endpoint: '/kit', plan: 'monthly' });
        const states = recordStates(el);
        await until(() => kit.calls.length === 1, 'prepared ahead of the click');
        const shown = async () => {
          await el.updateComplete;
          return [el.state, button(el).disabled, button(el).getAttribute('aria-busy'), button(el).textContent!.trim()];
        };
        button(el).click();
        expect(await shown()).to.deep.equal(['loading', true, 'true', '준비 중…']);
        prepare.resolve([200, { issueId: 'srv-issue', issueName: '월간 플랜' }]);
        await until(() => kit.calls.length === 2, 'complete posted');
        expect(await shown()).to.deep.equal(['verifying', true, 'true', '결제 확인 중…']);
        const issued = oneEvent(el, 'portone-billing-key-issued');
        complete.resolve([200, { billingKey: { billingKey: 'bk-srv', status: 'ISSUED', issuedAt: '2025-01-01T00:00:00Z' } }]);
        await issued;
        expect(await shown()).to.deep.equal(['done', true, 'false', '카드 등록하기']);
        expect(statusText(el)).to.equal('카드가 등록되었습니다');
        expect(el.shadowRoot!.querySelector('[part=status]')!.getAttribute('aria-live')).to.equal('polite');
        expect(states()).to.deep.equal(['idle', 'loading', 'window-open', 'verifying', 'done']);
      } finally {
        kit.restore();
      }
    });

    it('renders messages as text', async () => {
      fake.respond = () => ({ transactionType: 'ISSUE_BILLING_KEY', billingKey: '', code: 'X', message: '<script>x</script>', pgMessage: '<b>x</b>' });
      const el = await issue();
      await clickFor(el, 'portone-fail');
      await el.updateComplete;
      expect(statusText(el)).to.equal('카드 등록 실패: <b>x</b>');
      expect(el.shadowRoot!.querySelector('b')).to.equal(null);
    });
  });

  describe('redirect return', () => {
    it('finishes a billing key that came back through the query, once', async () => {
      fake.respond = () => undefined;
      const leaving = await issue();
      button(leaving).click();
      await until(() => leaving.getAttribute('state') === 'window-open' && fake.calls.length === 1, 'the window took the page');
      leaving.remove();

      returnWith({ transactionType: 'ISSUE_BILLING_KEY', billingKey: 'bk-returned' });
      const seen = record(document);
      const issued = oneEvent(document, 'portone-billing-key-issued') as Promise<PortoneBillingKeyIssuedEvent>;
      // A payment button on the same page leaves the billing key's result alone.
      await mount('portone-payment-button', {});
      await issue();
      const event = await issued;
      expect(event.detail).to.deep.include({ billingKey: 'bk-returned', issueId: 'issue-1' });
      expect(new URL(location.href).searchParams.has('billingKey')).to.equal(false);

      returnWith({ transactionType: 'ISSUE_BILLING_KEY', billingKey: 'bk-returned' });
      await issue();
      await aTimeout(50);
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-billing-key-issued']);
    });
  });

  describe('server-priced flow (endpoint)', () => {
    it('hands an unused issue id back when it prepares again (previousIssueId), and not once a window was opened for it', async () => {
      let n = 0;
      const kit = fakeFetch({
        '/kit/billing-keys/prepare': (body) => [200, { issueId: body.previousIssueId ?? `issue-${++n}`, issueName: '플랜' }],
        '/kit/billing-keys/complete': () => [200, { billingKey: { billingKey: 'bk-srv', status: 'ISSUED', issuedAt: '2025-01-01T00:00:00Z' } }],
      });
      try {
        const el = await issue({ endpoint: '/kit', plan: 'monthly' });
        await until(() => kit.calls.length === 1, 'prepared on first visibility');
        el.plan = 'yearly';
        await until(() => kit.calls.length === 2, 'prepared again for the new plan');
        await clickFor(el, 'portone-billing-key-issued');
        el.reset();
        await until(() => kit.calls.length === 4, 'prepared afresh after reset()');
        const customer = { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'hong@example.com' };
        expect(kit.calls.map((call) => [call.url, call.body])).to.deep.equal([
          ['/kit/billing-keys/prepare', { customer, plan: 'monthly' }],
          ['/kit/billing-keys/prepare', { customer, plan: 'yearly', previousIssueId: 'issue-1' }],
          ['/kit/billing-keys/complete', { billingKey: 'billing-key-1', issueId: 'issue-1' }],
          ['/kit/billing-keys/prepare', { customer, plan: 'yearly' }],
        ]);
      } finally {
        kit.restore();
      }
    });

    it('takes the issue id, title and plan amount from the kit and reports all it answered: key, subscription, first period\'s order', async () => {
      const firstPeriod = { paymentId: 'sub-1-p1', status: 'PAID', orderName: '월간 플랜 1회차', totalAmount: 9900, currency: 'KRW', cancelledAmount: 0 };
      const stored = {
        billingKey: { billingKey: 'bk-srv', status: 'ISSUED', display: '5365-****-****-1234', issuedAt: '2025-01-01T00:00:00Z' },
        subscription: { id: 'sub-1', plan: 'monthly', status: 'ACTIVE', amount: 9900, currency: 'KRW', nextChargeAt: '2025-02-01T00:00:00Z' },
        order: firstPeriod,
      };
      const kit = fakeFetch({
        '/kit/billing-keys/prepare': () => [200, { issueId: 'srv-issue', issueName: '월간 플랜', displayAmount: 9900, currency: 'KRW', offerPeriodInterval: '1m', customData: { plan: 'monthly' } }],
        '/kit/billing-keys/complete': () => [200, stored],
      });
      try {
        const el = await issue({ endpoint: '/kit', plan: 'monthly', 'issue-id': 'page-issue' });
        await until(() => kit.calls.length === 1);
        expect(kit.calls[0]!.body).to.deep.equal({ customer: { fullName: '홍길동', phoneNumber: '010-1234-5678', email: 'hong@example.com' }, plan: 'monthly' });
        const event = await clickFor<PortoneBillingKeyIssuedEvent>(el, 'portone-billing-key-issued');
        expect(fake.calls[0]!.request).to.deep.equal({ ...REQUEST, issueId: 'srv-issue', issueName: '월간 플랜', displayAmount: 9900, offerPeriod: { interval: '1m' }, customData: { plan: 'monthly' } });
        expect(kit.calls[1]).to.deep.equal({ url: '/kit/billing-keys/complete', body: { billingKey: 'billing-key-1', issueId: 'srv-issue' } });
        expect(event.detail).to.deep.equal({
          billingKey: 'bk-srv',
          issueId: 'srv-issue',
          order: firstPeriod,
          subscription: stored.subscription,
          result: stored,
          response: { transactionType: 'ISSUE_BILLING_KEY', billingKey: 'billing-key-1' },
        });
      } finally {
        kit.restore();
      }
    });
  });

  describe('manual approval (수동 승인)', () => {
    const stored = (billingKey: string) => ({ billingKey: { billingKey, status: 'ISSUED', issuedAt: '2025-01-01T00:00:00Z' } });
    const approving = (token: string) => (fake.respond = () => ({ transactionType: 'ISSUE_BILLING_KEY', billingKey: 'NEEDS_CONFIRMATION', billingIssueToken: token }));

    it('the window\'s billingIssueToken goes to complete with the NEEDS_CONFIRMATION key; the event carries the key the kit confirmed', async () => {
      const kit = fakeFetch({
        '/kit/billing-keys/prepare': () => [200, { issueId: 'srv-issue', issueName: '월간 플랜' }],
        '/kit/billing-keys/complete': () => [200, stored('bk-confirmed')],
      });
      try {
        approving('btok-1');
        const el = await issue({ endpoint: '/kit' });
        const event = await clickFor<PortoneBillingKeyIssuedEvent>(el, 'portone-billing-key-issued');
        expect(kit.calls.at(-1)).to.deep.equal({ url: '/kit/billing-keys/complete', body: { billingKey: 'NEEDS_CONFIRMATION', issueId: 'srv-issue', billingIssueToken: 'btok-1' } });
        expect(event.detail.billingKey).to.equal('bk-confirmed');
      } finally {
        kit.restore();
      }
    });

    it('a refusal the shop worded for the shopper is the status line as it is; the kit\'s message is not', async () => {
      const shopperMessage = '이 요금제는 마감되었습니다. 카드는 등록되지 않았습니다.';
      const kit = fakeFetch({
        '/kit/billing-keys/prepare': () => [200, { issueId: 'srv-issue', issueName: '월간 플랜' }],
        '/kit/billing-keys/complete': () => [409, { code: 'RESERVATION_REFUSED', message: 'reserve() refused issue srv-issue: plan monthly is full', shopperMessage }],
      });
      const warn = console.warn;
      console.warn = () => {};
      try {
        approving('btok-1');
        const el = await issue({ endpoint: '/kit' });
        const failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
        expect(failed.detail).to.deep.include({ code: 'RESERVATION_REFUSED', status: 409, readableMessage: shopperMessage });
        await el.updateComplete;
        expect(statusText(el)).to.equal(shopperMessage);
      } finally {
        console.warn = warn;
        kit.restore();
      }
    });

    it('redirect returns carry the token to complete; two approvals (both NEEDS_CONFIRMATION) are two results, each completed once', async () => {
      const kit = fakeFetch({ '/kit/billing-keys/complete': (body) => [200, stored(`bk-${body.billingIssueToken}`)] });
      try {
        const seen = record(document);
        for (const token of ['btok-a', 'btok-b']) {
          returnWith({ transactionType: 'ISSUE_BILLING_KEY', billingKey: 'NEEDS_CONFIRMATION', billingIssueToken: token });
          const issued = oneEvent(document, 'portone-billing-key-issued') as Promise<PortoneBillingKeyIssuedEvent>;
          await issue({ endpoint: '/kit' });
          expect((await issued).detail.billingKey).to.equal(`bk-${token}`);
          expect(new URL(location.href).searchParams.has('billingIssueToken')).to.equal(false);
        }
        // A reload of the first return completes nothing.
        returnWith({ transactionType: 'ISSUE_BILLING_KEY', billingKey: 'NEEDS_CONFIRMATION', billingIssueToken: 'btok-a' });
        await issue({ endpoint: '/kit' });
        await aTimeout(50);
        expect(seen.map((e) => e.type)).to.deep.equal(['portone-billing-key-issued', 'portone-billing-key-issued']);
        expect(kit.calls.filter((call) => call.url.endsWith('/complete')).map((call) => call.body)).to.deep.equal([
          { billingKey: 'NEEDS_CONFIRMATION', issueId: 'issue-1', billingIssueToken: 'btok-a' },
          { billingKey: 'NEEDS_CONFIRMATION', issueId: 'issue-1', billingIssueToken: 'btok-b' },
        ]);
      } finally {
        kit.restore();
      }
    });
  });
});
