// The one sync function. Complete, webhooks, the redirect return (which posts to complete) and
// reconcile all call syncPayment: it re-reads the payment from PortOne, checks it against the order,
// and moves the order with a transition whose follow-up events are written in the same transaction.
// Every change of an order goes through changeOrder: decided on the order as read, written only onto
// that exact revision, decided again on the order as it then stands when something changed it first.
// Whatever arrives first or twice, each effect is enqueued once, and only for the order it checked.
import { isUnrecognizedPayment } from '@portone/server-sdk/payment';
import type { OrderStatus } from '../contract.js';
import type { KitContext } from './context.js';
import { CheckoutError } from './errors.js';
import { readBillingKey, storedKey } from './keys.js';
import type { HookEvent, NewEvent, Order, OrderPatch, StoredBillingKey, Subscription } from './model.js';
import { PortOneRejection } from './portone.js';
import {
  cancellationsOf,
  describe,
  failureOf,
  maskKey,
  payMethodOf,
  verifyBillingKey,
  verifyPayment,
  virtualAccountOf,
  type KnownBillingKeyInfo,
  type KnownPayment,
  type Verdict,
  type VerificationPolicy,
} from './verify.js';

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

export interface SyncOutcome extends ChangeOutcome {
  /** PortOne's payment as read, when it exists. */
  payment?: KnownPayment;
}

/** How many times a decision is made again on an order that keeps changing under it, before giving up (503: retry). */
const MAX_ROUNDS = 8;

const UNPAID: readonly OrderStatus[] = ['PENDING', 'VIRTUAL_ACCOUNT_ISSUED', 'FAILED'];

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
  options: { known?: Order | undefined; claim?: { claim: string; leaseUntil: number } | undefined } = {},
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

/** Reads PortOne's payment; a payment PortOne does not know is a 409, PortOne being down a 503. */
export async function readPayment(ctx: KitContext, paymentId: string): Promise<KnownPayment | undefined> {
  let payment;
  try {
    payment = await ctx.portone.getPayment(paymentId);
  } catch (error) {
    if (error instanceof PortOneRejection && error.type === 'PAYMENT_NOT_FOUND') {
      throw new CheckoutError(
        'PAYMENT_NOT_FOUND',
        `PortOne has no payment ${paymentId}: expected the payment window to have been completed first`,
      );
    }
    if (error instanceof PortOneRejection) throw new CheckoutError('PORTONE_REJECTED', error.message, { cause: error });
    throw error;
  }
  if (isUnrecognizedPayment(payment)) {
    ctx.log.warn(`PortOne returned payment ${paymentId} with a status this kit does not know; leaving the order as it is`);
    return undefined;
  }
  return payment;
}

/**
 * Re-reads the payment from PortOne and moves the order to match, through `changeOrder`: the
 * verdict is checked against the order it is written onto. `known`: the order the caller just read.
 */
export async function syncPayment(ctx: KitContext, paymentId: string, known?: Order, options: SyncOptions = {}): Promise<SyncOutcome> {
  const order = known ?? (await getOrderOrThrow(ctx, paymentId));
  const payment = await readPayment(ctx, paymentId);
  if (!payment) return { order, events: [], claimed: [], changed: false };
  // A billing key read once serves every round of the decision.
  let knownKey = options.knownKey;
  const readKey = async (billingKey: string): Promise<KnownBillingKeyInfo> => {
    if (knownKey?.billingKey !== billingKey) knownKey = await readBillingKey(ctx, billingKey);
    return knownKey;
  };
  const outcome = await changeOrder(ctx, paymentId, (current) => decide(ctx, current, payment, options, readKey), { known: order, claim: options.claim });
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
  claim?: { claim: string; leaseUntil: number };
}

/** The policy a payment for this order is checked against; the channel is the one configured for its flow. */
export function policyFor(ctx: KitContext, order: Pick<Order, 'kind'>): VerificationPolicy {
  const { channelKeys } = ctx.options;
  // Periods of a subscription are charged by the kit itself, on the channel the key was verified for.
  const channelKey = order.kind === 'payment' ? channelKeys.payment : order.kind === 'billing-key-and-pay' ? channelKeys.billingKeyAndPay : undefined;
  return { storeId: ctx.options.portone.storeId, allowTestChannels: ctx.options.allowTestChannels, acceptDiscounts: ctx.options.acceptDiscounts, channelKey };
}

/** The shop closed this order before PortOne charged it (a cancelled subscription's period): nothing was ever paid for it. */
const closedUnpaid = (order: Order): boolean => order.status === 'CANCELLED' && order.cancelledAmount === 0 && order.paidAt === undefined;

const chargedAfterClosing = (order: Order, payment: KnownPayment): Refusal => ({
  ok: false,
  code: 'ORDER_CANCELLED',
  mismatches: [{ field: 'status', expected: 'no payment', got: JSON.stringify(payment.status) }],
  message: `PortOne charged payment ${order.paymentId} for order ${order.orderId}, which the shop had cancelled${order.failure?.reason ? ` (${order.failure.reason})` : ''}: expected no payment, got ${payment.status}`,
});

type Refusal = Exclude<Verdict, { ok: true }>;

/** The change that makes the order match the payment, decided on this revision of the order; `undefined`: nothing to change. */
async function decide(
  ctx: KitContext,
  order: Order,
  payment: KnownPayment,
  options: SyncOptions,
  readKey: (billingKey: string) => Promise<KnownBillingKeyInfo>,
): Promise<Change | undefined> {
  const policy = policyFor(ctx, order);
  const paymentId = order.paymentId;
  const snapshot = { payment };
  const move = (from: readonly OrderStatus[], to: OrderStatus, patch: OrderPatch, events: readonly NewEvent[], extra: Pick<Change, 'billingKey' | 'subscription'> = {}): Change | undefined => {
    // Statuses only move forward: an order already past `from` has nothing to change.
    if (!from.includes(order.status)) return undefined;
    return { to, patch, events, ...extra, note: { level: 'info', message: `order ${order.orderId}: ${order.status} → ${to}`, fields: { paymentId, paymentStatus: payment.status } } };
  };
  const refuse = (verdict: Refusal, from: readonly OrderStatus[] = UNPAID): Change | undefined => flag(order, payment, verdict, from);
  /** Money was taken and matches the order: paid, with everything that goes with it in the same transition. */
  const pay = async (to: 'PAID' | 'PARTIAL_CANCELLED', patch: OrderPatch, later: NewEvent[]): Promise<Change | undefined> => {
    if (!UNPAID.includes(order.status)) return undefined;
    const events: NewEvent[] = [{ key: `paid:${paymentId}`, type: 'paid', paymentId, payload: { payment } }];
    if (order.kind !== 'billing-key-and-pay') {
      if (order.subscriptionId) events.push(advance(order));
      return move(UNPAID, to, patch, [...events, ...later]);
    }
    // Billing-key-and-pay: the key that paid is verified and stored, and a plan's subscription
    // created, in the same transition — whoever gets here (complete, a webhook, reconcile).
    const keyed = await keyedPayment(ctx, order, payment, readKey);
    if (!keyed.ok) return refuse(keyed);
    const issued: NewEvent = { key: `billing-key-issued:${keyed.key.billingKey}`, type: 'billing-key-issued', paymentId, payload: { billingKey: keyed.key.billingKey } };
    return move(UNPAID, to, { ...patch, billingKey: keyed.key.billingKey }, [issued, ...events, ...(keyed.subscription ? [advance(order)] : []), ...later], {
      billingKey: keyed.key,
      ...(keyed.subscription ? { subscription: keyed.subscription } : {}),
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
      // Paid and refunded before the kit saw it paid.
      if (payment.status === 'CANCELLED') return move(UNPAID, 'CANCELLED', { cancelledAmount }, []);
      const verdict = verifyPayment(order, payment, policy);
      if (!verdict.ok) return refuse(verdict);
      return pay('PARTIAL_CANCELLED', { ...paidPatch(payment), cancelledAmount }, cancellationEvents);
    }
  }
}

const advance = (order: Order): NewEvent => ({
  key: `advance-subscription:${order.paymentId}`,
  type: 'advance-subscription',
  paymentId: order.paymentId,
  payload: { subscriptionId: order.subscriptionId },
});

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
  const subscription: Subscription = {
    id: order.subscriptionId,
    customerId,
    plan: order.plan,
    billingKey: info.billingKey,
    status: 'INCOMPLETE',
    amount: plan.amount,
    currency: plan.currency,
    nextPaymentId: order.paymentId,
    nextChargeAt: order.createdAt,
    paidPeriods: 0,
    createdAt: order.createdAt,
    updatedAt: now,
  };
  return { ok: true, key, subscription };
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

/** A payment that does not match its order is never fulfilled: the order is flagged, money taken is refunded, an open virtual account closed. */
function flag(order: Order, payment: KnownPayment, verdict: Refusal, from: readonly OrderStatus[]): Change | undefined {
  if (!from.includes(order.status)) return undefined;
  return {
    to: 'FLAGGED',
    patch: { flag: { code: verdict.code, message: verdict.message } },
    events: settleEvents(order.paymentId, payment),
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
function settleFlagged(ctx: KitContext, order: Order, payment: KnownPayment): Change | undefined {
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
