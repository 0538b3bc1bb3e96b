// <portone-billing-key-button>: a KG Inicis card billing key through `requestIssueBillingKey`.
import type { PropertyDeclarations } from '@lit/reactive-element';
import type { InicisV2IssueBillingKeyBypass, IssueBillingKeyRequest } from '../../client/portone-types.js';
import { portOne } from '../../client/loader.js';
import type { ROUTES, BillingKeyResponse, CompleteBillingKeyRequest, PrepareBillingKeyRequest, PreparedBillingKey } from '../../contract.js';
import { CheckoutApiError } from '../../client/api.js';
import { applyPreparedBillingKey, buildBillingKeyRequest, buildCustomer, checkoutCustomer, type Built } from '../../client/request.js';
import type { Attempt } from '../base/attempt-controller.js';
import { PaymentCheckoutElement } from '../base/payment-checkout-element.js';
import { amount } from '../base/order-checkout-element.js';
import { PortoneBillingKeyIssuedEvent, type FailCode, type SdkResult } from '../events.js';

/**
 * A button that issues a PortOne billing key for a card through KG Inicis
 * (`PortOne.requestIssueBillingKey`), for subscriptions and later charges from the server.
 *
 * KG Inicis issues card billing keys only (`billing-key-method="CARD"`), needs `issue-id` and
 * `issue-name`, and on mobile an `offer-period`. With `endpoint`, the kit picks the ids and the
 * plan and stores the key.
 *
 * @tagname portone-billing-key-button
 * @summary Issues a KG Inicis card billing key through PortOne's `requestIssueBillingKey`.
 * @fires {PortoneBillingKeyIssuedEvent} portone-billing-key-issued - The billing key was issued (and stored by the kit with `endpoint`; `detail` then has its `subscription` and first period's `order`).
 */
export class PortoneBillingKeyButton extends PaymentCheckoutElement<'billing-key'> {
  static override properties: PropertyDeclarations = {
    issueId: { attribute: 'issue-id' },
    issueName: { attribute: 'issue-name' },
    billingKeyMethod: { attribute: 'billing-key-method' },
    displayAmount: { attribute: 'display-amount', converter: amount },
    plan: { attribute: 'plan' },
    inicisCardUse: { attribute: 'inicis-card-use' },
    inicis: { attribute: false },
  };

  /** `issueId`: unique per attempt, printable ASCII. With `endpoint`, the kit's id is used. */
  issueId?: string;
  /** `issueName`: the title in the window. With `endpoint`, the kit's title is used. */
  issueName?: string;
  /** `billingKeyMethod`; KG Inicis issues `CARD` keys only. */
  billingKeyMethod = 'CARD';
  /** `displayAmount`: the amount shown in the window (what the plan charges). */
  displayAmount?: number;
  /** With `endpoint`: the id of one of the kit's billing plans. */
  plan?: string;
  /** Mobile: `percard` (personal cards only) or `cocard` (corporate cards only) (`carduse`). */
  inicisCardUse?: string;
  /** A raw `bypass.inicis_v2` object, merged over `inicis-card-use`. */
  inicis?: InicisV2IssueBillingKeyBypass;

  /** Any `IssueBillingKeyRequest` field, merged last (key by key; with `endpoint`, the kit's ids and amounts still win). */
  declare request?: Partial<IssueBillingKeyRequest>;

  protected readonly kind = 'billing-key';
  protected readonly routes: readonly [typeof ROUTES.prepareBillingKey, typeof ROUTES.completeBillingKey] = ['/billing-keys/prepare', '/billing-keys/complete'];
  protected readonly ids = ['issueId', 'previousIssueId'] as const satisfies readonly [keyof IssueBillingKeyRequest, keyof PrepareBillingKeyRequest];
  protected readonly texts = {
    ko: { label: '카드 등록하기', done: '카드가 등록되었습니다', fail: '카드 등록 실패' },
    en: { label: 'Register card', done: 'Card registered', fail: 'Card registration failed' },
  };

  protected ownId() {
    return this.issueId;
  }

  protected build(): Built<IssueBillingKeyRequest> {
    return buildBillingKeyRequest(this);
  }

  protected prepareBody(): PrepareBillingKeyRequest {
    return { customer: checkoutCustomer(buildCustomer(this)), plan: this.plan || undefined };
  }

  protected applyPrepared(request: IssueBillingKeyRequest, prepared: unknown): IssueBillingKeyRequest {
    return applyPreparedBillingKey(request, prepared as PreparedBillingKey);
  }

  protected callSdk(request: IssueBillingKeyRequest) {
    return portOne().requestIssueBillingKey(request);
  }

  protected completeBody(result: SdkResult, attempt: Attempt): CompleteBillingKeyRequest {
    // On a manual-approval channel the key is `NEEDS_CONFIRMATION` until the kit confirms it with the token.
    return { billingKey: result.billingKey!, issueId: attempt.id || undefined, billingIssueToken: result.billingIssueToken };
  }

  protected outcome(result: SdkResult, answer: unknown, attempt: Attempt) {
    const verified = answer as BillingKeyResponse | undefined;
    if (verified && typeof verified.billingKey?.billingKey !== 'string') {
      throw new CheckoutApiError('BAD_RESPONSE' satisfies FailCode, 'The complete answer has no billingKey.billingKey', 200);
    }
    return new PortoneBillingKeyIssuedEvent({
      billingKey: verified?.billingKey.billingKey ?? result.billingKey!,
      issueId: attempt.id || undefined,
      order: verified?.order,
      subscription: verified?.subscription,
      result: verified,
      response: result,
    });
  }
}
