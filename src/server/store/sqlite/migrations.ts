// The SQLite schema, as versioned migrations: each applied once, in order, recorded in
// kit_migrations, inside one IMMEDIATE transaction (so several processes opening one file migrate once).
import type Database from 'better-sqlite3';

/** Versioned migrations, applied in order, each once, inside one immediate transaction. */
export const MIGRATIONS: readonly string[] = [
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
  // 6: a reconcile run claims the orders it checks (reconcile_claim, renewed while it lasts, until
  // reconcile_until), so runs on several instances at once check different orders; the claim is part
  // of the partial index the runs walk, and the live claims have an index of their own for renewals.
  `
  ALTER TABLE orders ADD COLUMN reconcile_claim TEXT;
  ALTER TABLE orders ADD COLUMN reconcile_until INTEGER;
  CREATE INDEX orders_reconciling ON orders (reconcile_claim) WHERE reconcile_until IS NOT NULL;
  DROP INDEX orders_open;
  CREATE INDEX orders_open ON orders (status, coalesce(due_at, updated_at), payment_id, checked_at, reconcile_until)
    WHERE status IN ('PENDING', 'VIRTUAL_ACCOUNT_ISSUED');
  `,
  // 7: manual approval and reservations (the window's token while the kit confirms it, when the
  // shop's reserve accepted, why an issue's approval ended without a key), and identity
  // verifications — their outcome only: who was verified stays with PortOne.
  `
  CREATE TABLE identity_verifications (
    identity_verification_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    customer_assigned INTEGER,
    customer TEXT,
    status TEXT NOT NULL,
    rejection TEXT,
    verified_at TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX identity_verifications_pending ON identity_verifications (created_at) WHERE status = 'PENDING';
  ALTER TABLE orders ADD COLUMN approval TEXT;
  ALTER TABLE orders ADD COLUMN reserved_at INTEGER;
  ALTER TABLE billing_key_issues ADD COLUMN approval TEXT;
  ALTER TABLE billing_key_issues ADD COLUMN reserved_at INTEGER;
  ALTER TABLE billing_key_issues ADD COLUMN failure TEXT;
  `,
];

/** Applies the migrations this database has not seen, recording each version. Safe to race. */
export function migrate(db: Database.Database): void {
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
