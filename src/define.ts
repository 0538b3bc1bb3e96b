// `portone-checkout-kit/define`: registers the four checkout elements under their tag names.
import { PortoneBillingKeyAndPayButton } from './elements/billing-key-and-pay-button/billing-key-and-pay-button.js';
import { PortoneBillingKeyButton } from './elements/billing-key-button/billing-key-button.js';
import { PortoneIdentityVerificationButton } from './elements/identity-verification-button/identity-verification-button.js';
import { PortonePaymentButton } from './elements/payment-button/payment-button.js';

/** Tag name → class of every checkout element. */
export const CHECKOUT_ELEMENTS = {
  'portone-payment-button': PortonePaymentButton,
  'portone-billing-key-button': PortoneBillingKeyButton,
  'portone-billing-key-and-pay-button': PortoneBillingKeyAndPayButton,
  'portone-identity-verification-button': PortoneIdentityVerificationButton,
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
    'portone-identity-verification-button': PortoneIdentityVerificationButton;
  }
}

export { PortonePaymentButton, PortoneBillingKeyButton, PortoneBillingKeyAndPayButton, PortoneIdentityVerificationButton };
