// Browser tests (*.browser.test.ts) in the system Chromium through Playwright.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { defaultReporter } from '@web/test-runner';
import { findChromium, chromiumArgs } from '../scripts/chromium.mjs';
import { summaryReporter } from './support/wtr-summary-reporter.mjs';
import { sandboxPlugin } from './sandbox/wtr-sandbox-plugin.ts';

const executablePath = findChromium();
if (!executablePath) throw new Error('No Chromium found: set CHROME_PATH or run `npm test`, which installs one.');

export default {
  rootDir: new URL('..', import.meta.url).pathname,
  files: ['test/**/*.browser.test.ts'],
  nodeResolve: { exportConditions: ['source', 'browser', 'import', 'default'] },
  concurrency: 2,
  testFramework: { config: { timeout: 10_000 } },
  testsFinishTimeout: 180_000,
  plugins: [esbuildPlugin({ ts: true, tsconfig: new URL('../tsconfig.json', import.meta.url).pathname, target: 'es2022' }), sandboxPlugin()],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath, headless: true, args: chromiumArgs },
    }),
  ],
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), summaryReporter()],
};
