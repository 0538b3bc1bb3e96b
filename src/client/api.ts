// The elements' side of the JSON contract with the verification kit (src/contract.ts): POST a body
// to a route under `endpoint`, and check that what comes back has the contract's shape before any
// of it (least of all an amount) is used.
import { CURRENCIES, type ErrorResponse } from '../contract.js';
import type { RequestKind } from '../inicis/rules.js';
import { isAmount } from './request.js';
import type { Violation } from '../inicis/violation.js';

/** The kit answered with an error, or could not be reached, or answered outside the contract. */
export class CheckoutApiError extends Error {
  override readonly name = 'CheckoutApiError';
  constructor(
    /** The kit's `ErrorResponse.code`, or `NETWORK_ERROR` / `BAD_RESPONSE`. */
    readonly code: string,
    message: string,
    /** HTTP status; 0 when no answer arrived. */
    readonly status = 0,
    readonly violations?: Violation[],
    /** The kit's `ErrorResponse.shopperMessage`: the shop's words for the shopper, shown as they are. */
    readonly shopperMessage?: string,
  ) {
    super(message);
  }
}

/** `POST {endpoint}{route}` with a JSON body; resolves with the JSON answer of a 2xx. */
export async function postJson(endpoint: string, route: string, body: unknown): Promise<unknown> {
  const url = endpoint.replace(/\/+$/, '') + route;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch (error) {
    throw new CheckoutApiError('NETWORK_ERROR', `POST ${url} failed: ${(error as Error).message}`);
  }
  const answer: unknown = await response.json().catch(() => undefined);
  if (response.ok && answer !== undefined) return answer;
  const error = answer as Partial<ErrorResponse> | undefined;
  if (!response.ok && typeof error?.code === 'string' && typeof error.message === 'string') {
    const shopper = error.shopperMessage;
    throw new CheckoutApiError(error.code, error.message, response.status, undefined, typeof shopper === 'string' && shopper.trim() ? shopper : undefined);
  }
  throw new CheckoutApiError('BAD_RESPONSE', `POST ${url} answered ${response.status} without the contract's JSON body`, response.status);
}

const isText = (value: unknown) => typeof value === 'string' && value !== '';
const isCurrency = (value: unknown) => CURRENCIES.includes(value as never);

/**
 * Checks a prepare answer against the contract (`PreparedPayment`, `PreparedBillingKey`,
 * `PreparedBillingKeyAndPay`, `PreparedIdentityVerification`); throws `BAD_RESPONSE` naming the
 * first field that is off.
 */
export function checkPrepared(kind: RequestKind, answer: unknown): void {
  const a = (answer ?? {}) as Record<string, unknown>;
  const needs: [string, (value: unknown) => boolean][] =
    kind === 'billing-key'
      ? [['issueId', isText], ['issueName', isText]]
      : kind === 'identity-verification'
        ? [['identityVerificationId', isText]]
        : [['paymentId', isText], ['orderName', isText], ['totalAmount', (value) => isAmount(value, 1)], ['currency', isCurrency]];
  for (const [field, ok] of needs) {
    if (!ok(a[field])) throw new CheckoutApiError('BAD_RESPONSE', `The prepare answer's ${field} breaks the contract: ${JSON.stringify(a[field])}`, 200);
  }
}
