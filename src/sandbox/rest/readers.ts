// Readers for PortOne's REST input objects (customer, products, amounts, card credentials, a
// billing-key payment): each names the field, what was expected and what arrived.
import type { Customer, CustomerInput, PaymentProduct } from '@portone/server-sdk/common';
import { luhnValid, TEST_CARDS } from '../catalog.js';
import type { SandboxCore } from '../core/core.js';
import { mergeCustomer } from '../core/charges.js';
import { ApiError, pgProviderError } from '../errors.js';
import * as input from '../input.js';
import { customerFromInput } from '../payments.js';
import { read } from './context.js';

export function readCustomerInput(value: unknown, field: string): CustomerInput | undefined {
  const obj = input.optObject(value, field);
  if (!obj) return undefined;
  const out: CustomerInput = {};
  const name = input.optObject(obj.name, `${field}.name`);
  if (name) {
    const full = input.optString(name.full, `${field}.name.full`);
    const separated = input.optObject(name.separated, `${field}.name.separated`);
    out.name = {
      ...(full !== undefined ? { full } : {}),
      ...(separated
        ? { separated: { first: input.string(separated.first, `${field}.name.separated.first`), last: input.string(separated.last, `${field}.name.separated.last`) } }
        : {}),
    };
  }
  for (const key of ['id', 'birthYear', 'birthMonth', 'birthDay', 'email', 'phoneNumber', 'zipcode', 'businessRegistrationNumber', 'country', 'gender'] as const) {
    const v = input.optString(obj[key], `${field}.${key}`);
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  const address = input.optObject(obj.address, `${field}.address`);
  if (address) {
    out.address = {
      addressLine1: input.string(address.addressLine1, `${field}.address.addressLine1`),
      addressLine2: input.string(address.addressLine2, `${field}.address.addressLine2`),
      ...(input.optString(address.city, `${field}.address.city`) ? { city: address.city as string } : {}),
      ...(input.optString(address.province, `${field}.address.province`) ? { province: address.province as string } : {}),
      ...(input.optString(address.country, `${field}.address.country`) ? { country: address.country as string } : {}),
    };
  }
  return out;
}

/** KG Inicis requires a name, a phone number and an e-mail for API payments and billing keys (§5.3). */
export function requireInicisCustomer(customer: Customer, field = 'customer'): void {
  const missing = [
    customer.name ? undefined : `\`${field}.name\` (full or separated)`,
    customer.phoneNumber ? undefined : `\`${field}.phoneNumber\``,
    customer.email ? undefined : `\`${field}.email\``,
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ApiError('INVALID_REQUEST', `KG이니시스 채널은 구매자 정보가 필요합니다: ${missing.join(', ')} 누락 (KG Inicis requires the customer's name, phone number and e-mail).`);
  }
}

export function readCustomer(value: unknown, field = 'customer'): Customer {
  return customerFromInput(readCustomerInput(value, field));
}

export function readProducts(value: unknown, field = 'products'): PaymentProduct[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new input.InputError(`\`${field}\`: expected an array of products, got ${input.describe(value)}`);
  return value.map((item, i) => {
    const p = input.object(item, `${field}[${i}]`);
    return {
      id: input.string(p.id, `${field}[${i}].id`),
      name: input.string(p.name, `${field}[${i}].name`),
      amount: input.integer(p.amount, `${field}[${i}].amount`, { min: 0 }),
      quantity: input.integer(p.quantity, `${field}[${i}].quantity`, { min: 1 }),
      ...(typeof p.tag === 'string' ? { tag: p.tag } : {}),
      ...(typeof p.code === 'string' ? { code: p.code } : {}),
      ...(typeof p.link === 'string' ? { link: p.link } : {}),
    };
  });
}

export interface AmountInput {
  total: number;
  taxFree: number;
  vat?: number;
}

export function readAmount(value: unknown, field = 'amount'): AmountInput {
  const amount = input.object(value, field);
  const total = input.integer(amount.total, `${field}.total`, { min: 1 });
  const taxFree = input.optInteger(amount.taxFree, `${field}.taxFree`, { min: 0 }) ?? 0;
  const vat = input.optInteger(amount.vat, `${field}.vat`, { min: 0 });
  return { total, taxFree, ...(vat !== undefined ? { vat } : {}) };
}

export function checkAmountParts(amount: AmountInput): void {
  if (amount.taxFree + (amount.vat ?? 0) > amount.total) {
    throw new ApiError('SUM_OF_PARTS_EXCEEDS_TOTAL_AMOUNT', `amount.taxFree (${amount.taxFree}) + amount.vat (${amount.vat ?? 0}) exceeds amount.total (${amount.total}).`);
  }
}

/** KG Inicis through PortOne takes KRW and USD (USD for cards only). */
export function readInicisCurrency(value: unknown, field: string, { cardOnly }: { cardOnly: boolean }): 'KRW' | 'USD' {
  const currency = input.string(value, field);
  if (currency !== 'KRW' && currency !== 'USD') throw new input.InputError(`\`${field}\`: KG Inicis accepts KRW or USD, got ${input.describe(value)}`);
  if (currency === 'USD' && !cardOnly) throw new input.InputError(`\`${field}\`: KG Inicis takes USD for card payments only, got USD for a non-card method`);
  return currency;
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

/** Reads a `BillingKeyPaymentInput` (also the `payment` of a schedule) and the key it charges. */
export function readBillingKeyPayment(core: SandboxCore, body: input.Json, prefix = '') {
  const { runtime, ledger } = core;
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
  runtime.checkStore(parsed.storeId);
  const key = ledger.requireBillingKey(parsed.billingKey);
  if (key.status === 'DELETED') throw new ApiError('BILLING_KEY_ALREADY_DELETED', `Billing key ${JSON.stringify(parsed.billingKey)} was deleted at ${(key.info as { deletedAt?: string }).deletedAt}.`);
  const channelKey = parsed.channelKey ?? key.info.channels[0]?.key;
  if (!key.info.channels.some((c) => c.key === channelKey) || !runtime.paymentChannel(channelKey)) {
    throw new ApiError('CHANNEL_NOT_FOUND', `Channel key ${JSON.stringify(parsed.channelKey)} is not a channel of billing key ${parsed.billingKey}.`);
  }
  checkAmountParts(parsed.amount);
  const customer = mergeCustomer(key.info.customer, parsed.customer);
  requireInicisCustomer(customer, f('customer'));
  const isMobileKey = key.info.methods?.[0]?.type === 'BillingKeyPaymentMethodMobile';
  if (isMobileKey && parsed.currency !== 'KRW') throw new ApiError('INVALID_REQUEST', `\`${f('currency')}\`: phone billing charges KRW only, got ${parsed.currency}.`);
  return { parsed, key, channel: runtime.paymentChannel(channelKey)!, customer };
}
