// The wire protocol between the sandbox's browser runtime / payment window and its checkout
// server. Browser-safe (no Node imports): the runtime and the window page bundle it too.
import type { IdentityVerificationResponse, IssueBillingKeyAndPayResponse, IssueBillingKeyResponse, PaymentResponse } from '../../client/portone-types.js';
import type { SandboxIdentityOutcome } from '../identity/types.js';
import type { SandboxOutcome } from '../types.js';

export type TransactionKind = 'PAYMENT' | 'ISSUE_BILLING_KEY' | 'ISSUE_BILLING_KEY_AND_PAY' | 'IDENTITY_VERIFICATION';
export type WindowResponse = PaymentResponse | IssueBillingKeyResponse | IssueBillingKeyAndPayResponse | IdentityVerificationResponse;
/** How a window ends: a payment window's outcome, or an identity window's. */
export type WindowOutcome = SandboxOutcome | SandboxIdentityOutcome;
export type WindowMode = 'IFRAME' | 'REDIRECTION';

export const CHECKOUT_PREPARE_PATH = '/checkout/prepare';
export const windowPath = (txId: string): string => `/checkout/window/${encodeURIComponent(txId)}`;
export const completePath = (txId: string): string => `/checkout/transactions/${encodeURIComponent(txId)}/complete`;

/** `POST /checkout/prepare`: what the runtime sends when `requestPayment` & co. are called. */
export interface PrepareBody {
  transactionType: TransactionKind;
  request: unknown;
  client: {
    userAgent: string;
    /** The merchant page's origin: where the iframe window posts its result. */
    origin?: string;
    /** Outcome scripted by the page (data attribute or query flag). */
    outcome?: WindowOutcome;
  };
}

export interface PrepareAnswer {
  txId: string;
  windowUrl: string;
  mode: WindowMode;
  paymentId?: string;
  billingKey?: string;
  identityVerificationId?: string;
}

/** A rejection before the window opens; the runtime throws it as the SDK's error class. */
export interface CheckoutErrorBody {
  code: string;
  message: string;
  paymentId?: string;
  txId?: string;
  billingKey?: string;
  identityVerificationId?: string;
  identityVerificationTxId?: string;
  /** When KG Inicis itself refused the request (one of its rules). */
  pgCode?: string;
  pgMessage?: string;
}

/** `POST /checkout/transactions/{txId}/complete`: how the shopper ended the window. */
export interface CompleteBody {
  action: WindowOutcome;
}

export interface CompleteAnswer {
  response: WindowResponse;
  /** In redirect mode: `redirectUrl` with the result query (§3.5). */
  redirectTo?: string;
}

/** `postMessage` from the runtime to the iframe window: Escape pressed on the merchant page cancels like Escape inside. */
export const CANCEL_MESSAGE = 'portone-sandbox:cancel';
export interface CancelMessage {
  type: typeof CANCEL_MESSAGE;
  txId: string;
}

/** `postMessage` from the iframe window to the runtime. */
export const RESULT_MESSAGE = 'portone-sandbox:result';
export interface ResultMessage {
  type: typeof RESULT_MESSAGE;
  txId: string;
  response: WindowResponse;
}

const QUERY_ORDER: Record<TransactionKind, readonly string[]> = {
  PAYMENT: ['paymentId', 'txId', 'transactionType', 'paymentToken', 'code', 'message', 'pgCode', 'pgMessage'],
  ISSUE_BILLING_KEY: ['transactionType', 'billingKey', 'billingIssueToken', 'code', 'message', 'pgCode', 'pgMessage'],
  ISSUE_BILLING_KEY_AND_PAY: ['transactionType', 'paymentId', 'txId', 'billingKey', 'billingIssueToken', 'code', 'message', 'pgCode', 'pgMessage'],
  IDENTITY_VERIFICATION: ['transactionType', 'identityVerificationId', 'identityVerificationTxId', 'code', 'message', 'pgCode', 'pgMessage'],
};

/**
 * `redirectUrl` with the result as query parameters (reference §3.5): the same fields as the
 * promise result, the merchant's own parameters kept, the fragment kept.
 */
export function withResultQuery(redirectUrl: string, response: WindowResponse): string {
  const url = new URL(redirectUrl);
  const fields = response as unknown as Record<string, unknown>;
  for (const key of QUERY_ORDER[response.transactionType as TransactionKind]) {
    const value = fields[key];
    if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/**
 * A scripted outcome from a page: `approve`, `decline`, `decline:V005`, `cancel`, or the JSON of
 * a `SandboxOutcome`. Anything else gives undefined (the shopper decides).
 */
export function parseOutcome(text: string | null | undefined): SandboxOutcome | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as SandboxOutcome;
      return parsed && ['approve', 'decline', 'cancel'].includes(parsed.result) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  const [result, pgCode] = trimmed.split(':');
  if (result === 'approve') return { result: 'approve' };
  if (result === 'cancel') return { result: 'cancel' };
  if (result === 'decline') return pgCode ? { result: 'decline', pgCode } : { result: 'decline' };
  return undefined;
}

/**
 * A scripted outcome of an identity window: `approve`, `approve:minor` (a test person's key),
 * `fail`, `fail:I101`, `cancel`, or the JSON of a `SandboxIdentityOutcome`. `decline` reads as
 * `fail`, so one page attribute can script both kinds of window. Anything else gives undefined.
 */
export function parseIdentityOutcome(text: string | null | undefined): SandboxIdentityOutcome | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as SandboxIdentityOutcome;
      return parsed && ['approve', 'fail', 'cancel'].includes(parsed.result) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  const [result, detail] = trimmed.split(':');
  if (result === 'approve') return detail ? { result: 'approve', person: detail as Extract<SandboxIdentityOutcome, { result: 'approve' }>['person'] & string } : { result: 'approve' };
  if (result === 'cancel') return { result: 'cancel' };
  if (result === 'fail' || result === 'decline') return detail ? { result: 'fail', pgCode: detail } : { result: 'fail' };
  return undefined;
}

/** Phones and tablets get the mobile window (redirect), like PortOne's UA parsing. */
export const isMobileUserAgent = (userAgent: string): boolean => /Mobi|Android|iPhone|iPad|iPod|Tablet/i.test(userAgent);
