// Framework pages (demo/frameworks/*: Next.js, Vue, Svelte, Angular), each built as a shop builds it
// and driven in the system Chromium against the PortOne sandbox and the verification kit.
import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';

const executablePath: string | undefined = findChromium();
if (!executablePath) throw new Error('No Chromium found: set CHROME_PATH or run `npm test`, which installs one.');

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.fw\.ts$/,
  // Installs each app when its node_modules is missing (npm ci), then builds the package and the apps.
  globalSetup: './setup.ts',
  outputDir: '../../test-results/frameworks',
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
