// Leaving a route while the payment window is open: a single-page app removes the element, the
// window still finishes, and the page that comes back (a new element of the same kind) hears the
// outcome, as a redirect's return page does. The removed element still posts complete at once.
import { expect, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import { pendingAttempt, type PortoneCancelEvent, type PortonePaidEvent, type PortonePaymentButton } from '../../src/index.js';
import { deferred, fake, installFakePortOne } from './support/fake-portone.js';
import { CUSTOMER_ATTRS, cleanup, button, fakeFetch, mount, record, statusText, until } from './support/harness.js';

installFakePortOne();

const ATTRS = { 'store-id': 'store-1', 'channel-key': 'channel-1', endpoint: '/portone', items: '[{"id":"sku-1","quantity":1}]', ...CUSTOMER_ATTRS };
const ORDER = { order: { paymentId: 'srv-1', status: 'PAID', orderName: '서버 주문', totalAmount: 45000, currency: 'KRW', cancelledAmount: 0 } };

let kit: ReturnType<typeof fakeFetch>;
beforeEach(() => {
  kit = fakeFetch({
    '/portone/payments/prepare': () => [200, { paymentId: 'srv-1', orderName: '서버 주문', totalAmount: 45000, currency: 'KRW' }],
    '/portone/payments/complete': () => [200, ORDER],
  });
});
afterEach(() => {
  kit.restore();
  fake.reset();
  cleanup();
});

/** Clicks, and removes the element while the window is open, as a route change would. */
async function leaveWithWindowOpen() {
  const window = deferred();
  fake.respond = () => window.promise;
  const el = await mount<PortonePaymentButton>('portone-payment-button', ATTRS);
  button(el).click();
  await until(() => el.state === 'window-open' && fake.calls.length === 1, 'the window opened');
  el.parentElement!.remove();
  return window;
}

const completes = () => kit.calls.filter((call) => call.url.endsWith('/complete'));

describe('leaving a route while the window is open', () => {
  it('the element the page shows when the shopper comes back finishes the attempt: portone-paid with the kit\'s order', async () => {
    const window = await leaveWithWindowOpen();
    window.resolve({ transactionType: 'PAYMENT', paymentId: 'srv-1', txId: 'tx-1' });
    await until(() => completes().length === 1, 'the removed element posted complete at once');
    expect(pendingAttempt()?.result).to.deep.equal({ transactionType: 'PAYMENT', paymentId: 'srv-1', txId: 'tx-1' });

    const seen = record(document);
    const paid = oneEvent(document, 'portone-paid') as Promise<PortonePaidEvent>;
    const back = await mount<PortonePaymentButton>('portone-payment-button', ATTRS);
    const event = await paid;
    expect(event.target).to.equal(back);
    expect(event.detail).to.deep.include({ paymentId: 'srv-1', txId: 'tx-1', order: ORDER.order });
    expect(seen.map((e) => e.type)).to.deep.equal(['portone-paid']);
    expect(back.state).to.equal('done');
    await back.updateComplete;
    expect(statusText(back)).to.equal('결제가 완료되었습니다 · 서버 주문');
    expect(completes().map((call) => call.body), 'complete is idempotent: the same body twice').to.deep.equal([
      { paymentId: 'srv-1', txId: 'tx-1', transactionType: 'PAYMENT' },
      { paymentId: 'srv-1', txId: 'tx-1', transactionType: 'PAYMENT' },
    ]);
    expect(fake.calls, 'one window').to.have.length(1);
    expect(pendingAttempt(), 'claimed once').to.equal(undefined);

    // Another element later, or a reload: nothing is finished twice.
    const later = await mount<PortonePaymentButton>('portone-payment-button', ATTRS);
    await until(() => later.state === 'idle');
    expect(seen).to.have.length(1);
  });

  it('back before the window closed: the element already on the page hears the outcome when it comes', async () => {
    const window = await leaveWithWindowOpen();
    const back = await mount<PortonePaymentButton>('portone-payment-button', ATTRS);
    await until(() => kit.calls.length >= 2, 'the new element prepares as usual');
    const paid = oneEvent(back, 'portone-paid') as Promise<PortonePaidEvent>;
    window.resolve({ transactionType: 'PAYMENT', paymentId: 'srv-1', txId: 'tx-2' });
    expect((await paid).detail).to.deep.include({ paymentId: 'srv-1', txId: 'tx-2' });
    expect(back.state).to.equal('done');
  });

  it('a window closed by the shopper comes back as portone-cancel, and the new element stays usable', async () => {
    const window = await leaveWithWindowOpen();
    window.resolve({ transactionType: 'PAYMENT', paymentId: 'srv-1', code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.' });
    await until(() => pendingAttempt()?.result !== undefined, 'the result was handed over');
    const cancelled = oneEvent(document, 'portone-cancel') as Promise<PortoneCancelEvent>;
    const back = await mount<PortonePaymentButton>('portone-payment-button', ATTRS);
    expect((await cancelled).detail.code).to.equal('FAILURE_TYPE_PG');
    expect(back.state).to.equal('idle');
    expect(completes(), 'nothing to verify').to.have.length(0);
  });

  it('an element re-attached before the window closed (kept alive by its framework) finishes the attempt itself', async () => {
    const window = deferred();
    fake.respond = () => window.promise;
    const el = await mount<PortonePaymentButton>('portone-payment-button', ATTRS);
    const parent = el.parentElement!;
    button(el).click();
    await until(() => el.state === 'window-open', 'the window opened');
    el.remove();
    parent.append(el);
    const paid = oneEvent(el, 'portone-paid');
    window.resolve({ transactionType: 'PAYMENT', paymentId: 'srv-1', txId: 'tx-3' });
    await paid;
    expect(completes()).to.have.length(1);
    await until(() => pendingAttempt() === undefined, 'the attempt is over and forgotten, nothing handed over');
  });
});
