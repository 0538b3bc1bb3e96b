// The shop's browser-facing hardening: the Content Security Policy of its pages (exactly the origins
// the checkout needs on the sandbox, or on PortOne and KG Inicis), the headers every response
// carries, and whether a request came over https (for Secure cookies).
import { randomBytes } from 'node:crypto';

/**
 * What PortOne's browser SDK and KG Inicis's windows load into and from a shop's page, by origin.
 * Sources: PortOne's CDN runtime names its own origins (`cdn.portone.io` for itself and the PG
 * drivers it loads, `checkout-service.prod.iamport.co` for its API, `coretelemetry.prod.iamport.co`,
 * `payment-bridge.prod.iamport.co`, `tx-gateway-service.prod.iamport.co`); KG Inicis's manual
 * names its PC window script and frame (`stdpay.inicis.com/stdjs/INIStdPay.js`, and its test host
 * `stgstdpay.inicis.com`) and its phone window (`mobile.inicis.com`). The shop's own pages load none
 * of these until a checkout element asks PortOne for a window.
 */
export const PORTONE_ORIGINS = {
  /** `<script src>`: the SDK, its PG drivers, KG Inicis's PC window script. */
  script: ['https://cdn.portone.io', 'https://stdpay.inicis.com', 'https://stgstdpay.inicis.com'],
  /** fetch/XHR from the SDK: PortOne's checkout API and its telemetry. */
  connect: ['https://checkout-service.prod.iamport.co', 'https://coretelemetry.prod.iamport.co'],
  /** The windows opened over the page as iframes (PC). */
  frame: [
    'https://checkout-service.prod.iamport.co',
    'https://payment-bridge.prod.iamport.co',
    'https://tx-gateway-service.prod.iamport.co',
    'https://stdpay.inicis.com',
    'https://stgstdpay.inicis.com',
  ],
  /** Forms the SDK and KG Inicis post from the page: into the PC window's iframe, or the phone window replacing the page. */
  form: ['https://stdpay.inicis.com', 'https://stgstdpay.inicis.com', 'https://mobile.inicis.com', 'https://tx-gateway-service.prod.iamport.co'],
} as const;

/** Where violations of a page's policy are reported (logged by the shop). */
export const CSP_REPORT_PATH = '/csp-reports';

export type PaymentOrigins = { mode: 'sandbox'; origin: string } | { mode: 'portone' };

/** A fresh nonce for one page's inline scripts. */
export const newNonce = (): string => randomBytes(16).toString('base64');

/**
 * The policy of a shop page (and /admin). No `'unsafe-inline'` anywhere: the one inline script (the
 * plain-HTML catalog's) carries the nonce, the checkout bundle and the pages' scripts come from the
 * shop itself, and the elements style themselves through constructable stylesheets. On the sandbox
 * the SDK script, its API and its payment window all come from the sandbox's origin.
 */
export function pagePolicy(nonce: string, payment: PaymentOrigins): string {
  const portone = payment.mode === 'portone';
  const sources = (own: readonly string[], sandbox: boolean, portOne: readonly string[]) =>
    [...own, ...(payment.mode === 'sandbox' && sandbox ? [payment.origin] : []), ...(portone ? portOne : [])].join(' ');
  const directives = [
    "default-src 'self'",
    `script-src ${sources(["'self'", `'nonce-${nonce}'`], true, PORTONE_ORIGINS.script)}`,
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    `connect-src ${sources(["'self'"], true, PORTONE_ORIGINS.connect)}`,
    `frame-src ${sources([], true, PORTONE_ORIGINS.frame)}`,
    `form-action ${sources(["'self'"], false, PORTONE_ORIGINS.form)}`,
    "object-src 'none'",
    "base-uri 'none'",
    // No other site may frame the shop or its admin (a framed admin is a clickjacked refund).
    "frame-ancestors 'none'",
    `report-uri ${CSP_REPORT_PATH}`,
  ];
  return directives.join('; ');
}

/** Everything that is not a page (JSON, scripts, pictures): nothing to run, nothing to frame. */
export const RESOURCE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers every answer of the shop carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Scripts and styles are only ever what their content-type says.
  'x-content-type-options': 'nosniff',
  // Other sites (PortOne, KG Inicis, a link's target) learn the shop's origin, never a path or query
  // (`/complete?order=…` carries an order's id).
  'referrer-policy': 'strict-origin-when-cross-origin',
  // frame-ancestors for the browsers that predate it.
  'x-frame-options': 'DENY',
};

/**
 * Whether the browser reached the shop over https: the request itself came over TLS (the shop's
 * app mounted in an https server), or a trusted reverse proxy (`--trust-proxy`) says so in
 * X-Forwarded-Proto, its own (last) entry. Without `--trust-proxy` that header is ignored: a
 * client could send it over plain http.
 */
export function isHttps(url: string, forwardedProto: string | null | undefined, trustProxy: boolean): boolean {
  if (new URL(url).protocol === 'https:') return true;
  return trustProxy && forwardedProto?.split(',').at(-1)?.trim().toLowerCase() === 'https';
}
