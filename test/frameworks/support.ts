// What every framework page is tested for, and the shop around it: the PortOne sandbox on the run's
// port, the verification kit under /portone (Next.js mounts it in its own route handler; the static
// apps get a small Node server that serves their build and mounts the kit), and the checks a
// shopper's visit makes: pay by card, cancel, a decline, one order and one window per element, and
// client-side route changes, also while the payment window is open.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { expect, test, type FrameLocator, type Page } from '@playwright/test';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { badCart, createCheckoutServer, type CheckoutServer } from '../../src/server/index.js';
import { toNodeListener } from '../../src/server/node.js';
import { APPS, ROOT, type App, type AppName } from './apps.js';

export const SCREENSHOTS = `${ROOT}test-results/screenshots/frameworks/`;

interface Shop {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.ico': 'image/x-icon' };

/** The kit as the static apps' shop runs it: one product, priced on the server. */
function kitFor(sandbox: Sandbox, database: string): CheckoutServer {
  return createCheckoutServer({
    portone: { apiSecret: sandbox.apiSecret, storeId: sandbox.storeId, baseUrl: sandbox.url },
    webhookSecret: sandbox.webhookSecret,
    channelKeys: { payment: sandbox.channelKeys.payment },
    allowTestChannels: true,
    basePath: '/portone',
    database,
    logger: {},
    priceOrder: ({ items = [] }) => {
      if (items.some((line) => line.id !== 'beans')) throw badCart('items: expected beans');
      const quantity = items.reduce((sum, line) => sum + line.quantity, 0);
      return { orderName: '커피 원두 1kg', totalAmount: 32_000 * quantity, currency: 'KRW', lines: [{ id: 'beans', name: '커피 원두 1kg', quantity, unitAmount: 32_000 }] };
    },
  });
}

/** A Node server with the app's build (any other path: index.html, for the client-side router) and the kit under /portone. */
async function staticShop(app: App, sandbox: Sandbox, dir: string): Promise<Shop> {
  const kit = kitFor(sandbox, join(dir, 'checkout.sqlite'));
  const toKit = toNodeListener(kit);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url!, 'http://shop').pathname);
    if (path === '/portone' || path.startsWith('/portone/')) return void toKit(req, res);
    let file = join(app.staticDir!, path);
    if (!file.startsWith(app.staticDir!) || !existsSync(file) || statSync(file).isDirectory()) file = join(app.staticDir!, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await kit.close();
    },
  };
}

/** `next start` (or `next dev`) with the kit's settings in its environment, as a shop deploys it. */
async function nextShop(sandbox: Sandbox, dir: string, mode: 'start' | 'dev'): Promise<Shop> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child: ChildProcess = spawn(`${APPS.next.dir}/node_modules/.bin/next`, [mode, '-p', String(port), '-H', '127.0.0.1'], {
    cwd: APPS.next.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      PORTONE_API_SECRET: sandbox.apiSecret,
      PORTONE_STORE_ID: sandbox.storeId,
      PORTONE_BASE_URL: sandbox.url,
      PORTONE_WEBHOOK_SECRET: sandbox.webhookSecret,
      PORTONE_CHANNEL_KEY: sandbox.channelKeys.payment,
      PORTONE_ALLOW_TEST_CHANNELS: '1',
      CHECKOUT_DATABASE: join(dir, 'checkout.sqlite'),
      // `next dev` names the sandbox at run time (`next start` got it at build time).
      NEXT_PUBLIC_PORTONE_SDK_URL: sandbox.sdkUrl,
    },
  });
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next ${mode} exited (${child.exitCode}):\n${log}`);
    const ok = await fetch(`${url}/`).then((response) => response.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`next ${mode} did not answer in 60 s:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    async close() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
    },
  };
}

export async function startSandbox(): Promise<Sandbox> {
  const port = Number(process.env.PCK_FW_SANDBOX_PORT);
  if (!port) throw new Error('PCK_FW_SANDBOX_PORT is not set: run the framework tests through their playwright config');
  return createSandbox({ port, log: () => {} });
}

export async function startShop(name: AppName, sandbox: Sandbox, mode: 'start' | 'dev' = 'start'): Promise<Shop & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), `pck-fw-${name}-`));
  const shop = name === 'next' ? await nextShop(sandbox, dir, mode) : await staticShop(APPS[name], sandbox, dir);
  sandbox.setWebhookUrls([`${shop.url}/portone/webhooks`]);
  return {
    ...shop,
    dir,
    async close() {
      await shop.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The sandbox's KG Inicis window, an iframe over the page. */
export const paymentWindow = (page: Page): FrameLocator => page.frameLocator('iframe[data-portone-sandbox="window"]');

export const payButton = (page: Page) => page.locator('portone-payment-button').getByRole('button');

/** Prepares seen on this page from now on. */
export function countPrepares(page: Page): { count: number } {
  const seen = { count: 0 };
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/portone/payments/prepare')) seen.count++;
  });
  return seen;
}

export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, animations: 'disabled' });
}

/** Waits until the element is idle with its order prepared, as a shopper finds it. */
export async function readyToPay(page: Page, prepares: { count: number }): Promise<void> {
  await expect(page.locator('portone-payment-button')).toHaveAttribute('state', 'idle');
  await expect.poll(() => prepares.count).toBeGreaterThanOrEqual(1);
  await expect(payButton(page)).toBeEnabled();
}

/** In the window: a Shinhan card, pay. */
export async function payInWindow(page: Page): Promise<void> {
  const window = paymentWindow(page);
  await expect(window.getByRole('heading', { name: 'KG이니시스 결제하기' })).toBeVisible();
  await window.getByRole('radio', { name: '신한카드' }).check();
  await window.getByRole('button', { name: '결제하기', exact: true }).click();
}

/** The paid outcome the page shows, and the order the kit holds for it. */
export async function expectPaid(page: Page, shopUrl: string): Promise<string> {
  const outcome = page.locator('[data-outcome]');
  await expect(outcome).toHaveText(/^결제 완료: 커피 원두 1kg \(.+\)$/);
  const paymentId = /\((.+)\)$/.exec((await outcome.textContent())!)![1]!;
  const answer = (await (await fetch(`${shopUrl}/portone/payments/${encodeURIComponent(paymentId)}`)).json()) as { order: { status: string; totalAmount: number } };
  expect(answer.order).toMatchObject({ status: 'PAID', totalAmount: 32_000 });
  await expect(page.locator('portone-payment-button')).toHaveAttribute('state', 'done');
  return paymentId;
}

/**
 * The checks every framework page passes. `strictMode`: the page runs under React's StrictMode in
 * development (effects mount, unmount and mount again), where one order and one window still hold.
 */
export function checkoutSuite(name: AppName, label: string): void {
  test.describe(`${label} (demo/frameworks/${name})`, () => {
    let sandbox: Sandbox;
    let shop: Awaited<ReturnType<typeof startShop>>;
    test.beforeAll(async () => {
      sandbox = await startSandbox();
      shop = await startShop(name, sandbox);
    });
    test.afterAll(async () => {
      await shop?.close();
      await sandbox?.close();
    });

    test('pays by card: the window opens once, the page hears portone-paid, the kit holds the order PAID', async ({ page }) => {
      const prepares = countPrepares(page);
      await page.goto(`${shop.url}/checkout`);
      await readyToPay(page, prepares);
      await payButton(page).click();
      await expect(paymentWindow(page).getByRole('heading', { name: 'KG이니시스 결제하기' })).toBeVisible();
      await expect(page.locator('iframe[data-portone-sandbox="window"]')).toHaveCount(1);
      await snap(page, `${name}-window`);
      await payInWindow(page);
      const paymentId = await expectPaid(page, shop.url);
      expect(sandbox.payment(paymentId)?.status).toBe('PAID');
      expect(prepares.count, 'one order prepared for one element').toBe(1);
      await expect(page.locator('portone-payment-button').locator('[part=status]')).toHaveText('결제가 완료되었습니다 · 커피 원두 1kg');
      await snap(page, `${name}-paid`);
    });

    test('the shopper cancels: portone-cancel, the button usable again', async ({ page }) => {
      const prepares = countPrepares(page);
      await page.goto(`${shop.url}/checkout`);
      await readyToPay(page, prepares);
      await payButton(page).click();
      await paymentWindow(page).getByRole('button', { name: '취소', exact: true }).click();
      await expect(page.locator('[data-outcome]')).toHaveText('결제를 취소했습니다.');
      await expect(page.locator('portone-payment-button')).toHaveAttribute('state', 'idle');
      await expect(payButton(page)).toBeEnabled();
    });

    test('the card company declines: portone-fail with the PG\'s words, for the shopper', async ({ page }) => {
      const prepares = countPrepares(page);
      await page.goto(`${shop.url}/checkout`);
      await readyToPay(page, prepares);
      await payButton(page).click();
      // The window's own "simulate a decline" panel, as a tester uses it.
      const window = paymentWindow(page);
      await window.getByText('PortOne 샌드박스').click();
      await window.getByLabel('승인 거절 시뮬레이션').selectOption('V005');
      await window.getByRole('button', { name: '거절 처리' }).click();
      await expect(page.locator('[data-outcome]')).toContainText('카드 한도가 초과되었습니다.');
      await expect(page.locator('portone-payment-button')).toHaveAttribute('state', 'failed');
      await snap(page, `${name}-declined`);
    });

    test('a client-side route change away and back: a fresh element, one order, and it pays', async ({ page }) => {
      await page.goto(`${shop.url}/`);
      // Set on the first load; a full page load would lose it.
      await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
      const prepares = countPrepares(page);
      await page.getByRole('link', { name: '결제하기' }).click();
      await readyToPay(page, prepares);
      await page.getByRole('link', { name: '홈' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('이번 주 볶은 커피');
      await expect(page.locator('portone-payment-button')).toHaveCount(0);
      await page.getByRole('link', { name: '결제하기' }).click();
      await readyToPay(page, prepares);
      await payButton(page).click();
      await payInWindow(page);
      await expectPaid(page, shop.url);
      expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), 'no full page load').toBe(true);
      expect(prepares.count, 'one order per element shown').toBe(2);
    });

    test('leaving the route while the window is open: the page that comes back hears the payment', async ({ page }) => {
      await page.goto(`${shop.url}/`);
      const prepares = countPrepares(page);
      await page.getByRole('link', { name: '결제하기' }).click();
      await readyToPay(page, prepares);
      await payButton(page).click();
      await expect(paymentWindow(page).getByRole('heading', { name: 'KG이니시스 결제하기' })).toBeVisible();
      // Back in the browser: the router shows the home page, the element is gone, the window stays.
      await page.goBack();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('이번 주 볶은 커피');
      await expect(page.locator('portone-payment-button')).toHaveCount(0);
      await payInWindow(page);
      await expect(page.locator('iframe[data-portone-sandbox="window"]')).toHaveCount(0);
      await page.goForward();
      await expectPaid(page, shop.url);
    });
  });
}
