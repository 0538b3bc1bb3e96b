// The kit's records read from database rows, the same for every SQL dialect: the tables have the same
// columns everywhere (see each adapter's migrations), NULL for an absent field, integers (ms) for
// times; only how a JSON column arrives differs (text in SQLite, parsed already from PostgreSQL).
import type { OrderStatus } from '../../contract.js';
import type { BillingKeyIssue, HookEvent, IdentityVerificationRecord, NewEvent, Order, OrderPatch, StoredBillingKey, Subscription, WebhookDelivery } from '../model.js';

export type Row = Record<string, unknown>;

/**
 * An event just written already claimed by `claim` at `now` (running, its first attempt), given the
 * id the database assigned: the rest is what was written, so a payment's payload is not read back.
 */
export const claimedEvent = (event: NewEvent, id: number, claim: string, now: number): HookEvent => ({
  id,
  key: event.key,
  type: event.type,
  ...(event.paymentId !== undefined ? { paymentId: event.paymentId } : {}),
  payload: event.payload ?? null,
  status: 'running',
  attempts: 1,
  transientAttempts: 0,
  claim,
  nextAttemptAt: now,
  createdAt: now,
});

/** A value for a JSON column, as JSON text (NULL for nothing). */
export const jsonText = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

const opt = <T>(value: unknown): T | undefined => (value === null || value === undefined ? undefined : (value as T));

/** Column for each OrderPatch field and whether it holds JSON; `cancelledAmount` is special-cased (it only grows). */
const ORDER_PATCH_COLUMNS = {
  payMethod: ['pay_method', false],
  paidAt: ['paid_at', false],
  virtualAccount: ['virtual_account', true],
  failure: ['failure', true],
  flag: ['flag', true],
  billingKey: ['billing_key', false],
  subscriptionId: ['subscription_id', false],
  startedAt: ['started_at', false],
  approval: ['approval', true],
  reservedAt: ['reserved_at', false],
} as const satisfies Record<Exclude<keyof OrderPatch, 'cancelledAmount'>, readonly [string, boolean]>;
export const PATCH_COLUMNS = Object.entries(ORDER_PATCH_COLUMNS).map(([field, [column, isJson]]) => [field as keyof typeof ORDER_PATCH_COLUMNS, column, isJson] as const);

/** The readers of every table's rows, given how this dialect's JSON columns arrive. */
export function recordReaders(json: (value: unknown) => unknown) {
  const parse = <T>(value: unknown): T | undefined => (value === null || value === undefined ? undefined : (json(value) as T));
  /** Drops `undefined` properties so records compare cleanly and serialise without noise (copying: `delete` slows objects down). */
  function definedOnly<T extends object>(record: T): T {
    const out: Record<string, unknown> = {};
    for (const key in record) if (record[key] !== undefined) out[key] = record[key];
    return out as T;
  }

  /** The hot path of every complete and webhook: builds the order without a second pass over its fields. */
  function toOrder(row: Row): Order {
    const order: Order = {
      paymentId: row.payment_id as string,
      orderId: row.order_id as string,
      kind: row.kind as Order['kind'],
      status: row.status as OrderStatus,
      orderName: row.order_name as string,
      totalAmount: row.total_amount as number,
      currency: row.currency as Order['currency'],
      lines: parse<Order['lines']>(row.lines) ?? [],
      cancelledAmount: row.cancelled_amount as number,
      revision: row.revision as number,
      createdAt: row.created_at as number,
      updatedAt: row.updated_at as number,
    };
    if (row.tax_free_amount !== null) order.taxFreeAmount = row.tax_free_amount as number;
    if (row.vat_amount !== null) order.vatAmount = row.vat_amount as number;
    if (row.customer !== null) order.customer = parse<Order['customer']>(row.customer)!;
    if (row.reference !== null) order.reference = row.reference as string;
    if (row.pay_method !== null) order.payMethod = row.pay_method as string;
    if (row.plan !== null) order.plan = row.plan as string;
    if (row.subscription_id !== null) order.subscriptionId = row.subscription_id as string;
    if (row.due_at !== null) order.dueAt = row.due_at as number;
    if (row.paid_at !== null) order.paidAt = row.paid_at as string;
    if (row.virtual_account !== null) order.virtualAccount = parse<Order['virtualAccount']>(row.virtual_account)!;
    if (row.failure !== null) order.failure = parse<Order['failure']>(row.failure)!;
    if (row.flag !== null) order.flag = parse<Order['flag']>(row.flag)!;
    if (row.billing_key !== null) order.billingKey = row.billing_key as string;
    if (row.customer_assigned !== null) order.customerIdAssigned = true;
    if (row.started_at !== null) order.startedAt = row.started_at as number;
    if (row.checked_at !== null) order.checkedAt = row.checked_at as number;
    if (row.approval !== null && row.approval !== undefined) order.approval = parse<Order['approval']>(row.approval)!;
    if (row.reserved_at !== null && row.reserved_at !== undefined) order.reservedAt = row.reserved_at as number;
    return order;
  }

  function toEvent(row: Row): HookEvent {
    return definedOnly({
      id: row.id as number,
      key: row.key as string,
      type: row.type as HookEvent['type'],
      paymentId: opt<string>(row.payment_id),
      payload: parse<unknown>(row.payload),
      status: row.status as HookEvent['status'],
      attempts: row.attempts as number,
      transientAttempts: row.transient_attempts as number,
      claim: opt<string>(row.claim),
      nextAttemptAt: row.next_attempt_at as number,
      lastError: opt<string>(row.last_error),
      createdAt: row.created_at as number,
      doneAt: opt<number>(row.done_at),
    });
  }

  function toDelivery(row: Row): WebhookDelivery {
    return definedOnly({
      webhookId: row.webhook_id as string,
      type: row.type as string,
      paymentId: opt<string>(row.payment_id),
      billingKey: opt<string>(row.billing_key),
      status: row.status as WebhookDelivery['status'],
      receivedCount: row.received_count as number,
      note: opt<string>(row.note),
      firstReceivedAt: row.first_received_at as number,
      lastReceivedAt: row.last_received_at as number,
    });
  }

  function toIssue(row: Row): BillingKeyIssue {
    return definedOnly({
      issueId: row.issue_id as string,
      issueName: row.issue_name as string,
      customerId: row.customer_id as string,
      customerIdAssigned: row.customer_assigned === null ? undefined : (true as const),
      customer: parse<BillingKeyIssue['customer']>(row.customer),
      plan: opt<string>(row.plan),
      status: row.status as BillingKeyIssue['status'],
      billingKey: opt<string>(row.billing_key),
      subscriptionId: opt<string>(row.subscription_id),
      paymentId: opt<string>(row.payment_id),
      approval: parse<BillingKeyIssue['approval']>(row.approval),
      reservedAt: opt<number>(row.reserved_at),
      failure: parse<BillingKeyIssue['failure']>(row.failure),
      createdAt: row.created_at as number,
      completedAt: opt<number>(row.completed_at),
    });
  }

  function toIdentityVerification(row: Row): IdentityVerificationRecord {
    return definedOnly({
      identityVerificationId: row.identity_verification_id as string,
      customerId: row.customer_id as string,
      customerIdAssigned: row.customer_assigned === null ? undefined : (true as const),
      customer: parse<IdentityVerificationRecord['customer']>(row.customer),
      status: row.status as IdentityVerificationRecord['status'],
      rejection: parse<IdentityVerificationRecord['rejection']>(row.rejection),
      verifiedAt: opt<string>(row.verified_at),
      createdAt: row.created_at as number,
      updatedAt: row.updated_at as number,
    });
  }

  function toBillingKey(row: Row): StoredBillingKey {
    return definedOnly({
      billingKey: row.billing_key as string,
      customerId: row.customer_id as string,
      status: row.status as StoredBillingKey['status'],
      display: opt<string>(row.display),
      channelKey: opt<string>(row.channel_key),
      issueId: opt<string>(row.issue_id),
      issuedAt: row.issued_at as string,
      deletedAt: opt<string>(row.deleted_at),
      updatedAt: row.updated_at as number,
    });
  }

  function toSubscription(row: Row): Subscription {
    return definedOnly({
      id: row.id as string,
      customerId: row.customer_id as string,
      plan: row.plan as string,
      billingKey: row.billing_key as string,
      status: row.status as Subscription['status'],
      amount: row.amount as number,
      currency: row.currency as Subscription['currency'],
      nextPaymentId: opt<string>(row.next_payment_id),
      nextChargeAt: opt<number>(row.next_charge_at),
      scheduleId: opt<string>(row.schedule_id),
      paidPeriods: row.paid_periods as number,
      createdAt: row.created_at as number,
      updatedAt: row.updated_at as number,
    });
  }

  return { toOrder, toEvent, toDelivery, toIssue, toBillingKey, toSubscription, toIdentityVerification };
}
