// The attempt protocol of one checkout element, as a Lit reactive controller: prepare ahead with
// the kit (one cached answer, an unused attempt handed back), call the SDK inside the click, post the
// result to the kit (retried), keep an SDK success the kit has not confirmed, and finish redirect
// returns the same way. The element keeps properties and rendering; each button gives its `AttemptFlow`.
import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { isShopperCancel } from '../../contract.js';
import { CheckoutApiError, checkPrepared, postJson } from '../../client/api.js';
import { detectDevice } from '../../client/device.js';
import { getSdkUrl, loadSdk } from '../../client/loader.js';
import { HANDOVER_EVENT, forgetAttempt, markCompleted, pendingAttempt, rememberAttempt, type PendingAttempt } from '../../client/pending.js';
import { KIND_OF_TRANSACTION, parseRedirectQuery, resultId, resultKey, stripRedirectParams, type RedirectResult } from '../../client/redirect.js';
import { checkRequest, mergeRequest, withAliases, type Built, type RequestKind, type RequestOf } from '../../client/request.js';
import { checkInicisRequest } from '../../inicis/rules.js';
import type { Violation } from '../../inicis/violation.js';
import { PortoneCancelEvent, PortoneFailEvent, PortoneIncompleteEvent, PortoneReadyEvent, PortoneRequestEvent, type FailCode, type SdkResult } from '../events.js';
import { failDetail, fromPortOne, successStatus, type SuccessEvent } from './outcome.js';
import { langOf, textsIn, type ButtonTexts, type Texts } from './texts.js';

/** Where an element stands, reflected as its `state` attribute. */
export const CHECKOUT_STATES = ['incomplete', 'idle', 'loading', 'window-open', 'verifying', 'done', 'failed'] as const;
export type CheckoutState = (typeof CHECKOUT_STATES)[number];
const BUSY: readonly CheckoutState[] = ['loading', 'window-open', 'verifying'];

/** Which attempt a result belongs to, in the promise path and after a redirect alike. */
export type Attempt = Pick<PendingAttempt, 'id' | 'payMethod' | 'orderName'>;

/** What one kind of button differs in: its SDK function, its routes, its request and its answers. */
export interface AttemptFlow<K extends RequestKind> {
  /** Which SDK function this element calls. */
  readonly kind: K;
  /** Labels in each language. */
  readonly texts: Record<'ko' | 'en', ButtonTexts>;
  /** `[prepare, complete]` routes of the kit. */
  readonly routes: readonly [string, string];
  /**
   * `[the request's id field, the prepare body's field that hands an unused one back]`, e.g.
   * `['paymentId', 'previousPaymentId']`: the prepare answer names the attempt by the same field.
   */
  readonly ids: readonly [string, string];
  /** The request from the attributes and properties (before `.request` and the kit's answer). */
  build(): Built<RequestOf[K]>;
  /** The attempt's id as the page set it (`payment-id` / `issue-id` / `identity-verification-id`). */
  ownId(): string | undefined;
  /** With `endpoint`: the attributes of which one must be set before the kit can price anything, or `undefined` when one is. */
  missing(): string[] | undefined;
  /** The prepare call's body; problems with the inputs go to `violations`. */
  prepareBody(violations: Violation[]): object;
  /** The request with the kit's prepare answer over it. */
  applyPrepared(request: RequestOf[K], prepared: unknown): RequestOf[K];
  /** Calls the SDK function on `window.PortOne` (`undefined`: the page is leaving for a redirect). */
  callSdk(request: RequestOf[K]): Promise<SdkResult | undefined>;
  /** The complete call's body for a successful result. */
  completeBody(result: SdkResult, attempt: Attempt): object;
  /** The success event, from the kit's answer when there is one, else from the SDK result. */
  outcome(result: SdkResult, answer: unknown, attempt: Attempt): SuccessEvent;
}

/** The element a controller runs in: its flow, and the properties the protocol reads. */
export type AttemptHost<K extends RequestKind> = ReactiveControllerHost &
  HTMLElement &
  AttemptFlow<K> & {
    endpoint?: string | undefined;
    sdkUrl?: string | undefined;
    request?: Partial<RequestOf[K]> | undefined;
  };

/** One prepare call, keyed by its endpoint and body so unchanged inputs reuse it. */
interface Preparation {
  key: string;
  promise: Promise<unknown>;
  failed?: boolean;
}

/** An SDK success the kit has not confirmed yet: what `#finish` needs to ask the kit again. */
type Unconfirmed = [result: SdkResult, endpoint: string, attempt: Attempt];

export class AttemptController<K extends RequestKind> implements ReactiveController {
  /** Where the element stands. */
  state: CheckoutState = 'idle';
  /** The status line's text. */
  status = '';
  #prep?: Preparation;
  /**
   * The id of the last prepare answer no window was opened for. The next prepare hands it back
   * (`previousPaymentId` / `previousIssueId` / `previousIdentityVerificationId`): the kit answers that
   * order again when nothing about it changed (an issue takes the new details). Cleared when a window opens.
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
  #debounce?: ReturnType<typeof setTimeout>;

  readonly #host: AttemptHost<K>;

  constructor(host: AttemptHost<K>) {
    this.#host = host;
    host.addController(this);
  }

  get busy(): boolean {
    return BUSY.includes(this.state);
  }

  hostConnected(): void {
    this.#to(this.state, this.status);
    addEventListener('pageshow', this.#onPageShow);
    addEventListener(HANDOVER_EVENT, this.#resume);
    void this.#resume();
  }

  hostDisconnected(): void {
    removeEventListener('pageshow', this.#onPageShow);
    removeEventListener(HANDOVER_EVENT, this.#resume);
    clearTimeout(this.#debounce);
  }

  /** First visibility, hover or focus: load the SDK and, with `endpoint`, prepare. */
  warm(): void {
    this.#warmed = true;
    this.#loadSdk().catch(() => {});
    this.#ahead();
  }

  /** Inputs changed: prepare again (debounced) so the click still finds a fresh answer waiting. */
  changed(): void {
    this.#check();
    if (this.#host.endpoint && this.#warmed && !this.busy) {
      clearTimeout(this.#debounce);
      this.#debounce = setTimeout(this.#ahead, 250);
    }
  }

  /** See `CheckoutElement.reset()`. */
  reset(): void {
    if (this.busy) return;
    this.#prep = undefined;
    this.#to('idle');
    this.#check();
    this.#ahead();
  }

  /**
   * Back (or Forward) to this page from the bfcache, after a window took the page away: that
   * window is gone, and its result, if any, comes back through the redirect URL, not here.
   */
  #onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted && this.state === 'window-open') {
      forgetAttempt();
      this.#to('idle');
      this.#afterAttempt();
    }
  };

  #to(state: CheckoutState, status = '') {
    this.state = state;
    this.status = status;
    this.#host.setAttribute('state', state);
    this.#host.requestUpdate();
  }

  /** With `endpoint`, once warm: prepare so the click finds the answer waiting (when a click may need one). */
  #ahead = () => {
    const state = this.state;
    if (this.#host.endpoint && this.#warmed && !this.busy && state !== 'done' && state !== 'incomplete' && !this.#unconfirmed) this.#prepare().catch(() => {});
  };

  async #loadSdk() {
    await loadSdk(this.#host.sdkUrl || getSdkUrl());
    if (!this.#ready) {
      this.#ready = true;
      this.#host.dispatchEvent(new PortoneReadyEvent());
    }
  }

  #prepare(): Promise<unknown> {
    const host = this.#host;
    const violations: Violation[] = [];
    const body = host.prepareBody(violations);
    if (violations.length) return Promise.reject(new CheckoutApiError('INVALID_REQUEST' satisfies FailCode, '', 0, violations));
    const key = JSON.stringify([host.endpoint, body]);
    if (this.#prep && this.#prep.key === key && !this.#prep.failed) return this.#prep.promise;
    const unused = this.#unused;
    const entry: Preparation = {
      key,
      // Waits for a prepare still on its way, so its order is the one handed back.
      promise: (async () => {
        const previous = await unused;
        const answer = await postJson(host.endpoint!, host.routes[0], previous ? { ...body, [host.ids[1]]: previous } : body);
        checkPrepared(host.kind, answer);
        return answer;
      })(),
    };
    entry.promise.catch(() => (entry.failed = true));
    // A failed prepare made no order: the one before it is still the unused one.
    this.#unused = entry.promise.then((answer) => (answer as Record<string, string>)[host.ids[0]], () => unused);
    this.#prep = entry;
    return entry.promise;
  }

  /** The button was clicked: one attempt, from prepare to the outcome event. */
  click = async () => {
    const host = this.#host;
    // The synchronous guard is what stops a double click: `disabled` only lands on the next render.
    if (this.busy || this.state === 'done' || this.#check()) return;
    this.#to('loading');
    const unconfirmed = this.#unconfirmed;
    // Whether this click ends an attempt a window was opened for.
    let called = !!unconfirmed;
    try {
      // The SDK already said yes: ask the kit again, never the shopper to pay again.
      if (unconfirmed) return await this.#finish(...unconfirmed);
      const sdk = this.#loadSdk();
      sdk.catch(() => {});
      const prepared = host.endpoint ? await this.#prepare() : undefined;
      await sdk;
      // The kit's fields win over the page's; KG Inicis's aliases become SDK values.
      const apply = (request: RequestOf[K]) => withAliases(prepared ? host.applyPrepared(request, prepared) : request);
      const built = host.build();
      // Mobile windows leave the page; by default they come back here, where #resume finishes.
      built.request.redirectUrl ??= stripRedirectParams(location.href);
      let request = apply(mergeRequest(built.request, host.request));
      if (!this.#valid(request, built.violations)) return;
      // A copy: a listener's changes reach this call only, never the cached prepare answer or the page's objects.
      const event = new PortoneRequestEvent({ kind: host.kind, request: structuredClone(request) });
      if (!host.dispatchEvent(event)) return this.#to('idle');
      // Listeners may have replaced or changed the request: check it again (the kit's fields win).
      request = apply(event.detail.request as RequestOf[K]);
      if (!this.#valid(request, [], false)) return;
      const r = request as Partial<RequestOf['payment']> & Record<string, string>;
      const attempt: Attempt = { id: r[host.ids[0]]!, payMethod: r.payMethod, orderName: r.orderName };
      const memory: PendingAttempt = { ...attempt, kind: host.kind, endpoint: host.endpoint, at: Date.now() };
      rememberAttempt(memory);
      this.#to('window-open');
      called = true;
      // This answer's order is now an attempt: a later prepare asks for a fresh one.
      this.#unused = undefined;
      const result = await host.callSdk(request);
      // Nothing back: the window took the page away (redirect); the return page finishes the attempt.
      if (result === undefined) return;
      // The page removed this element while the window was open (a route change): its events would
      // reach no one. The memory keeps the result for the element the page shows next, which
      // finishes it as it does a redirect's; this one still posts complete, so the kit hears at once.
      if (!host.isConnected) {
        rememberAttempt({ ...memory, result: result as RedirectResult });
        dispatchEvent(new Event(HANDOVER_EVENT));
      }
      await this.#finish(result, host.endpoint, attempt);
    } catch (error) {
      this.#fail(error);
    } finally {
      // Still `window-open`: the page is leaving for a redirect, and the return page needs the memory.
      // Removed from the page: the memory is the next element's (above).
      if (called && this.state !== 'window-open' && host.isConnected) {
        forgetAttempt();
        // The attempt is over: the next click needs a fresh one (unless it is still unconfirmed).
        this.#afterAttempt();
      }
    }
  };

  /** Runs every check; on a broken rule fires `portone-fail` and returns false. */
  #valid(request: RequestOf[K], found: Violation[], warn = true): boolean {
    const kind = this.#host.kind;
    const inicis = checkInicisRequest(kind, request, detectDevice());
    if (warn) for (const warning of inicis.warnings) console.warn(`[portone-checkout] ${warning.message.en}`);
    const violations = [...found, ...checkRequest(kind, request), ...inicis.violations];
    if (violations.length) this.#fail(new CheckoutApiError('INVALID_REQUEST' satisfies FailCode, '', 0, violations));
    return !violations.length;
  }

  /** Ends an attempt from its SDK result: the same for the promise and for a redirect's query. */
  async #finish(result: SdkResult, endpoint: string | undefined, attempt: Attempt) {
    const host = this.#host;
    if (result.code != null) {
      const detail = { code: result.code, message: result.message ?? '', pgCode: result.pgCode, pgMessage: result.pgMessage };
      if (!isShopperCancel(result)) return this.#fail(detail);
      this.#to('idle', this.#texts().cancel);
      host.dispatchEvent(new PortoneCancelEvent(detail));
      return;
    }
    let answer: unknown;
    if (endpoint) {
      this.#to('verifying');
      // Until the kit answers, the money may have moved (#fail forgets this once the kit has answered).
      this.#unconfirmed = [result, endpoint, attempt];
      answer = await this.#complete(endpoint, host.completeBody(result, attempt));
    }
    const event = host.outcome(result, answer, attempt);
    this.#unconfirmed = undefined;
    this.#to('done', successStatus(event, attempt.orderName, this.#texts()));
    host.dispatchEvent(event);
  }

  /** POST complete; retried when the kit is unreachable or answers 5xx (the call is idempotent). */
  async #complete(endpoint: string, body: object, attempt = 1): Promise<unknown> {
    try {
      return await postJson(endpoint, this.#host.routes[1], body);
    } catch (error) {
      const { code, status } = error as CheckoutApiError;
      if (attempt > 2 || !(code === ('NETWORK_ERROR' satisfies FailCode) || status >= 500)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 400 * attempt));
      return this.#complete(endpoint, body, attempt + 1);
    }
  }

  #fail(error: unknown) {
    const e = error as Partial<CheckoutApiError>;
    // The kit answered, in the contract (a verdict like NOT_PAID, or a 4xx refusal): the attempt is
    // settled. Unreachable, 5xx or an answer outside the contract: the next click asks again.
    if (e.status! < 500 && e.status! > 0 && e.code !== ('BAD_RESPONSE' satisfies FailCode)) this.#unconfirmed = undefined;
    const detail = failDetail(error, langOf(this.#host), this.#texts(), this.state === 'verifying');
    // What the shopper does not read, the developer does.
    if (!fromPortOne(error)) console.warn(`[portone-checkout] ${detail.code}: ${detail.message}`);
    this.#to('failed', detail.readableMessage);
    this.#host.dispatchEvent(new PortoneFailEvent(detail));
  }

  /** What the element says, in its language now. */
  #texts(): Texts {
    return textsIn(langOf(this.#host), this.#host.texts);
  }

  #afterAttempt() {
    this.#prep = undefined;
    this.#check();
    this.#ahead();
  }

  /**
   * With `endpoint`, an element with nothing for the kit to price (no cart, order or plan: not set
   * yet, or dropped by a framework's hydration) waits in `incomplete`, prepares nothing and fires
   * `portone-incomplete`; it is idle again once one is set. True while incomplete. Not while busy,
   * done, or holding a payment the kit has not confirmed (its click needs no cart).
   */
  #check(): boolean {
    const host = this.#host;
    const state = this.state;
    if (this.busy || state === 'done') return false;
    const missing = host.endpoint && !this.#unconfirmed ? host.missing() : undefined;
    if (missing && state !== 'incomplete') {
      this.#to('incomplete');
      host.dispatchEvent(
        new PortoneIncompleteEvent({ missing, message: `<${host.localName}> has an endpoint but no ${missing.join(' or ')} yet: it prepares once one is set` }),
      );
    } else if (!missing && state === 'incomplete') this.#to('idle');
    return !!missing;
  }

  /**
   * A result for this kind of element that no element finished: a page load carrying PortOne's
   * result (a redirect return), or one handed over by an element the page removed while its window
   * was open (a route change). Finishes it, once. The query is PortOne's when it names a
   * `transactionType`, or when its `paymentId` is the attempt this tab opened a window for
   * (PortOne's documented short form); a shop's own `?paymentId=` stays alone.
   */
  #resume = async () => {
    const host = this.#host;
    await host.updateComplete;
    // A handover waits for an element that is not in an attempt of its own.
    if (this.busy) return;
    let pending = pendingAttempt();
    if (pending?.kind !== host.kind) pending = undefined;
    const handed = pending?.result;
    const result = handed ?? parseRedirectQuery(location.search, pending);
    if (!result || KIND_OF_TRANSACTION[result.transactionType] !== host.kind) return;
    const queryId = resultId(result);
    if (queryId && pending?.id !== queryId) pending = undefined;
    // Without a remembered attempt (a new tab), only a result for this element's own id, or one the kit verifies.
    if (!pending && !host.endpoint && queryId && queryId !== host.ownId()) return;
    // Claimed, synchronously: strip the query first, so no other element (and no reload) sees it.
    if (!handed) history.replaceState(history.state, '', stripRedirectParams(location.href));
    if (!markCompleted(resultKey(result))) return;
    forgetAttempt();
    // Busy from now on, so first visibility does not prepare a new attempt meanwhile.
    this.#to('loading');
    // Let the page attach its listeners before the outcome event.
    await new Promise((resolve) => setTimeout(resolve));
    // Without a remembered attempt (a new tab), the element's own request says what was asked for.
    const own = mergeRequest(host.build().request, host.request) as Partial<Attempt>;
    const attempt: Attempt = { id: pending?.id ?? queryId ?? host.ownId() ?? '', payMethod: pending?.payMethod ?? own.payMethod, orderName: pending?.orderName ?? own.orderName };
    try {
      await this.#finish(result, pending?.endpoint ?? host.endpoint, attempt);
    } catch (error) {
      this.#fail(error);
    }
    // A fresh attempt for the next click, unless this one awaits the kit (then the click asks it again).
    this.#afterAttempt();
  };
}
