// Payment objects in exactly the shapes of `@portone/server-sdk`'s `Payment` union, and the
// transitions between them. Every builder returns a server-SDK type, so drift fails the typecheck.
import type {
  CancelledPayment,
  FailedPayment,
  PaidPayment,
  PartialCancelledPayment,
  PayPendingPayment,
  PaymentAmount,
  PaymentCancellation,
  PaymentFailure,
  PaymentMethod,
  ReadyPayment,
  SucceededPaymentCancellation,
  VirtualAccountIssuedPayment,
} from '@portone/server-sdk/payment';
import type { Customer, CustomerInput, SelectedChannel } from '@portone/server-sdk/common';
import type { SandboxChannel } from './types.js';
import { iso } from './ids.js';

/** The `Payment` variants the sandbox produces (the SDK union also has an "unrecognized" arm). */
export type KnownPayment =
  | ReadyPayment
  | PayPendingPayment
  | VirtualAccountIssuedPayment
  | PaidPayment
  | FailedPayment
  | PartialCancelledPayment
  | CancelledPayment;

/** Statuses after which a payment id is taken: no window, API payment or schedule may pay it again. */
export const SETTLED_STATUSES: ReadonlySet<string> = new Set(['PAID', 'PARTIAL_CANCELLED', 'CANCELLED', 'VIRTUAL_ACCOUNT_ISSUED', 'PAY_PENDING']);

/** Fields every variant has (READY's optional `channel` included). */
export type PaymentCommon = Omit<ReadyPayment, 'status'>;

const COMMON_KEYS = [
  'id', 'transactionId', 'merchantId', 'storeId', 'method', 'channel', 'channelGroup', 'version',
  'scheduleId', 'billingKey', 'webhooks', 'requestedAt', 'updatedAt', 'statusChangedAt', 'orderName',
  'amount', 'currency', 'customer', 'promotionId', 'isCulturalExpense', 'escrow', 'products',
  'productCount', 'customData', 'country',
] as const satisfies readonly (keyof PaymentCommon)[];

/** The common part of any variant, without status-specific fields. */
export function commonOf(payment: KnownPayment): PaymentCommon {
  const out: Record<string, unknown> = {};
  for (const key of COMMON_KEYS) if (payment[key] !== undefined) out[key] = payment[key];
  return out as PaymentCommon;
}

export function selectedChannel(channel: SandboxChannel): SelectedChannel {
  return {
    type: channel.type,
    id: `channel-id-${channel.key.replace(/^channel-key-/, '')}`,
    key: channel.key,
    name: channel.name,
    pgProvider: channel.pgProvider,
    pgMerchantId: channel.pgMerchantId,
  };
}

/** VAT PortOne computes when none is given: 1/11 of the taxable part, rounded. */
export const defaultVat = (total: number, taxFree: number): number => Math.round((total - taxFree) / 11);

export function newAmount(total: number, taxFree = 0, vat?: number): PaymentAmount {
  const v = vat ?? defaultVat(total, taxFree);
  return { total, taxFree, vat: v, supply: total - taxFree - v, discount: 0, paid: 0, cancelled: 0, cancelledTaxFree: 0 };
}

/** Response `Customer` from an input one (REST `CustomerInput`). */
export function customerFromInput(input: CustomerInput | undefined): Customer {
  if (!input) return {};
  const name = input.name?.full ?? (input.name?.separated ? `${input.name.separated.last} ${input.name.separated.first}` : undefined);
  const out: Customer = {};
  if (input.id !== undefined) out.id = input.id;
  if (name !== undefined) out.name = name;
  if (input.birthYear !== undefined) out.birthYear = input.birthYear;
  if (input.birthMonth !== undefined) out.birthMonth = input.birthMonth;
  if (input.birthDay !== undefined) out.birthDay = input.birthDay;
  if (input.gender !== undefined) out.gender = input.gender;
  if (input.email !== undefined) out.email = input.email;
  if (input.phoneNumber !== undefined) out.phoneNumber = input.phoneNumber;
  if (input.zipcode !== undefined) out.zipcode = input.zipcode;
  if (input.address) {
    const { addressLine1, addressLine2, city, province, country } = input.address;
    out.address = { type: 'SEPARATED', oneLine: `${addressLine1} ${addressLine2}`.trim(), addressLine1, addressLine2, ...(city ? { city } : {}), ...(province ? { province } : {}), ...(country ? { country } : {}) };
  }
  return out;
}

export function ready(common: PaymentCommon): ReadyPayment {
  return { status: 'READY', ...common };
}

export function paid(payment: KnownPayment, at: number, fields: { method: PaymentMethod; pgTxId: string; receiptUrl: string; paidAmount?: number }): PaidPayment {
  const common = commonOf(payment);
  if (!common.channel) throw new Error(`payment ${payment.id} has no channel and cannot be paid`);
  return {
    ...common,
    channel: common.channel,
    status: 'PAID',
    method: fields.method,
    amount: { ...common.amount, paid: fields.paidAmount ?? common.amount.total },
    updatedAt: iso(at),
    statusChangedAt: iso(at),
    paidAt: iso(at),
    pgTxId: fields.pgTxId,
    pgResponse: JSON.stringify({ resultCode: '0000', resultMsg: '정상처리되었습니다.', tid: fields.pgTxId }),
    receiptUrl: fields.receiptUrl,
    disputes: [],
  };
}

export function virtualAccountIssued(payment: KnownPayment, at: number, fields: { method: PaymentMethod; pgTxId: string }): VirtualAccountIssuedPayment {
  const common = commonOf(payment);
  if (!common.channel) throw new Error(`payment ${payment.id} has no channel`);
  return { ...common, channel: common.channel, status: 'VIRTUAL_ACCOUNT_ISSUED', method: fields.method, pgTxId: fields.pgTxId, updatedAt: iso(at), statusChangedAt: iso(at) };
}

export function failed(payment: KnownPayment, at: number, failure: PaymentFailure, method?: PaymentMethod): FailedPayment {
  const common = commonOf(payment);
  return { ...common, ...(method ? { method } : {}), status: 'FAILED', updatedAt: iso(at), statusChangedAt: iso(at), failedAt: iso(at), failure };
}

/** Applies a succeeded cancellation: PARTIAL_CANCELLED while money remains, CANCELLED at zero. */
export function withCancellation(payment: PaidPayment | PartialCancelledPayment, cancellation: SucceededPaymentCancellation, at: number): PartialCancelledPayment | CancelledPayment {
  const common = commonOf(payment);
  const amount: PaymentAmount = {
    ...common.amount,
    cancelled: common.amount.cancelled + cancellation.totalAmount,
    cancelledTaxFree: common.amount.cancelledTaxFree + cancellation.taxFreeAmount,
  };
  const cancellations: PaymentCancellation[] = [...(payment.cancellations ?? []), cancellation];
  const shared = {
    ...common,
    channel: payment.channel,
    amount,
    updatedAt: iso(at),
    statusChangedAt: iso(at),
    paidAt: payment.paidAt,
    ...(payment.pgTxId ? { pgTxId: payment.pgTxId } : {}),
    ...(payment.cashReceipt ? { cashReceipt: payment.cashReceipt } : {}),
    ...(payment.receiptUrl ? { receiptUrl: payment.receiptUrl } : {}),
    cancellations,
    cancelledAt: iso(at),
  };
  return amount.cancelled >= amount.paid ? { ...shared, status: 'CANCELLED' } : { ...shared, status: 'PARTIAL_CANCELLED' };
}

/** Money still refundable: what was paid minus what was cancelled. */
export const cancellableAmount = (payment: KnownPayment): number => payment.amount.paid - payment.amount.cancelled;
