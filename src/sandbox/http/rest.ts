// PortOne's REST API over HTTP: the routes (./routes.ts) each with its request schema, injected
// faults, `Authorization`, JSON in any content type, and `{ type, message }` errors with the
// status PortOne's schema gives each type.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth } from '../auth.js';
import type { SandboxCore } from '../core/core.js';
import { ApiError } from '../errors.js';
import * as input from '../input.js';
import { RawJson, type Handler, type RestContext } from '../rest/context.js';
import { REST_TABLE } from './routes.js';
import { checkBody, checkQuery, operationRequest, type OperationRequest } from '../schema/requests.js';
import { decodeSegment, JSON_TYPE, noop, parseBoundedJson, readJson, send } from './respond.js';

interface RestRoute {
  /** The fault key, e.g. `GET /payments/:id`. */
  key: string;
  handler: Handler;
  auth: boolean;
  /** What PortOne's schema says the request holds. */
  request: OperationRequest;
}

/** REST routes by path shape and method. */
const ROUTES: ReadonlyMap<string, ReadonlyMap<string, RestRoute>> = new Map(
  Object.entries(REST_TABLE).map(([shape, methods]) => [
    shape,
    new Map(Object.entries(methods).map(([method, spec]) => {
      const key = `${method} ${shape}`;
      const request = operationRequest(key);
      if (!request) throw new Error(`${key} has no request schema: run scripts/sandbox-schemas.ts`);
      return [method, { key, handler: typeof spec === 'function' ? spec : spec.handler, auth: typeof spec === 'function', request }];
    })),
  ]),
);

export { REST_ROUTE_KEYS } from './routes.js';

/** `/payments/abc/cancel` → shape `/payments/:id/cancel` and params `['abc']` (still encoded). */
function shapeOf(path: string): { shape: string; raw: string[] } {
  const segments = path.split('/');
  const raw: string[] = [];
  const top = segments[1];
  if ((top === 'payments' || top === 'payment-schedules' || top === 'billing-keys' || top === 'identity-verifications') && segments.length >= 3) {
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

const REASONS = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' } as const;

/**
 * What a client meets when PortOne's gateway fails: an HTML error page, not PortOne's JSON. The
 * server SDK cannot parse it (`SyntaxError`), as with the real thing.
 */
export function gatewayPage(status: keyof typeof REASONS): string {
  const line = `${status} ${REASONS[status]}`;
  return `<html>\r\n<head><title>${line}</title></head>\r\n<body>\r\n<center><h1>${line}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

const TEXT_TYPE = 'text/plain; charset=utf-8';

/** An answer outside PortOne's API (no such route, a sandbox failure): plain text, no invented error `type`. */
export function sendText(res: ServerResponse, status: number, text: string, extra?: Record<string, string>): void {
  send(res, status, text, TEXT_TYPE, extra);
}

/**
 * The request's JSON, checked against PortOne's schema for the operation: a POST body, or a list
 * endpoint's `requestBody` (query parameter first, else the body). Query parameters are checked
 * too. Whatever the schema refuses is `INVALID_REQUEST`, every problem named.
 */
async function readRequest(req: IncomingMessage, request: OperationRequest, query: URLSearchParams, sent: { text?: string }): Promise<input.Json> {
  const problems = checkQuery(request, query);
  const spec = request.queryOrBody ?? request.body;
  let value: unknown;
  if (request.queryOrBody) {
    const text = query.get('requestBody');
    if (text !== null && text !== '') {
      sent.text = text;
      value = parseBoundedJson(text, 'the `requestBody` query parameter');
    } else value = await readJson(req, sent);
  } else if (request.body) {
    value = await readJson(req, sent);
  }
  if (spec && value === undefined && spec.required) problems.push(`\`${request.queryOrBody ? 'requestBody' : '(the body)'}\`: expected ${request.queryOrBody ? 'JSON in the requestBody query parameter or the body' : 'a JSON body'}, got nothing`);
  if (spec && value !== undefined) problems.push(...checkBody(spec.schema, value));
  if (problems.length > 0) throw new ApiError('INVALID_REQUEST', problems.join('; '));
  return (value ?? {}) as input.Json;
}

export interface RestFront {
  /** Answers a request whose path is a REST route shape; false when it is not one (the caller goes on). */
  handle(req: IncomingMessage, res: ServerResponse, path: string, query: string): boolean;
  /** Requests held forever by a hang fault, ended when the sandbox closes. */
  hung: Set<ServerResponse>;
}

export function createRestFront(core: SandboxCore, auth: Auth): RestFront {
  const { runtime } = core;
  const hung = new Set<ServerResponse>();

  /** What to answer: an HTTP answer, or none at all (a hang or a reset fault). */
  type Answer = { status: number; body: string | Buffer; type: string; headers?: Record<string, string>; fault?: 'failure' } | { fault: 'hang' | 'reset' };

  const answer = async (req: IncomingMessage, found: RestRoute, raw: string[], search: URLSearchParams, sent: { text?: string }): Promise<Answer> => {
    try {
      if (runtime.faultsActive) {
        // A route's own fault settings override `*` field by field.
        const all = runtime.faults.routes?.['*'];
        const own = runtime.faults.routes?.[found.key];
        const fault = all && own ? { ...all, ...own } : own ?? all;
        if (fault) {
          if (fault.latencyMs) await sleep(fault.latencyMs);
          if (runtime.rollDice(fault.hangRate)) return { fault: 'hang' };
          if (runtime.rollDice(fault.resetRate)) return { fault: 'reset' };
          if (runtime.rollDice(fault.failureRate)) {
            const status = fault.failureStatus ?? 500;
            return { status, body: gatewayPage(status), type: 'text/html', headers: INJECTED, fault: 'failure' };
          }
        }
      }
      const authorization = req.headers.authorization;
      if (found.auth && !auth.check(authorization)) throw auth.unauthorized(authorization);
      const params = raw.map(decodeSegment);
      if (params.includes(undefined)) throw new ApiError('INVALID_REQUEST', `The path ${JSON.stringify(req.url)} has a malformed percent-encoding.`);
      if (params.includes('')) throw new ApiError('INVALID_REQUEST', `The path ${JSON.stringify(req.url)} has an empty id where ${found.key} expects one.`);
      const body = await readRequest(req, found.request, search, sent);
      const ctx: RestContext = { core, auth, params: params as string[], query: search, body };
      const result = await found.handler(ctx);
      return { status: 200, body: result instanceof RawJson ? result.text : JSON.stringify(result), type: JSON_TYPE };
    } catch (error) {
      const apiError = error instanceof ApiError ? error : error instanceof input.InputError ? new ApiError('INVALID_REQUEST', error.message) : undefined;
      if (apiError) return { status: apiError.status, body: JSON.stringify(apiError.body()), type: JSON_TYPE };
      runtime.log(`${req.method} ${req.url} failed: ${(error as Error).stack ?? error}`);
      return { status: 500, body: `The sandbox failed (a bug in the sandbox, not PortOne behaviour): ${(error as Error).message}`, type: TEXT_TYPE };
    }
  };

  const run = async (req: IncomingMessage, res: ServerResponse, found: RestRoute, raw: string[], query: string): Promise<void> => {
    const started = runtime.log === noop ? 0 : performance.now();
    const search = new URLSearchParams(query);
    const sent: { text?: string } = {};
    const result = await answer(req, found, raw, search, sent);
    if ('status' in result) send(res, result.status, result.body, result.type, result.headers);
    else if (result.fault === 'hang') {
      hung.add(res);
      res.on('close', () => hung.delete(res));
    } else {
      // The connection drops before any answer: the client sees ECONNRESET.
      req.socket.resetAndDestroy();
    }
    if (started) runtime.log(`${req.method} ${req.url} → ${'status' in result ? result.status : `(${result.fault === 'hang' ? 'hang' : 'connection reset'})`}${result.fault ? ' (fault)' : ''} (${(performance.now() - started).toFixed(1)} ms)`);
    runtime.onRestExchange?.({
      route: found.key,
      method: req.method ?? '',
      url: req.url ?? '',
      ...(sent.text !== undefined ? { requestBody: sent.text } : {}),
      ...('status' in result ? { status: result.status, responseBody: result.body.toString(), contentType: result.type } : { status: 0 }),
      ...(result.fault ? { fault: result.fault } : {}),
    });
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
      sendText(res, 405, `Method Not Allowed: ${req.method} ${shape}; PortOne's API has ${allowed.join(' and ')} there.`, { allow: allowed.join(', ') });
      return true;
    },
  };
}
