// Browser tests (*.browser.test.ts) in the system Chromium through Playwright.
import net from 'node:net';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { defaultReporter } from '@web/test-runner';
import { findChromium, chromiumArgs } from '../scripts/chromium.mjs';
import { summaryReporter } from './support/wtr-summary-reporter.mjs';
import { sandboxPlugin } from './sandbox/wtr-sandbox-plugin.ts';

// web-test-runner's dev server drops the host when it is localhost/127.0.0.1 and so listens on every
// interface, serving the repository to the network during `npm test`. Tests listen on loopback only:
// any server in this process that asks for no host gets 127.0.0.1.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const [options] = args;
  if (options && typeof options === 'object' && 'port' in options && options.host === undefined) args[0] = { ...options, host: '127.0.0.1' };
  return listen.apply(this, args);
};

const executablePath = findChromium();
if (!executablePath) throw new Error('No Chromium found: set CHROME_PATH or run `npm test`, which installs one.');

export default {
  rootDir: new URL('..', import.meta.url).pathname,
  hostname: '127.0.0.1',
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
