// portone-checkout-kit/server/postgres: the store on PostgreSQL through node-postgres, for shops that
// run several app servers (or serverless functions) on one database. The schema is in migrations.ts,
// the SQL in queries.ts; this driver holds the pool, migrates on open and runs each port method.
import pg from 'pg';
import type { CheckoutStore, OrderTransition, TransitionOutcome } from '../port.js';
import { bookkeepingSql, migrationLockSql, migrationStep, POSTGRES_SCHEMA_VERSION, quoteSchema } from './migrations.js';
import { batched, createLane } from './batches.js';
import { isPostgresUrl } from './url.js';
import { createBatchQueries, createQueries, transitionShape, type Sql } from './queries.js';

export { migrationSql, POSTGRES_SCHEMA_VERSION } from './migrations.js';

export interface PostgresStoreOptions {
  /** The shop's own `pg.Pool`: the kit uses it and never ends it. Give this or `connectionString`. */
  pool?: pg.Pool;
  /** `postgres://…`: the kit makes a pool of `poolSize` connections and ends it on `close()`. */
  connectionString?: string;
  /** Connections of the pool the kit makes. Default 10. */
  poolSize?: number;
  /** The schema the kit's tables live in, created if missing. Default `portone_checkout`. */
  schema?: string;
  /**
   * Apply this kit's migrations when the store opens (default), under an advisory lock so instances
   * starting together migrate once. `false`: the deploy step migrates (`migrationSql()`); the store
   * only checks the schema is at this kit's version.
   */
  migrate?: boolean;
}

/** bigint columns (times in ms, amounts, event ids) as numbers: all of them stay far below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Prepared statements' names: one per statement text in this process (the text names its schema, so
 * stores sharing a pool never take one name for two texts), and short — PostgreSQL cuts names at 63
 * bytes, so a name built from a long schema name made two statements one. The random part keeps two
 * copies of this module on one shop pool apart. Texts past the cap run unprepared.
 */
const statementNames = new Map<string, string>();
const STATEMENT_PREFIX = `pck_${Math.random().toString(36).slice(2, 8)}_`;
const MAX_PREPARED = 256;
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_PREPARED) {
    name = `${STATEMENT_PREFIX}${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/** Calls in one shared statement at most (see batches.ts). */
const BATCH_MAX = 64;
/**
 * Statements of the hot calls in flight at once, per store. One measured best: it halves the
 * statements per complete against one per kind, and more slots mostly send smaller statements.
 */
const LANE_SLOTS = 1;

/** A store on PostgreSQL. Nothing is sent until the first call (or `ready()`), which connects and migrates. */
export function createPostgresStore(options: PostgresStoreOptions): CheckoutStore & { readonly schema: string } {
  if (options && 'connectionString' in options && options.connectionString === undefined && options.pool === undefined) {
    // Typically `connectionString: process.env.DATABASE_URL` with the variable unset.
    throw new TypeError('createPostgresStore: connectionString: expected a postgres:// or postgresql:// URL, got undefined (is the environment variable set?)');
  }
  if (!options || (options.pool === undefined) === (options.connectionString === undefined)) {
    throw new TypeError(`createPostgresStore: expected { pool } or { connectionString }, got ${options?.pool && options.connectionString ? 'both' : 'neither'}`);
  }
  if (options.connectionString !== undefined && !isPostgresUrl(options.connectionString)) {
    throw new TypeError(`createPostgresStore: connectionString: expected a postgres:// or postgresql:// URL, got ${typeof options.connectionString === 'string' ? `one starting ${JSON.stringify(options.connectionString.split(':')[0])}` : typeof options.connectionString}`);
  }
  if (options.pool !== undefined && options.poolSize !== undefined) {
    throw new TypeError('createPostgresStore: poolSize: applies only to the pool the kit makes from connectionString; size your own pool with its max option');
  }
  const poolSize = options.poolSize ?? 10;
  if (!Number.isSafeInteger(poolSize) || poolSize < 1) throw new TypeError(`createPostgresStore: poolSize: expected a positive integer, got ${JSON.stringify(options.poolSize) ?? String(options.poolSize)}`);
  const schema = options.schema ?? 'portone_checkout';
  const s = quoteSchema(schema);
  const owned = options.pool === undefined;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: poolSize });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  if (owned) pool.on('error', () => {});

  const sql: Sql = {
    async query(text, values = [], name) {
      const prepared = name ? statementName(text) : undefined;
      const result = await pool.query({ text, values: values as unknown[], types: TYPES, ...(prepared ? { name: prepared } : {}) });
      return result.rows;
    },
  };

  const migrate = async (): Promise<void> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(migrationLockSql(schema));
      if (options.migrate === false) {
        const found = await client.query({ text: `SELECT to_regclass($1) IS NOT NULL AS ok`, values: [`${s}.kit_migrations`] });
        const version = found.rows[0]?.ok ? ((await client.query({ text: `SELECT coalesce(max(version), 0) AS v FROM ${s}.kit_migrations`, types: TYPES })).rows[0]?.v as number) : 0;
        if (version > POSTGRES_SCHEMA_VERSION) {
          throw new Error(`checkout store: schema ${schema} is at version ${version}, written by a newer kit; this kit knows versions up to ${POSTGRES_SCHEMA_VERSION} and cannot use it (deploy the newer kit, or restore the schema from before its migration)`);
        }
        if (version !== POSTGRES_SCHEMA_VERSION) {
          throw new Error(`checkout store: schema ${schema} is at version ${version}, this kit needs ${POSTGRES_SCHEMA_VERSION}; apply migrationSql({ schema: ${JSON.stringify(schema)}, from: ${version} }) or open with migrate: true`);
        }
      } else {
        await client.query(bookkeepingSql(schema));
        const current = (await client.query({ text: `SELECT coalesce(max(version), 0) AS v FROM ${s}.kit_migrations`, types: TYPES })).rows[0]?.v as number;
        if (current > POSTGRES_SCHEMA_VERSION) {
          throw new Error(`checkout store: schema ${schema} is at version ${current}, written by a newer kit; this kit knows versions up to ${POSTGRES_SCHEMA_VERSION} and cannot use it (deploy the newer kit, or restore the schema from before its migration)`);
        }
        for (let version = current + 1; version <= POSTGRES_SCHEMA_VERSION; version++) await client.query(migrationStep(schema, version));
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };

  // Opened on first use; a failed open (the database not up yet) is tried again by the next call.
  let opened: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    opened ??= migrate().catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return opened;
  };
  const q = createQueries(sql, s);
  const many = createBatchQueries(sql, s);
  const lane = createLane(LANE_SLOTS);
  const getOrder = batched<string, Awaited<ReturnType<typeof q.getOrder>>>({
    one: q.getOrder,
    many: many.getOrders,
    max: BATCH_MAX,
    lane,
  });
  const finishDone = batched<{ id: number; claim: string; now: number }, boolean>({
    one: (call) => q.finishEvent(call, { status: 'done', now: call.now }),
    many: many.finishDone,
    keys: (call) => [String(call.id)],
    max: BATCH_MAX,
    lane,
  });
  // One queue per shape of transition: only transitions of one shape share a statement.
  const transitionQueues = new Map<string, (change: OrderTransition) => Promise<TransitionOutcome | undefined>>();
  const transition: typeof q.transition = (change) => {
    const shape = transitionShape(change);
    if (shape === undefined) return q.transition(change);
    let queue = transitionQueues.get(shape);
    if (!queue) {
      queue = batched<OrderTransition, TransitionOutcome | undefined>({
        one: q.transition,
        many: many.transitions,
        keys: (c) => [`order:${c.paymentId}`, ...(c.events ?? []).map((e) => `event:${e.key}`)],
        max: BATCH_MAX,
        lane,
      });
      transitionQueues.set(shape, queue);
    }
    return queue(change);
  };
  const finishEvent: typeof q.finishEvent = (event, outcome) =>
    outcome.status === 'done' ? finishDone({ id: event.id, claim: event.claim, now: outcome.now }) : q.finishEvent(event, outcome);
  let closed = false;
  /** Calls accepted and not yet answered, and who waits for there to be none (`close`). */
  let active = 0;
  const onIdle: (() => void)[] = [];
  /** Every port method, once the store is open. */
  const after = <A extends unknown[], R>(run: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    if (closed) throw new Error('the PostgreSQL store is closed');
    active++;
    try {
      await ready();
      return await run(...args);
    } finally {
      if (--active === 0) for (const resolve of onIdle.splice(0)) resolve();
    }
  };

  return {
    schema,
    ready,
    createOrder: after(q.createOrder),
    getOrder: after(getOrder),
    transition: after(transition),
    listOrders: after(q.listOrders),
    claimOrdersToReconcile: after(q.claimOrdersToReconcile),
    releaseReconciled: after(q.releaseReconciled),
    pruneAbandoned: after(q.pruneAbandoned),
    claimEvents: after(q.claimEvents),
    renewClaims: after(q.renewClaims),
    finishEvent: after(finishEvent),
    reviveEvents: after(q.reviveEvents),
    listEvents: after(q.listEvents),
    claimWebhook: after(q.claimWebhook),
    finishWebhook: after(q.finishWebhook),
    listWebhookDeliveries: after(q.listWebhookDeliveries),
    createIssue: after(q.createIssue),
    createIdentityVerification: after(q.createIdentityVerification),
    getIdentityVerification: after(q.getIdentityVerification),
    updatePendingIdentityVerification: after(q.updatePendingIdentityVerification),
    settleIdentityVerification: after(q.settleIdentityVerification),
    updatePendingIssue: after(q.updatePendingIssue),
    getIssue: after(q.getIssue),
    changeIssueApproval: after(q.changeIssueApproval),
    completeIssue: after(q.completeIssue),
    saveBillingKey: after(q.saveBillingKey),
    getBillingKey: after(q.getBillingKey),
    listBillingKeys: after(q.listBillingKeys),
    createSubscription: after(q.createSubscription),
    getSubscription: after(q.getSubscription),
    updateSubscription: after(q.updateSubscription),
    listSubscriptions: after(q.listSubscriptions),
    async close() {
      if (closed) return;
      closed = true;
      // Calls accepted before the close are answered first, as the SQLite store's are (and a query
      // sent as the pool ends would never settle).
      if (active > 0) await new Promise<void>((resolve) => onIdle.push(resolve));
      if (owned) await pool.end();
    },
  };
}
