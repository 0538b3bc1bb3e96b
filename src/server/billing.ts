// Billing keys and subscriptions: prepare an issue, verify the key PortOne issued against it
// (GET /billing-keys/{key}: issued, same store, channel, customer), store it per customer, and for a
// plan charge the first period now and schedule each next one as the previous is paid.
import type { BillingKeyResponse, CheckoutCustomer, OrderResponse, PreparedBillingKey } from '../contract.js';
import { billingKeyView, newId, orderView, subscriptionView, type KitContext } from './context.js';
import { admit, identify, ownerOf } from './customers.js';
import { CheckoutError } from './errors.js';
import { readBillingKey, storedKey } from './keys.js';
import type { BillingKeyIssue, HookEvent, NewEvent, NewOrder, Order, StoredBillingKey, Subscription, SubscriptionStatus } from './model.js';
import { parseInterval, type BillingPlan } from './options.js';
import type { Outbox } from './outbox.js';
import { PortOneRejection, type BillingKeyCharge } from './portone.js';
import { answerFor } from './payments.js';
import { changeOrder, getOrderOrThrow, syncPayment, type Change } from './sync.js';
import * as validate from './validate.js';
import { maskKey, verifyBillingKey, type KnownBillingKeyInfo } from './verify.js';

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

function planOf(ctx: KitContext, id: string): BillingPlan {
  const plan = ctx.options.plans[id];
  if (!plan) throw new Error(`plan ${JSON.stringify(id)} is no longer in options.plans`);
  return plan;
}

function periodOrder(ctx: KitContext, subscription: Pick<Subscription, 'id' | 'plan' | 'customerId' | 'billingKey'>, plan: BillingPlan, dueAt: number): NewOrder {
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

export async function prepareBillingKey(ctx: KitContext, request: Request, body: Record<string, unknown>): Promise<PreparedBillingKey> {
  await admit(ctx, request, 'billing-key');
  const input = validate.prepareBillingKeyRequest(body, ctx.options.plans);
  const shopper = await identify(ctx, request, input.customer);
  const plan = input.plan !== undefined ? ctx.options.plans[input.plan] : undefined;
  const named = shopper.customer?.customerId;
  const issue = (input.previousIssueId !== undefined && (await updateIssue(ctx, input.previousIssueId, named, shopper.customer, input.plan))) || (await newIssue(ctx, named, shopper.customer, input.plan, plan));
  const answer: PreparedBillingKey = {
    issueId: issue.issueId,
    issueName: issue.issueName,
    customer: { ...issue.customer, customerId: issue.customerId },
    storeId: ctx.options.portone.storeId,
    customData: { issueId: issue.issueId },
  };
  if (ctx.options.channelKeys.billingKey) answer.channelKey = ctx.options.channelKeys.billingKey;
  if (plan) {
    answer.displayAmount = plan.amount;
    answer.currency = plan.currency;
    answer.offerPeriodInterval = plan.interval;
  }
  if (ctx.options.noticeUrls.length > 0) answer.noticeUrls = [...ctx.options.noticeUrls];
  return answer;
}

async function newIssue(ctx: KitContext, named: string | undefined, details: CheckoutCustomer | undefined, planId: string | undefined, plan: BillingPlan | undefined): Promise<BillingKeyIssue> {
  // A billing key is always a customer's; the kit assigns an id when nobody named one.
  const customerId = named ?? newId('cus');
  const issue: BillingKeyIssue = {
    issueId: newId('iss'),
    issueName: plan?.name ?? ctx.options.billingKeyIssueName,
    customerId,
    customer: { ...details, customerId },
    status: 'PENDING',
    createdAt: ctx.options.now(),
  };
  if (named === undefined) issue.customerIdAssigned = true;
  if (planId !== undefined) issue.plan = planId;
  await ctx.store.createIssue(issue);
  return issue;
}

/**
 * The element's previous issue, with the shopper's new details, when it is still PENDING, for the
 * same customer and the same plan. Only names, phone and e-mail change — what a key is checked
 * against (store, channel, customer id, issue id) stays — so a window already open for it is
 * unaffected. Anything else answers `undefined` and a new issue is prepared.
 */
async function updateIssue(ctx: KitContext, issueId: string, named: string | undefined, details: CheckoutCustomer | undefined, planId: string | undefined): Promise<BillingKeyIssue | undefined> {
  const previous = await ctx.store.getIssue(issueId);
  if (!previous || previous.status !== 'PENDING' || previous.plan !== planId || ownerOf(previous) !== named) return undefined;
  const customer = { ...details, customerId: previous.customerId };
  const updated = await ctx.store.updatePendingIssue({ issueId, customerId: previous.customerId, ...(planId !== undefined ? { plan: planId } : {}), customer });
  return updated ? { ...previous, customer } : undefined;
}

async function billingKeyAnswer(ctx: KitContext, issue: BillingKeyIssue): Promise<BillingKeyResponse> {
  const key = await ctx.store.getBillingKey(issue.billingKey!);
  if (!key) throw new Error(`billing key of issue ${issue.issueId} is missing from the store`);
  const answer: BillingKeyResponse = { billingKey: billingKeyView(key) };
  const subscription = issue.subscriptionId ? await ctx.store.getSubscription(issue.subscriptionId) : undefined;
  if (subscription) answer.subscription = subscriptionView(subscription);
  const order = issue.paymentId ? await ctx.store.getOrder(issue.paymentId) : undefined;
  if (order) answer.order = orderView(order);
  return answer;
}

/**
 * Verifies and stores a billing key for the issue it was prepared for; with a plan, starts the
 * subscription and charges its first period. The route and the `BillingKey.Issued` webhook both
 * come here; whichever is first does it, the other gets the same answer.
 */
export async function completeBillingKey(ctx: KitContext, outbox: Outbox, input: { billingKey: string; issueId?: string }): Promise<BillingKeyResponse> {
  const info = await readBillingKey(ctx, input.billingKey);
  const reported = info.issueId ?? issueIdOf(info.customData);
  if (input.issueId !== undefined && reported !== undefined && input.issueId !== reported) {
    throw new CheckoutError('BILLING_KEY_MISMATCH', `billing key ${maskKey(input.billingKey)}: issueId expected ${JSON.stringify(input.issueId)}, got ${JSON.stringify(reported)}`);
  }
  const issueId = input.issueId ?? reported;
  if (issueId === undefined) {
    throw new CheckoutError('BILLING_KEY_MISMATCH', `billing key ${maskKey(input.billingKey)}: expected one issued for an issueId this shop prepared, got one without an issueId`);
  }
  const issue = await ctx.store.getIssue(issueId);
  if (!issue) throw new CheckoutError('ISSUE_NOT_FOUND', `issueId: expected one prepared by this shop, got ${JSON.stringify(issueId)} which it does not know`);
  const replay = async (current: BillingKeyIssue) => {
    if (current.billingKey !== input.billingKey) {
      throw new CheckoutError('ISSUE_ALREADY_COMPLETED', `issue ${issueId}: expected to be completed once, got a second billing key ${maskKey(input.billingKey)} after ${maskKey(current.billingKey ?? '')}`);
    }
    // The first charge may have been left to a retry: let this request push it along.
    if (current.subscriptionId) await outbox.run([`charge-first-period:${current.subscriptionId}`]);
    return billingKeyAnswer(ctx, (await ctx.store.getIssue(issueId)) ?? current);
  };
  if (issue.status === 'COMPLETED') return replay(issue);

  const verdict = verifyBillingKey(info, {
    storeId: ctx.options.portone.storeId,
    customerId: issue.customerId,
    issueId,
    allowTestChannels: ctx.options.allowTestChannels,
    ...(ctx.options.channelKeys.billingKey ? { channelKey: ctx.options.channelKeys.billingKey } : {}),
  });
  if (!verdict.ok) throw new CheckoutError(verdict.code, verdict.message);

  const now = ctx.options.now();
  const key = storedKey(info, issue.customerId, now, issueId);
  const events: NewEvent[] = [{ key: `billing-key-issued:${info.billingKey}`, type: 'billing-key-issued', payload: { billingKey: info.billingKey } }];
  let subscription: Subscription | undefined;
  let firstOrder: NewOrder | undefined;
  if (issue.plan !== undefined) {
    const plan = planOf(ctx, issue.plan);
    subscription = {
      id: newId('sub'),
      customerId: issue.customerId,
      plan: issue.plan,
      billingKey: info.billingKey,
      status: 'INCOMPLETE',
      amount: plan.amount,
      currency: plan.currency,
      nextChargeAt: now,
      paidPeriods: 0,
      createdAt: now,
      updatedAt: now,
    };
    firstOrder = periodOrder(ctx, subscription, plan, now);
    subscription.nextPaymentId = firstOrder.paymentId;
    events.push({ key: `charge-first-period:${subscription.id}`, type: 'charge-first-period', paymentId: firstOrder.paymentId, payload: { subscriptionId: subscription.id } });
  }
  const won = await ctx.store.completeIssue({
    issueId,
    customerId: issue.customerId,
    ...(issue.plan !== undefined ? { plan: issue.plan } : {}),
    billingKey: info.billingKey,
    key,
    events,
    now,
    ...(subscription ? { subscription } : {}),
    ...(firstOrder ? { firstOrder } : {}),
  });
  if (!won) return replay((await ctx.store.getIssue(issueId)) ?? issue);
  await outbox.run(events.map((e) => e.key));
  return billingKeyAnswer(ctx, (await ctx.store.getIssue(issueId)) ?? issue);
}

const issueIdOf = (customData: string | undefined): string | undefined => {
  if (typeof customData !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(customData);
    const id = (parsed as { issueId?: unknown } | null)?.issueId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
};

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
  if (order.billingKey !== undefined && order.billingKey !== input.billingKey) {
    throw new CheckoutError('BILLING_KEY_MISMATCH', `billingKey: expected ${maskKey(order.billingKey)}, the key already tied to payment ${order.paymentId}, got ${maskKey(input.billingKey)}`);
  }
  const info = await readBillingKey(ctx, input.billingKey);
  const verdict = verifyBillingKey(info, {
    storeId: ctx.options.portone.storeId,
    customerId,
    allowTestChannels: ctx.options.allowTestChannels,
    ...(ctx.options.channelKeys.billingKeyAndPay ? { channelKey: ctx.options.channelKeys.billingKeyAndPay } : {}),
  });
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
  const answer = answerFor(synced);
  const key = synced.billingKey !== undefined ? await ctx.store.getBillingKey(synced.billingKey) : undefined;
  if (key) answer.billingKey = billingKeyView(key);
  const subscription = order.subscriptionId ? await ctx.store.getSubscription(order.subscriptionId) : undefined;
  if (subscription) answer.subscription = subscriptionView(subscription);
  return answer;
}

// ---- Outbox handlers -------------------------------------------------------------------------

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

/** `BillingKey.*` webhooks: re-read the key and record what PortOne says; an issued key finishes its pending issue. */
export async function syncBillingKey(ctx: KitContext, outbox: Outbox, billingKey: string, type: string): Promise<'processed' | 'ignored'> {
  if (type === 'BillingKey.Issued') {
    const stored = await ctx.store.getBillingKey(billingKey);
    if (stored) return 'processed';
    try {
      await completeBillingKey(ctx, outbox, { billingKey });
      return 'processed';
    } catch (error) {
      // Not one of this shop's issues (or not yet verifiable): nothing to record.
      if (error instanceof CheckoutError && error.status < 500) return 'ignored';
      throw error;
    }
  }
  if (type === 'BillingKey.Deleted' || type === 'BillingKey.Updated') {
    const stored = await ctx.store.getBillingKey(billingKey);
    if (!stored) return 'ignored';
    let info: KnownBillingKeyInfo;
    try {
      info = await readBillingKey(ctx, billingKey);
    } catch (error) {
      if (error instanceof CheckoutError && error.code === 'BILLING_KEY_NOT_FOUND') return 'ignored';
      throw error;
    }
    const now = ctx.options.now();
    const updated: StoredBillingKey = { ...stored, status: info.status === 'DELETED' ? 'DELETED' : 'ISSUED', updatedAt: now };
    if (info.status === 'DELETED') updated.deletedAt = info.deletedAt;
    await ctx.store.saveBillingKey(updated, [], now);
    if (info.status === 'DELETED') {
      for (const subscription of await ctx.store.listSubscriptions({ billingKey, statuses: ['INCOMPLETE', 'ACTIVE', 'PAST_DUE'] })) {
        ctx.log.warn(`billing key of subscription ${subscription.id} was deleted; the subscription is cancelled`);
        await cancelSubscription(ctx, subscription.id).catch((error: unknown) => ctx.log.error(`could not cancel subscription ${subscription.id}`, { error: error instanceof Error ? error : String(error) }));
      }
    }
    return 'processed';
  }
  return 'ignored';
}
