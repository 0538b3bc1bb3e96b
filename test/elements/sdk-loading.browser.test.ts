// SDK loading on a page without `window.PortOne`: lazy, through one cached loader that retries after
// a failure. The tests share the page and run in order: once the runtime loads, it stays loaded.
import { aTimeout, expect, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import {
  DEFAULT_SDK_URL,
  setSdkUrl,
  type PortoneBillingKeyIssuedEvent,
  type PortoneFailEvent,
  type PortoneIdentityVerifiedEvent,
  type PortonePaidEvent,
  type PortonePaymentButton,
} from '../../src/index.js';
import { getSdkUrl } from '../../src/client/loader.js';
import { CUSTOMER_ATTRS, button, cleanup, clickFor, mount, until } from './support/harness.js';

const RUNTIME = '/test/elements/support/portone-runtime.js';
const MISSING = '/test/elements/support/no-such-runtime.js';
const NOT_PORTONE = '/test/elements/support/not-portone.js';
const ATTRS = { 'store-id': 'store-1', 'channel-key': 'channel-1', 'payment-id': 'order-1', 'order-name': '티셔츠', 'total-amount': '12000', ...CUSTOMER_ATTRS };

const scripts = () => [...document.head.querySelectorAll('script[src]')].map((script) => new URL((script as HTMLScriptElement).src).pathname);
const win = window as { __portoneRuntimeLoads?: number; __notPortOneLoads?: number };

afterEach(cleanup);

describe('PortOne SDK loading', () => {
  it('nothing is loaded at import time; the default is PortOne’s CDN', () => {
    expect(window.PortOne).to.equal(undefined);
    expect(scripts()).to.deep.equal([]);
    expect(getSdkUrl()).to.equal(DEFAULT_SDK_URL);
    expect(DEFAULT_SDK_URL).to.equal('https://cdn.portone.io/v2/browser-sdk.js');
  });

  it('waits for visibility, hover or focus: an element below the fold loads nothing until hovered', async () => {
    const spacer = document.body.appendChild(document.createElement('div'));
    spacer.style.height = '5000px';
    setSdkUrl(MISSING);
    const el = await mount<PortonePaymentButton>('portone-payment-button', ATTRS);
    await aTimeout(100);
    expect(scripts(), 'not visible, not touched').to.deep.equal([]);
    el.dispatchEvent(new PointerEvent('pointerenter'));
    expect(scripts(), 'the module-level setSdkUrl URL').to.deep.equal([MISSING]);
    await until(() => scripts().length === 0, 'a failed load removes its script');
  });

  it('a load failure fires portone-fail (SDK_LOAD_FAILED) at the click, and the next click retries, for each element', async () => {
    const el = await mount<PortonePaymentButton>('portone-payment-button', { ...ATTRS, 'sdk-url': MISSING });
    const issue = await mount('portone-billing-key-button', { ...ATTRS, 'issue-id': 'issue-1', 'issue-name': '구독', 'sdk-url': MISSING });
    const both = await mount('portone-billing-key-and-pay-button', { ...ATTRS, 'product-type': 'DIGITAL', 'sdk-url': MISSING });
    const verify = await mount('portone-identity-verification-button', { ...ATTRS, 'identity-verification-id': 'iv-1', 'sdk-url': MISSING });
    for (const element of [el, issue, both, verify]) {
      const failed = await clickFor<PortoneFailEvent>(element, 'portone-fail');
      // Identity verification is no payment: its window is a verification module.
      const module = element === verify ? '인증 모듈을 불러오지 못했습니다.' : '결제 모듈을 불러오지 못했습니다.';
      expect(failed.detail, element.localName).to.deep.include({ code: 'SDK_LOAD_FAILED', readableMessage: `${failed.detail.readableMessage.split(':')[0]}: ${module}` });
      expect(failed.detail.message).to.contain(MISSING);
      expect(element.getAttribute('state')).to.equal('failed');
    }

    // A script that loads but is not PortOne's runtime is a failure too.
    el.sdkUrl = NOT_PORTONE;
    const notPortOne = await clickFor<PortoneFailEvent>(el, 'portone-fail');
    expect(notPortOne.detail.code).to.equal('SDK_LOAD_FAILED');
    expect(win.__notPortOneLoads).to.equal(1);
    expect(scripts()).to.deep.equal([]);

    // The package caches its own failures forever; ours does not: the next click loads and pays.
    // One load per URL: while another element's URL is still loading (and about to fail), this
    // click loads its own and does not share that failure.
    el.sdkUrl = RUNTIME;
    const issueEnds = Promise.race([oneEvent(issue, 'portone-fail'), oneEvent(issue, 'portone-billing-key-issued')]);
    button(issue).click();
    expect(scripts(), 'the other element\'s load is on its way').to.deep.equal([MISSING]);
    const ready = oneEvent(el, 'portone-ready');
    const paid = await clickFor<PortonePaidEvent>(el, 'portone-paid');
    await ready;
    expect(paid.detail).to.deep.include({ paymentId: 'order-1', txId: 'tx-runtime' });

    // The others retry on the runtime now loaded (the billing key's own 404 may have come back
    // after the runtime arrived, and then it went through).
    const ended = await issueEnds;
    const issued = ended.type === 'portone-fail' ? await clickFor<PortoneBillingKeyIssuedEvent>(issue, 'portone-billing-key-issued') : (ended as PortoneBillingKeyIssuedEvent);
    expect(issued.detail.billingKey).to.equal('bk-runtime');
    const paidToo = await clickFor<PortonePaidEvent>(both, 'portone-paid');
    expect(paidToo.detail.billingKey).to.equal('bk-runtime');
    const verified = await clickFor<PortoneIdentityVerifiedEvent>(verify, 'portone-identity-verified');
    expect(verified.detail.identityVerificationTxId).to.equal('iv-tx-runtime');
    expect(win.__portoneRuntimeLoads).to.equal(1);
  });

  it('once loaded, it is never loaded again; a new element is ready at once', async () => {
    // The test before may still have its own MISSING load in flight (its 404 not back yet): count from here.
    const missingBefore = scripts().filter((src) => src === MISSING).length;
    setSdkUrl(MISSING);
    const el = await mount<PortonePaymentButton>('portone-payment-button', { ...ATTRS, 'payment-id': 'order-2' });
    const ready = oneEvent(el, 'portone-ready');
    button(el).focus();
    await ready;
    const paid = await clickFor<PortonePaidEvent>(el, 'portone-paid');
    expect(paid.detail.txId).to.equal('tx-runtime');
    expect(win.__portoneRuntimeLoads).to.equal(1);
    expect(scripts().filter((src) => src === MISSING).length, 'no script added for the new URL').to.be.at.most(missingBefore);
  });
});
