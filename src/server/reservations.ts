// The shop's reservations: its `reserve` hook is asked before money moves (a manual approval the kit
// is about to confirm, PortOne's confirm process), and its `release` hook — through the outbox, so
// exactly once and retried — when a reservation's payment will not happen after all. The kit records
// that it is about to reserve before it asks, so every reservation asked for ends either paid or
// released, whatever crashes, times out or refuses in between.
import type { KitContext } from './context.js';
import { CheckoutError } from './errors.js';
import type { BillingKeyIssue, HookEvent, NewEvent, Order, OrderPatch } from './model.js';
import type { ReserveEvent } from './options.js';

/** What is reserved: an order (payments, billing-key-and-pay) or a billing-key issue. */
export type Reserved = { order: Order; issue?: undefined } | { issue: BillingKeyIssue; order?: undefined };

/** Stable per order or issue, so the shop can make its reservation idempotent. */
export const reservationIdOf = (target: Reserved): string => `reserve:${target.order ? target.order.paymentId : target.issue.issueId}`;

/**
 * Asks the shop's `reserve`. Resolves when it accepted (or there is none); a refusal passes as the
 * shop's `refuse()` made it (409 RESERVATION_REFUSED, with its words for the shopper); anything else
 * it throws is the shop's bug: logged, and a 500 that confirms nothing.
 */
export async function reserve(ctx: KitContext, target: Reserved, via: ReserveEvent['via'], timeoutMs: number = ctx.options.hookTimeoutMs): Promise<void> {
  const hook = ctx.options.hooks.reserve;
  if (!hook) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckoutError('SHOP_CONFIGURATION', `the shop did not answer reserve within ${timeoutMs} ms; the payment is not confirmed`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(() => hook({ reservationId: reservationIdOf(target), via, ...(target.order ? { order: target.order } : { issue: target.issue }) })), late]);
  } catch (error) {
    if (error instanceof CheckoutError && error.code === 'RESERVATION_REFUSED') throw error;
    if (error instanceof CheckoutError && error.code === 'SHOP_CONFIGURATION') {
      ctx.log.error(error.message);
      throw error;
    }
    ctx.log.error('reserve threw; throw refuse(message) to refuse a reservation', { error: error instanceof Error ? error : String(error) });
    throw new CheckoutError('SHOP_CONFIGURATION', 'the shop could not reserve this order (reserve failed); see the server log');
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What goes with a reserved order's failure: the `release` follow-up (one per reservation), and the
 * reservation cleared so a later attempt asks again. Nothing when nothing was reserved.
 */
export function releasing(order: Order, reason: string): { patch: OrderPatch; events: NewEvent[] } {
  if (order.reservedAt === undefined) return { patch: {}, events: [] };
  return {
    patch: { reservedAt: null },
    events: [{ key: `release:${order.paymentId}:${order.reservedAt}`, type: 'release', paymentId: order.paymentId, payload: { reason } }],
  };
}

/** The same for a billing-key issue. */
export function releasingIssue(issue: BillingKeyIssue, reason: string): NewEvent[] {
  if (issue.reservedAt === undefined) return [];
  return [{ key: `release:${issue.issueId}:${issue.reservedAt}`, type: 'release', payload: { issueId: issue.issueId, reason } }];
}

/** The `release` event: the shop's hook, with the order or issue as it now stands. */
export async function runRelease(ctx: KitContext, event: HookEvent): Promise<void> {
  const hook = ctx.options.hooks.release;
  if (!hook) return;
  const { reason, issueId } = event.payload as { reason: string; issueId?: string };
  const order = event.paymentId ? await ctx.store.getOrder(event.paymentId) : undefined;
  const issue = issueId ? await ctx.store.getIssue(issueId) : undefined;
  const target: Reserved | undefined = order ? { order } : issue ? { issue } : undefined;
  if (!target) throw new Error(`release event ${event.key} names an order or issue the store does not have`);
  await hook({ eventId: event.key, attempt: event.attempts, reservationId: reservationIdOf(target), reason, ...(order ? { order } : { issue: issue! }) });
}
