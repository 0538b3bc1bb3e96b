// What every Playwright suite here shares: the system Chromium, one worker, no retries, a stray
// test.only failing the run, and the one-line summary the test runner prints.
import type { PlaywrightTestConfig } from '@playwright/test';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';

const executablePath: string | undefined = findChromium();
if (!executablePath) throw new Error('No Chromium found: set CHROME_PATH or run `npm test`, which installs one.');

export const baseConfig = {
  testDir: '.',
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
} satisfies PlaywrightTestConfig;
