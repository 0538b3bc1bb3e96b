// The Next.js 16 checkout page in Chromium, against the sandbox and the kit (see support.ts): the
// production build (`next start`: server-rendered, hydrated), and under `next dev`, where React's
// StrictMode mounts every effect twice.
import { existsSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { APPS } from './apps.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { checkoutSuite, countPrepares, expectPaid, payButton, payInWindow, paymentWindow, readyToPay, startSandbox, startShop } from './support.js';

test('next build evaluated the kit\'s route with no PortOne settings and created no database', () => {
  // The setup ran `next build` with no PORTONE_* variables: the kit reads its settings on the first request.
  expect(existsSync(`${APPS.next.dir}/.next/BUILD_ID`)).toBe(true);
  expect(existsSync(`${APPS.next.dir}/.data`)).toBe(false);
});

checkoutSuite('next', 'Next.js 16 (React 19, server-rendered and hydrated)');

test.describe('Next.js 16 under next dev (React StrictMode)', () => {
  let sandbox: Sandbox;
  let shop: Awaited<ReturnType<typeof startShop>>;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    sandbox = await startSandbox();
    shop = await startShop('next', sandbox, 'dev');
  });
  test.afterAll(async () => {
    await shop?.close();
    await sandbox?.close();
  });

  test('StrictMode mounts the component twice: one order prepared, one window, one payment', async ({ page }) => {
    test.setTimeout(120_000);
    const prepares = countPrepares(page);
    // The first visit compiles the page.
    await page.goto(`${shop.url}/checkout`, { timeout: 90_000 });
    await readyToPay(page, prepares);
    // Whatever StrictMode's second mount did has happened by now.
    await page.waitForTimeout(1_000);
    expect(prepares.count, 'one order for one element').toBe(1);
    await payButton(page).click();
    await expect(paymentWindow(page).getByRole('heading', { name: 'KG이니시스 결제하기' })).toBeVisible();
    await expect(page.locator('iframe[data-portone-sandbox="window"]')).toHaveCount(1);
    await payInWindow(page);
    await expectPaid(page, shop.url);
    expect(prepares.count).toBe(1);
  });
});
