// <portone-billing-key-and-pay-button>: KG Inicis phone billing through
// `requestIssueBillingKeyAndPay`, which issues a billing key and takes the first payment at once.
import type { PropertyDeclarations } from '@lit/reactive-element';
import type { IssueBillingKeyAndPayRequest } from '../../client/portone-types.js';
import { portOne } from '../../client/loader.js';
import type { ROUTES, CompleteBillingKeyAndPayRequest, PrepareBillingKeyAndPayRequest, PreparedBillingKeyAndPay } from '../../contract.js';
import { applyPreparedOrder, buildBillingKeyAndPayRequest, type Built } from '../../client/request.js';
import type { Violation } from '../../inicis/violation.js';
import type { Attempt } from '../base/attempt-controller.js';
import { orderOutcome } from '../base/outcome.js';
import { OrderCheckoutElement } from '../base/order-checkout-element.js';
import { PortonePaidEvent, type SdkResult } from '../events.js';

/**
 * A button that issues a phone billing key and takes the first payment with it, through KG Inicis
 * (`PortOne.requestIssueBillingKeyAndPay`).
 *
 * KG Inicis offers this for mobile phones only (`MOBILE`; its guide's `PHONE` is accepted and sent
 * as `MOBILE`), needs `product-type`, the shopper's phone and e-mail on every device, and on
 * mobile an `offer-period`. Success fires `portone-paid` with the billing key in its detail and,
 * with `endpoint`, all the kit answered: the order, the stored billing key and the subscription.
 *
 * @tagname portone-billing-key-and-pay-button
 * @summary Issues a KG Inicis phone billing key and pays through PortOne's `requestIssueBillingKeyAndPay`.
 * @attr {string} customer-phone - `customer.phoneNumber`; KG Inicis needs it here on every device.
 * @attr {string} customer-email - `customer.email`; KG Inicis needs it here on every device.
 */
export class PortoneBillingKeyAndPayButton extends OrderCheckoutElement<'billing-key-and-pay'> {
  static override properties: PropertyDeclarations = {
    billingKeyAndPayMethod: { attribute: 'billing-key-and-pay-method' },
    plan: { attribute: 'plan' },
  };

  /** `billingKeyAndPayMethod`: `MOBILE` (KG Inicis's `PHONE` is sent as `MOBILE`). */
  billingKeyAndPayMethod = 'MOBILE';
  /** With `endpoint`: the id of one of the kit's billing plans. */
  plan?: string;
  /** `customer.phoneNumber`; KG Inicis needs it here on every device. */
  declare customerPhone?: string;
  /** `customer.email`; KG Inicis needs it here on every device. */
  declare customerEmail?: string;

  /** Any `IssueBillingKeyAndPayRequest` field, merged last (key by key; with `endpoint`, the kit's ids and amounts still win). */
  declare request?: Partial<IssueBillingKeyAndPayRequest>;

  protected readonly kind = 'billing-key-and-pay';
  protected readonly routes: readonly [typeof ROUTES.prepareBillingKeyAndPay, typeof ROUTES.completeBillingKeyAndPay] = ['/billing-key-and-pay/prepare', '/billing-key-and-pay/complete'];
  protected readonly texts = {
    ko: { label: '휴대폰으로 결제하기', done: '결제가 완료되었습니다', fail: '결제 실패' },
    en: { label: 'Pay by phone', done: 'Payment complete', fail: 'Payment failed' },
  };

  /** A plan is a price too: a cart, a shop's order or a plan. */
  protected override missing(): string[] | undefined {
    return this.plan ? undefined : super.missing() && ['items', 'order-id', 'plan'];
  }

  protected build(): Built<IssueBillingKeyAndPayRequest> {
    return buildBillingKeyAndPayRequest(this);
  }

  protected prepareBody(violations: Violation[]): PrepareBillingKeyAndPayRequest {
    return { ...this.orderPrepareBody(violations, 'MOBILE'), plan: this.plan || undefined };
  }

  protected applyPrepared(request: IssueBillingKeyAndPayRequest, prepared: unknown): IssueBillingKeyAndPayRequest {
    return applyPreparedOrder(request, prepared as PreparedBillingKeyAndPay);
  }

  protected callSdk(request: IssueBillingKeyAndPayRequest) {
    return portOne().requestIssueBillingKeyAndPay(request);
  }

  protected completeBody(result: SdkResult, attempt: Attempt): CompleteBillingKeyAndPayRequest {
    // On a manual-approval channel key and txId are `NEEDS_CONFIRMATION` until the kit confirms with the token.
    return { paymentId: result.paymentId ?? attempt.id, billingKey: result.billingKey!, txId: result.txId, billingIssueToken: result.billingIssueToken };
  }

  protected outcome(result: SdkResult, answer: unknown, attempt: Attempt) {
    const detail = { paymentId: result.paymentId ?? attempt.id, txId: result.txId, billingKey: result.billingKey, response: result };
    return answer === undefined ? new PortonePaidEvent(detail) : orderOutcome(answer, detail);
  }
}
