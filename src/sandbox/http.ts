// The sandbox's HTTP front: raw node:http for speed. PortOne's REST API (auth, faults, JSON in
// any content type, `{type, message}` errors), the browser runtime and payment window, and the
// dashboard with its JSON control routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors.js';
import * as input from './input.js';
import type { Auth } from './auth.js';
import type { SandboxCore } from './core/core.js';
import type { Checkout } from './checkout/checkout.js';
import { CheckoutRejection } from './checkout/rules.js';
import type { CheckoutErrorBody, CompleteBody, PrepareBody } from './checkout/protocol.js';
import { loadBrowserAssets } from './assets.js';
import { renderWindow } from './window/html.js';
import { dashboardPayment, renderDashboard, renderReceipt } from './dashboard.js';
import { RawJson, type Handler, type RestContext } from './rest/context.js';
import * as payments from './rest/payments.js';
import * as charges from './rest/charges.js';
import * as billingKeys from './rest/billing-keys.js';
import * as schedules from './rest/schedules.js';
import { login, refresh } from './rest/auth.js';
import { iso } from './ids.js';
import type { SandboxChargeOutcome, SandboxFaults, SandboxOutcome } from './types.js';

const MAX_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

interface RestRoute {
  /** The fault key, e.g. `GET /payments/:id`. */
  key: string;
  handler: Handler;
  auth: boolean;
}

export interface HttpDeps {
  core: SandboxCore;
  auth: Auth;
  checkout: Checkout;
  /** Sandbox controls the dashboard uses (same as the Sandbox object's methods). */
  controls: {
    advance(ms: number): Promise<void>;
    deposit(paymentId: string, amount?: number, options?: { partial?: boolean }): Promise<unknown>;
    nextOutcome(outcome: SandboxOutcome): void;
    nextChargeOutcome(outcome: SandboxChargeOutcome): void;
    setFaults(faults: SandboxFaults): void;
    setWebhookUrls(urls: string[]): void;
    reset(): void;
  };
}

type Method = 'GET' | 'POST' | 'DELETE';
/** A REST route by path shape and method: its handler, and whether it needs `Authorization`. */
type RouteSpec = Handler | { handler: Handler; auth: false };

const REST_TABLE: Record<string, Partial<Record<Method, RouteSpec>>> = {
  '/login/api-secret': { POST: { handler: login, auth: false } },
  '/token/refresh': { POST: { handler: refresh, auth: false } },
  '/payments': { GET: payments.listPayments },
  '/payments/:id': { GET: payments.getPayment },
  '/payments/:id/pre-register': { POST: payments.preRegister },
  '/payments/:id/cancel': { POST: payments.cancelPayment },
  '/payments/:id/instant': { POST: charges.payInstantly },
  '/payments/:id/billing-key': { POST: charges.payWithBillingKey },
  '/payments/:id/schedule': { POST: schedules.createPaymentSchedule },
  '/payments/:id/confirm': { POST: payments.confirmPayment },
  '/payments/:id/resend-webhook': { POST: payments.resendWebhook },
  '/payments/:id/virtual-account/close': { POST: payments.closeVirtualAccount },
  '/payment-schedules': { GET: schedules.listPaymentSchedules, DELETE: schedules.revokePaymentSchedules },
  '/payment-schedules/:id': { GET: schedules.getPaymentSchedule },
  '/billing-keys': { GET: billingKeys.listBillingKeys, POST: billingKeys.issueBillingKey },
  '/billing-keys/confirm': { POST: billingKeys.confirmBillingKey },
  '/billing-keys/confirm-issue-and-pay': { POST: billingKeys.confirmBillingKeyIssueAndPay },
  '/billing-keys/:id': { GET: billingKeys.getBillingKey, DELETE: billingKeys.deleteBillingKey },
};

/** REST routes by path shape and method; each route's fault key is `METHOD /shape`, e.g. `GET /payments/:id`. */
const ROUTES: Record<string, Partial<Record<Method, RestRoute>>> = Object.fromEntries(
  Object.entries(REST_TABLE).map(([shape, methods]) => [
    shape,
    Object.fromEntries(Object.entries(methods).map(([method, spec]) => [method, {
      key: `${method} ${shape}`,
      handler: typeof spec === 'function' ? spec : spec.handler,
      auth: typeof spec === 'function',
    }])),
  ]),
);

/** Every REST route's fault key (`faults.routes` accepts these and `*`). */
export const REST_ROUTE_KEYS: readonly string[] = Object.values(ROUTES).flatMap((methods) => Object.values(methods).map((r) => r.key));

/** `/payments/abc/cancel` → shape `/payments/:id/cancel` and params `['abc']` (still encoded). */
function shapeOf(path: string): { shape: string; raw: string[] } {
  const segments = path.split('/');
  const raw: string[] = [];
  const top = segments[1];
  if ((top === 'payments' || top === 'payment-schedules' || top === 'billing-keys') && segments.length >= 3) {
    const second = segments[2]!;
    if (top === 'billing-keys' && segments.length === 3 && (second === 'confirm' || second === 'confirm-issue-and-pay')) return { shape: path, raw };
    raw.push(second);
    segments[2] = ':id';
  }
  return { shape: segments.join('/'), raw };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function send(res: ServerResponse, status: number, text: string | Buffer, type = JSON_TYPE, extra?: Record<string, string>): void {
  res.writeHead(status, { 'content-type': type, 'content-length': typeof text === 'string' ? Buffer.byteLength(text) : text.length, ...extra });
  res.end(text);
}

const sendError = (res: ServerResponse, error: ApiError, extra?: Record<string, string>) => send(res, error.status, JSON.stringify(error.body()), JSON_TYPE, extra);

const FAILURE_TYPES = { 500: 'INTERNAL_SERVER_ERROR', 502: 'BAD_GATEWAY', 503: 'SERVICE_UNAVAILABLE', 504: 'GATEWAY_TIMEOUT' } as const;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // An oversized body is read to its end (so the client gets the answer) but not kept.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new ApiError('INVALID_REQUEST', `The request body exceeds ${MAX_BODY_BYTES} bytes (got ${size}).`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** JSON whatever the content type (the server SDK sends text/plain); `{}` when empty. */
async function jsonBody(req: IncomingMessage): Promise<input.Json> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  try {
    const parsed = input.parseJson(text, 'The request body');
    if (!input.isObject(parsed)) throw new ApiError('INVALID_REQUEST', `The request body must be a JSON object, got ${input.describe(parsed)}.`);
    return parsed;
  } catch (error) {
    if (error instanceof input.InputError) throw new ApiError('INVALID_REQUEST', error.message);
    throw error;
  }
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};

const CHECKOUT_STATUS: Record<string, number> = {
  StoreNotFound: 404,
  ChannelNotFound: 404,
  TransactionNotFound: 404,
  PaymentAlreadyPaid: 409,
  AmountNotEqualToPredefined: 409,
  InvalidEntityState: 409,
};

export function createRequestListener(deps: HttpDeps): { listener: (req: IncomingMessage, res: ServerResponse) => void; hung: Set<ServerResponse> } {
  const { core, auth, checkout, controls } = deps;
  const { runtime } = core;
  const routes = ROUTES;
  const hung = new Set<ServerResponse>();

  const runRest = async (req: IncomingMessage, res: ServerResponse, found: RestRoute, raw: string[], query: string): Promise<void> => {
    const started = runtime.log === noop ? 0 : performance.now();
    try {
      if (runtime.faultsActive) {
        // A route's own fault settings override `*` field by field.
        const all = runtime.faults.routes?.['*'];
        const own = runtime.faults.routes?.[found.key];
        const fault = all && own ? { ...all, ...own } : own ?? all;
        if (fault) {
          if (fault.latencyMs) await sleep(fault.latencyMs);
          if (runtime.rollDice(fault.hangRate)) {
            hung.add(res);
            res.on('close', () => hung.delete(res));
            runtime.log(`${req.method} ${req.url} → (hang, fault)`);
            return;
          }
          if (runtime.rollDice(fault.failureRate)) {
            const status = fault.failureStatus ?? 500;
            send(res, status, JSON.stringify({ type: FAILURE_TYPES[status], message: `Injected fault on ${found.key} (sandbox).` }));
            runtime.log(`${req.method} ${req.url} → ${status} (fault)`);
            return;
          }
        }
      }
      const authorization = req.headers.authorization;
      if (found.auth && !auth.check(authorization)) throw auth.unauthorized(authorization);
      let params: string[];
      try {
        params = raw.map((p) => decodeURIComponent(p));
      } catch {
        throw new ApiError('INVALID_REQUEST', `The path ${JSON.stringify(req.url)} has a malformed percent-encoding.`);
      }
      const body = req.method === 'POST' ? await jsonBody(req) : {};
      const ctx: RestContext = { core, auth, params, query: new URLSearchParams(query), body };
      const result = await found.handler(ctx);
      send(res, 200, result instanceof RawJson ? result.text : JSON.stringify(result));
    } catch (error) {
      if (error instanceof ApiError) sendError(res, error);
      else if (error instanceof input.InputError) sendError(res, new ApiError('INVALID_REQUEST', error.message));
      else {
        runtime.log(`${req.method} ${req.url} failed: ${(error as Error).stack ?? error}`);
        sendError(res, new ApiError('INTERNAL_SERVER_ERROR', `The sandbox failed: ${(error as Error).message}`));
      }
    }
    if (started) runtime.log(`${req.method} ${req.url} → ${res.statusCode} (${(performance.now() - started).toFixed(1)} ms)`);
  };

  const checkoutError = (res: ServerResponse, error: unknown) => {
    if (error instanceof CheckoutRejection) {
      const extra = error as CheckoutRejection & Partial<CheckoutErrorBody>;
      const body: CheckoutErrorBody = {
        code: error.code,
        message: error.message,
        ...(extra.paymentId ? { paymentId: extra.paymentId } : {}),
        ...(extra.txId ? { txId: extra.txId } : {}),
        ...(error.pgCode ? { pgCode: error.pgCode, pgMessage: error.pgMessage } : {}),
      };
      send(res, CHECKOUT_STATUS[error.code] ?? 400, JSON.stringify(body), JSON_TYPE, CORS);
      return;
    }
    const message = error instanceof ApiError || error instanceof input.InputError ? error.message : `The sandbox failed: ${(error as Error).message}`;
    if (!(error instanceof ApiError) && !(error instanceof input.InputError)) runtime.log(`checkout failed: ${(error as Error).stack ?? error}`);
    send(res, error instanceof ApiError && error.status < 500 ? 400 : 500, JSON.stringify({ code: error instanceof ApiError && error.status < 500 ? 'BadRequest' : 'UnknownError', message }), JSON_TYPE, CORS);
  };

  const handleCheckout = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS).end();
        return;
      }
      if (path === '/v2/browser-sdk.js' || path === '/checkout/window.js') {
        const assets = await loadBrowserAssets();
        send(res, 200, path === '/checkout/window.js' ? assets.page : assets.runtime, 'text/javascript; charset=utf-8', { ...CORS, 'cache-control': 'no-cache' });
        return;
      }
      if (path === '/checkout/prepare' && req.method === 'POST') {
        const body = (await jsonBody(req)) as unknown as PrepareBody;
        const { answer } = checkout.prepare(body);
        send(res, 200, JSON.stringify(answer), JSON_TYPE, CORS);
        return;
      }
      const windowMatch = /^\/checkout\/window\/([^/]+)$/.exec(path);
      if (windowMatch && req.method === 'GET') {
        const tx = checkout.transaction(decodeURIComponent(windowMatch[1]!));
        if (!tx) {
          send(res, 404, '<!doctype html><title>결제창 없음</title><p>이 결제창을 찾을 수 없습니다. (unknown transaction)</p>', 'text/html; charset=utf-8');
          return;
        }
        send(res, 200, renderWindow(tx, { storeName: runtime.storeName }), 'text/html; charset=utf-8', { 'cache-control': 'no-store' });
        return;
      }
      const completeMatch = /^\/checkout\/transactions\/([^/]+)\/complete$/.exec(path);
      if (completeMatch && req.method === 'POST') {
        const body = (await jsonBody(req)) as unknown as CompleteBody;
        send(res, 200, JSON.stringify(checkout.complete(decodeURIComponent(completeMatch[1]!), body.action)), JSON_TYPE, CORS);
        return;
      }
      send(res, 404, JSON.stringify({ code: 'NotFound', message: `No checkout route ${req.method} ${path}` }), JSON_TYPE, CORS);
    } catch (error) {
      checkoutError(res, error);
    }
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const ok = (value: unknown = { ok: true }) => send(res, 200, JSON.stringify(value), JSON_TYPE, CORS);
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS).end();
        return;
      }
      if (path === '/sandbox') {
        res.writeHead(302, { location: '/sandbox/' }).end();
        return;
      }
      if (path === '/sandbox/' && req.method === 'GET') {
        send(res, 200, renderDashboard({ storeId: runtime.storeId, url: runtime.baseUrl }), 'text/html; charset=utf-8');
        return;
      }
      if (path === '/sandbox/state' && req.method === 'GET') {
        ok({
          now: iso(runtime.now()),
          timers: runtime.clock.pending().map((t) => ({ at: iso(t.at), label: t.label })),
          payments: [...runtime.state.payments.values()].map((e) => dashboardPayment(e.payment)).reverse(),
          schedules: [...runtime.state.schedules.values()].map((e) => e.schedule),
          deliveries: core.webhooks.deliveries(),
          windowOutcomes: runtime.windowOutcomes,
          faults: runtime.faults,
        });
        return;
      }
      const receipt = /^\/sandbox\/receipts\/([^/]+)$/.exec(path);
      if (receipt && req.method === 'GET') {
        const entry = runtime.state.payments.get(decodeURIComponent(receipt[1]!));
        if (!entry) send(res, 404, '<!doctype html><p>결제를 찾을 수 없습니다.</p>', 'text/html; charset=utf-8');
        else send(res, 200, renderReceipt(entry.payment), 'text/html; charset=utf-8');
        return;
      }
      if (req.method !== 'POST') throw new ApiError('NOT_FOUND', `No sandbox route ${req.method} ${path}`);
      const body = await jsonBody(req);
      switch (path) {
        case '/sandbox/advance':
          await controls.advance(input.integer(body.ms, 'ms', { min: 0 }));
          return ok({ now: iso(runtime.now()) });
        case '/sandbox/deposit':
          return ok(await controls.deposit(input.string(body.paymentId, 'paymentId'), input.optInteger(body.amount, 'amount', { min: 1 }), { partial: input.optBoolean(body.partial, 'partial') ?? false }));
        case '/sandbox/outcomes':
          controls.nextOutcome(body as unknown as SandboxOutcome);
          return ok({ queued: runtime.windowOutcomes.length });
        case '/sandbox/charge-outcomes':
          controls.nextChargeOutcome(body as unknown as SandboxChargeOutcome);
          return ok({ queued: runtime.chargeOutcomes.length });
        case '/sandbox/faults':
          controls.setFaults(body as SandboxFaults);
          return ok();
        case '/sandbox/webhook-urls':
          controls.setWebhookUrls(input.optHttpUrls(body.urls, 'urls') ?? []);
          return ok();
        case '/sandbox/reset':
          controls.reset();
          return ok();
        default:
          throw new ApiError('NOT_FOUND', `No sandbox route POST ${path}`);
      }
    } catch (error) {
      const message = (error as Error).message;
      const status = error instanceof ApiError ? error.status : 400;
      send(res, status, JSON.stringify({ type: error instanceof ApiError ? error.type : 'INVALID_REQUEST', message }), JSON_TYPE, CORS);
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    // Hot path: `GET /payments/{id}` as the server SDK sends it (no query, no faults, no log)
    // answers from the cached bytes. Everything else, errors included, takes the general path.
    if (req.method === 'GET' && url.startsWith('/payments/') && url.indexOf('/', 10) === -1 && url.indexOf('?') === -1 && !runtime.faultsActive && runtime.log === noop && auth.check(req.headers.authorization)) {
      const raw = url.slice(10);
      const body = raw.indexOf('%') === -1 ? runtime.state.paymentBody(raw) : undefined;
      if (body !== undefined) {
        res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': body.length });
        res.end(body);
        return;
      }
    }
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const { shape, raw } = shapeOf(path);
    const methods = routes[shape];
    if (methods) {
      const found = methods[req.method as Method];
      if (found) {
        void runRest(req, res, found, raw, q === -1 ? '' : url.slice(q + 1));
        return;
      }
      sendError(res, new ApiError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${shape}; use ${Object.keys(methods).join(' or ')}.`), { allow: Object.keys(methods).join(', ') });
      return;
    }
    if (path.startsWith('/checkout/') || path === '/v2/browser-sdk.js') {
      void handleCheckout(req, res, path);
      return;
    }
    if (path === '/sandbox' || path.startsWith('/sandbox/')) {
      void handleControl(req, res, path);
      return;
    }
    if (path === '/' && req.method === 'GET') {
      res.writeHead(302, { location: '/sandbox/' }).end();
      return;
    }
    sendError(res, new ApiError('NOT_FOUND', `No PortOne API route ${req.method} ${path} (the sandbox emulates the V2 payment, billing-key, schedule and auth endpoints).`));
  };
  return { listener, hung };
}

export const noop = (): void => {};
