// <portone-identity-verification-button>: 본인인증 through `requestIdentityVerification` (KG Inicis
// 통합인증, and the other identity channels PortOne offers), with KG Inicis's window options as attributes.
import type { PropertyDeclarations } from '@lit/reactive-element';
import type { IdentityVerificationRequest, InicisUnifiedIdentityVerificationBypass } from '../../client/portone-types.js';
import { portOne } from '../../client/loader.js';
import type {
  ROUTES,
  CompleteIdentityVerificationRequest,
  IdentityVerificationResponse,
  PrepareIdentityVerificationRequest,
  PreparedIdentityVerification,
} from '../../contract.js';
import { CheckoutApiError } from '../../client/api.js';
import { applyPreparedIdentityVerification, buildCustomer, buildIdentityVerificationRequest, checkoutCustomer, type Built } from '../../client/request.js';
import type { Attempt } from '../base/attempt-controller.js';
import { CheckoutElement } from '../base/checkout-element.js';
import { PortoneIdentityVerifiedEvent, type FailCode, type SdkResult } from '../events.js';

/**
 * A button that verifies who the shopper is (본인인증) through PortOne's
 * `requestIdentityVerification`: KG Inicis 통합인증 (Kakao, Naver, PASS, Toss … certificates), or
 * another identity channel such as Danal's phone verification.
 *
 * KG Inicis requires `bypass.inicisUnified.flgFixedUser`: the element always sends it, `N` unless
 * `inicis-fixed-user` is set (then the window is filled in with the customer, and name, phone and
 * `customer-birth-date` are required). With `endpoint`, the kit picks the id before the click and,
 * after the window, reads the verification from PortOne and checks it (verified, this store and
 * channel, the shop's own rules such as a minimum age); the browser learns only that it passed.
 *
 * @tagname portone-identity-verification-button
 * @summary Verifies the shopper's identity through PortOne's `requestIdentityVerification` (KG Inicis 통합인증).
 * @fires {PortoneIdentityVerifiedEvent} portone-identity-verified - Verified (and checked by the kit with `endpoint`: `detail.identityVerification`).
 * @attr {string} customer-name - `customer.fullName`; KG Inicis needs it (or first and last name) with `inicis-fixed-user`.
 * @attr {string} customer-phone - `customer.phoneNumber`; KG Inicis needs it with `inicis-fixed-user`.
 * @attr {string} customer-email - `customer.email`.
 * @attr {string} custom-data - `customData`, sent as the text it is (property: an object, sent as JSON): the SDK takes a string here.
 * @attr {string} endpoint - Base URL of the verification kit (e.g. `/portone`): the server picks the id and checks the verification.
 */
export class PortoneIdentityVerificationButton extends CheckoutElement<'identity-verification'> {
  static override properties: PropertyDeclarations = {
    identityVerificationId: { attribute: 'identity-verification-id' },
    customerBirthDate: { attribute: 'customer-birth-date' },
    inicisFixedUser: { attribute: 'inicis-fixed-user', type: Boolean },
    inicisDirectAgency: { attribute: 'inicis-direct-agency' },
    inicisLogoUrl: { attribute: 'inicis-logo-url' },
    inicis: { attribute: false },
  };

  /** `identityVerificationId`: unique per verification (a verified id cannot be verified again). With `endpoint`, the kit's id is used. */
  identityVerificationId?: string;
  /** The customer's birth date as `YYYY-MM-DD` (`customer.birthYear`, `birthMonth`, `birthDay`); needed with `inicis-fixed-user`. */
  customerBirthDate?: string;
  /** KG Inicis `flgFixedUser` `Y`: the window is filled in with the customer (name, phone, birth date required). */
  inicisFixedUser = false;
  /** KG Inicis `directAgency`: one provider, no choice screen (`PASS`, `KAKAO`, `NAVER`, `TOSS`, `PAYCO`, `KFTC`, `SAMSUNG`, bank codes, or `SMS` with a contract). */
  inicisDirectAgency?: string;
  /** KG Inicis `logoUrl`: the logo in the window's top left (164×28, HTTPS). */
  inicisLogoUrl?: string;
  /** A raw `bypass.inicisUnified` object, merged over the `inicis-*` attributes key by key. */
  inicis?: Partial<InicisUnifiedIdentityVerificationBypass>;
  /** `customer.fullName`; KG Inicis needs it (or first and last name) with `inicis-fixed-user`. */
  declare customerName?: string;
  /** `customer.phoneNumber`; KG Inicis needs it with `inicis-fixed-user`. */
  declare customerPhone?: string;
  /** `customer.email`. */
  declare customerEmail?: string;
  /** `customData`, sent as the text it is (property: an object, sent as JSON): the SDK takes a string here. */
  declare customData?: string | Record<string, unknown>;
  /** Base URL of the verification kit (e.g. `/portone`): the server picks the id and checks the verification. */
  declare endpoint?: string;

  /** Any `IdentityVerificationRequest` field, merged last (key by key; with `endpoint`, the kit's id still wins). */
  declare request?: Partial<IdentityVerificationRequest>;

  protected readonly kind = 'identity-verification';
  protected readonly routes: readonly [typeof ROUTES.prepareIdentityVerification, typeof ROUTES.completeIdentityVerification] = [
    '/identity-verifications/prepare',
    '/identity-verifications/complete',
  ];
  protected readonly ids = ['identityVerificationId', 'previousIdentityVerificationId'] as const satisfies readonly [
    keyof IdentityVerificationRequest,
    keyof PrepareIdentityVerificationRequest,
  ];
  // No money moves here: the window, the check and their failures say so.
  protected readonly texts = {
    ko: {
      label: '본인인증하기',
      done: '본인인증이 완료되었습니다',
      fail: '본인인증 실패',
      'window-open': '인증창 진행 중…',
      verifying: '인증 확인 중…',
      load: '인증 모듈을 불러오지 못했습니다.',
      unverified: '본인인증 확인 실패',
      kit: '본인인증을 처리하지 못했습니다.',
    },
    en: {
      label: 'Verify identity',
      done: 'Identity verified',
      fail: 'Identity verification failed',
      'window-open': 'Verification window open…',
      load: 'Could not load the verification module.',
      unverified: 'Could not confirm the verification',
      kit: 'The verification could not be processed.',
    },
  };

  protected ownId() {
    return this.identityVerificationId;
  }

  protected build(): Built<IdentityVerificationRequest> {
    return buildIdentityVerificationRequest(this, { fixedUser: this.inicisFixedUser, directAgency: this.inicisDirectAgency, logoUrl: this.inicisLogoUrl });
  }

  protected prepareBody(): PrepareIdentityVerificationRequest {
    return { customer: checkoutCustomer(buildCustomer(this)) };
  }

  protected applyPrepared(request: IdentityVerificationRequest, prepared: unknown): IdentityVerificationRequest {
    return applyPreparedIdentityVerification(request, prepared as PreparedIdentityVerification);
  }

  protected callSdk(request: IdentityVerificationRequest) {
    return portOne().requestIdentityVerification(request);
  }

  protected completeBody(result: SdkResult, attempt: Attempt): CompleteIdentityVerificationRequest {
    return {
      identityVerificationId: result.identityVerificationId ?? attempt.id,
      identityVerificationTxId: result.identityVerificationTxId,
      transactionType: result.transactionType,
    };
  }

  protected outcome(result: SdkResult, answer: unknown, attempt: Attempt) {
    const verified = answer as IdentityVerificationResponse | undefined;
    // The kit answers 200 only for a verification that passed its checks; anything else breaks the contract.
    if (verified && verified.identityVerification?.status !== 'VERIFIED') {
      throw new CheckoutApiError('BAD_RESPONSE' satisfies FailCode, 'The complete answer has no identityVerification with status VERIFIED', 200);
    }
    return new PortoneIdentityVerifiedEvent({
      identityVerificationId: verified?.identityVerification.identityVerificationId ?? result.identityVerificationId ?? attempt.id,
      identityVerificationTxId: result.identityVerificationTxId,
      identityVerification: verified?.identityVerification,
      result: verified,
      response: result,
    });
  }
}
