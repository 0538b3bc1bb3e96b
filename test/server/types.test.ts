// The kit's public types, checked by `npm run typecheck`: what a shop may write compiles, and the
// mistakes below do not (each `@ts-expect-error` fails the typecheck if the line ever compiles).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderResponse, PreparedPayment } from '../../src/contract.js';
import { badCart, CheckoutError, type CheckoutServerOptions, type PaidEvent, type PricedOrder } from '../../src/server/index.js';

const portone = { apiSecret: 's', storeId: 'store-1' };
const priceOrder = (): PricedOrder => ({ orderName: 'x', totalAmount: 1_000, currency: 'KRW' });

export const valid: CheckoutServerOptions[] = [
  { portone, webhookSecret: 'whsec_x', priceOrder },
  { portone, webhookSecret: ['whsec_a', 'whsec_b'], priceOrder, plans: { m: { name: 'M', amount: 1, currency: 'USD', interval: '1m' } } },
  {
    portone: { ...portone, baseUrl: 'http://127.0.0.1:8787', timeoutMs: 5_000 },
    webhookSecret: 'whsec_x',
    priceOrder: async ({ items = [] }) => ({ orderName: 'x', totalAmount: items.length * 1_000, currency: 'KRW', lines: [] }),
    onPaid: async (event: PaidEvent) => void [event.order.totalAmount, event.payment.status, event.eventId, event.attempt],
    onCancelled: ({ cancellation }) => void cancellation.amount,
  },
  {
    portone,
    webhookSecret: 'whsec_x',
    // Who pays from the shop's session; priceOrder prices per member with it.
    identifyCustomer: async (request) => (request.headers.has('cookie') ? { customerId: 'member-1', email: 'a@example.com' } : undefined),
    priceOrder: ({ items = [] }, { request, customer }) => ({ orderName: 'x', totalAmount: items.length * (customer?.customerId === 'member-1' && request.method === 'POST' ? 900 : 1_000), currency: 'KRW' }),
  },
];

export const invalid: CheckoutServerOptions[] = [
  // @ts-expect-error priceOrder is required: the server prices every order
  { portone, webhookSecret: 'whsec_x' },
  // @ts-expect-error three webhook secrets: rotation keeps two
  { portone, webhookSecret: ['a', 'b', 'c'], priceOrder },
  // @ts-expect-error JPY is not a currency KG Inicis takes through the kit
  { portone, webhookSecret: 'w', priceOrder: () => ({ orderName: 'x', totalAmount: 1, currency: 'JPY' }) },
  // @ts-expect-error the amount is a number in minor units, not text
  { portone, webhookSecret: 'w', priceOrder: () => ({ orderName: 'x', totalAmount: '1000', currency: 'KRW' }) },
  // @ts-expect-error the API secret is not optional
  { portone: { storeId: 'store-1' }, webhookSecret: 'w', priceOrder },
  // @ts-expect-error identifyCustomer answers a customer, not a bare id
  { portone, webhookSecret: 'w', priceOrder, identifyCustomer: () => 'member-1' },
  // @ts-expect-error a customer id is text
  { portone, webhookSecret: 'w', priceOrder, identifyCustomer: () => ({ customerId: 42 }) },
];

// @ts-expect-error a code without a status must be one of the kit's own codes
export const unknownCode = () => new CheckoutError('SOLD_OUT', 'gone');

test('types: the shop-facing shapes line up with the contract', () => {
  const shop = new CheckoutError('SOLD_OUT', 'items[0]: expected a product in stock, got "beans"', { status: 409 });
  assert.deepEqual([shop.status, shop.code], [409, 'SOLD_OUT']);
  assert.deepEqual(badCart('no').toJSON(), { code: 'BAD_CART', message: 'no' });
  const prepared: Pick<PreparedPayment, 'paymentId' | 'totalAmount'> = { paymentId: 'pay_1', totalAmount: 1 };
  const answer: OrderResponse = { order: { paymentId: prepared.paymentId, status: 'PAID', orderName: 'x', totalAmount: 1, currency: 'KRW', cancelledAmount: 0 } };
  assert.equal(answer.order.status, 'PAID');
  assert.equal(valid.length + invalid.length, 11);
});
