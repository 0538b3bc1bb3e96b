// Shared by the window tests in a real Chromium (Playwright from Node, so redirects can leave the
// page): a merchant site on its own origin that loads the sandbox's /v2/browser-sdk.js like
// PortOne's CDN script (or, at `/npm`, the npm loader pointed at it), and calls into `window.PortOne`.
import { after, before, type TestContext } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'esbuild';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';
import type { Sandbox } from '../../src/sandbox/index.js';

export const MOBILE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

/**
 * The npm loader, as a shop bundles it: `window.checkout(sdkUrl, request)` calls requestPayment,
 * `window.issueBillingKey` requestIssueBillingKey, `window.verifyIdentity` requestIdentityVerification
 * (each keeping its settled result on `window.__result`).
 */
async function loaderBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import * as PortOne from '@portone/browser-sdk/v2';
        const keep = (promise) => { window.__result = promise.then((value) => ({ value }), (error) => ({ error: { ...error, message: error.message } })); return promise; };
        window.checkout = (sdkUrl, request) => { PortOne.__INTERNAL__setPortOneSdkUrl(sdkUrl); return PortOne.requestPayment(request); };
        window.issueBillingKey = (sdkUrl, request) => { PortOne.__INTERNAL__setPortOneSdkUrl(sdkUrl); return PortOne.requestIssueBillingKey(request); };
        window.verifyIdentity = (sdkUrl, request) => { PortOne.__INTERNAL__setPortOneSdkUrl(sdkUrl); return keep(PortOne.requestIdentityVerification(request)); };`,
      resolveDir: new URL('.', import.meta.url).pathname,
    },
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** One Chromium for a test file (launched before its tests, closed after), and merchant sites in it. */
export function useBrowser() {
  let browser: Browser | undefined;
  before(async () => {
    const executablePath = findChromium();
    if (!executablePath) throw new Error('No Chromium found: set CHROME_PATH or run `npm test`, which installs one.');
    browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
  });
  after(() => browser?.close());
  const running = (): Browser => {
    if (!browser) throw new Error('the browser is not running (useBrowser() registers it before the tests)');
    return browser;
  };

  /** A merchant site on its own origin: `/` loads the sandbox SDK (or `/npm` the npm loader); `/return` is a redirectUrl. */
  async function merchant(t: TestContext, sandbox: Sandbox, attributes = ''): Promise<string> {
    const loader = await loaderBundle();
    const server = createServer((req, res) => {
      if (req.url === '/loader.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(loader);
        return;
      }
      if (req.url === '/npm') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>상점</title><script src="/loader.js"></script></head><body></body></html>');
        return;
      }
      const page = req.url?.startsWith('/return')
        ? '<!doctype html><html lang="ko"><title>돌아옴</title><h1>결과</h1></html>'
        : `<!doctype html><html lang="ko" ${attributes}><head><meta charset="utf-8"><title>상점</title><script src="${sandbox.sdkUrl}"></script></head><body><button id="buy">구매</button></body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      server.closeAllConnections();
      server.close();
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function openShop(t: TestContext, sandbox: Sandbox, options: { mobile?: boolean; attributes?: string; path?: string } = {}): Promise<{ page: Page; context: BrowserContext; origin: string }> {
    const origin = await merchant(t, sandbox, options.attributes);
    const context = await running().newContext(options.mobile ? { userAgent: MOBILE_UA, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {});
    t.after(() => context.close());
    const page = await context.newPage();
    await page.goto(`${origin}${options.path ?? '/'}`);
    return { page, context, origin };
  }

  return { browser: running, merchant, openShop };
}

/** Calls `window.PortOne[fn](request)` and keeps the settled result on `window.__result`. */
export async function call(page: Page, fn: string, request: unknown): Promise<void> {
  await page.evaluate(([name, req]) => {
    const sdk = (window as unknown as { PortOne: Record<string, (r: unknown) => Promise<unknown>> }).PortOne;
    (window as unknown as { __result: Promise<unknown> }).__result = sdk[name as string]!(req).then(
      (value) => ({ value }),
      (error: Record<string, unknown>) => ({ error: { ...error, message: error.message } }),
    );
  }, [fn, request] as const);
}

export const result = (page: Page) => page.evaluate(() => (window as unknown as { __result: Promise<{ value?: Record<string, unknown>; error?: Record<string, unknown> }> }).__result);
