// Per-client limits (demo/server/limits.ts, clients.ts): the prepare limit's token buckets, the
// admin's sign-in throttle, both in bounded memory, and the address a client is counted under.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { addressKey, clientAddress } from '../../demo/server/clients.js';
import { SignInThrottle, TokenBuckets } from '../../demo/server/limits.js';

/** A clock the test moves by hand. */
function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test('a token bucket lets `burst` through at once, then refuses until it refills at its rate', () => {
  const time = clock();
  const buckets = new TokenBuckets({ burst: 3, perMinute: 6, now: time.now });
  for (let i = 0; i < 3; i++) assert.equal(buckets.take('shopper'), undefined, `take ${i + 1} of the burst`);
  // Six a minute: a token every 10 s.
  assert.deepEqual(buckets.take('shopper'), { retryAfterSeconds: 10, first: true });
  assert.deepEqual(buckets.take('shopper'), { retryAfterSeconds: 10, first: false }, 'one streak of refusals is logged once');
  time.advance(4_000);
  assert.deepEqual(buckets.take('shopper'), { retryAfterSeconds: 6, first: false });
  time.advance(6_000);
  assert.equal(buckets.take('shopper'), undefined, 'one token after 10 s');
  assert.equal(buckets.take('shopper')?.first, true, 'a new streak after a token');
  // Another client has its own bucket.
  assert.equal(buckets.take('someone else'), undefined);
  // Refills stop at the burst, however long the client was away.
  time.advance(3_600_000);
  for (let i = 0; i < 3; i++) assert.equal(buckets.take('shopper'), undefined);
  assert.ok(buckets.take('shopper'));
});

test('token buckets remember at most maxKeys clients, forgetting the least recently seen', () => {
  const time = clock();
  const buckets = new TokenBuckets({ burst: 1, perMinute: 1, maxKeys: 100, now: time.now });
  assert.equal(buckets.take('kept'), undefined);
  for (let i = 0; i < 10_000; i++) {
    buckets.take(`flood-${i}`);
    // Seen again and again, `kept` stays among the most recent.
    if (i % 50 === 0) assert.ok(buckets.take('kept'), 'kept is still remembered (and empty)');
  }
  assert.equal(buckets.size, 100);
  assert.ok(buckets.take('flood-9999'), 'a recent client is remembered');
  assert.equal(buckets.take('flood-0'), undefined, 'a forgotten client starts with a full bucket');
  assert.throws(() => new TokenBuckets({ burst: 0, perMinute: 1 }), /burst: expected a whole number of at least 1, got 0/);
  assert.throws(() => new TokenBuckets({ burst: 1, perMinute: 0 }), /perMinute: expected a number above 0, got 0/);
});

test('the sign-in throttle: five free failures, then waits that double up to 15 minutes; a success clears them', () => {
  const time = clock();
  const throttle = new SignInThrottle({ now: time.now });
  for (let i = 0; i < 4; i++) assert.equal(throttle.failed('1.2.3.4'), 0);
  assert.equal(throttle.wait('1.2.3.4'), undefined);
  assert.equal(throttle.failed('1.2.3.4'), 0, 'the fifth failure is still free');
  const waits: number[] = [];
  for (let i = 0; i < 14; i++) {
    const wait = throttle.failed('1.2.3.4');
    waits.push(wait);
    assert.equal(throttle.wait('1.2.3.4'), wait, 'locked out for as long as failed() said');
    time.advance(wait * 1_000 - 1);
    assert.equal(throttle.wait('1.2.3.4'), 1, 'still locked a millisecond before the end');
    time.advance(1);
    assert.equal(throttle.wait('1.2.3.4'), undefined);
  }
  assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]);
  // A client's lockout is its own.
  assert.equal(throttle.wait('5.6.7.8'), undefined);
  throttle.succeeded('1.2.3.4');
  assert.equal(throttle.failed('1.2.3.4'), 0, 'after a success the count starts over');
});

test('the sign-in throttle forgets a client a day after its last failure, and at most maxKeys clients', () => {
  const time = clock();
  const throttle = new SignInThrottle({ now: time.now, maxKeys: 10 });
  for (let i = 0; i < 7; i++) throttle.failed('a');
  time.advance(24 * 3_600_000 + 1);
  assert.equal(throttle.failed('a'), 0, 'a day later the count started over');
  for (let i = 0; i < 6; i++) throttle.failed('b');
  assert.ok(throttle.wait('b'));
  for (let i = 0; i < 10; i++) throttle.failed(`other-${i}`);
  assert.equal(throttle.wait('b'), undefined, 'pushed out by ten newer clients');
});

test('the client address: the socket’s, or with --trust-proxy the last X-Forwarded-For entry', () => {
  assert.equal(clientAddress('10.0.0.5', '6.6.6.6', false), '10.0.0.5', 'without --trust-proxy the header is anyone’s to send');
  assert.equal(clientAddress('10.0.0.5', '203.0.113.9', true), '203.0.113.9');
  // Entries before the proxy's own are what the client claimed.
  assert.equal(clientAddress('10.0.0.5', '6.6.6.6, 203.0.113.9', true), '203.0.113.9');
  assert.equal(clientAddress('10.0.0.5', '2001:db8::1', true), '2001:db8::1');
  assert.equal(clientAddress('10.0.0.5', 'not-an-address', true), '10.0.0.5');
  assert.equal(clientAddress('10.0.0.5', undefined, true), '10.0.0.5');
  assert.equal(clientAddress(undefined, null, false), 'unknown');
});

test('addresses count per IPv4 address and per IPv6 /64', () => {
  assert.equal(addressKey('203.0.113.9'), '203.0.113.9');
  assert.equal(addressKey('::ffff:203.0.113.9'), '203.0.113.9');
  assert.equal(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:db8:1:2::9'), '2001:db8:1:2::/64', 'another address of the same /64');
  assert.equal(addressKey('2001:0db8:0001:0002::9'), '2001:db8:1:2::/64', 'leading zeros');
  assert.equal(addressKey('2001:db8::9'), '2001:db8:0:0::/64');
  assert.equal(addressKey('::1'), '0:0:0:0::/64');
  assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.equal(addressKey('64:ff9b:1:2::192.0.2.1'), '64:ff9b:1:2::/64');
  assert.notEqual(addressKey('2001:db8:1:2::1'), addressKey('2001:db8:1:3::1'));
});
