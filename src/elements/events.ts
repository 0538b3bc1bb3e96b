// The events the checkout elements fire: small typed classes, `bubbles` and `composed`, so a page
// can listen on the element, an ancestor or `document`.
import type {
  IdentityVerificationResponse as SdkIdentityVerificationResponse,
  IssueBillingKeyAndPayResponse,
  IssueBillingKeyResponse,
  PaymentResponse,
} from '../client/portone-types.js';
import type { BillingKeyResponse, IdentityVerificationResponse, IdentityVerificationView, OrderResponse, OrderView, SubscriptionView } from '../contract.js';
import type { AnyCheckoutRequest, RequestKind } from '../client/request.js';
import type { RedirectResult } from '../client/redirect.js';
import type { Violation } from '../inicis/violation.js';

/**
 * What the SDK resolved with (a `PaymentResponse`, `IssueBillingKeyResponse`,
 * `IssueBillingKeyAndPayResponse` or `IdentityVerificationResponse`), or the same fields read back
 * from a redirect's query.
 */
export interface SdkResult {
  transactionType: (PaymentResponse | IssueBillingKeyResponse | IssueBillingKeyAndPayResponse | SdkIdentityVerificationResponse | RedirectResult)['transactionType'];
  paymentId?: string | undefined;
  txId?: string | undefined;
  /** `NEEDS_CONFIRMATION` on a manual-approval channel, until the server confirms it with `billingIssueToken`. */
  billingKey?: string | undefined;
  /** Manual approval only: the token the server confirms the payment with. */
  paymentToken?: string | undefined;
  /** Manual approval only: the token the server confirms the billing key with. */
  billingIssueToken?: string | undefined;
  identityVerificationId?: string | undefined;
  identityVerificationTxId?: string | undefined;
  /** Set when the attempt failed or was cancelled. */
  code?: string | undefined;
  message?: string | undefined;
  pgCode?: string | undefined;
  pgMessage?: string | undefined;
}

/** Codes of failures the elements detect themselves (others are PortOne's, the PG's or the kit's). */
export const FAIL_CODES = {
  /** A KG Inicis rule or an input check failed; `violations` lists them. The SDK was not called. */
  invalidRequest: 'INVALID_REQUEST',
  /** PortOne's runtime script could not be loaded. */
  sdkLoadFailed: 'SDK_LOAD_FAILED',
  /** The verification kit could not be reached. */
  networkError: 'NETWORK_ERROR',
  /** The kit answered outside the contract. */
  badResponse: 'BAD_RESPONSE',
  /** The kit verified the payment and it is not paid (failed, cancelled, flagged, still pending). */
  notPaid: 'NOT_PAID',
} as const;
/** One of {@link FAIL_CODES}' values. The elements write them as checked literals, so the bundle needs no table. */
export type FailCode = (typeof FAIL_CODES)[keyof typeof FAIL_CODES];

abstract class PortoneEvent<D> extends Event {
  constructor(
    type: string,
    readonly detail: D,
    cancelable = false,
  ) {
    super(type, { bubbles: true, composed: true, cancelable });
  }
}

export interface PortoneRequestDetail<R = AnyCheckoutRequest> {
  kind: RequestKind;
  /** The request about to go to the SDK. Change it, or replace it, to amend the call. */
  request: R;
}

/**
 * `portone-request`: the request is valid and about to go to the SDK. Cancelable: `preventDefault()`
 * stops the call (the element goes back to idle). Listeners may amend `detail.request`; the amended
 * request is checked again, and with `endpoint` the kit's amount and ids still win.
 */
export class PortoneRequestEvent<R = AnyCheckoutRequest> extends PortoneEvent<PortoneRequestDetail<R>> {
  constructor(detail: PortoneRequestDetail<R>) {
    super('portone-request', detail, true);
  }
}

/**
 * What every success event carries besides the attempt's ids: with `endpoint`, everything the kit
 * answered (`A`: `OrderResponse` or `BillingKeyResponse`), the common parts also at the top.
 */
export interface PortoneSuccessDetail<A> {
  /** The order as the kit verified it (for a billing key with a plan: the first period's payment). */
  order?: OrderView | undefined;
  /** The subscription the kit started, when the attempt was for one of its plans. */
  subscription?: SubscriptionView | undefined;
  /** The kit's whole answer as is (e.g. `result.billingKey.display`, the masked card or phone). */
  result?: A | undefined;
  /** The SDK's result as is (read back from the query after a redirect). */
  response: SdkResult;
}

export interface PortonePaymentDetail extends PortoneSuccessDetail<OrderResponse> {
  paymentId: string;
  txId?: string | undefined;
  /** Set by `<portone-billing-key-and-pay-button>`: the kit's billing key when it answered one, else the SDK's. */
  billingKey?: string | undefined;
}

/**
 * `portone-paid`: the payment is paid (verified by the kit when the element has an `endpoint`).
 * `detail`: `paymentId`, `txId`, `billingKey` (billing-key-and-pay), and with `endpoint` the kit's
 * `order`, `subscription` (billing-key-and-pay with a plan) and whole answer (`result`).
 */
export class PortonePaidEvent extends PortoneEvent<PortonePaymentDetail> {
  constructor(detail: PortonePaymentDetail) {
    super('portone-paid', detail);
  }
}

/** `portone-virtual-account-issued`: a virtual account awaits the shopper's deposit (`detail.order.virtualAccount` with `endpoint`). */
export class PortoneVirtualAccountIssuedEvent extends PortoneEvent<PortonePaymentDetail> {
  constructor(detail: PortonePaymentDetail) {
    super('portone-virtual-account-issued', detail);
  }
}

export interface PortoneBillingKeyDetail extends PortoneSuccessDetail<BillingKeyResponse> {
  /** The kit's billing key when it answered one, else the SDK's. */
  billingKey: string;
  issueId?: string | undefined;
}

/**
 * `portone-billing-key-issued`: a billing key was issued (and stored by the kit, with `endpoint`).
 * `detail`: `billingKey`, `issueId`, and with `endpoint` the kit's `subscription` and the first
 * period's `order` (when the key was for one of its plans) and whole answer (`result`).
 */
export class PortoneBillingKeyIssuedEvent extends PortoneEvent<PortoneBillingKeyDetail> {
  constructor(detail: PortoneBillingKeyDetail) {
    super('portone-billing-key-issued', detail);
  }
}

export interface PortoneIdentityVerificationDetail {
  identityVerificationId: string;
  identityVerificationTxId?: string | undefined;
  /**
   * With `endpoint`: the verification as the kit checked it (`VERIFIED`, when, the age asked for).
   * Who the person is never reaches the browser: the kit hands that to the shop's server.
   */
  identityVerification?: IdentityVerificationView | undefined;
  /** With `endpoint`: the kit's whole answer as is. */
  result?: IdentityVerificationResponse | undefined;
  /** The SDK's result as is (read back from the query after a redirect). */
  response: SdkResult;
}

/**
 * `portone-identity-verified`: the shopper verified who they are (and, with `endpoint`, the kit
 * read the verification from PortOne and checked it). `detail`: `identityVerificationId`,
 * `identityVerificationTxId`, and with `endpoint` the kit's `identityVerification` and whole answer
 * (`result`). Without `endpoint`, your server must read the verification from PortOne itself.
 */
export class PortoneIdentityVerifiedEvent extends PortoneEvent<PortoneIdentityVerificationDetail> {
  constructor(detail: PortoneIdentityVerificationDetail) {
    super('portone-identity-verified', detail);
  }
}

export interface PortoneCancelDetail {
  code: string;
  message: string;
  pgCode?: string | undefined;
  pgMessage?: string | undefined;
}

/** `portone-cancel`: the shopper closed or cancelled the window. */
export class PortoneCancelEvent extends PortoneEvent<PortoneCancelDetail> {
  constructor(detail: PortoneCancelDetail) {
    super('portone-cancel', detail);
  }
}

export interface PortoneFailDetail {
  /** PortOne's, the PG's or the kit's code, or one of {@link FAIL_CODES}. */
  code: string;
  /** The message as its source gave it. */
  message: string;
  pgCode?: string | undefined;
  pgMessage?: string | undefined;
  /**
   * A message for the shopper, in the element's language; also shown in the status line. Never the
   * kit's or the element's own developer message (that is `message`, also logged to the console).
   * When the kit's answer carries a `shopperMessage` (the shop's words, e.g. why a reservation was
   * refused), it is that message as is.
   */
  readableMessage: string;
  /** For `INVALID_REQUEST`: every broken rule. */
  violations?: Violation[] | undefined;
  /** For failures the kit answered: the HTTP status. */
  status?: number | undefined;
}

/** `portone-fail`: the attempt failed before, in or after the window. */
export class PortoneFailEvent extends PortoneEvent<PortoneFailDetail> {
  constructor(detail: PortoneFailDetail) {
    super('portone-fail', detail);
  }
}

export interface PortoneIncompleteDetail {
  /** The attributes (or their properties) of which one is needed: `items`, `order-id`, and for billing-key-and-pay `plan`. */
  missing: string[];
  /** What is missing and what to do, for the developer (never shown to the shopper). */
  message: string;
}

/**
 * `portone-incomplete`: the element has an `endpoint` but nothing for the kit to price yet (no
 * `items`, `order-id` or `plan`), so it prepares nothing and its button is disabled (`state` is
 * `incomplete`). Fired each time it becomes incomplete; it leaves that state by itself once one is set.
 */
export class PortoneIncompleteEvent extends PortoneEvent<PortoneIncompleteDetail> {
  constructor(detail: PortoneIncompleteDetail) {
    super('portone-incomplete', detail);
  }
}

/** `portone-ready`: PortOne's SDK is loaded; a click opens the window with no wait. */
export class PortoneReadyEvent extends PortoneEvent<undefined> {
  constructor() {
    super('portone-ready', undefined);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'portone-request': PortoneRequestEvent;
    'portone-paid': PortonePaidEvent;
    'portone-virtual-account-issued': PortoneVirtualAccountIssuedEvent;
    'portone-billing-key-issued': PortoneBillingKeyIssuedEvent;
    'portone-identity-verified': PortoneIdentityVerifiedEvent;
    'portone-cancel': PortoneCancelEvent;
    'portone-fail': PortoneFailEvent;
    'portone-ready': PortoneReadyEvent;
    'portone-incomplete': PortoneIncompleteEvent;
  }
}
