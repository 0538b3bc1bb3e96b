// Billing-key-and-pay (KG Inicis's phone billing: a billing key and the first payment in one window):
// prepare prices the first payment (a plan's price, or the cart), complete verifies the key the
// browser reports and syncs the payment, and the flow's part of the sync verifies and stores the key
// that paid and starts the plan's subscription in the same transition as PAID.
import type { OrderResponse, PreparedBillingKeyAndPay } from '../contract.js';
import { approveOrder } from './approvals.js';
import type { KitContext, OrderFlow } from './context.js';
import { admit, identify, pricedCustomer } from './customers.js';
import { CheckoutError } from './errors.js';
import type { NewEvent, Order, StoredBillingKey, Subscription } from './model.js';
import type { Outbox } from './outbox.js';
import { getOrderOrThrow } from './orders.js';
import { approvalAnswer } from './payments.js';
import { cartOf, placeOrder, priceCart, priceContext, prepared, type Priced } from './prepare.js';
import { keyExpectation, readBillingKey, storedKey } from './reads.js';
import { advanceEvent, newSubscription } from './subscriptions.js';
import { syncPayment } from './sync.js';
import * as validate from './validate.js';
import { describe, maskKey, verifyBillingKey, type KnownBillingKeyInfo, type KnownPayment, type Refusal } from './verify.js';
import { answerFor, billingKeyView, subscriptionView } from './views.js';

export async function prepareBillingKeyAndPay(ctx: KitContext, request: Request, body: Record<string, unknown>): Promise<PreparedBillingKeyAndPay> {
  await admit(ctx, request, 'billing-key-and-pay');
  // With a plan there is no cart (validation refuses one): the first period is the plan's price.
  const input = validate.prepareBillingKeyAndPayRequest(body, ctx.options.plans);
  const shopper = await identify(ctx, request, input.customer);
  const plan = input.plan !== undefined ? ctx.options.plans[input.plan] : undefined;
  const priced: Priced =
    plan
      ? { orderName: plan.name, totalAmount: plan.amount, currency: plan.currency, lines: [{ id: input.plan!, name: plan.name, quantity: 1, unitAmount: plan.amount, amount: plan.amount }] }
      : await priceCart(ctx, cartOf('billing-key-and-pay', input, shopper, request), priceContext(request, shopper));
  const order = await placeOrder(ctx, {
    kind: 'billing-key-and-pay',
    priced,
    customer: pricedCustomer(priced.customer, shopper),
    payMethod: input.payMethod,
    reference: priced.reference ?? input.orderId,
    plan: input.plan,
    previousPaymentId: input.previousPaymentId,
  });
  const answer: PreparedBillingKeyAndPay = prepared(ctx, order, ctx.options.channelKeys.billingKeyAndPay);
  if (plan?.productType) answer.productType = plan.productType;
  if (plan) answer.offerPeriodInterval = plan.interval;
  return answer;
}


/**
 * Verifies the key the browser reports (as billing-keys/complete does), then syncs the payment: the
 * sync verifies the payment, and the key PortOne charged with it, stores that key and starts a
 * plan's subscription in the same transition — so a webhook or reconcile() finishes the same job
 * when this request never comes (the shopper closed the tab).
 */
export async function completeBillingKeyAndPay(ctx: KitContext, outbox: Outbox, body: Record<string, unknown>): Promise<OrderResponse> {
  const input = validate.completeBillingKeyAndPayRequest(body);
  const order = await getOrderOrThrow(ctx, input.paymentId);
  if (order.kind !== 'billing-key-and-pay') {
    throw new CheckoutError('INVALID_REQUEST', `paymentId: expected an order prepared at billing-key-and-pay/prepare, got one prepared for ${order.kind === 'payment' ? 'payments/prepare' : 'a subscription'}`);
  }
  const customerId = order.customer?.customerId;
  if (!customerId) throw new Error(`billing-key-and-pay order ${order.paymentId} has no customer id`);
  if (input.billingIssueToken !== undefined) {
    // A manual-approval window: the kit reserves, confirms the key and the first payment, then
    // verifies them as the sync verifies any (the key that paid is stored in the same transition).
    await approveOrder(ctx, outbox, order, input.billingIssueToken, 'billing-key-and-pay');
    return withKeyAndSubscription(ctx, approvalAnswer(await getOrderOrThrow(ctx, order.paymentId)), await getOrderOrThrow(ctx, order.paymentId));
  }
  if (order.billingKey !== undefined && order.billingKey !== input.billingKey) {
    throw new CheckoutError('BILLING_KEY_MISMATCH', `billingKey: expected ${maskKey(order.billingKey)}, the key already tied to payment ${order.paymentId}, got ${maskKey(input.billingKey)}`);
  }
  const info = await readBillingKey(ctx, input.billingKey);
  const verdict = verifyBillingKey(info, keyExpectation(ctx, 'billing-key-and-pay', customerId));
  if (!verdict.ok) throw new CheckoutError(verdict.code, verdict.message);

  const outcome = await syncPayment(ctx, order.paymentId, order, { knownKey: info });
  await outbox.run(outcome.events);
  const payment = outcome.payment;
  if (payment?.billingKey !== undefined && payment.billingKey !== input.billingKey) {
    throw new CheckoutError('BILLING_KEY_MISMATCH', `billingKey: expected ${maskKey(payment.billingKey)}, the key PortOne charged for payment ${order.paymentId}, got ${maskKey(input.billingKey)}`);
  }
  const synced = outcome.events.length > 0 ? ((await ctx.store.getOrder(order.paymentId)) ?? outcome.order) : outcome.order;
  if (payment?.status === 'READY' && synced.status === 'PENDING') {
    throw new CheckoutError('PAYMENT_NOT_COMPLETED', `payment ${order.paymentId}: expected PortOne to report it PAID or FAILED, got READY (the window was not finished)`);
  }
  // A flagged payment (refunded) answers its refusal; the key that paid it is not kept.
  return withKeyAndSubscription(ctx, answerFor(synced), synced);
}

/** The order's answer with the key that paid it and the subscription it started, when there are. */
async function withKeyAndSubscription(ctx: KitContext, answer: OrderResponse, order: Order): Promise<OrderResponse> {
  const key = order.billingKey !== undefined ? await ctx.store.getBillingKey(order.billingKey) : undefined;
  if (key) answer.billingKey = billingKeyView(key);
  const subscription = order.subscriptionId ? await ctx.store.getSubscription(order.subscriptionId) : undefined;
  if (subscription) answer.subscription = subscriptionView(subscription);
  return answer;
}

/**
 * Paid through the billing-key-and-pay window: the key that paid is verified like any key (issued,
 * this store, the order's customer, the configured channel) and stored, and a plan's subscription
 * started, in the same transition as PAID — whoever gets there (complete, a webhook, reconcile).
 * A key that does not verify makes the payment one the kit will not keep.
 */
export const billingKeyAndPayFlow: OrderFlow = {
  async paid(ctx, order, payment, paid, readKey) {
    const keyed = await keyedPayment(ctx, order, payment, readKey);
    if (!keyed.ok) return keyed;
    const issued: NewEvent = { key: `billing-key-issued:${keyed.key.billingKey}`, type: 'billing-key-issued', paymentId: order.paymentId, payload: { billingKey: keyed.key.billingKey } };
    return {
      ok: true,
      patch: { billingKey: keyed.key.billingKey },
      events: [issued, paid, ...(keyed.subscription ? [advanceEvent(order)] : [])],
      billingKey: keyed.key,
      ...(keyed.subscription ? { subscription: keyed.subscription } : {}),
    };
  },
};

type Keyed = { ok: true; key: StoredBillingKey; subscription?: Subscription } | Refusal;

/**
 * The billing key a billing-key-and-pay payment was made with, verified like any key (issued, this
 * store, the order's customer, the configured channel), and for a plan the subscription it starts.
 * A key that does not verify makes the payment one the kit will not keep.
 */
async function keyedPayment(ctx: KitContext, order: Order, payment: KnownPayment, readKey: (billingKey: string) => Promise<KnownBillingKeyInfo>): Promise<Keyed> {
  const customerId = order.customer?.customerId;
  const billingKey = payment.billingKey;
  if (billingKey === undefined || customerId === undefined) {
    const mismatch = { field: 'billingKey', expected: 'the key issued with the payment', got: 'nothing' };
    return { ok: false, code: 'BILLING_KEY_MISMATCH', mismatches: [mismatch], message: `payment ${order.paymentId}: expected PortOne to report the billing key issued with it, got none` };
  }
  let info: KnownBillingKeyInfo;
  try {
    info = await readKey(billingKey);
  } catch (error) {
    if (!(error instanceof CheckoutError && (error.code === 'BILLING_KEY_NOT_FOUND' || error.code === 'BILLING_KEY_NOT_ISSUED'))) throw error;
    const code = error.code === 'BILLING_KEY_NOT_FOUND' ? 'BILLING_KEY_MISMATCH' : 'BILLING_KEY_NOT_ISSUED';
    return { ok: false, code, mismatches: [{ field: 'billingKey', expected: 'a key PortOne issued', got: maskKey(billingKey) }], message: `payment ${order.paymentId}: ${error.message}` };
  }
  const verdict = verifyBillingKey(info, {
    storeId: ctx.options.portone.storeId,
    customerId,
    allowTestChannels: ctx.options.allowTestChannels,
    ...(ctx.options.channelKeys.billingKeyAndPay ? { channelKey: ctx.options.channelKeys.billingKeyAndPay } : {}),
  });
  if (!verdict.ok) return verdict;
  const now = ctx.options.now();
  const key = storedKey(info, customerId, now);
  if (order.plan === undefined || order.subscriptionId === undefined) return { ok: true, key };
  const plan = ctx.options.plans[order.plan];
  if (!plan) throw new Error(`plan ${JSON.stringify(order.plan)} of order ${order.paymentId} is no longer in options.plans`);
  if (plan.amount !== order.totalAmount || plan.currency !== order.currency) {
    // The first period is the plan's price, nothing else (an order priced otherwise never starts one).
    const mismatch = { field: 'amount.total', expected: `${plan.amount} ${plan.currency} (plan ${order.plan})`, got: `${order.totalAmount} ${order.currency}` };
    return { ok: false, code: 'PAYMENT_MISMATCH', mismatches: [mismatch], message: `order ${order.paymentId} was not priced at its plan: ${describe([mismatch])}` };
  }
  const subscription = newSubscription({
    id: order.subscriptionId,
    customerId,
    planId: order.plan,
    plan,
    billingKey: info.billingKey,
    firstPaymentId: order.paymentId,
    startedAt: order.createdAt,
    now,
  });
  return { ok: true, key, subscription };
}
