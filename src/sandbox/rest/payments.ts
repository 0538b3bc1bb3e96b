// Payment endpoints: read, list, pre-register, cancel, confirm (manual approval), virtual-account
// close, webhook resend. Server-side payments (instant, billing key) are in charges.ts.
import type {
  CancelPaymentResponse,
  CloseVirtualAccountResponse,
  ConfirmedPaymentSummary,
  GetPaymentsResponse,
  PaymentMethodVirtualAccount,
  PreRegisterPaymentResponse,
  ResendWebhookResponse,
  SucceededPaymentCancellation,
} from '@portone/server-sdk/payment';
import { BANKS } from '../catalog.js';
import type { PaymentEntry } from '../core/state.js';
import { ApiError, pgProviderError } from '../errors.js';
import { digits, iso, uuidv7 } from '../ids.js';
import * as input from '../input.js';
import { cancellableAmount, defaultVat, SETTLED_STATUSES, withCancellation, type KnownPayment } from '../payments.js';
import { RawJson, read, requestBody, type RestContext } from './context.js';

export function getPayment(ctx: RestContext): RawJson {
  const { runtime, ledger } = ctx.core;
  runtime.checkStore(ctx.query.get('storeId') ?? undefined);
  const body = runtime.state.paymentBody(ctx.params[0]!);
  if (body === undefined) ledger.requirePayment(ctx.params[0]!);
  return new RawJson(body!);
}

const METHOD_TYPES: Record<string, string> = {
  CARD: 'PaymentMethodCard',
  TRANSFER: 'PaymentMethodTransfer',
  VIRTUAL_ACCOUNT: 'PaymentMethodVirtualAccount',
  GIFT_CERTIFICATE: 'PaymentMethodGiftCertificate',
  MOBILE: 'PaymentMethodMobile',
  EASY_PAY: 'PaymentMethodEasyPay',
  CONVENIENCE_STORE: 'PaymentMethodConvenienceStore',
  CRYPTO: 'PaymentMethodCrypto',
};

/** `GET /payments?requestBody={page, filter}` — page numbers start at 0, default size 10. */
export function listPayments(ctx: RestContext): GetPaymentsResponse {
  const { runtime } = ctx.core;
  const { page, filter } = read(() => {
    const body = requestBody(ctx);
    const page = input.optObject(body.page, 'page') ?? {};
    const filter = input.optObject(body.filter, 'filter') ?? {};
    return {
      page: { number: input.optInteger(page.number, 'page.number', { min: 0 }) ?? 0, size: input.optInteger(page.size, 'page.size', { min: 1 }) ?? 10 },
      filter: {
        storeId: input.optString(filter.storeId, 'filter.storeId'),
        timestampType: input.optOneOf(filter.timestampType, 'filter.timestampType', ['CREATED_AT', 'STATUS_CHANGED_AT']) ?? 'CREATED_AT',
        from: input.optDateTime(filter.from, 'filter.from'),
        until: input.optDateTime(filter.until, 'filter.until'),
        status: input.optStringArray(filter.status, 'filter.status'),
        methods: input.optStringArray(filter.methods, 'filter.methods'),
        pgProvider: input.optStringArray(filter.pgProvider, 'filter.pgProvider'),
        isTest: input.optBoolean(filter.isTest, 'filter.isTest'),
        isScheduled: input.optBoolean(filter.isScheduled, 'filter.isScheduled'),
        currency: input.optString(filter.currency, 'filter.currency'),
        sortBy: input.optOneOf(filter.sortBy, 'filter.sortBy', ['REQUESTED_AT', 'STATUS_CHANGED_AT']) ?? 'REQUESTED_AT',
        sortOrder: input.optOneOf(filter.sortOrder, 'filter.sortOrder', ['DESC', 'ASC']) ?? 'DESC',
        textSearch: filter.textSearch === undefined ? undefined : (Array.isArray(filter.textSearch) ? filter.textSearch : [filter.textSearch]).map((t, i) => {
          const o = input.object(t, `filter.textSearch[${i}]`);
          return { field: input.string(o.field, `filter.textSearch[${i}].field`), value: input.string(o.value, `filter.textSearch[${i}].value`) };
        }),
      },
    };
  });
  runtime.checkStore(filter.storeId);
  // The filter enum says PENDING where Payment.status says PAY_PENDING (reference §6.7).
  const statuses = filter.status?.map((s) => (s === 'PENDING' ? 'PAY_PENDING' : s));
  const methodTypes = filter.methods?.map((m) => (Object.hasOwn(METHOD_TYPES, m) ? METHOD_TYPES[m]! : m));
  const timeOf = (p: KnownPayment) => Date.parse(filter.timestampType === 'STATUS_CHANGED_AT' ? p.statusChangedAt : p.requestedAt);
  const items = [...runtime.state.payments.values()]
    .map((e) => e.payment)
    .filter((p) => {
      if (statuses && !statuses.includes(p.status)) return false;
      if (methodTypes && (!p.method || !methodTypes.includes(String(p.method.type)))) return false;
      if (filter.pgProvider && (!p.channel || !filter.pgProvider.includes(p.channel.pgProvider))) return false;
      if (filter.isTest !== undefined && (p.channel?.type === 'TEST') !== filter.isTest) return false;
      if (filter.isScheduled !== undefined && Boolean(p.scheduleId) !== filter.isScheduled) return false;
      if (filter.currency && p.currency !== filter.currency) return false;
      if (filter.from !== undefined && timeOf(p) < filter.from) return false;
      if (filter.until !== undefined && timeOf(p) >= filter.until) return false;
      return (filter.textSearch ?? []).every(({ field, value }) => textMatches(p, field, value));
    })
    .sort((a, b) => {
      const key = (p: KnownPayment) => Date.parse(filter.sortBy === 'STATUS_CHANGED_AT' ? p.statusChangedAt : p.requestedAt);
      return filter.sortOrder === 'ASC' ? key(a) - key(b) : key(b) - key(a);
    });
  const start = page.number * page.size;
  return { items: items.slice(start, start + page.size), page: { number: page.number, size: page.size, totalCount: items.length } };
}

function textMatches(p: KnownPayment, field: string, value: string): boolean {
  const fields: Record<string, (string | undefined)[]> = {
    PAYMENT_ID: [p.id],
    TX_ID: [p.transactionId],
    SCHEDULE_ID: [p.scheduleId],
    ORDER_NAME: [p.orderName],
    CUSTOMER_NAME: [p.customer.name],
    CUSTOMER_EMAIL: [p.customer.email],
    CUSTOMER_PHONE_NUMBER: [p.customer.phoneNumber],
    BILLING_KEY: [p.billingKey],
    PG_MERCHANT_ID: [p.channel?.pgMerchantId],
    PG_TX_ID: ['pgTxId' in p ? p.pgTxId : undefined],
    FAIL_REASON: [p.status === 'FAILED' ? p.failure.reason : undefined],
  };
  const candidates = field === 'ALL' ? Object.values(fields).flat() : Object.hasOwn(fields, field) ? fields[field]! : [];
  return candidates.some((c) => c !== undefined && c.includes(value));
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

/** `POST /payments/{id}/confirm`: completes a manually approved window payment. */
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
  const original = body.webhookId ? webhooks.find((w) => w.id === body.webhookId) : webhooks.filter((w) => w.trigger !== 'MANUAL').at(-1);
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
