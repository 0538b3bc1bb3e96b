// What a REST handler receives, and the shared readers for PortOne's input objects.
import type { Customer, CustomerInput, PaymentProduct } from '@portone/server-sdk/common';
import type { Auth } from '../auth.js';
import type { SandboxCore } from '../core.js';
import { ApiError } from '../errors.js';
import * as input from '../input.js';
import { customerFromInput } from '../payments.js';

export interface RestContext {
  core: SandboxCore;
  auth: Auth;
  /** Decoded path parameters, in order. */
  params: string[];
  query: URLSearchParams;
  /** The parsed JSON body (POST), `{}` when empty. */
  body: input.Json;
}

/** A pre-serialized JSON answer (the hot path sends cached text). */
export class RawJson {
  constructor(readonly text: string | Buffer) {}
}

export type Handler = (ctx: RestContext) => unknown;

/** The JSON in a list endpoint's `requestBody` query parameter (`{}` when absent). */
export function requestBody(ctx: RestContext): input.Json {
  const text = ctx.query.get('requestBody');
  if (text === null || text === '') return {};
  return input.object(input.parseJson(text, 'the `requestBody` query parameter'), 'requestBody');
}

/** Runs input readers, turning their failures into 400 INVALID_REQUEST. */
export function read<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof input.InputError) throw new ApiError('INVALID_REQUEST', error.message);
    throw error;
  }
}

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
