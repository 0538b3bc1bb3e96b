// What the kit's parts share: resolved options, the store, the PortOne gateway, a logger that cannot
// leak a secret, id generation, and the views the contract shows to shoppers.
import type { BillingKeyView, OrderView, SubscriptionView } from '../contract.js';
import type { Order, StoredBillingKey, Subscription } from './model.js';
import type { CheckoutLogger, ResolvedOptions } from './options.js';
import type { PortOneGateway } from './portone.js';
import type { CheckoutStore } from './store/port.js';

export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface KitContext {
  options: ResolvedOptions;
  store: CheckoutStore;
  portone: PortOneGateway;
  log: Log;
  /** Masks every configured secret in a text. */
  redact(text: string): string;
  /**
   * Server-side API calls that may change orders (cancel, reconcile, …) started so far. A shop's hook
   * can only change an order through one of them: a complete whose hooks ran while this stood still
   * answers with the order as its own change left it, without reading it again.
   */
  apiCalls: number;
}

/** Builds `redact` for these secrets: each, and a webhook secret's key without its `whsec_` prefix. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret.length >= 4) needles.add(secret);
    if (secret.startsWith('whsec_') && secret.length > 10) needles.add(secret.slice(6));
  }
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const needle of sorted) out = out.split(needle).join('[redacted]');
    return out;
  };
}

/** Wraps the shop's logger (or the console) so nothing it receives can carry a secret. */
export function safeLog(logger: CheckoutLogger | undefined, redact: (text: string) => string): Log {
  const clean = (fields?: Record<string, unknown>): Record<string, unknown> | undefined => {
    if (!fields) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (value instanceof Error) out[key] = redact(`${value.name}: ${value.message}`);
      else if (typeof value === 'string') out[key] = redact(value);
      else if (value === undefined || typeof value === 'number' || typeof value === 'boolean' || value === null) out[key] = value;
      else out[key] = JSON.parse(redact(JSON.stringify(value)) || 'null');
    }
    return out;
  };
  const sink = logger ?? {
    warn: (message: string, fields?: Record<string, unknown>) => console.warn(`[checkout] ${message}`, fields ?? ''),
    error: (message: string, fields?: Record<string, unknown>) => console.error(`[checkout] ${message}`, fields ?? ''),
  };
  const emit = (level: 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    try {
      sink[level]?.(redact(message), clean(fields));
    } catch {
      // A broken logger must not break a payment.
    }
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** Base 62 in ASCII order, so fixed-width numbers written in it sort as the numbers do (8 digits: until the year 8800). */
const SORTED_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * An unguessable id: prefix, `_`, the creation time (milliseconds, 8 characters that sort as the time
 * does), then 22 base64url characters (128 random bits) — 34 characters, printable ASCII as PortOne
 * requires. Ids made about the same time sort together, so each write lands in the few index pages
 * the last ones touched instead of a random page of every index keyed by it (orders, their events).
 */
export function newId(prefix: 'pay' | 'ord' | 'iss' | 'cus' | 'sub', now: number = Date.now()): string {
  let time = '';
  for (let rest = Math.max(0, Math.trunc(now)), i = 0; i < 8; i++, rest = Math.floor(rest / 62)) time = SORTED_DIGITS[rest % 62] + time;
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `${prefix}_${time}${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

export function orderView(order: Order): OrderView {
  const view: OrderView = {
    paymentId: order.paymentId,
    status: order.status,
    orderName: order.orderName,
    totalAmount: order.totalAmount,
    currency: order.currency,
    cancelledAmount: order.cancelledAmount,
  };
  if (order.payMethod) view.payMethod = order.payMethod;
  if (order.paidAt) view.paidAt = order.paidAt;
  if (order.virtualAccount) view.virtualAccount = { ...order.virtualAccount };
  if (order.failure) view.failure = { ...order.failure };
  return view;
}

/** The order's view with its priced lines, for `GET payments/{id}` (a complete page shows what was bought). */
export function orderViewWithLines(order: Order): OrderView {
  const view = orderView(order);
  if (order.lines.length > 0) view.lines = order.lines.map(({ id, name, quantity, unitAmount, amount }) => ({ id, name, quantity, unitAmount, amount }));
  return view;
}

export function billingKeyView(key: StoredBillingKey): BillingKeyView {
  const view: BillingKeyView = { billingKey: key.billingKey, status: key.status, customerId: key.customerId, issuedAt: key.issuedAt };
  if (key.display) view.display = key.display;
  return view;
}

export function subscriptionView(subscription: Subscription): SubscriptionView {
  const view: SubscriptionView = {
    id: subscription.id,
    plan: subscription.plan,
    status: subscription.status,
    amount: subscription.amount,
    currency: subscription.currency,
  };
  if (subscription.nextChargeAt !== undefined && subscription.status !== 'CANCELLED') view.nextChargeAt = new Date(subscription.nextChargeAt).toISOString();
  return view;
}
