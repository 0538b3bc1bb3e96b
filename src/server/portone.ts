// A thin wrapper over @portone/server-sdk: the calls the kit makes, each with a timeout, and PortOne's
// failures sorted by what the kit can do about them — a definitive answer (`PortOneRejection`, by
// PortOne's error `type`) or "PortOne is unavailable, try again later" (a 503 CheckoutError).
import { PortOneClient, RestError } from '@portone/server-sdk';
import type { Currency } from '@portone/server-sdk/common';
import type { Payment, CancelPaymentResponse, PayWithBillingKeyResponse } from '@portone/server-sdk/payment';
import type { BillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import type { IdentityVerification } from '@portone/server-sdk/identityVerification';
import type { CustomerInput } from '@portone/server-sdk/common';
import { CheckoutError } from './errors.js';

/**
 * Error `type`s PortOne documents as definitive answers (4xx and the PG's own refusals). Anything
 * else — an unknown type, which is what a 5xx carries, a body that is not JSON, a network error —
 * means PortOne could not answer and the request may be retried.
 */
const DEFINITIVE_TYPES = new Set([
  'INVALID_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'PAYMENT_NOT_FOUND',
  'BILLING_KEY_NOT_FOUND',
  'BILLING_KEY_NOT_ISSUED',
  'CHANNEL_NOT_FOUND',
  'PAYMENT_SCHEDULE_NOT_FOUND',
  'WEBHOOK_NOT_FOUND',
  'ALREADY_PAID',
  'ALREADY_PAID_OR_WAITING',
  'BILLING_KEY_ALREADY_DELETED',
  'BILLING_KEY_ALREADY_ISSUED',
  'INFORMATION_MISMATCH',
  'PAYMENT_NOT_PAID',
  'PAYMENT_ALREADY_CANCELLED',
  'PAYMENT_NOT_WAITING_FOR_DEPOSIT',
  'PAYMENT_SCHEDULE_ALREADY_EXISTS',
  'PAYMENT_SCHEDULE_ALREADY_PROCESSED',
  'PAYMENT_SCHEDULE_ALREADY_REVOKED',
  'PAYMENT_CANCELLATION_NOT_PENDING',
  'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN',
  'CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT',
  'CANCEL_TAX_AMOUNT_EXCEEDS_CANCELLABLE_TAX_AMOUNT',
  'CANCEL_TAX_FREE_AMOUNT_EXCEEDS_CANCELLABLE_TAX_FREE_AMOUNT',
  'SUM_OF_PARTS_EXCEEDS_CANCEL_AMOUNT',
  'SUM_OF_PARTS_EXCEEDS_TOTAL_AMOUNT',
  'MAX_CANCEL_COUNT_REACHED',
  'INVALID_PAYMENT_TOKEN',
  'IDENTITY_VERIFICATION_NOT_FOUND',
  'DISCOUNT_AMOUNT_EXCEEDS_TOTAL_AMOUNT',
  'MAX_TRANSACTION_COUNT_REACHED',
  'MAX_WEBHOOK_RETRY_COUNT_REACHED',
  'NEGATIVE_PROMOTION_ADJUSTED_CANCEL_AMOUNT',
  'PROMOTION_DISCOUNT_RETAIN_OPTION_SHOULD_NOT_BE_CHANGED',
  'PROMOTION_PAY_METHOD_DOES_NOT_MATCH',
  'PG_PROVIDER',
  'CHANNEL_SPECIFIC',
]);

/** PortOne gave a definitive answer to `operation`: its error `type` says which. */
export class PortOneRejection extends Error {
  readonly type: string;
  readonly operation: string;
  readonly pgCode: string | undefined;
  readonly pgMessage: string | undefined;

  constructor(operation: string, data: { type: string; message?: string; pgCode?: string; pgMessage?: string }) {
    const detail = data.pgMessage ? `${data.pgMessage}${data.pgCode ? ` (${data.pgCode})` : ''}` : data.message;
    super(`PortOne answered ${operation} with ${data.type}${detail ? `: ${detail}` : ''}`);
    this.name = 'PortOneRejection';
    this.type = data.type;
    this.operation = operation;
    this.pgCode = data.pgCode;
    this.pgMessage = data.pgMessage;
  }
}

/**
 * A definitive PortOne answer the caller has no specific meaning for: PortOne refused the kit's
 * request, a configuration problem on the server (502 PORTONE_REJECTED). Anything else passes as is.
 */
export function rejected(error: unknown): unknown {
  return error instanceof PortOneRejection ? new CheckoutError('PORTONE_REJECTED', error.message, { cause: error }) : error;
}

export interface PortOneGatewayOptions {
  apiSecret: string;
  storeId: string;
  baseUrl?: string;
  /** Per call, ms. Default 10 000. */
  timeoutMs?: number;
  /** What a 503 advises. Default 3. */
  retryAfterSeconds?: number;
}

/** Where a deposited virtual-account payment is refunded to (the shopper's bank account). */
export interface RefundAccount {
  /** PortOne's REST bank code, e.g. `SHINHAN`. */
  bank: string;
  number: string;
  holderName: string;
  holderPhoneNumber?: string;
}

export interface BillingKeyCharge {
  paymentId: string;
  billingKey: string;
  channelKey?: string;
  orderName: string;
  amount: number;
  taxFreeAmount?: number;
  currency: Currency;
  customerId: string;
  customData: string;
  noticeUrls?: string[];
}

export interface PortOneGateway {
  getPayment(paymentId: string): Promise<Payment>;
  preRegister(input: { paymentId: string; totalAmount: number; taxFreeAmount?: number; currency: Currency }): Promise<void>;
  cancel(input: { paymentId: string; amount?: number; reason: string; currentCancellableAmount?: number; refundAccount?: RefundAccount }): Promise<CancelPaymentResponse>;
  closeVirtualAccount(paymentId: string): Promise<void>;
  getBillingKey(billingKey: string): Promise<BillingKeyInfo>;
  payWithBillingKey(charge: BillingKeyCharge): Promise<PayWithBillingKeyResponse>;
  schedule(charge: BillingKeyCharge, timeToPay: string): Promise<{ scheduleId: string }>;
  revokeSchedules(input: { scheduleIds: string[] }): Promise<void>;
  /** Manual approval: takes the money of a window that answered with `paymentToken`; the rest are PortOne's cross-checks. */
  confirmPayment(input: { paymentId: string; paymentToken: string; totalAmount: number; currency: Currency; taxFreeAmount?: number; isTest?: boolean }): Promise<void>;
  /** Manual approval of a billing key: issues the key of a window that answered with `billingIssueToken`. */
  confirmBillingKey(input: { billingIssueToken: string; isTest?: boolean }): Promise<{ billingKey: string }>;
  /** Manual approval of issue-and-pay: the key and the first payment together. */
  confirmBillingKeyIssueAndPay(input: { billingIssueToken: string; paymentId: string; totalAmount: number; currency: Currency; taxFreeAmount?: number; isTest?: boolean }): Promise<{ billingKey: string }>;
  getIdentityVerification(identityVerificationId: string): Promise<IdentityVerification>;
}

class PortOneTimeout extends Error {}

export function createPortOneGateway(options: PortOneGatewayOptions): PortOneGateway {
  const client = PortOneClient({ secret: options.apiSecret, storeId: options.storeId, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retryAfterSeconds = options.retryAfterSeconds ?? 3;
  const storeId = options.storeId;

  /** Runs one SDK call with the timeout, translating every failure. */
  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const pending = run();
    // The SDK takes no AbortSignal: a call that times out keeps running, so its late failure must not go unhandled.
    pending.catch(() => {});
    try {
      return await Promise.race([
        pending,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new PortOneTimeout()), timeoutMs);
        }),
      ]);
    } catch (error) {
      throw translate(operation, error);
    } finally {
      clearTimeout(timer);
    }
  }

  function translate(operation: string, error: unknown): Error {
    if (error instanceof RestError) {
      const data = error.data as { type?: unknown; message?: unknown; pgCode?: unknown; pgMessage?: unknown };
      const type = typeof data?.type === 'string' ? data.type : 'UNKNOWN';
      if (type === 'UNAUTHORIZED' || type === 'FORBIDDEN') {
        return new CheckoutError(
          'PORTONE_REJECTED',
          `PortOne refused the kit's credentials for ${operation} (${type}); expected options.portone.apiSecret to be a valid V2 API secret for store ${storeId}`,
        );
      }
      if (DEFINITIVE_TYPES.has(type)) {
        return new PortOneRejection(operation, {
          type,
          ...(typeof data.message === 'string' ? { message: data.message } : {}),
          ...(typeof data.pgCode === 'string' ? { pgCode: data.pgCode } : {}),
          ...(typeof data.pgMessage === 'string' ? { pgMessage: data.pgMessage } : {}),
        });
      }
      return unavailable(operation, `it answered with error type ${type}`);
    }
    if (error instanceof PortOneTimeout) return unavailable(operation, `it did not answer within ${timeoutMs} ms`);
    if (error instanceof SyntaxError) return unavailable(operation, 'its answer was not JSON');
    if (error instanceof TypeError) return unavailable(operation, 'it could not be reached');
    return unavailable(operation, 'the call failed unexpectedly');
  }

  const unavailable = (operation: string, why: string) =>
    new CheckoutError('PORTONE_UNAVAILABLE', `PortOne is unavailable for ${operation}: ${why}; retry after ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });

  const billingKeyInput = (charge: BillingKeyCharge) => ({
    storeId,
    billingKey: charge.billingKey,
    ...(charge.channelKey ? { channelKey: charge.channelKey } : {}),
    orderName: charge.orderName,
    customer: { id: charge.customerId },
    customData: charge.customData,
    amount: { total: charge.amount, ...(charge.taxFreeAmount ? { taxFree: charge.taxFreeAmount } : {}) },
    currency: charge.currency,
    ...(charge.noticeUrls?.length ? { noticeUrls: charge.noticeUrls } : {}),
  });

  return {
    getPayment: (paymentId) => call('GET /payments/{paymentId}', () => client.payment.getPayment({ paymentId, storeId })),
    preRegister: async (input) => {
      await call('POST /payments/{paymentId}/pre-register', () =>
        client.payment.preRegisterPayment({
          paymentId: input.paymentId,
          storeId,
          totalAmount: input.totalAmount,
          currency: input.currency,
          ...(input.taxFreeAmount ? { taxFreeAmount: input.taxFreeAmount } : {}),
        }),
      );
    },
    cancel: (input) =>
      call('POST /payments/{paymentId}/cancel', () =>
        client.payment.cancelPayment({
          paymentId: input.paymentId,
          storeId,
          reason: input.reason,
          ...(input.amount !== undefined ? { amount: input.amount } : {}),
          ...(input.currentCancellableAmount !== undefined ? { currentCancellableAmount: input.currentCancellableAmount } : {}),
          ...(input.refundAccount ? { refundAccount: input.refundAccount as Parameters<typeof client.payment.cancelPayment>[0]['refundAccount'] } : {}),
        }),
      ),
    closeVirtualAccount: async (paymentId) => {
      await call('POST /payments/{paymentId}/virtual-account/close', () => client.payment.closeVirtualAccount({ paymentId, storeId }));
    },
    getBillingKey: (billingKey) =>
      call('GET /billing-keys/{billingKey}', () => client.payment.billingKey.getBillingKeyInfo({ billingKey, storeId })),
    payWithBillingKey: (charge) =>
      call('POST /payments/{paymentId}/billing-key', () => client.payment.payWithBillingKey({ paymentId: charge.paymentId, ...billingKeyInput(charge) })),
    schedule: async (charge, timeToPay) => {
      const answer = await call('POST /payments/{paymentId}/schedule', () =>
        client.payment.paymentSchedule.createPaymentSchedule({
          paymentId: charge.paymentId,
          payment: billingKeyInput(charge) as Parameters<typeof client.payment.paymentSchedule.createPaymentSchedule>[0]['payment'],
          timeToPay,
        }),
      );
      return { scheduleId: answer.schedule.id };
    },
    confirmPayment: async (input) => {
      await call('POST /payments/{paymentId}/confirm', () => client.payment.confirmPayment({ storeId, ...input }));
    },
    confirmBillingKey: async (input) => {
      const answer = await call('POST /billing-keys/confirm', () => client.payment.billingKey.confirmBillingKey({ storeId, ...input }));
      return { billingKey: answer.billingKey };
    },
    confirmBillingKeyIssueAndPay: async (input) => {
      const answer = await call('POST /billing-keys/confirm-issue-and-pay', () => client.payment.billingKey.confirmBillingKeyIssueAndPay({ storeId, ...input }));
      return { billingKey: answer.billingKey };
    },
    getIdentityVerification: (identityVerificationId) =>
      call('GET /identity-verifications/{identityVerificationId}', () => client.identityVerification.getIdentityVerification({ identityVerificationId, storeId })),
    revokeSchedules: async (input) => {
      await call('DELETE /payment-schedules', () => client.payment.paymentSchedule.revokePaymentSchedules({ storeId, scheduleIds: input.scheduleIds }));
    },
  };
}

export type { Payment, BillingKeyInfo, CustomerInput };
