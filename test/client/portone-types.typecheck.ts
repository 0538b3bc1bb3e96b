// Keeps src/client/portone-types.ts in step with @portone/browser-sdk 0.1.11's own typings (checked
// by `npm run typecheck`, never executed): the package declares these shapes itself so that no
// declaration it ships imports the SDK's, whose duplicate exports break `skipLibCheck: false`.
import type * as Sdk from '@portone/browser-sdk/v2';
import type * as Ours from '../../src/client/portone-types.js';
import type { SdkResult } from '../../src/elements/events.js';

type Is<T extends true> = T;
type Extends<A, B> = [A] extends [B] ? true : false;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;

/** Every request the SDK accepts, ours accepts: a shop's valid request is never refused by our types. */
export type Requests = [
  Is<Extends<Sdk.PaymentRequest, Ours.PaymentRequest>>,
  Is<Extends<Sdk.IssueBillingKeyRequest, Ours.IssueBillingKeyRequest>>,
  Is<Extends<Sdk.IssueBillingKeyAndPayRequest, Ours.IssueBillingKeyAndPayRequest>>,
  Is<Extends<Sdk.Customer, Ours.Customer>>,
  Is<Extends<Sdk.OfferPeriod, Ours.OfferPeriod>>,
  Is<Extends<Sdk.InicisV2Bypass, Ours.InicisV2Bypass>>,
  Is<Extends<Sdk.InicisV2IssueBillingKeyBypass, Ours.InicisV2IssueBillingKeyBypass>>,
  Is<Extends<Sdk.IdentityVerificationRequest, Ours.IdentityVerificationRequest>>,
  Is<Extends<Sdk.IdentityVerificationBypass, Ours.IdentityVerificationBypass>>,
  Is<Extends<Sdk.InicisUnifiedIdentityVerificationBypass, Ours.InicisUnifiedIdentityVerificationBypass>>,
  Is<Extends<Sdk.InicisUnifiedDirectAgency, Ours.InicisUnifiedDirectAgency>>,
  Is<Extends<Ours.InicisUnifiedDirectAgency, Sdk.InicisUnifiedDirectAgency>>,
];

/** The same fields, so a misspelt field is an error with ours too, and a field the SDK adds shows up here. */
export type Fields = [
  Is<SameKeys<Sdk.PaymentRequest, Ours.PaymentRequest>>,
  Is<SameKeys<Sdk.IssueBillingKeyRequest, Ours.IssueBillingKeyRequest>>,
  Is<SameKeys<Sdk.IssueBillingKeyAndPayRequest, Ours.IssueBillingKeyAndPayRequest>>,
  Is<SameKeys<Sdk.Customer, Ours.Customer>>,
  Is<SameKeys<Sdk.InicisV2Bypass, Ours.InicisV2Bypass>>,
  Is<SameKeys<Sdk.InicisV2IssueBillingKeyBypass, Ours.InicisV2IssueBillingKeyBypass>>,
  Is<SameKeys<NonNullable<Sdk.PaymentRequest['card']>, NonNullable<Ours.PaymentRequest['card']>>>,
  Is<SameKeys<NonNullable<Sdk.PaymentRequest['easyPay']>, NonNullable<Ours.PaymentRequest['easyPay']>>>,
  Is<SameKeys<NonNullable<Sdk.PaymentRequest['virtualAccount']>, NonNullable<Ours.PaymentRequest['virtualAccount']>>>,
  Is<SameKeys<Sdk.IdentityVerificationRequest, Ours.IdentityVerificationRequest>>,
  Is<SameKeys<Sdk.IdentityVerificationBypass, Ours.IdentityVerificationBypass>>,
  Is<SameKeys<Sdk.InicisUnifiedIdentityVerificationBypass, Ours.InicisUnifiedIdentityVerificationBypass>>,
];

/** What the SDK resolves with is what the elements read. */
export type Responses = [
  Is<Extends<Sdk.PaymentResponse, Ours.PaymentResponse>>,
  Is<Extends<Sdk.IssueBillingKeyResponse, Ours.IssueBillingKeyResponse>>,
  Is<Extends<Sdk.IssueBillingKeyAndPayResponse, Ours.IssueBillingKeyAndPayResponse>>,
  Is<Extends<Sdk.IdentityVerificationResponse, Ours.IdentityVerificationResponse>>,
  Is<Extends<Ours.PaymentResponse | Ours.IssueBillingKeyResponse | Ours.IssueBillingKeyAndPayResponse | Ours.IdentityVerificationResponse, SdkResult>>,
];

/** The runtime the SDK declares is the one the elements call. */
export const runtime = (sdk: NonNullable<Window['PortOne']>): Ours.PortOneRuntime => sdk;
