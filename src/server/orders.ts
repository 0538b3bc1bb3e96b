// The one way an order changes: a decision made on the order as read, written only onto that exact
// revision (compare-and-set), and made again on the order as it then stands when another caller
// changed it first. Every verdict the kit records — paid, flagged, failed, refunded — goes through here.
import type { OrderStatus } from '../contract.js';
import type { KitContext } from './context.js';
import { CheckoutError } from './errors.js';
import type { HookEvent, NewEvent, Order, OrderPatch, StoredBillingKey, Subscription } from './model.js';

/** A change a decision wants made to the order it was computed on. */
export interface Change {
  to: OrderStatus;
  patch?: OrderPatch;
  events?: readonly NewEvent[];
  /** A billing key stored in the same transaction. */
  billingKey?: StoredBillingKey;
  /** A subscription started in the same transaction. */
  subscription?: Subscription;
  /** Logged once the change is made (not when another caller made it first). */
  note?: { level: 'info' | 'warn'; message: string; fields?: Record<string, unknown> };
}

/** A decision on an order as read: the change to make on exactly that revision, or none. */
export type Decision = (order: Order) => Change | undefined | Promise<Change | undefined>;

export interface ChangeOutcome {
  /** The order as the change left it, or as last read when no change was made. */
  order: Order;
  /**
   * Keys of the events of the change made — and of changes decided but lost to a concurrent caller
   * (that caller's events, if it made the same change: `outbox.run` waits for them as for its own).
   */
  events: string[];
  /** Those of them written already claimed for the caller (`claim`), to run with `outbox.run(events, claimed)`. */
  claimed: HookEvent[];
  /** Whether this call made a change. */
  changed: boolean;
}

/** Who wants to hear of a change this process makes to an order (see `watchOrder`), per kit. */
const watchers = new WeakMap<KitContext, Map<string, Set<{ changed: boolean }>>>();

/**
 * Notes whether this process changes the order `paymentId` until `stop()`: how a request running its
 * events learns that one of them (a hook calling `cancel()`) changed the order it is about to show.
 */
export function watchOrder(ctx: KitContext, paymentId: string): { readonly changed: boolean; stop(): void } {
  let byOrder = watchers.get(ctx);
  if (!byOrder) watchers.set(ctx, (byOrder = new Map()));
  const watch = { changed: false };
  const set = byOrder.get(paymentId) ?? new Set();
  byOrder.set(paymentId, set.add(watch));
  return {
    get changed() {
      return watch.changed;
    },
    stop() {
      set.delete(watch);
      if (set.size === 0 && byOrder.get(paymentId) === set) byOrder.delete(paymentId);
    },
  };
}

/** How many times a decision is made again on an order that keeps changing under it, before giving up (503: retry). */
const MAX_ROUNDS = 8;

export async function getOrderOrThrow(ctx: KitContext, paymentId: string): Promise<Order> {
  const order = await ctx.store.getOrder(paymentId);
  if (!order) throw new CheckoutError('ORDER_NOT_FOUND', `paymentId: expected one prepared by this shop, got ${JSON.stringify(paymentId)} which it does not know`);
  return order;
}

/**
 * Decides on the order as read and writes the change only onto that revision. When the order changed
 * first (a webhook, a complete, a refund racing this call), it is read again and decided on again —
 * never written onto a row the decision did not see. `known`: the order the caller just read.
 */
export async function changeOrder(
  ctx: KitContext,
  paymentId: string,
  decide: Decision,
  options: { known?: Order | undefined; claim?: { claim: string; leaseMs: number } | undefined } = {},
): Promise<ChangeOutcome> {
  let order = options.known ?? (await getOrderOrThrow(ctx, paymentId));
  const lost = new Set<string>();
  for (let round = 1; ; round++) {
    const change = await decide(order);
    if (!change) return { order, events: [...lost], claimed: [], changed: false };
    const keys = (change.events ?? []).map((e) => e.key);
    const outcome = await ctx.store.transition({
      paymentId,
      revision: order.revision,
      to: change.to,
      now: ctx.options.now(),
      ...(change.patch ? { patch: change.patch } : {}),
      ...(change.events ? { events: change.events } : {}),
      ...(change.billingKey ? { billingKey: change.billingKey } : {}),
      ...(change.subscription ? { subscription: change.subscription } : {}),
      ...(options.claim ? { claim: options.claim } : {}),
    });
    if (outcome) {
      for (const watch of watchers.get(ctx)?.get(paymentId) ?? []) watch.changed = true;
      if (change.note) ctx.log[change.note.level](change.note.message, change.note.fields);
      for (const key of keys) lost.add(key);
      return { order: outcome.order, events: [...lost], claimed: outcome.claimed, changed: true };
    }
    for (const key of keys) lost.add(key);
    if (round === MAX_ROUNDS) {
      throw new CheckoutError('ORDER_BUSY', `order ${paymentId}: expected it to hold still long enough to record a change, got ${MAX_ROUNDS} changes by other requests in a row; retry`, { retryAfterSeconds: 1 });
    }
    order = await getOrderOrThrow(ctx, paymentId);
  }
}
