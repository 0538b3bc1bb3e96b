// Loads PortOne's browser SDK runtime (`window.PortOne`) once, lazily, through one cached function.
// `@portone/browser-sdk/v2` caches its own load promise forever, a rejected one too, so it is only
// ever called after `window.PortOne` exists (then it takes that object and never reads its own
// script URL, so it needs no `__INTERNAL__setPortOneSdkUrl`); a failed load here clears the cache
// so a retry works.

/** PortOne's CDN runtime, the default. */
export const DEFAULT_SDK_URL = 'https://cdn.portone.io/v2/browser-sdk.js';

let sdkUrl = DEFAULT_SDK_URL;
let loading: Promise<void> | undefined;

/** Points every element without an `sdk-url` at another runtime (the PortOne sandbox, a mirror). */
export function setSdkUrl(url: string): void {
  sdkUrl = url;
}

export function getSdkUrl(): string {
  return sdkUrl;
}

/** The runtime could not be loaded from `url` (offline, blocked, 404, or it did not define `window.PortOne`). */
export class SdkLoadError extends Error {
  override readonly name = 'SdkLoadError';
  constructor(readonly url: string) {
    super(`[PortOne] Failed to load window.PortOne from ${url}`);
  }
}

/** Resolves once `window.PortOne` exists, injecting the runtime from `url` when needed. */
export function loadSdk(url: string = sdkUrl): Promise<void> {
  if (window.PortOne) return Promise.resolve();
  return (loading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    const settle = () => {
      if (window.PortOne) return resolve();
      script.remove();
      loading = undefined;
      reject(new SdkLoadError(url));
    };
    script.onload = script.onerror = settle;
    document.head.append(script);
  }));
}
