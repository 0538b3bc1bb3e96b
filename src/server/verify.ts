// Pure checks of a PortOne payment against the order the server priced: no I/O, so every tampering
// case is a plain function call in the tests. Also the small readers that turn PortOne's payment
// into the facts an order keeps (pay method, virtual account, failure).
import type { Payment } from '@portone/server-sdk/payment';
import type { Unrecognized } from '@portone/server-sdk';
import type { BillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import { customDataId } from './ids.js';
import type { FailureInfo, FlagInfo, Order, VirtualAccountInfo } from './model.js';

export interface VerificationPolicy {
  storeId: string;
  /** Accept payments made through TEST channels. */
  allowTestChannels: boolean;
  /** The channel the payment must have gone through, when the shop configured one for the order's flow. */
  channelKey?: string | undefined;
  /** Accept `amount.paid` short of the total by exactly `amount.discount` (a promotion). Default false. */
  acceptDiscounts?: boolean | undefined;
}

export interface Mismatch {
  field: string;
  expected: string;
  got: string;
}

export type Verdict = { ok: true } | { ok: false; code: FlagInfo['code']; message: string; mismatches: Mismatch[] };

/** Why a payment is not kept: the order is flagged with this code and message, and the money returned. */
export type Refusal = Exclude<Verdict, { ok: true }>;

/** The fields every known Payment variant has; enough to verify one. */
export type KnownPayment = Exclude<Payment, { readonly status: Unrecognized }>;

const shown = (value: unknown): string => (value === undefined ? 'nothing' : typeof value === 'string' ? JSON.stringify(value) : String(value));

/**
 * Checks what money and identity depend on: store, amount (and, once money was taken, that what was
 * paid covers it), tax-free part, currency, name, order id, billing key, channel and channel type.
 */
export function verifyPayment(order: Order, payment: KnownPayment, policy: VerificationPolicy): Verdict {
  const mismatches: Mismatch[] = [];
  const check = (field: string, expected: unknown, got: unknown) => {
    if (expected !== got) mismatches.push({ field, expected: shown(expected), got: shown(got) });
  };
  check('id', order.paymentId, payment.id);
  check('storeId', policy.storeId, payment.storeId);
  check('amount.total', order.totalAmount, payment.amount?.total);
  if (payment.status === 'PAID' || payment.status === 'PARTIAL_CANCELLED') {
    // A total that matches is not enough: a short deposit into a virtual account is PAID too.
    const paid = payment.amount?.paid;
    const discount = policy.acceptDiscounts ? (payment.amount?.discount ?? 0) : 0;
    if (paid === undefined || paid + discount !== order.totalAmount) {
      const expected = discount > 0 ? `${order.totalAmount - discount} (the total less the discount of ${discount})` : shown(order.totalAmount);
      mismatches.push({ field: 'amount.paid', expected, got: shown(paid) });
    }
  }
  check('amount.taxFree', order.taxFreeAmount ?? 0, payment.amount?.taxFree ?? 0);
  check('currency', order.currency, payment.currency);
  check('orderName', order.orderName, payment.orderName);
  check('customData.orderId', order.orderId, customDataId(payment.customData, 'orderId'));
  if (order.billingKey !== undefined && payment.billingKey !== undefined) check('billingKey', order.billingKey, payment.billingKey);
  // The browser names the channel: a shop that configured one accepts no other.
  if (policy.channelKey !== undefined) check('channel.key', policy.channelKey, payment.channel?.key);
  if (mismatches.length > 0) {
    return {
      ok: false,
      code: 'PAYMENT_MISMATCH',
      mismatches,
      message: `PortOne's payment ${order.paymentId} does not match the order: ${describe(mismatches)}`,
    };
  }
  const channelType = payment.channel?.type;
  if (!policy.allowTestChannels && channelType !== 'LIVE') {
    const mismatch = { field: 'channel.type', expected: '"LIVE"', got: shown(channelType) };
    return {
      ok: false,
      code: 'TEST_CHANNEL_NOT_ALLOWED',
      mismatches: [mismatch],
      message: `payment ${order.paymentId} went through a ${channelType ?? 'unknown'} channel: expected a LIVE channel (set allowTestChannels to accept test payments)`,
    };
  }
  return { ok: true };
}

export const describe = (mismatches: readonly Mismatch[]): string =>
  mismatches.map((m) => `${m.field} expected ${m.expected}, got ${m.got}`).join('; ');

/** PortOne's method types (`PaymentMethodCard`) by the SDK's pay-method names (`CARD`) the orders record. */
const SDK_PAY_METHOD_OF_TYPE: Record<string, string> = {
  PaymentMethodCard: 'CARD',
  PaymentMethodVirtualAccount: 'VIRTUAL_ACCOUNT',
  PaymentMethodTransfer: 'TRANSFER',
  PaymentMethodMobile: 'MOBILE',
  PaymentMethodEasyPay: 'EASY_PAY',
  PaymentMethodGiftCertificate: 'GIFT_CERTIFICATE',
  PaymentMethodConvenienceStore: 'CONVENIENCE_STORE',
  PaymentMethodCrypto: 'CRYPTO',
  PaymentMethodPaypal: 'PAYPAL',
};

export function payMethodOf(payment: KnownPayment): string | undefined {
  const type = (payment as { method?: { type?: unknown } }).method?.type;
  return typeof type === 'string' ? (SDK_PAY_METHOD_OF_TYPE[type] ?? type) : undefined;
}

export function virtualAccountOf(payment: KnownPayment): VirtualAccountInfo | undefined {
  const method = (payment as { method?: Record<string, unknown> }).method;
  if (!method || method.type !== 'PaymentMethodVirtualAccount' || typeof method.accountNumber !== 'string') return undefined;
  const info: VirtualAccountInfo = { accountNumber: method.accountNumber };
  if (typeof method.bank === 'string') info.bank = method.bank;
  if (typeof method.remitteeName === 'string') info.remitteeName = method.remitteeName;
  if (typeof method.expiredAt === 'string') info.expiredAt = method.expiredAt;
  return info;
}

export function failureOf(payment: KnownPayment): FailureInfo | undefined {
  if (payment.status !== 'FAILED') return undefined;
  const failure: FailureInfo = {};
  if (payment.failure?.reason) failure.reason = payment.failure.reason;
  if (payment.failure?.pgCode) failure.pgCode = payment.failure.pgCode;
  if (payment.failure?.pgMessage) failure.pgMessage = payment.failure.pgMessage;
  return failure;
}

/** Succeeded cancellations, oldest first. */
export function cancellationsOf(payment: KnownPayment): { id: string; amount: number; reason: string; cancelledAt?: string }[] {
  const list = (payment as { cancellations?: unknown }).cancellations;
  if (!Array.isArray(list)) return [];
  return list
    .filter((c): c is { status: 'SUCCEEDED'; id: string; totalAmount: number; reason: string; cancelledAt?: string } => c?.status === 'SUCCEEDED')
    .map((c) => ({ id: c.id, amount: c.totalAmount, reason: c.reason, ...(c.cancelledAt ? { cancelledAt: c.cancelledAt } : {}) }));
}

export type KnownBillingKeyInfo = Exclude<BillingKeyInfo, { readonly status: Unrecognized }>;

export interface BillingKeyExpectation {
  storeId: string;
  /** The channel the key must have been issued on, when the shop configured one. */
  channelKey?: string;
  customerId: string;
  /** The issue the key must belong to, when PortOne reports one. */
  issueId?: string;
  allowTestChannels: boolean;
}

export type BillingKeyVerdict = { ok: true } | { ok: false; code: 'BILLING_KEY_NOT_ISSUED' | 'BILLING_KEY_MISMATCH'; message: string; mismatches: Mismatch[] };

/** Masks a billing key for messages: enough to recognise it, not to use it. */
export const maskKey = (key: string): string => (key.length <= 8 ? '****' : `${key.slice(0, 4)}…${key.slice(-4)}`);

/** Checks a billing key PortOne reports against what the kit prepared: issued, same store, channel, customer and issue. */
export function verifyBillingKey(info: KnownBillingKeyInfo, expected: BillingKeyExpectation): BillingKeyVerdict {
  const key = maskKey(info.billingKey);
  if (info.status !== 'ISSUED') {
    const mismatch = { field: 'status', expected: '"ISSUED"', got: shown(info.status) };
    return { ok: false, code: 'BILLING_KEY_NOT_ISSUED', mismatches: [mismatch], message: `billing key ${key}: status expected "ISSUED", got ${shown(info.status)}` };
  }
  const mismatches: Mismatch[] = [];
  const check = (field: string, want: unknown, got: unknown) => {
    if (want !== got) mismatches.push({ field, expected: shown(want), got: shown(got) });
  };
  check('storeId', expected.storeId, info.storeId);
  check('customer.id', expected.customerId, info.customer?.id);
  if (expected.issueId !== undefined && info.issueId !== undefined) check('issueId', expected.issueId, info.issueId);
  const channels = info.channels ?? [];
  if (expected.channelKey !== undefined && !channels.some((c) => c.key === expected.channelKey)) {
    mismatches.push({ field: 'channels[].key', expected: shown(expected.channelKey), got: channels.map((c) => shown(c.key)).join(', ') || 'none' });
  }
  if (!expected.allowTestChannels && (channels.length === 0 || channels.some((c) => c.type !== 'LIVE'))) {
    mismatches.push({ field: 'channels[].type', expected: '"LIVE"', got: channels.map((c) => shown(c.type)).join(', ') || 'none' });
  }
  if (mismatches.length > 0) {
    return { ok: false, code: 'BILLING_KEY_MISMATCH', mismatches, message: `billing key ${key} does not match what was prepared: ${describe(mismatches)}` };
  }
  return { ok: true };
}

/** The masked card number or phone PortOne reports for a key, if any. */
export function billingKeyDisplay(info: KnownBillingKeyInfo): string | undefined {
  for (const method of info.methods ?? []) {
    const m = method as { type?: string; card?: { number?: string }; phoneNumber?: string };
    if (m.card?.number) return m.card.number;
    if (m.phoneNumber) return m.phoneNumber;
  }
  return undefined;
}
