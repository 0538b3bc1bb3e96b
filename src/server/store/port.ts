// The storage port: what the kit needs from a database, in the kit's own words. Every method is
// async and atomic, so a SQLite adapter (embedded, default) and a PostgreSQL adapter (many servers)
// implement the same contract; nothing here leaks one dialect's semantics.
import type { CheckoutCustomer, OrderStatus } from '../../contract.js';
import type {
  BillingKeyIssue,
  IdentityVerificationRecord,
  EventStatus,
  EventType,
  HookEvent,
  NewEvent,
  NewOrder,
  Order,
  OrderKind,
  OrderPatch,
  StoredBillingKey,
  Subscription,
  SubscriptionPatch,
  SubscriptionStatus,
  WebhookDelivery,
} from '../model.js';

/**
 * A change of one order, compare-and-set on its revision: it happens only if the order is still at
 * the revision the caller read and decided on, and the revision then goes up by one. A verdict
 * (paid, flagged, failed…) is therefore only ever written onto the exact order it was computed on.
 */
export interface OrderTransition {
  paymentId: string;
  /** The order's revision the change was computed on. */
  revision: number;
  to: OrderStatus;
  patch?: OrderPatch;
  /** Outbox events written in the same transaction, only if the transition happens. */
  events?: readonly NewEvent[];
  /**
   * The caller runs the events itself right away: they are written already claimed for it (running,
   * first attempt, this claim for `leaseMs` from `now`, the moment they are written) and come back in the outcome.
   */
  claim?: { claim: string; leaseMs: number };
  /** A billing key to insert or replace in the same transaction, only if the transition happens. */
  billingKey?: StoredBillingKey;
  /** A subscription to create in the same transaction (kept as it is if it exists), only if the transition happens. */
  subscription?: Subscription;
  now: number;
}

/** What a transition that happened resolves with. */
export interface TransitionOutcome {
  /** The order after the change. */
  order: Order;
  /** With `claim`: the events written, claimed for the caller (not those whose key existed already). */
  claimed: HookEvent[];
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

/** A change of a PENDING billing-key issue's manual approval (the issue's own compare-and-set). */
export interface IssueApprovalChange {
  issueId: string;
  /**
   * The change happens only if the issue is still PENDING and:
   * - recording a new approval (`patch.approval` an object): the issue is at this attempt — its
   *   approval's, else that of the approval that ended last (`failure.attempt`), else 0. An ended
   *   approval keeps its number, so the number only grows while the issue is PENDING, and a new
   *   approval decided on an issue read earlier fails if any approval was recorded since;
   * - any other change (its reservation, ending it): the approval in progress is this attempt. An
   *   approval that ended changes no more.
   */
  attempt: number;
  patch: { approval?: BillingKeyIssue['approval'] | null; reservedAt?: number | null; failure?: BillingKeyIssue['failure'] | null };
  /** Outbox events written in the same transaction, only if the change happens. */
  events?: readonly NewEvent[];
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

/** What `reconcile()` looks at next: orders of one status, by last activity, oldest first. */
export interface ReconcileQuery {
  /** FAILED: only orders still recording a reservation (`reservedAt`), one a later attempt left. */
  status: 'PENDING' | 'VIRTUAL_ACCOUNT_ISSUED' | 'FAILED';
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
  /**
   * The orders returned are claimed for this run (a token of its kit, like the outbox's, renewed by
   * `renewClaims` while the run lasts): a run on another instance at the same time takes other
   * orders, and these come back once released, or once the claim of a kit that died ran out.
   */
  claim: { claim: string; leaseMs: number };
}

/**
 * Claims (of outbox events, of webhook deliveries) are tokens `<holder>:<unique>`: the holder is the
 * kit instance that took them. A live holder keeps renewing its claims (`renewClaims`); the claims of
 * one that died run out with their lease, and another instance takes the work over.
 */
export interface EventClaim {
  /** The token the claimed events carry: only its holder may record their outcome. */
  claim: string;
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
  /** The token the delivery is claimed with: only its holder may record the outcome. */
  claim: string;
  type: string;
  paymentId?: string;
  billingKey?: string;
  now: number;
  /** A delivery whose claim was not renewed for this long is considered abandoned and may be claimed again. */
  leaseMs: number;
}

/** `claimed`: process it. `duplicate`: already processed or ignored. `in-progress`: someone else is on it. */
export type WebhookClaimResult = 'claimed' | 'duplicate' | 'in-progress';

export interface IssueCompletion {
  issueId: string;
  /** Compare-and-set with `issueId`: the issue is still PENDING, for this customer and plan — what the key was verified against. */
  customerId: string;
  plan?: string;
  billingKey: string;
  /** Inserted or replaced. */
  key: StoredBillingKey;
  subscription?: Subscription;
  /** The first period's order of `subscription`. */
  firstOrder?: NewOrder;
  events: readonly NewEvent[];
  now: number;
}

/** The outcome of a PENDING identity verification, with the events that go with it. */
export interface IdentityVerificationSettlement {
  identityVerificationId: string;
  /** Compare-and-set: happens only while PENDING, for this customer (what PortOne's answer was checked against). */
  customerId: string;
  status: 'VERIFIED' | 'REJECTED';
  verifiedAt?: string;
  rejection?: { code: string; reason: string };
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
  /** Resolves once the store can be used (connected, its schema migrated); rejects with why not. */
  ready(): Promise<void>;

  // Orders
  /** Inserts a new order in `PENDING`. Rejects if the paymentId or orderId exists. */
  createOrder(order: NewOrder): Promise<void>;
  getOrder(paymentId: string): Promise<Order | undefined>;
  /**
   * Compare-and-set on the order's revision (see `OrderTransition`). Resolves, if this call made the
   * change, with the order as it now stands (and the events it claimed); `undefined` if the order
   * changed meanwhile or does not exist. An event whose key exists already is left as it is.
   */
  transition(change: OrderTransition): Promise<TransitionOutcome | undefined>;
  listOrders(query?: OrderQuery): Promise<Order[]>;
  /** Claims orders for a `reconcile()` run to re-check, oldest activity first (see `ReconcileQuery`). */
  claimOrdersToReconcile(query: ReconcileQuery): Promise<Order[]>;
  /**
   * Ends a reconcile run's claim on an order. `checkedAt`: the run asked PortOne and found nothing
   * to change (recorded; not counted as activity); without it the order is simply free for the
   * next run (PortOne could not be asked).
   */
  releaseReconciled(paymentId: string, outcome: { checkedAt?: number }): Promise<void>;
  /**
   * Deletes abandoned prepares, at most `limit` of each: PENDING orders no payment window was ever
   * seen open for and that reconcile checked (`releaseReconciled` with `checkedAt`), idle since before `before`, never a
   * subscription's period; and PENDING billing-key issues (no key ever completed them) created
   * before `before`, unless a manual approval or a reservation of theirs has yet to end; and PENDING
   * identity verifications created before `before`. Resolves with how many of each went.
   */
  pruneAbandoned(query: { before: number; limit: number }): Promise<{ orders: number; issues: number; identityVerifications: number }>;

  // Outbox
  /**
   * Claims due `pending` events (and `running` ones whose lease expired); each is claimed by one
   * caller at a time and carries a new `claim` token.
   */
  claimEvents(claim: EventClaim): Promise<HookEvent[]>;
  /** Extends every claim of this holder (events running, webhook deliveries processing, orders a reconcile run holds) to `until`. */
  renewClaims(renewal: { holder: string; until: number }): Promise<void>;
  /** Records an event's outcome, only if `claim` is still the event's current claim; `true` if it did. */
  finishEvent(event: { id: number; claim: string }, outcome: EventOutcome): Promise<boolean>;
  /** Gives `dead` events of these types a new round of attempts, due now; resolves with how many. */
  reviveEvents(query: { types: readonly EventType[]; now: number }): Promise<number>;
  /** Events, newest first, optionally only those with these statuses, of this payment, or with these keys. */
  listEvents(query?: { statuses?: readonly EventStatus[]; paymentId?: string; keys?: readonly string[]; limit?: number }): Promise<HookEvent[]>;

  // Webhooks
  claimWebhook(claim: WebhookClaim): Promise<WebhookClaimResult>;
  /** Records a delivery's outcome, only if `claim` is still its current claim; `true` if it did. */
  finishWebhook(delivery: { webhookId: string; claim: string }, status: 'processed' | 'ignored' | 'failed', note?: string): Promise<boolean>;
  listWebhookDeliveries(query?: { limit?: number }): Promise<WebhookDelivery[]>;

  // Billing keys and subscriptions
  createIssue(issue: BillingKeyIssue): Promise<void>;
  getIssue(issueId: string): Promise<BillingKeyIssue | undefined>;
  /** Replaces a PENDING issue's customer details (same customer id and plan); `true` if it happened. */
  updatePendingIssue(update: IssueUpdate): Promise<boolean>;
  /** Changes a PENDING issue's manual approval (compare-and-set on its attempt); `true` if it happened. */
  changeIssueApproval(change: IssueApprovalChange): Promise<boolean>;
  /** `PENDING` → `COMPLETED` with the key, the subscription, its first order and the events, atomically (a token kept for the approval is dropped). `false` if already completed (or no longer the issue the key was verified against). */
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

  // Identity verifications
  /** Inserts a new PENDING identity verification. Rejects if the id exists. */
  createIdentityVerification(record: IdentityVerificationRecord): Promise<void>;
  getIdentityVerification(identityVerificationId: string): Promise<IdentityVerificationRecord | undefined>;
  /** Replaces a PENDING verification's customer details (same customer id); `true` if it happened. */
  updatePendingIdentityVerification(update: { identityVerificationId: string; customerId: string; customer?: CheckoutCustomer; now: number }): Promise<boolean>;
  /** `PENDING` → `VERIFIED` or `REJECTED` with the events, atomically; `false` if it was settled already. */
  settleIdentityVerification(settlement: IdentityVerificationSettlement): Promise<boolean>;

  close(): Promise<void>;
}
