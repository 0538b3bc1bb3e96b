// Card subscription: <portone-billing-key-button plan="beans-monthly"> issues a billing key; the kit
// verifies it, charges the first month at once and schedules the next with PortOne.
import { $, tr, lang } from '../site.js';
import 'portone-checkout-kit/define';
import { BEANS_PLAN } from '../../../shared/catalog.js';
import { formatDate, formatWon } from '../../../shared/format.js';
import { bindMemberForm } from '../member-form.js';

const button = $<HTMLElementTagNameMap['portone-billing-key-button']>('[data-register]');
const error = $('[data-error]');
const notice = $('[data-notice]');
$('[data-field="price"]').textContent = formatWon(BEANS_PLAN.amount);
bindMemberForm($<HTMLFormElement>('[data-form]'), button);

button.addEventListener('portone-request', () => (error.hidden = notice.hidden = true));
button.addEventListener('portone-billing-key-issued', (event) => {
  const result = event.detail.result;
  const done = $('[data-view="done"]');
  $('[data-field="status"]', done).textContent = result?.subscription ? tr(`subscription.${result.subscription.status}`) : '';
  $('[data-field="card"]', done).textContent = result?.billingKey.display ?? '';
  $('[data-field="first"]', done).textContent = result?.order ? `${formatWon(result.order.totalAmount)} · ${tr(`status.${result.order.status}`)}` : '';
  $('[data-field="next"]', done).textContent = formatDate(lang, result?.subscription?.nextChargeAt);
  $('[data-view="form"]').hidden = true;
  done.hidden = false;
  $('h2', done).focus();
});
button.addEventListener('portone-cancel', () => {
  notice.textContent = tr('subscribe.cancelled');
  notice.hidden = false;
  button.reset();
});
button.addEventListener('portone-fail', (event) => {
  error.textContent = event.detail.readableMessage;
  error.hidden = false;
  button.reset();
});
