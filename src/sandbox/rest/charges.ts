// Server-side payments: `POST /payments/{id}/instant` (a keyed-in card or an API-issued fixed
// virtual account) and `POST /payments/{id}/billing-key` (charging an issued billing key).
import type { Bank } from '@portone/server-sdk/common';
import type { PayInstantlyResponse, PaymentMethodCard, PaymentMethodVirtualAccount, PayWithBillingKeyResponse } from '@portone/server-sdk/payment';
import { BANKS, cardCompanyForNumber, cardFields } from '../catalog.js';
import type { SandboxCore } from '../core/core.js';
import { ApiError, pgProviderError } from '../errors.js';
import { approvalNumber, digits, iso, uuidv7 } from '../ids.js';
import * as input from '../input.js';
import { SETTLED_STATUSES, type KnownPayment } from '../payments.js';
import { read, type RestContext } from './context.js';
import {
  checkAmountParts,
  readAmount,
  readBillingKeyPayment,
  readCardCredential,
  readCustomer,
  readCustomerInput,
  readInicisCurrency,
  readProducts,
  requireInicisCustomer,
} from './readers.js';

function assertPayable(core: SandboxCore, paymentId: string): void {
  const { runtime } = core;
  const existing = runtime.state.payments.get(paymentId);
  if (existing && SETTLED_STATUSES.has(existing.payment.status)) {
    throw new ApiError('ALREADY_PAID', `Payment ${JSON.stringify(paymentId)} is already ${existing.payment.status}.`);
  }
  for (const s of runtime.state.schedules.values()) {
    if (s.schedule.paymentId === paymentId && s.schedule.status === 'SCHEDULED') {
      throw new ApiError('PAYMENT_SCHEDULE_ALREADY_EXISTS', `Payment ${JSON.stringify(paymentId)} is scheduled (schedule ${s.schedule.id}); revoke it first.`);
    }
  }
}


/** `POST /payments/{id}/instant`: a keyed-in card payment or an API-issued (fixed) virtual account. */
export function payInstantly(ctx: RestContext): PayInstantlyResponse {
  const { core } = ctx;
  const { runtime, ledger, charges } = core;
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
  runtime.checkStore(body.storeId);
  if (!body.channelKey && !body.channelGroupId) throw new ApiError('INVALID_REQUEST', '`channelKey`: expected a channel key (or `channelGroupId`), got nothing.');
  const channel = runtime.paymentChannel(body.channelKey);
  if (!channel) throw new ApiError('CHANNEL_NOT_FOUND', body.channelKey ? `Channel key ${JSON.stringify(body.channelKey)} is not a payment channel of store ${runtime.storeId}.` : `Channel group ${JSON.stringify(body.channelGroupId)} does not exist in store ${runtime.storeId}.`);
  checkAmountParts(body.amount);
  assertPayable(core, paymentId);
  const customer = readCustomer(ctx.body.customer);
  requireInicisCustomer(customer);
  const at = runtime.now();

  let cardNumber: string | undefined;
  let virtualAccount: PaymentMethodVirtualAccount | undefined;
  if (body.method.card !== undefined) {
    const card = input.object(body.method.card, 'method.card');
    cardNumber = readCardCredential(card.credential, 'method.card.credential', at);
    read(() => input.optInteger(card.installmentMonth, 'method.card.installmentMonth', { min: 0 }));
  } else {
    virtualAccount = read(() => readApiVirtualAccount(input.object(body.method.virtualAccount, 'method.virtualAccount'), at, customer.name));
  }

  const entry = ledger.startAttempt(paymentId, {
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
    ledger.issueVirtualAccount(entry, virtualAccount);
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
  const decline = charges.decideCharge(cardNumber);
  if (decline) {
    ledger.markFailed(entry, { reason: decline.pgMessage, ...decline }, method);
    throw pgProviderError(decline.pgCode, decline.pgMessage);
  }
  ledger.markPaid(entry, method);
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
    ? now + input.integer(expiry.validHours, 'method.virtualAccount.expiry.validHours', { min: 1, max: input.MAX_VALID_HOURS }) * 3_600_000
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


/** `POST /payments/{id}/billing-key`: charges an issued billing key. */
export function payWithBillingKey(ctx: RestContext): PayWithBillingKeyResponse {
  const { core } = ctx;
  const { charges } = core;
  const paymentId = ctx.params[0]!;
  const { parsed, key, channel, customer } = readBillingKeyPayment(core, ctx.body);
  assertPayable(core, paymentId);
  const summary = charges.chargeBillingKey({
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
