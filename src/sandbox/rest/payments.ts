// Payment endpoints: read, list, pre-register, cancel, confirm (manual approval), virtual-account
// close, webhook resend. Server-side payments (instant, billing key) are in charges.ts.
import type {
  CancelPaymentResponse,
  CloseVirtualAccountResponse,
  ConfirmedPaymentSummary,
  PaymentMethodVirtualAccount,
  PreRegisterPaymentResponse,
  ResendWebhookResponse,
  SucceededPaymentCancellation,
} from '@portone/server-sdk/payment';
import { APPROVAL_EXPIRED_DECLINE, BANKS } from '../catalog.js';
import type { PaymentEntry } from '../core/state.js';
import { ApiError, pgProviderError } from '../errors.js';
import { digits, iso, uuidv7 } from '../ids.js';
import * as input from '../input.js';
import { cancellableAmount, defaultVat, SETTLED_STATUSES, withCancellation, type KnownPayment } from '../payments.js';
import { RawJson, read, type RestContext } from './context.js';

export function getPayment(ctx: RestContext): RawJson {
  const { runtime, ledger } = ctx.core;
  runtime.checkStore(ctx.query.get('storeId') ?? undefined);
  const body = runtime.state.paymentBody(ctx.params[0]!);
  if (body === undefined) ledger.requirePayment(ctx.params[0]!);
  return new RawJson(body!);
}

/** `POST /payments/{id}/pre-register`: the amount a later window payment must match. */
export function preRegister(ctx: RestContext): PreRegisterPaymentResponse {
  const { runtime } = ctx.core;
  const paymentId = ctx.params[0]!;
  const body = read(() => ({
    storeId: input.optString(ctx.body.storeId, 'storeId'),
    totalAmount: input.optInteger(ctx.body.totalAmount, 'totalAmount', { min: 1 }),
    taxFreeAmount: input.optInteger(ctx.body.taxFreeAmount, 'taxFreeAmount', { min: 0 }),
    currency: input.optString(ctx.body.currency, 'currency'),
  }));
  runtime.checkStore(body.storeId);
  const existing = runtime.state.payments.get(paymentId);
  if (existing && SETTLED_STATUSES.has(existing.payment.status)) {
    throw new ApiError('ALREADY_PAID', `Payment ${JSON.stringify(paymentId)} is already ${existing.payment.status}; it cannot be pre-registered again.`);
  }
  runtime.state.preRegistrations.set(paymentId, {
    ...(body.totalAmount !== undefined ? { totalAmount: body.totalAmount } : {}),
    ...(body.taxFreeAmount !== undefined ? { taxFreeAmount: body.taxFreeAmount } : {}),
    ...(body.currency !== undefined ? { currency: body.currency } : {}),
  });
  runtime.persist();
  return {};
}

/** `POST /payments/{id}/cancel`: full or partial, never beyond what remains. */
export function cancelPayment(ctx: RestContext): CancelPaymentResponse {
  const { runtime, ledger, emitter } = ctx.core;
  const body = read(() => ({
    storeId: input.optString(ctx.body.storeId, 'storeId'),
    amount: input.optInteger(ctx.body.amount, 'amount', { min: 1 }),
    taxFreeAmount: input.optInteger(ctx.body.taxFreeAmount, 'taxFreeAmount', { min: 0 }),
    vatAmount: input.optInteger(ctx.body.vatAmount, 'vatAmount', { min: 0 }),
    reason: input.string(ctx.body.reason, 'reason'),
    requester: input.optOneOf(ctx.body.requester, 'requester', ['CUSTOMER', 'ADMIN']),
    currentCancellableAmount: input.optInteger(ctx.body.currentCancellableAmount, 'currentCancellableAmount', { min: 0 }),
    refundAccount: input.optObject(ctx.body.refundAccount, 'refundAccount'),
    skipWebhook: input.optBoolean(ctx.body.skipWebhook, 'skipWebhook'),
  }));
  runtime.checkStore(body.storeId);
  const entry = ledger.requirePayment(ctx.params[0]!);
  const { payment } = entry;
  if (payment.status === 'CANCELLED') throw new ApiError('PAYMENT_ALREADY_CANCELLED', `Payment ${JSON.stringify(payment.id)} is already fully cancelled.`);
  if (payment.status !== 'PAID' && payment.status !== 'PARTIAL_CANCELLED') {
    throw new ApiError('PAYMENT_NOT_PAID', `Payment ${JSON.stringify(payment.id)} is ${payment.status}; only PAID or PARTIAL_CANCELLED payments can be cancelled${payment.status === 'VIRTUAL_ACCOUNT_ISSUED' ? ' (close an unpaid virtual account with /virtual-account/close)' : ''}.`);
  }
  const cancellable = cancellableAmount(payment);
  if (body.currentCancellableAmount !== undefined && body.currentCancellableAmount !== cancellable) {
    throw new ApiError('CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN', `currentCancellableAmount is ${body.currentCancellableAmount}, but ${cancellable} remains cancellable.`);
  }
  const amount = body.amount ?? cancellable;
  if (amount > cancellable) {
    throw new ApiError('CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT', `Cancel amount ${amount} exceeds the cancellable amount ${cancellable}.`);
  }
  const remainingTaxFree = payment.amount.taxFree - payment.amount.cancelledTaxFree;
  const isFull = amount === cancellable;
  const taxFree = body.taxFreeAmount ?? (isFull ? remainingTaxFree : 0);
  if (taxFree > remainingTaxFree) {
    throw new ApiError('CANCEL_TAX_FREE_AMOUNT_EXCEEDS_CANCELLABLE_TAX_FREE_AMOUNT', `taxFreeAmount ${taxFree} exceeds the cancellable tax-free amount ${remainingTaxFree}.`);
  }
  const vat = body.vatAmount ?? defaultVat(amount, taxFree);
  if (taxFree + vat > amount) throw new ApiError('SUM_OF_PARTS_EXCEEDS_CANCEL_AMOUNT', `taxFreeAmount ${taxFree} + vatAmount ${vat} exceeds the cancel amount ${amount}.`);
  const remainingTaxable = cancellable - remainingTaxFree;
  if (amount - taxFree > remainingTaxable) {
    throw new ApiError('CANCEL_TAX_AMOUNT_EXCEEDS_CANCELLABLE_TAX_AMOUNT', `The taxable part ${amount - taxFree} exceeds the cancellable taxable amount ${remainingTaxable}.`);
  }
  const method = payment.method;
  if (method?.type === 'PaymentMethodMobile' && !isFull) {
    throw pgProviderError('M301', '휴대폰 결제는 부분취소를 지원하지 않습니다.');
  }
  let refundMethod: PaymentMethodVirtualAccount | undefined;
  if (method?.type === 'PaymentMethodVirtualAccount') {
    const account = body.refundAccount;
    if (!account) throw new ApiError('INVALID_REQUEST', '`refundAccount`: a deposited virtual-account payment is refunded to a bank account; expected { bank, number, holderName }, got nothing.');
    read(() => {
      input.oneOf(account.bank, 'refundAccount.bank', BANKS.map((b) => b.code));
      if (!/^\d{6,20}$/.test(input.string(account.number, 'refundAccount.number'))) throw new input.InputError(`\`refundAccount.number\`: expected 6 to 20 digits, got ${input.describe(account.number)}`);
      input.string(account.holderName, 'refundAccount.holderName');
    });
    refundMethod = { ...method, refundStatus: 'COMPLETED' };
  }
  const at = runtime.now();
  const cancellation: SucceededPaymentCancellation = {
    status: 'SUCCEEDED',
    id: uuidv7(at),
    pgCancellationId: `${'pgTxId' in payment ? payment.pgTxId : payment.transactionId}-C${digits(4)}`,
    totalAmount: amount,
    taxFreeAmount: taxFree,
    vatAmount: vat,
    reason: body.reason,
    cancelledAt: iso(at),
    requestedAt: iso(at),
    receiptUrl: ledger.receiptUrl(payment.id),
    trigger: 'API',
  };
  const next = withCancellation(payment, cancellation, at);
  ledger.update(entry, refundMethod ? { ...next, method: refundMethod } : next);
  if (!body.skipWebhook) {
    emitter.emitPayment(next.status === 'CANCELLED' ? 'Transaction.Cancelled' : 'Transaction.PartialCancelled', entry, { cancellationId: cancellation.id });
  }
  return { cancellation };
}

/** The failure a manual approval confirmed after `expiresAt` leaves on the payment (and its key). */
export function approvalExpired(expiresAt: number): { reason: string; pgCode: string; pgMessage: string } {
  return {
    reason: `수동 승인 가능 시간(${iso(expiresAt)}까지)이 지나 KG이니시스가 승인을 거절했습니다.`,
    pgCode: APPROVAL_EXPIRED_DECLINE.pgCode,
    pgMessage: APPROVAL_EXPIRED_DECLINE.pgMessage,
  };
}

/**
 * `POST /payments/{id}/confirm`: completes a manually approved window payment, if it comes within
 * `manualApprovalTtlMs` of the window; a later one fails the payment (`PG_PROVIDER`).
 */
export function confirmPayment(ctx: RestContext): ConfirmedPaymentSummary {
  const { runtime, ledger } = ctx.core;
  const body = read(() => ({
    storeId: input.optString(ctx.body.storeId, 'storeId'),
    paymentToken: input.string(ctx.body.paymentToken, 'paymentToken'),
    txId: input.optString(ctx.body.txId, 'txId'),
    currency: input.optString(ctx.body.currency, 'currency'),
    totalAmount: input.optInteger(ctx.body.totalAmount, 'totalAmount', { min: 0 }),
    taxFreeAmount: input.optInteger(ctx.body.taxFreeAmount, 'taxFreeAmount', { min: 0 }),
    isTest: input.optBoolean(ctx.body.isTest, 'isTest'),
  }));
  runtime.checkStore(body.storeId);
  const entry = ledger.requirePayment(ctx.params[0]!);
  const { payment } = entry;
  if (SETTLED_STATUSES.has(payment.status)) throw new ApiError('ALREADY_PAID', `Payment ${JSON.stringify(payment.id)} is already ${payment.status}.`);
  const pending = entry.pendingConfirm;
  if (!pending || pending.paymentToken !== body.paymentToken || pending.txId !== payment.transactionId) {
    throw new ApiError('INVALID_PAYMENT_TOKEN', `paymentToken does not belong to the current attempt of payment ${JSON.stringify(payment.id)}.`);
  }
  const mismatches = [
    body.txId !== undefined && body.txId !== payment.transactionId ? `txId ${body.txId} ≠ ${payment.transactionId}` : undefined,
    body.currency !== undefined && body.currency !== payment.currency ? `currency ${body.currency} ≠ ${payment.currency}` : undefined,
    body.totalAmount !== undefined && body.totalAmount !== payment.amount.total ? `totalAmount ${body.totalAmount} ≠ ${payment.amount.total}` : undefined,
    body.taxFreeAmount !== undefined && body.taxFreeAmount !== payment.amount.taxFree ? `taxFreeAmount ${body.taxFreeAmount} ≠ ${payment.amount.taxFree}` : undefined,
    body.isTest !== undefined && body.isTest !== (payment.channel?.type === 'TEST') ? `isTest ${body.isTest} ≠ ${payment.channel?.type === 'TEST'}` : undefined,
  ].filter(Boolean);
  if (mismatches.length > 0) throw new ApiError('INFORMATION_MISMATCH', `The confirmation does not match the payment: ${mismatches.join('; ')}.`);
  delete entry.pendingConfirm;
  if (pending.expiresAt !== undefined && runtime.now() > pending.expiresAt) {
    // PortOne asks KG Inicis to approve, which refuses: the attempt fails like a decline would.
    ledger.markFailed(entry, approvalExpired(pending.expiresAt), pending.method);
    throw pgProviderError(APPROVAL_EXPIRED_DECLINE.pgCode, APPROVAL_EXPIRED_DECLINE.pgMessage);
  }
  if (pending.method.type === 'PaymentMethodVirtualAccount') ledger.issueVirtualAccount(entry, pending.method);
  else ledger.markPaid(entry, pending.method);
  const p = entry.payment as KnownPayment & { pgTxId: string; paidAt?: string };
  return { pgTxId: p.pgTxId, paidAt: p.paidAt ?? iso(runtime.now()) };
}

/** `POST /payments/{id}/virtual-account/close`: closes an unpaid account (the payment fails). */
export function closeVirtualAccount(ctx: RestContext): CloseVirtualAccountResponse {
  const { runtime, ledger } = ctx.core;
  runtime.checkStore(ctx.query.get('storeId') ?? undefined);
  const entry = ledger.requirePayment(ctx.params[0]!);
  if (entry.payment.status !== 'VIRTUAL_ACCOUNT_ISSUED') {
    throw new ApiError('PAYMENT_NOT_WAITING_FOR_DEPOSIT', `Payment ${JSON.stringify(entry.payment.id)} is ${entry.payment.status}, not waiting for a deposit.`);
  }
  ledger.closeVirtualAccount(entry, '가맹점 요청으로 가상계좌가 말소되었습니다.');
  return { closedAt: iso(runtime.now()) };
}

/** Manual re-sends allowed per original webhook before MAX_WEBHOOK_RETRY_COUNT_REACHED. */
export const MAX_MANUAL_RESENDS = 5;

/** `POST /payments/{id}/resend-webhook`: the given (or latest) webhook again, as a new MANUAL one. */
export function resendWebhook(ctx: RestContext): ResendWebhookResponse {
  const { runtime, ledger, emitter } = ctx.core;
  const body = read(() => ({ storeId: input.optString(ctx.body.storeId, 'storeId'), webhookId: input.optString(ctx.body.webhookId, 'webhookId') }));
  runtime.checkStore(body.storeId);
  const entry: PaymentEntry = ledger.requirePayment(ctx.params[0]!);
  const webhooks = entry.payment.webhooks ?? [];
  // Without `webhookId`, PortOne resends the payment's most recent webhook (a manual resend included).
  const original = body.webhookId ? webhooks.find((w) => w.id === body.webhookId) : webhooks.at(-1);
  if (!original) {
    throw new ApiError('WEBHOOK_NOT_FOUND', body.webhookId ? `Payment ${JSON.stringify(entry.payment.id)} has no webhook ${JSON.stringify(body.webhookId)}.` : `Payment ${JSON.stringify(entry.payment.id)} has sent no webhook yet.`);
  }
  const resends = (entry.manualResends ??= {});
  if ((resends[original.id] ?? 0) >= MAX_MANUAL_RESENDS) {
    throw new ApiError('MAX_WEBHOOK_RETRY_COUNT_REACHED', `Webhook ${original.id} was already re-sent ${MAX_MANUAL_RESENDS} times.`);
  }
  resends[original.id] = (resends[original.id] ?? 0) + 1;
  return { webhook: emitter.resendPaymentWebhook(entry, original) };
}
