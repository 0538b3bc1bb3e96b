// Memory across a redirect: which attempt a window was opened for (so the page it returns to knows
// whose result it carries and where to verify it), and which results were already completed (so a
// reload or Back never completes one twice). Kept in the tab's sessionStorage. The same memory hands
// a window's result from an element the page removed (a route change) to the one it shows next.
import type { RequestKind } from '../inicis/rules.js';
import type { RedirectResult } from './redirect.js';

/** An attempt whose window may still come back through a redirect. */
export interface PendingAttempt {
  kind: RequestKind;
  /** `paymentId`, or `issueId` for billing keys. */
  id: string;
  /** The kit's base URL when the element verifies through it. */
  endpoint?: string | undefined;
  /** The payment's method, to tell a virtual account from a payment without the kit. */
  payMethod?: string | undefined;
  /** The order's name, for the status line after the return (as after a window that stays on the page). */
  orderName?: string | undefined;
  /** ms since epoch. */
  at: number;
  /**
   * The window's result, when it came back to an element the page had removed meanwhile (a route
   * change): the next element of this kind that connects finishes it, as it does a redirect's.
   */
  result?: RedirectResult | undefined;
}

/** Fired on `window` when an attempt's result was handed over (see `PendingAttempt.result`). */
export const HANDOVER_EVENT = 'portone-checkout-handover';

const PENDING = 'portone-checkout:pending';
const DONE = 'portone-checkout:done';
/** A window left open longer than this is not waited for. */
const PENDING_TTL_MS = 60 * 60 * 1000;
const DONE_KEPT = 20;

// Storage can be blocked (sandboxed frames, some privacy settings: reading `sessionStorage` throws)
// or full: then there is no memory. The promise path still works; only redirect memory is lost.
function read<T>(key: string, fallback: T): T {
  try {
    return (JSON.parse(sessionStorage.getItem(key)!) as T) ?? fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown) {
  try {
    if (value === undefined) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // See above.
  }
}

export function rememberAttempt(attempt: PendingAttempt): void {
  write(PENDING, attempt);
}

export function pendingAttempt(now = Date.now()): PendingAttempt | undefined {
  const attempt = read<PendingAttempt | undefined>(PENDING, undefined);
  return attempt && now - attempt.at < PENDING_TTL_MS ? attempt : undefined;
}

export function forgetAttempt(): void {
  write(PENDING, undefined);
}

/** Records `key` as completed; returns false when it already was. */
export function markCompleted(key: string): boolean {
  const done = read<string[]>(DONE, []);
  if (done.includes(key)) return false;
  write(DONE, [...done.slice(1 - DONE_KEPT), key]);
  return true;
}

export function isCompleted(key: string): boolean {
  return read<string[]>(DONE, []).includes(key);
}
