// What the checkout buttons share as elements: the attributes every SDK function takes, the
// rendering, and when to warm up (first visibility, hover or focus). The attempt protocol runs in
// the attempt controller; each button adds only what its SDK function differs in (its `AttemptFlow`).
import { ReactiveElement, type PropertyDeclarations, type PropertyValues } from '@lit/reactive-element';
import type { Customer } from '../../client/portone-types.js';
import type { Built, RequestKind, RequestOf } from '../../client/request.js';
import type { Lang, Violation } from '../../inicis/violation.js';
import type { SdkResult } from '../events.js';
import { AttemptController, type Attempt, type AttemptHost, type CheckoutState } from './attempt-controller.js';
import { checkoutStyles } from './checkout-element.styles.js';
import type { SuccessEvent } from './outcome.js';
import { langOf, textsIn, type ButtonTexts } from './texts.js';

export { CHECKOUT_STATES, type Attempt, type CheckoutState } from './attempt-controller.js';
export { orderOutcome, type SuccessEvent } from './outcome.js';
export type { ButtonTexts } from './texts.js';

/**
 * Base of the checkout buttons. Not registered itself.
 *
 * @slot - The button's label (default: a label for the button's kind, in the page's language).
 * @csspart button - The `<button>`.
 * @csspart status - The status line under the button (`role="status"`): progress, outcome, errors.
 * @cssprop [--portone-button-background=#1a56db] - Button background; also the focus ring.
 * @cssprop [--portone-button-color=#fff] - Button text colour.
 * @cssprop [--portone-button-radius=0.5rem] - Button corner radius.
 * @cssprop [--portone-button-padding=0.75rem 1.25rem] - Button padding.
 * @cssprop [--portone-font-family=inherit] - Font of the button and the status line.
 * @cssprop [--portone-error-color=#b91c1c] - Status line colour when `state` is `failed`.
 * @attr {"incomplete"|"idle"|"loading"|"window-open"|"verifying"|"done"|"failed"} state - Read-only: where the element stands, for CSS (`incomplete`: an `endpoint` but no `items`, `order-id` or `plan` yet).
 * @fires {PortoneReadyEvent} portone-ready - PortOne's SDK is loaded.
 * @fires {PortoneRequestEvent} portone-request - Cancelable; the valid request about to go to the SDK.
 * @fires {PortoneCancelEvent} portone-cancel - The shopper closed or cancelled the window.
 * @fires {PortoneFailEvent} portone-fail - The attempt failed (a broken rule, the SDK, the PG or the kit).
 */
export abstract class CheckoutElement<K extends RequestKind> extends ReactiveElement {
  // Declared statically rather than with decorators: the decorator runtime and one call per
  // property cost about 600 bytes gzip of the bundle's 16 KiB budget. Attribute names stay explicit.
  static override properties: PropertyDeclarations = {
    storeId: { attribute: 'store-id' },
    channelKey: { attribute: 'channel-key' },
    customerId: { attribute: 'customer-id' },
    customerName: { attribute: 'customer-name' },
    customerFirstName: { attribute: 'customer-first-name' },
    customerLastName: { attribute: 'customer-last-name' },
    customerPhone: { attribute: 'customer-phone' },
    customerEmail: { attribute: 'customer-email' },
    redirectUrl: { attribute: 'redirect-url' },
    forceRedirect: { attribute: 'force-redirect', type: Boolean },
    windowTypePc: { attribute: 'window-type-pc' },
    windowTypeMobile: { attribute: 'window-type-mobile' },
    customData: { attribute: 'custom-data' },
    endpoint: { attribute: 'endpoint' },
    sdkUrl: { attribute: 'sdk-url' },
    customer: { attribute: false },
    request: { attribute: false },
  };

  static override shadowRootOptions: ShadowRootInit = { ...ReactiveElement.shadowRootOptions, delegatesFocus: true };
  static override styles = checkoutStyles;

  /** PortOne store id (`store-…`). */
  storeId?: string;
  /** Channel key of the KG Inicis channel. */
  channelKey?: string;
  /** `customer.customerId`: the shop's id for the shopper. */
  customerId?: string;
  /** `customer.fullName`; KG Inicis needs it, or first and last name. */
  customerName?: string;
  /** `customer.firstName`. */
  customerFirstName?: string;
  /** `customer.lastName`. */
  customerLastName?: string;
  /** `customer.phoneNumber`; KG Inicis needs it on PC. */
  customerPhone?: string;
  /** `customer.email`; KG Inicis needs it on PC. */
  customerEmail?: string;
  /** Where mobile windows return; default: the current page, where this element finishes the attempt. */
  redirectUrl?: string;
  /** Always leave the page for the window, on PC too. */
  forceRedirect = false;
  /** `windowType.pc`: `IFRAME` or `REDIRECTION` (`POPUP` on the identity-verification button only: KG Inicis's payment windows never open as popups). */
  windowTypePc?: string;
  /** `windowType.mobile`: `REDIRECTION` or `IFRAME` (`POPUP` on the identity-verification button only). */
  windowTypeMobile?: string;
  /** `customData`, as JSON (property: an object). */
  customData?: string | Record<string, unknown>;
  /** Base URL of the verification kit (e.g. `/portone`): the server prices the attempt and verifies it. */
  endpoint?: string;
  /** URL of PortOne's SDK runtime (default: PortOne's CDN, or the URL given to `setSdkUrl`). */
  sdkUrl?: string;
  /** More `customer` fields (address, birth date, …), merged over the `customer-*` attributes. */
  customer?: Customer;
  /** Any SDK request field, merged last (key by key; with `endpoint`, the kit's ids and amounts still win). */
  request?: Partial<RequestOf[K]>;

  /** Which SDK function this element calls. */
  protected abstract readonly kind: K;
  /** Labels in each language. */
  protected abstract readonly texts: Record<Lang, ButtonTexts>;
  /** `[prepare, complete]` routes of the kit, typed as `ROUTES`' literals (the object itself stays out of the bundle). */
  protected abstract readonly routes: readonly [string, string];
  /** `[the request's id field, the prepare body's field that hands an unused one back]`. */
  protected abstract readonly ids: readonly [string, string];
  /** The request from the attributes and properties (before `.request` and the kit's answer). */
  protected abstract build(): Built<RequestOf[K]>;
  /** The attempt's id as the page set it (`payment-id` / `issue-id` / `identity-verification-id`). */
  protected abstract ownId(): string | undefined;
  /** With `endpoint`: the attributes of which one must be set before the kit can price anything (none by default). */
  protected missing(): string[] | undefined {
    return undefined;
  }
  /** The prepare call's body; problems with the inputs go to `violations`. */
  protected abstract prepareBody(violations: Violation[]): object;
  /** The request with the kit's prepare answer over it. */
  protected abstract applyPrepared(request: RequestOf[K], prepared: unknown): RequestOf[K];
  /** Calls the SDK function on `window.PortOne`, which the click loaded first (`undefined`: the page is leaving for a redirect). */
  protected abstract callSdk(request: RequestOf[K]): Promise<SdkResult | undefined>;
  /** The complete call's body for a successful result. */
  protected abstract completeBody(result: SdkResult, attempt: Attempt): object;
  /** The success event, from the kit's answer when there is one, else from the SDK result. */
  protected abstract outcome(result: SdkResult, answer: unknown, attempt: Attempt): SuccessEvent;

  // The hooks above are protected so pages never see them; the controller is their one caller.
  readonly #attempt = new AttemptController<K>(this as unknown as AttemptHost<K>);
  #observer?: IntersectionObserver;

  /** Where the element stands (also the `state` attribute). */
  get state(): CheckoutState {
    return this.#attempt.state;
  }

  /**
   * Back to idle after `done` or a failure, for another attempt; with `endpoint`, prepares afresh
   * (not while a payment awaits the kit's confirmation: the next click asks the kit again). Does
   * nothing while busy (`loading`, `window-open`, `verifying`): a window may be open.
   */
  reset(): void {
    this.#attempt.reset();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('pointerenter', this.#warm);
    this.addEventListener('focusin', this.#warm);
    this.#observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && this.#warm());
    this.#observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#observer?.disconnect();
  }

  // Before the update renders, so a state the new inputs lead to (`incomplete`, or back to idle) shows at once.
  protected override willUpdate(changed: PropertyValues): void {
    if (changed.size) this.#attempt.changed();
  }

  // Lit's templates would cost the bundle about 3 KB gzip for one button and one line: the shadow
  // tree is built once and updated in place, after the properties (ReactiveElement's own update).
  readonly #button = document.createElement('button');
  readonly #slot = document.createElement('slot');
  readonly #spinner = document.createElement('span');
  readonly #status = document.createElement('p');

  protected override firstUpdated(): void {
    const button = this.#button;
    button.type = 'button';
    button.setAttribute('part', 'button');
    button.onclick = this.#attempt.click;
    this.#spinner.className = 'spinner';
    this.#spinner.setAttribute('aria-hidden', 'true');
    const status = this.#status;
    status.setAttribute('part', 'status');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    this.renderRoot.append(button, status);
  }

  protected override update(changed: PropertyValues): void {
    super.update(changed);
    const { busy, state, status } = this.#attempt;
    const t = textsIn(langOf(this), this.texts);
    const button = this.#button;
    // Names and messages are text, never HTML.
    this.#slot.textContent = t.label;
    if (busy) button.replaceChildren(this.#spinner, t[state as 'loading']);
    else button.replaceChildren(this.#slot);
    button.disabled = busy || state === 'done' || state === 'incomplete';
    button.setAttribute('aria-busy', String(busy));
    this.#status.textContent = status;
  }

  /** First visibility, hover or focus: load the SDK and, with `endpoint`, prepare. */
  #warm = () => {
    this.#observer?.disconnect();
    this.#attempt.warm();
  };
}
