// Checkout: the shopper's details and payment method feed <portone-payment-button>; the kit prices
// the cart and verifies the payment; the page only reacts to the element's outcome events. A cart
// with an adult-only product asks for a 본인인증 first (<portone-identity-verification-button>): the
// pay button shows once the kit has checked the verification (the server refuses the cart until then).
import { $, clearCart, config, failureMessage, pageUrl, readCart, tr } from '../site.js';
import 'portone-checkout-kit/define';
import { isAdultOnly } from '../../../shared/catalog.js';
import { formatWon } from '../../../shared/format.js';
import { t } from '../../../shared/i18n.js';
import { viewCart } from '../cart-view.js';

const cart = readCart();
const view = viewCart(cart);
const form = $<HTMLFormElement>('[data-form]');
const pay = $<HTMLElementTagNameMap['portone-payment-button']>('[data-pay]');
const error = $('[data-error]');
const notice = $('[data-notice]');
const verify = $<HTMLElementTagNameMap['portone-identity-verification-button']>('[data-verify]');

if (view.lines.length === 0) {
  $('[data-empty]').hidden = false;
} else {
  $('[data-checkout]').hidden = false;
  $('[data-lines]').replaceChildren(
    ...view.lines.map(({ product, quantity, amount }) => {
      const line = document.createElement('li');
      line.innerHTML = `<img src="/images/products/${product.id}.svg" alt="" width="48" height="48"><span class="summary-name"></span><span class="summary-amount">${formatWon(amount)}</span>`;
      $('.summary-name', line).textContent = `${product.name[config.lang]} × ${quantity}`;
      return line;
    }),
  );
  $('[data-field="subtotal"]').textContent = formatWon(view.subtotal);
  $('[data-field="shipping"]').textContent = view.shipping === 0 ? tr('cart.free') : formatWon(view.shipping);
  $('[data-field="total"]').textContent = formatWon(view.total);
  $('[data-pay-label]').textContent = `${formatWon(view.total)} ${tr('checkout.pay')}`;

  // The member's saved details; what the shopper pays with is saved for next time (the shop's onPaid).
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  field('name').value = config.member.name;
  field('phone').value = config.member.phone;
  field('email').value = config.member.email;

  // Only ids and quantities go to the server; it looks the prices up itself.
  pay.setAttribute('items', JSON.stringify(cart.map(({ id, quantity }) => ({ id, quantity }))));
  pay.setAttribute('redirect-url', pageUrl('/complete'));
  pay.setAttribute('inicis-logo-url', pageUrl('/logo-inicis.svg'));
  pay.setAttribute('inicis-merchant-name', tr('shop.name'));

  const sync = () => {
    const data = new FormData(form);
    const method = String(data.get('payMethod'));
    pay.setAttribute('customer-name', String(data.get('name') ?? '').trim());
    pay.setAttribute('customer-phone', String(data.get('phone') ?? '').trim());
    pay.setAttribute('customer-email', String(data.get('email') ?? '').trim());
    pay.setAttribute('pay-method', method);
    // KG Inicis needs the product type for phone payments: coffee is a real, shipped good.
    if (method === 'MOBILE') pay.setAttribute('product-type', 'REAL');
    else pay.removeAttribute('product-type');
    $('[data-va-note]').hidden = method !== 'VIRTUAL_ACCOUNT';
  };
  // `change`, not `input`: the element prepares the order again when its inputs change.
  form.addEventListener('change', sync);
  sync();

  const show = (element: HTMLElement, text: string) => {
    error.hidden = notice.hidden = true;
    element.textContent = text;
    element.hidden = text === '';
  };

  // Alcohol in the cart and no 본인인증 on record: verify first (in the window, or on a phone through
  // a redirect back to this page, where the element finishes it); the pay button waits until then.
  if (cart.some((line) => isAdultOnly(line.id)) && config.adult.onSale && !config.adult.verified) {
    $('[data-adult]').hidden = false;
    pay.hidden = true;
    verify.setAttribute('redirect-url', pageUrl('/checkout'));
    verify.setAttribute('inicis-logo-url', pageUrl('/logo-inicis.svg'));
    verify.addEventListener('portone-request', () => show(error, ''));
    verify.addEventListener('portone-identity-verified', () => {
      $('[data-adult]').hidden = true;
      show(notice, tr('adult.verified'));
      pay.hidden = false;
    });
    verify.addEventListener('portone-cancel', () => verify.reset());
    verify.addEventListener('portone-fail', (event) => {
      // The kit's under-age refusal is in the shop's default language (one text for everyone): say it in the member's.
      const underAge = event.detail.code === 'IDENTITY_REJECTED' && event.detail.readableMessage === t('ko', 'adult.underAge');
      show(error, underAge ? tr('adult.underAge') : failureMessage(event.detail));
      // Another person may still verify (the same one is refused again: the kit keeps its verdict per verification).
      if (!underAge) verify.reset();
    });
  }

  pay.addEventListener('portone-request', (event) => {
    show(error, '');
    // A cancelable event: the form must be valid before the payment window opens.
    if (!form.checkValidity()) {
      event.preventDefault();
      form.reportValidity();
    }
  });
  pay.addEventListener('portone-paid', (event) => {
    clearCart();
    location.assign(`/complete?order=${encodeURIComponent(event.detail.paymentId)}`);
  });
  pay.addEventListener('portone-virtual-account-issued', (event) => {
    clearCart();
    location.assign(`/waiting?order=${encodeURIComponent(event.detail.paymentId)}`);
  });
  pay.addEventListener('portone-cancel', () => {
    show(notice, tr('checkout.cancelled'));
    pay.reset();
  });
  pay.addEventListener('portone-fail', (event) => {
    // Sold out while the shopper was in the window (the shop's reserve refused, nothing charged):
    // the shop's own words (the element's readable message is its shopperMessage), and no reset —
    // another try cannot succeed.
    if (event.detail.code === 'RESERVATION_REFUSED') return void show(error, event.detail.readableMessage);
    // The kit's verdict on a payment that does not match the order, and the shop's own limit, are the shop's to explain.
    show(error, failureMessage(event.detail));
    pay.reset();
  });
}
