// What a shop passes to createCheckoutServer, what its hooks receive, and the checks that turn a
// mistaken configuration into one clear error at startup instead of a wrong charge later.
import type { Payment } from '@portone/server-sdk/payment';
import { CURRENCIES, type CartItem, type CheckoutCurrency, type CheckoutCustomer, type CheckoutFlow } from '../contract.js';
import type { BillingKeyIssue, Order, OrderLine, StoredBillingKey, Subscription } from './model.js';
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

/** Already worded for the message (`{ said: '3 values' }`); anything else is described without echoing strings. */
type Said = { said: string };
const fail = (what: string, expected: string, got: unknown): never => {
  const shown =
    got && typeof got === 'object' && 'said' in got
      ? (got as Said).said
      : typeof got === 'string'
        ? got.length > 0
          ? `a string of ${got.length} characters`
          : 'an empty string'
        : got === undefined
          ? 'nothing'
          : JSON.stringify(got);
  throw new TypeError(`createCheckoutServer: ${what}: expected ${expected}, got ${shown}`);
};

/** For values that are not secrets: shown as they are. */
const plain = (value: unknown): Said => ({ said: value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value) });
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

/** An absolute http(s) URL, or undefined when not given. */
function httpUrl(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  let ok = false;
  try {
    ok = typeof value === 'string' && /^https?:$/.test(new URL(value).protocol);
  } catch {
    // Not a URL: said below.
  }
  if (!ok) fail(path, 'an absolute http(s) URL', plain(value));
  return value as string;
}
const nonNegativeInt = (value: unknown, what: string, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(what, 'a non-negative integer', value);
  return value as number;
};

const between = (min: number, max: number, value: unknown, what: string, fallback: number): number => {
  const n = nonNegativeInt(value, what, fallback);
  if (n < min || n > max) fail(what, `an integer from ${min} to ${max}`, value);
  return n;
};

/** `1m` → { count: 1, unit: 'm' }. */
export function parseInterval(interval: string): { count: number; unit: 'd' | 'm' | 'y' } | undefined {
  const match = /^([1-9]\d{0,2})([dmy])$/.exec(interval);
  return match ? { count: Number(match[1]), unit: match[2] as 'd' | 'm' | 'y' } : undefined;
}

export function resolveOptions(options: CheckoutServerOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') fail('options', 'an object', options);
  const portone = options.portone;
  if (!portone || typeof portone !== 'object') fail('options.portone', '{ apiSecret, storeId, baseUrl? }', portone);
  // Never echo a secret, not even a wrong one: `fail` shows only its length.
  if (!isNonEmptyString(portone.apiSecret)) fail('options.portone.apiSecret', 'a PortOne V2 API secret', portone.apiSecret);
  if (!isNonEmptyString(portone.storeId)) fail('options.portone.storeId', 'a store id like "store-…"', plain(portone.storeId));
  if (portone.baseUrl !== undefined) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(portone.baseUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) fail('options.portone.baseUrl', 'an http(s) URL', plain(portone.baseUrl));
  }
  const secrets = typeof options.webhookSecret === 'string' ? [options.webhookSecret] : options.webhookSecret;
  if (!Array.isArray(secrets) || secrets.length < 1 || secrets.length > 2 || !secrets.every(isNonEmptyString)) {
    fail('options.webhookSecret', 'a webhook secret ("whsec_…") or an array of two during rotation', { said: Array.isArray(secrets) ? `${secrets.length} values` : typeof secrets });
  }
  for (const secret of secrets) {
    const base64 = secret.startsWith('whsec_') ? secret.slice(6) : secret;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) fail('options.webhookSecret', 'base64 after the "whsec_" prefix', secret);
  }
  if (typeof options.priceOrder !== 'function') fail('options.priceOrder', 'a function (cart) => priced order', { said: typeof options.priceOrder });
  if (options.identifyCustomer !== undefined && typeof options.identifyCustomer !== 'function') {
    fail('options.identifyCustomer', 'a function (request) => customer or undefined', { said: typeof options.identifyCustomer });
  }
  // A secret: never echoed, only its length.
  if (options.cronSecret !== undefined && (typeof options.cronSecret !== 'string' || options.cronSecret.length < 16)) fail('options.cronSecret', 'a secret of at least 16 characters', options.cronSecret);
  if (options.beforePrepare !== undefined && typeof options.beforePrepare !== 'function') {
    fail('options.beforePrepare', 'a function (request, { flow }) that throws to refuse', { said: typeof options.beforePrepare });
  }

  const plans: Record<string, BillingPlan> = {};
  for (const [id, plan] of Object.entries(options.plans ?? {})) {
    const where = `options.plans[${JSON.stringify(id)}]`;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id)) fail('options.plans', 'plan ids of letters, digits, "_", "." or "-"', plain(id));
    if (!plan || typeof plan !== 'object') fail(where, '{ name, amount, currency, interval }', plan);
    if (!isNonEmptyString(plan.name)) fail(`${where}.name`, 'a name', plain(plan.name));
    if (!Number.isSafeInteger(plan.amount) || plan.amount <= 0) fail(`${where}.amount`, 'a positive integer in minor units', plan.amount);
    if (!(CURRENCIES as readonly string[]).includes(plan.currency)) fail(`${where}.currency`, CURRENCIES.join(' or '), plain(plan.currency));
    if (typeof plan.interval !== 'string' || !parseInterval(plan.interval)) fail(`${where}.interval`, 'like "1m", "1y" or "30d"', plain(plan.interval));
    plans[id] = { ...plan };
  }

  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (basePath !== '' && !/^\/[A-Za-z0-9_.~!$&'()*+,;=:@%/-]*$/.test(basePath)) fail('options.basePath', 'a path starting with "/"', plain(basePath));

  return {
    portone: {
      apiSecret: portone.apiSecret,
      storeId: portone.storeId,
      ...(portone.baseUrl ? { baseUrl: portone.baseUrl } : {}),
      timeoutMs: nonNegativeInt(portone.timeoutMs, 'options.portone.timeoutMs', 10_000) || 10_000,
    },
    webhookSecrets: [...secrets],
    priceOrder: options.priceOrder,
    identifyCustomer: options.identifyCustomer,
    beforePrepare: options.beforePrepare,
    plans,
    channelKeys: channelKeysOf(options.channelKeys),
    approvalTimeoutMs: between(10_000, 86_400_000, options.approvalTimeoutMs, 'options.approvalTimeoutMs', 600_000),
    identityVerification: identityOptions(options.identityVerification),
    allowTestChannels: options.allowTestChannels === true,
    acceptDiscounts: options.acceptDiscounts === true,
    preRegister: options.preRegister !== false,
    noticeUrls: [...(options.noticeUrls ?? [])],
    confirmUrl: httpUrl(options.confirmUrl, 'options.confirmUrl'),
    basePath,
    bodyLimitBytes: nonNegativeInt(options.bodyLimitBytes, 'options.bodyLimitBytes', 16_384) || 16_384,
    billingKeyIssueName: options.billingKeyIssueName ?? '정기결제 카드 등록',
    hookMaxAttempts: Math.max(1, nonNegativeInt(options.hookRetry?.maxAttempts, 'options.hookRetry.maxAttempts', 12)),
    hookBaseDelayMs: nonNegativeInt(options.hookRetry?.baseDelayMs, 'options.hookRetry.baseDelayMs', 1_000),
    hookPollMs: nonNegativeInt(options.hookPollMs, 'options.hookPollMs', 1_000),
    hookWaitMs: nonNegativeInt(options.hookWaitMs, 'options.hookWaitMs', 10_000),
    hookTimeoutMs: nonNegativeInt(options.hookTimeoutMs, 'options.hookTimeoutMs', 30_000),
    reconcileAfterMs: nonNegativeInt(options.reconcileAfterMs, 'options.reconcileAfterMs', 10 * 60_000),
    claimLeaseMs: between(300, 86_400_000, options.claimLeaseMs, 'options.claimLeaseMs', 30_000),
    cronSecret: options.cronSecret,
    now: options.now ?? Date.now,
    hooks: {
      ...(options.onPaid ? { onPaid: options.onPaid } : {}),
      ...(options.onVirtualAccountIssued ? { onVirtualAccountIssued: options.onVirtualAccountIssued } : {}),
      ...(options.onFailed ? { onFailed: options.onFailed } : {}),
      ...(options.onCancelled ? { onCancelled: options.onCancelled } : {}),
      ...(options.onBillingKeyIssued ? { onBillingKeyIssued: options.onBillingKeyIssued } : {}),
      ...(options.reserve ? { reserve: options.reserve } : {}),
      ...(options.release ? { release: options.release } : {}),
      ...(options.onIdentityVerified ? { onIdentityVerified: options.onIdentityVerified } : {}),
    },
  };
}

function channelKeysOf(given: CheckoutServerOptions['channelKeys']): NonNullable<CheckoutServerOptions['channelKeys']> {
  const keys = { ...given };
  const payment = keys.payment;
  // An empty string stays what it always was: no channel named.
  if (payment !== undefined && typeof payment !== 'function' && typeof payment !== 'string') {
    fail('options.channelKeys.payment', 'a channel key, or a function (order) => channel key', plain(payment));
  }
  return keys;
}

function identityOptions(given: IdentityVerificationOptions | undefined): IdentityVerificationOptions {
  if (given === undefined) return {};
  if (!given || typeof given !== 'object') fail('options.identityVerification', '{ channelKey?, minimumAge?, … }', plain(given));
  const out: IdentityVerificationOptions = {};
  if (given.channelKey !== undefined) {
    if (!isNonEmptyString(given.channelKey)) fail('options.identityVerification.channelKey', 'a channel key', plain(given.channelKey));
    out.channelKey = given.channelKey;
  }
  if (given.minimumAge !== undefined) {
    if (!Number.isSafeInteger(given.minimumAge) || given.minimumAge < 1 || given.minimumAge > 120) fail('options.identityVerification.minimumAge', 'whole years from 1 to 120', given.minimumAge);
    out.minimumAge = given.minimumAge;
  }
  if (given.linkedCustomer !== undefined) {
    if (typeof given.linkedCustomer !== 'function') fail('options.identityVerification.linkedCustomer', 'a function (ci) => customer id or undefined', { said: typeof given.linkedCustomer });
    out.linkedCustomer = given.linkedCustomer;
  }
  if (given.shopperMessages !== undefined) {
    if (!given.shopperMessages || typeof given.shopperMessages !== 'object') fail('options.identityVerification.shopperMessages', '{ UNDER_AGE?: string, … }', plain(given.shopperMessages));
    const codes: readonly IdentityRejectionCode[] = ['CHANNEL_MISMATCH', 'TEST_CHANNEL', 'CUSTOMER_MISMATCH', 'UNDER_AGE', 'NAME_MISMATCH', 'PHONE_MISMATCH', 'CI_UNAVAILABLE', 'ALREADY_LINKED'];
    const messages: Partial<Record<IdentityRejectionCode, string>> = {};
    for (const [code, message] of Object.entries(given.shopperMessages)) {
      if (!(codes as readonly string[]).includes(code)) fail(`options.identityVerification.shopperMessages.${code}`, `one of ${codes.join(', ')}`, code);
      if (!isNonEmptyString(message) || message.length > 200) fail(`options.identityVerification.shopperMessages.${code}`, 'a message for the shopper (1–200 characters)', plain(message));
      messages[code as IdentityRejectionCode] = message;
    }
    out.shopperMessages = messages;
  }
  for (const flag of ['matchCustomer', 'includeCi', 'includeDi'] as const) {
    if (given[flag] !== undefined && typeof given[flag] !== 'boolean') fail(`options.identityVerification.${flag}`, 'true or false', given[flag]);
    if (given[flag]) out[flag] = true;
  }
  return out;
}

/** Checks what `priceOrder` returned and turns it into order fields, or says what is wrong with it. */
export function checkPricedOrder(priced: unknown): { orderName: string; totalAmount: number; currency: CheckoutCurrency; lines: OrderLine[]; taxFreeAmount?: number; vatAmount?: number; customer?: CheckoutCustomer; reference?: string } {
  const bad = (what: string, expected: string, got: unknown): never => {
    throw new Error(`priceOrder returned ${what}: expected ${expected}, got ${typeof got === 'string' ? JSON.stringify(got.slice(0, 60)) : JSON.stringify(got) ?? 'nothing'}`);
  };
  if (!priced || typeof priced !== 'object') bad('no order', '{ orderName, totalAmount, currency, lines? }', priced);
  const p = priced as PricedOrder;
  if (!isNonEmptyString(p.orderName) || p.orderName.length > 200) bad('an unusable orderName', 'a non-empty name (KG Inicis shows 40 bytes)', p.orderName);
  if (!Number.isSafeInteger(p.totalAmount) || p.totalAmount <= 0) bad('an unusable totalAmount', 'a positive integer in minor units', p.totalAmount);
  if (!(CURRENCIES as readonly string[]).includes(p.currency)) bad('an unusable currency', CURRENCIES.join(' or '), p.currency);
  for (const [field, value] of [['taxFreeAmount', p.taxFreeAmount], ['vatAmount', p.vatAmount]] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0 || value > p.totalAmount)) {
      bad(`an unusable ${field}`, `an integer from 0 to totalAmount (${p.totalAmount})`, value);
    }
  }
  const lines: OrderLine[] = [];
  if (p.lines !== undefined) {
    if (!Array.isArray(p.lines)) bad('lines that are not a list', 'an array of { id, name, quantity, unitAmount, amount? }', p.lines);
    for (const [index, line] of p.lines.entries()) {
      if (!line || !isNonEmptyString(line.id) || !isNonEmptyString(line.name)) bad(`line ${index} without id or name`, '{ id, name, … }', line);
      if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) bad(`line ${index} with an unusable quantity`, 'a positive integer', line.quantity);
      if (!Number.isSafeInteger(line.unitAmount)) bad(`line ${index} with an unusable unitAmount`, 'an integer in minor units', line.unitAmount);
      const amount = line.amount ?? line.unitAmount * line.quantity;
      if (!Number.isSafeInteger(amount)) bad(`line ${index} with an unusable amount`, 'an integer in minor units', line.amount);
      lines.push({ id: line.id, name: line.name, quantity: line.quantity, unitAmount: line.unitAmount, amount });
    }
    const sum = lines.reduce((total, line) => total + line.amount, 0);
    if (lines.length > 0 && sum !== p.totalAmount) bad('lines that do not add up', `their amounts to sum to totalAmount ${p.totalAmount}`, sum);
  }
  return {
    orderName: p.orderName,
    totalAmount: p.totalAmount,
    currency: p.currency,
    lines,
    ...(p.taxFreeAmount !== undefined ? { taxFreeAmount: p.taxFreeAmount } : {}),
    ...(p.vatAmount !== undefined ? { vatAmount: p.vatAmount } : {}),
    ...(p.customer ? { customer: p.customer } : {}),
    ...(isNonEmptyString(p.reference) ? { reference: p.reference } : {}),
  };
}
