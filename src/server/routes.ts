// The kit's HTTP surface: the contract's routes (src/contract.ts) by path and method, the base path
// stripped once, the one path parameter decoded once, and every failure answered as the kit's error
// JSON — a developer's detail in the log, never a secret in a response.
import { ROUTES } from '../contract.js';
import { completeBillingKeyAndPay, prepareBillingKeyAndPay } from './billing-key-and-pay.js';
import { completeBillingKey, prepareBillingKey } from './billing-keys.js';
import { handleConfirm } from './confirm.js';
import type { KitContext } from './context.js';
import { CheckoutError } from './errors.js';
import { checkId, decodeSegment, errorResponse, jsonResponse, readJsonObject } from './http.js';
import { completeIdentityVerification, prepareIdentityVerification } from './identity.js';
import type { Outbox } from './outbox.js';
import { completePayment, getOrderAnswer } from './payments.js';
import { rejected } from './portone.js';
import { reconcile, type ReconcileState } from './maintenance.js';
import { preparePayment } from './prepare.js';
import * as validate from './validate.js';
import { handleWebhook } from './webhooks.js';

/** What the routes run on: a started kit. */
export interface Running {
  ctx: KitContext;
  outbox: Outbox;
  /** Where this instance's reconcile runs left off (the cron route runs one). */
  reconcileState: ReconcileState;
}

type Handler = (core: Running, request: Request) => Promise<Response>;

const json = (run: (core: Running, body: Record<string, unknown>, request: Request) => Promise<unknown>): Handler => async (core, request) => {
  const body = await readJsonObject(request, core.ctx.options.bodyLimitBytes);
  return jsonResponse(await run(core, body, request));
};

/** Where a scheduler calls the kit's maintenance (with `cronSecret`). */
export const CRON_PATH = '/cron';

/** The contract's routes (src/contract.ts), by path then method. */
const ROUTE_TABLE: Record<string, Record<string, Handler>> = {
  [ROUTES.preparePayment]: { POST: json(({ ctx }, body, request) => preparePayment(ctx, request, body)) },
  [ROUTES.completePayment]: { POST: json(({ ctx, outbox }, body) => completePayment(ctx, outbox, body)) },
  [ROUTES.prepareBillingKey]: { POST: json(({ ctx }, body, request) => prepareBillingKey(ctx, request, body)) },
  [ROUTES.completeBillingKey]: { POST: json(({ ctx, outbox }, body) => completeBillingKey(ctx, outbox, validate.completeBillingKeyRequest(body))) },
  [ROUTES.prepareBillingKeyAndPay]: { POST: json(({ ctx }, body, request) => prepareBillingKeyAndPay(ctx, request, body)) },
  [ROUTES.completeBillingKeyAndPay]: { POST: json(({ ctx, outbox }, body) => completeBillingKeyAndPay(ctx, outbox, body)) },
  [ROUTES.prepareIdentityVerification]: { POST: json(({ ctx }, body, request) => prepareIdentityVerification(ctx, request, body)) },
  [ROUTES.completeIdentityVerification]: { POST: json(({ ctx, outbox }, body) => completeIdentityVerification(ctx, outbox, body)) },
  [ROUTES.webhooks]: { POST: async ({ ctx, outbox }, request) => jsonResponse(await handleWebhook(ctx, outbox, request)) },
  // PortOne's, not the browser's: answered with PortOne's { errorMessage } when it stops a payment.
  [ROUTES.confirm]: { POST: ({ ctx, outbox }, request) => handleConfirm(ctx, outbox, request) },
  // The scheduler's entry point (serverless: no background timers). Not part of the browser's contract.
  [CRON_PATH]: { GET: cron, POST: cron },
};

/** `{basePath}/cron`: reconcile() (due hook retries included) for a scheduler that has the cron secret. */
async function cron(core: Running, request: Request): Promise<Response> {
  const secret = core.ctx.options.cronSecret;
  // Not configured: the route does not exist.
  if (secret === undefined) throw notFound(CRON_PATH, core.ctx.options.basePath);
  if (!(await bearerIs(request.headers.get('authorization'), secret))) {
    return errorResponse(new CheckoutError('UNAUTHORIZED', 'authorization: expected "Bearer" and the kit\'s cronSecret, got a missing or different credential'), { 'www-authenticate': 'Bearer' });
  }
  return jsonResponse({ reconciled: await reconcile(core.ctx, core.outbox, core.reconcileState) });
}

/** Compares the credential with the secret in constant time (their SHA-256 digests, byte by byte). */
async function bearerIs(header: string | null, secret: string): Promise<boolean> {
  // The scheme's name is case-insensitive (RFC 9110 §11.1).
  const given = /^Bearer +(.+)$/i.exec(header ?? '')?.[1] ?? '';
  const digest = async (text: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  const [a, b] = await Promise.all([digest(given), digest(secret)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0 && given.length > 0;
}

const ORDER_PREFIX = '/payments/';

/** Answers one request under the kit's base path. Never rejects. */
export async function handle(core: Running, request: Request): Promise<Response> {
  try {
    return await route(core, request);
  } catch (error) {
    return toResponse(core.ctx, error);
  }
}

async function route(core: Running, request: Request): Promise<Response> {
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
  // The browser's routes: the scheduler's is no business of whoever asks.
  const routes = [...Object.keys(ROUTE_TABLE).filter((route) => route !== CRON_PATH), `${ORDER_PREFIX}{paymentId}`];
  return new CheckoutError('NOT_FOUND', `path: expected one of ${routes.join(', ')}${base ? ` under ${base}` : ''}, got ${JSON.stringify(path.slice(0, 80))}`);
}

function methodNotAllowed(method: string, allowed: string[]): Response {
  return errorResponse(new CheckoutError('METHOD_NOT_ALLOWED', `method: expected ${allowed.join(' or ')}, got ${JSON.stringify(method)}`), { allow: allowed.join(', ') });
}

function toResponse({ log, redact }: KitContext, thrown: unknown): Response {
  // A PortOne refusal nobody on the way gave a meaning to is the server's configuration problem.
  const error = rejected(thrown);
  if (error instanceof CheckoutError) {
    if (error.status >= 500 && error.code !== 'PORTONE_UNAVAILABLE' && error.code !== 'ORDER_BUSY') log.error(`${error.code}: ${error.message}`);
    return errorResponse(
      new CheckoutError(error.code, redact(error.message), {
        status: error.status,
        ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
        ...(error.shopperMessage !== undefined ? { shopperMessage: error.shopperMessage } : {}),
      }),
    );
  }
  log.error('unexpected error while handling a request', { error: error instanceof Error ? error : String(error) });
  return errorResponse(new CheckoutError('INTERNAL_ERROR', 'an unexpected error occurred in the checkout server; details are in its log'));
}
