// Runs the sample shop the way `npm start` does (node --conditions=source --import tsx
// demo/server/main.ts), on a free port with a fresh data directory, and reads its databases.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { BrowserContext } from '@playwright/test';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export const ADMIN_PASSWORD = 'e2e-admin-password';

export interface RunningShop {
  /** e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The embedded sandbox's base URL (REST API, window, dashboard, controls); '' against PortOne. */
  sandboxUrl: string;
  /** Its control token (from the dashboard link the shop prints), which the control routes require. */
  sandboxToken: string;
  dataDir: string;
  /** Everything the shop printed, for failure messages. */
  output(): string;
  /** Kills the process with SIGKILL, as a crash would (no shutdown, nothing flushed), and waits for it to be gone; the data directory stays for a restart. */
  kill(): Promise<void>;
  /** Stops the shop (SIGTERM, then SIGKILL) and deletes its data directory. */
  close(): Promise<void>;
}

export interface ShopStart {
  /** More flags; they win over the harness's own (`--host`, `--port`, …). */
  args?: string[];
  env?: Record<string, string>;
  /** Start on this data directory (a restart of a shop that ran on it) instead of a fresh one. */
  dataDir?: string;
}

/** `node demo/server/main.ts` as `npm start` runs it, on loopback, free ports and a fresh data directory. */
function spawnShop(dataDir: string, options: ShopStart): ChildProcess {
  return spawn(
    process.execPath,
    // Every address explicit: HOST, PORT or SANDBOX_PORT in the environment must not move the shop under test.
    ['--conditions=source', '--import', 'tsx', 'demo/server/main.ts', '--host', '127.0.0.1', '--port', '0', '--sandbox-port', '0', '--data-dir', dataDir, ...(options.args ?? [])],
    {
      cwd: root,
      // DATABASE_URL too: a developer's PostgreSQL would otherwise be shared by every shop of the run.
      env: { ...process.env, ADMIN_PASSWORD, PORTONE_STORE_ID: '', PORTONE_CHANNEL_KEY: '', PORTONE_API_SECRET: '', PORTONE_WEBHOOK_SECRET: '', DATABASE_URL: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** Starts the shop expecting it to stop by itself (bad flags, a taken port): its exit code and what it printed. */
export async function runShopToExit(options: ShopStart = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dalbit-e2e-'));
  const child = spawnShop(dataDir, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      // A shop that starts instead of stopping would otherwise hold the test until its deadline.
      child.stdout!.on('data', () => /^ready /m.test(stdout) && reject(new Error(`the shop started instead of stopping:\n${stdout}`)));
      child.once('exit', resolve);
    });
    return { code, stdout, stderr };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function startShop(options: ShopStart = {}): Promise<RunningShop> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'dalbit-e2e-'));
  const child = spawnShop(dataDir, options);
  let output = '';
  const ready = new Promise<{ url: string; sandboxUrl: string; sandboxToken: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the shop did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // `ready` comes last, after the sandbox's line (none against PortOne).
      const url = /^ready (http:\/\/\S+)$/m.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        const sandbox = /PortOne sandbox\s+(http:\/\/\S+?)\/sandbox\/(?:#token=(\S+))?/.exec(output);
        resolve({ url, sandboxUrl: sandbox?.[1] ?? '', sandboxToken: sandbox?.[2] ?? '' });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the shop exited (code ${code}) before it was ready:\n${output}`));
    });
  });
  const { url, sandboxUrl, sandboxToken } = await ready;
  // A process killed by a signal has no exit code, only its signal.
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    sandboxUrl,
    sandboxToken,
    dataDir,
    output: () => output,
    async kill() {
      if (!running()) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async close() {
      if (running()) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (running()) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A PortOne stand-in outside the shop: the sandbox run from a shell, as `npx portone-sandbox` does. */
export interface StandIn {
  url: string;
  storeId: string;
  apiSecret: string;
  webhookSecret: string;
  channelKeys: { payment: string; billingKey: string; billingKeyAndPay: string };
  close(): Promise<void>;
}

/** `args`: more `portone-sandbox` flags (`--webhook-url`, `--retry-delays`, …). */
export async function startStandIn(args: string[] = []): Promise<StandIn> {
  const argv = JSON.stringify(['--host', '127.0.0.1', '--port', '0', '--json', '--quiet', ...args]);
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', `const { main } = await import('./src/sandbox/cli.ts'); await main(${argv});`],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const started = await new Promise<Omit<StandIn, 'close'>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Omit<StandIn, 'close'>);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited (code ${code}) before it was ready:\n${output}`));
    });
  });
  return {
    ...started,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Rows from one of the shop's SQLite files (`checkout.sqlite`: the kit's; `shop.sqlite`: the shop's). */
export function query<T = Record<string, unknown>>(shop: RunningShop, file: 'checkout.sqlite' | 'shop.sqlite', sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(shop.dataDir, file), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The shop's session cookie: a random token, not the member's id. */
export const SESSION_COOKIE = 'dalbit_session';

/** The member a browser is signed in as: its session cookie, looked up as the shop does (by the token's SHA-256). */
export async function memberIdOf(shop: RunningShop, context: BrowserContext): Promise<string> {
  const token = (await context.cookies(shop.url)).find((cookie) => cookie.name === SESSION_COOKIE)?.value;
  if (!token) throw new Error(`no ${SESSION_COOKIE} cookie: the browser has not opened a page of the shop yet`);
  const key = createHash('sha256').update(token).digest('base64url');
  const [row] = query<{ member_id: string }>(shop, 'shop.sqlite', 'SELECT member_id FROM sessions WHERE token_sha256 = ?', key);
  if (!row) throw new Error(`the shop has no session for the browser's ${SESSION_COOKIE} cookie`);
  return row.member_id;
}

/** The kit's record of one order. */
export interface OrderRow {
  payment_id: string;
  kind: string;
  status: string;
  order_name: string;
  total_amount: number;
  cancelled_amount: number;
  pay_method: string | null;
  customer: string | null;
  /** The customer id, as the shop's identifyCustomer named it. */
  customer_id: string | null;
  flag: string | null;
  subscription_id: string | null;
  billing_key: string | null;
  revision: number;
}

export const orderRow = (shop: RunningShop, paymentId: string): OrderRow | undefined =>
  query<OrderRow>(shop, 'checkout.sqlite', 'SELECT * FROM orders WHERE payment_id = ?', paymentId)[0];

export interface FulfilmentRow {
  payment_id: string;
  kind: string;
  amount: number;
  refunded_amount: number;
  status: string;
  customer_id: string | null;
}

export const fulfilments = (shop: RunningShop, paymentId: string): FulfilmentRow[] =>
  query<FulfilmentRow>(shop, 'shop.sqlite', 'SELECT * FROM fulfilments WHERE payment_id = ?', paymentId);

/** How many times the shop's `onPaid` hook ran for a payment (exactly-once means 1). */
export const paidHookRuns = (shop: RunningShop, paymentId: string): number =>
  query<{ runs: number }>(shop, 'shop.sqlite', "SELECT COALESCE(SUM(runs), 0) AS runs FROM hook_runs WHERE hook = 'paid' AND payment_id = ?", paymentId)[0]!.runs;

/** The kit's record of one subscription. */
export interface SubscriptionRow {
  id: string;
  customer_id: string;
  plan: string;
  status: string;
  paid_periods: number;
  next_charge_at: number | null;
  next_payment_id: string | null;
  billing_key: string;
}

/** The kit's subscriptions of one customer on one plan. */
export const subscriptionsOf = (shop: RunningShop, customerId: string, plan: string) =>
  query<SubscriptionRow>(shop, 'checkout.sqlite', 'SELECT * FROM subscriptions WHERE customer_id = ? AND plan = ?', customerId, plan);

/** The paid orders (periods) of one subscription, oldest first. */
export const paidOrdersOf = (shop: RunningShop, subscriptionId: string) =>
  query<{ payment_id: string; total_amount: number }>(shop, 'checkout.sqlite', "SELECT payment_id, total_amount FROM orders WHERE subscription_id = ? AND status = 'PAID' ORDER BY created_at", subscriptionId);

/** How many of these payments the shop fulfilled. */
export const fulfilledCount = (shop: RunningShop, paymentIds: string[]) =>
  paymentIds.length === 0 ? 0 : query<{ n: number }>(shop, 'shop.sqlite', `SELECT COUNT(*) AS n FROM fulfilments WHERE payment_id IN (${paymentIds.map(() => '?').join(',')})`, ...paymentIds)[0]!.n;

/** POSTs one of the sandbox's test controls (`/sandbox/outcomes`, `/sandbox/advance`, …). */
export async function sandboxControl(shop: RunningShop, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${shop.sandboxUrl}${path}`, { method: 'POST', headers: { 'x-portone-sandbox-token': shop.sandboxToken }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`sandbox ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}
