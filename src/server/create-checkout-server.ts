// The factory: createCheckoutServer(options) → { fetch(Request): Promise<Response>, …server-side API }.
// Web-standard in and out, so one object serves Node, Bun, Deno, Workers and Next.js route handlers.
// It only wires: the options, the store, the PortOne gateway, the flows, the outbox and its hooks,
// the routes — started on first use.
import { billingKeyAndPayFlow } from './billing-key-and-pay.js';
import { redactor, safeLog, type KitContext, type Log } from './context.js';
import { CheckoutError } from './errors.js';
import { eventHandlers } from './hooks.js';
import { errorResponse } from './http.js';
import { pruneAbandoned, reconcile, type PruneOptions, type ReconcileOptions, type ReconcileReport, type ReconcileState } from './maintenance.js';
import type { HookEvent, IdentityVerificationRecord, Order, StoredBillingKey, Subscription, WebhookDelivery } from './model.js';
import type { CheckoutServerOptions, ResolvedOptions } from './options.js';
import { resolveOptions } from './resolve-options.js';
import { createOutbox, type Outbox } from './outbox.js';
import { cancelPayment, paymentFlow, type CancelOptions } from './payments.js';
import { createPortOneGateway } from './portone.js';
import { handle } from './routes.js';
import type { CheckoutStore, OrderQuery } from './store/port.js';
import { cancelSubscription, subscriptionFlow } from './subscriptions.js';
import { isPostgresUrl } from './store/postgres/url.js';

export interface CheckoutServer {
  /** The HTTP entry point: give it every request under the base path. Never rejects. */
  fetch(request: Request): Promise<Response>;
  /**
   * Starts the kit if nothing did yet (checks the options, opens the store) and resolves once it is
   * ready; rejects with what is wrong with the configuration. Await it at startup to fail fast.
   */
  readonly ready: Promise<void>;
  /** Full or partial refund through PortOne; runs `onCancelled` once the refund is recorded. */
  cancel(paymentId: string, options: CancelOptions): Promise<Order>;
  /** Re-syncs orders a lost webhook left PENDING or VIRTUAL_ACCOUNT_ISSUED, retries flagged refunds, revives stuck follow-ups, runs due hooks. */
  reconcile(options?: ReconcileOptions): Promise<ReconcileReport>;
  /** Deletes abandoned prepares (orders PENDING, never started, checked by reconcile, idle for `olderThanMs`; billing-key issues no key completed; identity verifications never verified); resolves with how many. */
  pruneAbandoned(options?: PruneOptions): Promise<number>;
  /** Ends a subscription: revokes its PortOne schedule. */
  cancelSubscription(id: string): Promise<Subscription>;
  getOrder(paymentId: string): Promise<Order | undefined>;
  /**
   * An identity verification as the kit recorded it: whether it passed the shop's checks, for whom
   * (the customer it was prepared for), and when. Who the person is stays with PortOne (and with
   * `onIdentityVerified`); e.g. check `status === 'VERIFIED'` for the id a page sends with an order.
   */
  getIdentityVerification(identityVerificationId: string): Promise<IdentityVerificationRecord | undefined>;
  listOrders(query?: OrderQuery): Promise<Order[]>;
  listWebhookDeliveries(query?: { limit?: number }): Promise<WebhookDelivery[]>;
  listSubscriptions(query?: Parameters<CheckoutStore['listSubscriptions']>[0]): Promise<Subscription[]>;
  listBillingKeys(query?: { customerId?: string; limit?: number }): Promise<StoredBillingKey[]>;
  /** Hook and follow-up events (the outbox), newest first: what ran, what is waiting for a retry, what gave up. */
  listEvents(query?: Parameters<CheckoutStore['listEvents']>[0]): Promise<HookEvent[]>;
  /** Runs due hook retries now (a background timer does it every `hookPollMs`). */
  runDueEvents(): Promise<number>;
  /** Stops the background timer and closes the store if the kit opened it. */
  close(): Promise<void>;
}

interface Core {
  ctx: KitContext;
  outbox: Outbox;
  reconcileState: ReconcileState;
  /** The kit opened the store (no `store` option) and closes it. */
  ownsStore: boolean;
}

/**
 * Builds the kit. Nothing happens yet: the options are checked, the secrets read and the store
 * opened on the first request or the first `ready` — so a framework that evaluates this module at
 * build time (Next.js route handlers) neither needs the secrets nor creates a database file then.
 * Await `ready` at startup to fail fast on a mistaken configuration. `options` may be a function
 * returning them, called once then (e.g. to read secrets from the environment or a vault lazily).
 */
export function createCheckoutServer(options: CheckoutServerOptions | (() => CheckoutServerOptions)): CheckoutServer {
  if (typeof options === 'object' && options !== null) checkDriver(options);
  // Until the options are resolved, problems go to the shop's logger if it gave one, else the console.
  let log: Log = safeLog(typeof options === 'object' && options !== null ? options.logger : undefined, (text) => text);
  let redact = (text: string): string => text;
  let started: Promise<Core> | undefined;
  let closed = false;

  const start = (): Promise<Core> =>
    (started ??= (async () => {
      if (closed) throw new Error('the checkout kit is closed');
      const given = typeof options === 'function' ? options() : options;
      if (given && typeof given === 'object') log = safeLog(given.logger, redact);
      const resolved = resolveOptions(given);
      redact = redactor([resolved.portone.apiSecret, ...resolved.webhookSecrets]);
      log = safeLog(given.logger, redact);
      if (resolved.hookPollMs === 0 && resolved.cronSecret === undefined) {
        // Serverless without its cron route: a failed hook, or a payment whose request never came, waits for ever unless the shop schedules reconcile() itself.
        log.warn('hookPollMs is 0 and cronSecret is not set: nothing retries failed hooks or runs reconcile() unless the shop calls kit.reconcile() on a schedule of its own');
      }
      const store = await openStore(given);
      await store.ready();
      const ctx: KitContext = {
        options: resolved,
        store,
        portone: createPortOneGateway({
          apiSecret: resolved.portone.apiSecret,
          storeId: resolved.portone.storeId,
          timeoutMs: resolved.portone.timeoutMs,
          ...(resolved.portone.baseUrl ? { baseUrl: resolved.portone.baseUrl } : {}),
        }),
        log,
        redact,
        flows: { payment: paymentFlow, 'billing-key-and-pay': billingKeyAndPayFlow, subscription: subscriptionFlow },
      };
      // The handlers that complete work through the outbox get it once it exists.
      const outbox: Outbox = createOutbox(ctx, eventHandlers(ctx, () => outbox));
      outbox.start();
      return { ctx, outbox, reconcileState: { after: {} }, ownsStore: given.store === undefined };
    })());
  /**
   * The kit, started on first use. A start that failed is logged by the call that made it, and the
   * next call tries again (a database that was not up yet); the browser only learns it failed.
   */
  const ready = (): Promise<Core> => {
    if (started) return started;
    const core = start();
    core.catch((error: unknown) => {
      if (started === core && !closed) started = undefined;
      log.error(`the checkout kit could not start: ${error instanceof Error ? error.message : String(error)}`);
    });
    return core;
  };

  const withCore = async <T>(run: (core: Core) => Promise<T>): Promise<T> => run(await ready());

  return {
    async fetch(request) {
      let core: Core;
      try {
        core = await ready();
      } catch {
        // The details are in the log (once); the browser learns only that the shop is misconfigured.
        return errorResponse(new CheckoutError('SHOP_CONFIGURATION', 'the checkout kit is not configured correctly; see the server log'));
      }
      return handle(core, request);
    },
    get ready() {
      return ready().then(() => undefined);
    },
    cancel: (paymentId, cancelOptions) => withCore(({ ctx, outbox }) => cancelPayment(ctx, outbox, paymentId, cancelOptions)),
    reconcile: (reconcileOptions) => withCore(({ ctx, outbox, reconcileState }) => reconcile(ctx, outbox, reconcileState, reconcileOptions)),
    pruneAbandoned: (pruneOptions) => withCore(({ ctx }) => pruneAbandoned(ctx, pruneOptions)),
    cancelSubscription: (id) => withCore(({ ctx }) => cancelSubscription(ctx, id)),
    getOrder: (paymentId) => withCore(({ ctx }) => ctx.store.getOrder(paymentId)),
    getIdentityVerification: (id) => withCore(({ ctx }) => ctx.store.getIdentityVerification(id)),
    listOrders: (query) => withCore(({ ctx }) => ctx.store.listOrders(query)),
    listWebhookDeliveries: (query) => withCore(({ ctx }) => ctx.store.listWebhookDeliveries(query)),
    listSubscriptions: (query) => withCore(({ ctx }) => ctx.store.listSubscriptions(query)),
    listBillingKeys: (query) => withCore(({ ctx }) => ctx.store.listBillingKeys(query)),
    listEvents: (query) => withCore(({ ctx }) => ctx.store.listEvents(query)),
    runDueEvents: () => withCore(({ outbox }) => outbox.runDue()),
    async close() {
      if (closed) return;
      closed = true;
      // Never started: nothing was opened, nothing to close.
      const core = started && (await started.catch(() => undefined));
      if (!core) return;
      core.outbox.stop();
      if (core.ownsStore) await core.ctx.store.close();
    },
  };
}


/** The npm package the store for these options needs (none when the shop passed its own store). */
function driverOf(options: CheckoutServerOptions): 'better-sqlite3' | 'pg' | undefined {
  if (options.store) return undefined;
  return isPostgresUrl(options.database) ? 'pg' : 'better-sqlite3';
}

/** One line saying what to install: the drivers are optional peer dependencies of the kit. */
const missingDriver = (driver: 'better-sqlite3' | 'pg'): Error =>
  new Error(
    driver === 'pg'
      ? "createCheckoutServer: database is a postgres:// URL, which needs the pg package: npm install pg"
      : "createCheckoutServer: the default SQLite store needs the better-sqlite3 package: npm install better-sqlite3 (or pass `store`, or a postgres:// `database` with pg installed)",
  );

/**
 * Checks, without loading it, that the store's driver is installed — so a kit that could never open
 * its store fails where it is created, in one line. Only on Node (elsewhere the shop passes a store).
 */
function checkDriver(options: CheckoutServerOptions): void {
  const driver = driverOf(options);
  const nodeModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
  if (!driver || !nodeModule) return;
  try {
    nodeModule.createRequire(import.meta.url).resolve(driver);
  } catch {
    throw missingDriver(driver);
  }
}

async function openStore(options: CheckoutServerOptions): Promise<CheckoutStore> {
  if (options.store) return options.store;
  const driver = driverOf(options)!;
  // Loaded only when used, so a runtime without the driver can import the kit and pass a store.
  try {
    if (driver === 'pg') {
      const { createPostgresStore } = await import('./store/postgres/index.js');
      return createPostgresStore({ connectionString: options.database! });
    }
    const { createSqliteStore } = await import('./store/sqlite/index.js');
    return createSqliteStore({ path: options.database ?? './.data/checkout.sqlite' });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw missingDriver(driver);
    // Installed with scripts turned off (pnpm's default): the native part was never built.
    if (/Could not locate the bindings file/.test(String((error as Error).message))) {
      throw new Error('createCheckoutServer: better-sqlite3 is installed but its native part was not built; run npm rebuild better-sqlite3 (or allow its install script)');
    }
    throw error;
  }
}

export type { ResolvedOptions };
