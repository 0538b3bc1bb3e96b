// Small helpers the element specs share: click the real button, await the element's events, fake
// `fetch` for the verification kit, pretend to be a phone.
import { aTimeout, oneEvent, waitUntil } from '@open-wc/testing';
import type { CheckoutElement } from '../../../src/index.js';

export const OUTCOME_EVENTS = [
  'portone-request',
  'portone-paid',
  'portone-virtual-account-issued',
  'portone-billing-key-issued',
  'portone-identity-verified',
  'portone-cancel',
  'portone-fail',
] as const;

type AnyCheckout = CheckoutElement<never>;

export function button(el: Element): HTMLButtonElement {
  return el.shadowRoot!.querySelector('button')!;
}

export function statusText(el: Element): string {
  return el.shadowRoot!.querySelector('[part=status]')!.textContent!.trim();
}

/** Every outcome event the element fires from now on, in order. */
export function record(el: EventTarget): Event[] {
  const seen: Event[] = [];
  for (const type of OUTCOME_EVENTS) el.addEventListener(type, (event) => seen.push(event));
  return seen;
}

/**
 * Every value the element's `state` attribute takes from now on, in order, read when the returned
 * function is called: even a state that lasts less than a task is seen (a MutationObserver's records).
 */
export function recordStates(el: Element): () => (string | null)[] {
  const records: MutationRecord[] = [];
  const observer = new MutationObserver((batch) => records.push(...batch));
  observer.observe(el, { attributeFilter: ['state'], attributeOldValue: true });
  return () => {
    records.push(...observer.takeRecords());
    // Each record holds the value before it; the last value is the attribute now.
    const values = [...records.map((record) => record.oldValue), el.getAttribute('state')];
    return values.filter((value, i) => value !== values[i - 1]);
  };
}

/** Waits for `predicate`, generously: two cores run the browser tests two files at a time. */
export function until(predicate: () => boolean, message?: string): Promise<void> {
  return waitUntil(predicate, message, { timeout: 5000 });
}

/** Clicks the button and resolves with the first event of `type`. */
export async function clickFor<E extends Event>(el: Element, type: string): Promise<E> {
  const event = oneEvent(el, type) as Promise<E>;
  button(el).click();
  return event;
}

/** Waits until the element is no longer busy (no event expected, e.g. after a veto). */
export async function settled(el: AnyCheckout | Element): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await (el as AnyCheckout).updateComplete;
    if (!['loading', 'window-open', 'verifying'].includes(el.getAttribute('state') ?? '')) return;
    await aTimeout(5);
  }
  throw new Error(`still busy: ${el.getAttribute('state')}`);
}

export interface FetchCall {
  url: string;
  body: unknown;
}

/** Replaces `fetch` with routes `path → (body) => [status, json]`; `restore()` puts it back. */
export function fakeFetch(routes: Record<string, (body: any) => [number, unknown] | Promise<[number, unknown]>>) {
  const original = window.fetch;
  const calls: FetchCall[] = [];
  window.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ url, body });
    const route = routes[new URL(url, location.href).pathname];
    if (!route) return new Response(JSON.stringify({ code: 'NOT_FOUND', message: `no route ${url}` }), { status: 404 });
    const [status, json] = await route(body);
    return new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { calls, restore: () => (window.fetch = original) };
}

/** Makes `detectDevice()` see a phone until the returned function is called. */
export function pretendMobile(): () => void {
  Object.defineProperty(navigator, 'userAgentData', { value: { mobile: true }, configurable: true });
  return () => delete (navigator as { userAgentData?: unknown }).userAgentData;
}

/** A valid customer for KG Inicis on PC, as attributes. */
export const CUSTOMER_ATTRS = {
  'customer-name': '홍길동',
  'customer-phone': '010-1234-5678',
  'customer-email': 'hong@example.com',
};

/** Creates `<tag attr…>` inside `parent` (default: a fresh container in the body). */
export async function mount<T extends HTMLElement>(tag: string, attrs: Record<string, string>, parent?: HTMLElement): Promise<T> {
  const el = document.createElement(tag) as T;
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  (parent ?? document.body.appendChild(document.createElement('div'))).append(el);
  await (el as unknown as AnyCheckout).updateComplete;
  return el;
}

/** The test page's own URL (web-test-runner's parameters), which redirect tests add to. */
export const PAGE_URL = location.href;

/** Puts PortOne's result parameters on the page's URL, as a redirect back would. */
export function returnWith(params: Record<string, string>): void {
  const url = new URL(PAGE_URL);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  history.replaceState(null, '', url);
}

/** Removes everything `mount` added and forgets redirect memory. */
export function cleanup(): void {
  document.body.replaceChildren();
  sessionStorage.clear();
  history.replaceState(null, '', PAGE_URL);
}
