// Loads PortOne's browser SDK runtime (`window.PortOne`) once, lazily, through one cached function.
// The elements call `window.PortOne`'s functions only after this resolved, so they need nothing of
// `@portone/browser-sdk/v2` at run time: its own loader caches its load promise forever, a rejected
// one too, and adds a promise hop to every call. A failed load here clears the cache so a retry works.
import type { PortOneRuntime } from './portone-types.js';

/** `window.PortOne`, once `loadSdk` resolved. */
export const portOne = (): PortOneRuntime => (window as unknown as { PortOne: PortOneRuntime }).PortOne;

/** PortOne's CDN runtime, the default. */
export const DEFAULT_SDK_URL = 'https://cdn.portone.io/v2/browser-sdk.js';

let sdkUrl = DEFAULT_SDK_URL;
let timeoutMs = 15_000;
/** One load per URL: an element with its own `sdk-url` never waits on another URL's script. */
const loading = new Map<string, Promise<void>>();

/** Points every element without an `sdk-url` at another runtime (the PortOne sandbox, a mirror). */
export function setSdkUrl(url: string): void {
  sdkUrl = url;
}

export function getSdkUrl(): string {
  return sdkUrl;
}

/**
 * How long a load may take before it fails (default 15 s), so a CDN that never answers does not
 * leave a button loading forever. The script is dropped; the next click tries again.
 */
export function setSdkLoadTimeout(ms: number): void {
  timeoutMs = ms;
}

/** The runtime could not be loaded from `url` (offline, blocked, 404, too slow, or it did not define `window.PortOne`). */
export class SdkLoadError extends Error {
  override readonly name = 'SdkLoadError';
  constructor(readonly url: string) {
    super(`[PortOne] Failed to load window.PortOne from ${url}`);
  }
}

/** Resolves once `window.PortOne` exists, injecting the runtime from `url` when needed. */
export function loadSdk(url: string = sdkUrl): Promise<void> {
  if (portOne()) return Promise.resolve();
  let promise = loading.get(url);
  if (!promise) {
    promise = new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      const settle = () => {
        clearTimeout(timer);
        // Settles once: a script that arrives after the timeout must not touch a later attempt.
        script.onload = script.onerror = null;
        if (portOne()) return resolve();
        script.remove();
        loading.delete(url);
        reject(new SdkLoadError(url));
      };
      const timer = setTimeout(settle, timeoutMs);
      script.onload = script.onerror = settle;
      document.head.append(script);
    });
    loading.set(url, promise);
  }
  return promise;
}
