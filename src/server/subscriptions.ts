// Subscriptions: a plan's calendar, the orders of its periods, and the follow-ups that charge them —
// the first period at once, each next one scheduled with PortOne as the previous is paid — until the
// shop or a deleted billing key ends it. Every change of a period's order goes through the sync.
import type { KitContext, OrderFlow } from './context.js';
import { CheckoutError } from './errors.js';
import { newId } from './ids.js';
import type { HookEvent, NewEvent, NewOrder, Order, Subscription, SubscriptionStatus } from './model.js';
import type { BillingPlan } from './options.js';
import { parseInterval } from './resolve-options.js';
import { changeOrder, type Change } from './orders.js';
import { PortOneRejection, type BillingKeyCharge } from './portone.js';
import { syncPayment } from './sync.js';

/** A subscription that may still charge. */
const LIVE: readonly SubscriptionStatus[] = ['INCOMPLETE', 'ACTIVE', 'PAST_DUE'];

/** Korea has one offset and no daylight saving: periods follow the shopper's calendar (KST). */
const KST_MS = 9 * 3_600_000;

/** `at` plus `times` intervals, in calendar months/years where asked (31 Jan + 1m = 28/29 Feb), in KST. */
export function addInterval(at: number, interval: string, times = 1): number {
  const parsed = parseInterval(interval);
  if (!parsed) throw new Error(`interval: expected like "1m", got ${JSON.stringify(interval)}`);
  if (parsed.unit === 'd') return at + parsed.count * times * 86_400_000;
  const local = new Date(at + KST_MS);
  const months = parsed.count * times * (parsed.unit === 'y' ? 12 : 1);
  const first = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  const target = Date.UTC(
    first.getUTCFullYear(),
    first.getUTCMonth(),
    Math.min(local.getUTCDate(), lastDay),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return target - KST_MS;
}

export function planOf(ctx: KitContext, id: string): BillingPlan {
  const plan = ctx.options.plans[id];
  if (!plan) throw new Error(`plan ${JSON.stringify(id)} is no longer in options.plans`);
  return plan;
}

export function periodOrder(ctx: KitContext, subscription: Pick<Subscription, 'id' | 'plan' | 'customerId' | 'billingKey'>, plan: BillingPlan, dueAt: number): NewOrder {
  return {
    paymentId: newId('pay'),
    orderId: newId('ord'),
    kind: 'subscription',
    orderName: plan.name,
    totalAmount: plan.amount,
    currency: plan.currency,
    lines: [{ id: subscription.plan, name: plan.name, quantity: 1, unitAmount: plan.amount, amount: plan.amount }],
    customer: { customerId: subscription.customerId },
    plan: subscription.plan,
    subscriptionId: subscription.id,
    billingKey: subscription.billingKey,
    dueAt,
    createdAt: ctx.options.now(),
  };
}

async function chargeFor(ctx: KitContext, order: Order, billingKey: string, customerId: string): Promise<BillingKeyCharge> {
  const key = await ctx.store.getBillingKey(billingKey);
  const charge: BillingKeyCharge = {
    paymentId: order.paymentId,
    billingKey,
    orderName: order.orderName,
    amount: order.totalAmount,
    currency: order.currency,
    customerId,
    customData: JSON.stringify({ orderId: order.orderId }),
  };
  if (key?.channelKey) charge.channelKey = key.channelKey;
  if (order.taxFreeAmount) charge.taxFreeAmount = order.taxFreeAmount;
  if (ctx.options.noticeUrls.length > 0) charge.noticeUrls = [...ctx.options.noticeUrls];
  return charge;
}

/** A new subscription to `plan`, whose first period is `firstPaymentId`, charged from `startedAt`. */
export function newSubscription(fields: {
  id: string;
  customerId: string;
  planId: string;
  plan: BillingPlan;
  billingKey: string;
  firstPaymentId: string;
  startedAt: number;
  now: number;
}): Subscription {
  return {
    id: fields.id,
    customerId: fields.customerId,
    plan: fields.planId,
    billingKey: fields.billingKey,
    status: 'INCOMPLETE',
    amount: fields.plan.amount,
    currency: fields.plan.currency,
    nextPaymentId: fields.firstPaymentId,
    nextChargeAt: fields.startedAt,
    paidPeriods: 0,
    createdAt: fields.startedAt,
    updatedAt: fields.now,
  };
}

/** A period of `order`'s subscription was paid: create the next one (`advance-subscription`). */
export const advanceEvent = (order: Pick<Order, 'paymentId' | 'subscriptionId'>): NewEvent => ({
  key: `advance-subscription:${order.paymentId}`,
  type: 'advance-subscription',
  paymentId: order.paymentId,
  payload: { subscriptionId: order.subscriptionId },
});

/** A period's order, charged by the kit itself with the stored key: paid, the subscription moves on. */
export const subscriptionFlow: OrderFlow = {
  paid: async (_ctx, order, _payment, paid) => ({ ok: true, events: [paid, advanceEvent(order)] }),
};

/** `charge-first-period`: charges a new subscription's first period with its billing key. */
export async function chargeFirstPeriod(ctx: KitContext, event: HookEvent): Promise<readonly string[]> {
  const { subscriptionId } = event.payload as { subscriptionId: string };
  const subscription = await ctx.store.getSubscription(subscriptionId);
  const paymentId = event.paymentId!;
  const order = await ctx.store.getOrder(paymentId);
  if (!subscription || !order || subscription.status === 'CANCELLED' || order.status !== 'PENDING') return [];
  try {
    await ctx.portone.payWithBillingKey(await chargeFor(ctx, order, subscription.billingKey, subscription.customerId));
  } catch (error) {
    if (!(error instanceof PortOneRejection)) throw error;
    // ALREADY_PAID: an earlier attempt went through (its answer was lost); the sync below records it.
    if (error.type !== 'ALREADY_PAID') return declined(ctx, order, error);
  }
  const outcome = await syncPayment(ctx, paymentId);
  return outcome.events;
}

/** A charge PortOne refused: the order fails (from PortOne's record when it kept one), the subscription is past due. */
async function declined(ctx: KitContext, order: Order, rejection: PortOneRejection): Promise<readonly string[]> {
  try {
    const outcome = await syncPayment(ctx, order.paymentId);
    if (outcome.order.status !== 'PENDING') return outcome.events;
  } catch (error) {
    if (!(error instanceof CheckoutError && error.code === 'PAYMENT_NOT_FOUND')) throw error;
  }
  const failure = { reason: rejection.message, ...(rejection.pgCode ? { pgCode: rejection.pgCode } : {}), ...(rejection.pgMessage ? { pgMessage: rejection.pgMessage } : {}) };
  const outcome = await changeOrder(ctx, order.paymentId, (current): Change | undefined => {
    // PortOne has no payment for it: the refusal is the whole story, for an order still unpaid.
    if (current.status !== 'PENDING') return undefined;
    const events: NewEvent[] = [{ key: `failed:${current.paymentId}:charge`, type: 'failed', paymentId: current.paymentId, payload: {} }];
    if (current.subscriptionId) {
      events.push({ key: `subscription-payment-failed:${current.paymentId}`, type: 'subscription-payment-failed', paymentId: current.paymentId, payload: { subscriptionId: current.subscriptionId } });
    }
    return { to: 'FAILED', patch: { failure }, events };
  });
  return outcome.events;
}

/** `advance-subscription`: a period was paid; create the next period's order and schedule it. */
export async function advanceSubscription(ctx: KitContext, event: HookEvent): Promise<readonly string[]> {
  const { subscriptionId } = event.payload as { subscriptionId: string };
  const paidPaymentId = event.paymentId!;
  const subscription = await ctx.store.getSubscription(subscriptionId);
  // Created in the same transaction as the event: missing means the store lost it.
  if (!subscription) throw new Error(`subscription ${subscriptionId} of paid period ${paidPaymentId} does not exist`);
  if (subscription.status === 'CANCELLED' || subscription.nextPaymentId !== paidPaymentId) return [];
  const plan = planOf(ctx, subscription.plan);
  const paidPeriods = subscription.paidPeriods + 1;
  const dueAt = addInterval(subscription.createdAt, plan.interval, paidPeriods);
  const next = periodOrder(ctx, subscription, plan, dueAt);
  const schedule: NewEvent = { key: `schedule-period:${next.paymentId}`, type: 'schedule-period', paymentId: next.paymentId, payload: { subscriptionId } };
  const won = await ctx.store.updateSubscription({
    id: subscriptionId,
    patch: { status: 'ACTIVE', paidPeriods, nextPaymentId: next.paymentId, nextChargeAt: dueAt, scheduleId: null },
    expect: { nextPaymentId: paidPaymentId, statuses: LIVE },
    newOrder: next,
    events: [schedule],
    now: ctx.options.now(),
  });
  return won ? [schedule.key] : [];
}

/**
 * `schedule-period`: asks PortOne to charge the period's order at its due time. The schedule is
 * recorded only on a subscription that may still charge; one cancelled meanwhile gets it revoked.
 */
export async function schedulePeriod(ctx: KitContext, event: HookEvent): Promise<void> {
  const { subscriptionId } = event.payload as { subscriptionId: string };
  const paymentId = event.paymentId!;
  const subscription = await ctx.store.getSubscription(subscriptionId);
  const order = await ctx.store.getOrder(paymentId);
  if (!subscription || !order || subscription.nextPaymentId !== paymentId) return;
  if (subscription.status === 'CANCELLED') {
    // A retry after revoking failed: the schedule made while it was being cancelled is recorded.
    if (subscription.scheduleId) await revokeSchedule(ctx, subscription.scheduleId);
    return;
  }
  if (subscription.scheduleId || order.status !== 'PENDING') return;
  let scheduleId: string;
  try {
    ({ scheduleId } = await ctx.portone.schedule(
      await chargeFor(ctx, order, subscription.billingKey, subscription.customerId),
      new Date(order.dueAt ?? ctx.options.now()).toISOString(),
    ));
  } catch (error) {
    if (!(error instanceof PortOneRejection)) throw error;
    // An earlier attempt scheduled it and its answer was lost.
    if (error.type === 'PAYMENT_SCHEDULE_ALREADY_EXISTS' || error.type === 'ALREADY_PAID_OR_WAITING') return;
    // The key is gone or refused: nothing will charge this period.
    ctx.log.error(`could not schedule period ${paymentId} of subscription ${subscriptionId}: ${error.message}`);
    await ctx.store.updateSubscription({ id: subscriptionId, patch: { status: 'PAST_DUE' }, expect: { nextPaymentId: paymentId, statuses: LIVE }, now: ctx.options.now() });
    return;
  }
  const now = ctx.options.now();
  if (await ctx.store.updateSubscription({ id: subscriptionId, patch: { scheduleId }, expect: { nextPaymentId: paymentId, statuses: LIVE }, now })) return;
  // Cancelled while PortOne was scheduling (cancelSubscription found no schedule to revoke): recorded
  // on the cancelled subscription first, so a retry knows what to revoke, then revoked.
  if (await ctx.store.updateSubscription({ id: subscriptionId, patch: { scheduleId }, expect: { nextPaymentId: paymentId, statuses: ['CANCELLED'] }, now })) {
    ctx.log.info(`subscription ${subscriptionId} was cancelled while period ${paymentId} was being scheduled; revoking the schedule`);
    await revokeSchedule(ctx, scheduleId);
  }
}

/** Revokes one schedule; one already revoked, gone or charged is fine (a charge after cancelling is refunded by the sync). */
async function revokeSchedule(ctx: KitContext, scheduleId: string): Promise<void> {
  try {
    await ctx.portone.revokeSchedules({ scheduleIds: [scheduleId] });
  } catch (error) {
    const settled = ['PAYMENT_SCHEDULE_ALREADY_REVOKED', 'PAYMENT_SCHEDULE_NOT_FOUND', 'PAYMENT_SCHEDULE_ALREADY_PROCESSED'];
    if (!(error instanceof PortOneRejection && settled.includes(error.type))) throw error;
  }
}

/** `subscription-payment-failed`: the period's charge failed. */
export async function subscriptionPaymentFailed(ctx: KitContext, event: HookEvent): Promise<void> {
  const { subscriptionId } = event.payload as { subscriptionId: string };
  await ctx.store.updateSubscription({
    id: subscriptionId,
    // Nothing is scheduled after a failed period until the shop acts (a new card, a retry).
    patch: { status: 'PAST_DUE', nextChargeAt: null },
    expect: { nextPaymentId: event.paymentId!, statuses: ['INCOMPLETE', 'ACTIVE'] },
    now: ctx.options.now(),
  });
}

/**
 * Ends a subscription: marks it CANCELLED, closes the unpaid period's order, then revokes whatever
 * schedule is recorded by then. A schedule-period running at the same time either recorded its
 * schedule before (revoked here) or finds the subscription cancelled and revokes its own. Calling it
 * again retries a revoke PortOne could not take.
 */
export async function cancelSubscription(ctx: KitContext, id: string): Promise<Subscription> {
  const subscription = await ctx.store.getSubscription(id);
  if (!subscription) throw new CheckoutError('INVALID_REQUEST', `subscription: expected one of this shop's ids, got ${JSON.stringify(String(id))}`);
  const now = ctx.options.now();
  if (subscription.status !== 'CANCELLED') {
    await ctx.store.updateSubscription({ id, patch: { status: 'CANCELLED', nextChargeAt: null }, expect: { statuses: LIVE }, now });
    if (subscription.nextPaymentId) {
      // Closed only while nothing was paid for it; a charge that lands after is refunded by the sync.
      await changeOrder(ctx, subscription.nextPaymentId, (order) =>
        order.status === 'PENDING' ? { to: 'CANCELLED', patch: { failure: { reason: 'subscription cancelled' } } } : undefined,
      ).catch((error: unknown) => {
        if (!(error instanceof CheckoutError && error.code === 'ORDER_NOT_FOUND')) throw error;
      });
    }
  }
  const cancelled = (await ctx.store.getSubscription(id)) ?? subscription;
  if (cancelled.scheduleId) await revokeSchedule(ctx, cancelled.scheduleId);
  return cancelled;
}
