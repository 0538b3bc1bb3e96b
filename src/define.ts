// `portone-checkout-kit/define`: registers the three checkout elements under their tag names.
import { PortoneBillingKeyAndPayButton } from './elements/billing-key-and-pay-button/billing-key-and-pay-button.js';
import { PortoneBillingKeyButton } from './elements/billing-key-button/billing-key-button.js';
import { PortonePaymentButton } from './elements/payment-button/payment-button.js';

/** Tag name → class of every checkout element. */
export const CHECKOUT_ELEMENTS = {
  'portone-payment-button': PortonePaymentButton,
  'portone-billing-key-button': PortoneBillingKeyButton,
  'portone-billing-key-and-pay-button': PortoneBillingKeyAndPayButton,
} as const;

// Guarded: a page may load the bundle and a framework build side by side.
for (const [tag, element] of Object.entries(CHECKOUT_ELEMENTS)) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

declare global {
  interface HTMLElementTagNameMap {
    'portone-payment-button': PortonePaymentButton;
    'portone-billing-key-button': PortoneBillingKeyButton;
    'portone-billing-key-and-pay-button': PortoneBillingKeyAndPayButton;
  }
}

export { PortonePaymentButton, PortoneBillingKeyButton, PortoneBillingKeyAndPayButton };
