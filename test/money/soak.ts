// The interleaving checker for as long as you like: `npm run soak -- --count 100000 [--seed 42]
// [--concurrency 100]`. Prints progress and, on a violation, the seed and scenario to replay. Set up as
// interleavings.test.ts is: a third of the scenarios buy limited stock behind manual approval or the
// confirm process (amounts pre-registered on even seeds).
import { parseArgs } from 'node:util';
import { createSandbox } from '../../src/sandbox/index.js';
import { runInterleavings } from './checker.js';
import { checkerChannels } from './channels.js';
import { inProcessShop } from './shop.js';
import { gateWatch } from './stock.js';

const { values } = parseArgs({ options: { count: { type: 'string' }, seed: { type: 'string' }, concurrency: { type: 'string' } } });
const count = Number(values.count ?? 20_000);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const concurrency = Number(values.concurrency ?? 100);
for (const [name, value] of [['count', count], ['seed', seed], ['concurrency', concurrency]] as const) {
  if (!Number.isSafeInteger(value) || value < (name === 'seed' ? 0 : 1)) {
    console.error(`soak: --${name}: expected a ${name === 'seed' ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(values[name])}`);
    process.exit(2);
  }
}

const preRegistered = seed % 2 === 0;
const watch = gateWatch();
const { channels, manual } = checkerChannels();
const sandbox = await createSandbox({ webhookRetryDelaysMs: [0, 20, 40, 80], channels, onRestExchange: watch.onRestExchange });
const shop = await inProcessShop(sandbox, { preRegister: preRegistered }, { seed });
const started = performance.now();
console.log(`soak: ${count} interleavings, seed ${seed}, ${concurrency} at once`);
try {
  const report = await runInterleavings({
    seed,
    count,
    concurrency,
    sandbox,
    shop,
    gates: { channels: manual, watch, preRegistered, expireAtEnd: true },
    progress: (done) => {
      if (done % (concurrency * 10) === 0 || done === count) console.log(`  ${done} done, ${Math.round((performance.now() - started) / 1000)} s`);
    },
  });
  console.log(`soak: every invariant held for ${report.payments} payments in ${report.scenarios} interleavings (seed ${seed})`);
  console.log(`  steps ${JSON.stringify(report.steps)}`);
  console.log(`  orders ended ${JSON.stringify(report.statuses)}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await shop.close();
  await sandbox.close();
}
