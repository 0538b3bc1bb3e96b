// The PostgreSQL schema, as versioned migrations in a schema of the kit's own (default
// `portone_checkout`): applied once each, in order, recorded in kit_migrations, under an advisory
// lock so that ten instances starting at once migrate once. `migrationSql()` prints them for a shop
// that migrates in its deploy step (`migrate: false`).

/** Migrations, each a function of the quoted schema name. The tables and columns match SQLite's. */
const MIGRATIONS: readonly ((s: string) => string)[] = [
  // 1: the schema as it stands (SQLite reached it through its migrations 1 to 6).
  (s) => `
  CREATE TABLE ${s}.orders (
    payment_id text PRIMARY KEY,
    order_id text NOT NULL UNIQUE,
    kind text NOT NULL,
    status text NOT NULL,
    order_name text NOT NULL,
    total_amount bigint NOT NULL,
    currency text NOT NULL,
    tax_free_amount bigint,
    vat_amount bigint,
    lines jsonb NOT NULL,
    customer jsonb,
    customer_id text,
    customer_assigned boolean,
    reference text,
    pay_method text,
    plan text,
    subscription_id text,
    due_at bigint,
    cancelled_amount bigint NOT NULL DEFAULT 0,
    paid_at text,
    virtual_account jsonb,
    failure jsonb,
    flag jsonb,
    billing_key text,
    started_at bigint,
    revision integer NOT NULL DEFAULT 0,
    checked_at bigint,
    reconcile_claim text,
    reconcile_until bigint,
    approval jsonb,
    reserved_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX orders_created ON ${s}.orders (created_at);
  CREATE INDEX orders_subscription ON ${s}.orders (subscription_id);
  CREATE INDEX orders_customer ON ${s}.orders (customer_id, created_at);
  -- What reconcile() walks: only open orders, by last activity.
  CREATE INDEX orders_open ON ${s}.orders (status, (coalesce(due_at, updated_at)), payment_id)
    WHERE status IN ('PENDING', 'VIRTUAL_ACCOUNT_ISSUED');
  -- The orders reconcile runs hold right now, for renewing them.
  CREATE INDEX orders_reconciling ON ${s}.orders (reconcile_claim) WHERE reconcile_until IS NOT NULL;

  CREATE TABLE ${s}.events (
    id bigserial PRIMARY KEY,
    key text NOT NULL UNIQUE,
    type text NOT NULL,
    payment_id text,
    payload jsonb,
    status text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    transient_attempts integer NOT NULL DEFAULT 0,
    next_attempt_at bigint NOT NULL,
    locked_until bigint,
    claim text,
    last_error text,
    created_at bigint NOT NULL,
    done_at bigint
  );
  CREATE INDEX events_due ON ${s}.events (status, next_attempt_at);
  CREATE INDEX events_payment ON ${s}.events (payment_id);
  CREATE INDEX events_running ON ${s}.events (claim) WHERE status = 'running';

  CREATE TABLE ${s}.webhook_deliveries (
    webhook_id text PRIMARY KEY,
    type text NOT NULL,
    payment_id text,
    billing_key text,
    status text NOT NULL,
    received_count integer NOT NULL,
    note text,
    first_received_at bigint NOT NULL,
    last_received_at bigint NOT NULL,
    locked_until bigint,
    claim text
  );
  CREATE INDEX webhook_deliveries_received ON ${s}.webhook_deliveries (last_received_at);
  CREATE INDEX webhook_deliveries_processing ON ${s}.webhook_deliveries (claim) WHERE status = 'processing';

  CREATE TABLE ${s}.billing_key_issues (
    issue_id text PRIMARY KEY,
    issue_name text NOT NULL,
    customer_id text NOT NULL,
    customer_assigned boolean,
    customer jsonb,
    plan text,
    status text NOT NULL,
    billing_key text,
    subscription_id text,
    payment_id text,
    approval jsonb,
    reserved_at bigint,
    failure jsonb,
    created_at bigint NOT NULL,
    completed_at bigint
  );
  CREATE INDEX billing_key_issues_pending ON ${s}.billing_key_issues (created_at) WHERE status = 'PENDING';

  CREATE TABLE ${s}.identity_verifications (
    identity_verification_id text PRIMARY KEY,
    customer_id text NOT NULL,
    customer_assigned boolean,
    customer jsonb,
    status text NOT NULL,
    rejection jsonb,
    verified_at text,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX identity_verifications_pending ON ${s}.identity_verifications (created_at) WHERE status = 'PENDING';

  CREATE TABLE ${s}.billing_keys (
    billing_key text PRIMARY KEY,
    customer_id text NOT NULL,
    status text NOT NULL,
    display text,
    channel_key text,
    issue_id text,
    issued_at text NOT NULL,
    deleted_at text,
    updated_at bigint NOT NULL
  );
  CREATE INDEX billing_keys_customer ON ${s}.billing_keys (customer_id);

  CREATE TABLE ${s}.subscriptions (
    id text PRIMARY KEY,
    customer_id text NOT NULL,
    plan text NOT NULL,
    billing_key text NOT NULL,
    status text NOT NULL,
    amount bigint NOT NULL,
    currency text NOT NULL,
    next_payment_id text,
    next_charge_at bigint,
    schedule_id text,
    paid_periods integer NOT NULL DEFAULT 0,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX subscriptions_customer ON ${s}.subscriptions (customer_id);
  CREATE INDEX subscriptions_billing_key ON ${s}.subscriptions (billing_key);
  `,
];

/** The schema version this kit writes. */
export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/** A schema name as a quoted identifier; refused unless it is a plain one (letters, digits, `_`). */
export function quoteSchema(schema: string, caller = 'createPostgresStore'): string {
  if (typeof schema !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new TypeError(`${caller}: schema: expected letters, digits and "_" (at most 63, not starting with a digit), got ${JSON.stringify(schema) ?? String(schema)}`);
  }
  return `"${schema}"`;
}

/** The advisory lock every migration runs under, one per schema: instances starting together migrate once. */
export const migrationLockSql = (schema: string): string => `SELECT pg_advisory_xact_lock(hashtext('portone-checkout-kit migrations ' || ${literal(schema)}))`;

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The bookkeeping every migration run starts with (idempotent). */
export const bookkeepingSql = (schema: string): string => {
  const s = quoteSchema(schema);
  return `CREATE SCHEMA IF NOT EXISTS ${s};\nCREATE TABLE IF NOT EXISTS ${s}.kit_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL);`;
};

/** Migration `version` (1-based) for `schema`, with the statement that records it. */
export function migrationStep(schema: string, version: number): string {
  const s = quoteSchema(schema);
  const step = MIGRATIONS[version - 1];
  if (!step) throw new RangeError(`migration ${version}: expected 1 to ${MIGRATIONS.length}`);
  return `${step(s).trim()}\nINSERT INTO ${s}.kit_migrations (version, applied_at) VALUES (${version}, ${'(extract(epoch from now()) * 1000)::bigint'});`;
}

/**
 * The SQL that brings an empty database (or one at `from`) to this kit's schema, for review or for a
 * deploy step that migrates on its own: run it in one transaction (`psql --single-transaction`), which
 * the advisory lock it takes needs. `from`: the schema's version now (what `migrate: false` names).
 * `createPostgresStore({ migrate: false })` then only checks the version.
 */
export function migrationSql(options: { schema?: string; from?: number } = {}): string {
  const schema = options.schema ?? 'portone_checkout';
  quoteSchema(schema, 'migrationSql');
  const from = options.from ?? 0;
  if (!Number.isSafeInteger(from) || from < 0 || from > MIGRATIONS.length) {
    throw new RangeError(`migrationSql: from: expected the schema's version now, 0 to ${MIGRATIONS.length} (this kit's), got ${JSON.stringify(options.from) ?? String(options.from)}`);
  }
  const parts = [
    `-- portone-checkout-kit: schema ${schema}, version ${from} → ${MIGRATIONS.length}`,
    '-- Run it in one transaction (psql --single-transaction): the lock below holds until that transaction ends.',
    `${migrationLockSql(schema)};`,
    bookkeepingSql(schema),
  ];
  for (let version = from + 1; version <= MIGRATIONS.length; version++) parts.push(`-- migration ${version}`, migrationStep(schema, version));
  return `${parts.join('\n')}\n`;
}
