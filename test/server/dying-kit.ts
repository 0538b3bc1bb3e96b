// A kit in its own process that dies holding work, for exactly-once.test.ts and approval.test.ts: it
// serves the kit on a free port and prints "url <url>"; its onPaid prints "hook <paymentId>" and never
// returns (or, with PCK_HANG_IN=reserve, its reserve prints "reserve <paymentId>" and never returns),
// so the test can SIGKILL it while it holds the work.
import { createCheckoutServer } from '../../src/server/index.js';
import { serveCheckout } from '../../src/server/node.js';
import { priceOrder } from './support.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`dying-kit: expected ${name} in the environment`);
  return value;
};

const kit = createCheckoutServer({
  portone: { apiSecret: env('PCK_API_SECRET'), storeId: env('PCK_STORE_ID'), baseUrl: env('PCK_SANDBOX_URL') },
  webhookSecret: env('PCK_WEBHOOK_SECRET'),
  priceOrder,
  database: env('PCK_DATABASE'),
  allowTestChannels: true,
  hookPollMs: 0,
  claimLeaseMs: Number(env('PCK_CLAIM_LEASE_MS')),
  logger: {},
  ...(process.env.PCK_HANG_IN === 'reserve'
    ? {
        reserve(event) {
          process.stdout.write(`reserve ${event.order?.paymentId}\n`);
          return new Promise<void>(() => {});
        },
      }
    : {}),
  onPaid(event) {
    process.stdout.write(`hook ${event.order.paymentId}\n`);
    return new Promise<void>(() => {});
  },
});
await kit.ready;
const served = await serveCheckout(kit);
process.stdout.write(`url ${served.url}\n`);
