// Billing keys as PortOne reports them (GET /billing-keys/{key}) and as the kit keeps them: shared
// by the billing-key routes and by the sync, which stores the key a billing-key-and-pay payment used.
import { isUnrecognizedBillingKeyInfo } from '@portone/server-sdk/payment/billingKey';
import type { KitContext } from './context.js';
import { CheckoutError } from './errors.js';
import type { StoredBillingKey } from './model.js';
import { PortOneRejection } from './portone.js';
import { billingKeyDisplay, maskKey, type KnownBillingKeyInfo } from './verify.js';

/** Reads a key from PortOne; one PortOne does not know is a 409, PortOne being down a 503. */
export async function readBillingKey(ctx: KitContext, billingKey: string): Promise<KnownBillingKeyInfo> {
  let info;
  try {
    info = await ctx.portone.getBillingKey(billingKey);
  } catch (error) {
    if (error instanceof PortOneRejection && (error.type === 'BILLING_KEY_NOT_FOUND' || error.type === 'INVALID_REQUEST')) {
      throw new CheckoutError('BILLING_KEY_NOT_FOUND', `billingKey: expected a key PortOne issued, got ${maskKey(billingKey)} which PortOne does not know`);
    }
    if (error instanceof PortOneRejection) throw new CheckoutError('PORTONE_REJECTED', error.message, { cause: error });
    throw error;
  }
  if (isUnrecognizedBillingKeyInfo(info)) {
    throw new CheckoutError('BILLING_KEY_NOT_ISSUED', `billing key ${maskKey(billingKey)}: status expected "ISSUED", got one this kit does not know`);
  }
  return info;
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
