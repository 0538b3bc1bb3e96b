// Reading PortOne's result back from the query string of `redirectUrl` (mobile windows leave the
// page and come back with the promise's fields as parameters), and removing those parameters.
// Pure: takes and returns strings.
import type { RequestKind } from '../inicis/rules.js';

/** The parameters PortOne appends to `redirectUrl` (reference §3.5): the promise result's fields. */
export const REDIRECT_PARAMS = [
  'transactionType',
  'paymentId',
  'txId',
  'billingKey',
  'paymentToken',
  'billingIssueToken',
  'code',
  'message',
  'pgCode',
  'pgMessage',
] as const;

export type RedirectTransactionType = 'PAYMENT' | 'ISSUE_BILLING_KEY' | 'ISSUE_BILLING_KEY_AND_PAY';

/** The SDK result carried by a redirect, shaped like the promise's resolved value. */
export type RedirectResult = { transactionType: RedirectTransactionType } & Partial<
  Record<Exclude<(typeof REDIRECT_PARAMS)[number], 'transactionType'>, string>
>;

/** Which element finishes each kind of result. */
export const KIND_OF_TRANSACTION: Readonly<Record<RedirectTransactionType, RequestKind>> = {
  PAYMENT: 'payment',
  ISSUE_BILLING_KEY: 'billing-key',
  ISSUE_BILLING_KEY_AND_PAY: 'billing-key-and-pay',
};

/** The attempt a window was opened for in this tab (see `pendingAttempt()`). */
export interface ExpectedAttempt {
  kind: RequestKind;
  /** `paymentId`, or `issueId` for billing keys. */
  id: string;
}

/**
 * The PortOne result in `search` (`location.search`), or `undefined` when there is none.
 *
 * A query is PortOne's when it names its `transactionType`, as PortOne's SDKs send it. PortOne's
 * docs also show payments coming back with `paymentId` alone; a shop's own links
 * (`/order-complete?paymentId=…`) look exactly like that, so such a query counts only when its
 * `paymentId` is the id of `pending`, the attempt this tab opened a window for, and is read as
 * that attempt's kind. A billing key's return carries no id to match, so it needs `transactionType`.
 */
export function parseRedirectQuery(search: string, pending?: ExpectedAttempt): RedirectResult | undefined {
  const query = new URLSearchParams(search);
  let type = query.get('transactionType');
  if (type === null && pending && pending.kind !== 'billing-key' && query.get('paymentId') === pending.id) {
    type = pending.kind === 'payment' ? 'PAYMENT' : 'ISSUE_BILLING_KEY_AND_PAY';
  }
  if (type === null || !Object.hasOwn(KIND_OF_TRANSACTION, type)) return undefined;
  const result: Record<string, string> = {};
  for (const name of REDIRECT_PARAMS) {
    const value = query.get(name);
    if (value !== null) result[name] = value;
  }
  result.transactionType = type;
  // A failure may come without the id; a success never does.
  return result[type === 'ISSUE_BILLING_KEY' ? 'billingKey' : 'paymentId'] !== undefined || result.code !== undefined ? (result as RedirectResult) : undefined;
}

/** `url` without PortOne's parameters; the page's own parameters and the hash stay. */
export function stripRedirectParams(url: string): string {
  const parsed = new URL(url);
  for (const name of REDIRECT_PARAMS) parsed.searchParams.delete(name);
  return parsed.href.replace(/\?(?=#|$)/, '');
}

/**
 * One key per attempt's result, so the same result is never completed twice. The manual-approval
 * tokens are part of it: every such billing key comes back as the same `NEEDS_CONFIRMATION`.
 */
export function resultKey(result: RedirectResult): string {
  const r = result;
  return [r.transactionType, r.paymentId, r.billingKey, r.txId, r.code, r.paymentToken, r.billingIssueToken].join('|');
}
