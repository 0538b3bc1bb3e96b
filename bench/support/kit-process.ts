// One kit instance in an OS process of its own, for the fleet benchmark (bench/postgres.bench.ts):
// the kit on the shared PostgreSQL schema it is given, served by the Node adapter on a free loopback
// port, PortOne being the parent's sandbox. Prints `ready <url>` once it serves; `GET /__bench/paid`
// answers how many times its onPaid ran; SIGTERM closes it.
import { createCheckoutServer } from '../../src/server/index.js';
import { serveCheckout } from '../../src/server/node.js';
import { createPostgresStore } from '../../src/server/store/postgres/index.js';
import { priceOrder } from './checkout.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`kit-process: expected ${name} in the environment`);
  return value;
};

const store = createPostgresStore({ connectionString: env('PCK_BENCH_PG_URL'), schema: env('PCK_BENCH_PG_SCHEMA') });
let paid = 0;
const kit = createCheckoutServer({
  portone: { apiSecret: env('PCK_BENCH_API_SECRET'), storeId: env('PCK_BENCH_STORE_ID'), baseUrl: env('PCK_BENCH_SANDBOX_URL') },
  webhookSecret: env('PCK_BENCH_WEBHOOK_SECRET'),
  store,
  allowTestChannels: true,
  channelKeys: { payment: env('PCK_BENCH_CHANNEL_KEY') },
  // As in the in-process benchmarks: no background polling for due events.
  hookPollMs: 0,
  logger: {},
  priceOrder,
  onPaid: () => void paid++,
});
await kit.ready;
const served = await serveCheckout({
  fetch: (request) => (new URL(request.url).pathname === '/__bench/paid' ? Promise.resolve(Response.json({ paid })) : kit.fetch(request)),
});
process.stdout.write(`ready ${served.url}\n`);
process.once('SIGTERM', () => {
  void (async () => {
    await served.close();
    await kit.close();
    await store.close();
    process.exit(0);
  })();
});
