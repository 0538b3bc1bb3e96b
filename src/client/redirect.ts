// Reading PortOne's result back from the query string of `redirectUrl` (mobile windows leave the
// page and come back with the promise's fields as parameters), and removing those parameters.
// Pure: takes and returns strings.

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

const TYPES: readonly string[] = ['PAYMENT', 'ISSUE_BILLING_KEY', 'ISSUE_BILLING_KEY_AND_PAY'];

/**
 * The PortOne result in `search` (`location.search`), or `undefined` when there is none.
 * PortOne's docs list only `paymentId, code, message, pgCode, pgMessage` for payments; without
 * `transactionType`, a `paymentId` alone (no `billingKey`) is read as a payment.
 */
export function parseRedirectQuery(search: string): RedirectResult | undefined {
  const query = new URLSearchParams(search);
  let type = query.get('transactionType');
  if (type === null && query.has('paymentId') && !query.has('billingKey')) type = 'PAYMENT';
  if (type === null || !TYPES.includes(type)) return undefined;
  const result: Record<string, string> = {};
  for (const name of REDIRECT_PARAMS) {
    const value = query.get(name);
    if (value !== null) result[name] = value;
  }
  result.transactionType = type;
  const needs = type === 'ISSUE_BILLING_KEY' ? 'billingKey' : 'paymentId';
  // A failure may come without the id; a success never does.
  return result[needs] !== undefined || result.code !== undefined ? (result as RedirectResult) : undefined;
}

/** `url` without PortOne's parameters; the page's own parameters and the hash stay. */
export function stripRedirectParams(url: string): string {
  const parsed = new URL(url);
  for (const name of REDIRECT_PARAMS) parsed.searchParams.delete(name);
  return parsed.href.replace(/\?(?=#|$)/, '');
}

/** One key per attempt's result, so the same result is never completed twice. */
export function resultKey(result: RedirectResult): string {
  return [result.transactionType, result.paymentId, result.billingKey, result.txId, result.code].join('|');
}
