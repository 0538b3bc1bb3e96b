import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRedirectQuery, resultKey, stripRedirectParams } from '../../src/client/redirect.js';

test('reads a payment result, success and failure', () => {
  assert.deepEqual(parseRedirectQuery('?paymentId=order-1&txId=tx-1&transactionType=PAYMENT'), { transactionType: 'PAYMENT', paymentId: 'order-1', txId: 'tx-1' });
  assert.deepEqual(
    parseRedirectQuery('?transactionType=PAYMENT&paymentId=order-1&txId=tx-1&code=FAILURE_TYPE_PG&message=%EC%B7%A8%EC%86%8C&pgCode=C1&pgMessage=%ED%95%9C%EB%8F%84'),
    { transactionType: 'PAYMENT', paymentId: 'order-1', txId: 'tx-1', code: 'FAILURE_TYPE_PG', message: '취소', pgCode: 'C1', pgMessage: '한도' },
  );
});

test('reads billing-key and billing-key-and-pay results, manual-approval tokens included', () => {
  assert.deepEqual(parseRedirectQuery('?transactionType=ISSUE_BILLING_KEY&billingKey=bk-1'), { transactionType: 'ISSUE_BILLING_KEY', billingKey: 'bk-1' });
  assert.deepEqual(
    parseRedirectQuery('?transactionType=ISSUE_BILLING_KEY_AND_PAY&paymentId=p&txId=NEEDS_CONFIRMATION&billingKey=NEEDS_CONFIRMATION&billingIssueToken=tok'),
    { transactionType: 'ISSUE_BILLING_KEY_AND_PAY', paymentId: 'p', txId: 'NEEDS_CONFIRMATION', billingKey: 'NEEDS_CONFIRMATION', billingIssueToken: 'tok' },
  );
});

test('the docs’ short form (paymentId without transactionType) is a payment', () => {
  assert.deepEqual(parseRedirectQuery('?paymentId=payment-39ecfa97'), { transactionType: 'PAYMENT', paymentId: 'payment-39ecfa97' });
});

test('no PortOne result: the page’s own query, identity verification, or a success without its id', () => {
  assert.equal(parseRedirectQuery(''), undefined);
  assert.equal(parseRedirectQuery('?page=2&sort=asc'), undefined);
  assert.equal(parseRedirectQuery('?transactionType=IDENTITY_VERIFICATION&identityVerificationId=x'), undefined);
  assert.equal(parseRedirectQuery('?transactionType=ISSUE_BILLING_KEY'), undefined);
  assert.equal(parseRedirectQuery('?transactionType=PAYMENT&txId=t'), undefined);
  assert.deepEqual(parseRedirectQuery('?transactionType=ISSUE_BILLING_KEY&code=X&message=m'), { transactionType: 'ISSUE_BILLING_KEY', code: 'X', message: 'm' });
});

test('strips PortOne’s parameters and keeps the page’s own, and the hash', () => {
  assert.equal(stripRedirectParams('https://shop.example/done?cart=7&paymentId=p&txId=t&transactionType=PAYMENT#top'), 'https://shop.example/done?cart=7#top');
  assert.equal(stripRedirectParams('https://shop.example/done?paymentId=p&code=X&message=m&pgCode=1&pgMessage=n'), 'https://shop.example/done');
  assert.equal(stripRedirectParams('https://shop.example/done?billingKey=b&billingIssueToken=t&paymentToken=u#x'), 'https://shop.example/done#x');
});

test('one key per result', () => {
  const a = parseRedirectQuery('?paymentId=p&txId=t1&transactionType=PAYMENT')!;
  const b = parseRedirectQuery('?paymentId=p&txId=t2&transactionType=PAYMENT')!;
  assert.notEqual(resultKey(a), resultKey(b));
  assert.equal(resultKey(a), resultKey(parseRedirectQuery('?transactionType=PAYMENT&txId=t1&paymentId=p')!));
});
