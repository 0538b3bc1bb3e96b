// Types for using the checkout elements in framework templates (React and other JSX, Vue, Svelte,
// Angular), all derived from the element classes: each tag's properties, its kebab-case attributes
// and the events it fires with their typed `detail`. Types only; the framework entry points
// (`portone-checkout-kit/react`, `/vue`, `/svelte`) declare them for their framework.
import type { ReactiveElement } from '@lit/reactive-element';
import type { PortoneBillingKeyAndPayButton } from './elements/billing-key-and-pay-button/billing-key-and-pay-button.js';
import type { PortoneBillingKeyButton } from './elements/billing-key-button/billing-key-button.js';
import type { PortoneIdentityVerificationButton } from './elements/identity-verification-button/identity-verification-button.js';
import type { PortonePaymentButton } from './elements/payment-button/payment-button.js';
import type {
  PortoneBillingKeyIssuedEvent,
  PortoneCancelEvent,
  PortoneFailEvent,
  PortoneIdentityVerifiedEvent,
  PortoneIncompleteEvent,
  PortonePaidEvent,
  PortoneReadyEvent,
  PortoneRequestEvent,
  PortoneVirtualAccountIssuedEvent,
} from './elements/events.js';

/** Tag name → element class of every checkout element. */
export interface CheckoutElementTags {
  'portone-payment-button': PortonePaymentButton;
  'portone-billing-key-button': PortoneBillingKeyButton;
  'portone-billing-key-and-pay-button': PortoneBillingKeyAndPayButton;
  'portone-identity-verification-button': PortoneIdentityVerificationButton;
}

/** The events every checkout element fires, by name. */
interface CommonEvents {
  'portone-ready': PortoneReadyEvent;
  'portone-request': PortoneRequestEvent;
  'portone-cancel': PortoneCancelEvent;
  'portone-fail': PortoneFailEvent;
}

/** Tag name → the events that element fires, by name (what `addEventListener` and templates get). */
export interface CheckoutElementEvents {
  'portone-payment-button': CommonEvents & {
    'portone-paid': PortonePaidEvent;
    'portone-virtual-account-issued': PortoneVirtualAccountIssuedEvent;
    'portone-incomplete': PortoneIncompleteEvent;
  };
  'portone-billing-key-button': CommonEvents & { 'portone-billing-key-issued': PortoneBillingKeyIssuedEvent };
  'portone-billing-key-and-pay-button': CommonEvents & { 'portone-paid': PortonePaidEvent; 'portone-incomplete': PortoneIncompleteEvent };
  'portone-identity-verification-button': CommonEvents & { 'portone-identity-verified': PortoneIdentityVerifiedEvent };
}

/** The element's own settable properties: every field but Lit's own, methods and the read-only `state`. */
type OwnProperty<E> = Exclude<keyof E, keyof ReactiveElement | 'state'>;

/**
 * The element's own settable properties (camelCase: `storeId`, `items`, `customer`, `request`…),
 * all optional, typed from its class. JSX frameworks that set properties on custom elements (React
 * 19, Preact, Solid) take them as props; Vue and Svelte set them as properties too.
 */
export type CheckoutElementProps<E extends ReactiveElement> = {
  [P in OwnProperty<E> as E[P] extends (...args: never[]) => unknown ? never : P]?: E[P];
};

/** `storeId` → `store-id`, `inicisLogo2nd` → `inicis-logo-2nd`: the elements' attribute names. */
export type KebabCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? (Head extends Uppercase<Head> ? (Head extends `${number}` ? '-' : '') : '') : '-'}${Lowercase<Head>}${KebabCase<Tail>}`
  : S;

/** Properties set only as properties (objects with no attribute). */
type PropertyOnly = 'customer' | 'request' | 'inicis';

/**
 * The element's kebab-case attributes (`store-id`, `total-amount`, `items` as JSON …), for templates
 * that write attributes (HTML, Svelte, Vue, Angular). Values are what an attribute holds: text,
 * or a number or boolean the framework writes as text.
 */
export type CheckoutElementAttributes<E extends ReactiveElement> = {
  // One-word names (`items`, `plan`, `currency`) are the property's own name: typed as the property.
  [P in Exclude<keyof CheckoutElementProps<E>, PropertyOnly> as KebabCase<P & string> extends P ? never : KebabCase<P & string>]?: string | number | boolean | null | undefined;
};

/**
 * Event props as React 19 and Svelte 5 write them: `on` + the event's name (`onportone-paid`), each
 * a listener with the event's class. (TypeScript never checks hyphenated JSX prop names, so a typo
 * such as `onportone-payed` slips through a JSX tag; `portone-checkout-kit/react`'s components take
 * `onPaid` instead, which it does check.)
 */
export type CheckoutEventProps<T extends keyof CheckoutElementTags> = {
  [N in keyof CheckoutElementEvents[T] as `on${N & string}`]?: (event: CheckoutElementEvents[T][N]) => void;
};

/**
 * The entries a JSX `IntrinsicElements` interface needs for the four tags, each `Base` (the
 * framework's props of any HTML element, e.g. React's `DetailedHTMLProps<HTMLAttributes<HTMLElement>,
 * HTMLElement>`) plus the element's own properties and its event props.
 */
export type CheckoutIntrinsicElements<Base = object> = {
  [T in keyof CheckoutElementTags]: Base & CheckoutElementProps<CheckoutElementTags[T]> & CheckoutEventProps<T>;
};
