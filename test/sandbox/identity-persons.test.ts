// The test persons' ages hold on every day (29 February and New Year's Eve in Korea included), and
// identity windows' page-scripted outcomes parse like the payment window's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageOn, birthDateFor, testPersonAt, TEST_PERSONS } from '../../src/sandbox/identity/persons.js';
import { parseIdentityOutcome, withResultQuery } from '../../src/sandbox/index.js';

test('every test person has their age on every day of four years, leap days and KST midnight included', () => {
  const first = Date.parse('2027-01-01T00:00:00+09:00');
  for (let day = 0; day < 4 * 366; day++) {
    for (const offset of [0, 9 * 3_600_000 - 1, 24 * 3_600_000 - 1]) {
      const now = first + day * 24 * 3_600_000 + offset;
      for (const person of TEST_PERSONS) {
        const { birthDate } = testPersonAt(person.key, now);
        assert.equal(ageOn(birthDate, now), person.age, `${person.key} on ${new Date(now).toISOString()} (born ${birthDate})`);
      }
    }
  }
});

test('birth dates around 29 February: a birthday already past stays past, one still to come stays to come', () => {
  const leapDay = Date.parse('2028-02-29T12:00:00+09:00');
  assert.equal(birthDateFor(leapDay, { years: 19, inDays: 0 }), '2009-02-28', 'turned 19 (no 29 February in 2009)');
  assert.equal(birthDateFor(leapDay, { years: 19, inDays: 1 }), '2009-03-01');
  const dayBefore = Date.parse('2028-02-28T12:00:00+09:00');
  assert.equal(birthDateFor(dayBefore, { years: 19, inDays: 1 }), '2009-03-01', 'not 19 tomorrow already');
  assert.equal(birthDateFor(Date.parse('2026-12-31T23:30:00+09:00'), { years: 19, inDays: 1 }), '2008-01-01', 'Korean date, not UTC');
  assert.equal(ageOn('2008-01-01', Date.parse('2026-12-31T23:30:00+09:00')), 18);
  assert.equal(ageOn('2008-01-01', Date.parse('2027-01-01T00:00:00+09:00')), 19);
});

test('page-scripted identity outcomes: words, a test person, a PG code, JSON; decline reads as fail', () => {
  assert.deepEqual(parseIdentityOutcome('approve'), { result: 'approve' });
  assert.deepEqual(parseIdentityOutcome('approve:minor'), { result: 'approve', person: 'minor' });
  assert.deepEqual(parseIdentityOutcome('fail:I102'), { result: 'fail', pgCode: 'I102' });
  assert.deepEqual(parseIdentityOutcome('decline:V005'), { result: 'fail', pgCode: 'V005' });
  assert.deepEqual(parseIdentityOutcome(' cancel '), { result: 'cancel' });
  assert.deepEqual(parseIdentityOutcome('{"result":"approve","person":"foreigner","agency":"NAVER"}'), { result: 'approve', person: 'foreigner', agency: 'NAVER' });
  for (const text of ['', 'pay', '{"result":"decline"}', '{broken', null, undefined]) assert.equal(parseIdentityOutcome(text), undefined, String(text));
});

test('the redirect query of an identity window (§3.5): its fields only, in order, the merchant query kept', () => {
  const url = withResultQuery('https://shop.example/iv?step=2', {
    transactionType: 'IDENTITY_VERIFICATION',
    identityVerificationId: 'iv 1',
    identityVerificationTxId: 'tx-1',
    code: 'FAILURE_TYPE_PG',
    message: '[I101] 시간 초과',
    pgCode: 'I101',
    pgMessage: '시간 초과',
  });
  assert.equal(url, 'https://shop.example/iv?step=2&transactionType=IDENTITY_VERIFICATION&identityVerificationId=iv+1&identityVerificationTxId=tx-1&code=FAILURE_TYPE_PG&message=%5BI101%5D+%EC%8B%9C%EA%B0%84+%EC%B4%88%EA%B3%BC&pgCode=I101&pgMessage=%EC%8B%9C%EA%B0%84+%EC%B4%88%EA%B3%BC');
});
