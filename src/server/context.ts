// What the kit's parts share while it runs: resolved options, the store, the PortOne gateway, and a
// logger that cannot leak a secret.
import type { NewEvent, Order, OrderKind, OrderPatch, StoredBillingKey, Subscription } from './model.js';
import type { CheckoutLogger, ResolvedOptions } from './options.js';
import type { PortOneGateway } from './portone.js';
import type { CheckoutStore } from './store/port.js';
import type { KnownBillingKeyInfo, KnownPayment, Refusal } from './verify.js';

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
  /** Each kind of order's own part in settling a paid payment (see `OrderFlow`). */
  flows: Record<OrderKind, OrderFlow>;
}

/**
 * What a flow writes along with PAID, in the same transition — the events in the order they run,
 * the `paid` one included — or why it refuses the payment (the order is flagged, the money returned).
 */
export type PaidAddition = { ok: true; events: NewEvent[]; patch?: OrderPatch; billingKey?: StoredBillingKey; subscription?: Subscription } | Refusal;

/**
 * One kind of order's own part in settling its payment. The sync, which every flow calls, decides
 * what is common (verify, flag, move); what differs per kind is given to it through the kit's
 * context by the factory, so the sync imports no flow.
 */
export interface OrderFlow {
  /**
   * Checks and records that go with PAID for this kind of order, decided on the order as read.
   * `paid`: the event that runs `onPaid`; `readKey` reads a billing key once per sync.
   */
  paid(ctx: KitContext, order: Order, payment: KnownPayment, paid: NewEvent, readKey: (billingKey: string) => Promise<KnownBillingKeyInfo>): Promise<PaidAddition>;
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
