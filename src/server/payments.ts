// Payments: complete (the one sync, then the answer the element shows), the shopper's view of an
// order, and refunds through PortOne. Prepare is in prepare.ts; reconcile and prune in maintenance.ts.
import type { OrderResponse } from '../contract.js';
import { approveOrder } from './approvals.js';
import type { KitContext, OrderFlow } from './context.js';
import { CheckoutError } from './errors.js';
import type { Order } from './model.js';
import { getOrderOrThrow } from './orders.js';
import type { Outbox } from './outbox.js';
import { PortOneRejection, type RefundAccount } from './portone.js';
import { readPayment } from './reads.js';
import { syncPayment } from './sync.js';
import * as validate from './validate.js';
import { answerFor, billingKeyView, orderViewWithLines, subscriptionView } from './views.js';

/** The answer after a manual approval ran: as for any payment, unless it is still being confirmed. */
export function approvalAnswer(order: Order): OrderResponse {
  if (order.approval !== undefined) {
    throw new CheckoutError('APPROVAL_IN_PROGRESS', `payment ${order.paymentId}: expected the manual approval to be confirmed, got it still being confirmed (by another request, or again once PortOne answers); ask again shortly`, { retryAfterSeconds: 2 });
  }
  return answerFor(order);
}

/**
 * A one-off payment: paid is all there is to it (`onPaid`) — unless the shop gates payments with
 * PortOne's confirm process and a `reserve`. `confirmUrl` is an option of the browser's
 * `requestPayment`, so a page can leave it out (or point it elsewhere) and PortOne approves without
 * asking; such a payment never passed the shop's `reserve`, and is refused (flagged and refunded) like
 * any payment that does not match its order. A manual approval records its reservation too.
 */
export const paymentFlow: OrderFlow = {
  paid: async (ctx, order, _payment, paid) => {
    if (ctx.options.confirmUrl !== undefined && ctx.options.hooks.reserve && order.reservedAt === undefined) {
      return {
        ok: false,
        code: 'PAYMENT_MISMATCH',
        mismatches: [{ field: 'confirmUrl', expected: "approval through the shop's confirm route, after its reserve accepted", got: 'a payment PortOne approved without asking it' }],
        message: `payment ${order.paymentId}: expected PortOne to have approved it through the shop's confirm process (options.confirmUrl) once reserve accepted, got a payment approved without it (the page left confirmUrl out of requestPayment, or changed it)`,
      };
    }
    return { ok: true, events: [paid] };
  },
};

export async function completePayment(ctx: KitContext, outbox: Outbox, body: Record<string, unknown>): Promise<OrderResponse> {
  const input = validate.completePaymentRequest(body);
  if (input.paymentToken !== undefined) {
    // A manual-approval window: the kit reserves and confirms, then answers as for any payment.
    const order = await getOrderOrThrow(ctx, input.paymentId);
    if (order.kind !== 'payment') throw new CheckoutError('INVALID_REQUEST', `paymentId: expected an order prepared at payments/prepare, got one prepared for ${order.kind === 'billing-key-and-pay' ? 'billing-key-and-pay/prepare' : 'a subscription'}`);
    await approveOrder(ctx, outbox, order, input.paymentToken, 'payment');
    return approvalAnswer(await getOrderOrThrow(ctx, input.paymentId));
  }
  // An unknown paymentId is refused before PortOne is asked anything.
  const outcome = await syncPayment(ctx, input.paymentId, undefined, { claim: outbox.newClaim() });
  let order = outcome.order;
  // What the events did is part of the answer (a hook refunding the order through cancel(), the
  // kit's own follow-ups, another request's events this one waited for): unless only the change's
  // own shop hooks ran and changed nothing, the order as it now stands.
  if (outcome.events.length > 0 && !(await outbox.run(outcome.events, outcome.claimed, outcome.order))) {
    order = (await ctx.store.getOrder(input.paymentId)) ?? order;
  }
  if (outcome.payment?.status === 'READY' && order.status === 'PENDING') {
    throw new CheckoutError('PAYMENT_NOT_COMPLETED', `payment ${input.paymentId}: expected PortOne to report it PAID, VIRTUAL_ACCOUNT_ISSUED or FAILED, got READY (the window was not finished)`);
  }
  return answerFor(order);
}

export async function getOrderAnswer(ctx: KitContext, paymentId: string): Promise<OrderResponse> {
  const order = await getOrderOrThrow(ctx, paymentId);
  // A flagged order is shown as it is (the shopper's waiting page must see it), not as an error.
  const answer: OrderResponse = { order: orderViewWithLines(order) };
  const key = order.billingKey !== undefined && order.kind === 'billing-key-and-pay' ? await ctx.store.getBillingKey(order.billingKey) : undefined;
  if (key) answer.billingKey = billingKeyView(key);
  const subscription = order.subscriptionId !== undefined ? await ctx.store.getSubscription(order.subscriptionId) : undefined;
  if (subscription) answer.subscription = subscriptionView(subscription);
  return answer;
}

export interface CancelOptions {
  /** Minor units; default: everything not yet refunded. */
  amount?: number;
  /** Shown to PortOne and the PG; required. */
  reason: string;
  /** For a deposited virtual account: the shopper's bank account to refund to. */
  refundAccount?: RefundAccount;
}

/**
 * Refunds all or part of a paid order through PortOne, then syncs it (which runs `onCancelled` once
 * per cancellation). Also finishes the refund of a flagged payment PortOne would not refund by itself.
 */
export async function cancelPayment(ctx: KitContext, outbox: Outbox, paymentId: string, options: CancelOptions): Promise<Order> {
  if (typeof paymentId !== 'string') throw new CheckoutError('INVALID_REQUEST', `paymentId: expected a string, got ${typeof paymentId}`);
  const order = await getOrderOrThrow(ctx, paymentId);
  if (!options || typeof options.reason !== 'string' || options.reason.trim() === '' || options.reason.length > 200) {
    throw new CheckoutError('INVALID_REQUEST', `reason: expected 1–200 characters explaining the refund, got ${options && typeof options.reason === 'string' ? `${options.reason.length} characters` : 'nothing'}`);
  }
  // A mistyped amount is the caller's bug, whatever the order holds; more than is left is a refusal (below).
  if (options.amount !== undefined && (!Number.isSafeInteger(options.amount) || options.amount <= 0)) {
    throw new CheckoutError('INVALID_REQUEST', `amount: expected a positive integer in minor units (or nothing, for all that is left), got ${JSON.stringify(options.amount) ?? String(options.amount)}`);
  }
  let remaining: number;
  if (order.status === 'PAID' || order.status === 'PARTIAL_CANCELLED') {
    remaining = order.totalAmount - order.cancelledAmount;
  } else if (order.status === 'FLAGGED' && order.flag?.refundedAt === undefined) {
    // A flagged payment's amount is PortOne's, not the order's.
    const payment = await readPayment(ctx, paymentId);
    if (!payment || (payment.status !== 'PAID' && payment.status !== 'PARTIAL_CANCELLED')) {
      throw new CheckoutError('CANCEL_REJECTED', `order ${paymentId}: expected a flagged payment PortOne holds as PAID, got ${payment?.status ?? 'none'}`);
    }
    remaining = payment.amount.paid - payment.amount.cancelled;
  } else {
    throw new CheckoutError('CANCEL_REJECTED', `order ${paymentId}: expected PAID or PARTIAL_CANCELLED to refund, got ${order.status}`);
  }
  const amount = options.amount ?? remaining;
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > remaining) {
    throw new CheckoutError('CANCEL_REJECTED', `amount: expected an integer from 1 to ${remaining} (what is left to refund), got ${String(options.amount)}`);
  }
  try {
    await ctx.portone.cancel({
      paymentId,
      amount,
      reason: options.reason,
      currentCancellableAmount: remaining,
      ...(options.refundAccount ? { refundAccount: options.refundAccount } : {}),
    });
  } catch (error) {
    if (error instanceof PortOneRejection) {
      // PortOne's view differs from the kit's (a refund made in the console): record it, then refuse.
      await syncPayment(ctx, paymentId).then((o) => outbox.run(o.events)).catch(() => {});
      throw new CheckoutError('CANCEL_REJECTED', error.message, { cause: error });
    }
    throw error;
  }
  const outcome = await syncPayment(ctx, paymentId);
  await outbox.run(outcome.events);
  return (await ctx.store.getOrder(paymentId)) ?? outcome.order;
}
