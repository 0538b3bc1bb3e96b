// Sends the shop's pages. The built pages (demo/dist/*.html) get, per request: the shopper's
// language, the shared header and footer, their static text translated, and a small JSON config
// (sandbox or PortOne, the SDK URL, the member's name, phone and e-mail) their scripts read.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from '../shared/format.js';
import { t, type Lang } from '../shared/i18n.js';
import { renderFooter, renderHeader, type LayoutContext, type NavKey } from '../shared/layout.js';
import type { Profile } from './shop-db.js';

/** What the built pages' scripts get in `<script id="shop-config">`. */
export interface PageConfig {
  mode: 'sandbox' | 'portone';
  lang: Lang;
  /** The sandbox's `window.PortOne` runtime; absent on PortOne (the elements load PortOne's CDN). */
  sdkUrl?: string;
  /** What prefills the forms. Not the member's id (it stays on the server), never their session. */
  member: Omit<Profile, 'id'>;
  /** How many of each small-batch product are left; a small batch missing here is not on sale. */
  stock: Record<string, number>;
  /** The adult-only products: on sale (there is an identity channel), and whether this member verified as an adult. */
  adult: { onSale: boolean; verified: boolean };
}

export interface PageContext extends LayoutContext {
  config: PageConfig;
}

export const PAGES = ['product', 'cart', 'checkout', 'complete', 'waiting', 'subscribe', 'phone', 'orders', 'admin'] as const;
export type PageName = (typeof PAGES)[number];

/** Which header link is current on each page. */
export const PAGE_NAV: Record<PageName, NavKey | undefined> = {
  product: 'shop',
  cart: 'cart',
  checkout: 'cart',
  complete: undefined,
  waiting: 'orders',
  subscribe: 'subscribe',
  phone: 'class',
  orders: 'orders',
  admin: 'admin',
};

/** Translates `data-i18n="key"` elements (text only) and `data-i18n-attr="attr:key;…"` attributes. */
export function translateHtml(html: string, lang: Lang): string {
  const text = html.replace(
    /(<([a-z][a-z0-9-]*)\b[^>]*?\sdata-i18n="([^"]+)"[^>]*>)([^<]*)(<\/\2>)/g,
    (_all, open: string, _tag: string, key: string, _text: string, close: string) => `${open}${escapeHtml(t(lang, key))}${close}`,
  );
  return text.replace(/<[a-z][a-z0-9-]*\b[^>]*?\sdata-i18n-attr="([^"]+)"[^>]*>/g, (tag: string, spec: string) => {
    let translated = tag;
    for (const pair of spec.split(';')) {
      const [attr, key] = pair.split(':').map((part) => part.trim());
      if (!attr || !key) continue;
      translated = translated.replace(new RegExp(`(\\s${attr}=")[^"]*"`), (_m, head: string) => `${head}${escapeHtml(t(lang, key))}"`);
    }
    return translated;
  });
}

export class PageStore {
  readonly #dir: string;
  readonly #cache = new Map<PageName, string>();

  constructor(dir: string, private readonly reload = false) {
    this.#dir = dir;
    for (const page of PAGES) {
      if (!existsSync(join(dir, `${page}.html`))) {
        throw new Error(`${join(dir, `${page}.html`)} is missing: build the pages first (npm start does, or run \`npx vite build\`)`);
      }
    }
  }

  #source(page: PageName): string {
    let html = this.reload ? undefined : this.#cache.get(page);
    if (html === undefined) {
      html = readFileSync(join(this.#dir, `${page}.html`), 'utf8');
      this.#cache.set(page, html);
    }
    return html;
  }

  render(page: PageName, ctx: PageContext): string {
    const config = JSON.stringify(ctx.config).replace(/</g, '\\u003c');
    const html = this.#source(page)
      .replace(/<html lang="[^"]*"/, `<html lang="${ctx.lang}"`)
      .replace('<!--site-header-->', renderHeader(ctx))
      .replace('<!--site-footer-->', renderFooter(ctx))
      .replace('</head>', `<script id="shop-config" type="application/json">${config}</script>\n</head>`);
    // Korean too: the dictionary, not the HTML's placeholder text, is the source of every string.
    return translateHtml(html, ctx.lang);
  }
}
