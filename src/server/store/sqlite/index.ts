// The embedded default store: SQLite through better-sqlite3, in WAL mode, so several kit instances
// (processes or connections) can share one file. The schema is in migrations.ts, the SQL in
// queries.ts, the scheduling (group commit, group reads, lock waits) in batcher.ts; this driver
// opens the file and queues each port method as a write or a read.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckoutStore } from '../port.js';
import { createBatcher } from './batcher.js';
import { migrate } from './migrations.js';
import { createQueries } from './queries.js';

export { SQLITE_SCHEMA_VERSION } from './migrations.js';

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

  const { grouped, read, close } = createBatcher(db, busyTimeoutMs);
  const q = createQueries(db);
  let closed = false;
  return {
    path: options.path,
    // Opened and migrated above, synchronously.
    ready: () => Promise.resolve(),
    createOrder: (order) => grouped(() => q.createOrder(order)),
    getOrder: (paymentId) => read(() => q.getOrder(paymentId)),
    transition: (change) => grouped(() => q.transition(change)),
    listOrders: (query) => read(() => q.listOrders(query)),
    claimOrdersToReconcile: (query) => grouped(() => q.claimOrdersToReconcile(query), 'one statement'),
    releaseReconciled: (paymentId, outcome) => grouped(() => q.releaseReconciled(paymentId, outcome), 'one statement'),
    pruneAbandoned: (query) => grouped(() => q.pruneAbandoned(query)),
    claimEvents: (claim) => grouped(() => q.claimEvents(claim), 'one statement'),
    renewClaims: (renewal) => grouped(() => q.renewClaims(renewal)),
    finishEvent: (event, outcome) => grouped(() => q.finishEvent(event, outcome), 'one statement'),
    reviveEvents: (query) => grouped(() => q.reviveEvents(query), 'one statement'),
    listEvents: (query) => read(() => q.listEvents(query)),
    claimWebhook: (claim) => grouped(() => q.claimWebhook(claim)),
    finishWebhook: (delivery, status, note) => grouped(() => q.finishWebhook(delivery, status, note), 'one statement'),
    listWebhookDeliveries: (query) => read(() => q.listWebhookDeliveries(query)),
    createIssue: (issue) => grouped(() => q.createIssue(issue), 'one statement'),
    updatePendingIssue: (update) => grouped(() => q.updatePendingIssue(update), 'one statement'),
    getIssue: (issueId) => read(() => q.getIssue(issueId)),
    changeIssueApproval: (change) => grouped(() => q.changeIssueApproval(change)),
    completeIssue: (completion) => grouped(() => q.completeIssue(completion)),
    createIdentityVerification: (record) => grouped(() => q.createIdentityVerification(record), 'one statement'),
    getIdentityVerification: (id) => read(() => q.getIdentityVerification(id)),
    updatePendingIdentityVerification: (update) => grouped(() => q.updatePendingIdentityVerification(update), 'one statement'),
    settleIdentityVerification: (settlement) => grouped(() => q.settleIdentityVerification(settlement)),
    saveBillingKey: (key, events, now) => grouped(() => q.saveBillingKey(key, events, now)),
    getBillingKey: (billingKey) => read(() => q.getBillingKey(billingKey)),
    listBillingKeys: (query) => read(() => q.listBillingKeys(query)),
    createSubscription: (subscription, events) => grouped(() => q.createSubscription(subscription, events)),
    getSubscription: (id) => read(() => q.getSubscription(id)),
    updateSubscription: (update) => grouped(() => q.updateSubscription(update)),
    listSubscriptions: (query) => read(() => q.listSubscriptions(query)),
    async close() {
      if (closed) return;
      closed = true;
      await close();
      db.close();
    },
  };
}
