// Maintenance the shop runs on timers: reconcile() re-syncs the orders a lost webhook left behind,
// refunds flagged payments still held and revives the kit's own follow-ups that gave up;
// pruneAbandoned() deletes the prepares nobody paid for.
import type { KitContext } from './context.js';
import { CheckoutError } from './errors.js';
import { refundFlagged } from './flagged.js';
import type { Order } from './model.js';
import type { Outbox } from './outbox.js';
import { syncPayment } from './sync.js';

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
  after: Partial<Record<'PENDING' | 'VIRTUAL_ACCOUNT_ISSUED' | 'FAILED', { activity: number; paymentId: string }>>;
}

/** An order checked and found unchanged is asked about again after at most this long. */
const MAX_RECHECK_MS = 60 * 60_000;
/** How long reconcile() runs due events before returning (each run of one is bounded by hookTimeoutMs). */
const RECONCILE_EVENTS_BUDGET_MS = 10_000;
/** Follow-ups of the kit's own whose giving up would leave a subscription stuck. */
const REVIVED_EVENTS = ['charge-first-period', 'advance-subscription', 'schedule-period', 'subscription-payment-failed', 'confirm-payment', 'confirm-billing-key'] as const;

/**
 * Re-syncs orders left PENDING or VIRTUAL_ACCOUNT_ISSUED (a lost webhook) and FAILED ones still
 * recording a reservation, refunds flagged payments still held, revives the kit's own follow-ups that gave up, and runs due events for a while.
 * Orders are taken oldest activity first, each run going on where the last stopped; one found
 * unchanged is skipped for a while (longer the longer it was idle), so abandoned carts never crowd
 * out a lost payment.
 */
export function reconcile(ctx: KitContext, outbox: Outbox, state: ReconcileState, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  // The orders a run takes are claims of this kit: kept alive while it runs, free soon if it dies.
  return outbox.hold(() => reconcileRun(ctx, outbox, state, options));
}

async function reconcileRun(ctx: KitContext, outbox: Outbox, state: ReconcileState, options: ReconcileOptions): Promise<ReconcileReport> {
  const now = ctx.options.now();
  const cutoff = now - (options.olderThanMs ?? ctx.options.reconcileAfterMs);
  const limit = options.limit ?? 1000;
  const report: ReconcileReport = { checked: 0, updated: 0, notStarted: 0, refunded: 0, failed: [], manualRefunds: [], revived: 0, eventsRun: 0 };
  // Activity is an order's due time when it has one: a scheduled period is not late before it is due.
  const windows = [
    { status: 'PENDING' as const, activeFrom: now - (options.pendingMaxAgeMs ?? 24 * 3_600_000) },
    { status: 'VIRTUAL_ACCOUNT_ISSUED' as const, activeFrom: 0 },
    // A failed order still recording a reservation: a later attempt's, which ended without a failure
    // the kit saw after it (PortOne stopped it, or a newer window replaced it): the sync releases it.
    { status: 'FAILED' as const, activeFrom: 0 },
  ];
  const stale: Order[] = [];
  for (const { status, activeFrom } of windows) {
    // Held for this run (renewed while it lasts): runs on other instances at the same time check other orders.
    const query = { status, activeFrom, activeTo: cutoff + 1, now, maxRecheckMs: MAX_RECHECK_MS, limit, claim: outbox.newClaim() };
    const after = state.after[status];
    let batch = await ctx.store.claimOrdersToReconcile({ ...query, ...(after ? { after } : {}) });
    if (after && batch.length < limit) {
      // The end was reached: start over from the oldest for the rest of this run.
      const seen = new Set(batch.map((o) => o.paymentId));
      const again = await ctx.store.claimOrdersToReconcile({ ...query, limit: limit - batch.length });
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
      await ctx.store.releaseReconciled(order.paymentId, outcome.order.status !== order.status ? {} : { checkedAt: now });
    } catch (error) {
      if (error instanceof CheckoutError && error.code === 'PAYMENT_NOT_FOUND') {
        report.notStarted++;
        await ctx.store.releaseReconciled(order.paymentId, { checkedAt: now });
      } else {
        failure(order.paymentId, error);
        // Free for the next run at once: PortOne could not be asked this time.
        await ctx.store.releaseReconciled(order.paymentId, {}).catch(() => {});
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
  /** Only prepares idle this long, ms; at least a day. Default 30 days. */
  olderThanMs?: number;
  /** At most this many orders, and this many issues, per call. Default 10 000. */
  limit?: number;
}

/**
 * Deletes abandoned prepares: PENDING orders no payment window was ever seen open for, that
 * `reconcile()` asked PortOne about and found no payment, idle for `olderThanMs`, and billing-key
 * issues no key completed, prepared before that. Orders of subscriptions, started, paid or flagged
 * orders are never touched. Resolves with how many went (orders and issues).
 */
export async function pruneAbandoned(ctx: KitContext, options: PruneOptions = {}): Promise<number> {
  const olderThanMs = options.olderThanMs ?? 30 * 24 * 3_600_000;
  const limit = options.limit ?? 10_000;
  if (!Number.isSafeInteger(olderThanMs) || olderThanMs < 24 * 3_600_000) {
    throw new CheckoutError('INVALID_REQUEST', `olderThanMs: expected at least a day (86400000 ms; reconcile() checks PENDING orders that long), got ${String(options.olderThanMs)}`);
  }
  if (!Number.isSafeInteger(limit) || limit < 1) throw new CheckoutError('INVALID_REQUEST', `limit: expected a positive integer, got ${String(options.limit)}`);
  const { orders, issues, identityVerifications } = await ctx.store.pruneAbandoned({ before: ctx.options.now() - olderThanMs, limit });
  const total = orders + issues + identityVerifications;
  if (total > 0) ctx.log.info(`pruned ${orders} abandoned orders, ${issues} billing-key issues and ${identityVerifications} identity verifications idle for more than ${olderThanMs} ms`);
  return total;
}
