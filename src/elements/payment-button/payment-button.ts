// <portone-payment-button>: a KG Inicis payment through `requestPayment`, with every Inicis window
// option as an attribute.
import type { PropertyDeclarations } from '@lit/reactive-element';
import type { InicisV2Bypass, PaymentRequest } from '../../client/portone-types.js';
import { portOne } from '../../client/loader.js';
import type { ROUTES, CompletePaymentRequest, PreparedPayment } from '../../contract.js';
import { applyPreparedOrder, buildPaymentRequest, type Built } from '../../client/request.js';
import type { Violation } from '../../inicis/violation.js';
import { OrderCheckoutElement } from '../base/order-checkout-element.js';
import type { Attempt } from '../base/attempt-controller.js';
import { orderOutcome, type SuccessEvent } from '../base/outcome.js';
import { PortonePaidEvent, PortoneVirtualAccountIssuedEvent, type SdkResult } from '../events.js';

/**
 * A button that takes one PortOne payment through KG Inicis (`PortOne.requestPayment`).
 *
 * It checks KG Inicis's rules before the window opens, sets every Inicis window option from HTML,
 * and finishes mobile redirects on return the same way as windows that stay on the page. With
 * `endpoint`, the verification kit prices the cart before the click and verifies the payment after.
 *
 * @tagname portone-payment-button
 * @summary Takes a KG Inicis payment through PortOne's `requestPayment`.
 * @fires {PortonePaidEvent} portone-paid - Paid (verified by the kit with `endpoint`).
 * @fires {PortoneVirtualAccountIssuedEvent} portone-virtual-account-issued - A virtual account awaits the deposit (`pay-method="VIRTUAL_ACCOUNT"`).
 */
export class PortonePaymentButton extends OrderCheckoutElement<'payment'> {
  static override properties: PropertyDeclarations = {
    payMethod: { attribute: 'pay-method' },
    confirmUrl: { attribute: 'confirm-url' },
    inicisLogoUrl: { attribute: 'inicis-logo-url' },
    inicisLogo2nd: { attribute: 'inicis-logo-2nd' },
    inicisSkin: { attribute: 'inicis-skin' },
    inicisParentEmail: { attribute: 'inicis-parent-email' },
    inicisSsgpayPhone: { attribute: 'inicis-ssgpay-phone' },
    inicisSlimquota: { attribute: 'inicis-slimquota' },
    inicisMallpoint: { attribute: 'inicis-mallpoint' },
    inicisCard: { attribute: 'inicis-card' },
    inicisMerchantName: { attribute: 'inicis-merchant-name' },
    inicisOptions: { attribute: 'inicis-options' },
    inicis: { attribute: false },
  };

  /** `payMethod`: `CARD`, `TRANSFER`, `VIRTUAL_ACCOUNT`, `MOBILE`, `GIFT_CERTIFICATE` or `EASY_PAY`. */
  payMethod = 'CARD';
  /** PortOne's confirm process: the URL PortOne asks before it approves (with `endpoint`, the kit's answer decides it). */
  confirmUrl?: string;
  /** PC: main logo URL in the window (`logo_url`, about 89×18). */
  inicisLogoUrl?: string;
  /** PC: sub logo URL (`logo_2nd`, about 64×13). */
  inicisLogo2nd?: string;
  /** PC: window colour as `#RRGGBB` (`acceptmethod` `SKIN(…)`). */
  inicisSkin?: string;
  /** PC: guardian e-mail for shoppers under 14 (`parentemail`; no special characters but `@` and `.`). */
  inicisParentEmail?: string;
  /** PC: phone for the SSGPAY push (`Ini_SSGPAY_MDN`); hyphens are dropped. */
  inicisSsgpayPhone?: string;
  /** PC: partial interest-free months, e.g. `11-2:3^34-2:3` (`acceptmethod` `slimquota(…)`). */
  inicisSlimquota?: string;
  /** PC: mall points by card code, e.g. `11:34` (`acceptmethod` `mallpoint(…)`). */
  inicisMallpoint?: string;
  /** Mobile: preselected card code, e.g. `14` (`P_CARD_OPTION` `selcode=14`). */
  inicisCard?: string;
  /** Mobile: merchant name in the window (`P_MNAME`). */
  inicisMerchantName?: string;
  /** Space-separated flags: `below1000 noeasypay ocb paypopup hidebar global-visa3d apprun-check`. */
  inicisOptions?: string;
  /** A raw `bypass.inicis_v2` object, merged over the `inicis-*` attributes key by key. */
  inicis?: InicisV2Bypass;

  /** Any `PaymentRequest` field, merged last (key by key; with `endpoint`, the kit's ids and amounts still win). */
  declare request?: Partial<PaymentRequest>;

  protected readonly kind = 'payment';
  protected readonly routes: readonly [typeof ROUTES.preparePayment, typeof ROUTES.completePayment] = ['/payments/prepare', '/payments/complete'];
  protected readonly texts = {
    ko: { label: '결제하기', done: '결제가 완료되었습니다', fail: '결제 실패' },
    en: { label: 'Pay', done: 'Payment complete', fail: 'Payment failed' },
  };

  protected build(): Built<PaymentRequest> {
    return buildPaymentRequest(this, {
      logoUrl: this.inicisLogoUrl,
      logo2nd: this.inicisLogo2nd,
      skin: this.inicisSkin,
      parentEmail: this.inicisParentEmail,
      ssgpayPhone: this.inicisSsgpayPhone,
      slimquota: this.inicisSlimquota,
      mallpoint: this.inicisMallpoint,
      card: this.inicisCard,
      merchantName: this.inicisMerchantName,
      options: this.inicisOptions,
    });
  }

  protected prepareBody(violations: Violation[]) {
    return this.orderPrepareBody(violations, this.payMethod);
  }

  protected applyPrepared(request: PaymentRequest, prepared: unknown): PaymentRequest {
    return applyPreparedOrder(request, prepared as PreparedPayment);
  }

  protected callSdk(request: PaymentRequest) {
    return portOne().requestPayment(request);
  }

  protected completeBody(result: SdkResult, attempt: Attempt): CompletePaymentRequest {
    // On a manual-approval channel nothing is charged until the kit confirms with the token.
    return { paymentId: result.paymentId ?? attempt.id, txId: result.txId, transactionType: result.transactionType, paymentToken: result.paymentToken };
  }

  protected outcome(result: SdkResult, answer: unknown, attempt: Attempt): SuccessEvent {
    const detail = { paymentId: result.paymentId ?? attempt.id, txId: result.txId, response: result };
    if (answer !== undefined) return orderOutcome(answer, detail);
    // Without the kit, the pay method tells: a virtual account "succeeds" when it is issued.
    return attempt.payMethod === 'VIRTUAL_ACCOUNT' ? new PortoneVirtualAccountIssuedEvent(detail) : new PortonePaidEvent(detail);
  }
}
