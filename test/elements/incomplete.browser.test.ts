// Elements under server rendering and hydration: with `endpoint` they never prepare before they have
// something for the kit to price (a cart, a shop's order or a plan); until then they wait in
// `incomplete`, a state the page can see. Attributes alone work, and so do properties set later.
// Developer messages (the kit's) never reach the shopper's status line.
import { aTimeout, expect, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type {
  PortoneBillingKeyAndPayButton,
  PortoneBillingKeyButton,
  PortoneFailEvent,
  PortoneIncompleteEvent,
  PortonePaidEvent,
  PortonePaymentButton,
} from '../../src/index.js';
import { fake, installFakePortOne } from './support/fake-portone.js';
import { CUSTOMER_ATTRS, button, cleanup, clickFor, fakeFetch, mount, record, statusText, until } from './support/harness.js';

installFakePortOne();

const ATTRS = { 'store-id': 'store-1', 'channel-key': 'channel-1', endpoint: '/portone', ...CUSTOMER_ATTRS };
const PREPARED = { paymentId: 'srv-1', orderName: '서버 주문', totalAmount: 45000, currency: 'KRW' };
const ORDER = { order: { paymentId: 'srv-1', status: 'PAID', orderName: '서버 주문', totalAmount: 45000, currency: 'KRW', cancelledAmount: 0 } };
const CART = [{ id: 'sku-1', quantity: 2 }];

let kit: ReturnType<typeof fakeFetch>;
beforeEach(() => {
  kit = fakeFetch({
    '/portone/payments/prepare': () => [200, PREPARED],
    '/portone/payments/complete': () => [200, ORDER],
    '/portone/billing-key-and-pay/prepare': () => [200, { ...PREPARED, productType: 'DIGITAL', offerPeriodInterval: '1m' }],
    '/portone/billing-key-and-pay/complete': () => [200, ORDER],
    '/portone/billing-keys/prepare': () => [200, { issueId: 'issue-1', issueName: '카드 등록' }],
  });
});
afterEach(() => {
  kit.restore();
  fake.reset();
  cleanup();
});

/** Markup as a server renders it: attributes only, parsed by the page, upgraded by the definition. */
async function serverRendered<T extends HTMLElement>(markup: string): Promise<T> {
  const container = document.body.appendChild(document.createElement('div'));
  container.innerHTML = markup;
  const el = container.firstElementChild as T & { updateComplete: Promise<boolean> };
  await el.updateComplete;
  return el;
}

const attrs = (extra: Record<string, string> = {}) =>
  Object.entries({ ...ATTRS, ...extra })
    .map(([name, value]) => `${name}="${value.replace(/"/g, '&quot;')}"`)
    .join(' ');

describe('without a cart (server rendering, hydration that drops properties)', () => {
  it('waits in incomplete: no prepare, the button disabled, nothing on the status line, portone-incomplete fired', async () => {
    const incomplete = oneEvent(document, 'portone-incomplete') as Promise<PortoneIncompleteEvent>;
    const el = await serverRendered<PortonePaymentButton>(`<portone-payment-button ${attrs()}></portone-payment-button>`);
    const event = await incomplete;
    expect(event.target).to.equal(el);
    expect(event.detail.missing).to.deep.equal(['items', 'order-id']);
    expect(event.detail.message).to.equal('<portone-payment-button> has an endpoint but no items or order-id yet: it prepares once one is set');
    expect([el.state, el.getAttribute('state'), button(el).disabled, statusText(el)]).to.deep.equal(['incomplete', 'incomplete', true, '']);
    // Visible, hovered, focused, even clicked by a script: nothing is prepared, nothing fails.
    const seen = record(el);
    el.dispatchEvent(new PointerEvent('pointerenter'));
    button(el).click();
    el.reset();
    await aTimeout(400);
    expect(kit.calls, 'nothing prepared').to.deep.equal([]);
    expect(seen, 'no failure for the shopper').to.deep.equal([]);
    expect(fake.calls).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('a property set after hydration completes it: idle, one prepare, and the click pays', async () => {
    const el = await serverRendered<PortonePaymentButton>(`<portone-payment-button ${attrs()}></portone-payment-button>`);
    el.dispatchEvent(new PointerEvent('pointerenter'));
    expect(el.state).to.equal('incomplete');
    el.items = CART;
    await el.updateComplete;
    expect([el.state, button(el).disabled]).to.deep.equal(['idle', false]);
    await until(() => kit.calls.length === 1, 'prepared once the cart arrived');
    expect(kit.calls[0]!.body).to.deep.include({ items: CART });
    const paid = await clickFor<PortonePaidEvent>(el, 'portone-paid');
    expect(paid.detail.order!.status).to.equal('PAID');
    expect(fake.calls.map((call) => call.request.paymentId)).to.deep.equal(['srv-1']);
  });

  it('attributes alone work: a JSON items attribute, or an order-id set later', async () => {
    const el = await serverRendered<PortonePaymentButton>(`<portone-payment-button ${attrs({ items: JSON.stringify(CART) })}></portone-payment-button>`);
    expect(el.state).to.equal('idle');
    await clickFor(el, 'portone-paid');
    expect(kit.calls[0]!.body).to.deep.include({ items: CART });

    const later = await serverRendered<PortonePaymentButton>(`<portone-payment-button ${attrs()}></portone-payment-button>`);
    later.setAttribute('order-id', 'order-77');
    await later.updateComplete;
    expect(later.state).to.equal('idle');
    const before = kit.calls.length;
    await clickFor(later, 'portone-paid');
    expect(kit.calls[before]!.body).to.deep.include({ orderId: 'order-77' });
  });

  it('an emptied cart makes it incomplete again (and says so again); refilled, it prepares the new cart', async () => {
    const el = await mount<PortonePaymentButton>('portone-payment-button', { ...ATTRS, items: JSON.stringify(CART) });
    await until(() => kit.calls.length === 1, 'prepared on first visibility');
    const again = oneEvent(el, 'portone-incomplete');
    el.items = [];
    await again;
    expect(el.state).to.equal('incomplete');
    await aTimeout(300);
    expect(kit.calls, 'no prepare for an empty cart').to.have.length(1);
    el.items = [{ id: 'sku-3', quantity: 1 }];
    await until(() => kit.calls.length === 2, 'prepared for the new cart');
    expect(kit.calls[1]!.body).to.deep.include({ items: [{ id: 'sku-3', quantity: 1 }] });
    expect(el.state).to.equal('idle');
  });

  it('without endpoint nothing is incomplete: the page prices the attempt itself', async () => {
    const el = await mount<PortonePaymentButton>('portone-payment-button', { ...CUSTOMER_ATTRS, 'store-id': 's', 'channel-key': 'c', 'payment-id': 'p-1', 'order-name': 'x', 'total-amount': '1000' });
    expect(el.state).to.equal('idle');
  });

  it('billing-key-and-pay also takes a plan; the billing-key button needs none (a plan is optional there)', async () => {
    const phone = await serverRendered<PortoneBillingKeyAndPayButton>(
      `<portone-billing-key-and-pay-button ${attrs()} product-type="DIGITAL"></portone-billing-key-and-pay-button>`,
    );
    expect(phone.state).to.equal('incomplete');
    const event = oneEvent(phone, 'portone-incomplete') as Promise<PortoneIncompleteEvent>;
    phone.plan = 'monthly';
    await phone.updateComplete;
    expect(phone.state).to.equal('idle');
    phone.plan = undefined;
    expect((await event).detail.missing).to.deep.equal(['items', 'order-id', 'plan']);
    phone.setAttribute('plan', 'monthly');
    await phone.updateComplete;
    await clickFor(phone, 'portone-paid');
    expect(kit.calls.find((call) => call.url.endsWith('/billing-key-and-pay/prepare'))!.body).to.deep.include({ plan: 'monthly' });

    const card = await serverRendered<PortoneBillingKeyButton>(`<portone-billing-key-button ${attrs()}></portone-billing-key-button>`);
    expect(card.state).to.equal('idle');
  });
});

describe('developer messages stay off the status line', () => {
  it('a kit refusal shows the shopper a plain sentence; its message goes to the event detail and the console', async () => {
    kit.restore();
    const message = 'items: expected a cart (items) or an orderId, got nothing';
    kit = fakeFetch({ '/portone/payments/prepare': () => [400, { code: 'INVALID_REQUEST', message }] });
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (line: unknown) => warnings.push(line);
    try {
      const el = await mount<PortonePaymentButton>('portone-payment-button', { ...ATTRS, items: JSON.stringify(CART) });
      const failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(failed.detail).to.deep.include({ code: 'INVALID_REQUEST', message, status: 400, readableMessage: '결제 실패: 주문을 처리하지 못했습니다.' });
      expect(statusText(el)).to.equal('결제 실패: 주문을 처리하지 못했습니다.');
      expect(warnings).to.deep.equal([`[portone-checkout] INVALID_REQUEST: ${message}`]);
    } finally {
      console.warn = warn;
    }
  });

  it('an answer outside the contract, in English under lang="en", is not shown either', async () => {
    kit.restore();
    kit = fakeFetch({ '/portone/payments/prepare': () => [200, { ...PREPARED, totalAmount: 'lots' }] });
    const wrapper = document.body.appendChild(document.createElement('div'));
    wrapper.lang = 'en';
    const warn = console.warn;
    console.warn = () => {};
    try {
      const el = await mount<PortonePaymentButton>('portone-payment-button', { ...ATTRS, items: JSON.stringify(CART) }, wrapper);
      const failed = await clickFor<PortoneFailEvent>(el, 'portone-fail');
      expect(failed.detail.code).to.equal('BAD_RESPONSE');
      expect(failed.detail.message).to.match(/totalAmount/);
      expect(failed.detail.readableMessage).to.equal('Payment failed: The order could not be processed.');
    } finally {
      console.warn = warn;
    }
  });
});
