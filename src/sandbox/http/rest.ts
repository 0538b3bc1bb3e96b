// PortOne's REST API over HTTP: the route table (each route's fault key is `METHOD /shape`, e.g.
// `GET /payments/:id`), injected faults, `Authorization`, JSON in any content type, and
// `{ type, message }` errors with the status PortOne's schema gives each type.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth } from '../auth.js';
import type { SandboxCore } from '../core/core.js';
import { ApiError } from '../errors.js';
import * as input from '../input.js';
import { login, refresh } from '../rest/auth.js';
import * as billingKeys from '../rest/billing-keys.js';
import * as charges from '../rest/charges.js';
import { RawJson, type Handler, type RestContext } from '../rest/context.js';
import * as payments from '../rest/payments.js';
import * as schedules from '../rest/schedules.js';
import { decodeSegment, JSON_TYPE, jsonBody, noop, send, sendError } from './respond.js';

interface RestRoute {
  /** The fault key, e.g. `GET /payments/:id`. */
  key: string;
  handler: Handler;
  auth: boolean;
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

/** REST routes by path shape and method. */
const ROUTES: ReadonlyMap<string, ReadonlyMap<string, RestRoute>> = new Map(
  Object.entries(REST_TABLE).map(([shape, methods]) => [
    shape,
    new Map(Object.entries(methods).map(([method, spec]) => [method, {
      key: `${method} ${shape}`,
      handler: typeof spec === 'function' ? spec : spec.handler,
      auth: typeof spec === 'function',
    }])),
  ]),
);

/** Every REST route's fault key (`faults.routes` accepts these and `*`). */
export const REST_ROUTE_KEYS: readonly string[] = [...ROUTES.values()].flatMap((methods) => [...methods.values()].map((r) => r.key));

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

/** Marks an answer a fault setting produced (so tests tell it from a sandbox failure). */
export const INJECTED = { 'x-portone-sandbox-fault': 'injected' } as const;

const FAILURE_TYPES = { 500: 'INTERNAL_SERVER_ERROR', 502: 'BAD_GATEWAY', 503: 'SERVICE_UNAVAILABLE', 504: 'GATEWAY_TIMEOUT' } as const;

export interface RestFront {
  /** Answers a request whose path is a REST route shape; false when it is not one (the caller goes on). */
  handle(req: IncomingMessage, res: ServerResponse, path: string, query: string): boolean;
  /** Requests held forever by a hang fault, ended when the sandbox closes. */
  hung: Set<ServerResponse>;
}

export function createRestFront(core: SandboxCore, auth: Auth): RestFront {
  const { runtime } = core;
  const hung = new Set<ServerResponse>();

  const run = async (req: IncomingMessage, res: ServerResponse, found: RestRoute, raw: string[], query: string): Promise<void> => {
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
            send(res, status, JSON.stringify({ type: FAILURE_TYPES[status], message: `Injected fault on ${found.key} (sandbox).` }), JSON_TYPE, INJECTED);
            runtime.log(`${req.method} ${req.url} → ${status} (fault)`);
            return;
          }
        }
      }
      const authorization = req.headers.authorization;
      if (found.auth && !auth.check(authorization)) throw auth.unauthorized(authorization);
      const params = raw.map(decodeSegment);
      if (params.includes(undefined)) throw new ApiError('INVALID_REQUEST', `The path ${JSON.stringify(req.url)} has a malformed percent-encoding.`);
      if (params.includes('')) throw new ApiError('INVALID_REQUEST', `The path ${JSON.stringify(req.url)} has an empty id where ${found.key} expects one.`);
      const body = req.method === 'POST' ? await jsonBody(req) : {};
      const ctx: RestContext = { core, auth, params: params as string[], query: new URLSearchParams(query), body };
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

  return {
    hung,
    handle(req, res, path, query) {
      const { shape, raw } = shapeOf(path);
      const methods = ROUTES.get(shape);
      if (!methods) return false;
      const found = methods.get(req.method ?? '');
      if (found) {
        void run(req, res, found, raw, query);
        return true;
      }
      const allowed = [...methods.keys()];
      sendError(res, new ApiError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${shape}; use ${allowed.join(' or ')}.`), { allow: allowed.join(', ') });
      return true;
    },
  };
}
