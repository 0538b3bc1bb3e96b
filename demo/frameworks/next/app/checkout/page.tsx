// Rendered on the server, hydrated in the browser: the button's attributes (the cart as JSON
// included) are in the server's HTML, so it works before and after hydration.
import { Checkout } from './checkout';

export default function CheckoutPage() {
  return (
    <>
      <h1>주문·결제</h1>
      <p>커피 원두 1kg × 1 · 32,000원</p>
      <Checkout />
    </>
  );
}
