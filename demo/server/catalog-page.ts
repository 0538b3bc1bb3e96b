// The catalog: plain HTML, as any server (PHP, Rails, a CMS) would send it, with no build step.
// One script tag loads the checkout bundle; each "buy now" is a <portone-payment-button> configured
// by attributes alone. The kit prices the product and fills in the signed-in member's details.
import { BEANS_PLAN, MAX_QUANTITY, PRODUCTS, productById, type Product } from '../shared/catalog.js';
import { escapeHtml, formatWon } from '../shared/format.js';
import { t } from '../shared/i18n.js';
import { renderFooter, renderHeader } from '../shared/layout.js';
import type { PageContext } from './pages.js';

const attr = (value: string): string => escapeHtml(value);

/** The product of the week, with the drop-in "buy now" button. */
export const FEATURED_PRODUCT_ID = 'house-blend';

/** A small batch with none left, or not on sale here: nothing to add to a cart. */
const soldOut = (product: Product, ctx: PageContext): boolean => product.limitedStock !== undefined && !(ctx.config.stock[product.id]! > 0);

/** How many of a small batch are left, as the page is sent (the checkout checks again). */
function stockLine(product: Product, ctx: PageContext): string {
  if (product.limitedStock === undefined) return '';
  const left = ctx.config.stock[product.id];
  const text = left === undefined ? t(ctx.lang, 'limited.unavailable') : left === 0 ? t(ctx.lang, 'product.soldOut') : t(ctx.lang, 'product.stockLeft').replace('{count}', String(left));
  return `<p class="stock">${escapeHtml(text)}</p>
`;
}

function productCard(product: Product, ctx: PageContext): string {
  const { lang } = ctx;
  const name = product.name[lang];
  return `<li class="product-card">
<a class="product-card-link" href="/products/${product.id}">
<img src="/images/products/${product.id}.svg" alt="" width="400" height="400">
${product.badge ? `<span class="badge">${escapeHtml(product.badge[lang])}</span>` : ''}
<h3 class="product-card-name">${escapeHtml(name)}</h3>
</a>
<p class="product-card-summary">${escapeHtml(product.summary[lang])}</p>
${stockLine(product, ctx)}<div class="product-card-bottom">
<p class="price">${formatWon(product.price)}</p>
<button type="button" class="button button-secondary button-small" data-add-to-cart="${product.id}" aria-label="${attr(`${name}: ${t(lang, 'catalog.addToCart')}`)}"${soldOut(product, ctx) ? ' disabled' : ''}>${escapeHtml(t(lang, 'catalog.addToCart'))}</button>
</div>
</li>`;
}

function featured(product: Product, ctx: PageContext, origin: string): string {
  const { lang } = ctx;
  const sdkUrl = ctx.config.sdkUrl ? `\n  sdk-url="${attr(ctx.config.sdkUrl)}"` : '';
  return `<section class="featured" aria-labelledby="featured-title">
<img src="/images/products/${product.id}.svg" alt="" width="400" height="400">
<div class="featured-body">
<p class="eyebrow">${escapeHtml(t(lang, 'catalog.featured'))}</p>
<h2 id="featured-title">${escapeHtml(product.name[lang])}</h2>
<p>${escapeHtml(product.description[lang])}</p>
<p class="price price-large">${formatWon(product.price)}</p>
<div class="featured-actions">
<!-- Drop-in: the kit prices the item and fills in the member's details; no page code calls PortOne. -->
<portone-payment-button class="buy-now" endpoint="/portone" items='[{"id":"${product.id}","quantity":1}]' pay-method="CARD"
  redirect-url="${attr(`${origin}/complete`)}" locale="${lang === 'en' ? 'EN_US' : 'KO_KR'}"${sdkUrl}
  inicis-logo-url="${attr(`${origin}/logo-inicis.svg`)}" inicis-skin="#2B2D5C">${escapeHtml(t(lang, 'catalog.buyNow'))}</portone-payment-button>
<button type="button" class="button button-secondary" data-add-to-cart="${product.id}">${escapeHtml(t(lang, 'catalog.addToCart'))}</button>
</div>
<p class="fine-print">${escapeHtml(t(lang, 'catalog.quickBuyNote'))}</p>
</div>
</section>`;
}

/** `origin`: the shop's as the browser sees it (https behind a TLS proxy); `nonce`: the page policy's, for the one inline script. */
export function renderCatalog(ctx: PageContext, origin: string, nonce: string): string {
  const { lang } = ctx;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t(lang, 'shop.name'))} · ${escapeHtml(t(lang, 'catalog.title'))}</title>
<meta name="description" content="${attr(t(lang, 'catalog.lead'))}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/shop.css">
<!-- The whole checkout integration: one script tag… -->
<script type="module" src="/portone-checkout.js"></script>
</head>
<body class="page-catalog">
${renderHeader(ctx)}
<main id="main" class="wrap">
<section class="hero" aria-labelledby="catalog-title">
<div>
<h1 id="catalog-title">${escapeHtml(t(lang, 'catalog.title'))}</h1>
<p class="lead">${escapeHtml(t(lang, 'catalog.lead'))}</p>
</div>
<p class="drop-in-note">${escapeHtml(t(lang, 'catalog.dropIn'))}</p>
</section>
${featured(productById(FEATURED_PRODUCT_ID)!, ctx, origin)}
<h2 class="section-title" id="all-products">${escapeHtml(t(lang, 'catalog.all'))}</h2>
<ul class="product-grid" role="list" aria-labelledby="all-products">
${PRODUCTS.map((product) => productCard(product, ctx)).join('\n')}
</ul>
<section class="promo" aria-labelledby="promo-title">
<img src="/images/plans/${BEANS_PLAN.id}.svg" alt="" width="160" height="160">
<div>
<h2 id="promo-title">${escapeHtml(t(lang, 'catalog.subscribeTitle'))}</h2>
<p>${escapeHtml(BEANS_PLAN.description[lang])}</p>
<p><a class="button" href="/subscribe">${escapeHtml(t(lang, 'catalog.subscribeLink'))} · ${formatWon(BEANS_PLAN.amount)} ${escapeHtml(t(lang, 'subscribe.perMonth'))}</a></p>
</div>
</section>
<p class="toast" role="status" aria-live="polite" data-toast></p>
</main>
${renderFooter(ctx)}
<script type="module" nonce="${attr(nonce)}">
// …and a few lines of page script: show the order once the kit has verified the payment.
document.addEventListener('portone-paid', (event) => {
  location.assign('/complete?order=' + encodeURIComponent(event.detail.paymentId));
});

// The cart lives in this browser; the server prices it again at checkout.
const CART_KEY = 'dalbit-cart';
const readCart = () => { try { return JSON.parse(localStorage.getItem(CART_KEY) || '[]'); } catch { return []; } };
const showCount = () => {
  const count = readCart().reduce((sum, line) => sum + line.quantity, 0);
  for (const badge of document.querySelectorAll('[data-cart-count]')) badge.textContent = String(count);
};
for (const button of document.querySelectorAll('[data-add-to-cart]')) {
  button.addEventListener('click', () => {
    const id = button.dataset.addToCart;
    const cart = readCart();
    const line = cart.find((l) => l.id === id);
    if (line) line.quantity = Math.min(line.quantity + 1, ${MAX_QUANTITY}); else cart.push({ id, quantity: 1 });
    localStorage.setItem(CART_KEY, JSON.stringify(cart));
    showCount();
    document.querySelector('[data-toast]').textContent = ${JSON.stringify(t(lang, 'catalog.added'))};
  });
}
showCount();
</script>
</body>
</html>`;
}

/** Language-independent so the sandbox window's logo works in both languages. */
export const INICIS_LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 178 36" width="178" height="36"><rect width="178" height="36" rx="4" fill="#fff"/><circle cx="18" cy="18" r="13" fill="#2b2d5c"/><path d="M21 9a8 8 0 1 0 4 12 6.4 6.4 0 0 1-4-12z" fill="#f2c14e"/><text x="38" y="24" font-family="sans-serif" font-size="16" font-weight="700" fill="#2b2d5c">DALBIT COFFEE</text></svg>`;

