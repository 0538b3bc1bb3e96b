import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRedirectQuery, resultId, resultKey, stripRedirectParams } from '../../src/client/redirect.js';

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

test('the docs’ short form (no transactionType) is a result only for the attempt this tab opened a window for', () => {
  // A shop's own link looks the same: with no attempt waiting, or another one, it is not PortOne's.
  assert.equal(parseRedirectQuery('?paymentId=payment-39ecfa97'), undefined);
  assert.equal(parseRedirectQuery('?paymentId=payment-39ecfa97', { kind: 'payment', id: 'payment-other' }), undefined);
  assert.deepEqual(parseRedirectQuery('?paymentId=payment-39ecfa97', { kind: 'payment', id: 'payment-39ecfa97' }), {
    transactionType: 'PAYMENT',
    paymentId: 'payment-39ecfa97',
  });
  assert.deepEqual(parseRedirectQuery('?paymentId=p&code=FAILURE_TYPE_PG&message=m', { kind: 'payment', id: 'p' }), {
    transactionType: 'PAYMENT',
    paymentId: 'p',
    code: 'FAILURE_TYPE_PG',
    message: 'm',
  });
  // The kind comes from the attempt: a phone billing return reads as billing-key-and-pay.
  assert.deepEqual(parseRedirectQuery('?paymentId=sub-1&txId=t&billingKey=bk', { kind: 'billing-key-and-pay', id: 'sub-1' }), {
    transactionType: 'ISSUE_BILLING_KEY_AND_PAY',
    paymentId: 'sub-1',
    txId: 't',
    billingKey: 'bk',
  });
  // A billing key's return carries no id to match (issueId is not sent back): it needs transactionType.
  assert.equal(parseRedirectQuery('?billingKey=bk', { kind: 'billing-key', id: 'issue-1' }), undefined);
  // With transactionType, the query speaks for itself, whatever attempt is waiting.
  assert.deepEqual(parseRedirectQuery('?transactionType=PAYMENT&paymentId=p', { kind: 'billing-key-and-pay', id: 'x' }), { transactionType: 'PAYMENT', paymentId: 'p' });
});

test('reads an identity verification, success and failure, and its short form for the attempt this tab opened a window for', () => {
  assert.deepEqual(parseRedirectQuery('?transactionType=IDENTITY_VERIFICATION&identityVerificationId=iv-1&identityVerificationTxId=t'), {
    transactionType: 'IDENTITY_VERIFICATION',
    identityVerificationId: 'iv-1',
    identityVerificationTxId: 't',
  });
  assert.deepEqual(parseRedirectQuery('?transactionType=IDENTITY_VERIFICATION&code=X&message=m'), { transactionType: 'IDENTITY_VERIFICATION', code: 'X', message: 'm' });
  // PortOne's identity guide shows `?identityVerificationId=…` alone: PortOne's only for the waiting attempt.
  assert.equal(parseRedirectQuery('?identityVerificationId=iv-1'), undefined);
  assert.equal(parseRedirectQuery('?identityVerificationId=iv-1', { kind: 'identity-verification', id: 'iv-2' }), undefined);
  assert.equal(parseRedirectQuery('?identityVerificationId=iv-1', { kind: 'payment', id: 'iv-1' }), undefined);
  assert.equal(parseRedirectQuery('?paymentId=iv-1', { kind: 'identity-verification', id: 'iv-1' }), undefined);
  assert.deepEqual(parseRedirectQuery('?identityVerificationId=iv-1', { kind: 'identity-verification', id: 'iv-1' }), { transactionType: 'IDENTITY_VERIFICATION', identityVerificationId: 'iv-1' });
  assert.equal(resultId(parseRedirectQuery('?identityVerificationId=iv-1', { kind: 'identity-verification', id: 'iv-1' })!), 'iv-1');
  assert.equal(resultId(parseRedirectQuery('?transactionType=ISSUE_BILLING_KEY&billingKey=b')!), undefined);
});

test('no PortOne result: the page’s own query, or a success without its id', () => {
  assert.equal(parseRedirectQuery(''), undefined);
  assert.equal(parseRedirectQuery('?page=2&sort=asc'), undefined);
  assert.equal(parseRedirectQuery('?transactionType=toString&paymentId=p'), undefined);
  assert.equal(parseRedirectQuery('?transactionType=IDENTITY_VERIFICATION&identityVerificationTxId=t'), undefined);
  assert.equal(parseRedirectQuery('?transactionType=ISSUE_BILLING_KEY'), undefined);
  assert.equal(parseRedirectQuery('?transactionType=PAYMENT&txId=t'), undefined);
  assert.deepEqual(parseRedirectQuery('?transactionType=ISSUE_BILLING_KEY&code=X&message=m'), { transactionType: 'ISSUE_BILLING_KEY', code: 'X', message: 'm' });
});

test('strips PortOne’s parameters and keeps the page’s own, and the hash', () => {
  assert.equal(stripRedirectParams('https://shop.example/done?cart=7&paymentId=p&txId=t&transactionType=PAYMENT#top'), 'https://shop.example/done?cart=7#top');
  assert.equal(stripRedirectParams('https://shop.example/done?paymentId=p&code=X&message=m&pgCode=1&pgMessage=n'), 'https://shop.example/done');
  assert.equal(stripRedirectParams('https://shop.example/done?billingKey=b&billingIssueToken=t&paymentToken=u#x'), 'https://shop.example/done#x');
  assert.equal(stripRedirectParams('https://shop.example/adult?identityVerificationId=i&identityVerificationTxId=t&transactionType=IDENTITY_VERIFICATION'), 'https://shop.example/adult');
});

test('one key per result', () => {
  const a = parseRedirectQuery('?paymentId=p&txId=t1&transactionType=PAYMENT')!;
  const b = parseRedirectQuery('?paymentId=p&txId=t2&transactionType=PAYMENT')!;
  assert.notEqual(resultKey(a), resultKey(b));
  assert.equal(resultKey(a), resultKey(parseRedirectQuery('?transactionType=PAYMENT&txId=t1&paymentId=p')!));
});

test('manual approvals: every billing key is NEEDS_CONFIRMATION, so the token tells two results apart', () => {
  const key = (token: string) => resultKey(parseRedirectQuery(`?transactionType=ISSUE_BILLING_KEY&billingKey=NEEDS_CONFIRMATION&billingIssueToken=${token}`)!);
  assert.notEqual(key('a'), key('b'));
  assert.equal(key('a'), key('a'));
  const payment = (token: string) => resultKey(parseRedirectQuery(`?transactionType=PAYMENT&paymentId=p&txId=t&paymentToken=${token}`)!);
  assert.notEqual(payment('a'), payment('b'));
});

test('identity verifications: one key per verification and attempt', () => {
  const key = (id: string, tx: string) => resultKey(parseRedirectQuery(`?transactionType=IDENTITY_VERIFICATION&identityVerificationId=${id}&identityVerificationTxId=${tx}`)!);
  assert.notEqual(key('a', 't'), key('b', 't'));
  assert.notEqual(key('a', 't1'), key('a', 't2'));
  assert.equal(key('a', 't'), key('a', 't'));
});
