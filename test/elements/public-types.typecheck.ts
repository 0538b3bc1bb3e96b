// Type tests for the public API, checked by `npm run typecheck` (never executed). Each
// `@ts-expect-error` marks a misuse the types must reject; if one compiles, the typecheck fails.
import type { IssueBillingKeyRequest, PaymentRequest } from '@portone/browser-sdk/v2';
import {
  PortonePaidEvent,
  type PortoneBillingKeyAndPayButton,
  type PortoneBillingKeyButton,
  type PortonePaymentButton,
  type PortoneRequestEvent,
} from '../../src/index.js';
import { buildInicisBypass, checkInicisRequest } from '../../src/inicis/index.js';
import type { PreparedPayment } from '../../src/contract.js';

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
  // @ts-expect-error a paid event needs its detail
  new PortonePaidEvent();
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
