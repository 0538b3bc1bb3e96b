// The sandbox's domain: one store with its channels, payments, billing keys and schedules, the
// clock, webhook emission and persistence. REST handlers, the checkout server (payment window)
// and the Node helpers all change state through here, so each path has the same effects.
import type { Customer, CustomerInput } from '@portone/server-sdk/common';
import type {
  PaymentMethod,
  PaymentMethodCard,
  PaymentWebhook,
  PaymentWebhookTrigger,
} from '@portone/server-sdk/payment';
import type { BillingKeyPaymentMethod } from '@portone/server-sdk/payment/billingKey';
import type { WebhookBillingKey, WebhookTransaction } from '@portone/server-sdk/webhook';
import { ApiError, pgProviderError } from './errors.js';
import { Clock } from './clock.js';
import { createDice, type Dice } from './rng.js';
import { inicisTid, iso, uuidv7 } from './ids.js';
import { cardCompany, declineFor, maskCardNumber, TEST_CARDS, type Decline } from './catalog.js';
import {
  customerFromInput,
  failed,
  newAmount,
  paid,
  ready,
  selectedChannel,
  virtualAccountIssued,
  type KnownPayment,
} from './payments.js';
import { State, writeSnapshot, type BillingKeyEntry, type Credentials, type PaymentEntry, type ScheduleEntry } from './state.js';
import { WebhookSender, type AttemptResult, type WebhookJob } from './webhooks.js';
import type { SandboxChannel, SandboxChargeOutcome, SandboxFaults, SandboxOutcome } from './types.js';

export type PaymentEventType =
  | 'Transaction.Ready'
  | 'Transaction.Paid'
  | 'Transaction.VirtualAccountIssued'
  | 'Transaction.Failed'
  | 'Transaction.Cancelled'
  | 'Transaction.PartialCancelled';

export type BillingKeyEventType = 'BillingKey.Ready' | 'BillingKey.Issued' | 'BillingKey.Failed' | 'BillingKey.Deleted';

export interface CoreOptions {
  credentials: Credentials;
  webhookUrls: string[];
  retryDelaysMs: readonly number[];
  webhookTimeoutMs: number;
  clock: 'real' | 'manual';
  now?: number;
  faults?: SandboxFaults;
  persistPath?: string;
  /** Shown in the payment window as 상점 and as the holder (예금주) of the virtual accounts it issues. */
  storeName: string;
  log: (line: string) => void;
}

/** A billing-key payment after validation (REST `/billing-key` and scheduled runs). */
export interface BillingKeyCharge {
  paymentId: string;
  billingKey: BillingKeyEntry;
  channel: SandboxChannel;
  orderName: string;
  total: number;
  taxFree: number;
  vat?: number;
  currency: string;
  customer: Customer;
  customData?: string;
  installmentMonth?: number;
  noticeUrls?: string[];
  products?: KnownPayment['products'];
  productCount?: number;
  country?: KnownPayment['country'];
  promotionId?: string;
  scheduleId?: string;
}

/** Virtual accounts the window issues are valid this long unless the request says otherwise. */
export const DEFAULT_VIRTUAL_ACCOUNT_VALID_MS = 7 * 24 * 3_600_000;

export class SandboxCore {
  readonly state = new State();
  readonly clock: Clock;
  readonly webhooks: WebhookSender;
  readonly credentials: Credentials;
  webhookUrls: string[];
  faults: SandboxFaults;
  /** Precomputed so the REST hot path only compares strings. */
  faultsActive: boolean;
  private dice: Dice;
  readonly windowOutcomes: SandboxOutcome[] = [];
  readonly chargeOutcomes: SandboxChargeOutcome[] = [];
  readonly log: (line: string) => void;
  /** Set by the HTTP layer once listening: receipts and windows link here. */
  baseUrl = '';
  readonly storeName: string;
  private readonly timers = new Map<string, number>();
  private persistTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: CoreOptions) {
    this.credentials = options.credentials;
    this.storeName = options.storeName;
    this.webhookUrls = [...options.webhookUrls];
    this.log = options.log;
    this.faults = options.faults ?? {};
    this.faultsActive = hasRouteFaults(this.faults);
    this.dice = createDice(this.faults.seed);
    this.clock = new Clock(options.clock, options.now, (error, label) => this.log(`${label} failed: ${(error as Error).stack ?? error}`));
    this.webhooks = new WebhookSender({
      clock: this.clock,
      dice: () => this.dice,
      secrets: () => this.credentials.webhookSecrets,
      retryDelaysMs: options.retryDelaysMs,
      timeoutMs: options.webhookTimeoutMs,
      faults: () => this.faults.webhooks,
      log: this.log,
      onAttempt: (job, result) => this.recordAttempt(job, result),
      onChange: () => this.persist(),
    });
  }

  get storeId(): string {
    return this.credentials.storeId;
  }

  now(): number {
    return this.clock.now();
  }

  /** Moves the clock forward (running what falls due) and keeps the new time in `persistPath`. */
  async advance(ms: number): Promise<void> {
    await this.clock.advance(ms);
    this.persist();
  }

  setFaults(faults: SandboxFaults): void {
    this.faults = faults;
    this.faultsActive = hasRouteFaults(faults);
    this.dice = createDice(faults.seed);
  }

  rollDice(rate: number | undefined): boolean {
    return this.dice.roll(rate);
  }

  channel(key: string | undefined): SandboxChannel | undefined {
    return key === undefined ? undefined : this.credentials.channels.find((c) => c.key === key);
  }

  /** REST storeId rule: absent means the credential's store; any other store is forbidden. */
  checkStore(storeId: unknown): void {
    if (storeId === undefined || storeId === null || storeId === this.storeId) return;
    throw new ApiError('FORBIDDEN', `This API secret cannot access store ${JSON.stringify(storeId)}; it belongs to ${this.storeId}.`);
  }

  // ── payments ────────────────────────────────────────────────────────────────────────────────

  requirePayment(paymentId: string): PaymentEntry {
    const entry = this.state.payments.get(paymentId);
    if (!entry) throw new ApiError('PAYMENT_NOT_FOUND', `Payment ${JSON.stringify(paymentId)} does not exist in store ${this.storeId}.`);
    return entry;
  }

  update(entry: PaymentEntry, payment: KnownPayment): void {
    this.state.setPayment(entry, payment);
    this.persist();
  }

  /** A fresh READY attempt for `paymentId`, replacing an earlier READY or FAILED one. */
  startAttempt(paymentId: string, fields: {
    txId: string;
    channel: SandboxChannel;
    orderName: string;
    total: number;
    taxFree?: number;
    vat?: number;
    currency: string;
    customer: Customer;
    customData?: string;
    products?: KnownPayment['products'];
    productCount?: number;
    country?: KnownPayment['country'];
    isCulturalExpense?: boolean;
    isEscrow?: boolean;
    promotionId?: string;
    billingKey?: string;
    scheduleId?: string;
    noticeUrls?: string[];
    origin: PaymentEntry['origin'];
  }): PaymentEntry {
    const existing = this.state.payments.get(paymentId);
    const at = this.now();
    const payment = ready({
      id: paymentId,
      transactionId: fields.txId,
      merchantId: this.credentials.merchantId,
      storeId: this.storeId,
      channel: selectedChannel(fields.channel),
      version: 'V2',
      ...(existing?.payment.webhooks ? { webhooks: existing.payment.webhooks } : {}),
      ...(fields.scheduleId ? { scheduleId: fields.scheduleId } : {}),
      ...(fields.billingKey ? { billingKey: fields.billingKey } : {}),
      requestedAt: iso(at),
      updatedAt: iso(at),
      statusChangedAt: iso(at),
      orderName: fields.orderName,
      amount: newAmount(fields.total, fields.taxFree ?? 0, fields.vat),
      currency: fields.currency,
      customer: fields.customer,
      ...(fields.promotionId ? { promotionId: fields.promotionId } : {}),
      ...(fields.isCulturalExpense !== undefined ? { isCulturalExpense: fields.isCulturalExpense } : {}),
      ...(fields.isEscrow ? { escrow: { status: 'BEFORE_REGISTERED' } } : {}),
      ...(fields.products ? { products: fields.products } : {}),
      ...(fields.productCount !== undefined ? { productCount: fields.productCount } : {}),
      ...(fields.customData !== undefined ? { customData: fields.customData } : {}),
      ...(fields.country ? { country: fields.country } : {}),
    });
    const entry: PaymentEntry = { payment, origin: fields.origin, ...(fields.noticeUrls?.length ? { noticeUrls: fields.noticeUrls } : {}), ...(existing?.manualResends ? { manualResends: existing.manualResends } : {}) };
    this.update(entry, payment);
    return entry;
  }

  receiptUrl(paymentId: string): string {
    return `${this.baseUrl}/sandbox/receipts/${encodeURIComponent(paymentId)}`;
  }

  pgTxId(entry: PaymentEntry, method: PaymentMethod | { type: 'BillingKey' }): string {
    return inicisTid(String(method.type), entry.payment.channel?.pgMerchantId ?? 'INIpayTest', this.now(), entry.origin);
  }

  markPaid(entry: PaymentEntry, method: PaymentMethod, trigger?: PaymentWebhookTrigger, paidAmount?: number): void {
    const payment = paid(entry.payment, this.now(), {
      method,
      pgTxId: 'pgTxId' in entry.payment && entry.payment.pgTxId ? entry.payment.pgTxId : this.pgTxId(entry, method),
      receiptUrl: this.receiptUrl(entry.payment.id),
      ...(paidAmount !== undefined ? { paidAmount } : {}),
    });
    this.update(entry, payment);
    // A paid payment never opens another window: its pre-registered amount has done its job.
    this.state.preRegistrations.delete(payment.id);
    this.cancelTimer(`expiry:${payment.id}`);
    this.emitPayment('Transaction.Paid', entry, trigger ? { trigger } : {});
  }

  issueVirtualAccount(entry: PaymentEntry, method: PaymentMethod & { type: 'PaymentMethodVirtualAccount' }): void {
    this.update(entry, virtualAccountIssued(entry.payment, this.now(), { method, pgTxId: this.pgTxId(entry, method) }));
    this.state.preRegistrations.delete(entry.payment.id);
    this.armExpiry(entry.payment.id);
    this.emitPayment('Transaction.VirtualAccountIssued', entry);
  }

  markFailed(entry: PaymentEntry, failure: { reason: string; pgCode?: string; pgMessage?: string }, method?: PaymentMethod): void {
    this.update(entry, failed(entry.payment, this.now(), failure, method));
    this.cancelTimer(`expiry:${entry.payment.id}`);
    this.emitPayment('Transaction.Failed', entry);
  }

  /**
   * A deposit into an issued virtual account (the bank's notification): PAID. The amount must be
   * the payment's total; a different one changes nothing and throws, naming both. Only
   * `partial` takes a smaller one, as a PG that reports a short deposit PAID with
   * `amount.paid < total` would (for testing a shop's defence against exactly that).
   */
  deposit(paymentId: string, amount?: number, options: { partial?: boolean } = {}): KnownPayment {
    if (typeof options !== 'object' || options === null) throw new Error(`deposit: expected options as an object like { partial: true }, got ${JSON.stringify(options)}`);
    const partial = options.partial ?? false;
    if (typeof partial !== 'boolean') throw new Error(`deposit: expected options.partial to be true or false, got ${JSON.stringify(partial)}`);
    const entry = this.state.payments.get(paymentId);
    if (!entry) throw new Error(`deposit: payment ${JSON.stringify(paymentId)} does not exist`);
    const { payment } = entry;
    if (payment.status !== 'VIRTUAL_ACCOUNT_ISSUED' || payment.method?.type !== 'PaymentMethodVirtualAccount') {
      throw new Error(`deposit: payment ${JSON.stringify(paymentId)} is ${payment.status}, not a VIRTUAL_ACCOUNT_ISSUED virtual-account payment`);
    }
    const expiredAt = payment.method.expiredAt ? Date.parse(payment.method.expiredAt) : Infinity;
    if (this.now() > expiredAt) throw new Error(`deposit: the account of ${JSON.stringify(paymentId)} expired at ${payment.method.expiredAt}`);
    const total = payment.amount.total;
    const deposited = amount ?? total;
    if (!Number.isSafeInteger(deposited) || deposited <= 0) throw new Error(`deposit: expected a positive integer amount, got ${amount}`);
    if (deposited > total) throw new Error(`deposit: payment ${JSON.stringify(paymentId)} expects ${total} ${payment.currency}, got ${deposited}: a deposit never exceeds the total`);
    if (deposited < total && !partial) {
      throw new Error(`deposit: payment ${JSON.stringify(paymentId)} expects ${total} ${payment.currency}, got ${deposited}; the account stays VIRTUAL_ACCOUNT_ISSUED (pass { partial: true } to emulate a PG that reports a short deposit as PAID)`);
    }
    this.markPaid(entry, { ...payment.method, remitterName: payment.method.remitterName ?? payment.customer.name ?? '입금자' }, 'VIRTUAL_ACCOUNT_DEPOSIT', deposited);
    return entry.payment;
  }

  /** An unpaid virtual account past its deadline (or closed by the merchant): FAILED. */
  closeVirtualAccount(entry: PaymentEntry, reason: string): void {
    this.markFailed(entry, { reason });
  }

  armExpiry(paymentId: string): void {
    const entry = this.state.payments.get(paymentId);
    const method = entry?.payment.method;
    if (entry?.payment.status !== 'VIRTUAL_ACCOUNT_ISSUED' || method?.type !== 'PaymentMethodVirtualAccount' || !method.expiredAt) return;
    // Deposits are accepted up to and including the deadline; the account closes just after it.
    this.setTimer(`expiry:${paymentId}`, Date.parse(method.expiredAt) + 1, () => {
      const current = this.state.payments.get(paymentId);
      if (current?.payment.status === 'VIRTUAL_ACCOUNT_ISSUED') this.closeVirtualAccount(current, '가상계좌 입금기한이 만료되었습니다.');
    }, `virtual account of ${paymentId} expires`);
  }

  // ── server-side charges (API card payments, billing keys, schedules) ─────────────────────────

  /** How the next charge on this card goes: a queued outcome first, then the test-card table. */
  decideCharge(cardNumber: string | undefined, method = 'CARD'): Decline | undefined {
    const queued = this.chargeOutcomes.shift();
    if (queued) {
      if (queued.result === 'approve') return undefined;
      return declineFor(method, queued.pgCode, queued.pgMessage);
    }
    const test = cardNumber ? TEST_CARDS[cardNumber] : undefined;
    return test?.when === 'charge' ? test.decline : undefined;
  }

  /** Charges a billing key: PAID, or FAILED and a `PG_PROVIDER` error, with the matching webhook. */
  chargeBillingKey(charge: BillingKeyCharge): { pgTxId: string; paidAt: string } {
    const info = charge.billingKey.info!;
    const keyMethod = info.methods?.[0];
    const entry = this.startAttempt(charge.paymentId, {
      txId: uuidv7(this.now()),
      channel: charge.channel,
      orderName: charge.orderName,
      total: charge.total,
      taxFree: charge.taxFree,
      ...(charge.vat !== undefined ? { vat: charge.vat } : {}),
      currency: charge.currency,
      customer: charge.customer,
      ...(charge.customData !== undefined ? { customData: charge.customData } : {}),
      ...(charge.products ? { products: charge.products } : {}),
      ...(charge.productCount !== undefined ? { productCount: charge.productCount } : {}),
      ...(charge.country ? { country: charge.country } : {}),
      ...(charge.promotionId ? { promotionId: charge.promotionId } : {}),
      billingKey: charge.billingKey.billingKey,
      ...(charge.scheduleId ? { scheduleId: charge.scheduleId } : {}),
      ...(charge.noticeUrls ? { noticeUrls: charge.noticeUrls } : {}),
      origin: 'api',
    });
    const method = paymentMethodFromBillingKey(keyMethod, charge.installmentMonth);
    const decline = this.decideCharge(charge.billingKey.cardNumber, method.type === 'PaymentMethodMobile' ? 'MOBILE' : 'CARD');
    if (decline) {
      this.markFailed(entry, { reason: decline.pgMessage, ...decline }, method);
      throw pgProviderError(decline.pgCode, decline.pgMessage);
    }
    this.markPaid(entry, method);
    const payment = entry.payment as KnownPayment & { pgTxId: string; paidAt: string };
    return { pgTxId: payment.pgTxId, paidAt: payment.paidAt };
  }

  // ── schedules ───────────────────────────────────────────────────────────────────────────────

  armSchedule(entry: ScheduleEntry): void {
    if (entry.schedule.status !== 'SCHEDULED') return;
    const id = entry.schedule.id;
    this.setTimer(`schedule:${id}`, Date.parse(entry.schedule.timeToPay), () => this.runSchedule(id), `scheduled payment ${entry.schedule.paymentId}`);
  }

  disarmSchedule(id: string): void {
    this.cancelTimer(`schedule:${id}`);
  }

  /** Runs a due schedule: STARTED, then the billing-key charge, then SUCCEEDED or FAILED. */
  runSchedule(id: string): void {
    const entry = this.state.schedules.get(id);
    if (!entry || entry.schedule.status !== 'SCHEDULED') return;
    const startedAt = iso(this.now());
    const { status: _scheduled, ...rest } = entry.schedule;
    entry.schedule = { ...rest, status: 'STARTED', startedAt };
    const input = entry.input;
    const key = this.state.billingKeys.get(input.billingKey);
    const existing = this.state.payments.get(entry.schedule.paymentId);
    let ok = false;
    try {
      if (existing && ['PAID', 'PARTIAL_CANCELLED', 'CANCELLED', 'VIRTUAL_ACCOUNT_ISSUED', 'PAY_PENDING'].includes(existing.payment.status)) {
        // Paid some other way since it was scheduled: never charge twice.
        this.log(`schedule ${id}: payment ${entry.schedule.paymentId} is already ${existing.payment.status}; not charged`);
      } else if (!key || key.status !== 'ISSUED' || !key.info) {
        const reason = key?.status === 'DELETED' ? '빌링키가 삭제되었습니다.' : '빌링키를 찾을 수 없습니다.';
        if (existing) this.markFailed(existing, { reason });
      } else {
        const channel = this.channel(input.channelKey) ?? this.channel(key.info.channels[0]?.key)!;
        this.chargeBillingKey({
          paymentId: entry.schedule.paymentId,
          billingKey: key,
          channel,
          orderName: input.orderName,
          total: input.amount.total,
          taxFree: input.amount.taxFree ?? 0,
          ...(input.amount.vat !== undefined ? { vat: input.amount.vat } : {}),
          currency: input.currency,
          customer: mergeCustomer(key.info.customer, input.customer),
          customData: input.customData ?? entry.schedule.customData,
          ...(input.installmentMonth !== undefined ? { installmentMonth: input.installmentMonth } : {}),
          ...(input.noticeUrls?.length ? { noticeUrls: input.noticeUrls } : {}),
          ...(input.products ? { products: input.products } : {}),
          ...(input.productCount !== undefined ? { productCount: input.productCount } : {}),
          scheduleId: id,
        });
        ok = true;
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    const completedAt = iso(this.now());
    entry.schedule = { ...rest, status: ok ? 'SUCCEEDED' : 'FAILED', startedAt, completedAt };
    this.persist();
  }

  // ── billing keys ────────────────────────────────────────────────────────────────────────────

  requireBillingKey(billingKey: string): BillingKeyEntry & { info: NonNullable<BillingKeyEntry['info']> } {
    const entry = this.state.billingKeys.get(billingKey);
    if (!entry || !entry.info || (entry.status !== 'ISSUED' && entry.status !== 'DELETED')) {
      throw new ApiError('BILLING_KEY_NOT_FOUND', `Billing key ${JSON.stringify(billingKey)} does not exist in store ${this.storeId}.`);
    }
    return entry as BillingKeyEntry & { info: NonNullable<BillingKeyEntry['info']> };
  }

  // ── webhooks ────────────────────────────────────────────────────────────────────────────────

  private urlsFor(noticeUrls: string[] | undefined): string[] {
    return noticeUrls?.length ? noticeUrls : this.webhookUrls;
  }

  /** Sends a `Transaction.*` webhook for the payment's current state and records it on the payment. */
  emitPayment(type: PaymentEventType, entry: PaymentEntry, extra: { cancellationId?: string; trigger?: PaymentWebhookTrigger } = {}): void {
    const { payment } = entry;
    const payload = {
      type,
      timestamp: iso(this.now()),
      data: {
        paymentId: payment.id,
        storeId: payment.storeId,
        transactionId: payment.transactionId,
        ...(extra.cancellationId ? { cancellationId: extra.cancellationId } : {}),
      },
    } as WebhookTransaction;
    const body = JSON.stringify(payload);
    for (const url of this.urlsFor(entry.noticeUrls)) {
      const webhookId = uuidv7(this.now());
      const record: PaymentWebhook = {
        id: webhookId,
        url,
        paymentStatus: payment.status,
        isAsync: extra.trigger !== undefined && extra.trigger !== 'MANUAL',
        currentExecutionCount: 0,
        maxExecutionCount: Math.max(1, this.options.retryDelaysMs.length),
        ...(extra.trigger ? { trigger: extra.trigger } : {}),
        request: { body, requestedAt: iso(this.now()) },
        triggeredAt: iso(this.now()),
      };
      payment.webhooks = [...(payment.webhooks ?? []), record];
      this.state.touchPayment(payment.id);
      this.webhooks.enqueue({ webhookId, url, type, body, paymentId: payment.id });
    }
    this.persist();
  }

  /** Re-sends an earlier payment webhook as a new, manually triggered one (same body). */
  resendPaymentWebhook(entry: PaymentEntry, original: PaymentWebhook): PaymentWebhook {
    const webhookId = uuidv7(this.now());
    const body = original.request?.body ?? '';
    const type = (JSON.parse(body || '{}') as { type?: string }).type ?? 'Transaction.Paid';
    const record: PaymentWebhook = {
      id: webhookId,
      url: original.url,
      ...(original.paymentStatus ? { paymentStatus: original.paymentStatus } : {}),
      isAsync: false,
      currentExecutionCount: 0,
      maxExecutionCount: Math.max(1, this.options.retryDelaysMs.length),
      trigger: 'MANUAL',
      request: { body, requestedAt: iso(this.now()) },
      triggeredAt: iso(this.now()),
    };
    entry.payment.webhooks = [...(entry.payment.webhooks ?? []), record];
    this.state.touchPayment(entry.payment.id);
    this.webhooks.enqueue({ webhookId, url: original.url, type, body, paymentId: entry.payment.id });
    this.persist();
    return record;
  }

  emitBillingKey(type: BillingKeyEventType, entry: BillingKeyEntry): void {
    const payload = { type, timestamp: iso(this.now()), data: { billingKey: entry.billingKey, storeId: this.storeId } } as WebhookBillingKey;
    const body = JSON.stringify(payload);
    for (const url of this.urlsFor(entry.noticeUrls)) {
      this.webhooks.enqueue({ webhookId: uuidv7(this.now()), url, type, body });
    }
  }

  private recordAttempt(job: WebhookJob, result: AttemptResult): void {
    if (this.closed || !job.paymentId) return;
    const entry = this.state.payments.get(job.paymentId);
    const record = entry?.payment.webhooks?.find((w) => w.id === job.webhookId);
    if (!entry || !record) return;
    record.currentExecutionCount = job.attempt;
    record.status = result.ok ? 'SUCCEEDED' : result.status !== undefined ? 'FAILED_NOT_OK_RESPONSE' : 'FAILED_UNEXPECTED_ERROR';
    record.request = { header: JSON.stringify(result.requestHeaders), body: job.body, requestedAt: iso(result.requestedAt) };
    if (result.status !== undefined) {
      record.response = {
        code: String(result.status),
        header: JSON.stringify(result.responseHeaders ?? {}),
        body: result.responseBody ?? '',
        respondedAt: iso(result.respondedAt ?? result.requestedAt),
      };
    }
    this.state.touchPayment(job.paymentId);
    this.persist();
  }

  // ── timers and persistence ──────────────────────────────────────────────────────────────────

  private setTimer(key: string, at: number, task: () => void | Promise<void>, label: string): void {
    this.cancelTimer(key);
    const id = this.clock.schedule(at, () => {
      this.timers.delete(key);
      return task();
    }, label);
    this.timers.set(key, id);
  }

  private cancelTimer(key: string): void {
    const id = this.timers.get(key);
    if (id !== undefined) this.clock.cancel(id);
    this.timers.delete(key);
  }

  /** Re-arms schedules and expiries after a restore. */
  rearm(): void {
    for (const entry of this.state.schedules.values()) this.armSchedule(entry);
    for (const id of this.state.payments.keys()) this.armExpiry(id);
  }

  reset(): void {
    for (const id of this.timers.values()) this.clock.cancel(id);
    this.timers.clear();
    this.state.clear();
    this.webhooks.reset();
    this.windowOutcomes.length = 0;
    this.chargeOutcomes.length = 0;
    this.setFaults({});
    this.persist();
  }

  persist(): void {
    if (this.closed || !this.options.persistPath || this.persistTimer) return;
    this.persistTimer = setTimeout(() => this.flushPersist(), 25);
    this.persistTimer.unref();
  }

  flushPersist(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (this.closed || !this.options.persistPath) return;
    writeSnapshot(this.options.persistPath, this.state.snapshot(this.credentials, this.webhooks.pendingJobs(), this.clock.snapshot()));
  }

  /**
   * Stops for good: the state file gets its last write now (unless `persist: false`, for a start
   * that never listened and must not overwrite the file another sandbox may own), then timers,
   * retries and in-flight deliveries stop without touching the state again.
   */
  close({ persist = true }: { persist?: boolean } = {}): void {
    if (this.closed) return;
    if (persist) this.flushPersist();
    else if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this.closed = true;
    this.clock.close();
    this.webhooks.close();
  }
}

function hasRouteFaults(faults: SandboxFaults): boolean {
  return Object.values(faults.routes ?? {}).some((f) => (f.failureRate ?? 0) > 0 || (f.latencyMs ?? 0) > 0 || (f.hangRate ?? 0) > 0);
}

/** The billing key's stored customer, overlaid with what a payment request adds. */
export function mergeCustomer(stored: Customer, input: CustomerInput | undefined): Customer {
  return { ...stored, ...customerFromInput(input) };
}

/** The `PaymentMethod` a billing-key payment reports, from the key's method. */
export function paymentMethodFromBillingKey(method: BillingKeyPaymentMethod | undefined, installmentMonth?: number): PaymentMethod {
  if (method?.type === 'BillingKeyPaymentMethodMobile') return { type: 'PaymentMethodMobile', ...(method.phoneNumber ? { phoneNumber: method.phoneNumber } : {}) };
  const card = method?.type === 'BillingKeyPaymentMethodCard' ? method.card : undefined;
  const out: PaymentMethodCard = {
    type: 'PaymentMethodCard',
    card: card ?? { ...cardFields(cardCompany('11')!, 'PERSONAL') },
    approvalNumber: approvalNumber(),
    installment: { month: installmentMonth ?? 0, isInterestFree: false },
    pointUsed: false,
  };
  return out;
}

export function cardFields(company: NonNullable<ReturnType<typeof cardCompany>>, ownerType: 'PERSONAL' | 'CORPORATE', last4?: string): NonNullable<PaymentMethodCard['card']> {
  return {
    publisher: company.ko,
    issuer: company.ko,
    brand: company.brand,
    type: 'CREDIT',
    ownerType,
    bin: company.bin,
    name: company.ko,
    number: maskCardNumber(company.bin, last4),
  };
}

export const approvalNumber = (): string => String(Math.floor(10_000_000 + Math.random() * 89_999_999));

