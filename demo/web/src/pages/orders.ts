// My orders: the member's orders as the kit holds them (paid, refunded, awaiting deposit, failed)
// and their subscriptions with the next charge date.
import type { MyOrders } from '../../../shared/api.js';
import { PLANS } from '../../../shared/catalog.js';
import { formatDate, formatDateTime, formatWon } from '../../../shared/format.js';
import { $, config, getJson, lang, tr } from '../site.js';

const item = (html: string) => {
  const li = document.createElement('li');
  li.className = 'order-card';
  li.innerHTML = html;
  return li;
};
const badge = (kind: string, status: string, text: string) => `<span class="status status-${kind}-${status.toLowerCase().replaceAll('_', '-')}">${text}</span>`;

async function load(): Promise<void> {
  $('[data-member]').textContent = `${tr('orders.member')}: ${config.member.name}`;
  let mine: MyOrders;
  try {
    mine = await getJson<MyOrders>('/api/me/orders');
  } catch {
    $('[data-error]').textContent = tr('common.error');
    $('[data-error]').hidden = false;
    return;
  } finally {
    $('[data-loading]').hidden = true;
  }

  $('[data-subscriptions-section]').hidden = mine.subscriptions.length === 0;
  $('[data-subscriptions]').replaceChildren(
    ...mine.subscriptions.map((subscription) => {
      const plan = PLANS.find((p) => p.id === subscription.plan);
      const li = item(`<div class="order-card-head"><h3 class="order-name"></h3>${badge('subscription', subscription.status, tr(`subscription.${subscription.status}`))}</div>
        <dl class="order-facts"><div><dt>${tr('orders.nextCharge')}</dt><dd>${subscription.status === 'CANCELLED' ? '—' : formatDate(lang, subscription.nextChargeAt)}</dd></div>
        <div><dt>${tr('orders.paidPeriods')}</dt><dd>${subscription.paidPeriods}</dd></div>
        <div><dt>${tr('complete.amount')}</dt><dd>${formatWon(subscription.amount)} ${tr('subscribe.perMonth')}</dd></div></dl>`);
      $('.order-name', li).textContent = plan ? plan.name[lang] : subscription.plan;
      li.dataset.subscriptionId = subscription.id;
      return li;
    }),
  );

  $('[data-orders-section]').hidden = false;
  $('[data-empty]').hidden = mine.orders.length > 0;
  $('[data-orders]').replaceChildren(
    ...mine.orders.map((order) => {
      const refunded = order.cancelledAmount > 0 ? `<div><dt>${tr('orders.refunded')}</dt><dd>${formatWon(order.cancelledAmount)}</dd></div>` : '';
      const li = item(`<div class="order-card-head"><h3 class="order-name"></h3>${badge('order', order.status, tr(`status.${order.status}`))}</div>
        <dl class="order-facts">
          <div><dt>${tr('complete.orderNumber')}</dt><dd class="mono"></dd></div>
          <div><dt>${tr('admin.col.created')}</dt><dd>${formatDateTime(lang, order.createdAt)}</dd></div>
          <div><dt>${tr('complete.method')}</dt><dd>${order.payMethod ? tr(`method.${order.payMethod}`) : ''}</dd></div>
          <div><dt>${tr('complete.amount')}</dt><dd>${formatWon(order.totalAmount)}</dd></div>${refunded}
        </dl>
        ${order.status === 'VIRTUAL_ACCOUNT_ISSUED' ? `<p><a class="button button-small" href="/waiting?order=${encodeURIComponent(order.paymentId)}">${tr('orders.viewAccount')}</a></p>` : ''}`);
      $('.order-name', li).textContent = order.orderName;
      $('.mono', li).textContent = order.reference ?? order.paymentId;
      li.dataset.paymentId = order.paymentId;
      return li;
    }),
  );
}

void load();
