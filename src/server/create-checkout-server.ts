// The factory: createCheckoutServer(options) → { fetch(Request): Promise<Response>, …server-side API }.
// Web-standard in and out, so one object serves Node, Bun, Deno, Workers and Next.js route handlers;
// the router strips the base path once and decodes the one path parameter once.
import { ROUTES } from '../contract.js';
import {
  advanceSubscription,
  cancelSubscription,
  chargeFirstPeriod,
  completeBillingKey,
  completeBillingKeyAndPay,
  prepareBillingKey,
  schedulePeriod,
  subscriptionPaymentFailed,
} from './billing.js';
import { redactor, safeLog, type KitContext, type Log } from './context.js';
import { CheckoutError } from './errors.js';
import { checkId, decodeSegment, errorResponse, jsonResponse, readJsonObject } from './http.js';
import type { EventType, HookEvent, Order, StoredBillingKey, Subscription, WebhookDelivery } from './model.js';
import { resolveOptions, type CheckoutServerOptions, type ResolvedOptions } from './options.js';
import { createOutbox, type EventHandler, type Outbox } from './outbox.js';
import {
  cancelPayment,
  completePayment,
  getOrderAnswer,
  preparePayment,
  prepareBillingKeyAndPay,
  pruneAbandoned,
  reconcile,
  type CancelOptions,
  type PruneOptions,
  type ReconcileOptions,
  type ReconcileReport,
  type ReconcileState,
} from './payments.js';
import { createPortOneGateway, PortOneRejection } from './portone.js';
import type { CheckoutStore, OrderQuery } from './store/port.js';
import { refundFlagged } from './sync.js';
import * as validate from './validate.js';
import { handleWebhook } from './webhooks.js';

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
  /** Deletes abandoned prepares (PENDING, never started, checked by reconcile, idle for `olderThanMs`); resolves with how many. */
  pruneAbandoned(options?: PruneOptions): Promise<number>;
  /** Ends a subscription: revokes its PortOne schedule. */
  cancelSubscription(id: string): Promise<Subscription>;
  getOrder(paymentId: string): Promise<Order | undefined>;
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

type Handler = (core: Core, request: Request) => Promise<Response>;

const json = (run: (core: Core, body: Record<string, unknown>, request: Request) => Promise<unknown>): Handler => async (core, request) => {
  const body = await readJsonObject(request, core.ctx.options.bodyLimitBytes);
  return jsonResponse(await run(core, body, request));
};

/** The contract's routes (src/contract.ts), by path then method. */
const ROUTE_TABLE: Record<string, Record<string, Handler>> = {
  [ROUTES.preparePayment]: { POST: json(({ ctx }, body, request) => preparePayment(ctx, request, body)) },
  [ROUTES.completePayment]: { POST: json(({ ctx, outbox }, body) => completePayment(ctx, outbox, body)) },
  [ROUTES.prepareBillingKey]: { POST: json(({ ctx }, body, request) => prepareBillingKey(ctx, request, body)) },
  [ROUTES.completeBillingKey]: { POST: json(({ ctx, outbox }, body) => completeBillingKey(ctx, outbox, validate.completeBillingKeyRequest(body))) },
  [ROUTES.prepareBillingKeyAndPay]: { POST: json(({ ctx }, body, request) => prepareBillingKeyAndPay(ctx, request, body)) },
  [ROUTES.completeBillingKeyAndPay]: { POST: json(({ ctx, outbox }, body) => completeBillingKeyAndPay(ctx, outbox, body)) },
  [ROUTES.webhooks]: { POST: async ({ ctx, outbox }, request) => jsonResponse(await handleWebhook(ctx, outbox, request)) },
};

const ORDER_PREFIX = '/payments/';

/**
 * Builds the kit. Nothing happens yet: the options are checked, the secrets read and the store
 * opened on the first request or the first `ready` — so a framework that evaluates this module at
 * build time (Next.js route handlers) neither needs the secrets nor creates a database file then.
 * Await `ready` at startup to fail fast on a mistaken configuration. `options` may be a function
 * returning them, called once then (e.g. to read secrets from the environment or a vault lazily).
 */
export function createCheckoutServer(options: CheckoutServerOptions | (() => CheckoutServerOptions)): CheckoutServer {
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
      const store = await openStore(given);
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
        apiCalls: 0,
      };
      const outbox = createOutbox(ctx, eventHandlers(ctx));
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

  async function route(core: Core, request: Request): Promise<Response> {
    const url = new URL(request.url);
    // The raw, still percent-encoded path: the paymentId segment is decoded once, below.
    let path = url.pathname;
    const base = core.ctx.options.basePath;
    if (base) {
      if (path !== base && !path.startsWith(`${base}/`)) throw new CheckoutError('NOT_FOUND', `path: expected one under ${base}, got ${JSON.stringify(path.slice(0, 80))}`);
      path = path.slice(base.length) || '/';
    }
    // Own properties only: a path or method named like an Object.prototype member is just unknown.
    const methods = Object.hasOwn(ROUTE_TABLE, path) ? ROUTE_TABLE[path] : undefined;
    if (methods) {
      const handler = Object.hasOwn(methods, request.method) ? methods[request.method] : undefined;
      if (!handler) return methodNotAllowed(request.method, Object.keys(methods));
      return handler(core, request);
    }
    if (path.startsWith(ORDER_PREFIX)) {
      const raw = path.slice(ORDER_PREFIX.length);
      if (request.method !== 'GET') {
        if (raw.includes('/')) throw notFound(path, base);
        return methodNotAllowed(request.method, ['GET']);
      }
      if (raw.includes('/')) checkId(raw, 'paymentId'); // a raw "/" can never be one segment: 400 naming it
      const paymentId = checkId(decodeSegment(raw, 'paymentId'), 'paymentId');
      return jsonResponse(await getOrderAnswer(core.ctx, paymentId));
    }
    throw notFound(path, base);
  }

  function notFound(path: string, base: string): CheckoutError {
    return new CheckoutError('NOT_FOUND', `path: expected one of ${[...Object.keys(ROUTE_TABLE), `${ORDER_PREFIX}{paymentId}`].join(', ')}${base ? ` under ${base}` : ''}, got ${JSON.stringify(path.slice(0, 80))}`);
  }

  function methodNotAllowed(method: string, allowed: string[]): Response {
    return errorResponse(new CheckoutError('METHOD_NOT_ALLOWED', `method: expected ${allowed.join(' or ')}, got ${JSON.stringify(method)}`), { allow: allowed.join(', ') });
  }

  function toResponse(error: unknown): Response {
    if (error instanceof CheckoutError) {
      if (error.status >= 500 && error.code !== 'PORTONE_UNAVAILABLE' && error.code !== 'ORDER_BUSY') log.error(`${error.code}: ${error.message}`);
      return errorResponse(new CheckoutError(error.code, redact(error.message), { status: error.status, ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}) }));
    }
    if (error instanceof PortOneRejection) {
      log.error(error.message);
      return errorResponse(new CheckoutError('PORTONE_REJECTED', redact(error.message)));
    }
    log.error('unexpected error while handling a request', { error: error instanceof Error ? error : String(error) });
    return errorResponse(new CheckoutError('INTERNAL_ERROR', 'an unexpected error occurred in the checkout server; details are in its log'));
  }

  const withCore = async <T>(run: (core: Core) => Promise<T>): Promise<T> => run(await ready());
  /** An API call that may change orders: counted (KitContext.apiCalls) before it starts. */
  const changing = <T>(run: (core: Core) => Promise<T>): Promise<T> =>
    withCore((core) => {
      core.ctx.apiCalls++;
      return run(core);
    });

  return {
    async fetch(request) {
      let core: Core;
      try {
        core = await ready();
      } catch {
        // The details are in the log (once); the browser learns only that the shop is misconfigured.
        return errorResponse(new CheckoutError('SHOP_CONFIGURATION', 'the checkout kit is not configured correctly; see the server log'));
      }
      try {
        return await route(core, request);
      } catch (error) {
        return toResponse(error);
      }
    },
    get ready() {
      return ready().then(() => undefined);
    },
    cancel: (paymentId, cancelOptions) => changing(({ ctx, outbox }) => cancelPayment(ctx, outbox, paymentId, cancelOptions)),
    reconcile: (reconcileOptions) => changing(({ ctx, outbox, reconcileState }) => reconcile(ctx, outbox, reconcileState, reconcileOptions)),
    pruneAbandoned: (pruneOptions) => changing(({ ctx }) => pruneAbandoned(ctx, pruneOptions)),
    cancelSubscription: (id) => changing(({ ctx }) => cancelSubscription(ctx, id)),
    getOrder: (paymentId) => withCore(({ ctx }) => ctx.store.getOrder(paymentId)),
    listOrders: (query) => withCore(({ ctx }) => ctx.store.listOrders(query)),
    listWebhookDeliveries: (query) => withCore(({ ctx }) => ctx.store.listWebhookDeliveries(query)),
    listSubscriptions: (query) => withCore(({ ctx }) => ctx.store.listSubscriptions(query)),
    listBillingKeys: (query) => withCore(({ ctx }) => ctx.store.listBillingKeys(query)),
    listEvents: (query) => withCore(({ ctx }) => ctx.store.listEvents(query)),
    runDueEvents: () => changing(({ outbox }) => outbox.runDue()),
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

async function openStore(options: CheckoutServerOptions): Promise<CheckoutStore> {
  if (options.store) return options.store;
  // Loaded only when used, so runtimes without native modules can import the kit and pass a store.
  const { createSqliteStore } = await import('./store/sqlite.js');
  return createSqliteStore({ path: options.database ?? './.data/checkout.sqlite' });
}

/** What each outbox event does: the shop's hooks get the order (as the change that wrote the event left it, else read now); the kit's follow-ups call PortOne. */
function eventHandlers(ctx: KitContext): Record<EventType, EventHandler> {
  const hooks = ctx.options.hooks;
  /** The event's order: as the change that wrote the event left it when the runner has it, else read now. */
  const orderOf = async (event: HookEvent, known: Order | undefined): Promise<Order> => {
    const order = known ?? (event.paymentId ? await ctx.store.getOrder(event.paymentId) : undefined);
    if (!order) throw new Error(`event ${event.key} names an order the store does not have`);
    return order;
  };
  const base = (event: HookEvent) => ({ eventId: event.key, attempt: event.attempts });
  const payload = (event: HookEvent) => (event.payload ?? {}) as Record<string, unknown>;
  return {
    async paid(event, known) {
      if (!hooks.onPaid) return;
      const order = await orderOf(event, known);
      const subscription = order.subscriptionId ? await ctx.store.getSubscription(order.subscriptionId) : undefined;
      await hooks.onPaid({ ...base(event), order, payment: payload(event).payment as never, ...(subscription ? { subscription } : {}) });
    },
    async 'virtual-account-issued'(event, known) {
      if (!hooks.onVirtualAccountIssued) return;
      await hooks.onVirtualAccountIssued({ ...base(event), order: await orderOf(event, known), payment: payload(event).payment as never });
    },
    async failed(event, known) {
      if (!hooks.onFailed) return;
      const payment = payload(event).payment;
      await hooks.onFailed({ ...base(event), order: await orderOf(event, known), ...(payment ? { payment: payment as never } : {}) });
    },
    async cancelled(event, known) {
      if (!hooks.onCancelled) return;
      await hooks.onCancelled({ ...base(event), order: await orderOf(event, known), cancellation: payload(event).cancellation as never });
    },
    async 'billing-key-issued'(event) {
      if (!hooks.onBillingKeyIssued) return;
      const key = await ctx.store.getBillingKey(String(payload(event).billingKey));
      if (!key) throw new Error(`event ${event.key} names a billing key the store does not have`);
      const [subscription] = await ctx.store.listSubscriptions({ billingKey: key.billingKey, limit: 1 });
      await hooks.onBillingKeyIssued({ ...base(event), billingKey: key, ...(subscription ? { subscription } : {}) });
    },
    'refund-flagged': (event) => refundFlagged(ctx, event.paymentId!),
    'charge-first-period': (event) => chargeFirstPeriod(ctx, event),
    'advance-subscription': (event) => advanceSubscription(ctx, event),
    'schedule-period': (event) => schedulePeriod(ctx, event),
    'subscription-payment-failed': (event) => subscriptionPaymentFailed(ctx, event),
  };
}

export type { ResolvedOptions };
