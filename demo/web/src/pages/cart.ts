// Cart page: change quantities, remove lines, see shipping and the total, go to checkout.
import { formatWon } from '../../../shared/format.js';
import { viewCart } from '../cart-view.js';
import { $, lang, readCart, setQuantity, tr } from '../site.js';

const list = $('[data-lines]');

function render(): void {
  const cart = viewCart(readCart());
  $('[data-cart]').hidden = cart.lines.length === 0;
  $('[data-empty]').hidden = cart.lines.length > 0;
  list.replaceChildren(
    ...cart.lines.map(({ product, quantity, amount }) => {
      const name = product.name[lang];
      const item = document.createElement('li');
      item.className = 'cart-line';
      item.dataset.productId = product.id;
      item.innerHTML = `
        <img src="/images/products/${product.id}.svg" alt="" width="88" height="88">
        <div class="cart-line-info">
          <a class="cart-line-name" href="/products/${product.id}"></a>
          <p class="fine-print">${formatWon(product.price)}</p>
        </div>
        <div class="stepper" role="group">
          <button type="button" class="stepper-button" data-step="-1">−</button>
          <output class="stepper-value" data-quantity>${quantity}</output>
          <button type="button" class="stepper-button" data-step="1">+</button>
        </div>
        <p class="cart-line-total">${formatWon(amount)}</p>
        <button type="button" class="icon-button" data-remove>×</button>`;
      $('.cart-line-name', item).textContent = name;
      $('.stepper', item).setAttribute('aria-label', `${name} ${tr('product.quantity')}`);
      $('[data-step="-1"]', item).setAttribute('aria-label', tr('cart.decrease'));
      $('[data-step="1"]', item).setAttribute('aria-label', tr('cart.increase'));
      $('[data-remove]', item).setAttribute('aria-label', `${name} ${tr('cart.remove')}`);
      for (const button of item.querySelectorAll<HTMLButtonElement>('[data-step]')) {
        button.addEventListener('click', () => {
          setQuantity(product.id, quantity + Number(button.dataset.step));
          render();
        });
      }
      $('[data-remove]', item).addEventListener('click', () => {
        setQuantity(product.id, 0);
        render();
      });
      return item;
    }),
  );
  $('[data-field="subtotal"]').textContent = formatWon(cart.subtotal);
  $('[data-field="shipping"]').textContent = cart.shipping === 0 ? tr('cart.free') : formatWon(cart.shipping);
  $('[data-field="total"]').textContent = formatWon(cart.total);
  $('[data-field="free-hint"]').textContent = cart.toFreeShipping > 0 ? `${formatWon(cart.toFreeShipping)} ${tr('cart.freeShippingHint')}` : '';
}

render();
