// Type tests for the public API, checked by `npm run typecheck` (never executed). Each
// `@ts-expect-error` marks a misuse the types must reject; if one compiles, the typecheck fails.
import type { IssueBillingKeyRequest, PaymentRequest } from '@portone/browser-sdk/v2';
import {
  PortonePaidEvent,
  type CheckoutIntrinsicElements,
  type PortoneBillingKeyAndPayButton,
  type PortoneBillingKeyButton,
  type PortoneIdentityVerificationButton,
  type PortonePaymentButton,
  type PortoneRequestEvent,
} from '../../src/index.js';
import { buildInicisBypass, checkInicisRequest } from '../../src/inicis/index.js';
import { createElement, type JSX } from 'react';
import { BillingKeyAndPayButton, BillingKeyButton, IdentityVerificationButton, PaymentButton } from '../../src/react.js';
import type { CheckoutElementAttributes } from '../../src/jsx.js';
import type { ErrorResponse, PreparedPayment } from '../../src/contract.js';

export function elementProperties(pay: PortonePaymentButton, bk: PortoneBillingKeyButton, both: PortoneBillingKeyAndPayButton) {
  pay.request = { orderName: 'x', isEscrow: true, card: { installment: { monthOption: { fixedMonth: 3 } } } };
  // @ts-expect-error totalAmount is a number
  pay.request = { totalAmount: '1000' };
  // @ts-expect-error not a field of PaymentRequest
  pay.request = { orderTitle: 'x' };
  // @ts-expect-error PaymentRequest has no billingKeyMethod
  pay.request = { billingKeyMethod: 'CARD' };
  bk.request = { billingKeyMethod: 'CARD', issueName: 'x' };
  // @ts-expect-error the SDK's enum has no PHONE (the attribute accepts it as an alias)
  both.request = { billingKeyAndPayMethod: 'PHONE' };

  pay.inicis = { acceptmethod: ['below1000'], P_RESERVED: ['below1000=Y'] };
  // @ts-expect-error acceptmethod is an array
  pay.inicis = { acceptmethod: 'below1000' };
  bk.inicis = { carduse: 'cocard' };
  // @ts-expect-error carduse is percard or cocard
  bk.inicis = { carduse: 'both' };
  // @ts-expect-error billing-key-and-pay has no KG Inicis bypass in the SDK
  both.inicis = {};

  // @ts-expect-error state is read-only
  pay.state = 'done';
  pay.totalAmount = 1000;
  // @ts-expect-error amounts are numbers
  pay.totalAmount = '1000';
}

export function identityProperties(iv: PortoneIdentityVerificationButton) {
  iv.request = { customData: 'signup-7', popup: { center: true }, bypass: { inicisUnified: { flgFixedUser: 'Y' } } };
  // @ts-expect-error identity verification takes customData as a string
  iv.request = { customData: { signup: 7 } };
  // @ts-expect-error an identity verification has no amount
  iv.request = { totalAmount: 1000 };
  iv.inicis = { directAgency: 'PASS', logoUrl: 'https://shop.example/logo.png' };
  // @ts-expect-error not one of KG Inicis's direct agencies
  iv.inicis = { directAgency: 'KAKAOTALK' };
  // @ts-expect-error flgFixedUser is Y or N (the attribute inicis-fixed-user is the boolean)
  iv.inicis = { flgFixedUser: true };
  iv.inicisFixedUser = true;
  // @ts-expect-error identity verification takes no currency
  iv.currency = 'KRW';
  // @ts-expect-error nor an offer period
  iv.offerPeriod = '1m';
}

export function events(target: HTMLElement) {
  target.addEventListener('portone-paid', (event) => {
    const id: string = event.detail.paymentId;
    const status: string | undefined = event.detail.order?.status;
    // @ts-expect-error no such detail field
    void event.detail.amount;
    return [id, status];
  });
  target.addEventListener('portone-request', (event: PortoneRequestEvent) => {
    event.preventDefault();
    event.detail.request = { ...event.detail.request };
  });
  target.addEventListener('portone-fail', (event) => {
    const readable: string = event.detail.readableMessage;
    const rule: string | undefined = event.detail.violations?.[0]?.rule;
    return [readable, rule];
  });
  target.addEventListener('portone-incomplete', (event) => {
    const missing: string[] = event.detail.missing;
    // @ts-expect-error no such detail field
    void event.detail.items;
    return missing;
  });
  // @ts-expect-error a paid event needs its detail
  new PortonePaidEvent();
  target.addEventListener('portone-identity-verified', (event) => {
    const id: string = event.detail.identityVerificationId;
    const status: 'VERIFIED' | undefined = event.detail.identityVerification?.status;
    // @ts-expect-error who the person is never reaches the browser
    void event.detail.identityVerification?.name;
    // @ts-expect-error an identity verification is no payment
    void event.detail.order;
    return [id, status];
  });
}

export function errors(answer: ErrorResponse) {
  const shown: string | undefined = answer.shopperMessage;
  // @ts-expect-error the shopper's message is text
  answer.shopperMessage = { ko: '품절' };
  return shown;
}

export function jsxProps(ref: { current: PortonePaymentButton | null }) {
  // What a JSX IntrinsicElements declaration gets (docs/elements.md: "In a framework page"), over a framework's own props.
  type Tags = CheckoutIntrinsicElements<{ ref?: { current: HTMLElement | null }; children?: unknown }>;
  const pay: Tags['portone-payment-button'] = { ref, endpoint: '/portone', items: [{ id: 'sku-1', quantity: 1 }], customer: { fullName: '홍길동' }, request: { orderName: 'x' }, children: '결제' };
  // @ts-expect-error amounts are numbers
  const amount: Tags['portone-payment-button'] = { totalAmount: '1000' };
  // @ts-expect-error state is read-only, not a prop
  const state: Tags['portone-payment-button'] = { state: 'done' };
  // @ts-expect-error methods are not props
  const reset: Tags['portone-payment-button'] = { reset: () => {} };
  // @ts-expect-error a payment button has no issueId
  const issue: Tags['portone-payment-button'] = { issueId: 'x' };
  // @ts-expect-error Lit's own members are not props
  const lit: Tags['portone-billing-key-button'] = { renderOptions: {} };
  const key: Tags['portone-billing-key-button'] = { issueId: 'x', plan: 'monthly', inicis: { carduse: 'cocard' } };
  const both: Tags['portone-billing-key-and-pay-button'] = { billingKeyAndPayMethod: 'MOBILE', request: { productType: 'REAL' } };
  const iv: Tags['portone-identity-verification-button'] = { endpoint: '/portone', inicisFixedUser: true, customerBirthDate: '1990-01-31', inicis: { directAgency: 'PASS' } };
  // @ts-expect-error identity verification takes no cart
  const ivItems: Tags['portone-identity-verification-button'] = { items: [{ id: 'sku-1', quantity: 1 }] };
  return [pay, amount, state, reset, issue, lit, key, both, iv, ivItems];
}

export function inicis(payment: PaymentRequest, billingKey: IssueBillingKeyRequest) {
  checkInicisRequest('payment', payment, 'pc');
  checkInicisRequest('billing-key', billingKey, 'mobile');
  // @ts-expect-error a billing-key request is not a payment request
  checkInicisRequest('payment', billingKey, 'pc');
  // @ts-expect-error the device is pc or mobile
  checkInicisRequest('payment', payment, 'tablet');
  buildInicisBypass({ skin: '#C1272C', options: ['below1000'] });
  // @ts-expect-error skin is a string
  buildInicisBypass({ skin: 0xc1272c });
}

export function contract(answer: PreparedPayment) {
  // @ts-expect-error the kit's currencies are KRW and USD
  answer.currency = 'JPY';
}

export function reactComponents() {
  // `portone-checkout-kit/react`: camelCase callbacks with the event's class; a misspelt one is an error.
  const ok = createElement(PaymentButton, {
    endpoint: '/portone',
    items: [{ id: 'sku-1', quantity: 1 }],
    onPaid: (event) => event.detail.order?.status,
    onFail: (event) => event.detail.readableMessage,
    onVirtualAccountIssued: (event) => event.detail.order?.virtualAccount?.accountNumber,
  });
  // @ts-expect-error no such callback (a typo of onPaid)
  const typo = createElement(PaymentButton, { onPayed: () => {} });
  // @ts-expect-error a payment button issues no billing key
  const wrong = createElement(PaymentButton, { onBillingKeyIssued: () => {} });
  // @ts-expect-error the fail event's detail has no order
  const detail = createElement(PaymentButton, { onFail: (event) => event.detail.order });
  const key = createElement(BillingKeyButton, { plan: 'monthly', onBillingKeyIssued: (event) => event.detail.billingKey });
  const both = createElement(BillingKeyAndPayButton, { plan: 'monthly', onPaid: (event) => event.detail.billingKey });
  const iv = createElement(IdentityVerificationButton, { endpoint: '/portone', onIdentityVerified: (event) => event.detail.identityVerification?.verifiedAt });
  // @ts-expect-error an identity verification button pays nothing
  const ivPaid = createElement(IdentityVerificationButton, { onPaid: () => {} });
  return [ok, typo, wrong, detail, key, both, iv, ivPaid];
}

export function rawTagEventProps() {
  // The raw tags in React's JSX: event props typed with the event's class.
  type Pay = JSX.IntrinsicElements['portone-payment-button'];
  const pay: Pay = { endpoint: '/portone', 'onportone-paid': (event) => event.detail.paymentId };
  // @ts-expect-error the paid event's detail has no readableMessage
  const wrong: Pay = { 'onportone-paid': (event) => event.detail.readableMessage };
  // @ts-expect-error a billing-key button fires no portone-paid
  const key: JSX.IntrinsicElements['portone-billing-key-button'] = { 'onportone-paid': () => {} };
  const iv: JSX.IntrinsicElements['portone-identity-verification-button'] = { 'onportone-identity-verified': (event) => event.detail.identityVerificationId };
  // @ts-expect-error the verified event's detail has no paymentId
  const ivWrong: JSX.IntrinsicElements['portone-identity-verification-button'] = { 'onportone-identity-verified': (event) => event.detail.paymentId };
  return [pay, wrong, key, iv, ivWrong];
}

export function frameworkAttributes() {
  // Kebab-case attributes (Svelte, Vue, HTML) next to the properties, from the same classes.
  const attrs: CheckoutElementAttributes<PortonePaymentButton> = { 'store-id': 's', 'total-amount': 1000, 'inicis-logo-2nd': 'x', 'force-redirect': true };
  // @ts-expect-error customer is a property only, with no attribute
  const customer: CheckoutElementAttributes<PortonePaymentButton> = { customer: '홍길동' };
  // @ts-expect-error no such attribute
  const typo: CheckoutElementAttributes<PortonePaymentButton> = { 'store-idd': 's' };
  const iv: CheckoutElementAttributes<PortoneIdentityVerificationButton> = { 'identity-verification-id': 'iv-1', 'inicis-fixed-user': true, 'customer-birth-date': '1990-01-31' };
  // @ts-expect-error identity verification has no currency attribute
  const ivCurrency: CheckoutElementAttributes<PortoneIdentityVerificationButton> = { currency: 'KRW' };
  return [attrs, customer, typo, iv, ivCurrency];
}
