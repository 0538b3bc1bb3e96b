// Admin: orders with refunds (full or partial), the sandbox's deposit and schedule buttons,
// subscriptions, PortOne's schedules, the webhook deliveries the kit received, and the shop's
// maintenance jobs (when reconcile and prune last ran, what they found).
import type { Order, Subscription, WebhookDelivery } from 'portone-checkout-kit/server';
import { every, type JobStatus, type PruneResult, type ReconcileResult } from '../../../server/maintenance.js';
import type { ScheduleRow } from '../../../server/schedules.js';
import type { Fulfilment } from '../../../server/shop-db.js';
import { PLANS, productById } from '../../../shared/catalog.js';
import { escapeHtml, formatDateTime, formatWon } from '../../../shared/format.js';
import { $, lang, tr } from '../site.js';

interface AdminState {
  mode: 'sandbox' | 'portone';
  now: number;
  orders: Order[];
  /** Member names by customer id (period charges carry only the id). */
  members: Record<string, string>;
  webhooks: WebhookDelivery[];
  subscriptions: Subscription[];
  fulfilments: Fulfilment[];
  /** PortOne's schedules: the sandbox's, or read from PortOne's API with the store's secret. */
  schedules: ScheduleRow[];
  /** Why PortOne's schedules could not be read, when they could not. */
  schedulesError?: string;
  maintenance: JobStatus[];
  /** How many of each small batch are left. */
  stock: Record<string, number>;
}

const error = $('[data-error]');
const notice = $('[data-notice]');
const showPending = $<HTMLInputElement>('[data-show-pending]');
let state: AdminState | undefined;

const status = (kind: string, value: string, text: string) => `<span class="status status-${kind}-${value.toLowerCase().replaceAll('_', '-')}">${escapeHtml(text)}</span>`;
const empty = (columns: number, text = tr('admin.none')) => `<tr><td colspan="${columns}" class="empty-cell">${escapeHtml(text)}</td></tr>`;
const planName = (id: string | undefined) => PLANS.find((p) => p.id === id)?.name[lang] ?? id ?? '';

function orderRow(order: Order, fulfilment: Fulfilment | undefined): string {
  const remaining = order.totalAmount - order.cancelledAmount;
  const refundable = order.status === 'PAID' || order.status === 'PARTIAL_CANCELLED';
  const actions: string[] = [];
  if (refundable) {
    actions.push(`<button type="button" class="button button-small button-danger" data-action="refund">${escapeHtml(tr('admin.refund'))}</button>`);
    actions.push(`<span class="partial"><input type="number" min="1" max="${remaining}" step="1" inputmode="numeric" aria-label="${escapeHtml(`${tr('admin.refundAmount')} (${order.paymentId})`)}" data-amount placeholder="${escapeHtml(tr('admin.refundAmount'))}"><button type="button" class="button button-small button-secondary" data-action="partial-refund">${escapeHtml(tr('admin.partialRefund'))}</button></span>`);
  }
  if (order.status === 'VIRTUAL_ACCOUNT_ISSUED' && state?.mode === 'sandbox') {
    actions.push(`<button type="button" class="button button-small" data-action="deposit">${escapeHtml(tr('admin.deposit'))}</button>`);
  }
  const customerId = order.customer?.customerId;
  const customer = order.customer?.fullName ?? (customerId ? state?.members[customerId] : undefined) ?? customerId ?? '';
  return `<tr data-payment-id="${escapeHtml(order.paymentId)}">
<td>${escapeHtml(formatDateTime(lang, order.createdAt))}</td>
<td class="wrap-cell"><span class="cell-title">${escapeHtml(order.orderName)}</span><span class="cell-sub mono">${escapeHtml(order.reference ?? order.orderId)}</span><span class="cell-sub mono">${escapeHtml(order.paymentId)}</span></td>
<td>${escapeHtml(customer)}</td>
<td class="num">${formatWon(order.totalAmount)}</td>
<td class="num" data-cell="refunded">${order.cancelledAmount ? formatWon(order.cancelledAmount) : '—'}</td>
<td>${escapeHtml(order.payMethod ? tr(`method.${order.payMethod}`) : order.kind === 'subscription' ? tr('method.BILLING_KEY') : '')}</td>
<td data-cell="status">${status('order', order.status, tr(`status.${order.status}`))}${order.flag ? `<span class="cell-sub">${escapeHtml(order.flag.code)}</span>` : ''}</td>
<td data-cell="fulfilment">${fulfilment ? escapeHtml(tr(`fulfilment.${fulfilment.status}`)) : '—'}</td>
<td class="actions"><div class="action-stack">${actions.join('')}</div></td>
</tr>`;
}

/** `{name}` placeholders of a text filled in. */
const fill = (text: string, values: Record<string, number>) => text.replace(/\{(\w+)\}/g, (all, name: string) => (name in values ? String(values[name]) : all));

function jobResult(job: JobStatus): string {
  const last = job.last;
  if (!last) return escapeHtml(tr('admin.jobNever'));
  if (last.error !== undefined) return `${status('job', 'failed', tr('admin.jobFailed'))}<span class="cell-sub">${escapeHtml(last.error)}</span>`;
  if (last.result === undefined) return '';
  if (job.job === 'prune') return escapeHtml(fill(tr('admin.pruneResult'), { pruned: (last.result as PruneResult).pruned }));
  const result = last.result as ReconcileResult;
  const manual = result.manualRefunds.map((refund) => `<span class="cell-sub">${escapeHtml(`${tr('admin.manualRefund')}: ${refund.paymentId} (${refund.reason})`)}</span>`);
  return `${escapeHtml(fill(tr('admin.reconcileResult'), { checked: result.checked, updated: result.updated, refunded: result.refunded, failed: result.failed }))}${manual.join('')}`;
}

function jobRow(job: JobStatus): string {
  const off = job.everyMs === 0;
  const last = job.running ? tr('admin.jobRunning') : job.last ? formatDateTime(lang, job.last.finishedAt ?? job.last.startedAt) : '—';
  return `<tr data-job="${job.job}"><td>${escapeHtml(tr(`admin.job.${job.job}`))}</td><td>${escapeHtml(off ? tr('admin.jobOff') : every(job.everyMs))}</td>
<td data-cell="last-run">${escapeHtml(last)}</td><td class="wrap-cell" data-cell="result">${jobResult(job)}</td><td>${escapeHtml(job.nextAt === undefined ? '—' : formatDateTime(lang, job.nextAt))}</td></tr>`;
}

function render(): void {
  if (!state) return;
  const sandbox = state.mode === 'sandbox';
  for (const element of document.querySelectorAll<HTMLElement>('[data-sandbox-only]')) element.hidden = !sandbox;
  $('.admin-clock').hidden = !sandbox;
  $('[data-clock]').textContent = formatDateTime(lang, state.now);
  const fulfilments = new Map(state.fulfilments.map((f) => [f.paymentId, f]));
  const orders = state.orders;
  $('[data-orders]').innerHTML = orders.length ? orders.map((order) => orderRow(order, fulfilments.get(order.paymentId))).join('') : empty(9);
  $('[data-subscriptions]').innerHTML = state.subscriptions.length
    ? state.subscriptions
        .map(
          (s) => `<tr data-subscription-id="${escapeHtml(s.id)}"><td>${escapeHtml(planName(s.plan))}</td><td>${escapeHtml(state!.members[s.customerId] ?? s.customerId)}</td>
<td>${status('subscription', s.status, tr(`subscription.${s.status}`))}</td><td class="num" data-cell="periods">${s.paidPeriods}</td>
<td>${escapeHtml(formatDateTime(lang, s.nextChargeAt))}</td><td class="num">${formatWon(s.amount)}</td></tr>`,
        )
        .join('')
    : empty(6);
  $('[data-schedules]').innerHTML = state.schedules.length
    ? state.schedules
        .map(
          (s) => `<tr data-schedule-id="${escapeHtml(s.id)}"><td>${escapeHtml(formatDateTime(lang, s.timeToPay))}</td><td><span class="cell-title">${escapeHtml(s.orderName)}</span><span class="cell-sub mono">${escapeHtml(s.paymentId)}</span></td>
<td>${status('schedule', s.status, s.status)}</td><td class="num">${formatWon(s.totalAmount)}</td></tr>`,
        )
        .join('')
    : empty(4, state.schedulesError ? `${tr('admin.schedulesError')}: ${state.schedulesError}` : tr('admin.none'));
  $('[data-maintenance]').innerHTML = state.maintenance.map(jobRow).join('');
  const stocked = Object.entries(state.stock);
  $('[data-stock]').innerHTML = stocked.length
    ? stocked
        .map(([id, available]) => {
          const name = productById(id)?.name[lang] ?? id;
          return `<tr data-product-id="${escapeHtml(id)}"><td>${escapeHtml(name)}</td><td class="num" data-cell="available">${available}</td>
<td class="actions"><span class="partial"><input type="number" min="0" max="10000" step="1" inputmode="numeric" aria-label="${escapeHtml(`${tr('admin.setStock')} (${name})`)}" data-stock-count placeholder="${escapeHtml(tr('admin.col.available'))}"><button type="button" class="button button-small button-secondary" data-action="set-stock">${escapeHtml(tr('admin.setStock'))}</button></span></td></tr>`;
        })
        .join('')
    : empty(3);
  $('[data-webhooks]').innerHTML = state.webhooks.length
    ? state.webhooks
        .map(
          (w) => `<tr><td>${escapeHtml(formatDateTime(lang, w.lastReceivedAt))}</td><td>${escapeHtml(w.type)}</td><td class="mono">${escapeHtml(w.paymentId ?? w.billingKey ?? '')}</td>
<td>${status('webhook', w.status, w.status)}</td><td class="num">${w.receivedCount}</td><td>${escapeHtml(w.note ?? '')}</td></tr>`,
        )
        .join('')
    : empty(6);
}

let loads = 0;
async function load(): Promise<void> {
  const seq = ++loads;
  // Orders whose payment window never opened are noise (the element prepares before the click): the kit leaves them out unless asked.
  const response = await fetch(`/admin/api/state${showPending.checked ? '?pending=1' : ''}`, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${response.status}`);
  const answer = (await response.json()) as AdminState;
  // A slower, older answer (the timer's, before the checkbox changed) must not replace a newer one.
  if (seq !== loads) return;
  state = answer;
  render();
}

function say(element: HTMLElement, text: string): void {
  error.hidden = notice.hidden = true;
  element.textContent = text;
  element.hidden = false;
}

async function act(path: string, body: unknown = {}): Promise<void> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
  const answer = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) say(error, `${tr('admin.error')}: ${answer.message ?? response.status}`);
  else say(notice, tr('admin.done'));
  await load();
}

$('[data-orders]').addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
  const row = button?.closest<HTMLElement>('tr[data-payment-id]');
  if (!button || !row) return;
  const paymentId = row.dataset.paymentId!;
  const path = `/admin/api/orders/${encodeURIComponent(paymentId)}`;
  button.disabled = true;
  const done = (work: Promise<void>) => void work.catch((e: unknown) => say(error, `${tr('admin.error')}: ${(e as Error).message}`)).finally(() => (button.disabled = false));
  switch (button.dataset.action) {
    case 'refund':
      return done(act(`${path}/refund`, { reason: '관리자 전액 환불' }));
    case 'partial-refund': {
      const amount = Number($<HTMLInputElement>('[data-amount]', row).value);
      return done(act(`${path}/refund`, { amount, reason: '관리자 부분 환불' }));
    }
    case 'deposit':
      return done(act(`${path}/deposit`));
  }
});

$('[data-stock]').addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action="set-stock"]');
  const row = button?.closest<HTMLElement>('tr[data-product-id]');
  if (!button || !row) return;
  const input = $<HTMLInputElement>('[data-stock-count]', row);
  // An empty box is no number: the server says what it expects rather than setting 0.
  const available = input.value.trim() === '' ? null : Number(input.value);
  button.disabled = true;
  void act(`/admin/api/stock/${encodeURIComponent(row.dataset.productId!)}`, { available })
    .catch((e: unknown) => say(error, `${tr('admin.error')}: ${(e as Error).message}`))
    .finally(() => (button.disabled = false));
});

$('[data-run-schedules]').addEventListener('click', (event) => {
  const button = event.currentTarget as HTMLButtonElement;
  button.disabled = true;
  void act('/admin/api/run-due-schedules').finally(() => (button.disabled = false));
});
$('[data-refresh]').addEventListener('click', () => void load());
showPending.addEventListener('change', () => void load().catch(() => say(error, tr('common.error'))));

void load().catch(() => say(error, tr('common.error')));

// Webhooks and scheduled charges change things without anyone clicking: keep the tables current,
// except while the admin is typing a refund amount.
const REFRESH_MS = 3_000;
setInterval(() => {
  const typing = [...document.querySelectorAll<HTMLInputElement>('[data-amount], [data-stock-count]')].some((input) => input.value !== '' || input === document.activeElement);
  if (!document.hidden && !typing) void load().catch(() => {});
}, REFRESH_MS);
