// `portone-checkout-kit/vue`: types the checkout elements in Vue 3 templates (vue-tsc, Volar).
// Add it once, e.g. `"types": ["portone-checkout-kit/vue"]` in tsconfig.json, and tell Vue the tags
// are custom elements (`compilerOptions.isCustomElement: (tag) => tag.startsWith('portone-')`).
// Attributes (`customer-name`), bound properties (`:items`) and listeners (`@portone-paid`, with
// the event's class) are checked against the element classes.
import type { EmitFn, HTMLAttributes } from 'vue';
import type { CheckoutElementEvents, CheckoutElementProps, CheckoutElementTags } from '../dist/jsx.js';

/** `portone-paid` → `portonePaid`: how Vue names a listener prop (`onPortonePaid`). */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

type ListenerProps<M> = { [N in keyof M & string as `on${Capitalize<CamelCase<N>>}`]?: (event: M[N]) => void };

/** A custom element as Vue's template checker sees a component: its props, and the events it emits. */
export type VueCheckoutElement<T extends keyof CheckoutElementTags> = new () => CheckoutElementTags[T] & {
  /** For template type checking only. */
  $props: HTMLAttributes & CheckoutElementProps<CheckoutElementTags[T]> & ListenerProps<CheckoutElementEvents[T]>;
  /** For template type checking only. */
  $emit: EmitFn<{ [N in keyof CheckoutElementEvents[T]]: (event: CheckoutElementEvents[T][N]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
    'portone-payment-button': VueCheckoutElement<'portone-payment-button'>;
    'portone-billing-key-button': VueCheckoutElement<'portone-billing-key-button'>;
    'portone-billing-key-and-pay-button': VueCheckoutElement<'portone-billing-key-and-pay-button'>;
    'portone-identity-verification-button': VueCheckoutElement<'portone-identity-verification-button'>;
  }
}
