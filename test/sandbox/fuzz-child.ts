// A sandbox in a process of its own for the fuzz test, so a crash ends this process (and shows)
// instead of the test runner. Prints one JSON line with what the fuzzer needs, then serves until
// SIGTERM. Webhooks go to a closed port: deliveries fail at once and retry on the manual clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../../src/sandbox/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-fuzz-'));
const sandbox = await createSandbox({
  clock: 'manual',
  persistPath: join(dir, 'state.json'),
  webhookUrls: ['http://127.0.0.1:9/portone/webhooks'],
  webhookRetryDelaysMs: [0, 60_000, 60_000],
  webhookTimeoutMs: 1_000,
});
console.log(JSON.stringify({
  url: sandbox.url,
  storeId: sandbox.storeId,
  apiSecret: sandbox.apiSecret,
  controlToken: sandbox.controlToken,
  channelKeys: sandbox.channelKeys,
}));
process.once('SIGTERM', () => {
  void sandbox.close().then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
