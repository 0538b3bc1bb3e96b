// The `portone-sandbox` command: flags, the printed URLs and credentials (or --env lines), faults
// from flags, a clean stop on SIGTERM, a one-line error for a taken port, and the trigger, replay
// and tail subcommands against a running sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PortOneClient } from '@portone/server-sdk';
import { parseArgs, USAGE } from '../../src/sandbox/cli.js';
import type { SandboxWebhookDelivery } from '../../src/sandbox/index.js';
import { eventually, rejection, startReceiver, verifyAll } from './support.js';

const bin = new URL('../../bin/portone-sandbox.js', import.meta.url).pathname;
const fromSource = new URL('./cli-from-source.ts', import.meta.url).pathname;

/** `portone-sandbox <args>` from the TypeScript source, whatever `dist` holds: the code under test, not an older build. */
const runCli = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', fromSource, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

test('parseArgs: every flag maps to a createSandbox option; bad values are named', () => {
  const { options, quiet, json } = parseArgs([
    '--port', '8787', '--host', '0.0.0.0', '--store-id', 'store-cli', '--api-secret', 'secret-1', '--store-name', '달빛 커피',
    '--webhook-url', 'http://127.0.0.1:3000/portone/webhooks', '--webhook-url=http://127.0.0.1:3001/hooks',
    '--webhook-secret', 'whsec_YWFh', '--webhook-secret', 'whsec_YmJi', '--retry-delays', '0,1000,5000',
    '--persist', '/tmp/sandbox.json', '--clock', 'manual', '--now', '2026-01-01T09:00:00+09:00', '--webhook-timeout', '2000', '--manual-approval-ttl', '300000',
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
    manualApprovalTtlMs: 300_000,
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
    [['--manual-approval-ttl', '0'], /--manual-approval-ttl: expected an integer from 1 to 86400000, got "0"/],
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
  assert.ok(failed instanceof SyntaxError, '--fail-rate answers that route with a gateway page');
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

/** Runs `portone-sandbox <args>` to its end: exit code and output. */
function runToEnd(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fromSource, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORTONE_API_URL: '', PORTONE_SANDBOX_TOKEN: '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** A server-mode `portone-sandbox --env`: its PORTONE_* variables, parsed. */
async function startEnvSandbox(t: import('node:test').TestContext, extra: string[] = []): Promise<Record<string, string>> {
  const child = runCli(['--port', '0', '--env', '--quiet', ...extra]);
  t.after(() => child.kill('SIGKILL'));
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c));
  const lines = createInterface({ input: child.stdout });
  const env: Record<string, string> = {};
  for await (const line of lines) {
    const [key, ...value] = line.split('=');
    env[key!] = value.join('=');
    if (key === 'PORTONE_SANDBOX_TOKEN') break;
  }
  assert.ok(env.PORTONE_API_URL, `the sandbox printed its variables: ${err}`);
  return env;
}

test('--env prints the credentials as PORTONE_* lines ready for a .env file (and only them on stdout)', async (t) => {
  const env = await startEnvSandbox(t);
  assert.deepEqual(Object.keys(env), ['PORTONE_API_URL', 'PORTONE_STORE_ID', 'PORTONE_CHANNEL_KEY', 'PORTONE_BILLING_CHANNEL_KEY', 'PORTONE_PHONE_BILLING_CHANNEL_KEY', 'PORTONE_IDENTITY_CHANNEL_KEY', 'PORTONE_API_SECRET', 'PORTONE_WEBHOOK_SECRET', 'PORTONE_SDK_URL', 'PORTONE_SANDBOX_TOKEN']);
  assert.match(env.PORTONE_WEBHOOK_SECRET!, /^whsec_/);
  const client = PortOneClient({ secret: env.PORTONE_API_SECRET!, storeId: env.PORTONE_STORE_ID!, baseUrl: env.PORTONE_API_URL! });
  assert.equal((await client.payment.getPayments({})).page.totalCount, 0);
  assert.equal((await fetch(`${env.PORTONE_API_URL}/sandbox/state`, { headers: { 'x-portone-sandbox-token': env.PORTONE_SANDBOX_TOKEN! } })).status, 200);
  assert.match(await (await fetch(env.PORTONE_SDK_URL!)).text(), /PortOne/);
});

test('a taken port is one line naming the flag to change, no stack trace, exit 1', async (t) => {
  const holder = (await import('node:http')).createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  t.after(() => holder.close());
  const port = (holder.address() as { port: number }).port;
  const run = await runToEnd(['--port', String(port), '--quiet']);
  assert.equal(run.code, 1);
  assert.equal(run.err.trim().split('\n').length, 1, run.err);
  assert.match(run.err, new RegExp(`^portone-sandbox: port ${port} on 127\\.0\\.0\\.1 is already in use: pass --port <n> \\(0 picks a free one\\)`));
  assert.doesNotMatch(run.err, /\n\s+at /);
});

test('the start banner names the control token and the elements\' sdk-url attribute, not __INTERNAL__setPortOneSdkUrl', async (t) => {
  const child = runCli(['--port', '0', '--quiet']);
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  for await (const chunk of child.stdout) {
    out += chunk;
    if (out.includes('Stop with Ctrl+C')) break;
  }
  assert.match(out, /sdk-url="http:\/\/127\.0\.0\.1:\d+\/v2\/browser-sdk\.js"/);
  assert.match(out, /Control token\s+\S{24,}/);
  assert.doesNotMatch(out, /__INTERNAL__/);
});

test('trigger, replay and tail against a running sandbox, end to end (human and JSON lines); one-line errors', async (t) => {
  const receiver = await startReceiver(t);
  const env = await startEnvSandbox(t, ['--webhook-url', receiver.url]);
  const toolEnv = { PORTONE_API_URL: env.PORTONE_API_URL!, PORTONE_SANDBOX_TOKEN: env.PORTONE_SANDBOX_TOKEN! };

  const tail = spawn(process.execPath, ['--import', 'tsx', fromSource, 'tail', '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...toolEnv } });
  t.after(() => tail.kill('SIGKILL'));
  const tailed: SandboxWebhookDelivery[] = [];
  createInterface({ input: tail.stdout }).on('line', (line) => tailed.push(JSON.parse(line) as SandboxWebhookDelivery));
  const human = spawn(process.execPath, ['--import', 'tsx', fromSource, 'tail', '--url', env.PORTONE_API_URL!, '--token', env.PORTONE_SANDBOX_TOKEN!], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORTONE_API_URL: '', PORTONE_SANDBOX_TOKEN: '' } });
  t.after(() => human.kill('SIGKILL'));
  let humanOut = '';
  human.stdout.on('data', (c: Buffer) => (humanOut += c));
  // Both tails listen once the sandbox has two delivery streams open.
  const tails = async () => ((await (await fetch(`${env.PORTONE_API_URL}/sandbox/state`, { headers: { 'x-portone-sandbox-token': env.PORTONE_SANDBOX_TOKEN! } })).json()) as { tails: number }).tails;
  for (const until = Date.now() + 30_000; (await tails()) < 2; ) {
    assert.ok(Date.now() < until, 'both tails connected');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await eventually(() => /Tailing webhook deliveries of http:\/\/127\.0\.0\.1:\d+ \(Ctrl\+C stops\)/.test(humanOut), 'the human tail says it listens');

  const triggered = await runToEnd(['trigger', 'Transaction.Paid'], toolEnv);
  assert.equal(triggered.code, 0, triggered.err);
  const paymentId = /Transaction\.Paid for payment (\S+)/.exec(triggered.out)?.[1];
  assert.ok(paymentId, triggered.out);
  assert.match(triggered.out, /Transaction\.Ready → \S+ {2}attempt 1: 200 in \d+ ms/);
  assert.match(triggered.out, /Transaction\.Paid → \S+ {2}attempt 1: 200 in \d+ ms/);
  const again = await runToEnd(['trigger', 'Transaction.Paid', '--payment-id', paymentId, '--json'], toolEnv);
  assert.deepEqual(JSON.parse(again.out).deliveries.map((d: SandboxWebhookDelivery) => d.type), ['Transaction.Paid']);
  const refused = await runToEnd(['trigger', 'Transaction.Cancelled', '--payment-id', paymentId], toolEnv);
  assert.deepEqual([refused.code, refused.err.trim().split('\n').length], [1, 1]);
  assert.match(refused.err, /^portone-sandbox trigger: trigger: payment "\S+" is PAID; Transaction\.Cancelled fits a CANCELLED payment/);

  const dir = mkdtempSync(join(tmpdir(), 'sandbox-replay-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const captured = '{"type":"Transaction.Paid","timestamp":"2025-11-02T03:04:05.678Z","data":{"paymentId":"prod-17","storeId":"store-prod","transactionId":"tx-prod"}}';
  writeFileSync(join(dir, 'captured.json'), `${captured}\n`);
  const replayed = await runToEnd(['replay', join(dir, 'captured.json')], toolEnv);
  assert.equal(replayed.code, 0, replayed.err);
  assert.match(replayed.out, /replayed .*captured\.json, re-signed with the sandbox's webhook secret\n {2}\S+ {2}Transaction\.Paid → \S+ {2}attempt 1: 200/);
  assert.equal(receiver.received.at(-1)!.body, captured);
  const [event] = await verifyAll(env.PORTONE_WEBHOOK_SECRET!, [receiver.received.at(-1)!]);
  assert.equal((event as { data: { paymentId: string } }).data.paymentId, 'prod-17');

  await eventually(() => tailed.length === 4, 'the JSON tail saw the four deliveries');
  assert.deepEqual(tailed.map((d) => [d.type, d.status]), [['Transaction.Ready', 200], ['Transaction.Paid', 200], ['Transaction.Paid', 200], ['Transaction.Paid', 200]]);
  assert.equal(tailed[3]!.body, captured);
  await eventually(() => humanOut.split('\n').filter((l) => l.includes(' → ')).length === 4, 'the human tail printed four lines');
  assert.match(humanOut, /\d{4}-\d\d-\d\dT\S+ {2}Transaction\.Ready → http:\/\/127\.0\.0\.1:\d+\/portone\/webhooks {2}attempt 1: 200 in \d+ ms {2}"ok"/);
  tail.kill('SIGINT');
  assert.deepEqual(await once(tail, 'exit'), [0, null], 'Ctrl+C ends tail cleanly');

  const badToken = await runToEnd(['tail'], { ...toolEnv, PORTONE_SANDBOX_TOKEN: 'x'.repeat(43) });
  assert.deepEqual([badToken.code, badToken.err.trim()], [1, `portone-sandbox tail: the sandbox at ${env.PORTONE_API_URL} refused the control token: pass the one it printed at start (--token or PORTONE_SANDBOX_TOKEN)`]);
  const noToken = await runToEnd(['trigger', 'Transaction.Paid'], { PORTONE_API_URL: env.PORTONE_API_URL! });
  assert.equal(noToken.code, 2);
  assert.match(noToken.err, /^portone-sandbox trigger: needs the sandbox's control token: pass --token or set PORTONE_SANDBOX_TOKEN/);
  const free = (await import('node:http')).createServer();
  await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
  const closedPort = (free.address() as { port: number }).port;
  await new Promise((resolve) => free.close(resolve));
  const nobody = await runToEnd(['trigger', 'Transaction.Paid', '--url', `http://127.0.0.1:${closedPort}`, '--token', 'x'.repeat(43)]);
  assert.equal(nobody.code, 1);
  assert.equal(nobody.err, `portone-sandbox trigger: no sandbox answers at http://127.0.0.1:${closedPort} (ECONNREFUSED): start one with npx portone-sandbox, or pass --url\n`);
  const badEvent = await runToEnd(['trigger', 'Transaction.Shipped'], toolEnv);
  assert.equal(badEvent.code, 2);
  assert.match(badEvent.err, /unknown event "Transaction\.Shipped"; one of Transaction\.Ready, /);
});
