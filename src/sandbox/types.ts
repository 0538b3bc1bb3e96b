// Public shape of the PortOne sandbox: what `createSandbox` takes and what it hands back (and the
// one list it names, the events `trigger` fires).
// The kit's tests, the sample shop and shops' own CI code against this interface.
import type { Payment, PaymentWebhook } from '@portone/server-sdk/payment';
import type { BillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import type {
  FailedPaymentSchedule,
  PaymentSchedule,
  PendingPaymentSchedule,
  RevokedPaymentSchedule,
  ScheduledPaymentSchedule,
  StartedPaymentSchedule,
  SucceededPaymentSchedule,
} from '@portone/server-sdk/payment/paymentSchedule';
import type {
  IdentityVerificationResponse,
  IssueBillingKeyAndPayRequest,
  IssueBillingKeyAndPayResponse,
  IssueBillingKeyRequest,
  IssueBillingKeyResponse,
  PaymentRequest,
  PaymentResponse,
} from '../client/portone-types.js';
import type {
  KnownIdentityVerification,
  SandboxIdentityOutcome,
  SandboxIdentityVerificationRequest,
  SandboxTestPersonKey,
  SandboxVerifiedPerson,
} from './identity/types.js';

/** A channel the sandbox's store has, as PortOne's console would list it. */
export interface SandboxChannel {
  key: string;
  name: string;
  /** `TEST` channels are what PortOne gives for testing; the kit refuses them unless told otherwise. */
  type: 'LIVE' | 'TEST';
  /** `INICIS_V2`: KG Inicis payments and billing keys. `INICIS_UNIFIED`: KG Inicis 통합인증, identity verification only. */
  pgProvider: 'INICIS_V2' | 'INICIS_UNIFIED';
  pgMerchantId: string;
  /**
   * Manual approval (수동 승인): the window answers with `paymentToken` / `billingIssueToken`
   * (`billingKey: 'NEEDS_CONFIRMATION'`) and nothing is paid or issued until the server calls
   * `POST /payments/{id}/confirm` or `POST /billing-keys/confirm[-issue-and-pay]`. Default false.
   */
  manualApproval?: boolean;
}

/** Per-route fault injection for the REST API. Route keys look like `GET /payments/:id`, or `*`. */
export interface RouteFault {
  /**
   * 0…1: share of requests answered with a 5xx from PortOne's gateway: an HTML error page, not
   * JSON (the server SDK throws a `SyntaxError`, as it does against the real thing).
   */
  failureRate?: number;
  /** Extra latency added to every answer, in ms. */
  latencyMs?: number;
  /** 0…1: share of requests that never get an answer until the client gives up (a timeout). */
  hangRate?: number;
  /** 0…1: share of requests whose connection is reset before any answer (`ECONNRESET`). */
  resetRate?: number;
  /** Status of injected failures: 500 (default), 502, 503 or 504, each with its gateway page. */
  failureStatus?: 500 | 502 | 503 | 504;
}

/** Fault injection for webhook deliveries. */
export interface WebhookFault {
  /** 0…1: share of deliveries silently never sent (and not retried). */
  dropRate?: number;
  /** 0…1: share of deliveries sent twice (same `webhook-id`). */
  duplicateRate?: number;
  /** Delay before each delivery, in ms. */
  delayMs?: number;
  /** Hold deliveries and send them in reverse order when flushed. */
  reorder?: boolean;
  /** With `reorder`: held deliveries are also released on their own after this long, ms. Default 1000. */
  reorderWindowMs?: number;
}

export interface SandboxFaults {
  routes?: Record<string, RouteFault>;
  webhooks?: WebhookFault;
  /** Seed for the fault dice, so a failing run can be replayed. */
  seed?: number;
}

export interface SandboxOptions {
  /** Default 0: a free port. Always binds 127.0.0.1 unless `host` says otherwise. */
  port?: number;
  host?: string;
  storeId?: string;
  /** The `PortOne <secret>` credential; generated when omitted. */
  apiSecret?: string;
  /** `whsec_…` (base64 key); generated when omitted. Two for rotation: both sign every delivery. */
  webhookSecret?: string | [string, string];
  /**
   * Defaults: a TEST card/payment channel, a TEST billing channel, a TEST phone billing channel, one
   * LIVE channel, and a TEST KG Inicis 통합인증 channel for identity verification.
   */
  channels?: SandboxChannel[];
  /** Where webhooks go when a request has no `noticeUrls`. */
  webhookUrls?: string[];
  /**
   * Delay before each delivery attempt, ms: the first entry before attempt 1, each next one after
   * the previous attempt failed; the length is the attempt limit. Default PortOne's 0, 1, 4, 16,
   * 64, 256 minutes (six attempts); `[0, 100, 100]` compresses it for tests.
   */
  webhookRetryDelaysMs?: number[];
  /**
   * Persist state to this JSON file and load it at start (the sample shop uses this): payments,
   * keys, schedules, pending webhook retries, and the clock (what `advance()` added) unless `now` is given.
   */
  persistPath?: string;
  /**
   * The shop's name: shown as 상점 in the payment window (on a phone KG Inicis shows `P_MNAME`
   * instead when the request sets it) and as the holder (예금주) of issued virtual accounts.
   * Default `포트원 샌드박스 상점`.
   */
  storeName?: string;
  /** `real` (default): schedules fire on wall-clock time. `manual`: time moves only with `advance()`. */
  clock?: 'real' | 'manual';
  /** Initial clock time, ms since epoch (`real`: the clock starts there and runs on). Wins over a persisted clock. */
  now?: number;
  faults?: SandboxFaults;
  /** Default: silent. */
  log?: (line: string) => void;
  /**
   * The token the control routes (`/sandbox/*`: deposit, clock, outcomes, faults, reset, state)
   * require in the `X-PortOne-Sandbox-Token` header; 24–200 base64url characters. Default: the
   * persisted one, else generated. The JavaScript methods need no token.
   */
  controlToken?: string;
  /** The `merchantId` every object carries; generated when omitted. */
  merchantId?: string;
  /** Per-attempt timeout of a webhook delivery, ms. Default PortOne's 30 s. */
  webhookTimeoutMs?: number;
  /**
   * How long, in sandbox time, a manual-approval window's `paymentToken` / `billingIssueToken`
   * can be confirmed after the shopper approved (PortOne: "the timeout differs per PG; waiting long
   * makes the approval fail"). A later confirm is refused by KG Inicis: `502 PG_PROVIDER`, and the
   * payment (or key) is FAILED with its webhook. Default 10 minutes (the sandbox's choice: PortOne
   * publishes no number); 1 ms to 1 day.
   */
  manualApprovalTtlMs?: number;
  /**
   * Told every REST API call and its answer, after it was sent: for contract checks against
   * PortOne's OpenAPI, or logs. (While set, `GET /payments/{id}` skips its cached fast path.)
   */
  onRestExchange?: (exchange: SandboxRestExchange) => void;
}

/** One REST API call and how the sandbox answered it (the `onRestExchange` option). */
export interface SandboxRestExchange {
  /** The route's key, e.g. `GET /payments/:id`. */
  route: string;
  method: string;
  /** Path and query as requested. */
  url: string;
  /** The JSON text sent: the body, or a list endpoint's `requestBody` query parameter. */
  requestBody?: string;
  /** The answer's status; 0 when a fault sent none (a hang or a reset). */
  status: number;
  responseBody?: string;
  contentType?: string;
  /** Set when a fault setting produced the answer, or its absence. */
  fault?: 'failure' | 'hang' | 'reset';
}

/** How the next payment window ends when a test scripts it instead of clicking. */
export type SandboxOutcome =
  | {
      result: 'approve';
      /** Pay through this easy-pay provider (`KAKAOPAY`, `NAVERPAY`, …) instead of the card form. */
      easyPayProvider?: string;
      /** KG Inicis card code (`11` BC, `14` 신한, …); default the preselected card, else `11`. */
      cardCompany?: string;
      /** Personal or corporate card (billing keys with `carduse` only allow one). */
      cardType?: 'PERSONAL' | 'CORPORATE';
      /** Installment months for cards (0 = 일시불; only from 50,000 KRW). */
      installmentMonth?: number;
      /** Bank for transfers and virtual accounts (REST `Bank` value, e.g. `SHINHAN`). */
      bank?: string;
      /** Mobile carrier: `SKT`, `KT`, `LGU`, `MVNO`. */
      carrier?: string;
      /** Phone number for mobile payments; default the customer's. */
      phoneNumber?: string;
      /** Gift certificate type for `GIFT_CERTIFICATE`. */
      giftCertificateType?: string;
      /**
       * For billing keys: the card behind the key, which decides how later charges go
       * (see the test cards in docs/sandbox.md). Default an always-approving card.
       */
      cardNumber?: string;
    }
  | { result: 'decline'; pgCode?: string; pgMessage?: string }
  | { result: 'cancel' };

/** How the next server-side charge (API card payment, billing-key payment, scheduled payment) ends. */
export type SandboxChargeOutcome = { result: 'approve' } | { result: 'decline'; pgCode?: string; pgMessage?: string };

export interface SandboxDepositOptions {
  /** Accept less than the total and mark the payment PAID anyway (`amount.paid < amount.total`). Default false. */
  partial?: boolean;
}

/** Where a Node-driven window "runs": PC (iframe) or mobile (redirect) rules apply. */
export interface SandboxDriveOptions {
  device?: 'pc' | 'mobile';
}

/** `requestPayment`'s request with sandbox defaults: store, payment channel, order name, KRW, CARD, a test customer. */
export type SandboxPaymentRequest = Omit<PaymentRequest, 'storeId' | 'orderName' | 'currency' | 'payMethod'> &
  Partial<Pick<PaymentRequest, 'storeId' | 'orderName' | 'currency' | 'payMethod'>>;

/** `requestIssueBillingKey`'s request with defaults: store, billing channel, CARD, an issue id and name, a test customer. */
export type SandboxIssueBillingKeyRequest = Partial<IssueBillingKeyRequest>;

/** `requestIssueBillingKeyAndPay`'s request with defaults: store, phone billing channel, MOBILE, DIGITAL, KRW, a test customer. */
export type SandboxIssueBillingKeyAndPayRequest = Omit<
  IssueBillingKeyAndPayRequest,
  'storeId' | 'orderName' | 'currency' | 'billingKeyAndPayMethod'
> &
  Partial<Pick<IssueBillingKeyAndPayRequest, 'storeId' | 'orderName' | 'currency' | 'billingKeyAndPayMethod'>>;

/** One attempt to deliver one webhook. */
export interface SandboxWebhookDelivery {
  webhookId: string;
  url: string;
  type: string;
  body: string;
  attempt: number;
  /** HTTP status the receiver answered, or undefined when the request failed. */
  status?: number;
  /** The start of the receiver's answer (up to 2,048 characters). */
  responseBody?: string;
  /** How long the receiver took to answer, wall-clock ms (absent without an answer). */
  durationMs?: number;
  ok: boolean;
  at: string;
  /** The `webhook-timestamp` header sent (Unix seconds, wall clock). */
  timestamp?: string;
  /** Set when a fault dropped this delivery: nothing was sent and it is not retried. */
  dropped?: boolean;
  /** Set on the second copy of a delivery a fault duplicated. */
  duplicate?: boolean;
  /** Transport failure (refused, timeout), when there is no status. */
  error?: string;
}

export interface Sandbox {
  /** Base URL of the REST API, e.g. `http://127.0.0.1:8787` (pass it as the server SDK's `baseUrl`). */
  readonly url: string;
  /** The browser SDK runtime to load instead of PortOne's CDN: `${url}/v2/browser-sdk.js`. */
  readonly sdkUrl: string;
  /**
   * Dashboard page (deposits, schedules, webhook log), with the control token in its fragment
   * (`/sandbox/#token=…`: never sent to a server or a `Referer`), ready to open.
   */
  readonly dashboardUrl: string;
  /**
   * What the control routes (`/sandbox/*`) require in the `X-PortOne-Sandbox-Token` header, so a
   * page on another site or a neighbour on the network cannot deposit, reset or inject faults.
   */
  readonly controlToken: string;
  readonly storeId: string;
  readonly apiSecret: string;
  /** The first (current) webhook secret. */
  readonly webhookSecret: string;
  /** Every active webhook secret (two during rotation); each delivery is signed with all. */
  readonly webhookSecrets: readonly string[];
  readonly channels: readonly SandboxChannel[];
  /** Convenience picks from `channels` (`identityVerification`: the first `INICIS_UNIFIED` one). */
  readonly channelKeys: { payment: string; billingKey: string; billingKeyAndPay: string; live: string; identityVerification: string };

  /** Queue how the next window(s) end; each window takes the oldest queued outcome. */
  nextOutcome(outcome: SandboxOutcome): void;
  /** Current sandbox time, ms since epoch. */
  now(): number;
  /** Move the clock forward: runs due schedules, expires virtual accounts, fires due webhook retries. */
  advance(ms: number): Promise<void>;
  /**
   * Deposit into an issued virtual account: PAID. `amount` defaults to the total and must equal it;
   * any other amount rejects (naming expected and got) and changes nothing. With
   * `{ partial: true }` a smaller amount is PAID with `amount.paid < amount.total`, as a PG
   * that reports a short deposit paid would — for testing that a shop does not ship on it.
   */
  deposit(paymentId: string, amount?: number, options?: SandboxDepositOptions): Promise<Payment>;
  /** Replace the fault configuration (`{}` clears it). */
  setFaults(faults: SandboxFaults): void;
  /** Replace the default webhook URLs. */
  setWebhookUrls(urls: string[]): void;
  /** Every delivery attempt so far, oldest first. */
  webhookDeliveries(): readonly SandboxWebhookDelivery[];
  /** Resolve once no webhook delivery is in flight or held (reordered ones are released). */
  flushWebhooks(): Promise<void>;
  /** Direct reads of the state, for assertions. */
  payment(paymentId: string): Payment | undefined;
  billingKey(billingKey: string): BillingKeyInfo | undefined;
  /** Every schedule the sandbox holds; it only ever makes these known statuses (no SDK catch-all variant). */
  schedules(): readonly KnownPaymentSchedule[];
  /** A verification as `GET /identity-verifications/{id}` answers it, for assertions. */
  identityVerification(identityVerificationId: string): KnownIdentityVerification | undefined;
  /**
   * A test person as a verification now would find them (their birth date follows from their age
   * on the sandbox clock): e.g. to fill in `customer` for `flgFixedUser: 'Y'`, or to expect a CI.
   */
  testPerson(key: SandboxTestPersonKey): SandboxVerifiedPerson;
  /** Forget all payments, billing keys, schedules, identity verifications, outcomes and faults. */
  reset(): void;
  close(): Promise<void>;

  // Driving the payment window from Node, without a browser: the same checkout server the
  // window talks to (prepare → approve / decline / cancel), so state, webhooks and errors are
  // exactly those of a window. Each takes the explicit `outcome`, else the oldest queued
  // `nextOutcome`, else approves. Errors before the window opens reject with the browser SDK's
  // error classes (`PaymentError`, `IssueBillingKeyError`, … with `__portOneErrorType`).

  /** `requestPayment` ending as scripted; resolves with the SDK's `PaymentResponse`. */
  pay(request: SandboxPaymentRequest, outcome?: SandboxOutcome, options?: SandboxDriveOptions): Promise<PaymentResponse>;
  /** `requestIssueBillingKey` ending as scripted. */
  issueBillingKey(request?: SandboxIssueBillingKeyRequest, outcome?: SandboxOutcome, options?: SandboxDriveOptions): Promise<IssueBillingKeyResponse>;
  /** `requestIssueBillingKeyAndPay` ending as scripted. */
  issueBillingKeyAndPay(
    request: SandboxIssueBillingKeyAndPayRequest,
    outcome?: SandboxOutcome,
    options?: SandboxDriveOptions,
  ): Promise<IssueBillingKeyAndPayResponse>;
  /** Queue how the next server-side charge(s) end (before test-card rules apply). */
  nextChargeOutcome(outcome: SandboxChargeOutcome): void;
  /**
   * `requestIdentityVerification` ending as scripted (KG Inicis 통합인증): resolves with the SDK's
   * result; errors before the window reject with `IdentityVerificationError`.
   */
  verifyIdentity(request?: SandboxIdentityVerificationRequest, outcome?: SandboxIdentityOutcome, options?: SandboxDriveOptions): Promise<IdentityVerificationResponse>;
  /** Queue how the next identity window(s) end; each takes the oldest queued outcome (separate from `nextOutcome`'s queue). */
  nextIdentityOutcome(outcome: SandboxIdentityOutcome): void;

  // Tools for webhook handlers (also `npx portone-sandbox trigger | replay | tail`).

  /**
   * Fires `event`'s signed webhook at the webhook URLs. With `paymentId` / `billingKey`: for that
   * payment or key, which must have been through the event (a `Transaction.Paid` for a payment
   * that was paid), recorded on the payment as a MANUAL webhook. Without: for one made up now
   * through the window and the REST API, so what the handler then reads agrees — with every
   * webhook its making sends (`Transaction.Ready` before `.Paid`, …). Resolves once the first
   * attempts were made, with them.
   */
  trigger(event: SandboxTriggerEvent, options?: SandboxTriggerOptions): Promise<SandboxTriggerResult>;
  /**
   * Delivers a captured webhook body (e.g. from production logs) again: re-signed with this
   * sandbox's secrets under a fresh `webhook-id` and timestamp, the body byte for byte, to `urls`
   * or the webhook URLs, retried on PortOne's schedule. Resolves with the first attempts.
   */
  replay(body: string, options?: { urls?: string[] }): Promise<SandboxWebhookDelivery[]>;
  /** Calls `listener` with every delivery attempt as it happens (with the receiver's answer); returns what stops it. */
  tail(listener: (delivery: SandboxWebhookDelivery) => void): () => void;
  /**
   * The credentials as environment variables for a `.env` (`PORTONE_API_URL`, `PORTONE_STORE_ID`,
   * `PORTONE_CHANNEL_KEY`, `PORTONE_BILLING_CHANNEL_KEY`, `PORTONE_PHONE_BILLING_CHANNEL_KEY`,
   * `PORTONE_IDENTITY_CHANNEL_KEY`,
   * `PORTONE_API_SECRET`, `PORTONE_WEBHOOK_SECRET`, `PORTONE_SDK_URL`, `PORTONE_SANDBOX_TOKEN`).
   */
  env(): Record<string, string>;
}

/** The webhook events `trigger` fires: every one the sandbox itself sends. */
export const TRIGGER_EVENTS = [
  'Transaction.Ready',
  'Transaction.Paid',
  'Transaction.VirtualAccountIssued',
  'Transaction.Failed',
  'Transaction.Cancelled',
  'Transaction.PartialCancelled',
  'BillingKey.Ready',
  'BillingKey.Issued',
  'BillingKey.Failed',
  'BillingKey.Deleted',
] as const;

export type SandboxTriggerEvent = (typeof TRIGGER_EVENTS)[number];

export interface SandboxTriggerOptions {
  /** An existing payment (for `Transaction.*`). */
  paymentId?: string;
  /** An existing billing key (for `BillingKey.*`). */
  billingKey?: string;
}

export interface SandboxTriggerResult {
  /** The payment the webhooks are about (made up when none was given). */
  paymentId?: string;
  /** The billing key the webhooks are about (made up when none was given). */
  billingKey?: string;
  /** The first attempt of each webhook sent (none when the first attempt waits on the clock). */
  deliveries: SandboxWebhookDelivery[];
}

/**
 * The `PaymentSchedule` variants the sandbox creates (SCHEDULED → STARTED → SUCCEEDED or FAILED,
 * REVOKED, PENDING): the SDK's type without its catch-all for statuses from a newer API.
 */
export type KnownPaymentSchedule =
  | ScheduledPaymentSchedule
  | StartedPaymentSchedule
  | SucceededPaymentSchedule
  | FailedPaymentSchedule
  | RevokedPaymentSchedule
  | PendingPaymentSchedule;

export type { Payment, PaymentWebhook, BillingKeyInfo, PaymentSchedule };
