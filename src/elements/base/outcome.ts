// How an attempt's end reaches the page and the shopper: the kit's verified answer mapped to a
// success event, the status line a success shows, and any failure mapped to `portone-fail`'s detail.
import type { OrderResponse } from '../../contract.js';
import { CheckoutApiError } from '../../client/api.js';
import { SdkLoadError } from '../../client/loader.js';
import type { Lang } from '../../inicis/violation.js';
import {
  PortoneBillingKeyIssuedEvent,
  PortoneIdentityVerifiedEvent,
  PortonePaidEvent,
  PortoneVirtualAccountIssuedEvent,
  type FailCode,
  type PortoneFailDetail,
  type PortonePaymentDetail,
} from '../events.js';
import type { Texts } from './texts.js';

/** The event that ends a successful attempt. */
export type SuccessEvent = PortonePaidEvent | PortoneVirtualAccountIssuedEvent | PortoneBillingKeyIssuedEvent | PortoneIdentityVerifiedEvent;

/**
 * The event for an order the kit verified: PAID → `portone-paid`, VIRTUAL_ACCOUNT_ISSUED →
 * `portone-virtual-account-issued`; anything else is a failure (`NOT_PAID`).
 */
export function orderOutcome(answer: unknown, detail: PortonePaymentDetail): SuccessEvent {
  const result = answer as OrderResponse;
  const order = result?.order;
  if (typeof order?.status !== 'string') throw new CheckoutApiError('BAD_RESPONSE' satisfies FailCode, 'The complete answer has no order.status', 200);
  const verified: PortonePaymentDetail = { ...detail, order, subscription: result.subscription, result };
  // The key the kit stored, when it answered one, is the one the page keeps.
  if (result.billingKey) verified.billingKey = result.billingKey.billingKey;
  if (order.status === 'PAID') return new PortonePaidEvent(verified);
  if (order.status === 'VIRTUAL_ACCOUNT_ISSUED') return new PortoneVirtualAccountIssuedEvent(verified);
  const reason = order.failure?.pgMessage ?? order.failure?.reason;
  // The PG's own words, when there are any, are for the shopper; the kit's are for the developer.
  throw Object.assign(new CheckoutApiError('NOT_PAID' satisfies FailCode, `Payment ${order.paymentId} is ${order.status}${reason ? `: ${reason}` : ''}`, 200), {
    pgMessage: order.failure?.pgMessage,
  });
}

/** The status line after a success: the button's word, the account for a virtual account, the order's name for a payment. */
export function successStatus(event: SuccessEvent, orderName: string | undefined, t: Texts): string {
  if (event instanceof PortoneVirtualAccountIssuedEvent) {
    const account = event.detail.order?.virtualAccount;
    return account ? `${t.va} ${account.bank ?? ''} ${account.accountNumber}`.replace(/\s+/g, ' ') : t.va;
  }
  if (!(event instanceof PortonePaidEvent)) return t.done;
  const name = event.detail.order?.orderName ?? orderName;
  return name ? `${t.done} · ${name}` : t.done;
}

/**
 * Whether a failure came from PortOne (a failed SDK result, or the SDK's own error object), whose
 * messages are written for shoppers; the kit's, the element's and anything else thrown are not.
 */
export const fromPortOne = (error: unknown): boolean => !(error instanceof Error) || '__portOneErrorType' in error;

/**
 * `portone-fail`'s detail for anything an attempt threw or PortOne answered: the source's code and
 * message, and a message for the shopper in `lang` (the shop's `shopperMessage` as is, PortOne's or
 * the PG's words, or the element's own). `verifying`: the failure came while the kit was confirming
 * a payment the SDK reported, which is not a failed payment unless the kit says so.
 */
export function failDetail(error: unknown, lang: Lang, t: Texts, verifying: boolean): PortoneFailDetail {
  const e = error as Partial<PortoneFailDetail & CheckoutApiError>;
  const detail: PortoneFailDetail = {
    code: e.code ?? 'UNKNOWN',
    message: e.message ?? String(error),
    pgCode: e.pgCode,
    pgMessage: e.pgMessage,
    readableMessage: '',
    violations: e.violations,
    status: e.status || undefined,
  };
  // Developer messages (the kit's, the element's, a thrown error's) stay in `message`.
  let readable = detail.pgMessage || (fromPortOne(error) ? detail.message : t.kit);
  if (error instanceof SdkLoadError) {
    detail.code = 'SDK_LOAD_FAILED' satisfies FailCode;
    readable = t.load;
  } else if (e.code === ('NETWORK_ERROR' satisfies FailCode)) readable = t.network;
  else if (e.violations) {
    detail.message = e.violations.map((v) => v.message.en).join('\n');
    readable = e.violations.map((v) => v.message[lang]).join('\n');
  }
  // Past the window, a failure to confirm is not a failed payment: say which it is.
  const prefix = verifying && detail.code !== ('NOT_PAID' satisfies FailCode) ? t.unverified : t.fail;
  // The shop wrote this one for the shopper, whole (why it refused): it is shown as it is.
  detail.readableMessage = e.shopperMessage ?? `${prefix}: ${readable}`;
  return detail;
}
