// The store drivers are optional peer dependencies: a shop that only uses the elements installs
// neither. A kit whose driver is missing fails where it is created, with one line saying what to
// install — never an unhandled rejection; a kit given its own store needs neither.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const hide = new URL('./fixtures/hide-drivers.mjs', import.meta.url).pathname;
const kitModule = new URL('../../src/server/index.ts', import.meta.url).pathname;

/** Runs `script` (an ES module body with `kit` = the server entry) where neither driver is installed. */
function withoutDrivers(script: string) {
  const run = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--import', hide, '--input-type=module', '-e', `const kit = await import(${JSON.stringify(kitModule)});\n${script}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

const options = `{ portone: { apiSecret: 'secret-0123456789', storeId: 'store-1' }, webhookSecret: 'whsec_' + Buffer.from('x'.repeat(32)).toString('base64'), priceOrder: () => ({ orderName: 'x', totalAmount: 1, currency: 'KRW' }), logger: {} }`;

test('without better-sqlite3, the default store fails at createCheckoutServer with one line naming the package', () => {
  const { status, out } = withoutDrivers(`try { kit.createCheckoutServer(${options}); console.log('created'); } catch (e) { console.log('THROWN ' + e.message); }`);
  assert.equal(status, 0, out);
  assert.match(out, /^THROWN createCheckoutServer: the default SQLite store needs the better-sqlite3 package: npm install better-sqlite3/m);
  assert.doesNotMatch(out, /created|Unhandled|at /);
});

test('without pg, a postgres:// database fails at createCheckoutServer naming pg; options given lazily fail at ready, never unhandled', () => {
  const eager = withoutDrivers(`try { kit.createCheckoutServer({ ...${options}, database: 'postgres://x@127.0.0.1/db' }); } catch (e) { console.log('THROWN ' + e.message); }`);
  assert.match(eager.out, /^THROWN createCheckoutServer: database is a postgres:\/\/ URL, which needs the pg package: npm install pg$/m);
  const lazy = withoutDrivers(`const k = kit.createCheckoutServer(() => ({ ...${options}, database: 'postgres://x@127.0.0.1/db' })); await k.ready.catch((e) => console.log('READY ' + e.message)); const r = await k.fetch(new Request('http://shop.test/payments/x')); console.log('STATUS ' + r.status);`);
  assert.equal(lazy.status, 0, lazy.out);
  assert.match(lazy.out, /^READY createCheckoutServer: database is a postgres:\/\/ URL, which needs the pg package: npm install pg$/m);
  assert.match(lazy.out, /^STATUS 500$/m);
  assert.doesNotMatch(lazy.out, /Unhandled|ERR_UNHANDLED_REJECTION/);
});

test('with its own store, the kit needs neither driver', () => {
  const { status, out } = withoutDrivers(`
    const store = new Proxy({}, { get: (_, name) => name === 'ready' || name === 'close' ? async () => {} : name === 'getOrder' ? async () => undefined : undefined });
    const k = kit.createCheckoutServer({ ...${options}, store });
    await k.ready;
    const r = await k.fetch(new Request('http://shop.test/payments/pay_unknown'));
    console.log('STATUS ' + r.status);
    await k.close();`);
  assert.equal(status, 0, out);
  assert.match(out, /^STATUS 404$/m);
});
