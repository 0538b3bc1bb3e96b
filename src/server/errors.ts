// The kit's one error type: every failure a route can answer with is a CheckoutError carrying the
// HTTP status, a stable machine-readable code and a message naming what was expected and what arrived.
import type { ErrorResponse } from '../contract.js';

/** Every code the kit answers with, and its HTTP status. Codes are stable: clients may switch on them. */
export const ERROR_CODES = {
  /** The body is not JSON (or not UTF-8). */
  INVALID_JSON: 400,
  /** A field is missing, mistyped or out of range. */
  INVALID_REQUEST: 400,
  /** A paymentId (path or body) is not one the kit could have issued: control characters, `/`, `..`, too long. */
  INVALID_PAYMENT_ID: 400,
  /** The webhook's signature, timestamp or headers did not verify. */
  WEBHOOK_VERIFICATION_FAILED: 400,
  /** A verified webhook whose body does not have the fields its type promises. */
  INVALID_WEBHOOK_PAYLOAD: 400,
  /** The cron route without the bearer secret it needs. */
  UNAUTHORIZED: 401,
  /** No route at this path. */
  NOT_FOUND: 404,
  /** The kit has no order with this paymentId. */
  ORDER_NOT_FOUND: 404,
  /** The kit has no billing-key issue with this issueId. */
  ISSUE_NOT_FOUND: 404,
  /** The route exists but not for this method. */
  METHOD_NOT_ALLOWED: 405,
  /** PortOne has no payment with this paymentId (the window was never completed). */
  PAYMENT_NOT_FOUND: 409,
  /** PortOne's payment exists but is not finished (`READY`). */
  PAYMENT_NOT_COMPLETED: 409,
  /** PortOne's payment does not match the order (amount, amount paid, currency, orderName, store, order id, channel): the order is flagged and the payment refunded. */
  PAYMENT_MISMATCH: 409,
  /** The payment went through a TEST channel and `allowTestChannels` is off: flagged and refunded. */
  TEST_CHANNEL_NOT_ALLOWED: 409,
  /** PortOne took a payment for an order the shop had cancelled unpaid (a cancelled subscription's period): flagged and refunded. */
  ORDER_CANCELLED: 409,
  /** PortOne does not know this billing key. */
  BILLING_KEY_NOT_FOUND: 409,
  /** The billing key is not ISSUED (deleted, failed or still pending). */
  BILLING_KEY_NOT_ISSUED: 409,
  /** The billing key belongs to another store, channel, customer or issue. */
  BILLING_KEY_MISMATCH: 409,
  /** This issueId was already completed with another billing key. */
  ISSUE_ALREADY_COMPLETED: 409,
  /** Another request is processing this webhook-id right now; retry later (PortOne does). */
  WEBHOOK_IN_PROGRESS: 409,
  /** The refund asked for is not possible (more than what is left, order not paid…). */
  CANCEL_REJECTED: 409,
  /** The shop's `reserve` refused the order or issue (sold out…): nothing was charged; `shopperMessage` says why. */
  RESERVATION_REFUSED: 409,
  /** PortOne refused a manual approval, or it was not confirmed in time (`approvalTimeoutMs`): nothing was charged. */
  APPROVAL_FAILED: 409,
  /** The identity verification did not pass the shop's checks (not verified, too young, another account's person…). */
  IDENTITY_REJECTED: 409,
  /** PortOne does not report the identity verification VERIFIED (not finished, failed, unknown): nothing recorded, the shopper may try again. */
  IDENTITY_NOT_VERIFIED: 409,
  /** The kit has no identity verification with this id. */
  IDENTITY_VERIFICATION_NOT_FOUND: 404,
  /** The request body is larger than `bodyLimitBytes`. */
  BODY_TOO_LARGE: 413,
  /** A JSON route got a body whose Content-Type is not `application/json`. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** `priceOrder` refused the cart (unknown product, bad quantity…); thrown by the shop's code. */
  BAD_CART: 422,
  /** The billing plan id is not in `options.plans`. */
  UNKNOWN_PLAN: 422,
  /** The shop's code (a hook or `priceOrder`) returned something the kit cannot use. */
  SHOP_CONFIGURATION: 500,
  /** PortOne refused the kit's credentials or request: a configuration problem on the server. */
  PORTONE_REJECTED: 502,
  /** PortOne answered 5xx, timed out or could not be reached. Retry after `retryAfterSeconds`. */
  PORTONE_UNAVAILABLE: 503,
  /** Other requests kept changing this order while this one tried to record what it verified; retry after `retryAfterSeconds`. */
  ORDER_BUSY: 503,
  /** A manual approval is still being confirmed (by another request, or waiting for PortOne to answer); retry after `retryAfterSeconds`. */
  APPROVAL_IN_PROGRESS: 503,
  /** The request's body was read before the kit got it (a body parser such as `express.json()` mounted first). */
  BODY_ALREADY_READ: 500,
  /** An unexpected failure inside the kit; details are in the server log. */
  INTERNAL_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Why a spent body cannot be read, and what the shop changes (Express's body parsers are the usual cause). */
export const BODY_ALREADY_READ_MESSAGE =
  'the request body was read before the checkout kit got it (a body parser such as express.json() ran first); ' +
  "mount the kit before body parsers — app.use('/portone', toNodeListener(kit)) above app.use(express.json()) — " +
  'or keep the raw bytes for it (express.raw() on its path, or req.rawBody): webhooks are verified over the exact bytes PortOne signed';

/** The kit's error: an HTTP status, a stable `code`, and a message naming expected vs got. */
export class CheckoutError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfterSeconds: number | undefined;
  /** Words the shop wrote for the shopper (`refuse()`): the elements show them as they are. */
  readonly shopperMessage: string | undefined;

  /**
   * `code` is one of `ERROR_CODES` (its status is implied) or, from a shop's `priceOrder`, any
   * UPPER_SNAKE code with an explicit 4xx `status`.
   */
  constructor(code: ErrorCode, message: string, options?: { retryAfterSeconds?: number; cause?: unknown; shopperMessage?: string });
  constructor(code: string, message: string, options: { status: number; retryAfterSeconds?: number; cause?: unknown; shopperMessage?: string });
  constructor(code: string, message: string, options: { status?: number; retryAfterSeconds?: number; cause?: unknown; shopperMessage?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CheckoutError';
    this.code = code;
    this.status = options.status ?? (ERROR_CODES as Record<string, number>)[code] ?? 500;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.shopperMessage = options.shopperMessage;
  }

  toJSON(): ErrorResponse {
    const body: ErrorResponse = { code: this.code, message: this.message };
    if (this.retryAfterSeconds !== undefined) body.retryAfterSeconds = this.retryAfterSeconds;
    if (this.shopperMessage !== undefined) body.shopperMessage = this.shopperMessage;
    return body;
  }
}

/**
 * For a shop's `reserve` hook: refuses the order or billing key before any money moves (the last
 * item went to another shopper…). `shopperMessage` is shown to the shopper as it is — write it for
 * them, in their language. Answers 409 `RESERVATION_REFUSED`; nothing is charged.
 */
export function refuse(shopperMessage: string): CheckoutError {
  if (typeof shopperMessage !== 'string' || shopperMessage.trim() === '' || shopperMessage.length > 200) {
    throw new TypeError(`refuse: expected a message for the shopper (1–200 characters), got ${show(shopperMessage)}`);
  }
  return new CheckoutError('RESERVATION_REFUSED', `the shop refused the reservation: ${shopperMessage}`, { shopperMessage });
}

/** For a shop's `priceOrder`: the cart cannot be priced (unknown product, sold out…). Answers 422 `BAD_CART`. */
export function badCart(message: string): CheckoutError {
  return new CheckoutError('BAD_CART', message);
}

/** Shows a value received from outside in a message: JSON-quoted (control characters escaped) and cut short. */
export function show(value: unknown, max = 60): string {
  if (value === undefined) return 'nothing';
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === null) text = 'null';
  else if (Array.isArray(value)) text = `an array of ${value.length}`;
  else if (typeof value === 'object') text = 'an object';
  else text = `${typeof value} ${String(value)}`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
