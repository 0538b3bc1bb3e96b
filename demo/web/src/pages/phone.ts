// Phone subscription: <portone-billing-key-and-pay-button plan="class-monthly"> issues a phone
// billing key and pays the first month in one KG Inicis window; the kit schedules the rest.
import { $, failureMessage, getJson, lang, tr } from '../site.js';
import 'portone-checkout-kit/define';
import { CLASS_PLAN } from '../../../shared/catalog.js';
import type { MyOrders } from '../../../shared/api.js';
import { formatDate, formatWon } from '../../../shared/format.js';
import { bindMemberForm } from '../member-form.js';

const button = $<HTMLElementTagNameMap['portone-billing-key-and-pay-button']>('[data-pay]');
const error = $('[data-error]');
const notice = $('[data-notice]');
$('[data-field="price"]').textContent = formatWon(CLASS_PLAN.amount);
$('[data-field="description"]').textContent = CLASS_PLAN.description[lang];
bindMemberForm($<HTMLFormElement>('[data-form]'), button);

button.addEventListener('portone-request', () => (error.hidden = notice.hidden = true));
button.addEventListener('portone-paid', async (event) => {
  const done = $('[data-view="done"]');
  const order = event.detail.order;
  $('[data-field="first"]', done).textContent = order ? `${formatWon(order.totalAmount)} · ${tr(`status.${order.status}`)}` : '';
  $('[data-view="form"]').hidden = true;
  done.hidden = false;
  $('h2', done).focus();
  // The verified answer carries the order; the subscription it started is in the member's list
  // (its next period is scheduled right after the commit, so look again until it is active).
  for (let tries = 0; tries < 20; tries++) {
    const mine = await getJson<MyOrders>('/api/me/orders').catch(() => undefined);
    const subscription = mine?.subscriptions.find((s) => s.plan === CLASS_PLAN.id && s.billingKey === event.detail.billingKey);
    $('[data-field="status"]', done).textContent = subscription ? tr(`subscription.${subscription.status}`) : '';
    $('[data-field="next"]', done).textContent = formatDate(lang, subscription?.nextChargeAt);
    if (subscription && subscription.status !== 'INCOMPLETE') break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
});
button.addEventListener('portone-cancel', () => {
  notice.textContent = tr('checkout.cancelled');
  notice.hidden = false;
  button.reset();
});
button.addEventListener('portone-fail', (event) => {
  error.textContent = failureMessage(event.detail);
  error.hidden = false;
  button.reset();
});
