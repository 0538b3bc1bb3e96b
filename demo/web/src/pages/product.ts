// Product page: picture, description, quantity, add to cart or go straight to checkout; for a
// small batch, how many are left (as the page was sent: the server checks again at checkout); for an
// adult-only one, that a 본인인증 comes before paying.
import { MAX_QUANTITY, productById } from '../../../shared/catalog.js';
import { formatWon } from '../../../shared/format.js';
import { $, addToCart, announce, config, lang, tr } from '../site.js';

const id = decodeURIComponent(location.pathname.split('/').pop() ?? '');
const product = productById(id);

if (!product) {
  $('[data-not-found]').hidden = false;
} else {
  const view = $('[data-product]');
  const name = product.name[lang];
  document.title = `${name} · ${tr('shop.name')}`;
  $<HTMLImageElement>('[data-field="image"]', view).src = `/images/products/${product.id}.svg`;
  $('[data-field="name"]', view).textContent = name;
  $('[data-field="price"]', view).textContent = formatWon(product.price);
  $('[data-field="description"]', view).textContent = product.description[lang];
  if (product.badge) {
    const badge = $('[data-field="badge"]', view);
    badge.textContent = product.badge[lang];
    badge.hidden = false;
  }
  view.hidden = false;

  const form = $<HTMLFormElement>('[data-add-form]');
  let most = MAX_QUANTITY;
  if (product.limitedStock !== undefined) {
    const left = config.stock?.[product.id];
    const stock = $('[data-field="stock"]', view);
    stock.textContent = left === undefined ? tr('limited.unavailable') : left === 0 ? tr('product.soldOut') : tr('product.stockLeft').replace('{count}', String(left));
    stock.hidden = false;
    $('[data-limited-note]', view).hidden = false;
    most = Math.min(MAX_QUANTITY, left ?? 0);
    const input = $<HTMLInputElement>('#quantity', form);
    input.max = String(Math.max(1, most));
    // Nothing left (or not on sale): nothing to put in the cart.
    if (most === 0) for (const control of form.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button')) control.disabled = true;
  }
  if (product.adultOnly) {
    // Who may buy it is the server's call at checkout; the page says what to expect.
    const note = $('[data-adult-note]', view);
    note.textContent = !config.adult.onSale ? tr('limited.unavailable') : config.adult.verified ? tr('product.adultVerified') : tr('product.adultNote');
    note.hidden = false;
    if (!config.adult.onSale) for (const control of form.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button')) control.disabled = true;
  }
  const quantity = () => Math.max(1, Math.min(most, Math.trunc(Number(new FormData(form).get('quantity')) || 1)));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    addToCart(product.id, quantity());
    $('[data-added]').hidden = false;
    announce(tr('product.added'));
  });
  $('[data-buy-now]').addEventListener('click', () => {
    if (!form.reportValidity()) return;
    addToCart(product.id, quantity());
    location.assign('/checkout');
  });
}
