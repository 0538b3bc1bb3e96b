// All of the kit's SQL for PostgreSQL, one function per store port method (see ../port.ts). Every
// change is one statement (CTEs carry what goes with it: the events, a billing key, a subscription),
// so it is atomic without a transaction round trip; claims use FOR UPDATE SKIP LOCKED so several
// processes never take the same work; compare-and-set conditions are in the WHERE clauses. The hot
// methods (reading an order, a transition, finishing an event) also come in a form that carries many
// calls in one statement, for batches.ts.
import type { HookEvent, IdentityVerificationRecord, NewEvent, NewOrder, Order, StoredBillingKey, Subscription } from '../../model.js';
import type {
  CheckoutStore,
  IdentityVerificationSettlement,
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
import { claimedEvent, jsonText, PATCH_COLUMNS, recordReaders, type Row } from '../records.js';

/**
 * What the queries need from a connection: one statement with `$n` parameters. With `name` (what it
 * is, for a reader) the statement is prepared once per connection and its plan kept, instead of
 * parsed and planned at every call; the driver picks the name PostgreSQL sees.
 */
export interface Sql {
  query(text: string, values?: readonly unknown[], name?: string): Promise<Row[]>;
}

// PostgreSQL hands jsonb columns over parsed.
const { toOrder, toEvent, toDelivery, toIssue, toBillingKey, toSubscription, toIdentityVerification } = recordReaders((value) => value);

export type Queries = { [K in Exclude<keyof CheckoutStore, 'close' | 'ready'>]: CheckoutStore[K] };

/** Builds `$1, $2…` lists while collecting their values. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value === undefined ? null : value);
    return `$${this.values.length}`;
  }
  json(value: unknown): string {
    return `${this.add(jsonText(value))}::jsonb`;
  }
}

const ORDER_COLUMNS = `payment_id, order_id, kind, status, order_name, total_amount, currency, tax_free_amount, vat_amount, lines, customer,
  customer_id, customer_assigned, reference, pay_method, plan, subscription_id, due_at, cancelled_amount, paid_at, virtual_account,
  failure, flag, billing_key, created_at, updated_at`;

function orderValues(p: Params, order: NewOrder): string {
  return [
    p.add(order.paymentId),
    p.add(order.orderId),
    p.add(order.kind),
    `'PENDING'`,
    p.add(order.orderName),
    p.add(order.totalAmount),
    p.add(order.currency),
    p.add(order.taxFreeAmount),
    p.add(order.vatAmount),
    p.json(order.lines),
    p.json(order.customer),
    p.add(order.customer?.customerId),
    p.add(order.customerIdAssigned ? true : null),
    p.add(order.reference),
    p.add(order.payMethod),
    p.add(order.plan),
    p.add(order.subscriptionId),
    p.add(order.dueAt),
    '0',
    p.add(order.paidAt),
    p.json(order.virtualAccount),
    p.json(order.failure),
    p.json(order.flag),
    p.add(order.billingKey),
    p.add(order.createdAt),
    p.add(order.createdAt),
  ].join(', ');
}

/** New events as one jsonb parameter, for `jsonb_to_recordset` (an existing key is left alone). */
const eventRecords = (events: readonly NewEvent[] | undefined) =>
  JSON.stringify((events ?? []).map((e, index) => ({ index, key: e.key, type: e.type, payment_id: e.paymentId ?? null, payload: e.payload ?? null })));
const EVENT_RECORD = 'x(index int, key text, type text, payment_id text, payload jsonb)';

/**
 * The statement that writes `events` as pending, due at `at`, in their order — only when the CTE
 * named `after` produced a row (the change they go with happened); an existing key is left alone.
 */
function insertEvents(s: string, p: Params, events: readonly NewEvent[] | undefined, at: string, after?: string): string {
  return `INSERT INTO ${s}.events (key, type, payment_id, payload, status, attempts, next_attempt_at, created_at)
    SELECT x.key, x.type, x.payment_id, x.payload, 'pending', 0, ${at}, ${at}
    FROM jsonb_to_recordset(${p.add(eventRecords(events))}::jsonb) AS ${EVENT_RECORD}${after ? `, ${after}` : ''} ORDER BY x.index
    ON CONFLICT (key) DO NOTHING`;
}

function keyValues(p: Params, key: StoredBillingKey): string {
  return [key.billingKey, key.customerId, key.status, key.display, key.channelKey, key.issueId, key.issuedAt, key.deletedAt, key.updatedAt].map((v) => p.add(v)).join(', ');
}
const KEY_UPSERT = (s: string) => `INSERT INTO ${s}.billing_keys AS k (billing_key, customer_id, status, display, channel_key, issue_id, issued_at, deleted_at, updated_at)`;
const KEY_CONFLICT = `ON CONFLICT (billing_key) DO UPDATE SET customer_id = excluded.customer_id, status = excluded.status,
  display = coalesce(excluded.display, k.display), channel_key = coalesce(excluded.channel_key, k.channel_key),
  issue_id = coalesce(excluded.issue_id, k.issue_id), issued_at = excluded.issued_at, deleted_at = excluded.deleted_at, updated_at = excluded.updated_at`;

function subscriptionValues(p: Params, s: Subscription): string {
  return [s.id, s.customerId, s.plan, s.billingKey, s.status, s.amount, s.currency, s.nextPaymentId, s.nextChargeAt, s.scheduleId, s.paidPeriods, s.createdAt, s.updatedAt]
    .map((v) => p.add(v))
    .join(', ');
}
const SUBSCRIPTION_COLUMNS = 'id, customer_id, plan, billing_key, status, amount, currency, next_payment_id, next_charge_at, schedule_id, paid_periods, created_at, updated_at';

const byOrderActivity = (a: Order, b: Order) => (a.dueAt ?? a.updatedAt) - (b.dueAt ?? b.updatedAt) || (a.paymentId < b.paymentId ? -1 : a.paymentId > b.paymentId ? 1 : 0);

/** The ids of the events a statement wrote, by key, from its `{ id, key }` rows (only the ids come back). */
const writtenIds = (eventRows: readonly Row[]): Map<string, number> => new Map(eventRows.map((r) => [(r.row as { key: string }).key, Number((r.row as { id: number }).id)]));

/**
 * What a transition that happened resolves with, from the order's row and the ids of the events its
 * statement wrote, by key. An existing key was left alone and is not claimed.
 */
function transitionOutcome(change: OrderTransition, orderRow: Row, ids: ReadonlyMap<string, number>): TransitionOutcome {
  const order = toOrder(orderRow);
  if (change.claim === undefined) return { order, claimed: [] };
  const events: HookEvent[] = [];
  for (const event of change.events ?? []) {
    const id = ids.get(event.key);
    if (id !== undefined) events.push(claimedEvent(event, id, change.claim.claim, change.now));
  }
  return { order, claimed: events.sort((a, b) => a.id - b.id) };
}

/** The SQL type of each patch column that is not JSON (JSON ones are jsonb). */
const PATCH_TYPES: Partial<Record<string, string>> = { started_at: 'bigint', reserved_at: 'bigint' };

/**
 * Transitions one statement can carry together: the same shape (the same patch fields, a claim or
 * none), and no billing key or subscription with them — those are rare and go alone. Undefined for
 * one that cannot share.
 */
export function transitionShape(change: OrderTransition): string | undefined {
  if (change.billingKey || change.subscription) return undefined;
  const patch = change.patch ?? {};
  const fields: string[] = PATCH_COLUMNS.filter(([field]) => patch[field] !== undefined).map(([field]) => field);
  if (patch.cancelledAmount !== undefined) fields.push('cancelledAmount');
  return `${change.claim ? 'claimed' : 'pending'}:${fields.join(',')}`;
}

/** The queries over `sql`, in schema `s` (quoted). */
export function createQueries(sql: Sql, s: string): Queries {
  const one = async (text: string, values: readonly unknown[], name?: string): Promise<Row | undefined> => (await sql.query(text, values, name))[0];

  return {
    async createOrder(order) {
      const p = new Params();
      await sql.query(`INSERT INTO ${s}.orders (${ORDER_COLUMNS}) VALUES (${orderValues(p, order)})`, p.values);
    },

    async getOrder(paymentId) {
      const row = await one(`SELECT * FROM ${s}.orders WHERE payment_id = $1`, [paymentId], 'getOrder');
      return row && toOrder(row);
    },

    // One statement: the compare-and-set on the revision, and — only if it happened — the billing
    // key, the subscription and the events (claimed for the caller when asked), all or nothing.
    async transition(change: OrderTransition): Promise<TransitionOutcome | undefined> {
      const p = new Params();
      const sets = [`status = ${p.add(change.to)}`, 'revision = o.revision + 1', `updated_at = ${p.add(change.now)}`];
      const patch = change.patch ?? {};
      if (patch.cancelledAmount !== undefined) sets.push(`cancelled_amount = greatest(o.cancelled_amount, ${p.add(patch.cancelledAmount)})`);
      for (const [field, column, isJson] of PATCH_COLUMNS) {
        const value = patch[field];
        if (value === undefined) continue;
        sets.push(`${column} = ${isJson ? p.json(value) : p.add(value)}`);
      }
      const where = `o.payment_id = ${p.add(change.paymentId)} AND o.revision = ${p.add(change.revision)}`;
      const ctes = [`changed AS (UPDATE ${s}.orders o SET ${sets.join(', ')} WHERE ${where} RETURNING o.*)`];
      if (change.billingKey) {
        ctes.push(`key_saved AS (${KEY_UPSERT(s)} SELECT ${keyValues(p, change.billingKey)} FROM changed ${KEY_CONFLICT})`);
      }
      if (change.subscription) {
        ctes.push(`subscription_made AS (INSERT INTO ${s}.subscriptions (${SUBSCRIPTION_COLUMNS}) SELECT ${subscriptionValues(p, change.subscription)} FROM changed ON CONFLICT (id) DO NOTHING)`);
      }
      const claimed = change.claim !== undefined;
      const status = claimed ? `'running'` : `'pending'`;
      const attempts = claimed ? '1' : '0';
      const lock = claimed ? p.add(change.now + change.claim!.leaseMs) : 'NULL';
      const claim = claimed ? p.add(change.claim!.claim) : 'NULL';
      const now = p.add(change.now);
      ctes.push(
        `written AS (INSERT INTO ${s}.events (key, type, payment_id, payload, status, attempts, next_attempt_at, locked_until, claim, created_at)
          SELECT x.key, x.type, x.payment_id, x.payload, ${status}, ${attempts}, ${now}, ${lock}, ${claim}, ${now}
          FROM jsonb_to_recordset(${p.add(eventRecords(change.events))}::jsonb) AS ${EVENT_RECORD}, changed ORDER BY x.index
          ON CONFLICT (key) DO NOTHING RETURNING id, key)`,
      );
      // Prepared (one statement per shape of change: the patch's columns, a key, a subscription, a
      // claim): planning this statement cost more than running it, on every complete and webhook.
      // Its rows are jsonb, so a migration adding a column cannot change what the prepared statement returns.
      const rows = await sql.query(
        `WITH ${ctes.join(',\n')}
         SELECT 'order' AS row_kind, to_jsonb(changed.*) AS row FROM changed
         UNION ALL SELECT 'event', jsonb_build_object('id', written.id, 'key', written.key) FROM written`,
        p.values,
        'transition',
      );
      const orderRow = rows.find((r) => r.row_kind === 'order');
      if (!orderRow) return undefined;
      // Through to_jsonb: bigints arrive as JSON numbers, jsonb columns as objects — what the readers take.
      return transitionOutcome(change, orderRow.row as Row, writtenIds(rows.filter((r) => r.row_kind === 'event')));
    },

    async listOrders(query: OrderQuery = {}) {
      const p = new Params();
      const where: string[] = [];
      if (query.statuses) {
        if (query.statuses.length === 0) return [];
        where.push(`status = ANY(${p.add(query.statuses)}::text[])`);
      }
      if (query.kind) where.push(`kind = ${p.add(query.kind)}`);
      if (query.subscriptionId) where.push(`subscription_id = ${p.add(query.subscriptionId)}`);
      if (query.customerId !== undefined) where.push(`customer_id = ${p.add(query.customerId)}`);
      if (query.started === true) where.push(`(status <> 'PENDING' OR started_at IS NOT NULL)`);
      if (query.started === false) where.push(`status = 'PENDING' AND started_at IS NULL`);
      if (query.updatedBefore !== undefined) where.push(`updated_at < ${p.add(query.updatedBefore)}`);
      if (query.activeBetween) {
        where.push(`coalesce(due_at, updated_at) >= ${p.add(query.activeBetween.from)} AND coalesce(due_at, updated_at) < ${p.add(query.activeBetween.to)}`);
      }
      const rows = await sql.query(
        `SELECT * FROM ${s}.orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, payment_id LIMIT ${p.add(query.limit ?? 100)} OFFSET ${p.add(query.offset ?? 0)}`,
        p.values,
      );
      return rows.map(toOrder);
    },

    // Orders a run takes are locked while it takes them (SKIP LOCKED: a run at the same moment takes
    // others) and held for it by its claim (a later run skips them until released or lapsed).
    async claimOrdersToReconcile(q: ReconcileQuery) {
      if (q.status !== 'PENDING' && q.status !== 'VIRTUAL_ACCOUNT_ISSUED' && q.status !== 'FAILED') {
        throw new Error(`claimOrdersToReconcile: expected status PENDING, VIRTUAL_ACCOUNT_ISSUED or FAILED, got ${JSON.stringify(q.status)}`);
      }
      const p = new Params();
      const activity = 'coalesce(due_at, updated_at)';
      const now = p.add(q.now);
      const after = q.after ? ` AND (${activity}, payment_id) > (${p.add(q.after.activity)}, ${p.add(q.after.paymentId)})` : '';
      const rows = await sql.query(
        `UPDATE ${s}.orders SET reconcile_claim = ${p.add(q.claim.claim)}, reconcile_until = ${p.add(q.now + q.claim.leaseMs)} WHERE payment_id IN (
           SELECT payment_id FROM ${s}.orders
           WHERE status IN ('PENDING', 'VIRTUAL_ACCOUNT_ISSUED', 'FAILED') AND status = ${p.add(q.status)} AND (status <> 'FAILED' OR reserved_at IS NOT NULL)
             AND ${activity} >= ${p.add(q.activeFrom)} AND ${activity} < ${p.add(q.activeTo)}${after}
             AND (checked_at IS NULL OR ${now} - checked_at >= least(checked_at - ${activity}, ${p.add(q.maxRecheckMs)}))
             AND (reconcile_until IS NULL OR reconcile_until <= ${now})
           ORDER BY ${activity}, payment_id LIMIT ${p.add(q.limit)} FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        p.values,
      );
      return rows.map(toOrder).sort(byOrderActivity);
    },

    async releaseReconciled(paymentId, outcome) {
      if (outcome.checkedAt === undefined) await sql.query(`UPDATE ${s}.orders SET reconcile_claim = NULL, reconcile_until = NULL WHERE payment_id = $1`, [paymentId]);
      else await sql.query(`UPDATE ${s}.orders SET checked_at = $1, reconcile_claim = NULL, reconcile_until = NULL WHERE payment_id = $2`, [outcome.checkedAt, paymentId]);
    },

    async pruneAbandoned(query) {
      // Only orders reconcile() found PortOne has no payment for; never a subscription's period, nor
      // an order a window was seen open for; and issues no key completed, with no manual approval or
      // reservation still to end (its release would have nothing to name).
      const rows = await sql.query(
        `WITH orders_gone AS (
           DELETE FROM ${s}.orders WHERE payment_id IN (
             SELECT payment_id FROM ${s}.orders
             WHERE status = 'PENDING' AND coalesce(due_at, updated_at) < $1 AND checked_at IS NOT NULL AND started_at IS NULL AND kind <> 'subscription'
             ORDER BY coalesce(due_at, updated_at) LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING 1),
         issues_gone AS (
           DELETE FROM ${s}.billing_key_issues WHERE issue_id IN (
             SELECT issue_id FROM ${s}.billing_key_issues WHERE status = 'PENDING' AND created_at < $1 AND approval IS NULL AND reserved_at IS NULL
             ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING 1),
         identity_gone AS (
           DELETE FROM ${s}.identity_verifications WHERE identity_verification_id IN (
             SELECT identity_verification_id FROM ${s}.identity_verifications WHERE status = 'PENDING' AND created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING 1)
         SELECT (SELECT count(*) FROM orders_gone)::int AS orders, (SELECT count(*) FROM issues_gone)::int AS issues,
           (SELECT count(*) FROM identity_gone)::int AS identity_verifications`,
        [query.before, query.limit],
      );
      return { orders: rows[0]!.orders as number, issues: rows[0]!.issues as number, identityVerifications: rows[0]!.identity_verifications as number };
    },

    async claimEvents(claim: EventClaim): Promise<HookEvent[]> {
      if (claim.keys && claim.keys.length === 0) return [];
      const p = new Params();
      const now = p.add(claim.now);
      const keys = claim.keys ? ` AND key = ANY(${p.add(claim.keys)}::text[])` : '';
      // Named keys too only when due: a replayed request must not hurry a retry, nor use up its attempts.
      const rows = await sql.query(
        `UPDATE ${s}.events SET status = 'running', attempts = attempts + 1, locked_until = ${p.add(claim.now + claim.leaseMs)}, claim = ${p.add(claim.claim)}
         WHERE id IN (
           SELECT id FROM ${s}.events
           WHERE ((status = 'pending' AND next_attempt_at <= ${now}) OR (status = 'running' AND locked_until <= ${now}))${keys}
           ORDER BY id LIMIT ${p.add(claim.limit)} FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        p.values,
      );
      return rows.map(toEvent).sort((a, b) => a.id - b.id);
    },

    async renewClaims({ holder, until }) {
      // Tokens are `<holder>:<unique>`: the partial indexes hold only the claims live right now.
      await sql.query(
        `WITH e AS (UPDATE ${s}.events SET locked_until = $1 WHERE status = 'running' AND starts_with(claim, $2) RETURNING 1),
           o AS (UPDATE ${s}.orders SET reconcile_until = $1 WHERE reconcile_until IS NOT NULL AND starts_with(reconcile_claim, $2) RETURNING 1)
         UPDATE ${s}.webhook_deliveries SET locked_until = $1 WHERE status = 'processing' AND starts_with(claim, $2)`,
        [until, `${holder}:`],
      );
    },

    async finishEvent(event, outcome: EventOutcome) {
      const mine = `WHERE id = $1 AND claim = $2 AND status = 'running'`;
      let rows: Row[];
      if (outcome.status === 'done') {
        rows = await sql.query(`UPDATE ${s}.events SET status = 'done', done_at = $3, locked_until = NULL, claim = NULL ${mine} RETURNING id`, [event.id, event.claim, outcome.now], 'finishDone');
      } else if (outcome.status === 'pending') {
        rows = await sql.query(
          `UPDATE ${s}.events SET status = 'pending', next_attempt_at = $3, last_error = $4, transient_attempts = transient_attempts + $5,
             locked_until = NULL, claim = NULL ${mine} RETURNING id`,
          [event.id, event.claim, outcome.nextAttemptAt, outcome.error, outcome.transient ? 1 : 0],
        );
      } else {
        rows = await sql.query(`UPDATE ${s}.events SET status = 'dead', last_error = $3, done_at = $4, locked_until = NULL, claim = NULL ${mine} RETURNING id`, [event.id, event.claim, outcome.error, outcome.now]);
      }
      return rows.length === 1;
    },

    async reviveEvents(query) {
      if (query.types.length === 0) return 0;
      const rows = await sql.query(
        `UPDATE ${s}.events SET status = 'pending', attempts = 0, transient_attempts = 0, next_attempt_at = $1, done_at = NULL
         WHERE status = 'dead' AND type = ANY($2::text[]) RETURNING id`,
        [query.now, query.types],
      );
      return rows.length;
    },

    async listEvents(query = {}) {
      const p = new Params();
      const where: string[] = [];
      if (query.statuses) {
        if (query.statuses.length === 0) return [];
        where.push(`status = ANY(${p.add(query.statuses)}::text[])`);
      }
      if (query.paymentId) where.push(`payment_id = ${p.add(query.paymentId)}`);
      if (query.keys) {
        if (query.keys.length === 0) return [];
        where.push(`key = ANY(${p.add(query.keys)}::text[])`);
      }
      const rows = await sql.query(`SELECT * FROM ${s}.events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${p.add(query.limit ?? 100)}`, p.values);
      return rows.map(toEvent);
    },

    // One statement decides: a new delivery is claimed; a processed or ignored one is a duplicate; one
    // still held by a live claim is in progress; a failed one, or one whose claim ran out, is claimed again.
    async claimWebhook(claim: WebhookClaim): Promise<WebhookClaimResult> {
      const free = `NOT (w.status IN ('processed', 'ignored') OR (w.status = 'processing' AND w.locked_until > excluded.first_received_at))`;
      const row = await one(
        `INSERT INTO ${s}.webhook_deliveries AS w (webhook_id, type, payment_id, billing_key, status, received_count, first_received_at, last_received_at, locked_until, claim)
         VALUES ($1, $2, $3, $4, 'processing', 1, $5, $5, $6, $7)
         ON CONFLICT (webhook_id) DO UPDATE SET
           received_count = w.received_count + 1,
           last_received_at = excluded.last_received_at,
           status = CASE WHEN ${free} THEN 'processing' ELSE w.status END,
           locked_until = CASE WHEN ${free} THEN excluded.locked_until ELSE w.locked_until END,
           claim = CASE WHEN ${free} THEN excluded.claim ELSE w.claim END
         RETURNING status, claim`,
        [claim.webhookId, claim.type, claim.paymentId ?? null, claim.billingKey ?? null, claim.now, claim.now + claim.leaseMs, claim.claim],
      );
      if (row?.claim === claim.claim && row.status === 'processing') return 'claimed';
      return row?.status === 'processed' || row?.status === 'ignored' ? 'duplicate' : 'in-progress';
    },

    async finishWebhook(delivery, status, note) {
      const rows = await sql.query(
        `UPDATE ${s}.webhook_deliveries SET status = $1, note = $2, locked_until = NULL, claim = NULL WHERE webhook_id = $3 AND claim = $4 AND status = 'processing' RETURNING 1`,
        [status, note ?? null, delivery.webhookId, delivery.claim],
      );
      return rows.length === 1;
    },

    async listWebhookDeliveries(query = {}) {
      return (await sql.query(`SELECT * FROM ${s}.webhook_deliveries ORDER BY last_received_at DESC, webhook_id LIMIT $1`, [query.limit ?? 100])).map(toDelivery);
    },

    async createIdentityVerification(record: IdentityVerificationRecord) {
      await sql.query(
        `INSERT INTO ${s}.identity_verifications (identity_verification_id, customer_id, customer_assigned, customer, status, rejection, verified_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, $8, $9)`,
        [record.identityVerificationId, record.customerId, record.customerIdAssigned ? true : null, jsonText(record.customer), record.status, jsonText(record.rejection), record.verifiedAt ?? null, record.createdAt, record.updatedAt],
      );
    },

    async getIdentityVerification(id) {
      const row = await one(`SELECT * FROM ${s}.identity_verifications WHERE identity_verification_id = $1`, [id]);
      return row && toIdentityVerification(row);
    },

    async updatePendingIdentityVerification(u) {
      const rows = await sql.query(
        `UPDATE ${s}.identity_verifications SET customer = $1::jsonb, updated_at = $2 WHERE identity_verification_id = $3 AND status = 'PENDING' AND customer_id = $4 RETURNING 1`,
        [jsonText(u.customer), u.now, u.identityVerificationId, u.customerId],
      );
      return rows.length === 1;
    },

    // The verification's compare-and-set and its events, in one statement.
    async settleIdentityVerification(c: IdentityVerificationSettlement) {
      const p = new Params();
      const now = p.add(c.now);
      const rows = await sql.query(
        `WITH settled AS (UPDATE ${s}.identity_verifications SET status = ${p.add(c.status)}, verified_at = ${p.add(c.verifiedAt)}, rejection = ${p.json(c.rejection)}, updated_at = ${now}
           WHERE identity_verification_id = ${p.add(c.identityVerificationId)} AND status = 'PENDING' AND customer_id = ${p.add(c.customerId)} RETURNING 1),
         written AS (${insertEvents(s, p, c.events, now, 'settled')})
         SELECT count(*)::int AS n FROM settled`,
        p.values,
      );
      return rows[0]!.n === 1;
    },

    async createIssue(issue) {
      await sql.query(
        `INSERT INTO ${s}.billing_key_issues (issue_id, issue_name, customer_id, customer_assigned, customer, plan, status, billing_key, subscription_id, payment_id, created_at, completed_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12)`,
        [issue.issueId, issue.issueName, issue.customerId, issue.customerIdAssigned ? true : null, jsonText(issue.customer), issue.plan ?? null, issue.status, issue.billingKey ?? null, issue.subscriptionId ?? null, issue.paymentId ?? null, issue.createdAt, issue.completedAt ?? null],
      );
    },

    async updatePendingIssue(update: IssueUpdate) {
      const rows = await sql.query(
        `UPDATE ${s}.billing_key_issues SET customer = $1::jsonb WHERE issue_id = $2 AND status = 'PENDING' AND customer_id = $3 AND plan IS NOT DISTINCT FROM $4 RETURNING 1`,
        [jsonText(update.customer), update.issueId, update.customerId, update.plan ?? null],
      );
      return rows.length === 1;
    },

    async getIssue(issueId) {
      const row = await one(`SELECT * FROM ${s}.billing_key_issues WHERE issue_id = $1`, [issueId]);
      return row && toIssue(row);
    },

    // The approval's attempt is the issue's compare-and-set: 0 when none was ever recorded.
    async changeIssueApproval(c: IssueApprovalChange) {
      const p = new Params();
      const sets: string[] = [];
      if (c.patch.approval !== undefined) sets.push(`approval = ${p.json(c.patch.approval)}`);
      if (c.patch.reservedAt !== undefined) sets.push(`reserved_at = ${p.add(c.patch.reservedAt)}`);
      if (c.patch.failure !== undefined) sets.push(`failure = ${p.json(c.patch.failure)}`);
      if (sets.length === 0) return false;
      const now = p.add(c.now);
      // A new approval is decided on the issue's number; any other change on the approval in progress.
      const at = c.patch.approval ? `coalesce((approval->>'attempt')::int, (failure->>'attempt')::int, 0)` : `(approval->>'attempt')::int`;
      const rows = await sql.query(
        `WITH changed AS (UPDATE ${s}.billing_key_issues SET ${sets.join(', ')}
           WHERE issue_id = ${p.add(c.issueId)} AND status = 'PENDING' AND ${at} = ${p.add(c.attempt)} RETURNING 1),
         written AS (${insertEvents(s, p, c.events, now, 'changed')})
         SELECT count(*)::int AS n FROM changed`,
        p.values,
      );
      return rows[0]!.n === 1;
    },

    // The issue's compare-and-set and everything the completion brings, in one statement.
    async completeIssue(c: IssueCompletion) {
      const p = new Params();
      const ctes = [
        `completed AS (UPDATE ${s}.billing_key_issues SET status = 'COMPLETED', billing_key = ${p.add(c.billingKey)}, subscription_id = ${p.add(c.subscription?.id)},
           payment_id = ${p.add(c.firstOrder?.paymentId)}, completed_at = ${p.add(c.now)}, approval = NULL
         WHERE issue_id = ${p.add(c.issueId)} AND status = 'PENDING' AND customer_id = ${p.add(c.customerId)} AND plan IS NOT DISTINCT FROM ${p.add(c.plan)} RETURNING 1)`,
        `key_saved AS (${KEY_UPSERT(s)} SELECT ${keyValues(p, c.key)} FROM completed ${KEY_CONFLICT})`,
      ];
      if (c.subscription) ctes.push(`subscription_made AS (INSERT INTO ${s}.subscriptions (${SUBSCRIPTION_COLUMNS}) SELECT ${subscriptionValues(p, c.subscription)} FROM completed)`);
      if (c.firstOrder) ctes.push(`order_made AS (INSERT INTO ${s}.orders (${ORDER_COLUMNS}) SELECT ${orderValues(p, c.firstOrder)} FROM completed)`);
      const now = p.add(c.now);
      ctes.push(
        `written AS (${insertEvents(s, p, c.events, now, 'completed')})`,
      );
      const rows = await sql.query(`WITH ${ctes.join(',\n')} SELECT count(*)::int AS n FROM completed`, p.values);
      return rows[0]!.n === 1;
    },

    async saveBillingKey(key, events, now) {
      const p = new Params();
      const at = p.add(now ?? key.updatedAt);
      await sql.query(
        `WITH key_saved AS (${KEY_UPSERT(s)} VALUES (${keyValues(p, key)}) ${KEY_CONFLICT})
         ${insertEvents(s, p, events, at)}`,
        p.values,
      );
    },

    async getBillingKey(billingKey) {
      const row = await one(`SELECT * FROM ${s}.billing_keys WHERE billing_key = $1`, [billingKey]);
      return row && toBillingKey(row);
    },

    async listBillingKeys(query = {}) {
      const rows = query.customerId
        ? await sql.query(`SELECT * FROM ${s}.billing_keys WHERE customer_id = $1 ORDER BY updated_at DESC LIMIT $2`, [query.customerId, query.limit ?? 100])
        : await sql.query(`SELECT * FROM ${s}.billing_keys ORDER BY updated_at DESC LIMIT $1`, [query.limit ?? 100]);
      return rows.map(toBillingKey);
    },

    async createSubscription(subscription, events) {
      const p = new Params();
      const at = p.add(subscription.createdAt);
      await sql.query(
        `WITH made AS (INSERT INTO ${s}.subscriptions (${SUBSCRIPTION_COLUMNS}) VALUES (${subscriptionValues(p, subscription)}) RETURNING 1)
         ${insertEvents(s, p, events, at, 'made')}`,
        p.values,
      );
    },

    async getSubscription(id) {
      const row = await one(`SELECT * FROM ${s}.subscriptions WHERE id = $1`, [id]);
      return row && toSubscription(row);
    },

    async updateSubscription(u: SubscriptionUpdate) {
      const p = new Params();
      const sets = [`updated_at = ${p.add(u.now)}`];
      const columns = { status: 'status', nextPaymentId: 'next_payment_id', nextChargeAt: 'next_charge_at', scheduleId: 'schedule_id', paidPeriods: 'paid_periods' } as const;
      for (const [field, column] of Object.entries(columns)) {
        const value = u.patch[field as keyof typeof columns];
        if (value !== undefined) sets.push(`${column} = ${p.add(value)}`);
      }
      const where = [`id = ${p.add(u.id)}`];
      if (u.expect?.statuses) {
        if (u.expect.statuses.length === 0) return false;
        where.push(`status = ANY(${p.add(u.expect.statuses)}::text[])`);
      }
      if (u.expect?.nextPaymentId !== undefined) where.push(`next_payment_id = ${p.add(u.expect.nextPaymentId)}`);
      const ctes = [`updated AS (UPDATE ${s}.subscriptions SET ${sets.join(', ')} WHERE ${where.join(' AND ')} RETURNING 1)`];
      if (u.newOrder) ctes.push(`order_made AS (INSERT INTO ${s}.orders (${ORDER_COLUMNS}) SELECT ${orderValues(p, u.newOrder)} FROM updated)`);
      const now = p.add(u.now);
      ctes.push(
        `written AS (${insertEvents(s, p, u.events, now, 'updated')})`,
      );
      const rows = await sql.query(`WITH ${ctes.join(',\n')} SELECT count(*)::int AS n FROM updated`, p.values);
      return rows[0]!.n === 1;
    },

    async listSubscriptions(query = {}) {
      const p = new Params();
      const where: string[] = [];
      if (query.customerId) where.push(`customer_id = ${p.add(query.customerId)}`);
      if (query.billingKey) where.push(`billing_key = ${p.add(query.billingKey)}`);
      if (query.statuses) {
        if (query.statuses.length === 0) return [];
        where.push(`status = ANY(${p.add(query.statuses)}::text[])`);
      }
      const rows = await sql.query(`SELECT * FROM ${s}.subscriptions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ${p.add(query.limit ?? 100)}`, p.values);
      return rows.map(toSubscription);
    },
  };
}

/** Several calls of the store's hot methods in one statement each (see batches.ts); each answered in order. */
export interface BatchQueries {
  getOrders(paymentIds: readonly string[]): Promise<(Order | undefined)[]>;
  /**
   * Transitions of one shape (`transitionShape`), of distinct orders and event keys, as one
   * statement: each its own compare-and-set, all written or (an error) none.
   */
  transitions(changes: readonly OrderTransition[]): Promise<(TransitionOutcome | undefined)[]>;
  /** `finishEvent` with outcome `done`, for events of distinct ids. */
  finishDone(calls: readonly { id: number; claim: string; now: number }[]): Promise<boolean[]>;
}

export function createBatchQueries(sql: Sql, s: string): BatchQueries {
  return {
    async getOrders(paymentIds) {
      const rows = await sql.query(`SELECT * FROM ${s}.orders WHERE payment_id = ANY($1::text[])`, [paymentIds], 'getOrders');
      const found = new Map(rows.map((row) => [row.payment_id as string, row]));
      // Each caller gets an order of its own, as from a statement of its own: one asked for twice
      // is copied, since the two readings would share the row's parsed JSON.
      const given = new Set<string>();
      return paymentIds.map((id) => {
        const row = found.get(id);
        if (!row) return undefined;
        if (given.has(id)) return structuredClone(toOrder(row));
        given.add(id);
        return toOrder(row);
      });
    },

    async transitions(changes) {
      const first = changes[0]!;
      const patch = first.patch ?? {};
      // Each change is one JSON object of the parameter; the SET list is the shape's.
      const sets = [`status = b.v->>'to'`, 'revision = o.revision + 1', `updated_at = (b.v->>'now')::bigint`];
      if (patch.cancelledAmount !== undefined) sets.push(`cancelled_amount = greatest(o.cancelled_amount, (b.v->>'cancelledAmount')::bigint)`);
      for (const [field, column, isJson] of PATCH_COLUMNS) {
        if (patch[field] === undefined) continue;
        sets.push(isJson ? `${column} = nullif(b.v->'patch'->'${field}', 'null'::jsonb)` : `${column} = (b.v->'patch'->>'${field}')::${PATCH_TYPES[column] ?? 'text'}`);
      }
      const claimed = first.claim !== undefined;
      // Sent in payment id order, so two instances' statements tend to meet their rows in one order; a
      // deadlock PostgreSQL still has to break fails one statement, whose calls are then run alone.
      const order = changes.map((_, i) => i).sort((a, b) => (changes[a]!.paymentId < changes[b]!.paymentId ? -1 : 1));
      const values = order.map((i) => {
        const c = changes[i]!;
        return {
          i,
          to: c.to,
          now: c.now,
          paymentId: c.paymentId,
          revision: c.revision,
          cancelledAmount: c.patch?.cancelledAmount,
          patch: c.patch ?? {},
          events: (c.events ?? []).map((e, index) => ({ index, key: e.key, type: e.type, payment_id: e.paymentId ?? null, payload: e.payload ?? null })),
          lock: c.claim ? c.now + c.claim.leaseMs : null,
          claim: c.claim?.claim ?? null,
        };
      });
      const rows = await sql.query(
        `WITH b AS (SELECT (t.v->>'i')::int AS i, t.v FROM jsonb_array_elements($1::jsonb) AS t(v)),
         changed AS (UPDATE ${s}.orders o SET ${sets.join(', ')}
           FROM b WHERE o.payment_id = ANY($2::text[]) AND o.payment_id = b.v->>'paymentId' AND o.revision = (b.v->>'revision')::int
           RETURNING b.i AS batch_index, o.*),
         written AS (INSERT INTO ${s}.events (key, type, payment_id, payload, status, attempts, next_attempt_at, locked_until, claim, created_at)
           SELECT x.key, x.type, x.payment_id, x.payload, ${claimed ? `'running', 1` : `'pending', 0`}, (b.v->>'now')::bigint,
             ${claimed ? `(b.v->>'lock')::bigint, b.v->>'claim'` : 'NULL, NULL'}, (b.v->>'now')::bigint
           FROM changed JOIN b ON b.i = changed.batch_index, jsonb_to_recordset(b.v->'events') AS ${EVENT_RECORD}
           ORDER BY changed.batch_index, x.index
           ON CONFLICT (key) DO NOTHING RETURNING id, key)
         SELECT 'order' AS row_kind, changed.batch_index, to_jsonb(changed.*) AS row FROM changed
         UNION ALL SELECT 'event', NULL, jsonb_build_object('id', written.id, 'key', written.key) FROM written`,
        // The ids again as an array: the orders are then found by their key, never by a scan, whatever
        // the planner guesses of the JSON's length.
        [JSON.stringify(values), values.map((v) => v.paymentId)],
        'transitions',
      );
      const changedRows = new Map<number, Row>();
      for (const r of rows) if (r.row_kind === 'order') changedRows.set(Number(r.batch_index), r.row as Row);
      // The batch's event keys are distinct, so each written key belongs to the one change that carries it.
      const ids = writtenIds(rows.filter((r) => r.row_kind === 'event'));
      return changes.map((change, i) => {
        const row = changedRows.get(i);
        return row ? transitionOutcome(change, row, ids) : undefined;
      });
    },

    async finishDone(calls) {
      const rows = await sql.query(
        `UPDATE ${s}.events e SET status = 'done', done_at = x.now, locked_until = NULL, claim = NULL
         FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS x(id, claim, now)
         WHERE e.id = ANY($1::bigint[]) AND e.id = x.id AND e.claim = x.claim AND e.status = 'running' RETURNING e.id`,
        [calls.map((c) => c.id), calls.map((c) => c.claim), calls.map((c) => c.now)],
        'finishDoneMany',
      );
      const finished = new Set(rows.map((row) => Number(row.id)));
      return calls.map((c) => finished.has(c.id));
    },
  };
}

