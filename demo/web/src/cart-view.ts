// The cart priced for display, with the same rules the server applies (it prices again at checkout).
import type { CartItem } from 'portone-checkout-kit';
import { productById, shippingFor, FREE_SHIPPING_FROM, type Product } from '../../shared/catalog.js';

export interface CartLineView {
  product: Product;
  quantity: number;
  amount: number;
}

export interface CartView {
  lines: CartLineView[];
  subtotal: number;
  shipping: number;
  total: number;
  /** How much more for free shipping, 0 when already free. */
  toFreeShipping: number;
}

export function viewCart(cart: readonly CartItem[]): CartView {
  const lines = cart.flatMap((item) => {
    const product = productById(item.id);
    return product ? [{ product, quantity: item.quantity, amount: product.price * item.quantity }] : [];
  });
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const shipping = shippingFor(subtotal);
  return { lines, subtotal, shipping, total: subtotal + shipping, toFreeShipping: shipping > 0 ? FREE_SHIPPING_FROM - subtotal : 0 };
}
