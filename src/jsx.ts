// Types for using the checkout elements as JSX tags (React, Preact, Solid…): each tag's props, from
// the element classes. Types only; a page declares them once (README: "In a framework page").
import type { ReactiveElement } from '@lit/reactive-element';
import type { PortoneBillingKeyAndPayButton } from './elements/billing-key-and-pay-button/billing-key-and-pay-button.js';
import type { PortoneBillingKeyButton } from './elements/billing-key-button/billing-key-button.js';
import type { PortonePaymentButton } from './elements/payment-button/payment-button.js';

/** Tag name → element class of every checkout element. */
export interface CheckoutElementTags {
  'portone-payment-button': PortonePaymentButton;
  'portone-billing-key-button': PortoneBillingKeyButton;
  'portone-billing-key-and-pay-button': PortoneBillingKeyAndPayButton;
}

/**
 * The element's own settable properties (camelCase: `storeId`, `items`, `customer`, `request`…),
 * all optional. JSX frameworks that set properties on custom elements (React 19, Preact, Solid)
 * take them as props; the kebab-case attributes (`store-id="…"`) are accepted as well, since JSX
 * does not type-check attribute names with a hyphen.
 */
export type CheckoutElementProps<E extends ReactiveElement> = {
  [P in Exclude<keyof E, keyof ReactiveElement | 'state'> as E[P] extends (...args: never[]) => unknown ? never : P]?: E[P];
};

/**
 * The entries a JSX `IntrinsicElements` interface needs for the three tags, each `Base` (the
 * framework's props of any HTML element, e.g. React's `DetailedHTMLProps<HTMLAttributes<HTMLElement>,
 * HTMLElement>`) plus the element's own properties.
 */
export type CheckoutIntrinsicElements<Base = object> = {
  [T in keyof CheckoutElementTags]: Base & CheckoutElementProps<CheckoutElementTags[T]>;
};
