// Click → SDK in a real Chromium: how long the shopper's click takes to reach PortOne's
// `requestPayment`, with the kit's prepare answered ahead of the click (the server-priced flow as a
// shop runs it). Everything between is the element's own work: the busy state, the request built
// and checked against KG Inicis's rules, `portone-request`, the attempt remembered. The click must
// reach the SDK within the click's user activation, or popups are blocked; target ≤ 2 ms.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';
import { figure } from './support/load.js';

const CLICKS = 41;
const root = new URL('../', import.meta.url);

// The one-script-tag bundle, as shops load it.
const built = spawnSync(process.execPath, ['scripts/run.mjs', 'bundle'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) throw new Error('bench: building dist/portone-checkout.js failed');
const bundle = readFileSync(new URL('dist/portone-checkout.js', root));

const PAGE = `<!doctype html><html lang="ko"><meta charset="utf-8"><body>
<script>
  // PortOne's runtime, faked: it notes when requestPayment is called and answers at once.
  window.__calls = [];
  window.PortOne = {
    requestPayment(request) {
      window.__calls.push(performance.now());
      return Promise.resolve({ transactionType: 'PAYMENT', paymentId: request.paymentId, txId: 'tx' });
    },
  };
  // The kit, answering on the page (no network in the figure).
  let n = 0;
  window.fetch = async (url, init) => {
    const route = String(url);
    const body = route.endsWith('/prepare')
      ? { paymentId: 'bench-' + ++n, orderName: '커피 원두 1kg', totalAmount: 32000, currency: 'KRW', customData: { orderId: 'o' } }
      : { order: { paymentId: JSON.parse(init.body).paymentId, status: 'PAID', orderName: '커피 원두 1kg', totalAmount: 32000, currency: 'KRW', cancelledAmount: 0 } };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  // First in line for the click: the moment the shopper's click reaches the page.
  addEventListener('click', () => (window.__clickAt = performance.now()), { capture: true });
</script>
<script type="module" src="/portone-checkout.js"></script>
<portone-payment-button endpoint="/portone" items='[{"id":"beans","quantity":1}]' store-id="store-bench" channel-key="channel-key-bench"
  customer-name="홍길동" customer-phone="010-1234-5678" customer-email="hong@example.com"></portone-payment-button>
</body></html>`;

const server: Server = createServer((request, response) => {
  if (request.url === '/portone-checkout.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
  else response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

const executablePath = findChromium();
if (!executablePath) throw new Error('bench: no Chromium (set CHROME_PATH or install Debian\'s chromium)');
const browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const button = page.locator('portone-payment-button').locator('button');
  const samples: number[] = [];
  for (let i = 0; i < CLICKS; i++) {
    // Ready as a shopper finds it: idle, the next order prepared, nothing else running.
    await page.waitForFunction(() => {
      const el = document.querySelector('portone-payment-button') as HTMLElement & { state: string };
      return el.state === 'idle';
    });
    await page.waitForTimeout(300);
    await button.click();
    await page.waitForFunction((count) => (window as unknown as { __calls: number[] }).__calls.length === count, i + 1);
    const ms = await page.evaluate(() => {
      const w = window as unknown as { __calls: number[]; __clickAt: number };
      return w.__calls.at(-1)! - w.__clickAt;
    });
    samples.push(ms);
    await page.waitForFunction(() => (document.querySelector('portone-payment-button') as HTMLElement & { state: string }).state === 'done');
    await page.evaluate(() => (document.querySelector('portone-payment-button') as HTMLElement & { reset(): void }).reset());
  }
  // The first click also compiles the element's code paths; the median is what shoppers get.
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`click → requestPayment, ${CLICKS} clicks: first ${samples[0]!.toFixed(2)} ms, median ${median.toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms`);
  figure('click-to-sdk-ms', median.toFixed(2));
} finally {
  await browser.close();
  server.close();
}
