import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROUTES, isShopperCancel } from '../../src/contract.js';

test('ROUTES.order encodes the payment id as one path segment', () => {
  assert.equal(ROUTES.order('order 1/ä'), '/payments/order%201%2F%C3%A4');
});

test('isShopperCancel tells a closed window from a failed payment', () => {
  assert.equal(isShopperCancel({ code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.' }), true);
  assert.equal(isShopperCancel({ code: 'FAILURE_TYPE_PG', message: 'The shopper cancelled the payment' }), true);
  assert.equal(isShopperCancel({ code: 'FAILURE_TYPE_PG', message: '잔액이 부족합니다.', pgCode: '51' }), false);
  assert.equal(isShopperCancel({ message: '취소' }), false, 'no code means success, never a cancel');
});
