// Product page: picture, description, quantity, add to cart or go straight to checkout.
import { productById } from '../../../shared/catalog.js';
import { formatWon } from '../../../shared/format.js';
import { $, addToCart, announce, lang, tr } from '../site.js';

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
  const quantity = () => Math.max(1, Math.min(20, Math.trunc(Number(new FormData(form).get('quantity')) || 1)));
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
