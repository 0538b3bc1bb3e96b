// Flagged orders: a payment that does not match its order is never fulfilled. The order is flagged
// with the reason, and the money PortOne holds for it is returned (a refund, or a virtual account
// closed) by the `refund-flagged` follow-up, retried until PortOne has settled it.
import type { OrderStatus } from '../contract.js';
import type { KitContext } from './context.js';
import type { NewEvent, Order } from './model.js';
import { changeOrder, type Change } from './orders.js';
import { PortOneRejection } from './portone.js';
import { readPayment } from './reads.js';
import { releasing } from './reservations.js';
import type { KnownPayment, Refusal } from './verify.js';

/** A payment that does not match its order is never fulfilled: the order is flagged, money taken is refunded, an open virtual account closed. */
export function flag(order: Order, payment: KnownPayment, verdict: Refusal, from: readonly OrderStatus[]): Change | undefined {
  if (!from.includes(order.status)) return undefined;
  // What the shop reserved for it will not be sold: given back.
  const released = releasing(order, `the payment was refused: ${verdict.message}`);
  return {
    to: 'FLAGGED',
    patch: { flag: { code: verdict.code, message: verdict.message }, ...(order.approval ? { approval: null } : {}), ...released.patch },
    events: [...settleEvents(order.paymentId, payment), ...released.events],
    note: { level: 'warn', message: `flagged order ${order.orderId}: ${verdict.message}`, fields: { paymentId: order.paymentId, mismatches: verdict.mismatches } },
  };
}

/** The follow-up that undoes a flagged payment in its current state; one key per state, so a later deposit gets its own. */
function settleEvents(paymentId: string, payment: KnownPayment): NewEvent[] {
  if (payment.status === 'PAID' || payment.status === 'PARTIAL_CANCELLED') return [{ key: `refund-flagged:${paymentId}:taken`, type: 'refund-flagged', paymentId, payload: {} }];
  if (payment.status === 'VIRTUAL_ACCOUNT_ISSUED') return [{ key: `refund-flagged:${paymentId}:issued`, type: 'refund-flagged', paymentId, payload: {} }];
  return [];
}

/** A flagged order follows its payment only to get money back: a deposit after flagging is refunded too. */
export function settleFlagged(ctx: KitContext, order: Order, payment: KnownPayment): Change | undefined {
  const events = settleEvents(order.paymentId, payment);
  if (events.length > 0) return { to: 'FLAGGED', events };
  return settled(ctx, order, payment);
}

/** Records that nothing of a flagged payment is held any more (refunded, or an account closed before a deposit). */
function settled(ctx: KitContext, order: Order, payment: KnownPayment): Change | undefined {
  if (order.status !== 'FLAGGED' || !order.flag || order.flag.refundedAt !== undefined) return undefined;
  if (payment.status !== 'CANCELLED' && payment.status !== 'FAILED') return undefined;
  const { refundError: _, ...flag } = order.flag;
  return { to: 'FLAGGED', patch: { cancelledAmount: payment.amount.cancelled, flag: { ...flag, refundedAt: ctx.options.now() } } };
}

/**
 * The `refund-flagged` event: closes a flagged virtual account, or refunds what is left of a flagged
 * payment, with the flag's reason. A refusal PortOne will repeat (a deposit needs the shopper's bank
 * account) is recorded on the flag for a person to finish with `cancel()`; outages are retried.
 */
export async function refundFlagged(ctx: KitContext, paymentId: string): Promise<void> {
  const order = await ctx.store.getOrder(paymentId);
  if (!order || order.status !== 'FLAGGED' || !order.flag || order.flag.refundedAt !== undefined) return;
  // PortOne already refused it for a reason it will repeat; a person finishes it with cancel().
  if (order.flag.refundError !== undefined) return;
  const payment = await readPayment(ctx, paymentId);
  if (!payment) return;
  const reason = `Refused by the shop's checkout: ${order.flag.message}`.slice(0, 200);
  try {
    if (payment.status === 'VIRTUAL_ACCOUNT_ISSUED') {
      await ctx.portone.closeVirtualAccount(paymentId);
    } else if (payment.status === 'PAID' || payment.status === 'PARTIAL_CANCELLED') {
      // What PortOne holds: a short deposit is refunded as deposited.
      const remaining = payment.amount.paid - payment.amount.cancelled;
      await ctx.portone.cancel({ paymentId, reason, currentCancellableAmount: remaining });
      ctx.log.warn(`refunded flagged payment ${paymentId} (${remaining} ${payment.currency})`, { paymentId });
    }
  } catch (error) {
    if (!(error instanceof PortOneRejection)) throw error;
    // Someone (the console, a parallel runner, a deposit) got there first: the re-read below settles it.
    const raced = ['PAYMENT_ALREADY_CANCELLED', 'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN', 'PAYMENT_NOT_WAITING_FOR_DEPOSIT', 'PAYMENT_NOT_PAID'];
    if (!raced.includes(error.type)) {
      const refundError = error.message;
      ctx.log.error(`could not refund flagged payment ${paymentId}; refund it with cancel(): ${refundError}`, { paymentId });
      await changeOrder(ctx, paymentId, (current) =>
        current.status === 'FLAGGED' && current.flag && current.flag.refundedAt === undefined && current.flag.refundError === undefined
          ? { to: 'FLAGGED', patch: { flag: { ...current.flag, refundError } } }
          : undefined,
      );
      return;
    }
  }
  const after = await readPayment(ctx, paymentId);
  if (!after) return;
  if (after.status === 'PAID' || after.status === 'PARTIAL_CANCELLED' || after.status === 'VIRTUAL_ACCOUNT_ISSUED') {
    // Still held (a deposit landed while closing): go round again through the event for that state.
    throw new Error(`flagged payment ${paymentId} is still ${after.status} after settling it`);
  }
  await changeOrder(ctx, paymentId, (current) => settled(ctx, current, after));
}
