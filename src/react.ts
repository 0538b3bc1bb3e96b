'use client';
// `portone-checkout-kit/react`: the four checkout elements as React components, for React 19 and
// server-rendered frameworks (Next.js). They render the real tags with every text property as an
// attribute (so server HTML already works, a JSON `items` included), set object properties and
// listen to the events after hydration, which React 19 drops for custom elements while hydrating
// (facebook/react#35446). Callbacks are typed camelCase props (`onPaid`), so a typo is a compile
// error. Importing this module also types the raw tags in JSX (`<portone-payment-button>`).
import { createElement, useEffect, useRef, type CSSProperties, type ReactNode, type Ref } from 'react';
import type * as React from 'react';
import { CHECKOUT_ELEMENTS } from './define.js';
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
import type { CheckoutElementProps, CheckoutElementTags, CheckoutIntrinsicElements } from './jsx.js';

/** Callbacks every component takes. */
export interface CheckoutCallbacks {
  /** `portone-ready`: PortOne's SDK is loaded. */
  onReady?: (event: PortoneReadyEvent) => void;
  /** `portone-request` (cancelable): the request about to go to the SDK. */
  onRequest?: (event: PortoneRequestEvent) => void;
  /** `portone-cancel`: the shopper closed the window. */
  onCancel?: (event: PortoneCancelEvent) => void;
  /** `portone-fail`: the attempt failed; `event.detail.readableMessage` is for the shopper. */
  onFail?: (event: PortoneFailEvent) => void;
}

/** Callbacks of the two components that take money. */
export interface OrderCallbacks extends CheckoutCallbacks {
  /** `portone-paid`: paid, verified by the kit with `endpoint`. */
  onPaid?: (event: PortonePaidEvent) => void;
  /** `portone-incomplete`: with `endpoint`, nothing to price yet. */
  onIncomplete?: (event: PortoneIncompleteEvent) => void;
}

/** What a component takes besides the element's properties: children, the host's id, class and style, a ref to the element. */
export interface HostProps<E> {
  /** The button's label (default: the element's own, in the page's language). */
  children?: ReactNode;
  id?: string;
  className?: string;
  style?: CSSProperties;
  ref?: Ref<E>;
}

export type PaymentButtonProps = CheckoutElementProps<CheckoutElementTags['portone-payment-button']> &
  OrderCallbacks & {
    /** `portone-virtual-account-issued`: the account awaits the deposit. */
    onVirtualAccountIssued?: (event: PortoneVirtualAccountIssuedEvent) => void;
  } & HostProps<CheckoutElementTags['portone-payment-button']>;

export type BillingKeyButtonProps = CheckoutElementProps<CheckoutElementTags['portone-billing-key-button']> &
  CheckoutCallbacks & {
    /** `portone-billing-key-issued`: the key was issued (and stored by the kit). */
    onBillingKeyIssued?: (event: PortoneBillingKeyIssuedEvent) => void;
  } & HostProps<CheckoutElementTags['portone-billing-key-button']>;

export type BillingKeyAndPayButtonProps = CheckoutElementProps<CheckoutElementTags['portone-billing-key-and-pay-button']> &
  OrderCallbacks &
  HostProps<CheckoutElementTags['portone-billing-key-and-pay-button']>;

export type IdentityVerificationButtonProps = CheckoutElementProps<CheckoutElementTags['portone-identity-verification-button']> &
  CheckoutCallbacks & {
    /** `portone-identity-verified`: the shopper verified who they are (checked by the kit with `endpoint`). */
    onIdentityVerified?: (event: PortoneIdentityVerifiedEvent) => void;
  } & HostProps<CheckoutElementTags['portone-identity-verification-button']>;

const COMMON = { onReady: 'portone-ready', onRequest: 'portone-request', onCancel: 'portone-cancel', onFail: 'portone-fail' };
const ORDER = { ...COMMON, onPaid: 'portone-paid', onIncomplete: 'portone-incomplete' };

/** Props that are the host's, not the element's. */
const HOST = new Set(['children', 'id', 'className', 'style', 'ref']);

function checkoutComponent<T extends keyof CheckoutElementTags, P extends HostProps<CheckoutElementTags[T]>>(tag: T, events: Record<string, string>) {
  const Element = CHECKOUT_ELEMENTS[tag];
  // Reading `observedAttributes` makes Lit finalize the class: `elementProperties` then holds every attribute name.
  void Element.observedAttributes;
  const attributes = new Map<string, string>();
  for (const [name, options] of Element.elementProperties) if (typeof options.attribute === 'string') attributes.set(String(name), options.attribute);

  function CheckoutComponent(props: P) {
    const element = useRef<CheckoutElementTags[T] | null>(null);
    const rendered: Record<string, unknown> = { id: props.id, className: props.className, style: props.style };
    const properties: Record<string, unknown> = {};
    const listeners: Record<string, (event: never) => void> = {};
    for (const [key, value] of Object.entries(props)) {
      if (HOST.has(key) || value === undefined) continue;
      const event = events[key];
      if (event) listeners[event] = value as (event: never) => void;
      // The cart as JSON: in the server's HTML, so the element can prepare before hydration.
      else if (key === 'items' && typeof value !== 'string') rendered.items = JSON.stringify(value);
      else if (attributes.has(key) && ['string', 'number', 'boolean'].includes(typeof value)) {
        if (value !== false) rendered[attributes.get(key)!] = value === true ? '' : String(value);
      } else properties[key] = value;
    }

    // Objects (customer, request, inicis …) are properties: set after mount and on every change.
    useEffect(() => {
      Object.assign(element.current!, properties);
    });

    // One listener per event for the element's life, calling the latest callback.
    const latest = useRef(listeners);
    latest.current = listeners;
    useEffect(() => {
      const el = element.current!;
      const relay = (event: Event) => latest.current[event.type]?.(event as never);
      const types = Object.values(events);
      for (const type of types) el.addEventListener(type, relay);
      return () => types.forEach((type) => el.removeEventListener(type, relay));
    }, []);

    const ref = props.ref;
    const setRef = (el: CheckoutElementTags[T] | null) => {
      element.current = el;
      if (typeof ref === 'function') ref(el);
      else if (ref) ref.current = el;
    };
    return createElement(tag, { ...rendered, ref: setRef }, props.children);
  }
  CheckoutComponent.displayName = tag;
  return CheckoutComponent;
}

/** `<portone-payment-button>` as a React component. */
export const PaymentButton = checkoutComponent<'portone-payment-button', PaymentButtonProps>('portone-payment-button', {
  ...ORDER,
  onVirtualAccountIssued: 'portone-virtual-account-issued',
});

/** `<portone-billing-key-button>` as a React component. */
export const BillingKeyButton = checkoutComponent<'portone-billing-key-button', BillingKeyButtonProps>('portone-billing-key-button', {
  ...COMMON,
  onBillingKeyIssued: 'portone-billing-key-issued',
});

/** `<portone-billing-key-and-pay-button>` as a React component. */
export const BillingKeyAndPayButton = checkoutComponent<'portone-billing-key-and-pay-button', BillingKeyAndPayButtonProps>('portone-billing-key-and-pay-button', ORDER);

/** `<portone-identity-verification-button>` as a React component. */
export const IdentityVerificationButton = checkoutComponent<'portone-identity-verification-button', IdentityVerificationButtonProps>('portone-identity-verification-button', {
  ...COMMON,
  onIdentityVerified: 'portone-identity-verified',
});

declare module 'react' {
  namespace JSX {
    /** The raw tags, typed: properties, and event props such as `onportone-paid` with the event's class. */
    interface IntrinsicElements extends CheckoutIntrinsicElements<React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement>> {}
  }
}
