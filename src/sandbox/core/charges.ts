// Server-side charges and schedules: how a charge on a card goes (a scripted outcome, else the
// test-card table), charging a billing key (API payments and due schedules alike), and running
// schedules at `timeToPay` on the sandbox clock.
import type { Customer, CustomerInput } from '@portone/server-sdk/common';
import type { PaymentMethod, PaymentMethodCard } from '@portone/server-sdk/payment';
import type { BillingKeyPaymentMethod } from '@portone/server-sdk/payment/billingKey';
import { ApiError, pgProviderError } from '../errors.js';
import { approvalNumber, iso, uuidv7 } from '../ids.js';
import { cardCompany, cardFields, declineFor, TEST_CARDS, type Decline } from '../catalog.js';
import { customerFromInput, SETTLED_STATUSES, type KnownPayment } from '../payments.js';
import type { SandboxChannel } from '../types.js';
import type { Ledger } from './ledger.js';
import type { Runtime } from './runtime.js';
import type { BillingKeyEntry, ScheduleEntry } from './state.js';

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

export class Charges {
  constructor(
    private readonly runtime: Runtime,
    private readonly ledger: Ledger,
  ) {}

  /** How the next charge on this card goes: a queued outcome first, then the test-card table. */
  decideCharge(cardNumber: string | undefined, method = 'CARD'): Decline | undefined {
    const queued = this.runtime.chargeOutcomes.shift();
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
    const entry = this.ledger.startAttempt(charge.paymentId, {
      txId: uuidv7(this.runtime.now()),
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
      this.ledger.markFailed(entry, { reason: decline.pgMessage, ...decline }, method);
      throw pgProviderError(decline.pgCode, decline.pgMessage);
    }
    this.ledger.markPaid(entry, method);
    const payment = entry.payment as KnownPayment & { pgTxId: string; paidAt: string };
    return { pgTxId: payment.pgTxId, paidAt: payment.paidAt };
  }

  armSchedule(entry: ScheduleEntry): void {
    if (entry.schedule.status !== 'SCHEDULED') return;
    const id = entry.schedule.id;
    this.runtime.setTimer(`schedule:${id}`, Date.parse(entry.schedule.timeToPay), () => this.runSchedule(id), `scheduled payment ${entry.schedule.paymentId}`);
  }

  disarmSchedule(id: string): void {
    this.runtime.cancelTimer(`schedule:${id}`);
  }

  /** Re-arms every pending schedule after a restore. */
  rearm(): void {
    for (const entry of this.runtime.state.schedules.values()) this.armSchedule(entry);
  }

  /** Runs a due schedule: STARTED, then the billing-key charge, then SUCCEEDED or FAILED. */
  runSchedule(id: string): void {
    const { runtime } = this;
    const entry = runtime.state.schedules.get(id);
    if (!entry || entry.schedule.status !== 'SCHEDULED') return;
    const startedAt = iso(runtime.now());
    const { status: _scheduled, ...rest } = entry.schedule;
    entry.schedule = { ...rest, status: 'STARTED', startedAt };
    const input = entry.input;
    const key = runtime.state.billingKeys.get(input.billingKey);
    const existing = runtime.state.payments.get(entry.schedule.paymentId);
    let ok = false;
    try {
      if (existing && SETTLED_STATUSES.has(existing.payment.status)) {
        // Paid some other way since it was scheduled: never charge twice.
        runtime.log(`schedule ${id}: payment ${entry.schedule.paymentId} is already ${existing.payment.status}; not charged`);
      } else if (!key || key.status !== 'ISSUED' || !key.info) {
        const reason = key?.status === 'DELETED' ? '빌링키가 삭제되었습니다.' : '빌링키를 찾을 수 없습니다.';
        if (existing) this.ledger.markFailed(existing, { reason });
      } else {
        const channel = runtime.channel(input.channelKey) ?? runtime.channel(key.info.channels[0]?.key)!;
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
    const completedAt = iso(runtime.now());
    entry.schedule = { ...rest, status: ok ? 'SUCCEEDED' : 'FAILED', startedAt, completedAt };
    runtime.persist();
  }
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
