// The README's and docs/server.md's examples are these files, verbatim; here they run against the sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../../src/sandbox/index.js';
import { ERROR_CODES } from '../../src/server/index.js';

const root = new URL('../../', import.meta.url).pathname;
const example = (name: string) => readFileSync(join(root, 'test/server/examples', name), 'utf8').trim();
const read = (path: string) => readFileSync(join(root, path), 'utf8');

test('the README and docs/server.md show the examples exactly as they are tested', () => {
  for (const doc of ['README.md', 'docs/server.md']) {
    for (const name of ['checkout.ts', 'serve.ts']) assert.ok(read(doc).includes(example(name)), `${doc} shows test/server/examples/${name}`);
  }
});

test('docs/server.md lists every error code with its status', () => {
  const section = read('docs/server.md');
  for (const [code, status] of Object.entries(ERROR_CODES)) {
    assert.match(section, new RegExp(`\\| \`${code}\` \\| ${status} \\|`), `${code} (${status}) is in the error table`);
  }
});

test('the README example takes a payment through the sandbox and ships it once', async (t) => {
  const sandbox = await createSandbox({});
  const dir = mkdtempSync(join(tmpdir(), 'pck-example-'));
  Object.assign(process.env, {
    // What `npx portone-sandbox --env` prints for a .env file, as a shop would load it.
    ...sandbox.env(),
    PORTONE_ALLOW_TEST_CHANNELS: '1',
    CHECKOUT_DATABASE: join(dir, 'checkout.sqlite'),
  });
  const { kit, shipments } = await import('./examples/checkout.js');
  t.after(async () => {
    await kit.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const post = (path: string, body: unknown) =>
    kit.fetch(new Request(`http://shop.test/portone${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  const prepared = await (await post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }, { id: 'dripper', quantity: 1 }] })).json();
  assert.equal(prepared.totalAmount, 50_000);
  assert.equal(prepared.orderName, '커피 원두 1kg 외 1건');
  const result = await sandbox.pay({ paymentId: prepared.paymentId, orderName: prepared.orderName, totalAmount: prepared.totalAmount, currency: prepared.currency, channelKey: prepared.channelKey, customData: prepared.customData });
  const complete = await (await post('/payments/complete', result)).json();
  assert.equal(complete.order.status, 'PAID');
  await post('/payments/complete', result);
  assert.deepEqual(shipments.map((s) => s.orderId), [prepared.customData.orderId]);
  // A signed-in member: the session decides the customer, whatever id the browser claims.
  const { sessions } = await import('./examples/checkout.js');
  sessions.set('s3cr3t', { customerId: 'member-7', fullName: '김하나', email: 'hana@example.com' });
  const member = await kit.fetch(
    new Request('http://shop.test/portone/payments/prepare', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'sid=s3cr3t' },
      body: JSON.stringify({ items: [{ id: 'beans', quantity: 1 }], customer: { customerId: 'member-1', phoneNumber: '010-1234-5678' } }),
    }),
  );
  assert.deepEqual((await member.json()).customer, { customerId: 'member-7', fullName: '김하나', email: 'hana@example.com', phoneNumber: '010-1234-5678' });
  assert.equal((await kit.listOrders({ customerId: 'member-7' })).length, 1);
  const refused = await post('/payments/prepare', { items: [{ id: 'caviar', quantity: 1 }] });
  assert.equal(refused.status, 422);
  assert.deepEqual(await refused.json(), { code: 'BAD_CART', message: 'items: expected one of beans, dripper, got "caviar"' });
});

test('the README Node one-liner serves the kit; without PORTONE_ALLOW_TEST_CHANNELS=1 it fulfils no TEST-channel payment', async (t) => {
  const sandbox = await createSandbox({});
  const dir = mkdtempSync(join(tmpdir(), 'pck-serve-'));
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(root, 'test/server/examples/serve.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      ...sandbox.env(),
      PORTONE_ALLOW_TEST_CHANNELS: '',
      NODE_ENV: '',
      CHECKOUT_DATABASE: join(dir, 'checkout.sqlite'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(async () => {
    child.kill();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /checkout kit at (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve.ts exited with ${code}: ${out}`)));
  });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/portone$/);
  const response = await fetch(`${url}/payments/pay_unknown`);
  assert.equal(response.status, 404);
  assert.equal((await response.json()).code, 'ORDER_NOT_FOUND');
  // A production server whose environment says nothing about test channels: the sandbox's TEST channel is refused.
  const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const prepared = await (await post('/payments/prepare', { items: [{ id: 'beans', quantity: 1 }] })).json();
  const result = await sandbox.pay({ paymentId: prepared.paymentId, orderName: prepared.orderName, totalAmount: prepared.totalAmount, currency: prepared.currency, channelKey: prepared.channelKey, customData: prepared.customData });
  const complete = await post('/payments/complete', result);
  assert.equal(complete.status, 409);
  assert.equal((await complete.json()).code, 'TEST_CHANNEL_NOT_ALLOWED');
});
