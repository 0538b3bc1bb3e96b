// Payment endpoints: read, list, pre-register, cancel, instant (keyed-in card / API virtual
// account), billing-key payment, confirm (manual approval), virtual-account close, webhook resend.
import type {
  CancelPaymentResponse,
  CloseVirtualAccountResponse,
  ConfirmedPaymentSummary,
  GetPaymentsResponse,
  PayInstantlyResponse,
  PaymentMethodCard,
  PaymentMethodVirtualAccount,
  PayWithBillingKeyResponse,
  PreRegisterPaymentResponse,
  ResendWebhookResponse,
  SucceededPaymentCancellation,
} from '@portone/server-sdk/payment';
import type { Bank } from '@portone/server-sdk/common';
import { ApiError, pgProviderError } from '../errors.js';
import * as input from '../input.js';
import { iso, uuidv7, digits } from '../ids.js';
import { BANKS, cardCompanyForNumber, luhnValid, TEST_CARDS } from '../catalog.js';
import { approvalNumber, cardFields, mergeCustomer, type SandboxCore } from '../core.js';
import { cancellableAmount, defaultVat, withCancellation, type KnownPayment } from '../payments.js';
import type { PaymentEntry } from '../state.js';
import {
  checkAmountParts,
  RawJson,
  read,
  readAmount,
  readCustomer,
  readCustomerInput,
  readInicisCurrency,
  readProducts,
  requestBody,
  requireInicisCustomer,
  type RestContext,
} from './context.js';

const PAID_STATUSES = new Set(['PAID', 'PARTIAL_CANCELLED', 'CANCELLED', 'VIRTUAL_ACCOUNT_ISSUED', 'PAY_PENDING']);

export function getPayment(ctx: RestContext): RawJson {
  ctx.core.checkStore(ctx.query.get('storeId') ?? undefined);
  const body = ctx.core.state.paymentBody(ctx.params[0]!);
  if (body === undefined) ctx.core.requirePayment(ctx.params[0]!);
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
  ctx.core.checkStore(filter.storeId);
  // The filter enum says PENDING where Payment.status says PAY_PENDING (reference §6.7).
  const statuses = filter.status?.map((s) => (s === 'PENDING' ? 'PAY_PENDING' : s));
  const methodTypes = filter.methods?.map((m) => METHOD_TYPES[m] ?? m);
  const timeOf = (p: KnownPayment) => Date.parse(filter.timestampType === 'STATUS_CHANGED_AT' ? p.statusChangedAt : p.requestedAt);
  const items = [...ctx.core.state.payments.values()]
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
  const candidates = field === 'ALL' ? Object.values(fields).flat() : fields[field] ?? [];
  return candidates.some((c) => c !== undefined && c.includes(value));
}

/** `POST /payments/{id}/pre-register`: the amount a later window payment must match. */
export function preRegister(ctx: RestContext): PreRegisterPaymentResponse {
  const paymentId = ctx.params[0]!;
  const body = read(() => ({
    storeId: input.optString(ctx.body.storeId, 'storeId'),
    totalAmount: input.optInteger(ctx.body.totalAmount, 'totalAmount', { min: 1 }),
    taxFreeAmount: input.optInteger(ctx.body.taxFreeAmount, 'taxFreeAmount', { min: 0 }),
    currency: input.optString(ctx.body.currency, 'currency'),
  }));
  ctx.core.checkStore(body.storeId);
  const existing = ctx.core.state.payments.get(paymentId);
  if (existing && PAID_STATUSES.has(existing.payment.status)) {
    throw new ApiError('ALREADY_PAID', `Payment ${JSON.stringify(paymentId)} is already ${existing.payment.status}; it cannot be pre-registered again.`);
  }
  ctx.core.state.preRegistrations.set(paymentId, {
    ...(body.totalAmount !== undefined ? { totalAmount: body.totalAmount } : {}),
    ...(body.taxFreeAmount !== undefined ? { taxFreeAmount: body.taxFreeAmount } : {}),
    ...(body.currency !== undefined ? { currency: body.currency } : {}),
  });
  ctx.core.persist();
  return {};
}

/** `POST /payments/{id}/cancel`: full or partial, never beyond what remains. */
export function cancelPayment(ctx: RestContext): CancelPaymentResponse {
  const { core } = ctx;
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
  core.checkStore(body.storeId);
  const entry = core.requirePayment(ctx.params[0]!);
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
  const at = core.now();
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
    receiptUrl: core.receiptUrl(payment.id),
    trigger: 'API',
  };
  const next = withCancellation(payment, cancellation, at);
  core.update(entry, refundMethod ? { ...next, method: refundMethod } : next);
  if (!body.skipWebhook) {
    core.emitPayment(next.status === 'CANCELLED' ? 'Transaction.Cancelled' : 'Transaction.PartialCancelled', entry, { cancellationId: cancellation.id });
  }
  return { cancellation };
}

function assertPayable(core: SandboxCore, paymentId: string): void {
  const existing = core.state.payments.get(paymentId);
  if (existing && PAID_STATUSES.has(existing.payment.status)) {
    throw new ApiError('ALREADY_PAID', `Payment ${JSON.stringify(paymentId)} is already ${existing.payment.status}.`);
  }
  for (const s of core.state.schedules.values()) {
    if (s.schedule.paymentId === paymentId && s.schedule.status === 'SCHEDULED') {
      throw new ApiError('PAYMENT_SCHEDULE_ALREADY_EXISTS', `Payment ${JSON.stringify(paymentId)} is scheduled (schedule ${s.schedule.id}); revoke it first.`);
    }
  }
}

/** Validates a card credential; returns the digits. PG-side problems are `PG_PROVIDER` errors. */
export function readCardCredential(value: unknown, field: string, now: number): string {
  const credential = read(() => {
    const c = input.object(value, field);
    const number = input.string(c.number, `${field}.number`);
    if (!/^\d{13,19}$/.test(number)) throw new input.InputError(`\`${field}.number\`: expected 13 to 19 digits, got ${input.describe(number)}`);
    const expiryYear = input.string(c.expiryYear, `${field}.expiryYear`);
    if (!/^\d{2}$/.test(expiryYear)) throw new input.InputError(`\`${field}.expiryYear\`: expected two digits (YY), got ${input.describe(expiryYear)}`);
    const expiryMonth = input.string(c.expiryMonth, `${field}.expiryMonth`);
    if (!/^(0[1-9]|1[0-2])$/.test(expiryMonth)) throw new input.InputError(`\`${field}.expiryMonth\`: expected 01 to 12, got ${input.describe(expiryMonth)}`);
    const birth = input.optString(c.birthOrBusinessRegistrationNumber, `${field}.birthOrBusinessRegistrationNumber`);
    if (birth !== undefined && !/^(\d{6}|\d{10})$/.test(birth)) throw new input.InputError(`\`${field}.birthOrBusinessRegistrationNumber\`: expected yyMMdd or a 10-digit business number, got ${input.describe(birth)}`);
    const password = input.optString(c.passwordTwoDigits, `${field}.passwordTwoDigits`);
    if (password !== undefined && !/^\d{2}$/.test(password)) throw new input.InputError(`\`${field}.passwordTwoDigits\`: expected two digits, got ${input.describe(password)}`);
    return { number, expiryYear, expiryMonth };
  });
  if (!luhnValid(credential.number)) throw pgProviderError('V001', '카드번호가 올바르지 않습니다.');
  const expiry = Date.UTC(2000 + Number(credential.expiryYear), Number(credential.expiryMonth), 1);
  if (expiry <= now) throw pgProviderError('V013', '카드 유효기간이 만료되었습니다.');
  const test = TEST_CARDS[credential.number];
  if (test?.when === 'issue') throw pgProviderError(test.decline.pgCode, test.decline.pgMessage);
  return credential.number;
}

/** `POST /payments/{id}/instant`: a keyed-in card payment or an API-issued (fixed) virtual account. */
export function payInstantly(ctx: RestContext): PayInstantlyResponse {
  const { core } = ctx;
  const paymentId = ctx.params[0]!;
  const body = read(() => {
    const method = input.object(ctx.body.method, 'method');
    if ((method.card === undefined) === (method.virtualAccount === undefined)) {
      throw new input.InputError('`method`: expected exactly one of `card` or `virtualAccount`');
    }
    const amount = readAmount(ctx.body.amount);
    return {
      storeId: input.optString(ctx.body.storeId, 'storeId'),
      channelKey: input.optString(ctx.body.channelKey, 'channelKey'),
      channelGroupId: input.optString(ctx.body.channelGroupId, 'channelGroupId'),
      method,
      orderName: input.string(ctx.body.orderName, 'orderName'),
      amount,
      currency: readInicisCurrency(ctx.body.currency, 'currency', { cardOnly: method.card !== undefined }),
      customer: readCustomerInput(ctx.body.customer, 'customer'),
      customData: input.optString(ctx.body.customData, 'customData'),
      noticeUrls: input.optHttpUrls(ctx.body.noticeUrls, 'noticeUrls'),
      products: readProducts(ctx.body.products),
      productCount: input.optInteger(ctx.body.productCount, 'productCount', { min: 1 }),
      isCulturalExpense: input.optBoolean(ctx.body.isCulturalExpense, 'isCulturalExpense'),
      isEscrow: input.optBoolean(ctx.body.isEscrow, 'isEscrow'),
      country: input.optString(ctx.body.country, 'country'),
      promotionId: input.optString(ctx.body.promotionId, 'promotionId'),
    };
  });
  core.checkStore(body.storeId);
  if (!body.channelKey && !body.channelGroupId) throw new ApiError('INVALID_REQUEST', '`channelKey`: expected a channel key (or `channelGroupId`), got nothing.');
  const channel = core.channel(body.channelKey);
  if (!channel) throw new ApiError('CHANNEL_NOT_FOUND', body.channelKey ? `Channel key ${JSON.stringify(body.channelKey)} is not a channel of store ${core.storeId}.` : `Channel group ${JSON.stringify(body.channelGroupId)} does not exist in store ${core.storeId}.`);
  checkAmountParts(body.amount);
  assertPayable(core, paymentId);
  const customer = readCustomer(ctx.body.customer);
  requireInicisCustomer(customer);
  const at = core.now();

  let cardNumber: string | undefined;
  let virtualAccount: PaymentMethodVirtualAccount | undefined;
  if (body.method.card !== undefined) {
    const card = input.object(body.method.card, 'method.card');
    cardNumber = readCardCredential(card.credential, 'method.card.credential', at);
    read(() => input.optInteger(card.installmentMonth, 'method.card.installmentMonth', { min: 0 }));
  } else {
    virtualAccount = read(() => readApiVirtualAccount(input.object(body.method.virtualAccount, 'method.virtualAccount'), at, customer.name));
  }

  const entry = core.startAttempt(paymentId, {
    txId: uuidv7(at),
    channel,
    orderName: body.orderName,
    total: body.amount.total,
    taxFree: body.amount.taxFree,
    ...(body.amount.vat !== undefined ? { vat: body.amount.vat } : {}),
    currency: body.currency,
    customer,
    ...(body.customData !== undefined ? { customData: body.customData } : {}),
    ...(body.products ? { products: body.products } : {}),
    ...(body.productCount !== undefined ? { productCount: body.productCount } : {}),
    ...(body.isCulturalExpense !== undefined ? { isCulturalExpense: body.isCulturalExpense } : {}),
    ...(body.isEscrow ? { isEscrow: true } : {}),
    ...(body.country ? { country: body.country } : {}),
    ...(body.promotionId ? { promotionId: body.promotionId } : {}),
    ...(body.noticeUrls ? { noticeUrls: body.noticeUrls } : {}),
    origin: 'api',
  });

  if (virtualAccount) {
    core.issueVirtualAccount(entry, virtualAccount);
    const p = entry.payment as KnownPayment & { pgTxId: string };
    return { payment: { pgTxId: p.pgTxId, paidAt: iso(at) } };
  }
  const installmentMonth = (input.object(body.method.card, 'method.card').installmentMonth as number | undefined) ?? 0;
  const method: PaymentMethodCard = {
    type: 'PaymentMethodCard',
    card: cardFields(cardCompanyForNumber(cardNumber!), 'PERSONAL', cardNumber!.slice(-4)),
    approvalNumber: approvalNumber(),
    installment: { month: installmentMonth, isInterestFree: false },
    pointUsed: false,
  };
  const decline = core.decideCharge(cardNumber);
  if (decline) {
    core.markFailed(entry, { reason: decline.pgMessage, ...decline }, method);
    throw pgProviderError(decline.pgCode, decline.pgMessage);
  }
  core.markPaid(entry, method);
  const p = entry.payment as KnownPayment & { pgTxId: string; paidAt: string };
  return { payment: { pgTxId: p.pgTxId, paidAt: p.paidAt } };
}

function readApiVirtualAccount(va: input.Json, now: number, remitter: string | undefined): PaymentMethodVirtualAccount {
  const bank = input.oneOf(va.bank, 'method.virtualAccount.bank', BANKS.map((b) => b.code)) as Bank;
  const expiry = input.object(va.expiry, 'method.virtualAccount.expiry');
  if ((expiry.validHours === undefined) === (expiry.dueDate === undefined)) {
    throw new input.InputError('`method.virtualAccount.expiry`: expected exactly one of `validHours` or `dueDate`');
  }
  const expiresAt = expiry.validHours !== undefined
    ? now + input.integer(expiry.validHours, 'method.virtualAccount.expiry.validHours', { min: 1 }) * 3_600_000
    : input.dateTime(expiry.dueDate, 'method.virtualAccount.expiry.dueDate');
  if (expiresAt <= now) throw new input.InputError(`\`method.virtualAccount.expiry.dueDate\`: expected a time in the future, got ${input.describe(expiry.dueDate)}`);
  const option = input.object(va.option, 'method.virtualAccount.option');
  const type = input.oneOf(option.type, 'method.virtualAccount.option.type', ['NORMAL', 'FIXED']);
  if (type !== 'FIXED') throw new input.InputError('`method.virtualAccount.option.type`: KG Inicis issues only fixed virtual accounts over the API (FIXED), got "NORMAL"');
  const fixed = input.optObject(option.fixed, 'method.virtualAccount.option.fixed');
  const accountNumber = input.optString(fixed?.accountNumber, 'method.virtualAccount.option.fixed.accountNumber') ?? `${digits(3)}${digits(6)}${digits(5)}`;
  const cashReceipt = input.optObject(va.cashReceipt, 'method.virtualAccount.cashReceipt');
  if (cashReceipt) {
    input.oneOf(cashReceipt.type, 'method.virtualAccount.cashReceipt.type', ['PERSONAL', 'CORPORATE', 'NO_RECEIPT']);
    input.string(cashReceipt.customerIdentityNumber, 'method.virtualAccount.cashReceipt.customerIdentityNumber');
  }
  return {
    type: 'PaymentMethodVirtualAccount',
    bank,
    accountNumber,
    accountType: 'FIXED',
    remitteeName: input.optString(va.remitteeName, 'method.virtualAccount.remitteeName') ?? '(주)포트원샌드박스',
    ...(remitter ? { remitterName: remitter } : {}),
    expiredAt: iso(expiresAt),
    issuedAt: iso(now),
  };
}

/** Reads a `BillingKeyPaymentInput` (also the `payment` of a schedule) and the key it charges. */
export function readBillingKeyPayment(core: SandboxCore, body: input.Json, prefix = '') {
  const f = (name: string) => `${prefix}${name}`;
  const parsed = read(() => ({
    storeId: input.optString(body.storeId, f('storeId')),
    billingKey: input.string(body.billingKey, f('billingKey')),
    channelKey: input.optString(body.channelKey, f('channelKey')),
    orderName: input.string(body.orderName, f('orderName')),
    customer: readCustomerInput(body.customer, f('customer')),
    customData: input.optString(body.customData, f('customData')),
    amount: readAmount(body.amount, f('amount')),
    currency: readInicisCurrency(body.currency, f('currency'), { cardOnly: true }),
    installmentMonth: input.optInteger(body.installmentMonth, f('installmentMonth'), { min: 0 }),
    noticeUrls: input.optHttpUrls(body.noticeUrls, f('noticeUrls')),
    products: readProducts(body.products, f('products')),
    productCount: input.optInteger(body.productCount, f('productCount'), { min: 1 }),
    country: input.optString(body.country, f('country')),
    promotionId: input.optString(body.promotionId, f('promotionId')),
  }));
  core.checkStore(parsed.storeId);
  const key = core.requireBillingKey(parsed.billingKey);
  if (key.status === 'DELETED') throw new ApiError('BILLING_KEY_ALREADY_DELETED', `Billing key ${JSON.stringify(parsed.billingKey)} was deleted at ${(key.info as { deletedAt?: string }).deletedAt}.`);
  const channelKey = parsed.channelKey ?? key.info.channels[0]?.key;
  if (!key.info.channels.some((c) => c.key === channelKey) || !core.channel(channelKey)) {
    throw new ApiError('CHANNEL_NOT_FOUND', `Channel key ${JSON.stringify(parsed.channelKey)} is not a channel of billing key ${parsed.billingKey}.`);
  }
  checkAmountParts(parsed.amount);
  const customer = mergeCustomer(key.info.customer, parsed.customer);
  requireInicisCustomer(customer, f('customer'));
  const isMobileKey = key.info.methods?.[0]?.type === 'BillingKeyPaymentMethodMobile';
  if (isMobileKey && parsed.currency !== 'KRW') throw new ApiError('INVALID_REQUEST', `\`${f('currency')}\`: phone billing charges KRW only, got ${parsed.currency}.`);
  return { parsed, key, channel: core.channel(channelKey)!, customer };
}

/** `POST /payments/{id}/billing-key`: charges an issued billing key. */
export function payWithBillingKey(ctx: RestContext): PayWithBillingKeyResponse {
  const { core } = ctx;
  const paymentId = ctx.params[0]!;
  const { parsed, key, channel, customer } = readBillingKeyPayment(core, ctx.body);
  assertPayable(core, paymentId);
  const summary = core.chargeBillingKey({
    paymentId,
    billingKey: key,
    channel,
    orderName: parsed.orderName,
    total: parsed.amount.total,
    taxFree: parsed.amount.taxFree,
    ...(parsed.amount.vat !== undefined ? { vat: parsed.amount.vat } : {}),
    currency: parsed.currency,
    customer,
    ...(parsed.customData !== undefined ? { customData: parsed.customData } : {}),
    ...(parsed.installmentMonth !== undefined ? { installmentMonth: parsed.installmentMonth } : {}),
    ...(parsed.noticeUrls ? { noticeUrls: parsed.noticeUrls } : {}),
    ...(parsed.products ? { products: parsed.products } : {}),
    ...(parsed.productCount !== undefined ? { productCount: parsed.productCount } : {}),
    ...(parsed.country ? { country: parsed.country } : {}),
    ...(parsed.promotionId ? { promotionId: parsed.promotionId } : {}),
  });
  return { payment: summary };
}

/** `POST /payments/{id}/confirm`: completes a manually approved window payment. */
export function confirmPayment(ctx: RestContext): ConfirmedPaymentSummary {
  const { core } = ctx;
  const body = read(() => ({
    storeId: input.optString(ctx.body.storeId, 'storeId'),
    paymentToken: input.string(ctx.body.paymentToken, 'paymentToken'),
    txId: input.optString(ctx.body.txId, 'txId'),
    currency: input.optString(ctx.body.currency, 'currency'),
    totalAmount: input.optInteger(ctx.body.totalAmount, 'totalAmount', { min: 0 }),
    taxFreeAmount: input.optInteger(ctx.body.taxFreeAmount, 'taxFreeAmount', { min: 0 }),
    isTest: input.optBoolean(ctx.body.isTest, 'isTest'),
  }));
  core.checkStore(body.storeId);
  const entry = core.requirePayment(ctx.params[0]!);
  const { payment } = entry;
  if (PAID_STATUSES.has(payment.status)) throw new ApiError('ALREADY_PAID', `Payment ${JSON.stringify(payment.id)} is already ${payment.status}.`);
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
  if (pending.method.type === 'PaymentMethodVirtualAccount') core.issueVirtualAccount(entry, pending.method);
  else core.markPaid(entry, pending.method);
  const p = entry.payment as KnownPayment & { pgTxId: string; paidAt?: string };
  return { pgTxId: p.pgTxId, paidAt: p.paidAt ?? iso(core.now()) };
}

/** `POST /payments/{id}/virtual-account/close`: closes an unpaid account (the payment fails). */
export function closeVirtualAccount(ctx: RestContext): CloseVirtualAccountResponse {
  ctx.core.checkStore(ctx.query.get('storeId') ?? undefined);
  const entry = ctx.core.requirePayment(ctx.params[0]!);
  if (entry.payment.status !== 'VIRTUAL_ACCOUNT_ISSUED') {
    throw new ApiError('PAYMENT_NOT_WAITING_FOR_DEPOSIT', `Payment ${JSON.stringify(entry.payment.id)} is ${entry.payment.status}, not waiting for a deposit.`);
  }
  ctx.core.closeVirtualAccount(entry, '가맹점 요청으로 가상계좌가 말소되었습니다.');
  return { closedAt: iso(ctx.core.now()) };
}

/** Manual re-sends allowed per original webhook before MAX_WEBHOOK_RETRY_COUNT_REACHED. */
export const MAX_MANUAL_RESENDS = 5;

/** `POST /payments/{id}/resend-webhook`: the given (or latest) webhook again, as a new MANUAL one. */
export function resendWebhook(ctx: RestContext): ResendWebhookResponse {
  const body = read(() => ({ storeId: input.optString(ctx.body.storeId, 'storeId'), webhookId: input.optString(ctx.body.webhookId, 'webhookId') }));
  ctx.core.checkStore(body.storeId);
  const entry: PaymentEntry = ctx.core.requirePayment(ctx.params[0]!);
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
  return { webhook: ctx.core.resendPaymentWebhook(entry, original) };
}
