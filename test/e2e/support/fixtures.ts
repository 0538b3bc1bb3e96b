// Playwright fixtures for the shop: one running shop per worker (fresh data directory), the page's
// baseURL pointing at it, an admin page with basic-auth credentials, screenshots and axe scans, and
// a watch on every browser context for Content Security Policy violations (a test fails on any).
// Tests that need a shop started differently, or one nobody else's clock moves, set `shopArgs`:
// Playwright runs them in a worker, with a shop, of their own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test as base, type Browser, type BrowserContext, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { startPostgres, type TestPostgres } from './postgres.js';
import { ADMIN_PASSWORD, startShop, type RunningShop } from './shop.js';

export const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));
/** The screenshots docs/sample-shop.md shows. `DEMO_SCREENSHOTS=1 npm run test:e2e` rewrites them, under the names it uses. */
const README_SCREENSHOTS = fileURLToPath(new URL('../../../demo/screenshots/', import.meta.url));
const refreshReadme = process.env.DEMO_SCREENSHOTS === '1';

interface SnapOptions {
  fullPage?: boolean;
  /** This picture is docs/sample-shop.md's `demo/screenshots/<readme>.png` too. */
  readme?: string;
}

/** Where a screenshot goes: always test-results/screenshots/<name>.png, and the docs' copy when refreshing those. */
function snapPaths(name: string, readme: string | undefined): string[] {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return [`${SCREENSHOTS}${name}.png`, ...(readme && refreshReadme ? [`${README_SCREENSHOTS}${readme}.png`] : [])];
}

/** A CSP violation in any frame of any page: its `securitypolicyviolation` event, or Chromium's console line. */
export interface CspViolation {
  source: 'event' | 'console';
  directive?: string;
  blocked?: string;
  document?: string;
  text?: string;
}

let cspViolations: CspViolation[] = [];

/** The violations seen so far in this test, taken: a test that causes one on purpose takes it, and asserts on it. */
export function takeCspViolations(): CspViolation[] {
  const taken = cspViolations;
  cspViolations = [];
  return taken;
}

/** Reports every CSP violation of the context's pages and frames (the sandbox's window too) to `cspViolations`. */
async function watchCsp(context: BrowserContext): Promise<void> {
  await context.exposeBinding('__pckCspViolation', (_source, violation: Omit<CspViolation, 'source'>) => void cspViolations.push({ source: 'event', ...violation }));
  await context.addInitScript(() => {
    const report = (window as unknown as { __pckCspViolation: (violation: object) => Promise<void> }).__pckCspViolation;
    document.addEventListener(
      'securitypolicyviolation',
      (event) => void report({ directive: event.effectiveDirective, blocked: event.blockedURI, document: event.documentURI }).catch(() => {}),
      true,
    );
  });
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push({ source: 'console', text: message.text(), document: message.location().url });
  });
}

interface WorkerFixtures {
  /** Extra `npm start` flags for this worker's shop (default none: the shared shop). */
  shopArgs: string[];
  /** Where the kit of this worker's shop keeps its records: `postgres` starts a PostgreSQL (see support/postgres.ts) and a shop of its own on it. */
  shopDatabase: 'sqlite' | 'postgres';
  /** That PostgreSQL, with `shopDatabase: 'postgres'`; undefined otherwise. */
  postgres: TestPostgres | undefined;
  shop: RunningShop;
  /** Every context this worker's browser opens (the test's own, the admin's, ones a test makes) is watched for CSP violations. */
  cspWatch: void;
}

interface TestFixtures {
  /** A page of a separate browser context signed in to /admin. */
  admin: Page;
  /** Fails the test on any CSP violation not taken by `takeCspViolations()`. */
  cspCheck: void;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  shopArgs: [[], { scope: 'worker', option: true }],
  shopDatabase: ['sqlite', { scope: 'worker', option: true }],
  postgres: [
    async ({ shopDatabase }, use) => {
      if (shopDatabase !== 'postgres') return use(undefined);
      const postgres = await startPostgres();
      try {
        await use(postgres);
      } finally {
        await postgres.stop();
      }
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  cspWatch: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      const watched: Browser['newContext'] = async (options) => {
        const context = await newContext(options);
        await watchCsp(context);
        return context;
      };
      browser.newContext = watched;
      await use();
      browser.newContext = newContext;
    },
    { scope: 'worker', auto: true },
  ],
  cspCheck: [
    // Set up before (so torn down after) the test's contexts: reports still in flight when the test ends count.
    async ({}, use) => {
      cspViolations = [];
      await use();
      const left = takeCspViolations();
      expect(left, `Content Security Policy violations:\n${left.map((v) => JSON.stringify(v)).join('\n')}`).toEqual([]);
    },
    { auto: true },
  ],
  shop: [
    async ({ shopArgs, postgres }, use) => {
      const shop = await startShop({ args: [...(postgres ? ['--database', postgres.url] : []), ...shopArgs] });
      try {
        await use(shop);
      } finally {
        await shop.close();
      }
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  baseURL: async ({ shop }, use) => use(shop.url),
  admin: async ({ browser, shop }, use) => {
    const context = await browser.newContext({ baseURL: shop.url, httpCredentials: { username: 'admin', password: ADMIN_PASSWORD } });
    const page = await context.newPage();
    await use(page);
    await context.close();
  },
});

export { expect };

/** Saves a screenshot of a key state to test-results/screenshots/<name>.png (and the docs' copy, see SnapOptions). */
export async function snap(page: Page, name: string, options: SnapOptions = {}): Promise<void> {
  const image = await page.screenshot({ fullPage: options.fullPage ?? true, animations: 'disabled' });
  for (const path of snapPaths(name, options.readme)) writeFileSync(path, image);
}

/** Saves a screenshot of one part of the page, as `snap` does. */
export async function snapPart(part: Locator, name: string, options: Pick<SnapOptions, 'readme'> = {}): Promise<void> {
  const image = await part.screenshot({ animations: 'disabled' });
  for (const path of snapPaths(name, options.readme)) writeFileSync(path, image);
}

/** A scrolling region that does not need to scroll sideways, with `inside` entirely within its visible box. */
export async function expectFitsWidth(region: Locator, inside: Locator): Promise<void> {
  const { scrollWidth, clientWidth } = await region.evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
  expect(scrollWidth, `the region scrolls sideways: ${scrollWidth} px of content in ${clientWidth} px`).toBeLessThanOrEqual(clientWidth);
  const outer = (await region.boundingBox())!;
  const box = (await inside.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(outer.x);
  expect(box.x + box.width).toBeLessThanOrEqual(outer.x + outer.width);
}

/** Axe scan of the page as it is: no serious or critical violations. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`).join('\n');
  expect(bad, `${what}: axe found serious or critical violations\n${report}`).toEqual([]);
}

/** The simulated KG Inicis window the sandbox opens as an iframe over the page (desktop). */
export const paymentWindow = (page: Page): FrameLocator => page.frameLocator('iframe[data-portone-sandbox="window"]');

/** Makes the next payment window end by itself, as the sandbox's page-level switch allows. */
export async function scriptOutcome(page: Page, outcome: 'approve' | 'cancel' | `decline${'' | `:${string}`}`): Promise<void> {
  await page.evaluate((value) => document.documentElement.setAttribute('data-portone-sandbox-outcome', value), outcome);
}

/** Puts products in the browser's cart directly (the cart lives in localStorage). */
export async function fillCart(page: Page, lines: { id: string; quantity: number }[]): Promise<void> {
  await page.goto('/cart');
  await page.evaluate((cart) => localStorage.setItem('dalbit-cart', JSON.stringify(cart)), lines);
}

/** The paymentId in the page's address (`?order=`) (the complete and waiting pages have one). */
export const paymentIdOf = (page: Page): string => {
  const id = new URL(page.url()).searchParams.get('order');
  if (!id) throw new Error(`no ?order= in ${page.url()}`);
  return id;
};

/**
 * Every GET a page makes to the shop's JSON: the kit's unauthenticated `/portone/…` reads (which
 * the pages must not use: they answer anyone holding a paymentId) and the member's own `/api/me/…`.
 */
export function watchOrderReads(page: Page): { kit: string[]; mine: string[] } {
  const reads = { kit: [] as string[], mine: [] as string[] };
  page.on('request', (request) => {
    if (request.method() !== 'GET') return;
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/portone/')) reads.kit.push(pathname);
    if (pathname.startsWith('/api/me/')) reads.mine.push(pathname);
  });
  return reads;
}

/** Records the request of every `portone-request` event on the page, as a page script could. */
export async function trackRequests(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    (window as unknown as { __portoneRequests: unknown[] }).__portoneRequests = seen;
    document.addEventListener('portone-request', (event) => seen.push(event.detail.request));
  });
}

/** The paymentId (or issueId) of the last request an element sent to PortOne's SDK. */
export async function lastRequestId(page: Page): Promise<string> {
  await expect.poll(() => page.evaluate(() => (window as unknown as { __portoneRequests?: unknown[] }).__portoneRequests?.length ?? 0)).toBeGreaterThan(0);
  return page.evaluate(() => {
    const requests = (window as unknown as { __portoneRequests: { paymentId?: string; issueId?: string }[] }).__portoneRequests;
    const last = requests[requests.length - 1]!;
    return (last.paymentId ?? last.issueId)!;
  });
}
