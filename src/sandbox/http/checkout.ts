// The browser side of PortOne over HTTP: the `window.PortOne` runtime (/v2/browser-sdk.js), the
// checkout server it calls from the shop's page (prepare, complete; CORS open, as PortOne's is),
// and the payment or identity window page with its script (frameable only by the page that opened it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadBrowserAssets } from '../assets.js';
import type { Checkout } from '../checkout/checkout.js';
import type { CheckoutErrorBody } from '../checkout/protocol.js';
import { CheckoutRejection } from '../checkout/rules.js';
import type { Runtime } from '../core/runtime.js';
import { ApiError } from '../errors.js';
import * as input from '../input.js';
import { escapeHtml, renderWindow } from '../window/html.js';
import { renderIdentityWindow } from '../window/identity-html.js';
import { decodeSegment, HTML_TYPE, JS_TYPE, JSON_TYPE, jsonBody, newNonce, pageHeaders, send, windowFrameAncestors } from './respond.js';

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
  IdentityVerificationAlreadyVerified: 409,
  AmountNotEqualToPredefined: 409,
  InvalidEntityState: 409,
};

/** Answers of the checkout server: JSON, open to every origin, never sniffed. */
const API_HEADERS = { ...CORS, 'x-content-type-options': 'nosniff' };

function errorPage(status: number, title: string, text: string): [number, string, Record<string, string>] {
  // The window's own error pages may show inside the shop's overlay; they hold nothing to protect.
  return [status, `<!doctype html><html lang="ko"><title>${escapeHtml(title)}</title><p>${escapeHtml(text)}</p></html>`, pageHeaders({ frameAncestors: '*' })];
}

export function createCheckoutFront(runtime: Runtime, checkout: Checkout): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
  const fail = (res: ServerResponse, error: unknown) => {
    if (error instanceof CheckoutRejection) {
      const extra = error as CheckoutRejection & Partial<CheckoutErrorBody>;
      const body: CheckoutErrorBody = {
        code: error.code,
        message: error.message,
        ...(extra.paymentId ? { paymentId: extra.paymentId } : {}),
        ...(extra.txId ? { txId: extra.txId } : {}),
        ...(extra.identityVerificationId ? { identityVerificationId: extra.identityVerificationId } : {}),
        ...(error.pgCode ? { pgCode: error.pgCode, pgMessage: error.pgMessage } : {}),
      };
      send(res, CHECKOUT_STATUS[error.code] ?? 400, JSON.stringify(body), JSON_TYPE, API_HEADERS);
      return;
    }
    const badInput = error instanceof input.InputError || (error instanceof ApiError && error.status < 500);
    if (!badInput) runtime.log(`checkout failed: ${(error as Error).stack ?? error}`);
    const body = badInput ? { code: 'BadRequest', message: (error as Error).message } : { code: 'UnknownError', message: `The sandbox failed: ${(error as Error).message}` };
    send(res, badInput ? 400 : 500, JSON.stringify(body), JSON_TYPE, API_HEADERS);
  };

  const segment = (raw: string, what: string): string => {
    const decoded = decodeSegment(raw);
    if (decoded === undefined) throw new CheckoutRejection('BadRequest', `The ${what} in the path has a malformed percent-encoding: ${JSON.stringify(raw.slice(0, 80))}`);
    return decoded;
  };

  return async (req, res, path) => {
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS).end();
        return;
      }
      if ((path === '/v2/browser-sdk.js' || path === '/checkout/window.js') && req.method === 'GET') {
        const assets = await loadBrowserAssets();
        send(res, 200, path === '/checkout/window.js' ? assets.page : assets.runtime, JS_TYPE, {
          ...CORS,
          'x-content-type-options': 'nosniff',
          // Loaded by shops on other origins, also under Cross-Origin-Embedder-Policy.
          'cross-origin-resource-policy': 'cross-origin',
          'cache-control': 'no-cache',
        });
        return;
      }
      if (path === '/checkout/prepare' && req.method === 'POST') {
        const { answer } = checkout.prepare(await jsonBody(req));
        send(res, 200, JSON.stringify(answer), JSON_TYPE, API_HEADERS);
        return;
      }
      const windowMatch = /^\/checkout\/window\/([^/]+)$/.exec(path);
      if (windowMatch && req.method === 'GET') {
        const txId = decodeSegment(windowMatch[1]!);
        const tx = txId === undefined ? undefined : checkout.transaction(txId);
        if (!tx) {
          const [status, html, headers] = txId === undefined
            ? errorPage(400, '잘못된 결제창 주소', '결제창 주소의 퍼센트 인코딩이 올바르지 않습니다. (malformed percent-encoding in the transaction id)')
            : errorPage(404, '결제창 없음', '이 결제창을 찾을 수 없습니다. (unknown transaction)');
          send(res, status, html, HTML_TYPE, headers);
          return;
        }
        const nonce = newNonce();
        // An iframe window may be framed by the page that opened it; a redirect window by nobody.
        const frameAncestors = tx.request.mode === 'IFRAME' ? windowFrameAncestors(tx.clientOrigin) : "'none'";
        const page = tx.kind === 'IDENTITY_VERIFICATION' ? renderIdentityWindow(tx, { storeName: runtime.storeName, nonce, now: runtime.now() }) : renderWindow(tx, { storeName: runtime.storeName, nonce });
        send(res, 200, page, HTML_TYPE, pageHeaders({ nonce, selfScripts: true, anyImages: true, frameAncestors }));
        return;
      }
      const completeMatch = /^\/checkout\/transactions\/([^/]+)\/complete$/.exec(path);
      if (completeMatch && req.method === 'POST') {
        const txId = segment(completeMatch[1]!, 'transaction id');
        const body = await jsonBody(req);
        send(res, 200, JSON.stringify(await checkout.complete(txId, body.action)), JSON_TYPE, API_HEADERS);
        return;
      }
      send(res, 404, JSON.stringify({ code: 'NotFound', message: `No checkout route ${req.method} ${path}` }), JSON_TYPE, API_HEADERS);
    } catch (error) {
      fail(res, error);
    }
  };
}
