// End-to-end tests (*.e2e.ts): the sample shop in the system Chromium, driven by Playwright.
import { defineConfig } from '@playwright/test';
import { baseConfig } from '../support/playwright-base.js';

export default defineConfig({
  ...baseConfig,
  testMatch: /.*\.e2e\.ts$/,
  // Builds the bundle and the shop's pages, as `npm start` does.
  globalSetup: './global-setup.ts',
  outputDir: '../../test-results/e2e',
});
