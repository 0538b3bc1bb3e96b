// The embedded default store: SQLite through better-sqlite3, in WAL mode, so several kit instances
// (processes or connections) can share one file. All of the kit's SQL for this dialect lives here.
// better-sqlite3 is synchronous, so every method is one short transaction that never spans an await:
// a lock is never held while the event loop waits on something else. Writes arriving together are
// committed together (group commit: one transaction, each write in its own savepoint, each caller
// answered with its own result), which under load saves most commits and their WAL pages; reads
// asked for together are run back to back, with SQLite's code and pages still warm. Waiting
// for another process's lock is done in short synchronous slices with asynchronous pauses between
// them, so a busy file never stalls the event loop for long.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OrderStatus } from '../../contract.js';
import type {
  BillingKeyIssue,
  HookEvent,
  NewEvent,
  NewOrder,
  Order,
  OrderPatch,
  StoredBillingKey,
  Subscription,
  WebhookDelivery,
} from '../model.js';
import type {
  CheckoutStore,
  EventClaim,
  EventOutcome,
  IssueCompletion,
  OrderQuery,
  OrderTransition,
  ReconcileQuery,
  SubscriptionUpdate,
  WebhookClaim,
  WebhookClaimResult,
  TransitionOutcome,
} from './port.js';

export interface SqliteStoreOptions {
  /** File path, created with its directory if missing; `:memory:` for a throwaway database. */
  path: string;
  /**
   * How long a call waits in all for another connection's lock, ms. Default 5000. The wait is
   * synchronous for at most a few milliseconds at a time, asynchronous in between.
   */
  busyTimeoutMs?: number;
}

/** The longest synchronous wait for a lock (SQLite's busy handler); longer waits go through the event loop. */
const BUSY_SLICE_MS = 5;

/** Versioned migrations, applied in order, each once, inside one immediate transaction. */
const MIGRATIONS: readonly string[] = [
  // 1: the initial schema.
  `
  CREATE TABLE orders (
    payment_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    order_name TEXT NOT NULL,
    total_amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    tax_free_amount INTEGER,
    vat_amount INTEGER,
    lines TEXT NOT NULL,
    customer TEXT,
    reference TEXT,
    pay_method TEXT,
    plan TEXT,
    subscription_id TEXT,
    due_at INTEGER,
    cancelled_amount INTEGER NOT NULL DEFAULT 0,
    paid_at TEXT,
    virtual_account TEXT,
    failure TEXT,
    flag TEXT,
    billing_key TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX orders_status_updated ON orders (status, updated_at);
  CREATE INDEX orders_created ON orders (created_at);
  CREATE INDEX orders_subscription ON orders (subscription_id);

  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    payment_id TEXT,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    locked_until INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    done_at INTEGER
  );
  CREATE INDEX events_due ON events (status, next_attempt_at);
  CREATE INDEX events_payment ON events (payment_id);

  CREATE TABLE webhook_deliveries (
    webhook_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    payment_id TEXT,
    billing_key TEXT,
    status TEXT NOT NULL,
    received_count INTEGER NOT NULL,
    note TEXT,
    first_received_at INTEGER NOT NULL,
    last_received_at INTEGER NOT NULL,
    locked_until INTEGER
  );
  CREATE INDEX webhook_deliveries_received ON webhook_deliveries (last_received_at);

  CREATE TABLE billing_key_issues (
    issue_id TEXT PRIMARY KEY,
    issue_name TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    customer TEXT,
    plan TEXT,
    status TEXT NOT NULL,
    billing_key TEXT,
    subscription_id TEXT,
    payment_id TEXT,
    created_at INTEGER NOT NULL,
    completed_at INTEGER
  );

  CREATE TABLE billing_keys (
    billing_key TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    status TEXT NOT NULL,
    display TEXT,
    channel_key TEXT,
    issue_id TEXT,
    issued_at TEXT NOT NULL,
    deleted_at TEXT,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX billing_keys_customer ON billing_keys (customer_id);

  CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    plan TEXT NOT NULL,
    billing_key TEXT NOT NULL,
    status TEXT NOT NULL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    next_payment_id TEXT,
    next_charge_at INTEGER,
    schedule_id TEXT,
    paid_periods INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX subscriptions_customer ON subscriptions (customer_id);
  CREATE INDEX subscriptions_billing_key ON subscriptions (billing_key);
  `,
  // 2: orders listed per customer; re-prepares (a revision to compare-and-set on, the kit-assigned
  // customer id told apart from one the shop named, when a window was first seen open).
  `
  ALTER TABLE orders ADD COLUMN customer_id TEXT;
  ALTER TABLE orders ADD COLUMN customer_assigned INTEGER;
  ALTER TABLE orders ADD COLUMN started_at INTEGER;
  ALTER TABLE orders ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
  UPDATE orders SET customer_id = json_extract(customer, '$.customerId') WHERE customer IS NOT NULL;
  CREATE INDEX orders_customer ON orders (customer_id, created_at);
  ALTER TABLE billing_key_issues ADD COLUMN customer_assigned INTEGER;
  `,
  // 3: reconciliation walks orders by last activity through an index and remembers what it checked;
  // outbox claims carry a token; attempts that failed only because PortOne was down are counted apart.
  `
  ALTER TABLE orders ADD COLUMN checked_at INTEGER;
  CREATE INDEX orders_reconcile ON orders (status, coalesce(due_at, updated_at), payment_id, checked_at);
  ALTER TABLE events ADD COLUMN claim TEXT;
  ALTER TABLE events ADD COLUMN transient_attempts INTEGER NOT NULL DEFAULT 0;
  `,
  // 4: the reconcile index holds only the orders reconcile() walks (PENDING, VIRTUAL_ACCOUNT_ISSUED),
  // so paying an order takes it out of the index instead of moving it within; orders_status_updated
  // served nothing orders_reconcile and orders_created do not. Each payment's commit writes fewer pages.
  `
  DROP INDEX orders_reconcile;
  CREATE INDEX orders_open ON orders (status, coalesce(due_at, updated_at), payment_id, checked_at)
    WHERE status IN ('PENDING', 'VIRTUAL_ACCOUNT_ISSUED');
  DROP INDEX IF EXISTS orders_status_updated;
  `,
  // 5: webhook deliveries are claimed with a token like outbox events, and every claim is renewed by
  // its holder while it lives, so the claims of a process that died are found (and run out) quickly.
  `
  ALTER TABLE webhook_deliveries ADD COLUMN claim TEXT;
  CREATE INDEX webhook_deliveries_processing ON webhook_deliveries (claim) WHERE status = 'processing';
  CREATE INDEX events_running ON events (claim) WHERE status = 'running';
  `,
];

type Row = Record<string, unknown>;

const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
const parse = <T>(text: unknown): T | undefined => (typeof text === 'string' ? (JSON.parse(text) as T) : undefined);
const opt = <T>(value: unknown): T | undefined => (value === null || value === undefined ? undefined : (value as T));

/** Drops `undefined` properties so records compare cleanly and serialise without noise (copying: `delete` slows objects down). */
function compact<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const key in record) if (record[key] !== undefined) out[key] = record[key];
  return out as T;
}

/** The hot path of every complete and webhook: builds the order without a second pass over its fields. */
function toOrder(row: Row): Order {
  const order: Order = {
    paymentId: row.payment_id as string,
    orderId: row.order_id as string,
    kind: row.kind as Order['kind'],
    status: row.status as OrderStatus,
    orderName: row.order_name as string,
    totalAmount: row.total_amount as number,
    currency: row.currency as Order['currency'],
    lines: parse<Order['lines']>(row.lines) ?? [],
    cancelledAmount: row.cancelled_amount as number,
    revision: row.revision as number,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
  };
  if (row.tax_free_amount !== null) order.taxFreeAmount = row.tax_free_amount as number;
  if (row.vat_amount !== null) order.vatAmount = row.vat_amount as number;
  if (row.customer !== null) order.customer = parse<Order['customer']>(row.customer)!;
  if (row.reference !== null) order.reference = row.reference as string;
  if (row.pay_method !== null) order.payMethod = row.pay_method as string;
  if (row.plan !== null) order.plan = row.plan as string;
  if (row.subscription_id !== null) order.subscriptionId = row.subscription_id as string;
  if (row.due_at !== null) order.dueAt = row.due_at as number;
  if (row.paid_at !== null) order.paidAt = row.paid_at as string;
  if (row.virtual_account !== null) order.virtualAccount = parse<Order['virtualAccount']>(row.virtual_account)!;
  if (row.failure !== null) order.failure = parse<Order['failure']>(row.failure)!;
  if (row.flag !== null) order.flag = parse<Order['flag']>(row.flag)!;
  if (row.billing_key !== null) order.billingKey = row.billing_key as string;
  if (row.customer_assigned !== null) order.customerIdAssigned = true;
  if (row.started_at !== null) order.startedAt = row.started_at as number;
  if (row.checked_at !== null) order.checkedAt = row.checked_at as number;
  return order;
}

function toEvent(row: Row): HookEvent {
  return compact({
    id: row.id as number,
    key: row.key as string,
    type: row.type as HookEvent['type'],
    paymentId: opt<string>(row.payment_id),
    payload: parse<unknown>(row.payload),
    status: row.status as HookEvent['status'],
    attempts: row.attempts as number,
    transientAttempts: row.transient_attempts as number,
    claim: opt<string>(row.claim),
    nextAttemptAt: row.next_attempt_at as number,
    lastError: opt<string>(row.last_error),
    createdAt: row.created_at as number,
    doneAt: opt<number>(row.done_at),
  });
}

function toDelivery(row: Row): WebhookDelivery {
  return compact({
    webhookId: row.webhook_id as string,
    type: row.type as string,
    paymentId: opt<string>(row.payment_id),
    billingKey: opt<string>(row.billing_key),
    status: row.status as WebhookDelivery['status'],
    receivedCount: row.received_count as number,
    note: opt<string>(row.note),
    firstReceivedAt: row.first_received_at as number,
    lastReceivedAt: row.last_received_at as number,
  });
}

function toIssue(row: Row): BillingKeyIssue {
  return compact({
    issueId: row.issue_id as string,
    issueName: row.issue_name as string,
    customerId: row.customer_id as string,
    customerIdAssigned: row.customer_assigned === null ? undefined : (true as const),
    customer: parse<BillingKeyIssue['customer']>(row.customer),
    plan: opt<string>(row.plan),
    status: row.status as BillingKeyIssue['status'],
    billingKey: opt<string>(row.billing_key),
    subscriptionId: opt<string>(row.subscription_id),
    paymentId: opt<string>(row.payment_id),
    createdAt: row.created_at as number,
    completedAt: opt<number>(row.completed_at),
  });
}

function toBillingKey(row: Row): StoredBillingKey {
  return compact({
    billingKey: row.billing_key as string,
    customerId: row.customer_id as string,
    status: row.status as StoredBillingKey['status'],
    display: opt<string>(row.display),
    channelKey: opt<string>(row.channel_key),
    issueId: opt<string>(row.issue_id),
    issuedAt: row.issued_at as string,
    deletedAt: opt<string>(row.deleted_at),
    updatedAt: row.updated_at as number,
  });
}

function toSubscription(row: Row): Subscription {
  return compact({
    id: row.id as string,
    customerId: row.customer_id as string,
    plan: row.plan as string,
    billingKey: row.billing_key as string,
    status: row.status as Subscription['status'],
    amount: row.amount as number,
    currency: row.currency as Subscription['currency'],
    nextPaymentId: opt<string>(row.next_payment_id),
    nextChargeAt: opt<number>(row.next_charge_at),
    scheduleId: opt<string>(row.schedule_id),
    paidPeriods: row.paid_periods as number,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
  });
}

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Adds `column IN (…)` to a query's terms and values; false for an empty list (the query can match nothing). */
const addIn = (where: string[], values: unknown[], column: string, list: readonly unknown[]): boolean => {
  if (list.length === 0) return false;
  where.push(`${column} IN (${placeholders(list.length)})`);
  values.push(...list);
  return true;
};

const whereClause = (terms: readonly string[]): string => (terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '');

/** Column for each OrderPatch field; `cancelledAmount` is special-cased (it only grows). */
const ORDER_PATCH_COLUMNS = {
  payMethod: ['pay_method', (v: unknown) => v],
  paidAt: ['paid_at', (v: unknown) => v],
  virtualAccount: ['virtual_account', json],
  failure: ['failure', json],
  flag: ['flag', json],
  billingKey: ['billing_key', (v: unknown) => v],
  subscriptionId: ['subscription_id', (v: unknown) => v],
  startedAt: ['started_at', (v: unknown) => v],
} as const satisfies Record<Exclude<keyof OrderPatch, 'cancelledAmount'>, readonly [string, (v: unknown) => unknown]>;
const PATCH_COLUMNS = Object.entries(ORDER_PATCH_COLUMNS).map(([field, [column, encode]]) => [field as keyof typeof ORDER_PATCH_COLUMNS, column, encode] as const);

/** Opens (and migrates) a SQLite store. */
export function createSqliteStore(options: SqliteStoreOptions): CheckoutStore & { readonly path: string } {
  if (options.path !== ':memory:' && options.path !== '') mkdirSync(dirname(options.path), { recursive: true });
  const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000));
  const db = new Database(options.path);
  // Opening and migrating happen once, before any request: they may wait synchronously.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  // WAL with NORMAL: a commit is durable once the WAL is checkpointed; a power cut may lose the last
  // commits but never corrupts the file (SQLite's documented trade-off for WAL).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  db.pragma(`busy_timeout = ${Math.min(BUSY_SLICE_MS, busyTimeoutMs)}`);

  const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 ** attempt) * (0.5 + Math.random())));

  /** Runs one synchronous read, retrying while another connection holds the lock, up to `busyTimeoutMs` in all. */
  const retried = async <R>(fn: () => R): Promise<R> => {
    const deadline = Date.now() + busyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return fn();
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
        await pause(attempt);
      }
    }
  };

  // Group commit. A write is queued and applied at the next turn of the event loop together with
  // the others queued by then, in one IMMEDIATE transaction; each runs in its own savepoint, so one
  // that throws (a duplicate key) is undone alone — one of a single statement needs none, SQLite
  // undoes a failed statement by itself. Each caller's promise settles after the commit.
  interface QueuedWrite {
    run: () => unknown;
    /** One statement: applied without a savepoint of its own. */
    single: boolean;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }
  type Applied = { ok: true; value: unknown } | { ok: false; error: unknown };
  let queue: QueuedWrite[] = [];
  /** A flush is due at the next turn of the event loop. */
  let due = false;
  /** The flush under way (it may wait for another connection's lock). */
  let flushing: Promise<void> | undefined;
  const isolated = db.transaction((fn: () => unknown) => fn());
  const commitGroup = db.transaction((batch: QueuedWrite[]): Applied[] =>
    batch.map((w) => {
      try {
        return { ok: true, value: w.single ? w.run() : isolated(w.run) };
      } catch (error) {
        if (isBusy(error)) throw error;
        return { ok: false, error };
      }
    }),
  ).immediate;
  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const deadline = Date.now() + busyTimeoutMs;
      for (let attempt = 0; ; attempt++) {
        try {
          const applied = commitGroup(batch);
          applied.forEach((a, i) => (a.ok ? batch[i]!.resolve(a.value) : batch[i]!.reject(a.error)));
          break;
        } catch (error) {
          // Nothing of the batch was applied: wait for the other connection, or give up on all of it.
          if (isBusy(error) && Date.now() < deadline) {
            await pause(attempt);
            continue;
          }
          for (const w of batch) w.reject(error);
          break;
        }
      }
    }
  };
  /** Starts a flush at the next turn of the event loop, unless one is due or under way (that one takes the queue). */
  const kick = (): void => {
    if (due || flushing) return;
    due = true;
    setImmediate(() => {
      due = false;
      flushing = flush().finally(() => {
        flushing = undefined;
        // Writes queued after the flush's last look at the queue, while it was finishing.
        if (queue.length > 0) kick();
      });
    });
  };
  const grouped = <R>(fn: () => R, shape: 'statements' | 'one statement' = 'statements'): Promise<R> => {
    if (closed) return Promise.reject(new Error('the SQLite store is closed'));
    return new Promise<R>((resolve, reject) => {
      queue.push({ run: fn, single: shape === 'one statement', resolve: resolve as (value: unknown) => void, reject });
      kick();
    });
  };

  // Reads are grouped too: each is queued and run at the next turn of the event loop, back to back
  // with the others queued by then. Run one by one amid request handling, each read finds SQLite's
  // code and pages gone from the CPU caches; run together, all but the first find them warm. A read
  // still sees every write committed before it was asked for (its caller awaited that commit).
  interface QueuedRead {
    run: () => unknown;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }
  let reads: QueuedRead[] = [];
  const runReads = (): void => {
    const batch = reads;
    reads = [];
    for (const r of batch) {
      try {
        r.resolve(r.run());
      } catch (error) {
        // Another connection's lock (rare for a WAL reader): this one waits for it, the others do not.
        if (isBusy(error)) retried(r.run).then(r.resolve, r.reject);
        else r.reject(error);
      }
    }
  };
  const read = <R>(fn: () => R): Promise<R> => {
    if (closed) return Promise.reject(new Error('the SQLite store is closed'));
    return new Promise<R>((resolve, reject) => {
      if (reads.push({ run: fn, resolve: resolve as (value: unknown) => void, reject }) === 1) setImmediate(runReads);
    });
  };

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

  /**
   * Inserts events already claimed by the caller; resolves with those inserted (an existing key is
   * left alone). Only the id comes back from SQLite: the rest is what was just written, and a
   * payment's payload is not copied out and parsed again.
   */
  const insertClaimedEvents = (events: readonly NewEvent[] | undefined, now: number, claim: string, leaseUntil: number): HookEvent[] => {
    const claimed: HookEvent[] = [];
    for (const event of events ?? []) {
      const payload = JSON.stringify(event.payload ?? null);
      const row = stmt(
        `INSERT INTO events (key, type, payment_id, payload, status, attempts, next_attempt_at, locked_until, claim, created_at)
         VALUES (?, ?, ?, ?, 'running', 1, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id`,
      ).get(event.key, event.type, event.paymentId ?? null, payload, now, leaseUntil, claim, now) as { id: number } | undefined;
      if (!row) continue;
      claimed.push({
        id: row.id,
        key: event.key,
        type: event.type,
        ...(event.paymentId !== undefined ? { paymentId: event.paymentId } : {}),
        payload: event.payload ?? null,
        status: 'running',
        attempts: 1,
        transientAttempts: 0,
        claim,
        nextAttemptAt: now,
        createdAt: now,
      });
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
    for (const [field, column, encode] of PATCH_COLUMNS) {
      const value = patch[field];
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(encode(value));
    }
    const row = stmt(`UPDATE orders SET ${sets.join(', ')} WHERE payment_id = ? AND revision = ? RETURNING *`).get(...values, change.paymentId, change.revision) as Row | undefined;
    if (!row) return undefined;
    if (change.billingKey) upsertBillingKey(change.billingKey);
    if (change.subscription) insertSubscription(change.subscription, true);
    if (!change.claim) {
      insertEvents(change.events, change.now);
      return { order: toOrder(row), claimed: [] };
    }
    return { order: toOrder(row), claimed: insertClaimedEvents(change.events, change.now, change.claim.claim, change.claim.leaseUntil) };
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
      `UPDATE billing_key_issues SET status = 'COMPLETED', billing_key = ?, subscription_id = ?, payment_id = ?, completed_at = ?
       WHERE issue_id = ? AND status = 'PENDING' AND customer_id = ? AND plan IS ?`,
    ).run(c.billingKey, c.subscription?.id ?? null, c.firstOrder?.paymentId ?? null, c.now, c.issueId, c.customerId, c.plan ?? null);
    if (result.changes !== 1) return false;
    upsertBillingKey(c.key);
    if (c.subscription) insertSubscription(c.subscription);
    if (c.firstOrder) insertOrder(c.firstOrder);
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
  const saveBillingKey = (key: StoredBillingKey, events: readonly NewEvent[] | undefined, now: number) => {
    upsertBillingKey(key);
    insertEvents(events, now);
  };
  const createSubscription = (s: Subscription, events: readonly NewEvent[] | undefined) => {
    insertSubscription(s);
    insertEvents(events, s.createdAt);
  };

  const listOrders = (query: OrderQuery): Order[] => {
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

  // A range scan of orders_open (status, activity, payment_id, checked_at): the recheck rule is
  // evaluated on the index, a row is read only for the orders returned. The literal status term is
  // what lets SQLite use that partial index (its WHERE must appear in the query's).
  const listOrdersToReconcile = (q: ReconcileQuery): Order[] => {
    if (q.status !== 'PENDING' && q.status !== 'VIRTUAL_ACCOUNT_ISSUED') {
      throw new Error(`listOrdersToReconcile: expected status PENDING or VIRTUAL_ACCOUNT_ISSUED, got ${JSON.stringify(q.status)}`);
    }
    const activity = 'coalesce(due_at, updated_at)';
    const after = q.after ? ` AND (${activity}, payment_id) > (?, ?)` : '';
    const sql = `SELECT * FROM orders
      WHERE status IN ('PENDING', 'VIRTUAL_ACCOUNT_ISSUED') AND status = ? AND ${activity} >= ? AND ${activity} < ?${after}
        AND (checked_at IS NULL OR ? - checked_at >= min(checked_at - ${activity}, ?))
      ORDER BY ${activity}, payment_id LIMIT ?`;
    const afterValues = q.after ? [q.after.activity, q.after.paymentId] : [];
    return (stmt(sql).all(q.status, q.activeFrom, q.activeTo, ...afterValues, q.now, q.maxRecheckMs, q.limit) as Row[]).map(toOrder);
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

  const listEvents = (query: { statuses?: readonly string[]; paymentId?: string; keys?: readonly string[]; limit?: number }): HookEvent[] => {
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

  let closed = false;
  return {
    path: options.path,

    createOrder: (order) => grouped(() => createOrder(order)),
    getOrder: (paymentId) =>
      read(() => {
        const row = stmt(`SELECT * FROM orders WHERE payment_id = ?`).get(paymentId) as Row | undefined;
        return row && toOrder(row);
      }),
    transition: (change) => grouped(() => transition(change)),
    listOrders: (query = {}) => read(() => listOrders(query)),
    listOrdersToReconcile: (query) => read(() => listOrdersToReconcile(query)),
    noteChecked: (paymentId, now) =>
      grouped(() => {
        stmt(`UPDATE orders SET checked_at = ? WHERE payment_id = ?`).run(now, paymentId);
      }, 'one statement'),
    pruneAbandoned: (query) =>
      grouped(() => {
        // Only orders reconcile() found PortOne has no payment for; never a subscription's period (its
        // subscription points at it), nor an order a window was seen open for.
        const result = stmt(
          `DELETE FROM orders WHERE payment_id IN (
             SELECT payment_id FROM orders
             WHERE status = 'PENDING' AND coalesce(due_at, updated_at) < ? AND checked_at IS NOT NULL AND started_at IS NULL
               AND kind <> 'subscription'
             ORDER BY coalesce(due_at, updated_at) LIMIT ?)`,
        ).run(query.before, query.limit);
        const issues = stmt(
          `DELETE FROM billing_key_issues WHERE issue_id IN (
             SELECT issue_id FROM billing_key_issues WHERE status = 'PENDING' AND created_at < ? ORDER BY created_at LIMIT ?)`,
        ).run(query.before, query.limit);
        return { orders: result.changes, issues: issues.changes };
      }),

    claimEvents: (claim) => grouped(() => claimEvents(claim)),
    renewClaims: ({ holder, until }) =>
      grouped(() => {
        // Tokens are `<holder>:<unique>`: the partial indexes hold only the claims live right now.
        const mine = `substr(claim, 1, ${holder.length + 1}) = ?`;
        stmt(`UPDATE events SET locked_until = ? WHERE status = 'running' AND claim IS NOT NULL AND ${mine}`).run(until, `${holder}:`);
        stmt(`UPDATE webhook_deliveries SET locked_until = ? WHERE status = 'processing' AND claim IS NOT NULL AND ${mine}`).run(until, `${holder}:`);
      }),
    finishEvent: (event, outcome) => grouped(() => finishEvent(event, outcome), 'one statement'),
    reviveEvents: (query) =>
      grouped(() => {
        if (query.types.length === 0) return 0;
        const result = stmt(
          `UPDATE events SET status = 'pending', attempts = 0, transient_attempts = 0, next_attempt_at = ?, done_at = NULL
           WHERE status = 'dead' AND type IN (${placeholders(query.types.length)})`,
        ).run(query.now, ...query.types);
        return result.changes;
      }, 'one statement'),
    listEvents: (query = {}) => read(() => listEvents(query)),

    claimWebhook: (claim) => grouped(() => claimWebhook(claim)),
    finishWebhook: (delivery, status, note) =>
      grouped(
        () =>
          stmt(`UPDATE webhook_deliveries SET status = ?, note = ?, locked_until = NULL, claim = NULL WHERE webhook_id = ? AND claim = ? AND status = 'processing'`).run(
            status,
            note ?? null,
            delivery.webhookId,
            delivery.claim,
          ).changes === 1,
        'one statement',
      ),
    listWebhookDeliveries: (query = {}) =>
      read(() => (stmt(`SELECT * FROM webhook_deliveries ORDER BY last_received_at DESC, webhook_id LIMIT ?`).all(query.limit ?? 100) as Row[]).map(toDelivery)),

    createIssue: (issue) => grouped(() => createIssue(issue)),
    updatePendingIssue: (update) =>
      grouped(() => {
        const result = stmt(
          `UPDATE billing_key_issues SET customer = ? WHERE issue_id = ? AND status = 'PENDING' AND customer_id = ? AND plan IS ?`,
        ).run(json(update.customer), update.issueId, update.customerId, update.plan ?? null);
        return result.changes === 1;
      }, 'one statement'),
    getIssue: (issueId) =>
      read(() => {
        const row = stmt(`SELECT * FROM billing_key_issues WHERE issue_id = ?`).get(issueId) as Row | undefined;
        return row && toIssue(row);
      }),
    completeIssue: (completion) => grouped(() => completeIssue(completion)),
    saveBillingKey: (key, events, now) => grouped(() => saveBillingKey(key, events, now ?? key.updatedAt)),
    getBillingKey: (billingKey) =>
      read(() => {
        const row = stmt(`SELECT * FROM billing_keys WHERE billing_key = ?`).get(billingKey) as Row | undefined;
        return row && toBillingKey(row);
      }),
    listBillingKeys: (query = {}) =>
      read(() => {
        const rows = query.customerId
          ? stmt(`SELECT * FROM billing_keys WHERE customer_id = ? ORDER BY updated_at DESC LIMIT ?`).all(query.customerId, query.limit ?? 100)
          : stmt(`SELECT * FROM billing_keys ORDER BY updated_at DESC LIMIT ?`).all(query.limit ?? 100);
        return (rows as Row[]).map(toBillingKey);
      }),
    createSubscription: (subscription, events) => grouped(() => createSubscription(subscription, events)),
    getSubscription: (id) =>
      read(() => {
        const row = stmt(`SELECT * FROM subscriptions WHERE id = ?`).get(id) as Row | undefined;
        return row && toSubscription(row);
      }),
    updateSubscription: (update) => grouped(() => updateSubscription(update)),
    listSubscriptions: (query = {}) => read(() => listSubscriptions(query)),

    async close() {
      if (closed) return;
      closed = true;
      // Writes already queued are committed first, reads already queued answered.
      while (due || flushing || queue.length > 0 || reads.length > 0) await (flushing ?? new Promise((resolve) => setImmediate(resolve)));
      db.close();
    },
  };
}

/** Another connection holds the lock (or a checkpoint does): worth waiting for. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Applies the migrations this database has not seen, recording each version. Safe to race. */
function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS kit_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`);
  db.transaction(() => {
    const row = db.prepare(`SELECT max(version) AS version FROM kit_migrations`).get() as { version: number | null };
    const current = row.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `checkout store: expected a database at schema version ${MIGRATIONS.length} or older, got version ${current} (written by a newer kit)`,
      );
    }
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version - 1]!);
      db.prepare(`INSERT INTO kit_migrations (version, applied_at) VALUES (?, ?)`).run(version, Date.now());
    }
  }).immediate();
}

/** The schema version this kit writes; exported for tests and tooling. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;
