// The storage port: what the kit needs from a database, in the kit's own words. Every method is
// async and atomic, so a SQLite adapter (embedded, default) and a PostgreSQL adapter (many servers)
// implement the same contract; nothing here leaks one dialect's semantics.
import type { CheckoutCustomer, OrderStatus } from '../../contract.js';
import type {
  BillingKeyIssue,
  EventStatus,
  EventType,
  HookEvent,
  NewEvent,
  NewOrder,
  Order,
  OrderKind,
  OrderPatch,
  OrderPricing,
  StoredBillingKey,
  Subscription,
  SubscriptionPatch,
  SubscriptionStatus,
  WebhookDelivery,
} from '../model.js';

/** A compare-and-set change of one order's status. */
export interface OrderTransition {
  paymentId: string;
  /** The change happens only if the order's current status is one of these. */
  from: readonly OrderStatus[];
  to: OrderStatus;
  patch?: OrderPatch;
  /** Outbox events written in the same transaction, only if the transition happens. */
  events?: readonly NewEvent[];
  /** A billing key to insert or replace in the same transaction, only if the transition happens. */
  billingKey?: StoredBillingKey;
  /** A subscription to create in the same transaction (kept as it is if it exists), only if the transition happens. */
  subscription?: Subscription;
  now: number;
}

export interface OrderQuery {
  statuses?: readonly OrderStatus[];
  kind?: OrderKind;
  subscriptionId?: string;
  /** Only orders last changed before this time. */
  updatedBefore?: number;
  /** Only orders whose last activity — the due time of a scheduled charge, else the last change — is in `[from, to)`. */
  activeBetween?: { from: number; to: number };
  /** Only this customer's orders (`customer.customerId`). */
  customerId?: string;
  /**
   * `true`: only orders a payment was started for — any status but PENDING, or PENDING with a
   * payment window the kit saw open; `false`: only PENDING orders no window was seen open for
   * (prepared, then left, re-prepared or not yet due).
   */
  started?: boolean;
  /** Newest first; default 100. */
  limit?: number;
  offset?: number;
}

/** A re-prepare's new price for an order no window was opened for. */
export interface OrderRepricing {
  paymentId: string;
  /**
   * Compare-and-set: the change happens only if the order is still PENDING, at this revision, and
   * never seen started (unless `restoring`); the revision then goes up by one.
   */
  revision: number;
  pricing: OrderPricing;
  /**
   * Puts back the price an earlier reprice replaced (PortOne refused the new one, or a window opened
   * for the old one meanwhile): applies even if the order was seen started since.
   */
  restoring?: boolean;
  /** A window was seen open: recorded, the first time. */
  startedAt?: number;
  now: number;
}

/** New details for a billing-key issue no key was issued for yet. */
export interface IssueUpdate {
  issueId: string;
  /** Guards: only while PENDING, for this customer and this plan. */
  customerId: string;
  plan?: string;
  customer?: CheckoutCustomer;
}

/** A transition whose events the caller claims as they are written (`CheckoutStore.transitionClaimed`). */
export interface ClaimedTransition extends OrderTransition {
  /** The claim token the events are written with (the outbox's `newClaim()`). */
  claim: string;
  /** Until when (ms) the events are reserved for the caller. */
  leaseUntil: number;
}

/** What a claimed transition that happened resolves with. */
export interface ClaimedOutcome {
  /** The order after the change. */
  order: Order;
  /** The events written, claimed for the caller (not those whose key existed already). */
  events: HookEvent[];
}

/** What `reconcile()` looks at next: orders of one status, by last activity, oldest first. */
export interface ReconcileQuery {
  status: 'PENDING' | 'VIRTUAL_ACCOUNT_ISSUED';
  /** Last activity — the due time of a scheduled charge, else the last change — in `[activeFrom, activeTo)`. */
  activeFrom: number;
  activeTo: number;
  /** Resume after this order (the last one an earlier run looked at), in the same order. */
  after?: { activity: number; paymentId: string };
  /**
   * Orders checked before (`checkedAt`) are due again once as much time has passed since that check
   * as the order had been idle when checked, at most `maxRecheckMs`: abandoned carts are asked
   * about less and less often, and never crowd out an order no run has looked at yet.
   */
  now: number;
  maxRecheckMs: number;
  limit: number;
}

export interface EventClaim {
  now: number;
  /** How long the claim holds before another runner may take the event over (a crashed runner). */
  leaseMs: number;
  limit: number;
  /** Only these keys (the events a request just enqueued); still only when due, so a replayed request cannot hurry a retry. */
  keys?: readonly string[];
}

export type EventOutcome =
  | { status: 'done'; now: number }
  /** `transient`: PortOne was unavailable; the attempt does not count towards giving up. */
  | { status: 'pending'; nextAttemptAt: number; error: string; transient?: boolean }
  | { status: 'dead'; error: string; now: number };

export interface WebhookClaim {
  webhookId: string;
  type: string;
  paymentId?: string;
  billingKey?: string;
  now: number;
  /** A delivery still `processing` after this long is considered abandoned and may be claimed again. */
  leaseMs: number;
}

/** `claimed`: process it. `duplicate`: already processed or ignored. `in-progress`: someone else is on it. */
export type WebhookClaimResult = 'claimed' | 'duplicate' | 'in-progress';

export interface IssueCompletion {
  issueId: string;
  billingKey: string;
  /** Inserted or replaced. */
  key: StoredBillingKey;
  subscription?: Subscription;
  /** The first period's order of `subscription`. */
  firstOrder?: NewOrder;
  events: readonly NewEvent[];
  now: number;
}

export interface SubscriptionUpdate {
  id: string;
  patch: SubscriptionPatch;
  /** Compare-and-set guards: the update happens only if these hold. */
  expect?: { statuses?: readonly SubscriptionStatus[]; nextPaymentId?: string };
  /** Created in the same transaction (the next period's order). */
  newOrder?: NewOrder;
  events?: readonly NewEvent[];
  now: number;
}

export interface CheckoutStore {
  // Orders
  /** Inserts a new order in `PENDING`. Rejects if the paymentId or orderId exists. */
  createOrder(order: NewOrder): Promise<void>;
  getOrder(paymentId: string): Promise<Order | undefined>;
  /** Compare-and-set on the status; resolves `true` if this call made the change. */
  transition(change: OrderTransition): Promise<boolean>;
  /**
   * `transition`, with its events written already claimed by the caller (running, first attempt,
   * this `claim` until `leaseUntil`). Resolves, if this call made the change, with the order as it
   * now stands and those events; `undefined` if not. For a caller that runs the events right away:
   * one write where claiming them after would take two, and no read after it. An event whose key
   * exists already is left as it is and not returned.
   */
  transitionClaimed(change: ClaimedTransition): Promise<ClaimedOutcome | undefined>;
  /** Replaces a PENDING order's price and customer (compare-and-set on its revision); `true` if it happened. */
  repriceOrder(change: OrderRepricing): Promise<boolean>;
  listOrders(query?: OrderQuery): Promise<Order[]>;
  /** Orders for `reconcile()` to re-check, oldest activity first (see `ReconcileQuery`). */
  listOrdersToReconcile(query: ReconcileQuery): Promise<Order[]>;
  /** Records that `reconcile()` checked an order and found nothing to change (does not count as activity). */
  noteChecked(paymentId: string, now: number): Promise<void>;
  /**
   * Deletes PENDING orders no payment window was ever seen open for and that reconcile checked
   * (`noteChecked`), idle since before `before` (abandoned prepares), at most `limit`, never a
   * subscription's period; resolves with how many went.
   */
  pruneAbandoned(query: { before: number; limit: number }): Promise<number>;

  // Outbox
  /**
   * Claims due `pending` events (and `running` ones whose lease expired); each is claimed by one
   * caller at a time and carries a new `claim` token.
   */
  claimEvents(claim: EventClaim): Promise<HookEvent[]>;
  /** Records an event's outcome, only if `claim` is still the event's current claim; `true` if it did. */
  finishEvent(event: { id: number; claim: string }, outcome: EventOutcome): Promise<boolean>;
  /** Gives `dead` events of these types a new round of attempts, due now; resolves with how many. */
  reviveEvents(query: { types: readonly EventType[]; now: number }): Promise<number>;
  /** Events, newest first, optionally only those with these statuses, of this payment, or with these keys. */
  listEvents(query?: { statuses?: readonly EventStatus[]; paymentId?: string; keys?: readonly string[]; limit?: number }): Promise<HookEvent[]>;

  // Webhooks
  claimWebhook(claim: WebhookClaim): Promise<WebhookClaimResult>;
  finishWebhook(webhookId: string, status: 'processed' | 'ignored' | 'failed', note?: string): Promise<void>;
  listWebhookDeliveries(query?: { limit?: number }): Promise<WebhookDelivery[]>;

  // Billing keys and subscriptions
  createIssue(issue: BillingKeyIssue): Promise<void>;
  getIssue(issueId: string): Promise<BillingKeyIssue | undefined>;
  /** Replaces a PENDING issue's customer details (same customer id and plan); `true` if it happened. */
  updatePendingIssue(update: IssueUpdate): Promise<boolean>;
  /** `PENDING` → `COMPLETED` with the key, the subscription, its first order and the events, atomically. `false` if already completed. */
  completeIssue(completion: IssueCompletion): Promise<boolean>;
  /** Inserts or replaces a billing key (webhook updates, billing-key-and-pay), with optional events. */
  saveBillingKey(key: StoredBillingKey, events?: readonly NewEvent[], now?: number): Promise<void>;
  getBillingKey(billingKey: string): Promise<StoredBillingKey | undefined>;
  listBillingKeys(query?: { customerId?: string; limit?: number }): Promise<StoredBillingKey[]>;
  createSubscription(subscription: Subscription, events?: readonly NewEvent[]): Promise<void>;
  getSubscription(id: string): Promise<Subscription | undefined>;
  /** Compare-and-set update; resolves `true` if it happened. */
  updateSubscription(update: SubscriptionUpdate): Promise<boolean>;
  listSubscriptions(query?: { customerId?: string; billingKey?: string; statuses?: readonly SubscriptionStatus[]; limit?: number }): Promise<Subscription[]>;

  close(): Promise<void>;
}
