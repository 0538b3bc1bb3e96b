// The JSON contract between the checkout elements (browser) and the verification kit (server).
// Both sides import these types, so a change here fails the build of whichever side drifts.

/**
 * The checkout flows, one per SDK function and element: a payment (`requestPayment`), a billing key
 * on its own (`requestIssueBillingKey`), a billing key with the first payment in one window
 * (`requestIssueBillingKeyAndPay`), and identity verification (`requestIdentityVerification`).
 * Every layer names them by these words.
 */
export const CHECKOUT_FLOWS = ['payment', 'billing-key', 'billing-key-and-pay', 'identity-verification'] as const;
export type CheckoutFlow = (typeof CHECKOUT_FLOWS)[number];

/** Currencies KG Inicis accepts through PortOne (USD for cards only). */
export const CURRENCIES = ['KRW', 'USD'] as const;
export type CheckoutCurrency = (typeof CURRENCIES)[number];

/** Routes of the kit, relative to the base URL the elements get as `endpoint`. */
export const ROUTES = {
  preparePayment: '/payments/prepare',
  completePayment: '/payments/complete',
  prepareBillingKey: '/billing-keys/prepare',
  completeBillingKey: '/billing-keys/complete',
  prepareBillingKeyAndPay: '/billing-key-and-pay/prepare',
  completeBillingKeyAndPay: '/billing-key-and-pay/complete',
  webhooks: '/webhooks',
  /** PortOne's confirm process (`confirmUrl`): a signed `Transaction.Confirm` before it approves a payment. */
  confirm: '/confirm',
  prepareIdentityVerification: '/identity-verifications/prepare',
  completeIdentityVerification: '/identity-verifications/complete',
  /** `GET`: the order behind a payment, as a shopper may see it. */
  order: (paymentId: string) => `/payments/${encodeURIComponent(paymentId)}`,
} as const;

/** One cart line as the browser sends it: the server looks the price up, never the browser. */
export interface CartItem {
  /** The shop's product id. */
  id: string;
  /** Positive integer. */
  quantity: number;
}

/** Shopper details the page collected; not money, so the server may take them from the browser. */
export interface CheckoutCustomer {
  customerId?: string;
  fullName?: string;
  firstName?: string;
  lastName?: string;
  phoneNumber?: string;
  email?: string;
}

/** What the browser asks the kit to price: a cart, or an order the shop already created. */
export interface PrepareRequest {
  /** Lines to price; either this or `orderId`. */
  items?: CartItem[];
  /** An order the shop created earlier; either this or `items`. */
  orderId?: string;
  customer?: CheckoutCustomer;
  /** The SDK pay method the shopper chose (`CARD`, `VIRTUAL_ACCOUNT`, …), recorded on the order. */
  payMethod?: string;
  /**
   * The `paymentId` this element was given by its previous prepare, when no window was opened for
   * it. The kit answers that order again when this prepare would create exactly it (same customer,
   * price and details, still PENDING); an order's price never changes, so anything else gets a new one.
   */
  previousPaymentId?: string;
}

/** `POST {endpoint}/payments/prepare` → 200. Everything the element needs for `requestPayment`. */
export interface PreparedPayment {
  paymentId: string;
  orderName: string;
  /** In the currency's minor unit (KRW ×1, USD ×100). */
  totalAmount: number;
  currency: CheckoutCurrency;
  taxFreeAmount?: number;
  vatAmount?: number;
  customer?: CheckoutCustomer;
  /** Set when the server decides them; the element's own attributes are used otherwise. */
  storeId?: string;
  channelKey?: string;
  /** Passed to the SDK as `customData`; the kit stamps the order id here. */
  customData?: Record<string, unknown>;
  noticeUrls?: string[];
  /** PortOne's confirm process: where PortOne asks the kit before it approves (payments only). */
  confirmUrl?: string;
}

/** `POST {endpoint}/billing-keys/prepare` body. */
export interface PrepareBillingKeyRequest {
  customer?: CheckoutCustomer;
  /** Id of one of the server's billing plans; the first period is charged on completion. */
  plan?: string;
  /** The `issueId` of this element's previous prepare when no window was opened for it: the kit gives that issue (still PENDING, same customer and plan) the new details. */
  previousIssueId?: string;
}

/** `POST {endpoint}/billing-keys/prepare` → 200. Parameters for `requestIssueBillingKey`. */
export interface PreparedBillingKey {
  issueId: string;
  issueName: string;
  customer?: CheckoutCustomer;
  storeId?: string;
  channelKey?: string;
  /** Shown in the window; what the plan charges per period. */
  displayAmount?: number;
  currency?: CheckoutCurrency;
  /** For example `1m` for a monthly plan; required by KG Inicis on mobile. */
  offerPeriodInterval?: string;
  customData?: Record<string, unknown>;
  noticeUrls?: string[];
}

/** `POST {endpoint}/billing-key-and-pay/prepare` body. */
export interface PrepareBillingKeyAndPayRequest extends PrepareRequest {
  plan?: string;
}

/** `POST {endpoint}/billing-key-and-pay/prepare` → 200. Parameters for `requestIssueBillingKeyAndPay`. */
export interface PreparedBillingKeyAndPay extends PreparedPayment {
  /** `REAL` or `DIGITAL`; KG Inicis requires it for phone billing. */
  productType?: 'REAL' | 'DIGITAL';
  offerPeriodInterval?: string;
}

/**
 * `POST {endpoint}/payments/complete` body: the SDK's resolved result, sent as is.
 * The kit only trusts `paymentId` and re-reads everything else from PortOne.
 */
export interface CompletePaymentRequest {
  paymentId: string;
  txId?: string;
  transactionType?: string;
  /** On a manual-approval channel: the token the window answered with; the kit confirms the payment with it. */
  paymentToken?: string;
}

/** `POST {endpoint}/billing-keys/complete` body. */
export interface CompleteBillingKeyRequest {
  /** The key the window issued, or `NEEDS_CONFIRMATION` on a manual-approval channel (then with `billingIssueToken`). */
  billingKey: string;
  /** The `issueId` the prepare step returned, to tie the key to that attempt. */
  issueId?: string;
  /** On a manual-approval channel: the token the window answered with; the kit confirms the key with it. */
  billingIssueToken?: string;
}

/** `POST {endpoint}/billing-key-and-pay/complete` body. */
export interface CompleteBillingKeyAndPayRequest {
  paymentId: string;
  /** The key the window issued, or `NEEDS_CONFIRMATION` on a manual-approval channel (then with `billingIssueToken`). */
  billingKey: string;
  txId?: string;
  billingIssueToken?: string;
}

/** `POST {endpoint}/identity-verifications/prepare` body: who is to be verified, as the page knows them. */
export interface PrepareIdentityVerificationRequest {
  customer?: CheckoutCustomer;
  /** The `identityVerificationId` of this element's previous prepare, when no window was opened for it. */
  previousIdentityVerificationId?: string;
}

/** `POST {endpoint}/identity-verifications/prepare` → 200. Parameters for `requestIdentityVerification`. */
export interface PreparedIdentityVerification {
  identityVerificationId: string;
  storeId?: string;
  channelKey?: string;
  customer?: CheckoutCustomer;
  customData?: Record<string, unknown>;
}

/** `POST {endpoint}/identity-verifications/complete` body: the SDK's resolved result. */
export interface CompleteIdentityVerificationRequest {
  identityVerificationId: string;
  identityVerificationTxId?: string;
  transactionType?: string;
}

/**
 * What the browser learns of a verification: that it passed the shop's checks, and when — never
 * who the person is (name, birth date, phone, CI/DI stay on the server, with the shop's hook).
 */
export interface IdentityVerificationView {
  identityVerificationId: string;
  status: 'VERIFIED';
  verifiedAt: string;
  /** The age the shop asked for (`minimumAge`) was met. */
  minimumAge?: number;
}

/** `POST {endpoint}/identity-verifications/complete` → 200. */
export interface IdentityVerificationResponse {
  identityVerification: IdentityVerificationView;
}

/** Where an order stands. `FLAGGED`: PortOne's payment did not match the order and was refunded. */
export const ORDER_STATUSES = [
  'PENDING',
  'VIRTUAL_ACCOUNT_ISSUED',
  'PAID',
  'FAILED',
  'PARTIAL_CANCELLED',
  'CANCELLED',
  'FLAGGED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** One priced line of an order, as the server's catalog priced it. */
export interface OrderLineView {
  id: string;
  name: string;
  quantity: number;
  unitAmount: number;
  /** `unitAmount × quantity`, or what the catalog said the line costs. */
  amount: number;
}

/** The fields of an order a shopper may see (no secrets, no internal notes). */
export interface OrderView {
  paymentId: string;
  status: OrderStatus;
  orderName: string;
  totalAmount: number;
  currency: CheckoutCurrency;
  /** Sum of refunds so far. */
  cancelledAmount: number;
  payMethod?: string;
  /** RFC 3339. */
  paidAt?: string;
  virtualAccount?: {
    bank?: string;
    accountNumber: string;
    remitteeName?: string;
    /** RFC 3339 deposit deadline. */
    expiredAt?: string;
  };
  /**
   * Why it failed: the PG's words (`pgMessage`, for the shopper), or — when the kit ended a manual
   * approval — `code` with the shop's `shopperMessage` (`reason` is the developer's, never shown).
   */
  failure?: { reason?: string; pgCode?: string; pgMessage?: string; code?: 'RESERVATION_REFUSED' | 'CONFIRM_FAILED' | 'APPROVAL_EXPIRED'; shopperMessage?: string };
  /** The priced lines, when the server's `priceOrder` gave them. */
  lines?: OrderLineView[];
}

/** Answer of `payments/complete`, `billing-key-and-pay/complete` and `GET payments/{id}`. */
export interface OrderResponse {
  order: OrderView;
  /** Present when the flow issued a billing key. */
  billingKey?: BillingKeyView;
  subscription?: SubscriptionView;
}

export interface BillingKeyView {
  billingKey: string;
  status: 'ISSUED' | 'DELETED';
  customerId?: string;
  /** Masked card number or phone, when PortOne reports it. */
  display?: string;
  issuedAt: string;
}

export interface SubscriptionView {
  id: string;
  plan: string;
  /** `INCOMPLETE`: the first period's charge has not settled yet; `PAST_DUE`: a charge failed. */
  status: 'INCOMPLETE' | 'ACTIVE' | 'PAST_DUE' | 'CANCELLED';
  /** RFC 3339 time of the next scheduled charge. */
  nextChargeAt?: string;
  amount: number;
  currency: CheckoutCurrency;
}

/** Answer of `billing-keys/complete`. With a plan, the first period's payment is in `order`. */
export interface BillingKeyResponse {
  billingKey: BillingKeyView;
  subscription?: SubscriptionView;
  order?: OrderView;
}

/** Every non-2xx answer of the kit has this body. */
export interface ErrorResponse {
  code: string;
  /** Names what was expected and what arrived. */
  message: string;
  /** For 503: seconds after which the same request may be retried. */
  retryAfterSeconds?: number;
  /**
   * A message the shop wrote for the shopper (e.g. why a reservation was refused); shown as is.
   * The elements put it on their status line (and in `portone-fail`'s `readableMessage`) in place
   * of their own generic sentence; `message` stays the developer's and is never shown.
   */
  shopperMessage?: string;
}

/**
 * Whether a failed SDK result means the shopper closed or cancelled the window rather than the
 * payment failing. PortOne reports both with a `code`; a closed window's message names the user
 * (`사용자가 결제를 취소하였습니다.`, reference §3.2; the sandbox says the same). Only that: a
 * decline may mention a cancellation too (`[V801] 이미 취소된 거래입니다`), and is a failure.
 */
export function isShopperCancel(result: { code?: string | undefined; message?: string | undefined; pgCode?: string | undefined }): boolean {
  if (result.code == null) return false;
  return /사용자.*취소|cancel(l)?ed by (the )?user/i.test(result.message ?? '');
}
