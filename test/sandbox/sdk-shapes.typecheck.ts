// Keeps the sandbox's own identity verification shapes (src/sandbox/identity/types.ts) in step with
// @portone/browser-sdk 0.1.11's and @portone/server-sdk 0.19.0's (checked by `npm run typecheck`,
// never executed). The request and result are src/client/portone-types.ts's, kept in step by
// test/client/portone-types.typecheck.ts; this checks that the sandbox offers those very ones.
import type * as Sdk from '@portone/browser-sdk/v2';
import type { Carrier, IdentityVerification, IdentityVerificationOperator } from '@portone/server-sdk/identityVerification';
import type * as Client from '../../src/client/portone-types.js';
import type * as Ours from '../../src/sandbox/identity/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';

type Is<T extends true> = T;
type Extends<A, B> = [A] extends [B] ? true : false;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SameKeys<A, B> = Same<keyof A, keyof B>;
/** A server-SDK enum without its `string & {}` catch-all for values from a newer API. */
type Known<T> = T extends string ? (string extends T ? never : T) : never;

/** Every request the SDK accepts, the sandbox's types accept, field for field. */
export type Requests = [
  Is<Extends<Sdk.IdentityVerificationRequest, Ours.IdentityVerificationRequest>>,
  Is<SameKeys<Sdk.IdentityVerificationRequest, Ours.IdentityVerificationRequest>>,
  Is<SameKeys<Sdk.IdentityVerificationBypass, NonNullable<Ours.IdentityVerificationRequest['bypass']>>>,
  Is<Same<Ours.IdentityVerificationRequest, Client.IdentityVerificationRequest>>,
  Is<Same<Sdk.InicisUnifiedDirectAgency, Ours.IdentityAgency>>,
];

/** What the SDK resolves with is what the sandbox resolves with. */
export type Responses = [
  Is<Extends<Sdk.IdentityVerificationResponse, Ours.IdentityVerificationResponse>>,
  Is<Extends<Ours.IdentityVerificationResponse, Sdk.IdentityVerificationResponse>>,
  Is<SameKeys<Sdk.IdentityVerificationResponse, Ours.IdentityVerificationResponse>>,
  Is<Same<Ours.IdentityVerificationResponse, Client.IdentityVerificationResponse>>,
];

/** The carriers are PortOne's REST enums (`IdentityVerificationOperator`, `Carrier`), and what the sandbox keeps is an `IdentityVerification`. */
export type Rest = [
  Is<Same<Known<IdentityVerificationOperator>, Ours.IdentityCarrier>>,
  Is<Same<Known<Carrier>, Ours.IdentityCarrier>>,
  Is<Extends<Ours.KnownIdentityVerification, IdentityVerification>>,
  Is<Extends<ReturnType<Sandbox['identityVerification']>, IdentityVerification | undefined>>,
];
