import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROUTES, isShopperCancel } from '../../src/contract.js';

test('ROUTES.order encodes the payment id as one path segment', () => {
  assert.equal(ROUTES.order('order 1/ä'), '/payments/order%201%2F%C3%A4');
});

test('isShopperCancel tells a closed window from a failed payment', () => {
  assert.equal(isShopperCancel({ code: 'FAILURE_TYPE_PG', message: '사용자가 결제를 취소하였습니다.' }), true);
  assert.equal(isShopperCancel({ code: 'FAILURE_TYPE_PG', message: '[V013] 사용자 취소' }), true);
  assert.equal(isShopperCancel({ code: 'FAILURE_TYPE_PG', message: 'Payment cancelled by the user' }), true);
  assert.equal(isShopperCancel({ code: 'FAILURE_TYPE_PG', message: 'Canceled by user' }), true);
  assert.equal(isShopperCancel({ code: 'FAILURE_TYPE_PG', message: '잔액이 부족합니다.', pgCode: '51' }), false);
  assert.equal(isShopperCancel({ message: '사용자가 결제를 취소하였습니다.' }), false, 'no code means success, never a cancel');
});

test('isShopperCancel: a decline that mentions a cancellation is a failure, not the shopper closing the window', () => {
  assert.equal(isShopperCancel({ code: 'FAILURE_TYPE_PG', message: '[V801] 이미 취소된 거래입니다', pgCode: 'V801' }), false);
  assert.equal(isShopperCancel({ code: 'FAILURE_TYPE_PG', message: '취소 가능 금액을 초과했습니다' }), false);
  assert.equal(isShopperCancel({ code: 'PG_PROVIDER_ERROR', message: 'The transaction was already cancelled' }), false);
  assert.equal(isShopperCancel({ code: 'FAILURE_TYPE_PG', message: 'Card issuer cancelled the authorization' }), false);
});
