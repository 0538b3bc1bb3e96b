// portone-checkout-kit/server: the verification endpoint kit.
export { createCheckoutServer, type CheckoutServer } from './create-checkout-server.js';
export { CheckoutError, ERROR_CODES, badCart, refuse, type ErrorCode } from './errors.js';
export type { CheckoutFlow } from '../contract.js';
export type {
  BillingKeyIssuedEvent,
  BillingPlan,
  CancelledEvent,
  Cart,
  CheckoutHooks,
  CheckoutLogger,
  CheckoutServerOptions,
  FailedEvent,
  IdentityRejectionCode,
  IdentityVerificationOptions,
  IdentityVerifiedEvent,
  PaidEvent,
  PaymentChannelChooser,
  PriceContext,
  PricedLine,
  PricedOrder,
  ReleaseEvent,
  ReserveEvent,
  VerifiedPerson,
  VirtualAccountIssuedEvent,
} from './options.js';
export type { CancelOptions } from './payments.js';
export type { PruneOptions, ReconcileOptions, ReconcileReport } from './maintenance.js';
export type {
  Approval,
  BillingKeyIssue,
  EventStatus,
  EventType,
  FailureInfo,
  FlagInfo,
  HookEvent,
  IdentityVerificationRecord,
  NewEvent,
  NewOrder,
  Order,
  OrderKind,
  OrderLine,
  OrderPatch,
  StoredBillingKey,
  Subscription,
  SubscriptionPatch,
  SubscriptionStatus,
  VirtualAccountInfo,
  WebhookDelivery,
} from './model.js';
export type * from './store/port.js';
export { ageInKorea } from './identity.js';
export { verifyPayment, verifyBillingKey, type Verdict, type Mismatch, type VerificationPolicy } from './verify.js';
export type { WebhookAnswer } from './webhooks.js';
export type { RefundAccount } from './portone.js';
