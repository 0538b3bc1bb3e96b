// End-to-end tests (*.e2e.ts): the sample shop in the system Chromium, driven by Playwright.
import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';

const executablePath: string | undefined = findChromium();
if (!executablePath) throw new Error('No Chromium found: set CHROME_PATH or run `npm test`, which installs one.');

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.e2e\.ts$/,
  // Builds the bundle and the shop's pages, as `npm start` does.
  globalSetup: './global-setup.ts',
  outputDir: '../../test-results/e2e',
  // A stray test.only must fail the run, not quietly skip every other test.
  forbidOnly: true,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['./../support/playwright-summary-reporter.mjs']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: chromiumArgs },
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
