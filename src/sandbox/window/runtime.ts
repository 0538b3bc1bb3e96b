// The sandbox's `window.PortOne` (served as /v2/browser-sdk.js, an IIFE): the browser SDK's
// interface backed by the sandbox's checkout server. Errors before the window opens reject with
// the SDK's own error classes; then the simulated KG Inicis window (payment, or 통합인증 for
// identity verification) opens as an iframe overlay, or replaces the page in redirect mode, and
// the result resolves the promise or comes back as query.
import {
  IdentityVerificationError,
  IssueBillingKeyAndPayError,
  IssueBillingKeyError,
  LoadIssueBillingKeyUIError,
  LoadPaymentUIError,
  PaymentError,
} from '@portone/browser-sdk/v2';
import type { IdentityVerificationResponse, IssueBillingKeyAndPayResponse, IssueBillingKeyResponse, PaymentResponse } from '@portone/browser-sdk/v2';
import {
  CANCEL_MESSAGE,
  CHECKOUT_PREPARE_PATH,
  RESULT_MESSAGE,
  type CancelMessage,
  parseIdentityOutcome,
  parseOutcome,
  type CheckoutErrorBody,
  type PrepareAnswer,
  type PrepareBody,
  type ResultMessage,
  type TransactionKind,
  type WindowResponse,
} from '../checkout/protocol.js';

type PortOneSdk = NonNullable<Window['PortOne']>;

const script = document.currentScript as HTMLScriptElement | null;
/** Where the sandbox lives: the script's URL without `/v2/browser-sdk.js` (works behind a path prefix). */
const base = (script?.src ?? location.href).replace(/\/v2\/browser-sdk\.js(\?.*)?$/, '');
const sandboxOrigin = new URL(base, location.href).origin;

const MISSING: Record<TransactionKind, string> = {
  PAYMENT: '결제요청 파라메터가 누락되었습니다.',
  ISSUE_BILLING_KEY: '빌링키 발급 요청 파라메터가 누락되었습니다.',
  ISSUE_BILLING_KEY_AND_PAY: '빌링키 발급 및 결제 요청 파라메터가 누락되었습니다.',
  IDENTITY_VERIFICATION: '본인인증 요청 파라메터가 누락되었습니다.',
};

function sdkError(kind: TransactionKind, body: CheckoutErrorBody): Error {
  const code = body.code as PaymentError['code'];
  const pg = { pgCode: body.pgCode, pgMessage: body.pgMessage };
  if (kind === 'PAYMENT') return new PaymentError({ code, message: body.message, txId: body.txId, paymentId: body.paymentId, ...pg });
  if (kind === 'ISSUE_BILLING_KEY') return new IssueBillingKeyError({ code: code as IssueBillingKeyError['code'], message: body.message, billingKey: body.billingKey, ...pg });
  if (kind === 'IDENTITY_VERIFICATION') {
    return new IdentityVerificationError({
      code: code as IdentityVerificationError['code'],
      message: body.message,
      identityVerificationId: body.identityVerificationId,
      identityVerificationTxId: body.identityVerificationTxId,
      ...pg,
    });
  }
  return new IssueBillingKeyAndPayError({ code: code as IssueBillingKeyAndPayError['code'], message: body.message, txId: body.txId, paymentId: body.paymentId, billingKey: body.billingKey, ...pg });
}

/**
 * An outcome the page scripts: `<html data-portone-sandbox-outcome="decline:V005">` or
 * `?portone-sandbox-outcome=cancel` (an identity window reads it as its own: `approve:minor`, `fail`).
 */
function pageOutcome(kind: TransactionKind): PrepareBody['client']['outcome'] {
  const parse = kind === 'IDENTITY_VERIFICATION' ? parseIdentityOutcome : parseOutcome;
  return parse(document.documentElement.getAttribute('data-portone-sandbox-outcome')) ?? parse(new URLSearchParams(location.search).get('portone-sandbox-outcome'));
}

async function prepare(kind: TransactionKind, request: unknown): Promise<PrepareAnswer> {
  const outcome = pageOutcome(kind);
  const body: PrepareBody = { transactionType: kind, request, client: { userAgent: navigator.userAgent, origin: location.origin, ...(outcome ? { outcome } : {}) } };
  let response: Response;
  let json: PrepareAnswer | CheckoutErrorBody;
  try {
    response = await fetch(`${base}${CHECKOUT_PREPARE_PATH}`, { method: 'POST', body: JSON.stringify(body) });
    json = (await response.json()) as PrepareAnswer | CheckoutErrorBody;
  } catch (error) {
    throw sdkError(kind, { code: 'Unavailable', message: `PortOne 샌드박스(${base})에 연결할 수 없습니다: ${(error as Error).message}` });
  }
  if (!response.ok) throw sdkError(kind, json as CheckoutErrorBody);
  return json as PrepareAnswer;
}

/**
 * Makes everything but the overlay inert while the window is open, as a modal dialog does: the
 * shopper cannot Tab into, click or type into the page behind (and so cannot open a second window
 * from it). Returns what undoes it, leaving alone what the page had made inert itself.
 */
function inertBehind(overlay: HTMLElement): () => void {
  const made: HTMLElement[] = [];
  for (const element of document.body?.children ?? []) {
    if (element === overlay || !(element instanceof HTMLElement) || element.inert) continue;
    element.inert = true;
    made.push(element);
  }
  return () => {
    for (const element of made) element.inert = false;
  };
}

function openOverlay(answer: PrepareAnswer, windowUrl: string): Promise<WindowResponse> {
  return new Promise((resolve) => {
    const previousFocus = document.activeElement as HTMLElement | null;
    const overlay = document.createElement('div');
    overlay.setAttribute('data-portone-sandbox', 'overlay');
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:transparent;';
    const iframe = document.createElement('iframe');
    iframe.src = windowUrl;
    iframe.title = 'KG이니시스 결제창 (PortOne 샌드박스)';
    iframe.setAttribute('data-portone-sandbox', 'window');
    iframe.setAttribute('data-tx-id', answer.txId);
    iframe.style.cssText = 'border:0;width:100%;height:100%;display:block;background:transparent;';
    iframe.addEventListener('load', () => iframe.focus());
    // Should focus still reach the merchant page (the iframe not loaded yet, a click on the
    // backdrop), Escape there cancels the window as Escape inside it does.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      const message: CancelMessage = { type: CANCEL_MESSAGE, txId: answer.txId };
      iframe.contentWindow?.postMessage(message, sandboxOrigin);
    };
    const onMessage = (event: MessageEvent) => {
      const data = event.data as ResultMessage | undefined;
      if (event.origin !== sandboxOrigin || data?.type !== RESULT_MESSAGE || data.txId !== answer.txId) return;
      window.removeEventListener('message', onMessage);
      document.removeEventListener('keydown', onKeyDown, true);
      restore();
      overlay.remove();
      previousFocus?.focus?.();
      resolve(data.response);
    };
    window.addEventListener('message', onMessage);
    document.addEventListener('keydown', onKeyDown, true);
    overlay.append(iframe);
    (document.body ?? document.documentElement).append(overlay);
    const restore = inertBehind(overlay);
    iframe.focus();
  });
}

async function start<R extends WindowResponse>(kind: TransactionKind, request: unknown): Promise<R | undefined> {
  if (request === undefined || request === null) throw sdkError(kind, { code: 'BadRequest', message: MISSING[kind] });
  const answer = await prepare(kind, request);
  const windowUrl = new URL(answer.windowUrl, `${base}/`).href;
  if (answer.mode === 'REDIRECTION') {
    location.assign(windowUrl);
    // The page is leaving; the result comes back as redirectUrl's query.
    if (kind === 'ISSUE_BILLING_KEY_AND_PAY') return new Promise<never>(() => {});
    return undefined;
  }
  return (await openOverlay(answer, windowUrl)) as R;
}

const unsupported = (what: string) => `PortOne 샌드박스는 ${what}을(를) 지원하지 않습니다 (KG이니시스 결제창, 빌링키 발급, 빌링키 발급 및 결제, 통합인증만 에뮬레이션합니다).`;

const PortOne: PortOneSdk = {
  requestPayment: (request) => start<PaymentResponse>('PAYMENT', request),
  requestIssueBillingKey: (request) => start<IssueBillingKeyResponse>('ISSUE_BILLING_KEY', request),
  requestIssueBillingKeyAndPay: (request) => start<IssueBillingKeyAndPayResponse>('ISSUE_BILLING_KEY_AND_PAY', request) as Promise<IssueBillingKeyAndPayResponse>,
  requestIdentityVerification: (request) => start<IdentityVerificationResponse>('IDENTITY_VERIFICATION', request),
  loadPaymentUI: () => Promise.reject(new LoadPaymentUIError({ code: 'Unimplemented', message: unsupported('loadPaymentUI') })),
  loadIssueBillingKeyUI: () => Promise.reject(new LoadIssueBillingKeyUIError({ code: 'Unimplemented', message: unsupported('loadIssueBillingKeyUI') })),
  updateLoadPaymentUIRequest: () => Promise.reject(new LoadPaymentUIError({ code: 'Unimplemented', message: unsupported('updateLoadPaymentUIRequest') })),
  updateLoadIssueBillingKeyUIRequest: () => Promise.reject(new LoadIssueBillingKeyUIError({ code: 'Unimplemented', message: unsupported('updateLoadIssueBillingKeyUIRequest') })),
};

window.PortOne = PortOne;
