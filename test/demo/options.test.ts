// `npm start`'s flags and environment (demo/server/options.ts): the maintenance timers, the kit's
// claim lease, the prepare limit and the proxy setting, each with a clear error naming the flag or
// variable that was wrong.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { redactUrl } from '../../demo/server/database.js';
import { DEFAULT_MAINTENANCE, DEFAULT_PREPARE_LIMIT, OptionsError, USAGE, readOptions } from '../../demo/server/options.js';

const DAY = 86_400_000;
const ENV = { ADMIN_PASSWORD: 'a-long-enough-password' };
const read = (argv: string[], env: NodeJS.ProcessEnv = {}) => readOptions(argv, { ...ENV, ...env });
const refused = (argv: string[], env: NodeJS.ProcessEnv, message: string | RegExp) =>
  assert.throws(
    () => read(argv, env),
    (error: unknown) => {
      assert.ok(error instanceof OptionsError, String(error));
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    },
  );

test('by default: reconcile every 5 minutes, prune daily what is idle 30 days, 20 prepares at once and 20 a minute, no proxy', () => {
  const options = read([]);
  assert.deepEqual(options.maintenance, { reconcileEveryMs: 300_000, pruneEveryMs: DAY, pruneAfterMs: 30 * DAY });
  assert.deepEqual(DEFAULT_MAINTENANCE, options.maintenance);
  assert.equal(options.reconcileAfterMs, undefined, 'the kit’s own default');
  assert.equal(options.claimLeaseMs, undefined, 'the kit’s own default');
  assert.deepEqual(options.prepareLimit, DEFAULT_PREPARE_LIMIT);
  assert.equal(options.trustProxy, false);
});

test('flags, or else the environment, set the timers in ms or with a unit; 0 and off turn a job off', () => {
  const flags = read(['--reconcile-every', '1500', '--reconcile-after=0', '--prune-every', 'off', '--prune-after', '2d', '--prepare-burst', '3', '--prepare-per-minute', '1', '--trust-proxy']);
  assert.deepEqual(flags.maintenance, { reconcileEveryMs: 1_500, pruneEveryMs: 0, pruneAfterMs: 2 * DAY });
  assert.equal(flags.reconcileAfterMs, 0);
  assert.deepEqual(flags.prepareLimit, { burst: 3, perMinute: 1 });
  assert.equal(flags.trustProxy, true);

  const env = read([], { RECONCILE_EVERY: '2m', RECONCILE_AFTER: '90s', PRUNE_EVERY: '12h', PRUNE_AFTER: '24h', PREPARE_BURST: '0', PREPARE_PER_MINUTE: '0', TRUST_PROXY: '1' });
  assert.deepEqual(env.maintenance, { reconcileEveryMs: 120_000, pruneEveryMs: 12 * 3_600_000, pruneAfterMs: DAY });
  assert.equal(env.reconcileAfterMs, 90_000);
  assert.equal(env.prepareLimit, undefined, 'both 0: no limit (load tests)');
  assert.equal(env.trustProxy, true);

  // A flag wins over its variable.
  assert.equal(read(['--reconcile-every', '0'], { RECONCILE_EVERY: '5m' }).maintenance.reconcileEveryMs, 0);
  assert.equal(read(['--claim-lease', '1s'], { CLAIM_LEASE: '2m' }).claimLeaseMs, 1_000);
  assert.equal(read([], { CLAIM_LEASE: '2m' }).claimLeaseMs, 120_000);
  assert.equal(read(['--claim-lease=300']).claimLeaseMs, 300, 'the kit’s minimum');
  assert.equal(read(['--claim-lease', '1d']).claimLeaseMs, DAY, 'the kit’s maximum');
  assert.equal(read(['--trust-proxy', '0'], { TRUST_PROXY: '1' }).trustProxy, false);
});

test('a bad duration or count names the flag or variable, what it expected, and what it got', () => {
  refused(['--reconcile-every', '5 minutes'], {}, '--reconcile-every: expected a duration like 300000 (ms), 90s, 5m, 2h or 1d, at most 24 days (0 or off: never); got "5 minutes"');
  refused([], { RECONCILE_EVERY: '-1' }, 'RECONCILE_EVERY: expected a duration like 300000 (ms), 90s, 5m, 2h or 1d, at most 24 days (0 or off: never); got "-1"');
  refused(['--prune-every', '30d'], {}, '--prune-every: expected a duration like 300000 (ms), 90s, 5m, 2h or 1d, at most 24 days (0 or off: never); got "30d"');
  refused(['--prune-after', '12h'], {}, '--prune-after: expected a duration like 300000 (ms), 90s, 5m, 2h or 1d, at least 1d and at most 10 years; got "12h"');
  refused(['--prune-after', 'off'], {}, '--prune-after: expected a duration like 300000 (ms), 90s, 5m, 2h or 1d, at least 1d and at most 10 years; got "off"');
  refused(['--reconcile-after', '1.5s'], {}, '--reconcile-after: expected a duration like 300000 (ms), 90s, 5m, 2h or 1d, at most 10 years; got "1.5s"');
  // The kit refuses a lease under 300 ms; one past a timer's reach would have its renewals overflow it; off would let any claim be taken at once.
  refused(['--claim-lease', '299'], {}, '--claim-lease: expected a duration like 300000 (ms), 90s, 5m, 2h or 1d, at least 300 ms and at most 1d; got "299"');
  refused(['--claim-lease', '2d'], {}, '--claim-lease: expected a duration like 300000 (ms), 90s, 5m, 2h or 1d, at least 300 ms and at most 1d; got "2d"');
  refused([], { CLAIM_LEASE: 'off' }, 'CLAIM_LEASE: expected a duration like 300000 (ms), 90s, 5m, 2h or 1d, at least 300 ms and at most 1d; got "off"');
  refused(['--prepare-burst', 'many'], {}, '--prepare-burst: expected a whole number from 0 to 1000000, got "many"');
  refused([], { PREPARE_PER_MINUTE: '2.5' }, 'PREPARE_PER_MINUTE: expected a whole number from 0 to 1000000, got "2.5"');
  refused(['--prepare-burst', '0'], {}, '--prepare-burst and --prepare-per-minute: expected both above 0 (a limit), or both 0 (no limit); got 0 and 20');
  refused([], { TRUST_PROXY: 'yes' }, 'TRUST_PROXY: expected 1 or 0 (true or false), got "yes"');
  refused(['--reconcile'], {}, /^unknown flag --reconcile; expected one of .*--reconcile-every/);
});

test('--help lists every new flag and variable', () => {
  for (const name of ['--reconcile-every', '--reconcile-after', '--prune-every', '--prune-after', '--claim-lease', '--prepare-burst', '--prepare-per-minute', '--trust-proxy', 'RECONCILE_EVERY', 'PRUNE_AFTER', 'CLAIM_LEASE', 'PREPARE_BURST', 'TRUST_PROXY']) {
    assert.ok(USAGE.includes(name), `USAGE lacks ${name}`);
  }
});

test('--database (or DATABASE_URL) puts the kit on PostgreSQL; anything but a postgres:// URL is refused without echoing a password', () => {
  assert.equal(read([]).database, undefined, 'SQLite in the data directory');
  assert.equal(read([], { DATABASE_URL: '' }).database, undefined, 'an empty variable is no setting');
  assert.equal(read(['--database', 'postgres://shop:pw@db.internal:5432/dalbit']).database, 'postgres://shop:pw@db.internal:5432/dalbit');
  assert.equal(read([], { DATABASE_URL: 'postgresql://shop@localhost/dalbit' }).database, 'postgresql://shop@localhost/dalbit');
  assert.equal(read(['--database=postgres://a@b/c'], { DATABASE_URL: 'postgres://x@y/z' }).database, 'postgres://a@b/c', 'the flag wins');
  refused(['--database', 'mysql://shop:hunter2-secret@db/dalbit'], {}, /^--database: expected a PostgreSQL URL like postgres:\/\/user:password@host:5432\/database .*got "mysql:\/\/shop:\*\*\*@db\/dalbit"$/);
  refused([], { DATABASE_URL: 'hunter2-secret' }, /^DATABASE_URL: expected a PostgreSQL URL .*got \(14 characters that are not a URL\)$/);
  for (const name of ['--database', 'DATABASE_URL']) assert.ok(USAGE.includes(name), `USAGE lacks ${name}`);
});

test('redactUrl shows a connection string without its password', () => {
  assert.equal(redactUrl('postgres://shop:s3cr%40t@db:5432/dalbit?sslmode=require'), 'postgres://shop:***@db:5432/dalbit?sslmode=require');
  assert.equal(redactUrl('postgres://shop@db/dalbit?password=s3cret'), 'postgres://shop@db/dalbit?password=***');
  assert.equal(redactUrl('postgres://db/dalbit'), 'postgres://db/dalbit');
});

test('against PortOne, PORTONE_LIMITED_CHANNEL_KEY and PORTONE_IDENTITY_CHANNEL_KEY name the small batches’ and the adult-only product’s channels; without them, neither is set', () => {
  const portone = { PORTONE_STORE_ID: 'store-1', PORTONE_CHANNEL_KEY: 'channel-key-pay', PORTONE_API_SECRET: 'secret', PORTONE_WEBHOOK_SECRET: 'whsec' };
  const keys = (env: NodeJS.ProcessEnv) => {
    const settings = read([], env).portone;
    assert.equal(settings.mode, 'portone');
    return settings.mode === 'portone' ? settings.channelKeys : undefined;
  };
  assert.deepEqual(keys({ ...portone, PORTONE_LIMITED_CHANNEL_KEY: 'channel-key-manual', PORTONE_IDENTITY_CHANNEL_KEY: 'channel-key-unified' }), {
    payment: 'channel-key-pay',
    billingKey: 'channel-key-pay',
    billingKeyAndPay: 'channel-key-pay',
    limited: 'channel-key-manual',
    identity: 'channel-key-unified',
  });
  const plain = keys(portone)!;
  assert.equal('limited' in plain || 'identity' in plain, false);
  assert.ok(USAGE.includes('PORTONE_IDENTITY_CHANNEL_KEY'));
});
