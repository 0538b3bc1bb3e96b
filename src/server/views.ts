// What the kit shows of its records: to the shopper's browser (the contract's views, which never
// carry anything the shop keeps to itself) and as the complete routes' answers.
import type { BillingKeyView, OrderResponse, OrderView, SubscriptionView } from '../contract.js';
import { CheckoutError } from './errors.js';
import type { Order, StoredBillingKey, Subscription } from './model.js';

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

/** The complete answer for an order: its view (`view`, when taken already), or the flag's error every time it is asked. */
export function answerFor(order: Order, view: OrderView = orderView(order)): OrderResponse {
  if (order.status === 'FLAGGED' && order.flag) throw new CheckoutError(order.flag.code, order.flag.message);
  // The shop refused it before any money moved: its words for the shopper, every time it is asked.
  if (order.status === 'FAILED' && order.failure?.code === 'RESERVATION_REFUSED') {
    throw new CheckoutError('RESERVATION_REFUSED', order.failure.reason ?? 'the shop refused the reservation', order.failure.shopperMessage ? { shopperMessage: order.failure.shopperMessage } : {});
  }
  return { order: view };
}
