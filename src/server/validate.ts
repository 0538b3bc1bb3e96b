// Checks of the JSON bodies the elements send (src/contract.ts), field by field. Each failure is a
// 400 naming the field, what was expected and what arrived; unknown fields are ignored.
import type {
  CartItem,
  CheckoutCustomer,
  CompleteBillingKeyAndPayRequest,
  CompleteBillingKeyRequest,
  CompleteIdentityVerificationRequest,
  CompletePaymentRequest,
  PrepareIdentityVerificationRequest,
  PrepareBillingKeyAndPayRequest,
  PrepareBillingKeyRequest,
  PrepareRequest,
} from '../contract.js';
import { CheckoutError, show } from './errors.js';
import { checkId } from './http.js';

type Body = Record<string, unknown>;

const invalid = (field: string, expected: string, got: unknown): never => {
  throw new CheckoutError('INVALID_REQUEST', `${field}: expected ${expected}, got ${show(got)}`);
};

/** No control characters: they have no business in names, ids or phone numbers. */
const CONTROL = /[\u0000-\u001f\u007f]/;

function text(body: Body, field: string, max: number, where = field): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return invalid(where, `a string`, value);
  if (value.length === 0 || value.length > max) return invalid(where, `1–${max} characters`, value);
  if (CONTROL.test(value)) return invalid(where, 'text without control characters', value);
  return value;
}

export const PAY_METHODS = ['CARD', 'VIRTUAL_ACCOUNT', 'TRANSFER', 'MOBILE', 'GIFT_CERTIFICATE', 'EASY_PAY', 'PAYPAL', 'ALIPAY', 'CONVENIENCE_STORE', 'ALIPAY_PLUS'] as const;
const MAX_ITEMS = 100;
const MAX_QUANTITY = 10_000;

function customer(body: Body): CheckoutCustomer | undefined {
  return checkCustomer(body.customer, 'customer');
}

/** A customer's fields, each checked; `where` names the value in messages (`customer`, `identifyCustomer()`). */
export function checkCustomer(value: unknown, where: string): CheckoutCustomer | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return invalid(where, 'an object', value);
  const c = value as Body;
  const out: CheckoutCustomer = {};
  const fields = [
    ['customerId', 100],
    ['fullName', 100],
    ['firstName', 100],
    ['lastName', 100],
    ['phoneNumber', 30],
    ['email', 254],
  ] as const;
  for (const [field, max] of fields) {
    const v = text(c, field, max, `${where}.${field}`);
    if (v !== undefined) out[field] = v;
  }
  if (out.customerId !== undefined && !/^[\x21-\x7e]+$/.test(out.customerId)) invalid(`${where}.customerId`, 'printable ASCII', out.customerId);
  if (out.phoneNumber !== undefined && !/^[0-9+\-() ]+$/.test(out.phoneNumber)) invalid(`${where}.phoneNumber`, 'digits, "+", "-", "(", ")" or spaces', out.phoneNumber);
  if (out.email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(out.email)) invalid(`${where}.email`, 'an e-mail address', out.email);
  return out;
}

/**
 * An id named like a member of Object.prototype (`__proto__`, `constructor`…): never a shop's product
 * or order, and a shop looking ids up in a plain object (`CATALOG[id]`) would find the prototype's
 * members — so it never reaches `priceOrder`.
 */
const prototypeName = (id: string): boolean => id in Object.prototype;

function items(body: Body): CartItem[] | undefined {
  const value = body.items;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return invalid('items', `an array of { id, quantity }`, value);
  if (value.length === 0 || value.length > MAX_ITEMS) return invalid('items', `1–${MAX_ITEMS} lines`, value);
  return value.map((item: unknown, index) => {
    const where = `items[${index}]`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) return invalid(where, '{ id, quantity }', item);
    const id = text(item as Body, 'id', 100, `${where}.id`);
    if (id === undefined) return invalid(`${where}.id`, 'a product id', undefined);
    if (prototypeName(id)) return invalid(`${where}.id`, 'a product id', id);
    const quantity = (item as Body).quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      return invalid(`${where}.quantity`, `an integer from 1 to ${MAX_QUANTITY}`, quantity);
    }
    return { id, quantity };
  });
}

function payMethod(body: Body): string | undefined {
  const value = body.payMethod;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(PAY_METHODS as readonly string[]).includes(value)) return invalid('payMethod', `one of ${PAY_METHODS.join(', ')}`, value);
  return value;
}

function plan(body: Body, plans: Record<string, unknown>): string | undefined {
  const value = body.plan;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return invalid('plan', 'a plan id', value);
  if (!Object.hasOwn(plans, value)) {
    const known = Object.keys(plans);
    throw new CheckoutError('UNKNOWN_PLAN', `plan: expected ${known.length ? `one of ${known.map((k) => JSON.stringify(k)).join(', ')}` : 'no plan (this shop has none)'}, got ${show(value)}`);
  }
  return value;
}

export function prepareRequest(body: Body, cartRequired = true): PrepareRequest {
  const out: PrepareRequest = {};
  const list = items(body);
  const orderId = text(body, 'orderId', 100);
  if (orderId !== undefined && prototypeName(orderId)) invalid('orderId', "one of the shop's order ids", orderId);
  if (list === undefined && orderId === undefined && cartRequired) invalid('items', 'a cart (items) or an orderId', undefined);
  if (list !== undefined && orderId !== undefined) invalid('orderId', 'either items or orderId, not both', orderId);
  if (list) out.items = list;
  if (orderId !== undefined) out.orderId = orderId;
  const c = customer(body);
  if (c) out.customer = c;
  const method = payMethod(body);
  if (method) out.payMethod = method;
  const previous = optionalId(body, 'previousPaymentId');
  if (previous !== undefined) out.previousPaymentId = previous;
  return out;
}

/** An id the kit handed out earlier, sent back; absent when null or missing. */
function optionalId(body: Body, field: string): string | undefined {
  const value = body[field];
  return value === undefined || value === null ? undefined : checkId(value, field);
}

/** With a plan the plan is the price, so there is no cart; without one, a cart as for payments. */
export function prepareBillingKeyAndPayRequest(body: Body, plans: Record<string, unknown>): PrepareBillingKeyAndPayRequest {
  const p = plan(body, plans);
  const out: PrepareBillingKeyAndPayRequest = prepareRequest(body, p === undefined);
  if (p !== undefined) {
    // A cart priced on its own would make the first period cost whatever the cart costs.
    if (out.items !== undefined) invalid('items', `no cart with a plan (plan ${JSON.stringify(p)} is the price of the first period)`, out.items);
    if (out.orderId !== undefined) invalid('orderId', `no shop order with a plan (plan ${JSON.stringify(p)} is the price of the first period)`, out.orderId);
    out.plan = p;
  }
  return out;
}

export function prepareBillingKeyRequest(body: Body, plans: Record<string, unknown>): PrepareBillingKeyRequest {
  const out: PrepareBillingKeyRequest = {};
  const c = customer(body);
  if (c) out.customer = c;
  const p = plan(body, plans);
  if (p !== undefined) out.plan = p;
  const previous = optionalId(body, 'previousIssueId');
  if (previous !== undefined) out.previousIssueId = previous;
  return out;
}

function billingKey(body: Body): string {
  const value = body.billingKey;
  if (typeof value !== 'string') return invalid('billingKey', 'the billing key PortOne issued (a string)', value);
  // It becomes a path segment of GET /billing-keys/{key}: "." and ".." would name another resource.
  if (value.length === 0 || value.length > 200 || !/^[\x21-\x7e]+$/.test(value) || /[/\\]/.test(value) || value === '.' || value.includes('..')) {
    return invalid('billingKey', '1–200 printable ASCII characters without "/", "\\" or ".." (the key PortOne issued)', value);
  }
  return value;
}

export function completePaymentRequest(body: Body): CompletePaymentRequest {
  const out: CompletePaymentRequest = { paymentId: checkId(body.paymentId, 'paymentId') };
  const txId = text(body, 'txId', 200);
  if (txId !== undefined) out.txId = txId;
  const transactionType = text(body, 'transactionType', 50);
  if (transactionType !== undefined) out.transactionType = transactionType;
  const paymentToken = token(body, 'paymentToken');
  if (paymentToken !== undefined) out.paymentToken = paymentToken;
  return out;
}

/** The key the window answered with, or the manual-approval pair (`NEEDS_CONFIRMATION` and its `billingIssueToken`). */
function issuedOrToken(body: Body): { billingKey: string; billingIssueToken?: string } {
  const key = billingKey(body);
  const billingIssueToken = token(body, 'billingIssueToken');
  if (key === NEEDS_CONFIRMATION && billingIssueToken === undefined) {
    return invalid('billingIssueToken', 'the token a manual-approval window answers with, beside billingKey "NEEDS_CONFIRMATION"', undefined);
  }
  if (key !== NEEDS_CONFIRMATION && billingIssueToken !== undefined) return invalid('billingKey', '"NEEDS_CONFIRMATION" beside a billingIssueToken (the key is issued when the kit confirms it)', key);
  return billingIssueToken === undefined ? { billingKey: key } : { billingKey: key, billingIssueToken };
}

export function completeBillingKeyRequest(body: Body): CompleteBillingKeyRequest {
  const out: CompleteBillingKeyRequest = issuedOrToken(body);
  if (body.issueId !== undefined && body.issueId !== null) out.issueId = checkId(body.issueId, 'issueId');
  // A token carries no issue of its own: the prepare's issueId says which issue it approves.
  if (out.billingIssueToken !== undefined && out.issueId === undefined) return invalid('issueId', 'the issueId the prepare answered, beside a billingIssueToken', undefined);
  return out;
}

export function completeBillingKeyAndPayRequest(body: Body): CompleteBillingKeyAndPayRequest {
  const out: CompleteBillingKeyAndPayRequest = { paymentId: checkId(body.paymentId, 'paymentId'), ...issuedOrToken(body) };
  const txId = text(body, 'txId', 200);
  if (txId !== undefined) out.txId = txId;
  return out;
}

export function completeIdentityVerificationRequest(body: Body): CompleteIdentityVerificationRequest {
  const out: CompleteIdentityVerificationRequest = { identityVerificationId: checkId(body.identityVerificationId, 'identityVerificationId') };
  const txId = text(body, 'identityVerificationTxId', 200);
  if (txId !== undefined) out.identityVerificationTxId = txId;
  const transactionType = text(body, 'transactionType', 50);
  if (transactionType !== undefined) out.transactionType = transactionType;
  return out;
}

export function prepareIdentityVerificationRequest(body: Body): PrepareIdentityVerificationRequest {
  const out: PrepareIdentityVerificationRequest = {};
  const c = customer(body);
  if (c) out.customer = c;
  if (body.previousIdentityVerificationId !== undefined && body.previousIdentityVerificationId !== null) {
    out.previousIdentityVerificationId = checkId(body.previousIdentityVerificationId, 'previousIdentityVerificationId');
  }
  return out;
}

/** What a manual-approval window answers with in place of the billing key. */
export const NEEDS_CONFIRMATION = 'NEEDS_CONFIRMATION';

/** A manual-approval token: opaque printable ASCII from PortOne, never shown back (it is a credential). */
function token(body: Body, field: 'paymentToken' | 'billingIssueToken'): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 1_000 || !/^[\x21-\x7e]+$/.test(value)) {
    return invalid(field, `the token a manual-approval window answered with (1–1000 printable ASCII characters)`, typeof value === 'string' ? { length: value.length } : value);
  }
  return value;
}
