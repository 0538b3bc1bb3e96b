// The sandbox's own routes under /sandbox/: the dashboard page, receipts, and the JSON controls
// (state, deposit, clock, window and identity outcomes, faults, webhook URLs, reset, trigger,
// replay, the delivery stream). Everything that changes or reveals state needs the control token in
// `X-PortOne-Sandbox-Token`; no route answers other origins (no CORS), so neither a page on
// another site nor a neighbour on the network can drive the sandbox.
// Open without the token: the dashboard page itself (it holds no data) and receipts, whose URLs
// carry a key as PortOne's receipt URLs do (`Payment.receiptUrl`, handed to shoppers).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { SandboxCore } from '../core/core.js';
import { dashboardIdentityVerification, dashboardPayment, renderDashboard, renderReceipt } from '../dashboard.js';
import { isUsageError } from '../errors.js';
import { iso, receiptKey } from '../ids.js';
import * as input from '../input.js';
import type { SandboxIdentityOutcome } from '../identity/types.js';
import type { SandboxChargeOutcome, SandboxDepositOptions, SandboxFaults, SandboxOutcome, SandboxTriggerEvent, SandboxTriggerOptions } from '../types.js';
import { decodeSegment, HTML_TYPE, JSON_TYPE, jsonBody, newNonce, pageHeaders, send } from './respond.js';

/** The header that carries the control token (`Sandbox.controlToken`). */
export const CONTROL_TOKEN_HEADER = 'x-portone-sandbox-token';

/** What the control routes drive: the same methods the `Sandbox` object has. */
export interface Controls {
  advance(ms: number): Promise<void>;
  deposit(paymentId: string, amount?: number, options?: SandboxDepositOptions): Promise<unknown>;
  nextOutcome(outcome: SandboxOutcome): void;
  nextChargeOutcome(outcome: SandboxChargeOutcome): void;
  nextIdentityOutcome(outcome: SandboxIdentityOutcome): void;
  setFaults(faults: SandboxFaults): void;
  setWebhookUrls(urls: string[]): void;
  reset(): void;
  trigger(event: SandboxTriggerEvent, options?: SandboxTriggerOptions): Promise<unknown>;
  replay(body: string, options?: { urls?: string[] }): Promise<unknown>;
}

/** The tail stream's keep-alive: an empty line this often, so idle clients do not time out. */
const HEARTBEAT_MS = 20_000;

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The 100 years `advance` may move at once: further would leave the range of dates. */
const MAX_ADVANCE_MS = 100 * 365 * 24 * 3_600_000;

class ControlError extends Error {
  constructor(readonly status: 400 | 401 | 404 | 405, readonly type: string, message: string) {
    super(message);
  }
}

const JSON_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

export function createControlFront(core: SandboxCore, controls: Controls, token: string): (req: IncomingMessage, res: ServerResponse, path: string, query: string) => Promise<void> {
  const { runtime } = core;

  const authorized = (req: IncomingMessage): boolean => {
    const given = req.headers[CONTROL_TOKEN_HEADER];
    return typeof given === 'string' && sameSecret(given, token);
  };

  const open = async (req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<boolean> => {
    if (path === '/sandbox' && req.method === 'GET') {
      res.writeHead(302, { location: '/sandbox/' }).end();
      return true;
    }
    if (path === '/sandbox/' && req.method === 'GET') {
      const nonce = newNonce();
      send(res, 200, renderDashboard({ storeId: runtime.storeId, url: runtime.baseUrl, nonce }), HTML_TYPE, pageHeaders({ nonce, frameAncestors: "'none'" }));
      return true;
    }
    const receipt = /^\/sandbox\/receipts\/([^/]+)$/.exec(path);
    if (receipt && req.method === 'GET') {
      const paymentId = decodeSegment(receipt[1]!);
      const key = new URLSearchParams(query).get('key') ?? '';
      const entry = paymentId === undefined ? undefined : runtime.state.payments.get(paymentId);
      const nonce = newNonce();
      const headers = pageHeaders({ nonce, frameAncestors: "'none'" });
      // A wrong key and an unknown payment look the same: a receipt URL cannot be guessed.
      if (paymentId === undefined) send(res, 400, '<!doctype html><html lang="ko"><title>잘못된 주소</title><p>영수증 주소의 퍼센트 인코딩이 올바르지 않습니다.</p></html>', HTML_TYPE, headers);
      else if (!entry || !sameSecret(key, receiptKey(token, paymentId))) send(res, 404, '<!doctype html><html lang="ko"><title>영수증 없음</title><p>결제를 찾을 수 없습니다.</p></html>', HTML_TYPE, headers);
      else send(res, 200, renderReceipt(entry.payment, nonce), HTML_TYPE, headers);
      return true;
    }
    return false;
  };

  let openStreams = 0;

  /** Every delivery attempt from now on, one JSON line each, until the client leaves or the sandbox closes. */
  const stream = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', ...JSON_HEADERS });
    res.flushHeaders();
    const stop = core.webhooks.onDelivery((delivery) => res.write(`${JSON.stringify(delivery)}\n`));
    const heartbeat = setInterval(() => res.write('\n'), HEARTBEAT_MS);
    heartbeat.unref();
    openStreams++;
    req.on('close', () => {
      openStreams--;
      stop();
      clearInterval(heartbeat);
    });
  };

  const state = () => ({
    now: iso(runtime.now()),
    timers: runtime.clock.pending().map((t) => ({ at: iso(t.at), label: t.label })),
    payments: [...runtime.state.payments.values()].map((e) => dashboardPayment(e.payment)).reverse(),
    schedules: [...runtime.state.schedules.values()].map((e) => e.schedule),
    deliveries: core.webhooks.deliveries(),
    windowOutcomes: runtime.windowOutcomes,
    identityVerifications: [...runtime.state.identityVerifications.values()].map(dashboardIdentityVerification).reverse(),
    identityOutcomes: runtime.identityOutcomes,
    faults: runtime.faults,
    /** Delivery streams open right now (`tail`s). */
    tails: openStreams,
  });

  const post = async (path: string, body: input.Json): Promise<unknown> => {
    switch (path) {
      case '/sandbox/advance': {
        const ms = input.integer(body.ms, 'ms', { min: 0 });
        if (ms > MAX_ADVANCE_MS) throw new input.InputError(`\`ms\`: expected at most ${MAX_ADVANCE_MS} (100 years), got ${ms}`);
        await controls.advance(ms);
        return { now: iso(runtime.now()) };
      }
      case '/sandbox/deposit':
        return controls.deposit(input.string(body.paymentId, 'paymentId'), input.optInteger(body.amount, 'amount', { min: 1 }), { partial: input.optBoolean(body.partial, 'partial') ?? false });
      case '/sandbox/outcomes':
        controls.nextOutcome(body as unknown as SandboxOutcome);
        return { queued: runtime.windowOutcomes.length };
      case '/sandbox/identity-outcomes':
        controls.nextIdentityOutcome(body as unknown as SandboxIdentityOutcome);
        return { queued: runtime.identityOutcomes.length };
      case '/sandbox/charge-outcomes':
        controls.nextChargeOutcome(body as unknown as SandboxChargeOutcome);
        return { queued: runtime.chargeOutcomes.length };
      case '/sandbox/faults':
        controls.setFaults(body as SandboxFaults);
        return { ok: true };
      case '/sandbox/webhook-urls':
        controls.setWebhookUrls(input.optHttpUrls(body.urls, 'urls') ?? []);
        return { ok: true };
      case '/sandbox/reset':
        controls.reset();
        return { ok: true };
      case '/sandbox/trigger':
        return controls.trigger(input.string(body.event, 'event') as SandboxTriggerEvent, {
          ...(body.paymentId !== undefined ? { paymentId: input.string(body.paymentId, 'paymentId') } : {}),
          ...(body.billingKey !== undefined ? { billingKey: input.string(body.billingKey, 'billingKey') } : {}),
        });
      case '/sandbox/replay': {
        const urls = input.optHttpUrls(body.urls, 'urls');
        return { deliveries: await controls.replay(input.string(body.body, 'body'), urls ? { urls } : {}) };
      }
      default:
        throw new ControlError(404, 'NOT_FOUND', `No sandbox control POST ${path}`);
    }
  };

  return async (req, res, path, query) => {
    try {
      if (await open(req, res, path, query)) return;
      if (!authorized(req)) {
        throw new ControlError(401, 'UNAUTHORIZED', `Sandbox controls need the control token in the ${CONTROL_TOKEN_HEADER} header: it is printed when the sandbox starts, is Sandbox.controlToken, and is in the dashboard link (#token=…).`);
      }
      if (path === '/sandbox/deliveries/stream' && req.method === 'GET') {
        stream(req, res);
        return;
      }
      if (path === '/sandbox/state') {
        if (req.method !== 'GET') throw new ControlError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on /sandbox/state; use GET.`);
        send(res, 200, JSON.stringify(state()), JSON_TYPE, JSON_HEADERS);
        return;
      }
      if (req.method !== 'POST') throw new ControlError(405, 'METHOD_NOT_ALLOWED', `Sandbox controls are POSTed (or GET /sandbox/state), got ${req.method} ${path}.`);
      send(res, 200, JSON.stringify(await post(path, await jsonBody(req))), JSON_TYPE, JSON_HEADERS);
    } catch (error) {
      if (error instanceof ControlError) {
        send(res, error.status, JSON.stringify({ type: error.type, message: error.message }), JSON_TYPE, { ...JSON_HEADERS, ...(error.status === 405 ? { allow: 'GET, POST' } : {}) });
      } else if (error instanceof input.InputError || isUsageError(error)) {
        send(res, 400, JSON.stringify({ type: 'INVALID_REQUEST', message: error.message }), JSON_TYPE, JSON_HEADERS);
      } else {
        runtime.log(`${req.method} ${path} failed: ${(error as Error).stack ?? error}`);
        send(res, 500, JSON.stringify({ type: 'INTERNAL_SERVER_ERROR', message: `The sandbox failed: ${(error as Error).message}` }), JSON_TYPE, JSON_HEADERS);
      }
    }
  };
}
