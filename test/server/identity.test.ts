// Identity verification (본인인증) end to end against the sandbox's KG Inicis 통합인증: the kit prepares
// the id, reads PortOne's verification and checks it — verified, this channel, the customer it was
// prepared for, the shop's rules — records the outcome once, and hands the shop's hook the person,
// who never reaches the database, the log or a response.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { PreparedIdentityVerification } from '../../src/contract.js';
import type { SandboxChannel, SandboxIdentityOutcome } from '../../src/sandbox/index.js';
import { TEST_PERSONS } from '../../src/sandbox/index.js';
import type { CheckoutServerOptions, IdentityVerifiedEvent } from '../../src/server/index.js';
import { eventually, startEnv, type Env } from './harness.js';

const UNDER_AGE = '만 19세 이상만 구매할 수 있습니다.';

async function identityEnv(t: Parameters<typeof startEnv>[0], options: Partial<CheckoutServerOptions> = {}, channels?: SandboxChannel[]) {
  const verified: IdentityVerifiedEvent[] = [];
  const env = await startEnv(t, {
    ...(channels ? { sandbox: { channels } } : {}),
    kit: (sandbox) => ({
      identityVerification: { channelKey: sandbox.channelKeys.identityVerification, minimumAge: 19, shopperMessages: { UNDER_AGE }, ...options.identityVerification },
      onIdentityVerified: (event) => void verified.push(event),
      ...options,
      ...(options.identityVerification ? { identityVerification: { channelKey: sandbox.channelKeys.identityVerification, ...options.identityVerification } } : {}),
    }),
  });
  return { env, verified };
}

async function prepare(env: Env, body: unknown = { customer: { customerId: 'member-1', fullName: '홍길동', phoneNumber: '010-1234-5678' } }): Promise<PreparedIdentityVerification> {
  const answer = await env.post('/identity-verifications/prepare', body);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as PreparedIdentityVerification;
}

/** The window, with what the prepare answered (as the element passes it). */
function verify(env: Env, prepared: PreparedIdentityVerification, outcome: SandboxIdentityOutcome, amend: Record<string, unknown> = {}) {
  return env.sandbox.verifyIdentity(
    {
      identityVerificationId: prepared.identityVerificationId,
      ...(prepared.channelKey ? { channelKey: prepared.channelKey } : {}),
      ...(prepared.customer ? { customer: prepared.customer } : {}),
      customData: JSON.stringify(prepared.customData),
      ...amend,
    } as never,
    outcome,
  );
}

const complete = (env: Env, result: unknown) => env.post('/identity-verifications/complete', result);

test('an adult verifies: the kit checks PortOne’s verification, records it once, the hook gets the person; the browser learns only that it passed', async (t) => {
  const { env, verified } = await identityEnv(t);
  const prepared = await prepare(env);
  assert.equal(prepared.channelKey, env.sandbox.channelKeys.identityVerification);
  assert.equal(prepared.customer?.customerId, 'member-1');
  const result = await verify(env, prepared, { result: 'approve', person: 'adult' });
  const answer = await complete(env, result);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.deepEqual(Object.keys(answer.body.identityVerification).sort(), ['identityVerificationId', 'minimumAge', 'status', 'verifiedAt']);
  assert.deepEqual([answer.body.identityVerification.status, answer.body.identityVerification.minimumAge], ['VERIFIED', 19]);
  await eventually(() => verified.length === 1, 'onIdentityVerified');
  const [event] = verified;
  const adult = env.sandbox.testPerson('adult');
  assert.deepEqual([event!.person.name, event!.person.birthDate, event!.person.phoneNumber, event!.person.gender], [adult.name, adult.birthDate, adult.phoneNumber, adult.gender]);
  assert.equal(event!.person.ci, undefined, 'no CI unless the shop asks for it');
  assert.equal(event!.customer?.customerId, 'member-1');
  const record = await env.kit.getIdentityVerification(prepared.identityVerificationId);
  assert.deepEqual([record?.status, record?.customerId], ['VERIFIED', 'member-1']);

  // Again (the redirect after the promise), twice at once: the same answer, the hook once.
  const again = await Promise.all([complete(env, result), complete(env, result)]);
  assert.deepEqual(again.map((a) => [a.status, a.body.identityVerification.status]), [[200, 'VERIFIED'], [200, 'VERIFIED']]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(verified.length, 1);

  // Personal data never leaves PortOne and the hook: not in a response, not in the log.
  const everything = [...env.bodies, ...env.logs].join('\n');
  for (const secret of [adult.birthDate, adult.ci!, adult.phoneNumber.replace(/\D/g, '')]) assert.ok(!everything.includes(secret), `leaked ${secret}`);
});

test('minimum age in Korea’s calendar: 19 today passes, 19 tomorrow and 17 are refused with the shop’s words, recorded, never handed to the hook', async (t) => {
  const { env, verified } = await identityEnv(t);
  const outcomes: [string, number, string | undefined][] = [];
  for (const person of ['turned19Today', 'turns19Tomorrow', 'minor'] as const) {
    const prepared = await prepare(env, { customer: { customerId: `member-${person}` } });
    const answer = await complete(env, await verify(env, prepared, { result: 'approve', person }));
    outcomes.push([person, answer.status, answer.body.code ?? answer.body.identityVerification?.status]);
    if (answer.status === 409) {
      assert.equal(answer.body.shopperMessage, UNDER_AGE);
      assert.match(answer.body.message, /age expected at least 19, got a younger person \(UNDER_AGE\)/);
      const again = await complete(env, { identityVerificationId: prepared.identityVerificationId });
      assert.deepEqual([again.status, again.body.code, again.body.shopperMessage], [409, 'IDENTITY_REJECTED', UNDER_AGE], 'the same every time');
      assert.equal((await env.kit.getIdentityVerification(prepared.identityVerificationId))?.rejection?.code, 'UNDER_AGE');
    }
  }
  assert.deepEqual(outcomes, [
    ['turned19Today', 200, 'VERIFIED'],
    ['turns19Tomorrow', 409, 'IDENTITY_REJECTED'],
    ['minor', 409, 'IDENTITY_REJECTED'],
  ]);
  await env.sandbox.flushWebhooks();
  await eventually(() => verified.length === 1, 'the adult only');
  assert.equal(verified[0]!.customer?.customerId, 'member-turned19Today');
});

test('not verified yet, failed or cancelled: 409 IDENTITY_NOT_VERIFIED, nothing recorded, and the same id verifies later', async (t) => {
  const { env, verified } = await identityEnv(t);
  const prepared = await prepare(env);
  const early = await complete(env, { identityVerificationId: prepared.identityVerificationId });
  assert.deepEqual([early.status, early.body.code], [409, 'IDENTITY_NOT_VERIFIED']);
  assert.match(early.body.message, /PortOne has no identity verification .*: expected the verification window to have been completed first/);
  for (const outcome of [{ result: 'fail' as const, pgCode: 'I102' }, { result: 'cancel' as const }]) {
    const result = await verify(env, prepared, outcome);
    assert.equal(typeof result.code, 'string');
    const answer = await complete(env, result);
    assert.deepEqual([answer.status, answer.body.code], [409, 'IDENTITY_NOT_VERIFIED'], JSON.stringify(answer.body));
    assert.equal((await env.kit.getIdentityVerification(prepared.identityVerificationId))?.status, 'PENDING');
  }
  const answer = await complete(env, await verify(env, prepared, { result: 'approve' }));
  assert.deepEqual([answer.status, answer.body.identityVerification?.status], [200, 'VERIFIED']);
  await eventually(() => verified.length === 1, 'onIdentityVerified');
  const unknown = await complete(env, { identityVerificationId: 'idv_nope' });
  assert.deepEqual([unknown.status, unknown.body.code], [404, 'IDENTITY_VERIFICATION_NOT_FOUND']);
});

test('a verification of another customer (the page changed the customer id) is refused', async (t) => {
  const { env, verified } = await identityEnv(t);
  const prepared = await prepare(env);
  const result = await verify(env, prepared, { result: 'approve' }, { customer: { ...prepared.customer, customerId: 'member-2' } });
  const answer = await complete(env, result);
  assert.deepEqual([answer.status, answer.body.code], [409, 'IDENTITY_REJECTED']);
  assert.match(answer.body.message, /CUSTOMER_MISMATCH/);
  assert.equal(answer.body.shopperMessage, undefined, 'no words the shop did not write');
  assert.equal(verified.length, 0);
});

test('a verification on another identity channel than the shop’s is refused; a TEST channel without allowTestChannels too', async (t) => {
  const channels: SandboxChannel[] = [
    { key: 'channel-pay', name: 'KG이니시스 일반결제 (테스트)', type: 'TEST', pgProvider: 'INICIS_V2', pgMerchantId: 'INIpayTest' },
    { key: 'channel-identity', name: 'KG이니시스 통합인증 (테스트)', type: 'TEST', pgProvider: 'INICIS_UNIFIED' as never, pgMerchantId: 'INIiasTest' },
    { key: 'channel-identity-other', name: '다른 통합인증', type: 'TEST', pgProvider: 'INICIS_UNIFIED' as never, pgMerchantId: 'INIiasTest' },
  ];
  const { env } = await identityEnv(t, {}, channels);
  const prepared = await prepare(env);
  assert.equal(prepared.channelKey, 'channel-identity');
  const other = await complete(env, await verify(env, prepared, { result: 'approve' }, { channelKey: 'channel-identity-other' }));
  assert.deepEqual([other.status, other.body.code], [409, 'IDENTITY_REJECTED']);
  assert.match(other.body.message, /CHANNEL_MISMATCH/);

  const { env: live } = await identityEnv(t, { allowTestChannels: false });
  const onTest = await complete(live, await verify(live, await prepare(live), { result: 'approve' }));
  assert.deepEqual([onTest.status, onTest.body.code], [409, 'IDENTITY_REJECTED']);
  assert.match(onTest.body.message, /TEST_CHANNEL/);
});

test('matchCustomer: the verified name (and phone) must be the customer’s; prepare without a name is refused', async (t) => {
  const { env, verified } = await identityEnv(t, { identityVerification: { matchCustomer: true } });
  const refused = await env.post('/identity-verifications/prepare', { customer: { customerId: 'member-1' } });
  assert.deepEqual([refused.status, refused.body.code], [400, 'INVALID_REQUEST']);
  assert.match(refused.body.message, /customer.fullName: expected the name the verified person must have \(identityVerification.matchCustomer is on\), got nothing/);

  const adult = env.sandbox.testPerson('adult');
  const same = await complete(env, await verify(env, await prepare(env, { customer: { customerId: 'member-1', fullName: adult.name, phoneNumber: adult.phoneNumber } }), { result: 'approve', person: 'adult' }));
  assert.equal(same.status, 200, JSON.stringify(same.body));
  const otherName = await complete(env, await verify(env, await prepare(env, { customer: { customerId: 'member-2', fullName: '김철수' } }), { result: 'approve', person: 'adult' }));
  assert.match(otherName.body.message, /NAME_MISMATCH/);
  const otherPhone = await complete(env, await verify(env, await prepare(env, { customer: { customerId: 'member-3', fullName: adult.name, phoneNumber: '010-9999-0000' } }), { result: 'approve', person: 'adult' }));
  assert.match(otherPhone.body.message, /PHONE_MISMATCH/);
  await eventually(() => verified.length === 1, 'once');
});

test('matchCustomer with identifyCustomer: the account’s name and phone are matched, not a name typed in the page', async (t) => {
  const adult = TEST_PERSONS.find((p) => p.key === 'adult')!;
  const { env, verified } = await identityEnv(t, {
    identityVerification: { matchCustomer: true },
    // The session's member: a name other than the person who will verify.
    identifyCustomer: () => ({ customerId: 'alice', fullName: '이앨리스', phoneNumber: '010-1111-2222' }),
  });
  // The page types the verifying person's name and phone; the account's still decide.
  const typed = await prepare(env, { customer: { fullName: adult.name, phoneNumber: adult.phoneNumber } });
  assert.deepEqual([typed.customer?.customerId, typed.customer?.fullName], ['alice', '이앨리스'], 'the window is asked with the account’s name');
  const answer = await complete(env, await verify(env, typed, { result: 'approve', person: 'adult' }));
  assert.deepEqual([answer.status, answer.body.code], [409, 'IDENTITY_REJECTED'], JSON.stringify(answer.body));
  assert.match(answer.body.message, /NAME_MISMATCH/);
  assert.equal((await env.kit.getIdentityVerification(typed.identityVerificationId))?.status, 'REJECTED');
  await env.sandbox.flushWebhooks();
  assert.equal(verified.length, 0, 'never handed to onIdentityVerified');
});

test('one account per person: a CI linked to another customer is refused; no CI (카카오) cannot be checked; includeCi hands the CI to the hook', async (t) => {
  const links = new Map<string, string>();
  const { env, verified } = await identityEnv(t, {
    identityVerification: { includeCi: true, linkedCustomer: (ci) => links.get(ci) },
    onIdentityVerified: (event) => {
      links.set(event.person.ci!, event.customer!.customerId!);
      verified.push(event);
    },
  });
  const first = await complete(env, await verify(env, await prepare(env, { customer: { customerId: 'member-1' } }), { result: 'approve', person: 'adult' }));
  assert.equal(first.status, 200);
  await eventually(() => verified.length === 1, 'linked');
  assert.equal(verified[0]!.person.ci, TEST_PERSONS.find((p) => p.key === 'adult')!.ci);
  const same = await complete(env, await verify(env, await prepare(env, { customer: { customerId: 'member-1' } }), { result: 'approve', person: 'adult' }));
  assert.equal(same.status, 200, 'the same customer again');
  const second = await complete(env, await verify(env, await prepare(env, { customer: { customerId: 'member-2' } }), { result: 'approve', person: 'adult' }));
  assert.deepEqual([second.status, second.body.code], [409, 'IDENTITY_REJECTED']);
  assert.match(second.body.message, /ALREADY_LINKED/);
  const guest = await complete(env, await verify(env, await prepare(env, { customer: {} }), { result: 'approve', person: 'adult' }));
  assert.match(guest.body.message, /ALREADY_LINKED/, 'a guest is not the linked customer either');
  const noCi = await complete(env, await verify(env, await prepare(env, { customer: { customerId: 'member-4' } }), { result: 'approve', person: 'noCi' }));
  assert.match(noCi.body.message, /CI_UNAVAILABLE/);
});

test('a shop hook that throws is retried; a linkedCustomer that throws is the shop’s 500 and records nothing', async (t) => {
  let failures = 1;
  const verified: IdentityVerifiedEvent[] = [];
  let broken = true;
  const { env } = await identityEnv(t, {
    identityVerification: {
      linkedCustomer: () => {
        if (broken) throw new Error('member database down');
        return undefined;
      },
    },
    onIdentityVerified: (event) => {
      if (failures-- > 0) throw new Error('crm down');
      verified.push(event);
    },
    hookRetry: { maxAttempts: 5, baseDelayMs: 1 },
  });
  const prepared = await prepare(env);
  const result = await verify(env, prepared, { result: 'approve' });
  const down = await complete(env, result);
  assert.deepEqual([down.status, down.body.code], [500, 'SHOP_CONFIGURATION']);
  assert.equal((await env.kit.getIdentityVerification(prepared.identityVerificationId))?.status, 'PENDING');
  broken = false;
  const up = await complete(env, result);
  assert.equal(up.status, 200);
  await eventually(async () => (await env.kit.runDueEvents(), verified.length === 1), 'the hook retried');
});
