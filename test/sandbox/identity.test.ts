// Identity verification (KG Inicis 통합인증) driven from Node, read back with the real server SDK:
// the VERIFIED, FAILED and READY shapes of `GET /identity-verifications/{id}` (every answer held to
// PortOne's OpenAPI by withSandbox), what KG Inicis reports and withholds, attempts, the list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentityVerificationError } from '@portone/browser-sdk/v2';
import { GetIdentityVerificationError, GetIdentityVerificationsError, type VerifiedIdentityVerification } from '@portone/server-sdk/identityVerification';
import { createSandbox, IDENTITY_CANCEL_MESSAGE, TEST_PERSONS, type KnownIdentityVerification, type Sandbox } from '../../src/sandbox/index.js';
import { clientFor, rejection, startReceiver, withSandbox } from './support.js';

const start = Date.parse('2026-03-01T12:00:00+09:00');

function verified(sandbox: Sandbox, id: string): VerifiedIdentityVerification {
  const v = sandbox.identityVerification(id);
  if (v?.status !== 'VERIFIED') throw new Error(`${id} is ${v?.status}, not VERIFIED`);
  return v;
}

test('an approved window: the promise result, and GET /identity-verifications/{id} as KG Inicis reports the person', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: start });
  const client = clientFor(sandbox);
  const result = await sandbox.verifyIdentity({
    identityVerificationId: 'iv-adult',
    customer: { customerId: 'member-7', fullName: '홍길동', phoneNumber: '010-1234-5678' },
    customData: '{"purpose":"adult-goods"}',
  });
  assert.deepEqual(Object.keys(result).sort(), ['identityVerificationId', 'identityVerificationTxId', 'transactionType']);
  assert.equal(result.transactionType, 'IDENTITY_VERIFICATION');
  assert.equal(result.identityVerificationId, 'iv-adult');
  assert.match(result.identityVerificationTxId, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);

  const got = await client.identityVerification.getIdentityVerification({ identityVerificationId: 'iv-adult' });
  assert.equal(got.status, 'VERIFIED');
  const v = got as VerifiedIdentityVerification;
  const adult = TEST_PERSONS.find((p) => p.key === 'adult')!;
  assert.deepEqual(v.verifiedCustomer, {
    id: 'member-7',
    name: '홍길동',
    phoneNumber: '01012345678',
    birthDate: sandbox.testPerson('adult').birthDate,
    gender: 'MALE',
    isForeigner: false,
    ci: adult.ci,
  }, 'KG Inicis: no DI and no carrier (operator); id is the customer id the request sent');
  assert.equal(adult.ci.length, 88);
  assert.equal(v.customData, '{"purpose":"adult-goods"}');
  assert.deepEqual([v.channel?.pgProvider, v.channel?.pgMerchantId, v.channel?.type, v.channel?.key], ['INICIS_UNIFIED', 'INIiasTest', 'TEST', sandbox.channelKeys.identityVerification]);
  assert.equal(v.verifiedAt, new Date(start).toISOString());
  assert.equal(v.version, 'V2');
  assert.match(v.pgTxId, /^INIiasTest20260301120000\d{6}$/);
  const raw = JSON.parse(v.pgRawResponse) as Record<string, string>;
  assert.deepEqual([raw.resultCode, raw.providerDevCd, raw.txId, raw.mTxId, raw.userCi, raw.userBirthday], ['0000', 'PASS', v.pgTxId, 'iv-adult', adult.ci, v.verifiedCustomer.birthDate!.replace(/-/g, '')]);
  assert.equal(raw.userDi!.length, 64, 'the raw answer carries KG Inicis\'s DI for this site');
  assert.equal(adult.age, 34);
  assert.equal(new Date(start).getUTCFullYear() - Number(v.verifiedCustomer.birthDate!.slice(0, 4)) - 1, 34, 'turned 34 a hundred days ago');
});

test('CI is the same for a person everywhere; the DI in pgRawResponse differs per site (merchant id, DI_CODE)', async (t) => {
  const one = await withSandbox(t);
  const other = await withSandbox(t, {
    channels: [{ key: 'channel-key-ias', name: '통합인증', type: 'TEST', pgProvider: 'INICIS_UNIFIED', pgMerchantId: 'INIiasOther' }],
  });
  const di = (sandbox: Sandbox, id: string) => (JSON.parse(verified(sandbox, id).pgRawResponse) as { userDi: string }).userDi;
  await one.verifyIdentity({ identityVerificationId: 'a' }, { result: 'approve', person: 'minor' });
  await one.verifyIdentity({ identityVerificationId: 'b' }, { result: 'approve', person: 'minor' });
  await one.verifyIdentity({ identityVerificationId: 'c', bypass: { inicisUnified: { flgFixedUser: 'N', DI_CODE: 'shop-salt' } } }, { result: 'approve', person: 'minor' });
  await other.verifyIdentity({ identityVerificationId: 'a' }, { result: 'approve', person: 'minor' });
  assert.equal(verified(one, 'a').verifiedCustomer.ci, verified(other, 'a').verifiedCustomer.ci);
  assert.equal(di(one, 'a'), di(one, 'b'), 'stable on one site');
  assert.notEqual(di(one, 'a'), di(other, 'a'), 'another merchant id, another DI');
  assert.notEqual(di(one, 'a'), di(one, 'c'), 'another DI_CODE, another DI');
  assert.notEqual(verified(one, 'a').verifiedCustomer.ci, TEST_PERSONS.find((p) => p.key === 'adult')!.ci, 'each person their own CI');
});

test('test persons: the ages they are given on the day of the verification; the foreigner; no CI through 카카오', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: start });
  const ageOf = (birthDate: string) => {
    const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
    const today = new Date(sandbox.now() + 9 * 3_600_000);
    return today.getUTCFullYear() - y - (today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d) ? 1 : 0);
  };
  for (const person of TEST_PERSONS) {
    await sandbox.verifyIdentity({ identityVerificationId: `p-${person.key}` }, { result: 'approve', person: person.key });
    const { verifiedCustomer } = verified(sandbox, `p-${person.key}`);
    assert.equal(ageOf(verifiedCustomer.birthDate!), person.age, `${person.key} is ${person.age}`);
    assert.equal(verifiedCustomer.name, person.name);
    assert.equal(verifiedCustomer.isForeigner, person.isForeigner);
    assert.equal(verifiedCustomer.ci, person.key === 'noCi' ? undefined : person.ci);
  }
  assert.deepEqual(TEST_PERSONS.map((p) => [p.key, p.age]), [['adult', 34], ['minor', 17], ['child', 13], ['turns19Tomorrow', 18], ['turned19Today', 19], ['foreigner', 29], ['noCi', 45]]);
  // A day later the one who turned 19 tomorrow is 19 — a fresh verification says so.
  await sandbox.advance(24 * 3_600_000);
  await sandbox.verifyIdentity({ identityVerificationId: 'p-next-day' }, { result: 'approve', person: 'turns19Tomorrow' });
  assert.equal(ageOf(verified(sandbox, 'p-next-day').verifiedCustomer.birthDate!), 18, 'still 18: a new day, a new "tomorrow"');
  assert.equal(ageOf(verified(sandbox, 'p-turns19Tomorrow').verifiedCustomer.birthDate!), 19, 'the earlier one has turned 19');
  // Anyone through 카카오 has no CI; the raw answer's userCi is empty too.
  await sandbox.verifyIdentity({ identityVerificationId: 'p-kakao' }, { result: 'approve', person: 'adult', agency: 'KAKAO' });
  assert.equal(verified(sandbox, 'p-kakao').verifiedCustomer.ci, undefined);
  assert.equal((JSON.parse(verified(sandbox, 'p-kakao').pgRawResponse) as { userCi: string }).userCi, '');
  await sandbox.verifyIdentity({ identityVerificationId: 'p-naver' }, { result: 'approve', person: 'noCi', agency: 'NAVER' });
  assert.equal(verified(sandbox, 'p-naver').verifiedCustomer.ci, TEST_PERSONS.find((p) => p.key === 'noCi')!.ci, 'through 네이버 the same person has one');
  // Someone a test names: their CI follows from who they are.
  const named = { name: '김철수', birthDate: '1990-02-03', gender: 'MALE' as const, phoneNumber: '010-2222-3333' };
  await sandbox.verifyIdentity({ identityVerificationId: 'p-named-1' }, { result: 'approve', person: named });
  await sandbox.verifyIdentity({ identityVerificationId: 'p-named-2' }, { result: 'approve', person: { ...named } });
  assert.equal(verified(sandbox, 'p-named-1').verifiedCustomer.ci, verified(sandbox, 'p-named-2').verifiedCustomer.ci);
  assert.deepEqual([verified(sandbox, 'p-named-1').verifiedCustomer.birthDate, verified(sandbox, 'p-named-1').verifiedCustomer.phoneNumber], ['1990-02-03', '01022223333']);
});

test('fail and cancel leave the attempt FAILED; a new attempt at the id may verify; a verified id is never verified again', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: start });
  const client = clientFor(sandbox);
  const failed = await sandbox.verifyIdentity({ identityVerificationId: 'iv-1', customer: { fullName: '홍길동', phoneNumber: '010-1234-5678', birthYear: '1991' } }, { result: 'fail' });
  assert.deepEqual([failed.code, failed.pgCode, failed.message], ['FAILURE_TYPE_PG', 'I101', '[I101] 인증 요청 시간이 초과되었습니다. 다시 시도해 주세요.']);
  const first = await client.identityVerification.getIdentityVerification({ identityVerificationId: 'iv-1' });
  assert.equal(first.status, 'FAILED');
  assert.ok(first.status === 'FAILED');
  assert.deepEqual(first.failure, { reason: '인증 요청 시간이 초과되었습니다. 다시 시도해 주세요.', pgCode: 'I101', pgMessage: '인증 요청 시간이 초과되었습니다. 다시 시도해 주세요.' });
  assert.deepEqual(first.requestedCustomer, { name: '홍길동', phoneNumber: '01012345678', birthYear: '1991' }, 'phone as digits, as the schema says');
  assert.ok(first.pgTxId);

  const cancelled = await sandbox.verifyIdentity({ identityVerificationId: 'iv-1' }, { result: 'cancel' });
  assert.deepEqual([cancelled.code, cancelled.message, cancelled.pgCode], ['FAILURE_TYPE_PG', IDENTITY_CANCEL_MESSAGE, undefined]);
  assert.notEqual(cancelled.identityVerificationTxId, failed.identityVerificationTxId, 'each attempt its own tx id');
  const second = sandbox.identityVerification('iv-1');
  assert.equal(second?.status === 'FAILED' && second.failure.reason, IDENTITY_CANCEL_MESSAGE);
  assert.equal(second?.status === 'FAILED' && second.pgTxId, undefined, 'a cancel never reached KG Inicis');

  await sandbox.advance(60_000);
  const ok = await sandbox.verifyIdentity({ identityVerificationId: 'iv-1' }, { result: 'approve', person: 'foreigner', carrier: 'LGU_MVNO' });
  assert.equal(ok.code, undefined);
  const v = verified(sandbox, 'iv-1');
  assert.equal(v.verifiedCustomer.isForeigner, true);
  assert.equal(v.requestedAt, new Date(start + 60_000).toISOString(), 'the latest attempt\'s request');

  const before = JSON.stringify(sandbox.identityVerification('iv-1'));
  const again = await rejection(sandbox.verifyIdentity({ identityVerificationId: 'iv-1' }));
  assert.ok(again instanceof IdentityVerificationError);
  assert.equal(again.__portOneErrorType, 'IdentityVerificationError');
  assert.equal(again.code, 'IdentityVerificationAlreadyVerified');
  assert.equal(again.identityVerificationId, 'iv-1');
  assert.match(again.message, /was verified at 2026-03-01T03:01:00.000Z/);
  assert.equal(JSON.stringify(sandbox.identityVerification('iv-1')), before, 'nothing changed');
});

test('what KG Inicis checks in its window: the carrier in PASS, the fixed user, SMS without a contract', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: start });
  const carrier = await sandbox.verifyIdentity({ identityVerificationId: 'c-1' }, { result: 'approve', person: 'minor', carrier: 'SKT' });
  assert.deepEqual([carrier.code, carrier.pgCode], ['FAILURE_TYPE_PG', 'I103'], 'the minor is with KT');
  const otherAgency = await sandbox.verifyIdentity({ identityVerificationId: 'c-2' }, { result: 'approve', person: 'minor', agency: 'TOSS', carrier: 'SKT' });
  assert.equal(otherAgency.code, undefined, 'the carrier matters only in PASS');

  const minor = sandbox.testPerson('minor');
  const [birthYear, birthMonth, birthDay] = minor.birthDate.split('-');
  const fixed = { fullName: minor.name, phoneNumber: '010-2345-6789', birthYear, birthMonth, birthDay };
  const fixedRequest = (id: string, extra = {}) => ({ identityVerificationId: id, customer: fixed, bypass: { inicisUnified: { flgFixedUser: 'Y' as const, ...extra } } });
  assert.equal((await sandbox.verifyIdentity(fixedRequest('f-1'))).code, undefined, 'the window is fixed to the minor, who verifies');
  assert.equal(verified(sandbox, 'f-1').verifiedCustomer.ci, TEST_PERSONS.find((p) => p.key === 'minor')!.ci, 'a test person who matches is that test person');
  const someoneElse = await sandbox.verifyIdentity(fixedRequest('f-2'), { result: 'approve', person: 'adult' });
  assert.deepEqual([someoneElse.code, someoneElse.pgCode], ['FAILURE_TYPE_PG', 'I104']);
  // A fixed customer who is no test person verifies as themselves.
  const stranger = { fullName: '김철수', phoneNumber: '01022223333', birthYear: '1990', birthMonth: '2', birthDay: '3', gender: 'MALE' as const };
  await sandbox.verifyIdentity({ identityVerificationId: 'f-3', customer: stranger, bypass: { inicisUnified: { flgFixedUser: 'Y' } } });
  assert.deepEqual([verified(sandbox, 'f-3').verifiedCustomer.name, verified(sandbox, 'f-3').verifiedCustomer.birthDate], ['김철수', '1990-02-03']);

  const kakao = await sandbox.verifyIdentity(fixedRequest('d-1', { directAgency: 'KAKAO' }));
  assert.equal(kakao.code, undefined);
  assert.equal(verified(sandbox, 'd-1').verifiedCustomer.ci, undefined, 'directAgency 카카오: no CI');
  const conflict = await rejection(sandbox.verifyIdentity({ identityVerificationId: 'd-2', bypass: { inicisUnified: { flgFixedUser: 'N', directAgency: 'PASS' } } }, { result: 'approve', agency: 'NAVER' }));
  assert.equal(conflict.code, 'BadRequest');
  assert.match(conflict.message, /directAgency fixes the 인증 업체 to PASS, the outcome chose NAVER/);
  const sms = await sandbox.verifyIdentity({ identityVerificationId: 'd-3', bypass: { inicisUnified: { flgFixedUser: 'N', directAgency: 'SMS' } } });
  assert.deepEqual([sms.code, sms.pgCode, sms.pgMessage], ['FAILURE_TYPE_PG', 'I900', '알 수 없는 오류가 발생했습니다.'], 'KG Inicis refuses SMS without a contract, whatever the shopper does');
  assert.equal(sandbox.identityVerification('d-3')?.status, 'FAILED');
});

test('nextIdentityOutcome queues identity windows, apart from the payment queue; a bad outcome fails before any window', async (t) => {
  const sandbox = await withSandbox(t);
  sandbox.nextOutcome({ result: 'decline' });
  sandbox.nextIdentityOutcome({ result: 'approve', person: 'child' });
  sandbox.nextIdentityOutcome({ result: 'cancel' });
  await sandbox.verifyIdentity({ identityVerificationId: 'q-1' });
  assert.equal(verified(sandbox, 'q-1').verifiedCustomer.name, '김하준');
  assert.equal((await sandbox.verifyIdentity({ identityVerificationId: 'q-2' })).message, IDENTITY_CANCEL_MESSAGE);
  assert.equal((await sandbox.verifyIdentity({ identityVerificationId: 'q-3' })).code, undefined, 'queue empty: approve');
  assert.equal((await sandbox.pay({ paymentId: 'q-pay', totalAmount: 1_000 })).code, 'FAILURE_TYPE_PG', 'the payment queue kept its decline');

  assert.throws(() => sandbox.nextIdentityOutcome({ result: 'decline' } as never), /nextIdentityOutcome: expected \{ result: 'approve' \| 'fail' \| 'cancel' \}, got result "decline"/);
  assert.throws(() => sandbox.nextIdentityOutcome({ result: 'approve', person: 'grandma' } as never), /`person`: expected a test person \(adult, minor, child, turns19Tomorrow, turned19Today, foreigner, noCi\) or/);
  assert.throws(() => sandbox.nextIdentityOutcome({ result: 'approve', person: { name: 'x', birthDate: '1990-02-30', gender: 'MALE', phoneNumber: '01012345678' } }), /`person.birthDate`: expected a date as yyyy-MM-dd, got "1990-02-30"/);
  assert.throws(() => sandbox.nextIdentityOutcome({ result: 'approve', carrier: 'MVNO' } as never), /`carrier`: expected one of SKT, KT, LGU, SKT_MVNO, KT_MVNO, LGU_MVNO, got "MVNO"/);
  assert.throws(() => sandbox.nextIdentityOutcome({ result: 'cancel', pgCode: 'x' } as never), /a cancel outcome has no other fields, got "pgCode"/);
  const bad = await rejection(sandbox.verifyIdentity({ identityVerificationId: 'q-4' }, { result: 'approve', agency: 'PHONE' } as never));
  assert.ok(bad instanceof TypeError);
  assert.equal(sandbox.identityVerification('q-4'), undefined, 'no READY attempt left behind');
});

test('before the window: PortOne and KG Inicis refuse what they would, with the SDK error, and record nothing', async (t) => {
  const sandbox = await withSandbox(t);
  const cases: [Record<string, unknown>, string, RegExp, string?][] = [
    [{ storeId: 'store-other' }, 'StoreNotFound', /storeId "store-other" is not this sandbox's store/],
    [{ channelKey: 'channel-key-nope' }, 'ChannelNotFound', /channelKey "channel-key-nope" is not a channel of store/],
    [{ channelKey: sandbox.channelKeys.payment }, 'ChannelNotFound', /is the payment channel "KG이니시스 일반결제 \(테스트\)" \(INICIS_V2\); identity verification needs a KG이니시스 통합인증 channel/],
    [{ channelKey: undefined }, 'BadRequest', /channelKey 파라미터는 필수 입력입니다/],
    [{ identityVerificationId: '' }, 'BadRequest', /identityVerificationId 파라미터는 필수 입력입니다/],
    [{ customData: { a: 1 } }, 'BadRequest', /`customData`: expected a non-empty string, got an object/],
    [{ bypass: {} }, 'BadRequest', /KG이니시스 \[R131\] flgFixedUser는 필수이며 Y 또는 N이어야 합니다\. \(`bypass\.inicisUnified\.flgFixedUser`: expected "Y" or "N", got nothing\)/, 'R131'],
    [{ bypass: { inicisUnified: { flgFixedUser: 'y' } } }, 'BadRequest', /got "y"/, 'R131'],
    [{ bypass: { inicisUnified: { flgFixedUser: 'Y' } }, customer: { fullName: '홍길동' } }, 'BadRequest', /\[R132\] .*`customer\.phoneNumber`, `customer\.birthYear`, `customer\.birthMonth`, `customer\.birthDay`: expected values, got nothing/, 'R132'],
    [{ bypass: { inicisUnified: { flgFixedUser: 'Y' } }, customer: { fullName: '홍길동', phoneNumber: '01012345678', birthYear: '1990', birthMonth: '02', birthDay: '30' } }, 'BadRequest', /expected a date such as 1990, 01, 31, got "1990", "02", "30"/],
    [{ bypass: { inicisUnified: { flgFixedUser: 'N', directAgency: 'DANAL' } } }, 'BadRequest', /\[R133\] .*expected one of PASS, NAVER, .*SMS, got "DANAL"/, 'R133'],
    [{ windowType: { pc: 'UI' } }, 'BadRequest', /KG이니시스 통합인증 opens IFRAME, POPUP or REDIRECTION windows, got "UI"/],
    [{ windowType: { pc: 'REDIRECTION' } }, 'BadRequest', /리디렉션 방식 본인인증창에는 redirectUrl 파라미터가 필수입니다/],
    [{ customer: { gender: 'M' } }, 'BadRequest', /`customer\.gender`: expected one of MALE, FEMALE, OTHER, got "M"/],
    [{ customer: { email: 'hong.example.com' } }, 'BadRequest', /`customer\.email`: expected an e-mail address, got "hong\.example\.com"/],
  ];
  for (const [request, code, message, pgCode] of cases) {
    const error = await rejection(sandbox.verifyIdentity({ identityVerificationId: 'r-1', ...request }));
    assert.ok(error instanceof IdentityVerificationError, JSON.stringify(request));
    assert.equal(error.code, code, JSON.stringify(request));
    assert.match(error.message, message);
    assert.equal(error.pgCode, pgCode);
  }
  const mobile = await rejection(sandbox.verifyIdentity({ identityVerificationId: 'r-1' }, undefined, { device: 'mobile' }));
  assert.match(mobile.message, /리디렉션 방식 본인인증창\(모바일\)에는 redirectUrl 파라미터가 필수입니다/);
  assert.equal(sandbox.identityVerification('r-1'), undefined, 'no attempt was recorded');
  // An identity channel takes no payment either.
  const payment = await rejection(sandbox.pay({ paymentId: 'r-pay', totalAmount: 1_000, channelKey: sandbox.channelKeys.identityVerification }));
  assert.equal(payment.code, 'ChannelNotFound');
  assert.match(payment.message, /is an INICIS_UNIFIED identity verification channel, not a payment channel/);
  // forceRedirect without redirectUrl falls back to the promise for identity verification (SDK docs).
  assert.equal((await sandbox.verifyIdentity({ identityVerificationId: 'r-2', forceRedirect: true })).code, undefined);
  // Any id (the guide restricts paymentId and issueId to ASCII, not this one); FRGNDInfo is a plain string, only N changes anything.
  assert.equal((await sandbox.verifyIdentity({ identityVerificationId: '본인인증-1' })).code, undefined);
  assert.equal((await sandbox.verifyIdentity({ identityVerificationId: 'r-4', bypass: { inicisUnified: { flgFixedUser: 'N', FRGNDInfo: 'X' } } })).code, undefined);
  // POPUP is allowed, and shown as the overlay.
  assert.equal((await sandbox.verifyIdentity({ identityVerificationId: 'r-3', windowType: { pc: 'POPUP' } })).code, undefined);
});

test('REST: READY while the window is open; unknown → 404 IDENTITY_VERIFICATION_NOT_FOUND; another store → 403; a redirect carries the result', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: start });
  const client = clientFor(sandbox);
  const prepare = await fetch(`${sandbox.url}/checkout/prepare`, {
    method: 'POST',
    body: JSON.stringify({
      transactionType: 'IDENTITY_VERIFICATION',
      request: {
        storeId: sandbox.storeId,
        channelKey: sandbox.channelKeys.identityVerification,
        identityVerificationId: 'rest-1',
        customer: { customerId: 'member-1', lastName: '홍', firstName: '길동', phoneNumber: '010-1234-5678' },
        redirectUrl: 'https://shop.example/identity/return?from=cart#top',
        bypass: { inicisUnified: { flgFixedUser: 'N' } },
      },
      client: { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148' },
    }),
  });
  const answer = (await prepare.json()) as { txId: string; mode: string; identityVerificationId: string; windowUrl: string };
  assert.deepEqual([prepare.status, answer.mode, answer.identityVerificationId], [200, 'REDIRECTION', 'rest-1']);
  const ready = await client.identityVerification.getIdentityVerification({ identityVerificationId: 'rest-1' });
  assert.equal(ready.status, 'READY');
  assert.ok(ready.status === 'READY');
  assert.deepEqual(ready.requestedCustomer, { id: 'member-1', name: '홍 길동', phoneNumber: '01012345678' });
  assert.equal(ready.channel?.pgProvider, 'INICIS_UNIFIED');

  const complete = await fetch(`${sandbox.url}/checkout/transactions/${answer.txId}/complete`, { method: 'POST', body: JSON.stringify({ action: { result: 'cancel' } }) });
  const { redirectTo } = (await complete.json()) as { redirectTo: string };
  const url = new URL(redirectTo);
  assert.equal(url.origin + url.pathname, 'https://shop.example/identity/return');
  assert.equal(url.hash, '#top');
  assert.deepEqual([...url.searchParams.keys()], ['from', 'transactionType', 'identityVerificationId', 'identityVerificationTxId', 'code', 'message']);
  assert.deepEqual([url.searchParams.get('transactionType'), url.searchParams.get('identityVerificationTxId'), url.searchParams.get('message')], ['IDENTITY_VERIFICATION', answer.txId, IDENTITY_CANCEL_MESSAGE]);

  const missing = await rejection(client.identityVerification.getIdentityVerification({ identityVerificationId: 'nope' }));
  assert.ok(missing instanceof GetIdentityVerificationError);
  assert.equal(missing.data.type, 'IDENTITY_VERIFICATION_NOT_FOUND');
  const forbidden = await rejection(client.identityVerification.getIdentityVerification({ identityVerificationId: 'rest-1', storeId: 'store-other' }));
  assert.equal(forbidden.data.type, 'FORBIDDEN');
  const again = await fetch(`${sandbox.url}/checkout/transactions/${answer.txId}/complete`, { method: 'POST', body: JSON.stringify({ action: { result: 'approve' } }) });
  assert.deepEqual([again.status, ((await again.json()) as { code: string }).code], [409, 'InvalidEntityState']);
  const unimplemented = await fetch(`${sandbox.url}/identity-verifications/rest-1/send`, { method: 'POST', headers: { authorization: `PortOne ${sandbox.apiSecret}` }, body: '{}' });
  assert.equal(unimplemented.status, 404, 'API-sent verification (Danal) is not emulated: a plain 404');
});

test('GET /identity-verifications: 90 days, REQUESTED_AT DESC, every filter field; KG Inicis reports no carrier', async (t) => {
  const sandbox = await withSandbox(t, { clock: 'manual', now: start });
  const { identityVerification } = clientFor(sandbox);
  await sandbox.verifyIdentity({ identityVerificationId: 'l-1', customer: { fullName: '이서연' } }, { result: 'approve', person: 'minor' });
  await sandbox.advance(60_000);
  await sandbox.verifyIdentity({ identityVerificationId: 'l-2', customer: { fullName: '아무개', birthYear: '1970' } }, { result: 'fail', pgCode: 'I102' });
  await sandbox.advance(60_000);
  await sandbox.verifyIdentity({ identityVerificationId: 'l-3' }, { result: 'approve', person: 'adult' });
  const ids = async (options: Parameters<typeof identityVerification.getIdentityVerifications>[0]) =>
    (await identityVerification.getIdentityVerifications(options)).items.map((v) => (v as KnownIdentityVerification).id);
  assert.deepEqual(await ids({}), ['l-3', 'l-2', 'l-1']);
  assert.deepEqual(await ids({ sort: { order: 'ASC' } }), ['l-1', 'l-2', 'l-3']);
  assert.deepEqual(await ids({ filter: { statuses: ['FAILED'] } }), ['l-2']);
  assert.deepEqual(await ids({ filter: { customer: { name: '이서연' } } }), ['l-1'], 'verified ones by the verified customer');
  assert.deepEqual(await ids({ filter: { customer: { birthYear: '1970' } } }), ['l-2'], 'others by the requested one');
  assert.deepEqual(await ids({ filter: { customer: { gender: 'FEMALE' } } }), ['l-1']);
  assert.deepEqual(await ids({ filter: { carriers: ['KT'] } }), [], 'KG Inicis reports no operator');
  assert.deepEqual(await ids({ filter: { pgProviders: ['INICIS_UNIFIED'], pgCompanies: ['INICIS'], isTest: true, version: 'V2' } }), ['l-3', 'l-2', 'l-1']);
  assert.deepEqual(await ids({ filter: { pgProviders: ['INICIS_V2'] } }), []);
  const l3 = verified(sandbox, 'l-3');
  assert.deepEqual(await ids({ filter: { pgTxId: l3.pgTxId } }), ['l-3']);
  assert.deepEqual(await ids({ filter: { timeRangeField: 'VERIFIED_AT', from: new Date(start + 30_000).toISOString() } }), ['l-3']);
  assert.deepEqual(await ids({ filter: { until: new Date(start + 30_000).toISOString() } }), ['l-1']);
  assert.deepEqual(await ids({ sort: { by: 'VERIFIED_AT', order: 'ASC' }, filter: { statuses: ['VERIFIED'] } }), ['l-1', 'l-3']);
  assert.deepEqual(await ids({ filter: { timeRangeField: 'FAILED_AT' } }), ['l-2'], 'only a failed one has a failure time');
  const page = await identityVerification.getIdentityVerifications({ page: { number: 1, size: 2 } });
  assert.deepEqual([page.items.length, page.page], [1, { number: 1, size: 2, totalCount: 3 }]);
  await sandbox.advance(91 * 24 * 3_600_000);
  assert.deepEqual(await ids({}), [], 'older than 90 days');
  const bad = await rejection(identityVerification.getIdentityVerifications({ filter: { statuses: ['DONE' as 'VERIFIED'] } }));
  assert.ok(bad instanceof GetIdentityVerificationsError);
  assert.equal(bad.data.type, 'INVALID_REQUEST');
});

test('identity verifications persist across a restart, and reset() forgets them', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-identity-'));
  const persistPath = join(dir, 'state.json');
  const first = await createSandbox({ persistPath });
  await first.verifyIdentity({ identityVerificationId: 'keep-1' }, { result: 'approve', person: 'foreigner' });
  await first.close();
  const second = await createSandbox({ persistPath });
  t.after(() => second.close());
  assert.equal(second.identityVerification('keep-1')?.status, 'VERIFIED');
  assert.equal(second.channelKeys.identityVerification, first.channelKeys.identityVerification);
  const repeat = await rejection(second.verifyIdentity({ identityVerificationId: 'keep-1' }));
  assert.equal(repeat.code, 'IdentityVerificationAlreadyVerified');
  second.reset();
  assert.equal(second.identityVerification('keep-1'), undefined);
  assert.equal(second.env().PORTONE_IDENTITY_CHANNEL_KEY, second.channelKeys.identityVerification);
});

test('no webhook is sent for identity verifications (PortOne\'s 2024-04-25 webhooks have none)', async (t) => {
  const receiver = await startReceiver(t);
  const sandbox = await withSandbox(t, { webhookUrls: [receiver.url] });
  await sandbox.verifyIdentity({ identityVerificationId: 'w-1' });
  await sandbox.verifyIdentity({ identityVerificationId: 'w-2' }, { result: 'fail' });
  await sandbox.flushWebhooks();
  assert.deepEqual(sandbox.webhookDeliveries(), []);
  assert.equal(receiver.received.length, 0);
});
