// `portone-checkout-kit/svelte`: types the checkout elements in Svelte 5 markup (svelte-check).
// Add it once, e.g. `import type {} from 'portone-checkout-kit/svelte'` in src/app.d.ts. Each tag
// takes its kebab-case attributes (`customer-name="…"`), its properties (`items={cart}`; Svelte sets
// a name the element has as a property) and its events as `onportone-paid={…}`, with the event's class.
import type { HTMLAttributes } from 'svelte/elements';
import type { CheckoutElementAttributes, CheckoutElementProps, CheckoutElementTags, CheckoutEventProps } from '../dist/jsx.js';

/** What one tag takes in Svelte markup. */
export type SvelteCheckoutElement<T extends keyof CheckoutElementTags> = HTMLAttributes<CheckoutElementTags[T]> &
  CheckoutElementProps<CheckoutElementTags[T]> &
  CheckoutElementAttributes<CheckoutElementTags[T]> &
  CheckoutEventProps<T>;

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'portone-payment-button': SvelteCheckoutElement<'portone-payment-button'>;
    'portone-billing-key-button': SvelteCheckoutElement<'portone-billing-key-button'>;
    'portone-billing-key-and-pay-button': SvelteCheckoutElement<'portone-billing-key-and-pay-button'>;
    'portone-identity-verification-button': SvelteCheckoutElement<'portone-identity-verification-button'>;
  }
}
