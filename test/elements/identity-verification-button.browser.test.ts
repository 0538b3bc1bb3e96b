import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import {
  PortoneIdentityVerificationButton,
  PortoneIdentityVerifiedEvent,
  pendingAttempt,
  type IdentityVerificationRequest,
  type PortoneCancelEvent,
  type PortoneFailEvent,
  type PortoneRequestEvent,
} from '../../src/index.js';
import { deferred, fake, installFakePortOne, portOneError } from './support/fake-portone.js';
import { PAGE_URL, button, cleanup, clickFor, fakeFetch, mount, record, recordStates, returnWith, settled, statusText, until } from './support/harness.js';

installFakePortOne();

const BASE = { 'store-id': 'store-1', 'channel-key': 'channel-iv', 'identity-verification-id': 'iv-1' };
const verify = (attrs: Record<string, string> = {}, parent?: HTMLElement) =>
  mount<PortoneIdentityVerificationButton>('portone-identity-verification-button', { ...BASE, ...attrs }, parent);

/** What the default element sends: KG Inicis's required flgFixedUser is always there. */
const REQUEST = {
  storeId: 'store-1',
  identityVerificationId: 'iv-1',
  channelKey: 'channel-iv',
  redirectUrl: PAGE_URL,
  bypass: { inicisUnified: { flgFixedUser: 'N' } },
};

/** The kit's answer for a verification that passed its checks. */
const verified = (id = 'srv-iv-1', extra = {}) => ({
  identityVerification: { identityVerificationId: id, status: 'VERIFIED', verifiedAt: '2026-12-02T00:00:00Z', ...extra },
});

/** Every console.warn line while `run` runs (the developer's channel), the console left as it was. */
async function warnings(run: () => Promise<void>): Promise<string[]> {
  const warn = console.warn;
  const lines: string[] = [];
  console.warn = (line: unknown) => lines.push(String(line));
  try {
    await run();
  } finally {
    console.warn = warn;
  }
  return lines;
}

afterEach(() => {
  fake.reset();
  cleanup();
});

describe('<portone-identity-verification-button>', () => {
  it('passes an axe scan, idle and after a failure', async () => {
    const el = await verify();
    await expect(el).to.be.accessible();
    fake.respond = () => ({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1', identityVerificationTxId: 't', code: 'PG', message: '인증 실패' });
    await clickFor(el, 'portone-fail');
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('has defaults: a verification label, idle, no fixed user, no SDK call until clicked, and none of the payment attributes', async () => {
    const el = await fixture<PortoneIdentityVerificationButton>(html`<portone-identity-verification-button></portone-identity-verification-button>`);
    expect(el.state).to.equal('idle');
    expect(el.getAttribute('state')).to.equal('idle');
    expect(el.inicisFixedUser).to.equal(false);
    expect(el.forceRedirect).to.equal(false);
    expect(button(el).textContent!.trim()).to.equal('본인인증하기');
    expect(button(el).getAttribute('part')).to.equal('button');
    expect(el.shadowRoot!.querySelector('[part=status]')!.getAttribute('role')).to.equal('status');
    expect(el.shadowRoot!.delegatesFocus).to.equal(true);
    // Identity verification takes no currency, window language, webhook URLs, offer period or product type.
    const observed = (el.constructor as typeof PortoneIdentityVerificationButton).observedAttributes;
    for (const attribute of ['currency', 'locale', 'notice-urls', 'offer-period', 'product-type', 'items', 'total-amount']) {
      expect(observed, attribute).to.not.include(attribute);
    }
    expect(fake.calls).to.have.length(0);
  });

  it('maps every attribute listed in the Custom Elements Manifest to its property', async () => {
    const manifest = await (await fetch('/custom-elements.json')).json();
    const declaration = manifest.modules
      .flatMap((module: { declarations?: unknown[] }) => module.declarations ?? [])
      .find((d: { tagName?: string }) => d.tagName === 'portone-identity-verification-button');
    const attributes = (declaration.attributes as { name: string; fieldName?: string; type?: { text: string } }[]).filter((a) => a.fieldName);
    expect(attributes.map((a) => a.name)).to.include.members(['identity-verification-id', 'customer-birth-date', 'inicis-fixed-user', 'inicis-direct-agency', 'inicis-logo-url', 'store-id', 'endpoint']);
    const el = await verify();
    for (const attribute of attributes) {
      const [value, expected] = attribute.type?.text === 'boolean' ? ['', true] : ['v-1', 'v-1'];
      el.setAttribute(attribute.name, value);
      expect((el as unknown as Record<string, unknown>)[attribute.fieldName!], attribute.name).to.equal(expected);
    }
  });

  it('sends exactly the request its attributes describe: the birth date split, customData as a string, every KG Inicis option', async () => {
    const el = await verify({
      'customer-id': 'member-7',
      'customer-name': '홍길동',
      'customer-phone': '010-1234-5678',
      'customer-birth-date': '1990-01-31',
      'redirect-url': 'https://shop.example/verified?x=1',
      'force-redirect': '',
      'window-type-pc': 'POPUP',
      'window-type-mobile': 'REDIRECTION',
      'custom-data': '{"signup":"s-9"}',
      'inicis-fixed-user': '',
      'inicis-direct-agency': 'PASS',
      'inicis-logo-url': 'https://shop.example/logo.png',
    });
    await clickFor(el, 'portone-identity-verified');
    expect(fake.calls.map((call) => call.fn)).to.deep.equal(['requestIdentityVerification']);
    expect(fake.calls[0]!.request).to.deep.equal({
      ...REQUEST,
      customer: { customerId: 'member-7', fullName: '홍길동', phoneNumber: '010-1234-5678', birthYear: '1990', birthMonth: '01', birthDay: '31' },
      redirectUrl: 'https://shop.example/verified?x=1',
      forceRedirect: true,
      windowType: { pc: 'POPUP', mobile: 'REDIRECTION' },
      customData: '{"signup":"s-9"}',
      bypass: { inicisUnified: { flgFixedUser: 'Y', directAgency: 'PASS', logoUrl: 'https://shop.example/logo.png' } },
    });
  });

  it('merges .customer over the customer attributes, .inicis over the inicis attributes, and .request last; an object customData becomes JSON', async () => {
    const el = await verify({ 'customer-name': '홍길동', 'customer-birth-date': '1990-01-31', 'inicis-direct-agency': 'PASS' });
    el.customer = { birthYear: '1991', gender: 'MALE' };
    el.inicis = { directAgency: 'KAKAO', FRGNDInfo: 'N' };
    el.customData = { signup: 's-1' };
    el.request = { popup: { center: true } };
    await clickFor(el, 'portone-identity-verified');
    expect(fake.calls[0]!.request).to.deep.equal({
      ...REQUEST,
      customer: { fullName: '홍길동', birthYear: '1991', birthMonth: '01', birthDay: '31', gender: 'MALE' },
      customData: '{"signup":"s-1"}',
      popup: { center: true },
      bypass: { inicisUnified: { flgFixedUser: 'N', directAgency: 'KAKAO', FRGNDInfo: 'N' } },
    });
  });

  describe('rules', () => {
    const cases: [string, Record<string, string>, [string, string][]][] = [
      ['no identity verification id', { 'identity-verification-id': '' }, [['required', 'identityVerificationId']]],
      ['no channel key', { 'channel-key': '' }, [['required', 'channelKey']]],
      [
        'a fixed user without name, phone and birth date (KG Inicis: flgFixedUser Y needs them)',
        { 'inicis-fixed-user': '' },
        [
          ['fixed-user', 'customer.fullName'],
          ['fixed-user', 'customer.phoneNumber'],
          ['fixed-user', 'customer.birthYear'],
          ['fixed-user', 'customer.birthMonth'],
          ['fixed-user', 'customer.birthDay'],
        ],
      ],
      ['a fixed user with a birth date but no phone', { 'inicis-fixed-user': '', 'customer-name': '홍길동', 'customer-birth-date': '1990-01-31' }, [['fixed-user', 'customer.phoneNumber']]],
      ['an unknown direct agency', { 'inicis-direct-agency': 'KAKAOTALK' }, [['direct-agency', 'bypass.inicisUnified.directAgency']]],
      ['a birth date not as YYYY-MM-DD', { 'customer-birth-date': '1990/01/31' }, [['birth-date', 'customerBirthDate']]],
      ['a window type KG Inicis does not know', { 'window-type-pc': 'UI' }, [['window-type', 'windowType.pc']]],
    ];
    for (const [name, attrs, expected] of cases) {
      it(name, async () => {
        const el = await verify(attrs);
        const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
        expect(event.detail.code).to.equal('INVALID_REQUEST');
        expect(event.detail.violations!.map((v) => [v.rule, v.field])).to.deep.equal(expected);
        expect(event.detail.readableMessage.startsWith('본인인증 실패: ')).to.equal(true);
        expect(fake.calls).to.have.length(0);
      });
    }

    it('flgFixedUser must be Y or N, and customData a string, wherever they were set', async () => {
      const el = await verify();
      el.inicis = { flgFixedUser: 'yes' as 'Y' };
      el.request = { customData: { signup: 's-1' } as unknown as string };
      const event = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(event.detail.violations!.map((v) => [v.rule, v.field])).to.deep.equal([
        ['custom-data', 'customData'],
        ['fixed-user', 'bypass.inicisUnified.flgFixedUser'],
      ]);
    });

    it('another identity channel: a page that replaces the bypass (Danal) gets no KG Inicis rule', async () => {
      const el = await verify({ 'inicis-fixed-user': '' });
      el.request = { bypass: { danal: { AGELIMIT: 19 } } };
      await clickFor(el, 'portone-identity-verified');
      expect(fake.calls[0]!.request.bypass).to.deep.equal({ danal: { AGELIMIT: 19 } });
    });

    it('an http logo only warns (the window is HTTPS), and the SDK is called', async () => {
      const el = await verify({ 'inicis-logo-url': 'http://shop.example/logo.png' });
      const lines = await warnings(async () => {
        await clickFor(el, 'portone-identity-verified');
      });
      expect(lines).to.deep.equal(['[portone-checkout] bypass.inicisUnified.logoUrl: expected an https:// URL (the window is HTTPS: an http image may not show), got "http://shop.example/logo.png"']);
      expect(fake.calls).to.have.length(1);
    });
  });

  describe('outcomes', () => {
    it('verified: portone-request, then portone-identity-verified with the SDK result', async () => {
      const el = await verify();
      const seen = record(el);
      const event = await clickFor<PortoneIdentityVerifiedEvent>(el, 'portone-identity-verified');
      expect(event).to.be.instanceOf(PortoneIdentityVerifiedEvent);
      expect([event.bubbles, event.composed]).to.deep.equal([true, true]);
      expect(event.detail).to.deep.equal({
        identityVerificationId: 'iv-1',
        identityVerificationTxId: 'iv-tx-1',
        identityVerification: undefined,
        result: undefined,
        response: { transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1', identityVerificationTxId: 'iv-tx-1' },
      });
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-request', 'portone-identity-verified']);
      await el.updateComplete;
      expect(statusText(el)).to.equal('본인인증이 완료되었습니다');
      expect([el.state, button(el).disabled]).to.deep.equal(['done', true]);
    });

    it('cancel: the shopper closing the window fires portone-cancel and returns to idle', async () => {
      fake.respond = () => ({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1', identityVerificationTxId: 't', code: 'FAILURE_TYPE_PG', message: '사용자가 본인인증을 취소하였습니다.' });
      const el = await verify();
      const seen = record(el);
      const event = await clickFor<PortoneCancelEvent>(el, 'portone-cancel');
      expect(event.detail).to.deep.equal({ code: 'FAILURE_TYPE_PG', message: '사용자가 본인인증을 취소하였습니다.', pgCode: undefined, pgMessage: undefined });
      await el.updateComplete;
      expect([el.state, statusText(el)]).to.deep.equal(['idle', '취소했습니다.']);
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-request', 'portone-cancel']);
    });

    it('fail: a failed verification and an SDK rejection (IdentityVerificationError) fire portone-fail with PortOne\'s words', async () => {
      fake.respond = () => ({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1', identityVerificationTxId: 't', code: 'FAILURE_TYPE_PG', message: '인증 실패', pgCode: 'I01', pgMessage: '인증번호가 일치하지 않습니다' });
      const el = await verify();
      const failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(failed.detail).to.deep.include({ code: 'FAILURE_TYPE_PG', pgCode: 'I01', readableMessage: '본인인증 실패: 인증번호가 일치하지 않습니다' });
      await el.updateComplete;
      expect([el.state, statusText(el)]).to.deep.equal(['failed', '본인인증 실패: 인증번호가 일치하지 않습니다']);

      fake.respond = () => Promise.reject(portOneError({ code: 'IdentityVerificationAlreadyVerified', message: '이미 인증이 완료된 건입니다.' }, ['IdentityVerificationError', 'IDENTITY_VERIFICATION']));
      const rejected = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(rejected.detail).to.deep.include({ code: 'IdentityVerificationAlreadyVerified', readableMessage: '본인인증 실패: 이미 인증이 완료된 건입니다.' });
    });

    it('portone-request can veto and amend', async () => {
      const el = await verify();
      let veto = true;
      el.addEventListener('portone-request', (event: PortoneRequestEvent) => {
        expect(event.detail.kind).to.equal('identity-verification');
        if (veto) event.preventDefault();
        else event.detail.request = { ...(event.detail.request as IdentityVerificationRequest), customData: 'amended' };
      });
      button(el).click();
      await settled(el);
      expect([fake.calls.length, el.state]).to.deep.equal([0, 'idle']);
      veto = false;
      await clickFor(el, 'portone-identity-verified');
      expect(fake.calls[0]!.request.customData).to.equal('amended');
    });

    it('ignores a double click; while the window is open it says so in its own words, in English under lang="en"', async () => {
      const gate = deferred();
      fake.respond = () => gate.promise;
      const wrapper = document.body.appendChild(document.createElement('div'));
      wrapper.lang = 'en';
      const el = await verify({}, wrapper);
      const states = recordStates(el);
      expect(button(el).textContent!.trim()).to.equal('Verify identity');
      button(el).click();
      button(el).click();
      await until(() => fake.calls.length === 1, 'the window opened');
      await el.updateComplete;
      expect([button(el).disabled, button(el).getAttribute('aria-busy'), button(el).textContent!.trim()]).to.deep.equal([true, 'true', 'Verification window open…']);
      gate.resolve({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1', identityVerificationTxId: 't' });
      await settled(el);
      expect(fake.calls).to.have.length(1);
      expect(states()).to.deep.equal(['idle', 'loading', 'window-open', 'done']);
      expect(statusText(el)).to.equal('Identity verified');
    });

    it('renders messages as text', async () => {
      fake.respond = () => ({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1', identityVerificationTxId: 't', code: 'X', message: '<script>x</script>', pgMessage: '<b>x</b>' });
      const el = await verify();
      await clickFor(el, 'portone-fail');
      await el.updateComplete;
      expect(statusText(el)).to.equal('본인인증 실패: <b>x</b>');
      expect(el.shadowRoot!.querySelector('b')).to.equal(null);
    });
  });

  describe('with the kit (endpoint)', () => {
    let kit: ReturnType<typeof fakeFetch>;
    afterEach(() => kit.restore());
    const CUSTOMER = { 'customer-name': '홍길동', 'customer-phone': '010-1234-5678' };

    it('prepares before the click, takes the id from the kit, completes through it and reports its view of the verification', async () => {
      kit = fakeFetch({
        '/kit/identity-verifications/prepare': () => [200, { identityVerificationId: 'srv-iv-1', storeId: 'store-srv', channelKey: 'channel-srv', customData: { memberId: 'm-1' } }],
        '/kit/identity-verifications/complete': () => [200, verified('srv-iv-1', { minimumAge: 19 })],
      });
      const el = await verify({ endpoint: '/kit', ...CUSTOMER, 'identity-verification-id': 'page-id' });
      await until(() => kit.calls.length === 1, 'prepared on first visibility');
      expect(kit.calls[0]).to.deep.equal({ url: '/kit/identity-verifications/prepare', body: { customer: { fullName: '홍길동', phoneNumber: '010-1234-5678' } } });
      const states = recordStates(el);
      const event = await clickFor<PortoneIdentityVerifiedEvent>(el, 'portone-identity-verified');
      expect(fake.calls[0]!.request).to.deep.equal({
        ...REQUEST,
        storeId: 'store-srv',
        channelKey: 'channel-srv',
        identityVerificationId: 'srv-iv-1',
        customer: { fullName: '홍길동', phoneNumber: '010-1234-5678' },
        customData: '{"memberId":"m-1"}',
      });
      expect(kit.calls[1]).to.deep.equal({
        url: '/kit/identity-verifications/complete',
        body: { identityVerificationId: 'srv-iv-1', identityVerificationTxId: 'iv-tx-1', transactionType: 'IDENTITY_VERIFICATION' },
      });
      expect(event.detail).to.deep.equal({
        identityVerificationId: 'srv-iv-1',
        identityVerificationTxId: 'iv-tx-1',
        identityVerification: verified('srv-iv-1', { minimumAge: 19 }).identityVerification,
        result: verified('srv-iv-1', { minimumAge: 19 }),
        response: { transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'srv-iv-1', identityVerificationTxId: 'iv-tx-1' },
      });
      expect(states()).to.deep.equal(['idle', 'loading', 'window-open', 'verifying', 'done']);
    });

    it('hands an unused id back when it prepares again (previousIdentityVerificationId), and not once a window was opened for it', async () => {
      let n = 0;
      kit = fakeFetch({
        '/kit/identity-verifications/prepare': (body) => [200, { identityVerificationId: body.previousIdentityVerificationId ?? `srv-iv-${++n}` }],
        '/kit/identity-verifications/complete': (body) => [200, verified(body.identityVerificationId)],
      });
      const el = await verify({ endpoint: '/kit', ...CUSTOMER });
      await until(() => kit.calls.length === 1, 'prepared on first visibility');
      el.customerName = '김철수';
      await until(() => kit.calls.length === 2, 'prepared again for the new name');
      await clickFor(el, 'portone-identity-verified');
      el.reset();
      await until(() => kit.calls.length === 4, 'prepared afresh after reset()');
      expect(kit.calls.map((call) => [call.url.split('/').pop(), call.body])).to.deep.equal([
        ['prepare', { customer: { fullName: '홍길동', phoneNumber: '010-1234-5678' } }],
        ['prepare', { customer: { fullName: '김철수', phoneNumber: '010-1234-5678' }, previousIdentityVerificationId: 'srv-iv-1' }],
        ['complete', { identityVerificationId: 'srv-iv-1', identityVerificationTxId: 'iv-tx-1', transactionType: 'IDENTITY_VERIFICATION' }],
        ['prepare', { customer: { fullName: '김철수', phoneNumber: '010-1234-5678' } }],
      ]);
    });

    it('a refusal of the kit (an under-age shopper) shows the element\'s own sentence; the kit\'s message goes to the event and the console only', async () => {
      const message = 'verifiedCustomer.birthDate 2010-03-01: expected an age of at least 19 (minimumAge)';
      kit = fakeFetch({
        '/kit/identity-verifications/prepare': () => [200, { identityVerificationId: 'srv-iv-1' }],
        '/kit/identity-verifications/complete': () => [403, { code: 'IDENTITY_REFUSED', message }],
      });
      const el = await verify({ endpoint: '/kit' });
      let failed!: PortoneFailEvent;
      const lines = await warnings(async () => {
        failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      });
      expect(failed.detail).to.deep.include({ code: 'IDENTITY_REFUSED', message, status: 403, readableMessage: '본인인증 확인 실패: 본인인증을 처리하지 못했습니다.' });
      await el.updateComplete;
      expect(statusText(el)).to.equal('본인인증 확인 실패: 본인인증을 처리하지 못했습니다.');
      expect(statusText(el)).to.not.contain('birthDate');
      expect(lines).to.deep.equal([`[portone-checkout] IDENTITY_REFUSED: ${message}`]);
    });

    it('a refusal the shop worded for the shopper (shopperMessage) is shown as it is', async () => {
      const shopperMessage = '성인만 구매할 수 있는 상품입니다.';
      kit = fakeFetch({
        '/kit/identity-verifications/prepare': () => [200, { identityVerificationId: 'srv-iv-1' }],
        '/kit/identity-verifications/complete': () => [403, { code: 'IDENTITY_REFUSED', message: 'age 17 < minimumAge 19', shopperMessage }],
      });
      const el = await verify({ endpoint: '/kit' });
      let failed!: PortoneFailEvent;
      await warnings(async () => {
        failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      });
      expect(failed.detail).to.deep.include({ code: 'IDENTITY_REFUSED', message: 'age 17 < minimumAge 19', readableMessage: shopperMessage });
      await el.updateComplete;
      expect(statusText(el)).to.equal(shopperMessage);
    });

    it('an answer outside the contract (not VERIFIED) is a failure, and not shown', async () => {
      kit = fakeFetch({
        '/kit/identity-verifications/prepare': () => [200, { identityVerificationId: 'srv-iv-1' }],
        '/kit/identity-verifications/complete': () => [200, { identityVerification: { identityVerificationId: 'srv-iv-1', status: 'READY' } }],
      });
      const el = await verify({ endpoint: '/kit' });
      let failed!: PortoneFailEvent;
      const lines = await warnings(async () => {
        failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      });
      expect(failed.detail).to.deep.include({ code: 'BAD_RESPONSE', readableMessage: '본인인증 확인 실패: 본인인증을 처리하지 못했습니다.' });
      expect(lines).to.have.length(1);
      expect(lines[0]).to.contain('VERIFIED');
    });

    it('a prepare answer without an id never reaches the SDK', async () => {
      kit = fakeFetch({ '/kit/identity-verifications/prepare': () => [200, { storeId: 'store-srv' }] });
      const el = await verify({ endpoint: '/kit' });
      let failed!: PortoneFailEvent;
      await warnings(async () => {
        failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      });
      expect(failed.detail.code).to.equal('BAD_RESPONSE');
      expect(failed.detail.message).to.contain('identityVerificationId');
      expect(fake.calls).to.have.length(0);
    });

    it('a verification the kit cannot confirm is kept: the next click asks the kit again, never the SDK, and prepares nothing meanwhile', async () => {
      let kitAnswers = false;
      kit = fakeFetch({
        '/kit/identity-verifications/prepare': () => [200, { identityVerificationId: 'srv-iv-1' }],
        '/kit/identity-verifications/complete': () => (kitAnswers ? [200, verified()] : [503, { code: 'UNAVAILABLE', message: 'busy' }]),
      });
      // A verified id cannot be verified again: were the SDK asked twice, PortOne would refuse.
      fake.respond = ({ request }) =>
        fake.calls.length > 1
          ? Promise.reject(portOneError({ code: 'IdentityVerificationAlreadyVerified', message: '이미 인증된 건입니다.' }, ['IdentityVerificationError', 'IDENTITY_VERIFICATION']))
          : { transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: request.identityVerificationId, identityVerificationTxId: 'iv-tx-1' };
      const el = await verify({ endpoint: '/kit' });
      await until(() => kit.calls.length === 1, 'prepared on first visibility');
      let first!: PortoneFailEvent;
      await warnings(async () => {
        first = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      });
      expect(first.detail).to.deep.include({ code: 'UNAVAILABLE', status: 503, readableMessage: '본인인증 확인 실패: 본인인증을 처리하지 못했습니다.' });

      el.customerName = '김철수';
      await el.updateComplete;
      el.reset();
      await aTimeout(300);
      kitAnswers = true;
      const event = await clickFor<PortoneIdentityVerifiedEvent>(el, 'portone-identity-verified');
      expect(event.detail.identityVerificationId).to.equal('srv-iv-1');
      expect(fake.calls, 'one window').to.have.length(1);
      expect(kit.calls.map((call) => call.url.split('/').pop()), 'three tries, then one, and no prepare after the window').to.deep.equal(['prepare', 'complete', 'complete', 'complete', 'complete']);
    });
  });

  describe('redirect return', () => {
    async function leaveFor(attrs: Record<string, string> = {}) {
      fake.respond = () => undefined;
      const leaving = await verify(attrs);
      button(leaving).click();
      await until(() => leaving.getAttribute('state') === 'window-open' && fake.calls.length === 1, 'the window took the page');
      leaving.remove();
      fake.reset();
    }

    it('finishes a verification that came back through the query, like the promise path; strips the parameters; a reload completes nothing', async () => {
      await leaveFor();
      expect(pendingAttempt()).to.include({ kind: 'identity-verification', id: 'iv-1' });
      returnWith({ keep: 'me', transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1', identityVerificationTxId: 'iv-tx-9' });
      const seen = record(document);
      const done = oneEvent(document, 'portone-identity-verified') as Promise<PortoneIdentityVerifiedEvent>;
      // A payment button on the same page leaves the verification's result alone.
      await mount('portone-payment-button', {});
      const back = await verify();
      const event = await done;
      expect(event.target).to.equal(back);
      expect(event.detail).to.deep.equal({
        identityVerificationId: 'iv-1',
        identityVerificationTxId: 'iv-tx-9',
        identityVerification: undefined,
        result: undefined,
        response: { transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1', identityVerificationTxId: 'iv-tx-9' },
      });
      const url = new URL(location.href);
      expect(url.searchParams.get('keep')).to.equal('me');
      expect(['transactionType', 'identityVerificationId', 'identityVerificationTxId'].filter((name) => url.searchParams.has(name))).to.deep.equal([]);
      expect(pendingAttempt()).to.equal(undefined);
      await back.updateComplete;
      expect([back.state, statusText(back)]).to.deep.equal(['done', '본인인증이 완료되었습니다']);
      expect(fake.calls, 'the SDK is not called again').to.have.length(0);

      back.remove();
      returnWith({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1', identityVerificationTxId: 'iv-tx-9' });
      const reloaded = await verify();
      await aTimeout(50);
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-identity-verified']);
      expect(reloaded.state).to.equal('idle');
    });

    it('finishes PortOne\'s documented short form (identityVerificationId alone) for the attempt this tab opened a window for, and leaves a shop\'s own link alone', async () => {
      // No window opened in this tab: `?identityVerificationId=` is the page's own.
      returnWith({ identityVerificationId: 'iv-1' });
      let seen = record(document);
      const own = await verify();
      await aTimeout(30);
      expect([seen.length, own.state]).to.deep.equal([0, 'idle']);
      expect(new URL(location.href).searchParams.get('identityVerificationId')).to.equal('iv-1');

      cleanup();
      await leaveFor({ 'identity-verification-id': 'iv-2' });
      returnWith({ identityVerificationId: 'iv-2' });
      seen = record(document);
      const done = oneEvent(document, 'portone-identity-verified') as Promise<PortoneIdentityVerifiedEvent>;
      await verify({ 'identity-verification-id': 'iv-2' });
      expect((await done).detail.response).to.deep.equal({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-2' });
      expect(seen.map((e) => e.type)).to.deep.equal(['portone-identity-verified']);
    });

    it('does not claim a verification that is not its own (no attempt waiting, no kit, another id)', async () => {
      returnWith({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'someone-else', identityVerificationTxId: 't' });
      const seen = record(document);
      const el = await verify();
      await aTimeout(30);
      expect([seen.length, el.state]).to.deep.equal([0, 'idle']);
      expect(new URL(location.href).searchParams.get('identityVerificationId'), 'left for its owner').to.equal('someone-else');

      // Its own id, with nothing remembered (a new tab): finished.
      cleanup();
      returnWith({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1', identityVerificationTxId: 't' });
      const done = oneEvent(document, 'portone-identity-verified') as Promise<PortoneIdentityVerifiedEvent>;
      await verify();
      expect((await done).detail.identityVerificationId).to.equal('iv-1');
    });

    it('a cancelled or failed return ends in portone-cancel / portone-fail', async () => {
      await leaveFor();
      returnWith({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1', code: 'FAILURE_TYPE_PG', message: '사용자가 본인인증을 취소하였습니다.' });
      const cancelled = oneEvent(document, 'portone-cancel') as Promise<PortoneCancelEvent>;
      await verify();
      expect((await cancelled).detail.code).to.equal('FAILURE_TYPE_PG');

      cleanup();
      await leaveFor({ 'identity-verification-id': 'iv-5' });
      returnWith({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-5', code: 'FAILURE_TYPE_PG', message: '인증 실패', pgMessage: '인증 시간이 초과되었습니다' });
      const failed = oneEvent(document, 'portone-fail') as Promise<PortoneFailEvent>;
      await verify({ 'identity-verification-id': 'iv-5' });
      expect((await failed).detail).to.deep.include({ code: 'FAILURE_TYPE_PG', readableMessage: '본인인증 실패: 인증 시간이 초과되었습니다' });
    });

    it('completes through the kit remembered with the attempt; a return the kit cannot confirm is retried by the next click', async () => {
      let completes = 0;
      const kit = fakeFetch({
        '/kit/identity-verifications/prepare': () => [200, { identityVerificationId: 'srv-iv-7' }],
        '/kit/identity-verifications/complete': () => (++completes <= 3 ? [502, { code: 'PORTONE_REJECTED', message: 'PortOne refused the kit' }] : [200, verified('srv-iv-7')]),
      });
      try {
        await leaveFor({ endpoint: '/kit' });
        const before = kit.calls.length;
        returnWith({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'srv-iv-7', identityVerificationTxId: 'iv-tx-7' });
        const failed = oneEvent(document, 'portone-fail') as Promise<PortoneFailEvent>;
        let back!: PortoneIdentityVerificationButton;
        await warnings(async () => {
          back = await verify({ endpoint: '/kit' });
          expect((await failed).detail).to.deep.include({ code: 'PORTONE_REJECTED', readableMessage: '본인인증 확인 실패: 본인인증을 처리하지 못했습니다.' });
        });
        await aTimeout(300);
        const event = await clickFor<PortoneIdentityVerifiedEvent>(back, 'portone-identity-verified');
        expect(event.detail.identityVerification!.identityVerificationId).to.equal('srv-iv-7');
        expect(fake.calls, 'the SDK is not called again').to.have.length(0);
        const body = { identityVerificationId: 'srv-iv-7', identityVerificationTxId: 'iv-tx-7', transactionType: 'IDENTITY_VERIFICATION' };
        expect(kit.calls.slice(before), 'the return page completes, and prepares nothing new').to.deep.equal(Array(4).fill({ url: '/kit/identity-verifications/complete', body }));
      } finally {
        kit.restore();
      }
    });
  });

  it('a route change while the window is open: the removed element completes at once, the next one on the page reports it', async () => {
    const kit = fakeFetch({
      '/kit/identity-verifications/prepare': () => [200, { identityVerificationId: 'srv-iv-3' }],
      '/kit/identity-verifications/complete': () => [200, verified('srv-iv-3')],
    });
    try {
      const window = deferred();
      fake.respond = () => window.promise;
      const leaving = await verify({ endpoint: '/kit' });
      button(leaving).click();
      await until(() => leaving.state === 'window-open' && fake.calls.length === 1, 'the window opened');
      leaving.parentElement!.remove();
      window.resolve({ transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'srv-iv-3', identityVerificationTxId: 'iv-tx-3' });
      const completes = () => kit.calls.filter((call) => call.url.endsWith('/complete'));
      await until(() => completes().length === 1, 'the removed element posted complete at once');

      const done = oneEvent(document, 'portone-identity-verified') as Promise<PortoneIdentityVerifiedEvent>;
      const back = await verify({ endpoint: '/kit' });
      const event = await done;
      expect(event.target).to.equal(back);
      expect(event.detail.identityVerification).to.deep.equal(verified('srv-iv-3').identityVerification);
      expect(completes()).to.have.length(2);
      expect([fake.calls.length, pendingAttempt()]).to.deep.equal([1, undefined]);
    } finally {
      kit.restore();
    }
  });
});
