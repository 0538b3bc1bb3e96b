// What the three checkout buttons share: the attributes every SDK function takes, the flow
// (prepare → validate → call the SDK → verify → report), the busy state machine, SDK loading,
// redirect returns and the rendering. Each button adds only what its SDK function differs in.
import { LitElement, html, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { Customer, OfferPeriod } from '@portone/browser-sdk/v2';
import {
  isShopperCancel,
  type OrderResponse,
  type PrepareBillingKeyRequest,
  type PreparedBillingKey,
  type PreparedPayment,
  type PrepareRequest,
} from '../../contract.js';
import { CheckoutApiError, checkPrepared, postJson } from '../../client/api.js';
import { detectDevice } from '../../client/device.js';
import { SdkLoadError, getSdkUrl, loadSdk } from '../../client/loader.js';
import { forgetAttempt, markCompleted, pendingAttempt, rememberAttempt, type PendingAttempt } from '../../client/pending.js';
import { KIND_OF_TRANSACTION, parseRedirectQuery, resultKey, stripRedirectParams } from '../../client/redirect.js';
import { checkRequest, mergeRequest, withAliases, type Built, type RequestKind, type RequestOf } from '../../client/request.js';
import { checkInicisRequest } from '../../inicis/rules.js';
import type { Lang, Violation } from '../../inicis/violation.js';
import {
  PortoneBillingKeyIssuedEvent,
  PortoneCancelEvent,
  PortoneFailEvent,
  PortonePaidEvent,
  PortoneReadyEvent,
  PortoneRequestEvent,
  PortoneVirtualAccountIssuedEvent,
  type FailCode,
  type PortoneFailDetail,
  type PortonePaymentDetail,
  type SdkResult,
} from '../events.js';
import { checkoutStyles } from './checkout-element.styles.js';

/** Where an element stands, reflected as its `state` attribute. */
export const CHECKOUT_STATES = ['idle', 'loading', 'window-open', 'verifying', 'done', 'failed'] as const;
export type CheckoutState = (typeof CHECKOUT_STATES)[number];
const BUSY: readonly CheckoutState[] = ['loading', 'window-open', 'verifying'];

/** The event that ends a successful attempt. */
export type SuccessEvent = PortonePaidEvent | PortoneVirtualAccountIssuedEvent | PortoneBillingKeyIssuedEvent;

/** The labels one kind of button shows; the busy states' texts are shared. */
export interface ButtonTexts {
  /** Default button label (the default slot replaces it). */
  label: string;
  /** Status after success. */
  done: string;
  /** Prefix of failure messages. */
  fail: string;
}

const TEXTS = {
  ko: {
    loading: '준비 중…',
    'window-open': '결제창 진행 중…',
    verifying: '결제 확인 중…',
    cancel: '취소했습니다.',
    va: '가상계좌가 발급되었습니다.',
    load: '결제 모듈을 불러오지 못했습니다.',
    network: '서버에 연결하지 못했습니다.',
    unverified: '결제 확인 실패',
  },
  en: {
    loading: 'Preparing…',
    'window-open': 'Payment window open…',
    verifying: 'Verifying…',
    cancel: 'Cancelled.',
    va: 'Virtual account issued.',
    load: 'Could not load the payment module.',
    network: 'Could not reach the server.',
    unverified: 'Could not confirm the payment',
  },
};

/** One prepare call, keyed by its endpoint and body so unchanged inputs reuse it. */
interface Preparation {
  key: string;
  promise: Promise<unknown>;
  failed?: boolean;
}

/** Which attempt a result belongs to, in the promise path and after a redirect alike. */
export type Attempt = Pick<PendingAttempt, 'id' | 'payMethod' | 'orderName'>;

/** An SDK success the kit has not confirmed yet: what `#finish` needs to ask the kit again. */
type Unconfirmed = [result: SdkResult, endpoint: string, attempt: Attempt];

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
  throw new CheckoutApiError('NOT_PAID' satisfies FailCode, `Payment ${order.paymentId} is ${order.status}${reason ? `: ${reason}` : ''}`, 200);
}

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
 * @attr {"idle"|"loading"|"window-open"|"verifying"|"done"|"failed"} state - Read-only: where the element stands, for CSS.
 * @fires {PortoneReadyEvent} portone-ready - PortOne's SDK is loaded.
 * @fires {PortoneRequestEvent} portone-request - Cancelable; the valid request about to go to the SDK.
 * @fires {PortoneCancelEvent} portone-cancel - The shopper closed or cancelled the window.
 * @fires {PortoneFailEvent} portone-fail - The attempt failed (a broken rule, the SDK, the PG or the kit).
 */
export abstract class CheckoutElement<K extends RequestKind> extends LitElement {
  // Declared statically rather than with decorators: the decorator runtime and one call per
  // property cost about 600 bytes gzip of the bundle's 16 KiB budget. Attribute names stay explicit.
  static override properties: PropertyDeclarations = {
    storeId: { attribute: 'store-id' },
    channelKey: { attribute: 'channel-key' },
    currency: { attribute: 'currency' },
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
    locale: { attribute: 'locale' },
    noticeUrls: { attribute: 'notice-urls' },
    offerPeriod: { attribute: 'offer-period' },
    productType: { attribute: 'product-type' },
    customData: { attribute: 'custom-data' },
    endpoint: { attribute: 'endpoint' },
    sdkUrl: { attribute: 'sdk-url' },
    customer: { attribute: false },
    request: { attribute: false },
  };

  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override styles = checkoutStyles;

  /** PortOne store id (`store-…`). */
  storeId?: string;
  /** Channel key of the KG Inicis channel. */
  channelKey?: string;
  /** `KRW` or `USD` (minor units: KRW ×1, USD ×100). */
  currency = 'KRW';
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
  /** `windowType.pc`: `IFRAME`, `POPUP` or `REDIRECTION`. */
  windowTypePc?: string;
  /** `windowType.mobile`: `REDIRECTION`, `IFRAME` or `POPUP`. */
  windowTypeMobile?: string;
  /** Language of the window: `KO_KR`, `EN_US`, `ZH_CN` (PC). */
  locale?: string;
  /** Webhook URLs for this attempt, space-separated (property: an array). */
  noticeUrls?: string | string[];
  /** An interval (`1m`, `1y`) or a range `from/to` (property: also an `OfferPeriod` object). */
  offerPeriod?: string | OfferPeriod;
  /** `REAL` or `DIGITAL`; KG Inicis needs it for phone payments. */
  productType?: string;
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
  /** The request from the attributes and properties (before `.request` and the kit's answer). */
  protected abstract build(): Built<RequestOf[K]>;
  /** The attempt's id as the page set it (`payment-id` / `issue-id`). */
  protected abstract ownId(): string | undefined;
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

  #state: CheckoutState = 'idle';
  #status = '';
  #prep?: Preparation;
  /**
   * The id of the last prepare answer no window was opened for. The next prepare hands it back
   * (`previousPaymentId` / `previousIssueId`): the kit answers that order again when nothing about it
   * changed (an issue takes the new details). Cleared when a window opens.
   */
  #unused?: Promise<string | undefined>;
  /**
   * Set from an SDK success until the kit has answered for it (it may be unreachable, or answer
   * 5xx, even after the retries). Meanwhile a click asks the kit again instead of opening a window,
   * and nothing prepares a new attempt: the money may have moved, and a second window for a new
   * order would take it twice.
   */
  #unconfirmed?: Unconfirmed;
  #warmed = false;
  #ready = false;
  #observer?: IntersectionObserver;
  #debounce?: ReturnType<typeof setTimeout>;

  /** Where the element stands (also the `state` attribute). */
  get state(): CheckoutState {
    return this.#state;
  }

  /**
   * Back to idle after `done` or a failure, for another attempt; with `endpoint`, prepares afresh
   * (not while a payment awaits the kit's confirmation: the next click asks the kit again). Does
   * nothing while busy (`loading`, `window-open`, `verifying`): a window may be open.
   */
  reset(): void {
    if (this.#busy()) return;
    this.#prep = undefined;
    this.#to('idle');
    this.#ahead();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#to(this.#state, this.#status);
    this.addEventListener('pointerenter', this.#warm);
    this.addEventListener('focusin', this.#warm);
    this.#observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && this.#warm());
    this.#observer.observe(this);
    addEventListener('pageshow', this.#onPageShow);
    void this.#resumeRedirect();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#observer?.disconnect();
    removeEventListener('pageshow', this.#onPageShow);
    clearTimeout(this.#debounce);
  }

  protected override updated(changed: PropertyValues): void {
    // Inputs changed: prepare again (debounced) so the click still finds a fresh answer waiting.
    if (this.endpoint && this.#warmed && changed.size && !this.#busy()) {
      clearTimeout(this.#debounce);
      this.#debounce = setTimeout(this.#ahead, 250);
    }
  }

  /**
   * Back (or Forward) to this page from the bfcache, after a window took the page away: that
   * window is gone, and its result, if any, comes back through the redirect URL, not here.
   */
  #onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted && this.#state === 'window-open') {
      forgetAttempt();
      this.#to('idle');
      this.#afterAttempt();
    }
  };

  override render() {
    const busy = this.#busy();
    const lang = this.#lang();
    const label = busy ? html`<span class="spinner" aria-hidden="true"></span>${TEXTS[lang][this.#state as 'loading']}` : html`<slot>${this.texts[lang].label}</slot>`;
    return html`<button part="button" type="button" ?disabled=${busy || this.#state === 'done'} aria-busy=${busy} @click=${this.#onClick}>${label}</button><p part="status" role="status" aria-live="polite">${this.#status}</p>`;
  }

  #busy() {
    return BUSY.includes(this.#state);
  }

  #lang(): Lang {
    const lang = this.closest<HTMLElement>('[lang]')?.lang || document.documentElement.lang;
    return /^en/i.test(lang) ? 'en' : 'ko';
  }

  #to(state: CheckoutState, status = '') {
    this.#state = state;
    this.#status = status;
    this.setAttribute('state', state);
    this.requestUpdate();
  }

  /** First visibility, hover or focus: load the SDK and, with `endpoint`, prepare. */
  #warm = () => {
    this.#warmed = true;
    this.#observer?.disconnect();
    this.#loadSdk().catch(() => {});
    this.#ahead();
  };

  /** With `endpoint`, once warm: prepare so the click finds the answer waiting (when a click may need one). */
  #ahead = () => {
    if (this.endpoint && this.#warmed && !this.#busy() && this.#state !== 'done' && !this.#unconfirmed) this.#prepare().catch(() => {});
  };

  async #loadSdk() {
    await loadSdk(this.sdkUrl || getSdkUrl());
    if (!this.#ready) {
      this.#ready = true;
      this.dispatchEvent(new PortoneReadyEvent());
    }
  }

  #prepare(): Promise<unknown> {
    const violations: Violation[] = [];
    const body = this.prepareBody(violations);
    if (violations.length) return Promise.reject(new CheckoutApiError('INVALID_REQUEST' satisfies FailCode, '', 0, violations));
    const key = JSON.stringify([this.endpoint, body]);
    if (this.#prep && this.#prep.key === key && !this.#prep.failed) return this.#prep.promise;
    const unused = this.#unused;
    const entry: Preparation = {
      key,
      // Waits for a prepare still on its way, so its order is the one handed back.
      promise: (async () => {
        const previous = await unused;
        const field = this.kind === 'billing-key' ? ('previousIssueId' satisfies keyof PrepareBillingKeyRequest) : ('previousPaymentId' satisfies keyof PrepareRequest);
        const answer = await postJson(this.endpoint!, this.routes[0], previous ? { ...body, [field]: previous } : body);
        checkPrepared(this.kind, answer);
        return answer;
      })(),
    };
    entry.promise.catch(() => (entry.failed = true));
    // A failed prepare made no order: the one before it is still the unused one.
    this.#unused = entry.promise.then((answer) => (answer as PreparedPayment).paymentId ?? (answer as PreparedBillingKey).issueId, () => unused);
    this.#prep = entry;
    return entry.promise;
  }

  #onClick = async () => {
    // The synchronous guard is what stops a double click: `disabled` only lands on the next render.
    if (this.#busy() || this.#state === 'done') return;
    this.#to('loading');
    const unconfirmed = this.#unconfirmed;
    // Whether this click ends an attempt a window was opened for.
    let called = !!unconfirmed;
    try {
      // The SDK already said yes: ask the kit again, never the shopper to pay again.
      if (unconfirmed) return await this.#finish(...unconfirmed);
      const sdk = this.#loadSdk();
      sdk.catch(() => {});
      const prepared = this.endpoint ? await this.#prepare() : undefined;
      await sdk;
      // The kit's fields win over the page's; KG Inicis's aliases become SDK values.
      const apply = (request: RequestOf[K]) => withAliases(prepared ? this.applyPrepared(request, prepared) : request);
      const built = this.build();
      // Mobile windows leave the page; by default they come back here, where #resumeRedirect finishes.
      built.request.redirectUrl ??= stripRedirectParams(location.href);
      let request = apply(mergeRequest(built.request, this.request));
      if (!this.#valid(request, built.violations)) return;
      // A copy: a listener's changes reach this call only, never the cached prepare answer or the page's objects.
      const event = new PortoneRequestEvent({ kind: this.kind, request: structuredClone(request) });
      if (!this.dispatchEvent(event)) return this.#to('idle');
      // Listeners may have replaced or changed the request: check it again (the kit's fields win).
      request = apply(event.detail.request as RequestOf[K]);
      if (!this.#valid(request, [], false)) return;
      const r = request as Partial<RequestOf['payment'] & RequestOf['billing-key']>;
      const attempt: Attempt = { id: (r.paymentId ?? r.issueId)!, payMethod: r.payMethod, orderName: r.orderName };
      rememberAttempt({ ...attempt, kind: this.kind, endpoint: this.endpoint, at: Date.now() });
      this.#to('window-open');
      called = true;
      // This answer's order is now an attempt: a later prepare asks for a fresh one.
      this.#unused = undefined;
      const result = await this.callSdk(request);
      // Nothing back: the window took the page away (redirect); the return page finishes the attempt.
      if (result === undefined) return;
      await this.#finish(result, this.endpoint, attempt);
    } catch (error) {
      this.#fail(error);
    } finally {
      // Still `window-open`: the page is leaving for a redirect, and the return page needs the memory.
      if (called && this.#state !== 'window-open') {
        forgetAttempt();
        // The attempt is over: the next click needs a fresh one (unless it is still unconfirmed).
        this.#afterAttempt();
      }
    }
  };

  /** Runs every check; on a broken rule fires `portone-fail` and returns false. */
  #valid(request: RequestOf[K], found: Violation[], warn = true): boolean {
    const inicis = checkInicisRequest(this.kind, request, detectDevice());
    if (warn) for (const warning of inicis.warnings) console.warn(`[portone-checkout] ${warning.message.en}`);
    const violations = [...found, ...checkRequest(this.kind, request), ...inicis.violations];
    if (violations.length) this.#fail(new CheckoutApiError('INVALID_REQUEST' satisfies FailCode, '', 0, violations));
    return !violations.length;
  }

  /** Ends an attempt from its SDK result: the same for the promise and for a redirect's query. */
  async #finish(result: SdkResult, endpoint: string | undefined, attempt: Attempt) {
    if (result.code != null) {
      const detail = { code: result.code, message: result.message ?? '', pgCode: result.pgCode, pgMessage: result.pgMessage };
      if (!isShopperCancel(result)) return this.#fail(detail);
      this.#to('idle', TEXTS[this.#lang()].cancel);
      this.dispatchEvent(new PortoneCancelEvent(detail));
      return;
    }
    let answer: unknown;
    if (endpoint) {
      this.#to('verifying');
      // Until the kit answers, the money may have moved (#fail forgets this once the kit has answered).
      this.#unconfirmed = [result, endpoint, attempt];
      answer = await this.#complete(endpoint, this.completeBody(result, attempt));
    }
    const event = this.outcome(result, answer, attempt);
    this.#unconfirmed = undefined;
    const lang = this.#lang();
    const t = TEXTS[lang];
    let status = this.texts[lang].done;
    if (event instanceof PortoneVirtualAccountIssuedEvent) {
      const account = event.detail.order?.virtualAccount;
      status = account ? `${t.va} ${account.bank ?? ''} ${account.accountNumber}`.replace(/\s+/g, ' ') : t.va;
    } else if (!(event instanceof PortoneBillingKeyIssuedEvent)) {
      const name = event.detail.order?.orderName ?? attempt.orderName;
      if (name) status += ` · ${name}`;
    }
    this.#to('done', status);
    this.dispatchEvent(event);
  }

  /** POST complete; retried when the kit is unreachable or answers 5xx (the call is idempotent). */
  async #complete(endpoint: string, body: object, attempt = 1): Promise<unknown> {
    try {
      return await postJson(endpoint, this.routes[1], body);
    } catch (error) {
      const { code, status } = error as CheckoutApiError;
      if (attempt > 2 || !(code === ('NETWORK_ERROR' satisfies FailCode) || status >= 500)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 400 * attempt));
      return this.#complete(endpoint, body, attempt + 1);
    }
  }

  #fail(error: unknown) {
    const lang = this.#lang();
    const t = TEXTS[lang];
    const e = error as Partial<PortoneFailDetail & CheckoutApiError & { __portOneErrorType: string }>;
    // The kit answered, in the contract (a verdict like NOT_PAID, or a 4xx refusal): the attempt is
    // settled. Unreachable, 5xx or an answer outside the contract: the next click asks again.
    if (e.status! < 500 && e.status! > 0 && e.code !== ('BAD_RESPONSE' satisfies FailCode)) this.#unconfirmed = undefined;
    const detail: PortoneFailDetail = {
      code: e.code ?? 'UNKNOWN',
      message: e.message ?? String(error),
      pgCode: e.pgCode,
      pgMessage: e.pgMessage,
      readableMessage: '',
      violations: e.violations,
      status: e.status || undefined,
    };
    let readable = detail.pgMessage || detail.message;
    if (error instanceof SdkLoadError) {
      detail.code = 'SDK_LOAD_FAILED' satisfies FailCode;
      readable = t.load;
    } else if (e.code === ('NETWORK_ERROR' satisfies FailCode)) readable = t.network;
    else if (e.violations) {
      detail.message = e.violations.map((v) => v.message.en).join('\n');
      readable = e.violations.map((v) => v.message[lang]).join('\n');
    }
    // Past the window, a failure to confirm is not a failed payment: say which it is.
    const prefix = this.#state === 'verifying' && detail.code !== ('NOT_PAID' satisfies FailCode) ? t.unverified : this.texts[lang].fail;
    detail.readableMessage = `${prefix}: ${readable}`;
    this.#to('failed', detail.readableMessage);
    this.dispatchEvent(new PortoneFailEvent(detail));
  }

  #afterAttempt() {
    this.#prep = undefined;
    this.#ahead();
  }

  /**
   * A page load carrying PortOne's result for this kind of element: finish it, once. The query is
   * PortOne's when it names a `transactionType`, or when its `paymentId` is the attempt this tab
   * opened a window for (PortOne's documented short form); a shop's own `?paymentId=` stays alone.
   */
  async #resumeRedirect() {
    await this.updateComplete;
    let pending = pendingAttempt();
    if (pending?.kind !== this.kind) pending = undefined;
    const result = parseRedirectQuery(location.search, pending);
    if (!result || KIND_OF_TRANSACTION[result.transactionType] !== this.kind) return;
    const queryId = result.transactionType === 'ISSUE_BILLING_KEY' ? undefined : result.paymentId;
    if (queryId && pending?.id !== queryId) pending = undefined;
    // Without a remembered attempt (a new tab), only a result for this element's own id, or one the kit verifies.
    if (!pending && !this.endpoint && queryId && queryId !== this.ownId()) return;
    // Claimed, synchronously: strip the query first, so no other element (and no reload) sees it.
    history.replaceState(history.state, '', stripRedirectParams(location.href));
    if (!markCompleted(resultKey(result))) return;
    forgetAttempt();
    // Busy from now on, so first visibility does not prepare a new attempt meanwhile.
    this.#to('loading');
    // Let the page attach its listeners before the outcome event.
    await new Promise((resolve) => setTimeout(resolve));
    // Without a remembered attempt (a new tab), the element's own request says what was asked for.
    const own = mergeRequest(this.build().request, this.request) as Partial<Attempt>;
    const attempt: Attempt = { id: pending?.id ?? queryId ?? this.ownId() ?? '', payMethod: pending?.payMethod ?? own.payMethod, orderName: pending?.orderName ?? own.orderName };
    try {
      await this.#finish(result, pending?.endpoint ?? this.endpoint, attempt);
    } catch (error) {
      this.#fail(error);
    }
    // A fresh attempt for the next click, unless this one awaits the kit (then the click asks it again).
    this.#afterAttempt();
  }
}
