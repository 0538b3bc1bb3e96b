// What every built page shares: the config the server put in the page, translations, the cart in
// localStorage, and the checkout elements' per-page settings (sandbox SDK URL, window language).
// Pages import this before `portone-checkout-kit/define`, so the elements start with their settings.
import type { CartItem } from 'portone-checkout-kit';
import { MAX_QUANTITY } from '../../shared/catalog.js';
import { t, type Lang, type MessageKey } from '../../shared/i18n.js';

export interface ShopConfig {
  mode: 'sandbox' | 'portone';
  lang: Lang;
  sdkUrl?: string;
  /** The signed-in member's details, to prefill forms. */
  member: { name: string; phone: string; email: string };
  /** How many of each small-batch product are left (absent: not on sale). */
  stock: Record<string, number>;
  /** The adult-only products: on sale, and whether this member verified as an adult (the server checks again at checkout). */
  adult: { onSale: boolean; verified: boolean };
}

export const config = JSON.parse(document.getElementById('shop-config')?.textContent ?? '{}') as ShopConfig;
export const lang: Lang = config.lang ?? 'ko';
/** Translated text; keys built at run time (`status.${status}`) fall back to themselves. */
export const tr = (key: MessageKey | (string & {})): string => t(lang, key);

/** Absolute URL of a page of this shop (PortOne's `redirectUrl` must be absolute). */
export const pageUrl = (path: string): string => new URL(path, location.href).href;

// ── the cart ──────────────────────────────────────────────────────────────────────────────────

const CART_KEY = 'dalbit-cart';

export function readCart(): CartItem[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(CART_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((line): line is CartItem => typeof line?.id === 'string' && Number.isInteger(line?.quantity) && line.quantity > 0);
  } catch {
    return [];
  }
}

export function writeCart(lines: readonly CartItem[]): void {
  localStorage.setItem(CART_KEY, JSON.stringify(lines.filter((line) => line.quantity > 0)));
  showCartCount();
}

export function addToCart(id: string, quantity = 1): void {
  const cart = readCart();
  const line = cart.find((l) => l.id === id);
  if (line) line.quantity = Math.min(line.quantity + quantity, MAX_QUANTITY);
  else cart.push({ id, quantity: Math.min(quantity, MAX_QUANTITY) });
  writeCart(cart);
}

export function setQuantity(id: string, quantity: number): void {
  writeCart(readCart().map((line) => (line.id === id ? { ...line, quantity: Math.max(0, Math.min(quantity, MAX_QUANTITY)) } : line)));
}

export const clearCart = (): void => writeCart([]);

export function showCartCount(): void {
  const count = readCart().reduce((sum, line) => sum + line.quantity, 0);
  for (const badge of document.querySelectorAll('[data-cart-count]')) badge.textContent = String(count);
}

// ── helpers ───────────────────────────────────────────────────────────────────────────────────

export function $<T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`missing ${selector}`);
  return element;
}

/** GET a JSON answer of this shop or its kit; throws with the server's message on a non-2xx. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  const body = (await response.json().catch(() => ({}))) as T & { message?: string };
  if (!response.ok) throw Object.assign(new Error(body.message ?? `${response.status}`), { status: response.status });
  return body;
}

/**
 * The kit refused a payment PortOne took (it does not match the order, or came through a channel
 * the shop does not accept): the order is flagged and the money refunded. Its message is for the
 * shop's log, not the shopper.
 */
export const refusedByTheKit = (code: string): boolean => code === 'PAYMENT_MISMATCH' || code === 'TEST_CHANNEL_NOT_ALLOWED';

/**
 * What a page says when an element's attempt fails: the shop's own words where it has them (the
 * kit refused a mismatched payment; too many attempts, the shop's prepare limit), else the
 * element's readable message (the PG's, a network failure…).
 */
export function failureMessage(detail: { code: string; readableMessage: string }): string {
  if (refusedByTheKit(detail.code)) return tr('checkout.refused');
  if (detail.code === 'RATE_LIMITED') return tr('checkout.rateLimited');
  return detail.readableMessage;
}

/** Shows a short message in the page's live region. */
export function announce(text: string): void {
  const toast = document.querySelector<HTMLElement>('[data-toast]');
  if (!toast) return;
  toast.textContent = text;
  toast.classList.add('visible');
  clearTimeout(Number(toast.dataset.timer));
  toast.dataset.timer = String(setTimeout(() => toast.classList.remove('visible'), 4000));
}

const CHECKOUT_TAGS = 'portone-payment-button, portone-billing-key-button, portone-billing-key-and-pay-button, portone-identity-verification-button';

/** On the sandbox the elements load its `window.PortOne`; the window speaks the page's language. */
for (const element of document.querySelectorAll(CHECKOUT_TAGS)) {
  if (config.sdkUrl) element.setAttribute('sdk-url', config.sdkUrl);
  element.setAttribute('locale', lang === 'en' ? 'EN_US' : 'KO_KR');
}

showCartCount();
addEventListener('storage', (event) => event.key === CART_KEY && showCartCount());
