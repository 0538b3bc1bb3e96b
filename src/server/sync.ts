// The one sync. Complete, webhooks, the redirect return (which posts to complete) and reconcile all
// call syncPayment: it re-reads the payment from PortOne, checks it against the order, and moves the
// order through changeOrder — decided on the order as read, written only onto that revision — with
// its follow-up events in the same transaction. Whatever arrives first or twice, each effect is
// enqueued once, and only for the order it checked. What differs per kind of order when it is paid
// comes from that kind's flow (KitContext.flows).
import type { OrderStatus } from '../contract.js';
import type { KitContext } from './context.js';
import { flag, settleFlagged } from './flagged.js';
import type { NewEvent, Order, OrderPatch } from './model.js';
import { changeOrder, getOrderOrThrow, type Change, type ChangeOutcome } from './orders.js';
import { policyFor, readBillingKey, readPayment } from './reads.js';
import { releasing } from './reservations.js';
import { cancellationsOf, failureOf, payMethodOf, verifyPayment, virtualAccountOf, type KnownBillingKeyInfo, type KnownPayment, type Refusal } from './verify.js';

export interface SyncOutcome extends ChangeOutcome {
  /** PortOne's payment as read, when it exists. */
  payment?: KnownPayment;
}

/** Statuses a payment may still be recorded on as paid. */
const UNPAID: readonly OrderStatus[] = ['PENDING', 'VIRTUAL_ACCOUNT_ISSUED', 'FAILED'];

/**
 * Re-reads the payment from PortOne and moves the order to match, through `changeOrder`: the
 * verdict is checked against the order it is written onto. `known`: the order the caller just read.
 */
export async function syncPayment(ctx: KitContext, paymentId: string, known?: Order, options: SyncOptions = {}): Promise<SyncOutcome> {
  const order = known ?? (await getOrderOrThrow(ctx, paymentId));
  // What the order recorded after this moment (a reservation) belongs to an attempt this read may not show.
  const readAt = ctx.options.now();
  const payment = await readPayment(ctx, paymentId);
  if (!payment) return { order, events: [], claimed: [], changed: false };
  // A billing key read once serves every round of the decision.
  let knownKey = options.knownKey;
  const readKey = async (billingKey: string): Promise<KnownBillingKeyInfo> => {
    if (knownKey?.billingKey !== billingKey) knownKey = await readBillingKey(ctx, billingKey);
    return knownKey;
  };
  const outcome = await changeOrder(ctx, paymentId, (current) => decide(ctx, current, payment, readAt, options, readKey), { known: order, claim: options.claim });
  return { ...outcome, payment };
}

export interface SyncOptions {
  /**
   * Record on a PENDING order that PortOne holds a READY payment for it (a window opened), once.
   * The webhook route and reconcile do; complete does not, so its refusal changes nothing.
   */
  noteStarted?: boolean;
  /** The billing key the caller just read from PortOne (billing-key-and-pay's complete): not read again. */
  knownKey?: KnownBillingKeyInfo;
  /** The caller runs the events right away (`outbox.newClaim()`): the transition writes them claimed for it. */
  claim?: { claim: string; leaseMs: number };
}

/** The shop closed this order before PortOne charged it (a cancelled subscription's period): nothing was ever paid for it. */
const closedUnpaid = (order: Order): boolean => order.status === 'CANCELLED' && order.cancelledAmount === 0 && order.paidAt === undefined;

const chargedAfterClosing = (order: Order, payment: KnownPayment): Refusal => ({
  ok: false,
  code: 'ORDER_CANCELLED',
  mismatches: [{ field: 'status', expected: 'no payment', got: JSON.stringify(payment.status) }],
  message: `PortOne charged payment ${order.paymentId} for order ${order.orderId}, which the shop had cancelled${order.failure?.reason ? ` (${order.failure.reason})` : ''}: expected no payment, got ${payment.status}`,
});

/** The change that makes the order match the payment, decided on this revision of the order; `undefined`: nothing to change. */
async function decide(
  ctx: KitContext,
  order: Order,
  payment: KnownPayment,
  readAt: number,
  options: SyncOptions,
  readKey: (billingKey: string) => Promise<KnownBillingKeyInfo>,
): Promise<Change | undefined> {
  const policy = policyFor(ctx, order);
  const paymentId = order.paymentId;
  const snapshot = { payment };
  const move = (from: readonly OrderStatus[], to: OrderStatus, patch: OrderPatch, events: readonly NewEvent[], extra: Pick<Change, 'billingKey' | 'subscription'> = {}): Change | undefined => {
    // Statuses only move forward: an order already past `from` has nothing to change.
    if (!from.includes(order.status)) return undefined;
    // A manual approval is over once PortOne settled the payment (its token is not kept), and a
    // reservation whose payment failed is given back.
    const settled: OrderPatch = order.approval ? { approval: null } : {};
    const released = to === 'FAILED' ? releasing(order, `the payment failed at PortOne (${failureOf(payment)?.reason ?? payment.status})`) : { patch: {}, events: [] };
    return {
      to,
      patch: { ...patch, ...settled, ...released.patch },
      events: [...events, ...released.events],
      ...extra,
      note: { level: 'info', message: `order ${order.orderId}: ${order.status} → ${to}`, fields: { paymentId, paymentStatus: payment.status } },
    };
  };
  const refuse = (verdict: Refusal, from: readonly OrderStatus[] = UNPAID): Change | undefined => flag(order, payment, verdict, from);
  /** Money was taken and matches the order: paid, with what the order's flow adds in the same transition. */
  const pay = async (to: 'PAID' | 'PARTIAL_CANCELLED', patch: OrderPatch, later: NewEvent[]): Promise<Change | undefined> => {
    if (!UNPAID.includes(order.status)) return undefined;
    const paid: NewEvent = { key: `paid:${paymentId}`, type: 'paid', paymentId, payload: { payment } };
    const added = await ctx.flows[order.kind].paid(ctx, order, payment, paid, readKey);
    if (!added.ok) return refuse(added);
    return move(UNPAID, to, { ...patch, ...added.patch }, [...added.events, ...later], {
      ...(added.billingKey ? { billingKey: added.billingKey } : {}),
      ...(added.subscription ? { subscription: added.subscription } : {}),
    });
  };

  if (order.status === 'FLAGGED') return settleFlagged(ctx, order, payment);

  switch (payment.status) {
    case 'READY':
    case 'PAY_PENDING':
      // Nothing to settle yet: the window is open, or the PG is still deciding (a webhook follows).
      // Only noted once, so the order counts as started (never pruned as abandoned).
      if (options.noteStarted && order.status === 'PENDING' && order.startedAt === undefined) return { to: 'PENDING', patch: { startedAt: ctx.options.now() } };
      return undefined;

    case 'VIRTUAL_ACCOUNT_ISSUED': {
      const verdict = verifyPayment(order, payment, policy);
      if (!verdict.ok) return refuse(verdict);
      return move(['PENDING', 'FAILED'], 'VIRTUAL_ACCOUNT_ISSUED', compactPatch({ payMethod: payMethodOf(payment), virtualAccount: virtualAccountOf(payment) }), [
        { key: `virtual-account-issued:${paymentId}`, type: 'virtual-account-issued', paymentId, payload: snapshot },
      ]);
    }

    case 'PAID': {
      if (closedUnpaid(order)) return refuse(chargedAfterClosing(order, payment), ['CANCELLED']);
      const verdict = verifyPayment(order, payment, policy);
      if (!verdict.ok) return refuse(verdict);
      return pay('PAID', paidPatch(payment), []);
    }

    case 'FAILED': {
      // Failed again: an attempt made after the order had failed (another tab, through PortOne's
      // confirm process or a manual approval) failed too, and what it left is ended — its
      // reservation given back, its token dropped (a token's window left the payment READY, so
      // FAILED since means its attempt failed or a newer one replaced it). Only what was recorded
      // before PortOne was read: anything newer belongs to an attempt this read does not show.
      if (order.status === 'FAILED') {
        const before = (at: number | undefined) => at === undefined || at < readAt;
        if (order.reservedAt === undefined && order.approval === undefined) return undefined;
        if (!before(order.reservedAt) || !before(order.approval?.receivedAt)) return undefined;
        const released = releasing(order, `the payment failed at PortOne (${failureOf(payment)?.reason ?? payment.status})`);
        return {
          to: 'FAILED',
          patch: { ...released.patch, ...(order.approval ? { approval: null } : {}) },
          events: released.events,
          note: { level: 'info', message: `order ${order.orderId}: a later attempt failed too; what it left is released`, fields: { paymentId } },
        };
      }
      const events: NewEvent[] = [{ key: `failed:${paymentId}:${payment.transactionId}`, type: 'failed', paymentId, payload: snapshot }];
      if (order.subscriptionId) {
        events.push({ key: `subscription-payment-failed:${paymentId}`, type: 'subscription-payment-failed', paymentId, payload: { subscriptionId: order.subscriptionId } });
      }
      return move(['PENDING', 'VIRTUAL_ACCOUNT_ISSUED'], 'FAILED', compactPatch({ failure: failureOf(payment) ?? {}, payMethod: payMethodOf(payment) }), events);
    }

    case 'PARTIAL_CANCELLED':
    case 'CANCELLED': {
      const cancelledAmount = payment.amount.cancelled;
      const cancellationEvents: NewEvent[] = cancellationsOf(payment).map((cancellation) => ({
        key: `cancelled:${paymentId}:${cancellation.id}`,
        type: 'cancelled',
        paymentId,
        payload: { cancellation },
      }));
      if (order.status === 'PAID' || order.status === 'PARTIAL_CANCELLED') {
        return move(['PAID', 'PARTIAL_CANCELLED'], payment.status, { cancelledAmount }, cancellationEvents);
      }
      if (order.status === 'CANCELLED') {
        // Money still held for an order the shop closed unpaid: refunded like any refused payment.
        return payment.status === 'PARTIAL_CANCELLED' && closedUnpaid(order) ? refuse(chargedAfterClosing(order, payment), ['CANCELLED']) : undefined;
      }
      // Paid and refunded before the kit saw it paid: never fulfilled, so a reservation is given back.
      if (payment.status === 'CANCELLED') {
        const released = releasing(order, 'the payment was refunded before the kit saw it paid');
        return move(UNPAID, 'CANCELLED', { cancelledAmount, ...released.patch }, released.events);
      }
      const verdict = verifyPayment(order, payment, policy);
      if (!verdict.ok) return refuse(verdict);
      return pay('PARTIAL_CANCELLED', { ...paidPatch(payment), cancelledAmount }, cancellationEvents);
    }
  }
}

function paidPatch(payment: KnownPayment): OrderPatch {
  return compactPatch({
    paidAt: 'paidAt' in payment && typeof payment.paidAt === 'string' ? payment.paidAt : undefined,
    payMethod: payMethodOf(payment),
    virtualAccount: virtualAccountOf(payment),
    billingKey: payment.billingKey,
    // An earlier window's failure (cancelled, declined) is history once the order is paid.
    failure: null,
  });
}

const compactPatch = (patch: { [K in keyof OrderPatch]: OrderPatch[K] | undefined }): OrderPatch => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) out[key] = value;
  return out as OrderPatch;
};
