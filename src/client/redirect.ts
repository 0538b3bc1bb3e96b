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
  'identityVerificationId',
  'identityVerificationTxId',
] as const;

export type RedirectTransactionType = 'PAYMENT' | 'ISSUE_BILLING_KEY' | 'ISSUE_BILLING_KEY_AND_PAY' | 'IDENTITY_VERIFICATION';

/** The SDK result carried by a redirect, shaped like the promise's resolved value. */
export type RedirectResult = { transactionType: RedirectTransactionType } & Partial<
  Record<Exclude<(typeof REDIRECT_PARAMS)[number], 'transactionType'>, string>
>;

/** Which element finishes each kind of result. */
export const KIND_OF_TRANSACTION: Readonly<Record<RedirectTransactionType, RequestKind>> = {
  PAYMENT: 'payment',
  ISSUE_BILLING_KEY: 'billing-key',
  ISSUE_BILLING_KEY_AND_PAY: 'billing-key-and-pay',
  IDENTITY_VERIFICATION: 'identity-verification',
};

/** The parameter that names the attempt, by transaction; a billing key's return names none. */
const ID_PARAM = {
  PAYMENT: 'paymentId',
  ISSUE_BILLING_KEY_AND_PAY: 'paymentId',
  IDENTITY_VERIFICATION: 'identityVerificationId',
  ISSUE_BILLING_KEY: undefined,
} as const satisfies Record<RedirectTransactionType, (typeof REDIRECT_PARAMS)[number] | undefined>;

/** The attempt's id a result names (`paymentId`, `identityVerificationId`); `undefined` for a billing key's. */
export function resultId(result: RedirectResult): string | undefined {
  const param = ID_PARAM[result.transactionType];
  return param && result[param];
}

/** The attempt a window was opened for in this tab (see `pendingAttempt()`). */
export interface ExpectedAttempt {
  kind: RequestKind;
  /** `paymentId`, `issueId` for billing keys, `identityVerificationId` for identity verification. */
  id: string;
}

/**
 * The PortOne result in `search` (`location.search`), or `undefined` when there is none.
 *
 * A query is PortOne's when it names its `transactionType`, as PortOne's SDKs send it. PortOne's
 * docs also show payments coming back with `paymentId` alone (and identity verifications with
 * `identityVerificationId` alone); a shop's own links (`/order-complete?paymentId=…`) look exactly
 * like that, so such a query counts only when its id is the id of `pending`, the attempt this tab
 * opened a window for, and is read as that attempt's kind. A billing key's return carries no id to
 * match, so it needs `transactionType`.
 */
export function parseRedirectQuery(search: string, pending?: ExpectedAttempt): RedirectResult | undefined {
  const query = new URLSearchParams(search);
  let type = query.get('transactionType');
  if (type === null && pending) {
    const expected = (Object.keys(KIND_OF_TRANSACTION) as RedirectTransactionType[]).find((t) => KIND_OF_TRANSACTION[t] === pending.kind)!;
    const param = ID_PARAM[expected];
    if (param && query.get(param) === pending.id) type = expected;
  }
  if (type === null || !Object.hasOwn(KIND_OF_TRANSACTION, type)) return undefined;
  const result: Record<string, string> = {};
  for (const name of REDIRECT_PARAMS) {
    const value = query.get(name);
    if (value !== null) result[name] = value;
  }
  result.transactionType = type;
  // A failure may come without the id; a success never does.
  const parsed = result as RedirectResult;
  return (type === 'ISSUE_BILLING_KEY' ? parsed.billingKey : resultId(parsed)) !== undefined || parsed.code !== undefined ? parsed : undefined;
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
  return [r.transactionType, r.paymentId, r.billingKey, r.txId, r.code, r.paymentToken, r.billingIssueToken, r.identityVerificationId, r.identityVerificationTxId].join('|');
}
