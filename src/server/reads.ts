// What the kit reads from PortOne before it decides anything — a payment, a billing key — and what
// it checks them against: the verification policy of an order's flow, the expectation a billing key
// must meet. PortOne's answer is the truth; the browser's report and a webhook's body are only hints.
import { isUnrecognizedPayment } from '@portone/server-sdk/payment';
import { isUnrecognizedBillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import type { CheckoutFlow } from '../contract.js';
import type { PaymentChannelChooser } from './options.js';
import type { KitContext } from './context.js';
import { CheckoutError } from './errors.js';
import type { Order, StoredBillingKey } from './model.js';
import { PortOneRejection, rejected } from './portone.js';
import { billingKeyDisplay, maskKey, type BillingKeyExpectation, type KnownBillingKeyInfo, type KnownPayment, type VerificationPolicy } from './verify.js';

/** Reads PortOne's payment; a payment PortOne does not know is a 409, PortOne being down a 503. `undefined`: a status this kit does not know. */
export async function readPayment(ctx: KitContext, paymentId: string): Promise<KnownPayment | undefined> {
  let payment;
  try {
    payment = await ctx.portone.getPayment(paymentId);
  } catch (error) {
    if (error instanceof PortOneRejection && error.type === 'PAYMENT_NOT_FOUND') {
      throw new CheckoutError('PAYMENT_NOT_FOUND', `PortOne has no payment ${paymentId}: expected the payment window to have been completed first`);
    }
    throw rejected(error);
  }
  if (isUnrecognizedPayment(payment)) {
    ctx.log.warn(`PortOne returned payment ${paymentId} with a status this kit does not know; leaving the order as it is`);
    return undefined;
  }
  return payment;
}

/** Reads a key from PortOne; one PortOne does not know is a 409, PortOne being down a 503. */
export async function readBillingKey(ctx: KitContext, billingKey: string): Promise<KnownBillingKeyInfo> {
  let info;
  try {
    info = await ctx.portone.getBillingKey(billingKey);
  } catch (error) {
    if (error instanceof PortOneRejection && (error.type === 'BILLING_KEY_NOT_FOUND' || error.type === 'INVALID_REQUEST')) {
      throw new CheckoutError('BILLING_KEY_NOT_FOUND', `billingKey: expected a key PortOne issued, got ${maskKey(billingKey)} which PortOne does not know`);
    }
    throw rejected(error);
  }
  if (isUnrecognizedBillingKeyInfo(info)) {
    throw new CheckoutError('BILLING_KEY_NOT_ISSUED', `billing key ${maskKey(billingKey)}: status expected "ISSUED", got one this kit does not know`);
  }
  return info;
}

/**
 * The channel a payment order is to be paid through: `channelKeys.payment`, or what the shop's
 * function of the order answers. A function that throws or answers no key is the shop's bug: a
 * 500, never a payment let through on an unchecked channel.
 */
export function paymentChannelKey(ctx: KitContext, order: Parameters<PaymentChannelChooser>[0]): string | undefined {
  const chooser = ctx.options.channelKeys.payment;
  if (typeof chooser !== 'function') return chooser;
  let key: unknown;
  try {
    key = chooser(order);
  } catch (error) {
    ctx.log.error('channelKeys.payment threw', { error: error instanceof Error ? error : String(error) });
    throw new CheckoutError('SHOP_CONFIGURATION', 'the shop could not pick the payment channel for this order (channelKeys.payment failed); see the server log');
  }
  if (typeof key !== 'string' || key.trim() === '') {
    ctx.log.error(`channelKeys.payment answered ${typeof key === 'string' ? 'an empty string' : typeof key} for order ${order.paymentId}: expected a channel key`);
    throw new CheckoutError('SHOP_CONFIGURATION', 'the shop could not pick the payment channel for this order (channelKeys.payment answered no key); see the server log');
  }
  return key;
}

/** The policy a payment for this order is checked against; the channel is the one configured for its flow. */
export function policyFor(ctx: KitContext, order: Order): VerificationPolicy {
  const { channelKeys } = ctx.options;
  // Periods of a subscription are charged by the kit itself, on the channel the key was verified for.
  const channelKey = order.kind === 'payment' ? paymentChannelKey(ctx, order) : order.kind === 'billing-key-and-pay' ? channelKeys.billingKeyAndPay : undefined;
  return { storeId: ctx.options.portone.storeId, allowTestChannels: ctx.options.allowTestChannels, acceptDiscounts: ctx.options.acceptDiscounts, channelKey };
}

/**
 * What a billing key must be to be kept: issued for this store and customer (and issue, when PortOne
 * reports one), on the channel configured for the flow it was issued in.
 */
export function keyExpectation(ctx: KitContext, flow: Extract<CheckoutFlow, 'billing-key' | 'billing-key-and-pay'>, customerId: string, issueId?: string): BillingKeyExpectation {
  const channelKey = flow === 'billing-key' ? ctx.options.channelKeys.billingKey : ctx.options.channelKeys.billingKeyAndPay;
  return {
    storeId: ctx.options.portone.storeId,
    customerId,
    allowTestChannels: ctx.options.allowTestChannels,
    ...(issueId !== undefined ? { issueId } : {}),
    ...(channelKey ? { channelKey } : {}),
  };
}

/** The record the kit keeps of a verified key, for `customerId`. */
export function storedKey(info: KnownBillingKeyInfo, customerId: string, now: number, issueId?: string): StoredBillingKey {
  const key: StoredBillingKey = { billingKey: info.billingKey, customerId, status: 'ISSUED', issuedAt: info.issuedAt, updatedAt: now };
  const display = billingKeyDisplay(info);
  if (display) key.display = display;
  const channelKey = info.channels?.find((c) => c.key)?.key;
  if (channelKey) key.channelKey = channelKey;
  if (issueId) key.issueId = issueId;
  return key;
}
