// Order complete. Reached two ways: after a payment window on the page (iframe) with
// ?order=<paymentId> (not ?paymentId=, which is PortOne's redirect parameter), or as the mobile
// redirect's return with PortOne's result in the query, which the hidden <portone-payment-button>
// finishes (verifies with the kit) exactly as on the page.
import { $, clearCart, failureMessage, getJson, lang, tr } from '../site.js';
import 'portone-checkout-kit/define';
import { parseRedirectQuery } from 'portone-checkout-kit';
import { formatDateTime, formatWon } from '../../../shared/format.js';
import type { ShopperOrder } from '../../../shared/api.js';

type View = 'verifying' | 'paid' | 'failed';

function showView(view: View): void {
  for (const section of document.querySelectorAll<HTMLElement>('[data-view]')) section.hidden = section.dataset.view !== view;
  document.querySelector<HTMLElement>(`[data-view="${view}"] h1`)?.focus();
}

function showFailure(title: string, message: string): void {
  $('[data-view="failed"] [data-title]').textContent = title;
  $('[data-view="failed"] [data-message]').textContent = message;
  document.title = title;
  showView('failed');
}

async function showOrder(paymentId: string): Promise<void> {
  let order: ShopperOrder;
  try {
    ({ order } = await getJson<{ order: ShopperOrder }>(`/api/me/orders/${encodeURIComponent(paymentId)}`));
  } catch {
    return showFailure(tr('complete.notFound'), '');
  }
  if (order.status === 'VIRTUAL_ACCOUNT_ISSUED') return location.replace(`/waiting?order=${encodeURIComponent(paymentId)}`);
  if (order.status === 'PENDING') {
    // The kit has not heard from PortOne yet (a webhook is on its way): look again shortly.
    setTimeout(() => void showOrder(paymentId), 1500);
    return;
  }
  if (order.status === 'FLAGGED') return showFailure(tr('complete.failedTitle'), tr(order.flag?.refunded ? 'complete.flaggedRefunded' : 'complete.flaggedRefunding'));
  if (order.status === 'FAILED') {
    // The shop's words when its reserve refused (sold out), the PG's or PortOne's when they ended it;
    // the reason the kit gives when it ended the attempt itself (`failure.code`) is the developer's.
    const failure = order.failure;
    return showFailure(tr('complete.failedTitle'), failure?.shopperMessage ?? failure?.pgMessage ?? (failure?.code ? undefined : failure?.reason) ?? tr(`status.${order.status}`));
  }
  const view = $('[data-view="paid"]');
  $('[data-field="reference"]', view).textContent = order.reference ?? order.paymentId;
  $('[data-field="status"]', view).textContent = tr(`status.${order.status}`);
  $('[data-field="method"]', view).textContent = order.payMethod ? tr(`method.${order.payMethod}`) : '';
  $('[data-field="paidAt"]', view).textContent = formatDateTime(lang, order.paidAt);
  $('[data-field="amount"]', view).textContent = formatWon(order.totalAmount);
  $('[data-lines]', view).replaceChildren(
    ...order.lines.map((line) => {
      const item = document.createElement('li');
      item.innerHTML = `<span class="summary-name"></span><span class="summary-amount">${formatWon(line.amount)}</span>`;
      $('.summary-name', item).textContent = line.id === 'shipping' ? tr('cart.shipping') : `${line.name} × ${line.quantity}`;
      return item;
    }),
  );
  clearCart();
  showView('paid');
}

const finisher = $<HTMLElementTagNameMap['portone-payment-button']>('[data-finisher]');
const returned = parseRedirectQuery(location.search);

/**
 * Returns this tab has finished. The element finishes each result once per tab and stays silent
 * when the same return URL comes again (Back, a reload before the address was rewritten): the page
 * remembers them too, and shows the order itself.
 */
const FINISHED_RETURNS = 'dalbit-finished-returns';
const finishedReturns = (): string[] => {
  try {
    const list: unknown = JSON.parse(sessionStorage.getItem(FINISHED_RETURNS) ?? '[]');
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
};
const rememberReturn = (paymentId: string): void => sessionStorage.setItem(FINISHED_RETURNS, JSON.stringify([...finishedReturns().slice(-19), paymentId]));

if (returned?.paymentId && finishedReturns().includes(returned.paymentId)) {
  // Before the element looks: with PortOne's query gone, it leaves the page alone.
  history.replaceState(history.state, '', `/complete?order=${encodeURIComponent(returned.paymentId)}`);
  void showOrder(returned.paymentId);
} else if (returned) {
  if (returned.paymentId) rememberReturn(returned.paymentId);
  // The element claims the result, strips it from the address bar and posts it to the kit.
  finisher.addEventListener('portone-paid', (event) => {
    // Keep the order (not PortOne's result) in the address, so a reload shows it again.
    history.replaceState(history.state, '', `/complete?order=${encodeURIComponent(event.detail.paymentId)}`);
    void showOrder(event.detail.paymentId);
  });
  finisher.addEventListener('portone-virtual-account-issued', (event) => {
    clearCart();
    location.replace(`/waiting?order=${encodeURIComponent(event.detail.paymentId)}`);
  });
  finisher.addEventListener('portone-cancel', () => showFailure(tr('complete.cancelledTitle'), tr('checkout.cancelled')));
  // What the shopper reads: the shop's words (a refused payment, sold out), or the element's; never the kit's message, which is the developer's.
  finisher.addEventListener('portone-fail', (event) => showFailure(tr('complete.failedTitle'), failureMessage(event.detail)));
} else {
  const paymentId = new URLSearchParams(location.search).get('order');
  if (paymentId) void showOrder(paymentId);
  else showFailure(tr('complete.notFound'), '');
}
