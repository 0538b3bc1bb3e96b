// Virtual-account waiting page: shows the account to deposit to, and asks the shop every few
// seconds (GET /api/me/orders/{id}, the signed-in member's own orders only) until the deposit's
// webhook has turned the order paid.
import type { MyOrder, ShopperOrder } from '../../../shared/api.js';
import { bankName } from '../../../shared/i18n.js';
import { formatDateTime, formatWon } from '../../../shared/format.js';
import { $, announce, config, getJson, lang, tr } from '../site.js';

const POLL_MS = 2_000;
const paymentId = new URLSearchParams(location.search).get('order') ?? '';
let current: string | undefined;

function showView(view: 'loading' | 'waiting' | 'paid' | 'ended'): void {
  if (current === view) return;
  const first = current === undefined || current === 'loading';
  current = view;
  for (const section of document.querySelectorAll<HTMLElement>('[data-view]')) section.hidden = section.dataset.view !== view;
  const heading = document.querySelector<HTMLElement>(`[data-view="${view}"] h1`);
  if (heading && !first) {
    heading.focus();
    $('[data-live]').textContent = heading.textContent ?? '';
  }
}

function render(order: ShopperOrder): void {
  if (order.status === 'VIRTUAL_ACCOUNT_ISSUED' || order.status === 'PENDING') {
    const account = order.virtualAccount;
    $('[data-field="bank"]').textContent = bankName(lang, account?.bank);
    $('[data-field="account"]').textContent = account?.accountNumber ?? '';
    $('[data-field="holder"]').textContent = account?.remitteeName ?? tr('shop.name');
    $('[data-field="deadline"]').textContent = formatDateTime(lang, account?.expiredAt);
    $('[data-field="amount"]').textContent = formatWon(order.totalAmount);
    $('[data-sandbox-hint]').hidden = config.mode !== 'sandbox';
    showView('waiting');
  } else if (order.status === 'PAID' || order.status === 'PARTIAL_CANCELLED' || order.status === 'CANCELLED') {
    $('[data-field="order"]').textContent = order.reference ?? order.paymentId;
    $('[data-field="paidAt"]').textContent = formatDateTime(lang, order.paidAt);
    $('[data-field="paidAmount"]').textContent = formatWon(order.totalAmount);
    document.title = tr('waiting.paidTitle');
    showView('paid');
  } else {
    $('[data-view="ended"] h1').textContent = order.status === 'FAILED' ? tr('waiting.expired') : tr(`status.${order.status}`);
    showView('ended');
  }
}

async function poll(): Promise<void> {
  try {
    const { order } = await getJson<MyOrder>(`/api/me/orders/${encodeURIComponent(paymentId)}`);
    render(order);
    if (order.status !== 'VIRTUAL_ACCOUNT_ISSUED' && order.status !== 'PENDING') return;
  } catch (error) {
    if ((error as { status?: number }).status === 404) {
      $('[data-view="ended"] h1').textContent = tr('complete.notFound');
      return showView('ended');
    }
    // A network blip: keep asking.
  }
  setTimeout(() => void poll(), POLL_MS);
}

$('[data-copy]').addEventListener('click', async () => {
  await navigator.clipboard?.writeText($('[data-field="account"]').textContent ?? '').catch(() => {});
  announce(tr('waiting.copied'));
});

void poll();
