// What a shop passes to createCheckoutServer and what its hooks receive (resolve-options.ts checks
// them at startup).
import type { Payment } from '@portone/server-sdk/payment';
import type { CartItem, CheckoutCurrency, CheckoutCustomer, CheckoutFlow } from '../contract.js';
import type { BillingKeyIssue, Order, StoredBillingKey, Subscription } from './model.js';
import type { CheckoutStore } from './store/port.js';

/** What the browser asked to buy, handed to the shop's `priceOrder`. Prices never come from here. */
export interface Cart {
  /** Which flow's prepare asks (a billing key on its own has no cart). */
  flow: Extract<CheckoutFlow, 'payment' | 'billing-key-and-pay'>;
  items?: CartItem[];
  /** An order the shop created earlier (instead of `items`). */
  orderId?: string;
  /**
   * The browser's customer details, with `identifyCustomer`'s answer on top: its `customerId` in
   * place of the browser's, its other fields where the browser left them out.
   */
  customer?: CheckoutCustomer;
  payMethod?: string;
  /** The billing plan, for billing-key-and-pay. */
  plan?: string;
  /** The incoming request, e.g. to read the shop's session cookie. */
  request?: Request;
}

/** `priceOrder`'s second argument: who is asking, as the shop's own code established it. */
export interface PriceContext {
  /** The incoming prepare request (its cookies, headers). */
  request: Request;
  /** What `identifyCustomer` answered for this request; absent without the option, or for a guest. */
  customer?: CheckoutCustomer;
}

/** The shop's price for a cart: the only source of the amount the kit will accept. */
export interface PricedOrder {
  /** What the shopper sees in the payment window; KG Inicis shows up to 40 bytes. */
  orderName: string;
  /** Integer, in the currency's minor unit (KRW ×1, USD ×100). */
  totalAmount: number;
  currency: CheckoutCurrency;
  /** Lines that explain the total: when given, their `amount`s must add up to `totalAmount`. */
  lines?: PricedLine[];
  taxFreeAmount?: number;
  vatAmount?: number;
  /** Replaces the customer the browser sent (e.g. the signed-in account). */
  customer?: CheckoutCustomer;
  /** The shop's own order reference, kept on the order. */
  reference?: string;
}

export interface PricedLine {
  id: string;
  name: string;
  quantity: number;
  unitAmount: number;
  /** Default `unitAmount × quantity`; negative for a discount line. */
  amount?: number;
}

/** A recurring plan billed through a billing key. */
export interface BillingPlan {
  /** Shown as the order name of each period's charge and as the billing-key issue name. */
  name: string;
  /** Per period, in the currency's minor unit. */
  amount: number;
  currency: CheckoutCurrency;
  /** `<n>d`, `<n>m` or `<n>y`; KG Inicis's window accepts `1m` and `1y`. */
  interval: string;
  /** For billing-key-and-pay through mobile phones. */
  productType?: 'REAL' | 'DIGITAL';
}

export interface HookBase {
  /** Unique per effect (e.g. `paid:<paymentId>`): use it to make your own side effects idempotent. */
  eventId: string;
  /** How many times this hook was started for this event, 1 on the first run. */
  attempt: number;
}

export interface PaidEvent extends HookBase {
  order: Order;
  /** PortOne's payment as read when the order became paid. */
  payment: Payment;
  subscription?: Subscription;
}
export interface VirtualAccountIssuedEvent extends HookBase {
  order: Order;
  payment: Payment;
}
export interface FailedEvent extends HookBase {
  order: Order;
  payment?: Payment;
}
export interface CancelledEvent extends HookBase {
  order: Order;
  cancellation: { id: string; amount: number; reason: string; cancelledAt?: string };
}
export interface BillingKeyIssuedEvent extends HookBase {
  billingKey: StoredBillingKey;
  subscription?: Subscription;
}

/**
 * The shop's last word before money moves (`reserve`): on a manual-approval channel the kit asks
 * before it confirms the payment or key with PortOne; with PortOne's confirm process, before
 * PortOne approves. Make the reservation idempotent with `reservationId`: after a crash the kit
 * asks again for the same order.
 */
export interface ReserveEvent {
  /** Stable for one order (or billing-key issue): `reserve:<paymentId>`, `reserve:<issueId>`. */
  reservationId: string;
  /** The order money is about to be taken for (payments, billing-key-and-pay). */
  order?: Order;
  /** The billing-key issue a key is about to be issued for. */
  issue?: BillingKeyIssue;
  /** Which gate asks: the kit's manual approval, or PortOne's confirm process (`confirmUrl`). */
  via: 'manual-approval' | 'confirm-process';
}

/** A reservation whose payment will not happen (refused by PortOne, expired, failed, refunded as a mismatch). */
export interface ReleaseEvent extends HookBase {
  reservationId: string;
  order?: Order;
  issue?: BillingKeyIssue;
  /** Why, for the shop's log. */
  reason: string;
}

/** Who a verification found. Personal data: the kit keeps none of it, logs none of it, and never sends it to the browser. */
export interface VerifiedPerson {
  name: string;
  /** `yyyy-MM-dd`. */
  birthDate?: string;
  gender?: 'MALE' | 'FEMALE' | 'OTHER';
  /** Digits only. */
  phoneNumber?: string;
  isForeigner?: boolean;
  /** Only with `identityVerification.includeCi`: the person's unique identifier across sites. */
  ci?: string;
  /** Only with `identityVerification.includeDi`: the person's identifier for this site. */
  di?: string;
}

export interface IdentityVerifiedEvent extends HookBase {
  identityVerificationId: string;
  /** Who prepared it (the identified shopper, as for orders). */
  customer?: CheckoutCustomer;
  person: VerifiedPerson;
  verifiedAt: string;
}

export interface CheckoutHooks {
  /** The order is paid and verified. Runs once per order, after the state is committed; retried if it throws. */
  onPaid?: (event: PaidEvent) => void | Promise<void>;
  /** A virtual account was issued; the shopper has yet to deposit. */
  onVirtualAccountIssued?: (event: VirtualAccountIssuedEvent) => void | Promise<void>;
  /** The payment failed (declined, expired virtual account, failed renewal). */
  onFailed?: (event: FailedEvent) => void | Promise<void>;
  /** A refund of a paid order went through (once per PortOne cancellation). */
  onCancelled?: (event: CancelledEvent) => void | Promise<void>;
  /** A billing key was verified and stored for a customer. */
  onBillingKeyIssued?: (event: BillingKeyIssuedEvent) => void | Promise<void>;
  /**
   * Before money moves on a manual-approval channel or through PortOne's confirm process: hold the
   * stock (or whatever is scarce). Throw `refuse('품절되었습니다')` to refuse — nothing is charged
   * and the shopper reads your words; anything else it throws is the shop's bug (500) and the payment
   * is not confirmed either. Without this hook every reservation is accepted.
   */
  reserve?: (event: ReserveEvent) => void | Promise<void>;
  /**
   * A reservation will not be paid for: give the stock back. Runs once for every reservation the
   * kit asked `reserve` for whose order (or key) did not end paid — also when `reserve` refused,
   * threw or answered too late, so treat an id you hold nothing for as nothing to release. Retried
   * if it throws.
   */
  release?: (event: ReleaseEvent) => void | Promise<void>;
  /** An identity verification passed the kit's checks. Runs once per verification; retried if it throws. */
  onIdentityVerified?: (event: IdentityVerifiedEvent) => void | Promise<void>;
}

/** Why the kit refused a verification PortOne reports VERIFIED (the developer's message says more). */
export type IdentityRejectionCode =
  | 'CHANNEL_MISMATCH'
  | 'TEST_CHANNEL'
  | 'CUSTOMER_MISMATCH'
  | 'UNDER_AGE'
  | 'NAME_MISMATCH'
  | 'PHONE_MISMATCH'
  | 'CI_UNAVAILABLE'
  | 'ALREADY_LINKED';

/** Identity verification (본인인증) through `<portone-identity-verification-button>`. */
export interface IdentityVerificationOptions {
  /** The identity channel (KG Inicis 통합인증 …) the element uses; a verification on another channel is refused. */
  channelKey?: string;
  /** Refuse anyone younger (full years, in Korea's calendar): adult-only goods are 19. */
  minimumAge?: number;
  /** Refuse a verified person whose name (and phone, when both are known) differs from the customer the shop prepared for. */
  matchCustomer?: boolean;
  /**
   * One account per person: the customer id this CI is already linked to, if any. A person linked to
   * another customer is refused. Gets the CI; store it (hashed, as you would a password) in your own records.
   */
  linkedCustomer?: (ci: string) => string | undefined | Promise<string | undefined>;
  /** Hand `onIdentityVerified` the person's CI / DI (personal data: only if you need them). Default false. */
  includeCi?: boolean;
  includeDi?: boolean;
  /**
   * Words for the shopper when a verification is refused, per reason — e.g.
   * `{ UNDER_AGE: '만 19세 이상만 구매할 수 있습니다.' }`. Answered as `shopperMessage`; without one the
   * elements show their own general message.
   */
  shopperMessages?: Partial<Record<IdentityRejectionCode, string>>;
}

/**
 * Picks the channel a payment order must be paid through. Called at prepare (the answer carries the
 * key) and whenever a payment for the order is verified, so it must answer the same for the same
 * order: decide from these fields, which never change once the order is made.
 */
export type PaymentChannelChooser = (order: Pick<Order, 'paymentId' | 'orderName' | 'totalAmount' | 'currency' | 'lines' | 'customer' | 'reference'>) => string;

/** Receives the kit's log lines. Secrets are never passed to it. */
export interface CheckoutLogger {
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

export interface CheckoutServerOptions extends CheckoutHooks {
  portone: {
    /** PortOne V2 API secret. Never logged, never answered. */
    apiSecret: string;
    storeId: string;
    /** Default `https://api.portone.io`; the sandbox's `url` in tests. */
    baseUrl?: string;
    /** Per PortOne call, ms. Default 10 000. */
    timeoutMs?: number;
  };
  /** The webhook secret (`whsec_…`), or the two active ones while rotating. */
  webhookSecret: string | readonly [string, string];
  /** Prices a cart on the server. Throw `badCart(message)` (or a 4xx CheckoutError) to refuse it. */
  priceOrder: (cart: Cart, context: PriceContext) => PricedOrder | Promise<PricedOrder>;
  /**
   * Who is checking out, from the shop's own session (cookie, token), called on every prepare.
   * Its `customerId` replaces whatever the browser sent — billing keys, subscriptions and
   * `listOrders({ customerId })` rely on it — and its other fields fill in those the browser left
   * out. `undefined` means a guest: the browser's `customerId` is still ignored. Throw a 4xx
   * `CheckoutError` to refuse the prepare (e.g. 401 when a plan needs a signed-in member).
   * Without this option the browser's `customer.customerId` is taken as sent, so a shopper can
   * claim someone else's id: set it whenever customer ids stand for accounts.
   */
  identifyCustomer?: (request: Request) => CheckoutCustomer | undefined | Promise<CheckoutCustomer | undefined>;
  /**
   * Runs first on every prepare (`flow`: which prepare route), before anything is priced or stored:
   * throw a 4xx `CheckoutError` to refuse it — e.g. `new CheckoutError('RATE_LIMITED', '…', { status: 429 })`
   * when one client prepares too often. Anything else it throws is a 500 `SHOP_CONFIGURATION`.
   */
  beforePrepare?: (request: Request, context: { flow: CheckoutFlow }) => void | Promise<void>;
  /** Billing plans by id. */
  plans?: Record<string, BillingPlan>;
  /** A store object (any adapter of the port); default: SQLite at `database`. */
  store?: CheckoutStore;
  /**
   * Where the kit keeps its records when no `store` is given: a SQLite file path (default
   * `./.data/checkout.sqlite`; needs the `better-sqlite3` package), or a `postgres://…` URL (schema
   * `portone_checkout`, migrated on open; needs the `pg` package).
   */
  database?: string;
  /**
   * Channel keys the prepare answers carry, per flow (otherwise the elements use their own
   * attributes); a payment through another channel is refused. `payment` may be a function of the
   * order, for a shop that sells some goods through another channel — e.g. a manual-approval
   * channel for what is in limited stock, so `reserve` is asked before money moves.
   */
  channelKeys?: { payment?: string | PaymentChannelChooser; billingKey?: string; billingKeyAndPay?: string };
  /**
   * How long after the window answered a manual approval the kit still confirms it, ms. PortOne's
   * limit differs per PG ("confirm at once"); past this the kit releases the reservation and fails
   * the order instead. Default 600 000 (10 minutes).
   */
  approvalTimeoutMs?: number;
  identityVerification?: IdentityVerificationOptions;
  /** Accept payments through TEST channels. Default false: only LIVE payments are fulfilled. */
  allowTestChannels?: boolean;
  /**
   * Accept a payment whose `amount.paid` falls short of the order by exactly PortOne's
   * `amount.discount` (a card company's or PortOne's promotion). Default false: what was paid must be
   * the order's total.
   */
  acceptDiscounts?: boolean;
  /** Register each order's amount with PortOne at prepare, so a tampered amount fails at the PG. Default true. */
  preRegister?: boolean;
  /** Webhook URLs to pass to PortOne with each payment (`noticeUrls`). */
  noticeUrls?: string[];
  /**
   * Turns on PortOne's confirm process for payments: the absolute URL at which PortOne reaches this
   * kit's confirm route (`{basePath}/confirm`, e.g. `https://shop.example/portone/confirm`). Payment
   * prepares carry it as `confirmUrl`, and PortOne asks there — signed with the webhook secret —
   * before it approves; the kit answers 200 only for its own unpaid order at exactly its amount,
   * once `reserve` accepted.
   */
  confirmUrl?: string;
  /** Where the kit is mounted, e.g. `/portone`. Default ''. */
  basePath?: string;
  /** Largest request body accepted, bytes. Default 16 384. */
  bodyLimitBytes?: number;
  /** Name of the billing-key window when no plan names it. Default `정기결제 카드 등록`. */
  billingKeyIssueName?: string;
  /** Hook retries: attempts before giving up, and the first backoff (doubling, capped at 1 h). Defaults 12 and 1 000 ms. */
  hookRetry?: { maxAttempts?: number; baseDelayMs?: number };
  /**
   * How often due hook retries run in the background, ms; 0 turns the timer off — for serverless
   * functions, where nothing runs between requests: hooks still run within the request that
   * triggered them, and a scheduler calls `{basePath}/cron` (see `cronSecret`) for retries and
   * `reconcile()`. Default 1 000.
   */
  hookPollMs?: number;
  /**
   * Turns on `GET|POST {basePath}/cron`: with `Authorization: Bearer <cronSecret>` (how Vercel Cron
   * sends `CRON_SECRET`; a Kubernetes CronJob's `curl -H` alike) it runs `reconcile()` — which runs
   * due hook retries too — and answers its report. Anyone else gets a 401. At least 16 characters.
   */
  cronSecret?: string;
  /** How long a request waits for the hooks it triggered before answering (they go on in the background). Default 10 000. */
  hookWaitMs?: number;
  /**
   * How long one run of a hook may take before it counts as a failed attempt and is retried later;
   * 0: no limit. Default 30 000. A run that timed out may still finish: make hooks idempotent with
   * their `eventId`.
   */
  hookTimeoutMs?: number;
  /** What `reconcile()` treats as "left behind": orders unchanged for this long, ms. Default 10 minutes. */
  reconcileAfterMs?: number;
  /**
   * How long a claim on work — a hook or follow-up being run, a webhook being processed — holds
   * without renewal, ms. A running kit renews its claims every third of it; when a process dies,
   * its work waits this long before another instance (or the restarted one) takes it over.
   * Default 30 000; from 300 to 86 400 000 (a day).
   */
  claimLeaseMs?: number;
  /** Milliseconds since the epoch; tests pass a controllable one. Default `Date.now`. */
  now?: () => number;
  logger?: CheckoutLogger;
}

/** Options with defaults applied and checked once. */
export interface ResolvedOptions {
  portone: { apiSecret: string; storeId: string; baseUrl?: string; timeoutMs: number };
  webhookSecrets: string[];
  priceOrder: CheckoutServerOptions['priceOrder'];
  identifyCustomer: CheckoutServerOptions['identifyCustomer'];
  beforePrepare: CheckoutServerOptions['beforePrepare'];
  plans: Record<string, BillingPlan>;
  channelKeys: NonNullable<CheckoutServerOptions['channelKeys']>;
  approvalTimeoutMs: number;
  identityVerification: IdentityVerificationOptions;
  allowTestChannels: boolean;
  acceptDiscounts: boolean;
  preRegister: boolean;
  noticeUrls: string[];
  confirmUrl: string | undefined;
  basePath: string;
  bodyLimitBytes: number;
  billingKeyIssueName: string;
  hookMaxAttempts: number;
  hookBaseDelayMs: number;
  hookPollMs: number;
  hookWaitMs: number;
  hookTimeoutMs: number;
  reconcileAfterMs: number;
  claimLeaseMs: number;
  cronSecret: string | undefined;
  now: () => number;
  hooks: CheckoutHooks;
}
