// All of the kit's SQL for SQLite, as synchronous functions over one connection — one per store
// port method (see ../port.ts); the driver (index.ts) queues each as a read or a write.
import type Database from 'better-sqlite3';
import type { CheckoutCustomer } from '../../../contract.js';
import type { BillingKeyIssue, HookEvent, IdentityVerificationRecord, NewEvent, NewOrder, Order, StoredBillingKey, Subscription, WebhookDelivery } from '../../model.js';
import type {
  IdentityVerificationSettlement,
  CheckoutStore,
  EventClaim,
  EventOutcome,
  IssueApprovalChange,
  IssueCompletion,
  IssueUpdate,
  OrderQuery,
  OrderTransition,
  ReconcileQuery,
  SubscriptionUpdate,
  TransitionOutcome,
  WebhookClaim,
  WebhookClaimResult,
} from '../port.js';
import { claimedEvent, jsonText as json, PATCH_COLUMNS, recordReaders, type Row } from '../records.js';

// SQLite keeps JSON columns as text.
const { toOrder, toEvent, toDelivery, toIssue, toBillingKey, toSubscription, toIdentityVerification } = recordReaders((text) => JSON.parse(text as string));

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Adds `column IN (…)` to a query's terms and values; false for an empty list (the query can match nothing). */
const addIn = (where: string[], values: unknown[], column: string, list: readonly unknown[]): boolean => {
  if (list.length === 0) return false;
  where.push(`${column} IN (${placeholders(list.length)})`);
  values.push(...list);
  return true;
};

const whereClause = (terms: readonly string[]): string => (terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '');


/** The store's operations, each one synchronous unit of work on `db` (the driver wraps it in a transaction). */
export type Queries = { [K in Exclude<keyof CheckoutStore, 'close' | 'ready'>]: (...args: Parameters<CheckoutStore[K]>) => Awaited<ReturnType<CheckoutStore[K]>> };

export function createQueries(db: Database.Database): Queries {
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string): Database.Statement => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };

  const insertEvents = (events: readonly NewEvent[] | undefined, now: number): void => {
    for (const event of events ?? []) {
      stmt(
        `INSERT INTO events (key, type, payment_id, payload, status, attempts, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (key) DO NOTHING`,
      ).run(event.key, event.type, event.paymentId ?? null, JSON.stringify(event.payload ?? null), now, now);
    }
  };

  /** Inserts events already claimed by the caller; resolves with those inserted (an existing key is left alone). */
  const insertClaimedEvents = (events: readonly NewEvent[] | undefined, now: number, claim: string, leaseUntil: number): HookEvent[] => {
    const claimed: HookEvent[] = [];
    for (const event of events ?? []) {
      const payload = JSON.stringify(event.payload ?? null);
      const row = stmt(
        `INSERT INTO events (key, type, payment_id, payload, status, attempts, next_attempt_at, locked_until, claim, created_at)
         VALUES (?, ?, ?, ?, 'running', 1, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id`,
      ).get(event.key, event.type, event.paymentId ?? null, payload, now, leaseUntil, claim, now) as { id: number } | undefined;
      if (row) claimed.push(claimedEvent(event, row.id, claim, now));
    }
    return claimed;
  };

  const insertOrder = (order: NewOrder): void => {
    stmt(
      `INSERT INTO orders (payment_id, order_id, kind, status, order_name, total_amount, currency, tax_free_amount,
         vat_amount, lines, customer, reference, pay_method, plan, subscription_id, due_at, cancelled_amount, paid_at,
         virtual_account, failure, flag, billing_key, customer_id, customer_assigned, created_at, updated_at)
       VALUES (?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      order.paymentId,
      order.orderId,
      order.kind,
      order.orderName,
      order.totalAmount,
      order.currency,
      order.taxFreeAmount ?? null,
      order.vatAmount ?? null,
      JSON.stringify(order.lines),
      json(order.customer),
      order.reference ?? null,
      order.payMethod ?? null,
      order.plan ?? null,
      order.subscriptionId ?? null,
      order.dueAt ?? null,
      order.paidAt ?? null,
      json(order.virtualAccount),
      json(order.failure),
      json(order.flag),
      order.billingKey ?? null,
      order.customer?.customerId ?? null,
      order.customerIdAssigned ? 1 : null,
      order.createdAt,
      order.createdAt,
    );
  };

  const upsertBillingKey = (key: StoredBillingKey): void => {
    stmt(
      `INSERT INTO billing_keys (billing_key, customer_id, status, display, channel_key, issue_id, issued_at, deleted_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (billing_key) DO UPDATE SET customer_id = excluded.customer_id, status = excluded.status,
         display = coalesce(excluded.display, display), channel_key = coalesce(excluded.channel_key, channel_key),
         issue_id = coalesce(excluded.issue_id, issue_id), issued_at = excluded.issued_at,
         deleted_at = excluded.deleted_at, updated_at = excluded.updated_at`,
    ).run(
      key.billingKey,
      key.customerId,
      key.status,
      key.display ?? null,
      key.channelKey ?? null,
      key.issueId ?? null,
      key.issuedAt,
      key.deletedAt ?? null,
      key.updatedAt,
    );
  };

  const insertSubscription = (s: Subscription, ifAbsent = false): void => {
    stmt(
      `INSERT INTO subscriptions (id, customer_id, plan, billing_key, status, amount, currency, next_payment_id,
         next_charge_at, schedule_id, paid_periods, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)${ifAbsent ? ' ON CONFLICT (id) DO NOTHING' : ''}`,
    ).run(
      s.id,
      s.customerId,
      s.plan,
      s.billingKey,
      s.status,
      s.amount,
      s.currency,
      s.nextPaymentId ?? null,
      s.nextChargeAt ?? null,
      s.scheduleId ?? null,
      s.paidPeriods,
      s.createdAt,
      s.updatedAt,
    );
  };

  // Compare-and-set on the revision the caller decided on; the order comes back from the write
  // (RETURNING), and events the caller runs right away are written already claimed for it.
  const transition = (change: OrderTransition): TransitionOutcome | undefined => {
    const sets = ['status = ?', 'revision = revision + 1', 'updated_at = ?'];
    const values: unknown[] = [change.to, change.now];
    const patch = change.patch ?? {};
    if (patch.cancelledAmount !== undefined) {
      sets.push('cancelled_amount = max(cancelled_amount, ?)');
      values.push(patch.cancelledAmount);
    }
    for (const [field, column, isJson] of PATCH_COLUMNS) {
      const value = patch[field];
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(isJson ? json(value) : value);
    }
    const row = stmt(`UPDATE orders SET ${sets.join(', ')} WHERE payment_id = ? AND revision = ? RETURNING *`).get(...values, change.paymentId, change.revision) as Row | undefined;
    if (!row) return undefined;
    if (change.billingKey) upsertBillingKey(change.billingKey);
    if (change.subscription) insertSubscription(change.subscription, true);
    if (!change.claim) {
      insertEvents(change.events, change.now);
      return { order: toOrder(row), claimed: [] };
    }
    return { order: toOrder(row), claimed: insertClaimedEvents(change.events, change.now, change.claim.claim, change.now + change.claim.leaseMs) };
  };

  const claimEvents = (claim: EventClaim): HookEvent[] => {
    if (claim.keys && claim.keys.length === 0) return [];
    // Named keys too only when due: a replayed request must not hurry a retry, nor use up its attempts.
    const due = `((status = 'pending' AND next_attempt_at <= ?) OR (status = 'running' AND locked_until <= ?))`;
    const keys = claim.keys ? ` AND key IN (${placeholders(claim.keys.length)})` : '';
    const rows = stmt(
      `UPDATE events SET status = 'running', attempts = attempts + 1, locked_until = ?, claim = ?
       WHERE id IN (SELECT id FROM events WHERE ${due}${keys} ORDER BY id LIMIT ?)
       RETURNING *`,
    ).all(claim.now + claim.leaseMs, claim.claim, claim.now, claim.now, ...(claim.keys ?? []), claim.limit) as Row[];
    return rows.map(toEvent).sort((a, b) => a.id - b.id);
  };

  const claimWebhook = (claim: WebhookClaim): WebhookClaimResult => {
    const row = stmt(`SELECT status, locked_until FROM webhook_deliveries WHERE webhook_id = ?`).get(claim.webhookId) as Row | undefined;
    if (!row) {
      stmt(
        `INSERT INTO webhook_deliveries (webhook_id, type, payment_id, billing_key, status, received_count,
           first_received_at, last_received_at, locked_until, claim)
         VALUES (?, ?, ?, ?, 'processing', 1, ?, ?, ?, ?)`,
      ).run(claim.webhookId, claim.type, claim.paymentId ?? null, claim.billingKey ?? null, claim.now, claim.now, claim.now + claim.leaseMs, claim.claim);
      return 'claimed';
    }
    stmt(`UPDATE webhook_deliveries SET received_count = received_count + 1, last_received_at = ? WHERE webhook_id = ?`).run(
      claim.now,
      claim.webhookId,
    );
    if (row.status === 'processed' || row.status === 'ignored') return 'duplicate';
    if (row.status === 'processing' && (row.locked_until as number) > claim.now) return 'in-progress';
    stmt(`UPDATE webhook_deliveries SET status = 'processing', locked_until = ?, claim = ? WHERE webhook_id = ?`).run(
      claim.now + claim.leaseMs,
      claim.claim,
      claim.webhookId,
    );
    return 'claimed';
  };

  const completeIssue = (c: IssueCompletion): boolean => {
    const result = stmt(
      `UPDATE billing_key_issues SET status = 'COMPLETED', billing_key = ?, subscription_id = ?, payment_id = ?, completed_at = ?, approval = NULL
       WHERE issue_id = ? AND status = 'PENDING' AND customer_id = ? AND plan IS ?`,
    ).run(c.billingKey, c.subscription?.id ?? null, c.firstOrder?.paymentId ?? null, c.now, c.issueId, c.customerId, c.plan ?? null);
    if (result.changes !== 1) return false;
    upsertBillingKey(c.key);
    if (c.subscription) insertSubscription(c.subscription);
    if (c.firstOrder) insertOrder(c.firstOrder);
    insertEvents(c.events, c.now);
    return true;
  };

  // The approval's attempt is the issue's compare-and-set. A new approval is decided on the issue's
  // number (an ended approval's is kept in its failure; 0 when none was ever recorded), any other
  // change on the approval in progress.
  const changeIssueApproval = (c: IssueApprovalChange): boolean => {
    const sets: string[] = [];
    const values: unknown[] = [];
    if (c.patch.approval !== undefined) sets.push('approval = ?'), values.push(json(c.patch.approval));
    if (c.patch.reservedAt !== undefined) sets.push('reserved_at = ?'), values.push(c.patch.reservedAt);
    if (c.patch.failure !== undefined) sets.push('failure = ?'), values.push(json(c.patch.failure));
    if (sets.length === 0) return false;
    const at = c.patch.approval ? `coalesce(json_extract(approval, '$.attempt'), json_extract(failure, '$.attempt'), 0)` : `json_extract(approval, '$.attempt')`;
    const result = stmt(`UPDATE billing_key_issues SET ${sets.join(', ')} WHERE issue_id = ? AND status = 'PENDING' AND ${at} = ?`).run(...values, c.issueId, c.attempt);
    if (result.changes !== 1) return false;
    insertEvents(c.events, c.now);
    return true;
  };

  const updateSubscription = (u: SubscriptionUpdate): boolean => {
    const sets = ['updated_at = ?'];
    const values: unknown[] = [u.now];
    const columns = {
      status: 'status',
      nextPaymentId: 'next_payment_id',
      nextChargeAt: 'next_charge_at',
      scheduleId: 'schedule_id',
      paidPeriods: 'paid_periods',
    } as const;
    for (const [field, column] of Object.entries(columns)) {
      const value = u.patch[field as keyof typeof columns];
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(value);
    }
    const where = ['id = ?'];
    const whereValues: unknown[] = [u.id];
    if (u.expect?.statuses && !addIn(where, whereValues, 'status', u.expect.statuses)) return false;
    if (u.expect?.nextPaymentId !== undefined) {
      where.push('next_payment_id = ?');
      whereValues.push(u.expect.nextPaymentId);
    }
    const result = stmt(`UPDATE subscriptions SET ${sets.join(', ')} WHERE ${where.join(' AND ')}`).run(...values, ...whereValues);
    if (result.changes !== 1) return false;
    if (u.newOrder) insertOrder(u.newOrder);
    insertEvents(u.events, u.now);
    return true;
  };

  const createOrder = (order: NewOrder) => insertOrder(order);
  const saveBillingKey = (key: StoredBillingKey, events?: readonly NewEvent[], now: number = key.updatedAt) => {
    upsertBillingKey(key);
    insertEvents(events, now);
  };
  const createSubscription = (s: Subscription, events?: readonly NewEvent[]) => {
    insertSubscription(s);
    insertEvents(events, s.createdAt);
  };

  const listOrders = (query: OrderQuery = {}): Order[] => {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.statuses && !addIn(where, values, 'status', query.statuses)) return [];
    if (query.kind) where.push('kind = ?'), values.push(query.kind);
    if (query.subscriptionId) where.push('subscription_id = ?'), values.push(query.subscriptionId);
    if (query.customerId !== undefined) where.push('customer_id = ?'), values.push(query.customerId);
    if (query.started === true) where.push(`(status <> 'PENDING' OR started_at IS NOT NULL)`);
    if (query.started === false) where.push(`status = 'PENDING' AND started_at IS NULL`);
    if (query.updatedBefore !== undefined) where.push('updated_at < ?'), values.push(query.updatedBefore);
    if (query.activeBetween) {
      where.push('coalesce(due_at, updated_at) >= ? AND coalesce(due_at, updated_at) < ?');
      values.push(query.activeBetween.from, query.activeBetween.to);
    }
    const sql = `SELECT * FROM orders ${whereClause(where)}
      ORDER BY created_at DESC, payment_id LIMIT ? OFFSET ?`;
    return (stmt(sql).all(...values, query.limit ?? 100, query.offset ?? 0) as Row[]).map(toOrder);
  };

  // A range scan of orders_open (status, activity, payment_id, checked_at, reconcile_until): the
  // recheck rule and the claim are evaluated on the index, a row is read only for the orders taken.
  // The literal status term is what lets SQLite use that partial index (its WHERE must appear in the query's).
  const claimOrdersToReconcile = (q: ReconcileQuery): Order[] => {
    if (q.status !== 'PENDING' && q.status !== 'VIRTUAL_ACCOUNT_ISSUED' && q.status !== 'FAILED') {
      throw new Error(`claimOrdersToReconcile: expected status PENDING, VIRTUAL_ACCOUNT_ISSUED or FAILED, got ${JSON.stringify(q.status)}`);
    }
    const activity = 'coalesce(due_at, updated_at)';
    const after = q.after ? ` AND (${activity}, payment_id) > (?, ?)` : '';
    const sql = `UPDATE orders SET reconcile_claim = ?, reconcile_until = ? WHERE payment_id IN (
      SELECT payment_id FROM orders
      WHERE status IN ('PENDING', 'VIRTUAL_ACCOUNT_ISSUED', 'FAILED') AND status = ? AND (status <> 'FAILED' OR reserved_at IS NOT NULL) AND ${activity} >= ? AND ${activity} < ?${after}
        AND (checked_at IS NULL OR ? - checked_at >= min(checked_at - ${activity}, ?))
        AND (reconcile_until IS NULL OR reconcile_until <= ?)
      ORDER BY ${activity}, payment_id LIMIT ?)
      RETURNING *`;
    const afterValues = q.after ? [q.after.activity, q.after.paymentId] : [];
    const rows = stmt(sql).all(q.claim.claim, q.now + q.claim.leaseMs, q.status, q.activeFrom, q.activeTo, ...afterValues, q.now, q.maxRecheckMs, q.now, q.limit) as Row[];
    // RETURNING keeps no order: oldest activity first again.
    return rows.map(toOrder).sort((a, b) => (a.dueAt ?? a.updatedAt) - (b.dueAt ?? b.updatedAt) || (a.paymentId < b.paymentId ? -1 : a.paymentId > b.paymentId ? 1 : 0));
  };

  const finishEvent = (event: { id: number; claim: string }, outcome: EventOutcome): boolean => {
    const mine = `WHERE id = ? AND claim = ? AND status = 'running'`;
    let result: Database.RunResult;
    if (outcome.status === 'done') {
      result = stmt(`UPDATE events SET status = 'done', done_at = ?, locked_until = NULL, claim = NULL ${mine}`).run(outcome.now, event.id, event.claim);
    } else if (outcome.status === 'pending') {
      result = stmt(
        `UPDATE events SET status = 'pending', next_attempt_at = ?, last_error = ?, transient_attempts = transient_attempts + ?,
           locked_until = NULL, claim = NULL ${mine}`,
      ).run(outcome.nextAttemptAt, outcome.error, outcome.transient ? 1 : 0, event.id, event.claim);
    } else {
      result = stmt(`UPDATE events SET status = 'dead', last_error = ?, done_at = ?, locked_until = NULL, claim = NULL ${mine}`).run(
        outcome.error,
        outcome.now,
        event.id,
        event.claim,
      );
    }
    return result.changes === 1;
  };

  const listEvents = (query: { statuses?: readonly string[]; paymentId?: string; keys?: readonly string[]; limit?: number } = {}): HookEvent[] => {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.statuses && !addIn(where, values, 'status', query.statuses)) return [];
    if (query.paymentId) where.push('payment_id = ?'), values.push(query.paymentId);
    if (query.keys && !addIn(where, values, 'key', query.keys)) return [];
    const sql = `SELECT * FROM events ${whereClause(where)} ORDER BY id DESC LIMIT ?`;
    return (stmt(sql).all(...values, query.limit ?? 100) as Row[]).map(toEvent);
  };

  const createIssue = (issue: BillingKeyIssue): void => {
    stmt(
      `INSERT INTO billing_key_issues (issue_id, issue_name, customer_id, customer_assigned, customer, plan, status, billing_key,
         subscription_id, payment_id, created_at, completed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      issue.issueId,
      issue.issueName,
      issue.customerId,
      issue.customerIdAssigned ? 1 : null,
      json(issue.customer),
      issue.plan ?? null,
      issue.status,
      issue.billingKey ?? null,
      issue.subscriptionId ?? null,
      issue.paymentId ?? null,
      issue.createdAt,
      issue.completedAt ?? null,
    );
  };

  const listSubscriptions = (query: Parameters<CheckoutStore['listSubscriptions']>[0] = {}): Subscription[] => {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.customerId) where.push('customer_id = ?'), values.push(query.customerId);
    if (query.billingKey) where.push('billing_key = ?'), values.push(query.billingKey);
    if (query.statuses && !addIn(where, values, 'status', query.statuses)) return [];
    const sql = `SELECT * FROM subscriptions ${whereClause(where)} ORDER BY created_at DESC, id LIMIT ?`;
    return (stmt(sql).all(...values, query.limit ?? 100) as Row[]).map(toSubscription);
  };

  const getOrder = (paymentId: string): Order | undefined => {
    const row = stmt(`SELECT * FROM orders WHERE payment_id = ?`).get(paymentId) as Row | undefined;
    return row && toOrder(row);
  };
  const releaseReconciled = (paymentId: string, outcome: { checkedAt?: number }): void => {
    if (outcome.checkedAt === undefined) stmt(`UPDATE orders SET reconcile_claim = NULL, reconcile_until = NULL WHERE payment_id = ?`).run(paymentId);
    else stmt(`UPDATE orders SET checked_at = ?, reconcile_claim = NULL, reconcile_until = NULL WHERE payment_id = ?`).run(outcome.checkedAt, paymentId);
  };
  const pruneAbandoned = (query: { before: number; limit: number }): { orders: number; issues: number; identityVerifications: number } => {
    // Only orders reconcile() found PortOne has no payment for; never a subscription's period (its
    // subscription points at it), nor an order a window was seen open for.
    const orders = stmt(
      `DELETE FROM orders WHERE payment_id IN (
         SELECT payment_id FROM orders
         WHERE status = 'PENDING' AND coalesce(due_at, updated_at) < ? AND checked_at IS NOT NULL AND started_at IS NULL
           AND kind <> 'subscription'
         ORDER BY coalesce(due_at, updated_at) LIMIT ?)`,
    ).run(query.before, query.limit);
    const issues = stmt(
      `DELETE FROM billing_key_issues WHERE issue_id IN (
         SELECT issue_id FROM billing_key_issues WHERE status = 'PENDING' AND created_at < ? AND approval IS NULL AND reserved_at IS NULL ORDER BY created_at LIMIT ?)`,
    ).run(query.before, query.limit);
    const identityVerifications = stmt(
      `DELETE FROM identity_verifications WHERE identity_verification_id IN (
         SELECT identity_verification_id FROM identity_verifications WHERE status = 'PENDING' AND created_at < ? ORDER BY created_at LIMIT ?)`,
    ).run(query.before, query.limit);
    return { orders: orders.changes, issues: issues.changes, identityVerifications: identityVerifications.changes };
  };
  const renewClaims = ({ holder, until }: { holder: string; until: number }): void => {
    // Tokens are `<holder>:<unique>`: the partial indexes hold only the claims live right now.
    const mine = `substr(claim, 1, ${holder.length + 1}) = ?`;
    stmt(`UPDATE events SET locked_until = ? WHERE status = 'running' AND claim IS NOT NULL AND ${mine}`).run(until, `${holder}:`);
    stmt(`UPDATE webhook_deliveries SET locked_until = ? WHERE status = 'processing' AND claim IS NOT NULL AND ${mine}`).run(until, `${holder}:`);
    stmt(`UPDATE orders SET reconcile_until = ? WHERE reconcile_until IS NOT NULL AND ${mine.replace('claim', 'reconcile_claim')}`).run(until, `${holder}:`);
  };
  const reviveEvents = (query: { types: readonly string[]; now: number }): number => {
    if (query.types.length === 0) return 0;
    return stmt(
      `UPDATE events SET status = 'pending', attempts = 0, transient_attempts = 0, next_attempt_at = ?, done_at = NULL
       WHERE status = 'dead' AND type IN (${placeholders(query.types.length)})`,
    ).run(query.now, ...query.types).changes;
  };
  const finishWebhook = (delivery: { webhookId: string; claim: string }, status: string, note?: string): boolean =>
    stmt(`UPDATE webhook_deliveries SET status = ?, note = ?, locked_until = NULL, claim = NULL WHERE webhook_id = ? AND claim = ? AND status = 'processing'`).run(
      status,
      note ?? null,
      delivery.webhookId,
      delivery.claim,
    ).changes === 1;
  const listWebhookDeliveries = (query: { limit?: number } = {}): WebhookDelivery[] =>
    (stmt(`SELECT * FROM webhook_deliveries ORDER BY last_received_at DESC, webhook_id LIMIT ?`).all(query.limit ?? 100) as Row[]).map(toDelivery);
  const updatePendingIssue = (update: IssueUpdate): boolean =>
    stmt(`UPDATE billing_key_issues SET customer = ? WHERE issue_id = ? AND status = 'PENDING' AND customer_id = ? AND plan IS ?`).run(
      json(update.customer),
      update.issueId,
      update.customerId,
      update.plan ?? null,
    ).changes === 1;
  const getIssue = (issueId: string): BillingKeyIssue | undefined => {
    const row = stmt(`SELECT * FROM billing_key_issues WHERE issue_id = ?`).get(issueId) as Row | undefined;
    return row && toIssue(row);
  };
  const getBillingKey = (billingKey: string): StoredBillingKey | undefined => {
    const row = stmt(`SELECT * FROM billing_keys WHERE billing_key = ?`).get(billingKey) as Row | undefined;
    return row && toBillingKey(row);
  };
  const listBillingKeys = (query: { customerId?: string; limit?: number } = {}): StoredBillingKey[] => {
    const rows = query.customerId
      ? stmt(`SELECT * FROM billing_keys WHERE customer_id = ? ORDER BY updated_at DESC LIMIT ?`).all(query.customerId, query.limit ?? 100)
      : stmt(`SELECT * FROM billing_keys ORDER BY updated_at DESC LIMIT ?`).all(query.limit ?? 100);
    return (rows as Row[]).map(toBillingKey);
  };
  const getSubscription = (id: string): Subscription | undefined => {
    const row = stmt(`SELECT * FROM subscriptions WHERE id = ?`).get(id) as Row | undefined;
    return row && toSubscription(row);
  };

  const createIdentityVerification = (record: IdentityVerificationRecord): void => {
    stmt(
      `INSERT INTO identity_verifications (identity_verification_id, customer_id, customer_assigned, customer, status, rejection, verified_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      record.identityVerificationId,
      record.customerId,
      record.customerIdAssigned ? 1 : null,
      json(record.customer),
      record.status,
      json(record.rejection),
      record.verifiedAt ?? null,
      record.createdAt,
      record.updatedAt,
    );
  };
  const getIdentityVerification = (id: string): IdentityVerificationRecord | undefined => {
    const row = stmt(`SELECT * FROM identity_verifications WHERE identity_verification_id = ?`).get(id) as Row | undefined;
    return row && toIdentityVerification(row);
  };
  const updatePendingIdentityVerification = (u: { identityVerificationId: string; customerId: string; customer?: CheckoutCustomer; now: number }): boolean =>
    stmt(`UPDATE identity_verifications SET customer = ?, updated_at = ? WHERE identity_verification_id = ? AND status = 'PENDING' AND customer_id = ?`).run(
      json(u.customer),
      u.now,
      u.identityVerificationId,
      u.customerId,
    ).changes === 1;
  const settleIdentityVerification = (c: IdentityVerificationSettlement): boolean => {
    const result = stmt(
      `UPDATE identity_verifications SET status = ?, verified_at = ?, rejection = ?, updated_at = ?
       WHERE identity_verification_id = ? AND status = 'PENDING' AND customer_id = ?`,
    ).run(c.status, c.verifiedAt ?? null, json(c.rejection), c.now, c.identityVerificationId, c.customerId);
    if (result.changes !== 1) return false;
    insertEvents(c.events, c.now);
    return true;
  };

  return {
    createIdentityVerification,
    getIdentityVerification,
    updatePendingIdentityVerification,
    settleIdentityVerification,
    createOrder,
    getOrder,
    transition,
    listOrders,
    claimOrdersToReconcile,
    releaseReconciled,
    pruneAbandoned,
    claimEvents,
    renewClaims,
    finishEvent,
    reviveEvents,
    listEvents,
    claimWebhook,
    finishWebhook,
    listWebhookDeliveries,
    createIssue,
    updatePendingIssue,
    getIssue,
    changeIssueApproval,
    completeIssue,
    saveBillingKey,
    getBillingKey,
    listBillingKeys,
    createSubscription,
    getSubscription,
    updateSubscription,
    listSubscriptions,
  };
}
