// Card subscription: <portone-billing-key-button plan="beans-monthly"> issues a billing key; the kit
// verifies it, charges the first month at once and schedules the next with PortOne.
import type { BillingKeyResponse } from 'portone-checkout-kit';
import type { MyOrder } from '../../../shared/api.js';
import { $, failureMessage, getJson, tr, lang } from '../site.js';
import 'portone-checkout-kit/define';
import { BEANS_PLAN } from '../../../shared/catalog.js';
import { formatDate, formatWon } from '../../../shared/format.js';
import { bindMemberForm } from '../member-form.js';

const button = $<HTMLElementTagNameMap['portone-billing-key-button']>('[data-register]');
const error = $('[data-error]');
const notice = $('[data-notice]');
const done = $('[data-view="done"]');
$('[data-field="price"]').textContent = formatWon(BEANS_PLAN.amount);
bindMemberForm($<HTMLFormElement>('[data-form]'), button);

/** What the done view shows; the subscription status is the kit's (INCOMPLETE while the first charge runs). */
interface Shown {
  card?: string | undefined;
  order?: { paymentId: string; status: string; totalAmount: number } | undefined;
  subscriptionStatus?: string | undefined;
  nextChargeAt?: string | number | undefined;
}

function show(shown: Shown): void {
  $('[data-field="status"]', done).textContent = shown.subscriptionStatus ? tr(`subscription.${shown.subscriptionStatus}`) : '';
  $('[data-field="card"]', done).textContent = shown.card ?? '';
  $('[data-field="first"]', done).textContent = shown.order ? `${formatWon(shown.order.totalAmount)} · ${tr(`status.${shown.order.status}`)}` : '';
  $('[data-field="next"]', done).textContent = formatDate(lang, shown.nextChargeAt);
}

const settled = (shown: Shown) => shown.order?.status !== 'PENDING' && shown.subscriptionStatus !== 'INCOMPLETE';

/**
 * The kit answers once the key is stored; the first charge usually went through by then, but may
 * still be on its way (it runs after the commit, and is retried). Follow it until it settles.
 */
async function follow(shown: Shown, tries = 20): Promise<void> {
  if (settled(shown) || !shown.order || tries === 0) return;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  // The member's own view of the first period's order carries its subscription too.
  const answer = await getJson<MyOrder>(`/api/me/orders/${encodeURIComponent(shown.order.paymentId)}`).catch(() => undefined);
  const subscription = answer?.subscription;
  const next: Shown = { ...shown, order: answer?.order ?? shown.order, ...(subscription ? { subscriptionStatus: subscription.status, nextChargeAt: subscription.nextChargeAt } : {}) };
  show(next);
  await follow(next, tries - 1);
}

button.addEventListener('portone-request', () => (error.hidden = notice.hidden = true));
button.addEventListener('portone-billing-key-issued', (event) => {
  const result: BillingKeyResponse | undefined = event.detail.result;
  const shown: Shown = {
    card: result?.billingKey.display,
    order: result?.order,
    // INCOMPLETE while the first charge is still on its way; ACTIVE or PAST_DUE once it settled.
    subscriptionStatus: result?.subscription?.status,
    nextChargeAt: result?.subscription?.nextChargeAt,
  };
  show(shown);
  $('[data-view="form"]').hidden = true;
  done.hidden = false;
  $('h2', done).focus();
  void follow(shown);
});
button.addEventListener('portone-cancel', () => {
  notice.textContent = tr('subscribe.cancelled');
  notice.hidden = false;
  button.reset();
});
button.addEventListener('portone-fail', (event) => {
  error.textContent = failureMessage(event.detail);
  error.hidden = false;
  button.reset();
});
