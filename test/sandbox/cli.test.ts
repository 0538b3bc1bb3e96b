// The `portone-sandbox` command: flags, the printed URLs and credentials, faults from flags, and
// a clean stop on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PortOneClient } from '@portone/server-sdk';
import { GetPaymentError } from '@portone/server-sdk/payment';
import { parseArgs, USAGE } from '../../src/sandbox/cli.js';
import { rejection, startReceiver, verifyAll } from './support.js';

const bin = new URL('../../bin/portone-sandbox.js', import.meta.url).pathname;
const fromSource = new URL('./cli-from-source.ts', import.meta.url).pathname;

/** `portone-sandbox <args>` from the TypeScript source, whatever `dist` holds: the code under test, not an older build. */
const runCli = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', fromSource, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

test('parseArgs: every flag maps to a createSandbox option; bad values are named', () => {
  const { options, quiet, json } = parseArgs([
    '--port', '8787', '--host', '0.0.0.0', '--store-id', 'store-cli', '--api-secret', 'secret-1', '--store-name', '달빛 커피',
    '--webhook-url', 'http://127.0.0.1:3000/portone/webhooks', '--webhook-url=http://127.0.0.1:3001/hooks',
    '--webhook-secret', 'whsec_YWFh', '--webhook-secret', 'whsec_YmJi', '--retry-delays', '0,1000,5000',
    '--persist', '/tmp/sandbox.json', '--clock', 'manual', '--now', '2026-01-01T09:00:00+09:00', '--webhook-timeout', '2000',
    '--fail-rate', '0.3', '--fail-rate', '1@GET /payments/:id', '--failure-status', '503@GET /payments/:id', '--latency', '50', '--hang-rate', '0.1@POST /payments/:id/cancel',
    '--webhook-drop', '0.2', '--webhook-duplicate', '0.1', '--webhook-delay', '100', '--webhook-reorder', '--seed', '42', '--quiet', '--json',
  ]);
  assert.equal(quiet, true);
  assert.equal(json, true);
  assert.deepEqual(options, {
    port: 8787,
    host: '0.0.0.0',
    storeId: 'store-cli',
    apiSecret: 'secret-1',
    storeName: '달빛 커피',
    webhookUrls: ['http://127.0.0.1:3000/portone/webhooks', 'http://127.0.0.1:3001/hooks'],
    webhookSecret: ['whsec_YWFh', 'whsec_YmJi'],
    webhookRetryDelaysMs: [0, 1000, 5000],
    persistPath: '/tmp/sandbox.json',
    clock: 'manual',
    now: Date.parse('2026-01-01T00:00:00Z'),
    webhookTimeoutMs: 2000,
    faults: {
      seed: 42,
      webhooks: { dropRate: 0.2, duplicateRate: 0.1, delayMs: 100, reorder: true },
      routes: {
        '*': { failureRate: 0.3, latencyMs: 50 },
        'GET /payments/:id': { failureRate: 1, failureStatus: 503 },
        'POST /payments/:id/cancel': { hangRate: 0.1 },
      },
    },
  });
  assert.deepEqual(parseArgs([]).options, { port: 8787 });
  const bad: [string[], RegExp][] = [
    [['--port', 'x'], /--port: expected an integer from 0 to 65535, got "x"/],
    [['--fail-rate', '2'], /--fail-rate: expected a number from 0 to 1, got "2"/],
    [['--fail-rate', '0.5@payments'], /routes look like "GET \/payments\/:id"/],
    [['--failure-status', '418'], /500, 502, 503 or 504/],
    [['--clock', 'fast'], /--clock: expected real or manual/],
    [['--webhook-url', 'ftp://x'], /--webhook-url: expected an http\(s\) URL/],
    [['--port'], /--port: expected a value/],
    [['--bogus'], /Unknown option "--bogus"/],
  ];
  for (const [argv, message] of bad) assert.throws(() => parseArgs(argv), message);
  assert.match(USAGE, /--webhook-url <url>/);
});

test('npx portone-sandbox prints URLs and credentials, serves the API with flag faults, and stops on SIGTERM', async (t) => {
  const receiver = await startReceiver(t);
  const child = runCli(['--port', '0', '--json', '--quiet', '--webhook-url', receiver.url, '--fail-rate', '1@GET /payments/:id', '--store-name', '달빛 커피']);
  t.after(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  const [first] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => { throw new Error(`exited early: ${stderr}`); })])) as [string];
  const info = JSON.parse(first) as { url: string; sdkUrl: string; dashboardUrl: string; storeId: string; apiSecret: string; webhookSecret: string; controlToken: string; channelKeys: { payment: string } };
  assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(info.sdkUrl, `${info.url}/v2/browser-sdk.js`);
  assert.match(info.webhookSecret, /^whsec_/);
  const client = PortOneClient({ secret: info.apiSecret, baseUrl: info.url });
  await client.payment.payInstantly({
    paymentId: 'cli-1',
    channelKey: info.channelKeys.payment,
    method: { card: { credential: { number: '4242424242424242', expiryYear: '39', expiryMonth: '12' } } },
    orderName: 'CLI',
    amount: { total: 1_000 },
    currency: 'KRW',
    customer: { name: { full: '홍길동' }, phoneNumber: '010-0000-0000', email: 'a@example.com' },
  });
  const failed = await rejection(client.payment.getPayment({ paymentId: 'cli-1' }));
  assert.ok(failed instanceof GetPaymentError);
  assert.equal(failed.data.type, 'INTERNAL_SERVER_ERROR', '--fail-rate applies to that route');
  assert.equal((await client.payment.getPayments({})).page.totalCount, 1);
  const deadline = Date.now() + 20_000;
  while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual((await verifyAll(info.webhookSecret, receiver.received)).map((w) => w.type), ['Transaction.Paid']);
  const sdk = await fetch(info.sdkUrl);
  assert.match(await sdk.text(), /PortOne/);
  // The printed control token opens the controls; nothing else does.
  assert.equal(info.dashboardUrl, `${info.url}/sandbox/#token=${info.controlToken}`);
  assert.equal((await fetch(`${info.url}/sandbox/state`, { headers: { 'x-portone-sandbox-token': info.controlToken } })).status, 200);
  assert.equal((await fetch(`${info.url}/sandbox/state`)).status, 401);

  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 0, stderr);
});

test('portone-sandbox --help prints usage; a bad flag exits 2 with the reason', async () => {
  const run = (args: string[]) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = runCli(args);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /Usage: portone-sandbox/);
  const bad = await run(['--port', 'abc']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /portone-sandbox: --port: expected an integer/);
});

test('bin/portone-sandbox.js: a checkout runs the source even when an older dist exists; an installed package runs dist', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-bin-'));
  try {
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'dist/sandbox'), { recursive: true });
    mkdirSync(join(dir, 'src/sandbox'), { recursive: true });
    copyFileSync(bin, join(dir, 'bin/portone-sandbox.js'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    symlinkSync(new URL('../../node_modules', import.meta.url).pathname, join(dir, 'node_modules'));
    writeFileSync(join(dir, 'dist/sandbox/cli.js'), 'export function main() { console.log("dist"); }\n');
    writeFileSync(join(dir, 'src/sandbox/cli.ts'), 'export function main(argv: readonly string[]): void { console.log(`source ${argv.join(" ")}`); }\n');
    const which = () => {
      const run = spawnSync(process.execPath, [join(dir, 'bin/portone-sandbox.js'), '--port', '0'], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      return run.stdout.trim();
    };
    writeFileSync(join(dir, 'tsconfig.json'), '{}');
    assert.equal(which(), 'source --port 0', 'a checkout (tsconfig.json + source + tsx) runs the source');
    rmSync(join(dir, 'tsconfig.json'));
    assert.equal(which(), 'dist', 'an installed package runs its build');
    rmSync(join(dir, 'dist'), { recursive: true });
    assert.equal(which(), 'source --port 0', 'no build: the source through tsx');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
