// Framework pages (demo/frameworks/*: Next.js, Vue, Svelte, Angular), each built as a shop builds it
// and driven in the system Chromium against the PortOne sandbox and the verification kit.
import { defineConfig } from '@playwright/test';
import { baseConfig } from '../support/playwright-base.js';

export default defineConfig({
  ...baseConfig,
  testMatch: /.*\.fw\.ts$/,
  // Installs each app when its node_modules is missing (npm ci), then builds the package and the apps.
  globalSetup: './setup.ts',
  outputDir: '../../test-results/frameworks',
});
