// The list endpoints (`GET /payments`, `GET /billing-keys`, `GET /payment-schedules`) with
// PortOne's defaults and every filter field of its schema honoured: a window of the last 90 days
// up to now unless `from`/`until` say otherwise, pages from 0 of 10, and each filter either applied
// to what the sandbox records or, for what it never records (cash receipts, channel groups, user
// agents), matching nothing — never dropped. `page.totalCount` counts every item the filter
// matches, across all pages. An empty list filter (`status: []`) filters nothing, as an absent one.
import type { GetPaymentsResponse } from '@portone/server-sdk/payment';
import type { GetBillingKeyInfosResponse } from '@portone/server-sdk/payment/billingKey';
import type { GetPaymentSchedulesResponse } from '@portone/server-sdk/payment/paymentSchedule';
import type { Card } from '@portone/server-sdk/common';
import type { Runtime } from '../core/runtime.js';
import type { BillingKeyEntry, PaymentEntry } from '../core/state.js';
import { ApiError } from '../errors.js';
import * as input from '../input.js';
import type { KnownPayment } from '../payments.js';
import type { KnownPaymentSchedule } from '../types.js';
import { read, type RestContext } from './context.js';

/** PortOne's default window: `until` is now, `from` 90 days before `until`. */
export const DEFAULT_WINDOW_MS = 90 * 24 * 3_600_000;

/** `page` with PortOne's defaults (number 0, size 10). */
export function readPage(body: input.Json): { number: number; size: number } {
  const page = input.optObject(body.page, 'page') ?? {};
  return {
    number: input.optInteger(page.number, 'page.number', { min: 0 }) ?? 0,
    size: input.optInteger(page.size, 'page.size', { min: 1 }) ?? 10,
  };
}

/**
 * `[from, until)` in ms: what is given, else now and 90 days before `until`. The default `until`
 * takes in what happened at this very moment (a manual clock stands still).
 */
export function readWindow(filter: input.Json, now: number): { from: number; until: number } {
  const until = input.optDateTime(filter.until, 'filter.until') ?? now + 1;
  const from = input.optDateTime(filter.from, 'filter.from') ?? until - DEFAULT_WINDOW_MS;
  return { from, until };
}

export function paged<T>(items: T[], page: { number: number; size: number }): { items: T[]; page: { number: number; size: number; totalCount: number } } {
  const start = page.number * page.size;
  return { items: items.slice(start, start + page.size), page: { number: page.number, size: page.size, totalCount: items.length } };
}

export const within = (stamp: string | undefined, window: { from: number; until: number }): boolean => {
  if (stamp === undefined) return false;
  const time = Date.parse(stamp);
  return time >= window.from && time < window.until;
};

export const ms = (stamp: string | undefined): number => (stamp ? Date.parse(stamp) : 0);

/** A text field of an SDK union value (its catch-all variant hides the fields of the known ones). */
const text = (value: unknown, key: string): string | undefined => {
  const field = (value as Record<string, unknown> | undefined)?.[key];
  return typeof field === 'string' ? field : undefined;
};

/** `merchantId` filters: the credential's merchant, or another one it cannot see. */
function checkMerchant(runtime: Runtime, merchantId: string | undefined): void {
  if (merchantId !== undefined && merchantId !== runtime.credentials.merchantId) {
    throw new ApiError('FORBIDDEN', `This API secret cannot access merchant ${JSON.stringify(merchantId)}; it belongs to ${runtime.credentials.merchantId}.`);
  }
}

const PLATFORM = { pc: 'SDK_PC', mobile: 'SDK_MOBILE', api: 'API' } as const;

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

/** The card a payment was made with (directly, or through an easy-pay provider). */
function cardOf(p: KnownPayment): Card | undefined {
  const method = p.method;
  if (method?.type === 'PaymentMethodCard') return method.card;
  if (method?.type === 'PaymentMethodEasyPay' && method.easyPayMethod?.type === 'PaymentMethodCard') return method.easyPayMethod.card;
  return undefined;
}

/** What each `PaymentTextSearchField` searches in a payment (nothing where the sandbox records nothing). */
function paymentTexts(p: KnownPayment): Record<string, (string | undefined)[]> {
  const method = p.method;
  const card = cardOf(p);
  const cardMethod = method?.type === 'PaymentMethodCard' ? method : method?.type === 'PaymentMethodEasyPay' && method.easyPayMethod?.type === 'PaymentMethodCard' ? method.easyPayMethod : undefined;
  const va = method?.type === 'PaymentMethodVirtualAccount' ? method : undefined;
  const cancellations = 'cancellations' in p ? p.cancellations ?? [] : [];
  const cashReceipt = 'cashReceipt' in p ? p.cashReceipt : undefined;
  return {
    PAYMENT_ID: [p.id],
    TX_ID: [p.transactionId],
    SCHEDULE_ID: [p.scheduleId],
    FAIL_REASON: [p.status === 'FAILED' ? p.failure.reason : undefined],
    CARD_ISSUER: [card?.issuer],
    CARD_ACQUIRER: [],
    CARD_BIN: [card?.bin],
    CARD_NUMBER: [card?.number],
    CARD_APPROVAL_NUMBER: [cardMethod?.approvalNumber],
    CARD_RECEIPT_NAME: [],
    CARD_INSTALLMENT: [cardMethod?.installment ? String(cardMethod.installment.month) : undefined],
    TRANS_BANK: [method?.type === 'PaymentMethodTransfer' ? method.bank : undefined],
    VIRTUAL_ACCOUNT_HOLDER_NAME: [va?.remitteeName],
    VIRTUAL_ACCOUNT_BANK: [va?.bank],
    VIRTUAL_ACCOUNT_NUMBER: [va?.accountNumber],
    PG_MERCHANT_ID: [p.channel?.pgMerchantId],
    PG_TX_ID: ['pgTxId' in p ? p.pgTxId : undefined],
    PG_RECEIPT_ID: [text(cashReceipt, 'pgReceiptId')],
    RECEIPT_APPROVAL_NUMBER: [text(cashReceipt, 'issueNumber')],
    PG_CANCELLATION_ID: cancellations.map((c) => text(c, 'pgCancellationId')),
    CANCEL_REASON: cancellations.map((c) => text(c, 'reason')),
    ORDER_NAME: [p.orderName],
    CUSTOMER_NAME: [p.customer.name],
    CUSTOMER_EMAIL: [p.customer.email],
    CUSTOMER_PHONE_NUMBER: [p.customer.phoneNumber],
    CUSTOMER_ADDRESS: [text(p.customer.address, 'oneLine')],
    CUSTOMER_ZIPCODE: [p.customer.zipcode],
    USER_AGENT: [],
    BILLING_KEY: [p.billingKey],
    PROMOTION_ID: [p.promotionId],
    GIFT_CERTIFICATION_APPROVAL_NUMBER: [method?.type === 'PaymentMethodGiftCertificate' ? method.approvalNumber : undefined],
  };
}

const contains = (candidates: (string | undefined)[], value: string) => candidates.some((c) => c !== undefined && c.includes(value));

function textMatches(texts: Record<string, (string | undefined)[]>, field: string, value: string): boolean {
  if (field === 'ALL') return contains(Object.values(texts).flat(), value);
  return Object.hasOwn(texts, field) && contains(texts[field]!, value);
}

/** The webhook sent for the payment's current status, the last one if several (`webhookStatus`). */
function finalWebhookStatus(p: KnownPayment): string | undefined {
  return (p.webhooks ?? []).filter((w) => w.paymentStatus === p.status).at(-1)?.status;
}

/** `GET /payments?requestBody={page, filter}`. */
export function listPayments(ctx: RestContext): GetPaymentsResponse {
  const { runtime } = ctx.core;
  const q = read(() => {
    const filter = input.optObject(ctx.body.filter, 'filter') ?? {};
    const range = (field: string) => {
      const r = input.optObject(filter[field], `filter.${field}`);
      return r ? { from: input.dateTime(r.from, `filter.${field}.from`), until: input.dateTime(r.until, `filter.${field}.until`) } : undefined;
    };
    const search = filter.textSearch === undefined || filter.textSearch === null ? [] : (filter.textSearch as input.Json[]);
    return {
      page: readPage(ctx.body),
      merchantId: input.optString(filter.merchantId, 'filter.merchantId'),
      storeId: input.optString(filter.storeId, 'filter.storeId'),
      timestampType: input.optOneOf(filter.timestampType, 'filter.timestampType', ['CREATED_AT', 'STATUS_CHANGED_AT']) ?? 'CREATED_AT',
      window: readWindow(filter, runtime.now()),
      // The filter enum says PENDING where Payment.status says PAY_PENDING (reference §6.7).
      status: input.optStringArray(filter.status, 'filter.status')?.map((s) => (s === 'PENDING' ? 'PAY_PENDING' : s)),
      methods: input.optStringArray(filter.methods, 'filter.methods')?.map((m) => METHOD_TYPES[m]!),
      pgProvider: input.optStringArray(filter.pgProvider, 'filter.pgProvider'),
      isTest: input.optBoolean(filter.isTest, 'filter.isTest'),
      isScheduled: input.optBoolean(filter.isScheduled, 'filter.isScheduled'),
      sortBy: input.optOneOf(filter.sortBy, 'filter.sortBy', ['REQUESTED_AT', 'STATUS_CHANGED_AT']) ?? 'REQUESTED_AT',
      sortOrder: input.optOneOf(filter.sortOrder, 'filter.sortOrder', ['DESC', 'ASC']) ?? 'DESC',
      version: input.optString(filter.version, 'filter.version'),
      webhookStatus: input.optString(filter.webhookStatus, 'filter.webhookStatus'),
      platformType: input.optString(filter.platformType, 'filter.platformType'),
      currency: input.optString(filter.currency, 'filter.currency'),
      isEscrow: input.optBoolean(filter.isEscrow, 'filter.isEscrow'),
      escrowStatus: input.optString(filter.escrowStatus, 'filter.escrowStatus'),
      cardBrand: input.optString(filter.cardBrand, 'filter.cardBrand'),
      cardType: input.optString(filter.cardType, 'filter.cardType'),
      cardOwnerType: input.optString(filter.cardOwnerType, 'filter.cardOwnerType'),
      giftCertificateType: input.optString(filter.giftCertificateType, 'filter.giftCertificateType'),
      cashReceiptType: input.optString(filter.cashReceiptType, 'filter.cashReceiptType'),
      cashReceiptStatus: input.optString(filter.cashReceiptStatus, 'filter.cashReceiptStatus'),
      cashReceiptIssuedAtRange: range('cashReceiptIssuedAtRange'),
      cashReceiptCancelledAtRange: range('cashReceiptCancelledAtRange'),
      textSearch: search.map((t, i) => ({ field: input.string(t.field, `filter.textSearch[${i}].field`), value: input.string(t.value, `filter.textSearch[${i}].value`) })),
    };
  });
  checkMerchant(runtime, q.merchantId);
  runtime.checkStore(q.storeId);
  const matches = (entry: PaymentEntry): boolean => {
    const p = entry.payment;
    const card = cardOf(p);
    const cashReceipt = 'cashReceipt' in p ? p.cashReceipt : undefined;
    return (
      within(q.timestampType === 'STATUS_CHANGED_AT' ? p.statusChangedAt : p.requestedAt, q.window) &&
      (!q.status?.length || q.status.includes(p.status)) &&
      (!q.methods?.length || (p.method !== undefined && q.methods.includes(String(p.method.type)))) &&
      (!q.pgProvider?.length || (p.channel !== undefined && q.pgProvider.includes(p.channel.pgProvider))) &&
      (q.isTest === undefined || (p.channel?.type === 'TEST') === q.isTest) &&
      (q.isScheduled === undefined || Boolean(p.scheduleId) === q.isScheduled) &&
      (q.version === undefined || p.version === q.version) &&
      (q.webhookStatus === undefined || finalWebhookStatus(p) === q.webhookStatus) &&
      (q.platformType === undefined || PLATFORM[entry.origin] === q.platformType) &&
      (q.currency === undefined || p.currency === q.currency) &&
      (q.isEscrow === undefined || (p.escrow !== undefined) === q.isEscrow) &&
      (q.escrowStatus === undefined || p.escrow?.status === q.escrowStatus) &&
      (q.cardBrand === undefined || card?.brand === q.cardBrand) &&
      (q.cardType === undefined || card?.type === q.cardType) &&
      (q.cardOwnerType === undefined || card?.ownerType === q.cardOwnerType) &&
      (q.giftCertificateType === undefined || (p.method?.type === 'PaymentMethodGiftCertificate' && p.method.giftCertificateType === q.giftCertificateType)) &&
      (q.cashReceiptType === undefined || text(cashReceipt, 'type') === q.cashReceiptType) &&
      (q.cashReceiptStatus === undefined || cashReceipt?.status === q.cashReceiptStatus) &&
      (q.cashReceiptIssuedAtRange === undefined || within(text(cashReceipt, 'issuedAt'), q.cashReceiptIssuedAtRange)) &&
      (q.cashReceiptCancelledAtRange === undefined || within(text(cashReceipt, 'cancelledAt'), q.cashReceiptCancelledAtRange)) &&
      (q.textSearch.length === 0 || (() => {
        const texts = paymentTexts(p);
        return q.textSearch.every(({ field, value }) => textMatches(texts, field, value));
      })())
    );
  };
  const key = (p: KnownPayment) => ms(q.sortBy === 'STATUS_CHANGED_AT' ? p.statusChangedAt : p.requestedAt);
  const items = [...runtime.state.payments.values()].filter(matches).map((e) => e.payment);
  items.sort((a, b) => (q.sortOrder === 'ASC' ? key(a) - key(b) : key(b) - key(a)));
  return paged(items, q.page);
}

/** The PG companies of the sandbox's PG modules (`pgCompanies` filter): KG Inicis's V2 module is INICIS. */
const PG_COMPANY: Record<string, string> = { INICIS_V2: 'INICIS' };

/** Billing-key method types (`methods` filter) of each `BillingKeyPaymentMethod` variant. */
const KEY_METHOD_TYPES: Record<string, string> = {
  BillingKeyPaymentMethodCard: 'CARD',
  BillingKeyPaymentMethodMobile: 'MOBILE',
  BillingKeyPaymentMethodEasyPay: 'EASY_PAY',
  BillingKeyPaymentMethodTransfer: 'TRANSFER',
};

type VisibleInfo = NonNullable<BillingKeyEntry['info']>;

function keyTexts(entry: BillingKeyEntry, info: VisibleInfo): Record<string, (string | undefined)[]> {
  const cards = (info.methods ?? []).map((m) => (m.type === 'BillingKeyPaymentMethodCard' ? m.card : undefined));
  return {
    CARD_BIN: cards.map((c) => c?.bin),
    CARD_NUMBER: cards.map((c) => c?.number),
    PG_MERCHANT_ID: info.channels.map((c) => c.pgMerchantId),
    CUSTOMER_NAME: [info.customer.name],
    CUSTOMER_EMAIL: [info.customer.email],
    CUSTOMER_PHONE_NUMBER: [info.customer.phoneNumber],
    CUSTOMER_ADDRESS: [text(info.customer.address, 'oneLine')],
    CUSTOMER_ZIPCODE: [info.customer.zipcode],
    USER_AGENT: [],
    BILLING_KEY: [entry.billingKey],
    CHANNEL_GROUP_NAME: [],
  };
}

/** `GET /billing-keys?requestBody={page, sort, filter}`. */
export function listBillingKeys(ctx: RestContext): GetBillingKeyInfosResponse {
  const { runtime } = ctx.core;
  const q = read(() => {
    const sort = input.optObject(ctx.body.sort, 'sort') ?? {};
    const filter = input.optObject(ctx.body.filter, 'filter') ?? {};
    const search = input.optObject(filter.textSearch, 'filter.textSearch');
    return {
      page: readPage(ctx.body),
      by: input.optOneOf(sort.by, 'sort.by', ['REQUESTED_AT', 'ISSUED_AT', 'DELETED_AT', 'STATUS_TIMESTAMP']) ?? 'REQUESTED_AT',
      order: input.optOneOf(sort.order, 'sort.order', ['DESC', 'ASC']) ?? 'DESC',
      storeId: input.optString(filter.storeId, 'filter.storeId'),
      timeRangeField: input.optOneOf(filter.timeRangeField, 'filter.timeRangeField', ['REQUESTED_AT', 'ISSUED_AT', 'DELETED_AT', 'STATUS_TIMESTAMP']) ?? 'REQUESTED_AT',
      window: readWindow(filter, runtime.now()),
      status: input.optStringArray(filter.status, 'filter.status'),
      channelGroupIds: input.optStringArray(filter.channelGroupIds, 'filter.channelGroupIds'),
      customerId: input.optString(filter.customerId, 'filter.customerId'),
      platformType: input.optString(filter.platformType, 'filter.platformType'),
      textSearch: search ? { field: input.string(search.field, 'filter.textSearch.field'), value: input.string(search.value, 'filter.textSearch.value') } : undefined,
      pgProviders: input.optStringArray(filter.pgProviders, 'filter.pgProviders'),
      pgCompanies: input.optStringArray(filter.pgCompanies, 'filter.pgCompanies'),
      methods: input.optStringArray(filter.methods, 'filter.methods'),
      version: input.optString(filter.version, 'filter.version'),
    };
  });
  runtime.checkStore(q.storeId);
  const stamp = (info: VisibleInfo, field: typeof q.by): string | undefined => {
    const deletedAt = info.status === 'DELETED' ? info.deletedAt : undefined;
    if (field === 'REQUESTED_AT') return info.requestedAt ?? info.issuedAt;
    if (field === 'DELETED_AT') return deletedAt;
    if (field === 'STATUS_TIMESTAMP') return deletedAt ?? info.issuedAt;
    return info.issuedAt;
  };
  const visible = [...runtime.state.billingKeys.values()].flatMap((e) => (e.info && (e.status === 'ISSUED' || e.status === 'DELETED') ? [{ entry: e, info: e.info }] : []));
  const matching = visible.filter(({ entry, info }) =>
    within(stamp(info, q.timeRangeField), q.window) &&
    (!q.status?.length || q.status.includes(info.status)) &&
    // The sandbox has no channel groups: a key is in none of them.
    !q.channelGroupIds?.length &&
    (q.customerId === undefined || info.customer.id === q.customerId) &&
    (q.platformType === undefined || (entry.origin !== undefined && PLATFORM[entry.origin] === q.platformType)) &&
    (q.textSearch === undefined || textMatches(keyTexts(entry, info), q.textSearch.field, q.textSearch.value)) &&
    (!q.pgProviders?.length || info.channels.some((c) => q.pgProviders!.includes(c.pgProvider))) &&
    (!q.pgCompanies?.length || info.channels.some((c) => q.pgCompanies!.includes(PG_COMPANY[c.pgProvider] ?? ''))) &&
    (!q.methods?.length || (info.methods ?? []).some((m) => q.methods!.includes(KEY_METHOD_TYPES[String(m.type)] ?? ''))) &&
    (q.version === undefined || q.version === 'V2'),
  );
  const key = ({ info }: (typeof matching)[number]) => ms(stamp(info, q.by));
  matching.sort((a, b) => (q.order === 'ASC' ? key(a) - key(b) : key(b) - key(a)));
  return paged(matching.map(({ info }) => info), q.page);
}

/** `GET /payment-schedules?requestBody={page, sort, filter}`; `from`/`until` bound `timeToPay`. */
export function listPaymentSchedules(ctx: RestContext): GetPaymentSchedulesResponse {
  const { runtime } = ctx.core;
  const q = read(() => {
    const sort = input.optObject(ctx.body.sort, 'sort') ?? {};
    const filter = input.optObject(ctx.body.filter, 'filter') ?? {};
    return {
      page: readPage(ctx.body),
      by: input.optOneOf(sort.by, 'sort.by', ['CREATED_AT', 'TIME_TO_PAY', 'COMPLETED_AT']) ?? 'TIME_TO_PAY',
      order: input.optOneOf(sort.order, 'sort.order', ['DESC', 'ASC']) ?? 'DESC',
      storeId: input.optString(filter.storeId, 'filter.storeId'),
      billingKey: input.optString(filter.billingKey, 'filter.billingKey'),
      window: readWindow(filter, runtime.now()),
      status: input.optStringArray(filter.status, 'filter.status'),
      isForTest: input.optBoolean(filter.isForTest, 'filter.isForTest'),
    };
  });
  runtime.checkStore(q.storeId);
  const isTestKey = (billingKey: string) => runtime.state.billingKeys.get(billingKey)?.info?.channels[0]?.type === 'TEST';
  const items = [...runtime.state.schedules.values()]
    .map((e) => e.schedule)
    .filter((s) =>
      within(s.timeToPay, q.window) &&
      (q.billingKey === undefined || s.billingKey === q.billingKey) &&
      (!q.status?.length || q.status.includes(s.status)) &&
      (q.isForTest === undefined || isTestKey(s.billingKey) === q.isForTest),
    );
  const key = (s: KnownPaymentSchedule) => ms(q.by === 'TIME_TO_PAY' ? s.timeToPay : q.by === 'COMPLETED_AT' ? ('completedAt' in s ? s.completedAt : undefined) : s.createdAt);
  items.sort((a, b) => (q.order === 'ASC' ? key(a) - key(b) : key(b) - key(a)));
  return paged(items, q.page);
}
