// The header and footer every page shares. The server renders them into each page it sends (the
// plain-HTML catalog and the built pages alike), so there is no flash and no script needed.
import { escapeHtml } from './format.js';
import { t, type Lang } from './i18n.js';

export type NavKey = 'shop' | 'subscribe' | 'class' | 'orders' | 'cart' | 'admin';

export interface LayoutContext {
  lang: Lang;
  /** The request path with its query, for the language switch to come back to. */
  path: string;
  active?: NavKey | undefined;
  /** `sandbox`: payments go to the embedded PortOne sandbox. `portone`: PortOne's test channels. */
  mode: 'sandbox' | 'portone';
  sandboxDashboardUrl?: string | undefined;
}

const MOON = `<svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><circle cx="16" cy="16" r="15" fill="#2b2d5c"/><path d="M20.5 7.5a9 9 0 1 0 4 13.2A7.2 7.2 0 0 1 20.5 7.5z" fill="#f2c14e"/></svg>`;
const CART = `<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M3 4h2l2.4 10.2a2 2 0 0 0 2 1.6h7.7a2 2 0 0 0 2-1.5L21 8H6.2" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/><circle cx="10" cy="20" r="1.5" fill="currentColor"/><circle cx="17" cy="20" r="1.5" fill="currentColor"/></svg>`;

const NAV: readonly [NavKey, string, string][] = [
  ['shop', '/', 'nav.shop'],
  ['subscribe', '/subscribe', 'nav.subscribe'],
  ['class', '/phone', 'nav.class'],
  ['orders', '/orders', 'nav.orders'],
];

export function renderHeader(ctx: LayoutContext): string {
  const { lang } = ctx;
  const other: Lang = lang === 'ko' ? 'en' : 'ko';
  const current = (key: NavKey) => (ctx.active === key ? ' aria-current="page"' : '');
  const banner =
    ctx.mode === 'sandbox'
      ? `<p class="test-banner">${escapeHtml(t(lang, 'banner.sandbox'))}${ctx.sandboxDashboardUrl ? ` <a href="${escapeHtml(ctx.sandboxDashboardUrl)}" target="_blank" rel="noopener">${escapeHtml(t(lang, 'banner.sandboxLink'))}</a>` : ''}</p>`
      : `<p class="test-banner">${escapeHtml(t(lang, 'banner.testChannel'))}</p>`;
  return `<a class="skip-link" href="#main">${escapeHtml(t(lang, 'nav.skip'))}</a>
${banner}
<header class="site-header">
<div class="wrap header-inner">
<a class="brand" href="/">${MOON}<span><span class="brand-name">${escapeHtml(t(lang, 'shop.name'))}</span><span class="brand-tagline">${escapeHtml(t(lang, 'shop.tagline'))}</span></span></a>
<nav class="site-nav" aria-label="${escapeHtml(t(lang, 'nav.main'))}"><ul>
${NAV.map(([key, href, label]) => `<li><a href="${href}"${current(key)}>${escapeHtml(t(lang, label))}</a></li>`).join('\n')}
</ul></nav>
<div class="header-actions">
<a class="cart-link" href="/cart"${current('cart')}>${CART}<span>${escapeHtml(t(lang, 'nav.cart'))}</span> <span class="cart-count" data-cart-count>0</span></a>
<a class="lang-switch" href="/lang/${other}?back=${encodeURIComponent(ctx.path)}" lang="${other}" aria-label="${escapeHtml(t(lang, 'lang.switchLabel'))}">${escapeHtml(t(lang, 'lang.switch'))}</a>
</div>
</div>
</header>`;
}

export function renderFooter(ctx: LayoutContext): string {
  const { lang } = ctx;
  return `<footer class="site-footer">
<div class="wrap">
<p class="footer-brand">${MOON}<span>${escapeHtml(t(lang, 'shop.name'))}</span></p>
<p>${escapeHtml(t(lang, 'footer.business'))}</p>
<p>${escapeHtml(t(lang, 'footer.address'))}</p>
<p>${escapeHtml(t(lang, 'footer.poweredBy'))} · <a href="/admin">${escapeHtml(t(lang, 'footer.admin'))}</a></p>
</div>
</footer>`;
}
