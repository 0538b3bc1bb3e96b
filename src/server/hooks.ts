// What each outbox event does: the shop's hooks get the order (as the change that wrote the event
// left it, else read now) and what PortOne reported; the kit's own follow-ups call PortOne.
import type { KitContext } from './context.js';
import { confirmIssue, confirmOrder } from './approvals.js';
import { completeBillingKey } from './billing-keys.js';
import { refundFlagged } from './flagged.js';
import { identityVerified } from './identity.js';
import type { EventType, HookEvent, Order } from './model.js';
import type { EventHandler, Outbox } from './outbox.js';
import { runRelease } from './reservations.js';
import { advanceSubscription, chargeFirstPeriod, schedulePeriod, subscriptionPaymentFailed } from './subscriptions.js';

/** What each outbox event does: the shop's hooks get the order (as the change that wrote the event left it, else read now); the kit's follow-ups call PortOne. */
export function eventHandlers(ctx: KitContext, outbox: () => Outbox): Record<EventType, EventHandler> {
  const hooks = ctx.options.hooks;
  /**
   * The event's order: as the change that wrote the event left it when the runner has it (a copy of
   * its own for each hook: the request answers with that order, and a hook may change what it is
   * given), else read now.
   */
  const orderOf = async (event: HookEvent, known: Order | undefined): Promise<Order> => {
    const order = known ? structuredClone(known) : event.paymentId ? await ctx.store.getOrder(event.paymentId) : undefined;
    if (!order) throw new Error(`event ${event.key} names an order the store does not have`);
    return order;
  };
  const base = (event: HookEvent) => ({ eventId: event.key, attempt: event.attempts });
  const payload = (event: HookEvent) => (event.payload ?? {}) as Record<string, unknown>;
  return {
    async paid(event, known) {
      if (!hooks.onPaid) return;
      const order = await orderOf(event, known);
      const subscription = order.subscriptionId ? await ctx.store.getSubscription(order.subscriptionId) : undefined;
      await hooks.onPaid({ ...base(event), order, payment: payload(event).payment as never, ...(subscription ? { subscription } : {}) });
    },
    async 'virtual-account-issued'(event, known) {
      if (!hooks.onVirtualAccountIssued) return;
      await hooks.onVirtualAccountIssued({ ...base(event), order: await orderOf(event, known), payment: payload(event).payment as never });
    },
    async failed(event, known) {
      if (!hooks.onFailed) return;
      const payment = payload(event).payment;
      await hooks.onFailed({ ...base(event), order: await orderOf(event, known), ...(payment ? { payment: payment as never } : {}) });
    },
    async cancelled(event, known) {
      if (!hooks.onCancelled) return;
      await hooks.onCancelled({ ...base(event), order: await orderOf(event, known), cancellation: payload(event).cancellation as never });
    },
    async 'billing-key-issued'(event) {
      if (!hooks.onBillingKeyIssued) return;
      const key = await ctx.store.getBillingKey(String(payload(event).billingKey));
      if (!key) throw new Error(`event ${event.key} names a billing key the store does not have`);
      const [subscription] = await ctx.store.listSubscriptions({ billingKey: key.billingKey, limit: 1 });
      await hooks.onBillingKeyIssued({ ...base(event), billingKey: key, ...(subscription ? { subscription } : {}) });
    },
    'refund-flagged': (event) => refundFlagged(ctx, event.paymentId!),
    'charge-first-period': (event) => chargeFirstPeriod(ctx, event),
    'advance-subscription': (event) => advanceSubscription(ctx, event),
    'schedule-period': (event) => schedulePeriod(ctx, event),
    'subscription-payment-failed': (event) => subscriptionPaymentFailed(ctx, event),
    'confirm-payment': (event) => confirmOrder(ctx, event),
    'confirm-billing-key': (event) => confirmIssue(ctx, event, (billingKey, issueId) => completeBillingKey(ctx, outbox(), { billingKey, issueId })),
    release: (event) => runRelease(ctx, event),
    'identity-verified': (event) => identityVerified(ctx, event),
  };
}
