// `portone-checkout-kit`: the checkout elements' classes, events and types, with no side effects
// (nothing is registered; import `portone-checkout-kit/define` for that).
export { PortonePaymentButton } from './elements/payment-button/payment-button.js';
export { PortoneBillingKeyButton } from './elements/billing-key-button/billing-key-button.js';
export { PortoneBillingKeyAndPayButton } from './elements/billing-key-and-pay-button/billing-key-and-pay-button.js';
export { PortoneIdentityVerificationButton } from './elements/identity-verification-button/identity-verification-button.js';
export { CheckoutElement } from './elements/base/checkout-element.js';
export { CHECKOUT_STATES } from './elements/base/attempt-controller.js';
export type { CheckoutState } from './elements/base/attempt-controller.js';
export type { ButtonTexts } from './elements/base/texts.js';
export { PaymentCheckoutElement } from './elements/base/payment-checkout-element.js';
export { OrderCheckoutElement } from './elements/base/order-checkout-element.js';
export {
  FAIL_CODES,
  PortoneRequestEvent,
  PortonePaidEvent,
  PortoneVirtualAccountIssuedEvent,
  PortoneBillingKeyIssuedEvent,
  PortoneIdentityVerifiedEvent,
  PortoneCancelEvent,
  PortoneFailEvent,
  PortoneReadyEvent,
  PortoneIncompleteEvent,
} from './elements/events.js';
export type {
  FailCode,
  SdkResult,
  PortoneRequestDetail,
  PortoneSuccessDetail,
  PortonePaymentDetail,
  PortoneBillingKeyDetail,
  PortoneIdentityVerificationDetail,
  PortoneCancelDetail,
  PortoneFailDetail,
  PortoneIncompleteDetail,
} from './elements/events.js';
export { setSdkUrl, setSdkLoadTimeout, DEFAULT_SDK_URL, SdkLoadError } from './client/loader.js';
export { detectDevice } from './client/device.js';
export { parseRedirectQuery, resultId, stripRedirectParams } from './client/redirect.js';
export type { RedirectResult, ExpectedAttempt } from './client/redirect.js';
export { pendingAttempt } from './client/pending.js';
export type { PendingAttempt } from './client/pending.js';
export type { RequestKind, RequestOf, AnyCheckoutRequest } from './client/request.js';
export type { Violation, Lang } from './inicis/violation.js';
export type { Device } from './inicis/rules.js';
export type {
  CheckoutElementTags,
  CheckoutElementEvents,
  CheckoutElementProps,
  CheckoutElementAttributes,
  CheckoutEventProps,
  CheckoutIntrinsicElements,
  KebabCase,
} from './jsx.js';
// The PortOne SDK shapes the elements take (`.request`, `.customer`, `.inicis`) and give (`detail.response`).
export type {
  PaymentRequest,
  IssueBillingKeyRequest,
  IssueBillingKeyAndPayRequest,
  IdentityVerificationRequest,
  PaymentResponse,
  IssueBillingKeyResponse,
  IssueBillingKeyAndPayResponse,
  IdentityVerificationResponse as SdkIdentityVerificationResponse,
  IdentityVerificationBypass,
  InicisUnifiedIdentityVerificationBypass,
  InicisUnifiedDirectAgency,
  Customer,
  OfferPeriod,
  InicisV2Bypass,
  InicisV2IssueBillingKeyBypass,
} from './client/portone-types.js';
export * from './contract.js';
