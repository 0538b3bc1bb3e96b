// Payment flows: prepare (price the cart on the server, create the order, pre-register the amount),
// complete (the one sync, then the answer the element shows), the shopper's order view, refunds and
// reconciliation of orders a lost webhook left behind.
import type { CheckoutCustomer, OrderResponse, OrderView, PreparedBillingKeyAndPay, PreparedPayment } from '../contract.js';
import { billingKeyView, newId, orderView, orderViewWithLines, subscriptionView, type KitContext } from './context.js';
import { admit, identify, ownerOf, pricedCustomer, type Shopper } from './customers.js';
import { CheckoutError } from './errors.js';
import type { NewOrder, Order, OrderKind } from './model.js';
import { checkPricedOrder, type Cart, type PriceContext } from './options.js';
import { isShopHook, type Outbox } from './outbox.js';
import { PortOneRejection, type RefundAccount } from './portone.js';
import { getOrderOrThrow, readPayment, refundFlagged, syncPayment } from './sync.js';
import * as validate from './validate.js';

/** Asks the shop's priceOrder for the price; its 4xx CheckoutErrors pass through, anything else is the shop's bug. */
export async function priceCart(ctx: KitContext, cart: Cart, context: PriceContext): Promise<Priced> {
  let priced: unknown;
  try {
    priced = await ctx.options.priceOrder(cart, context);
  } catch (error) {
    if (error instanceof CheckoutError) throw error;
    ctx.log.error('priceOrder threw; answer it with badCart(message) to refuse a cart', { error: error instanceof Error ? error : String(error) });
    throw new CheckoutError('SHOP_CONFIGURATION', 'the shop could not price this cart (priceOrder failed); see the server log');
  }
  try {
    return checkPricedOrder(priced);
  } catch (error) {
    ctx.log.error((error as Error).message);
    throw new CheckoutError('SHOP_CONFIGURATION', 'the shop priced this cart in a way the kit cannot charge; see the server log');
  }
}

/** Registers the amount with PortOne so a tampered amount fails at the PG, not only at complete. */
async function preRegister(ctx: KitContext, order: Pick<Order, 'paymentId' | 'totalAmount' | 'currency' | 'taxFreeAmount'>): Promise<void> {
  if (!ctx.options.preRegister) return;
  try {
    await ctx.portone.preRegister({
      paymentId: order.paymentId,
      totalAmount: order.totalAmount,
      currency: order.currency,
      ...(order.taxFreeAmount ? { taxFreeAmount: order.taxFreeAmount } : {}),
    });
  } catch (error) {
    if (error instanceof PortOneRejection) throw new CheckoutError('PORTONE_REJECTED', error.message, { cause: error });
    throw error;
  }
}

export async function preparePayment(ctx: KitContext, request: Request, body: Record<string, unknown>): Promise<PreparedPayment> {
  await admit(ctx, request, 'payment');
  const input = validate.prepareRequest(body);
  const shopper = await identify(ctx, request, input.customer);
  const priced = await priceCart(ctx, cartOf('payment', input, shopper, request), priceContext(request, shopper));
  const order = await placeOrder(ctx, {
    kind: 'payment',
    priced,
    customer: pricedCustomer(priced.customer, shopper),
    payMethod: input.payMethod,
    reference: priced.reference ?? input.orderId,
    previousPaymentId: input.previousPaymentId,
  });
  return prepared(ctx, order, ctx.options.channelKeys.payment);
}

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

type Priced = ReturnType<typeof checkPricedOrder>;

const priceContext = (request: Request, shopper: Shopper): PriceContext => ({ request, ...(shopper.identified ? { customer: shopper.identified } : {}) });

/** What `priceOrder` gets: the browser's cart with the customer as the kit decided it. */
function cartOf(
  flow: Cart['flow'],
  input: { items?: Cart['items']; orderId?: string | undefined; payMethod?: string | undefined; plan?: string | undefined },
  shopper: Shopper,
  request: Request,
): Cart {
  return {
    flow,
    ...(input.items ? { items: input.items } : {}),
    ...(input.orderId !== undefined ? { orderId: input.orderId } : {}),
    ...(shopper.customer ? { customer: shopper.customer } : {}),
    ...(input.payMethod ? { payMethod: input.payMethod } : {}),
    ...(input.plan !== undefined ? { plan: input.plan } : {}),
    request,
  };
}

/** A priced prepare, before it becomes an order. */
interface Draft {
  kind: 'payment' | 'billing-key-and-pay';
  priced: Priced;
  /** As the shop or the browser named the customer; the kit adds an id for a billing key when nobody named one. */
  customer: CheckoutCustomer | undefined;
  payMethod: string | undefined;
  reference: string | undefined;
  plan?: string | undefined;
  previousPaymentId: string | undefined;
}

/**
 * The order for a prepare. An order's price never changes once made: PortOne may hold a payment for
 * its id as soon as the browser has it, so a changed cart always gets a new order (the one before is
 * left as it is, for a window that may still be paying it, and pruned when abandoned). Only a
 * re-prepare priced exactly as the element's previous order — same flow, plan, customer, lines,
 * amounts and details, still PENDING and never seen started — answers that order again, unchanged.
 */
async function placeOrder(ctx: KitContext, draft: Draft): Promise<Order | NewOrder> {
  const assignId = draft.kind === 'billing-key-and-pay' && draft.customer?.customerId === undefined;
  const order = newOrder(ctx, draft.kind, draft.priced, {
    // The billing key is tied to a customer id; the kit assigns one when nobody named one.
    customer: assignId ? { ...draft.customer, customerId: newId('cus') } : draft.customer,
    customerIdAssigned: assignId ? true : undefined,
    payMethod: draft.payMethod,
    reference: draft.reference,
    plan: draft.plan,
    subscriptionId: draft.plan !== undefined ? newId('sub') : undefined,
  });
  if (draft.previousPaymentId !== undefined) {
    const previous = await ctx.store.getOrder(draft.previousPaymentId);
    if (previous && samePrepare(previous, order, draft)) return previous;
  }
  await preRegister(ctx, order);
  await ctx.store.createOrder(order);
  return order;
}

/** Whether `previous` is what this prepare would create, for the same customer, and still untouched. */
function samePrepare(previous: Order, next: NewOrder, draft: Draft): boolean {
  if (previous.kind !== next.kind || previous.status !== 'PENDING' || previous.startedAt !== undefined || previous.plan !== next.plan) return false;
  if (ownerOf({ customerId: previous.customer?.customerId, customerIdAssigned: previous.customerIdAssigned }) !== draft.customer?.customerId) return false;
  // A kit-assigned customer id is the previous order's own; everything else must be the same.
  const customerOf = (order: Order | NewOrder) => (order.customerIdAssigned ? { ...order.customer, customerId: undefined } : order.customer);
  return priceKey(previous, customerOf(previous)) === priceKey(next, customerOf(next));
}

/** Everything a prepare decides about an order, as one comparable string. */
const priceKey = (order: Order | NewOrder, customer: Order['customer']): string =>
  JSON.stringify([
    order.orderName,
    order.totalAmount,
    order.currency,
    order.taxFreeAmount,
    order.vatAmount,
    order.lines.map((l) => [l.id, l.name, l.quantity, l.unitAmount, l.amount]),
    customer && Object.entries(customer).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)),
    order.reference,
    order.payMethod,
  ]);

function newOrder(
  ctx: KitContext,
  kind: OrderKind,
  priced: Priced,
  extra: {
    customer?: Order['customer'] | undefined;
    customerIdAssigned?: true | undefined;
    payMethod?: string | undefined;
    reference?: string | undefined;
    plan?: string | undefined;
    subscriptionId?: string | undefined;
  },
): NewOrder {
  const order: NewOrder = {
    paymentId: newId('pay'),
    orderId: newId('ord'),
    kind,
    orderName: priced.orderName,
    totalAmount: priced.totalAmount,
    currency: priced.currency,
    lines: priced.lines ?? [],
    createdAt: ctx.options.now(),
  };
  if (priced.taxFreeAmount !== undefined) order.taxFreeAmount = priced.taxFreeAmount;
  if (priced.vatAmount !== undefined) order.vatAmount = priced.vatAmount;
  for (const key of ['customer', 'customerIdAssigned', 'payMethod', 'reference', 'plan', 'subscriptionId'] as const) {
    if (extra[key] !== undefined) (order as unknown as Record<string, unknown>)[key] = extra[key];
  }
  return order;
}

function prepared(ctx: KitContext, order: Order | NewOrder, channelKey: string | undefined): PreparedPayment {
  const answer: PreparedPayment = {
    paymentId: order.paymentId,
    orderName: order.orderName,
    totalAmount: order.totalAmount,
    currency: order.currency,
    storeId: ctx.options.portone.storeId,
    customData: { orderId: order.orderId },
  };
  if (order.taxFreeAmount !== undefined) answer.taxFreeAmount = order.taxFreeAmount;
  if (order.vatAmount !== undefined) answer.vatAmount = order.vatAmount;
  if (order.customer) answer.customer = { ...order.customer };
  if (channelKey) answer.channelKey = channelKey;
  if (ctx.options.noticeUrls.length > 0) answer.noticeUrls = [...ctx.options.noticeUrls];
  return answer;
}

/** The complete answer for an order: its view (`view`, when taken already), or the flag's error every time it is asked. */
export function answerFor(order: Order, view: OrderView = orderView(order)): OrderResponse {
  if (order.status === 'FLAGGED' && order.flag) throw new CheckoutError(order.flag.code, order.flag.message);
  return { order: view };
}

export async function completePayment(ctx: KitContext, outbox: Outbox, body: Record<string, unknown>): Promise<OrderResponse> {
  const input = validate.completePaymentRequest(body);
  // An unknown paymentId is refused before PortOne is asked anything.
  const outcome = await syncPayment(ctx, input.paymentId, undefined, { claim: outbox.newClaim() });
  let order = outcome.order;
  // Seen before the hooks run: a hook that changes the object it is given does not change the answer.
  let view = orderView(order);
  if (outcome.events.length > 0) {
    const calls = ctx.apiCalls;
    await outbox.run(outcome.events, outcome.claimed, outcome.order);
    // The order as this request's change left it, unless something that may have changed it ran
    // since: the kit's own follow-ups, events another request ran, a hook calling cancel() or such.
    const hooksOnly = outcome.claimed.length === outcome.events.length && outcome.claimed.every(isShopHook) && ctx.apiCalls === calls;
    if (!hooksOnly) {
      order = (await ctx.store.getOrder(input.paymentId)) ?? order;
      view = orderView(order);
    }
  }
  if (outcome.payment?.status === 'READY' && order.status === 'PENDING') {
    throw new CheckoutError('PAYMENT_NOT_COMPLETED', `payment ${input.paymentId}: expected PortOne to report it PAID, VIRTUAL_ACCOUNT_ISSUED or FAILED, got READY (the window was not finished)`);
  }
  return answerFor(order, view);
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

export interface ReconcileOptions {
  /** Only orders unchanged for this long, ms. Default `options.reconcileAfterMs`. */
  olderThanMs?: number;
  /**
   * A PENDING order idle longer than this is an abandoned cart, not a lost webhook: no longer
   * re-checked. Default one day (a payment window finishes in minutes; reconcile runs more often).
   * Virtual accounts are re-checked until they are paid or expire, whatever their age.
   */
  pendingMaxAgeMs?: number;
  /** At most this many PENDING and this many VIRTUAL_ACCOUNT_ISSUED orders per run. Default 1000. */
  limit?: number;
}

export interface ReconcileReport {
  checked: number;
  /** Orders whose status changed. */
  updated: number;
  /** PortOne has no payment for them yet (abandoned windows). */
  notStarted: number;
  /** Flagged payments refunded in this run. */
  refunded: number;
  /** Could not be checked (PortOne unavailable…): run again later. */
  failed: { paymentId: string; code: string; message: string }[];
  /** Flagged payments PortOne would not refund automatically (a deposit needs the shopper's bank account): finish them with `cancel()`. */
  manualRefunds: { paymentId: string; reason: string }[];
  /** The kit's own follow-ups (charging, scheduling, advancing a subscription) that had given up, given another round. */
  revived: number;
  /** Due hook and follow-up events run. */
  eventsRun: number;
}

/** Where the previous run stopped, per status, so the next one goes on from there (one per kit instance). */
export interface ReconcileState {
  after: Partial<Record<'PENDING' | 'VIRTUAL_ACCOUNT_ISSUED', { activity: number; paymentId: string }>>;
}

/** An order checked and found unchanged is asked about again after at most this long. */
const MAX_RECHECK_MS = 60 * 60_000;
/** How long reconcile() runs due events before returning (each run of one is bounded by hookTimeoutMs). */
const RECONCILE_EVENTS_BUDGET_MS = 10_000;
/** Follow-ups of the kit's own whose giving up would leave a subscription stuck. */
const REVIVED_EVENTS = ['charge-first-period', 'advance-subscription', 'schedule-period', 'subscription-payment-failed'] as const;

/**
 * Re-syncs orders left PENDING or VIRTUAL_ACCOUNT_ISSUED (a lost webhook), refunds flagged payments
 * still held, revives the kit's own follow-ups that gave up, and runs due events for a while.
 * Orders are taken oldest activity first, each run going on where the last stopped; one found
 * unchanged is skipped for a while (longer the longer it was idle), so abandoned carts never crowd
 * out a lost payment.
 */
export async function reconcile(ctx: KitContext, outbox: Outbox, state: ReconcileState, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const now = ctx.options.now();
  const cutoff = now - (options.olderThanMs ?? ctx.options.reconcileAfterMs);
  const limit = options.limit ?? 1000;
  const report: ReconcileReport = { checked: 0, updated: 0, notStarted: 0, refunded: 0, failed: [], manualRefunds: [], revived: 0, eventsRun: 0 };
  // Activity is an order's due time when it has one: a scheduled period is not late before it is due.
  const windows = [
    { status: 'PENDING' as const, activeFrom: now - (options.pendingMaxAgeMs ?? 24 * 3_600_000) },
    { status: 'VIRTUAL_ACCOUNT_ISSUED' as const, activeFrom: 0 },
  ];
  const stale: Order[] = [];
  for (const { status, activeFrom } of windows) {
    const query = { status, activeFrom, activeTo: cutoff + 1, now, maxRecheckMs: MAX_RECHECK_MS, limit };
    const after = state.after[status];
    let batch = await ctx.store.listOrdersToReconcile({ ...query, ...(after ? { after } : {}) });
    if (after && batch.length < limit) {
      // The end was reached: start over from the oldest for the rest of this run.
      const seen = new Set(batch.map((o) => o.paymentId));
      const again = await ctx.store.listOrdersToReconcile({ ...query, limit: limit - batch.length });
      batch = [...batch, ...again.filter((o) => !seen.has(o.paymentId))];
    }
    const last = batch.at(-1);
    if (batch.length === limit && last) state.after[status] = { activity: last.dueAt ?? last.updatedAt, paymentId: last.paymentId };
    else delete state.after[status];
    stale.push(...batch);
  }
  const flagged = (await ctx.store.listOrders({ statuses: ['FLAGGED'], limit })).filter((order) => order.flag && order.flag.refundedAt === undefined);

  const failure = (paymentId: string, error: unknown) => {
    const e = error instanceof CheckoutError ? error : new CheckoutError('INTERNAL_ERROR', error instanceof Error ? error.message : String(error));
    report.failed.push({ paymentId, code: e.code, message: ctx.redact(e.message) });
  };
  for (const order of stale) {
    report.checked++;
    try {
      const outcome = await syncPayment(ctx, order.paymentId, undefined, { noteStarted: true, claim: outbox.newClaim() });
      await outbox.run(outcome.events, outcome.claimed, outcome.order);
      if (outcome.order.status !== order.status) report.updated++;
      else await ctx.store.noteChecked(order.paymentId, now);
    } catch (error) {
      if (error instanceof CheckoutError && error.code === 'PAYMENT_NOT_FOUND') {
        report.notStarted++;
        await ctx.store.noteChecked(order.paymentId, now);
      } else {
        failure(order.paymentId, error);
      }
    }
  }
  for (const order of flagged) {
    if (order.flag?.refundError !== undefined) {
      report.manualRefunds.push({ paymentId: order.paymentId, reason: order.flag.refundError });
      continue;
    }
    report.checked++;
    try {
      await refundFlagged(ctx, order.paymentId);
      const after = await ctx.store.getOrder(order.paymentId);
      if (after?.flag?.refundedAt !== undefined) report.refunded++;
      else if (after?.flag?.refundError !== undefined) report.manualRefunds.push({ paymentId: order.paymentId, reason: after.flag.refundError });
    } catch (error) {
      failure(order.paymentId, error);
    }
  }
  report.revived = await ctx.store.reviveEvents({ types: REVIVED_EVENTS, now });
  if (report.revived > 0) ctx.log.warn(`reconcile: ${report.revived} follow-ups that had given up get another round of attempts`);
  report.eventsRun = await outbox.runDue({ budgetMs: RECONCILE_EVENTS_BUDGET_MS });
  if (report.failed.length > 0) ctx.log.warn(`reconcile: ${report.failed.length} of ${report.checked} orders could not be checked; run it again later`);
  return report;
}

export interface PruneOptions {
  /** Only orders idle this long, ms; at least a day. Default 30 days. */
  olderThanMs?: number;
  /** At most this many per call. Default 10 000. */
  limit?: number;
}

/**
 * Deletes abandoned prepares: PENDING orders no payment window was ever seen open for, that
 * `reconcile()` asked PortOne about and found no payment, idle for `olderThanMs`. Orders of
 * subscriptions, started, paid or flagged orders are never touched. Resolves with how many went.
 */
export async function pruneAbandoned(ctx: KitContext, options: PruneOptions = {}): Promise<number> {
  const olderThanMs = options.olderThanMs ?? 30 * 24 * 3_600_000;
  const limit = options.limit ?? 10_000;
  if (!Number.isSafeInteger(olderThanMs) || olderThanMs < 24 * 3_600_000) {
    throw new CheckoutError('INVALID_REQUEST', `olderThanMs: expected at least a day (86400000 ms; reconcile() checks PENDING orders that long), got ${String(options.olderThanMs)}`);
  }
  if (!Number.isSafeInteger(limit) || limit < 1) throw new CheckoutError('INVALID_REQUEST', `limit: expected a positive integer, got ${String(options.limit)}`);
  const pruned = await ctx.store.pruneAbandoned({ before: ctx.options.now() - olderThanMs, limit });
  if (pruned > 0) ctx.log.info(`pruned ${pruned} abandoned orders idle for more than ${olderThanMs} ms`);
  return pruned;
}

export { readPayment };
