// The payment ledger: payment attempts and their transitions (READY → PAID, VIRTUAL_ACCOUNT_ISSUED,
// FAILED), deposits into and expiry of virtual accounts, and the lookups REST handlers share. Every
// transition is stored, persisted and announced by its webhook here, so all paths agree.
import type { Customer } from '@portone/server-sdk/common';
import type { PaymentMethod, PaymentWebhookTrigger } from '@portone/server-sdk/payment';
import { ApiError, usageError } from '../errors.js';
import { inicisTid, iso, receiptKey } from '../ids.js';
import { failed, newAmount, paid, ready, selectedChannel, virtualAccountIssued, type KnownPayment } from '../payments.js';
import type { SandboxChannel } from '../types.js';
import type { WebhookEmitter } from './emitter.js';
import type { Runtime } from './runtime.js';
import type { BillingKeyEntry, PaymentEntry } from './state.js';

/** What a new attempt at a payment is made of (window, API payment, billing-key charge). */
export interface AttemptFields {
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
}

/** A billing key as REST sees it: issued (or deleted after issuing), with its info. */
export type VisibleBillingKey = BillingKeyEntry & { info: NonNullable<BillingKeyEntry['info']> };

export class Ledger {
  constructor(
    private readonly runtime: Runtime,
    private readonly emitter: WebhookEmitter,
  ) {}

  requirePayment(paymentId: string): PaymentEntry {
    const entry = this.runtime.state.payments.get(paymentId);
    if (!entry) throw new ApiError('PAYMENT_NOT_FOUND', `Payment ${JSON.stringify(paymentId)} does not exist in store ${this.runtime.storeId}.`);
    return entry;
  }

  requireBillingKey(billingKey: string): VisibleBillingKey {
    const entry = this.runtime.state.billingKeys.get(billingKey);
    if (!entry || !entry.info || (entry.status !== 'ISSUED' && entry.status !== 'DELETED')) {
      throw new ApiError('BILLING_KEY_NOT_FOUND', `Billing key ${JSON.stringify(billingKey)} does not exist in store ${this.runtime.storeId}.`);
    }
    return entry as VisibleBillingKey;
  }

  update(entry: PaymentEntry, payment: KnownPayment): void {
    this.runtime.state.setPayment(entry, payment);
    this.runtime.persist();
  }

  /** A fresh READY attempt for `paymentId`, replacing an earlier READY or FAILED one. */
  startAttempt(paymentId: string, fields: AttemptFields): PaymentEntry {
    const { runtime } = this;
    const existing = runtime.state.payments.get(paymentId);
    const at = runtime.now();
    const payment = ready({
      id: paymentId,
      transactionId: fields.txId,
      merchantId: runtime.credentials.merchantId,
      storeId: runtime.storeId,
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
    return `${this.runtime.baseUrl}/sandbox/receipts/${encodeURIComponent(paymentId)}?key=${receiptKey(this.runtime.credentials.controlToken, paymentId)}`;
  }

  pgTxId(entry: PaymentEntry, method: PaymentMethod | { type: 'BillingKey' }): string {
    return inicisTid(String(method.type), entry.payment.channel?.pgMerchantId ?? 'INIpayTest', this.runtime.now(), entry.origin);
  }

  markPaid(entry: PaymentEntry, method: PaymentMethod, trigger?: PaymentWebhookTrigger, paidAmount?: number): void {
    const { runtime } = this;
    const payment = paid(entry.payment, runtime.now(), {
      method,
      pgTxId: 'pgTxId' in entry.payment && entry.payment.pgTxId ? entry.payment.pgTxId : this.pgTxId(entry, method),
      receiptUrl: this.receiptUrl(entry.payment.id),
      ...(paidAmount !== undefined ? { paidAmount } : {}),
    });
    this.update(entry, payment);
    // A paid payment never opens another window: its pre-registered amount has done its job.
    runtime.state.preRegistrations.delete(payment.id);
    runtime.cancelTimer(`expiry:${payment.id}`);
    this.emitter.emitPayment('Transaction.Paid', entry, trigger ? { trigger } : {});
  }

  issueVirtualAccount(entry: PaymentEntry, method: PaymentMethod & { type: 'PaymentMethodVirtualAccount' }): void {
    this.update(entry, virtualAccountIssued(entry.payment, this.runtime.now(), { method, pgTxId: this.pgTxId(entry, method) }));
    this.runtime.state.preRegistrations.delete(entry.payment.id);
    this.armExpiry(entry.payment.id);
    this.emitter.emitPayment('Transaction.VirtualAccountIssued', entry);
  }

  markFailed(entry: PaymentEntry, failure: { reason: string; pgCode?: string; pgMessage?: string }, method?: PaymentMethod): void {
    this.update(entry, failed(entry.payment, this.runtime.now(), failure, method));
    this.runtime.cancelTimer(`expiry:${entry.payment.id}`);
    this.emitter.emitPayment('Transaction.Failed', entry);
  }

  /**
   * A deposit into an issued virtual account (the bank's notification): PAID. The amount must be
   * the payment's total; a different one changes nothing and throws, naming both. Only
   * `partial` takes a smaller one, as a PG that reports a short deposit PAID with
   * `amount.paid < total` would (for testing a shop's defence against exactly that).
   */
  deposit(paymentId: string, amount?: number, options: { partial?: boolean } = {}): KnownPayment {
    if (typeof options !== 'object' || options === null) throw usageError(new Error(`deposit: expected options as an object like { partial: true }, got ${JSON.stringify(options)}`));
    const partial = options.partial ?? false;
    if (typeof partial !== 'boolean') throw usageError(new Error(`deposit: expected options.partial to be true or false, got ${JSON.stringify(partial)}`));
    const entry = this.runtime.state.payments.get(paymentId);
    if (!entry) throw usageError(new Error(`deposit: payment ${JSON.stringify(paymentId)} does not exist`));
    const { payment } = entry;
    if (payment.status !== 'VIRTUAL_ACCOUNT_ISSUED' || payment.method?.type !== 'PaymentMethodVirtualAccount') {
      throw usageError(new Error(`deposit: payment ${JSON.stringify(paymentId)} is ${payment.status}, not a VIRTUAL_ACCOUNT_ISSUED virtual-account payment`));
    }
    const expiredAt = payment.method.expiredAt ? Date.parse(payment.method.expiredAt) : Infinity;
    if (this.runtime.now() > expiredAt) throw usageError(new Error(`deposit: the account of ${JSON.stringify(paymentId)} expired at ${payment.method.expiredAt}`));
    const total = payment.amount.total;
    const deposited = amount ?? total;
    if (!Number.isSafeInteger(deposited) || deposited <= 0) throw usageError(new Error(`deposit: expected a positive integer amount, got ${amount}`));
    if (deposited > total) throw usageError(new Error(`deposit: payment ${JSON.stringify(paymentId)} expects ${total} ${payment.currency}, got ${deposited}: a deposit never exceeds the total`));
    if (deposited < total && !partial) {
      throw usageError(new Error(`deposit: payment ${JSON.stringify(paymentId)} expects ${total} ${payment.currency}, got ${deposited}; the account stays VIRTUAL_ACCOUNT_ISSUED (pass { partial: true } to emulate a PG that reports a short deposit as PAID)`));
    }
    this.markPaid(entry, { ...payment.method, remitterName: payment.method.remitterName ?? payment.customer.name ?? '입금자' }, 'VIRTUAL_ACCOUNT_DEPOSIT', deposited);
    return entry.payment;
  }

  /** An unpaid virtual account past its deadline (or closed by the merchant): FAILED. */
  closeVirtualAccount(entry: PaymentEntry, reason: string): void {
    this.markFailed(entry, { reason });
  }

  armExpiry(paymentId: string): void {
    const entry = this.runtime.state.payments.get(paymentId);
    const method = entry?.payment.method;
    if (entry?.payment.status !== 'VIRTUAL_ACCOUNT_ISSUED' || method?.type !== 'PaymentMethodVirtualAccount' || !method.expiredAt) return;
    // Deposits are accepted up to and including the deadline; the account closes just after it.
    this.runtime.setTimer(`expiry:${paymentId}`, Date.parse(method.expiredAt) + 1, () => {
      const current = this.runtime.state.payments.get(paymentId);
      if (current?.payment.status === 'VIRTUAL_ACCOUNT_ISSUED') this.closeVirtualAccount(current, '가상계좌 입금기한이 만료되었습니다.');
    }, `virtual account of ${paymentId} expires`);
  }

  /** Re-arms every open account's expiry after a restore. */
  rearm(): void {
    for (const id of this.runtime.state.payments.keys()) this.armExpiry(id);
  }
}
